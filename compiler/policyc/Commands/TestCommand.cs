using System.CommandLine;
using System.Globalization;
using System.Text;
using PolicyDsl.Testing;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc test [PATH...] [--junit FILE] [--coverage]: runs the authors' test files (*.tests; a folder is
/// searched recursively, default the current folder) against the reference evaluator. One line per test;
/// a failure shows file(line,col), expected and actual and the trace. Exit 0 all pass, 1 a test fails,
/// 2 usage or file errors (a missing path, a test file or its policy with errors: all printed).
/// </summary>
internal static class TestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Test files (*.tests) or folders to search for them (default: the current folder).",
            Arity = ArgumentArity.ZeroOrMore,
        }.RejectingOptions();
        var junit = new Option<string?>("--junit") { Description = "Also write the results as JUnit XML to this file." };
        var coverage = new Option<bool>("--coverage") { Description = "Print, per policy, which rules, conditions, caps and cells the tests exercised." };
        var command = new Command("test", "Run the policy authors' tests (*.tests): expected awards, payments, caps and shares, checked against the reference evaluator.")
        {
            paths, junit, coverage,
        };
        command.SetAction(parseResult => Run(parseResult.GetValue(paths) ?? [], parseResult.GetValue(junit), parseResult.GetValue(coverage),
            CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult)));
        return command;
    }

    internal static int Run(IReadOnlyList<string> paths, string? junitPath, bool coverage, TextWriter output, TextWriter error)
    {
        var files = TestLoader.Find(paths.Count == 0 ? ["."] : paths, out var missing);
        foreach (var path in missing) error.WriteLine($"policyc: file or folder not found: {path}");
        if (missing.Count > 0) return ExitCodes.Usage;
        if (files.Count == 0)
        {
            error.WriteLine($"policyc: no test files (*{TestLoader.Extension}) in {string.Join(", ", paths.Count == 0 ? ["."] : paths)}");
            return ExitCodes.Usage;
        }

        TestRun run;
        try
        {
            run = AuthorTests.Run(files);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"policyc: cannot read a test file or its policy: {e.Message}");
            return ExitCodes.Usage;
        }

        CommandHelpers.WriteDiagnostics(run.Diagnostics, output);
        foreach (var result in run.Results)
        {
            output.WriteLine(AuthorTests.Line(result));
            if (!result.Passed) output.Write(AuthorTests.Explain(result));
        }
        if (coverage)
        {
            foreach (var c in AuthorTests.Coverage(run))
            {
                output.WriteLine();
                output.Write(CoverageBuilder.Render(c));
            }
        }
        if (junitPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(junitPath))!);
            File.WriteAllText(junitPath, AuthorTests.JUnit(run), new UTF8Encoding(false));
        }

        var fileErrors = run.Files.Count(f => f.HasErrors);
        var summary = string.Create(CultureInfo.InvariantCulture, $"policyc: {run.Results.Count} tests in {run.Files.Count} files: {run.Passed} passed, {run.Failed} failed");
        if (fileErrors > 0) summary += string.Create(CultureInfo.InvariantCulture, $"; {fileErrors} files with errors");
        if (junitPath is not null) summary += "; wrote " + junitPath;
        error.WriteLine(summary);
        if (fileErrors > 0) return ExitCodes.Usage;
        return run.Failed > 0 ? ExitCodes.Errors : ExitCodes.Success;
    }
}
