using PolicyDsl.Syntax;
using PolicyDsl.Text;

namespace PolicyDsl.Grammar.Tests;

internal static class TestSupport
{
    public const string Prefix = "policy P \"t\"\nsection 1 \"s\" department \"d\"\nclause 1 \"c\"\nrule r\n";

    /// <summary>Parses lines inside one rule and returns the rule's statements.</summary>
    public static EquatableArray<StatementSyntax> RuleItems(string lines)
    {
        var file = PolicyParser.Parse(Prefix + lines);
        Assert.Empty(file.Errors);
        return file.Policy!.Sections[0].Clauses[0].Rules[0].Items;
    }

    public static StatementSyntax OneStatement(string line) => Assert.Single(RuleItems(line));

    /// <summary>Errors as (line, column, kind), which is what a person sees.</summary>
    public static List<(int Line, int Column, SyntaxErrorKind Kind)> Errors(string text)
    {
        var map = new LineMap(text);
        return PolicyParser.Parse(text).Errors
            .Select(e => (map.GetPosition(e.Span.Start).Line, map.GetPosition(e.Span.Start).Column, e.Kind)).ToList();
    }

    public static string RepoRoot() => Repository.Root;
}
