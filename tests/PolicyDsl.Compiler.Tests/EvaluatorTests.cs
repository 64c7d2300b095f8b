using CsCheck;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>The reference evaluator on the Tongzhou sample, each expectation worked out by hand.</summary>
public sealed class EvaluatorTests
{
    private static readonly CheckedPolicy Policy = TestFiles.CompileSample().Policy!;

    private static AwardResult Award(string rule, Facts facts) => RuleEvaluator.Evaluate(Policy, Policy.FindRule(rule)!, facts);

    [Fact]
    public void Clause9_booth_fee_is_proportional()
    {
        // 0.14 points per 2000 yuan of 30,000 yuan: 30000 × 0.14 / 2000 = 4200 / 2000 = 2.1 points (= 21,000 yuan at most).
        var result = Award("overseas_exhibition", Facts.Empty.With("overseas_exhibition", true).With("booth_fee", 30_000m));
        Assert.True(result.Eligible);
        Assert.Equal(2.1m, result.Amount);
        Assert.Equal(21_000m, result.MoneyCeiling);
        Assert.Null(result.BoundBy);
        Assert.Contains("每2000元得0.14分", result.Source);
    }

    [Fact]
    public void Clause9_cap_binds_above_5_points()
    {
        // 100,000 yuan × 0.14 / 2000 = 7 points > cap 5 points per project → 5.
        var result = Award("overseas_exhibition", Facts.Empty.With("overseas_exhibition", true).With("booth_fee", 100_000m));
        Assert.Equal(5m, result.Amount);
        Assert.Equal("5 points per project", result.BoundBy);
    }

    private static Facts Tour(decimal visitors) => Facts.Empty
        .With("smallest_group_size", 10m).With("fewest_paid_spots", 2m).With("lowest_room_rate", 100m)
        .With("fewest_nights", 1m).With("annual_visitors", visitors);

    [Fact]
    public void Clause21_counts_whole_steps_only()
    {
        // 537 person-times: floor(537 / 10) = floor(53.7) = 53 whole steps × 0.03 = 1.59 points.
        var result = Award("tour_group_visitors", Tour(537m));
        Assert.Equal(1.59m, result.Amount);
    }

    [Fact]
    public void Clause21_below_threshold_pays_nothing_and_names_the_condition()
    {
        // 499 < 500 person-times: the last condition fails, 0 points.
        var result = Award("tour_group_visitors", Tour(499m));
        Assert.False(result.Eligible);
        Assert.Equal(0m, result.Amount);
        Assert.Contains(result.Trace, s => s.Kind == TraceKind.Condition && s.Value == "fails" && s.Description.Contains("annual_visitors"));
    }

    [Fact]
    public void Clause7_outage_insurance_is_40_percent_converted_to_points()
    {
        // 40% of 100,000 yuan = 40,000 yuan; / 10,000 yuan per point = 4 points.
        Assert.Equal(4m, Award("outage_insurance", Facts.Empty.With("attached_to_property_insurance", true).With("premium", 100_000m)).Amount);
        // 40% of 2,000,000 yuan = 800,000 yuan = 80 points > 50 points per enterprise per year → 50.
        var capped = Award("outage_insurance", Facts.Empty.With("attached_to_property_insurance", true).With("premium", 2_000_000m));
        Assert.Equal(50m, capped.Amount);
        Assert.Equal("50 points per enterprise per year", capped.BoundBy);
    }

    [Fact]
    public void Clause7_relative_cap_uses_the_other_rules_award()
    {
        // Formula: 5% of 300,000 yuan = 15,000 yuan = 1.5 points; cap 1 point binds → 1.
        // Relative cap: protection_equipment with 100,000 yuan investment = 5% = 5,000 yuan = 0.5 points; 50% of it = 0.25 → binds.
        var result = Award("leased_protection", Facts.Empty.With("sensitive_industry", true).With("annual_fee", 300_000m)
            .With("equivalent_purchase_investment", 100_000m));
        Assert.Equal(0.25m, result.Amount);
        Assert.Equal("0.25 points per application", result.BoundBy);
    }

    [Fact]
    public void Clause12_rent_rate_per_area_and_month()
    {
        // 0.002 points per m2·month × 500 m2 × min(15, 12) months = 0.002 × 6000 = 12 points.
        var result = Award("sci_project_rent", Facts.Empty.With("recognized_or_filed", true).With("rented_area", 500m).With("rent_months", 15m));
        Assert.Equal(12m, result.Amount);
    }

    [Fact]
    public void Clause17_first_round_counts_one_and_a_half_times()
    {
        // counted = 300 万元 + 150% × 200 万元 = 3,000,000 + 3,000,000 = 6,000,000 yuan ≥ 5,000,000;
        // 2 points per 100 万元 (1,000,000 yuan): 6,000,000 × 2 / 1,000,000 = 12 points.
        var result = Award("early_stage_investment", Facts.Empty.With("via_managed_fund", true).With("early_stage_tech_investee", true)
            .With("other_investment", 300m).With("first_round_investment", 200m).With("holding_period", 3m));
        Assert.Equal(12m, result.Amount);
    }

    [Fact]
    public void Clause1_and_11_read_the_implementation_values()
    {
        Assert.Equal(20m, Award("cmmm_maturity", Facts.Empty.With("cmmm_level", "4")).Amount);       // set amount[4] = 20 points
        Assert.Equal(8m, Award("standard_drafting", Facts.Empty.With("standard_level", "national").With("drafting_rank", "second")
            .With("published", true)).Amount);                                                              // set amount[national, second] = 8
    }

    [Fact]
    public void Missing_and_ill_typed_facts_are_reported_not_thrown()
    {
        var missing = Award("overseas_exhibition", Facts.Empty.With("overseas_exhibition", true));
        Assert.False(missing.Eligible);
        Assert.Equal(0m, missing.Amount);
        Assert.Contains(missing.Problems, p => p.Contains("booth_fee"));

        var wrongType = Award("overseas_exhibition", Facts.Empty.With("overseas_exhibition", 3m).With("booth_fee", 10m));
        Assert.Contains(wrongType.Problems, p => p.Contains("overseas_exhibition") && p.Contains("yes or no"));

        var badMember = Award("cmmm_maturity", Facts.Empty.With("cmmm_level", "7"));
        Assert.Contains(badMember.Problems, p => p.Contains("cmmm_level"));
    }

    [Fact]
    public void Running_totals_cost_split_no_stacking_and_validity()
    {
        var apps = new[]
        {
            // level 4: 20 points; then level 5: 30 points, but only 30 − 20 = 10 left under "30 points per enterprise".
            new Application("a1", "E1", "cmmm_maturity", new DateOnly(2026, 3, 1), Facts.Empty.With("cmmm_level", "4")),
            new Application("a2", "E1", "cmmm_maturity", new DateOnly(2026, 6, 1), Facts.Empty.With("cmmm_level", "5")),
            // clause 9 at the high-tech zone: 2.1 points split 50/50 → 1.05 each.
            new Application("a3", "E1", "overseas_exhibition", new DateOnly(2026, 7, 1),
                Facts.Empty.With("overseas_exhibition", true).With("booth_fee", 30_000m), Subject: "expo-1", Location: "南通高新区"),
            // clause 21 is excepted from the share: 1.59 points all from 区财政.
            new Application("a4", "E1", "tour_group_visitors", new DateOnly(2026, 8, 1), Tour(537m), Subject: "tours", Location: "南通高新区"),
            // already funded by a higher-level policy: 0.
            new Application("a5", "E1", "aeo_advanced", new DateOnly(2026, 9, 1), Facts.Empty.With("certified", true), FundedByHigherLevelPolicy: true),
            // after the policy's validity (through 2028-12-31): rejected.
            new Application("a6", "E1", "aeo_advanced", new DateOnly(2029, 1, 2), Facts.Empty.With("certified", true)),
        };
        var result = PolicyEvaluator.EvaluateEnterprise(Policy, apps);
        var paid = result.Applications.ToDictionary(a => a.Application.Id);
        Assert.Equal(20m, paid["a1"].Paid);
        Assert.Equal(10m, paid["a2"].Paid);
        Assert.Equal(2.1m, paid["a3"].Paid);
        Assert.Equal(new[] { new PayerShare("南通高新区", 1.05m), new PayerShare("区财政", 1.05m) }, paid["a3"].Payers.ToArray());
        Assert.Equal(new[] { new PayerShare("区财政", 1.59m) }, paid["a4"].Payers.ToArray());
        Assert.Equal(0m, paid["a5"].Paid);
        Assert.Contains("no stacking", paid["a5"].Reason);
        Assert.Equal(0m, paid["a6"].Paid);
        Assert.Contains("validity", paid["a6"].Reason);
        Assert.Equal(20m + 10m + 2.1m + 1.59m, result.Total);
    }

    [Fact]
    public void Evaluation_never_exceeds_the_proven_maximum_nor_goes_below_zero()
    {
        var booth = Policy.FindRule("overseas_exhibition")!;
        Gen.Decimal[0m, 1_000_000_000m].Sample(fee =>
        {
            var r = RuleEvaluator.Evaluate(Policy, booth, Facts.Empty.With("overseas_exhibition", true).With("booth_fee", fee));
            return r.Amount >= 0m && r.Amount <= booth.ProvenMaximum!.Value;
        });
        var tour = Policy.FindRule("tour_group_visitors")!;
        Gen.Int[0, 100_000].Sample(v =>
        {
            var r = RuleEvaluator.Evaluate(Policy, tour, Tour(v));
            return r.Amount >= 0m && r.Amount <= tour.ProvenMaximum!.Value;
        });
        var invest = Policy.FindRule("early_stage_investment")!;
        Gen.Select(Gen.Decimal[0m, 100_000m], Gen.Decimal[0m, 100_000m], Gen.Decimal[0m, 20m]).Sample((other, first, years) =>
        {
            var r = RuleEvaluator.Evaluate(Policy, invest, Facts.Empty.With("via_managed_fund", true).With("early_stage_tech_investee", true)
                .With("other_investment", other).With("first_round_investment", first).With("holding_period", years));
            return r.Amount >= 0m && r.Amount <= invest.ProvenMaximum!.Value && r.Problems.IsEmpty;
        });
    }
}
