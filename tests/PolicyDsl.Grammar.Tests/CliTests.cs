using System.Text.RegularExpressions;
using PolicyDsl.Cli;

namespace PolicyDsl.Grammar.Tests;

/// <summary>policyc, run in-process with string writers.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("policyc-tests").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string Valid = """
        policy P "Demo"
          effective 2026-01-01 through 2026-12-31
          points worth at most 10000 yuan
        section 1 "Industry" department "DRC"
          clause 1 "First"
            rule a "Rule A"
              award 5 points
            rule b
              award 1 points
          clause 2 "Second"
            rule c "Rule C"
              award 2 points
        general "Other"
          provision 1 "Stacking"
            no stacking
          provision 2
            no stacking
        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Policyc.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Check_of_a_valid_file_exits_0_with_no_diagnostics()
    {
        var (code, output, error) = Run("check", Write("ok.policy", Valid));
        Assert.Equal(0, code);
        Assert.Equal("", output);
        Assert.Equal("policyc: 1 file checked, 0 errors, 0 warnings", error.Trim());
    }

    [Fact]
    public void Check_prints_diagnostics_sorted_by_file_then_position_and_exits_1()
    {
        var b = Write("b.policy", "policy P \"t\"\neffective 2026-01-01 through 2026-12-31\nxyzzy\n\tqqqqq\n");
        var a = Write("a.policy", "policy P \"t\"\neffective 2026-01-01 through 2026-12-31\nsection x \"s\" department \"d\"\n");
        var (code, output, error) = Run("check", b, a);

        Assert.Equal(1, code);
        // The diagnostic lines (each is followed by its source line, a caret line and its help link).
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith(' ')).ToArray();
        Assert.Equal([
            $"{a}(3,9): error PDSL0001: Expected a whole number, found \"x\"",
            $"{b}(3,1): error PDSL0001: Expected {PolicyDsl.Syntax.PolicyParser.StatementKeywords}, found \"xyzzy\"",
            $"{b}(4,2): error PDSL0001: Expected {PolicyDsl.Syntax.PolicyParser.StatementKeywords}, found \"qqqqq\"",
        ], lines);
        Assert.Matches(new Regex(@"^.+\(\d+,\d+\): error PDSL\d{4}: .+$"), lines[0]);
        Assert.Contains("2 files checked, 3 errors", error);
    }

    [Fact]
    public void Check_reports_invalid_UTF8_at_the_first_bad_byte_and_goes_on()
    {
        var path = Path.Combine(_directory, "bad.policy");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "policy P \"t\"\neffective 2026-01-01 through 2026-12-31\nnote \""u8, 0xFF, .. "\"\n"u8]);
        var (code, output, _) = Run("check", path);
        Assert.Equal(1, code);
        Assert.Equal($"{path}(3,7): error PDSL0008: The file is not valid UTF-8: expected UTF-8 text, found byte 0xFF at byte offset 62",
            output.Split(Environment.NewLine)[0]);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("check", "--no-such-option", "x.policy")]
    [InlineData("check")]
    [InlineData("outline")]
    [InlineData()]
    public void Usage_errors_exit_2_with_a_message(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("policyc --help", error);
    }

    [Fact]
    public void A_missing_file_is_a_usage_error()
    {
        var missing = Path.Combine(_directory, "missing.policy");
        var (code, _, error) = Run("check", Write("ok.policy", Valid), missing);
        Assert.Equal(2, code);
        Assert.Equal($"policyc: file not found: {missing}", error.Trim());
        Assert.Equal(2, Run("outline", missing).Code);
    }

    [Fact]
    public void A_directory_given_as_a_file_is_a_usage_error()
    {
        var (code, _, error) = Run("check", _directory);
        Assert.Equal(2, code);
        Assert.Contains("file not found", error);
    }

    [Theory]
    [InlineData("--help", "check")]
    [InlineData("check --help", "FILE")]
    [InlineData("outline --help", "outline")]
    public void Help_exits_0_and_describes_the_command(string args, string expected)
    {
        var (code, output, _) = Run(args.Split(' '));
        Assert.Equal(0, code);
        Assert.Contains(expected, output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Outline_prints_one_indented_line_per_node()
    {
        var (code, output, error) = Run("outline", Write("ok.policy", Valid));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal("""
            section 1 Industry
              clause 1 First
                rule a Rule A
                rule b
              clause 2 Second
                rule c Rule C
            general Other
              provision 1 Stacking
              provision 2

            """.ReplaceLineEndings(Environment.NewLine), output);
    }

    [Fact]
    public void Outline_of_a_file_with_errors_prints_what_it_can_and_exits_1()
    {
        var path = Write("bad.policy", Valid.Replace("      award 1 points", "      award 1 points )"));
        var (code, output, error) = Run("outline", path);
        Assert.Equal(1, code);
        Assert.Contains("    rule c Rule C", output);
        Assert.Contains($"{path}(9,22): error PDSL0001: Expected end of line, found \")\"", error);
    }
}
