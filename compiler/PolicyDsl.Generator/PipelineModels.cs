using PolicyDsl.Diagnostics;
using PolicyDsl.Model;
using PolicyDsl.Syntax;
using PolicyDsl.Text;

namespace PolicyDsl.Generator;

// The values that flow through the generator's pipeline. Every one is value-equal (records over strings,
// syntax/model records and EquatableArray), and none holds an ISymbol, SyntaxNode, Location or
// Compilation, so Roslyn can cache each step (a test walks these types by reflection to keep it so).

/// <summary>An additional file as read: its path and text (empty and <paramref name="TooLarge"/> when above the size limit).</summary>
public sealed record InputFile(string Path, string Text, bool TooLarge = false);

public enum PolicyFileKind { Unknown, Policy, Rules }

/// <summary>A parsed file: what kind it is, the policy it names, its syntax tree and syntax diagnostics.</summary>
public sealed record ParsedFile(
    string Path,
    string Text,
    PolicyFileKind Kind,
    string? PolicyName,
    SourceFileSyntax? Syntax,
    EquatableArray<Diagnostic> Diagnostics);

/// <summary>A policy file paired with the implementation-rules file whose "implementation of NAME" names it.
/// A rules file naming no policy becomes a unit with no policy (only its own diagnostics are reported).
/// <see cref="DuplicateOf"/> is the earlier policy file whose name gives the same C# namespace, or for a unit of rules
/// alone the rules file already paired with the policy it names (then this one is an error).</summary>
public sealed record PolicyUnit(string HintName, ParsedFile? Policy, ParsedFile? Rules, ParsedFile? DuplicateOf = null);

/// <summary>A checked policy with all diagnostics of its files.</summary>
public sealed record CheckedUnit(string HintName, string Path, CheckedPolicy? Policy, bool HasErrors, EquatableArray<Diagnostic> Diagnostics);

/// <summary>The C# source of one policy (null when it has errors), the file it comes from and the diagnostics to report.</summary>
public sealed record EmittedUnit(string HintName, string Path, string? Source, EquatableArray<Diagnostic> Diagnostics);

/// <summary>PDSL0900 for a failure of the generator itself, at the start of the file being compiled.</summary>
public static class InternalErrors
{
    public static Diagnostic Create(string path, string step, Exception exception) =>
        Diagnostic.Create(DiagnosticCatalog.InternalError, path, new LineMap(""), new TextSpan(0, 0),
            System.IO.Path.GetFileName(path), step + ": " + exception.GetType().Name + ": " + exception.Message);
}

/// <summary>A severity set in .editorconfig (dotnet_diagnostic.ID.severity) for one file.</summary>
public sealed record SeverityOverride(string Path, string Id, string Severity);

/// <summary>The options from MSBuild: build_property.PolicyDslNamespace and PolicyDslScaledEntryPoints (§26.2).</summary>
public sealed record GeneratorOptions(string NamespacePrefix, bool ScaledEntryPoints = false);
