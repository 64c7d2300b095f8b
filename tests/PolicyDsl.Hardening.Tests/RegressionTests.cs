namespace PolicyDsl.Hardening.Tests;

/// <summary>Small regressions found by the random policies, each kept as a named case.</summary>
public sealed class RegressionTests
{
    [Fact]
    public void A_constant_let_beside_a_relative_cap_compiles_without_warnings()
    {
        // CapLimit declared every let for the relative cap; a constant one never read was CS0219 (an error with warnings as errors).
        const string policy = """
            policy LetCap "常量"
              effective 2026-01-01 through 2026-12-31
              points worth at most 10000 yuan

            section 1 "章" department "部门"
              clause 1 "条"
                rule base "基础"
                  fact m: yuan
                  award 10% of m in points
                  cap 10 points
                rule capped "相对上限"
                  fact m: yuan
                  let nothing = 0 points
                  let half = 5% of m in points
                  award half + nothing
                  cap 50% of base(m: m)
            """;
        Assert.Empty(Harness.RunAll(policy).Checked.Errors);
        var run = Harness.RunGenerator([new InMemoryAdditionalText(Harness.PolicyPath, policy)]);
        Assert.Empty(run.Diagnostics);
        var problems = Harness.Problems(run.Output);
        Assert.True(problems.IsEmpty, string.Join("\n", problems));
        var evaluate = RandomValidPolicyTests.CompiledRule(Harness.Load(run.Output), "capped");
        Assert.Equal(5m, RandomValidPolicyTests.InvokeCompiled(evaluate, PolicyDsl.Model.Facts.Empty.With("m", 1_000_000m)));
    }
}
