using System.CodeDom.Compiler;
using System.Globalization;
using PolicyDsl.Model;
using static PolicyDsl.Emit.CSharpEmitter;

namespace PolicyDsl.Emit;

/// <summary>
/// Emits the policy-level types: the rule kinds, an application (one enterprise's request under one rule),
/// the parameters of every rule, and the policy class with clause metadata and an implementation of the
/// runtime's IRuleSet, over which the runtime's one enterprise algorithm (PolicyDsl.Runtime.EnterpriseEvaluation:
/// validity, no stacking, highest only, running totals per scoped cap, cost sharing) evaluates applications.
/// No part of that algorithm is written here.
/// </summary>
internal sealed class PolicyEmitter
{
    private const string Runtime = "global::PolicyDsl.Runtime";
    private const string List = "global::System.Collections.Generic.IReadOnlyList";

    private readonly CheckedPolicy _policy;
    private readonly PolicyNames _names;
    private readonly IndentedTextWriter _w;
    private readonly Rule[] _rules;
    private readonly Dictionary<string, string> _kinds;

    public PolicyEmitter(CheckedPolicy policy, PolicyNames names, IndentedTextWriter writer)
    {
        _policy = policy;
        _names = names;
        _w = writer;
        _rules = policy.Rules.GroupBy(r => r.Name, StringComparer.Ordinal).Select(g => g.First()).ToArray();
        _kinds = names.Kinds;
    }

    public void Emit()
    {
        EmitRuleKind();
        _w.WriteLineNoTabs("");
        EmitFactsInterface();
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

    private void EmitFactsInterface()
    {
        var w = _w;
        Summary(w, "The facts of a rule of policy " + _policy.Name + ": every rule's facts struct implements it, naming its rule (what " + _names.ApplicationClass + ".For reads).");
        w.WriteLine("public interface " + _names.FactsInterface);
        w.WriteLine("{");
        w.Indent++;
        Summary(w, "The rule these facts are of.");
        w.WriteLine("static abstract " + _names.RuleKindEnum + " Rule { get; }");
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

    /// <summary>The policy pays the difference over an award received elsewhere (§24.6): its applications say what that was.</summary>
    private bool Elsewhere => !_policy.General.HighestWithOtherPolicies.IsEmpty;

    private void EmitApplication()
    {
        var w = _w;
        var app = _names.ApplicationClass;
        Summary(w, "One application by an enterprise under one rule of policy " + _policy.Name + ", with the rule's typed facts.");
        w.WriteLine("public sealed class " + app);
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("private " + app + "(string id, string enterprise, " + _names.RuleKindEnum + " rule, global::System.DateOnly date, object facts, string? subject, string? location, bool fundedByHigherLevelPolicy" +
                    (Elsewhere ? ", decimal receivedElsewhere" : "") + ")");
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
        if (Elsewhere) w.WriteLine("ReceivedElsewhere = receivedElsewhere;");
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
                 }.Concat(Elsewhere
                     ? [("ReceivedElsewhere", "decimal", "What another policy already paid for the same item, in the award unit (就高不重复: this policy pays the difference).")]
                     : Array.Empty<(string, string, string)>()))
        {
            w.WriteLineNoTabs("");
            Summary(w, doc);
            w.WriteLine("public " + type + " " + name + " { get; }");
        }
        // One generic method, not one overload per rule (§26.4-26.5: each member costs the consumer's build, and a call's overload
        // resolution looked at every rule): the facts type names its rule.
        w.WriteLineNoTabs("");
        Summary(w, "An application under the rule whose facts these are (each rule's facts struct names its rule).");
        w.WriteLine("public static " + app + " For<TFacts>(string id, string enterprise, global::System.DateOnly date, in TFacts facts, string? subject = null, string? location = null, bool fundedByHigherLevelPolicy = false" +
                    (Elsewhere ? ", decimal receivedElsewhere = 0m" : "") + ")");
        w.Indent++;
        w.WriteLine("where TFacts : struct, " + _names.FactsInterface + " =>");
        w.WriteLine("new " + app + "(id, enterprise, TFacts.Rule, date, facts, subject, location, fundedByHigherLevelPolicy" + (Elsewhere ? ", receivedElsewhere" : "") + ");");
        w.Indent--;
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
                        r.Class + ".Caps, " + r.Class + ".ProvenMaximum, " + r.Class + ".MoneyCeiling" +
                        (rule.Validity is { } v ? ", " + Date(v.From) + ", " + Date(v.Through) : "") +
                        (rule.QualifiesByEvent ? ", QualifiesByEvent: true" : "") +
                        (rule.YearStart.IsCalendar ? "" : ", Year: new " + Runtime + ".YearStart(" + rule.YearStart.Month.ToString(CultureInfo.InvariantCulture) + ", " +
                            rule.YearStart.Day.ToString(CultureInfo.InvariantCulture) + ")") + "),");
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

        Summary(w, "The policy-wide terms the enterprise evaluation reads (validity, no stacking, highest only, cost sharing).");
        w.WriteLine("public static readonly " + Runtime + ".PolicyTerms Terms = new " + Runtime +
                    ".PolicyTerms(AwardUnit, EffectiveFrom, EffectiveThrough, NoStacking, HighestOnly, CostSharing, DefaultPayer" +
                    (Elsewhere ? ", highestWithOtherPolicies: true" : "") + ");");

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
            var facts = rule.Window is null && rule.Schedule is null && rule.After.IsEmpty ? "(" + r.Facts + ")application.Facts" : r.Class + ".WithDate((" + r.Facts + ")application.Facts, application.Date)";
            w.WriteLine("case " + _names.RuleKindEnum + "." + _kinds[rule.Name] + ": return " + r.Class + ".Evaluate(" + facts + ", parameters." + _kinds[rule.Name] + ", trace);");
        }
        w.WriteLine("default: throw new global::System.ArgumentOutOfRangeException(nameof(application));");
        w.Indent--;
        w.WriteLine("}");
        w.Indent--;
        w.WriteLine("}");
    }

    private void EmitEnterprise()
    {
        var w = _w;
        var app = _names.ApplicationClass;
        var algorithm = Runtime + ".PolicyEvaluation";
        w.WriteLineNoTabs("");
        Summary(w, "Evaluates applications (of one or more enterprises) in order, keeping running totals per enterprise.",
            "The runtime's enterprise algorithm (PolicyDsl.Runtime.EnterpriseEvaluation, the one policyc eval runs) over these rules: " +
            "date order, validity, no stacking, the rule's award, highest only, running totals per scoped cap, the cost split.");
        w.WriteLine("public static " + List + "<" + Runtime + ".EnterpriseResult> Evaluate(global::System.Collections.Generic.IEnumerable<" + app + "> applications, " +
                    _names.ParametersClass + "? parameters = null) =>");
        w.Indent++;
        w.WriteLine(algorithm + ".Evaluate(new RuleSet(parameters ?? " + _names.ParametersClass + ".FromRules), applications);");
        w.Indent--;

        w.WriteLineNoTabs("");
        Summary(w, "Evaluates one enterprise's applications in order, with running totals per scoped cap kept in the ledger.");
        w.WriteLine("public static " + Runtime + ".EnterpriseResult EvaluateEnterprise(string enterprise, global::System.Collections.Generic.IEnumerable<" + app + "> applications, " +
                    _names.ParametersClass + "? parameters = null, " + Runtime + ".CapLedger? ledger = null) =>");
        w.Indent++;
        w.WriteLine(algorithm + ".EvaluateEnterprise(new RuleSet(parameters ?? " + _names.ParametersClass + ".FromRules), enterprise, applications, ledger);");
        w.Indent--;

        w.WriteLineNoTabs("");
        Summary(w, "Splits an award between payers: the cost share at the application's location unless its clause is excepted; else the default payer.");
        w.WriteLine("public static " + List + "<" + Runtime + ".PayerShare> Split(decimal amount, string? location, int clause) => " +
                    Runtime + ".CostSplit.Split(Terms, amount, location, clause);");

        // The rule set the runtime's algorithm evaluates: metadata, each application's award and its caps' limits.
        w.WriteLineNoTabs("");
        Summary(w, "These rules as the runtime's enterprise algorithm reads them, with the parameters given.");
        w.WriteLine("private sealed class RuleSet : " + Runtime + ".IRuleSet<" + app + ", " + Runtime + ".Award>");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("private readonly " + _names.ParametersClass + " _parameters;");
        w.WriteLineNoTabs("");
        w.WriteLine("public RuleSet(" + _names.ParametersClass + " parameters) => _parameters = parameters;");
        w.WriteLineNoTabs("");
        w.WriteLine("public " + Runtime + ".PolicyTerms Policy => Terms;");
        w.WriteLineNoTabs("");
        w.WriteLine("public " + Runtime + ".ApplicationHeader Header(" + app + " application) =>");
        w.Indent++;
        w.WriteLine("new(application.Id, application.Enterprise, application.Date, application.Subject, application.Location, application.FundedByHigherLevelPolicy" +
                    (Elsewhere ? ", application.ReceivedElsewhere" : "") + ");");
        w.Indent--;
        w.WriteLineNoTabs("");
        w.WriteLine("public " + Runtime + ".RuleInfo? RuleOf(" + app + " application) => Rules[(int)application.Rule];");
        w.WriteLineNoTabs("");
        w.WriteLine("public " + Runtime + ".Award Evaluate(" + app + " application) => " + _names.PolicyClass + ".Evaluate(application, _parameters);");
        w.WriteLineNoTabs("");
        w.WriteLine("public " + Runtime + ".AwardOutcome Outcome(" + Runtime + ".Award award) => new(award.Amount, award.Eligible, award.Computable, award.Problem);");
        w.WriteLineNoTabs("");
        // A constant limit is the rule's metadata; a computed one is read from the cap's step of the traced evaluation
        // (the one body that computes it; nothing re-derives it here).
        w.WriteLine("public decimal CapLimit(" + app + " application, " + Runtime + ".Award award, int cap) =>");
        w.Indent++;
        w.WriteLine("Rules[(int)application.Rule].Caps[cap].Limit ?? ComputedLimit(application, cap);");
        w.Indent--;
        // Apart, so that the closure over the application is made only for a computed limit (a lambda in CapLimit itself
        // would make it on every call, a constant limit's too).
        w.WriteLineNoTabs("");
        w.WriteLine("private decimal ComputedLimit(" + app + " application, int cap) =>");
        w.Indent++;
        w.WriteLine(Runtime + ".CapProbe.Limit(cap, trace => " + _names.PolicyClass + ".Evaluate(application, _parameters, trace));");
        w.Indent--;
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
