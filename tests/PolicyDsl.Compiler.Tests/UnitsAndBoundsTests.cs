using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>Units, intervals and the checker's bounds, each against a hand-computed expectation.</summary>
public sealed class UnitsAndBoundsTests
{
    // ---------- units ----------

    [Fact]
    public void Percent_of_yuan_is_yuan()
    {
        // 40% is 0.4 with no dimension; × yuan stays yuan.
        var u = Unit.Percent.Base * Unit.Yuan;
        Assert.Equal(Unit.Yuan, u);
        Assert.Equal(0.4m, new Quantity(40m, Unit.Percent).ToBase().Value);
    }

    [Fact]
    public void Points_per_yuan_times_yuan_is_points()
    {
        // 0.14 points per 2000 yuan: points/yuan; × yuan → points.
        Assert.Equal(Unit.AwardPoints, Unit.AwardPoints / Unit.Yuan * Unit.Yuan);
        Assert.Equal("points/yuan", (Unit.AwardPoints / Unit.Yuan).ToString());
    }

    [Fact]
    public void Points_per_area_month_times_area_times_month_is_points()
    {
        var rate = Unit.AwardPoints / (Unit.SquareMetres * Unit.Months);
        Assert.Equal("points/(m2·months)", rate.ToString());
        Assert.Equal(Unit.AwardPoints, rate * Unit.SquareMetres * Unit.Months);
    }

    [Fact]
    public void Scales_are_declared_not_guessed()
    {
        // 10 万元 = 100,000 yuan; 2 years = 24 months; same dimension, different scale.
        Assert.Equal(new Quantity(100_000m, Unit.Yuan), new Quantity(10m, Unit.WanYuan).ToBase());
        Assert.Equal(new Quantity(24m, Unit.Months), new Quantity(2m, Unit.Years).ToBase());
        Assert.True(Unit.WanYuan.SameDimension(Unit.Yuan));
        Assert.False(Unit.Yuan.SameDimension(Unit.AwardPoints));
    }

    // ---------- intervals ----------

    [Fact]
    public void Interval_arithmetic_is_sound_and_overflow_safe()
    {
        var fee = new Interval(0m, null);                                   // a fact without "at most"
        Assert.Equal(new Interval(0m, null), fee * Interval.Exactly(0.4m)); // still unbounded above
        Assert.Equal(new Interval(0m, 5m), Interval.Min(fee, Interval.Exactly(5m)));
        Assert.Equal(new Interval(2m, 6m), new Interval(1m, 3m) * Interval.Exactly(2m));
        Assert.Equal(new Interval(-3m, 3m), new Interval(-1m, 3m) * new Interval(-1m, 1m));
        // decimal.MaxValue × 10 overflows: the upper end becomes unbounded instead of throwing.
        Assert.Equal(new Interval(0m, null), new Interval(0m, decimal.MaxValue) * Interval.Exactly(10m));
        Assert.Equal(new Interval(null, null), new Interval(decimal.MaxValue, decimal.MaxValue) + new Interval(decimal.MaxValue, decimal.MaxValue) with { Low = null });
        // Dividing by something that may be 0 can give anything.
        Assert.Equal(Interval.Unbounded, Interval.Exactly(1m) / new Interval(0m, 2m));
        Assert.Equal(new Interval(0.5m, 2m), new Interval(1m, 2m) / new Interval(1m, 2m));
    }

    // ---------- proven maxima ----------

    private static Rule Rule(string body, string name = "r")
    {
        var result = TestFiles.Compile(Sources.Policy(body));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Policy!.FindRule(name)!;
    }

    [Fact]
    public void Maximum_is_the_lowest_cap_when_the_formula_is_unbounded()
    {
        var r = Rule("""
            rule r "r"
              fact fee: yuan
              award 0.14 points per 2000 yuan of fee
              cap 5 points per project
            """);
        Assert.Equal(5m, r.ProvenMaximum);
        Assert.Equal(50_000m, r.MoneyCeiling); // 5 points × 10,000 yuan
    }

    [Fact]
    public void Maximum_follows_a_bounded_fact()
    {
        // fee at most 100,000 yuan: 100000 × 0.14 / 2000 = 7 points, under the cap of 10.
        var r = Rule("""
            rule r "r"
              fact fee: yuan at most 100000 yuan
              award 0.14 points per 2000 yuan of fee
              cap 10 points per project
            """);
        Assert.Equal(7m, r.ProvenMaximum);
    }

    [Fact]
    public void Conditions_narrow_the_facts()
    {
        // requires months <= 12: 0.5 points per month × at most 12 months = 6 points.
        var r = Rule("""
            rule r "r"
              fact months: months
              requires months <= 12 months
              award 0.5 points per months of months
              uncapped "bounded by its condition"
            """);
        Assert.Equal(6m, r.ProvenMaximum);
    }

    [Fact]
    public void Whole_steps_floor_the_bound()
    {
        // at most 105 person-times: floor(105 / 10) = 10 steps × 0.03 = 0.3 points.
        var r = Rule("""
            rule r "r"
              fact visitors: person-times at most 105 person-times
              award 0.03 points per full 10 person-times of visitors
              uncapped "bounded by its fact"
            """);
        Assert.Equal(0.3m, r.ProvenMaximum);
    }

    [Fact]
    public void Wan_yuan_facts_scale_before_the_rate()
    {
        // at most 50 万元 = 500,000 yuan; 2 points per 100 万元 (1,000,000 yuan) → 1 point.
        var r = Rule("""
            rule r "r"
              fact investment: wan-yuan at most 50 wan-yuan
              award 2 points per 100 wan-yuan of investment
              uncapped "bounded by its fact"
            """);
        Assert.Equal(1m, r.ProvenMaximum);
    }

    [Fact]
    public void A_relative_cap_takes_the_other_rules_bound()
    {
        // a: at most 40 points; b: formula unbounded, cap 50% of a = 20 points.
        var result = TestFiles.Compile(Sources.Policy("""
            rule a "a"
              fact x: yuan
              award 5% of x in points
              cap 40 points per enterprise
            rule b "b"
              fact y: yuan
              award 5% of y in points
              cap 50% of a(x: y)
            """));
        Assert.Empty(result.Diagnostics);
        Assert.Equal(20m, result.Policy!.FindRule("b")!.ProvenMaximum);
    }

    // ---------- errors that name what they found ----------

    [Fact]
    public void A_unit_mismatch_names_both_units()
    {
        var result = TestFiles.Compile(Sources.Policy("""
            rule r "r"
              fact fee: yuan
              fact area: m2
              award (fee + area) in points
              cap 5 points
            """));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("PDSL0201", d.Id);
        Assert.Contains("yuan", d.Message);
        Assert.Contains("m2", d.Message);

        var award = Assert.Single(TestFiles.Compile(Sources.Policy("""
            rule r "r"
              fact fee: yuan
              award 10% of fee
              cap 5 points
            """)).Diagnostics);
        Assert.Equal("The award of rule r is in yuan; expected the award unit points", award.Message);
    }

    [Fact]
    public void A_formula_without_a_cap_is_caught_unless_uncapped()
    {
        const string Body = """
            rule r "r"
              fact fee: yuan
              award 10% of fee in points
            """;
        var d = Assert.Single(TestFiles.Compile(Sources.Policy(Body)).Diagnostics);
        Assert.Equal("PDSL0302", d.Id);
        Assert.Contains("[0, ∞] points", d.Message);
        Assert.Empty(TestFiles.Compile(Sources.Policy(Body + "\n  uncapped \"the policy sets none\"")).Diagnostics);
    }

    [Fact]
    public void All_independent_errors_are_reported_in_one_run()
    {
        var result = TestFiles.Compile(Sources.Policy("""
            rule a "a"
              fact fee: yuan
              award 10% of fee
              cap 5 points
            rule b "b"
              award 35 points
              cap 30 points
            rule c "c"
              fact x: yuan
              requires x >= 10 yuan and x < 5 yuan
              award 1 points
            """, effective: "effective 2026-02-30 through 2026-12-31"));
        Assert.Equal(new[] { "PDSL0202", "PDSL0301", "PDSL0305", "PDSL0501" }, result.Diagnostics.Select(d => d.Id).Order().ToArray());
    }

    [Fact]
    public void A_long_chain_of_rule_references_is_an_error_not_a_stack_overflow()
    {
        // r0 reads r1's award, r1 reads r2's, ... 200 deep.
        var rules = string.Join("\n", Enumerable.Range(0, 200).Select(i => i == 199
            ? $"rule r{i} \"r\"\n  award 1 points"
            : $"rule r{i} \"r\"\n  award r{i + 1}()"));
        var result = TestFiles.Compile(Sources.Policy(rules));
        Assert.Contains(result.Diagnostics, d => d.Id == "PDSL0003");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "PDSL0900");

        // 40 deep is fine, and evaluates: each rule passes on 1 point.
        var ok = string.Join("\n", Enumerable.Range(0, 40).Select(i => i == 39
            ? $"rule r{i} \"r\"\n  award 1 points"
            : $"rule r{i} \"r\"\n  award r{i + 1}()"));
        var policy = TestFiles.Compile(Sources.Policy(ok));
        Assert.Empty(policy.Diagnostics);
        Assert.Equal(1m, Evaluation.RuleEvaluator.Evaluate(policy.Policy!, policy.Policy!.FindRule("r0")!, Facts.Empty).Amount);
    }

    [Fact]
    public void Never_throws_on_nonsense()
    {
        foreach (var text in new[] { "", "policy", "policy X \"t\"\nsection 1 \"s\" department \"d\"\n  clause 1 \"c\"\n    rule r\n      award r()\n", "\0\0\0" })
        {
            var result = TestFiles.Compile(text);
            Assert.True(result.HasErrors);
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "PDSL0900");
        }
    }
}

internal static class Sources
{
    public static string Policy(string rules, string effective = "effective 2026-01-01 through 2026-12-31")
    {
        var indented = string.Join("\n", rules.Replace("\r\n", "\n").Split('\n').Select(l => "    " + l));
        return $"policy Demo \"示例\"\n  {effective}\n  points worth at most 10000 yuan\nsection 1 \"s\" department \"d\"\n  clause 1 \"c\"\n{indented}\n";
    }
}
