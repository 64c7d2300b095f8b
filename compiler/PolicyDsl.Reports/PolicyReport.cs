using PolicyDsl.Model;

namespace PolicyDsl.Reports;

/// <summary>A rendered report: the main document and the files that go beside it (SVG charts for Markdown).</summary>
public sealed record RenderedReport(string Text, IReadOnlyList<(string FileName, string Content)> Files);

/// <summary>The policy catalogue as one self-contained HTML page or as Markdown with SVG charts beside it.</summary>
public static class PolicyReport
{
    public static RenderedReport Html(CheckedPolicy policy) => Html(policy, Lang.For(policy));

    public static RenderedReport Html(CheckedPolicy policy, Lang lang) =>
        new(Templates.Render("catalogue.html.liquid", Templates.Html, CatalogueBuilder.Build(policy, lang), Extra(lang)), []);

    private static Dictionary<string, object?> Extra(Lang lang) => new() { ["lang"] = lang.Code };

    /// <summary>The HTML catalogue with what the authors' tests exercised, per rule name; a clause none of whose rules is tested says so.</summary>
    public static RenderedReport Html(CheckedPolicy policy, IReadOnlyDictionary<string, RuleCoverageView> coverage) => Html(policy, coverage, Lang.For(policy));

    public static RenderedReport Html(CheckedPolicy policy, IReadOnlyDictionary<string, RuleCoverageView> coverage, Lang lang)
    {
        var view = CatalogueBuilder.Build(policy, lang);
        view = view with
        {
            Sections = view.Sections.Select(s => s with
            {
                Clauses = s.Clauses.Select(c =>
                {
                    var rules = c.Rules.Select(r => coverage.TryGetValue(r.Name, out var rc) ? r with { Coverage = rc } : r).ToList();
                    var untested = c.Rules.All(r => !coverage.TryGetValue(r.Name, out var rc) || rc.Untested.Contains("never applied"));
                    return c with { Rules = rules, Untested = untested ? lang["NoTest"] : null };
                }).ToList(),
            }).ToList(),
        };
        return new(Templates.Render("catalogue.html.liquid", Templates.Html, view, Extra(lang)), []);
    }

    public static RenderedReport Markdown(CheckedPolicy policy) => Markdown(policy, Lang.For(policy));

    public static RenderedReport Markdown(CheckedPolicy policy, Lang lang)
    {
        var view = CatalogueBuilder.Build(policy, lang);
        var charts = view.Sections.SelectMany(s => s.Clauses).SelectMany(c => c.Rules)
            .Where(r => r.Chart is not null).Select(r => (r.Chart!.FileName, r.Chart.Svg + "\n")).ToList();
        return new RenderedReport(Templates.Render("catalogue.md.liquid", Templates.Markdown, view, Extra(lang)), charts);
    }
}
