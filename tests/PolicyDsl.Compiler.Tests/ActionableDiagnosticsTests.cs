using System.Text.Json;
using PolicyDsl.Cli;
using PolicyDsl.Diagnostics;

namespace PolicyDsl.Compiler.Tests;

/// <summary>
/// Diagnostics people can act on: the source line and a caret at the span, what was expected in the
/// file's keyword language, "did you mean", every independent error in one run, causes before echoes,
/// machine formats and absolute help links.
/// </summary>
public sealed class ActionableDiagnosticsTests
{
    private static string Sample(string name) => Path.Combine(TestFiles.Root, "samples", "tongzhou-2026", name);

    /// <summary>Writes the files to a temporary folder and runs policyc check on them.</summary>
    private static (int Exit, string Out) Check(IReadOnlyList<(string Name, string Text)> files, params string[] options)
    {
        var dir = Directory.CreateTempSubdirectory("pdsl-diag-");
        try
        {
            var paths = files.Select(f => { var p = Path.Combine(dir.FullName, f.Name); File.WriteAllText(p, f.Text); return p; }).ToList();
            var output = new StringWriter();
            var exit = Policyc.Run(["check", .. paths, .. options], output, new StringWriter());
            return (exit, output.ToString().Replace(dir.FullName + Path.DirectorySeparatorChar, "", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string TongzhouWith(params (string From, string To)[] edits)
    {
        var text = File.ReadAllText(Sample("tongzhou-2026.policy"));
        foreach (var (from, to) in edits)
        {
            var at = text.IndexOf(from, StringComparison.Ordinal);
            Assert.True(at >= 0, from);
            text = text[..at] + to + text[(at + from.Length)..];
        }
        return text;
    }

    [Fact]
    public void Three_independent_typos_give_three_diagnostics_each_with_a_caret_and_a_did_you_mean()
    {
        var policy = TongzhouWith(
            ("      requires recognized", "      requries recognized"),        // a statement keyword
            ("cap 30 points per enterprise", "cap 30 points per enterprse"),   // a scope word inside a line
            ("of booth_fee", "of booth_fe")); // a name in scope
        var (exit, output) = Check([("tongzhou-2026.policy", policy)]);
        Assert.Equal(ExitCodes.Errors, exit);

        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var heads = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("tongzhou-2026.policy(", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, heads.Count);
        Assert.Contains(heads, h => h.l.Contains("did you mean \"requires\"?", StringComparison.Ordinal));
        Assert.Contains(heads, h => h.l.Contains("did you mean \"enterprise\"?", StringComparison.Ordinal));
        Assert.Contains(heads, h => h.l.Contains("did you mean 'booth_fee'?", StringComparison.Ordinal));
        foreach (var (head, i) in heads)
        {
            // The source line, then a caret line whose carets stand under the span.
            Assert.Matches(@"^ \d+ \| ", lines[i + 1]);
            Assert.Matches(@"^ +\| +\^+$", lines[i + 2]);
            var column = int.Parse(System.Text.RegularExpressions.Regex.Match(head, @"\((\d+),(\d+)\)").Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            var source = lines[i + 1][(lines[i + 1].IndexOf('|') + 2)..];
            var caret = lines[i + 2][(lines[i + 2].IndexOf('|') + 2)..];
            Assert.Equal(column - 1, caret.IndexOf('^'));
            var word = source.Substring(column - 1, caret.Trim().Length);
            Assert.Contains(word, new[] { "requries", "enterprse", "booth_fe" });
            Assert.StartsWith("  = help: https://", lines[i + 3]);
        }
    }

    [Fact]
    public void A_file_in_chinese_keywords_is_told_the_chinese_keywords()
    {
        var text = File.ReadAllText(Path.Combine(TestFiles.Root, "samples", "examples", "chinese-keywords.policy")).Replace("  有效期 ", "  有效 ");
        var diagnostic = Assert.Single(PolicyCompiler(text).Diagnostics, d => d.Id == "PDSL0001");
        Assert.Contains("政策, 章, 条, 规则", diagnostic.Message);
        Assert.DoesNotContain("section", diagnostic.Message);
        Assert.Equal("有效期", diagnostic.Suggestion);

        // Inside a line too: the expected keyword in its Chinese spelling only.
        var inLine = File.ReadAllText(Path.Combine(TestFiles.Root, "samples", "examples", "chinese-keywords.policy")).Replace("每分 价值 不超过", "每分 价值 至多");
        var message = Assert.Single(PolicyCompiler(inLine).Diagnostics, d => d.Id == "PDSL0001").Message;
        Assert.Contains("\"不超过\"", message);
        Assert.DoesNotContain("at most", message);
    }

    private static Checking.Compilation PolicyCompiler(string text) => Checking.PolicyCompiler.Compile("zh.policy", text);

    [Fact]
    public void A_fact_in_years_is_reported_in_years_with_the_unit_that_would_fit()
    {
        var policy = TongzhouWith(("implementation_period <= 2 years", "implementation_period <= 2"));
        var d = Assert.Single(TestFiles.Compile(policy, TestFiles.SampleRules).Errors);
        Assert.Equal("PDSL0201", d.Id);
        Assert.Contains("compare years and no unit", d.Message);
        Assert.Contains("write it as '2 years'", d.Message);
    }

    [Fact]
    public void A_syntax_error_on_a_header_line_hides_no_semantic_error_below_it()
    {
        foreach (var (from, to) in new[]
        {
            ("policy Tongzhou2026 ", "policy 5Tongzhou2026 "),
            ("section 1 \"", "section one \""),
            ("clause 1 \"", "clause \"x\" \""),
            ("clause 2 \"", "clause 2 3 \""),
            ("rule cmmm_maturity ", "rule cmmm_maturity 5 "),
        })
        {
            // A unit error in the last rule of the file, far below the broken line.
            var policy = TongzhouWith((from, to), ("holding_period >= 3 years", "holding_period >= 3 yuan"));
            var ids = TestFiles.Compile(policy, TestFiles.SampleRules).Errors.Select(d => d.Id).ToList();
            Assert.Equal(["PDSL0001", "PDSL0201"], ids);
        }
    }

    [Fact]
    public void An_unknown_rule_in_the_rules_file_comes_before_the_parameter_it_leaves_unset()
    {
        var rules = TestFiles.SampleRules.Replace("set aeo_advanced.amount", "set aeo_advancd.amount", StringComparison.Ordinal);
        var ids = TestFiles.Compile(TestFiles.SamplePolicy, rules).Errors.Select(d => d.Id).ToList();
        Assert.Equal(["PDSL0103", "PDSL0401"], ids);
        var (_, output) = Check([("tongzhou-2026.policy", TestFiles.SamplePolicy), ("tongzhou-2026.rules", rules)]);
        Assert.True(output.IndexOf("PDSL0103", StringComparison.Ordinal) < output.IndexOf("PDSL0401", StringComparison.Ordinal));
        Assert.Contains("did you mean 'aeo_advanced'?", output);
    }

    [Fact]
    public void Json_and_sarif_carry_ids_positions_suggestions_and_absolute_help_links()
    {
        var policy = TongzhouWith(("      requires recognized", "      requries recognized"));
        var (_, json) = Check([("tongzhou-2026.policy", policy)], "--format", "json");
        var d = Assert.Single(JsonDocument.Parse(json).RootElement.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("PDSL0001", d.GetProperty("id").GetString());
        Assert.Equal("requires", d.GetProperty("suggestion").GetString());
        Assert.Equal(7, d.GetProperty("column").GetInt32());
        Assert.Equal(HelpLinks.DefaultBaseUrl + "PDSL0001.md", d.GetProperty("helpUri").GetString());

        var (_, sarif) = Check([("tongzhou-2026.policy", policy)], "--format", "sarif", "--help-base-url", "https://docs.example.org/pdsl");
        var run = JsonDocument.Parse(sarif).RootElement.GetProperty("runs")[0];
        Assert.Equal("2.1.0", JsonDocument.Parse(sarif).RootElement.GetProperty("version").GetString());
        Assert.Equal("https://docs.example.org/pdsl/PDSL0001.md", run.GetProperty("tool").GetProperty("driver").GetProperty("rules")[0].GetProperty("helpUri").GetString());
        var result = Assert.Single(run.GetProperty("results").EnumerateArray());
        var region = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.Equal(d.GetProperty("line").GetInt32(), region.GetProperty("startLine").GetInt32());
        Assert.Equal("requires", result.GetProperty("fixes")[0].GetProperty("artifactChanges")[0].GetProperty("replacements")[0]
            .GetProperty("insertedContent").GetProperty("text").GetString());
    }

    [Fact]
    public void Control_characters_of_a_source_line_are_escaped_in_the_excerpt()
    {
        var policy = TongzhouWith(("      requires recognized", "      requries recognized # \u001b]0;owned\u0007"));
        var (_, output) = Check([("tongzhou-2026.policy", policy)]);
        Assert.DoesNotContain('\u001b', output);
        Assert.Contains("\\u001B", output);
    }
}
