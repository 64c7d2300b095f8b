namespace PolicyDsl.Bench.Evaluation;

/// <summary>
/// One application's facts for the benchmarked Tongzhou rules (clauses 6, 7, 9, 12, 14, 17, 20, 21), as a
/// caller would hold them: money in yuan (2 decimals), wan-yuan with 2 decimals, areas in m2 (2 decimals),
/// periods in years (halves) or whole months, counts whole. All facts valid (not negative).
/// </summary>
public sealed class Application
{
    // clause 6 shortboard_project_rd
    public bool RatedShortboardProject { get; set; }
    public decimal RdInvestment { get; set; }
    // clause 7 outage_insurance
    public bool AttachedToPropertyInsurance { get; set; }
    public decimal Premium { get; set; }
    // clause 7 protection_equipment and leased_protection
    public bool SensitiveIndustry { get; set; }
    public decimal NewEquipmentInvestment { get; set; }
    public decimal ImplementationPeriodYears { get; set; }
    public decimal AnnualFee { get; set; }
    public decimal EquivalentPurchaseInvestment { get; set; }
    // clause 9 overseas_exhibition
    public bool OverseasExhibition { get; set; }
    public decimal ExhibitionBoothFee { get; set; }
    // clause 12 sci_project_rent
    public bool RecognizedOrFiled { get; set; }
    public decimal RentedArea { get; set; }
    public decimal RentMonths { get; set; }
    // clause 14 industry_university_cooperation
    public decimal CooperationFundingWan { get; set; }
    public decimal PaidDevelopmentFee { get; set; }
    // clause 17 early_stage_investment
    public bool ViaManagedFund { get; set; }
    public bool EarlyStageTechInvestee { get; set; }
    public decimal OtherInvestmentWan { get; set; }
    public decimal FirstRoundInvestmentWan { get; set; }
    public decimal HoldingPeriodYears { get; set; }
    // clause 20 tourism_fair_booth
    public bool TourismEnterprise { get; set; }
    public bool OrganizedByAuthority { get; set; }
    public int FairLevel { get; set; }
    public decimal FairBoothFee { get; set; }
    // clause 21 tour_group_visitors
    public decimal SmallestGroupSize { get; set; }
    public decimal FewestPaidSpots { get; set; }
    public decimal LowestRoomRate { get; set; }
    public decimal FewestNights { get; set; }
    public decimal AnnualVisitors { get; set; }
}

/// <summary>The benchmarked rules, in the order every implementation reports their awards.</summary>
public static class BenchRules
{
    public static readonly string[] Names =
    [
        "shortboard_project_rd", "outage_insurance", "protection_equipment", "leased_protection", "overseas_exhibition",
        "sci_project_rent", "industry_university_cooperation", "early_stage_investment", "tourism_fair_booth", "tour_group_visitors",
    ];

    public const int Count = 10;
}

/// <summary>Deterministic pseudo-random applications (SplitMix64; the same seed gives the same applications on every machine).</summary>
public static class ApplicationGenerator
{
    public const ulong DefaultSeed = 20260101;

    public static Application[] Generate(int count, ulong seed = DefaultSeed)
    {
        var rng = new SplitMix64(seed);
        var result = new Application[count];
        for (var i = 0; i < count; i++) result[i] = Next(ref rng);
        return result;
    }

    public static Application Next(ref SplitMix64 r) => new()
    {
        RatedShortboardProject = r.Chance(0.85),
        RdInvestment = r.Money(40_000_000),
        AttachedToPropertyInsurance = r.Chance(0.85),
        Premium = r.Money(2_000_000),
        SensitiveIndustry = r.Chance(0.85),
        NewEquipmentInvestment = r.Money(16_000_000),
        ImplementationPeriodYears = r.Int(0, 6) * 0.5m,
        AnnualFee = r.Money(400_000),
        EquivalentPurchaseInvestment = r.Money(100_000),
        OverseasExhibition = r.Chance(0.85),
        ExhibitionBoothFee = r.Money(150_000),
        RecognizedOrFiled = r.Chance(0.85),
        RentedArea = r.Int(0, 300_000) / 100m,
        RentMonths = r.Int(0, 24),
        CooperationFundingWan = r.Int(0, 5_000) / 100m,
        PaidDevelopmentFee = r.Money(600_000),
        ViaManagedFund = r.Chance(0.9),
        EarlyStageTechInvestee = r.Chance(0.9),
        OtherInvestmentWan = r.Int(0, 300_000) / 100m,
        FirstRoundInvestmentWan = r.Int(0, 300_000) / 100m,
        HoldingPeriodYears = r.Int(0, 12) * 0.5m,
        TourismEnterprise = r.Chance(0.9),
        OrganizedByAuthority = r.Chance(0.9),
        FairLevel = r.Int(1, 3),
        FairBoothFee = r.Money(60_000),
        SmallestGroupSize = r.Int(5, 30),
        FewestPaidSpots = r.Int(0, 4),
        LowestRoomRate = r.Int(50, 300),
        FewestNights = r.Int(0, 3),
        AnnualVisitors = r.Int(0, 20_000),
    };
}

public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>An integer in [min, max], both included.</summary>
    public int Int(int min, int max) => min + (int)(NextUInt64() % (ulong)(max - min + 1));

    public bool Chance(double p) => (NextUInt64() >> 11) * (1.0 / (1UL << 53)) < p;

    /// <summary>Yuan with two decimals (whole fen) in [0, max].</summary>
    public decimal Money(long maxYuan) => (long)(NextUInt64() % (ulong)(maxYuan * 100 + 1)) / 100m;
}
