namespace PolicyDsl.Runtime;

/// <summary>The enterprise algorithm (<see cref="EnterpriseEvaluation"/>) over a generated rule set, as results of
/// <see cref="Award"/>s: what generated policy classes return from Evaluate(applications).</summary>
public static class PolicyEvaluation
{
    /// <summary>All applications, grouped by enterprise in order of first appearance.</summary>
    public static IReadOnlyList<EnterpriseResult> Evaluate<TApplication>(IRuleSet<TApplication, Award> rules, IEnumerable<TApplication> applications) =>
        EnterpriseEvaluation.SettleAll<TApplication, Award, ApplicationResult, EnterpriseResult, Results<TApplication>>(rules, applications, default);

    /// <summary>The applications of one enterprise, with running totals kept in the ledger (a new one when null).</summary>
    public static EnterpriseResult EvaluateEnterprise<TApplication>(IRuleSet<TApplication, Award> rules, string enterprise,
        IEnumerable<TApplication> applications, CapLedger? ledger = null) =>
        EnterpriseEvaluation.SettleEnterprise<TApplication, Award, ApplicationResult, EnterpriseResult, Results<TApplication>>(
            rules, enterprise, applications, ledger, default);

    /// <summary>The algorithm's outcomes made straight into these results (no settlement to copy).</summary>
    private readonly struct Results<TApplication> : EnterpriseEvaluation.IResults<TApplication, Award, ApplicationResult, EnterpriseResult>
    {
        public ApplicationResult Application(TApplication application, in ApplicationHeader header, RuleInfo? rule, in Award award, decimal paid,
            string? reason, IReadOnlyList<PayerShare> payers, IReadOnlyList<TraceStep> trace, string? paidBoundBy) =>
            new(header.Id, header.Enterprise, rule?.Name ?? award.Rule, award, paid, reason, payers, trace, paidBoundBy);

        public EnterpriseResult Enterprise(string enterprise, ApplicationResult[] applications, decimal total) => new(enterprise, applications, total);
    }
}
