using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>
/// Issue 14 ("Real policies (1)"), bullet by bullet, where RealPolicyConstructsTests, UnitsAndBoundsTests, TierEdgeTests and
/// CurrencyTests do not already hold the bullet: each test names its bullet and asserts what the bullet asks.
/// </summary>
public sealed class Issue14AuditTests
{
    private static CheckedPolicy Check(string text, string? rules = null)
    {
        var result = TestFiles.Compile(text, rules);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }

    // 第4条 of Liuhe: "每家企业最高奖励300万元" over one rule's applications; the awards in yuan.
    private const string PerEnterpriseCap = """
        policy Demo "示例"
          effective 2026-01-01 through 2026-12-31
        section 1 "s" department "d"
          clause 1 "c"
            rule r "r"
              fact contribution: wan-yuan
              award 100% of contribution
              cap 300 wan-yuan per enterprise
        """;

    [Fact]
    public void Quantities_amounts_as_written_a_running_total_of_a_cap_in_万元_is_shown_in_万元()
    {
        var policy = Check(PerEnterpriseCap);
        var apps = new[]
        {
            new Application("A", "E", "r", new DateOnly(2026, 3, 1), Facts.Empty.With("contribution", 240m)),
            new Application("B", "E", "r", new DateOnly(2026, 4, 1), Facts.Empty.With("contribution", 100m)),
        };
        var result = PolicyEvaluator.EvaluateEnterprise(policy, apps).Applications;
        Assert.Equal(2_400_000m, result[0].Paid);
        Assert.Equal(600_000m, result[1].Paid);
        var step = Assert.Single(result[1].Trace, s => s.Kind == TraceKind.RunningTotal);
        Assert.Equal("running total r/enterprise:E: 240 wan-yuan used of 300 wan-yuan", step.Description);
        Assert.Equal("pays at most 60 wan-yuan", step.Value);
        Assert.Equal("running total r/enterprise:E: 240 wan-yuan used of 300 wan-yuan", result[1].BoundBy);
    }

    [Fact]
    public void Quantities_amounts_as_written_a_cap_written_in_the_award_unit_stays_in_it()
    {
        var policy = Check(PerEnterpriseCap.Replace("cap 300 wan-yuan", "cap 3000000 yuan"));
        var apps = new[]
        {
            new Application("A", "E", "r", new DateOnly(2026, 3, 1), Facts.Empty.With("contribution", 240m)),
            new Application("B", "E", "r", new DateOnly(2026, 4, 1), Facts.Empty.With("contribution", 100m)),
        };
        var step = Assert.Single(PolicyEvaluator.EvaluateEnterprise(policy, apps).Applications[1].Trace, s => s.Kind == TraceKind.RunningTotal);
        Assert.Equal("running total r/enterprise:E: 2400000 yuan used of 3000000 yuan", step.Description);
    }

    [Fact]
    public void Checker_precision_PDSL0401_in_a_Chinese_rules_file_suggests_设定()
    {
        var policy = TestFiles.Read("samples/liuhe-2023/liuhe-2023.policy");
        var rules = TestFiles.Read("samples/liuhe-2023/liuhe-2023.rules").Replace("  设定 服务业项目投资奖励.奖励比例 = 5%\n", "");
        var d = Assert.Single(TestFiles.Compile(policy, rules).Diagnostics, d => d.Id == "PDSL0401");
        Assert.Contains("设定", d.ToString());
        Assert.DoesNotContain("'set ", d.ToString());
    }

    [Fact]
    public void Checker_precision_a_condition_in_years_stays_in_years_not_months()
    {
        // ">= 1 years stays ≥ 1 年, not ≥ 12 months": the condition is read, and printed, in the unit written.
        var policy = Check("""
            policy Demo "示例"
              effective 2026-01-01 through 2026-12-31
            section 1 "s" department "d"
              clause 1 "c"
                rule r "r"
                  fact operating_period: years
                  requires operating_period >= 1 years
                  award 10 yuan
            """);
        var rule = policy.FindRule("r")!;
        var words = new PolicyDsl.Reports.PlainWords(policy, rule).Condition(rule.Requirements.Single(r => r.Condition is not null).Condition);
        Assert.Contains("1年", words.Zh.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("12", words.Zh, StringComparison.Ordinal);
        Assert.Contains("1 year", words.En, StringComparison.Ordinal);
        Assert.DoesNotContain("month", words.En, StringComparison.Ordinal);
        // And it means one year (the fact is given in the years it is declared in): half a year fails, one year passes.
        Assert.False(RuleEvaluator.Evaluate(policy, rule, Facts.Empty.With("operating_period", 0.5m)).Eligible);
        Assert.True(RuleEvaluator.Evaluate(policy, rule, Facts.Empty.With("operating_period", 1m)).Eligible);
    }
}
