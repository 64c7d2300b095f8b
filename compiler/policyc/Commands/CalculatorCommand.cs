using System.CommandLine;
using System.Text;
using PolicyDsl.Diagnostics;
using PolicyDsl.Reports;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc calculator POLICY [--rules R] [--lang zh|en] -o page.html: one self-contained, offline HTML page where an applicant
/// picks a clause, fills in the facts and sees the award, the cap that bound it and the explanation, computed in the page by
/// the rules printed to JavaScript from the plan (docs/semantics.md §28). A link (#rule=NAME&amp;FACT=VALUE&amp;date=…) reproduces a case.
/// </summary>
internal static class CalculatorCommand
{
    public static Command Create()
    {
        var policy = new Argument<string>("policy") { Description = "The .policy file." }.RejectingOptions();
        var rules = new Option<string?>("--rules") { Description = "The implementation-rules (.rules) file (its parameter values)." };
        var output = new Option<string?>("--output", "-o") { Description = "The page to write (default: standard output)." };
        var lang = CommandHelpers.LangOption();
        var command = new Command("calculator", "Write the calculator page: one offline HTML file that computes any clause's award in the browser, exactly as eval does.")
        {
            policy, rules, output, lang,
        };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(policy), parseResult.GetValue(rules), parseResult.GetValue(output), parseResult.GetValue(lang),
            CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult)));
        return command;
    }

    internal static int Run(string policyPath, string? rulesPath, string? outPath, string? langCode, TextWriter output, TextWriter error)
    {
        if (ReportCommand.LoadPolicy(policyPath, rulesPath, error, out var policy) is { } code) return code;
        var page = Calculator.Html(policy!, Lang.For(policy!, langCode));
        if (page.NotPrinted.Count > 0)
        {
            var lines = new PolicyDsl.Text.LineMap(File.ReadAllText(policyPath));
            CommandHelpers.WriteDiagnostics(page.NotPrinted.Select(n =>
                Diagnostic.Create(DiagnosticCatalog.JavaScriptScaledBodyNotPrinted, policyPath, lines, n.Span, n.Rule, n.What)), error);
        }
        if (outPath is null)
        {
            CommandHelpers.Document(output).Write(page.Html);
            return ExitCodes.Success;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        File.WriteAllText(outPath, page.Html, new UTF8Encoding(false));
        error.WriteLine("policyc: wrote the calculator of " + policy!.Rules.Count().ToString(System.Globalization.CultureInfo.InvariantCulture) + " rule(s) to " + outPath);
        return ExitCodes.Success;
    }
}
