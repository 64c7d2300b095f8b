using PolicyDsl.Syntax;
using static PolicyDsl.Grammar.Tests.TestSupport;

namespace PolicyDsl.Grammar.Tests;

/// <summary>A bad line costs one error; the rest of the file still parses.</summary>
public class RecoveryTests
{
    private const string Valid = """
        policy P "t"
        section 1 "s" department "d"
          clause 1 "c"
            rule a
              fact x: yuan
              award 10% of x
            rule b
              award 5 points
          clause 2 "c2"
            rule c
              award 1 points
        general "g"
          provision 1
            no stacking
        """;

    [Fact]
    public void Three_garbage_lines_give_three_errors_each_on_its_line()
    {
        var lines = Valid.Split('\n').ToList();
        lines.Insert(13, "  !!! nonsense");
        lines.Insert(7, "      award 5 points )");
        lines.Insert(2, "garbage");
        var text = string.Join('\n', lines);

        var file = PolicyParser.Parse(text);
        Assert.Equal([(3, 1, SyntaxErrorKind.Unexpected), (9, 22, SyntaxErrorKind.Unexpected), (16, 3, SyntaxErrorKind.BadCharacter)], Errors(text));
        // Everything else is still there.
        Assert.Equal(TreePrinter.Print(PolicyParser.Parse(Valid).Policy), TreePrinter.Print(file.Policy));
    }

    [Fact]
    public void Independent_errors_are_all_reported_in_one_run()
    {
        var text = Prefix + "note \"unclosed\naward 99999999999999999999999999999999\nfact x: yuan\ncap 5 yuan per galaxy\nround sideways to 1 yuan\nlet = 3\nband b(x) %\n";
        Assert.Equal([
            (5, 6, SyntaxErrorKind.BadString),
            (6, 7, SyntaxErrorKind.NumberOutOfRange),
            (8, 16, SyntaxErrorKind.Unexpected),
            (9, 7, SyntaxErrorKind.Unexpected),
            (10, 5, SyntaxErrorKind.Unexpected),
            (11, 11, SyntaxErrorKind.Unexpected),
        ], Errors(text));
        Assert.IsType<FactSyntax>(Assert.Single(PolicyParser.Parse(text).Policy!.Sections[0].Clauses[0].Rules[0].Items));
    }

    [Fact]
    public void A_bad_rule_line_does_not_make_its_statements_misplaced()
    {
        var text = Prefix + "rule \"no name\"\nfact x: yuan\naward x\nrule ok\naward 1 yuan\nfact y: yuan\n";
        var errors = PolicyParser.Parse(text).Errors;
        Assert.Equal(SyntaxErrorKind.Unexpected, Assert.Single(errors).Kind);
        var rules = PolicyParser.Parse(text).Policy!.Sections[0].Clauses[0].Rules;
        Assert.Equal(["r", "ok"], rules.Select(r => r.Name.Text));
        Assert.Equal(2, rules[1].Items.Count);
    }

    [Fact]
    public void Lines_before_the_policy_line_are_misplaced_and_the_policy_still_parses()
    {
        var file = PolicyParser.Parse("note \"early\"\npolicy P \"t\"\n");
        Assert.Equal(SyntaxErrorKind.Misplaced, Assert.Single(file.Errors).Kind);
        Assert.Equal("P", file.Policy!.Name.Text);
    }
}
