using System.Globalization;
using PolicyDsl.Text;

namespace PolicyDsl.Diagnostics;

public enum Severity { Hidden, Info, Warning, Error }

/// <summary>What a diagnostic is: its ID, default severity, and message shape. All live in <see cref="DiagnosticCatalog"/>.</summary>
public sealed record DiagnosticDescriptor(string Id, string Title, string MessageFormat, Severity DefaultSeverity, string Category)
{
    /// <summary>The page that explains the ID, with a wrong and a right example.</summary>
    public string HelpLink => $"docs/diagnostics/{Id}.md";
}

/// <summary>One reported problem at a place in one file. Value-equal and free of Roslyn types.</summary>
public sealed record Diagnostic(
    DiagnosticDescriptor Descriptor,
    Severity Severity,
    string FilePath,
    TextSpan Span,
    LinePosition Start,
    LinePosition End,
    string Message)
{
    public string Id => Descriptor.Id;

    public bool IsError => Severity == Severity.Error;

    public static Diagnostic Create(DiagnosticDescriptor descriptor, string filePath, LineMap lines, TextSpan span, params object?[] args) =>
        new(descriptor, descriptor.DefaultSeverity, filePath, span, lines.GetPosition(span.Start), lines.GetPosition(span.End),
            string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args));

    /// <summary>The format MSBuild and editors parse: path(line,col): error PDSL0001: message.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{FilePath}({Start.Line},{Start.Column}): {SeverityWord(Severity)} {Id}: {Message}");

    private static string SeverityWord(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };
}
