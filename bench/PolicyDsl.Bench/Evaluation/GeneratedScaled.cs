using System.Runtime.CompilerServices;
using PolicyDsl.Policies.Tongzhou2026;

namespace PolicyDsl.Bench.Evaluation;

/// <summary>
/// One application as the generated scaled entry points take it (docs/semantics.md §26.2): per rule its scaled-facts
/// struct, each quantity a long in the small unit its summary names (money in 0.01 yuan, wan-yuan in 0.000001 wan-yuan,
/// years, months, m2 and counts in 0.01). Converted once, when the applications are made: the caller holds integers.
/// </summary>
public readonly struct GeneratedScaledFacts(
    ShortboardProjectRdScaledFacts shortboard,
    OutageInsuranceScaledFacts outage,
    ProtectionEquipmentScaledFacts protection,
    LeasedProtectionScaledFacts leased,
    OverseasExhibitionScaledFacts exhibition,
    SciProjectRentScaledFacts rent,
    IndustryUniversityCooperationScaledFacts cooperation,
    EarlyStageInvestmentScaledFacts earlyStage,
    TourismFairBoothScaledFacts fair,
    TourGroupVisitorsScaledFacts visitors)
{
    public readonly ShortboardProjectRdScaledFacts Shortboard = shortboard;
    public readonly OutageInsuranceScaledFacts Outage = outage;
    public readonly ProtectionEquipmentScaledFacts Protection = protection;
    public readonly LeasedProtectionScaledFacts Leased = leased;
    public readonly OverseasExhibitionScaledFacts Exhibition = exhibition;
    public readonly SciProjectRentScaledFacts Rent = rent;
    public readonly IndustryUniversityCooperationScaledFacts Cooperation = cooperation;
    public readonly EarlyStageInvestmentScaledFacts EarlyStage = earlyStage;
    public readonly TourismFairBoothScaledFacts Fair = fair;
    public readonly TourGroupVisitorsScaledFacts Visitors = visitors;

    public static GeneratedScaledFacts From(Application a) => new(
        new() { RatedShortboardProject = a.RatedShortboardProject, RdInvestment = S(a.RdInvestment, 2) },
        new() { AttachedToPropertyInsurance = a.AttachedToPropertyInsurance, Premium = S(a.Premium, 2) },
        new() { SensitiveIndustry = a.SensitiveIndustry, NewEquipmentInvestment = S(a.NewEquipmentInvestment, 2), ImplementationPeriod = S(a.ImplementationPeriodYears, 2) },
        new() { SensitiveIndustry = a.SensitiveIndustry, AnnualFee = S(a.AnnualFee, 2), EquivalentPurchaseInvestment = S(a.EquivalentPurchaseInvestment, 2) },
        new() { OverseasExhibition = a.OverseasExhibition, BoothFee = S(a.ExhibitionBoothFee, 2) },
        new() { RecognizedOrFiled = a.RecognizedOrFiled, RentedArea = S(a.RentedArea, 2), RentMonths = S(a.RentMonths, 2) },
        new() { CooperationFunding = S(a.CooperationFundingWan, 6), PaidDevelopmentFee = S(a.PaidDevelopmentFee, 2) },
        new()
        {
            ViaManagedFund = a.ViaManagedFund, EarlyStageTechInvestee = a.EarlyStageTechInvestee, OtherInvestment = S(a.OtherInvestmentWan, 6),
            FirstRoundInvestment = S(a.FirstRoundInvestmentWan, 6), HoldingPeriod = S(a.HoldingPeriodYears, 2),
        },
        new()
        {
            TourismEnterprise = a.TourismEnterprise, OrganizedByAuthority = a.OrganizedByAuthority,
            FairLevel = (TourismFairBoothRule.FairLevel)a.FairLevel, BoothFee = S(a.FairBoothFee, 2),
        },
        new()
        {
            SmallestGroupSize = S(a.SmallestGroupSize, 2), FewestPaidSpots = S(a.FewestPaidSpots, 2), LowestRoomRate = S(a.LowestRoomRate, 2),
            FewestNights = S(a.FewestNights, 2), AnnualVisitors = S(a.AnnualVisitors, 2),
        });

    private static long S(decimal value, int places)
    {
        for (var i = 0; i < places; i++) value *= 10m;
        return value == decimal.Truncate(value) ? (long)value : throw new ArgumentException("not a whole number of the scaled unit: " + value);
    }
}

/// <summary>Evaluation through the generated TryEvaluateScaled entry points: longs in, longs out, no decimal.</summary>
public static class GeneratedScaled
{
    /// <summary>The places of <see cref="Total"/>: the most any of the ten rules' AmountPlaces has.</summary>
    public const int Places = 12;

    /// <summary>The ten awards, each at its rule's AmountPlaces; false where an entry point did not take the application.</summary>
    public static bool Evaluate(in GeneratedScaledFacts f, Span<long> awards)
    {
        var ok = ShortboardProjectRdRule.TryEvaluateScaled(in f.Shortboard, out awards[0]);
        ok &= OutageInsuranceRule.TryEvaluateScaled(in f.Outage, out awards[1]);
        ok &= ProtectionEquipmentRule.TryEvaluateScaled(in f.Protection, out awards[2]);
        ok &= LeasedProtectionRule.TryEvaluateScaled(in f.Leased, out awards[3]);
        ok &= OverseasExhibitionRule.TryEvaluateScaled(in f.Exhibition, out awards[4]);
        ok &= SciProjectRentRule.TryEvaluateScaled(in f.Rent, out awards[5]);
        ok &= IndustryUniversityCooperationRule.TryEvaluateScaled(in f.Cooperation, out awards[6]);
        ok &= EarlyStageInvestmentRule.TryEvaluateScaled(in f.EarlyStage, out awards[7]);
        ok &= TourismFairBoothRule.TryEvaluateScaled(in f.Fair, out awards[8]);
        ok &= TourGroupVisitorsRule.TryEvaluateScaled(in f.Visitors, out awards[9]);
        return ok;
    }

    /// <summary>The places of each rule's amount, in <see cref="BenchRules.Names"/> order.</summary>
    public static readonly int[] AmountPlaces =
    [
        ShortboardProjectRdRule.AmountPlaces, OutageInsuranceRule.AmountPlaces, ProtectionEquipmentRule.AmountPlaces, LeasedProtectionRule.AmountPlaces,
        OverseasExhibitionRule.AmountPlaces, SciProjectRentRule.AmountPlaces, IndustryUniversityCooperationRule.AmountPlaces,
        EarlyStageInvestmentRule.AmountPlaces, TourismFairBoothRule.AmountPlaces, TourGroupVisitorsRule.AmountPlaces,
    ];

    /// <summary>The total of one application in 10^-12 points (each amount aligned by its rule's constant AmountPlaces).</summary>
    public static long Total(in GeneratedScaledFacts f)
    {
        ShortboardProjectRdRule.TryEvaluateScaled(in f.Shortboard, out var a0);
        OutageInsuranceRule.TryEvaluateScaled(in f.Outage, out var a1);
        ProtectionEquipmentRule.TryEvaluateScaled(in f.Protection, out var a2);
        LeasedProtectionRule.TryEvaluateScaled(in f.Leased, out var a3);
        OverseasExhibitionRule.TryEvaluateScaled(in f.Exhibition, out var a4);
        SciProjectRentRule.TryEvaluateScaled(in f.Rent, out var a5);
        IndustryUniversityCooperationRule.TryEvaluateScaled(in f.Cooperation, out var a6);
        EarlyStageInvestmentRule.TryEvaluateScaled(in f.EarlyStage, out var a7);
        TourismFairBoothRule.TryEvaluateScaled(in f.Fair, out var a8);
        TourGroupVisitorsRule.TryEvaluateScaled(in f.Visitors, out var a9);
        return Align(a0, ShortboardProjectRdRule.AmountPlaces) + Align(a1, OutageInsuranceRule.AmountPlaces) + Align(a2, ProtectionEquipmentRule.AmountPlaces)
             + Align(a3, LeasedProtectionRule.AmountPlaces) + Align(a4, OverseasExhibitionRule.AmountPlaces) + Align(a5, SciProjectRentRule.AmountPlaces)
             + Align(a6, IndustryUniversityCooperationRule.AmountPlaces) + Align(a7, EarlyStageInvestmentRule.AmountPlaces)
             + Align(a8, TourismFairBoothRule.AmountPlaces) + Align(a9, TourGroupVisitorsRule.AmountPlaces);
    }

    /// <summary>An amount at <paramref name="places"/> (a constant: the JIT folds the switch) at <see cref="Places"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Align(long amount, int places) => (Places - places) switch
    {
        0 => amount,
        1 => amount * 10L,
        2 => amount * 100L,
        3 => amount * 1_000L,
        4 => amount * 10_000L,
        5 => amount * 100_000L,
        6 => amount * 1_000_000L,
        7 => amount * 10_000_000L,
        8 => amount * 100_000_000L,
        9 => amount * 1_000_000_000L,
        10 => amount * 10_000_000_000L,
        _ => throw new ArgumentOutOfRangeException(nameof(places)),
    };

    /// <summary>An amount at <paramref name="places"/> as a decimal number of points (exact).</summary>
    public static decimal ToPoints(long amount, int places)
    {
        decimal value = amount;
        for (var i = 0; i < places; i++) value /= 10m;
        return value;
    }
}
