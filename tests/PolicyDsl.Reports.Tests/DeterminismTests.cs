namespace PolicyDsl.Reports.Tests;

/// <summary>Same input, same bytes, whatever the current culture (numbers, dates, casing are invariant).</summary>
public sealed class DeterminismTests
{
    private static readonly string[] Cultures = ["tr-TR", "ar-SA", "de-DE", "zh-CN"];

    [Fact]
    public void Catalogue_is_identical_under_every_culture()
    {
        var policy = Support.Sample;
        var html = Support.InCulture("en-US", () => PolicyReport.Html(policy).Text);
        var md = Support.InCulture("en-US", () => PolicyReport.Markdown(policy));
        Assert.Contains("2,000,000", html + string.Join("", md.Files.Select(f => f.Content)) + md.Text); // grouping is the invariant one
        foreach (var culture in Cultures)
        {
            Assert.Equal(html, Support.InCulture(culture, () => PolicyReport.Html(policy).Text));
            var other = Support.InCulture(culture, () => PolicyReport.Markdown(policy));
            Assert.Equal(md.Text, other.Text);
            Assert.Equal(md.Files, other.Files);
        }
    }

    [Fact]
    public void Eval_outputs_are_identical_under_every_culture()
    {
        string[] Run(string culture) => Support.InCulture(culture, () => new[] { "json", "csv", "md", "html" }.Select(format =>
            Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath,
                "--applications", Support.SampleApplicationsPath, "--format", format, "--trace").Out).ToArray());
        var reference = Run("en-US");
        Assert.Contains("\"amount\":3.5,", reference[0]); // a decimal point, not a comma
        foreach (var culture in Cultures) Assert.Equal(reference, Run(culture));
    }
}
