using System.CodeDom.Compiler;
using System.Globalization;
using PolicyDsl.Model;
using PolicyDsl.Plan;
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
        _plan = RulePlanner.For(policy, rule);
        _fixed = _plan.Scaled;
        _fixedReason = _plan.DecimalReason;
        _scaled = _fixed is null ? null : new FixedEmitter(_fixed, _names, _expr);
    }

    private readonly RulePlan _plan;
    private readonly FixedRule? _fixed;

    /// <summary>
    /// The parameter inputs of the scaled entry point whose scaled value its Parameters object holds (§26.10): a parameter
    /// without dimensions, scaled once when it is set instead of on every call. Keyed by input, the cache field's name.
    /// </summary>
    private Dictionary<FixedInput, string> ScaledParameterFields()
    {
        var fields = new Dictionary<FixedInput, string>();
        if (_fixed is null || _names.ScaledFacts is null) return fields;
        var byShape = new Dictionary<(string, int, System.Numerics.BigInteger), string>();
        foreach (var input in _fixed.Inputs)
        {
            if (input.Source is not ParameterSource { Lookup.Keys.IsEmpty: true } p) continue;
            var key = (p.Lookup.Name, input.Places, input.Max);
            if (!byShape.TryGetValue(key, out var field))
            {
                // Generated members are PascalCase or end in a digit; a leading underscore keeps these apart from them.
                field = "_scaled" + _names.ParamMembers[p.Lookup.Name] + (byShape.Count + 1).ToString(CultureInfo.InvariantCulture);
                byShape[key] = field;
            }
            fields[input] = field;
        }
        return fields;
    }
    private readonly string? _fixedReason;
    private readonly FixedEmitter? _scaled;

    public void Emit()
    {
        EmitFacts();
        _w.WriteLineNoTabs("");
        if (_names.ScaledFacts is not null && _fixed is not null)
        {
            EmitScaledFacts(_fixed);
            _w.WriteLineNoTabs("");
        }
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
        w.WriteLine("public readonly struct " + _names.Facts + " : " + _all.FactsInterface);
        w.WriteLine("{");
        w.Indent++;
        // Qualified: a fact may be named like the enum or the interface (its property would hide them in here).
        var kind = "global::" + _all.Namespace + "." + _all.RuleKindEnum;
        w.WriteLine("static " + kind + " global::" + _all.Namespace + "." + _all.FactsInterface + ".Rule => " + kind + "." + _all.Kinds[_rule.Name] + ";");
        var first = false;
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
            // A derived fact (the window year, §27.1) is set by WithDate from the application's date, never given.
            w.WriteLine("public " + (fact.Derived ? "" : "required ") + type + " " + member + " { get; init; }");
        }
        w.Indent--;
        w.WriteLine("}");
    }

    /// <summary>The facts of TryEvaluateScaled (§26.2): each quantity a long in the plan's small units, the others as in the facts struct.</summary>
    private void EmitScaledFacts(FixedRule plan)
    {
        var w = _w;
        Summary(w, Describe("The facts in scaled integers"),
            "What TryEvaluateScaled takes: each quantity as a whole number of the small unit its summary names (no decimal conversion on the way in); " +
            "the other facts as in " + _names.Facts + ".");
        w.WriteLine("public readonly struct " + _names.ScaledFacts);
        w.WriteLine("{");
        w.Indent++;
        var first = true;
        foreach (var fact in _rule.Facts)
        {
            if (!first) w.WriteLineNoTabs("");
            first = false;
            var member = _names.FactMembers[fact.Name];
            if (fact.Kind == FactKind.Quantity)
            {
                var input = plan.Inputs.First(i => i.Source is FactSource f && f.Fact == fact.Name);
                Summary(w, fact.Name + (fact.Description is null ? "" : ": " + fact.Description) + ". In " + FixedLowering.UnitText(input.Places, fact.Unit?.ToString() ?? "") +
                           ", from 0 to " + input.Max.ToString(CultureInfo.InvariantCulture) + " (outside that, TryEvaluateScaled returns false).");
                w.WriteLine("public required long " + member + " { get; init; }");
                continue;
            }
            var type = fact.Kind switch
            {
                FactKind.YesNo => "bool",
                FactKind.Date => "global::System.DateOnly",
                _ => _names.Class + "." + _names.Enums[fact.Name],
            };
            Summary(w, fact.Name + (fact.Description is null ? "" : ": " + fact.Description) + ".");
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
        var cached = ScaledParameterFields();
        var values = new List<string>();
        foreach (var parameter in _rule.Parameters)
        {
            if (parameter.Dimensions.IsEmpty)
            {
                if (parameter.Values.FirstOrDefault() is { } value)
                    values.Add(_names.ParamMembers[parameter.Name] + " = " + Dec(value.Value) + ",");
                continue;
            }
            foreach (var combo in RuleNames.Combinations(_rule, parameter.Dimensions))
            {
                if (parameter.Find(combo) is { } value)
                    values.Add(_names.ParamCells[(parameter.Name, string.Join("\u001f", combo))] + " = " + Dec(value.Value) + ",");
            }
        }
        w.WriteLine("public static readonly " + _names.Parameters + " FromRules = new " + _names.Parameters + "()" + (values.Count == 0 ? ";" : ""));
        if (values.Count > 0)
        {
            w.WriteLine("{");
            w.Indent++;
            foreach (var value in values) w.WriteLine(value);
            w.Indent--;
            w.WriteLine("};");
        }
        foreach (var parameter in _rule.Parameters)
        {
            w.WriteLineNoTabs("");
            var doc = parameter.Name + (parameter.Description is null ? "" : ": " + parameter.Description) + ". In " + parameter.Unit +
                      (parameter.AtMost is { } most ? ", at most " + most.ToString(CultureInfo.InvariantCulture) : "") + ".";
            if (parameter.Dimensions.IsEmpty)
            {
                Summary(w, doc);
                WriteAttributes(ParameterAttributes(parameter, Array.Empty<string>()));
                var member = _names.ParamMembers[parameter.Name];
                var caches = cached.Where(c => c.Key.Source is ParameterSource ps && ps.Lookup.Name == parameter.Name)
                    .GroupBy(c => c.Value).Select(g => (Field: g.Key, Input: g.First().Key)).ToList();
                if (caches.Count == 0)
                {
                    w.WriteLine("public decimal? " + member + " { get; init; }");
                    continue;
                }
                // Set once (init), scaled once: TryEvaluateScaled reads the long (-1 where the value is unset or not taken).
                w.WriteLine("public decimal? " + member);
                w.WriteLine("{");
                w.Indent++;
                w.WriteLine("get => _" + member + ";");
                w.WriteLine("init");
                w.WriteLine("{");
                w.Indent++;
                w.WriteLine("_" + member + " = value;");
                foreach (var (field, input) in caches)
                    w.WriteLine(field + " = " + FixedEmitter.Runtime + ".TryScale(value, " + CSharpText.IntLiteral(input.Places) + ", " + FixedEmitter.Long(input.Max) +
                                ", out long " + field + "Value) ? " + field + "Value : -1L;");
                w.Indent--;
                w.WriteLine("}");
                w.Indent--;
                w.WriteLine("}");
                w.WriteLine("private readonly decimal? _" + member + ";");
                foreach (var (field, input) in caches)
                {
                    Summary(w, member + " scaled once for TryEvaluateScaled (" + input.What + "); -1 where unset or not taken.");
                    w.WriteLine("internal readonly long " + field + " = -1L;");
                }
                continue;
            }
            var combos = RuleNames.Combinations(_rule, parameter.Dimensions).ToArray();
            foreach (var combo in combos)
            {
                Summary(w, doc + " For " + string.Join(", ", parameter.Dimensions.Zip(combo, (d, k) => d + " = " + k)) + ".");
                WriteAttributes(ParameterAttributes(parameter, combo));
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

    /// <summary>
    /// What the C# analyzer checks a value given to this parameter cell against: the caps that apply to it (the plan's) and
    /// the declared bound, as attributes, so that its message is the one `policyc check` gives for that value in a .rules file.
    /// </summary>
    private IEnumerable<string> ParameterAttributes(Parameter parameter, IReadOnlyList<string> keys)
    {
        var suffix = PlanTexts.UnitSuffix(_policy.AwardUnit);
        foreach (var check in _plan.CapsOf(parameter.Name, keys))
        {
            yield return Runtime + ".ParameterCapAttribute(" + Str(_rule.Name) + ", " + Str(parameter.Name) + ", " + Str(check.KeyText) + ", " +
                         Str(PlanTexts.Number(check.Limit)) + ", " + Str(suffix) + ", " + Str(check.CapText) + ")";
        }
        if (parameter.AtMost is { } most)
        {
            var label = _rule.Name + "." + parameter.Name + (keys.Count > 0 ? "[" + string.Join(",", keys) + "]" : "");
            // Shown in the unit the author declared: the model keeps the base unit; a dimensionless parameter can only be declared in %.
            var shown = parameter.Unit.Base == Model.Unit.Dimensionless ? Model.Unit.Percent : parameter.Unit.Base;
            yield return Runtime + ".ParameterBoundAttribute(" + Str(label) + ", " + Str(PlanTexts.Number(most)) + ", " + Str(PlanTexts.Number(shown.Scale)) + ", " +
                         Str(PlanTexts.UnitSuffix(shown)) + ", " + Str(Quantity.FormatIn(most, shown)) + ")";
        }
    }

    /// <summary>A member's attributes in one list: [A(...), B(...)].</summary>
    private void WriteAttributes(IEnumerable<string> attributes)
    {
        var all = attributes.ToArray();
        if (all.Length > 0) _w.WriteLine("[" + string.Join(", ", all) + "]");
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
            var step = _plan.Caps[i];
            if (cap.Limit is ConstantExpr c)
            {
                Summary(w, "Cap " + (i + 1).ToString(CultureInfo.InvariantCulture) + ": " + step.Stated + ".");
                w.WriteLine("public const decimal " + capName + "Limit = " + Dec(c.Value) + ";");
            }
        }
        Summary(w, "The caps of the rule, in order: the limit (null where computed per application), scope, period and the cap as the policy states it.");
        w.WriteLine("public static readonly global::System.Collections.Generic.IReadOnlyList<" + Runtime + ".CapInfo> Caps = new " + Runtime + ".CapInfo[]");
        w.WriteLine("{");
        w.Indent++;
        foreach (var step in _plan.Caps)
        {
            w.WriteLine("new " + Runtime + ".CapInfo(" + (step.ConstantLimit is { } c ? Dec(c) : "null") + ", " + Runtime + ".CapScope." + step.Cap.Scope + ", " +
                        Runtime + ".CapPeriod." + step.Cap.Period + ", " + Str(step.Stated) + (step.Cap.Shared is { } shared ? ", " + Str(shared) : "") +
                        // §30.2: the N-year period as Cap.Info gives it to the interpreter.
                        (step.Cap.Period == CapPeriod.Years
                            ? ", Years: " + step.Cap.Years.ToString(CultureInfo.InvariantCulture) + (step.Cap.Rolling ? ", Rolling: true" : ", FromYear: " + step.Cap.FromYear.ToString(CultureInfo.InvariantCulture))
                            : "") +
                        // §29.2: the unit the running total is shown in, as Cap.Info gives it to the interpreter.
                        (PlanTexts.CapShown(step.Cap, _policy.AwardUnit) is ({ } shownUnit, var shownScale)
                            ? ", ShownUnit: " + Str(shownUnit) + ", ShownScale: " + Dec(shownScale)
                            : "") + "),");
        }
        w.Indent--;
        w.WriteLine("};");
        Summary(w, "What the rule's awards and trace steps share: its name and source sentence, whether it is computed, the point value and what follows each cap's limit when it binds.");
        var perPoint = _policy.MoneyPerPoint is { } pp && _policy.AwardUnit == Model.Unit.AwardPoints ? Dec(pp) : "null";
        // A fixed cap written in another unit (cap 50 wan-yuan) is named as written when it binds (§24.9).
        var stated = string.Concat(_plan.Caps.Where(c => c.ConstantLimit is { } k && c.BoundBy(k) != PlanTexts.Number(k) + c.Suffix)
            .Select(c => ".Stated(" + c.Number.ToString(CultureInfo.InvariantCulture) + ", " + Dec(c.ConstantLimit!.Value) + ", " + Str(c.BoundBy(c.ConstantLimit!.Value)) + ")"));
        w.WriteLine("private static readonly " + Runtime + ".AwardRule AwardRule = new" + (stated.Length == 0 ? "" : " " + Runtime + ".AwardRule") + "(Name, Source, " +
                    (_plan.IsCaseByCase ? "false" : "true") + ", " + perPoint +
                    string.Concat(_plan.Caps.Select(c => ", " + Str(c.Suffix))) + ")" + stated + ";");

        foreach (var fact in _rule.Facts.Where(f => f.Kind is FactKind.Level or FactKind.OneOf)) EmitEnum(fact);
        foreach (var table in _rule.Tables) EmitTable(table);
        foreach (var band in _rule.Bands) EmitBand(band);

        EmitWithDate();
        EmitEvaluate();

        w.Indent--;
        w.WriteLine("}");
    }

    /// <summary>§27.1: the window year derived from the application's date (EventWindows, as the interpreter derives it).</summary>
    private void EmitWithDate()
    {
        if (_rule.Window is null && _rule.Schedule is null && _rule.After.IsEmpty) return;
        var w = _w;
        w.WriteLineNoTabs("");
        var sets = new List<string>();
        var what = new List<string>();
        if (_rule.Window is { } window)
        {
            sets.Add(_names.FactMembers[window.YearFact] + " = " + Runtime + ".EventWindows.Year(date, facts." + _names.FactMembers[window.Event] + ", " +
                     Runtime + ".WindowStart." + window.Start + YearStartArgument(window.Year) + ")");
            what.Add("the window year (" + window.YearFact + ") derived from the application's date and " + window.Event);
        }
        foreach (var other in _rule.After)
        {
            // §27.10: another rule's window year, from the same EventWindows.Year.
            sets.Add(_names.FactMembers[other.YearFact] + " = " + Runtime + ".EventWindows.Year(date, facts." + _names.FactMembers[other.Event] + ", " +
                     Runtime + ".WindowStart." + other.Start + YearStartArgument(other.Year) + ")");
            what.Add(other.YearFact + " derived from the application's date and " + other.Event);
        }
        if (_rule.Schedule is { } schedule)
        {
            // §27.7: the milestones are compared with the application's date.
            sets.Add(_names.FactMembers[schedule.DateFact] + " = date");
            what.Add("the application's date (" + schedule.DateFact + ")");
        }
        Summary(w, "The facts with " + string.Join(" and ", what) + ".");
        w.WriteLine("public static " + _names.Facts + " WithDate(in " + _names.Facts + " facts, global::System.DateOnly date) => facts with { " +
                    string.Join(", ", sets) + " };");
    }

    /// <summary>§30.1: ", new YearStart(7, 1)" for a year that is not the calendar year, else nothing (the default).</summary>
    internal static string YearStartArgument(PolicyDsl.Runtime.YearStart year) => year.IsCalendar ? "" :
        ", new " + Runtime + ".YearStart(" + year.Month.ToString(CultureInfo.InvariantCulture) + ", " + year.Day.ToString(CultureInfo.InvariantCulture) + ")";

    /// <summary>The enum value each member of a level or one-of fact gets (a level's whole number, else 1, 2, 3, ...).</summary>
    private static int[] EnumValues(Fact fact)
    {
        var values = new int[fact.Members.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var member = fact.Members[i];
            values[i] = fact.Kind == FactKind.Level && member.Rank is { } rank && rank == decimal.Truncate(rank) && rank is >= int.MinValue and <= int.MaxValue
                ? (int)rank : i + 1;
        }
        return values;
    }

    /// <summary>A test that an enum fact holds a declared member, in C#. A few members are compared one by one; many
    /// (a table of 100,000 cases) are one range test when their values are consecutive, else Enum.IsDefined: a chain of
    /// 100,000 "||" made the C# compiler's work superlinear and overflowed its stack.</summary>
    private string IsDeclaredMember(Fact fact, string member)
    {
        const int FewMembers = 16;
        if (fact.Members.Count <= FewMembers)
            return "(" + string.Join(" || ", fact.Members.Select(m => member + " == " + EnumMember(fact.Name, m.Key))) + ")";
        var values = EnumValues(fact);
        var (low, high) = (values.Min(), values.Max());
        return (long)high - low + 1 == values.Length && values.Distinct().Count() == values.Length
            ? "((int)" + member + " >= " + CSharpText.IntLiteral(low) + " && (int)" + member + " <= " + CSharpText.IntLiteral(high) + ")"
            : "global::System.Enum.IsDefined(" + member + ")";
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
        var values = EnumValues(fact);
        for (var i = 0; i < values.Length; i++)
        {
            var member = fact.Members[i];
            Summary(w, member.Key + (member.Label is null ? "" : " " + member.Label));
            w.WriteLine(_names.EnumMembers[(fact.Name, member.Key)] + " = " + CSharpText.IntLiteral(values[i]) + ",");
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
        if (table.Cells.Count > Plan.FixedLowering.MaxSwitchCases && EmitTableArray(table, string.Join(", ", args))) return;
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

    /// <summary>A large table as an array indexed by its keys' enum values (each dimension's values consecutive, as a
    /// one-of fact's are): linear work for the C# compiler, where a switch of 100,000 arms was not. False when a
    /// dimension's values have gaps (a level fact's numbers); the switch is emitted then.</summary>
    private bool EmitTableArray(Table table, string args)
    {
        var dims = new List<(int Low, int Count, Dictionary<string, int> Index)>();
        foreach (var d in table.Dimensions)
        {
            var fact = _rule.FindFact(d);
            if (fact is null || fact.Members.IsEmpty) return false;
            var values = EnumValues(fact);
            var (low, high) = (values.Min(), values.Max());
            if ((long)high - low + 1 != values.Length || values.Distinct().Count() != values.Length) return false;
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < values.Length; i++) index[fact.Members[i].Key] = values[i] - low;
            dims.Add((low, values.Length, index));
        }
        long size = 1;
        foreach (var d in dims) size *= d.Count;
        if (size > 1_000_000) return false;
        var cells = new string?[size];
        foreach (var cell in table.Cells)
        {
            long at = 0;
            for (var i = 0; i < dims.Count; i++)
            {
                if (!dims[i].Index.TryGetValue(cell.Keys[i], out var k)) return false;
                at = at * dims[i].Count + k;
            }
            cells[at] = Dec(cell.Value);
        }
        var w = _w;
        var method = _names.Tables[table.Name];
        var field = "__" + method + "Cells";
        w.WriteLine("private static readonly decimal[] " + field + " =");
        w.WriteLine("[");
        w.Indent++;
        const int PerLine = 16;
        for (long i = 0; i < size; i += PerLine)
            w.WriteLine(string.Join(", ", Enumerable.Range(0, (int)Math.Min(PerLine, size - i)).Select(j => cells[i + j] ?? "0m")) + ",");
        w.Indent--;
        w.WriteLine("];");
        w.WriteLineNoTabs("");
        w.WriteLine("private static decimal " + method + "(" + args + ")");
        w.WriteLine("{");
        w.Indent++;
        var checks = new List<string>();
        for (var i = 0; i < dims.Count; i++)
        {
            w.WriteLine("var i" + i + " = (long)(int)" + ArgName(i) + " - " + (long)dims[i].Low + "L;");
            checks.Add("(ulong)i" + i + " < " + dims[i].Count + "UL");
        }
        w.WriteLine("return " + string.Join(" && ", checks) + " ? " + field + "[" + FlatIndex(dims.Count, dims.Select(d => d.Count).ToArray()) + "] : 0m;");
        w.Indent--;
        w.WriteLine("}");
        return true;
    }

    /// <summary>i0 * n1 * n2 + i1 * n2 + i2, as C# (row-major, in long).</summary>
    private static string FlatIndex(int count, int[] sizes)
    {
        var terms = new List<string>();
        for (var i = 0; i < count; i++)
        {
            long stride = 1;
            for (var j = i + 1; j < count; j++) stride *= sizes[j];
            terms.Add(stride == 1 ? "i" + i : "i" + i + " * " + stride + "L");
        }
        return string.Join(" + ", terms);
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

        // Without a scaled entry point, a scaled plan that does no arithmetic buys nothing over the decimal body (§26.2).
        var oneBody = _fixed is null || (_names.ScaledFacts is null && !_fixed.DoesArithmetic);
        // One body: the untraced overloads run it with no trace (each step's trace?.Add is then skipped), with no
        // forwarding method between them (§26.4: every method the compiler binds costs the consumer's build).
        var untraced = oneBody ? "Evaluate(in facts, {0}, null)" : "EvaluateUntraced(in facts, {0})";
        w.WriteLineNoTabs("");
        Summary(w, "Evaluates one application with the implementation rules' parameters. Allocates nothing.");
        w.WriteLine("public static " + Runtime + ".Award Evaluate(" + facts + ") => " + string.Format(CultureInfo.InvariantCulture, untraced, _names.Parameters + ".FromRules") + ";");
        w.WriteLineNoTabs("");
        Summary(w, "Evaluates one application with the given parameters. Allocates nothing.");
        w.WriteLine("public static " + Runtime + ".Award Evaluate(" + facts + ", " + _names.Parameters + " parameters) => " + string.Format(CultureInfo.InvariantCulture, untraced, "parameters") + ";");
        w.WriteLineNoTabs("");
        if (_fixed is null || oneBody)
        {
            Summary(w, "Evaluates one application; when a trace is given, each step is added to it with the rule's source sentence.",
                "In decimal arithmetic: " + (_fixed is null ? _fixedReason : PlanTexts.NoArithmetic) + ".");
            w.WriteLine("public static " + Runtime + ".Award Evaluate(" + facts + ", " + _names.Parameters + " parameters, " + traceType + "? trace)");
            EmitEvaluateBody(traced: true, redirectUntraced: false);
            return;
        }
        Summary(w, "Evaluates one application; when a trace is given, each step is added to it with the rule's source sentence.",
            "Traced, the decimal evaluation runs (it gives the same award as the scaled one, step by step).");
        w.WriteLine("public static " + Runtime + ".Award Evaluate(" + facts + ", " + _names.Parameters + " parameters, " + traceType + "? trace) =>");
        w.Indent++;
        w.WriteLine("trace is null ? EvaluateUntraced(in facts, parameters) : EvaluateDecimal(in facts, parameters, trace);");
        w.Indent--;
        w.WriteLineNoTabs("");
        Summary(w, "The evaluation without the trace steps, in exact scaled integers (what the overloads without a trace run).",
            "Each input is taken as a whole number of small units (below); one with more decimal places, larger, negative or unset " +
            "takes EvaluateDecimal instead, which gives the same award. Every intermediate value is proven to fit a long.");
        w.WriteLine("private static " + Runtime + ".Award EvaluateUntraced(" + facts + ", " + _names.Parameters + " parameters)");
        EmitFixedBody(_fixed);
        if (_names.ScaledFacts is not null)
        {
            var unit = Quantity.Format(0m, _policy.AwardUnit).Substring(1).Trim();
            w.WriteLineNoTabs("");
            Summary(w, "The places of TryEvaluateScaled's amount: it is in " + FixedLowering.UnitText(_fixed.Places, unit) + ".");
            w.WriteLine("public const int AmountPlaces = " + CSharpText.IntLiteral(_fixed.Places) + ";");
            w.WriteLineNoTabs("");
            Summary(w, "Evaluates one application in exact scaled integers with the implementation rules' parameters: no decimal on the way in or out.",
                "The amount is in 10^-AmountPlaces " + unit + ", equal to Evaluate's award (0 when a condition does not hold). False, with amount 0, where the " +
                "scaled evaluation does not take the application (a quantity outside its range, an undeclared value, a parameter unset): " +
                "Evaluate with the decimal facts gives the award, or names the problem, there.");
            // Small bodies meant for a caller's loop: inlined, so that ten rules cost what the same code written in one method
            // does (§26.10). A body that reads no parameter does not take the parameters object at all.
            var readsParameters = _fixed.Inputs.Any(i => i.Source is ParameterSource);
            w.WriteLine(AggressiveInlining);
            if (readsParameters)
                w.WriteLine("public static bool TryEvaluateScaled(in " + _names.ScaledFacts + " facts, out long amount) => TryEvaluateScaled(in facts, " + _names.Parameters + ".FromRules, out amount);");
            else
            {
                w.WriteLine("public static bool TryEvaluateScaled(in " + _names.ScaledFacts + " facts, out long amount)");
                EmitFixedBody(_fixed, scaledEntry: true);
            }
            w.WriteLineNoTabs("");
            Summary(w, "Evaluates one application in exact scaled integers with the given parameters (see the overload above).");
            w.WriteLine(AggressiveInlining);
            w.WriteLine("public static bool TryEvaluateScaled(in " + _names.ScaledFacts + " facts, " + _names.Parameters + " parameters, out long amount)");
            if (readsParameters) EmitFixedBody(_fixed, scaledEntry: true);
            else
            {
                w.WriteLine("{");
                w.Indent++;
                w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(parameters);");
                w.WriteLine("return TryEvaluateScaled(in facts, out amount);");
                w.Indent--;
                w.WriteLine("}");
            }
        }
        w.WriteLineNoTabs("");
        Summary(w, "The evaluation in decimal arithmetic: traced, and for the inputs the scaled-integer evaluation does not take.");
        w.WriteLine("private static " + Runtime + ".Award EvaluateDecimal(" + facts + ", " + _names.Parameters + " parameters, " + traceType + "? trace)");
        EmitEvaluateBody(traced: true, redirectUntraced: false);
    }

    /// <summary>
    /// The untraced evaluation in scaled integers: convert the inputs, then the plan's steps on longs. An input the
    /// conversion does not take (more places, larger, negative, unset, an undeclared enum value) falls back to the decimal body.
    /// </summary>
    private void EmitFixedBody(FixedRule plan, bool scaledEntry = false)
    {
        _traced = false;
        var w = _w;
        var x = _scaled!;
        // The scaled entry point (§26.2) returns false where EvaluateUntraced takes the decimal path, and the amount where it returns an award.
        var fallback = scaledEntry ? "return false;" : "return EvaluateDecimal(in facts, parameters, null);";
        var parameterFields = ScaledParameterFields();
        w.WriteLine("{");
        w.Indent++;
        if (scaledEntry) w.WriteLine("amount = 0L;");
        // The scaled entry point is inlined into its caller: a throw helper keeps it small.
        if (!scaledEntry) w.WriteLine("if (parameters is null) throw new global::System.ArgumentNullException(nameof(parameters));");
        else if (plan.Inputs.Any(i => i.Source is ParameterSource)) w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(parameters);");
        // Enum facts with an undeclared value: the decimal path reports the problem.
        foreach (var fact in _rule.Facts.Where(f => f.Kind is FactKind.Level or FactKind.OneOf && !f.Members.IsEmpty))
        {
            var member = "facts." + _names.FactMembers[fact.Name];
            w.WriteLine("if (!" + IsDeclaredMember(fact, member) + ") " + fallback);
        }
        foreach (var input in plan.Inputs) EmitInput(input);
        // Awards read by lets or conditions are evaluated first; the rest only once the conditions hold.
        var others = 0;
        for (; others < plan.EarlyOtherAwards; others++) EmitOtherAward(plan.OtherAwards[others]);
        for (var i = 0; i < plan.Lets.Count; i++)
        {
            var let = _plan.Lets[i];
            var value = plan.Lets[i].Value;
            var local = _names.Lets[let.Let.Name];
            var letUnit = let.Let.Value.Unit.Base.IsDimensionless ? "" : let.Let.Value.Unit.Base.ToString();
            w.WriteLine("long " + local + " = " + x.Expression(value) + "; // in " + FixedLowering.UnitText(value.Places, letUnit));
            if (!let.ReadLater) w.WriteLine("_ = " + local + ";");
        }
        for (var i = 0; i < plan.Requirements.Count; i++)
        {
            w.WriteLine("if (!" + Paren(x.Condition(plan.Requirements[i].Condition)) + ") return " +
                        (scaledEntry ? "true;" : Runtime + ".Award.Failed(AwardRule, " + Str(_plan.Conditions[i].Text) + ");"));
        }
        for (; others < plan.OtherAwards.Count; others++) EmitOtherAward(plan.OtherAwards[others]);
        var unit = Quantity.Format(0m, _policy.AwardUnit).Substring(1).Trim();
        w.WriteLine((scaledEntry ? "amount = " : "long amount = ") + x.Expression(plan.Formula) + "; // in " + FixedLowering.UnitText(plan.Places, unit));
        if (!scaledEntry)
        {
            w.WriteLine("decimal boundLimit = 0m;");
            w.WriteLine("int boundCap = 0;");
        }
        for (var i = 0; i < plan.Caps.Count; i++)
        {
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            var constant = _plan.Caps[i].ConstantLimit is not null;
            // A constant limit is written where it is read; a computed one is computed once.
            string limit;
            if (plan.Caps[i] is FixedConstant c) limit = FixedEmitter.Long(c.Units);
            else
            {
                limit = "limit" + n;
                w.WriteLine("long " + limit + " = " + x.Expression(plan.Caps[i]) + ";");
            }
            if (scaledEntry) w.WriteLine("if (" + limit + " < amount) amount = " + limit + ";");
            else
                w.WriteLine("if (" + limit + " < amount) { amount = " + limit + "; boundLimit = " + (constant ? "Cap" + n + "Limit" : ToDecimal(limit, plan.Places)) +
                            "; boundCap = " + n + "; }");
        }
        if (plan.MayBeNegative) w.WriteLine("if (amount < 0L) amount = 0L;");
        w.WriteLine(scaledEntry ? "return true;" : "return " + Runtime + ".Award.Paid(AwardRule, " + ToDecimal("amount", plan.Places) + ", boundCap, boundLimit);");
        w.Indent--;
        w.WriteLine("}");

        void EmitInput(FixedInput input)
        {
            if (scaledEntry && parameterFields.TryGetValue(input, out var field))
            {
                w.WriteLine("long " + x.Local(input) + " = parameters." + field + ";");
                w.WriteLine("if (" + x.Local(input) + " < 0L) " + fallback + " // " + input.What);
                return;
            }
            if (scaledEntry && input.Source is FactSource)
            {
                // Already scaled by the caller: only its range is tested (what TryScale tests of a decimal).
                w.WriteLine("long " + x.Local(input) + " = " + x.Value(input) + ";");
                // One unsigned comparison tests both ends: a negative long is above every maximum as a ulong.
                w.WriteLine("if ((ulong)" + x.Local(input) + " > " + input.Max.ToString(CultureInfo.InvariantCulture) + "UL) " + fallback + " // " + input.What);
                return;
            }
            w.WriteLine("if (!" + FixedEmitter.Runtime + ".TryScale(" + x.Value(input) + ", " + CSharpText.IntLiteral(input.Places) + ", " + FixedEmitter.Long(input.Max) +
                        ", out long " + x.Local(input) + ")) " + fallback + " // " + input.What);
        }

        void EmitOtherAward(FixedOtherAward other)
        {
            var local = FixedEmitter.AwardLocal(other.Number);
            if (scaledEntry)
            {
                // The other rule's scaled entry point, its facts bound as ScaledEntry allows: its amount is at the places of this input.
                w.WriteLine("if (!" + _expr.OtherRuleScaledEvaluation(other.Call, x.Local(other.Amount)) + ") " + fallback);
                w.WriteLine("if (" + x.Local(other.Amount) + " > " + FixedEmitter.Long(other.Amount.Max) + ") " + fallback + " // " + other.Amount.What);
                return;
            }
            w.WriteLine("var " + local + " = " + _expr.OtherRuleEvaluation(other.Call) + ";");
            w.WriteLine("if (" + local + ".Problem is not null) " + fallback);
            EmitInput(other.Amount);
        }
    }

    private bool _traced;

    private const string AggressiveInlining =
        "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

    /// <summary>Writes a trace step, in the traced body only.</summary>
    private void Trace(string line)
    {
        if (_traced) _w.WriteLine(line);
    }

    private void EmitEvaluateBody(bool traced, bool redirectUntraced = true)
    {
        _traced = traced;
        var w = _w;
        var plan = _plan;
        // The rule's AwardRule carries its source sentence and computability: each exit and step names only what differs.
        var step = "trace?.Add(AwardRule.Step(" + Runtime + ".TraceKind.";
        w.WriteLine("{");
        w.Indent++;
        // An inline test, not ThrowIfNull: in a body this size the JIT does not inline that call (callgrind: +6 instructions per rule).
        w.WriteLine("if (parameters is null) throw new global::System.ArgumentNullException(nameof(parameters));");
        if (traced && redirectUntraced) w.WriteLine("if (trace is null) return EvaluateUntraced(in facts, parameters);");

        // 1. Facts must be valid: quantities not negative and within their bound, enums a declared member.
        foreach (var check in plan.FactChecks)
        {
            var fact = check.Fact;
            var member = "facts." + _names.FactMembers[fact.Name];
            // The sign bit is one test; -0 has it too, hence the second test (taken only for a negative sign).
            var test = fact.Kind == FactKind.Quantity
                ? Runtime + ".RuleSteps.BelowZero(" + member + ")" + (fact.AtMost is { } most ? " || " + member + " > " + Dec(most) : "")
                : fact.Members.IsEmpty ? "true" : "!" + IsDeclaredMember(fact, member);
            w.WriteLine("if (" + test + ") return " + Runtime + ".RuleSteps.Problem(AwardRule, " + Str(check.Problem) + ", " +
                        member + (fact.Kind == FactKind.Quantity ? "" : ".ToString()") + ", trace);");
        }

        // 2. Parameters: looked up once, read where used (an unset one is a problem only where it is read).
        foreach (var (local, expression, _) in _expr.ParameterLookups())
            w.WriteLine("decimal? " + local + " = " + expression + ";");

        // try/catch only where the plan says something can throw.
        var mayThrow = plan.MayThrow;
        if (mayThrow)
        {
            w.WriteLine("try");
            w.WriteLine("{");
            w.Indent++;
        }

        // 3. Lets, in order (before the conditions, which may read them).
        foreach (var let in plan.Lets)
        {
            var local = _names.Lets[let.Let.Name];
            w.WriteLine("decimal " + local + " = " + _expr.Expression(let.Let.Value) + ";");
            Trace(step + "Let, " + Str(let.Text) + ", " + local + "));");
            // Read only by its trace step: the discard keeps a constant let from warning CS0219.
            if (!_traced && !let.ReadLater) w.WriteLine("_ = " + local + ";");
        }

        // 4. Conditions: every one must hold.
        foreach (var condition in plan.Conditions)
        {
            w.WriteLine("if (!" + Paren(_expr.Condition(condition.Requirement.Condition)) + ") return " + Runtime + ".RuleSteps.Failed(AwardRule, " +
                        Str(condition.Text) + ", trace);");
            w.WriteLine(Runtime + ".RuleSteps.Holds(AwardRule, " + Str(condition.Text) + ", trace);");
        }

        // 5. Case by case: not computable, nothing is paid automatically.
        if (plan.IsCaseByCase)
        {
            w.WriteLine("return " + Runtime + ".RuleSteps.CaseByCase(AwardRule, " + Str(plan.CaseByCaseText) + ", trace);");
        }
        else
        {
            // 6. Formula, then min with every cap, never below 0, rounding if the rule says so.
            w.WriteLine("decimal amount = " + _expr.Expression(_rule.Award.Formula!) + ";");
            Trace(step + "Formula, " + Str(PlanTexts.FormulaStep) + ", amount));");
            w.WriteLine("decimal boundLimit = 0m;");
            w.WriteLine("int boundCap = 0;");
            foreach (var cap in plan.Caps)
            {
                var n = cap.Number.ToString(CultureInfo.InvariantCulture);
                var limit = cap.ConstantLimit is not null ? "Cap" + n + "Limit" : _expr.Expression(cap.Cap.Limit);
                w.WriteLine("decimal limit" + n + " = " + limit + ";");
                w.WriteLine("if (limit" + n + " < amount) { amount = limit" + n + "; boundLimit = limit" + n + "; boundCap = " + n + "; }");
                Trace("trace?.Add(" + CapStep(cap, "limit" + n, "boundLimit == limit" + n) + ");");
            }
            // Never below 0 (skipped where the plan proves the formula and every cap limit not negative).
            if (plan.Floor) w.WriteLine("if (amount < 0m) amount = 0m;");
            if (plan.Rounding is { } rounding)
            {
                // The runtime rounds (AwardRounding): never above a cap, where the plan says rounding could pass one.
                var mode = Runtime + ".RoundingMode." + rounding.Rounding.Direction;
                var roundTo = Dec(rounding.Rounding.Step);
                if (rounding.MayRiseAboveCap)
                {
                    var limits = plan.Caps.Select(c => "limit" + c.Number.ToString(CultureInfo.InvariantCulture)).Aggregate((a, b) => "global::System.Math.Min(" + a + ", " + b + ")");
                    w.WriteLine("amount = " + Runtime + ".AwardRounding.UnderCaps(amount, " + roundTo + ", " + mode + ", " + limits + ");");
                }
                else w.WriteLine("amount = " + Runtime + ".AwardRounding.Round(amount, " + roundTo + ", " + mode + ");");
                Trace(step + "Rounding, " + Str(rounding.Text) + ", amount));");
            }
            if (plan.Instalments is { } instalments)
            {
                // §27.7: the instalment due at the application's date (the runtime's Instalments), after caps and rounding.
                foreach (var part in instalments.Schedule.Parts)
                    Trace(step + "Condition, " + Str(part.Text) + ", " + Paren(_expr.Condition(part.Reached)) +
                          " ? " + Str(PlanTexts.Due) + " : " + Str(PlanTexts.NotDue) + "));");
                if (instalments.Schedule.AtOnce is { } once)
                    Trace(step + "Condition, " + Str(instalments.AtOnceText) + ", " + Paren(_expr.Condition(once.Condition)) +
                          " ? " + Str(PlanTexts.Holds) + " : " + Str(PlanTexts.Fails) + "));");
                w.WriteLine("decimal share = " + Runtime + ".Instalments.Share(" + _expr.Expression(instalments.Schedule.Share) + ");");
                Trace(step + "Formula, " + Str(instalments.ShareText) + ", share));");
                w.WriteLine("amount = " + Runtime + ".Instalments.Due(amount, share);");
                Trace(step + "Formula, " + Str(instalments.DueText) + ", amount));");
            }
            if (plan.MoneyMayOverflow) w.WriteLine("_ = " + Money("amount") + "; // the money ceiling (read later) must fit a decimal");
            w.WriteLine("return " + Runtime + ".RuleSteps.Paid(AwardRule, amount, boundCap, boundLimit, trace);");
        }
        if (!mayThrow)
        {
            w.Indent--;
            w.WriteLine("}");
            return;
        }
        w.Indent--;
        w.WriteLine("}");
        // One catch: the runtime names the problem in the interpreter's words (RuleSteps.Caught).
        w.WriteLine("catch (global::System.Exception e) when (" + Runtime + ".RuleSteps.IsProblem(e))");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("return " + Runtime + ".RuleSteps.Caught(AwardRule, e, trace);");
        w.Indent--;
        w.WriteLine("}");
        w.Indent--;
        w.WriteLine("}");
    }

    /// <summary>
    /// The trace step of a cap, shared by the decimal and the scaled bodies: the cap's text (a limit computed per
    /// application stays a number, written only when read) and "binds" when the binding cap has this cap's text and limit
    /// (caps with the same text are told apart by the limit only).
    /// </summary>
    private string CapStep(CapStep cap, string limit, string sameLimit)
    {
        var n = cap.Number.ToString(CultureInfo.InvariantCulture);
        var sameText = cap.SameText.Select(j => "boundCap == " + j.ToString(CultureInfo.InvariantCulture)).ToArray();
        // AwardRule.CapStep writes "binds" or "does not bind" (and, for a computed limit, "cap ", the limit and the cap's suffix).
        var text = cap.ConstantLimit is { } constant ? Str(cap.Text(constant)) : limit + ", " + n;
        return "AwardRule.CapStep(" + text + ", " + (sameText.Length == 1 ? sameText[0] : "(" + string.Join(" || ", sameText) + ")") + " && " + sameLimit + ")";
    }

    private static string ToDecimal(string units, int places) => FixedEmitter.Runtime + ".ToDecimal(" + units + ", " + CSharpText.IntLiteral(places) + ")";

    private static string Paren(string condition) => condition.StartsWith("(", StringComparison.Ordinal) && condition.EndsWith(")", StringComparison.Ordinal) ? condition : "(" + condition + ")";

    /// <summary>The money an award funds at most: points × the point value; yuan as they are.</summary>
    private string Money(string amount)
    {
        if (_policy.MoneyPerPoint is { } perPoint && _policy.AwardUnit == Model.Unit.AwardPoints) return amount + " * " + Dec(perPoint);
        return amount;
    }

}
