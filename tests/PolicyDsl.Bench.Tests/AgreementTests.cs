using CsCheck;
using PolicyDsl.Bench.Evaluation;
using PolicyDsl.Policies.Tongzhou2026;
using PolicyDsl.Runtime;

namespace PolicyDsl.Bench.Tests;

/// <summary>
/// The benchmark compares the generated classes with hand-written code; these tests keep that comparison
/// honest: on random and on boundary applications the generated classes (with and without a trace),
/// the hand-written decimal code and the scaled-integer code give the same ten awards.
/// </summary>
public class AgreementTests
{
    private static void AssertAgree(Application a)
    {
        var hand = new decimal[BenchRules.Count];
        var scaled = new long[BenchRules.Count];
        var generated = new Award[BenchRules.Count];
        var traced = new Award[BenchRules.Count];
        HandWritten.Evaluate(a, hand);
        Scaled.Evaluate(ScaledApplication.From(a), scaled);
        var facts = GeneratedFacts.From(a);
        Generated.Evaluate(in facts, generated);
        var trace = new List<TraceStep>();
        Generated.Evaluate(in facts, traced, trace);
        for (var r = 0; r < BenchRules.Count; r++)
        {
            Assert.True(generated[r].Problem is null, BenchRules.Names[r] + ": " + generated[r].Problem);
            Assert.True(hand[r] == generated[r].Amount, $"{BenchRules.Names[r]}: hand-written {hand[r]}, generated {generated[r].Amount}");
            Assert.True(traced[r].Amount == generated[r].Amount, $"{BenchRules.Names[r]}: traced {traced[r].Amount}, generated {generated[r].Amount}");
            Assert.True(hand[r] == Scaled.ToPoints(scaled[r]), $"{BenchRules.Names[r]}: hand-written {hand[r]}, scaled {Scaled.ToPoints(scaled[r])}");
        }
        Assert.NotEmpty(trace);
    }

    [Fact]
    public void Random_applications_agree() =>
        Gen.ULong.Sample(seed =>
        {
            var rng = new SplitMix64(seed);
            AssertAgree(ApplicationGenerator.Next(ref rng));
        }, iter: 20_000);

    [Fact]
    public void The_benchmark_applications_agree()
    {
        foreach (var a in ApplicationGenerator.Generate(10_000)) AssertAgree(a);
    }

    public static TheoryData<string> Boundaries => new() { "zero", "thresholds", "just_below", "caps_exact", "large" };

    /// <summary>Inclusive thresholds exactly met, just missed, zero facts, formulas exactly at their caps, large amounts.</summary>
    [Theory]
    [MemberData(nameof(Boundaries))]
    public void Boundary_applications_agree(string kind)
    {
        var a = new Application
        {
            RatedShortboardProject = true, AttachedToPropertyInsurance = true, SensitiveIndustry = true, OverseasExhibition = true,
            RecognizedOrFiled = true, ViaManagedFund = true, EarlyStageTechInvestee = true, TourismEnterprise = true, OrganizedByAuthority = true,
            FairLevel = 2, SmallestGroupSize = 10, FewestPaidSpots = 2, LowestRoomRate = 100, FewestNights = 1,
        };
        switch (kind)
        {
            case "thresholds":
                a.ImplementationPeriodYears = 2m; a.CooperationFundingWan = 10m; a.OtherInvestmentWan = 500m; a.HoldingPeriodYears = 3m;
                a.AnnualVisitors = 500m; a.RentMonths = 12m; a.RentedArea = 100m; a.Premium = 1000m; a.AnnualFee = 999.99m;
                break;
            case "just_below":
                a.ImplementationPeriodYears = 2.5m; a.CooperationFundingWan = 9.99m; a.OtherInvestmentWan = 499.99m; a.HoldingPeriodYears = 2.5m;
                a.AnnualVisitors = 499m; a.FairLevel = 1; a.SmallestGroupSize = 9; a.LowestRoomRate = 99.99m; a.PaidDevelopmentFee = 1000m;
                break;
            case "caps_exact":
                a.RdInvestment = 20_000_000m; a.Premium = 1_250_000m; a.NewEquipmentInvestment = 8_000_000m; a.AnnualFee = 200_000m;
                a.EquivalentPurchaseInvestment = 400_000m; a.ExhibitionBoothFee = 71_428.57m; a.RentedArea = 833.33m; a.RentMonths = 12m;
                a.CooperationFundingWan = 10m; a.PaidDevelopmentFee = 333_333.33m; a.OtherInvestmentWan = 5_000m; a.HoldingPeriodYears = 3m;
                a.FairBoothFee = 40_000m; a.AnnualVisitors = 16_670m;
                break;
            case "large":
                a.RdInvestment = 9_999_999_999.99m; a.Premium = 9_999_999_999.99m; a.NewEquipmentInvestment = 9_999_999_999.99m;
                a.AnnualFee = 9_999_999_999.99m; a.EquivalentPurchaseInvestment = 9_999_999_999.99m; a.ExhibitionBoothFee = 9_999_999_999.99m;
                a.RentedArea = 9_999_999.99m; a.RentMonths = 1200m; a.CooperationFundingWan = 99_999.99m; a.PaidDevelopmentFee = 9_999_999_999.99m;
                a.OtherInvestmentWan = 999_999.99m; a.FirstRoundInvestmentWan = 999_999.99m; a.HoldingPeriodYears = 50m;
                a.FairBoothFee = 9_999_999_999.99m; a.AnnualVisitors = 99_999_999m;
                break;
        }
        AssertAgree(a);
    }

    [Fact]
    public void Generated_evaluation_without_a_trace_allocates_nothing()
    {
        var facts = ApplicationGenerator.Generate(1_000).Select(GeneratedFacts.From).ToArray();
        var total = 0m;
        foreach (var f in facts) total += Generated.Total(in f); // warm up (static initialisers, tiering)
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var f in facts) total += Generated.Total(in f);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(total > 0m);
    }

    /// <summary>Bytes allocated by <paramref name="evaluate"/> over the benchmark applications once warmed up, and the steps traced.</summary>
    private static (long Bytes, int Steps) TracedAllocation(Func<GeneratedFacts, List<TraceStep>, decimal> evaluate)
    {
        var facts = ApplicationGenerator.Generate(1_000).Select(GeneratedFacts.From).ToArray();
        var trace = new List<TraceStep>(64);
        var total = 0m;
        foreach (var f in facts) total += evaluate(f, trace); // warm up (static initialisers, tiering, the list's capacity)
        var steps = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var f in facts)
        {
            total += evaluate(f, trace);
            steps += trace.Count;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(total > 0m);
        return (allocated, steps);
    }

    /// <summary>The ten benchmark rules, as the benchmark traces them, leased_protection's relative cap included (its step
    /// keeps the limit as a number and writes the description only when read).</summary>
    [Fact]
    public void Generated_evaluation_with_a_reused_trace_allocates_nothing()
    {
        var (bytes, steps) = TracedAllocation((f, trace) => Generated.TotalTraced(in f, trace));
        Assert.Equal(0, bytes);
        Assert.True(steps > 10_000, steps + " steps");
    }
}
