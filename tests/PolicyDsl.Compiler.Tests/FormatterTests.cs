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
    public void Every_sample_formats_idempotently_keeps_its_tokens_and_stays_check_clean(string relative)
    {
        var text = TestFiles.Read(relative);
        var once = PolicyFormatter.Format(text);
        Assert.Equal(once, PolicyFormatter.Format(once));
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
}
