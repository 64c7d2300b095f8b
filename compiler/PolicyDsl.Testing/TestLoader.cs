using System.Text;
using PolicyDsl.Checking;
using PolicyDsl.Diagnostics;
using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Testing;

/// <summary>
/// A test file read, paired with its policy (and implementation rules), parsed and bound. Diagnostics hold
/// every problem of the file and, when the policy itself does not check, the policy's errors too. Tests
/// holds the tests that can run (none when the policy could not be used).
/// </summary>
public sealed record LoadedTestFile(
    string Path,
    string Text,
    CheckedPolicy? Policy,
    string? PolicyPath,
    string? RulesPath,
    EquatableArray<BoundTest> Tests,
    EquatableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// Reads test files. A test file names its policy (<c>tests for NAME</c>); the policy is the file its
/// <c>policy "path"</c> line gives, else the one *.policy file beside the test file whose <c>policy</c> line
/// has that NAME. The rules are the <c>rules "path"</c> line's file, else the one *.rules file beside it
/// that is <c>implementation of NAME</c> (none is fine: parameters stay unset). Policies are compiled once
/// per loader, however many test files use them.
/// </summary>
public sealed class TestLoader
{
    public const string Extension = ".tests";

    private readonly Dictionary<(string, string?), Compilation> _compiled = new();

    /// <summary>Every test file under the paths: a folder is searched recursively, in ordinal order of paths.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> paths, out IReadOnlyList<string> missing)
    {
        var found = new List<string>();
        var notFound = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                found.AddRange(Directory.EnumerateFiles(path, "*" + Extension, SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal));
            else if (File.Exists(path)) found.Add(path);
            else notFound.Add(path);
        }
        missing = notFound;
        return found.Distinct(StringComparer.Ordinal).ToList();
    }

    public LoadedTestFile Load(string path)
    {
        var text = Decode(File.ReadAllBytes(path));
        return Load(path, text);
    }

    public LoadedTestFile Load(string path, string text)
    {
        var (syntax, parseDiagnostics) = TestParser.Parse(path, text);
        var diagnostics = new List<Diagnostic>(parseDiagnostics);
        var lines = new LineMap(text);
        if (syntax.Policy is not { } name) return new LoadedTestFile(path, text, null, null, null, EquatableArray<BoundTest>.Empty, diagnostics.ToEquatableArray());

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        void NotFound(TextSpan span, string expected, string found) =>
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.TestPolicyNotFound, path, lines, span, name.Text, expected, found));

        var policyPath = Locate(directory, syntax.PolicyPath, ".policy", s => s.Syntax.Policy?.Name.Text == name.Text, name.Text,
            "a *.policy file beside the test file whose first line is 'policy " + name.Text + "' (or a 'policy \"path\"' line)", NotFound, syntax.HeaderSpan);
        var rulesPath = policyPath is null ? null : Locate(directory, syntax.RulesPath, ".rules", s => s.Syntax.Implementation?.Policy.Text == name.Text, name.Text,
            null, NotFound, syntax.HeaderSpan);
        if (policyPath is null) return new LoadedTestFile(path, text, null, null, null, EquatableArray<BoundTest>.Empty, diagnostics.ToEquatableArray());

        var compilation = Compile(policyPath, rulesPath);
        if (compilation.Policy is { } p && p.Name != name.Text)
        {
            NotFound(syntax.PolicyPath?.Span ?? name.Span, "the file to hold policy " + name.Text, System.IO.Path.GetFileName(policyPath) + " holding policy " + p.Name);
            return new LoadedTestFile(path, text, null, policyPath, rulesPath, EquatableArray<BoundTest>.Empty, diagnostics.ToEquatableArray());
        }
        if (compilation.HasErrors || compilation.Policy is null)
        {
            diagnostics.AddRange(compilation.Diagnostics.Where(d => d.IsError));
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.TestPolicyHasErrors, path, lines, syntax.HeaderSpan, name.Text,
                System.IO.Path.GetFileName(policyPath), compilation.Diagnostics.Count(d => d.IsError)));
            return new LoadedTestFile(path, text, null, policyPath, rulesPath, EquatableArray<BoundTest>.Empty, diagnostics.ToEquatableArray());
        }
        if (!compilation.Policy.Units.IsEmpty)
        {
            // The policy declares units (unit 亩): read the file again with them, so "fact area = 100 亩" is a quantity.
            foreach (var d in parseDiagnostics) diagnostics.Remove(d);
            (syntax, parseDiagnostics) = TestParser.Parse(path, text, compilation.Policy.Units.Select(u => u.Name).ToHashSet(StringComparer.Ordinal));
            diagnostics.InsertRange(0, parseDiagnostics);
        }
        var (tests, bindDiagnostics) = TestBinder.Bind(path, text, syntax, compilation.Policy,
            parseDiagnostics.Where(d => d.IsError).Select(d => d.Span).ToList());
        diagnostics.AddRange(bindDiagnostics);
        return new LoadedTestFile(path, text, compilation.Policy, policyPath, rulesPath, tests, diagnostics.OrderBy(d => d.FilePath, StringComparer.Ordinal).ThenBy(d => d.Span.Start).ToEquatableArray());
    }

    /// <summary>The file a path line names, else the one file of that kind beside the test file that matches; null (reported) if none or several.</summary>
    private static string? Locate(string directory, TestName? given, string extension, Func<ParsedSource, bool> matches, string policyName,
        string? required, Action<TextSpan, string, string> notFound, TextSpan headerSpan)
    {
        if (given is { } g)
        {
            var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, g.Text));
            if (File.Exists(full)) return AuthorTests.Relative(full);
            notFound(g.Span, "an existing file", "no file " + g.Text + " beside the test file");
            return null;
        }
        var candidates = Directory.EnumerateFiles(directory, "*" + extension).OrderBy(p => p, StringComparer.Ordinal)
            .Where(p => TryParse(p) is { } s && matches(s)).ToList();
        if (candidates.Count == 1) return AuthorTests.Relative(candidates[0]);
        if (candidates.Count > 1)
        {
            notFound(headerSpan, $"one {extension} file for it beside the test file (or a '{(extension == ".policy" ? "policy" : "rules")} \"path\"' line)",
                string.Join(", ", candidates.Select(System.IO.Path.GetFileName)));
            return null;
        }
        if (required is not null) notFound(headerSpan, required, "none in " + directory);
        return null;
    }

    private static ParsedSource? TryParse(string path)
    {
        try { return ParsedSource.Read(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private Compilation Compile(string policyPath, string? rulesPath)
    {
        if (_compiled.TryGetValue((policyPath, rulesPath), out var known)) return known;
        var compilation = PolicyCompiler.Compile(ParsedSource.Read(policyPath), rulesPath is null ? null : ParsedSource.Read(rulesPath));
        _compiled[(policyPath, rulesPath)] = compilation;
        return compilation;
    }

    /// <summary>UTF-8 without its BOM; invalid bytes become U+FFFD (and then a token error where they stand).</summary>
    private static string Decode(byte[] bytes)
    {
        var skip = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        return new UTF8Encoding(false, false).GetString(bytes, skip, bytes.Length - skip);
    }
}
