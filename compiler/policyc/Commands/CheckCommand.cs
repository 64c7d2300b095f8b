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
        var command = new Command("check", "Parse and check policy files, printing diagnostics as path(line,col): error PDSLnnnn: message.")
        {
            files,
        };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(files), CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult)));
        return command;
    }

    internal static int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
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
        CommandHelpers.WriteDiagnostics(diagnostics, output);
        error.WriteLine(CommandHelpers.Summary(paths.Count, diagnostics));
        return diagnostics.Any(d => d.IsError) ? ExitCodes.Errors : ExitCodes.Success;
    }

    /// <summary>Every diagnostic for one file on its own: reading, parsing and (for a policy) checking.</summary>
    internal static IReadOnlyList<Diagnostic> Diagnose(ParsedSource source) => CheckPairing.Diagnose(new[] { source });
}
