using PolicyDsl.Cli;
using PolicyDsl.Formatting;
using PolicyDsl.Syntax;

namespace PolicyDsl.Compiler.Tests;

/// <summary>policyc format: one canonical layout, idempotent, check-clean, and --check for CI.</summary>
public sealed class FormatterTests
{
    public static TheoryData<string> Samples() => new(Directory
        .EnumerateFiles(Path.Combine(TestFiles.Root, "samples"), "*.*", SearchOption.AllDirectories)
        .Where(p => p.EndsWith(".policy", StringComparison.Ordinal) || p.EndsWith(".rules", StringComparison.Ordinal))
        .Select(p => Path.GetRelativePath(TestFiles.Root, p).Replace('\\', '/'))
        .Order(StringComparer.Ordinal));

    private static List<string> Tokens(string text)
    {
        var tokens = new List<Lexeme>();
        var all = new List<string>();
        var start = 0;
        while (true)
        {
            var end = text.IndexOfAny(['\r', '\n'], start);
            if (end < 0) end = text.Length;
            tokens.Clear();
            Assert.Null(Lexer.Lex(text, start, end, tokens));
            all.AddRange(tokens.Select(t => t.Kind + ":" + t.Text));
            if (end == text.Length) break;
            start = end + 1;
        }
        return all;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_is_formatted_formats_idempotently_keeps_its_tokens_and_stays_check_clean(string relative)
    {
        var text = TestFiles.Read(relative);
        var once = PolicyFormatter.Format(text);
        Assert.Equal(once, PolicyFormatter.Format(once));
        Assert.True(once == text, relative + " is not in the canonical layout: run 'policyc format " + relative + "'");
        Assert.Equal(Tokens(text), Tokens(once));

        var dir = Path.GetDirectoryName(Path.Combine(TestFiles.Root, relative))!;
        var siblings = Directory.EnumerateFiles(dir).Where(p => p.EndsWith(".policy", StringComparison.Ordinal) || p.EndsWith(".rules", StringComparison.Ordinal)).ToList();
        var before = Diagnose(siblings, relative, text);
        var after = Diagnose(siblings, relative, once);
        Assert.DoesNotContain(before, d => d.IsError);
        Assert.Equal(before.Select(d => (d.Id, d.Start.Line)), after.Select(d => (d.Id, d.Start.Line)));
    }

    /// <summary>The diagnostics of the sample's folder, with one file replaced by the given text.</summary>
    private static IReadOnlyList<Diagnostics.Diagnostic> Diagnose(List<string> files, string relative, string text)
    {
        var target = Path.GetFullPath(Path.Combine(TestFiles.Root, relative));
        var sources = files.Select(f => Path.GetFullPath(f) == target ? ParsedSource.Parse(f, text) : ParsedSource.Read(f)).ToList();
        return CheckPairing.Diagnose(sources);
    }

    [Fact]
    public void A_year_start_keeps_its_month_and_day_tight()
    {
        // §30.1: "year starts 07-01" is a day of the year, not a subtraction.
        var text = "policy Demo \"d\"\n  effective 2024-07-01 onwards\n  year starts 07-01\n";
        Assert.Equal(text, PolicyFormatter.Format(text));
        Assert.Contains("  x = 07 - 01", PolicyFormatter.Format("policy Demo \"d\"\n  x = 07-01\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_messy_file_gets_the_canonical_layout()
    {
        const string messy = """
            # a policy
            policy   P "t"
                 effective 2026-01-01   through 2026-12-31
               points worth at most 10000 yuan


            section 1 "s" department "d" , "e"
            clause 1 "c"
            # about r
                    rule r "r"
            fact level : level 1 "一", 2 "二"
            fact x:yuan
              table amount[ level ]: points
                 case 1=5 points
                  case 2 = 10 points   # the top
            band b( x ) : %
            case < 100 yuan = 10%
            case >= 100 yuan and < 200 yuan = 8 %
            requires x>=-5 yuan  # at least
            award min( amount[level],b of x in points )+1 points
                 cap 30 points per enterprise
            """;
        const string expected = """
            # a policy
            policy P "t"
              effective 2026-01-01 through 2026-12-31
              points worth at most 10000 yuan

            section 1 "s" department "d", "e"
              clause 1 "c"
                # about r
                rule r "r"
                  fact level: level 1 "一", 2 "二"
                  fact x: yuan
                  table amount[level]: points
                    case 1 = 5 points
                    case 2 = 10 points  # the top
                  band b(x): %
                    case < 100 yuan                 = 10%
                    case >= 100 yuan and < 200 yuan = 8%
                  requires x >= -5 yuan  # at least
                  award min(amount[level], b of x in points) + 1 points
                  cap 30 points per enterprise

            """;
        var formatted = PolicyFormatter.Format(messy.Replace("\r\n", "\n"));
        Assert.Equal(expected.Replace("\r\n", "\n"), formatted);
        Assert.Equal(formatted, PolicyFormatter.Format(formatted));
        Assert.Equal(PolicyParser.Parse(messy).Errors, PolicyParser.Parse(formatted).Errors);
    }

    /// <summary>Display columns as a monospaced editor shows them: a CJK ideograph or full-width character takes two.</summary>
    private static int Columns(string s) => s.EnumerateRunes().Sum(r => r.Value is >= 0x3000 and <= 0x9FFF or >= 0xFF00 and <= 0xFF60 or >= 0x20000 ? 2 : 1);

    [Fact]
    public void Case_lines_with_Chinese_text_align_their_equals_sign_in_display_columns()
    {
        // The "=" was aligned by UTF-16 index, so a 档 line of CJK words was padded less than an ASCII one
        // and the signs stood at uneven columns on screen.
        const string text = """
            政策 P "t"
              有效期 2026-01-01 至 2026-12-31
              每分 价值 不超过 10000 元

            章 1 "s" 部门 "d"
              条 1 "c"
                规则 r "r"
                  事实 投资: 万元
                  事实 级别: 之一 国家级 "国家级", 省级 "省级", city "市级"
                  表 额[级别]: 万元
                    档 国家级 = 100 万元
                    档 省级 = 50 万元
                    档 city = 10 万元
                  分档 比例(投资): %
                    档 1000 万元 及以上 至 5000 万元 = 70%
                    档 5000 万元 以上 = 80%
                    档 < 1000 万元 = 60%
                  奖励 额[级别]
            """;
        var formatted = PolicyFormatter.Format(text.Replace("\r\n", "\n"));
        Assert.Equal(formatted, PolicyFormatter.Format(formatted));
        var lines = formatted.Split('\n');
        var cases = lines.Where(l => l.TrimStart().StartsWith("档 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, cases.Count);
        foreach (var group in new[] { cases.Where(l => !l.Contains('%')), cases.Where(l => l.Contains('%')) })
        {
            var columns = group.Select(l => Columns(l[..l.LastIndexOf(" = ", StringComparison.Ordinal)])).Distinct().ToList();
            Assert.True(columns.Count == 1, "uneven '=' columns " + string.Join(", ", columns) + ":\n" + formatted);
        }
        Assert.Contains("        档 国家级 = 100 万元\n        档 省级   = 50 万元\n        档 city   = 10 万元\n", formatted, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_fails_on_a_misformatted_copy_and_format_fixes_it()
    {
        var dir = Directory.CreateTempSubdirectory("pdsl-format-");
        try
        {
            var path = Path.Combine(dir.FullName, "tongzhou-2026.policy");
            var sample = PolicyFormatter.Format(TestFiles.SamplePolicy);
            File.WriteAllText(path, sample);
            Assert.Equal(ExitCodes.Success, Policyc.Run(["format", "--check", path], new StringWriter(), new StringWriter()));

            File.WriteAllText(path, sample.Replace("\n      award ", "\n   award  ", StringComparison.Ordinal).Replace("amount[cmmm_level]", "amount[ cmmm_level ]", StringComparison.Ordinal));
            var output = new StringWriter();
            Assert.Equal(ExitCodes.Errors, Policyc.Run(["format", "--check", path], output, new StringWriter()));
            Assert.Contains("not formatted", output.ToString());

            Assert.Equal(ExitCodes.Success, Policyc.Run(["format", path], new StringWriter(), new StringWriter()));
            Assert.Equal(ExitCodes.Success, Policyc.Run(["format", "--check", path], new StringWriter(), new StringWriter()));
            Assert.Equal(PolicyFormatter.Format(sample), File.ReadAllText(path));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_test_file_is_left_as_it_is_even_in_a_glob()
    {
        // The clause layout would flatten a .tests file's nesting (application under test, facts under application).
        var dir = Directory.CreateTempSubdirectory("pdsl-format-");
        try
        {
            var tests = Path.Combine(dir.FullName, "x.tests");
            const string text = "tests for P \"t\"\n\ntest \"A\"\n  application A by E under r on 2026-03-01\n    fact f = 1 yuan\n    expect award 1 yuan\n";
            File.WriteAllText(tests, text);
            var policy = Path.Combine(dir.FullName, "p.policy");
            File.WriteAllText(policy, PolicyFormatter.Format(TestFiles.SamplePolicy));
            var error = new StringWriter();
            Assert.Equal(ExitCodes.Success, Policyc.Run(["format", tests, policy], new StringWriter(), error));
            Assert.Equal(text, File.ReadAllText(tests));
            Assert.Contains("x.tests is not a .policy or .rules file; left as it is", error.ToString(), StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Success, Policyc.Run(["format", "--check", tests, policy], new StringWriter(), new StringWriter()));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
