using PolicyDsl.Policies.Tongzhou2026;
using PolicyDsl.Runtime;

namespace PolicyDsl.Bench.Evaluation;

/// <summary>One application as the generated rule classes take it: one facts struct per rule.</summary>
public readonly struct GeneratedFacts(
    ShortboardProjectRdFacts shortboard,
    OutageInsuranceFacts outage,
    ProtectionEquipmentFacts protection,
    LeasedProtectionFacts leased,
    OverseasExhibitionFacts exhibition,
    SciProjectRentFacts rent,
    IndustryUniversityCooperationFacts cooperation,
    EarlyStageInvestmentFacts earlyStage,
    TourismFairBoothFacts fair,
    TourGroupVisitorsFacts visitors)
{
    // Fields (not properties) so that they can be passed to the generated Evaluate(in ...) without a copy.
    public readonly ShortboardProjectRdFacts Shortboard = shortboard;
    public readonly OutageInsuranceFacts Outage = outage;
    public readonly ProtectionEquipmentFacts Protection = protection;
    public readonly LeasedProtectionFacts Leased = leased;
    public readonly OverseasExhibitionFacts Exhibition = exhibition;
    public readonly SciProjectRentFacts Rent = rent;
    public readonly IndustryUniversityCooperationFacts Cooperation = cooperation;
    public readonly EarlyStageInvestmentFacts EarlyStage = earlyStage;
    public readonly TourismFairBoothFacts Fair = fair;
    public readonly TourGroupVisitorsFacts Visitors = visitors;

    public static GeneratedFacts From(Application a) => new(
        new() { RatedShortboardProject = a.RatedShortboardProject, RdInvestment = a.RdInvestment },
        new() { AttachedToPropertyInsurance = a.AttachedToPropertyInsurance, Premium = a.Premium },
        new() { SensitiveIndustry = a.SensitiveIndustry, NewEquipmentInvestment = a.NewEquipmentInvestment, ImplementationPeriod = a.ImplementationPeriodYears },
        new() { SensitiveIndustry = a.SensitiveIndustry, AnnualFee = a.AnnualFee, EquivalentPurchaseInvestment = a.EquivalentPurchaseInvestment },
        new() { OverseasExhibition = a.OverseasExhibition, BoothFee = a.ExhibitionBoothFee },
        new() { RecognizedOrFiled = a.RecognizedOrFiled, RentedArea = a.RentedArea, RentMonths = a.RentMonths },
        new() { CooperationFunding = a.CooperationFundingWan, PaidDevelopmentFee = a.PaidDevelopmentFee },
        new()
        {
            ViaManagedFund = a.ViaManagedFund, EarlyStageTechInvestee = a.EarlyStageTechInvestee, OtherInvestment = a.OtherInvestmentWan,
            FirstRoundInvestment = a.FirstRoundInvestmentWan, HoldingPeriod = a.HoldingPeriodYears,
        },
        new()
        {
            TourismEnterprise = a.TourismEnterprise, OrganizedByAuthority = a.OrganizedByAuthority,
            FairLevel = (TourismFairBoothRule.FairLevel)a.FairLevel, BoothFee = a.FairBoothFee,
        },
        new()
        {
            SmallestGroupSize = a.SmallestGroupSize, FewestPaidSpots = a.FewestPaidSpots, LowestRoomRate = a.LowestRoomRate,
            FewestNights = a.FewestNights, AnnualVisitors = a.AnnualVisitors,
        });
}

/// <summary>Evaluation through the classes the source generator emitted for the Tongzhou sample (generated/Tongzhou2026.Rules).</summary>
public static class Generated
{
    public static void Evaluate(in GeneratedFacts f, Span<Award> awards, ICollection<TraceStep>? trace = null)
    {
        awards[0] = ShortboardProjectRdRule.Evaluate(in f.Shortboard, ShortboardProjectRdParameters.FromRules, trace);
        awards[1] = OutageInsuranceRule.Evaluate(in f.Outage, OutageInsuranceParameters.FromRules, trace);
        awards[2] = ProtectionEquipmentRule.Evaluate(in f.Protection, ProtectionEquipmentParameters.FromRules, trace);
        awards[3] = LeasedProtectionRule.Evaluate(in f.Leased, LeasedProtectionParameters.FromRules, trace);
        awards[4] = OverseasExhibitionRule.Evaluate(in f.Exhibition, OverseasExhibitionParameters.FromRules, trace);
        awards[5] = SciProjectRentRule.Evaluate(in f.Rent, SciProjectRentParameters.FromRules, trace);
        awards[6] = IndustryUniversityCooperationRule.Evaluate(in f.Cooperation, IndustryUniversityCooperationParameters.FromRules, trace);
        awards[7] = EarlyStageInvestmentRule.Evaluate(in f.EarlyStage, EarlyStageInvestmentParameters.FromRules, trace);
        awards[8] = TourismFairBoothRule.Evaluate(in f.Fair, TourismFairBoothParameters.FromRules, trace);
        awards[9] = TourGroupVisitorsRule.Evaluate(in f.Visitors, TourGroupVisitorsParameters.FromRules, trace);
    }

    /// <summary>The total award of one application, without a trace (the allocation-free path).</summary>
    public static decimal Total(in GeneratedFacts f) =>
        ShortboardProjectRdRule.Evaluate(in f.Shortboard).Amount
        + OutageInsuranceRule.Evaluate(in f.Outage).Amount
        + ProtectionEquipmentRule.Evaluate(in f.Protection).Amount
        + LeasedProtectionRule.Evaluate(in f.Leased).Amount
        + OverseasExhibitionRule.Evaluate(in f.Exhibition).Amount
        + SciProjectRentRule.Evaluate(in f.Rent).Amount
        + IndustryUniversityCooperationRule.Evaluate(in f.Cooperation).Amount
        + EarlyStageInvestmentRule.Evaluate(in f.EarlyStage).Amount
        + TourismFairBoothRule.Evaluate(in f.Fair).Amount
        + TourGroupVisitorsRule.Evaluate(in f.Visitors).Amount;

    /// <summary>The total award of one application with every step traced into <paramref name="trace"/>.</summary>
    public static decimal TotalTraced(in GeneratedFacts f, List<TraceStep> trace)
    {
        trace.Clear();
        return ShortboardProjectRdRule.Evaluate(in f.Shortboard, ShortboardProjectRdParameters.FromRules, trace).Amount
            + OutageInsuranceRule.Evaluate(in f.Outage, OutageInsuranceParameters.FromRules, trace).Amount
            + ProtectionEquipmentRule.Evaluate(in f.Protection, ProtectionEquipmentParameters.FromRules, trace).Amount
            + LeasedProtectionRule.Evaluate(in f.Leased, LeasedProtectionParameters.FromRules, trace).Amount
            + OverseasExhibitionRule.Evaluate(in f.Exhibition, OverseasExhibitionParameters.FromRules, trace).Amount
            + SciProjectRentRule.Evaluate(in f.Rent, SciProjectRentParameters.FromRules, trace).Amount
            + IndustryUniversityCooperationRule.Evaluate(in f.Cooperation, IndustryUniversityCooperationParameters.FromRules, trace).Amount
            + EarlyStageInvestmentRule.Evaluate(in f.EarlyStage, EarlyStageInvestmentParameters.FromRules, trace).Amount
            + TourismFairBoothRule.Evaluate(in f.Fair, TourismFairBoothParameters.FromRules, trace).Amount
            + TourGroupVisitorsRule.Evaluate(in f.Visitors, TourGroupVisitorsParameters.FromRules, trace).Amount;
    }
}
