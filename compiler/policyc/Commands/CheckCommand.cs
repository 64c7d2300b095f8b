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

        var diagnostics = new List<Diagnostic>();
        foreach (var path in paths)
        {
            if (CommandHelpers.TryRead(path, error) is not { } source) return ExitCodes.Usage;
            diagnostics.AddRange(Diagnose(source));
        }
        CommandHelpers.WriteDiagnostics(diagnostics, output);
        error.WriteLine(CommandHelpers.Summary(paths.Count, diagnostics));
        return diagnostics.Any(d => d.IsError) ? ExitCodes.Errors : ExitCodes.Success;
    }

    /// <summary>
    /// Every diagnostic for one file. Today: reading and parsing. The checker hooks in here, adding
    /// its diagnostics for source.Syntax when the file parsed (the one place to change).
    /// </summary>
    internal static IReadOnlyList<Diagnostic> Diagnose(ParsedSource source)
    {
        return source.Diagnostics.AsImmutableArray();
    }
}
