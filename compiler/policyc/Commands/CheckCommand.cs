using System.CommandLine;
using PolicyDsl.Diagnostics;

namespace PolicyDsl.Cli;

/// <summary>policyc check FILE...: reports every diagnostic of the files; exit 1 if any is an error.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "The .policy and .rules files to check.",
            Arity = ArgumentArity.OneOrMore,
        }.RejectingOptions();
        var format = new Option<DiagnosticFormat>("--format")
        {
            Description = "text (the line, a caret under the span and the help link), json, or sarif (SARIF 2.1.0).",
            DefaultValueFactory = _ => DiagnosticFormat.Text,
        };
        var helpBase = HelpBaseOption();
        var command = new Command("check", "Parse and check policy files, printing diagnostics as path(line,col): error PDSLnnnn: message.")
        {
            files, format, helpBase,
        };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(files), CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult),
            parseResult.GetValue(format), parseResult.GetValue(helpBase)));
        return command;
    }

    /// <summary>--help-base-url: where the diagnostic pages are (else POLICYDSL_HELP_BASE_URL, else the repository's).</summary>
    internal static Option<string?> HelpBaseOption() => new("--help-base-url")
    {
        Description = $"The base URL of the diagnostic pages (BASE + ID + \".md\"); default: ${HelpLinks.EnvironmentVariable}, else {HelpLinks.DefaultBaseUrl}",
    };

    internal static int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter error,
        DiagnosticFormat format = DiagnosticFormat.Text, string? helpBaseUrl = null)
    {
        if (!CommandHelpers.AllFilesExist(paths, error)) return ExitCodes.Usage;

        var sources = new List<ParsedSource>();
        foreach (var path in paths)
        {
            if (CommandHelpers.TryRead(path, error) is not { } source) return ExitCodes.Usage;
            sources.Add(source);
        }
        // The checker runs over each policy with its paired .rules file (see CheckPairing).
        var diagnostics = CheckPairing.Diagnose(sources).ToList();
        CommandHelpers.WriteDiagnostics(diagnostics, output, sources, format, helpBaseUrl);
        error.WriteLine(CommandHelpers.Summary(paths.Count, diagnostics));
        return diagnostics.Any(d => d.IsError) ? ExitCodes.Errors : ExitCodes.Success;
    }

    /// <summary>Every diagnostic for one file on its own: reading, parsing and (for a policy) checking.</summary>
    internal static IReadOnlyList<Diagnostic> Diagnose(ParsedSource source) => CheckPairing.Diagnose(new[] { source });
}
