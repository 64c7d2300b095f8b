using System.CommandLine;
using System.Text;
using PolicyDsl.Checking;
using PolicyDsl.Model;
using PolicyDsl.Reports;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc report POLICY [--rules RULES] --format md|html [-o OUT]: the policy catalogue. Markdown
/// writes its SVG charts beside OUT (so it needs -o); HTML inlines them. Exit 1 if the policy has errors.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var policy = new Argument<string>("policy") { Description = "The .policy file." }.RejectingOptions();
        var rules = new Option<string?>("--rules") { Description = "The implementation-rules (.rules) file that sets the policy's parameters." };
        var format = new Option<string>("--format") { Description = "md or html.", Required = true };
        format.AcceptOnlyFromAmong("md", "html");
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (default: standard output; Markdown charts need a file)." };
        var coverage = new Option<string[]>("--coverage-from")
        {
            Description = "Test files (*.tests) or folders: the HTML catalogue shows what they exercised of each rule and every clause no test applies.",
            AllowMultipleArgumentsPerToken = true,
        };
        var lang = CommandHelpers.LangOption();
        var command = new Command("report", "Render the policy catalogue (clauses, formal rules in plain words, caps, charts, exposure) as Markdown or HTML.")
        {
            policy, rules, format, output, coverage, lang,
        };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(policy), parseResult.GetValue(rules), parseResult.GetRequiredValue(format),
            parseResult.GetValue(output), CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult), parseResult.GetValue(coverage), parseResult.GetValue(lang)));
        return command;
    }

    internal static int Run(string policyPath, string? rulesPath, string format, string? outPath, TextWriter output, TextWriter error, string[]? coverageFrom = null, string? langCode = null)
    {
        if (LoadPolicy(policyPath, rulesPath, error, out var policy) is { } code) return code;
        var lang = Lang.For(policy!, langCode);

        RenderedReport report;
        if (coverageFrom is { Length: > 0 })
        {
            if (format != "html")
            {
                error.WriteLine("policyc: --coverage-from needs --format html");
                return ExitCodes.Usage;
            }
            if (TestCoverage.For(policy!, coverageFrom, error) is not { } coverage) return ExitCodes.Usage;
            report = PolicyReport.Html(policy!, coverage, lang);
        }
        else report = format == "html" ? PolicyReport.Html(policy!, lang) : PolicyReport.Markdown(policy!, lang);
        if (outPath is null)
        {
            if (report.Files.Count > 0) error.WriteLine("policyc: charts are not written without -o (they go beside the output file)");
            CommandHelpers.Document(output).Write(report.Text);
            return ExitCodes.Success;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        File.WriteAllText(outPath, report.Text, utf8);
        foreach (var (name, content) in report.Files) File.WriteAllText(Path.Combine(directory, name), content, utf8);
        error.WriteLine($"policyc: wrote {outPath}" + (report.Files.Count > 0 ? $" and {report.Files.Count} charts beside it" : ""));
        return ExitCodes.Success;
    }

    /// <summary>Reads and checks the policy (and rules); prints diagnostics; null code when the policy is usable.</summary>
    internal static int? LoadPolicy(string policyPath, string? rulesPath, TextWriter error, out CheckedPolicy? policy) =>
        LoadPolicy(policyPath, rulesPath, error, out policy, out _);

    /// <summary>As above; <paramref name="sources"/> are the texts the policy was checked from (with their paths).</summary>
    internal static int? LoadPolicy(string policyPath, string? rulesPath, TextWriter error, out CheckedPolicy? policy, out IReadOnlyList<(string Path, string Text)> sources)
    {
        policy = null;
        sources = [];
        var paths = rulesPath is null ? new[] { policyPath } : new[] { policyPath, rulesPath };
        if (!CommandHelpers.AllFilesExist(paths, error)) return ExitCodes.Usage;
        if (CommandHelpers.TryRead(policyPath, error) is not { } source) return ExitCodes.Usage;
        ParsedSource? rules = null;
        if (rulesPath is not null && (rules = CommandHelpers.TryRead(rulesPath, error)) is null) return ExitCodes.Usage;

        var compilation = PolicyCompiler.Compile(source, rules);
        CommandHelpers.WriteDiagnostics(compilation.Diagnostics.Where(d => d.IsError), error);
        if (compilation.HasErrors || compilation.Policy is null)
        {
            error.WriteLine(CommandHelpers.Summary(paths.Length, compilation.Diagnostics.AsImmutableArray()));
            return ExitCodes.Errors;
        }
        policy = compilation.Policy;
        sources = rules is null ? [(source.Path, source.Text)] : [(source.Path, source.Text), (rules.Path, rules.Text)];
        return null;
    }
}
