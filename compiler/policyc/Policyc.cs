using System.CommandLine;

namespace PolicyDsl.Cli;

/// <summary>The policyc command line: one subcommand per file in Commands/.</summary>
public static class Policyc
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("policyc: the PolicyDsl compiler for incentive-policy clause files (*.policy) and implementation rules (*.rules).");
        // One line per command; each command lives in its own file under Commands/.
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(OutlineCommand.Create());
        root.Subcommands.Add(BoundsCommand.Create());
        root.Subcommands.Add(DiffCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(NoticeCommand.Create());
        root.Subcommands.Add(CalculatorCommand.Create());
        root.Subcommands.Add(FormatCommand.Create());
        root.Subcommands.Add(LspCommand.Create());
        root.Subcommands.Add(SchemaCommand.Create());
        root.Subcommands.Add(TestCommand.Create());
        return root;
    }

    /// <summary>Runs policyc with the given arguments and writers; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        // Everything policyc prints is escaped for the terminal; documents go to the writer inside (CommandHelpers.Document).
        output = output as TerminalText ?? new TerminalText(output);
        error = error as TerminalText ?? new TerminalText(error);
        var parseResult = CreateRootCommand().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // System.CommandLine would exit with 1, which policyc keeps for "the input has errors".
            foreach (var parseError in parseResult.Errors) error.WriteLine($"policyc: {parseError.Message}");
            error.WriteLine("Run 'policyc --help' for usage.");
            return ExitCodes.Usage;
        }
        return parseResult.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}

public static class ExitCodes
{
    /// <summary>Everything compiled without errors.</summary>
    public const int Success = 0;

    /// <summary>A source file has errors; they were printed.</summary>
    public const int Errors = 1;

    /// <summary>The command line was wrong (unknown command or option, missing or nonexistent file).</summary>
    public const int Usage = 2;
}
