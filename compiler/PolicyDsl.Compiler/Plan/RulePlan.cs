using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Plan;

/// <summary>
/// What is known of one expression of a rule. <see cref="Range"/> is the checker's interval under the rule's
/// conditions; <see cref="Bound"/> is the interval before any condition is tested (facts only validated: not
/// negative, within "at most"; parameters and other rules' awards anything), which is what lets and conditions see.
/// <see cref="MayThrow"/>: evaluating it may overflow a decimal, divide by zero, read an unset parameter or
/// another rule's problem.
/// </summary>
public sealed record NodeFacts(Interval Range, Interval Bound, bool MayThrow)
{
    /// <summary>Never below 0 whatever the inputs (a negative zero compares equal to 0).</summary>
    public bool NeverNegative => Bound.Low is { } low && low >= 0m;
}

/// <summary>Step 1: a fact's validation (quantity: 0 ≤ x ≤ at most; level and one-of: a declared member) and the problem it reports.</summary>
public sealed record FactCheck(Fact Fact, string Problem);

/// <summary>A let, evaluated once, in order, before the conditions (which may read it). ReadLater: some later step reads it.</summary>
public sealed record LetStep(Let Let, string Text, NodeFacts Facts, bool ReadLater);

public sealed record ConditionStep(Requirement Requirement, string Text, bool MayThrow);

/// <summary>
/// A cap: min(amount, limit). Suffix is the cap's text after the limit; SameText lists the caps (1-based, this one
/// included) whose text is the same, which a trace tells apart by the limit only.
/// </summary>
public sealed record CapStep(int Number, Cap Cap, NodeFacts Facts, decimal? ConstantLimit, string Suffix, string Stated, EquatableArray<int> SameText)
{
    /// <summary>The cap's trace text for one application's limit.</summary>
    public string Text(decimal limit) => PlanTexts.CapStepPrefix + BoundBy(limit);

    /// <summary>The cap with its limit, as a result's BoundBy names it: a fixed limit as the author wrote it (50 wan-yuan, §24.9).</summary>
    public string BoundBy(decimal limit) => ConstantLimit == limit ? Stated : PlanTexts.Number(limit) + Suffix;
}

/// <summary>Rounding of the award to a multiple of the step; it never lifts an award above a cap (最高不超过 is a hard limit).</summary>
public sealed record RoundingStep(Rounding Rounding, string Text, bool MayRiseAboveCap)
{
    /// <summary>"Rounding never above a cap" (written once, in the runtime's AwardRounding.UnderCaps, which generated code calls too).</summary>
    public static decimal Apply(Rounding rounding, decimal amount, decimal? lowestLimit) =>
        Runtime.AwardRounding.UnderCaps(amount, rounding.Step, rounding.Mode, lowestLimit);
}

/// <summary>
/// §27.7: the last step of a rule with a milestone schedule, after caps and rounding (caps bound the whole award, the
/// schedule splits it): each part's milestone tested (traced), the at-once condition, the share due, the instalment paid.
/// </summary>
public sealed record InstalmentStep(InstalmentSchedule Schedule, string AtOnceText, bool MayThrow)
{
    public string ShareText => PlanTexts.ShareDueStep;

    public string DueText => PlanTexts.InstalmentDueStep;
}

/// <summary>The caps that apply to one parameter cell (keys empty for a parameter without dimensions).</summary>
public sealed record ParameterCell(string Parameter, EquatableArray<string> Keys, EquatableArray<CellCap> Caps);

/// <summary>
/// The lowered form of one rule, read by every back end (interpreter, C# printers, reports). The steps in
/// the order they run: validate the facts, the lets, the conditions, the formula (or case by case), each cap,
/// the floor at 0, the rounding, the result. Every analysis is computed once, here.
/// </summary>
public sealed record RulePlan(
    Rule Rule,
    Unit AwardUnit,
    decimal? MoneyPerPoint,
    EquatableArray<FactCheck> FactChecks,
    EquatableArray<LetStep> Lets,
    EquatableArray<ConditionStep> Conditions,
    NodeFacts? Formula,
    EquatableArray<CapStep> Caps,
    bool Floor,
    RoundingStep? Rounding,
    bool MoneyMayOverflow,
    bool MayThrow,
    EquatableArray<TextSpan> RatesThatMayOverflow,
    EquatableArray<ParameterCell> ParameterCells,
    FixedRule? Scaled,
    string? DecimalReason,
    InstalmentStep? Instalments = null)
{
    public string Name => Rule.Name;

    public bool IsCaseByCase => Rule.Award.IsCaseByCase;

    /// <summary>"case by case: …" for a rule without a formula.</summary>
    public string CaseByCaseText => PlanTexts.CaseByCaseStep(Rule.Award);

    /// <summary>
    /// The caps that apply to a value of the parameter at these keys, found through an index (the emitter asks once per
    /// cell: a scan per cell made a parameter of 20,000 cells quadratic to generate).
    /// </summary>
    public EquatableArray<CellCap> CapsOf(string parameter, IReadOnlyList<string> keys) =>
        KeyIndex.Find(this, ParameterCells, static c => KeyIndex.Join([c.Parameter, .. c.Keys]), KeyIndex.Join([parameter, .. keys]))?.Caps
        ?? EquatableArray<CellCap>.Empty;

    /// <summary>True when x × amount of this proportional rate may overflow (the rate then divides first, as the semantics say).</summary>
    public bool RateMayOverflow(RateExpr rate) => RatesThatMayOverflow.Contains(rate.Span);
}
