using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using PolicyDsl.Checking;
using PolicyDsl.Diagnostics;
using PolicyDsl.Syntax;
using PolicyDsl.Text;

namespace PolicyDsl.Compiler.Tests;

/// <summary>
/// Every diagnostic ID has a page docs/diagnostics/ID.md whose "Wrong" example produces exactly that ID
/// and whose "Right" example (the same source fixed) compiles clean. The examples are read from the
/// pages' code blocks, so the docs cannot drift from the compiler.
/// </summary>
public sealed partial class DiagnosticDocsTests
{
    // Test-file IDs (PDSL07xx) have test files for examples: tests/PolicyDsl.Testing.Tests/DiagnosticPageTests.cs runs them.
    public static TheoryData<string> Ids() => new(DiagnosticCatalog.All.Where(d => d.Category != DiagnosticCatalog.AuthorTests).Select(d => d.Id));

    private sealed record Example(string Policy, string? Rules);

    private static (Example? Wrong, Example Right) ReadPage(string id)
    {
        var path = Path.Combine(TestFiles.Root, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(path), $"{id} has no page {path}");
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        var wrongAt = text.IndexOf("## Wrong", StringComparison.Ordinal);
        var rightAt = text.IndexOf("## Right", StringComparison.Ordinal);
        Assert.True(wrongAt >= 0 && rightAt > wrongAt, $"{id}.md needs a '## Wrong' and then a '## Right' section");
        var wrong = Blocks(text[wrongAt..rightAt]);
        var right = Blocks(text[rightAt..]);
        Assert.True(right.Policy is not null, $"{id}.md: the Right section needs a ```policy block");
        var notReproducible = text[wrongAt..rightAt].Contains("Not reproducible", StringComparison.Ordinal);
        return (notReproducible ? null : new Example(wrong.Policy!, wrong.Rules), new Example(right.Policy!, right.Rules));
    }

    private static (string? Policy, string? Rules) Blocks(string section)
    {
        string? policy = null, rules = null;
        foreach (Match m in CodeBlock().Matches(section))
        {
            if (m.Groups[1].Value == "policy") policy ??= m.Groups[2].Value;
            else if (m.Groups[1].Value == "rules") rules ??= m.Groups[2].Value;
        }
        return (policy, rules);
    }

    [GeneratedRegex(@"```(policy|rules)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"Also reports (PDSL\d{4})")]
    private static partial Regex AlsoReports();

    private static Checking.Compilation Compile(Example e, string id)
    {
        // PDSL0008: "\xFF" in the page stands for the invalid byte itself, so the file is read from disk.
        if (e.Policy.Contains("\\xFF", StringComparison.Ordinal))
        {
            var file = Path.Combine(Path.GetTempPath(), $"pdsl-doc-{id}-{Guid.NewGuid():N}.policy");
            var parts = e.Policy.Split("\\xFF");
            var bytes = new List<byte>();
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0) bytes.Add(0xFF);
                bytes.AddRange(Encoding.UTF8.GetBytes(parts[i]));
            }
            File.WriteAllBytes(file, bytes.ToArray());
            try { return PolicyCompiler.Compile(ParsedSource.Read(file)); }
            finally { File.Delete(file); }
        }
        return TestFiles.Compile(e.Policy, e.Rules);
    }

    [Fact]
    public void Every_catalog_id_has_a_page()
    {
        var missing = DiagnosticCatalog.All.Where(d => !File.Exists(Path.Combine(TestFiles.Root, "docs", "diagnostics", d.Id + ".md"))).Select(d => d.Id).ToList();
        Assert.Empty(missing);
        Assert.Equal(DiagnosticCatalog.All.Count, DiagnosticCatalog.All.Select(d => d.Id).Distinct().Count());
        var index = File.ReadAllText(Path.Combine(TestFiles.Root, "docs", "diagnostics", "README.md"));
        Assert.Empty(DiagnosticCatalog.All.Where(d => !index.Contains($"[{d.Id}]({d.Id}.md)", StringComparison.Ordinal)).Select(d => d.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Wrong_example_produces_exactly_its_id(string id)
    {
        var (wrong, _) = ReadPage(id);
        if (wrong is null)
        {
            // Only an internal error, a file above the size limit and a missing runtime reference cannot be shown by a short example
            // (all are tested elsewhere: the damaged tree below, HostileInputTests' 17 MiB file, ConsumerTests); nor can the JavaScript
            // printer's guard against a scaled-integer node it does not know (every node the planner makes is printed: JsBackEndTests).
            Assert.Contains(id, new[] { DiagnosticCatalog.InternalError.Id, DiagnosticCatalog.FileTooLarge.Id, DiagnosticCatalog.RuntimeNotReferenced.Id,
                DiagnosticCatalog.JavaScriptScaledBodyNotPrinted.Id });
            return;
        }
        var result = Compile(wrong, id);
        var ids = result.Diagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToList();
        // A page may name a diagnostic its wrong example cannot avoid ("Also reports PDSL0507": PDSL0163 needs a policy without validity).
        var also = AlsoReports().Matches(File.ReadAllText(Path.Combine(TestFiles.Root, "docs", "diagnostics", id + ".md"))).Select(m => m.Groups[1].Value);
        var expected = also.Append(id).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(ids.SequenceEqual(expected), $"{id}: expected only {string.Join(", ", expected)}, found: {string.Join(" | ", result.Diagnostics)}");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Right_example_is_clean(string id)
    {
        var (_, right) = ReadPage(id);
        var result = Compile(right, id);
        Assert.True(result.Diagnostics.IsEmpty, $"{id}: expected no diagnostics, found: {string.Join(" | ", result.Diagnostics)}");
        Assert.NotNull(result.Policy);
    }

    [Fact]
    public void A_checker_crash_is_reported_as_PDSL0900_with_the_file_name()
    {
        // A damaged tree (a null where the parser never puts one) makes the checker fail inside; it must not throw.
        var broken = new SourceFileSyntax(
            new PolicySyntax(null!, new StringLiteral("t", default), EquatableArray<StatementSyntax>.Empty,
                EquatableArray<SectionSyntax>.Empty, EquatableArray<GeneralSyntax>.Empty, default),
            null, EquatableArray<SyntaxError>.Empty);
        var result = PolicyCompiler.Compile(new ParsedSource("broken.policy", "", broken, EquatableArray<Diagnostic>.Empty));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("PDSL0900", d.Id);
        Assert.Contains("broken.policy", d.Message);
    }
}
