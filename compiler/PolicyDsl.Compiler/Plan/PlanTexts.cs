using System.Globalization;
using PolicyDsl.Model;

namespace PolicyDsl.Plan;

/// <summary>
/// Every text a rule's evaluation shows, built here and nowhere else: the cap text (checker errors, traces,
/// generated constants, the analyzer's attributes, `policyc bounds`, reports), the step texts of the trace, and
/// the fact-problem messages (the interpreter and the generated code report the same words).
/// </summary>
public static class PlanTexts
{
    // ---------- caps ----------

    /// <summary>"per application", "per enterprise", "per enterprise per year"; with <paramref name="spellCumulative"/> a
    /// scoped cap without a year says "cumulative over the validity" (the reports' plain words).</summary>
    public static string CapScope(Cap cap, bool spellCumulative = false)
    {
        if (cap.Scope == Runtime.CapScope.Application) return "per application";
        var scope = "per " + cap.Scope.ToString().ToLowerInvariant();
        scope = cap.Period == CapPeriod.PerYear ? scope + " per year"
            : cap.Period == CapPeriod.Years ? scope + " " + CapYears(cap)
            : spellCumulative ? scope + " cumulative over the validity" : scope;
        return cap.Shared is { } shared ? scope + " shared " + shared : scope;
    }

    /// <summary>§30.2: "per 3 years from 2023" (fixed blocks) or "per any 3 years" (rolling).</summary>
    public static string CapYears(Cap cap) => cap.Rolling
        ? "per any " + cap.Years.ToString(CultureInfo.InvariantCulture) + " years"
        : "per " + cap.Years.ToString(CultureInfo.InvariantCulture) + " years from " + cap.FromYear.ToString(CultureInfo.InvariantCulture);

    /// <summary>What follows a cap's limit in the award unit: " points per enterprise per year" ("%" or "" for no unit name).</summary>
    public static string CapSuffix(Unit awardUnit, Cap cap) => UnitSuffix(awardUnit) + " " + CapScope(cap);

    /// <summary>A cap with its limit for one application: "30 points per enterprise per year".</summary>
    public static string Cap(Unit awardUnit, Cap cap, decimal limit) => Number(limit) + CapSuffix(awardUnit, cap);

    /// <summary>A cap as the policy states it: its constant limit, "at most" its proven bound, or "relative limit".</summary>
    public static string CapAsStated(Cap cap)
    {
        var limit = cap.Limit is ConstantExpr c ? Quantity.FormatIn(c.Value, c.Shown)
            : cap.Limit.Range.High is { } h ? "at most " + (cap.LimitWritten is { } w ? Quantity.FormatIn(h, w) : Quantity.Format(h, cap.Limit.Unit)) : "relative limit";
        return limit + " " + CapScope(cap);
    }

    /// <summary>§29.2: the unit a cap's running total is shown in, as the author wrote the cap (万元, 亿元 beside an award
    /// unit of yuan) and the award units per written unit; (null, 1) when the award unit is the one written.</summary>
    public static (string? Unit, decimal Scale) CapShown(Cap cap, Unit awardUnit) =>
        cap.Limit is ConstantExpr { Written: { } w } && (w == Unit.WanYuan || w == Unit.YiYuan) && w.Base == awardUnit.Base && w.Scale != awardUnit.Scale
            ? (w.ToString(), w.Scale / awardUnit.Scale)
            : (null, 1m);

    /// <summary>The trace step of a cap: "cap " + the cap with its limit.</summary>
    public const string CapStepPrefix = Runtime.StepTexts.CapPrefix;

    public const string Binds = Runtime.StepTexts.Binds;

    public const string DoesNotBind = Runtime.StepTexts.DoesNotBind;

    /// <summary>Why a rule with a scaled plan gets one decimal body (FixedRule.DoesArithmetic is false).</summary>
    public const string NoArithmetic = "the scaled-integer plan would only convert the inputs and compare them, which the decimal evaluation does at the same cost";

    // ---------- steps ----------
    // The words the runtime writes too (RuleSteps, in generated code) are its constants (StepTexts), read here.

    public const string FormulaStep = "award formula";

    /// <summary>§27.7: the share of the award due at the application's date, and the instalment paid now.</summary>
    public const string ShareDueStep = "share due: instalments reached less share paid";

    public const string InstalmentDueStep = "instalment due now";

    public const string Due = "due";

    public const string NotDue = "not due";

    public const string FloorStep = "never below 0";

    public const string ResultStep = Runtime.StepTexts.Result;

    public const string Holds = Runtime.StepTexts.Holds;

    public const string Fails = Runtime.StepTexts.Fails;

    public const string NotEvaluated = Runtime.StepTexts.NotEvaluated;

    public const string NotComputable = Runtime.StepTexts.NotComputable;

    public static string LetStep(string let) => "let " + let;

    public static string ConditionStep(Requirement requirement) => "requires " + requirement.Text;

    /// <summary>§27.12: what 'qualifies on D' means, for the catalogue: the date that qualifies the rule and that its later
    /// awards are paid after the validity ends (null when the rule has no such line).</summary>
    public static string? QualifiesSentence(Rule rule, bool chinese)
    {
        if (rule.QualifiesOn is not { } d) return null;
        var whose = rule.Validity is null ? (chinese ? "政策有效期" : "the policy's validity") : (chinese ? "本规则有效期" : "the rule's validity");
        return chinese
            ? $"{d} 在{whose}内即取得资格（于 {d} 认定），其后到期的奖励在有效期届满后仍予兑付"
            : $"{d} within {whose} qualifies the rule (qualifies on {d}); what falls due later is paid after the validity ends";
    }

    public static string CaseByCaseStep(Award award) => "case by case: " + (award.CaseByCaseReason ?? "no award")
        + (award.CaseByCaseBaseRule is { } baseRule ? " (based on the award of " + baseRule + ")" : ""); // §27.11

    public static string RoundingStep(Unit awardUnit, Rounding rounding) =>
        "round " + rounding.Direction.ToString().ToLowerInvariant() + " to " + Quantity.Format(Normalize(rounding.Step), awardUnit);

    // ---------- problems ----------

    /// <summary>A quantity fact outside [0, at most]: the same words whatever the value (generated code does not format it).</summary>
    /// <remarks>The bound is written with the fact's unit, as the policy states it ("must be between 0 and 5 years").</remarks>
    public static string FactOutOfRange(Fact fact) =>
        "fact " + fact.Name + (fact.AtMost is { } m ? " must be between 0 and " + WithUnit(m, fact.Unit) : " must be 0 or more");

    private static string WithUnit(decimal value, Unit? unit) => unit is null ? Number(value) : Quantity.Format(Normalize(value), unit);

    /// <summary>An enum fact given a value that is not one of its members.</summary>
    public static string FactNotAMember(Fact fact) =>
        "fact " + fact.Name + " must be one of " + (fact.Members.IsEmpty ? "its members (it declares none)" : string.Join(", ", fact.Members.Select(m => m.Key)));

    /// <summary>A fact given as a value of another kind (only possible in untyped input: eval's JSON and CSV).</summary>
    public static string FactOfWrongKind(Fact fact, FactValue value) => "fact " + fact.Name + " is given as " + Given(value) + "; expected " + Expected(fact);

    public static string FactMissing(Fact fact) => "fact " + fact.Name + " is missing; expected " + Expected(fact);

    public static string NotAFact(string name, string rule) => "fact '" + name + "' is not a fact of rule " + rule;

    public static string ParameterUnset(string rule, string parameter, string keys) =>
        "parameter " + rule + "." + parameter + keys + " has no value: expected it set by the implementation rules";

    public static string DivisionByZero(string rule) => Runtime.StepTexts.DivisionByZero(rule);

    public const string Overflow = Runtime.StepTexts.Overflow;

    public const string TooDeep = "rules refer to each other too deeply";

    public static string OtherRuleProblem(string rule, IEnumerable<string> problems) => "rule " + rule + " could not be evaluated: " + string.Join("; ", problems);

    public static string Expected(Fact fact) => fact.Kind switch
    {
        FactKind.Quantity => "a quantity in " + fact.Unit,
        FactKind.YesNo => "yes or no",
        FactKind.Date => "a date",
        _ => "one of " + string.Join(", ", fact.Members.Select(m => m.Key)),
    };

    private static string Given(FactValue value) => value switch
    {
        QuantityValue q => "the quantity " + q,
        YesNoValue y => "yes/no " + y,
        DateValue d => "the date " + d,
        MemberValue m => "the member '" + m.Key + "'",
        _ => "an unknown value",
    };

    // ---------- numbers ----------

    /// <summary>A number as traces show it: invariant, no trailing zeros.</summary>
    public static string Number(decimal value) => PolicyDsl.Runtime.Award.FormatNumber(value); // the runtime's text (Normalize changes nothing it shows)

    /// <summary>What Quantity.Format writes after the number for this unit ("" / "%" / " points").</summary>
    public static string UnitSuffix(Unit unit) => Quantity.Format(0m, unit).Substring(1);

    public static decimal Normalize(decimal value) => PolicyDsl.Runtime.Award.Normalize(value);
}
