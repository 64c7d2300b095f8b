using PolicyDsl.Checking;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>§27.12: 'qualifies on D' (认定 于 D): the rule qualifies by the date D within the validity, and is paid on
/// applications dated after the end; its errors (PDSL0152, PDSL0153) and its row in policyc diff.</summary>
public sealed class QualifiesOnTests
{
    private const string Text = """
        policy P "p"
          effective 2026-01-01 through 2026-12-31
        section 1 "support"
          clause 1 "investment"
            rule investment "new projects started while the policy is valid"
              fact amount: yuan
              fact started_on: date
              award 10% of amount
              cap 1000 yuan
              qualifies on started_on
        """;

    private static string[] Ids(string text) => TestFiles.Compile(text).Diagnostics.Select(d => d.Id).ToArray();

    private static AwardResult Run(CheckedPolicy policy, string started, string on) =>
        RuleEvaluator.Evaluate(policy, policy.FindRule("investment")!, Facts.Empty.With("amount", 5000m).With("started_on", DateOnly.Parse(started, System.Globalization.CultureInfo.InvariantCulture)),
            DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void A_rule_that_qualified_within_the_validity_is_paid_after_its_end()
    {
        var policy = TestFiles.Check(Text);
        var rule = policy.FindRule("investment")!;
        Assert.Equal("started_on", rule.QualifiesOn);
        Assert.True(rule.QualifiesByEvent);

        var after = Run(policy, "2026-12-31", "2027-06-01"); // qualified on the last day, applied half a year after the end
        Assert.True(after.Eligible);
        Assert.Equal(500m, after.Amount);
        Assert.Contains(after.Trace, s => s.Description == "requires qualifies on started_on: started_on within the policy's validity 2026-01-01 through 2026-12-31" && s.Value == "holds");
        Assert.DoesNotContain(after.Trace, s => s.Kind == TraceKind.Validity);

        var late = Run(policy, "2027-01-01", "2027-06-01"); // started the day after the end
        Assert.False(late.Eligible);
        Assert.Equal(0m, late.Amount);

        // Without the line the same application is rejected by its date (§16).
        var plain = TestFiles.Check(Text.Replace("\n      qualifies on started_on", "", StringComparison.Ordinal));
        Assert.False(plain.FindRule("investment")!.QualifiesByEvent);
        var rejected = RuleEvaluator.Evaluate(plain, plain.FindRule("investment")!, Facts.Empty.With("amount", 5000m).With("started_on", new DateOnly(2026, 12, 31)), new DateOnly(2027, 6, 1));
        Assert.Equal(0m, rejected.Amount);
        Assert.Contains(rejected.Trace, s => s.Kind == TraceKind.Validity && s.Value == "rejected");
    }

    [Fact]
    public void The_rule_s_own_validity_or_an_open_one_is_the_qualifying_window_and_the_chinese_line_reads_so()
    {
        var own = TestFiles.Check(Text.Replace("      qualifies on started_on", "      effective 2026-03-01 through 2026-06-30\n      认定 于 started_on", StringComparison.Ordinal));
        Assert.Equal("认定 于 started_on：started_on 在本规则有效期内（2026-03-01 至 2026-06-30）",
            Assert.Single(own.FindRule("investment")!.Requirements, r => r.Text.StartsWith("认定", StringComparison.Ordinal)).Text);
        Assert.Equal(500m, Run(own, "2026-06-30", "2026-12-01").Amount);
        Assert.Equal(0m, Run(own, "2026-07-01", "2026-12-01").Amount);

        var open = TestFiles.Check(Text.Replace("effective 2026-01-01 through 2026-12-31", "effective 2026-01-01 onwards", StringComparison.Ordinal));
        Assert.Equal(500m, Run(open, "2030-01-01", "2031-01-01").Amount);
        Assert.Equal(0m, Run(open, "2025-12-31", "2031-01-01").Amount);
    }

    [Fact]
    public void A_qualifying_date_is_a_date_fact_of_the_rule_and_not_beside_a_window()
    {
        Assert.Equal(["PDSL0152"], Ids(Text.Replace("qualifies on started_on", "qualifies on amount", StringComparison.Ordinal)));
        Assert.Equal(["PDSL0152"], Ids(Text.Replace("qualifies on started_on", "qualifies on nowhere", StringComparison.Ordinal)));
        // A derived date (the application's date of a milestone schedule) is not an event of the enterprise.
        Assert.Contains("PDSL0152", Ids(Text.Replace("qualifies on started_on",
            "fact sealed_on: date\n      instalments 100% at sealed_on\n      qualifies on application_date", StringComparison.Ordinal)));
        Assert.Equal(["PDSL0153"], Ids(Text.Replace("qualifies on started_on",
            "fact contribution: yuan\n      window 2 years from started_on\n      qualifies on started_on", StringComparison.Ordinal)));
        Assert.Contains("PDSL0110", Ids(Text + "\n      qualifies on started_on"));
    }

    [Fact]
    public void Diff_names_the_qualifying_date()
    {
        var old = TestFiles.Check(Text.Replace("\n      qualifies on started_on", "", StringComparison.Ordinal));
        var @new = TestFiles.Check(Text);
        var change = Assert.Single(Assert.Single(Assert.Single(PolicyDiff.Compare(old, @new).Clauses).Rules).Changes, c => c.Category == "qualifies on");
        Assert.Empty(change.Old);
        Assert.Equal(["started_on"], change.New);
    }
}
