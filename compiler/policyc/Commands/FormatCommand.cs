using System.CommandLine;
using System.Text;
using PolicyDsl.Formatting;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc format [--check] FILE...: rewrites each file in the canonical layout (<see cref="PolicyFormatter"/>).
/// With --check nothing is written: each misformatted file is named and the exit code is 1, for CI.
/// </summary>
internal static class FormatCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "The .policy and .rules files to format.",
            Arity = ArgumentArity.OneOrMore,
        }.RejectingOptions();
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 if a file is not formatted (for CI)." };
        var command = new Command("format", "Rewrite files in the one canonical layout (indentation by level, aligned case lines, comments kept).")
        {
            files, check,
        };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(files), parseResult.GetValue(check),
            CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult)));
        return command;
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    internal static bool IsFormattable(string path) =>
        path.EndsWith(".policy", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".rules", StringComparison.OrdinalIgnoreCase);

    internal static int Run(IReadOnlyList<string> paths, bool check, TextWriter output, TextWriter error)
    {
        if (!CommandHelpers.AllFilesExist(paths, error)) return ExitCodes.Usage;
        int misformatted = 0, unreadable = 0;
        foreach (var path in paths)
        {
            // The layout is the clause language's: a test file (*.tests) or any other file would lose its nesting, so it is
            // left as it is and said so (a glob such as samples/*/* stays safe to format).
            if (!IsFormattable(path))
            {
                error.WriteLine($"policyc: {path} is not a .policy or .rules file; left as it is");
                continue;
            }
            if (CommandHelpers.TryRead(path, error) is not { } source) return ExitCodes.Usage;
            if (source.Diagnostics.Any(d => d.Id == "PDSL0008"))
            {
                // Rewriting would replace the invalid bytes with U+FFFD: leave such a file alone.
                error.WriteLine($"policyc: {path} is not valid UTF-8; not formatted");
                unreadable++;
                continue;
            }
            var formatted = PolicyFormatter.Format(source.Text);
            if (formatted == source.Text) continue;
            misformatted++;
            if (check) output.WriteLine($"{path}: not formatted (run 'policyc format {path}')");
            else File.WriteAllText(path, formatted, Utf8);
        }
        if (check) error.WriteLine($"policyc: {paths.Count} file(s) checked, {misformatted} not formatted");
        else error.WriteLine($"policyc: {paths.Count} file(s), {misformatted} reformatted");
        return unreadable > 0 || (check && misformatted > 0) ? ExitCodes.Errors : ExitCodes.Success;
    }
}
