using System.Globalization;
using PolicyDsl.Text;

namespace PolicyDsl.Diagnostics;

public enum Severity { Hidden, Info, Warning, Error }

/// <summary>What a diagnostic is: its ID, default severity, and message shape. All live in <see cref="DiagnosticCatalog"/>.</summary>
public sealed record DiagnosticDescriptor(string Id, string Title, string MessageFormat, Severity DefaultSeverity, string Category)
{
    /// <summary>The page that explains the ID, with a wrong and a right example, under the default base URL.</summary>
    public string HelpLink => HelpLinks.For(Id, null);
}

/// <summary>
/// Where the diagnostic pages live: an absolute URL, so that links work in a consumer's build, in SARIF
/// and in editors. The base can be set per run (policyc --help-base-url, the POLICYDSL_HELP_BASE_URL
/// environment variable, or the MSBuild property PolicyDslHelpBaseUrl for the generator); each page is
/// BASE + ID + ".md".
/// </summary>
public static class HelpLinks
{
    /// <summary>The pages of this repository's docs/diagnostics/ folder.</summary>
    public const string DefaultBaseUrl = "https://github.com/policydsl/policydsl/blob/main/docs/diagnostics/";

    public const string EnvironmentVariable = "POLICYDSL_HELP_BASE_URL";

    /// <summary>The base to use: the given one, else the environment variable, else the default; always ending in "/".</summary>
    public static string Base(string? configured)
    {
        var value = !string.IsNullOrWhiteSpace(configured) ? configured
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env : DefaultBaseUrl;
        value = value.Trim();
        return value.EndsWith('/') ? value : value + "/";
    }

    public static string For(string id, string? configuredBase) => Base(configuredBase) + id + ".md";
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

    /// <summary>A replacement for the text at <see cref="Span"/> that likely fixes the problem (an editor's quick fix).</summary>
    public string? Suggestion { get; init; }

    /// <summary>"did you mean X": the message gains the hint and the diagnostic the replacement.</summary>
    public Diagnostic WithSuggestion(string? suggestion, char quote = '\'')
    {
        if (suggestion is null) return this;
        return this with { Suggestion = suggestion, Message = string.Create(CultureInfo.InvariantCulture, $"{Message}; did you mean {quote}{suggestion}{quote}?") };
    }

    /// <summary>Another hint, appended to the message (the unit that would fit, ...).</summary>
    public Diagnostic WithHint(string? hint) => hint is null ? this : this with { Message = Message + "; " + hint };

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
