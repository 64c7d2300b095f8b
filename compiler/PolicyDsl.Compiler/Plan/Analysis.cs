using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Plan;

/// <summary>What kind of value a comparison's operands are (the model's nodes say it only through the facts).</summary>
public static class ExprKinds
{
    public static Fact? EnumFactOf(Rule rule, Expr e) => e switch
    {
        FactValueRef f when rule.FindFact(f.Name) is { Kind: FactKind.Level or FactKind.OneOf } fact => fact,
        FactRef f when rule.FindFact(f.Name) is { Kind: FactKind.Level or FactKind.OneOf } fact => fact,
        _ => null,
    };

    public static Fact? YesNoFactOf(Rule rule, Expr e) => e switch
    {
        FactValueRef f when rule.FindFact(f.Name) is { Kind: FactKind.YesNo } fact => fact,
        FactRef f when rule.FindFact(f.Name) is { Kind: FactKind.YesNo } fact => fact,
        _ => null,
    };

    /// <summary>True when the comparison is between quantities (not yes/no, enum or date values).</summary>
    public static bool IsQuantityComparison(Rule rule, CompareCondition k) =>
        (EnumFactOf(rule, k.Left) ?? EnumFactOf(rule, k.Right) ?? YesNoFactOf(rule, k.Left) ?? YesNoFactOf(rule, k.Right)) is null &&
        k.Left is not (DateExpr or DateShiftExpr or FactValueRef or KeyExpr) && k.Right is not (DateExpr or DateShiftExpr or FactValueRef or KeyExpr);
}

/// <summary>
/// The bounds of a rule's expressions before any condition is tested, and what may throw, computed in the order the
/// steps run: a let is analysed once and its result read wherever the let is used (so a chain of lets, or a let read
/// twice by the next, costs one pass and no recursion through the chain). Exact decimal interval arithmetic (a result
/// that does not fit a decimal is an infinite end): an arithmetic step whose result has an infinite end may overflow.
/// </summary>
internal sealed class Analysis(Rule rule)
{
    private static readonly Interval AnyDecimal = new(decimal.MinValue, decimal.MaxValue);

    private readonly Dictionary<string, Interval> _lets = new(StringComparer.Ordinal);
    private readonly List<TextSpan> _overflowingRates = new();
    private bool _mayThrow;

    public IReadOnlyList<TextSpan> OverflowingRates => _overflowingRates;

    /// <summary>Analyses an expression (and records the let, when it is one) with the lets analysed so far.</summary>
    public NodeFacts Of(Expr e, string? let = null)
    {
        _mayThrow = false;
        var bound = Bound(e);
        if (let is not null) _lets[let] = bound;
        return new NodeFacts(e.Range, bound, _mayThrow);
    }

    public bool ConditionMayThrow(Condition c)
    {
        _mayThrow = false;
        Test(c);
        return _mayThrow;
    }

    /// <summary>An arithmetic result: an infinite end means the decimal operation may overflow.</summary>
    private Interval Checked(Interval result)
    {
        if (result.Low is null || result.High is null) _mayThrow = true;
        return result;
    }

    private Interval Bound(Expr e)
    {
        switch (e)
        {
            case ConstantExpr c:
                return Interval.Exactly(c.Value);
            case FactRef f:
                return Fact(f.Name);
            case LetRef l:
                return _lets.TryGetValue(l.Name, out var known) ? known : Throws();
            case ParamRef p:
                foreach (var k in p.Keys) Bound(k);
                _mayThrow = true; // unset, or set from C# to anything
                return AnyDecimal;
            case TableLookup t:
                return rule.Tables.FirstOrDefault(x => x.Name == t.Table) is { } table ? Hull(table.Cells.Select(c => c.Value)) : Throws();
            case BandLookup b:
                Fact(b.Fact);
                return rule.Bands.FirstOrDefault(x => x.Name == b.Band) is { } band ? Hull(band.Cases.Select(c => c.Value)) : Throws();
            case FunctionExpr f:
            {
                if (f.Arguments.IsEmpty) return Interval.Exactly(0m);
                var result = Bound(f.Arguments[0]);
                for (var i = 1; i < f.Arguments.Count; i++)
                {
                    var next = Bound(f.Arguments[i]);
                    result = f.Function switch
                    {
                        FunctionKind.Min => Interval.Min(result, next),
                        FunctionKind.Max => Interval.Max(result, next),
                        _ => Checked(result + next),
                    };
                }
                return result;
            }
            case BinaryExpr b:
            {
                var left = Bound(b.Left);
                var right = Bound(b.Right);
                return b.Operator switch
                {
                    BinaryKind.Add => Checked(left + right),
                    BinaryKind.Subtract => Checked(left - right),
                    BinaryKind.Multiply => Checked(left * right),
                    _ => Checked(left / right), // a divisor that may be 0 gives an unbounded quotient: may throw
                };
            }
            case NegateExpr n:
                return -Bound(n.Operand);
            case RateExpr r:
            {
                var amount = Interval.Exactly(r.Amount.ToBase().Value);
                var per = Interval.Exactly(r.Per.ToBase().Value);
                if (r.Base is null) return Checked(amount / per);
                var x = Bound(r.Base);
                if (r.Full) return Checked(Interval.Floor(Checked(x / per)) * amount);
                var product = x * amount;
                if (product.Low is null || product.High is null)
                {
                    // x × a may overflow: the rate divides first there (semantics §5); that may overflow too.
                    _overflowingRates.Add(r.Span);
                    return Checked(Checked(x / per) * amount);
                }
                return Checked(product / per);
            }
            case ConditionalExpr c:
                Test(c.Condition);
                return Interval.Hull(Bound(c.WhenTrue), Bound(c.WhenFalse));
            case ToPointsExpr t:
                return Checked(Bound(t.Money) / Interval.Exactly(t.MoneyPerPoint));
            case RuleAwardExpr a:
                foreach (var binding in a.Bindings) Bound(binding.Value);
                _mayThrow = true; // the other rule may report a problem (parameters set from C# may exceed its proven maximum)
                return AnyDecimal;
            case KeyExpr or DateExpr or FactValueRef:
                return Interval.Unbounded;
            default:
                return Throws();
        }
    }

    private Interval Throws()
    {
        _mayThrow = true;
        return Interval.Unbounded;
    }

    /// <summary>A validated fact in base units: [0, at most] (or any non-negative decimal) times its unit's scale.</summary>
    private Interval Fact(string name)
    {
        var fact = rule.FindFact(name);
        var value = new Interval(0m, fact?.AtMost ?? decimal.MaxValue);
        var scale = fact?.Unit?.Scale ?? 1m;
        return scale == 1m ? value : Checked(value * Interval.Exactly(scale));
    }

    private static Interval Hull(IEnumerable<decimal> values)
    {
        decimal low = 0m, high = 0m; // a missing cell or a band's gap is 0
        foreach (var v in values)
        {
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }
        return new Interval(low, high);
    }

    private void Test(Condition c)
    {
        switch (c)
        {
            case AndCondition a: Test(a.Left); Test(a.Right); break;
            case OrCondition o: Test(o.Left); Test(o.Right); break;
            case NotCondition n: Test(n.Operand); break;
            case CompareCondition k when ExprKinds.IsQuantityComparison(rule, k):
                Bound(k.Left);
                Bound(k.Right);
                break;
        }
    }
}
