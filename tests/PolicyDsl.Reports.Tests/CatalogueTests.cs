using System.Globalization;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Tests;

public sealed class CatalogueTests
{
    private static readonly CheckedPolicy Policy = Support.Sample;

    private static decimal ParseAmount(string text) =>
        decimal.Parse(text.Split(' ')[0], NumberStyles.Number, CultureInfo.InvariantCulture);

    [Fact]
    public void Html_catalogue_has_every_clause_1_to_21_and_every_rule()
    {
        var html = PolicyReport.Html(Policy).Text;
        for (var n = 1; n <= 21; n++) Assert.Contains($"id=\"clause-{n}\"", html);
        Assert.Equal(31, Policy.Rules.Count());
        foreach (var rule in Policy.Rules)
        {
            Assert.Contains($"id=\"rule-{rule.Name}\"", html);
            Assert.Contains(Templates.Html.Encode(rule.Source), html); // the original text beside the formal rule
        }
    }

    [Fact]
    public void Markdown_catalogue_has_every_clause_and_rule_and_links_its_charts()
    {
        var report = PolicyReport.Markdown(Policy, Lang.En);
        for (var n = 1; n <= 21; n++) Assert.Contains($"### Clause {n} ·", report.Text);
        var zh = PolicyReport.Markdown(Policy).Text; // the policy's own language
        for (var n = 1; n <= 21; n++) Assert.Contains($"### 第{n}条 ·", zh);
        foreach (var rule in Policy.Rules) Assert.Contains($"({MarkdownEncoder.Instance.Encode(rule.Name)})", report.Text);
        Assert.NotEmpty(report.Files);
        foreach (var (file, svg) in report.Files)
        {
            Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg);
            Assert.Contains("](" + MarkdownEncoder.Instance.Encode(file) + ")", report.Text);
        }
    }

    [Fact]
    public void Exposure_totals_equal_the_sum_of_the_proven_maxima()
    {
        var view = CatalogueBuilder.Build(Policy, Lang.En);
        var sum = Policy.Rules.Sum(r => r.ProvenMaximum ?? 0m);
        Assert.True(sum > 0m);
        Assert.Equal(sum, ParseAmount(view.Exposure.Total));
        Assert.Equal(sum * Policy.MoneyPerPoint!.Value, ParseAmount(view.Exposure.TotalMoney));
        Assert.Equal(sum, view.Exposure.Rules.Sum(r => ParseAmount(r.Maximum)));
        Assert.Equal(sum, view.Exposure.Clauses.Sum(r => ParseAmount(r.Maximum)));
        Assert.Equal(sum, view.Exposure.Departments.Sum(r => ParseAmount(r.Maximum)));
        Assert.Equal(21, view.Exposure.Clauses.Count);
        // The default payer may pay everything; 南通高新区 pays half of clauses 1-15 only.
        Assert.Equal(sum, ParseAmount(view.Exposure.Governments.Single(g => g.Label == "区财政").Maximum));
        var shared = Policy.Rules.Where(r => r.Clause < 16).Sum(r => r.ProvenMaximum ?? 0m) * 0.5m;
        Assert.Equal(shared, ParseAmount(view.Exposure.Governments.Single(g => g.Label == "南通高新区").Maximum));
        Assert.Contains(view.Exposure.Total, PolicyReport.Html(Policy, Lang.En).Text);
    }

    [Fact]
    public void Every_formula_rule_has_a_chart_whose_bind_point_is_where_the_cap_binds()
    {
        var view = CatalogueBuilder.Build(Policy, Lang.En);
        var rules = view.Sections.SelectMany(s => s.Clauses).SelectMany(c => c.Rules).ToList();
        var charted = rules.Where(r => r.Chart is not null).Select(r => r.Name).ToList();
        Assert.Equal(
            new[] { "shortboard_project_rd", "outage_insurance", "protection_equipment", "leased_protection", "overseas_exhibition",
                    "sci_project_rent", "industry_university_cooperation", "early_stage_investment", "tourism_fair_booth", "tour_group_visitors" },
            charted);
        foreach (var r in rules.Where(r => r.Chart is not null))
        {
            var rule = Policy.FindRule(r.Name)!;
            var chart = r.Chart!;
            var typical = Charts.TypicalFacts(Policy, rule, chart.BaseFact);
            var bindsFrom = decimal.Parse(chart.BindsFrom, NumberStyles.Number, CultureInfo.InvariantCulture);
            var above = RuleEvaluator.Evaluate(Policy, rule, typical.With(chart.BaseFact, bindsFrom * 1.01m));
            var below = RuleEvaluator.Evaluate(Policy, rule, typical.With(chart.BaseFact, bindsFrom * 0.99m));
            Assert.NotNull(above.BoundBy);
            Assert.Null(below.BoundBy);
            Assert.Contains("class=\"capped\"", chart.Svg);
            Assert.Contains("class=\"free\"", chart.Svg);
        }
        // A fixed-amount rule gets no chart.
        Assert.Null(rules.Single(r => r.Name == "municipal_tech_center").Chart);
    }

    [Fact]
    public void Clause_6_reads_in_plain_words_with_its_cap_money_ceiling_and_cost_sharing()
    {
        var rule = CatalogueBuilder.Build(Policy, Lang.En).Sections.SelectMany(s => s.Clauses).Single(c => c.Number == "6").Rules.Single();
        Assert.Equal("10% of rd_investment, in points (10,000 yuan a point)", rule.Formula.En);
        Assert.Equal("项目研发总投入的10%，折算为分（每分10,000元）", rule.Formula.Zh);
        Assert.Equal("200 points per project cumulative over the validity", rule.Caps.Single().En);
        Assert.Equal("单个项目累计最高不超过200分", rule.Caps.Single().Zh);
        Assert.Equal("2,000,000 yuan", rule.Caps.Single().Money);
        Assert.Equal("200 points", rule.ProvenMaximum);
        Assert.Contains("南通高新区 50%", rule.Payment.En);
        // Clause 16 is excepted from the sharing.
        var c16 = CatalogueBuilder.Build(Policy, Lang.En).Sections.SelectMany(s => s.Clauses).Single(c => c.Number == "16").Rules.Single();
        Assert.Contains("not shared (clause 16 is excepted)", c16.Payment.En);
    }

    [Fact]
    public void Html_is_one_self_contained_printable_page()
    {
        var html = PolicyReport.Html(Policy).Text;
        Assert.Contains("@media print", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("url(", html);
        Assert.DoesNotContain("@import", html);
        // Every link stays in the page; the only absolute URI is the SVG namespace (a name, never loaded).
        Assert.All(System.Text.RegularExpressions.Regex.Matches(html, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value), h => Assert.StartsWith("#", h));
        Assert.Equal(
            System.Text.RegularExpressions.Regex.Matches(html, "https?://").Count,
            System.Text.RegularExpressions.Regex.Matches(html, "xmlns=\"http://www.w3.org/2000/svg\"").Count);
    }

    [Fact]
    public void A_cap_near_decimal_max_renders_without_overflow()
    {
        var policy = Support.Compile("""
            policy Big "Big"
              points worth at most 10000 yuan
              paid by "Treasury"
            section 1 "S" department "D"
              clause 1 "C"
                rule a "A"
                  fact fee: yuan "fee"
                  award 10% of fee in points
                  cap 79228162514264337593543950335 points per project
                rule b "B"
                  award 79228162514264337593543950335 points
                  cap 79228162514264337593543950335 points
            """);
        var view = CatalogueBuilder.Build(policy);
        Assert.Equal("beyond the decimal range", view.Exposure.Total);
        Assert.Contains("more than", view.Exposure.Rules[0].Money);
        Assert.Contains("beyond the decimal range", PolicyReport.Html(policy).Text);
        Assert.Contains("beyond the decimal range", PolicyReport.Markdown(policy).Text);
    }

    [Fact]
    public void General_chapters_are_rendered_in_their_place_among_the_sections()
    {
        // Liuhe 2023: 一、二 are sections; 三、组织保障, 四、政策兑现, 五、其他 are chapters of general provisions (§29).
        var policy = Support.Compile(File.ReadAllText(Path.Combine(Support.Root, "samples/liuhe-2023/liuhe-2023.policy")),
            File.ReadAllText(Path.Combine(Support.Root, "samples/liuhe-2023/liuhe-2023.rules")));
        var md = PolicyReport.Markdown(policy).Text;
        var headings = md.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Take(5).ToList();
        Assert.Equal(["## 1. 政策支持", "## 2. 支持范围", "## 3. 组织保障", "## 4. 政策兑现", "## 5. 其他"], headings);
        // Each provision under its own chapter: 第20条 under 三, 第21-22条 under 四, 第23条 under 五.
        Assert.True(md.IndexOf("## 3. 组织保障", StringComparison.Ordinal) < md.IndexOf("### 第20条", StringComparison.Ordinal));
        Assert.True(md.IndexOf("### 第20条", StringComparison.Ordinal) < md.IndexOf("## 4. 政策兑现", StringComparison.Ordinal));
        Assert.True(md.IndexOf("### 第22条", StringComparison.Ordinal) < md.IndexOf("## 5. 其他", StringComparison.Ordinal));

        var html = PolicyReport.Html(policy).Text;
        var nav = System.Text.RegularExpressions.Regex.Match(html, "<nav>.*?</nav>").Value;
        Assert.Contains("<a href=\"#section-2\">2. 支持范围</a> · <a href=\"#general\">3. 组织保障</a> · <a href=\"#general-2\">4. 政策兑现</a> · <a href=\"#general-3\">5. 其他</a>", nav);
        Assert.True(html.IndexOf("<section id=\"section-2\">", StringComparison.Ordinal) < html.IndexOf("<section id=\"general\">", StringComparison.Ordinal));
        Assert.True(html.IndexOf("<h2>4. 政策兑现</h2>", StringComparison.Ordinal) < html.IndexOf("<h2>5. 其他</h2>", StringComparison.Ordinal));
        // Non-monetary provisions are listed under their own chapter's title.
        var view = CatalogueBuilder.Build(policy);
        Assert.Contains(view.Exposure.CannotBound, c => c.StartsWith("组织保障 20 · 重点产业工作领导小组", StringComparison.Ordinal));
        Assert.Contains(view.Exposure.CannotBound, c => c.StartsWith("政策兑现 21 ·", StringComparison.Ordinal));
    }

    [Fact]
    public void A_general_chapter_between_two_sections_is_rendered_between_them()
    {
        var policy = Support.Compile("""
            policy Demo "Chapters"
              effective 2026-01-01 through 2026-12-31
            section 1 "Scope" department "D"
              clause 1 "C"
                rule a "A"
                  award 1 wan-yuan
            general "Organisation"
              provision 1 "Group"
                source "成立领导小组。"
            section 2 "Talent" department "D"
              clause 2 "T"
                rule b "B"
                  award 2 wan-yuan
            """);
        var md = PolicyReport.Markdown(policy, Lang.En).Text;
        var order = new[] { "## 1. Scope", "## Organisation", "### Provision 1 · Group", "## 2. Talent", "## " + Lang.En["Exposure"] }
            .Select(h => md.IndexOf(h, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }
}
