using System.CommandLine;
using System.Diagnostics;
using System.Text;
using PolicyDsl.Reports;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc notice POLICY [--rules R] --applications A [--enterprise E] [--format html|pdf] [--lang zh|en] -o OUT:
/// the award notice (奖励（补助）核定结果) per enterprise, from the same evaluation as eval; PDF through headless Chromium.
/// </summary>
internal static class NoticeCommand
{
    public const string Chromium = "/usr/bin/chromium";

    public static Command Create()
    {
        var policy = new Argument<string>("policy") { Description = "The .policy file." }.RejectingOptions();
        var rules = new Option<string?>("--rules") { Description = "The implementation-rules (.rules) file." };
        var applications = new Option<string>("--applications") { Description = "Applications (.json or .csv), as for eval.", Required = true };
        var enterprise = new Option<string?>("--enterprise") { Description = "Only this enterprise's notice (default: one notice per enterprise, one a page)." };
        var format = new Option<string>("--format") { Description = "html (default) or pdf (through headless Chromium, /usr/bin/chromium).", DefaultValueFactory = _ => "html" };
        format.AcceptOnlyFromAmong("html", "pdf");
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (pdf needs it; html default: standard output)." };
        var lang = CommandHelpers.LangOption();
        var inputEncoding = new Option<string?>("--input-encoding") { Description = "The applications file's text encoding when it is not UTF-8 (gb18030 for a GBK export), as for eval." };
        var command = new Command("notice", "Write the award notice (奖励（补助）核定结果) of each enterprise: its applications numbered from 1, the clauses quoted, what was applied for, each condition and cap, what is paid and by whom.")
        {
            policy, rules, applications, enterprise, format, output, lang, inputEncoding,
        };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(policy), parseResult.GetValue(rules), parseResult.GetRequiredValue(applications),
            parseResult.GetValue(enterprise), parseResult.GetRequiredValue(format), parseResult.GetValue(output), parseResult.GetValue(lang),
            CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult), parseResult.GetValue(inputEncoding)));
        return command;
    }

    internal static int Run(string policyPath, string? rulesPath, string applicationsPath, string? enterprise, string format, string? outPath, string? langCode,
        TextWriter output, TextWriter error, string? inputEncoding = null)
    {
        var inputFormat = Path.GetExtension(applicationsPath).ToLowerInvariant() switch { ".json" => "json", ".csv" => "csv", _ => null };
        if (inputFormat is null)
        {
            error.WriteLine($"policyc: {applicationsPath}: the applications file must be .json or .csv");
            return ExitCodes.Usage;
        }
        if (format == "pdf" && outPath is null)
        {
            error.WriteLine("policyc: --format pdf needs -o FILE.pdf");
            return ExitCodes.Usage;
        }
        var encoding = inputEncoding is null ? null : EvalCommand.TextEncoding(inputEncoding);
        if (inputEncoding is not null && encoding is null)
        {
            error.WriteLine($"policyc: --input-encoding {inputEncoding}: {EvalCommand.UnknownEncoding}");
            return ExitCodes.Usage;
        }
        if (!CommandHelpers.AllFilesExist([applicationsPath], error)) return ExitCodes.Usage;
        if (ReportCommand.LoadPolicy(policyPath, rulesPath, error, out var policy) is { } code) return code;

        var html = new StringWriter { NewLine = "\n" };
        var sink = new NoticeSink(policy!, html, Lang.For(policy!, langCode), enterprise);
        using (var file = File.OpenRead(applicationsPath))
        using (var input = EvalCommand.AsUtf8(file, encoding))
        {
            EvalSummary summary;
            try
            {
                summary = StreamingEvaluator.Run(policy!, input, inputFormat, sink, null, new EvalOptions());
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or DecoderFallbackException)
            {
                // A file that cannot be read as applications (a CSV header without its columns, an empty file): as eval says it.
                error.WriteLine($"policyc: {applicationsPath}: {EvalCommand.Unreadable(e)}");
                return ExitCodes.Usage;
            }
            if (summary.Malformed is not null)
            {
                error.WriteLine($"policyc: {applicationsPath}: {summary.Malformed}");
                return ExitCodes.Usage;
            }
        }
        if (sink.Count == 0)
        {
            var why = sink.FirstRejected is { } first ? $" (the first rejected row, {first.RowLabel}: {first.Reason})" : "";
            error.WriteLine((enterprise is null ? "policyc: no application was evaluated: no notice to write" : $"policyc: no evaluated application of enterprise '{enterprise}'") + why);
            return ExitCodes.Errors;
        }
        var utf8 = new UTF8Encoding(false);
        if (format == "html")
        {
            if (outPath is null) { CommandHelpers.Document(output).Write(html.ToString()); return ExitCodes.Success; }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            File.WriteAllText(outPath, html.ToString(), utf8);
            error.WriteLine($"policyc: wrote {sink.Count} notice(s) to {outPath}");
            return ExitCodes.Success;
        }
        return Pdf(html.ToString(), Path.GetFullPath(outPath!), sink.Count, error);
    }

    /// <summary>Prints the HTML to PDF with headless Chromium (a throwaway profile; no network is needed: the page is self-contained).</summary>
    private static int Pdf(string html, string pdfPath, int count, TextWriter error)
    {
        if (!File.Exists(Chromium))
        {
            error.WriteLine($"policyc: {Chromium} is missing: install chromium (apt-get install -y chromium fonts-noto-cjk) or write --format html");
            return ExitCodes.Usage;
        }
        var work = Directory.CreateTempSubdirectory("policyc-notice-").FullName;
        try
        {
            var page = Path.Combine(work, "notice.html");
            File.WriteAllText(page, html, new UTF8Encoding(false));
            Directory.CreateDirectory(Path.GetDirectoryName(pdfPath)!);
            var info = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--user-data-dir=" + Path.Combine(work, "profile"), "--no-pdf-header-footer", "--print-to-pdf=" + pdfPath, new Uri(page).AbsoluteUri })
                info.ArgumentList.Add(arg);
            using var process = Process.Start(info)!;
            _ = process.StandardOutput.ReadToEndAsync();
            var log = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000)) { process.Kill(true); error.WriteLine("policyc: chromium did not finish within 120 s"); return ExitCodes.Errors; }
            if (process.ExitCode != 0 || !File.Exists(pdfPath))
            {
                error.WriteLine($"policyc: chromium failed ({process.ExitCode}): {log.Result}");
                return ExitCodes.Errors;
            }
            error.WriteLine($"policyc: wrote {count} notice(s) to {pdfPath}");
            return ExitCodes.Success;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
