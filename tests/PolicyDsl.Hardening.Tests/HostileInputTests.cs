using System.Text;

namespace PolicyDsl.Hardening.Tests;

/// <summary>
/// Named hostile and broken inputs: each runs through the parser, the checker, the emitter and the
/// source generator (no exception, no internal error, every diagnostic inside the file, within a time
/// bound) and through <c>policyc check</c> (exit 1 with a PDSL diagnostic line, never a crash).
/// </summary>
public sealed class HostileInputTests
{
    /// <summary>A small valid policy; cases splice hostile lines into it.</summary>
    internal const string Small = """
        policy Small "小政策"
          effective 2026-01-01 through 2026-12-31
          points worth at most 10000 yuan

        section 1 "章" department "部门"
          clause 1 "条"
            rule fee_subsidy "展位费补助"
              source "按展位费的50%补助，最高不超过2分。"
              fact fee: yuan
              fact eligible: yes/no
              requires eligible
              award 50% of fee in points
              cap 2 points per project
        """;

    /// <summary>Runs every stage and policyc; returns the IDs of the errors found, in order.</summary>
    private static string[] Errors(string policy, string? rules = null, TimeSpan? timeout = null)
    {
        var result = Harness.WithinTimeout(() => Harness.RunAll(policy, rules), timeout);
        var ids = result.Checked.Errors.Select(d => d.Id).ToArray();
        Assert.NotEmpty(ids);
        Assert.Null(result.Emitted);
        Assert.Empty(result.GeneratedSources);
        // The generator reports what the checker reports (for a policy file; an orphan rules file is the generator's to pair).
        if (result.Parsed.Syntax.Policy is not null) Assert.Equal(result.Checked.Diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal),
            result.GeneratorDiagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
        AssertPolicycFails(Encoding.UTF8.GetBytes(policy), rules);
        return ids;
    }

    internal static void AssertPolicycFails(byte[] policyBytes, string? rules = null, string? expectedId = null, TimeSpan? timeout = null)
    {
        using var file = new Harness.TempFile(policyBytes);
        using var rulesFile = rules is null ? null : new Harness.TempFile(rules, ".rules");
        string[] args = rulesFile is null ? ["check", file.Path] : ["check", file.Path, rulesFile.Path];
        var (exit, output, error) = Harness.WithinTimeout(() => Harness.Policyc(args), timeout, "policyc check");
        Assert.True(exit == 1, $"policyc check exited {exit}\n{output}\n{error}");
        Assert.Matches(@"\(\d+,\d+\): error PDSL\d{4}: ", output);
        if (expectedId is not null) Assert.Contains(" " + expectedId + ": ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_PDSL0007()
    {
        Assert.Equal(["PDSL0007"], Errors(""));
    }

    [Fact]
    public void Only_a_BOM_is_PDSL0007_in_memory_and_from_disk()
    {
        Assert.Equal(["PDSL0007"], Errors("\uFEFF"));
        using var file = new Harness.TempFile([0xEF, 0xBB, 0xBF]);
        var read = ParsedSource.Read(file.Path);
        Assert.Equal("", read.Text);
        Assert.Equal(["PDSL0007"], read.Diagnostics.Select(d => d.Id));
        AssertPolicycFails([0xEF, 0xBB, 0xBF], expectedId: "PDSL0007");
    }

    [Fact]
    public void Only_blank_lines_and_comments_is_PDSL0007()
    {
        Assert.Equal(["PDSL0007"], Errors("\n\n   \t\n# a comment\n\r\n"));
    }

    [Fact]
    public void NUL_bytes_are_invalid_characters_at_their_place()
    {
        var text = Small.Replace("fact fee: yuan", "fact fee\0: yuan", StringComparison.Ordinal);
        var result = Harness.RunAll(text);
        var error = Assert.Single(result.Parsed.Diagnostics);
        Assert.Equal("PDSL0006", error.Id);
        Assert.Equal(text.IndexOf('\0'), error.Span.Start);
        Assert.Contains("PDSL0006", Errors(text));
        Assert.Contains("PDSL0006", Errors("\0\0\0\0"));
        Assert.Contains("PDSL0006", Errors(Small + "\0"));
    }

    [Fact]
    public void Invalid_UTF8_from_disk_is_PDSL0008_at_the_bad_byte()
    {
        var bytes = Encoding.UTF8.GetBytes(Small).ToList();
        var at = Encoding.UTF8.GetBytes(Small[..Small.IndexOf("小政策", StringComparison.Ordinal)]).Length;
        bytes.InsertRange(at, [0xC3, 0x28, 0xFF, 0xFE]); // a broken two-byte sequence, then bytes never valid in UTF-8
        using var file = new Harness.TempFile(bytes.ToArray());
        var read = ParsedSource.Read(file.Path);
        var error = Assert.Single(read.Diagnostics, d => d.Id == "PDSL0008");
        Assert.Equal(at, error.Span.Start); // no multi-byte text precedes it, so byte and char offsets agree on line 1
        Assert.Contains("0xC3", error.Message, StringComparison.Ordinal);
        Harness.AssertInside(read.Diagnostics, file.Path, read.Text);
        Assert.Contains('\uFFFD', read.Text);
        AssertPolicycFails(bytes.ToArray(), expectedId: "PDSL0008");
    }

    [Fact]
    public void Invalid_UTF8_after_multibyte_text_points_at_its_character()
    {
        var good = Encoding.UTF8.GetBytes("policy 甲 \"乙\"\n");
        byte[] bytes = [.. good, 0xE4, 0xB8, (byte)'\n']; // a truncated three-byte sequence
        using var file = new Harness.TempFile(bytes);
        var read = ParsedSource.Read(file.Path);
        var error = Assert.Single(read.Diagnostics, d => d.Id == "PDSL0008");
        Assert.Equal(new PolicyDsl.Text.LinePosition(2, 1), error.Start);
        Harness.AssertInside(read.Diagnostics, file.Path, read.Text);
        AssertPolicycFails(bytes, expectedId: "PDSL0008");
    }

    [Fact]
    public void Lone_surrogates_in_memory_are_reported_not_thrown()
    {
        var text = Small.Replace("小政策", "小\uD800政\uDFFF策", StringComparison.Ordinal)
            .Replace("fact fee: yuan", "fact fee: yuan \uDC00", StringComparison.Ordinal);
        var result = Harness.RunAll(text);
        var error = Assert.Single(result.Checked.Errors);
        Assert.Equal("PDSL0006", error.Id);
        Assert.Equal(text.IndexOf('\uDC00', text.IndexOf("fact fee", StringComparison.Ordinal)), error.Span.Start);

        // Inside a string a lone surrogate is text: kept, and escaped in the generated constant.
        var titleOnly = Small.Replace("小政策", "小\uD800政\uDFFF策", StringComparison.Ordinal);
        var clean = Harness.RunAll(titleOnly);
        Assert.Empty(clean.Checked.Errors);
        Assert.Equal("小\uD800政\uDFFF策", clean.Checked.Policy!.Title);
        Assert.Contains("\\uD800", clean.Emitted!, StringComparison.Ordinal);
        Assert.DoesNotContain("\uD800", clean.Emitted!, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> LineEnds => new() { { "CRLF", "\r\n" }, { "CR", "\r" }, { "mixed", "mixed" } };

    private static string WithLineEnds(string text, string ends)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (ends != "mixed") return string.Join(ends, lines);
        var builder = new StringBuilder();
        string[] cycle = ["\r\n", "\n", "\r"];
        for (var i = 0; i < lines.Length; i++)
        {
            builder.Append(lines[i]);
            if (i < lines.Length - 1) builder.Append(cycle[i % 3]);
        }
        return builder.ToString();
    }

    /// <summary>A file with errors on several lines (syntax, names, units, bounds), to compare positions.</summary>
    internal static string Broken => Harness.TongzhouPolicy
        .Replace("award amount[cmmm_level]", "award amount[cmmm_levell]", StringComparison.Ordinal)
        .Replace("cap 10 points per project", "cap 10 yuan per project", StringComparison.Ordinal)
        .Replace("requires recognition_level >= 2", "requires recognition_level >= = 2", StringComparison.Ordinal)
        .Replace("fact rd_investment: yuan", "fact rd_investment: yuan \"unterminated", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Line_ends_do_not_move_diagnostics(string name, string ends)
    {
        _ = name;
        var lf = Harness.RunAll(Broken, Harness.TongzhouRules, generator: false).Checked.Diagnostics;
        Assert.True(lf.Count(d => d.IsError) >= 4, string.Join("\n", lf));
        var other = Harness.RunAll(WithLineEnds(Broken, ends), WithLineEnds(Harness.TongzhouRules, ends)).Checked.Diagnostics;
        Assert.Equal(lf.Select(d => (d.Id, d.Start, d.End, d.Message)), other.Select(d => (d.Id, d.Start, d.End, d.Message)));
        Assert.Equal(1, Errors(WithLineEnds(Broken, ends), WithLineEnds(Harness.TongzhouRules, ends)).Length > 0 ? 1 : 0);
    }

    [Fact]
    public void Tabs_are_white_space_and_count_as_one_column()
    {
        var tabbed = string.Join("\n", Small.Split('\n').Select(l => l.TrimStart() is var t && t.Length < l.Length ? new string('\t', (l.Length - t.Length) / 2) + t : l));
        var clean = Harness.RunAll(tabbed.Replace(" ", "\t", StringComparison.Ordinal).Replace("\t\"", " \"", StringComparison.Ordinal));
        Assert.Empty(clean.Checked.Errors);
        Assert.NotNull(clean.Emitted);

        var broken = tabbed.Replace("\tcap 2 points", "\tcap\t2\tpints", StringComparison.Ordinal);
        var result = Harness.RunAll(broken);
        var error = Assert.Single(result.Checked.Errors);
        var line = broken.Split('\n').Select((l, i) => (l, i)).Single(x => x.l.Contains("pints", StringComparison.Ordinal));
        Assert.Equal(line.i + 1, error.Start.Line);
        Assert.Equal(line.l.IndexOf("pints", StringComparison.Ordinal) + 1, error.Start.Column);
    }

    public static TheoryData<string, string> DeepNesting => new()
    {
        { "parentheses in requires", "requires " + new string('(', 100_000) + "eligible" + new string(')', 100_000) },
        { "not in requires", "requires " + string.Concat(Enumerable.Repeat("not ", 100_000)) + "eligible" },
        { "parentheses in award", "award " + new string('(', 100_000) + "50% of fee in points" + new string(')', 100_000) },
        { "unclosed parentheses", "award " + new string('(', 100_000) },
        { "closing parentheses", "award 1 points" + new string(')', 100_000) },
        { "brackets", "award fee" + string.Concat(Enumerable.Repeat("[fee", 100_000)) },
        { "if chain", "award " + string.Concat(Enumerable.Repeat("if eligible then ", 100_000)) + "1 points" + string.Concat(Enumerable.Repeat(" else 0 points", 100_000)) },
        { "minus chain", "award " + string.Concat(Enumerable.Repeat("- ", 100_000)) + "1 points" },
        { "plus chain", "award " + string.Concat(Enumerable.Repeat("1 points + ", 100_000)) + "1 points" },
        { "and chain", "requires " + string.Concat(Enumerable.Repeat("eligible and ", 100_000)) + "eligible" },
        { "min nesting", "award " + string.Concat(Enumerable.Repeat("min(", 100_000)) + "1 points" + new string(')', 100_000) },
        { "lookup nesting", "award " + string.Concat(Enumerable.Repeat("fee_subsidy(fee: ", 100_000)) + "1 yuan" + new string(')', 100_000) },
    };

    [Theory]
    [MemberData(nameof(DeepNesting))]
    public void Deep_nesting_is_a_clean_error_not_a_stack_overflow(string name, string line)
    {
        _ = name;
        var text = Small.Replace("      requires eligible", "      " + line, StringComparison.Ordinal);
        var ids = Errors(text, timeout: TimeSpan.FromSeconds(60));
        Assert.Contains(ids, id => id is "PDSL0003" or "PDSL0001");
        Assert.All(ids, id => Assert.StartsWith("PDSL000", id, StringComparison.Ordinal));
    }

    [Fact]
    public void Nesting_one_past_the_limit_is_PDSL0003_and_at_the_limit_parses()
    {
        var depth = PolicyDsl.Syntax.PolicyParser.MaxNesting;
        string Nested(int n) => Small.Replace("award 50% of fee in points", "award " + new string('(', n) + "50% of fee in points" + new string(')', n), StringComparison.Ordinal);
        Assert.Empty(Harness.RunAll(Nested(depth)).Checked.Errors);
        Assert.Equal(["PDSL0003"], Errors(Nested(depth + 1)));
    }

    [Fact]
    public void Ten_megabyte_files_finish_in_time()
    {
        // A guard against hangs and quadratic blow-ups, not a speed check (speed is measured in bench/). The whole test took
        // 29 s alone on a 2-core machine at load 4-30 (2026-12-03) and 54 s in a full run at load 20: the limit is generous.
        var hang = TimeSpan.FromSeconds(300);
        // Each file is about 10 MB of UTF-8, under the 16 MiB limit (PDSL0009): counted in bytes, since 注 is three bytes
        // (10 M characters of it were 30 MB, rejected at the limit before any parsing).
        const int target = 10_000_000;
        static string Sized(StringBuilder text)
        {
            var s = text.ToString();
            Assert.InRange(Encoding.UTF8.GetByteCount(s), target, PolicyDsl.ParsedSource.MaxFileBytes - 1);
            return s;
        }
        StringBuilder Grow(StringBuilder text, string piece)
        {
            var bytes = Encoding.UTF8.GetByteCount(text.ToString());
            var pieceBytes = Encoding.UTF8.GetByteCount(piece);
            while (bytes < target) { text.Append(piece); bytes += pieceBytes; }
            return text;
        }

        // A valid policy followed by 10 MB of comments and blank lines.
        var comments = Sized(Grow(new StringBuilder(Small), "\n# " + new string('注', 60) + "\n\n"));
        var clean = Harness.WithinTimeout(() => Harness.RunAll(comments, generator: false), hang);
        Assert.Empty(clean.Checked.Errors);

        // 10 MB of rules: every one a duplicate of the first.
        var body = Small[Small.IndexOf("    rule fee_subsidy", StringComparison.Ordinal)..];
        var many = Sized(Grow(new StringBuilder(Small), "\n" + body));
        var dup = Harness.WithinTimeout(() => Harness.RunAll(many, generator: false), hang);
        Assert.Contains(dup.Checked.Errors, d => d.Id == "PDSL0102");
        AssertPolicycFails(Encoding.UTF8.GetBytes(many), expectedId: "PDSL0102", timeout: hang);

        // 10 MB of garbage lines (ASCII: one byte a character).
        var garbage = new StringBuilder();
        var random = new Random(7);
        while (garbage.Length < target) garbage.Append((char)random.Next(0x20, 0x7F)).Append(random.Next(40) == 0 ? "\n" : "");
        var bad = Harness.WithinTimeout(() => Harness.RunAll(Sized(garbage), generator: false), hang);
        Assert.NotEmpty(bad.Checked.Errors);
        Assert.DoesNotContain(bad.Checked.Errors, d => d.Id == "PDSL0009");
    }

    [Fact]
    public void A_100000_character_line_in_a_string_is_kept_and_in_tokens_is_an_error()
    {
        var longSource = new string('长', 100_000);
        var text = Small.Replace("按展位费的50%补助，最高不超过2分。", longSource, StringComparison.Ordinal);
        var ok = Harness.WithinTimeout(() => Harness.RunAll(text));
        Assert.Empty(ok.Checked.Errors);
        Assert.Equal(longSource, Assert.Single(ok.Checked.Policy!.Rules).Source);
        Assert.Contains(ok.GeneratedSources, s => s.Contains(longSource, StringComparison.Ordinal));

        var words = Small.Replace("fact fee: yuan", "fact fee: yuan " + string.Concat(Enumerable.Repeat("yuan ", 20_000)), StringComparison.Ordinal);
        Assert.NotEmpty(Errors(words)); // 20,000 unit words are one product unit: an error of units, not of syntax
        var unterminated = Small.Replace("source \"按展位费", "source \"" + new string('x', 100_000), StringComparison.Ordinal)
            .Replace("2分。\"", "2分。", StringComparison.Ordinal);
        Assert.Contains("PDSL0005", Errors(unterminated));
    }

    public static TheoryData<string, string, string> Numbers => new()
    {
        { "exponent", "cap 1e30 points per project", "PDSL0001" },
        { "more digits than decimal holds", "cap 123456789012345678901234567890 points per project", "PDSL0004" },
        { "a huge number of digits", "cap " + new string('9', 5_000) + " points per project", "PDSL0004" },
        { "too many decimals", "cap 1." + new string('1', 5_000) + " points per project", "PDSL0004" },
        { "more decimals than decimal holds", "cap 2.00000000000000000000000000001 points per project", "PDSL0004" },
        { "a digit decimal would round away", "cap 1.0000000000000000000000000000001 points per project", "PDSL0004" },
        { "clause number above int", "cap 2 points per project\n  clause 99999999999 \"x\"", "PDSL0004" },
        { "decimal max cap is still bounded", "cap 79228162514264337593543950335 points per project\n      cap 2 points", "" },
        { "28 decimals are exact", "cap 1.0000000000000000000000000001 points per project", "" },
        { "trailing zeros are exact", "cap 2.000000000000000000000000000000000000 points per project", "" },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Odd_numbers_are_clean_errors(string name, string capLine, string expected)
    {
        _ = name;
        var text = Small.Replace("cap 2 points per project", capLine, StringComparison.Ordinal);
        if (expected.Length == 0)
        {
            Assert.Empty(Harness.RunAll(text).Checked.Errors);
            return;
        }
        Assert.Contains(expected, Errors(text));
    }

    [Fact]
    public void Minus_zero_and_tiny_numbers_check_and_evaluate()
    {
        var text = Small.Replace("award 50% of fee in points", "award 0.0000000001 points + -0 points + 0.0000000000000000000000000001 points", StringComparison.Ordinal);
        var result = Harness.RunAll(text);
        Assert.Empty(result.Checked.Errors);
        var rule = Assert.Single(result.Checked.Policy!.Rules);
        var award = PolicyDsl.Evaluation.RuleEvaluator.Evaluate(result.Checked.Policy, rule,
            PolicyDsl.Model.Facts.Empty.With("fee", 1m).With("eligible", true));
        Assert.Equal(0.0000000001000000000000000001m, award.Amount);

        // A value beyond decimal's range arising from arithmetic: the checker must not overflow.
        var huge = Small.Replace("award 50% of fee in points", "award 79228162514264337593543950335 points * 79228162514264337593543950335 of fee in points", StringComparison.Ordinal);
        var overflow = Harness.RunAll(huge);
        Assert.DoesNotContain(overflow.Checked.Diagnostics, d => d.Id == "PDSL0900");
    }

    [Fact]
    public void Impossible_dates_are_PDSL0501()
    {
        Assert.Contains("PDSL0501", Errors(Small.Replace("2026-12-31", "2026-02-30", StringComparison.Ordinal)));
        Assert.Contains("PDSL0501", Errors(Small.Replace("2026-01-01", "2026-13-01", StringComparison.Ordinal)));
        Assert.Contains("PDSL0501", Errors(Small.Replace("2026-01-01", "0000-00-00", StringComparison.Ordinal)));
        Assert.Contains("PDSL0501", Errors(Small.Replace("2026-12-31", "2027-02-29", StringComparison.Ordinal)));
        Assert.Empty(Harness.RunAll(Small.Replace("2026-12-31", "2028-02-29", StringComparison.Ordinal)).Checked.Errors);
        Assert.Contains("PDSL0001", Errors(Small.Replace("2026-12-31", "2026-1-31", StringComparison.Ordinal)));
        Assert.Contains("PDSL0502", Errors(Small.Replace("2026-12-31", "2025-12-31", StringComparison.Ordinal)));
    }

    public static TheoryData<string, string, string> Duplicates => new()
    {
        { "policy line twice", "policy Small \"小政策\"", "PDSL0002" },
        { "effective twice", "  effective 2026-01-01 through 2026-12-31", "PDSL0110" },
        { "points worth twice", "  points worth at most 10000 yuan", "PDSL0110" },
        { "section twice", "section 1 \"章\" department \"部门\"", "PDSL0108" },
        { "clause twice", "  clause 1 \"条\"", "PDSL0108" },
        { "rule twice", "    rule fee_subsidy \"展位费补助\"", "PDSL0102" },
        { "fact twice", "      fact fee: yuan", "PDSL0102" },
        { "award twice", "      award 50% of fee in points", "PDSL0110" },
    };

    [Theory]
    [MemberData(nameof(Duplicates))]
    public void Duplicated_lines_are_errors(string name, string line, string expected)
    {
        _ = name;
        var lines = Small.Split('\n').ToList();
        var at = lines.FindIndex(l => l == line);
        Assert.True(at >= 0, line);
        lines.Insert(at + 1, line);
        var text = string.Join("\n", lines);
        if (name == "section twice" || name == "clause twice")
        {
            // The whole section / clause, so the duplicate is complete.
            var from = Small.IndexOf(line.TrimStart(), StringComparison.Ordinal);
            text = Small + "\n" + Small[(from - (line.Length - line.TrimStart().Length))..];
        }
        Assert.Contains(expected, Errors(text));
    }

    [Fact]
    public void Duplicated_params_cases_and_sets_are_errors()
    {
        var text = Small.Replace("      award 50% of fee in points", """
                  param rate: % at most 50%
                  param rate: % at most 50%
                  fact tier: level 2 "二", 1 "一"
                  table amount[tier]: points
                    case 2 = 2 points
                    case 2 = 1 points
                    case 1 = 1 points
                  award rate of fee in points + amount[tier]
            """.TrimEnd(), StringComparison.Ordinal);
        var ids = Errors(text);
        Assert.Contains("PDSL0102", ids);
        Assert.True(ids.Length >= 2, string.Join(",", ids));

        var withParam = Small.Replace("      award 50% of fee in points", "      param rate: % at most 50%\n      award rate of fee in points", StringComparison.Ordinal);
        Assert.Empty(Harness.RunAll(withParam, "implementation of Small\n  set fee_subsidy.rate = 10%").Checked.Errors);
        Assert.Contains("PDSL0402", Errors(withParam, "implementation of Small\n  set fee_subsidy.rate = 10%\n  set fee_subsidy.rate = 20%"));
        Assert.Contains("PDSL0102", Errors(withParam.Replace("fact eligible: yes/no", "fact eligible: yes/no\n      fact tier: level 2 \"二\", 2 \"二\"", StringComparison.Ordinal),
            "implementation of Small\n  set fee_subsidy.rate = 10%"));
        Assert.NotEmpty(Errors(withParam, "implementation of Small\nimplementation of Small\n  set fee_subsidy.rate = 10%"));
    }

    [Fact]
    public void Two_policies_in_one_file_and_a_rules_file_as_policy()
    {
        Assert.NotEmpty(Errors(Small + "\n" + Small));
        Assert.NotEmpty(Errors("implementation of Small\n  set a.b = 1 points"));
        Assert.Contains("PDSL0408", Harness.RunAll(Small, Small, generator: false).Checked.Errors.Select(d => d.Id));
    }

    [Fact]
    public void Two_policy_files_with_one_name_are_an_error_not_conflicting_CSharp()
    {
        // Regression: the generator emitted both, and the build failed with CS0101 inside generated files.
        var renamed = Small.Replace("policy Small", "policy small", StringComparison.Ordinal); // the same C# namespace
        foreach (var second in new[] { Small, renamed })
        {
            var run = Harness.RunGenerator([new InMemoryAdditionalText("/p/one.policy", Small), new InMemoryAdditionalText("/p/two.policy", second)]);
            Assert.Empty(Harness.Problems(run.Output));
            var error = Assert.Single(run.Diagnostics);
            Assert.Equal("PDSL0102", error.Id);
            Assert.Equal("/p/two.policy", error.Location.GetLineSpan().Path);
            Assert.Equal(new Microsoft.CodeAnalysis.Text.LinePosition(0, 7), error.Location.GetLineSpan().StartLinePosition);
            Assert.Contains("/p/one.policy", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.Single(run.HintNames); // the first policy
        }
    }
}
