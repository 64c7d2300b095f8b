using PolicyDsl.Syntax;
using static PolicyDsl.Grammar.Tests.TestSupport;

namespace PolicyDsl.Grammar.Tests;

/// <summary>Where errors are reported and what they say.</summary>
public class ErrorTests
{
    [Fact]
    public void A_tab_counts_as_one_column()
    {
        Assert.Equal([(2, 3, SyntaxErrorKind.Unexpected)], Errors("policy P \"t\"\n\t\tgarbage here\n"));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("\n")]
    public void Every_line_end_counts_one_line(string newline)
    {
        var text = string.Join(newline, "policy P \"t\"", "section x \"s\" department \"d\"", "", "  clause 1 \"c\"", "\tbogus");
        Assert.Equal([(2, 9, SyntaxErrorKind.Unexpected), (5, 2, SyntaxErrorKind.Unexpected)], Errors(text));
    }

    [Fact]
    public void Mixed_line_ends_in_one_file()
    {
        var text = "policy P \"t\"\r\nbad1\rbad2\nbad3\r\n\r\n\tbad4";
        Assert.Equal([(2, 1, SyntaxErrorKind.Unexpected), (3, 1, SyntaxErrorKind.Unexpected),
            (4, 1, SyntaxErrorKind.Unexpected), (6, 2, SyntaxErrorKind.Unexpected)], Errors(text));
    }

    [Fact]
    public void An_unknown_first_word_expects_a_statement_keyword()
    {
        var error = Assert.Single(PolicyParser.Parse("policy P \"t\"\ngarbage 1 2").Errors);
        Assert.Equal(PolicyParser.StatementKeywords, error.Expected);
        Assert.Equal("\"garbage\"", error.Found);
        Assert.Equal(new PolicyDsl.Text.TextSpan(13, 7), error.Span);
    }

    [Fact]
    public void A_missing_word_is_reported_at_the_end_of_the_line()
    {
        // A section may name no department (issue 14); a clause needs its title.
        Assert.Empty(PolicyParser.Parse("policy P \"t\"\nsection 1 \"s\"   # no department").Errors);
        var text = "policy P \"t\"\nsection 1 \"s\"\n  clause 1   # no title";
        var error = Assert.Single(PolicyParser.Parse(text).Errors);
        Assert.Equal(SyntaxErrorKind.Unexpected, error.Kind);
        Assert.Equal("end of line", error.Found);
        Assert.Contains("string", error.Expected);
        Assert.Equal(text.IndexOf('#') - 3, error.Span.Start);
        Assert.Equal(0, error.Span.Length);
    }

    [Fact]
    public void A_wrong_unit_names_the_units()
    {
        var error = Assert.Single(PolicyParser.Parse(Prefix + "fact x: dollars").Errors);
        Assert.Contains("a unit (yuan, 万元, points, ...)", error.Expected);
        Assert.Equal("\"dollars\"", error.Found);
        Assert.Equal((5, 9), Position(Prefix + "fact x: dollars", error));
    }

    [Fact]
    public void A_missing_bracket_is_named()
    {
        var text = Prefix + "award t[a, b";
        var error = Assert.Single(PolicyParser.Parse(text).Errors);
        Assert.Contains("\"]\"", error.Expected);
        Assert.Equal("end of line", error.Found);
    }

    [Fact]
    public void Extra_words_after_a_statement_are_reported_where_they_start()
    {
        var text = Prefix + "cap 30 points per enterprise extra";
        var error = Assert.Single(PolicyParser.Parse(text).Errors);
        Assert.Equal("\"extra\"", error.Found);
        Assert.Equal((5, 30), Position(text, error));
    }

    [Fact]
    public void Strings_must_close_on_their_line_and_use_known_escapes()
    {
        var text = Prefix + "note \"open\nnote \"bad \\q escape\"\nnote \"bad \\u{D800}\"\nnote \"ok\"";
        var errors = PolicyParser.Parse(text).Errors;
        Assert.All(errors, e => Assert.Equal(SyntaxErrorKind.BadString, e.Kind));
        Assert.Equal([(5, 6), (6, 11), (7, 11)], errors.Select(e => Position(text, e)));
        Assert.Equal("\"\\q\"", errors[1].Found);
    }

    [Fact]
    public void Statements_out_of_place_are_misplaced()
    {
        var text = "policy P \"t\"\naward 5 yuan\nsection 1 \"s\" department \"d\"\nrule r\nclause 1 \"c\"\nprovision 1\npaid by \"x\"";
        var errors = PolicyParser.Parse(text).Errors;
        Assert.All(errors, e => Assert.Equal(SyntaxErrorKind.Misplaced, e.Kind));
        Assert.Equal([2, 4, 6, 7], errors.Select(e => Position(text, e).Line));
        Assert.Equal("a \"rule\" line above it", errors[0].Expected);
        Assert.Equal("\"award\"", errors[0].Found);
    }

    [Fact]
    public void A_case_line_needs_its_table_or_band_right_above()
    {
        var errors = Errors(Prefix + "table t[k]: points\nnote \"n\"\ncase a = 1 points\nband b(x): %\ncase a = 1 points\n");
        Assert.Equal([(7, 1, SyntaxErrorKind.Misplaced), (9, 1, SyntaxErrorKind.Misplaced)], errors);
    }

    [Fact]
    public void A_whole_number_too_large_for_a_clause_number_is_out_of_range()
    {
        var error = Assert.Single(PolicyParser.Parse("policy P \"t\"\nsection 99999999999 \"s\" department \"d\"").Errors);
        Assert.Equal(SyntaxErrorKind.NumberOutOfRange, error.Kind);
        Assert.Equal("\"99999999999\"", error.Found);
    }

    [Fact]
    public void A_fraction_where_a_whole_number_belongs_is_unexpected()
    {
        var error = Assert.Single(PolicyParser.Parse("policy P \"t\"\nsection 1.5 \"s\" department \"d\"").Errors);
        Assert.Equal(SyntaxErrorKind.Unexpected, error.Kind);
        Assert.Equal("a whole number", error.Expected);
    }

    private static (int Line, int Column) Position(string text, SyntaxError error)
    {
        var p = new PolicyDsl.Text.LineMap(text).GetPosition(error.Span.Start);
        return (p.Line, p.Column);
    }
}
