using System.CommandLine;
using System.Globalization;
using PolicyDsl.Diagnostics;

namespace PolicyDsl.Cli;

/// <summary>What every command needs: its writers, file checks, and diagnostics printed one way.</summary>
internal static class CommandHelpers
{
    public static TextWriter Output(ParseResult parseResult) => parseResult.InvocationConfiguration.Output;

    public static TextWriter Error(ParseResult parseResult) => parseResult.InvocationConfiguration.Error;

    /// <summary>Where a document (a report, eval output) goes on standard output: as produced, unless that is a terminal.</summary>
    public static TextWriter Document(TextWriter output) => output is TerminalText { Interactive: false } terminal ? terminal.Inner : output;

    /// <summary>
    /// File arguments that look like options are unknown options: System.CommandLine would
    /// otherwise take "--verbose" for a file name and report it as missing.
    /// </summary>
    public static T RejectingOptions<T>(this T argument) where T : Argument
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.StartsWith('-') && token.Value.Length > 1) result.AddError($"Unrecognized option '{token.Value}'.");
            }
        });
        return argument;
    }

    /// <summary>Reports the first missing file as a usage error; true when all exist.</summary>
    public static bool AllFilesExist(IEnumerable<string> paths, TextWriter error)
    {
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                error.WriteLine($"policyc: file not found: {path}");
                return false;
            }
        }
        return true;
    }

    /// <summary>Reads and parses a file; a file that exists but cannot be read is a usage error like a missing one.</summary>
    public static ParsedSource? TryRead(string path, TextWriter error)
    {
        try
        {
            return ParsedSource.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"policyc: cannot read {path}: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Diagnostics for people, in the checker's order (causes before their echoes): the MSBuild line,
    /// the source line with a caret under the span, the help link.
    /// </summary>
    public static void WriteDiagnostics(IEnumerable<Diagnostic> diagnostics, TextWriter writer, IEnumerable<ParsedSource>? sources = null,
        DiagnosticFormat format = DiagnosticFormat.Text, string? helpBaseUrl = null)
    {
        var texts = (sources ?? []).GroupBy(s => s.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal);
        // By file, and within a file in the checker's order (causes before their echoes).
        new DiagnosticWriter(format, helpBaseUrl, path => texts.GetValueOrDefault(path) ?? ReadQuietly(path))
            .Write(diagnostics.OrderBy(d => d.FilePath, StringComparer.Ordinal).ToList(), writer);
    }

    private static string? ReadQuietly(string path)
    {
        try
        {
            return File.Exists(path) ? ParsedSource.Read(path).Text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string Summary(int files, IReadOnlyCollection<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Count(d => d.Severity == Severity.Error);
        var warnings = diagnostics.Count(d => d.Severity == Severity.Warning);
        return string.Create(CultureInfo.InvariantCulture,
            $"policyc: {Plural(files, "file")} checked, {Plural(errors, "error")}, {Plural(warnings, "warning")}");
    }

    private static string Plural(int n, string word) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {word}{(n == 1 ? "" : "s")}");

    /// <summary>--lang zh|en: the report's language (default: the policy's own, Chinese for a title in Chinese).</summary>
    public static Option<string?> LangOption()
    {
        var lang = new Option<string?>("--lang") { Description = "zh or en: the language of the report (default: the policy's own)." };
        lang.AcceptOnlyFromAmong("zh", "en");
        return lang;
    }
}
