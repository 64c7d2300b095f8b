using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>
/// Issue 14 ("Real policies (1)"), bullet by bullet, where RealPolicyConstructsTests, UnitsAndBoundsTests, TierEdgeTests and
/// CurrencyTests do not already hold the bullet: each test names its bullet and asserts what the bullet asks.
/// </summary>
public sealed class Issue14AuditTests
{
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
        var policy = TestFiles.Check(PerEnterpriseCap);
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
        var policy = TestFiles.Check(PerEnterpriseCap.Replace("cap 300 wan-yuan", "cap 3000000 yuan"));
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
        var policy = TestFiles.Check("""
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

    // ---------- checker precision: "a relative cap on an unbounded fact is bounded by the cap" ----------

    // Tongzhou 第7条 shape: a leased device's subsidy is 5% of its fee (no upper bound on the fee, no cap of its own), and
    // at most 50% of what buying the same device would get (whose rule is capped at 40万元 per enterprise per year).
    private const string RelativeCap = """
        policy Demo "示例"
          effective 2026-01-01 through 2026-12-31
        section 1 "s" department "d"
          clause 1 "c"
            rule own "自购"
              fact investment: wan-yuan
              award 5% of investment
              cap 40 wan-yuan per enterprise per year
            rule leased "租赁"
              fact fee: wan-yuan
              fact equivalent: wan-yuan
              award 5% of fee
              cap 50% of own(investment: equivalent)
        """;

    [Fact]
    public void Checker_precision_a_relative_cap_on_an_unbounded_fact_is_bounded_by_the_cap()
    {
        var policy = TestFiles.Check(RelativeCap);
        var leased = policy.FindRule("leased")!;
        // Proven: at most 50% of own's maximum (40万元), although fee and equivalent have no upper bound; no 'uncapped' needed.
        Assert.Equal(200_000m, leased.ProvenMaximum);
        // Evaluated: a fee of 1亿元 (5% = 500万元) is held at 50% of own(investment: 1亿元) = 50% of 40万元.
        var big = RuleEvaluator.Evaluate(policy, leased, Facts.Empty.With("fee", 10_000m).With("equivalent", 10_000m));
        Assert.Equal(200_000m, big.Amount);
        // With a small equivalent purchase the cap is 50% of 5% of it: 100万元 → 2.5万元.
        Assert.Equal(25_000m, RuleEvaluator.Evaluate(policy, leased, Facts.Empty.With("fee", 1_000m).With("equivalent", 100m)).Amount);
        // bounds prints the proven maximum in the unit written (万元).
        var dir = Directory.CreateTempSubdirectory("pdsl-relcap-");
        try
        {
            var file = Path.Combine(dir.FullName, "demo.policy");
            File.WriteAllText(file, RelativeCap);
            var (exit, output, err) = TestFiles.Policyc("bounds", file);
            Assert.True(exit == 0, err);
            Assert.Matches(@"(?m)^1\s+leased\s+20 wan yuan\s+20 wan yuan", output);
        }
        finally { dir.Delete(recursive: true); }
        // The other rule unbounded: the relative cap bounds nothing, an error (PDSL0304), not a silent unbounded rule.
        var unbounded = TestFiles.Compile(RelativeCap.Replace("      cap 40 wan-yuan per enterprise per year\n", "      uncapped \"no cap\"\n"));
        Assert.Contains(unbounded.Diagnostics, d => d.Id == "PDSL0304" && d.Message.Contains("leased", StringComparison.Ordinal));
    }

    // ---------- tiers: "a jump at a tier edge is reported by bounds (2000万 → 2000.01万 pays much more)" ----------

    [Fact]
    public void Tiers_a_jump_at_a_tier_edge_is_reported_by_bounds_2000万_to_2000点01万()
    {
        // Liuhe 第5条 总部经济奖励: 70% of the contribution up to 2000万元, 80% of all of it above (全额). 2000万 pays
        // 1400万元; 2000.01万 pays 80% of 2000.01万 = 1600.008万元, 200.008万元 more for one hundred yuan more.
        var (exit, output, err) = TestFiles.Policyc("bounds", Path.Combine(TestFiles.Root, "samples/liuhe-2023/liuhe-2023.policy"),
            "--rules", Path.Combine(TestFiles.Root, "samples/liuhe-2023/liuhe-2023.rules"));
        Assert.True(exit == 0, err);
        Assert.Contains("tier edges where the award jumps", output, StringComparison.Ordinal);
        // The three amounts of one line in one unit (not 万元 on one side and yuan on the other).
        Assert.Contains("总部经济奖励, band 奖励比例(年度地方财政贡献): 2,000 wan yuan pays 14,000,000 yuan; 2,000.01 wan yuan pays 16,000,080 yuan (+2,000,080 yuan)",
            output, StringComparison.Ordinal);
        // And where the amounts are whole hundreds of yuan they stay in 万元, as written.
        Assert.Contains("总部经济奖励, band 奖励比例(年度地方财政贡献): 999.99 wan yuan pays 0 yuan; 1,000 wan yuan pays 700 wan yuan (+700 wan yuan)", output, StringComparison.Ordinal);
    }

    // ---------- quantities: "money of two currencies never mixes" — every place money is written ----------

    private const string TwoCurrencies = """
        policy Grant "Export grant"
          effective 2026-07-01 through 2027-06-30
          currency AUD symbol "A$" minor 0.01 "Australian dollar"
          currency USD symbol "US$"
          paid in AUD
        section 1 "s"
          clause 1 "c"
            rule r
              fact a: AUD
              fact b: USD
              requires b > 0 USD
        """;

    [Theory]
    [InlineData("requires b >= 1000 AUD\n      award 10% of a\n      cap 100 AUD", "PDSL0201", "compare USD and AUD")]
    [InlineData("award 10% of a + 10% of b\n      cap 100 AUD", "PDSL0201", "add AUD and USD")]
    [InlineData("award min(a, b)\n      cap 100 AUD", "PDSL0201", "min of AUD and USD")]
    [InlineData("award if a > 5 USD then 1 AUD else 2 AUD\n      cap 100 AUD", "PDSL0201", "compare AUD and USD")]
    [InlineData("requires a >= 10 万元\n      award 10% of a\n      cap 100 AUD", "PDSL0201", "compare AUD and yuan")]
    [InlineData("band k(b): AUD\n        case >= 10 AUD = 5 AUD\n      award k\n      cap 100 AUD", "PDSL0203", "band k must be in USD")]
    [InlineData("award 10% of a\n      cap 100 USD per enterprise per year", "PDSL0203", "must be in AUD; found USD")]
    [InlineData("award 10% of a\n      cap 100 AUD\n      round down to 1 USD", "PDSL0203", "rounding step of rule r must be in AUD")]
    [InlineData("award b in AUD\n      cap 100 AUD", "PDSL0204", "convert USD to AUD: expected money converted to points with 'in points'; other units, currencies included, change only by a rate the text states")]
    public void Quantities_money_of_two_currencies_never_mixes(string lines, string id, string words)
    {
        var text = TwoCurrencies + "\n      " + lines + "\n";
        var diagnostics = TestFiles.Compile(text).Diagnostics;
        Assert.Contains(diagnostics, d => d.Id == id && d.IsError && d.Message.Contains(words, StringComparison.Ordinal));
        // And the same rule in one currency is clean: the error is the mixing, nothing else.
        TestFiles.Check(TwoCurrencies + "\n      award 10% of a\n      cap 100 AUD\n");
    }

    [Fact]
    public void Quantities_a_let_that_mixes_currencies_is_one_error_not_an_unknown_name_too()
    {
        var diagnostics = TestFiles.Compile(TwoCurrencies + "\n      let y = a + 1 yuan\n      requires y > 1 AUD\n      award 10% of y\n      cap 100 AUD\n").Diagnostics;
        var d = Assert.Single(diagnostics);
        Assert.Equal("PDSL0201", d.Id);
        Assert.Contains("add AUD and yuan", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantities_money_of_two_currencies_never_mixes_in_rules_and_test_files_either()
    {
        const string policy = """
            policy Grant "Export grant"
              effective 2026-07-01 through 2027-06-30
              currency AUD symbol "A$" minor 0.01 "Australian dollar"
              currency USD symbol "US$"
              paid in AUD
            section 1 "s"
              clause 1 "c"
                rule r
                  param p: AUD at most 10 AUD
                  award p
            """;
        TestFiles.Check(policy, "implementation of Grant\n  set r.p = 5 AUD\n");
        foreach (var wrong in new[] { "5 USD", "5 yuan" })
        {
            var result = TestFiles.Compile(policy, "implementation of Grant\n  set r.p = " + wrong + "\n");
            // Only the unit is wrong: no echo saying the parameter is not set (PDSL0401).
            var d = Assert.Single(result.Diagnostics);
            Assert.True(d.Id == "PDSL0203" && d.Message.Contains("must be in AUD", StringComparison.Ordinal), d.ToString());
        }
        // A test file expecting yuan of a policy that pays AUD is an error, not a pass (samples/examples/currency.tests in AUD).
        var dir = Directory.CreateTempSubdirectory("pdsl-currency-");
        try
        {
            File.Copy(Path.Combine(TestFiles.Root, "samples/examples/currency.policy"), Path.Combine(dir.FullName, "currency.policy"));
            var tests = TestFiles.Read("samples/examples/currency.tests");
            Assert.Contains("expect award 50000.27 AUD", tests, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir.FullName, "currency.tests"), tests.Replace("expect award 50000.27 AUD", "expect award 50000.27 yuan", StringComparison.Ordinal));
            var (exit, output, err) = TestFiles.Policyc("test", dir.FullName);
            Assert.NotEqual(0, exit);
            Assert.Contains("PDSL0707", output + err, StringComparison.Ordinal);
            Assert.Contains("expected AUD", output + err, StringComparison.Ordinal);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void Quantities_amounts_as_written_a_cap_read_from_a_table_in_万元_is_stated_in_万元()
    {
        // Nanjing Jiangbei item 2: 发布方最高100万元, 承接方最高500万元 — cap max_support[role] per project, a table in 万元.
        var policy = TestFiles.Check("""
            policy Demo "示例"
              effective 2026-01-01 through 2026-12-31
            section 1 "s" department "d"
              clause 1 "c"
                rule r "r"
                  fact role: one of publisher "发布方", undertaker "承接方"
                  fact cost: wan-yuan
                  table max_support[role]: wan-yuan
                    case publisher  = 100 wan-yuan
                    case undertaker = 500 wan-yuan
                  award 50% of cost
                  cap max_support[role] per project
            """);
        var cap = Assert.Single(policy.FindRule("r")!.Caps);
        Assert.Equal("at most 500 wan-yuan per project", cap.Describe());
        // The amounts stay exact in yuan: 50% of 300万元 is held at the publisher's 100万元.
        var result = RuleEvaluator.Evaluate(policy, policy.FindRule("r")!, Facts.Empty.With("role", "publisher").With("cost", 300m));
        Assert.Equal(1_000_000m, result.Amount);
        // The trace gives this application's limit, a computed amount, in the award unit (§29.2: computed amounts stay in it).
        Assert.Contains(result.Trace, t => t.Description == "cap 1000000 yuan per project" && t.Value == "binds");
        // The same cap with the table in yuan stays in yuan.
        var yuan = TestFiles.Check("""
            policy Demo "示例"
              effective 2026-01-01 through 2026-12-31
            section 1 "s" department "d"
              clause 1 "c"
                rule r "r"
                  fact role: one of publisher "发布方", undertaker "承接方"
                  fact cost: yuan
                  table max_support[role]: yuan
                    case publisher  = 1000000 yuan
                    case undertaker = 5000000 yuan
                  award 50% of cost
                  cap max_support[role] per project
            """);
        Assert.Equal("at most 5000000 yuan per project", Assert.Single(yuan.FindRule("r")!.Caps).Describe());
    }
}
