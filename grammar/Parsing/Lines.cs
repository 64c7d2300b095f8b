using PolicyDsl.Text;

namespace PolicyDsl.Syntax;

/// <summary>
/// What one line parses to, before the lines are assembled into the tree. Lines that open a
/// container (policy, section, clause, rule, general, provision, implementation) and case lines
/// have their own shapes; all others are ready statements.
/// </summary>
internal abstract record Line(TextSpan Span);

internal sealed record StatementLine(StatementSyntax Statement) : Line(Statement.Span);

internal sealed record PolicyLine(Identifier Name, StringLiteral Title, TextSpan Span) : Line(Span);

internal sealed record SectionLine(IntegerLiteral Number, StringLiteral Title, EquatableArray<StringLiteral> Departments, TextSpan Span) : Line(Span);

internal sealed record SubsectionLine(IntegerLiteral Number, StringLiteral Title, TextSpan Span) : Line(Span);

internal sealed record ClauseLine(IntegerLiteral Number, StringLiteral Title, TextSpan Span) : Line(Span);

internal sealed record RuleLine(Identifier Name, StringLiteral? Title, TextSpan Span) : Line(Span);

internal sealed record GeneralLine(IntegerLiteral? Number, StringLiteral Title, TextSpan Span) : Line(Span);

internal sealed record ProvisionLine(IntegerLiteral Number, StringLiteral? Title, TextSpan Span) : Line(Span);

internal sealed record ImplementationLine(Identifier Policy, StringLiteral? Title, TextSpan Span) : Line(Span);

internal sealed record TableCaseLine(TableCaseSyntax Case) : Line(Case.Span);

internal sealed record BandCaseLine(BandCaseSyntax Case) : Line(Case.Span);
