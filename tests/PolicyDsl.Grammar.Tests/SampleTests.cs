using System.Text.RegularExpressions;
using PolicyDsl.Cli;
using static PolicyDsl.Grammar.Tests.TestSupport;

namespace PolicyDsl.Grammar.Tests;

/// <summary>The real samples parse, and the Tongzhou 2026 outline has the policy's shape.</summary>
public class SampleTests
{
    private static readonly string Samples = Path.Combine(RepoRoot(), "samples");

    [Fact]
    public void Tongzhou_outline_has_seven_chapters_and_clauses_1_to_21_each_with_a_rule()
    {
        var path = Path.Combine(Samples, "tongzhou-2026", "tongzhou-2026.policy");
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Policyc.Run(["outline", path], output, error);
        Assert.True(code == 0, error.ToString());

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        // Chapters 一 to 六 hold the clauses; chapter 七 (其他) is the general provisions, numbered 7 in the file and listed last.
        var sections = lines.Where(l => l.StartsWith("section ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, 6).Select(n => $"section {n} "), sections.Select(s => s[..(s.IndexOf(' ', 8) + 1)]));
        Assert.Equal("general 7 其他", lines.Last(l => !l.StartsWith(' ')));
        Assert.Equal(7, lines.Count(l => !l.StartsWith(' ')));
        Assert.Equal(3, lines.Count(l => l.StartsWith("  provision ", StringComparison.Ordinal)));

        var clauses = new List<(int Number, int Rules)>();
        foreach (var line in lines)
        {
            if (Regex.Match(line, @"^  clause (\d+) ") is { Success: true } m) clauses.Add((int.Parse(m.Groups[1].Value), 0));
            else if (line.StartsWith("    rule ", StringComparison.Ordinal)) clauses[^1] = (clauses[^1].Number, clauses[^1].Rules + 1);
        }
        Assert.Equal(Enumerable.Range(1, 21), clauses.Select(c => c.Number));
        Assert.All(clauses, c => Assert.True(c.Rules >= 1, $"clause {c.Number} has no rule"));
    }

    [Fact]
    public void Every_sample_file_parses_without_syntax_errors()
    {
        var files = Directory.GetFiles(Samples, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".policy", StringComparison.Ordinal) || f.EndsWith(".rules", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var source = ParsedSource.Read(file);
            Assert.True(source.Diagnostics.IsEmpty, string.Join("\n", source.Diagnostics));
            Assert.True(source.Syntax.Policy is not null || source.Syntax.Implementation is not null, file);
        }
    }
}
