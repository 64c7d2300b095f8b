using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Emit.JavaScript;

/// <summary>A policy printed as JavaScript: the program (after the runtime) and what the printer could not print.</summary>
public sealed record JsProgram(string Runtime, string Program, IReadOnlyList<JsNotPrinted> NotPrinted)
{
    /// <summary>The runtime and the program, one script (node runs it; the calculator page embeds it).</summary>
    public string Script => Runtime + "\n" + Program;
}

/// <summary>A part of a rule's plan the printer has no JavaScript for (PDSL0800): the rule then runs its decimal path only.</summary>
public sealed record JsNotPrinted(string Rule, string What, PolicyDsl.Text.TextSpan Span);

/// <summary>
/// The JavaScript back end (docs/semantics.md §28): prints each rule's lowered plan (<see cref="RulePlan"/>: the fact
/// checks, lets, conditions, formula, caps, floor, rounding, with the plan's texts) as JavaScript over the embedded
/// runtime (policy-runtime.js, the counterpart of runtime/). Two bodies per rule, as the C# emitter prints them: the decimal
/// body (traced; .NET decimal semantics over BigInt) and, where the plan has its scaled-integer form
/// (<see cref="FixedRule"/>), an untraced BigInt body that falls back to the decimal one for inputs it does not take.
/// The program defines <c>POLICY</c>: <c>POLICY.rules[name].evaluate(facts, date, depth, trace)</c>.
/// </summary>
public static class JsEmitter
{
    /// <summary>The runtime, written once (embedded in the compiler assembly).</summary>
    public static string Runtime { get; } = ReadRuntime();

    private static string ReadRuntime()
    {
        using var stream = typeof(JsEmitter).Assembly.GetManifestResourceStream("PolicyDsl.Emit.JavaScript.policy-runtime.js")
            ?? throw new InvalidOperationException("policy-runtime.js is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static JsProgram Print(CheckedPolicy policy)
    {
        var notPrinted = new List<JsNotPrinted>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var rules = new List<Rule>();
        foreach (var rule in policy.Rules)
        {
            if (index.ContainsKey(rule.Name)) continue;
            index[rule.Name] = rules.Count;
            rules.Add(rule);
        }
        var w = new StringBuilder();
        w.Append("// Printed by policyc from the plan of policy ").Append(Str(policy.Name)).Append(". Do not edit.\n");
        w.Append("const POLICY = (function (PD) {\n\"use strict\";\nconst rules = {};\n");
        for (var i = 0; i < rules.Count; i++)
        {
            var printer = new RulePrinter(policy, rules[i], i, index, w, notPrinted);
            printer.Print();
        }
        w.Append("return { name: ").Append(Str(policy.Name)).Append(", rules, order: [")
            .Append(string.Join(", ", rules.Select(r => Str(r.Name)))).Append("] };\n})(PD);\n");
        w.Append("if (typeof module !== \"undefined\") module.exports = { PD, POLICY };\n");
        return new JsProgram(Runtime, w.ToString(), notPrinted);
    }

    /// <summary>A JavaScript string literal, safe inside an HTML script element (&lt;, &gt;, &amp; and non-ASCII escaped).</summary>
    public static string Str(string? s) => s is null ? "null" : JsonSerializer.Serialize(s);

    /// <summary>A decimal literal: PD.D(mantissa n, scale), digit for digit (the scale kept).</summary>
    public static string Dec(decimal value)
    {
        var bits = decimal.GetBits(value);
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        if (bits[3] < 0) mantissa = -mantissa;
        var scale = (bits[3] >> 16) & 0xFF;
        return "PD.D(" + Big(mantissa) + ", " + scale.ToString(CultureInfo.InvariantCulture) + ")";
    }

    internal static string Big(BigInteger value) => "(" + value.ToString(CultureInfo.InvariantCulture) + "n)";

    internal static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>How Quantity.Format shows a value of the unit: the scale it multiplies by first (null: none) and what follows the number.</summary>
    internal static (string Scale, string Suffix) UnitFormat(Unit unit)
    {
        if (unit.Scale != 1m && unit != Unit.Percent && unit != Unit.WanYuan && unit != Unit.YiYuan && unit != Unit.Years)
            return (Dec(unit.Scale), Str(PlanTexts.UnitSuffix(unit.Base)));
        return ("null", Str(PlanTexts.UnitSuffix(unit)));
    }

    private sealed class RulePrinter(CheckedPolicy policy, Rule rule, int number, Dictionary<string, int> index, StringBuilder w, List<JsNotPrinted> notPrinted)
    {
        private readonly RulePlan _plan = RulePlanner.For(policy, rule);
        private readonly string _r = "R" + Int(number);
        private readonly Dictionary<string, int> _lets = rule.Lets.Select((l, i) => (l.Name, i)).GroupBy(x => x.Name).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _tables = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _ranks = new(StringComparer.Ordinal);
        private string Computable => _plan.IsCaseByCase ? "false" : "true";

        public void Print()
        {
            PrintDescription();
            PrintDecimal();
            var scaled = _plan.Scaled is { } plan && TryPrintScaled(plan);
            var n = Int(number);
            w.Append("function e").Append(n).Append("(F, on, depth, T) {\n");
            // §27.1: the window year derived from the application's date (EventWindow.Derive); the date is then read no more.
            // The rule's own window year, then other rules' (§27.10): the same derivation.
            foreach (var window in (rule.Window is { } own ? new[] { own } : []).Concat(rule.After))
                w.Append("  if (on !== null) F = PD.withWindowYear(F, on, ").Append(Str(window.Event)).Append(", ").Append(Str(window.Start.ToString()))
                    .Append(", ").Append(Str(window.YearFact)).Append(window.Year.IsCalendar ? "" : ", " + Str(window.Year.ToString())).Append(");\n");
            if (rule.Schedule is { } schedule)
                w.Append("  if (on !== null) F = PD.withDate(F, on, ").Append(Str(schedule.DateFact)).Append(");\n");
            if (scaled) w.Append("  if (T === null && ").Append(rule.QualifiesByEvent ? "" : "on === null && ").Append("depth === 0) { const r = f").Append(n).Append("(F); if (r !== null) return r; }\n");
            w.Append("  return d").Append(n).Append("(F, on, depth, T);\n}\n");
            w.Append("rules[").Append(Str(rule.Name)).Append("] = { R: ").Append(_r).Append(", evaluate: e").Append(n).Append(", decimal: d").Append(n)
                .Append(", scaled: ").Append(scaled ? "f" + n : "null").Append(", decimalReason: ").Append(Str(_plan.DecimalReason)).Append(" };\n");
        }

        // ---------- what the runtime reads of the rule ----------

        private void PrintDescription()
        {
            var (scale, suffix) = UnitFormat(_plan.AwardUnit);
            w.Append("const ").Append(_r).Append(" = { name: ").Append(Str(rule.Name)).Append(", unitScale: ").Append(scale).Append(", unitSuffix: ").Append(suffix)
                .Append(", perPoint: ").Append(_plan.MoneyPerPoint is { } mpp ? Dec(mpp) : "null")
                .Append(", capSuffixes: [").Append(string.Join(", ", _plan.Caps.Select(c => Str(c.Suffix)))).Append("]")
                // A fixed cap written in another unit (cap 50 wan-yuan) is named as written when it binds (§24.9).
                .Append(", capStated: [").Append(string.Join(", ", _plan.Caps.Select(c => c.ConstantLimit is { } k ? Str(c.BoundBy(k)) : "null"))).Append("], facts: {\n");
            foreach (var fact in rule.Facts)
            {
                var kind = fact.Kind switch
                {
                    FactKind.Quantity => "quantity", FactKind.YesNo => "yesno", FactKind.Date => "date", FactKind.Level => "level", _ => "oneof",
                };
                w.Append("  ").Append(Str(fact.Name)).Append(": { name: ").Append(Str(fact.Name)).Append(", kind: ").Append(Str(kind))
                    .Append(", atMost: ").Append(fact.AtMost is { } most ? Dec(most) : "null")
                    .Append(", outOfRange: ").Append(Str(PlanTexts.FactOutOfRange(fact)))
                    .Append(", notAMember: ").Append(Str(PlanTexts.FactNotAMember(fact)))
                    .Append(", expected: ").Append(Str(PlanTexts.Expected(fact)))
                    .Append(", members: [").Append(string.Join(", ", fact.Members.Select(m => Str(m.Key)))).Append("] },\n");
            }
            w.Append("} };\n");
            var p = 0;
            foreach (var parameter in rule.Parameters)
            {
                var name = _r + "P" + Int(p++);
                _parameters[parameter.Name] = name;
                w.Append("const ").Append(name).Append(" = {").Append(string.Join(", ", parameter.Values.Select(v => Str(string.Join("\u001f", v.Keys)) + ": " + Dec(v.Value)))).Append("};\n");
            }
            var t = 0;
            foreach (var table in rule.Tables)
            {
                if (_tables.ContainsKey(table.Name)) continue;
                var name = _r + "T" + Int(t++);
                _tables[table.Name] = name;
                w.Append("const ").Append(name).Append(" = {").Append(string.Join(", ", table.Cells.Select(c => Str(string.Join("\u001f", c.Keys)) + ": " + Dec(c.Value)))).Append("};\n");
            }
            var k = 0;
            foreach (var fact in rule.Facts.Where(f => f.Kind == FactKind.Level))
            {
                var name = _r + "K" + Int(k++);
                _ranks[fact.Name] = name;
                w.Append("const ").Append(name).Append(" = {").Append(string.Join(", ", fact.Members.Where(m => m.Rank is not null).Select(m => Str(m.Key) + ": " + Dec(m.Rank!.Value)))).Append("};\n");
            }
        }

        // ---------- the decimal body: the reference semantics, step by step, traced ----------

        private void PrintDecimal()
        {
            var n = Int(number);
            var none = "return run.result(PD.ZERO, false, " + Computable + ", null);";
            w.Append("function d").Append(n).Append("(F, on, depth, T) {\n  const run = new PD.Run(").Append(_r).Append(", F, T);\n  try {\n");
            w.Append("    if (depth > ").Append(Int(Checking.PolicyChecker.MaxRuleChain)).Append(") throw new PD.Problem(").Append(Str(PlanTexts.TooDeep)).Append(");\n");
            w.Append("    if (!run.checkFacts()) ").Append(none).Append('\n');
            // §27.1: a rule paid in an event window qualifies by its event's date (a condition), not the application's.
            if (!rule.QualifiesByEvent)
                w.Append("    if (on !== null) { const why = PD.validity(on, ").Append(DateOrNull(policy.Validity?.From)).Append(", ").Append(DateOrNull(policy.Validity?.Through))
                .Append(", ").Append(DateOrNull(rule.Validity?.From)).Append(", ").Append(DateOrNull(rule.Validity?.Through))
                .Append("); if (why !== null) { run.step(\"Validity\", why, \"rejected\"); ").Append(none).Append(" } }\n");
            if (_plan.Lets.Count > 0) w.Append("    let ").Append(string.Join(", ", _plan.Lets.Select((_, i) => "l" + Int(i)))).Append(";\n");
            for (var i = 0; i < _plan.Lets.Count; i++)
            {
                var let = _plan.Lets[i];
                var (scale, suffix) = UnitFormat(let.Let.Value.Unit);
                w.Append("    l").Append(Int(i)).Append(" = ").Append(Expression(let.Let.Value)).Append(";\n");
                w.Append("    run.step(\"Let\", ").Append(Str(let.Text)).Append(", PD.fmt(l").Append(Int(i)).Append(", ").Append(scale).Append(", ").Append(suffix).Append("));\n");
            }
            foreach (var condition in _plan.Conditions)
            {
                w.Append("    if (!(").Append(Condition(condition.Requirement.Condition)).Append(")) { run.step(\"Condition\", ").Append(Str(condition.Text))
                    .Append(", \"fails\"); ").Append(none).Append(" }\n");
                w.Append("    run.step(\"Condition\", ").Append(Str(condition.Text)).Append(", \"holds\");\n");
            }
            if (rule.Award.Formula is not { } formula)
            {
                w.Append("    run.step(\"Formula\", ").Append(Str(_plan.CaseByCaseText)).Append(", \"not computable\");\n");
                w.Append("    return run.result(PD.ZERO, true, false, null);\n");
            }
            else
            {
                var (scale, suffix) = UnitFormat(_plan.AwardUnit);
                string Show(string v) => "PD.fmt(" + v + ", " + scale + ", " + suffix + ")";
                w.Append("    let amount = ").Append(Expression(formula)).Append(";\n");
                w.Append("    run.step(\"Formula\", ").Append(Str(PlanTexts.FormulaStep)).Append(", ").Append(Show("amount")).Append(");\n");
                w.Append("    let boundBy = null, boundCap = 0, boundLimit = null, lowest = null, limit;\n");
                foreach (var cap in _plan.Caps)
                {
                    // The plan's texts: a fixed limit as the author wrote it, a computed one by its number.
                    var named = cap.ConstantLimit is { } fixedLimit ? Str(cap.BoundBy(fixedLimit)) : "PD.text(limit) + " + Str(cap.Suffix);
                    var stepText = Str(PlanTexts.CapStepPrefix) + " + " + named;
                    w.Append("    limit = ").Append(cap.ConstantLimit is { } c ? Dec(c) : Expression(cap.Cap.Limit)).Append(";\n");
                    w.Append("    lowest = lowest === null ? limit : PD.min(lowest, limit);\n");
                    w.Append("    if (PD.lt(limit, amount)) { run.step(\"Cap\", ").Append(stepText)
                        .Append(", \"binds\"); amount = limit; boundBy = ").Append(named).Append("; boundCap = ").Append(Int(cap.Number)).Append("; boundLimit = limit; }\n");
                    w.Append("    else run.step(\"Cap\", ").Append(stepText).Append(", \"does not bind\");\n");
                }
                w.Append("    if (amount.m < 0n) { run.step(\"Formula\", ").Append(Str(PlanTexts.FloorStep)).Append(", \"0\"); amount = PD.ZERO; }\n");
                if (_plan.Rounding is { } rounding)
                {
                    w.Append("    amount = PD.underCaps(amount, ").Append(Dec(rounding.Rounding.Step)).Append(", ").Append(Int((int)rounding.Rounding.Direction)).Append(", lowest);\n");
                    w.Append("    run.step(\"Rounding\", ").Append(Str(rounding.Text)).Append(", ").Append(Show("amount")).Append(");\n");
                }
                if (_plan.Instalments is { } instalments)
                {
                    // §27.7: the instalment due at the application's date, after caps and rounding.
                    foreach (var part in instalments.Schedule.Parts)
                        w.Append("    run.step(\"Condition\", ").Append(Str(part.Text)).Append(", (").Append(Condition(part.Reached)).Append(") ? ")
                            .Append(Str(PlanTexts.Due)).Append(" : ").Append(Str(PlanTexts.NotDue)).Append(");\n");
                    if (instalments.Schedule.AtOnce is { } once)
                        w.Append("    run.step(\"Condition\", ").Append(Str(instalments.AtOnceText)).Append(", (").Append(Condition(once.Condition)).Append(") ? ")
                            .Append(Str(PlanTexts.Holds)).Append(" : ").Append(Str(PlanTexts.Fails)).Append(");\n");
                    var (shareScale, shareSuffix) = UnitFormat(Unit.Dimensionless);
                    w.Append("    const share = PD.instalmentShare(").Append(Expression(instalments.Schedule.Share)).Append(");\n");
                    w.Append("    run.step(\"Formula\", ").Append(Str(instalments.ShareText)).Append(", PD.fmt(share, ").Append(shareScale).Append(", ").Append(shareSuffix).Append("));\n");
                    w.Append("    amount = PD.instalmentDue(amount, share);\n");
                    w.Append("    run.step(\"Formula\", ").Append(Str(instalments.DueText)).Append(", ").Append(Show("amount")).Append(");\n");
                }
                w.Append("    return run.result(amount, true, true, boundBy, boundCap, boundLimit);\n");
            }
            w.Append("  } catch (e) { return run.caught(e, ").Append(Computable).Append("); }\n}\n");
        }

        private static string DateOrNull(DateOnly? d) => d is { } date ? Str(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : "null";

        private static string Throw(string message) => "(() => { throw new PD.Problem(" + Str(message) + "); })()";

        /// <summary>An expression as the interpreter evaluates it (RuleEvaluator.Eval), left to right.</summary>
        private string Expression(Expr e)
        {
            switch (e)
            {
                case ConstantExpr c:
                    return Dec(c.Value);
                case FactRef f:
                    return "run.quantity(" + Str(f.Name) + ", " + Dec(rule.FindFact(f.Name)?.Unit?.Scale ?? 1m) + ")";
                case LetRef l:
                    return _lets.TryGetValue(l.Name, out var i) ? "PD.letv(l" + Int(i) + ", " + Str(l.Name) + ")" : Throw("let " + l.Name + " is read before it is computed");
                case ParamRef p:
                    return _parameters.TryGetValue(p.Name, out var cells)
                        ? "run.parameter(" + cells + ", " + Str(p.Name) + ", [" + string.Join(", ", p.Keys.Select(Key)) + "])"
                        : Throw("unknown parameter " + p.Name);
                case TableLookup t:
                    return _tables.TryGetValue(t.Table, out var table)
                        ? "run.table(" + table + ", " + Str(t.Table) + ", [" + string.Join(", ", t.Keys.Select(Key)) + "])"
                        : Throw("unknown table " + t.Table);
                case BandLookup b:
                {
                    var band = rule.Bands.FirstOrDefault(x => x.Name == b.Band);
                    if (band is null) return Throw("unknown band " + b.Band);
                    var cases = new StringBuilder();
                    foreach (var c in band.Cases)
                    {
                        var tests = new List<string>();
                        if (c.Lower is { } lower) tests.Add("PD.cmp(x, " + Dec(lower.Value) + ") " + (lower.Inclusive ? ">=" : ">") + " 0");
                        if (c.Upper is { } upper) tests.Add("PD.cmp(x, " + Dec(upper.Value) + ") " + (upper.Inclusive ? "<=" : "<") + " 0");
                        cases.Append(tests.Count == 0 ? "true" : string.Join(" && ", tests)).Append(" ? ").Append(Dec(c.Value)).Append(" : ");
                    }
                    return "((x) => " + cases + "PD.ZERO)(run.quantity(" + Str(b.Fact) + ", " + Dec(rule.FindFact(b.Fact)?.Unit?.Scale ?? 1m) + "))";
                }
                case FunctionExpr f:
                {
                    if (f.Arguments.IsEmpty) return "PD.ZERO";
                    var args = "[" + string.Join(", ", f.Arguments.Select(Expression)) + "]";
                    return f.Function switch
                    {
                        FunctionKind.Min => args + ".reduce((a, b) => PD.min(a, b))",
                        FunctionKind.Max => args + ".reduce((a, b) => PD.max(a, b))",
                        _ => args + ".reduce((a, b) => PD.add(a, b), PD.ZERO)",
                    };
                }
                case BinaryExpr b:
                {
                    var l = Expression(b.Left);
                    var r = Expression(b.Right);
                    return b.Operator switch
                    {
                        BinaryKind.Add => "PD.add(" + l + ", " + r + ")",
                        BinaryKind.Subtract => "PD.sub(" + l + ", " + r + ")",
                        BinaryKind.Multiply => "PD.mul(" + l + ", " + r + ")",
                        _ => "run.divide(" + l + ", " + r + ")",
                    };
                }
                case NegateExpr n:
                    return "PD.neg(" + Expression(n.Operand) + ")";
                case RateExpr rate:
                {
                    var amount = Dec(rate.Amount.ToBase().Value);
                    var per = Dec(rate.Per.ToBase().Value);
                    if (rate.Base is null) return "PD.div(" + amount + ", " + per + ")";
                    var x = Expression(rate.Base);
                    if (rate.Full) return "PD.mul(PD.floor(PD.div(" + x + ", " + per + ")), " + amount + ")";
                    return "PD.rate(" + x + ", " + amount + ", " + per + ")";
                }
                case ConditionalExpr c:
                    return "((" + Condition(c.Condition) + ") ? " + Expression(c.WhenTrue) + " : " + Expression(c.WhenFalse) + ")";
                case ToPointsExpr t:
                    return "PD.div(" + Expression(t.Money) + ", " + Dec(t.MoneyPerPoint) + ")";
                case RuleAwardExpr a:
                {
                    var other = policy.FindRule(a.Rule);
                    if (other is null || !index.TryGetValue(other.Name, out var o)) return Throw("rule " + a.Rule + " is not in the policy");
                    return "run.other(d" + Int(o) + ", " + Str(other.Name) + ", " + Bindings(a, other) + ", depth)";
                }
                default:
                    return Throw("cannot evaluate " + e.GetType().Name + " as a quantity");
            }
        }

        /// <summary>The facts another rule is evaluated with (§9): a fact as it is, a member by key, a quantity back in the other fact's declared unit.</summary>
        private string Bindings(RuleAwardExpr a, Rule other)
        {
            var parts = new List<string>();
            foreach (var binding in a.Bindings)
            {
                var fact = other.FindFact(binding.Fact);
                var value = binding.Value switch
                {
                    FactValueRef f => "run.value(" + Str(f.Name) + ")",
                    KeyExpr k => Str(k.Key),
                    var v => "PD.div(" + Expression(v) + ", " + Dec(fact?.Unit?.Scale ?? 1m) + ")",
                };
                parts.Add(Str(binding.Fact) + ": " + value);
            }
            return "{ " + string.Join(", ", parts) + " }";
        }

        /// <summary>A lookup key: a member named in the source, or an enum fact's member.</summary>
        private string Key(Expr e) => e switch
        {
            KeyExpr k => Str(k.Key),
            FactValueRef f => "run.key(" + Str(f.Name) + ")",
            _ => Throw("a lookup key is not a member"),
        };

        private string Condition(Condition c) => c switch
        {
            AndCondition a => "(" + Condition(a.Left) + " && " + Condition(a.Right) + ")",
            OrCondition o => "(" + Condition(o.Left) + " || " + Condition(o.Right) + ")",
            NotCondition n => "!(" + Condition(n.Operand) + ")",
            FactIsTrue t => "run.yes(" + Str(t.Fact) + ")",
            CompareCondition k => Compare(k),
            _ => Throw("unknown condition"),
        };

        private string Compare(CompareCondition c)
        {
            var op = Str(Emit.ExprEmitter.OperatorText(c.Operator));
            // §27.4: dates compare with dates (a date fact, a date literal, one of them ± months), left operand first.
            if (c.Left is DateExpr or DateShiftExpr || c.Right is DateExpr or DateShiftExpr ||
                (c.Left is FactValueRef lf && rule.FindFact(lf.Name) is { Kind: FactKind.Date }))
                return "PD.holds(PD.dateOrder(PD.needDate(" + DateOperand(c.Left) + "), PD.needDate(" + DateOperand(c.Right) + ")), " + op + ")";
            if (c.Left is FactValueRef f)
            {
                var fact = rule.FindFact(f.Name);
                var l = Key(c.Left);
                var r = Key(c.Right);
                if (c.Operator is Comparison.Equal) return "(" + l + " === " + r + ")";
                if (c.Operator is Comparison.NotEqual) return "(" + l + " !== " + r + ")";
                var ranks = fact is not null && _ranks.TryGetValue(fact.Name, out var table) ? table : "{}";
                return "PD.holds(PD.cmp(PD.rank(" + ranks + ", " + l + "), PD.rank(" + ranks + ", " + r + ")), " + op + ")";
            }
            return "PD.holds(PD.cmp(" + Expression(c.Left) + ", " + Expression(c.Right) + "), " + op + ")";
        }

        /// <summary>A date operand as the interpreter reads it (RuleEvaluator.DateOf): a date's text, or null when it is no date.</summary>
        private string DateOperand(Expr e) => e switch
        {
            DateExpr d => Str(d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            DateShiftExpr s => "PD.shiftDate(" + DateOperand(s.Date) + ", " + Int(s.Months) + ")",
            FactValueRef f when rule.FindFact(f.Name) is { Kind: FactKind.Date } => "run.date(" + Str(f.Name) + ")",
            _ => "null",
        };

        // ---------- the scaled-integer body: BigInt, untraced ----------

        private sealed class NotPrintable(string what) : Exception(what);

        private bool TryPrintScaled(FixedRule plan)
        {
            var body = new StringBuilder();
            try
            {
                PrintScaled(plan, body);
            }
            catch (NotPrintable e)
            {
                notPrinted.Add(new JsNotPrinted(rule.Name, e.Message, rule.Span));
                return false;
            }
            w.Append(body);
            return true;
        }

        private void PrintScaled(FixedRule plan, StringBuilder b)
        {
            var n = Int(number);
            b.Append("function f").Append(n).Append("(F) {\n  const run = new PD.Run(").Append(_r).Append(", F, null);\n  try {\n");
            // Facts not valid, of another kind or undeclared: the decimal body reports them.
            b.Append("    if (!run.checkFacts()) return null;\n");
            foreach (var fact in rule.Facts.Where(f => f.Kind is FactKind.Level or FactKind.OneOf && !f.Members.IsEmpty))
                b.Append("    if (!").Append(_r).Append(".facts[").Append(Str(fact.Name)).Append("].members.includes(run.key(").Append(Str(fact.Name)).Append("))) return null;\n");
            for (var i = 0; i < plan.Inputs.Count; i++) Input(plan.Inputs[i], "i" + Int(i));
            var others = 0;
            for (; others < plan.EarlyOtherAwards; others++) OtherAward(plan.OtherAwards[others]);
            for (var i = 0; i < plan.Lets.Count; i++)
                b.Append("    const x").Append(Int(i)).Append(" = ").Append(Fixed(plan, plan.Lets[i].Value)).Append(";\n");
            foreach (var requirement in plan.Requirements)
                b.Append("    if (!(").Append(FixedCondition(plan, requirement.Condition)).Append(")) return PD.failed(").Append(_r).Append(");\n");
            for (; others < plan.OtherAwards.Count; others++) OtherAward(plan.OtherAwards[others]);
            b.Append("    let amount = ").Append(Fixed(plan, plan.Formula)).Append(";\n    let bound = 0, boundLimit = null;\n");
            for (var i = 0; i < plan.Caps.Count; i++)
            {
                var c = "c" + Int(i + 1);
                b.Append("    const ").Append(c).Append(" = ").Append(Fixed(plan, plan.Caps[i])).Append(";\n");
                b.Append("    if (").Append(c).Append(" < amount) { amount = ").Append(c).Append("; bound = ").Append(Int(i + 1))
                    .Append("; boundLimit = PD.units(").Append(c).Append(", ").Append(Int(plan.Places)).Append("); }\n");
            }
            b.Append("    if (amount < 0n) amount = 0n;\n");
            b.Append("    return PD.paid(").Append(_r).Append(", amount, ").Append(Int(plan.Places)).Append(", bound, boundLimit);\n");
            // Anything the decimal path would report (a problem, an overflow): the decimal body reports it.
            b.Append("  } catch (e) { if (e instanceof PD.Problem || e instanceof PD.Overflow) return null; throw e; }\n}\n");

            void Input(FixedInput input, string local)
            {
                b.Append("    const ").Append(local).Append(" = PD.scale(").Append(InputValue(input)).Append(", ").Append(Int(input.Places)).Append(", ")
                    .Append(Big(input.Max)).Append("); // ").Append(input.What.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
                b.Append("    if (").Append(local).Append(" === null) return null;\n");
            }

            void OtherAward(FixedOtherAward other)
            {
                var target = policy.FindRule(other.Call.Rule);
                if (target is null || !index.TryGetValue(target.Name, out var o)) throw new NotPrintable("the award of an unknown rule " + other.Call.Rule);
                var local = "o" + Int(other.Number);
                b.Append("    const ").Append(local).Append(" = e").Append(Int(o)).Append("(").Append(Bindings(other.Call, target)).Append(", null, 0, null);\n");
                b.Append("    if (").Append(local).Append(".problems.length > 0) return null;\n");
                Input(other.Amount, "a" + Int(other.Number));
            }
        }

        private string InputValue(FixedInput input) => input.Source switch
        {
            FactSource f => "(Object.prototype.hasOwnProperty.call(F, " + Str(f.Fact) + ") ? F[" + Str(f.Fact) + "] : null)",
            ParameterSource p => _parameters.TryGetValue(p.Lookup.Name, out var cells)
                ? "PD.lookup(" + cells + ", [" + string.Join(", ", p.Lookup.Keys.Select(Key)) + "])"
                : throw new NotPrintable("parameter " + p.Lookup.Name + " of no rule"),
            AwardSource a => "o" + Int(a.Number) + ".amount",
            _ => throw new NotPrintable("an input of kind " + input.Source.GetType().Name),
        };

        private string Fixed(FixedRule plan, Fixed x) => x switch
        {
            FixedInputRef i => "i" + Int(i.Input),
            FixedAwardRef a => "a" + Int(a.Number),
            FixedLetRef l => "x" + Int(plan.Lets.Select((let, i) => (let, i)).First(p => p.let.Let == l.Let).i),
            FixedConstant c => Big(c.Units),
            FixedScale s => "(" + Fixed(plan, s.Operand) + " * " + Big(s.Factor) + ")",
            FixedAdd a => "(" + Fixed(plan, a.Left) + (a.Subtract ? " - " : " + ") + Fixed(plan, a.Right) + ")",
            FixedMultiply m => "(" + Fixed(plan, m.Left) + " * " + Fixed(plan, m.Right) + ")",
            FixedNegate ng => "(-" + Fixed(plan, ng.Operand) + ")",
            FixedMinMax m => m.Arguments.Skip(1).Aggregate(Fixed(plan, m.Arguments[0]), (r, next) => (m.Max ? "PD.bmax(" : "PD.bmin(") + r + ", " + Fixed(plan, next) + ")"),
            FixedFloorDivide d => "PD.floorDiv(" + Fixed(plan, d.Operand) + ", " + Big(d.Divisor) + ")",
            FixedIf i => "((" + FixedCondition(plan, i.Condition) + ") ? " + Fixed(plan, i.WhenTrue) + " : " + Fixed(plan, i.WhenFalse) + ")",
            FixedSwitch s => "PD.cell({" + string.Join(", ", s.Cases.Select(c => Str(string.Join("\u001f", c.Keys)) + ": " + Big(c.Units))) + "}, [" +
                             string.Join(", ", s.Lookup.Keys.Select(Key)) + "])",
            _ => throw new NotPrintable("a scaled-integer node " + x.GetType().Name),
        };

        private string FixedCondition(FixedRule plan, FixedCondition c) => c switch
        {
            FixedCompare k => "(" + Fixed(plan, k.Left) + " " + ScaledOperator(k.Operator) + " " + Fixed(plan, k.Right) + ")",
            FixedTest t => Condition(t.Condition),
            FixedLogical l => "(" + FixedCondition(plan, l.Left) + (l.Or ? " || " : " && ") + FixedCondition(plan, l.Right) + ")",
            FixedNot n => "!(" + FixedCondition(plan, n.Operand) + ")",
            _ => throw new NotPrintable("a scaled-integer condition " + c.GetType().Name),
        };

        private static string ScaledOperator(Comparison op) => op switch
        {
            Comparison.Equal => "===",
            Comparison.NotEqual => "!==",
            _ => Emit.ExprEmitter.OperatorText(op),
        };
    }
}
