using PolicyDsl.Reports;

namespace PolicyDsl.Compiler.Tests;

/// <summary>§24.10: `policyc bounds` names the tier edges where the award jumps (全额), and no others (超额累进).</summary>
public sealed class TierEdgeTests
{
    private static Model.CheckedPolicy Policy(string rule)
    {
        var text = "policy Demo \"示例\"\n  effective 2026-01-01 through 2026-12-31\nsection 1 \"s\"\n  clause 1 \"c\"\n    rule r\n"
            + string.Join("\n", rule.Replace("\r\n", "\n").Split('\n').Select(l => "      " + l)) + "\n";
        var result = TestFiles.Compile(text);
        // A gap below the first tier pays 0 (PDSL0308 says so, a warning); nothing else may be reported.
        Assert.True(result.Diagnostics.All(d => d.Id == "PDSL0308"), string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }

    [Fact]
    public void A_whole_amount_tier_jumps_at_each_edge_by_the_next_rate_on_all_of_it()
    {
        // Liuhe article 2: 70% / 80% / 90% of the investment by tier; 1000万 and the 以上 edges.
        var policy = Policy("""
            fact investment: wan-yuan
            band rate(investment): %
              case 1000 万元 及以上 至 5000 万元 = 70%
              case 5000 万元 以上 至 1 亿元 = 80%
              case 1 亿元 以上 = 90%
            award rate of investment
            uncapped "no cap stated"
            """);
        var jumps = TierEdges.Jumps(policy);
        // 5000万 (in the first tier) pays 70%; 5000.01万 pays 80% of all of it: 3500万 → 4000.008万.
        var at5000 = Assert.Single(jumps, j => j.Below == 5000m);
        Assert.Equal(5000.01m, at5000.Above);
        Assert.Equal(35_000_000m, at5000.AwardBelow);
        Assert.Equal(40_000_080m, at5000.AwardAbove);
        Assert.Contains(jumps, j => j.Below == 10000m && j.AwardAbove == 90_000_090m);
        // 999.99万 is in no tier (a gap pays 0); 1000万 is in the first.
        Assert.Contains(jumps, j => j.Below == 999.99m && j.AwardBelow == 0m && j.AwardAbove == 7_000_000m);
        var (exit, output, _) = TestFiles.Policyc("bounds", Write(policy, """
            policy Demo "示例"
              effective 2026-01-01 through 2026-12-31
            section 1 "s"
              clause 1 "c"
                rule r
                  fact investment: wan-yuan
                  band rate(investment): %
                    case 1000 万元 及以上 至 5000 万元 = 70%
                    case 5000 万元 以上 = 80%
                  award rate of investment
                  uncapped "no cap stated"
            """));
        Assert.Equal(0, exit);
        Assert.Contains("5,000 wan yuan pays 35,000,000 yuan; 5,000.01 wan yuan pays 40,000,080 yuan (+5,000,080 yuan)", output);
    }

    [Fact]
    public void A_progressive_tier_and_a_tier_under_a_binding_cap_do_not_jump()
    {
        Assert.Empty(TierEdges.Jumps(Policy("""
            fact income: yuan
            band tax(income) progressive: %
              case below 100 yuan = 10%
              case from 100 yuan below 300 yuan = 20%
              case from 300 yuan = 30%
            award tax
            uncapped "grows with income"
            """)));
        // Both sides of every edge are held at the cap.
        Assert.Empty(TierEdges.Jumps(Policy("""
            fact investment: wan-yuan
            band rate(investment): %
              case below 5000 万元 = 70%
              case 5000 万元 及以上 = 80%
            award rate of investment
            cap 1 wan-yuan per project
            """)));
    }

    private static string Write(Model.CheckedPolicy policy, string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "pdsl-tiers-" + policy.Name + "-" + Guid.NewGuid().ToString("N") + ".policy");
        File.WriteAllText(path, text);
        return path;
    }
}
