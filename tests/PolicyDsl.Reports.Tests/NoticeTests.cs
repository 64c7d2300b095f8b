using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PolicyDsl.Reports.Tests;

/// <summary>policyc notice: the award notice per enterprise, as HTML and as PDF (headless Chromium), its pages rendered to images and looked at.</summary>
public sealed class NoticeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string[] Args(params string[] extra) =>
        new[] { "notice", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", Support.SampleApplicationsPath }.Concat(extra).ToArray();

    [Fact]
    public void A_notice_numbers_from_1_quotes_the_clause_and_says_what_is_paid()
    {
        var (code, html, error) = Support.Policyc(Args("--enterprise", "E90"));
        Assert.True(code == 0, error);
        Assert.Contains("奖励（补助）核定结果", html);
        Assert.Contains("致：E90", html);
        Assert.Contains("<h2>1. 第7条", html);
        Assert.DoesNotContain("<h2>0.", html);
        var rule = Support.Sample.FindRule("outage_insurance")!;
        Assert.Contains(Templates.Html.Encode(rule.Source), html);            // the clause quoted
        Assert.Contains("实际缴纳“三停”保费（不含税价）", html);                 // what was applied for, by its description
        Assert.Contains("单个企业年度累计最高不超过50分", html);                    // the cap, in the policy's words
        // Each paid element carries the amount the evaluation paid (here checked against eval's JSON).
        var json = System.Text.Json.JsonDocument.Parse(Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath,
            "--applications", Support.SampleApplicationsPath, "--format", "json").Out);
        var paid = json.RootElement.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("enterprise").GetString() == "E90"
            && r.GetProperty("status").GetString() == "evaluated").Select(r => r.GetProperty("paid").GetDecimal()).ToList();
        var shown = Regex.Matches(html, "data-paid=\"([0-9.,]+)分\"").Select(m => decimal.Parse(m.Groups[1].Value, NumberStyles.Number, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(paid, shown);
        Assert.Equal(1, Support.Policyc(Args("--enterprise", "NOBODY")).Code);
        Assert.Contains("Award decision", Support.Policyc(Args("--enterprise", "E90", "--lang", "en")).Out);
    }

    private static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), file + " did not finish");
        Assert.True(p.ExitCode == 0, file + ": " + stderr.Result);
        return stdout.Result;
    }

    /// <summary>A file that cannot be read as applications (a CSV header without its columns, an empty CSV, a JSON file that
    /// ends early) is a usage error that says why, as in eval: the notice command threw on the first two.</summary>
    [Fact]
    public void An_unreadable_applications_file_is_a_usage_error_not_a_crash()
    {
        foreach (var (name, text, expected) in new[]
                 {
                     ("header.csv", "id,enterprise\nA1,E1\n", "the CSV header lacks the column(s) rule, date"),
                     ("empty.csv", "", "the CSV file is empty: expected a header line"),
                     ("short.json", "{\"applications\": [", "the file ends inside the applications"),
                 })
        {
            var path = _dir.File(name);
            File.WriteAllText(path, text);
            var (code, _, err) = Support.Policyc("notice", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", path);
            Assert.Equal(2, code);
            Assert.Contains($"policyc: {path}: ", err, StringComparison.Ordinal);
            Assert.Contains(expected, err, StringComparison.Ordinal);
        }
    }

    /// <summary>A GBK file: with no notice written the command says why (the first rejected row's reason: not UTF-8), and
    /// with --input-encoding gb18030 both enterprises get their notice under their own names.</summary>
    [Fact]
    public void A_GBK_file_says_why_no_notice_was_written_and_is_read_with_its_encoding()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var path = _dir.File("gbk.csv");
        File.WriteAllBytes(path, System.Text.Encoding.GetEncoding("GB18030").GetBytes(
            "id,enterprise,rule,date,fact.attached_to_property_insurance,fact.premium\n" +
            "A1,北京化工,outage_insurance,2026-02-06,true,1534487.25\nA2,北京电子,outage_insurance,2026-02-07,true,1534487.25\n"));
        var (code, _, err) = Support.Policyc("notice", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", path);
        Assert.Equal(1, code);
        Assert.Contains("no notice to write (the first rejected row, line 2: the record is not UTF-8 text (it holds the byte 0x", err, StringComparison.Ordinal);
        var (named, html, namedErr) = Support.Policyc("notice", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", path, "--input-encoding", "gb18030");
        Assert.True(named == 0, namedErr);
        Assert.Contains("北京化工", html, StringComparison.Ordinal);
        Assert.Contains("北京电子", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pdf_notice_renders_to_legible_pages()
    {
        Assert.True(File.Exists(Cli.NoticeCommand.Chromium), "chromium is missing: .ci/run installs it");
        Assert.True(File.Exists("/usr/bin/pdftoppm"), "pdftoppm is missing: apt-get install -y poppler-utils (as .ci/run does)");
        var pdf = _dir.File("notice.pdf");
        var (code, _, error) = Support.Policyc(Args("--enterprise", "E90", "--format", "pdf", "-o", pdf));
        Assert.True(code == 0, error);
        Assert.Equal("%PDF", File.ReadAllText(pdf)[..4]);
        var pages = int.Parse(Regex.Match(Run("/usr/bin/pdfinfo", pdf), @"Pages:\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(pages, 1, 6); // three applications: a page or so each, not one per line
        // Every page as a grey image (PGM: a header and one byte a pixel): ink on white, neither blank nor black.
        Run("/usr/bin/pdftoppm", "-gray", "-r", "40", pdf, _dir.File("page"));
        var images = Directory.GetFiles(_dir.Path, "page*.pgm").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(pages, images.Count);
        Run("/usr/bin/pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", pdf, _dir.File("first")); // a PNG of page 1 to look at when it fails
        foreach (var image in images)
        {
            var bytes = File.ReadAllBytes(image);
            var header = Regex.Match(System.Text.Encoding.ASCII.GetString(bytes, 0, 40), @"^P5\s+(\d+)\s+(\d+)\s+255\s");
            Assert.True(header.Success, image);
            var (w, h) = (int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(header.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.True(w < h, "an A4 page is portrait");
            var pixels = bytes.AsSpan(header.Length, w * h);
            var ink = 0;
            foreach (var b in pixels) if (b < 128) ink++;
            var share = (double)ink / (w * h);
            Assert.InRange(share, 0.004, 0.25);
        }
    }
}
