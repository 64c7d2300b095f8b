using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>
/// Currencies a policy declares (§24.8) and amounts shown in the unit the author wrote them in (issue 14): each against
/// a hand-computed value or the diagnostic a wrong file must get.
/// </summary>
public sealed class CurrencyTests
{
    private const string Header = """
        policy Grant "Export grant"
          effective 2026-07-01 through 2027-06-30
          currency AUD symbol "A$" minor 0.01 "Australian dollar"
          currency USD symbol "US$"
          paid in AUD

        """;

    private static string Policy(string rule, string header = Header) =>
        header + "section 1 \"s\"\n  clause 1 \"c\"\n    rule r\n" + string.Join("\n", rule.Replace("\r\n", "\n").Split('\n').Select(l => "      " + l)) + "\n";

    private static CheckedPolicy Clean(string text)
    {
        var result = TestFiles.Compile(text);
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }

    private static IReadOnlyList<string> Messages(string text) => TestFiles.Compile(text).Diagnostics.Select(d => d.Id + ": " + d.Message).ToList();

    [Fact]
    public void A_policy_paid_in_a_declared_currency_awards_and_caps_in_it()
    {
        var policy = Clean(Policy("""
            fact expenses: AUD
            award 50% of expenses
            cap 150000 AUD per enterprise per year
            round down to 0.01 AUD
            """));
        Assert.Equal(Unit.Declared("AUD"), policy.AwardUnit);
        Assert.Equal(policy.AwardUnit, policy.Money);
        Assert.Equal(new DeclaredCurrency("AUD", "A$", 0.01m, "Australian dollar"), policy.Currencies.Single(c => c.Name == "AUD"));
        var rule = policy.FindRule("r")!;
        Assert.Equal(50000.27m, RuleEvaluator.Evaluate(policy, rule, Facts.Empty.With("expenses", 100000.555m)).Amount);
        Assert.Equal(150000m, rule.ProvenMaximum);
        Assert.Equal("150000 AUD per enterprise per year", rule.Caps.Single().Describe());
    }

    [Fact]
    public void Money_of_two_currencies_never_mixes_but_a_stated_rate_between_them_converts()
    {
        // 2% of a USD amount is USD, not the AUD the policy pays: an error naming both.
        var mixed = Messages(Policy("fact sales: USD\naward 2% of sales\ncap 20000 AUD per enterprise"));
        Assert.Contains(mixed, m => m.StartsWith("PDSL0202", StringComparison.Ordinal) && m.Contains("USD", StringComparison.Ordinal) && m.Contains("AUD", StringComparison.Ordinal));
        // Nor with yuan: a cap in 万元 is not a cap in AUD.
        Assert.Contains(Messages(Policy("fact expenses: AUD\naward 50% of expenses\ncap 10 wan-yuan per enterprise")), m => m.StartsWith("PDSL0203", StringComparison.Ordinal));
        // 0.02 AUD per 1 USD of sales: the text's own rate, AUD/USD × USD = AUD.
        var policy = Clean(Policy("fact sales: USD\naward 0.02 AUD per 1 USD of sales\ncap 20000 AUD per enterprise"));
        Assert.Equal(8000m, RuleEvaluator.Evaluate(policy, policy.FindRule("r")!, Facts.Empty.With("sales", 400000m)).Amount);
    }

    [Fact]
    public void Paid_in_must_name_a_declared_currency_and_rounding_a_whole_number_of_its_minor_unit()
    {
        Assert.Contains(Messages(Policy("fact a: yuan\naward 10% of a\ncap 1 wan-yuan per enterprise",
            "policy P \"p\"\n  effective 2026-01-01 through 2026-12-31\n  paid in wan-yuan\n")), m => m.StartsWith("PDSL0190", StringComparison.Ordinal));
        // paid in yuan is the default, said out loud.
        Clean(Policy("fact a: yuan\naward 10% of a\ncap 1 wan-yuan per enterprise", "policy P \"p\"\n  effective 2026-01-01 through 2026-12-31\n  paid in yuan\n"));
        var finer = Messages(Policy("fact expenses: AUD\naward 50% of expenses\ncap 100 AUD per enterprise\nround down to 0.001 AUD"));
        Assert.Contains(finer, m => m.StartsWith("PDSL0191", StringComparison.Ordinal) && m.Contains("0.01 AUD", StringComparison.Ordinal));
        Assert.Contains(Messages(Policy("fact expenses: AUD\naward 50% of expenses\ncap 100 AUD per enterprise",
            Header.Replace("minor 0.01", "minor 2", StringComparison.Ordinal))), m => m.StartsWith("PDSL0002", StringComparison.Ordinal) || m.Contains("at most 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Chinese_keywords_declare_a_currency_too()
    {
        var policy = Clean("""
            政策 Grant "出口补助"
              有效期 2026-01-01 至 2026-12-31
              货币 澳元 符号 "A$" 最小单位 0.01 "澳大利亚元"
              币种 澳元
            章 1 "出口"
              条 1 "补助"
                规则 r
                  事实 费用: 澳元
                  奖励 50% 的 费用
                  上限 1000 澳元 每 企业
            """);
        Assert.Equal(Unit.Declared("澳元"), policy.AwardUnit);
        Assert.Equal("A$", policy.Currencies.Single().Symbol);
    }

    [Fact]
    public void Amounts_are_shown_in_the_unit_the_author_wrote_them_in()
    {
        var policy = TestFiles.Compile("""
            policy Demo "示例"
              effective 2026-01-01 through 2026-12-31
            section 1 "s"
              clause 1 "c"
                rule held
                  fact holding: years
                  fact fee: yuan
                  requires holding >= 1 years
                  award 10% of fee
                  cap 50 wan-yuan per enterprise
            """).Policy!;
        var rule = policy.FindRule("held")!;
        // The cap stays 50 万元 (not 500000 yuan) in every text built from the plan: traces, eval's bound-by, bounds.
        Assert.Equal("50 wan-yuan per enterprise", rule.Caps.Single().Describe());
        Assert.Equal(500_000m, ((ConstantExpr)rule.Caps.Single().Limit).Value);
        Assert.Equal(Unit.WanYuan, Plan.Amounts.AuthorMoneyUnit(rule));
        var bounds = TestFiles.Policyc("bounds", WriteTemp(policy.Name, """
            policy Demo "示例"
              effective 2026-01-01 through 2026-12-31
            section 1 "s"
              clause 1 "c"
                rule held
                  fact fee: yuan
                  award 10% of fee
                  cap 50 wan-yuan per enterprise
            """));
        Assert.Equal(0, bounds.Exit);
        Assert.Contains("50 wan yuan", bounds.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("500000", bounds.Out.Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static string WriteTemp(string name, string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "pdsl-currency-" + name + "-" + Guid.NewGuid().ToString("N") + ".policy");
        File.WriteAllText(path, text);
        return path;
    }
}
