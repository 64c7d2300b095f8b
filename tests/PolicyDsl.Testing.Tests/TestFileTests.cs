using PolicyDsl.Diagnostics;
using PolicyDsl.Testing;

namespace PolicyDsl.Testing.Tests;

/// <summary>A policy and test files in a fresh temporary folder, loaded the way `policyc test` loads them.</summary>
internal sealed class Workspace : IDisposable
{
    public const string Policy = """
        policy Demo "示例政策"
          effective 2026-01-01 through 2027-12-31
          points worth at most 10000 yuan
          paid by "区财政"
        section 1 "支持企业" department "区商务局"
          clause 1 "展会补助"
            rule booth "展位费补助"
              fact overseas: yes/no
              fact booth_fee: yuan
              fact level: level 2 "省级", 1 "市级"
              requires overseas
              requires level >= 2
              award 0.14 points per 2000 yuan of booth_fee
              cap 5 points per enterprise per year
        """;

    public Workspace(string policy = Policy, string? rules = null)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(System.IO.Path.Combine(Folder, "demo.policy"), policy);
        if (rules is not null) File.WriteAllText(System.IO.Path.Combine(Folder, "demo.rules"), rules);
    }

    public string Folder { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pdsl-tests-" + Guid.NewGuid().ToString("N"));

    public string Write(string text, string name = "demo.tests")
    {
        var path = System.IO.Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public LoadedTestFile Load(string text, string name = "demo.tests") => new TestLoader().Load(Write(text, name));

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

public sealed class TestFileTests
{
    private const string Good = """
        tests for Demo
        test "a booth abroad"
          application A1 by E1 under booth on 2026-03-01
            fact overseas = yes, level = 2
            fact booth_fee = 40000 yuan
            expect award 2.8 points
            expect paid 2.8 points
            expect not bound
            expect paid by "区财政" 2.8 points
        """;

    private static string Ids(LoadedTestFile f) => string.Join(" | ", f.Diagnostics);

    [Fact]
    public void A_good_file_loads_without_diagnostics_and_passes()
    {
        using var ws = new Workspace();
        var file = ws.Load(Good);
        Assert.True(file.Diagnostics.IsEmpty, Ids(file));
        var test = Assert.Single(file.Tests);
        var result = TestRunner.Run(file.Path, file.Policy!, test, ReferenceTarget.Instance);
        Assert.True(result.Passed, AuthorTests.Explain(result));
    }

    [Fact]
    public void Chinese_keywords_bind_to_the_same_tests_as_English_ones()
    {
        const string chinese = """
            测试 Demo
            用例 "a booth abroad"
              申请 A1 企业 E1 规则 booth 日期 2026-03-01
                事实 overseas = 是, level = 2
                事实 booth_fee = 4 万元
                预期 奖励 2.8 分
                预期 实付 2.8 分
                预期 未封顶
                预期 出资 "区财政" 2.8 分
            """;
        using var ws = new Workspace();
        var english = ws.Load(Good, "en.tests");
        var zh = ws.Load(chinese, "zh.tests");
        Assert.True(zh.Diagnostics.IsEmpty, Ids(zh));
        Assert.Equal(english.Tests.Select(t => t.Applications.Select(a => a.Application)).SelectMany(x => x),
            zh.Tests.Select(t => t.Applications.Select(a => a.Application)).SelectMany(x => x));
        Assert.Equal(english.Tests[0].Applications[0].Expectations.Select(e => (e.Kind, e.Amount, e.Text, e.CapText)),
            zh.Tests[0].Applications[0].Expectations.Select(e => (e.Kind, e.Amount, e.Text, e.CapText)));
    }

    [Fact]
    public void Every_independent_syntax_error_is_reported_in_one_run_with_its_position()
    {
        const string text = """
            tests for Demo
            test "one"
              application A1 by E1 under booth 2026-03-01
                fact overseas = yes
            test "two"
              application A2 under booth on 2026-03-01
                fact overseas yes
                expect paid lots
                expect something
            """;
        using var ws = new Workspace();
        var file = ws.Load(text);
        var errors = file.Diagnostics.Where(d => d.IsError).ToList();
        // The broken application line swallows its own fact line; the other three lines each give one error.
        Assert.Equal(["PDSL0701", "PDSL0701", "PDSL0701", "PDSL0701"], errors.Select(d => d.Id));
        Assert.Equal((3, 36), (errors[0].Start.Line, errors[0].Start.Column));
        Assert.Contains("Expected \"on\" (日期), found \"2026-03-01\"", errors[0].Message);
        Assert.Equal(7, errors[1].Start.Line);
        Assert.Contains("\"=\"", errors[1].Message);
        Assert.Equal(8, errors[2].Start.Line);
        Assert.Contains("the amount (150 points)", errors[2].Message);
        Assert.Equal(9, errors[3].Start.Line);
        Assert.Contains("what to expect", errors[3].Message);
        Assert.All(errors, d => Assert.Equal(file.Path, d.FilePath));
    }

    [Theory]
    [InlineData("tests for Demo\n  application A1 under booth on 2026-03-01\n", "PDSL0702", 2)]
    [InlineData("tests for Demo\ntest \"t\"\n  fact overseas = yes\n  expect total 0 points\n", "PDSL0702", 3)]
    [InlineData("tests for Demo\ntest \"t\"\n  expect paid 1 points\n", "PDSL0702", 3)]
    [InlineData("tests for Demo\ntest \"t\"\n  policy \"demo.policy\"\n", "PDSL0702", 3)]
    [InlineData("policy Demo \"x\"\n", "PDSL0701", 1)]
    [InlineData("", "PDSL0713", 1)]
    [InlineData("tests for Demo\n", "PDSL0713", 1)]
    [InlineData("tests for Demo\ntest \"t\"\n  expect total 1 points\ntest \"t\"\n  expect total 1 points\n", "PDSL0708", 4)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    fact overseas = yes, overseas = no\n    expect paid 0 points\n", "PDSL0708", 4)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    expect paid 0 points\n    expect paid 1 points\n    expect rejected\n", "PDSL0708", 5)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    expect eligible\n    expect not eligible\n    expect rejected\n", "PDSL0708", 5)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under boat on 2026-03-01\n    expect paid 0 points\n", "PDSL0704", 3)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    fact oversea = yes\n    expect rejected\n", "PDSL0705", 4)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    fact overseas = 1\n    expect rejected\n", "PDSL0706", 4)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    fact level = 3\n    expect rejected\n", "PDSL0706", 4)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    fact booth_fee = 3 points\n    expect rejected\n", "PDSL0707", 4)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    expect paid 3 yuan\n    expect rejected\n", "PDSL0707", 4)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    fact overseas = yes, level = 2, booth_fee = 1 yuan\n", "PDSL0709", 2)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    expect bound by 5 points per project\n    expect rejected\n", "PDSL0710", 4)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    expect bound by 5 points per enterprise\n    expect rejected\n", "PDSL0710", 4)]
    [InlineData("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    expect paid by \"市财政\" 0 points\n    expect rejected\n", "PDSL0711", 4)]
    [InlineData("tests for Other\ntest \"t\"\n  expect total 0 points\n", "PDSL0703", 1)]
    [InlineData("tests for Demo\npolicy \"missing.policy\"\ntest \"t\"\n  expect total 0 points\n", "PDSL0703", 2)]
    public void A_mistake_gives_its_diagnostic_at_its_line(string text, string id, int line)
    {
        using var ws = new Workspace();
        var file = ws.Load(text);
        var errors = file.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 1, Ids(file));
        Assert.Equal(id, errors[0].Id);
        Assert.Equal(line, errors[0].Start.Line);
        Assert.Contains("expected", errors[0].Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(file.Tests, t => t.Span.Start >= errors[0].Span.Start); // a test with an error does not run
    }

    [Fact]
    public void A_missing_fact_is_a_warning_unless_the_test_expects_a_rejection()
    {
        using var ws = new Workspace();
        var warned = ws.Load("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    fact overseas = yes\n    expect paid 0 points\n");
        var d = Assert.Single(warned.Diagnostics);
        Assert.Equal(("PDSL0712", Severity.Warning), (d.Id, d.Severity));
        Assert.Contains("booth_fee, level", d.Message);
        var quiet = ws.Load("tests for Demo\ntest \"t\"\n  application A1 under booth on 2026-03-01\n    fact overseas = yes\n    expect rejected \"missing\"\n");
        Assert.True(quiet.Diagnostics.IsEmpty, Ids(quiet));
        var result = TestRunner.Run(quiet.Path, quiet.Policy!, quiet.Tests[0], ReferenceTarget.Instance);
        Assert.True(result.Passed, AuthorTests.Explain(result));
    }

    [Fact]
    public void A_policy_with_errors_is_reported_with_its_own_diagnostics()
    {
        using var ws = new Workspace(Workspace.Policy.Replace("requires overseas", "requires oversees", StringComparison.Ordinal));
        var file = ws.Load("tests for Demo\ntest \"t\"\n  expect total 0 points\n");
        Assert.Contains(file.Diagnostics, d => d.Id == "PDSL0101" && d.FilePath.EndsWith("demo.policy", StringComparison.Ordinal));
        Assert.Contains(file.Diagnostics, d => d.Id == "PDSL0714" && d.FilePath == file.Path);
        Assert.Empty(file.Tests);
    }

    [Fact]
    public void A_failing_expectation_says_where_what_was_expected_what_came_out_and_the_trace()
    {
        using var ws = new Workspace();
        var file = ws.Load(Good.Replace("expect paid 2.8 points", "expect paid 3 points", StringComparison.Ordinal));
        var result = TestRunner.Run(file.Path, file.Policy!, file.Tests[0], ReferenceTarget.Instance);
        var failure = Assert.Single(result.Failures);
        Assert.Equal((7, 5), (failure.Position.Line, failure.Position.Column));
        Assert.Equal("paid 3 points", failure.Expected);
        Assert.Equal("paid 2.8 points", failure.Actual);
        var text = AuthorTests.Explain(result);
        Assert.Contains($"{file.Path}(7,5): application A1 (booth): expected paid 3 points, actual paid 2.8 points", text);
        Assert.Contains("award formula: 2.8 points", text);
    }

    [Theory]
    [InlineData("expect award 2.8 points", "expect award 2.9 points", "award 2.8 points")]
    [InlineData("expect not bound", "expect bound by 5 points per enterprise per year", "not bound by any cap (award 2.8 points)")]
    [InlineData("expect paid by \"区财政\" 2.8 points", "expect paid by \"区财政\" 2 points", "\"区财政\" pays 2.8 points (\"区财政\" 2.8 points)")]
    [InlineData("expect not bound", "expect rejected", "accepted, paid 2.8 points")]
    [InlineData("expect not bound", "expect not eligible", "eligible, award 2.8 points")]
    [InlineData("expect not bound", "expect case by case", "computable, award 2.8 points")]
    public void Each_kind_of_expectation_can_fail(string from, string to, string actual)
    {
        using var ws = new Workspace();
        var file = ws.Load(Good.Replace(from, to, StringComparison.Ordinal));
        Assert.True(file.Diagnostics.IsEmpty, Ids(file));
        var result = TestRunner.Run(file.Path, file.Policy!, file.Tests[0], ReferenceTarget.Instance);
        Assert.Equal(actual, Assert.Single(result.Failures).Actual);
    }

    [Fact]
    public void A_failed_condition_is_named_in_the_rejection()
    {
        using var ws = new Workspace();
        const string text = """
            tests for Demo
            test "a municipal fair does not count"
              application A1 by E1 under booth on 2026-03-01
                fact overseas = yes, level = 1, booth_fee = 40000 yuan
                expect not eligible
                expect rejected "level >= 2"
                expect paid 0 points
            """;
        var file = ws.Load(text);
        Assert.True(file.Diagnostics.IsEmpty, Ids(file));
        var result = TestRunner.Run(file.Path, file.Policy!, file.Tests[0], ReferenceTarget.Instance);
        Assert.True(result.Passed, AuthorTests.Explain(result));
        Assert.Equal("conditions not met: requires level >= 2 fails", result.Outcomes[0].Reason);
    }

    [Fact]
    public void A_yearly_cap_runs_across_applications_and_starts_again_in_a_new_year()
    {
        const string text = """
            tests for Demo
            test "5 points per enterprise per year"
              enterprise E7
              application A1 under booth on 2026-03-01
                fact overseas = yes, level = 2, booth_fee = 50000 yuan
                expect award 3.5 points
                expect paid 3.5 points
              application A2 under booth on 2026-06-01
                fact overseas = yes, level = 2, booth_fee = 50000 yuan
                expect paid 1.5 points
              application A3 under booth on 2027-01-05
                fact overseas = yes, level = 2, booth_fee = 50000 yuan
                expect paid 3.5 points
              expect total 8.5 points
            """;
        using var ws = new Workspace();
        var file = ws.Load(text);
        Assert.True(file.Diagnostics.IsEmpty, Ids(file));
        var result = TestRunner.Run(file.Path, file.Policy!, file.Tests[0], ReferenceTarget.Instance);
        Assert.True(result.Passed, AuthorTests.Explain(result));
        // The same three with the wrong total fails on the total line.
        var wrong = ws.Load(text.Replace("expect total 8.5 points", "expect total 10.5 points", StringComparison.Ordinal));
        var failed = TestRunner.Run(wrong.Path, wrong.Policy!, wrong.Tests[0], ReferenceTarget.Instance);
        var failure = Assert.Single(failed.Failures);
        Assert.Equal(14, failure.Position.Line);
        Assert.Equal("total paid 8.5 points (A1 3.5 points, A2 1.5 points, A3 3.5 points)", failure.Actual);
    }

    [Fact]
    public void A_quantity_is_converted_from_the_unit_written_and_checked_for_exactness()
    {
        using var ws = new Workspace(Workspace.Policy.Replace("fact booth_fee: yuan", "fact booth_fee: wan-yuan", StringComparison.Ordinal));
        var file = ws.Load(Good);
        Assert.True(file.Diagnostics.IsEmpty, Ids(file));
        Assert.Equal(Model.FactValue.Of(4m), file.Tests[0].Applications[0].Application.Facts["booth_fee"]);
    }
}

/// <summary>§30.2 in test files: a cap over N years is named as the cap line writes it, fixed or rolling.</summary>
public sealed class NYearCapExpectationTests
{
    private const string Policy = """
        policy Demo "示例政策"
          effective 2026-01-01 onwards
        section 1 "支持企业" department "区商务局"
          clause 1 "投资奖励"
            rule fixed "三年一期"
              fact investment: yuan
              award 10% of investment
              cap 300000 yuan per enterprise per 3 years
            rule rolling "任意三年"
              fact investment: yuan
              award 10% of investment
              cap 300000 yuan per enterprise per 3 years rolling
        """;

    [Theory]
    [InlineData("fixed", "expect bound by 300000 yuan per enterprise per 3 years", true, null)]
    [InlineData("rolling", "expect bound by 300000 yuan per enterprise per 3 years rolling", true, null)]
    [InlineData("rolling", "expect bound by 300000 yuan per enterprise per 3 years", false, "PDSL0710")]  // the rule's cap is rolling
    [InlineData("fixed", "expect bound by 300000 yuan per enterprise per 2 years", false, "PDSL0710")]
    public void A_cap_over_n_years_is_named_with_its_years(string rule, string expectation, bool passes, string? id)
    {
        using var workspace = new Workspace(Policy);
        var file = workspace.Load($"tests for Demo\ntest \"t\"\n  application A1 by E1 under {rule} on 2026-03-01\n    fact investment = 5000000 yuan\n    {expectation}\n");
        if (id is not null)
        {
            Assert.Contains(file.Diagnostics, d => d.Id == id);
            return;
        }
        Assert.True(file.Diagnostics.IsEmpty, string.Join("\n", file.Diagnostics));
        // 10% of 500万 = 50万, cut to the 3-year cap of 30万.
        Assert.Equal(passes, TestRunner.Run(file.Path, file.Policy!, file.Tests[0], ReferenceTarget.Instance).Passed);
    }
}
