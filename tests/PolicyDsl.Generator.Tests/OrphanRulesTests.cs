using Microsoft.CodeAnalysis;

namespace PolicyDsl.Generator.Tests;

public class OrphanRulesTests
{
    [Fact]
    public void Rules_for_a_policy_the_project_lacks_are_an_error_at_the_policy_name()
    {
        const string rules = "implementation of Missing2026 \"values\"\n  set r.amount = 5 points\n";
        var run = GeneratorHarness.RunGenerator([GeneratorHarness.Tongzhou()[0], new InMemoryAdditionalText("/p/missing.rules", rules)]);

        var error = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "PDSL0407");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        var span = error.Location.GetLineSpan();
        Assert.Equal("/p/missing.rules", span.Path);
        // Line 1, column 19: the name after "implementation of ".
        Assert.Equal((0, 18), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Contains("Missing2026", error.GetMessage(), StringComparison.Ordinal);
        // The policy that is there still generates.
        Assert.Contains("Tongzhou2026.g.cs", run.HintNames);
    }
}
