using RulesEngine.Models;

namespace PolicyDsl.Bench.Evaluation;

/// <summary>
/// The same rules as a Microsoft RulesEngine 6.0.1 workflow: each rule's conditions as its Expression and
/// its capped formula as an OutputExpression action, compiled from strings at run time. The input is
/// named "a". RulesEngine always returns a result tree per rule (its trace).
/// </summary>
public sealed class RulesEngineEval
{
    public const string WorkflowName = "Tongzhou2026";

    private static readonly (string Name, string Condition, string Award)[] Rules =
    [
        ("shortboard_project_rd", "a.RatedShortboardProject", "Math.Min(a.RdInvestment * 0.10m / 10000m, 200m)"),
        ("outage_insurance", "a.AttachedToPropertyInsurance", "Math.Min(a.Premium * 0.40m / 10000m, 50m)"),
        ("protection_equipment", "a.SensitiveIndustry && a.ImplementationPeriodYears <= 2m", "Math.Min(a.NewEquipmentInvestment * 0.05m / 10000m, 40m)"),
        ("leased_protection", "a.SensitiveIndustry",
            "Math.Min(Math.Min(a.AnnualFee * 0.05m / 10000m, 1m), 0.5m * Math.Min(a.EquivalentPurchaseInvestment * 0.05m / 10000m, 40m))"),
        ("overseas_exhibition", "a.OverseasExhibition", "Math.Min(a.ExhibitionBoothFee * 0.14m / 2000m, 5m)"),
        ("sci_project_rent", "a.RecognizedOrFiled", "Math.Min(a.RentedArea * 0.002m * Math.Min(a.RentMonths, 12m), 20m)"),
        ("industry_university_cooperation", "a.CooperationFundingWan >= 10m", "Math.Min(a.PaidDevelopmentFee * 0.30m / 10000m, 10m)"),
        ("early_stage_investment",
            "a.ViaManagedFund && a.EarlyStageTechInvestee && a.OtherInvestmentWan + 1.5m * a.FirstRoundInvestmentWan >= 500m && a.HoldingPeriodYears >= 3m",
            "Math.Min((a.OtherInvestmentWan + 1.5m * a.FirstRoundInvestmentWan) * 2m / 100m, 100m)"),
        ("tourism_fair_booth", "a.TourismEnterprise && a.OrganizedByAuthority && a.FairLevel >= 2", "Math.Min(a.FairBoothFee * 0.50m / 10000m, 2m)"),
        ("tour_group_visitors",
            "a.SmallestGroupSize >= 10m && a.FewestPaidSpots >= 2m && a.LowestRoomRate >= 100m && a.FewestNights >= 1m && a.AnnualVisitors >= 500m",
            "Math.Min(Math.Floor(a.AnnualVisitors / 10m) * 0.03m, 50m)"),
    ];

    private readonly RulesEngine.RulesEngine _engine;

    public RulesEngineEval()
    {
        var workflow = new Workflow
        {
            WorkflowName = WorkflowName,
            Rules = Rules.Select(r => new Rule
            {
                RuleName = r.Name,
                RuleExpressionType = RuleExpressionType.LambdaExpression,
                Expression = r.Condition,
                Actions = new RuleActions
                {
                    OnSuccess = new ActionInfo
                    {
                        Name = "OutputExpression",
                        Context = new Dictionary<string, object> { ["expression"] = r.Award },
                    },
                },
            }).ToList(),
        };
        _engine = new RulesEngine.RulesEngine([workflow], new ReSettings());
    }

    /// <summary>Writes the ten awards of one application (0 where the conditions fail).</summary>
    public void Evaluate(Application a, Span<decimal> awards)
    {
        var results = _engine.ExecuteAllRulesAsync(WorkflowName, new RuleParameter("a", a)).GetAwaiter().GetResult();
        for (var i = 0; i < results.Count; i++) awards[i] = AwardOf(results[i]);
    }

    public decimal Total(Application a)
    {
        var results = _engine.ExecuteAllRulesAsync(WorkflowName, new RuleParameter("a", a)).GetAwaiter().GetResult();
        var total = 0m;
        foreach (var result in results) total += AwardOf(result);
        return total;
    }

    private static decimal AwardOf(RuleResultTree result)
    {
        if (result.ActionResult?.Exception is { } ex) throw new InvalidOperationException("RulesEngine rule " + result.Rule.RuleName + " failed", ex);
        if (!string.IsNullOrEmpty(result.ExceptionMessage)) throw new InvalidOperationException("RulesEngine rule " + result.Rule.RuleName + ": " + result.ExceptionMessage);
        return result.IsSuccess ? Convert.ToDecimal(result.ActionResult!.Output, System.Globalization.CultureInfo.InvariantCulture) : 0m;
    }
}
