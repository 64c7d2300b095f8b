namespace PolicyDsl.Bench.Evaluation;

/// <summary>
/// The benchmarked rules written by hand in plain decimal C#, the way a developer would without PolicyDsl:
/// conditions, formula, min with the caps. The baseline of the evaluation benchmarks.
/// </summary>
public static class HandWritten
{
    /// <summary>Writes the ten awards (points) of one application into <paramref name="awards"/>.</summary>
    public static void Evaluate(Application a, Span<decimal> awards)
    {
        awards[0] = a.RatedShortboardProject ? Math.Min(a.RdInvestment * 0.10m / 10000m, 200m) : 0m;
        awards[1] = a.AttachedToPropertyInsurance ? Math.Min(a.Premium * 0.40m / 10000m, 50m) : 0m;
        awards[2] = ProtectionEquipment(a.SensitiveIndustry, a.NewEquipmentInvestment, a.ImplementationPeriodYears);
        awards[3] = a.SensitiveIndustry
            ? Math.Min(Math.Min(a.AnnualFee * 0.05m / 10000m, 1m), 0.5m * ProtectionEquipment(true, a.EquivalentPurchaseInvestment, 1m))
            : 0m;
        awards[4] = a.OverseasExhibition ? Math.Min(a.ExhibitionBoothFee * 0.14m / 2000m, 5m) : 0m;
        awards[5] = a.RecognizedOrFiled ? Math.Min(a.RentedArea * 0.002m * Math.Min(a.RentMonths, 12m), 20m) : 0m;
        awards[6] = a.CooperationFundingWan >= 10m ? Math.Min(a.PaidDevelopmentFee * 0.30m / 10000m, 10m) : 0m;
        var counted = a.OtherInvestmentWan + 1.5m * a.FirstRoundInvestmentWan;
        awards[7] = a.ViaManagedFund && a.EarlyStageTechInvestee && counted >= 500m && a.HoldingPeriodYears >= 3m
            ? Math.Min(counted * 2m / 100m, 100m)
            : 0m;
        awards[8] = a.TourismEnterprise && a.OrganizedByAuthority && a.FairLevel >= 2 ? Math.Min(a.FairBoothFee * 0.50m / 10000m, 2m) : 0m;
        awards[9] = a.SmallestGroupSize >= 10m && a.FewestPaidSpots >= 2m && a.LowestRoomRate >= 100m && a.FewestNights >= 1m && a.AnnualVisitors >= 500m
            ? Math.Min(Math.Floor(a.AnnualVisitors / 10m) * 0.03m, 50m)
            : 0m;
    }

    private static decimal ProtectionEquipment(bool sensitive, decimal investment, decimal periodYears) =>
        sensitive && periodYears <= 2m ? Math.Min(investment * 0.05m / 10000m, 40m) : 0m;

    /// <summary>The total award of one application (what the benchmark measures).</summary>
    public static decimal Total(Application a)
    {
        Span<decimal> awards = stackalloc decimal[BenchRules.Count];
        Evaluate(a, awards);
        var total = 0m;
        foreach (var award in awards) total += award;
        return total;
    }
}
