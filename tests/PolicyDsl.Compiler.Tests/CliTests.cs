using PolicyDsl.Cli;

namespace PolicyDsl.Compiler.Tests;

/// <summary>policyc bounds and policyc check with the checker, run in-process.</summary>
public sealed class CliTests
{
    private static readonly string Policy = Path.Combine(TestFiles.Root, "samples", "tongzhou-2026", "tongzhou-2026.policy");
    private static readonly string Rules = Path.Combine(TestFiles.Root, "samples", "tongzhou-2026", "tongzhou-2026.rules");

    private static (int Exit, string Out, string Err) Run(params string[] args) => TestFiles.Policyc(args);

    [Fact]
    public void Bounds_prints_every_rules_maximum_and_the_worst_case()
    {
        var (exit, output, _) = Run("bounds", Policy, "--rules", Rules);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Matches(@"1\s+cmmm_maturity\s+30 points\s+300,000 yuan\s+30 points", output);
        Assert.Matches(@"9\s+overseas_exhibition\s+5 points\s+50,000 yuan", output);
        // The 13 rules capped per enterprise: 30+10+20+50+40+1+8+5+5+50+10+5+100 = 334 points.
        Assert.Contains("the rules capped per enterprise, at their caps: 334 points (3,340,000 yuan)", output);
    }

    [Fact]
    public void Bounds_without_rules_uses_the_caps()
    {
        var (exit, output, _) = Run("bounds", Policy);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("parameters unset", output);
        Assert.Matches(@"11\s+standard_drafting\s+15 points", output);
    }

    [Fact]
    public void Check_pairs_the_rules_file_and_reports_a_raised_value_at_it()
    {
        Assert.Equal(ExitCodes.Success, Run("check", Policy, Rules).Exit);

        var dir = Directory.CreateTempSubdirectory("pdsl-cli-");
        try
        {
            var policy = Path.Combine(dir.FullName, "tongzhou-2026.policy");
            var rules = Path.Combine(dir.FullName, "tongzhou-2026.rules");
            File.Copy(Policy, policy);
            File.WriteAllText(rules, File.ReadAllText(Rules).Replace("amount[5] = 30 points", "amount[5] = 35 points"));
            var (exit, output, _) = Run("check", policy, rules);
            Assert.Equal(ExitCodes.Errors, exit);
            Assert.Contains("tongzhou-2026.rules(", output);
            Assert.Contains("error PDSL0405: rule cmmm_maturity awards 35 points at level 5, above its cap of 30 points per enterprise", output);
            var (boundsExit, boundsOutput, _) = Run("bounds", policy, "--rules", rules);
            Assert.Equal(ExitCodes.Errors, boundsExit);
            Assert.Contains("PDSL0405", boundsOutput);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
