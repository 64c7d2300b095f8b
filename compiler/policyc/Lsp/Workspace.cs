using PolicyDsl.Checking;
using PolicyDsl.Text;

namespace PolicyDsl.Cli.Lsp;

/// <summary>One open (or, for a partner file, on-disk) document and its parse, made once per version.</summary>
public sealed class Document(string uri, string path, int version, string text)
{
    public string Uri { get; } = uri;
    public string Path { get; } = path;
    public int Version { get; } = version;
    public string Text { get; } = text;

    private ParsedSource? _parsed;
    private LineMap? _lines;

    public ParsedSource Parsed => _parsed ??= ParsedSource.Parse(Path, Text);

    public LineMap Lines => _lines ??= new LineMap(Text);

    public bool IsRules => Path.EndsWith(".rules", StringComparison.OrdinalIgnoreCase)
        || (Parsed.Syntax.Policy is null && Parsed.Syntax.Implementation is not null);

    public int Offset(Position p)
    {
        if (p.Line >= Lines.LineCount) return Text.Length;
        return Math.Clamp(Lines.LineStart(Math.Max(0, p.Line)) + Math.Max(0, p.Character), 0, Text.Length);
    }

    public Position PositionOf(int offset)
    {
        var p = Lines.GetPosition(offset);
        return new Position(p.Line - 1, p.Column - 1);
    }

    public Range RangeOf(TextSpan span) => new(PositionOf(span.Start), PositionOf(span.End));
}

/// <summary>
/// The documents the editor has open, and the checked unit (a policy with its rules file) each belongs
/// to. A document is parsed once per version; a unit is checked again only when one of its two files
/// changed, so typing in a file reparses that file alone and rechecks its one policy.
/// </summary>
public sealed class Workspace
{
    private readonly Dictionary<string, Document> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Document> _disk = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Policy, int PolicyVersion, string? Rules, int RulesVersion), Compilation> _checked = new();

    public Document? Find(string uri) => _open.GetValueOrDefault(uri);

    public IEnumerable<Document> Open => _open.Values;

    public Document Set(string uri, int version, string text)
    {
        var document = new Document(uri, PathOf(uri), version, text);
        _open[uri] = document;
        return document;
    }

    public void Close(string uri) => _open.Remove(uri);

    public static string PathOf(string uri) =>
        System.Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.IsFile ? u.LocalPath : uri;

    public static string UriOf(string path) => new System.Uri(System.IO.Path.GetFullPath(path)).AbsoluteUri;

    /// <summary>The policy and rules documents checked together with this one (either may be this one).</summary>
    public (Document? Policy, Document? Rules) UnitOf(Document document)
    {
        if (document.IsRules)
        {
            var name = document.Parsed.Syntax.Implementation?.Policy.Text;
            var policy = Candidates(document, ".policy").FirstOrDefault(d => name is not null && d.Parsed.Syntax.Policy?.Name.Text == name)
                ?? Candidates(document, ".policy").FirstOrDefault(d => SameBaseName(d, document));
            return (policy, document);
        }
        var policyName = document.Parsed.Syntax.Policy?.Name.Text;
        var rules = Candidates(document, ".rules").FirstOrDefault(d => policyName is not null && d.Parsed.Syntax.Implementation?.Policy.Text == policyName && SameFolder(d, document))
            ?? Candidates(document, ".rules").FirstOrDefault(d => SameBaseName(d, document));
        return (document, rules);
    }

    /// <summary>Open documents of a kind, then the files of that kind beside the document on disk.</summary>
    private IEnumerable<Document> Candidates(Document document, string extension)
    {
        foreach (var d in _open.Values.Where(d => d.Path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))) yield return d;
        var folder = System.IO.Path.GetDirectoryName(document.Path);
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder)) yield break;
        foreach (var file in Directory.EnumerateFiles(folder, "*" + extension).Order(StringComparer.Ordinal))
        {
            var uri = UriOf(file);
            if (_open.ContainsKey(uri)) continue;
            yield return Disk(uri, file);
        }
    }

    private Document Disk(string uri, string file)
    {
        var stamp = File.GetLastWriteTimeUtc(file).Ticks;
        if (_disk.TryGetValue(uri, out var cached) && cached.Version == (int)(stamp & 0x7FFFFFFF)) return cached;
        var text = ParsedSource.Read(file).Text;
        return _disk[uri] = new Document(uri, file, (int)(stamp & 0x7FFFFFFF), text);
    }

    private static bool SameFolder(Document a, Document b) =>
        string.Equals(System.IO.Path.GetDirectoryName(a.Path), System.IO.Path.GetDirectoryName(b.Path), StringComparison.Ordinal);

    private static bool SameBaseName(Document a, Document b) => SameFolder(a, b)
        && string.Equals(System.IO.Path.GetFileNameWithoutExtension(a.Path), System.IO.Path.GetFileNameWithoutExtension(b.Path), StringComparison.Ordinal);

    /// <summary>The checked unit, from the cache while neither file changed.</summary>
    public Compilation Check(Document? policy, Document? rules)
    {
        var key = (policy?.Uri ?? "", policy?.Version ?? 0, rules?.Uri, rules?.Version ?? 0);
        if (_checked.TryGetValue(key, out var done)) return done;
        var compilation = policy is null
            ? PolicyCompiler.Compile(rules!.Parsed)
            : PolicyCompiler.Compile(policy.Parsed, rules?.Parsed);
        // Only the latest version of a unit is worth keeping.
        foreach (var stale in _checked.Keys.Where(k => k.Policy == key.Item1 && k.Rules == key.Item3).ToList()) _checked.Remove(stale);
        _checked[key] = compilation;
        return compilation;
    }
}
