using System.Globalization;
using System.Numerics;
using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Plan;

// The scaled-integer form of a rule's arithmetic: the pass between the checked model's decimal expression
// tree and the emitted C#. Every quantity is a whole number of 10^-Places base units held in a long (a fact
// in yuan at Places 2 is a number of fen); [Low, High] bounds that whole number. Every node is kept within
// a long and at most 28 places, so its value is also a decimal held exactly: each decimal operation of the
// reference semantics is then exact too, and the long arithmetic gives the same award digit for digit.

/// <summary>A value as a whole number of 10^-Places base units, Low ≤ that number ≤ High.</summary>
public abstract record Fixed(int Places, BigInteger Low, BigInteger High);

/// <summary>An input of the scaled evaluation (a converted fact, parameter or other rule's award), by its index in <see cref="FixedRule.Inputs"/>.</summary>
public sealed record FixedInputRef(int Input, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

/// <summary>The amount of the Number-th other rule's award read by this one (1-based).</summary>
public sealed record FixedAwardRef(int Number, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

/// <summary>A let, computed once before it is read.</summary>
public sealed record FixedLetRef(string Let, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

public sealed record FixedConstant(BigInteger Units, int Places) : Fixed(Places, Units, Units);

/// <summary>Operand × Factor: a constant factor, a rescale by a power of ten, or an exact division by 2^a·5^b.</summary>
public sealed record FixedScale(Fixed Operand, BigInteger Factor, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

public sealed record FixedAdd(Fixed Left, Fixed Right, bool Subtract, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

public sealed record FixedMultiply(Fixed Left, Fixed Right, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

public sealed record FixedNegate(Fixed Operand, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

public sealed record FixedMinMax(bool Max, EquatableArray<Fixed> Arguments, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

/// <summary>floor(Operand / Divisor) for a positive divisor: whole steps of a "per full" rate.</summary>
public sealed record FixedFloorDivide(Fixed Operand, BigInteger Divisor, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

public sealed record FixedIf(FixedCondition Condition, Fixed WhenTrue, Fixed WhenFalse, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

/// <summary>One cell of a table in scaled units.</summary>
public sealed record FixedCell(EquatableArray<string> Keys, BigInteger Units);

/// <summary>A table cell chosen by enum keys; a missing cell is 0.</summary>
public sealed record FixedSwitch(TableLookup Lookup, Table Table, EquatableArray<FixedCell> Cases, int Places, BigInteger Low, BigInteger High) : Fixed(Places, Low, High);

public abstract record FixedCondition;

/// <summary>Two quantities at the same places compared as longs.</summary>
public sealed record FixedCompare(Fixed Left, Comparison Operator, Fixed Right) : FixedCondition;

/// <summary>A condition without quantities (a yes/no fact, an enum level, a date), tested as the decimal path tests it.</summary>
public sealed record FixedTest(Condition Condition) : FixedCondition;

public sealed record FixedLogical(FixedCondition Left, FixedCondition Right, bool Or) : FixedCondition;

public sealed record FixedNot(FixedCondition Operand) : FixedCondition;

/// <summary>
/// A decimal input converted to a whole number of 10^-Places units at the start of the evaluation, or else the
/// evaluation takes the decimal path. Source is a fact, a parameter lookup or another rule's award; Max is the largest accepted.
/// </summary>
public sealed record FixedInput(FixedSource Source, int Places, BigInteger Max, string What);

public abstract record FixedSource;

public sealed record FactSource(string Fact) : FixedSource;

public sealed record ParameterSource(ParamRef Lookup, int Number) : FixedSource;

/// <summary>The amount of the Number-th other rule's award (1-based, in <see cref="FixedRule.OtherAwards"/>).</summary>
public sealed record AwardSource(int Number) : FixedSource;

/// <summary>Another rule's award read by this one: evaluated (Call), then converted like an input.</summary>
public sealed record FixedOtherAward(RuleAwardExpr Call, int Number, FixedInput Amount);

public sealed record FixedLet(string Let, Fixed Value);

public sealed record FixedRequirement(FixedCondition Condition, Requirement Requirement);

/// <summary>One rule in scaled integers: inputs, lets, requirements, formula and caps, all at the award's places.</summary>
public sealed record FixedRule(
    EquatableArray<FixedInput> Inputs,
    EquatableArray<FixedOtherAward> OtherAwards,
    EquatableArray<FixedLet> Lets,
    EquatableArray<FixedRequirement> Requirements,
    Fixed Formula,
    EquatableArray<Fixed> Caps,
    int Places,
    bool MayBeNegative,
    int EarlyOtherAwards)
{
    /// <summary>
    /// True when the scaled evaluation does arithmetic (a product, a sum, a rescale, whole steps, a negation) or reads
    /// another rule's award. False when it only converts its inputs, compares them and picks one (an amount set by a
    /// parameter or a table, constant caps): the decimal evaluation does the same few comparisons at the same cost, so
    /// the C# emitter writes one decimal body for it (issue 18: emit only what a rule needs).
    /// </summary>
    public bool DoesArithmetic =>
        !OtherAwards.IsEmpty || Lets.Any(l => Arithmetic(l.Value)) || Arithmetic(Formula) || Caps.Any(Arithmetic) ||
        Requirements.Any(r => Arithmetic(r.Condition));

    private static bool Arithmetic(Fixed value) => value switch
    {
        FixedScale or FixedAdd or FixedMultiply or FixedNegate or FixedFloorDivide => true,
        FixedMinMax m => m.Arguments.Any(Arithmetic),
        FixedIf i => Arithmetic(i.Condition) || Arithmetic(i.WhenTrue) || Arithmetic(i.WhenFalse),
        _ => false,
    };

    private static bool Arithmetic(FixedCondition condition) => condition switch
    {
        FixedCompare c => Arithmetic(c.Left) || Arithmetic(c.Right),
        FixedLogical l => Arithmetic(l.Left) || Arithmetic(l.Right),
        FixedNot n => Arithmetic(n.Operand),
        _ => false,
    };
}

/// <summary>
/// Lowers a checked rule to <see cref="FixedRule"/>, or says why it stays in decimal arithmetic. Inputs get a
/// fixed number of places (money: 0.01 yuan; other quantities: 0.01 of the declared unit; parameters: as many
/// as the implementation rules use, at least 4) and a largest accepted value chosen so that no node overflows a
/// long; an application outside that (more places, larger, negative, unset) takes the decimal path at run time.
/// </summary>
public sealed class FixedLowering
{
    /// <summary>The most decimal places a decimal holds.</summary>
    private const int MaxPlaces = 28;

    /// <summary>Tables with more cases than this are looked up in decimal, from an array (see <see cref="Table"/>).</summary>
    public const int MaxSwitchCases = 256;

    private static readonly BigInteger LongMax = long.MaxValue;

    private readonly Rule _rule;
    private readonly CheckedPolicy _policy;
    private readonly Func<Rule, FixedRule?> _lowerOther;
    private readonly BigInteger _budget;
    private readonly Dictionary<string, FixedInput> _inputs = new(StringComparer.Ordinal);
    private readonly List<FixedInput> _inputOrder = new();
    private readonly List<FixedOtherAward> _others = new();
    private readonly Dictionary<string, Fixed> _lets = new(StringComparer.Ordinal);

    private FixedLowering(CheckedPolicy policy, Rule rule, Func<Rule, FixedRule?> lowerOther, int digits)
    {
        _rule = rule;
        _policy = policy;
        _lowerOther = lowerOther;
        _budget = BigInteger.Pow(10, digits) - 1;
    }

    /// <summary>Thrown inside the lowering: the rule cannot be computed exactly in scaled integers.</summary>
    private sealed class NotExact(string reason) : Exception(reason);

    /// <summary>Thrown inside the lowering: with the current input bounds some node may overflow a long.</summary>
    private sealed class TooLarge : Exception;

    /// <summary>
    /// The rule in scaled integers with the largest input bounds (10^18 units down to 10^4) under which nothing
    /// overflows; null with the reason when an operation is not exact (a division by 3, rounding, a case by case award).
    /// </summary>
    public static FixedRule? Lower(CheckedPolicy policy, Rule rule, Func<Rule, FixedRule?> lowerOther, out string? reason)
    {
        reason = null;
        if (rule.Award.Formula is null) { reason = "a case-by-case award has no arithmetic"; return null; }
        if (rule.Rounding is not null) { reason = "rounding is done in decimal"; return null; }
        if (rule.Schedule is not null) { reason = "instalments at milestones (§27.7) are computed in decimal"; return null; }
        for (var digits = 18; digits >= 4; digits--)
        {
            try
            {
                return new FixedLowering(policy, rule, lowerOther, digits).LowerRule();
            }
            catch (TooLarge)
            {
            }
            catch (NotExact e)
            {
                reason = e.Message;
                return null;
            }
        }
        reason = "the intermediate values do not fit a long even for small inputs";
        return null;
    }

    private FixedRule LowerRule()
    {
        // Every quantity fact is converted (its conversion is also its validity test), then the lets in order.
        foreach (var fact in _rule.Facts.Where(f => f.Kind == FactKind.Quantity)) FactInput(fact);
        var lets = new List<FixedLet>();
        foreach (var let in _rule.Lets)
        {
            var value = Lower(let.Value);
            lets.Add(new FixedLet(let.Name, value));
            _lets[let.Name] = new FixedLetRef(let.Name, value.Places, value.Low, value.High);
        }
        var requirements = _rule.Requirements.Select(r => new FixedRequirement(Condition(r.Condition), r)).ToArray();
        var early = _others.Count; // awards read by lets or conditions are evaluated first; the rest only once the conditions hold
        var formula = Lower(_rule.Award.Formula!);
        var caps = _rule.Caps.Select(c => Lower(c.Limit)).ToArray();
        var places = caps.Select(c => c.Places).Append(formula.Places).Max();
        formula = Align(formula, places);
        caps = caps.Select(c => Align(c, places)).ToArray();
        var low = caps.Select(c => c.Low).Append(formula.Low).Min();
        return new FixedRule(_inputOrder.ToEquatableArray(), _others.ToEquatableArray(), lets.ToEquatableArray(), requirements.ToEquatableArray(),
            formula, caps.ToEquatableArray(), places, low < 0, early);
    }

    // ---------- inputs ----------

    /// <summary>Places of a fact in its declared unit: 0.01 of the base unit (fen for money), 0.01 of a unit that is not a power of ten (a year).</summary>
    private static int FactPlaces(Fact fact)
    {
        var (mantissa, exponent) = Normalize(fact.Unit?.Scale ?? 1m);
        return mantissa == 1 ? Math.Max(2, 2 - exponent) : 2;
    }

    private FixedInput FactInput(Fact fact)
    {
        if (_inputs.TryGetValue("fact:" + fact.Name, out var known)) return known;
        var places = FactPlaces(fact);
        var max = _budget;
        if (fact.AtMost is { } most) max = BigInteger.Min(max, Floor(most, places));
        if (max.Sign < 0) throw new NotExact("fact " + fact.Name + " is bounded below 0");
        var input = new FixedInput(new FactSource(fact.Name), places, max, "fact " + fact.Name + " in " + UnitText(places, fact.Unit?.ToString() ?? ""));
        _inputs["fact:" + fact.Name] = input;
        _inputOrder.Add(input);
        return input;
    }

    private FixedInput ParameterInput(ParamRef p)
    {
        // One input per parameter cell read: the lookup's name and keys (not where it is written).
        var lookup = p.Name + "[" + string.Join(",", p.Keys.Select(k => k switch { KeyExpr key => "=" + key.Key, FactValueRef f => f.Name, FactRef f => f.Name, _ => "?" })) + "]";
        if (_inputs.TryGetValue("param:" + lookup, out var known)) return known;
        var parameter = _rule.FindParameter(p.Name) ?? throw new NotExact("unknown parameter " + p.Name);
        var places = Math.Max(4, parameter.Values.Select(v => Normalize(v.Value).Exponent).DefaultIfEmpty(0).Max());
        if (places > MaxPlaces) throw new NotExact("parameter " + p.Name + " has more than 28 decimal places");
        var max = _budget;
        if (parameter.AtMost is { } most) max = BigInteger.Min(max, Floor(most, places));
        if (max.Sign < 0) throw new NotExact("parameter " + p.Name + " is bounded below 0");
        var number = _inputs.Count(i => i.Key.StartsWith("param:", StringComparison.Ordinal)) + 1;
        var input = new FixedInput(new ParameterSource(p, number), places, max, "parameter " + p.Name + " in " + UnitText(places, UnitName(parameter.Unit)));
        _inputs["param:" + lookup] = input;
        _inputOrder.Add(input);
        return input;
    }

    private Fixed OtherAward(RuleAwardExpr a)
    {
        var other = _policy.FindRule(a.Rule) ?? throw new NotExact("unknown rule " + a.Rule);
        if (other.ProvenMaximum is not { } maximum || maximum < 0m) throw new NotExact("rule " + a.Rule + " has no proven maximum");
        if (a.Bindings.Any(b => b.Value is not (FactRef or FactValueRef or KeyExpr or ConstantExpr or DateExpr)))
            throw new NotExact("a fact of rule " + a.Rule + " is bound to a computed value");
        var plan = _lowerOther(other) ?? throw new NotExact("rule " + a.Rule + " is computed in decimal");
        var n = _others.Count + 1;
        var input = new FixedInput(new AwardSource(n), plan.Places, Floor(maximum, plan.Places),
            "the award of rule " + a.Rule + " in " + UnitText(plan.Places, UnitName(other.Award.Formula?.Unit ?? Unit.Dimensionless)));
        _others.Add(new FixedOtherAward(a, n, input));
        return new FixedAwardRef(n, input.Places, 0, input.Max);
    }

    private static string UnitName(Unit unit) => unit.Base.IsDimensionless ? "" : unit.Base.ToString();

    // ---------- expressions ----------

    private Fixed Lower(Expr e)
    {
        switch (e)
        {
            case ConstantExpr c:
                return Constant(c.Value);
            case FactRef f:
            {
                var fact = _rule.FindFact(f.Name) ?? throw new NotExact("unknown fact " + f.Name);
                if (fact.Kind != FactKind.Quantity) throw new NotExact("fact " + f.Name + " is not a quantity");
                var input = FactInput(fact);
                Fixed value = new FixedInputRef(_inputOrder.IndexOf(input), input.Places, 0, input.Max);
                // In base units: × the declared unit's scale (a year is 12 months, 万元 is 10^4 yuan: places only).
                var (mantissa, exponent) = Normalize(fact.Unit?.Scale ?? 1m);
                return Scale(value, mantissa, value.Places + exponent);
            }
            case ParamRef p:
            {
                var input = ParameterInput(p);
                return new FixedInputRef(_inputOrder.IndexOf(input), input.Places, 0, input.Max);
            }
            case LetRef l:
                return _lets.TryGetValue(l.Name, out var let) ? let : throw new NotExact("let " + l.Name + " is read before it is set");
            case TableLookup t:
                return Table(t);
            case FunctionExpr f:
            {
                if (f.Arguments.IsEmpty) return Constant(0m);
                var args = f.Arguments.Select(Lower).ToArray();
                var places = args.Max(a => a.Places);
                args = args.Select(a => Align(a, places)).ToArray();
                if (f.Function == FunctionKind.Sum)
                    return args.Skip(1).Aggregate(args[0], (sum, next) => Add(sum, next, subtract: false));
                var max = f.Function == FunctionKind.Max;
                var low = max ? args.Max(a => a.Low) : args.Min(a => a.Low);
                var high = max ? args.Max(a => a.High) : args.Min(a => a.High);
                return Check(new FixedMinMax(max, args.ToEquatableArray(), places, low, high));
            }
            case BinaryExpr b:
            {
                var left = Lower(b.Left);
                switch (b.Operator)
                {
                    case BinaryKind.Add:
                    case BinaryKind.Subtract:
                    {
                        var right = Lower(b.Right);
                        var places = Math.Max(left.Places, right.Places);
                        return Add(Align(left, places), Align(right, places), b.Operator == BinaryKind.Subtract);
                    }
                    case BinaryKind.Multiply:
                        return Multiply(left, Lower(b.Right));
                    default:
                        if (b.Right is not ConstantExpr divisor) throw new NotExact("division by a value that is not a constant");
                        return Divide(left, divisor.Value);
                }
            }
            case NegateExpr n:
            {
                var operand = Lower(n.Operand);
                return Check(new FixedNegate(operand, operand.Places, -operand.High, -operand.Low));
            }
            case RateExpr r:
                return Rate(r);
            case ConditionalExpr c:
            {
                var condition = Condition(c.Condition);
                var whenTrue = Lower(c.WhenTrue);
                var whenFalse = Lower(c.WhenFalse);
                var places = Math.Max(whenTrue.Places, whenFalse.Places);
                whenTrue = Align(whenTrue, places);
                whenFalse = Align(whenFalse, places);
                return Check(new FixedIf(condition, whenTrue, whenFalse, places, BigInteger.Min(whenTrue.Low, whenFalse.Low), BigInteger.Max(whenTrue.High, whenFalse.High)));
            }
            case ToPointsExpr t:
                return Divide(Lower(t.Money), t.MoneyPerPoint);
            case RuleAwardExpr a:
                return OtherAward(a);
            default:
                throw new NotExact("a " + e.GetType().Name + " is computed in decimal");
        }
    }

    private Fixed Rate(RateExpr r)
    {
        var amount = r.Amount.ToBase().Value;
        var per = r.Per.ToBase().Value;
        if (per <= 0m) throw new NotExact("a rate per a value that is not positive");
        if (r.Base is null) return Divide(Constant(amount), per);
        var x = Lower(r.Base);
        if (!r.Full) return Divide(Multiply(x, Constant(amount)), per); // x × a / n: multiply first, as the decimal code does
        // floor(x / n) × a. x / n = N × 10^(e-k) / M: whole steps are an integer division, exact for any M. The decimal
        // quotient may round at its 28th digit, but a quotient that is not whole is at least 1 / (M × 10^(k-e)) below the
        // next whole number, far more than that rounding for any quotient of a long; so floor gives the same steps.
        var (m, e) = Normalize(per);
        var steps = e >= x.Places
            ? FloorDivide(Scale(x, BigInteger.Pow(10, e - x.Places), 0), m)
            : FloorDivide(x, m * BigInteger.Pow(10, x.Places - e));
        return Multiply(steps, Constant(amount));
    }

    private Fixed Table(TableLookup t)
    {
        var table = _rule.Tables.FirstOrDefault(x => x.Name == t.Table) ?? throw new NotExact("unknown table " + t.Table);
        if (table.Dimensions.Count != t.Keys.Count) throw new NotExact("table " + t.Table + " is read with the wrong number of keys");
        // A large table is an array lookup in the decimal code (RuleEmitter.EmitTable); a switch of that many arms is
        // work for the C# compiler that grows faster than the table (100,000 cases overflowed its stack).
        if (table.Cells.Count > MaxSwitchCases) throw new NotExact("table " + t.Table + " has more than " + MaxSwitchCases + " cases");
        var places = table.Cells.Select(c => Math.Max(0, Normalize(c.Value).Exponent)).DefaultIfEmpty(0).Max();
        if (places > MaxPlaces) throw new NotExact("a cell of table " + t.Table + " has more than 28 decimal places");
        var cases = new List<FixedCell>();
        BigInteger low = 0, high = 0;
        foreach (var cell in table.Cells)
        {
            var units = Floor(cell.Value, places);
            cases.Add(new FixedCell(cell.Keys, units));
            low = BigInteger.Min(low, units);
            high = BigInteger.Max(high, units);
        }
        return Check(new FixedSwitch(t, table, cases.ToEquatableArray(), places, low, high));
    }

    // ---------- conditions ----------

    private FixedCondition Condition(Condition c)
    {
        switch (c)
        {
            case AndCondition a:
                return new FixedLogical(Condition(a.Left), Condition(a.Right), Or: false);
            case OrCondition o:
                return new FixedLogical(Condition(o.Left), Condition(o.Right), Or: true);
            case NotCondition n:
                return new FixedNot(Condition(n.Operand));
            case CompareCondition k when ExprKinds.IsQuantityComparison(_rule, k):
            {
                var left = Lower(k.Left);
                var right = Lower(k.Right);
                var places = Math.Max(left.Places, right.Places);
                return new FixedCompare(Align(left, places), k.Operator, Align(right, places));
            }
            default:
                return new FixedTest(c);
        }
    }

    // ---------- arithmetic, each node checked ----------

    private static Fixed Constant(decimal value)
    {
        var (mantissa, exponent) = Normalize(value);
        return exponent >= 0 ? Check(new FixedConstant(mantissa, exponent)) : Check(new FixedConstant(mantissa * BigInteger.Pow(10, -exponent), 0));
    }

    /// <summary>The same value at more places (a whole number times 10^(places - Places)).</summary>
    private static Fixed Align(Fixed x, int places) =>
        places == x.Places ? x : Scale(x, BigInteger.Pow(10, places - x.Places), places);

    private static Fixed Scale(Fixed x, BigInteger factor, int places)
    {
        if (places < 0) // never below whole base units: multiply the power of ten out
        {
            factor *= BigInteger.Pow(10, -places);
            places = 0;
        }
        if (factor.IsOne && places == x.Places) return x;
        if (BigInteger.Abs(factor) > LongMax) throw new TooLarge();
        if (x is FixedConstant c) return Check(new FixedConstant(c.Units * factor, places));
        var (low, high) = Corners(x.Low * factor, x.High * factor);
        return Check(new FixedScale(x, factor, places, low, high));
    }

    private static Fixed Add(Fixed left, Fixed right, bool subtract)
    {
        var low = subtract ? left.Low - right.High : left.Low + right.Low;
        var high = subtract ? left.High - right.Low : left.High + right.High;
        return Check(new FixedAdd(left, right, subtract, left.Places, low, high));
    }

    private static Fixed Multiply(Fixed left, Fixed right)
    {
        if (right is FixedConstant rc) return Scale(left, rc.Units, left.Places + rc.Places);
        if (left is FixedConstant lc) return Scale(right, lc.Units, right.Places + lc.Places);
        var corners = new[] { left.Low * right.Low, left.Low * right.High, left.High * right.Low, left.High * right.High };
        return Check(new FixedMultiply(left, right, left.Places + right.Places, corners.Min(), corners.Max()));
    }

    /// <summary>
    /// x / c for a constant c = M × 10^-e. Exact only when M has no prime factor but 2 and 5: then x / c is
    /// x × (10^j / M) at j more places (j the larger of the powers of 2 and 5). Otherwise the decimal quotient
    /// is rounded at its 28th digit, which no long reproduces: the rule stays in decimal.
    /// </summary>
    private static Fixed Divide(Fixed x, decimal c)
    {
        if (c == 0m) throw new NotExact("a division by zero");
        var (m, e) = Normalize(c);
        var rest = BigInteger.Abs(m);
        int twos = 0, fives = 0;
        while (rest % 2 == 0) { rest /= 2; twos++; }
        while (rest % 5 == 0) { rest /= 5; fives++; }
        if (!rest.IsOne) throw new NotExact("a division by " + c.ToString(CultureInfo.InvariantCulture) + " is not exact in decimal places");
        var j = Math.Max(twos, fives);
        return Scale(x, BigInteger.Pow(10, j) / m, x.Places - e + j);
    }

    private static Fixed FloorDivide(Fixed x, BigInteger divisor) =>
        divisor.Sign <= 0 || divisor > LongMax ? throw new NotExact("a step that is not a positive long") : Check(new FixedFloorDivide(x, divisor, 0, FloorDiv(x.Low, divisor), FloorDiv(x.High, divisor)));

    private static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        var q = BigInteger.DivRem(a, b, out var r);
        return r.Sign != 0 && (r.Sign < 0) != (b.Sign < 0) ? q - 1 : q;
    }

    private static (BigInteger, BigInteger) Corners(BigInteger a, BigInteger b) => a <= b ? (a, b) : (b, a);

    /// <summary>A node whose value may leave a long, or a decimal's 28 places, is refused.</summary>
    private static Fixed Check(Fixed node)
    {
        if (node.Places > MaxPlaces) throw new NotExact("more than 28 decimal places are needed");
        if (node.High > LongMax || node.Low < -LongMax) throw new TooLarge();
        return node;
    }

    /// <summary>A decimal as M × 10^-Exponent with M free of trailing zeros (Exponent may be negative: 5000 is 5 × 10^3).</summary>
    /// <summary>"0.01 yuan" for a unit at places: what one whole number of the scaled value is.</summary>
    public static string UnitText(int places, string unit) =>
        (places == 0 ? "1" : "0." + new string('0', places - 1) + "1") + (unit.Length == 0 ? "" : " " + unit);

    internal static (BigInteger Mantissa, int Exponent) Normalize(decimal value)
    {
        var bits = decimal.GetBits(value);
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        var exponent = (bits[3] >> 16) & 0xFF;
        if (bits[3] < 0) mantissa = -mantissa;
        if (mantissa.IsZero) return (0, 0);
        while (mantissa % 10 == 0) { mantissa /= 10; exponent--; }
        return (mantissa, exponent);
    }

    /// <summary>floor(value × 10^places) for a non-negative bound.</summary>
    private static BigInteger Floor(decimal value, int places)
    {
        var (mantissa, exponent) = Normalize(value);
        var shift = places - exponent;
        return shift >= 0 ? mantissa * BigInteger.Pow(10, shift) : FloorDiv(mantissa, BigInteger.Pow(10, -shift));
    }
}

