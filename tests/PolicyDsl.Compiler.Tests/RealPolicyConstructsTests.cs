using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>
/// The constructs real policies need (issue 14): tier wording, bands of formulas, progressive bands, declared and ratio
/// units, ranges, provisions that pay nothing, and the checker's new precision; each against a hand-computed value.
/// </summary>
public sealed class RealPolicyConstructsTests
{
    // A money policy (awards in yuan), one rule, the given lines.
    private static string Money(string rule, string header = "") =>
        "policy Demo \"示例\"\n  effective 2026-01-01 through 2026-12-31\n" + header +
        "section 1 \"s\"\n  clause 1 \"c\"\n    rule r\n" + string.Join("\n", rule.Replace("\r\n", "\n").Split('\n').Select(l => "      " + l)) + "\n";

    private static CheckedPolicy Clean(string text, string? rules = null)
    {
        var result = TestFiles.Compile(text, rules);
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }

    private static decimal Award(CheckedPolicy policy, Facts facts) => RuleEvaluator.Evaluate(policy, policy.FindRule("r")!, facts).Amount;

    private static string[] Ids(string text, string? rules = null) => TestFiles.Compile(text, rules).Diagnostics.Select(d => d.Id).ToArray();

    private const string LiuheTiers = """
        fact investment: wan-yuan
        fact contribution: wan-yuan
        band rate(investment): %
          case 1000 万元 及以上 至 5000 万元 = 70%
          case 5000 万元 以上 至 1 亿元 = 80%
          case 1 亿元 以上 = 90%
        requires investment >= 1000 wan-yuan
        award rate of contribution
        uncapped "no cap stated"
        """;

    [Theory]
    [InlineData(1000, 700_000)]      // 1000万元及以上: included
    [InlineData(5000, 700_000)]      // 至5000万元: included in the first tier
    [InlineData(5000.01, 800_000)]   // 5000万元以上: the second 以上 excludes 5000万
    [InlineData(10000, 800_000)]     // 至1亿元: included in the second tier
    [InlineData(10000.01, 900_000)]  // 1亿元以上
    public void Chinese_tier_wording_puts_each_edge_in_exactly_one_tier(decimal investmentWan, decimal expectedYuan)
    {
        var policy = Clean(Money(LiuheTiers));
        Assert.Equal(expectedYuan, Award(policy, Facts.Empty.With("investment", investmentWan).With("contribution", 100m)));
    }

    [Fact]
    public void English_tier_wording_reads_the_same()
    {
        var policy = Clean(Money(LiuheTiers.Replace("1000 万元 及以上 至 5000 万元", "from 1000 wan-yuan through 5000 wan-yuan")
            .Replace("5000 万元 以上 至 1 亿元", "above 5000 wan-yuan through 1 yi-yuan").Replace("1 亿元 以上", "above 1 yi-yuan")));
        Assert.Equal(700_000m, Award(policy, Facts.Empty.With("investment", 5000m).With("contribution", 100m)));
        Assert.Equal(800_000m, Award(policy, Facts.Empty.With("investment", 5000.01m).With("contribution", 100m)));
    }

    [Fact]
    public void Two_bare_以上_and_以下_at_one_number_both_include_it_and_overlap()
    {
        var ids = Ids(Money("""
            fact area: m2
            band amount(area): yuan
              case 500 m2 以下 = 10 yuan
              case 500 m2 以上 = 20 yuan
            award amount
            """));
        Assert.Contains("PDSL0307", ids);
    }

    [Fact]
    public void A_band_case_may_hold_a_rate_applied_to_a_fact_per_declared_unit()
    {
        // 第17条: 100亩及以上至500亩 100元/亩; 500亩以上 200元/亩.
        var policy = Clean(Money("""
            fact area: 亩
            band subsidy(area): yuan
              case 100 亩 及以上 至 500 亩 = 100 yuan per 亩 of area
              case 500 亩 以上 = 200 yuan per 亩 of area
            requires area >= 100 亩
            award subsidy
            uncapped "by area"
            """, "  unit 亩\n"));
        Assert.Equal(50_000m, Award(policy, Facts.Empty.With("area", 500m)));
        Assert.Equal(100_100m, Award(policy, Facts.Empty.With("area", 500.5m)));
        Assert.Equal(0m, Award(policy, Facts.Empty.With("area", 99m)));
    }

    [Fact]
    public void A_progressive_band_pays_each_slice_at_its_rate()
    {
        // 超额累进: 0-100 at 10%, 100-300 at 20%, above 300 at 30%: 500 → 10 + 40 + 60 = 110.
        var policy = Clean(Money("""
            fact income: yuan
            band tax(income) progressive: %
              case below 100 yuan = 10%
              case from 100 yuan below 300 yuan = 20%
              case from 300 yuan = 30%
            award tax
            uncapped "grows with income"
            """));
        Assert.Equal(110m, Award(policy, Facts.Empty.With("income", 500m)));
        Assert.Equal(5m, Award(policy, Facts.Empty.With("income", 50m)));
        Assert.Equal(30m, Award(policy, Facts.Empty.With("income", 200m)));
    }

    [Fact]
    public void A_progressive_band_needs_constant_rates()
    {
        Assert.Contains("PDSL0333", Ids(Money("""
            fact income: yuan
            band tax(income) progressive: yuan
              case below 100 yuan = 10% of income
            award tax
            uncapped "x"
            """)));
    }

    [Fact]
    public void Ratio_units_compare_an_intensity_with_its_threshold()
    {
        // 亩均投资强度不低于200万元: investment / area >= 200 万元/亩.
        var policy = Clean(Money("""
            fact investment: wan-yuan
            fact area: 亩
            requires area > 0 亩
            requires investment / area >= 200 万元/亩
            award 10 万元
            """, "  unit 亩\n"));
        Assert.Equal(100_000m, Award(policy, Facts.Empty.With("investment", 3000m).With("area", 15m)));  // exactly 200
        Assert.Equal(0m, Award(policy, Facts.Empty.With("investment", 2000m).With("area", 12m)));      // 166.67
    }

    [Fact]
    public void A_declared_unit_never_mixes_with_a_built_in_dimension()
    {
        Assert.Contains("PDSL0201", Ids(Money("""
            fact land: 亩
            fact floor: m2
            requires land >= floor
            award 1 yuan
            """, "  unit 亩\n")));
    }

    [Fact]
    public void A_scaled_declared_unit_converts_to_its_base()
    {
        // unit 千瓦时 = 1 度; unit 兆瓦时 = 1000 度: 0.1元/度 × 2 兆瓦时 = 200 yuan.
        var policy = Clean(Money("""
            fact energy: 兆瓦时
            award 0.1 yuan per 度 of energy
            uncapped "by energy"
            """, "  unit 度\n  unit 兆瓦时 = 1000 度\n"));
        Assert.Equal(200m, Award(policy, Facts.Empty.With("energy", 2m)));
    }

    [Fact]
    public void Declaring_a_built_in_unit_is_an_error()
    {
        Assert.Contains("PDSL0131", Ids(Money("award 1 yuan", "  unit 万元 = 10000 yuan\n")));
    }

    [Fact]
    public void A_parameter_range_rejects_values_outside_it_in_the_rules_file()
    {
        var policy = Money("""
            fact investment: wan-yuan
            param rate: % at least 5% at most 20%
            award rate of investment
            uncapped "5%—20% of the investment"
            """);
        Assert.Empty(Ids(policy, "implementation of Demo\n  set r.rate = 10%\n"));
        Assert.Contains("PDSL0334", Ids(policy, "implementation of Demo\n  set r.rate = 3%\n"));
        Assert.Contains("PDSL0406", Ids(policy, "implementation of Demo\n  set r.rate = 25%\n"));
        Assert.Contains("PDSL0330", Ids(Money("param rate: % at least 20% at most 5%\naward rate of 1 yuan")));
    }

    [Fact]
    public void A_fact_range_is_a_condition()
    {
        var policy = Clean(Money("""
            fact rate: % at least 5% at most 20%
            fact investment: yuan
            award rate of investment
            uncapped "x"
            """));
        Assert.Equal(10m, Award(policy, Facts.Empty.With("rate", 10m).With("investment", 100m)));
        var below = RuleEvaluator.Evaluate(policy, policy.FindRule("r")!, Facts.Empty.With("rate", 3m).With("investment", 100m));
        Assert.Equal(0m, below.Amount);
        Assert.False(below.Eligible);
    }

    [Theory]
    [InlineData("cap 0 yuan", "PDSL0331")]
    [InlineData("cap -5 yuan", "PDSL0331")]
    [InlineData("cap 10 yuan\nuncapped \"none stated\"", "PDSL0332")]
    public void Caps_of_zero_or_less_and_uncapped_beside_a_cap_are_errors(string lines, string id)
    {
        Assert.Contains(id, Ids(Money("fact x: yuan\naward 10% of x\n" + lines)));
    }

    [Fact]
    public void A_cap_written_per_person_in_Chinese_is_a_cap_per_person()
    {
        var policy = Clean(Money("param amount: 万元 at most 10 万元\naward amount\n上限 10 万元 每 人\n上限 30 万元 每 企业"));
        var caps = policy.FindRule("r")!.Caps;
        Assert.Equal(new[] { PolicyDsl.Runtime.CapScope.Person, PolicyDsl.Runtime.CapScope.Enterprise }, caps.Select(c => c.Scope).ToArray());
        Assert.Equal(100_000m, caps[0].Limit.Range.High);
    }

    [Fact]
    public void An_unused_quantity_fact_is_warned_an_unused_one_of_is_not()
    {
        var ids = Ids(Money("fact base: yuan\nfact spare: yuan\nfact role: one of a, b\naward 10% of base\ncap 5 yuan"));
        Assert.Equal(new[] { "PDSL0130" }, ids);
    }

    [Fact]
    public void A_gap_and_a_table_key_that_the_conditions_rule_out_are_not_reported()
    {
        // The band starts at 1000 and the rule requires >= 1000: no gap below. The table lacks "c", which requires excludes.
        Assert.Empty(Ids(Money("""
            fact x: yuan
            fact kind: one of a, b, c
            band rate(x): %
              case from 1000 yuan = 10%
            table amount[kind]: yuan
              case a = 5 yuan
              case b = 6 yuan
            requires x >= 1000 yuan
            requires kind is a or kind is b
            award rate of x + amount[kind]
            uncapped "x"
            """)));
        Assert.Contains("PDSL0310", Ids(Money("""
            fact kind: one of a, b, c
            table amount[kind]: yuan
              case a = 5 yuan
              case b = 6 yuan
            award amount[kind]
            """)));
    }

    [Fact]
    public void Provisions_that_pay_nothing_are_in_the_model_with_their_kind()
    {
        var policy = Clean("""
            policy Demo "示例"
              effective 2026-01-01 through 2026-12-31
            section 1 "s"
              subsection 1 "固定资产投资奖励"
              clause 1 "c"
                fund at least 1 亿元 "设立总规模不低于1亿元的重点产业发展引导资金"
                support "优先组织外出培训"
                revenue sharing 50% "按50%比例进行分配"
            general 5 "其他"
              provision 23
                penalty "无偿收回企业的土地使用权"
                precedence "按国家和上级文件规定执行"
                procedure "2年内予以兑现奖励"
            """);
        var clause = policy.Sections[0].Clauses[0];
        Assert.Equal("(1) 固定资产投资奖励", clause.Subsection);
        Assert.Equal(new[] { MeasureKind.Fund, MeasureKind.Support, MeasureKind.RevenueSharing }, clause.Measures.Select(m => m.Kind).ToArray());
        Assert.Equal(100_000_000m, clause.Measures[0].Amount);
        Assert.Equal(0.5m, clause.Measures[2].Amount);
        Assert.Equal(new[] { MeasureKind.Penalty, MeasureKind.Precedence, MeasureKind.Procedure },
            policy.General.Provisions[0].Measures.Select(m => m.Kind).ToArray());
        Assert.Empty(policy.Sections[0].Departments);
        Assert.Empty(policy.Rules);
    }

    [Theory]
    [InlineData("samples/liuhe-2023/liuhe-2023.policy", "samples/liuhe-2023/liuhe-2023.rules")]
    [InlineData("samples/nanjing-jiangbei-2026/nanjing-jiangbei-2026.policy", "samples/nanjing-jiangbei-2026/nanjing-jiangbei-2026.rules")]
    public void The_real_policy_samples_check_clean(string policy, string rules)
    {
        var result = Checking.PolicyCompiler.Compile(policy, TestFiles.Read(policy), rules, TestFiles.Read(rules));
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
    }
}
