namespace PolicyDsl.Runtime;

/// <summary>Whose running total a cap limits.</summary>
public enum CapScope { Application, Enterprise, Project, Certification, Item, Person, Platform, Township }

/// <summary>Over which time a scoped cap's running total runs.</summary>
public enum CapPeriod { Cumulative, PerYear, Years }

/// <summary>A cap of a rule as metadata: its limit when fixed, scope, period and the way the policy states it; <paramref name="Shared"/> names the running total it keeps with other rules' caps (cap … shared NAME),
/// null for the rule's own. With <see cref="CapPeriod.Years"/> (§30.2), <paramref name="Years"/> is N: <paramref name="Rolling"/>
/// false counts aligned blocks of N years from year <paramref name="FromYear"/> (2023-2025, 2026-2028, …), true counts any N
/// consecutive years.</summary>
public sealed record CapInfo(decimal? Limit, CapScope Scope, CapPeriod Period, string Text, string? Shared = null, int Years = 1, bool Rolling = false,
    int FromYear = 0, string? ShownUnit = null, decimal ShownScale = 1m)
{
    /// <summary>§29.2: an amount of this cap's running total as the author wrote the cap ("240 wan-yuan" for a cap of
    /// 300 万元), else in the award unit ("8 points").</summary>
    public string Format(decimal amount, PolicyTerms policy) =>
        ShownUnit is { } unit ? Award.FormatNumber(amount / ShownScale) + " " + unit : policy.Format(amount);
}

/// <summary>A party's share of the awards for applications at a location, except in a range of clauses
/// (each share's <see cref="PayerShare.Amount"/> is the party's fraction: 0.3 for 30%).</summary>
public sealed record CostShareInfo(string Location, IReadOnlyList<PayerShare> Shares, int? ExceptFrom, int? ExceptThrough)
{
    /// <summary>True when the clause is in the excepted range (from ExceptFrom through ExceptThrough, or ExceptFrom alone).</summary>
    public bool Excepts(int clause) => ExceptFrom is { } from && clause >= from && clause <= (ExceptThrough ?? from);
}

/// <summary>What one payer pays of an award, in the award unit.</summary>
public sealed record PayerShare(string Payer, decimal Amount);

/// <summary>Metadata of one rule: where it sits in the policy, what it says, its caps and its own validity window
/// (null: the policy's window applies). <paramref name="QualifiesByEvent"/>: the rule qualifies by an event's date (a window or
/// 'qualifies on', §27.1, §27.12), so the application's date is not held to the validity. <paramref name="Year"/>: the day its year
/// starts (the rule's own, else the policy's; §30.1).</summary>
public sealed record RuleInfo(string Name, string? Title, int Clause, string Source, IReadOnlyList<CapInfo> Caps, decimal? ProvenMaximum,
    decimal? MoneyCeiling, DateOnly? ValidFrom = null, DateOnly? ValidThrough = null, bool QualifiesByEvent = false, YearStart Year = default);

/// <summary>Metadata of one clause.</summary>
public sealed record ClauseInfo(int Number, string Title, int Section, string SectionTitle, IReadOnlyList<string> Departments, string Source, IReadOnlyList<string> Rules);

/// <summary>
/// What the enterprise algorithm reads of a policy (docs/semantics.md §8, 13, 14, 16): the award unit its reasons
/// name ("points", "yuan"), the validity window, no stacking, the highest-only groups, cost sharing and the default payer.
/// </summary>
public sealed class PolicyTerms
{
    public PolicyTerms(string awardUnit, DateOnly? effectiveFrom, DateOnly? effectiveThrough, bool noStacking,
        IReadOnlyList<IReadOnlyList<string>> highestOnly, IReadOnlyList<CostShareInfo> costSharing, string? defaultPayer,
        bool highestWithOtherPolicies = false)
    {
        HighestWithOtherPolicies = highestWithOtherPolicies;
        AwardUnit = awardUnit ?? throw new ArgumentNullException(nameof(awardUnit));
        EffectiveFrom = effectiveFrom;
        EffectiveThrough = effectiveThrough;
        NoStacking = noStacking;
        HighestOnly = highestOnly ?? throw new ArgumentNullException(nameof(highestOnly));
        CostSharing = costSharing ?? throw new ArgumentNullException(nameof(costSharing));
        DefaultPayer = defaultPayer;
    }

    /// <summary>The award unit as reasons and traces write it after a number ("points", "yuan").</summary>
    public string AwardUnit { get; }

    /// <summary>The first day the policy applies (null: no window).</summary>
    public DateOnly? EffectiveFrom { get; }

    /// <summary>The last day the policy applies (null: no window).</summary>
    public DateOnly? EffectiveThrough { get; }

    /// <summary>True when an application already funded by a higher-level policy is not paid (不重复享受).</summary>
    public bool NoStacking { get; }

    /// <summary>True when an award already received elsewhere for the same item (another policy, another level) is topped up
    /// to this policy's award, never paid twice (就高不重复 with other policies, §24.6).</summary>
    public bool HighestWithOtherPolicies { get; }

    /// <summary>The highest-only groups (就高不重复), each a list of rule names; groups may overlap.</summary>
    public IReadOnlyList<IReadOnlyList<string>> HighestOnly { get; }

    /// <summary>The cost shares, in the policy's order (the first that covers an application applies).</summary>
    public IReadOnlyList<CostShareInfo> CostSharing { get; }

    /// <summary>Who pays an award that no cost share covers (null: "payer").</summary>
    public string? DefaultPayer { get; }

    /// <summary>An amount in the award unit as reasons write it: "8 points" (invariant, no trailing zeros).</summary>
    public string Format(decimal amount) => Award.FormatNumber(amount) + " " + AwardUnit;

    /// <summary>The default payer paying 0 (§13, <see cref="CostSplit"/>): one list shared by every application paid nothing.</summary>
    internal IReadOnlyList<PayerShare> DefaultPaysNothing => _paysNothing ??= Array.AsReadOnly(new[] { new PayerShare(DefaultPayer ?? "payer", 0m) }); // shared: not an array a caller could write into

    private IReadOnlyList<PayerShare>? _paysNothing;
}

/// <summary>The outcome of one application after validity, no stacking, highest only and running totals: its award under
/// its rule alone, what is paid, why less is paid (null: nothing kept it back), who pays, and the running-total steps.</summary>
public sealed record ApplicationResult(string Id, string Enterprise, string Rule, Award Award, decimal Paid, string? Reason,
    IReadOnlyList<PayerShare> Payers, IReadOnlyList<TraceStep> Trace, string? PaidBoundBy = null)
{
    /// <summary>What bound what is paid: the running total that cut the payment (§8), else the cap that bound the award alone.</summary>
    public string? BoundBy => PaidBoundBy ?? Award.BoundBy;
}

/// <summary>The outcome of all applications of one enterprise, in date order.</summary>
public sealed record EnterpriseResult(string Enterprise, IReadOnlyList<ApplicationResult> Applications, decimal Total);
