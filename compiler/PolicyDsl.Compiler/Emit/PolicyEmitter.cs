using System.CodeDom.Compiler;
using System.Globalization;
using PolicyDsl.Model;
using static PolicyDsl.Emit.CSharpEmitter;

namespace PolicyDsl.Emit;

/// <summary>
/// Emits the policy-level types: the rule kinds, an application (one enterprise's request under one rule),
/// the parameters of every rule, and the policy class with clause metadata and the evaluation of an
/// enterprise's applications across clauses (validity, no stacking, highest only, running totals per
/// scoped cap, cost sharing).
/// </summary>
internal sealed class PolicyEmitter
{
    private const string Runtime = "global::PolicyDsl.Runtime";
    private const string List = "global::System.Collections.Generic.IReadOnlyList";

    private readonly CheckedPolicy _policy;
    private readonly PolicyNames _names;
    private readonly IndentedTextWriter _w;
    private readonly Rule[] _rules;
    private readonly Dictionary<string, string> _kinds = new(StringComparer.Ordinal);

    public PolicyEmitter(CheckedPolicy policy, PolicyNames names, IndentedTextWriter writer)
    {
        _policy = policy;
        _names = names;
        _w = writer;
        _rules = policy.Rules.GroupBy(r => r.Name, StringComparer.Ordinal).Select(g => g.First()).ToArray();
        // Each name is an enum member and a property of the parameters class: neither may be the type's own
        // name, FromRules, or a member of object or Enum (a rule named to_string would hide ToString: CS0108).
        var scope = new NameScope(names.RuleKindEnum, names.ParametersClass, "FromRules", "value__", "Equals", "GetHashCode", "ToString",
            "GetType", "MemberwiseClone", "Finalize", "HasFlag", "CompareTo", "GetTypeCode");
        foreach (var rule in _rules) _kinds[rule.Name] = scope.Unique(rule.Name);
    }

    public void Emit()
    {
        EmitRuleKind();
        _w.WriteLineNoTabs("");
        EmitParameters();
        _w.WriteLineNoTabs("");
        EmitApplication();
        _w.WriteLineNoTabs("");
        EmitPolicyClass();
    }

    private void EmitRuleKind()
    {
        var w = _w;
        Summary(w, "The rules of policy " + _policy.Name + ".");
        w.WriteLine("public enum " + _names.RuleKindEnum);
        w.WriteLine("{");
        w.Indent++;
        foreach (var rule in _rules)
        {
            Summary(w, rule.Name + (rule.Title is null ? "" : " " + rule.Title) + " (clause " + rule.Clause.ToString(CultureInfo.InvariantCulture) + ")");
            w.WriteLine(_kinds[rule.Name] + ",");
        }
        w.Indent--;
        w.WriteLine("}");
    }

    private void EmitParameters()
    {
        var w = _w;
        Summary(w, "The parameters of every rule of policy " + _policy.Name + "; by default those the implementation rules set.");
        w.WriteLine("public sealed class " + _names.ParametersClass);
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("/// <summary>The values set by the implementation-rules file.</summary>");
        w.WriteLine("public static readonly " + _names.ParametersClass + " FromRules = new " + _names.ParametersClass + "();");
        foreach (var rule in _rules)
        {
            var r = _names.Rules[rule.Name];
            w.WriteLineNoTabs("");
            Summary(w, "The parameters of rule " + rule.Name + ".");
            w.WriteLine("public " + r.Parameters + " " + _kinds[rule.Name] + " { get; init; } = " + r.Parameters + ".FromRules;");
        }
        w.Indent--;
        w.WriteLine("}");
    }

    private void EmitApplication()
    {
        var w = _w;
        var app = _names.ApplicationClass;
        Summary(w, "One application by an enterprise under one rule of policy " + _policy.Name + ", with the rule's typed facts.");
        w.WriteLine("public sealed class " + app);
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("private " + app + "(string id, string enterprise, " + _names.RuleKindEnum + " rule, global::System.DateOnly date, object facts, string? subject, string? location, bool fundedByHigherLevelPolicy)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("Id = id ?? throw new global::System.ArgumentNullException(nameof(id));");
        w.WriteLine("Enterprise = enterprise ?? throw new global::System.ArgumentNullException(nameof(enterprise));");
        w.WriteLine("Rule = rule;");
        w.WriteLine("Date = date;");
        w.WriteLine("Facts = facts;");
        w.WriteLine("Subject = subject;");
        w.WriteLine("Location = location;");
        w.WriteLine("FundedByHigherLevelPolicy = fundedByHigherLevelPolicy;");
        w.Indent--;
        w.WriteLine("}");
        foreach (var (name, type, doc) in new[]
                 {
                     ("Id", "string", "The application's id."),
                     ("Enterprise", "string", "The applying enterprise's id (the scope key of per-enterprise caps)."),
                     ("Rule", _names.RuleKindEnum, "The rule applied under."),
                     ("Date", "global::System.DateOnly", "The application's date (checked against the validity windows; its year keys per-year caps)."),
                     ("Facts", "object", "The rule's facts (a boxed facts struct of that rule)."),
                     ("Subject", "string?", "The project, certification, item or person applied for (the scope key of those caps)."),
                     ("Location", "string?", "Where the project is (for cost sharing)."),
                     ("FundedByHigherLevelPolicy", "bool", "True when a higher-level policy already funds the same item (no stacking)."),
                 })
        {
            w.WriteLineNoTabs("");
            Summary(w, doc);
            w.WriteLine("public " + type + " " + name + " { get; }");
        }
        foreach (var rule in _rules)
        {
            var r = _names.Rules[rule.Name];
            w.WriteLineNoTabs("");
            Summary(w, "An application under rule " + rule.Name + " (clause " + rule.Clause.ToString(CultureInfo.InvariantCulture) + ").");
            w.WriteLine("public static " + app + " For(string id, string enterprise, global::System.DateOnly date, in " + r.Facts +
                        " facts, string? subject = null, string? location = null, bool fundedByHigherLevelPolicy = false) =>");
            w.Indent++;
            w.WriteLine("new " + app + "(id, enterprise, " + _names.RuleKindEnum + "." + _kinds[rule.Name] + ", date, facts, subject, location, fundedByHigherLevelPolicy);");
            w.Indent--;
        }
        w.Indent--;
        w.WriteLine("}");
    }

    private void EmitPolicyClass()
    {
        var w = _w;
        Summary(w, _policy.Title, _policy.Sources.IsEmpty ? null : "原文: " + string.Join(" ", _policy.Sources));
        w.WriteLine("public static class " + _names.PolicyClass);
        w.WriteLine("{");
        w.Indent++;

        Summary(w, "The policy's name in the clause file.");
        w.WriteLine("public const string Name = " + Str(_policy.Name) + ";");
        Summary(w, "The policy's title.");
        w.WriteLine("public const string Title = " + Str(_policy.Title) + ";");
        Summary(w, "The award unit: " + _policy.AwardUnit + ".");
        w.WriteLine("public const string AwardUnit = " + Str(_policy.AwardUnit.ToString()) + ";");
        Summary(w, "What one award point funds at most, in yuan (null: awards are paid in money).");
        w.WriteLine("public static readonly decimal? MoneyPerPoint = " + (_policy.MoneyPerPoint is { } mpp ? Dec(mpp) : "null") + ";");
        Summary(w, "The first day the policy applies (null: no validity window).");
        w.WriteLine("public static readonly global::System.DateOnly? EffectiveFrom = " + Date(_policy.Validity?.From) + ";");
        Summary(w, "The last day the policy applies (null: no validity window).");
        w.WriteLine("public static readonly global::System.DateOnly? EffectiveThrough = " + Date(_policy.Validity?.Through) + ";");
        Summary(w, "The documents this policy supersedes.");
        w.WriteLine("public static readonly " + List + "<string> Supersedes = " + Strings(_policy.Supersedes) + ";");
        Summary(w, "The departments that interpret the policy.");
        w.WriteLine("public static readonly " + List + "<string> InterpretedBy = " + Strings(_policy.InterpretedBy) + ";");
        Summary(w, "Who pays an award when no cost sharing applies.");
        w.WriteLine("public const string? DefaultPayer = " + Str(_policy.DefaultPayer) + ";");
        Summary(w, "True when awards do not stack with higher-level policies (不重复享受).");
        w.WriteLine("public const bool NoStacking = " + (_policy.General.HasNoStacking ? "true" : "false") + ";");

        Summary(w, "The clauses, with their section, departments and source text.");
        w.WriteLine("public static readonly " + List + "<" + Runtime + ".ClauseInfo> Clauses = new " + Runtime + ".ClauseInfo[]");
        w.WriteLine("{");
        w.Indent++;
        foreach (var section in _policy.Sections)
        {
            foreach (var clause in section.Clauses)
            {
                w.WriteLine("new " + Runtime + ".ClauseInfo(" + CSharpText.IntLiteral(clause.Number) + ", " + Str(clause.Title) + ", " +
                            CSharpText.IntLiteral(section.Number) + ", " + Str(section.Title) + ", " + Strings(section.Departments) + ", " +
                            Str(clause.Source) + ", " + Strings(clause.Rules.Select(r => r.Name)) + "),");
            }
        }
        w.Indent--;
        w.WriteLine("};");

        Summary(w, "The rules, in document order.");
        w.WriteLine("public static readonly " + List + "<" + Runtime + ".RuleInfo> Rules = new " + Runtime + ".RuleInfo[]");
        w.WriteLine("{");
        w.Indent++;
        foreach (var rule in _rules)
        {
            var r = _names.Rules[rule.Name];
            w.WriteLine("new " + Runtime + ".RuleInfo(" + r.Class + ".Name, " + r.Class + ".Title, " + r.Class + ".Clause, " + r.Class + ".Source, " +
                        r.Class + ".Caps, " + r.Class + ".ProvenMaximum, " + r.Class + ".MoneyCeiling),");
        }
        w.Indent--;
        w.WriteLine("};");

        Summary(w, "Cost sharing: at a location, awards are split between parties, except in a range of clauses.");
        w.WriteLine("public static readonly " + List + "<" + Runtime + ".CostShareInfo> CostSharing = new " + Runtime + ".CostShareInfo[]");
        w.WriteLine("{");
        w.Indent++;
        foreach (var share in _policy.General.CostSharing)
        {
            w.WriteLine("new " + Runtime + ".CostShareInfo(" + Str(share.Location) + ", new " + Runtime + ".PayerShare[] { " +
                        string.Join(", ", share.Shares.Select(s => "new " + Runtime + ".PayerShare(" + Str(s.Party) + ", " + Dec(s.Fraction) + ")")) + " }, " +
                        (share.ExceptFrom is { } f ? CSharpText.IntLiteral(f) : "null") + ", " +
                        (share.ExceptFrom is null ? "null" : CSharpText.IntLiteral(share.ExceptThrough ?? share.ExceptFrom.Value)) + "),");
        }
        w.Indent--;
        w.WriteLine("};");

        Summary(w, "Groups of rules of which an enterprise is paid only the highest award (就高不重复).");
        w.WriteLine("public static readonly " + List + "<" + List + "<string>> HighestOnly = new " + List + "<string>[]");
        w.WriteLine("{");
        w.Indent++;
        foreach (var group in _policy.General.HighestOnly) w.WriteLine(Strings(group.Rules) + ",");
        w.Indent--;
        w.WriteLine("};");

        EmitEvaluateOne();
        EmitEnterprise();

        w.Indent--;
        w.WriteLine("}");
    }

    private void EmitEvaluateOne()
    {
        var w = _w;
        w.WriteLineNoTabs("");
        Summary(w, "Evaluates one application under its rule alone (no running totals).");
        w.WriteLine("public static " + Runtime + ".Award Evaluate(" + _names.ApplicationClass + " application, " + _names.ParametersClass +
                    "? parameters = null, global::System.Collections.Generic.ICollection<" + Runtime + ".TraceStep>? trace = null)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("if (application is null) throw new global::System.ArgumentNullException(nameof(application));");
        w.WriteLine("parameters ??= " + _names.ParametersClass + ".FromRules;");
        w.WriteLine("switch (application.Rule)");
        w.WriteLine("{");
        w.Indent++;
        foreach (var rule in _rules)
        {
            var r = _names.Rules[rule.Name];
            w.WriteLine("case " + _names.RuleKindEnum + "." + _kinds[rule.Name] + ":");
            w.Indent++;
            w.WriteLine("return " + r.Class + ".Evaluate((" + r.Facts + ")application.Facts, parameters." + _kinds[rule.Name] + ", trace);");
            w.Indent--;
        }
        w.WriteLine("default:");
        w.Indent++;
        w.WriteLine("throw new global::System.ArgumentOutOfRangeException(nameof(application));");
        w.Indent--;
        w.Indent--;
        w.WriteLine("}");
        w.Indent--;
        w.WriteLine("}");

        // The limit of each scoped cap for one application (a cap may read the application's facts).
        w.WriteLineNoTabs("");
        Summary(w, "The limits of a rule's caps for one application, in cap order (for running totals).");
        w.WriteLine("private static decimal[] CapLimits(" + _names.ApplicationClass + " application, " + _names.ParametersClass + " parameters)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("switch (application.Rule)");
        w.WriteLine("{");
        w.Indent++;
        foreach (var rule in _rules)
        {
            var r = _names.Rules[rule.Name];
            w.WriteLine("case " + _names.RuleKindEnum + "." + _kinds[rule.Name] + ":");
            w.WriteLine("{");
            w.Indent++;
            w.WriteLine("var facts = (" + r.Facts + ")application.Facts;");
            w.WriteLine("var limits = new decimal[" + CSharpText.IntLiteral(rule.Caps.Count) + "];");
            for (var i = 0; i < rule.Caps.Count; i++)
            {
                if (rule.Caps[i].Scope == CapScope.Application) continue;
                w.WriteLine("limits[" + CSharpText.IntLiteral(i) + "] = " + r.Class + ".CapLimit(" + CSharpText.IntLiteral(i) + ", in facts, parameters." + _kinds[rule.Name] + ");");
            }
            w.WriteLine("return limits;");
            w.Indent--;
            w.WriteLine("}");
        }
        w.WriteLine("default:");
        w.Indent++;
        w.WriteLine("return global::System.Array.Empty<decimal>();");
        w.Indent--;
        w.Indent--;
        w.WriteLine("}");
        w.Indent--;
        w.WriteLine("}");
    }

    private void EmitEnterprise()
    {
        var w = _w;
        var app = _names.ApplicationClass;
        w.WriteLineNoTabs("");
        Summary(w, "Evaluates applications (of one or more enterprises) in order, keeping running totals per enterprise.",
            "Per application: the validity window, no stacking, the rule's award, highest only, what is left under each scoped cap " +
            "(per enterprise / project / certification / item / person, per year or cumulative), then the cost split.");
        w.WriteLine("public static " + List + "<" + Runtime + ".EnterpriseResult> Evaluate(global::System.Collections.Generic.IEnumerable<" + app + "> applications, " +
                    _names.ParametersClass + "? parameters = null)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("if (applications is null) throw new global::System.ArgumentNullException(nameof(applications));");
        w.WriteLine("var results = new global::System.Collections.Generic.List<" + Runtime + ".EnterpriseResult>();");
        w.WriteLine("var order = new global::System.Collections.Generic.List<string>();");
        w.WriteLine("var byEnterprise = new global::System.Collections.Generic.Dictionary<string, global::System.Collections.Generic.List<" + app + ">>(global::System.StringComparer.Ordinal);");
        w.WriteLine("foreach (var application in applications)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("if (!byEnterprise.TryGetValue(application.Enterprise, out var list))");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("list = new global::System.Collections.Generic.List<" + app + ">();");
        w.WriteLine("byEnterprise.Add(application.Enterprise, list);");
        w.WriteLine("order.Add(application.Enterprise);");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLine("list.Add(application);");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLine("foreach (var enterprise in order) results.Add(EvaluateEnterprise(enterprise, byEnterprise[enterprise], parameters));");
        w.WriteLine("return results;");
        w.Indent--;
        w.WriteLine("}");

        w.WriteLineNoTabs("");
        Summary(w, "Evaluates one enterprise's applications in order, with running totals per scoped cap kept in the ledger.");
        w.WriteLine("public static " + Runtime + ".EnterpriseResult EvaluateEnterprise(string enterprise, global::System.Collections.Generic.IEnumerable<" + app + "> applications, " +
                    _names.ParametersClass + "? parameters = null, " + Runtime + ".CapLedger? ledger = null)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("if (applications is null) throw new global::System.ArgumentNullException(nameof(applications));");
        w.WriteLine("parameters ??= " + _names.ParametersClass + ".FromRules;");
        w.WriteLine("ledger ??= new " + Runtime + ".CapLedger();");
        w.WriteLine("// Applications are taken in date order (stable), as the reference evaluator takes them.");
        w.WriteLine("var all = new global::System.Collections.Generic.List<" + app + ">(applications);");
        w.WriteLine("var order = new int[all.Count];");
        w.WriteLine("for (var i = 0; i < order.Length; i++) order[i] = i;");
        w.WriteLine("global::System.Array.Sort(order, (a, b) => all[a].Date != all[b].Date ? all[a].Date.CompareTo(all[b].Date) : a.CompareTo(b));");
        w.WriteLine("var sorted = new " + app + "[all.Count];");
        w.WriteLine("for (var i = 0; i < order.Length; i++) sorted[i] = all[order[i]];");
        w.WriteLine("var awards = new " + Runtime + ".Award[sorted.Length];");
        w.WriteLine("var reasons = new string?[sorted.Length];");
        w.WriteLine("for (var i = 0; i < sorted.Length; i++)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("var application = sorted[i];");
        w.WriteLine("var award = Evaluate(application, parameters);");
        w.WriteLine("if (EffectiveFrom is { } from && EffectiveThrough is { } through && (application.Date < from || application.Date > through))");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("awards[i] = award.NotEligible();");
        w.WriteLine("reasons[i] = \"dated \" + application.Date.ToString(\"yyyy-MM-dd\", global::System.Globalization.CultureInfo.InvariantCulture) + \", outside the policy's validity\";");
        w.WriteLine("continue;");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLine("if (!InRuleWindow(application.Rule, application.Date))");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("awards[i] = award.NotEligible();");
        w.WriteLine("reasons[i] = \"dated \" + application.Date.ToString(\"yyyy-MM-dd\", global::System.Globalization.CultureInfo.InvariantCulture) + \", outside the rule's validity\";");
        w.WriteLine("continue;");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLine("awards[i] = award;");
        w.WriteLine("if (award.Problem is not null) reasons[i] = award.Problem;");
        w.WriteLine("else if (!award.Computable && award.Eligible) reasons[i] = \"case by case: not computable, nothing is paid automatically\";");
        w.WriteLine("else if (!award.Eligible) reasons[i] = \"conditions not met\";");
        w.WriteLine("else if (NoStacking && application.FundedByHigherLevelPolicy) reasons[i] = \"no stacking: already funded by a higher-level policy for the same item\";");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLine("// Highest only: within each group, only the highest award per subject is paid (the first of equal ones).");
        w.WriteLine("foreach (var group in HighestOnly)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("for (var i = 0; i < sorted.Length; i++)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("if (reasons[i] is not null || !Contains(group, awards[i].Rule)) continue;");
        w.WriteLine("for (var j = 0; j < sorted.Length; j++)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("if (j == i || reasons[j] is not null || !Contains(group, awards[j].Rule) || (sorted[j].Subject ?? \"\") != (sorted[i].Subject ?? \"\")) continue;");
        w.WriteLine("if (awards[j].Amount > awards[i].Amount || (awards[j].Amount == awards[i].Amount && j < i)) { reasons[i] = \"highest only: \" + awards[j].Rule + \" (\" + sorted[j].Id + \") pays more\"; break; }");
        w.Indent--;
        w.WriteLine("}");
        w.Indent--;
        w.WriteLine("}");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLine("var results = new global::System.Collections.Generic.List<" + Runtime + ".ApplicationResult>(sorted.Length);");
        w.WriteLine("var total = 0m;");
        w.WriteLine("for (var i = 0; i < sorted.Length; i++)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("var application = sorted[i];");
        w.WriteLine("var award = awards[i];");
        w.WriteLine("var info = Rules[(int)application.Rule];");
        w.WriteLine("var reason = reasons[i];");
        w.WriteLine("var paid = reason is null ? award.Amount : 0m;");
        w.WriteLine("if (reason is null)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("var limits = CapLimits(application, parameters);");
        w.WriteLine("var keys = new global::System.Collections.Generic.List<string>();");
        w.WriteLine("for (var c = 0; c < info.Caps.Count; c++)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("var cap = info.Caps[c];");
        w.WriteLine("if (cap.Scope == " + Runtime + ".CapScope.Application) continue;");
        w.WriteLine("var key = " + Runtime + ".CapLedger.Key(info.Name, cap.Scope, ScopeKey(cap.Scope, application), cap.Period == " + Runtime + ".CapPeriod.PerYear ? application.Date.Year : null);");
        w.WriteLine("if (!keys.Contains(key)) keys.Add(key);");
        w.WriteLine("var left = limits[c] - ledger.Used(key);");
        w.WriteLine("if (left < 0m) left = 0m;");
        w.WriteLine("if (left < paid) paid = left;");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLine("foreach (var key in keys) ledger.Add(key, paid);");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLine("total += paid;");
        w.WriteLine("results.Add(new " + Runtime + ".ApplicationResult(application.Id, application.Enterprise, info.Name, award, paid, reason, Split(paid, application.Location, info.Clause)));");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLine("return new " + Runtime + ".EnterpriseResult(enterprise, results, total);");
        w.Indent--;
        w.WriteLine("}");

        w.WriteLineNoTabs("");
        Summary(w, "True when the date is inside the rule's own validity window (if it has one).");
        w.WriteLine("private static bool InRuleWindow(" + _names.RuleKindEnum + " rule, global::System.DateOnly date)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("switch (rule)");
        w.WriteLine("{");
        w.Indent++;
        foreach (var rule in _rules.Where(r => r.Validity is not null))
        {
            w.WriteLine("case " + _names.RuleKindEnum + "." + _kinds[rule.Name] + ": return date >= " + Date(rule.Validity!.From) + " && date <= " + Date(rule.Validity.Through) + ";");
        }
        w.WriteLine("default: return true;");
        w.Indent--;
        w.WriteLine("}");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLineNoTabs("");
        Summary(w, "Whose running total a cap of this scope limits: the enterprise, or the application's subject.");
        w.WriteLine("private static string? ScopeKey(" + Runtime + ".CapScope scope, " + app + " application) =>");
        w.Indent++;
        w.WriteLine("scope == " + Runtime + ".CapScope.Enterprise ? application.Enterprise : scope == " + Runtime + ".CapScope.Application ? null : (application.Subject ?? application.Id);");
        w.Indent--;

        w.WriteLineNoTabs("");
        w.WriteLine("private static bool Contains(" + List + "<string> group, string name)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("foreach (var item in group) if (string.Equals(item, name, global::System.StringComparison.Ordinal)) return true;");
        w.WriteLine("return false;");
        w.Indent--;
        w.WriteLine("}");

        w.WriteLineNoTabs("");
        Summary(w, "Splits an award between payers: the cost share at the application's location unless its clause is excepted; else the default payer.");
        w.WriteLine("public static " + List + "<" + Runtime + ".PayerShare> Split(decimal amount, string? location, int clause)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("foreach (var share in CostSharing)");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("if (location is null || !string.Equals(share.Location, location, global::System.StringComparison.Ordinal)) continue;");
        w.WriteLine("if (share.ExceptFrom is { } from && clause >= from && clause <= (share.ExceptThrough ?? from)) continue;");
        w.WriteLine("var parts = new " + Runtime + ".PayerShare[share.Shares.Count];");
        w.WriteLine("for (var i = 0; i < parts.Length; i++) parts[i] = new " + Runtime + ".PayerShare(share.Shares[i].Payer, amount * share.Shares[i].Amount);");
        w.WriteLine("return parts;");
        w.Indent--;
        w.WriteLine("}");
        w.WriteLine("return new[] { new " + Runtime + ".PayerShare(DefaultPayer ?? \"payer\", amount) };");
        w.Indent--;
        w.WriteLine("}");
    }

    private static string Date(DateOnly? date) => date is { } d
        ? "new global::System.DateOnly(" + d.Year.ToString(CultureInfo.InvariantCulture) + ", " + d.Month.ToString(CultureInfo.InvariantCulture) + ", " + d.Day.ToString(CultureInfo.InvariantCulture) + ")"
        : "null";

    private static string Strings(IEnumerable<string> values)
    {
        var items = values.Select(CSharpText.StringLiteral).ToArray();
        return items.Length == 0 ? "global::System.Array.Empty<string>()" : "new string[] { " + string.Join(", ", items) + " }";
    }
}
