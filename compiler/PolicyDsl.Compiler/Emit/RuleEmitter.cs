using System.CodeDom.Compiler;
using System.Globalization;
using PolicyDsl.Model;
using static PolicyDsl.Emit.CSharpEmitter;

namespace PolicyDsl.Emit;

/// <summary>Emits one rule: its facts struct, its parameters class and its static rule class.</summary>
internal sealed class RuleEmitter
{
    private const string Runtime = "global::PolicyDsl.Runtime";

    private readonly CheckedPolicy _policy;
    private readonly Rule _rule;
    private readonly PolicyNames _all;
    private readonly RuleNames _names;
    private readonly IndentedTextWriter _w;
    private readonly ExprEmitter _expr;

    public RuleEmitter(CheckedPolicy policy, Rule rule, PolicyNames all, IndentedTextWriter writer)
    {
        _policy = policy;
        _rule = rule;
        _all = all;
        _names = all.Rules[rule.Name];
        _w = writer;
        _expr = new ExprEmitter(policy, rule, all, "facts", "parameters");
        _fixed = all.FixedPlan(policy, rule, out _fixedReason);
    }

    private readonly FixedRule? _fixed;
    private readonly string? _fixedReason;

    public void Emit()
    {
        EmitFacts();
        _w.WriteLineNoTabs("");
        EmitParameters();
        _w.WriteLineNoTabs("");
        EmitRuleClass();
    }

    private string Describe(string prefix) =>
        prefix + " of rule " + _rule.Name + (_rule.Title is null ? "" : " (" + _rule.Title + ")") + ", clause " + _rule.Clause.ToString(CultureInfo.InvariantCulture) + ".";

    // ---------- facts ----------

    private void EmitFacts()
    {
        var w = _w;
        Summary(w, Describe("The facts (inputs)"), _rule.Source);
        w.WriteLine("public readonly record struct " + _names.Facts);
        w.WriteLine("{");
        w.Indent++;
        var first = true;
        foreach (var fact in _rule.Facts)
        {
            if (!first) w.WriteLineNoTabs("");
            first = false;
            var member = _names.FactMembers[fact.Name];
            var doc = fact.Name + (fact.Description is null ? "" : ": " + fact.Description);
            string type;
            switch (fact.Kind)
            {
                case FactKind.Quantity:
                    type = "decimal";
                    doc += ". In " + fact.Unit + (fact.AtMost is { } most ? ", at most " + most.ToString(CultureInfo.InvariantCulture) : "") + "; not negative.";
                    break;
                case FactKind.YesNo:
                    type = "bool";
                    doc += " (yes/no).";
                    break;
                case FactKind.Date:
                    type = "global::System.DateOnly";
                    doc += " (a date).";
                    break;
                default:
                    type = _names.Class + "." + _names.Enums[fact.Name];
                    doc += fact.Kind == FactKind.Level ? " (a level)." : " (one of).";
                    break;
            }
            Summary(w, doc);
            // Required: a fact left out of an initializer is a compile error (CS9035), where policyc eval rejects the row.
            w.WriteLine("public required " + type + " " + member + " { get; init; }");
        }
        w.Indent--;
        w.WriteLine("}");
    }

    // ---------- parameters ----------

    private void EmitParameters()
    {
        var w = _w;
        Summary(w, Describe("The amounts left to the implementation rules"),
            "Values are in base units (points, yuan; a percent as a fraction: 30% is 0.3). Null means not set. " +
            "FromRules holds the values the implementation-rules file sets.");
        w.WriteLine("public sealed class " + _names.Parameters);
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("/// <summary>The values set by the implementation-rules file (null where it sets none).</summary>");
        w.WriteLine("public static readonly " + _names.Parameters + " FromRules = new " + _names.Parameters + "()");
        w.WriteLine("{");
        w.Indent++;
        foreach (var parameter in _rule.Parameters)
        {
            if (parameter.Dimensions.IsEmpty)
            {
                if (parameter.Values.FirstOrDefault() is { } value)
                    w.WriteLine(_names.ParamMembers[parameter.Name] + " = " + Dec(value.Value) + ",");
                continue;
            }
            foreach (var combo in RuleNames.Combinations(_rule, parameter.Dimensions))
            {
                if (parameter.Find(combo) is { } value)
                    w.WriteLine(_names.ParamCells[(parameter.Name, string.Join("\u001f", combo))] + " = " + Dec(value.Value) + ",");
            }
        }
        w.Indent--;
        w.WriteLine("};");
        foreach (var parameter in _rule.Parameters)
        {
            w.WriteLineNoTabs("");
            var doc = parameter.Name + (parameter.Description is null ? "" : ": " + parameter.Description) + ". In " + parameter.Unit +
                      (parameter.AtMost is { } most ? ", at most " + most.ToString(CultureInfo.InvariantCulture) : "") + ".";
            if (parameter.Dimensions.IsEmpty)
            {
                Summary(w, doc);
                foreach (var attribute in ParameterCaps.Attributes(_policy, _rule, parameter, Array.Empty<string>())) w.WriteLine(attribute);
                w.WriteLine("public decimal? " + _names.ParamMembers[parameter.Name] + " { get; init; }");
                continue;
            }
            var combos = RuleNames.Combinations(_rule, parameter.Dimensions).ToArray();
            foreach (var combo in combos)
            {
                Summary(w, doc + " For " + string.Join(", ", parameter.Dimensions.Zip(combo, (d, k) => d + " = " + k)) + ".");
                foreach (var attribute in ParameterCaps.Attributes(_policy, _rule, parameter, combo)) w.WriteLine(attribute);
                w.WriteLine("public decimal? " + _names.ParamCells[(parameter.Name, string.Join("\u001f", combo))] + " { get; init; }");
                w.WriteLineNoTabs("");
            }
            Summary(w, "Looks up " + parameter.Name + " by " + string.Join(", ", parameter.Dimensions) + ".");
            var args = parameter.Dimensions.Select((d, i) => _names.Class + "." + _names.Enums[d] + " " + ArgName(i));
            w.WriteLine("public decimal? " + _names.ParamMembers[parameter.Name] + "(" + string.Join(", ", args) + ") => " +
                        (parameter.Dimensions.Count == 1 ? "a0" : "(" + string.Join(", ", parameter.Dimensions.Select((_, i) => ArgName(i))) + ")") + " switch");
            w.WriteLine("{");
            w.Indent++;
            foreach (var combo in combos)
            {
                var pattern = combo.Length == 1
                    ? EnumMember(parameter.Dimensions[0], combo[0])
                    : "(" + string.Join(", ", parameter.Dimensions.Zip(combo, EnumMember)) + ")";
                w.WriteLine(pattern + " => " + _names.ParamCells[(parameter.Name, string.Join("\u001f", combo))] + ",");
            }
            w.WriteLine("_ => null,");
            w.Indent--;
            w.WriteLine("};");
        }
        w.Indent--;
        w.WriteLine("}");
    }

    private static string ArgName(int i) => "a" + i.ToString(CultureInfo.InvariantCulture);

    private string EnumMember(string fact, string key) => _names.Class + "." + _names.Enums[fact] + "." + _names.EnumMembers[(fact, key)];

    // ---------- the rule class ----------

    private void EmitRuleClass()
    {
        var w = _w;
        var clause = _all.ClauseOf(_rule);
        var section = clause is null ? null : _all.SectionOf(clause);
        Summary(w, (_rule.Title ?? _rule.Name) + " (clause " + _rule.Clause.ToString(CultureInfo.InvariantCulture) +
                   (clause is null ? "" : " " + clause.Title) + (section is null ? "" : ", section " + section.Number.ToString(CultureInfo.InvariantCulture) + " " + section.Title) + ").",
            "原文: " + _rule.Source);
        w.WriteLine("public static class " + _names.Class);
        w.WriteLine("{");
        w.Indent++;

        Summary(w, "The rule's name in the clause file.");
        w.WriteLine("public const string Name = " + Str(_rule.Name) + ";");
        Summary(w, "The rule's title.");
        w.WriteLine("public const string? Title = " + Str(_rule.Title) + ";");
        Summary(w, "The clause the rule belongs to.");
        w.WriteLine("public const int Clause = " + CSharpText.IntLiteral(_rule.Clause) + ";");
        Summary(w, "The sentence of the policy the rule encodes.");
        w.WriteLine("public const string Source = " + Str(_rule.Source) + ";");
        Summary(w, "The most one application can be awarded, in " + _policy.AwardUnit + " (null: no finite bound).");
        w.WriteLine("public static readonly decimal? ProvenMaximum = " + (_rule.ProvenMaximum is { } pm ? Dec(pm) : "null") + ";");
        Summary(w, "The proven maximum in yuan (null: no finite bound).");
        w.WriteLine("public static readonly decimal? MoneyCeiling = " + (_rule.MoneyCeiling is { } mc ? Dec(mc) : "null") + ";");

        for (var i = 0; i < _rule.Caps.Count; i++)
        {
            var cap = _rule.Caps[i];
            var capName = "Cap" + (i + 1).ToString(CultureInfo.InvariantCulture);
            if (cap.Limit is ConstantExpr c)
            {
                Summary(w, "Cap " + (i + 1).ToString(CultureInfo.InvariantCulture) + ": " + cap.Describe() + ".");
                w.WriteLine("public const decimal " + capName + "Limit = " + Dec(c.Value) + ";");
            }
            Summary(w, "Cap " + (i + 1).ToString(CultureInfo.InvariantCulture) + " as the policy states it.");
            w.WriteLine("public const string " + capName + "Text = " + Str(cap.Describe()) + ";");
            Summary(w, "What follows the limit of cap " + (i + 1).ToString(CultureInfo.InvariantCulture) + " when it binds (\"30 points per enterprise\").");
            w.WriteLine("public const string " + capName + "Suffix = " + Str(CapSuffix(cap)) + ";");
        }
        Summary(w, "The caps of the rule, in order.");
        w.WriteLine("public static readonly global::System.Collections.Generic.IReadOnlyList<" + Runtime + ".CapInfo> Caps = new " + Runtime + ".CapInfo[]");
        w.WriteLine("{");
        w.Indent++;
        foreach (var cap in _rule.Caps)
        {
            w.WriteLine("new " + Runtime + ".CapInfo(" + (cap.Limit is ConstantExpr c ? Dec(c.Value) : "null") + ", " + Runtime + ".CapScope." + cap.Scope + ", " +
                        Runtime + ".CapPeriod." + cap.Period + ", " + Str(cap.Describe()) + "),");
        }
        w.Indent--;
        w.WriteLine("};");
        Summary(w, "What the rule's awards share: its name, the point value and the caps' texts.");
        var perPoint = _policy.MoneyPerPoint is { } pp && _policy.AwardUnit == Model.Unit.AwardPoints ? Dec(pp) : "null";
        w.WriteLine("private static readonly " + Runtime + ".AwardRule AwardRule = new(Name, " + perPoint +
                    string.Concat(Enumerable.Range(1, _rule.Caps.Count).Select(i => ", Cap" + i.ToString(CultureInfo.InvariantCulture) + "Suffix")) + ");");

        foreach (var fact in _rule.Facts.Where(f => f.Kind is FactKind.Level or FactKind.OneOf)) EmitEnum(fact);
        foreach (var table in _rule.Tables) EmitTable(table);
        foreach (var band in _rule.Bands) EmitBand(band);

        EmitEvaluate();
        EmitCapLimit();

        w.Indent--;
        w.WriteLine("}");
    }

    private void EmitEnum(Fact fact)
    {
        var w = _w;
        w.WriteLineNoTabs("");
        Summary(w, "The values of fact " + fact.Name + (fact.Description is null ? "" : ": " + fact.Description) +
                   (fact.Kind == FactKind.Level ? " (ordered: a higher number is a higher level)." : "."));
        w.WriteLine("public enum " + _names.Enums[fact.Name]);
        w.WriteLine("{");
        w.Indent++;
        var next = 1;
        foreach (var member in fact.Members)
        {
            Summary(w, member.Key + (member.Label is null ? "" : " " + member.Label));
            var value = fact.Kind == FactKind.Level && member.Rank is { } rank && rank == decimal.Truncate(rank) && rank is >= int.MinValue and <= int.MaxValue
                ? (int)rank : next;
            next++;
            w.WriteLine(_names.EnumMembers[(fact.Name, member.Key)] + " = " + CSharpText.IntLiteral(value) + ",");
        }
        w.Indent--;
        w.WriteLine("}");
    }

    private void EmitTable(Table table)
    {
        var w = _w;
        w.WriteLineNoTabs("");
        Summary(w, "Table " + table.Name + " by " + string.Join(", ", table.Dimensions) + ", in " + table.Unit + ".");
        var args = table.Dimensions.Select((d, i) => _names.Enums[d] + " " + ArgName(i));
        w.WriteLine("private static decimal " + _names.Tables[table.Name] + "(" + string.Join(", ", args) + ") => " +
                    (table.Dimensions.Count == 1 ? "a0" : "(" + string.Join(", ", table.Dimensions.Select((_, i) => ArgName(i))) + ")") + " switch");
        w.WriteLine("{");
        w.Indent++;
        foreach (var cell in table.Cells)
        {
            var pattern = cell.Keys.Count == 1
                ? EnumMember(table.Dimensions[0], cell.Keys[0])
                : "(" + string.Join(", ", table.Dimensions.Zip(cell.Keys, EnumMember)) + ")";
            w.WriteLine(pattern + " => " + Dec(cell.Value) + ",");
        }
        w.WriteLine("_ => 0m,");
        w.Indent--;
        w.WriteLine("};");
    }

    private void EmitBand(Band band)
    {
        var w = _w;
        w.WriteLineNoTabs("");
        Summary(w, "Band " + band.Name + " by " + band.Fact + ", in " + band.Unit + "; a gap pays 0.");
        w.WriteLine("private static decimal " + _names.Bands[band.Name] + "(decimal x)");
        w.WriteLine("{");
        w.Indent++;
        foreach (var c in band.Cases)
        {
            var tests = new List<string>();
            if (c.Lower is { } lower) tests.Add("x " + (lower.Inclusive ? ">=" : ">") + " " + Dec(lower.Value));
            if (c.Upper is { } upper) tests.Add("x " + (upper.Inclusive ? "<=" : "<") + " " + Dec(upper.Value));
            w.WriteLine("if (" + (tests.Count == 0 ? "true" : string.Join(" && ", tests)) + ") return " + Dec(c.Value) + ";");
        }
        w.WriteLine("return 0m;");
        w.Indent--;
        w.WriteLine("}");
    }

    // ---------- evaluation ----------

    private void EmitEvaluate()
    {
        var w = _w;
        var facts = "in " + _names.Facts + " facts";
        var traceType = "global::System.Collections.Generic.ICollection<" + Runtime + ".TraceStep>";

        w.WriteLineNoTabs("");
        Summary(w, "Evaluates one application with the implementation rules' parameters. Allocates nothing.");
        w.WriteLine("public static " + Runtime + ".Award Evaluate(" + facts + ") => EvaluateUntraced(in facts, " + _names.Parameters + ".FromRules);");
        w.WriteLineNoTabs("");
        Summary(w, "Evaluates one application with the given parameters. Allocates nothing.");
        w.WriteLine("public static " + Runtime + ".Award Evaluate(" + facts + ", " + _names.Parameters + " parameters) => EvaluateUntraced(in facts, parameters);");
        w.WriteLineNoTabs("");
        Summary(w, "Evaluates one application; when a trace is given, each step is added to it with the rule's source sentence.");
        w.WriteLine("public static " + Runtime + ".Award Evaluate(" + facts + ", " + _names.Parameters + " parameters, " + traceType + "? trace)");
        if (_fixed is null)
        {
            EmitEvaluateBody(traced: true);
            w.WriteLineNoTabs("");
            Summary(w, "The evaluation above without the trace steps (what the overloads without a trace run).",
                "In decimal arithmetic: " + _fixedReason + ".");
            w.WriteLine("private static " + Runtime + ".Award EvaluateUntraced(" + facts + ", " + _names.Parameters + " parameters)");
            EmitEvaluateBody(traced: false);
            return;
        }
        EmitFixedBody(_fixed, traced: true);
        w.WriteLineNoTabs("");
        Summary(w, "The evaluation above without the trace steps, in exact scaled integers (what the overloads without a trace run).",
            "Each input is taken as a whole number of small units (below); one with more decimal places, larger, negative or unset " +
            "takes EvaluateDecimal instead, which gives the same award. Every intermediate value is proven to fit a long.");
        w.WriteLine("private static " + Runtime + ".Award EvaluateUntraced(" + facts + ", " + _names.Parameters + " parameters)");
        EmitFixedBody(_fixed, traced: false);
        w.WriteLineNoTabs("");
        Summary(w, "The evaluation in decimal arithmetic, for the inputs the scaled-integer evaluation does not take.");
        w.WriteLine("private static " + Runtime + ".Award EvaluateDecimal(" + facts + ", " + _names.Parameters + " parameters, " + traceType + "? trace)");
        EmitEvaluateBody(traced: true);
        w.WriteLineNoTabs("");
        Summary(w, "The evaluation in decimal arithmetic without the trace steps.");
        w.WriteLine("private static " + Runtime + ".Award EvaluateDecimal(" + facts + ", " + _names.Parameters + " parameters)");
        EmitEvaluateBody(traced: false);
    }

    /// <summary>
    /// The evaluation in scaled integers: convert the inputs, then the decimal body's steps on longs. Traced, it adds the
    /// decimal body's steps with the same texts and values (a number is converted back to decimal for its step).
    /// </summary>
    private void EmitFixedBody(FixedRule plan, bool traced)
    {
        _traced = traced;
        var w = _w;
        var fallback = traced ? "return EvaluateDecimal(in facts, parameters, trace);" : "return EvaluateDecimal(in facts, parameters);";
        var step = "trace.Add(new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.";
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("if (parameters is null) throw new global::System.ArgumentNullException(nameof(parameters));");
        if (traced) w.WriteLine("if (trace is null) return EvaluateUntraced(in facts, parameters);");
        // Enum facts with an undeclared value: the decimal path reports the problem.
        foreach (var fact in _rule.Facts.Where(f => f.Kind is FactKind.Level or FactKind.OneOf && !f.Members.IsEmpty))
        {
            var member = "facts." + _names.FactMembers[fact.Name];
            w.WriteLine("if (!(" + string.Join(" || ", fact.Members.Select(m => member + " == " + EnumMember(fact.Name, m.Key))) + ")) " + fallback);
        }
        foreach (var input in plan.Inputs) EmitInput(input);
        // Traced, every other rule's award is read before the first step, so that falling back never repeats a step.
        var others = 0;
        for (; others < (traced ? plan.OtherAwards.Count : plan.EarlyOtherAwards); others++) EmitOtherAward(plan.OtherAwards[others]);
        foreach (var (local, value) in plan.Lets)
        {
            var let = _rule.Lets.First(l => _names.Lets[l.Name] == local);
            var letUnit = let.Value.Unit.Base.IsDimensionless ? "" : let.Value.Unit.Base.ToString();
            w.WriteLine("long " + local + " = " + FixedEmitter.Expression(value) + "; // in " + FixedEmitter.UnitText(value.Places, letUnit));
            Trace(step + "Let, " + Str("let " + let.Name) + ", " + ToDecimal(local, value.Places) + ", Source));");
            if (!_traced && !_expr.ReadsLet(let.Name)) w.WriteLine("_ = " + local + ";");
        }
        foreach (var (condition, requirement) in plan.Requirements)
        {
            var text = "requires " + requirement.Text;
            w.WriteLine("if (!" + Paren(FixedEmitter.Condition(condition)) + ")");
            w.WriteLine("{");
            w.Indent++;
            Trace(step + "Condition, " + Str(text) + ", \"fails\", Source));");
            w.WriteLine("return " + Runtime + ".Award.Failed(AwardRule, true, " + Str(text) + ");");
            w.Indent--;
            w.WriteLine("}");
            Trace(step + "Condition, " + Str(text) + ", \"holds\", Source));");
        }
        for (; others < plan.OtherAwards.Count; others++) EmitOtherAward(plan.OtherAwards[others]);
        var unit = Quantity.Format(0m, _policy.AwardUnit).Substring(1).Trim();
        w.WriteLine("long amount = " + FixedEmitter.Expression(plan.Formula) + "; // in " + FixedEmitter.UnitText(plan.Places, unit));
        Trace(step + "Formula, \"award formula\", " + ToDecimal("amount", plan.Places) + ", Source));");
        w.WriteLine("decimal boundLimit = 0m;");
        w.WriteLine("int boundCap = 0;");
        if (traced && plan.Caps.Count > 0) w.WriteLine("long bound = 0L;");
        for (var i = 0; i < plan.Caps.Count; i++)
        {
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            var constant = _rule.Caps[i].Limit is ConstantExpr;
            var limit = plan.Caps[i] is FixedConstant c ? FixedEmitter.Long(c.Units) : FixedEmitter.Expression(plan.Caps[i]);
            w.WriteLine("long limit" + n + " = " + limit + ";");
            w.WriteLine("if (limit" + n + " < amount)");
            w.WriteLine("{");
            w.Indent++;
            w.WriteLine("amount = limit" + n + ";");
            w.WriteLine("boundLimit = " + (constant ? "Cap" + n + "Limit" : ToDecimal("limit" + n, plan.Places)) + ";");
            w.WriteLine("boundCap = " + n + ";");
            if (traced) w.WriteLine("bound = limit" + n + ";");
            w.Indent--;
            w.WriteLine("}");
            Trace("trace.Add(" + CapStep(i, ToDecimal("limit" + n, plan.Places), "bound == limit" + n) + ");");
        }
        if (plan.MayBeNegative) w.WriteLine("if (amount < 0L) amount = 0L;");
        Trace(step + "Result, \"award of \" + Name, " + ToDecimal("amount", plan.Places) + ", Source));");
        w.WriteLine("return " + Runtime + ".Award.Paid(AwardRule, " + ToDecimal("amount", plan.Places) + ", boundCap, boundLimit);");
        w.Indent--;
        w.WriteLine("}");

        void EmitInput(FixedInput input)
        {
            w.WriteLine("if (!" + FixedEmitter.Runtime + ".TryScale(" + input.Value + ", " + CSharpText.IntLiteral(input.Places) + ", " + FixedEmitter.Long(input.Max) +
                        ", out long " + input.Local + ")) " + fallback + " // " + input.What);
        }

        void EmitOtherAward(FixedOtherAward other)
        {
            w.WriteLine("var " + other.AwardLocal + " = " + other.Evaluation + ";");
            w.WriteLine("if (" + other.AwardLocal + ".Problem is not null) " + fallback);
            EmitInput(other.Amount);
        }
    }

    private bool _traced;

    /// <summary>Writes a trace step, in the traced body only.</summary>
    private void Trace(string line)
    {
        if (_traced) _w.WriteLine(line);
    }

    private void EmitEvaluateBody(bool traced)
    {
        _traced = traced;
        var w = _w;
        var computable = _rule.Award.IsCaseByCase ? "false" : "true";
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("if (parameters is null) throw new global::System.ArgumentNullException(nameof(parameters));");
        if (traced) w.WriteLine("if (trace is null) return EvaluateUntraced(in facts, parameters);");

        // 1. Facts must be valid: quantities not negative and within their bound, enums a declared member.
        foreach (var fact in _rule.Facts)
        {
            var member = "facts." + _names.FactMembers[fact.Name];
            string? test = null, problem = null;
            if (fact.Kind == FactKind.Quantity)
            {
                // The sign bit is one test; -0 has it too, hence the second test (taken only for a negative sign).
                test = "(decimal.IsNegative(" + member + ") && " + member + " != 0m)" + (fact.AtMost is { } most ? " || " + member + " > " + Dec(most) : "");
                problem = "fact " + fact.Name + " must be between 0 and " + (fact.AtMost is { } m ? m.ToString(CultureInfo.InvariantCulture) : "any amount");
            }
            else if (fact.Kind is FactKind.Level or FactKind.OneOf)
            {
                test = fact.Members.IsEmpty ? "true" : "!(" + string.Join(" || ", fact.Members.Select(m => member + " == " + EnumMember(fact.Name, m.Key))) + ")";
                problem = "fact " + fact.Name + " has no valid value";
            }
            if (test is null) continue;
            w.WriteLine("if (" + test + ")");
            w.WriteLine("{");
            w.Indent++;
            Trace("trace?.Add(new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.Problem, " + Str(problem) + ", " + member +
                        (fact.Kind == FactKind.Quantity ? "" : ".ToString()") + ", Source));");
            w.WriteLine("return " + Runtime + ".Award.WithProblem(AwardRule, " + computable + ", " + Str(problem) + ");");
            w.Indent--;
            w.WriteLine("}");
        }

        // 2. Parameters: looked up once, read where used (an unset one is a problem only where it is read).
        foreach (var (local, expression, _) in _expr.ParameterLookups())
            w.WriteLine("decimal? " + local + " = " + expression + ";");

        // try/catch only where something can throw: an unset parameter, another rule's problem, a possible
        // overflow or division by zero (bounds from the facts' validation and the constants).
        var mayThrow = _expr.ReadsParametersOrRules();
        var awardBound = 0d;
        foreach (var let in _rule.Lets) _expr.Magnitude(let.Value, ref mayThrow);
        foreach (var requirement in _rule.Requirements) _expr.ConditionMayThrow(requirement.Condition, ref mayThrow);
        if (!_rule.Award.IsCaseByCase)
        {
            awardBound = _expr.Magnitude(_rule.Award.Formula!, ref mayThrow);
            foreach (var cap in _rule.Caps) awardBound = Math.Min(awardBound, _expr.Magnitude(cap.Limit, ref mayThrow));
            if (_rule.Rounding is { } r)
            {
                var step = Math.Abs((double)r.Step);
                if (step == 0 || !(awardBound / step + 1 < 7.9e28) || !((awardBound / step + 1) * step < 7.9e28)) mayThrow = true;
                awardBound += step;
            }
            if (_policy.MoneyPerPoint is { } pp && _policy.AwardUnit == Model.Unit.AwardPoints && !(awardBound * Math.Abs((double)pp) < 7.9e28)) mayThrow = true;
        }
        if (mayThrow)
        {
            w.WriteLine("try");
            w.WriteLine("{");
            w.Indent++;
        }

        // 3. Lets, in order (before the conditions, which may read them).
        foreach (var let in _rule.Lets)
        {
            var local = _names.Lets[let.Name];
            w.WriteLine("decimal " + local + " = " + _expr.Expression(let.Value) + ";");
            Trace("trace?.Add(new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.Let, " + Str("let " + let.Name) + ", " + local + ", Source));");
            // Read only by its trace step: the discard keeps a constant let from warning CS0219.
            if (!_traced && !_expr.ReadsLet(let.Name)) w.WriteLine("_ = " + local + ";");
        }

        // 4. Conditions: every one must hold.
        foreach (var requirement in _rule.Requirements)
        {
            var text = "requires " + requirement.Text;
            w.WriteLine("if (!" + Paren(_expr.Condition(requirement.Condition)) + ")");
            w.WriteLine("{");
            w.Indent++;
            Trace("trace?.Add(new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.Condition, " + Str(text) + ", \"fails\", Source));");
            w.WriteLine("return " + Runtime + ".Award.Failed(AwardRule, " + computable + ", " + Str(text) + ");");
            w.Indent--;
            w.WriteLine("}");
            Trace("trace?.Add(new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.Condition, " + Str(text) + ", \"holds\", Source));");
        }

        // 5. Case by case: not computable, nothing is paid automatically.
        if (_rule.Award.IsCaseByCase)
        {
            var reason = "case by case: " + (_rule.Award.CaseByCaseReason ?? "no award");
            Trace("trace?.Add(new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.Formula, " + Str(reason) + ", \"not computable\", Source));");
            w.WriteLine("return " + Runtime + ".Award.CaseByCase(AwardRule);");
        }
        else
        {
            // 6. Formula, then min with every cap, never below 0, rounding if the rule says so.
            w.WriteLine("decimal amount = " + _expr.Expression(_rule.Award.Formula!) + ";");
            Trace("trace?.Add(new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.Formula, \"award formula\", " + "amount" + ", Source));");
            w.WriteLine("decimal boundLimit = 0m;");
            w.WriteLine("int boundCap = 0;");
            for (var i = 0; i < _rule.Caps.Count; i++)
            {
                var cap = _rule.Caps[i];
                var n = (i + 1).ToString(CultureInfo.InvariantCulture);
                var limit = cap.Limit is ConstantExpr ? "Cap" + n + "Limit" : _expr.Expression(cap.Limit);
                w.WriteLine("decimal limit" + n + " = " + limit + ";");
                w.WriteLine("if (limit" + n + " < amount)");
                w.WriteLine("{");
                w.Indent++;
                w.WriteLine("amount = limit" + n + ";");
                w.WriteLine("boundLimit = limit" + n + ";");
                w.WriteLine("boundCap = " + n + ";");
                w.Indent--;
                w.WriteLine("}");
                Trace("trace?.Add(" + CapStep(i, "limit" + n, "boundLimit == limit" + n) + ");");
            }
            // Never below 0 (skipped where the formula and every cap limit are proven not negative).
            if (!_expr.NeverNegative(_rule.Award.Formula!) || !_rule.Caps.All(c => _expr.NeverNegative(c.Limit)))
                w.WriteLine("if (amount < 0m) amount = 0m;");
            if (_rule.Rounding is { } rounding)
            {
                var step = Dec(rounding.Step);
                var rounded = rounding.Direction switch
                {
                    RoundingDirection.Down => "global::System.Math.Floor(amount / " + step + ") * " + step,
                    RoundingDirection.Up => "global::System.Math.Ceiling(amount / " + step + ") * " + step,
                    _ => "global::System.Math.Round(amount / " + step + ", global::System.MidpointRounding.AwayFromZero) * " + step,
                };
                var mayRise = rounding.Direction != RoundingDirection.Down && _rule.Caps.Count > 0;
                if (mayRise) w.WriteLine("decimal unrounded = amount;");
                w.WriteLine("amount = " + rounded + ";");
                if (mayRise)
                {
                    // Rounding never lifts an award above a cap: there it rounds down (as the reference evaluator does).
                    var above = string.Join(" || ", Enumerable.Range(1, _rule.Caps.Count).Select(i => "amount > limit" + i.ToString(CultureInfo.InvariantCulture)));
                    w.WriteLine("if (" + above + ") amount = global::System.Math.Floor(unrounded / " + step + ") * " + step + ";");
                }
                Trace("trace?.Add(new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.Rounding, " +
                            Str("round " + rounding.Direction.ToString().ToLowerInvariant() + " to " + rounding.Step.ToString(CultureInfo.InvariantCulture)) + ", " + "amount" + ", Source));");
            }
            Trace("trace?.Add(new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.Result, \"award of \" + Name, " + "amount" + ", Source));");
            if (mayThrow && _policy.MoneyPerPoint is { } pp && _policy.AwardUnit == Model.Unit.AwardPoints && !(awardBound * Math.Abs((double)pp) < 7.9e28))
                w.WriteLine("_ = " + Money("amount") + "; // the money ceiling (read later) must fit a decimal");
            w.WriteLine("return " + Runtime + ".Award.Paid(AwardRule, amount, boundCap, boundLimit);");
        }
        if (!mayThrow)
        {
            w.Indent--;
            w.WriteLine("}");
            return;
        }
        w.Indent--;
        w.WriteLine("}");
        foreach (var (type, message) in new[]
                 {
                     ("global::System.DivideByZeroException", Str("division by zero in " + _rule.Name)),
                     ("global::System.OverflowException", Str("the arithmetic overflowed a decimal")),
                     (Runtime + ".EvaluationProblemException problem", "problem.Message"),
                 })
        {
            w.WriteLine("catch (" + type + ")");
            w.WriteLine("{");
            w.Indent++;
            Trace("trace?.Add(new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.Problem, " + message + ", \"not evaluated\", Source));");
            w.WriteLine("return " + Runtime + ".Award.WithProblem(AwardRule, " + computable + ", " + message + ");");
            w.Indent--;
            w.WriteLine("}");
        }
        w.Indent--;
        w.WriteLine("}");
    }

    /// <summary>
    /// The trace step of cap i (0-based), shared by the decimal and the scaled bodies: the cap's text (a limit computed per
    /// application stays a number, written only when read) and "binds" when the binding cap has this cap's text and limit
    /// (caps with the same text are told apart by the limit only).
    /// </summary>
    private string CapStep(int i, string limit, string sameLimit)
    {
        var cap = _rule.Caps[i];
        var n = (i + 1).ToString(CultureInfo.InvariantCulture);
        var sameText = Enumerable.Range(1, _rule.Caps.Count).Where(j => CapSuffix(_rule.Caps[j - 1]) == CapSuffix(cap))
            .Select(j => "boundCap == " + j.ToString(CultureInfo.InvariantCulture)).ToArray();
        var text = cap.Limit is ConstantExpr constant
            ? Str("cap " + constant.Value.ToString("0.############################", CultureInfo.InvariantCulture) + CapSuffix(cap))
            : "\"cap \", " + limit + ", Cap" + n + "Suffix";
        return "new " + Runtime + ".TraceStep(" + Runtime + ".TraceKind.Cap, " + text + ", " +
               (sameText.Length == 1 ? sameText[0] : "(" + string.Join(" || ", sameText) + ")") + " && " + sameLimit + " ? \"binds\" : \"does not bind\", Source)";
    }

    private static string ToDecimal(string units, int places) => FixedEmitter.Runtime + ".ToDecimal(" + units + ", " + CSharpText.IntLiteral(places) + ")";

    private static string Paren(string condition) => condition.StartsWith("(", StringComparison.Ordinal) && condition.EndsWith(")", StringComparison.Ordinal) ? condition : "(" + condition + ")";

    /// <summary>The limit of each cap for one application's facts (for running totals across applications).</summary>
    private void EmitCapLimit()
    {
        var w = _w;
        w.WriteLineNoTabs("");
        Summary(w, "The limit of cap number index (0-based) for these facts, in the award unit; 0 for an unknown parameter.");
        w.WriteLine("public static decimal CapLimit(int index, in " + _names.Facts + " facts, " + _names.Parameters + " parameters)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("if (parameters is null) throw new global::System.ArgumentNullException(nameof(parameters));");
        var caps = _rule.Caps.Select((c, i) => (c, i)).Where(x => x.c.Limit is not ConstantExpr).ToArray();
        if (caps.Length > 0 && !_rule.Award.IsCaseByCase)
        {
            foreach (var (local, expression, _) in _expr.ParameterLookups()) w.WriteLine("decimal? " + local + " = " + expression + ";");
            foreach (var let in _rule.Lets)
            {
                // The caps need not read every let; the discard keeps a constant let from warning CS0219.
                w.WriteLine("decimal " + _names.Lets[let.Name] + " = " + _expr.Expression(let.Value) + ";");
                w.WriteLine("_ = " + _names.Lets[let.Name] + ";");
            }
        }
        w.WriteLine("switch (index)");
        w.WriteLine("{");
        w.Indent++;
        for (var i = 0; i < _rule.Caps.Count; i++)
        {
            var cap = _rule.Caps[i];
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            var value = cap.Limit is ConstantExpr || _rule.Award.IsCaseByCase ? (cap.Limit is ConstantExpr ? "Cap" + n + "Limit" : "0m") : _expr.Expression(cap.Limit);
            w.WriteLine("case " + CSharpText.IntLiteral(i) + ": return " + value + ";");
        }
        w.WriteLine("default: throw new global::System.ArgumentOutOfRangeException(nameof(index));");
        w.Indent--;
        w.WriteLine("}");
        w.Indent--;
        w.WriteLine("}");
    }

    /// <summary>The text after a cap's limit, as the reference evaluator writes it: " points per enterprise per year".</summary>
    private string CapSuffix(Cap cap)
    {
        var unit = Quantity.Format(0m, _policy.AwardUnit).Substring(1);
        var scope = cap.Scope == CapScope.Application ? "per application" : "per " + cap.Scope.ToString().ToLowerInvariant();
        var period = cap.Scope != CapScope.Application && cap.Period == CapPeriod.PerYear ? " per year" : "";
        return unit + " " + scope + period;
    }


    /// <summary>The money an award funds at most: points × the point value; yuan as they are.</summary>
    private string Money(string amount)
    {
        if (_policy.MoneyPerPoint is { } perPoint && _policy.AwardUnit == Model.Unit.AwardPoints) return amount + " * " + Dec(perPoint);
        return amount;
    }

}
