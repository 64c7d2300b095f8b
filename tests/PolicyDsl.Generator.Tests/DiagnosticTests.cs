using Microsoft.CodeAnalysis;

namespace PolicyDsl.Generator.Tests;

public class DiagnosticTests
{
    // The sample rules with level 4 set to 35 points, above the rule's 30-point cap.
    private static readonly string BadRules = File.ReadAllText(GeneratorHarness.TongzhouRulesPath)
        .Replace("set cmmm_maturity.amount[4] = 20 points", "set cmmm_maturity.amount[4] = 35 points", StringComparison.Ordinal);

    private static int BadLine => BadRules.Split('\n').ToList().FindIndex(l => l.Contains("= 35 points", StringComparison.Ordinal));

    private static AdditionalText[] TongzhouWithRules(string rules) =>
        [GeneratorHarness.Tongzhou()[0], new InMemoryAdditionalText("/samples/tongzhou-2026/tongzhou-2026.rules", rules)];

    [Fact]
    public void A_syntax_error_is_reported_at_its_policy_line_and_column()
    {
        var text = SmallPolicies.Second.Replace("award 50% of fee in points", "award 50% of fee in points )", StringComparison.Ordinal);
        var run = GeneratorHarness.RunGenerator([new InMemoryAdditionalText("/p/second.policy", text)]);

        var expected = Checking.PolicyCompiler.Compile("/p/second.policy", text).Diagnostics.Where(d => d.IsError).ToList();
        Assert.NotEmpty(expected);
        var errors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Equal(expected.Count, errors.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            // The same ID and position as `policyc check` (1-based there, 0-based in Roslyn).
            Assert.Equal(expected[i].Id, errors[i].Id);
            var span = errors[i].Location.GetLineSpan();
            Assert.Equal("/p/second.policy", span.Path);
            Assert.Equal(expected[i].Start.Line, span.StartLinePosition.Line + 1);
            Assert.Equal(expected[i].Start.Column, span.StartLinePosition.Character + 1);
        }
        var line = text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains("award 50%", StringComparison.Ordinal)).i;
        Assert.Equal(line, errors[0].Location.GetLineSpan().StartLinePosition.Line);
        Assert.StartsWith("PDSL00", errors[0].Id, StringComparison.Ordinal);
        // No source for a policy with errors.
        Assert.Empty(run.HintNames);
    }

    [Fact]
    public void A_rules_value_above_its_cap_is_reported_in_the_rules_file()
    {
        var run = GeneratorHarness.RunGenerator(TongzhouWithRules(BadRules), warningsAsErrors: false);
        // PDSL0405: a value above the rule's cap (also reported: PDSL0406 above the parameter's bound, PDSL0309 falling levels).
        var error = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "PDSL0405");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.EndsWith(".rules", error.Location.GetLineSpan().Path, StringComparison.Ordinal);
        Assert.True(BadLine > 0);
        Assert.Equal(BadLine, error.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("35", error.GetMessage(), StringComparison.Ordinal);
        // The message matches `policyc check`.
        var check = Checking.PolicyCompiler.Compile(GeneratorHarness.TongzhouPolicyPath, File.ReadAllText(GeneratorHarness.TongzhouPolicyPath), "/r.rules", BadRules);
        Assert.Contains(check.Diagnostics, d => d.Id == error.Id && d.Message == error.GetMessage());
    }

    [Fact]
    public void Editorconfig_severity_overrides_apply()
    {
        const string id = "PDSL0405";
        var rulesPath = "/samples/tongzhou-2026/tongzhou-2026.rules";

        // dotnet_diagnostic.ID.severity = warning, as a [*.rules] section of .editorconfig gives it.
        var warning = new TestOptionsProvider(new Dictionary<string, string>(),
            new Dictionary<string, IReadOnlyDictionary<string, string>> { [rulesPath] = new Dictionary<string, string> { ["dotnet_diagnostic." + id.ToLowerInvariant() + ".severity"] = "warning" } });
        var run1 = GeneratorHarness.RunGenerator(TongzhouWithRules(BadRules), options: warning, warningsAsErrors: false);
        var d1 = Assert.Single(run1.GeneratorDiagnostics, d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Warning, d1.Severity);
        Assert.Equal(DiagnosticSeverity.Error, d1.DefaultSeverity);

        var none = new TestOptionsProvider(new Dictionary<string, string>(),
            new Dictionary<string, IReadOnlyDictionary<string, string>> { [rulesPath] = new Dictionary<string, string> { ["dotnet_diagnostic." + id + ".severity"] = "none" } });
        var run2 = GeneratorHarness.RunGenerator(TongzhouWithRules(BadRules), options: none, warningsAsErrors: false);
        Assert.DoesNotContain(run2.GeneratorDiagnostics, d => d.Id == id);
    }

    [Theory]
    [InlineData(TrackingNames.Parse)]
    [InlineData(TrackingNames.Check)]
    [InlineData(TrackingNames.Emit)]
    public void An_exception_inside_a_step_becomes_PDSL0900_not_CS8785(string failingStep)
    {
        var generator = new PolicyGenerator((step, path) =>
        {
            if (step == failingStep && path.EndsWith(".policy", StringComparison.Ordinal)) throw new InvalidOperationException("injected failure");
        });
        var run = GeneratorHarness.RunGenerator(GeneratorHarness.Tongzhou(), generator);

        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "CS8785");
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Id == "CS8785");
        Assert.All(run.Result.Results, r => Assert.Null(r.Exception));
        var internalError = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "PDSL0900");
        Assert.Contains("tongzhou-2026.policy", internalError.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("injected failure", internalError.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("/samples/tongzhou-2026/tongzhou-2026.policy", internalError.Location.GetLineSpan().Path);
        Assert.DoesNotContain("Tongzhou2026.g.cs", run.HintNames); // the failed step's output is not produced, nothing throws
    }
}
