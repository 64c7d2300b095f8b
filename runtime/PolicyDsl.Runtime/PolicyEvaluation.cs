namespace PolicyDsl.Runtime;

/// <summary>The enterprise algorithm (<see cref="EnterpriseEvaluation"/>) over a generated rule set, as results of
/// <see cref="Award"/>s: what generated policy classes return from Evaluate(applications).</summary>
public static class PolicyEvaluation
{
    /// <summary>All applications, grouped by enterprise in order of first appearance.</summary>
    public static IReadOnlyList<EnterpriseResult> Evaluate<TApplication>(IRuleSet<TApplication, Award> rules, IEnumerable<TApplication> applications)
    {
        var settled = EnterpriseEvaluation.Settle(rules, applications);
        var results = new EnterpriseResult[settled.Count];
        for (var i = 0; i < results.Length; i++) results[i] = ToResult(settled[i]);
        return results;
    }

    /// <summary>The applications of one enterprise, with running totals kept in the ledger (a new one when null).</summary>
    public static EnterpriseResult EvaluateEnterprise<TApplication>(IRuleSet<TApplication, Award> rules, string enterprise,
        IEnumerable<TApplication> applications, CapLedger? ledger = null) =>
        ToResult(EnterpriseEvaluation.SettleEnterprise(rules, enterprise, applications, ledger));

    private static EnterpriseResult ToResult<TApplication>(EnterpriseSettlement<TApplication, Award> settled)
    {
        var applications = new ApplicationResult[settled.Applications.Count];
        for (var i = 0; i < applications.Length; i++)
        {
            var s = settled.Applications[i];
            applications[i] = new ApplicationResult(s.Header.Id, s.Header.Enterprise, s.Rule?.Name ?? s.Award.Rule, s.Award, s.Paid, s.Reason, s.Payers, s.Trace, s.PaidBoundBy);
        }
        return new EnterpriseResult(settled.Enterprise, applications, settled.Total);
    }
}
