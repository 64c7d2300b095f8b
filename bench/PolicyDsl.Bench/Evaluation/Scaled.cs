namespace PolicyDsl.Bench.Evaluation;

/// <summary>
/// An application with every quantity as an exact scaled integer: money in fen (0.01 yuan), wan-yuan in
/// hundreds of yuan (0.01 wan-yuan), area in 0.01 m2, periods in months, counts whole.
/// </summary>
public readonly record struct ScaledApplication(
    bool RatedShortboardProject, long RdInvestmentFen,
    bool AttachedToPropertyInsurance, long PremiumFen,
    bool SensitiveIndustry, long NewEquipmentInvestmentFen, long ImplementationPeriodMonths, long AnnualFeeFen, long EquivalentPurchaseInvestmentFen,
    bool OverseasExhibition, long ExhibitionBoothFeeFen,
    bool RecognizedOrFiled, long RentedAreaCentiM2, long RentMonths,
    long CooperationFundingHundredYuan, long PaidDevelopmentFeeFen,
    bool ViaManagedFund, bool EarlyStageTechInvestee, long OtherInvestmentHundredYuan, long FirstRoundInvestmentHundredYuan, long HoldingPeriodMonths,
    bool TourismEnterprise, bool OrganizedByAuthority, int FairLevel, long FairBoothFeeFen,
    long SmallestGroupSize, long FewestPaidSpots, long LowestRoomRateFen, long FewestNights, long AnnualVisitors)
{
    public static ScaledApplication From(Application a) => new(
        a.RatedShortboardProject, Fen(a.RdInvestment),
        a.AttachedToPropertyInsurance, Fen(a.Premium),
        a.SensitiveIndustry, Fen(a.NewEquipmentInvestment), Exact(a.ImplementationPeriodYears * 12m), Fen(a.AnnualFee), Fen(a.EquivalentPurchaseInvestment),
        a.OverseasExhibition, Fen(a.ExhibitionBoothFee),
        a.RecognizedOrFiled, Exact(a.RentedArea * 100m), Exact(a.RentMonths),
        Exact(a.CooperationFundingWan * 100m), Fen(a.PaidDevelopmentFee),
        a.ViaManagedFund, a.EarlyStageTechInvestee, Exact(a.OtherInvestmentWan * 100m), Exact(a.FirstRoundInvestmentWan * 100m), Exact(a.HoldingPeriodYears * 12m),
        a.TourismEnterprise, a.OrganizedByAuthority, a.FairLevel, Fen(a.FairBoothFee),
        Exact(a.SmallestGroupSize), Exact(a.FewestPaidSpots), Fen(a.LowestRoomRate), Exact(a.FewestNights), Exact(a.AnnualVisitors));

    private static long Fen(decimal yuan) => Exact(yuan * 100m);

    private static long Exact(decimal value) =>
        value == decimal.Truncate(value) ? (long)value : throw new ArgumentException("not a whole number of the scaled unit: " + value);
}

/// <summary>
/// The same rules in exact scaled-integer arithmetic: awards as long units of 1e-10 points. Every factor
/// below is exact (the checker's ranges make each product fit a long with room to spare), so the awards
/// equal the decimal ones. What the emitter could generate where it proves exactness and no overflow.
/// </summary>
public static class Scaled
{
    /// <summary>Award units per point.</summary>
    public const long Unit = 10_000_000_000L;

    public static void Evaluate(in ScaledApplication a, Span<long> awards)
    {
        awards[0] = a.RatedShortboardProject ? Math.Min(a.RdInvestmentFen * 1_000L, 200 * Unit) : 0L;          // 10% of yuan in points: 1e-7 pt per fen
        awards[1] = a.AttachedToPropertyInsurance ? Math.Min(a.PremiumFen * 4_000L, 50 * Unit) : 0L;           // 40%: 4e-7 pt per fen
        awards[2] = ProtectionEquipment(a.SensitiveIndustry, a.NewEquipmentInvestmentFen, a.ImplementationPeriodMonths);
        awards[3] = a.SensitiveIndustry
            ? Math.Min(Math.Min(a.AnnualFeeFen * 500L, 1 * Unit), ProtectionEquipment(true, a.EquivalentPurchaseInvestmentFen, 12) / 2)
            : 0L;                                                                                                // 50% of an even number: exact
        awards[4] = a.OverseasExhibition ? Math.Min(a.ExhibitionBoothFeeFen * 7_000L, 5 * Unit) : 0L;           // 0.14 pt per 2000 yuan: 7e-7 pt per fen
        awards[5] = a.RecognizedOrFiled ? Math.Min(a.RentedAreaCentiM2 * Math.Min(a.RentMonths, 12L) * 200_000L, 20 * Unit) : 0L;
        awards[6] = a.CooperationFundingHundredYuan >= 1_000L ? Math.Min(a.PaidDevelopmentFeeFen * 3_000L, 10 * Unit) : 0L;
        var countedHalfHundreds = 2 * a.OtherInvestmentHundredYuan + 3 * a.FirstRoundInvestmentHundredYuan;     // in 50 yuan
        awards[7] = a.ViaManagedFund && a.EarlyStageTechInvestee && countedHalfHundreds >= 100_000L && a.HoldingPeriodMonths >= 36L
            ? Math.Min(countedHalfHundreds * 1_000_000L, 100 * Unit)                                             // 2 pt per 100 wan: 1e-4 pt per 50 yuan
            : 0L;
        awards[8] = a.TourismEnterprise && a.OrganizedByAuthority && a.FairLevel >= 2 ? Math.Min(a.FairBoothFeeFen * 5_000L, 2 * Unit) : 0L;
        awards[9] = a.SmallestGroupSize >= 10 && a.FewestPaidSpots >= 2 && a.LowestRoomRateFen >= 10_000L && a.FewestNights >= 1 && a.AnnualVisitors >= 500
            ? Math.Min(a.AnnualVisitors / 10 * 300_000_000L, 50 * Unit)
            : 0L;
    }

    private static long ProtectionEquipment(bool sensitive, long investmentFen, long periodMonths) =>
        sensitive && periodMonths <= 24 ? Math.Min(investmentFen * 500L, 40 * Unit) : 0L;   // 5%: 5e-8 pt per fen

    public static long Total(in ScaledApplication a)
    {
        Span<long> awards = stackalloc long[BenchRules.Count];
        Evaluate(in a, awards);
        var total = 0L;
        foreach (var award in awards) total += award;
        return total;
    }

    /// <summary>Units of 1e-10 points as a decimal number of points (exact).</summary>
    public static decimal ToPoints(long units) => (decimal)units / Unit;
}
