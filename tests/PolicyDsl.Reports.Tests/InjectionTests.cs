using PolicyDsl.Model;

namespace PolicyDsl.Reports.Tests;

/// <summary>Policy text is data: markup and template syntax in it are printed as text, never interpreted.</summary>
public sealed class InjectionTests
{
    // Every string of this policy is hostile: HTML, quotes, Liquid output and tags.
    internal const string Hostile = """
        policy Inj "Title <script>alert(1)</script> \"double\" 'single' {{ x }} {% raw %}"
          source "Preamble {{ 7 | times: 6 }} {% for i in (1..3) %}loop{% endfor %}"
          effective 2026-01-01 through 2026-12-31
          points worth at most 10000 yuan
          supersedes "Old <b>bold</b> & {{ x }}"
          interpreted by "Dept <script>alert(3)</script>"
          paid by "Payer \"quoted\" {% raw %}"
        section 1 "Section <script>alert(1)</script>" department "Dept {{ x }}"
          clause 1 "Clause \"one\" {% raw %}"
            source "Clause source <img src=x onerror=alert(1)> | * _ [link](http://x)"
            rule r "Rule <script>alert(1)</script>"
              source "Rule source {{ 7 | times: 6 }} </div><script>alert(4)</script>"
              fact premium: yuan "Premium <script>alert(2)</script>"
              award 40% of premium in points
              cap 5 points per enterprise per year
        """;

    private static readonly CheckedPolicy Policy = Support.Compile(Hostile);

    [Fact]
    public void Html_prints_markup_and_template_syntax_as_text()
    {
        var html = PolicyReport.Html(Policy).Text;
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("Title &lt;script&gt;alert(1)&lt;/script&gt; &quot;double&quot; &#x27;single&#x27; {{ x }} {% raw %}", html);
        Assert.Contains("Rule source {{ 7 | times: 6 }} &lt;/div&gt;&lt;script&gt;alert(4)&lt;/script&gt;", html);
        Assert.Contains("{% for i in (1..3) %}loop{% endfor %}", html);
        Assert.DoesNotContain("source 42", html); // {{ 7 | times: 6 }} was not evaluated
        Assert.DoesNotContain("looploop", html);
        Assert.Contains("Payer &quot;quoted&quot; {% raw %}", html);
    }

    [Fact]
    public void Markdown_escapes_markup_and_markdown_syntax()
    {
        var md = PolicyReport.Markdown(Policy).Text;
        Assert.DoesNotContain("<script", md, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", md, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(@"Title &lt;script&gt;alert\(1\)&lt;/script&gt; ""double"" 'single' \{\{ x \}\} \{% raw %\}", md);
        Assert.Contains(@"Clause source &lt;img src=x onerror=alert\(1\)&gt; \| \* \_ \[link\]\(http://x\)", md);
        Assert.DoesNotContain("source 42", md);
        Assert.DoesNotContain("looploop", md);
    }

    [Fact]
    public void Award_reports_escape_policy_text_and_traces()
    {
        using var dir = new TempDir();
        var apps = dir.Write("apps.json", """
            {"applications": [
              {"id": "<script>alert(5)</script>", "enterprise": "E{{ x }}", "rule": "r", "date": "2026-02-01",
               "subject": "{% raw %}", "facts": {"premium": 50000}}
            ]}
            """);
        var policy = dir.Write("inj.policy", Hostile);
        foreach (var format in new[] { "html", "md" })
        {
            var (code, output, error) = Support.Policyc("eval", policy, "--applications", apps, "--format", format);
            Assert.True(code == 0, error);
            Assert.DoesNotContain("<script", output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;alert", output);
            Assert.Contains("award of r", output); // the trace is there
        }
    }

    [Fact]
    public void Csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised()
    {
        // OWASP "CSV Injection": a cell starting with = + - @ tab or CR is quoted with a leading '.
        using var dir = new TempDir();
        var apps = dir.Write("apps.json", """
            {"applications": [
              {"id": "=HYPERLINK(\"http://x\",\"y\")", "enterprise": "+cmd|' /C calc'!A0", "rule": "r", "date": "2026-02-01",
               "subject": "s1", "facts": {"premium": 50000}},
              {"id": "@SUM(1+1)", "enterprise": "-2+3", "rule": "r", "date": "2026-02-01", "subject": "s2", "facts": {"premium": 50000}},
              {"id": "\tTAB", "enterprise": "\rCR", "rule": "r", "date": "2026-02-01", "subject": "s3", "facts": {"premium": 50000}}
            ]}
            """);
        var policy = dir.Write("p.policy", """
            policy Csv "t"
              effective 2026-01-01 through 2026-12-31
              points worth at most 10000 yuan
            section 1 "s" department "d"
              clause 1 "c"
                rule r "r"
                  fact premium: yuan
                  award 40% of premium in points
                  cap 5 points per enterprise per year
            """);
        var (code, output, error) = Support.Policyc("eval", policy, "--applications", apps, "--format", "csv");
        Assert.True(code == 0, error);
        foreach (var cell in output.Split('\n').SelectMany(line => line.Split(',')))
            Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '@' or '\t' or '\r', "a formula cell: " + cell);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\"", output);
        Assert.Contains("\"'+cmd|' /C calc'!A0\"", output);
        Assert.Contains("\"'@SUM(1+1)\"", output);
        Assert.Contains("\"'-2+3\"", output);
        Assert.Contains("\"'\tTAB\"", output);
        Assert.Contains("\"'\rCR\"", output);
    }
}
