using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// The HTML reports open in a real browser (Debian's chromium, headless) without console errors or failed
/// loads, and the rendered DOM shows every clause. Chromium is required: .ci/run installs it; a machine
/// without it fails here with a message saying how to install it.
/// </summary>
public sealed class ChromiumTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void RequireChromium() =>
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install it with `apt-get install -y chromium` (as .ci/run does). The HTML reports are tested in a real browser.");

    /// <summary>Runs headless chromium on a file; returns the dumped DOM and the browser's stderr log.</summary>
    private (string Dom, string Log) DumpDom(string htmlPath)
    {
        RequireChromium();
        var profile = Directory.CreateDirectory(_dir.File("profile-" + Guid.NewGuid().ToString("N"))).FullName;
        var info = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                     "--virtual-time-budget=2000", "--dump-dom", new Uri(htmlPath).AbsoluteUri })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "chromium did not finish within 60 s");
        Assert.Equal(0, process.ExitCode);
        return (stdout.Result, stderr.Result);
    }

    /// <summary>Console messages (JS errors, CSP or mixed-content complaints) and failed loads; D-Bus noise of a container is not the page's.</summary>
    private static List<string> PageErrors(string log) => log.Split('\n')
        .Where(l => Regex.IsMatch(l, @"CONSOLE|Uncaught|net::ERR_|Failed to load|Refused to|Not allowed to load", RegexOptions.IgnoreCase))
        .ToList();

    [Fact]
    public void Catalogue_renders_in_chromium_with_every_clause_and_no_errors()
    {
        var path = _dir.Write("catalogue.html", PolicyReport.Html(Support.Sample).Text);
        var (dom, log) = DumpDom(path);
        Assert.Empty(PageErrors(log));
        for (var n = 1; n <= 21; n++) Assert.Contains($"<article class=\"clause\" id=\"clause-{n}\">", dom);
        Assert.Contains("智能制造成熟度评估认定奖励", dom);
        Assert.Equal(10, Regex.Matches(dom, "<svg ").Count); // the ten formula rules' charts
        Assert.DoesNotContain("<script", dom);
    }

    [Fact]
    public void Hostile_policy_text_stays_text_in_the_browser()
    {
        var path = _dir.Write("hostile.html", PolicyReport.Html(Support.Compile(InjectionTests.Hostile)).Text);
        var (dom, log) = DumpDom(path);
        Assert.Empty(PageErrors(log));
        Assert.DoesNotContain("<script", dom);
        Assert.DoesNotContain("<img", dom);
        Assert.Contains("Rule &lt;script&gt;alert(1)&lt;/script&gt;", dom); // shown as text
        Assert.Contains("{{ 7 | times: 6 }}", dom);
    }

    [Fact]
    public void Award_report_renders_in_chromium()
    {
        var path = _dir.File("awards.html");
        Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", Support.SampleApplicationsPath, "--format", "html", "-o", path);
        var (dom, log) = DumpDom(path);
        Assert.Empty(PageErrors(log));
        Assert.Contains("企业 E90", dom); // a Chinese policy's award report is in Chinese
        Assert.Contains("B05", dom);
        Assert.Contains("<ol class=\"trace\">", dom);
    }
    [Fact]
    public void Html_diff_of_the_two_Liuhe_versions_renders_in_chromium()
    {
        // Issue 15 "Done when": policyc diff on the two Liuhe versions names each changed article, and its HTML renders.
        var (code, html, err) = Support.Policyc("diff", Path.Combine(Support.Root, "samples/liuhe-earlier/liuhe-earlier.policy"),
            Path.Combine(Support.Root, "samples/liuhe-2023/liuhe-2023.policy"), "--format", "html");
        Assert.True(code == 0, err);
        var path = _dir.Write("diff.html", html);
        var (dom, log) = DumpDom(path);
        Assert.Empty(PageErrors(log));
        Assert.DoesNotContain("<script", dom);
        Assert.Contains("<h3>changed clause 15 鼓励企业挂牌上市 (was clause 12 企业挂牌上市奖励补助)</h3>", dom);
        Assert.Contains("+ qualifies on: 启动建设日期", dom); // §27.12, a line the earlier version has not
        Assert.True(Regex.Matches(dom, "<h3>(changed|added|removed) clause ").Count >= 10, "fewer than 10 clauses named in the rendered diff");
    }
}
