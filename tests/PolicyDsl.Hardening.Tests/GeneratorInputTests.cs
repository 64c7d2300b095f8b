using Microsoft.CodeAnalysis;

namespace PolicyDsl.Hardening.Tests;

/// <summary>What a project may hand the source generator: odd file names, empty and orphan files, many files at once.</summary>
public sealed class GeneratorInputTests
{
    [Fact]
    public void Odd_paths_and_orphan_files_give_diagnostics_at_those_paths_and_compiling_output()
    {
        string[] paths =
        [
            "/p/a b \"quoted\" 名字.policy", "/p/../../x y.POLICY", "relative.policy", "/p/" + new string('长', 200) + ".policy",
            "/p/.policy", "/p/a.b.c.rules", "/p/\u202Ebidi.rules", "C:\\win\\path\\w.policy", "/p/empty.rules",
        ];
        var files = paths.Select((p, i) => (AdditionalText)new InMemoryAdditionalText(p, i switch
        {
            0 => HostileInputTests.Small,
            1 => HostileInputTests.Small.Replace("policy Small", "policy Other", StringComparison.Ordinal),
            5 => "implementation of Nobody\n  set r.p = 1 points",
            8 => "",
            _ => "policy \"broken\n",
        })).ToList();
        var run = Harness.WithinTimeout(() => Harness.RunGenerator(files));
        Assert.Empty(Harness.Problems(run.Output));
        Assert.All(run.Diagnostics, d => Assert.StartsWith("PDSL", d.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "PDSL0900");
        // Every broken file is reported at its own path; the two good policies are generated.
        foreach (var i in new[] { 2, 3, 4, 7 })
        {
            Assert.Contains(run.Diagnostics, d => d.Location.GetLineSpan().Path == paths[i] && d.Severity == DiagnosticSeverity.Error);
        }
        Assert.Contains(run.Diagnostics, d => d.Location.GetLineSpan().Path == paths[8] && d.Id == "PDSL0007");
        Assert.Contains(run.Diagnostics, d => d.Location.GetLineSpan().Path == paths[5] && d.Id == "PDSL0407");
        Assert.Equal(2, run.HintNames.Length); // Small and Other
        Assert.Equal(run.HintNames.Length, run.HintNames.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Fifty_files_with_errors_are_each_reported_once()
    {
        var files = Enumerable.Range(0, 50).Select(i => (AdditionalText)new InMemoryAdditionalText($"/p/f{i}.policy",
            HostileInputTests.Small.Replace("policy Small", "policy P" + i, StringComparison.Ordinal).Replace("cap 2 points", "cap 2 pints", StringComparison.Ordinal))).ToList();
        var run = Harness.WithinTimeout(() => Harness.RunGenerator(files));
        Assert.Equal(50, run.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(50, run.Diagnostics.Select(d => d.Location.GetLineSpan().Path).Distinct().Count());
        Assert.Empty(run.HintNames);
    }
}
