namespace PolicyDsl.Runtime;

/// <summary>
/// A policy's rules as the enterprise algorithm (<see cref="EnterpriseEvaluation"/>) sees them. Generated code implements
/// it over the typed rule classes (TAward is <see cref="Award"/>); the reference interpreter implements it over the
/// checked model. Both then run the same algorithm, so date order, validity, no stacking, highest only, running
/// totals and the cost split mean one thing.
/// </summary>
/// <typeparam name="TApplication">One application of an enterprise under one rule.</typeparam>
/// <typeparam name="TAward">What evaluating one application under its rule alone gives.</typeparam>
public interface IRuleSet<TApplication, TAward>
{
    /// <summary>The policy-wide terms: validity, no stacking, highest-only groups, cost sharing.</summary>
    PolicyTerms Policy { get; }

    /// <summary>What the algorithm reads of an application besides its facts.</summary>
    ApplicationHeader Header(TApplication application);

    /// <summary>The rule the application is under, or null when the policy has no such rule (then
    /// <see cref="Evaluate"/> must give an award with a problem saying so).</summary>
    RuleInfo? RuleOf(TApplication application);

    /// <summary>The application's award under its rule alone (its own caps applied, no running totals).</summary>
    TAward Evaluate(TApplication application);

    /// <summary>What the algorithm reads of an award.</summary>
    AwardOutcome Outcome(TAward award);

    /// <summary>The limit of the rule's cap number <paramref name="cap"/> (0-based) for this application, in the award
    /// unit. Asked only for a scoped cap (not per application) of an award that is paid.</summary>
    decimal CapLimit(TApplication application, TAward award, int cap);
}

/// <summary>What the enterprise algorithm reads of an application: its id, enterprise, date, subject (the scope key of
/// project, certification, item and person caps), location (for cost sharing) and whether a higher-level policy
/// already funds it (no stacking); ReceivedElsewhere is what another policy already paid for the same item, in the award
/// unit (就高不重复 with other policies, §24.6).</summary>
public readonly record struct ApplicationHeader(string Id, string Enterprise, DateOnly Date, string? Subject, string? Location,
    bool FundedByHigherLevelPolicy, decimal ReceivedElsewhere = 0m);

/// <summary>What the enterprise algorithm reads of an award: the amount, whether it is eligible and computable, and the
/// problem that kept it from being evaluated (null: none).</summary>
public readonly record struct AwardOutcome(decimal Amount, bool Eligible, bool Computable, string? Problem);

/// <summary>The outcome of one application after validity, no stacking, highest only, running totals and the split:
/// its award alone, what is paid, why less is paid (null: nothing kept it back), who pays, and the steps taken.</summary>
public sealed record Settlement<TApplication, TAward>(TApplication Application, ApplicationHeader Header, RuleInfo? Rule, TAward Award,
    decimal Paid, string? Reason, IReadOnlyList<PayerShare> Payers, IReadOnlyList<TraceStep> Trace, string? PaidBoundBy = null);

/// <summary>The settlements of one enterprise's applications, in date order, and what is paid in total.</summary>
public sealed record EnterpriseSettlement<TApplication, TAward>(string Enterprise, IReadOnlyList<Settlement<TApplication, TAward>> Applications,
    decimal Total);
