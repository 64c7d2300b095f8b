using System.Globalization;
using System.Text.RegularExpressions;
using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Reports.Tests;

/// <summary>Reports an official would sign: the policy's language, amounts in the author's unit, round chart ticks, stated exposure assumptions.</summary>
public sealed class PublishingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly CheckedPolicy Tongzhou = Support.Sample;

    /// <summary>The page's visible text, without code (identifiers the author chose), styles and the author's own notes and sources.</summary>
    private static string VisibleText(string html)
    {
        html = Regex.Replace(html, "<style>.*?</style>", " ", RegexOptions.Singleline);
        html = Regex.Replace(html, "<code>.*?</code>", " ", RegexOptions.Singleline);
        html = Regex.Replace(html, "<p class=\"(note|original)\">.*?</p>", " ", RegexOptions.Singleline);
        html = Regex.Replace(html, "<div class=\"original\">.*?</div>", " ", RegexOptions.Singleline);
        return System.Net.WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " "));
    }

    [Fact]
    public void A_Chinese_policy_gets_a_Chinese_catalogue_with_no_English_label()
    {
        Assert.Same(Lang.Zh, Lang.For(Tongzhou));
        var html = PolicyReport.Html(Tongzhou).Text;
        Assert.Contains("<html lang=\"zh-CN\">", html);
        var text = VisibleText(html);
        // Every English label of the table, and the unit words, are absent; their Chinese labels are there.
        foreach (var (key, en) in Lang.En.Labels.Where(kv => kv.Value.Length >= 5 && !kv.Key.StartsWith("kind.", StringComparison.Ordinal)))
            Assert.False(Regex.IsMatch(text, "(?<![A-Za-z_])" + Regex.Escape(en) + "(?![A-Za-z_])"), $"English label '{en}' ({key}) in the Chinese catalogue");
        foreach (var word in new[] { " points", " yuan", "per project", "per enterprise", "Paid by", "Clause ", "Meaning", "uncapped" })
            Assert.DoesNotContain(word, text);
        foreach (var zh in new[] { "有效期", "条款", "上限", "资金承担", "资金敞口", "合计的假设", "第6条" }) Assert.Contains(zh, text);
        // The identifiers' descriptions fill the Meaning column: none is empty.
        Assert.DoesNotMatch("<tr><td><code>[^<]*</code></td><td></td>", html);
    }

    [Fact]
    public void Lang_en_overrides_the_policy_language()
    {
        var html = PolicyReport.Html(Tongzhou, Lang.En).Text;
        Assert.Contains("<html lang=\"en\">", html);
        var text = VisibleText(html);
        Assert.Contains("Proven maximum", text);
        Assert.Contains("200 points per project", text);
        var (code, output, _) = Support.Policyc("report", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--format", "md", "--lang", "en");
        Assert.Equal(0, code);
        Assert.Contains("### Clause 6 ·", output);
        Assert.Equal(2, Support.Policyc("report", Support.SamplePolicyPath, "--format", "md", "--lang", "fr").Code);
    }

    [Theory]
    [InlineData(150000000, "zh", "15,000万元")]
    [InlineData(150000000, "en", "15,000 wan yuan")]
    [InlineData(1234, "zh", "1,234元")] // not a whole number of hundreds: yuan
    public void Money_is_shown_in_the_unit_the_author_writes(decimal yuan, string lang, string expected) =>
        Assert.Equal(expected, Amounts.Money(yuan, Unit.WanYuan, lang));

    [Fact]
    public void Amounts_have_no_trailing_zeros_and_singular_points()
    {
        Assert.Equal("200 points", Amounts.Show(200.0000000m, Unit.AwardPoints));
        Assert.Equal("1 point", Amounts.Show(1.00m, Unit.AwardPoints));
        Assert.Equal("200分", Amounts.Show(200.000m, Unit.AwardPoints, "zh"));
        Assert.Equal("25%", Amounts.Show(25.000000000m, Unit.Percent));
        Assert.Equal("1,000万元", Amounts.ShowIn(10_000_000m, Unit.WanYuan, "zh"));
        Assert.Equal("0.002分/(平方米·月)", Amounts.Show(0.002m, Unit.AwardPoints / (Unit.SquareMetres * Unit.Months), "zh"));
    }

    [Fact]
    public void A_condition_on_a_fact_in_wan_yuan_reads_in_wan_yuan()
    {
        var policy = Support.Compile("""
            policy W "万元政策"
              paid by "区财政"
            section 1 "S" department "D"
              clause 1 "C"
                rule big "大项目"
                  source "固定资产投资1亿元以上的，奖励10万元。"
                  fact investment: wan-yuan "固定资产投资"
                  requires investment >= 10000 wan-yuan
                  award 10 wan-yuan
                  cap 10 wan-yuan per project
                rule small "小项目"
                  source "固定资产投资不满1亿元的，奖励5万元。"
                  fact investment: wan-yuan "固定资产投资"
                  requires investment < 10000 wan-yuan
                  award 50000 yuan
                  cap 50000 yuan per project
            """);
        var rules = CatalogueBuilder.Build(policy).Sections[0].Clauses[0].Rules;
        Assert.Equal("固定资产投资不低于10,000万元", rules[0].Conditions.Single().Zh);
        Assert.Contains("10万元", rules[0].ProvenMaximum);
        // Amounts are shown in the unit the author wrote them in: a cap written in yuan stays in yuan.
        Assert.Contains("50,000元", rules[1].ProvenMaximum);
    }

    [Fact]
    public void Chart_ticks_are_round_1_2_5_values_and_none_is_clipped()
    {
        var view = CatalogueBuilder.Build(Tongzhou);
        var charts = view.Sections.SelectMany(s => s.Clauses).SelectMany(c => c.Rules).Where(r => r.Chart is not null).Select(r => r.Chart!).ToList();
        Assert.NotEmpty(charts);
        foreach (var chart in charts)
        {
            var width = decimal.Parse(Regex.Match(chart.Svg, "width=\"(\\d+)\"").Groups[1].Value, CultureInfo.InvariantCulture);
            foreach (var axis in new[] { "xtick", "ytick" })
            {
                var ticks = Regex.Matches(chart.Svg, $"<text class=\"{axis}\" x=\"([0-9.]+)\"[^>]*text-anchor=\"(\\w+)\"[^>]*>([^<]+)</text>")
                    .Select(m => (X: decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Anchor: m.Groups[2].Value,
                        Value: decimal.Parse(m.Groups[3].Value, NumberStyles.Number, CultureInfo.InvariantCulture), Text: m.Groups[3].Value)).ToList();
                Assert.True(ticks.Count >= 3, chart.FileName + " " + axis);
                var step = ticks[1].Value - ticks[0].Value;
                var mantissa = step;
                while (mantissa >= 10m) mantissa /= 10m;
                while (mantissa < 1m) mantissa *= 10m;
                Assert.Contains(mantissa, new[] { 1m, 2m, 5m });
                for (var i = 0; i < ticks.Count; i++) Assert.Equal(step * i, ticks[i].Value);
                // About 7 px a character at 11 px: a tick label stays inside the picture.
                foreach (var t in ticks)
                {
                    var half = t.Text.Length * 3.5m;
                    var (from, to) = t.Anchor == "end" ? (t.X - 2 * half, t.X) : (t.X - half, t.X + half);
                    Assert.True(from >= 0m && to <= width, $"{chart.FileName}: tick {t.Text} at {t.X} is clipped");
                }
            }
            Assert.Contains("font-family=", chart.Svg);
            Assert.DoesNotContain("(yuan)", chart.Svg);
        }
        // The x axis is the fact's description with its unit, in Chinese.
        var c6 = charts.Single(c => c.BaseFact == "rd_investment");
        Assert.Contains("项目研发总投入（元）", c6.Svg);
        Assert.Contains("奖励（分）", c6.Svg);
    }

    [Fact]
    public void A_tier_chart_is_drawn_in_steps()
    {
        var policy = Support.Compile("""
            policy T "Tiers"
              points worth at most 10000 yuan
              paid by "Treasury"
            section 1 "S" department "D"
              clause 1 "C"
                rule per_full "Per full 10000 yuan"
                  fact fee: yuan "fee"
                  award 1 points per full 10000 yuan of fee
                  cap 20 points per project
            """);
        Assert.True(Charts.IsStepped(policy.FindRule("per_full")!));
        var svg = Charts.Build(policy, policy.FindRule("per_full")!, Lang.En, out var missing)!.Svg;
        Assert.Null(missing);
        // A staircase: some consecutive vertices share an x (risers) and some share a y (treads).
        var points = Regex.Match(svg, "class=\"free\"[^>]*points=\"([^\"]+)\"").Groups[1].Value.Split(' ')
            .Select(p => p.Split(',')).Select(p => (X: p[0], Y: p[1])).ToList();
        Assert.Contains(points.Zip(points.Skip(1)), p => p.First.X == p.Second.X && p.First.Y != p.Second.Y);
        Assert.Contains(points.Zip(points.Skip(1)), p => p.First.Y == p.Second.Y && p.First.X != p.Second.X);
    }

    [Fact]
    public void Exposure_states_its_assumptions_and_lists_what_it_cannot_bound()
    {
        var policy = Support.Compile("""
            policy X "Exposure"
              points worth at most 10000 yuan
              paid by "Treasury"
            section 1 "S" department "D"
              clause 1 "Capped"
                rule capped "Capped"
                  fact fee: yuan "fee"
                  award 10% of fee in points
                  cap 20 points per project
              clause 2 "Decided case by case"
                rule special "Special"
                  award case by case "major projects"
            """);
        var view = CatalogueBuilder.Build(policy, Lang.En);
        Assert.Contains(view.Exposure.Assumptions, a => a.Contains("once, by one enterprise, for one project", StringComparison.Ordinal));
        Assert.Contains(view.Exposure.Assumptions, a => a.Contains("per project", StringComparison.Ordinal));
        Assert.Contains(view.Exposure.CannotBound, c => c.Contains("Special", StringComparison.Ordinal) && c.Contains("case by case", StringComparison.Ordinal));
        Assert.Equal("20 points", view.Exposure.Total);
        var html = PolicyReport.Html(policy, Lang.En).Text;
        Assert.Contains("What the totals cannot bound", html);
        Assert.Contains("What the totals assume", html);
    }

    [Fact]
    public void The_award_report_numbers_from_1_names_trace_kinds_and_takes_money_from_what_was_paid()
    {
        var path = _dir.File("awards.md");
        Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", Support.SampleApplicationsPath, "--format", "md", "-o", path);
        var md = File.ReadAllText(path);
        Assert.Contains("## 企业 E01", md);
        Assert.Contains("| 序号 |", md);
        Assert.Contains("\n| 1 | A01 |", md);
        Assert.DoesNotContain("| 0 | A", md);
        Assert.DoesNotContain("RunningTotal", md);
        Assert.Contains("*累计上限*", md);
        // Each row's money is what was paid × 10,000 yuan: a row paid 0 shows 0元 even when its award was higher.
        var rows = Regex.Matches(md, @"\n\| \d+ \| (\w+) \|[^|]*\|[^|]*\| [^|]* \| [^|]* \| ([0-9,.]+)分 \| ([0-9,.]+)元 \|");
        Assert.True(rows.Count >= 10, "the money column of every row is read: " + rows.Count);
        foreach (Match m in rows)
        {
            var paid = decimal.Parse(m.Groups[2].Value, NumberStyles.Number, CultureInfo.InvariantCulture);
            var money = decimal.Parse(m.Groups[3].Value, NumberStyles.Number, CultureInfo.InvariantCulture);
            Assert.Equal(paid * 10_000m, money);
        }
        Assert.Matches(@"\n\| \d+ \| \w+ \|", md);
        var en = Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", Support.SampleApplicationsPath, "--format", "md", "--lang", "en").Out;
        Assert.Contains("## Enterprise E01", en);
        Assert.Contains("*running total*", en);
    }

    [Fact]
    public void A_Chinese_award_report_speaks_Chinese_in_every_trace_step_and_counts_applications_from_1()
    {
        var md = Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", Support.SampleApplicationsPath, "--format", "md").Out;
        Assert.DoesNotContain("index 0", md);
        Assert.Contains("**1. A01** (第1项，第5行)", md);
        var steps = md.Split('\n').Where(l => Regex.IsMatch(l, @"^\d+\. \*")).ToList();
        Assert.True(steps.Count > 50, "trace steps: " + steps.Count);
        // The words the plan and the runtime write steps in; identifiers the author chose (outage_insurance) may stay.
        var english = new Regex(@"(?<![\w-])(holds|fails|binds|does not bind|award formula|running total|points|yuan|paid|requires|award of|pays|used of|round (down|up)|never below)(?![\w-])");
        Assert.All(steps, l => Assert.False(english.IsMatch(l), l));
        Assert.Contains(steps, l => l.Contains("*上限* 上限：单个项目累计最高不超过200分: **触及上限**", StringComparison.Ordinal));
        Assert.Contains(steps, l => l.Contains("*累计上限* 累计上限 ", StringComparison.Ordinal) && l.Contains("：已用", StringComparison.Ordinal));
        // The machine outputs keep the plan's words.
        var csv = Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", Support.SampleApplicationsPath, "--format", "csv", "--trace").Out;
        Assert.Contains("does not bind", csv);
    }
}
