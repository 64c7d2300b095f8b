namespace PolicyDsl.Runtime;

/// <summary>
/// The evaluation of enterprises' applications across a policy's rules (docs/semantics.md §8, 13, 14, 16), written once
/// for the interpreter and generated code alike. Per enterprise, applications are taken in date order (stable); each is
/// evaluated under its rule alone; one that is outside the validity windows (<see cref="Validity"/>), could not be
/// evaluated, is case by case, fails a condition or is already funded by a higher-level policy under no stacking is not
/// paid, with its reason; then <see cref="HighestOnly"/>; then, in date order, the running totals under scoped caps
/// (<see cref="CapLedger"/>) and the split between payers (<see cref="CostSplit"/>). An amount that would take the
/// enterprise's total above the largest decimal is not paid, with its reason, instead of overflowing.
/// </summary>
public static class EnterpriseEvaluation
{
    /// <summary>The reason of an application that no stacking keeps from being paid.</summary>
    public const string NoStackingReason = "no stacking: already funded by a higher-level policy for the same item";

    /// <summary>All applications, grouped by enterprise in order of first appearance.</summary>
    public static IReadOnlyList<EnterpriseSettlement<TApplication, TAward>> Settle<TApplication, TAward>(
        IRuleSet<TApplication, TAward> rules, IEnumerable<TApplication> applications) =>
        SettleAll<TApplication, TAward, Settlement<TApplication, TAward>, EnterpriseSettlement<TApplication, TAward>, Settlements<TApplication, TAward>>(
            rules, applications, default);

    /// <summary>The applications of one enterprise (each should name it), with running totals kept in
    /// <paramref name="ledger"/> (a new one when null).</summary>
    public static EnterpriseSettlement<TApplication, TAward> SettleEnterprise<TApplication, TAward>(
        IRuleSet<TApplication, TAward> rules, string enterprise, IEnumerable<TApplication> applications, CapLedger? ledger = null) =>
        SettleEnterprise<TApplication, TAward, Settlement<TApplication, TAward>, EnterpriseSettlement<TApplication, TAward>, Settlements<TApplication, TAward>>(
            rules, enterprise, applications, ledger, default);

    /// <summary>What the algorithm's outcomes are made into: one result per application, one per enterprise (the
    /// <see cref="Settlement{TApplication, TAward}"/>s here, generated code's <see cref="ApplicationResult"/>s in
    /// <see cref="PolicyEvaluation"/>). A struct: the algorithm is the same code for every shape, and makes nothing else.</summary>
    internal interface IResults<TApplication, TAward, TResult, TEnterprise>
    {
        TResult Application(TApplication application, in ApplicationHeader header, RuleInfo? rule, in TAward award, decimal paid, string? reason,
            IReadOnlyList<PayerShare> payers, IReadOnlyList<TraceStep> trace, string? paidBoundBy);

        TEnterprise Enterprise(string enterprise, TResult[] applications, decimal total);
    }

    private readonly struct Settlements<TApplication, TAward> : IResults<TApplication, TAward, Settlement<TApplication, TAward>, EnterpriseSettlement<TApplication, TAward>>
    {
        public Settlement<TApplication, TAward> Application(TApplication application, in ApplicationHeader header, RuleInfo? rule, in TAward award, decimal paid,
            string? reason, IReadOnlyList<PayerShare> payers, IReadOnlyList<TraceStep> trace, string? paidBoundBy) =>
            new(application, header, rule, award, paid, reason, payers, trace, paidBoundBy);

        public EnterpriseSettlement<TApplication, TAward> Enterprise(string enterprise, Settlement<TApplication, TAward>[] applications, decimal total) =>
            new(enterprise, applications, total);
    }

    /// <summary><see cref="Settle{TApplication, TAward}"/> into the results <paramref name="results"/> makes.</summary>
    internal static List<TEnterprise> SettleAll<TApplication, TAward, TResult, TEnterprise, TResults>(
        IRuleSet<TApplication, TAward> rules, IEnumerable<TApplication> applications, TResults results)
        where TResults : struct, IResults<TApplication, TAward, TResult, TEnterprise>
    {
        if (rules is null) throw new ArgumentNullException(nameof(rules));
        if (applications is null) throw new ArgumentNullException(nameof(applications));
        var order = new List<string>();
        var byEnterprise = new Dictionary<string, List<TApplication>>(StringComparer.Ordinal);
        foreach (var application in applications)
        {
            var enterprise = rules.Header(application).Enterprise;
            if (!byEnterprise.TryGetValue(enterprise, out var list))
            {
                list = new List<TApplication>();
                byEnterprise.Add(enterprise, list);
                order.Add(enterprise);
            }
            list.Add(application);
        }
        var settled = new List<TEnterprise>(order.Count);
        foreach (var enterprise in order)
            settled.Add(SettleEnterprise<TApplication, TAward, TResult, TEnterprise, TResults>(rules, enterprise, byEnterprise[enterprise], null, results));
        return settled;
    }

    /// <summary>The one enterprise algorithm: <see cref="SettleEnterprise{TApplication, TAward}"/> into the results
    /// <paramref name="results"/> makes.</summary>
    internal static TEnterprise SettleEnterprise<TApplication, TAward, TResult, TEnterprise, TResults>(
        IRuleSet<TApplication, TAward> rules, string enterprise, IEnumerable<TApplication> applications, CapLedger? ledger, TResults results)
        where TResults : struct, IResults<TApplication, TAward, TResult, TEnterprise>
    {
        if (rules is null) throw new ArgumentNullException(nameof(rules));
        if (applications is null) throw new ArgumentNullException(nameof(applications));
        ledger ??= new CapLedger();
        var policy = rules.Policy;
        var all = applications as IReadOnlyList<TApplication> ?? applications.ToList();
        var n = all.Count;
        // The working arrays (at least n long): this thread's, taken while in use (so a nested evaluation makes its own).
        var work = Work<TAward>.Take(n);
        var headers = work.Headers;
        for (var i = 0; i < n; i++) headers[i] = rules.Header(all[i]);

        // Date order, stable: ties keep the order given (applications given in date order, as policyc eval gives them, are not sorted).
        var order = work.Order;
        var sorted = true;
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
            if (i > 0 && headers[i].Date < headers[i - 1].Date) sorted = false;
        }
        if (!sorted) order.AsSpan(0, n).Sort((a, b) => headers[a].Date != headers[b].Date ? headers[a].Date.CompareTo(headers[b].Date) : a.CompareTo(b));

        // 1. Each application alone, and why it is not paid.
        var ruleOf = work.Rules;
        var awards = work.Awards;
        var outcomes = work.Outcomes;
        var reasons = work.Reasons;
        for (var k = 0; k < n; k++)
        {
            var i = order[k];
            ruleOf[i] = rules.RuleOf(all[i]);
            awards[i] = rules.Evaluate(all[i]);
            outcomes[i] = rules.Outcome(awards[i]);
            reasons[i] = Reason(policy, ruleOf[i], headers[i], outcomes[i]);
        }

        // 2. Highest only, over those still to be paid.
        if (policy.HighestOnly.Count > 0)
        {
            var names = new string?[n];
            var subjects = new string?[n];
            var amounts = new decimal[n];
            for (var i = 0; i < n; i++) (names[i], subjects[i], amounts[i]) = (ruleOf[i]?.Name, headers[i].Subject, outcomes[i].Amount);
            HighestOnly.Exclude(policy.HighestOnly, new ArraySegment<int>(order, 0, n), names, subjects, amounts, reasons,
                w => names[w] + " (" + headers[w].Id + "), which awards " + policy.Format(amounts[w]));
        }

        // 3. In date order: running totals under scoped caps, the enterprise's total, the split.
        var settled = new TResult[n];
        var total = 0m;
        var traced = ledger.Traced;
        var keys = work.Keys; // the totals one payment counts toward (Left fills it, Record reads it)
        for (var k = 0; k < n; k++)
        {
            var i = order[k];
            var trace = traced ? new List<TraceStep>() : null;
            var rule = ruleOf[i];
            var reason = reasons[i];
            var paid = 0m;
            keys.Clear();
            string? paidBoundBy = null;
            if (reason is null && rule is not null)
            {
                var application = all[i];
                var payable = outcomes[i].Amount;
                if (policy.HighestWithOtherPolicies && headers[i].ReceivedElsewhere > 0m)
                {
                    // §24.6: the higher of this award and the one received elsewhere, never both: pay the difference.
                    var elsewhere = headers[i].ReceivedElsewhere;
                    var difference = payable > elsewhere ? payable - elsewhere : 0m;
                    trace?.Add(new TraceStep(TraceKind.RunningTotal, "highest with other policies: " + policy.Format(elsewhere) + " received elsewhere for the same item",
                        difference > 0m ? "pays the difference " + policy.Format(difference) : "pays nothing", rule.Source));
                    if (difference == 0m && payable > 0m)
                        reason = "highest with other policies: " + policy.Format(elsewhere) + " received elsewhere is at least this award of " + policy.Format(payable);
                    payable = difference;
                }
                if (reason is null) paid = ledger.Left(rule, headers[i], payable, new Limits<TApplication, TAward>(rules, application, awards[i]), policy, keys, trace, out paidBoundBy);
                if (reason is not null) { }
                else if (decimal.MaxValue - total < paid)
                {
                    reason = "not paid: " + policy.Format(paid) + " more would take the enterprise's total of " + policy.Format(total) +
                             " above the largest amount a decimal holds";
                    paid = 0m;
                    paidBoundBy = null;
                }
                else
                {
                    ledger.Record(keys, paid);
                    total += paid;
                }
            }
            var source = rule?.Source ?? "";
            if (reason is not null) trace?.Add(new TraceStep(TraceKind.Result, reason, "0", source));
            paid = Amounts.Normalize(paid);
            trace?.Add(new TraceStep(TraceKind.Result, "paid", policy.Format(paid), source));
            settled[k] = results.Application(all[i], headers[i], rule, awards[i], paid, reason,
                CostSplit.Split(policy, paid, headers[i].Location, rule?.Clause), trace ?? (IReadOnlyList<TraceStep>)Array.Empty<TraceStep>(), paidBoundBy);
        }
        work.Return(n);
        return results.Enterprise(enterprise, settled, Amounts.Normalize(total));
    }

    /// <summary>The arrays one enterprise's evaluation works in, kept per thread for the next (their results are made
    /// anew; these only hold what is read while settling).</summary>
    private sealed class Work<TAward>
    {
        [ThreadStatic] private static Work<TAward>? _free;

        /// <summary>Arrays longer than this are not kept (a very large enterprise).</summary>
        private const int Kept = 4096;

        public ApplicationHeader[] Headers = [];
        public int[] Order = [];
        public RuleInfo?[] Rules = [];
        public TAward[] Awards = [];
        public AwardOutcome[] Outcomes = [];
        public string?[] Reasons = [];
        public readonly List<RunningTotal> Keys = new(4);

        public static Work<TAward> Take(int n)
        {
            var work = _free ?? new Work<TAward>();
            _free = null;
            if (work.Order.Length < n)
            {
                var length = Math.Max(n, Math.Min(Kept, Math.Max(16, work.Order.Length * 2)));
                work.Headers = new ApplicationHeader[length];
                work.Order = new int[length];
                work.Rules = new RuleInfo?[length];
                work.Awards = new TAward[length];
                work.Outcomes = new AwardOutcome[length];
                work.Reasons = new string?[length];
            }
            return work;
        }

        /// <summary>Kept for the next enterprise, what the first <paramref name="n"/> held forgotten.</summary>
        public void Return(int n)
        {
            if (Order.Length > Kept) return;
            Array.Clear(Headers, 0, n);
            Array.Clear(Rules, 0, n);
            Array.Clear(Awards, 0, n);
            Array.Clear(Outcomes, 0, n);
            Array.Clear(Reasons, 0, n);
            Keys.Clear();
            _free = this;
        }
    }

    /// <summary>The limits of an application's scoped caps, asked of the rule set only when a running total needs one (a
    /// struct, so that settling an application allocates no closure).</summary>
    private readonly struct Limits<TApplication, TAward>(IRuleSet<TApplication, TAward> rules, TApplication application, TAward award) : CapLedger.ILimits
    {
        public decimal Limit(int cap) => rules.CapLimit(application, award, cap);
    }

    /// <summary>Why an application is not paid before highest only and running totals, or null: validity, a problem,
    /// case by case, a failed condition, no stacking (in that order).</summary>
    private static string? Reason(PolicyTerms policy, RuleInfo? rule, ApplicationHeader application, AwardOutcome award)
    {
        if (rule is null) return award.Problem ?? "the policy has no such rule";
        return Validity.Reason(application.Date, rule.QualifiesByEvent, policy.EffectiveFrom, policy.EffectiveThrough, rule.ValidFrom, rule.ValidThrough)
               ?? award.Problem
               ?? (!award.Computable && award.Eligible ? "case by case: not computable, nothing is paid automatically"
                   : !award.Eligible ? "conditions not met"
                   : policy.NoStacking && application.FundedByHigherLevelPolicy ? NoStackingReason
                   : null);
    }
}
