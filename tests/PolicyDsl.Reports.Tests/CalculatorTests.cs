using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// The calculator page (policyc calculator) in headless Chromium: a link with facts in its fragment shows the
/// interpreter's award in data-paid and its bound cap in data-bound; and random applications of the samples, opened one
/// after another through the page's own fragment handling (one page load per sample), show what the interpreter computes.
/// </summary>
public sealed class CalculatorTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DumpDom(string htmlPath, string fragment = "")
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install it with `apt-get install -y chromium` (as .ci/run does).");
        var profile = Directory.CreateDirectory(_dir.File("profile-" + Guid.NewGuid().ToString("N"))).FullName;
        var info = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                     "--virtual-time-budget=5000", "--dump-dom", new Uri(htmlPath).AbsoluteUri + fragment })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(180_000), "chromium did not finish within 180 s");
        Assert.Equal(0, process.ExitCode);
        var errors = stderr.Result.Split('\n').Where(l => Regex.IsMatch(l, @"CONSOLE|Uncaught|net::ERR_|Failed to load|Refused to", RegexOptions.IgnoreCase)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return stdout.Result;
    }

    private static string Attribute(string dom, string id, string attribute)
    {
        var tag = Regex.Match(dom, "<[a-z]+ [^>]*id=\"" + id + "\"[^>]*>");
        Assert.True(tag.Success, "no element #" + id);
        var value = Regex.Match(tag.Value, attribute + "=\"([^\"]*)\"");
        Assert.True(value.Success, "#" + id + " has no " + attribute);
        return System.Net.WebUtility.HtmlDecode(value.Groups[1].Value);
    }

    [Theory]
    [InlineData("rated_shortboard_project=true&rd_investment=500000", false)]
    [InlineData("rated_shortboard_project=true&rd_investment=50000000", true)]
    public void A_link_with_facts_in_its_fragment_shows_the_award_in_the_dom(string facts, bool capBinds)
    {
        var page = _dir.File("tongzhou.html");
        var (code, _, err) = Support.Policyc("calculator", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "-o", page);
        Assert.True(code == 0, err);
        var dom = DumpDom(page, "#rule=shortboard_project_rd&" + facts + "&date=2026-06-01");

        var rule = Support.Sample.FindRule("shortboard_project_rd")!;
        var given = Facts.Empty;
        foreach (var pair in facts.Split('&').Select(p => p.Split('=')))
            given = pair[1] == "true" ? given.With(pair[0], true) : given.With(pair[0], decimal.Parse(pair[1], CultureInfo.InvariantCulture));
        var expected = RuleEvaluator.Evaluate(Support.Sample, rule, given, new DateOnly(2026, 6, 1));
        Assert.True(expected.Eligible && expected.Amount > 0m);
        Assert.Equal(PlanTexts.Number(expected.Amount), Attribute(dom, "award", "data-paid"));
        Assert.Equal(expected.BoundBy ?? "", Attribute(dom, "bound", "data-bound"));
        Assert.Equal(capBinds, expected.BoundBy is not null);
        Assert.Contains("<ol id=\"trace\"><li data-kind=\"Condition\">", dom);
        Assert.Contains("补短板", dom); // the clause's sentence, in the policy's language
        Assert.Contains("计算过程", dom);
        // The explanation speaks the policy's language too (the plan's step words read through StepWords).
        var trace = Regex.Match(dom, "<ol id=\"trace\">(.*?)</ol>", RegexOptions.Singleline).Value;
        Assert.Contains("满足", trace);
        Assert.Contains(capBinds ? "触及上限" : "未触及上限", trace);
        Assert.Contains("上限：单个项目累计最高不超过200分", trace);
        Assert.DoesNotMatch(@"(?<![\w-])(holds|fails|binds|does not bind|award formula|requires|award of|points)(?![\w-])", trace);
    }

    /// <summary>§27.1 on the page: the window year comes from the page's date and the event's date (no field of its own); the
    /// fifth year of Liuhe's 绩效奖励 pays 50% of 600万元 after the policy's end, the sixth nothing (as TimeEvalTests shows through eval).</summary>
    [Theory]
    [InlineData("2029-03-01", "3000000")]
    [InlineData("2030-03-01", "0")]
    public void A_link_to_a_window_rule_pays_the_window_year_of_the_pages_date(string date, string paid)
    {
        var page = _dir.File("liuhe.html");
        var policy = Path.Combine(Support.Root, "samples/liuhe-2023/liuhe-2023.policy");
        var (code, _, err) = Support.Policyc("calculator", policy, "--rules", Path.ChangeExtension(policy, ".rules"), "-o", page);
        Assert.True(code == 0, err);
        var fragment = "#rule=" + Uri.EscapeDataString("绩效奖励") + "&" + string.Join("&", new[]
        {
            ("重点产业新建项目", "true"), ("实现税收日期", "2025-06-01"), ("上一窗口年度已获", "true"), ("年度税收", "100"), ("用地面积", "10"),
            ("年度地方财政贡献", "600"), ("窗口年度", "1"), // a window year in a link is no field: ignored
        }.Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2))) + "&date=" + date;
        var dom = DumpDom(page, fragment);
        Assert.Equal(paid, Attribute(dom, "award", "data-paid"));
        Assert.DoesNotContain("id=\"fact-窗口年度\"", dom);
        Assert.Contains("id=\"fact-实现税收日期\"", dom);
    }

    [Fact]
    public void The_page_agrees_with_the_interpreter_on_random_applications_of_the_samples()
    {
        var total = 0;
        var diffs = new List<string>();
        foreach (var (name, policy) in JsDifferential.Samples().Where(s => s.Name is "tongzhou-2026" or "liuhe-2023" or "nanjing-jiangbei-2026" or "liuhe-earlier"))
        {
            // What a form can hold: every declared fact given (not the derived window year), members declared; the page always has a date.
            var cases = JsDifferential.Cases(policy, perRule: name == "tongzhou-2026" ? 80 : 40, seed: name.Length * 104729)
                .Where(c => c.Facts.Values.Count == policy.FindRule(c.Rule)!.Facts.Count(f => !f.Derived) && c.Facts.Values.All(kv =>
                    policy.FindRule(c.Rule)!.FindFact(kv.Key) is { } f && (kv.Value is not MemberValue m || f.FindMember(m.Key) is not null)))
                .Select(c =>
                {
                    var on = c.On ?? new DateOnly(2026, 6, 1);
                    return c with { On = on, Expected = RuleEvaluator.Evaluate(policy, policy.FindRule(c.Rule)!, c.Facts, on) };
                })
                .ToList();
            var fragments = new JsonArray(cases.Select(c => (JsonNode)JsonValue.Create(Fragment(c))!).ToArray());
            var html = Calculator.Html(policy, Lang.For(policy)).Html;
            var driver = "<pre id=\"results\"></pre><script>\nconst fragments = " + fragments.ToJsonString() + ";\n" + """
                const out = fragments.map((f) => {
                  PolicyCalculator.open(f);
                  const award = document.getElementById("award"), bound = document.getElementById("bound");
                  return [award.getAttribute("data-paid"), bound.getAttribute("data-bound"), award.getAttribute("data-eligible")];
                });
                document.getElementById("results").textContent = JSON.stringify(out);
                </script>
                """;
            var path = _dir.Write(name + ".html", html.Replace("</body>", driver + "</body>", StringComparison.Ordinal));
            var dom = DumpDom(path);
            var json = System.Net.WebUtility.HtmlDecode(Regex.Match(dom, "<pre id=\"results\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value);
            var got = JsonSerializer.Deserialize<List<List<string>>>(json)!;
            Assert.Equal(cases.Count, got.Count);
            for (var i = 0; i < cases.Count; i++)
            {
                var e = cases[i].Expected;
                var expected = PlanTexts.Number(e.Amount) + " | " + (e.BoundBy ?? "") + " | " + (e.Eligible ? "true" : "false");
                var actual = string.Join(" | ", got[i]);
                if (expected != actual) diffs.Add(name + " #" + Fragment(cases[i]) + ": interpreter " + expected + ", page " + actual);
            }
            total += cases.Count;
        }
        output.WriteLine(total + " applications through the page");
        Assert.True(diffs.Count == 0, diffs.Count + " differences, the first:\n" + string.Join("\n", diffs.Take(10)));
        Assert.True(total >= 1000, "only " + total + " applications");
    }

    /// <summary>The fragment a link to the case has: rule=, facts by name (yes/no true/false, members by key), date=.</summary>
    private static string Fragment(JsDifferential.Case c)
    {
        var parts = new List<string> { "rule=" + Uri.EscapeDataString(c.Rule) };
        foreach (var (name, value) in c.Facts.Values)
        {
            var text = value switch
            {
                QuantityValue q => q.Value.ToString(CultureInfo.InvariantCulture),
                YesNoValue y => y.Value ? "true" : "false",
                _ => value.ToString()!,
            };
            parts.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(text));
        }
        parts.Add("date=" + c.On!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return "#" + string.Join("&", parts);
    }
}
