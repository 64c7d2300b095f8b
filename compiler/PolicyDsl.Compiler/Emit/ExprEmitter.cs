using System.Globalization;
using System.Numerics;
using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Emit;

/// <summary>
/// Turns the checked expression tree of one rule into C# decimal expressions. Values are in base units:
/// a fact declared in a scaled unit (万元, years) is multiplied by its scale where it is read.
/// Rates multiply first (x × a / n), "per full" takes whole steps (floor(x / n) × a), as the semantics say.
/// </summary>
internal sealed class ExprEmitter
{
    private readonly CheckedPolicy _policy;
    private readonly Rule _rule;
    private readonly RulePlan _plan;
    private readonly PolicyNames _all;
    private readonly RuleNames _names;
    private readonly string _facts;
    private readonly string _parameters;
    private readonly Dictionary<ParamRef, string> _paramLocals = new();
    private readonly List<(string Local, string Expression, string Display)> _lookups = new();

    public ExprEmitter(CheckedPolicy policy, Rule rule, PolicyNames all, string facts, string parameters)
    {
        _policy = policy;
        _rule = rule;
        _plan = RulePlanner.For(policy, rule);
        _all = all;
        _names = all.Rules[rule.Name];
        _facts = facts;
        _parameters = parameters;

        // Every parameter lookup the award reads gets a local, checked for "not set" before use.
        var exprs = _rule.Lets.Select(l => l.Value).Concat(_rule.Requirements.SelectMany(r => RulePlanner.Operands(r.Condition))).Concat(_rule.Caps.Select(c => c.Limit));
        if (_rule.Award.Formula is { } formula) exprs = exprs.Prepend(formula);
        foreach (var p in Walk(exprs).OfType<ParamRef>())
        {
            if (_paramLocals.ContainsKey(p)) continue;
            var local = "param" + (_paramLocals.Count + 1).ToString(CultureInfo.InvariantCulture);
            _paramLocals[p] = local;
            _lookups.Add((local, Lookup(p), p.Name + (p.Keys.IsEmpty ? "" : "[" + string.Join(", ", p.Keys.Select(Display)) + "]")));
        }
    }

    public IReadOnlyList<(string Local, string Expression, string Display)> ParameterLookups() => _lookups;

    /// <summary>The C# (a decimal?) that looks the parameter up.</summary>
    public string ParameterLookup(ParamRef p) => Lookup(p);

    private string Lookup(ParamRef p)
    {
        var member = _names.ParamMembers[p.Name];
        return p.Keys.IsEmpty ? _parameters + "." + member : _parameters + "." + member + "(" + string.Join(", ", p.Keys.Select(Key)) + ")";
    }

    private static string Display(Expr e) => e switch
    {
        FactValueRef f => f.Name,
        FactRef f => f.Name,
        KeyExpr k => k.Key,
        _ => "…",
    };

    // ---------- expressions ----------

    public string Expression(Expr e) => e switch
    {
        ConstantExpr c => CSharpText.DecimalLiteral(c.Value),
        FactRef f => FactQuantity(f.Name),
        ParamRef p => "(" + (_paramLocals.TryGetValue(p, out var local) ? local : Lookup(p)) + " ?? throw new global::PolicyDsl.Runtime.EvaluationProblemException(" +
            CSharpText.StringLiteral(PlanTexts.ParameterUnset(_rule.Name, p.Name, p.Keys.IsEmpty ? "" : "[…]")) + "))",
        LetRef l => _names.Lets[l.Name],
        TableLookup t => _names.Tables[t.Table] + "(" + string.Join(", ", t.Keys.Select(Key)) + ")",
        BandLookup b => _names.Bands[b.Band] + "(" + FactQuantity(b.Fact) + ")",
        FunctionExpr f => Function(f),
        BinaryExpr b => "(" + Expression(b.Left) + " " + Operator(b.Operator) + " " + Expression(b.Right) + ")",
        NegateExpr n => "(-" + Expression(n.Operand) + ")",
        RateExpr r => Rate(r),
        ConditionalExpr c => "(" + Condition(c.Condition) + " ? " + Expression(c.WhenTrue) + " : " + Expression(c.WhenFalse) + ")",
        ToPointsExpr t => "(" + Expression(t.Money) + " / " + CSharpText.DecimalLiteral(t.MoneyPerPoint) + ")",
        RuleAwardExpr a => OtherRule(a),
        FactValueRef v => _facts + "." + _names.FactMembers[v.Name],
        _ => throw new NotSupportedException("Cannot emit " + e.GetType().Name),
    };

    private string FactQuantity(string name)
    {
        var member = _facts + "." + _names.FactMembers[name];
        var scale = _rule.FindFact(name)?.Unit?.Scale ?? 1m;
        return scale == 1m ? member : "(" + member + " * " + CSharpText.DecimalLiteral(scale) + ")";
    }

    private static string Operator(BinaryKind op) => op switch
    {
        BinaryKind.Add => "+",
        BinaryKind.Subtract => "-",
        BinaryKind.Multiply => "*",
        _ => "/",
    };

    private string Function(FunctionExpr f)
    {
        var args = f.Arguments.Select(Expression).ToArray();
        if (args.Length == 0) return "0m";
        if (f.Function == FunctionKind.Sum) return "(" + string.Join(" + ", args) + ")";
        var method = f.Function == FunctionKind.Min ? "global::System.Math.Min" : "global::System.Math.Max";
        var result = args[0];
        for (var i = 1; i < args.Length; i++) result = method + "(" + result + ", " + args[i] + ")";
        return result;
    }

    private string Rate(RateExpr r)
    {
        var amount = CSharpText.DecimalLiteral(r.Amount.ToBase().Value);
        var per = CSharpText.DecimalLiteral(r.Per.ToBase().Value);
        if (r.Base is null) return "(" + amount + " / " + per + ")";
        var x = Expression(r.Base);
        if (!r.Full && IsOne(r.Per.ToBase().Value)) return "(" + x + " * " + amount + ")"; // x / 1m is x, digit for digit
        if (r.Full) return "(global::System.Math.Floor(" + x + " / " + per + ") * " + amount + ")";
        // Where x × a may overflow (the plan says), divide first on overflow as the reference evaluator does (a runtime helper).
        return _plan.RateMayOverflow(r)
            ? "global::PolicyDsl.Runtime.DecimalRate.Proportional(" + x + ", " + amount + ", " + per + ")"
            : "(" + x + " * " + amount + " / " + per + ")";
    }

    private string OtherRule(RuleAwardExpr a) => "global::PolicyDsl.Runtime.Award.AmountOf(" + OtherRuleEvaluation(a) + ")";

    /// <summary>The call that evaluates another rule's award with some of its facts bound to values of this rule.</summary>
    public string OtherRuleEvaluation(RuleAwardExpr a)
    {
        var other = _all.FindRule(a.Rule) ?? throw new InvalidOperationException("Unknown rule " + a.Rule);
        var names = _all.Rules[other.Name];
        var inits = new List<string>();
        foreach (var binding in a.Bindings)
        {
            var fact = other.FindFact(binding.Fact);
            if (fact is null) continue;
            inits.Add(names.FactMembers[fact.Name] + " = " + Bound(fact, other, names, binding.Value));
        }
        return names.Class + ".Evaluate(new " + names.Facts + " { " + string.Join(", ", inits) + " }, " + names.Parameters + ".FromRules)";
    }

    /// <summary>
    /// The call of another rule's scaled entry point (§26.2) with its facts bound to this rule's scaled facts, keys and
    /// dates (what <see cref="ScaledEntry"/> allows), its amount into <paramref name="amount"/>.
    /// </summary>
    public string OtherRuleScaledEvaluation(RuleAwardExpr a, string amount)
    {
        var other = _all.FindRule(a.Rule) ?? throw new InvalidOperationException("Unknown rule " + a.Rule);
        var names = _all.Rules[other.Name];
        var otherPlan = RulePlanner.For(_policy, other).Scaled;
        var inits = new List<string>();
        foreach (var binding in a.Bindings)
        {
            var fact = other.FindFact(binding.Fact);
            if (fact is null) continue;
            var value = fact.Kind != FactKind.Quantity ? Bound(fact, other, names, binding.Value)
                : binding.Value is FactRef f ? _facts + "." + _names.FactMembers[f.Name]
                : binding.Value is ConstantExpr c && ScaledEntry.Constant(c.Value, fact, otherPlan is null ? null : ScaledEntry.Places(otherPlan, fact.Name)) is { } units
                    ? FixedEmitter.Long(units)
                : throw new InvalidOperationException("ScaledEntry.Takes admits no other binding");
            inits.Add(names.FactMembers[fact.Name] + " = " + value);
        }
        return names.Class + ".TryEvaluateScaled(new " + names.ScaledFacts + " { " + string.Join(", ", inits) + " }, out long " + amount + ")"; // the overload of the rules' own parameters
    }

    /// <summary>A value for another rule's fact, in that fact's declared unit and type.</summary>
    private string Bound(Fact target, Rule other, RuleNames names, Expr value)
    {
        switch (target.Kind)
        {
            case FactKind.Quantity:
                var scale = target.Unit?.Scale ?? 1m;
                if (scale != 1m && value is ConstantExpr constant && Folded(() => constant.Value / scale) is { } folded)
                    return CSharpText.DecimalLiteral(folded); // the same decimal division, done once here
                var x = Expression(value);
                return scale == 1m ? x : "(" + x + " / " + CSharpText.DecimalLiteral(scale) + ")";
            case FactKind.YesNo:
                return value switch
                {
                    KeyExpr k => IsYes(k.Key) ? "true" : "false",
                    FactRef f => _facts + "." + _names.FactMembers[f.Name],
                    FactValueRef f => _facts + "." + _names.FactMembers[f.Name],
                    _ => Expression(value) + " != 0m",
                };
            case FactKind.Date:
                return value is DateExpr d ? Date(d.Date) : Expression(value);
            default:
                var enumType = names.Class + "." + names.Enums[target.Name];
                if (value is KeyExpr key) return enumType + "." + names.EnumMembers[(target.Name, key.Key)];
                return "(" + enumType + ")(int)" + Expression(value);
        }
    }

    private static decimal? Folded(Func<decimal> operation)
    {
        try { return operation(); }
        catch (ArithmeticException) { return null; } // left to run time, where it becomes the award's problem
    }

    /// <summary>1 with no decimal places: dividing by it returns the dividend unchanged (scale included).</summary>
    private static bool IsOne(decimal d) => d == 1m && ((decimal.GetBits(d)[3] >> 16) & 0xFF) == 0;

    private static bool IsYes(string key) => key is "yes" or "true" or "是";

    private static string Date(DateOnly d) => "new global::System.DateOnly(" + d.Year.ToString(CultureInfo.InvariantCulture) + ", " +
                                             d.Month.ToString(CultureInfo.InvariantCulture) + ", " + d.Day.ToString(CultureInfo.InvariantCulture) + ")";

    /// <summary>An enum key as C#: a fact read as itself, or a member named in the source.</summary>
    public string KeyText(Expr e) => Key(e);

    /// <summary>An enum member of a fact as C# (Rule.Enum.Member).</summary>
    public string EnumMemberText(string fact, string key) => _names.Class + "." + _names.Enums[fact] + "." + _names.EnumMembers[(fact, key)];

    /// <summary>True when the comparison is between quantities (not yes/no, enum or date values).</summary>

    public static string OperatorText(Comparison op) => op switch
    {
        Comparison.GreaterOrEqual => ">=",
        Comparison.LessOrEqual => "<=",
        Comparison.Greater => ">",
        Comparison.Less => "<",
        Comparison.Equal => "==",
        _ => "!=",
    };

    /// <summary>An enum key argument: a fact read as itself, or a member named in the source.</summary>
    private string Key(Expr e) => e switch
    {
        FactValueRef f => _facts + "." + _names.FactMembers[f.Name],
        FactRef f => _facts + "." + _names.FactMembers[f.Name],
        _ => Expression(e),
    };

    // ---------- conditions ----------

    public string Condition(Condition c) => c switch
    {
        FactIsTrue t => _facts + "." + _names.FactMembers[t.Fact],
        AndCondition a => "(" + Condition(a.Left) + " && " + Condition(a.Right) + ")",
        OrCondition o => "(" + Condition(o.Left) + " || " + Condition(o.Right) + ")",
        NotCondition n => "!(" + Condition(n.Operand) + ")",
        CompareCondition k => Compare(k),
        _ => throw new NotSupportedException("Cannot emit " + c.GetType().Name),
    };

    private string Compare(CompareCondition k)
    {
        var op = OperatorText(k.Operator);
        var enumFact = EnumFactOf(k.Left) ?? EnumFactOf(k.Right);
        if (enumFact is not null)
        {
            if (enumFact.Kind == FactKind.Level)
            {
                // Every rank a whole number: the enum's values are the ranks, so compare ints (no decimal conversion).
                if (IntRank(enumFact, k.Left) is { } left && IntRank(enumFact, k.Right) is { } right)
                    return "(" + left + " " + op + " " + right + ")";
                return "(" + Rank(enumFact, k.Left) + " " + op + " " + Rank(enumFact, k.Right) + ")";
            }
            return "(" + Member(enumFact, k.Left) + " " + op + " " + Member(enumFact, k.Right) + ")";
        }
        var yesNo = YesNoFactOf(k.Left) ?? YesNoFactOf(k.Right);
        if (yesNo is not null)
            return "(" + Truth(k.Left) + " " + op + " " + Truth(k.Right) + ")";
        if (k.Left is FactRef lf && k.Right is ConstantExpr rc && FoldedCompare(lf, op, rc.Value) is { } folded) return folded;
        if (k.Right is FactRef rf && k.Left is ConstantExpr lc && FoldedCompare(rf, Mirror(op), lc.Value) is { } mirrored) return mirrored;
        return "(" + Operand(k.Left) + " " + op + " " + Operand(k.Right) + ")";
    }

    private static string Mirror(string op) => op switch { ">=" => "<=", "<=" => ">=", ">" => "<", "<" => ">", _ => op };

    /// <summary>
    /// A fact in a scaled unit (years, 万元) against a constant in base units, compared in the fact's own unit: x × s op c
    /// as x op c / s, when c / s is exact and x × s op c cannot come out differently (s a power of ten multiplies exactly; for
    /// another whole s the product's rounding is smaller than s × 1e-28, the least two facts differ by). Where x × s may
    /// overflow (x above a safe bound) the original product is computed, so that it fails as it would have.
    /// </summary>
    private string? FoldedCompare(FactRef fact, string op, decimal c)
    {
        var declared = _rule.FindFact(fact.Name);
        var scale = declared?.Unit?.Scale ?? 1m;
        if (scale <= 1m || scale != decimal.Truncate(scale) || op is not (">=" or "<=" or ">" or "<")) return null;
        decimal q;
        try
        {
            q = c / scale;
            if (q * scale != c) return null;
        }
        catch (ArithmeticException) { return null; }
        var powerOfTen = IsPowerOfTen(scale);
        // Exact arithmetic only (BigInteger over the decimals' integer digits), so that the fold is decided the same on every machine.
        var s = new BigInteger(scale);
        if (!powerOfTen && c != 0m)
        {
            // The result's last digit near |c|: 10^-S with S the most decimal places a value of that size can have
            // (|c| × 1.0001 × 10^S below 7.9e28); the fold needs s × 1e-28 above half of it.
            var (cDigits, cPlaces) = Digits(Math.Abs(c));
            var places = 28;
            while (places > 0 && cDigits * 10001 * BigInteger.Pow(10, places) >= 79 * BigInteger.Pow(10, 27 + 4 + cPlaces)) places--;
            if (!(2 * s * BigInteger.Pow(10, places) > BigInteger.Pow(10, 28))) return null;
        }
        var member = _facts + "." + _names.FactMembers[fact.Name];
        var original = "(" + FactQuantity(fact.Name) + " " + op + " " + CSharpText.DecimalLiteral(c) + ")";
        var simple = "(" + member + " " + op + " " + CSharpText.DecimalLiteral(q) + ")";
        if (declared?.AtMost is { } most)
        {
            // |most| × s below 7.9e28: no fact value's product can overflow.
            var (mDigits, mPlaces) = Digits(Math.Abs(most));
            if (mDigits * s < 79 * BigInteger.Pow(10, 27 + mPlaces)) return simple;
        }
        // Below this bound x × s cannot overflow; above it the product is computed as written: the leading digit of
        // decimal.MaxValue / s / 10, followed by zeros.
        var safe = new BigInteger(decimal.MaxValue) / (s * 10);
        var magnitude = BigInteger.Pow(10, safe.ToString(CultureInfo.InvariantCulture).Length - 1);
        var bound = (decimal)(safe / magnitude * magnitude);
        if (!(Math.Abs(q) < bound)) return null;
        var boundText = CSharpText.DecimalLiteral(bound);
        return op is ">=" or ">"
            ? "(" + simple + " && (" + member + " <= " + boundText + " || " + original + "))"
            : "(" + simple + " || (" + member + " > " + boundText + " && " + original + "))";
    }

    /// <summary>A non-negative decimal as its integer digits and decimal places: 1.25 is (125, 2).</summary>
    private static (BigInteger Digits, int Places) Digits(decimal value)
    {
        var bits = decimal.GetBits(value);
        var digits = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        return (digits, (bits[3] >> 16) & 0xFF);
    }

    private static bool IsPowerOfTen(decimal d)
    {
        while (d >= 10m && d % 10m == 0m) d /= 10m;
        return d == 1m;
    }

    private string Operand(Expr e) => e switch
    {
        DateExpr d => Date(d.Date),
        DateShiftExpr s => "global::PolicyDsl.Runtime.EventWindows.AddMonths(" + Operand(s.Date) + ", " + s.Months.ToString(CultureInfo.InvariantCulture) + ")",
        FactValueRef f => _facts + "." + _names.FactMembers[f.Name],
        _ => Expression(e),
    };

    private Fact? EnumFactOf(Expr e) => ExprKinds.EnumFactOf(_rule, e);

    private Fact? YesNoFactOf(Expr e) => ExprKinds.YesNoFactOf(_rule, e);

    private string Truth(Expr e) => e switch
    {
        KeyExpr k => IsYes(k.Key) ? "true" : "false",
        FactValueRef f => _facts + "." + _names.FactMembers[f.Name],
        FactRef f => _facts + "." + _names.FactMembers[f.Name],
        _ => Expression(e) + " != 0m",
    };

    /// <summary>A level's rank: the enum's value is the rank, so a fact reads as (int) and a key as its number.</summary>
    private string Rank(Fact fact, Expr e)
    {
        switch (e)
        {
            case KeyExpr k:
                var member = fact.FindMember(k.Key);
                return member?.Rank is { } rank ? CSharpText.DecimalLiteral(rank) : CSharpText.DecimalLiteral(decimal.Parse(k.Key, CultureInfo.InvariantCulture));
            case ConstantExpr c:
                return CSharpText.DecimalLiteral(c.Value);
            default:
                return "(decimal)(int)" + Key(e);
        }
    }

    /// <summary>A level's rank as an int expression, when every member's rank and the compared constant are ints; else null.</summary>
    private string? IntRank(Fact fact, Expr e)
    {
        static bool IsInt(decimal d) => d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue;
        if (fact.Members.IsEmpty || !fact.Members.All(m => m.Rank is { } r && IsInt(r))) return null;
        decimal value;
        switch (e)
        {
            case KeyExpr k:
                if (fact.FindMember(k.Key)?.Rank is { } rank) value = rank;
                else if (!decimal.TryParse(k.Key, NumberStyles.Number, CultureInfo.InvariantCulture, out value)) return null;
                break;
            case ConstantExpr c:
                value = c.Value;
                break;
            case FactValueRef v when v.Name == fact.Name:
                return "(int)" + Key(e);
            case FactRef f when f.Name == fact.Name:
                return "(int)" + Key(e);
            default:
                return null;
        }
        return IsInt(value) ? CSharpText.IntLiteral((int)value) : null;
    }

    private string Member(Fact fact, Expr e) => e switch
    {
        KeyExpr k => _names.Class + "." + _names.Enums[fact.Name] + "." + _names.EnumMembers[(fact.Name, k.Key)],
        _ => Key(e),
    };

    /// <summary>Every node under the roots, without recursion (the depth of the input sets none).</summary>
    private static IEnumerable<Expr> Walk(IEnumerable<Expr> roots)
    {
        var stack = new Stack<Expr>(roots.Reverse());
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            yield return e;
            foreach (var child in RulePlanner.Children(e).Reverse()) stack.Push(child);
        }
    }
}
