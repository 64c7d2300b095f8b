using System.Text.RegularExpressions;
using PolicyDsl.Diagnostics;

namespace PolicyDsl.Testing.Tests;

/// <summary>
/// Every test-file diagnostic (PDSL07xx) has a page whose "Wrong" example (a policy and a test file) gives exactly
/// that ID in the test file, and whose "Right" example gives nothing at all: the pages cannot drift from the tool.
/// </summary>
public sealed partial class DiagnosticPageTests
{
    public static TheoryData<string> Ids() => new(DiagnosticCatalog.All.Where(d => d.Category == DiagnosticCatalog.AuthorTests).Select(d => d.Id));

    [GeneratedRegex(@"```(policy|tests)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    private static (string Policy, string Tests) Blocks(string section)
    {
        var blocks = CodeBlock().Matches(section).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.True(blocks.ContainsKey("policy") && blocks.ContainsKey("tests"), "a section needs a ```policy and a ```tests block");
        return (blocks["policy"], blocks["tests"]);
    }

    private static LoadedTestFile Load((string Policy, string Tests) example, Workspace ws)
    {
        File.WriteAllText(Path.Combine(ws.Folder, "demo.policy"), example.Policy);
        return ws.Load(example.Tests);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_wrong_example_gives_exactly_its_id_and_the_right_one_nothing(string id)
    {
        var text = Repository.Read($"docs/diagnostics/{id}.md").Replace("\r\n", "\n");
        var wrongAt = text.IndexOf("## Wrong", StringComparison.Ordinal);
        var rightAt = text.IndexOf("## Right", StringComparison.Ordinal);
        Assert.True(wrongAt >= 0 && rightAt > wrongAt, $"{id}.md needs '## Wrong' then '## Right'");
        using var ws = new Workspace();
        var wrong = Load(Blocks(text[wrongAt..rightAt]), ws);
        var ids = wrong.Diagnostics.Where(d => d.FilePath == wrong.Path).Select(d => d.Id).Distinct().ToList();
        Assert.True(ids.SequenceEqual([id]), $"{id}: expected only {id}, found: {string.Join(" | ", wrong.Diagnostics)}");
        var right = Load(Blocks(text[rightAt..]), ws);
        Assert.True(right.Diagnostics.IsEmpty, $"{id}: expected no diagnostics, found: {string.Join(" | ", right.Diagnostics)}");
        var run = AuthorTests.Run([right.Path]);
        Assert.True(run.Failed == 0 && run.Passed > 0, string.Join("\n", run.Results.Select(AuthorTests.Explain)));
    }
}
