using System.Text;
using CsCheck;

namespace PolicyDsl.Hardening.Tests;

/// <summary>policyc eval and report on broken applications and broken policies: an exit code and a message, never an unhandled exception.</summary>
public sealed class CommandLineFuzzTests
{
    private static readonly string Applications = Harness.Sample("tongzhou-2026/applications.json");

    private static string Mutate(string text, int at, int length, string insert) =>
        text.Length == 0 ? insert : text.Remove(at % text.Length, Math.Min(length, text.Length - at % text.Length)).Insert(at % text.Length, insert);

    [Fact]
    public void Eval_with_mutated_applications_never_throws()
    {
        using var policy = new Harness.TempFile(Harness.TongzhouPolicy);
        using var rules = new Harness.TempFile(Harness.TongzhouRules, ".rules");
        string[] inserts = ["", "\"", "{", "}", "[", "]", ",", "null", "-1", "1e400", "79228162514264337593543950336", "\"2026-02-30\"", "\"\\u0000\"", "true", "\uFFFF", "\"x\":"];
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, 40], Gen.Int[0, inserts.Length - 1], Gen.Bool).Sample((at, length, insert, csv) =>
        {
            var text = csv ? "id,enterprise,rule,date,recognized\nA1,E1,municipal_tech_center,2026-03-01,true\n" : Applications;
            using var apps = new Harness.TempFile(Mutate(text, at, length, inserts[insert]), csv ? ".csv" : ".json");
            var (exit, output, error) = Harness.WithinTimeout(() => Harness.Policyc("eval", policy.Path, "--rules", rules.Path, "--applications", apps.Path));
            Assert.True(exit is 0 or 1 or 2, $"exit {exit}\n{error}");
            Assert.DoesNotContain("Unhandled", error, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // no stack trace
            if (exit == 0) Assert.NotEmpty(output);
            else Assert.NotEmpty(error + output);
        }, iter: Harness.Iterations(40, cost: 20), threads: 1);
    }

    [Theory]
    [InlineData("md")]
    [InlineData("html")]
    public void Report_of_a_broken_policy_exits_1_with_its_diagnostics(string format)
    {
        using var broken = new Harness.TempFile(HostileInputTests.Broken);
        var (exit, output, error) = Harness.Policyc("report", broken.Path, "--format", format);
        Assert.Equal(1, exit);
        Assert.Matches(@"\(\d+,\d+\): error PDSL\d{4}: ", output + error);
        Assert.DoesNotContain("Unhandled", error, StringComparison.OrdinalIgnoreCase);

        using var ok = new Harness.TempFile(InjectionTests.PolicyWith("</script>{{ 7 | times: 7 }}"));
        using var rules = new Harness.TempFile("implementation of Injected\n  set injected.amount[a] = 5 points\n  set injected.amount[b] = 3 points\n", ".rules");
        var (exit2, report, error2) = Harness.Policyc("report", ok.Path, "--rules", rules.Path, "--format", format);
        Assert.True(exit2 == 0, error2);
        Assert.DoesNotContain("</script>{{", report, StringComparison.Ordinal);
        Assert.DoesNotContain(">49<", report, StringComparison.Ordinal);
    }
}
