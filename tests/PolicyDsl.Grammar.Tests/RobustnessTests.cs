using System.Text;
using PolicyDsl.Syntax;
using static PolicyDsl.Grammar.Tests.TestSupport;

namespace PolicyDsl.Grammar.Tests;

/// <summary>No input throws, hangs or exhausts the stack; each comes back as errors.</summary>
public class RobustnessTests
{
    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("\n\r\n  \t\n")]
    [InlineData("# only a comment\n   # and another")]
    public void Nothing_to_compile_is_an_empty_file(string text)
    {
        var file = PolicyParser.Parse(text);
        var error = Assert.Single(file.Errors);
        Assert.Equal(SyntaxErrorKind.EmptyFile, error.Kind);
        Assert.Null(file.Policy);
        Assert.Null(file.Implementation);
    }

    [Fact]
    public void A_BOM_before_the_policy_line_is_ignored()
    {
        var file = PolicyParser.Parse("\uFEFFpolicy P \"t\"");
        Assert.Empty(file.Errors);
        Assert.Equal(new PolicyDsl.Text.TextSpan(1, 12), file.Policy!.Span);
    }

    [Fact]
    public void NUL_bytes_are_bad_characters()
    {
        var error = Assert.Single(PolicyParser.Parse("policy P \"t\"\n  \0\0\0").Errors);
        Assert.Equal(SyntaxErrorKind.BadCharacter, error.Kind);
        Assert.Equal("U+0000", error.Found);
        Assert.Equal(new PolicyDsl.Text.TextSpan(15, 1), error.Span);
    }

    [Fact]
    public void A_lone_surrogate_is_bad_outside_strings_and_kept_inside()
    {
        var outside = Assert.Single(PolicyParser.Parse(Prefix + "award \uD800").Errors);
        Assert.Equal((SyntaxErrorKind.BadCharacter, "U+D800"), (outside.Kind, outside.Found));
        Assert.Equal("a\uDC00b", Assert.IsType<NoteSyntax>(OneStatement("note \"a\uDC00b\"")).Text.Value);
    }

    [Fact]
    public void A_bidi_override_is_fine_as_an_escape_and_bad_as_a_raw_character_outside_strings()
    {
        Assert.Equal("x\u202Ey", Assert.IsType<NoteSyntax>(OneStatement("note \"x\\u{202E}y\"")).Text.Value);
        var error = Assert.Single(PolicyParser.Parse(Prefix + "award \u202E 5").Errors);
        Assert.Equal((SyntaxErrorKind.BadCharacter, "U+202E"), (error.Kind, error.Found));
    }

    [Fact]
    public void A_hundred_thousand_nested_parentheses_give_one_error()
    {
        var text = Prefix + "award " + new string('(', 100_000) + "1" + new string(')', 100_000);
        var error = Assert.Single(PolicyParser.Parse(text).Errors);
        Assert.Equal(SyntaxErrorKind.TooDeeplyNested, error.Kind);
        Assert.Equal(Prefix.Length + "award ".Length + PolicyParser.MaxNesting, error.Span.Start);
    }

    [Fact]
    public void Nesting_up_to_the_limit_parses()
    {
        var depth = PolicyParser.MaxNesting;
        var award = Assert.IsType<AwardSyntax>(OneStatement("award " + new string('(', depth) + "1" + new string(')', depth)));
        Assert.IsType<QuantityExpression>(award.Amount);
        var half = depth / 2;
        var requires = OneStatement("requires " + string.Concat(Enumerable.Repeat("not (", half)) + "a" + new string(')', half));
        Assert.IsType<NotCondition>(Assert.IsType<RequiresSyntax>(requires).Condition);
    }

    [Theory]
    [InlineData("requires ", "(", "a", ")", " > 1")]
    [InlineData("award ", "if a then ", "1", " else 1", "")]
    [InlineData("award ", "t[", "1", "]", "")]
    [InlineData("requires ", "not (", "a > 1", ")", "")]
    public void The_deepest_allowed_line_fits_in_a_small_stack(string start, string open, string middle, string close, string end)
    {
        var levels = start == "requires " && open == "not (" ? PolicyParser.MaxNesting / 2 : PolicyParser.MaxNesting;
        var text = Prefix + start + string.Concat(Enumerable.Repeat(open, levels)) + middle + string.Concat(Enumerable.Repeat(close, levels)) + end;
        SourceFileSyntax? file = null;
        // A quarter of the usual 1 MB: the limit leaves room for callers deep in their own stacks.
        var thread = new Thread(() => file = PolicyParser.Parse(text), 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.NotNull(file);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void A_hundred_thousand_nots_give_one_error()
    {
        var text = Prefix + "requires " + string.Concat(Enumerable.Repeat("not ", 100_000)) + "a";
        Assert.Equal(SyntaxErrorKind.TooDeeplyNested, Assert.Single(PolicyParser.Parse(text).Errors).Kind);
    }

    [Fact]
    public void A_long_chain_of_operators_is_limited()
    {
        var text = Prefix + "award 1" + string.Concat(Enumerable.Repeat(" + 1", 50_000));
        Assert.Equal(SyntaxErrorKind.TooDeeplyNested, Assert.Single(PolicyParser.Parse(text).Errors).Kind);
        var ok = Prefix + "award 1" + string.Concat(Enumerable.Repeat(" + 1", PolicyParser.MaxOperators));
        Assert.Empty(PolicyParser.Parse(ok).Errors);
    }

    [Fact]
    public void A_hundred_thousand_character_line_parses_or_fails_once()
    {
        var longNote = new string('长', 100_000);
        Assert.Equal(longNote, Assert.IsType<NoteSyntax>(OneStatement($"note \"{longNote}\"")).Text.Value);

        var error = Assert.Single(PolicyParser.Parse(Prefix + new string('x', 100_000)).Errors);
        Assert.Equal(SyntaxErrorKind.Unexpected, error.Kind);
        Assert.True(error.Found.Length < 50, "the message quotes a shortened token");
    }

    [Theory]
    [InlineData("99999999999999999999999999999999", SyntaxErrorKind.NumberOutOfRange)]
    [InlineData("1" + "00000000000000000000000000000000000000000000000000", SyntaxErrorKind.NumberOutOfRange)]
    [InlineData("1e30", SyntaxErrorKind.Unexpected)]
    public void Numbers_that_do_not_fit_are_errors_not_exceptions(string number, SyntaxErrorKind kind)
    {
        var error = Assert.Single(PolicyParser.Parse(Prefix + "award " + number).Errors);
        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public void Random_input_never_throws_and_never_needs_the_last_resort()
    {
        var pieces = new[]
        {
            "policy", "section", "clause", "rule", "fact", "award", "requires", "cap", "table", "band", "case", "not", "if",
            "then", "else", "(", ")", "[", "]", "\"", "\\", "\"s\"", "1", "2026-01-01", "%", "yuan", "分", "每", "per", ":", ",",
            "=", ">=", "\t", "\r", "\n", "\r\n", "#", "\0", "\uD800", "x", "中", "general", "provision", "share", "at", "most",
            "implementation", "of", "set", ".", "-", "99999999999999999999999999999999", "\u202E", "\uFEFF",
        };
        var random = new Random(20260101);
        for (var round = 0; round < 300; round++)
        {
            var sb = new StringBuilder();
            var length = random.Next(1, 200);
            for (var i = 0; i < length; i++) sb.Append(pieces[random.Next(pieces.Length)]).Append(random.Next(3) == 0 ? "" : " ");
            var file = PolicyParser.Parse(sb.ToString());
            Assert.DoesNotContain(file.Errors, e => e.Found.StartsWith("an internal error", StringComparison.Ordinal));
            Assert.All(file.Errors, e => Assert.InRange(e.Span.End, 0, sb.Length));
        }
    }

    [Fact]
    public void Parsing_is_repeatable_and_value_equal()
    {
        var text = Prefix + "fact x: yuan\naward 10% of x\n";
        Assert.Equal(PolicyParser.Parse(text), PolicyParser.Parse(text));
        Assert.Equal(PolicyParser.Parse(text).GetHashCode(), PolicyParser.Parse(text).GetHashCode());
    }
}
