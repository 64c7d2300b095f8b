using System.Text;

namespace PolicyDsl.Hardening.Tests;

/// <summary>
/// Regressions of the second hostile-input pass (issue 12): each case failed on the main branch it was
/// found on, and passes now.
/// </summary>
public sealed class SecondPassTests
{
    private const string Header = """
        policy Shadow "遮蔽"
          effective 2026-01-01 through 2026-12-31
          points worth at most 10000 yuan

        section 1 "章" department "部门"
          clause 1 "条"

        """;

    /// <summary>The generated C# of a policy compiles without a warning, and check found no error.</summary>
    internal static void AssertGeneratedCompiles(string policy)
    {
        Assert.Empty(Harness.RunAll(policy, generator: false, reports: false).Checked.Errors);
        var run = Harness.RunGenerator([new InMemoryAdditionalText(Harness.PolicyPath, policy)], documentation: true);
        Assert.Empty(run.Diagnostics);
        var problems = Harness.Problems(run.Output);
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Take(10)));
    }

    [Theory]
    [InlineData("m_facts")]
    [InlineData("m_parameters")]
    [InlineData("m_rule")]
    [InlineData("r2_rule")]
    [InlineData("r2_facts")]
    [InlineData("r2_parameters")]
    [InlineData("shadow_policy")]
    [InlineData("shadow_application")]
    [InlineData("shadow_parameters")]
    [InlineData("shadow_rule_kind")]
    [InlineData("runtime")]
    [InlineData("system")]
    public void A_one_of_fact_named_like_a_generated_type_does_not_shadow_it(string fact)
    {
        // The fact's enum is nested in the rule class: named like a type the class refers to, it hid that type (CS1061, CS0117).
        var policy = Header + $$"""
                rule r2 "被引用"
                  fact x: yuan
                  award 1% of x in points
                  cap 10 points
                rule m "引用"
                  fact x: yuan
                  fact {{fact}}: one of a "甲", b "乙"
                  fact {{fact}}_q: yuan
                  requires {{fact}} = a
                  award min(1% of x in points, 1% of {{fact}}_q in points)
                  cap r2(x: x)
            """;
        AssertGeneratedCompiles(policy);
    }

    [Theory]
    [InlineData("m_facts")]
    [InlineData("m_parameters")]
    [InlineData("m_rule")]
    [InlineData("r2_rule")]
    [InlineData("r2_facts")]
    [InlineData("r2_parameters")]
    [InlineData("shadow_policy")]
    [InlineData("shadow_rule_kind")]
    public void A_quantity_fact_or_parameter_named_like_a_generated_type_does_not_shadow_it(string name)
    {
        var policy = Header + $$"""
                rule r2 "被引用"
                  fact x: yuan
                  award 1% of x in points
                  cap 10 points
                rule m "引用"
                  fact {{name}}: yuan
                  fact k: one of a "甲", b "乙"
                  param {{name}}_p: points at most 1 points "参数"
                  table t[k]: points
                    case a = 1 points
                    case b = 2 points
                  requires k = a
                  award min(1% of {{name}} in points, t[k], {{name}}_p)
                  cap r2(x: {{name}})
            """;
        AssertGeneratedCompiles(policy);
    }
}
