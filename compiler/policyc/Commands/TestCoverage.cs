using System.Globalization;
using PolicyDsl.Model;
using PolicyDsl.Reports;
using PolicyDsl.Testing;

namespace PolicyDsl.Cli;

/// <summary>`policyc report --coverage-from TESTS`: the tests of a policy run, their coverage turned into the catalogue's per-rule view.</summary>
internal static class TestCoverage
{
    public static IReadOnlyDictionary<string, RuleCoverageView>? For(CheckedPolicy policy, IReadOnlyList<string> paths, TextWriter error)
    {
        var files = TestLoader.Find(paths, out var missing);
        foreach (var path in missing) error.WriteLine($"policyc: file or folder not found: {path}");
        if (missing.Count > 0) return null;
        var run = AuthorTests.Run(files);
        foreach (var d in run.Diagnostics.Where(d => d.IsError)) error.WriteLine(d.ToString());
        if (run.HasFileErrors) return null;
        // Only the test files of this policy count (a folder may hold tests of several policies).
        var mine = run with
        {
            Files = run.Files.Where(f => f.Policy?.Name == policy.Name).ToList(),
            Results = run.Results.Where(r => run.Files.Any(f => f.Path == r.File && f.Policy?.Name == policy.Name)).ToList(),
        };
        if (mine.Failed > 0) error.WriteLine($"policyc: note: {mine.Failed.ToString(CultureInfo.InvariantCulture)} of the tests fail (coverage counts what they ran)");
        var rules = CoverageBuilder.Build(policy, "", mine.Results).Rules;
        return rules.ToDictionary(r => r.Rule, r => new RuleCoverageView(Summary(r), r.Untested().ToList()), StringComparer.Ordinal);
    }

    private static string Summary(RuleCoverage r)
    {
        string I(int n) => n.ToString(CultureInfo.InvariantCulture);
        if (r.Applications == 0) return "no test applies this rule 无测试";
        var parts = new List<string> { $"{I(r.Applications)} applications" };
        if (!r.Conditions.IsEmpty) parts.Add($"conditions both ways {I(r.Conditions.Count(c => c.Exercised))}/{I(r.Conditions.Count)}");
        if (!r.Caps.IsEmpty) parts.Add($"caps bound {I(r.Caps.Count(c => c.Exercised))}/{I(r.Caps.Count)}");
        if (!r.Cells.IsEmpty) parts.Add($"cells reached {I(r.Cells.Count(c => c.Reached > 0))}/{I(r.Cells.Count)}");
        return string.Join(", ", parts);
    }
}
