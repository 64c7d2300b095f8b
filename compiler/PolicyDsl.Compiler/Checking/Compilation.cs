using PolicyDsl.Diagnostics;
using PolicyDsl.Model;
using PolicyDsl.Syntax;
using PolicyDsl.Text;

namespace PolicyDsl.Checking;

/// <summary>
/// The result of checking: the checked model (null only when no policy could be read at all; otherwise
/// as complete as the errors allow) and every diagnostic, syntax diagnostics first, in source order per file.
/// </summary>
public sealed record Compilation(CheckedPolicy? Policy, EquatableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);
}

/// <summary>The checker's entry point: syntax tree(s) in, checked model and diagnostics out. Never throws.</summary>
public static class PolicyCompiler
{
    public static Compilation Compile(ParsedSource policy, ParsedSource? rules = null)
    {
        try
        {
            return new PolicyChecker(policy, rules).Check();
        }
        catch (Exception ex)
        {
            // A bug in the checker must not take the build down: report it against the file being checked.
            var diagnostics = policy.Diagnostics.AsImmutableArray();
            if (rules is not null) diagnostics = diagnostics.AddRange(rules.Diagnostics);
            diagnostics = diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.InternalError, policy.Path, policy.CreateLineMap(), default,
                policy.Path, ex.GetType().Name + ": " + ex.Message));
            return new Compilation(null, diagnostics);
        }
    }

    /// <summary>Parses and checks texts in one go (tests, tools).</summary>
    public static Compilation Compile(string policyPath, string policyText, string? rulesPath = null, string? rulesText = null) =>
        Compile(ParsedSource.Parse(policyPath, policyText), rulesText is null ? null : ParsedSource.Parse(rulesPath ?? "policy.rules", rulesText));
}

/// <summary>Collects diagnostics for one file into a shared list.</summary>
internal sealed class DiagnosticSink(string path, LineMap lines, List<Diagnostic> all, IReadOnlySet<DiagnosticDescriptor>? suppressed = null)
{
    public string Path => path;

    public LineMap Lines => lines;

    /// <summary>The same file and list, without the given descriptors (echoes of a syntax error).</summary>
    public DiagnosticSink Without(IReadOnlySet<DiagnosticDescriptor> descriptors) => new(path, lines, all, descriptors);

    public void Report(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args) => Add(Diagnostic.Create(descriptor, path, lines, span, args));

    /// <summary>Reports an unknown name with "did you mean" the closest of the names in scope.</summary>
    public void ReportUnknown(DiagnosticDescriptor descriptor, TextSpan span, string written, IEnumerable<string> inScope, params object?[] args) =>
        Add(Diagnostic.Create(descriptor, path, lines, span, args).WithSuggestion(Suggestions.Closest(written, inScope)));

    /// <summary>Reports with a hint appended to the message.</summary>
    public void ReportWithHint(DiagnosticDescriptor descriptor, TextSpan span, string? hint, params object?[] args) =>
        Add(Diagnostic.Create(descriptor, path, lines, span, args).WithHint(hint));

    private void Add(Diagnostic diagnostic)
    {
        if (suppressed is not null && suppressed.Contains(diagnostic.Descriptor)) return;
        all.Add(diagnostic);
    }

    /// <summary>The 1-based line of a span, for "the first is at line N".</summary>
    public int Line(TextSpan span) => lines.GetPosition(span.Start).Line;
}
