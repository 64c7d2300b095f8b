using System.Globalization;
using System.Reflection;
using System.Text.Json;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;
using PolicyDsl.Policies.Tongzhou2026;
using PolicyDsl.Runtime;
using TraceStep = PolicyDsl.Runtime.TraceStep;
using TraceKind = PolicyDsl.Runtime.TraceKind;

namespace PolicyDsl.Generator.Tests;

/// <summary>
/// The generated Tongzhou 2026 classes (generated/Tongzhou2026.Rules, built through the generator) evaluated
/// on hand-worked points, and on every sample application in samples/tongzhou-2026/applications.json, in
/// agreement with the reference evaluator.
/// </summary>
public class EvaluationTests
{
    // ---------- hand-worked points, typed ----------

    [Fact]
    public void Clause6_ten_percent_of_rd_investment_capped_at_200_per_project()
    {
        // 10% × 15,000,000 yuan = 1,500,000 yuan; ÷ 10,000 yuan per point = 150 points (< 200).
        var a = ShortboardProjectRdRule.Evaluate(new ShortboardProjectRdFacts { RatedShortboardProject = true, RdInvestment = 15_000_000m });
        Assert.Equal(150m, a.Amount);
        Assert.Null(a.BoundBy);
        Assert.Equal(1_500_000m, a.MoneyCeiling);
        // 10% × 30,000,000 = 3,000,000 yuan = 300 points > 200 → 200, bound by the project cap.
        var b = ShortboardProjectRdRule.Evaluate(new ShortboardProjectRdFacts { RatedShortboardProject = true, RdInvestment = 30_000_000m });
        Assert.Equal(200m, b.Amount);
        Assert.Equal("200 points per project", b.BoundBy);
    }

    [Fact]
    public void Clause7_premium_40_percent_and_protection_5_percent_and_leased_relative_cap()
    {
        // 40% × 200,000 = 80,000 yuan = 8 points.
        Assert.Equal(8m, OutageInsuranceRule.Evaluate(new OutageInsuranceFacts { AttachedToPropertyInsurance = true, Premium = 200_000m }).Amount);
        // 不得单独投保: not attached → not eligible, 0.
        var alone = OutageInsuranceRule.Evaluate(new OutageInsuranceFacts { AttachedToPropertyInsurance = false, Premium = 200_000m });
        Assert.False(alone.Eligible);
        Assert.Equal(0m, alone.Amount);
        // 5% × 2,000,000 = 100,000 yuan = 10 points; 1.5 years ≤ 2 years.
        Assert.Equal(10m, ProtectionEquipmentRule.Evaluate(new ProtectionEquipmentFacts { SensitiveIndustry = true, NewEquipmentInvestment = 2_000_000m, ImplementationPeriod = 1.5m }).Amount);
        // Leased: 5% × 100,000 = 0.5 points; 50% of the self-purchase standard (5% × 100,000 = 0.5) = 0.25 → 0.25.
        var leased = LeasedProtectionRule.Evaluate(new LeasedProtectionFacts { SensitiveIndustry = true, AnnualFee = 100_000m, EquivalentPurchaseInvestment = 100_000m });
        Assert.Equal(0.25m, leased.Amount);
        Assert.Equal("0.25 points per application", leased.BoundBy);
    }

    [Fact]
    public void Clause9_booth_fee_proportional_rate()
    {
        // 每2000元得0.14分 (每, not 每满): 50,000 × 0.14 / 2000 = 3.5 points; 3,000 yuan → 0.21 (not floored to 0.14).
        Assert.Equal(3.5m, OverseasExhibitionRule.Evaluate(new OverseasExhibitionFacts { OverseasExhibition = true, BoothFee = 50_000m }).Amount);
        Assert.Equal(0.21m, OverseasExhibitionRule.Evaluate(new OverseasExhibitionFacts { OverseasExhibition = true, BoothFee = 3_000m }).Amount);
    }

    [Fact]
    public void Clause12_rent_per_square_metre_month_for_at_most_12_months()
    {
        // 0.002 × 500 m² × min(10, 12) months = 10 points.
        Assert.Equal(10m, SciProjectRentRule.Evaluate(new SciProjectRentFacts { RecognizedOrFiled = true, RentedArea = 500m, RentMonths = 10m }).Amount);
        // 0.002 × 600 m² × min(18, 12) = 14.4 points (12 months only).
        Assert.Equal(14.4m, SciProjectRentRule.Evaluate(new SciProjectRentFacts { RecognizedOrFiled = true, RentedArea = 600m, RentMonths = 18m }).Amount);
    }

    [Fact]
    public void Clause14_cooperation_threshold_inclusive_and_rate()
    {
        // 10 万元（含）: exactly 10 万元 qualifies; 30% × 200,000 = 60,000 yuan = 6 points.
        Assert.Equal(6m, IndustryUniversityCooperationRule.Evaluate(new IndustryUniversityCooperationFacts { CooperationFunding = 10m, PaidDevelopmentFee = 200_000m }).Amount);
        // 9.99 万元 does not.
        Assert.False(IndustryUniversityCooperationRule.Evaluate(new IndustryUniversityCooperationFacts { CooperationFunding = 9.99m, PaidDevelopmentFee = 200_000m }).Eligible);
    }

    [Fact]
    public void Clause17_first_round_counts_one_and_a_half_times()
    {
        // counted = 300 + 1.5 × 200 = 600 万元 ≥ 500; 2 points per 100 万元 → 12 points.
        var a = EarlyStageInvestmentRule.Evaluate(new EarlyStageInvestmentFacts
        {
            ViaManagedFund = true, EarlyStageTechInvestee = true, OtherInvestment = 300m, FirstRoundInvestment = 200m, HoldingPeriod = 3m,
        });
        Assert.Equal(12m, a.Amount);
        // counted = 200 + 1.5 × 200 = 500 万元: 满500万元 is inclusive → 10 points.
        Assert.Equal(10m, EarlyStageInvestmentRule.Evaluate(new EarlyStageInvestmentFacts
        {
            ViaManagedFund = true, EarlyStageTechInvestee = true, OtherInvestment = 200m, FirstRoundInvestment = 200m, HoldingPeriod = 3m,
        }).Amount);
    }

    [Fact]
    public void Clause20_half_the_booth_fee_and_clause21_whole_steps_only()
    {
        // 50% × 30,000 = 15,000 yuan = 1.5 points.
        Assert.Equal(1.5m, TourismFairBoothRule.Evaluate(new TourismFairBoothFacts
        {
            TourismEnterprise = true, OrganizedByAuthority = true, FairLevel = TourismFairBoothRule.FairLevel.Level2, BoothFee = 30_000m,
        }).Amount);
        // 每满10人次: floor(1234 / 10) = 123 × 0.03 = 3.69 points; 1239 gives the same.
        foreach (var visitors in new[] { 1234m, 1239m })
        {
            Assert.Equal(3.69m, TourGroupVisitorsRule.Evaluate(new TourGroupVisitorsFacts
            {
                SmallestGroupSize = 10m, FewestPaidSpots = 2m, LowestRoomRate = 100m, FewestNights = 1m, AnnualVisitors = visitors,
            }).Amount);
        }
    }

    [Fact]
    public void Fixed_caps_and_rules_file_amounts()
    {
        // Clause 1: level 5 = 30 points (rules file) = its cap; clause 11: international second drafter = 15, industry 3rd–5th = 3.
        Assert.Equal(30m, CmmmMaturityRule.Evaluate(new CmmmMaturityFacts { CmmmLevel = CmmmMaturityRule.CmmmLevel.Level5 }).Amount);
        Assert.Equal(15m, StandardDraftingRule.Evaluate(new StandardDraftingFacts
        {
            StandardLevel = StandardDraftingRule.StandardLevel.International, DraftingRank = StandardDraftingRule.DraftingRank.Second, Published = true,
        }).Amount);
        Assert.Equal(3m, StandardDraftingRule.Evaluate(new StandardDraftingFacts
        {
            StandardLevel = StandardDraftingRule.StandardLevel.Industry, DraftingRank = StandardDraftingRule.DraftingRank.ThirdToFifth, Published = true,
        }).Amount);
        Assert.Equal(30m, CmmmMaturityRule.Cap1Limit);
        Assert.Equal(200m, ShortboardProjectRdRule.Cap1Limit);
    }

    [Fact]
    public void Parameters_can_be_supplied_from_csharp()
    {
        // Level 5 at 25 points instead of the rules file's 30.
        var parameters = new CmmmMaturityParameters { Amount5 = 25m };
        Assert.Equal(25m, CmmmMaturityRule.Evaluate(new CmmmMaturityFacts { CmmmLevel = CmmmMaturityRule.CmmmLevel.Level5 }, parameters).Amount);
        // Unset level 4 → the rule cannot be computed: a problem, 0.
        var unset = CmmmMaturityRule.Evaluate(new CmmmMaturityFacts { CmmmLevel = CmmmMaturityRule.CmmmLevel.Level4 }, parameters);
        Assert.Equal(0m, unset.Amount);
        Assert.NotNull(unset.Problem);
    }

    [Fact]
    public void Trace_lists_every_step_with_the_source_sentence()
    {
        var trace = new List<TraceStep>();
        var award = OutageInsuranceRule.Evaluate(new OutageInsuranceFacts { AttachedToPropertyInsurance = true, Premium = 1_500_000m }, OutageInsuranceParameters.FromRules, trace);
        Assert.Equal(50m, award.Amount);
        Assert.Equal([TraceKind.Condition, TraceKind.Formula, TraceKind.Cap, TraceKind.Result], trace.Select(t => t.Kind));
        Assert.All(trace, t => Assert.Equal(OutageInsuranceRule.Source, t.Source));
        Assert.Equal("binds", trace[2].Value);
    }

    [Fact]
    public void A_trace_step_is_a_value_equal_by_its_texts()
    {
        Assert.True(typeof(TraceStep).IsValueType);
        // A number is written invariant without trailing zeros, as reports write numbers: 12.50m is "12.5".
        var number = new TraceStep(TraceKind.Formula, "award formula", 12.50m, "src");
        var text = new TraceStep(TraceKind.Formula, "award formula", "12.5", "src");
        Assert.Equal("12.5", number.Value);
        Assert.Equal(text, number);
        Assert.True(number == text);
        Assert.Equal(text.GetHashCode(), number.GetHashCode());
        Assert.True(number.Equals((object)text));
        Assert.Equal(number, new TraceStep(TraceKind.Formula, "award formula", 12.5000000m, "src"));
        // The text is compared, not the number: the text "12.50" is another step.
        Assert.NotEqual(number, new TraceStep(TraceKind.Formula, "award formula", "12.50", "src"));
        Assert.True(number != new TraceStep(TraceKind.Formula, "award formula", 12.50m, "other"));
        Assert.NotEqual(number, new TraceStep(TraceKind.Result, "award formula", 12.50m, "src"));
        Assert.Equal(new TraceStep(TraceKind.Cap, "cap", -0.0000000000000000000000000001m, "s"), new TraceStep(TraceKind.Cap, "cap", "-0.0000000000000000000000000001", "s"));
        // A description with a number in it (a cap computed per application) is written when read.
        Assert.Equal("cap 0.25 points per application", new TraceStep(TraceKind.Cap, "cap ", 0.2500m, " points per application", "binds", "s").Description);
        var (kind, description, value, source) = number;
        Assert.Equal((TraceKind.Formula, "award formula", "12.5", "src"), (kind, description, value, source));
        Assert.Equal("TraceStep { Kind = Formula, Description = award formula, Value = 12.5, Source = src }", number.ToString());
        Assert.Contains(text, new HashSet<TraceStep> { number });
    }

    [Fact]
    public void Evaluation_without_a_trace_allocates_nothing()
    {
        var facts = new LeasedProtectionFacts { SensitiveIndustry = true, AnnualFee = 100_000m, EquivalentPurchaseInvestment = 100_000m };
        var fee = new TourGroupVisitorsFacts { SmallestGroupSize = 10m, FewestPaidSpots = 2m, LowestRoomRate = 100m, FewestNights = 1m, AnnualVisitors = 1234m };
        for (var i = 0; i < 100; i++) { LeasedProtectionRule.Evaluate(facts); TourGroupVisitorsRule.Evaluate(fee); }
        var sum = 0m;
        var allocated = LeastAllocated(() =>
        {
            sum = 0m;
            for (var i = 0; i < 1000; i++) sum += LeasedProtectionRule.Evaluate(facts).Amount + TourGroupVisitorsRule.Evaluate(fee).Amount;
        });
        Assert.Equal(0L, allocated);
        Assert.Equal(1000m * (0.25m + 3.69m), sum);
    }

    [Fact]
    public void Evaluation_with_a_reused_trace_allocates_nothing()
    {
        // The runtime writes the last step ("award of RULE") from the rule's cached text, not by concatenating per call.
        var facts = new LeasedProtectionFacts { SensitiveIndustry = true, AnnualFee = 100_000m, EquivalentPurchaseInvestment = 100_000m };
        var fee = new TourGroupVisitorsFacts { SmallestGroupSize = 10m, FewestPaidSpots = 2m, LowestRoomRate = 100m, FewestNights = 1m, AnnualVisitors = 1234m };
        var trace = new List<TraceStep>(64);
        for (var i = 0; i < 100; i++)
        {
            trace.Clear();
            LeasedProtectionRule.Evaluate(facts, LeasedProtectionParameters.FromRules, trace);
            TourGroupVisitorsRule.Evaluate(fee, TourGroupVisitorsParameters.FromRules, trace);
        }
        Assert.Equal(0L, LeastAllocated(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                trace.Clear();
                LeasedProtectionRule.Evaluate(facts, LeasedProtectionParameters.FromRules, trace);
                TourGroupVisitorsRule.Evaluate(fee, TourGroupVisitorsParameters.FromRules, trace);
            }
        }));
        Assert.Equal("award of tour_group_visitors", trace[^1].Description);
    }

    /// <summary>The fewest bytes the thread allocated in one of a few runs of <paramref name="body"/>. An allocation per call
    /// shows in every run; the runtime's own one-off work on the thread (a method tiered up mid-loop: 6,656 bytes once in
    /// five full test runs) shows in one at most.</summary>
    private static long LeastAllocated(Action body, int runs = 3)
    {
        var least = long.MaxValue;
        for (var r = 0; r < runs; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            body();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }

    // ---------- the sample applications ----------

    /// <summary>An application of samples/tongzhou-2026/applications.json. What it must be paid is in tongzhou-2026.tests (the one
    /// place the hand-worked expectations live), run through these generated classes by tests/PolicyDsl.AuthorTests.Generated.</summary>
    public sealed record SampleApplication(string Id, string Enterprise, string Rule, DateOnly Date, string? Subject, string? Location,
        bool Funded, JsonElement Facts);

    private static readonly Lazy<IReadOnlyList<SampleApplication>> Samples = new(() =>
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(GeneratorHarness.SamplesDir, "applications.json")));
        return json.RootElement.GetProperty("applications").EnumerateArray().Select(a =>
        {
            string? Opt(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return new SampleApplication(
                a.GetProperty("id").GetString()!, a.GetProperty("enterprise").GetString()!, a.GetProperty("rule").GetString()!,
                DateOnly.Parse(a.GetProperty("date").GetString()!, CultureInfo.InvariantCulture), Opt(a, "subject"), Opt(a, "location"),
                a.TryGetProperty("fundedByHigherLevelPolicy", out var f) && f.GetBoolean(), a.GetProperty("facts").Clone());
        }).ToList();
    });

    public static TheoryData<string> SampleIds()
    {
        var data = new TheoryData<string>();
        foreach (var s in Samples.Value) data.Add(s.Id);
        return data;
    }

    private static readonly Lazy<CheckedPolicy> Reference = new(() =>
    {
        var compilation = Checking.PolicyCompiler.Compile(GeneratorHarness.TongzhouPolicyPath, File.ReadAllText(GeneratorHarness.TongzhouPolicyPath),
            GeneratorHarness.TongzhouRulesPath, File.ReadAllText(GeneratorHarness.TongzhouRulesPath));
        Assert.False(compilation.HasErrors, string.Join(Environment.NewLine, compilation.Errors));
        return compilation.Policy!;
    });

    [Fact]
    public void There_are_at_least_20_samples_covering_every_clause_with_fixed_amounts()
    {
        Assert.True(Samples.Value.Count >= 20);
        var clauses = Samples.Value.Select(s => Reference.Value.FindRule(s.Rule)!.Clause).ToHashSet();
        foreach (var clause in new[] { 1, 6, 7, 9, 11, 12, 14, 17, 19, 20, 21 }) Assert.Contains(clause, clauses);
    }

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void Sample_application_agrees_with_the_reference_evaluator(string id)
    {
        var sample = Samples.Value.Single(s => s.Id == id);
        var policy = Reference.Value;
        var expected = RuleEvaluator.Evaluate(policy, policy.FindRule(sample.Rule)!, ToFacts(policy, sample));
        var actual = Tongzhou2026Policy.Evaluate(ToGenerated(sample));
        Assert.True(expected.Amount == actual.Amount, $"{id}: reference {expected.Amount} ({string.Join("; ", expected.Problems)}), generated {actual}");
        Assert.Equal(expected.Eligible, actual.Eligible);
        Assert.Equal(expected.Computable, actual.Computable);
        Assert.Equal(expected.BoundBy, actual.BoundBy);
        Assert.Equal(expected.MoneyCeiling, actual.MoneyCeiling);
    }

    [Fact]
    public void Enterprise_evaluation_agrees_with_the_reference_evaluator()
    {
        var policy = Reference.Value;
        var reference = PolicyEvaluator.Evaluate(policy, Samples.Value.Select(s =>
            new Application(s.Id, s.Enterprise, s.Rule, s.Date, ToFacts(policy, s), s.Subject, s.Location, s.Funded)));
        var generated = Tongzhou2026Policy.Evaluate(Samples.Value.Select(ToGenerated));
        Assert.Equal(reference.Count, generated.Count);
        foreach (var (r, g) in reference.Zip(generated))
        {
            Assert.Equal(r.Enterprise, g.Enterprise);
            Assert.True(r.Total == g.Total, $"{r.Enterprise}: reference total {r.Total}, generated {g.Total}");
            foreach (var (ra, ga) in r.Applications.Zip(g.Applications))
            {
                Assert.Equal(ra.Application.Id, ga.Id);
                Assert.True(ra.Paid == ga.Paid, $"{ga.Id}: reference paid {ra.Paid} ({ra.Reason}), generated {ga.Paid} ({ga.Reason})");
                Assert.Equal(ra.Reason is null, ga.Reason is null);
                Assert.Equal(ra.Payers.Select(p => (p.Payer, p.Amount)), ga.Payers.Select(p => (p.Payer, p.Amount)));
            }
        }
    }

    // ---------- JSON → facts ----------

    private static Facts ToFacts(CheckedPolicy policy, SampleApplication sample)
    {
        var rule = policy.FindRule(sample.Rule)!;
        var facts = Facts.Empty;
        foreach (var property in sample.Facts.EnumerateObject())
        {
            var fact = rule.FindFact(property.Name) ?? throw new InvalidOperationException(sample.Id + ": no fact " + property.Name);
            facts = fact.Kind switch
            {
                FactKind.Quantity => facts.With(fact.Name, property.Value.GetDecimal()),
                FactKind.YesNo => facts.With(fact.Name, property.Value.GetBoolean()),
                FactKind.Date => facts.With(fact.Name, DateOnly.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture)),
                _ => facts.With(fact.Name, property.Value.GetString()!),
            };
        }
        return facts;
    }

    /// <summary>The generated typed facts for a sample, by reflection over the generated types' names.</summary>
    private static Tongzhou2026Application ToGenerated(SampleApplication sample)
    {
        var assembly = typeof(Tongzhou2026Policy).Assembly;
        var ns = typeof(Tongzhou2026Policy).Namespace + ".";
        var baseName = Emit.CSharpText.Identifier(sample.Rule);
        var factsType = assembly.GetType(ns + baseName + "Facts", throwOnError: true)!;
        var ruleType = assembly.GetType(ns + baseName + "Rule", throwOnError: true)!;
        var rule = Reference.Value.FindRule(sample.Rule)!;
        object facts = Activator.CreateInstance(factsType)!;
        foreach (var property in sample.Facts.EnumerateObject())
        {
            var fact = rule.FindFact(property.Name)!;
            var member = factsType.GetProperty(Emit.CSharpText.Identifier(fact.Name))!;
            object value = fact.Kind switch
            {
                FactKind.Quantity => property.Value.GetDecimal(),
                FactKind.YesNo => property.Value.GetBoolean(),
                FactKind.Date => DateOnly.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture),
                _ => Enum.Parse(ruleType.GetNestedType(Emit.CSharpText.Identifier(fact.Name))!,
                    fact.Kind == FactKind.Level ? "Level" + property.Value.GetString() : Emit.CSharpText.Identifier(property.Value.GetString())),
            };
            member.SetValue(facts, value);
        }
        var factory = typeof(Tongzhou2026Application).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == "For").MakeGenericMethod(factsType);
        return (Tongzhou2026Application)factory.Invoke(null, [sample.Id, sample.Enterprise, sample.Date, facts, sample.Subject, sample.Location, sample.Funded])!;
    }
}
