using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Hardening.Tests;

/// <summary>Regression (found by the random policies): rounding up must not lift an award above its cap.</summary>
public sealed class RoundingTests
{
    private const string Policy = """
        policy RoundUp "向上取整"
          effective 2026-01-01 through 2026-12-31
          points worth at most 10000 yuan

        section 1 "章" department "部门"
          clause 1 "条"
            rule r1 "取整"
              fact m: yuan
              award 100% of m in points
              cap 25.705 points per enterprise per year
              round up to 0.01 points
            rule r2 "四舍五入"
              fact m: yuan
              award 100% of m in points
              cap 3.005 points
              round half-up to 0.01 points
        """;

    [Theory]
    [InlineData("r1", 1_000_000, 25.70)]   // capped at 25.705: rounding up would pay 25.71
    [InlineData("r1", 100_000, 10)]        // below the cap: whole steps stay
    [InlineData("r1", 100_001, 10.01)]     // below the cap: rounds up
    [InlineData("r2", 1_000_000, 3.00)]    // capped at 3.005: half-up would pay 3.01
    [InlineData("r2", 30_040, 3.00)]       // 3.004 rounds half-up to 3.00
    public void Rounding_never_lifts_an_award_above_its_cap(string ruleName, int yuan, double expected)
    {
        var result = Harness.RunAll(Policy);
        Assert.Empty(result.Checked.Errors);
        var policy = result.Checked.Policy!;
        var rule = policy.FindRule(ruleName)!;
        var cap = ((ConstantExpr)rule.Caps[0].Limit).Value;
        Assert.True(rule.ProvenMaximum <= cap, $"proven maximum {rule.ProvenMaximum} above the cap {cap}");

        var facts = Facts.Empty.With("m", (decimal)yuan);
        var reference = RuleEvaluator.Evaluate(policy, rule, facts);
        Assert.Equal((decimal)expected, reference.Amount);

        var run = Harness.RunGenerator([new InMemoryAdditionalText(Harness.PolicyPath, Policy)]);
        Assert.Empty(Harness.Problems(run.Output));
        var compiled = RandomValidPolicyTests.InvokeCompiled(RandomValidPolicyTests.CompiledRule(Harness.Load(run.Output), ruleName), facts);
        Assert.Equal((decimal)expected, compiled);
    }
}
