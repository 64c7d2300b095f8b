using System.Xml.Linq;
using PolicyDsl.Cli;

namespace PolicyDsl.Testing.Tests;

/// <summary>`policyc test` on the samples and on copies of them: exit codes, failure output, JUnit, coverage.</summary>
public sealed class CommandTests
{
    private static (int Code, string Output, string Error) Policyc(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Policyc.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string Samples => Repository.PathOf("samples");

    /// <summary>The Tongzhou sample in a temporary folder, its test file changed by <paramref name="edit"/>.</summary>
    private static string CopyOfTongzhou(Func<string, string> edit)
    {
        var folder = Path.Combine(Path.GetTempPath(), "pdsl-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var source = Repository.PathOf("samples/tongzhou-2026");
        foreach (var name in new[] { "tongzhou-2026.policy", "tongzhou-2026.rules" }) File.Copy(Path.Combine(source, name), Path.Combine(folder, name));
        File.WriteAllText(Path.Combine(folder, "tongzhou-2026.tests"), edit(File.ReadAllText(Path.Combine(source, "tongzhou-2026.tests"))));
        return folder;
    }

    [Fact]
    public void The_sample_tests_pass()
    {
        var (code, output, error) = Policyc("test", Samples);
        Assert.True(code == ExitCodes.Success, output + error);
        Assert.DoesNotContain("FAIL", output);
        Assert.Contains("PASS", output);
        Assert.Matches(@"policyc: \d+ tests in \d+ files: \d+ passed, 0 failed", error);
        // The yearly cap across three applications in two years is one of them.
        Assert.Contains("B01-B03 50 points per enterprise per year: three applications in two years", output);
        // Warnings (a fact left out on purpose) would show; the samples give every fact.
        Assert.DoesNotContain("warning", output);
    }

    [Fact]
    public void Changing_one_expected_value_fails_with_the_file_line_expected_and_actual()
    {
        var lines = File.ReadAllLines(Repository.PathOf("samples/tongzhou-2026/tongzhou-2026.tests"));
        var b02 = Array.FindIndex(lines, l => l.TrimStart().StartsWith("application B02 ", StringComparison.Ordinal));
        var line = Array.FindIndex(lines, b02 + 1, l => l.Trim() == "expect paid 10 points") + 1;
        Assert.True(line > 0);
        var folder = CopyOfTongzhou(text => string.Join("\n", text.Split('\n').Select((l, i) => i + 1 == line ? l.Replace("10 points", "11 points", StringComparison.Ordinal) : l)));
        try
        {
            var (code, output, _) = Policyc("test", folder);
            Assert.Equal(ExitCodes.Errors, code);
            var file = Path.Combine(folder, "tongzhou-2026.tests");
            Assert.Contains($"FAIL {file}(", output);
            Assert.Contains($"{file}({line},5): application B02 (outage_insurance): expected paid 11 points, actual paid 10 points", output);
            Assert.Contains("running total outage_insurance/enterprise:E90/2026: 40 points used of 50 points: pays at most 10 points", output);
            Assert.Single(output.Split('\n'), l => l.StartsWith("FAIL", StringComparison.Ordinal));
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void A_rejected_row_prints_its_fact_check_once_and_the_bound_with_its_unit()
    {
        // The trace of a failed rejection printed the fact check twice (the award's step and the row's reason), and the
        // bound "must be between 0 and 5" had no unit.
        var folder = Directory.CreateTempSubdirectory("pdsl-reject-").FullName;
        try
        {
            foreach (var f in new[] { "yearly-rates.policy", "yearly-rates.tests" })
                File.WriteAllText(Path.Combine(folder, f), File.ReadAllText(Path.Combine(Samples, "examples", f))
                    .Replace("expect rejected \"must be between 0 and 5 years\"", "expect rejected \"must be between 0 and 4 years\"", StringComparison.Ordinal));
            var (code, output, _) = Policyc("test", folder);
            Assert.Equal(ExitCodes.Errors, code);
            Assert.Contains("actual rejected: fact operating_year must be between 0 and 5 years", output);
            Assert.Single(output.Split('\n'), l => l.TrimStart().StartsWith("fact operating_year must be between 0 and 5 years:", StringComparison.Ordinal));
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void A_test_file_with_errors_exits_2_and_prints_every_diagnostic()
    {
        var folder = CopyOfTongzhou(text => text.Replace("under shortboard_project_rd", "under shortbord_project_rd", StringComparison.Ordinal)
            .Replace("fact premium = 200000 yuan", "fact premium = 200000 points", StringComparison.Ordinal));
        try
        {
            var (code, output, error) = Policyc("test", folder);
            Assert.Equal(ExitCodes.Usage, code);
            Assert.Equal(2, output.Split('\n').Count(l => l.Contains("error PDSL0704", StringComparison.Ordinal)));
            Assert.Contains("error PDSL0707", output);
            Assert.Contains("1 files with errors", error);
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(ExitCodes.Usage, Policyc("test", Path.Combine(Samples, "no-such-folder")).Code);
        Assert.Equal(ExitCodes.Usage, Policyc("test", "--no-such-option").Code);
        var empty = Path.Combine(Path.GetTempPath(), "pdsl-empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        try { Assert.Equal(ExitCodes.Usage, Policyc("test", empty).Code); }
        finally { Directory.Delete(empty); }
    }

    [Fact]
    public void Junit_lists_every_test_and_each_failure()
    {
        var folder = CopyOfTongzhou(text => text.Replace("expect award 150 points", "expect award 151 points", StringComparison.Ordinal));
        var junit = Path.Combine(folder, "out", "junit.xml");
        try
        {
            var (code, output, _) = Policyc("test", folder, "--junit", junit);
            Assert.Equal(ExitCodes.Errors, code);
            var xml = XDocument.Load(junit);
            var cases = xml.Descendants("testcase").ToList();
            Assert.Equal(output.Split('\n').Count(l => l.StartsWith("PASS", StringComparison.Ordinal) || l.StartsWith("FAIL", StringComparison.Ordinal)), cases.Count);
            var failure = Assert.Single(xml.Descendants("failure"));
            Assert.Contains("expected award 151 points, actual award 150 points", failure.Attribute("message")!.Value);
            Assert.Equal("1", xml.Root!.Attribute("failures")!.Value);
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void Coverage_lists_every_rule_and_names_what_no_test_exercised()
    {
        var (code, output, _) = Policyc("test", Repository.PathOf("samples/tongzhou-2026"), "--coverage");
        Assert.Equal(ExitCodes.Success, code);
        var policy = Checking.PolicyCompiler.Compile(Repository.PathOf("samples/tongzhou-2026/tongzhou-2026.policy"),
            Repository.Read("samples/tongzhou-2026/tongzhou-2026.policy")).Policy!;
        var table = output[output.IndexOf("Coverage of policy Tongzhou2026", StringComparison.Ordinal)..];
        foreach (var rule in policy.Rules) Assert.Matches($@"\n\s*{rule.Clause}\s+{rule.Name}\s", table);
        // Clause 2 has no test; clause 6's condition never failed in a test; clause 1's cap never bound.
        Assert.Contains("clause 2 municipal_tech_center: never applied", table);
        Assert.Contains("clause 6 shortboard_project_rd: requires rated_shortboard_project: never failed", table);
        Assert.Contains("clause 1 cmmm_maturity: cap 30 points per enterprise: never bound", table);
        Assert.Contains("clause 1 cmmm_maturity: amount[4]: never reached", table);
        // Exercised ones are not listed: clause 7's yearly cap bound (alone in A05, by its running total in B02).
        Assert.DoesNotContain("outage_insurance: cap", table);
        Assert.DoesNotContain("clause 14 industry_university_cooperation: requires", table);
    }

    [Fact]
    public void The_html_catalogue_shows_a_clause_never_tested()
    {
        var html = Path.Combine(Path.GetTempPath(), "pdsl-cat-" + Guid.NewGuid().ToString("N") + ".html");
        try
        {
            var (code, _, error) = Policyc("report", Repository.PathOf("samples/tongzhou-2026/tongzhou-2026.policy"), "--rules",
                Repository.PathOf("samples/tongzhou-2026/tongzhou-2026.rules"), "--format", "html", "--coverage-from", Samples, "--lang", "en", "-o", html);
            Assert.True(code == ExitCodes.Success, error);
            var text = File.ReadAllText(html);
            string Clause(int n)
            {
                var start = text.IndexOf($"id=\"clause-{n}\"", StringComparison.Ordinal);
                return text[start..text.IndexOf("</article>", start, StringComparison.Ordinal)];
            }
            Assert.Contains("No test applies this clause", Clause(2));
            Assert.Contains("municipal_tech_center", Clause(2));
            Assert.DoesNotContain("No test applies this clause", Clause(7));
            Assert.Contains("cap 40 points per enterprise per year: never bound", Clause(7));
            // Without the option the catalogue is as before.
            Assert.Equal(ExitCodes.Success, Policyc("report", Repository.PathOf("samples/tongzhou-2026/tongzhou-2026.policy"), "--format", "html", "-o", html).Code);
            Assert.DoesNotContain("class=\"coverage", File.ReadAllText(html));
        }
        finally { File.Delete(html); }
    }

    [Fact]
    public void The_examples_in_docs_testing_parse()
    {
        var text = Repository.Read("docs/testing.md").Replace("\r\n", "\n");
        var blocks = System.Text.RegularExpressions.Regex.Matches(text, "```\n((?:tests for|测试) .*?)```", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(blocks.Count >= 2);
        foreach (System.Text.RegularExpressions.Match block in blocks)
        {
            var (_, diagnostics) = TestParser.Parse("docs/testing.md", block.Groups[1].Value);
            Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics));
        }
    }
}
