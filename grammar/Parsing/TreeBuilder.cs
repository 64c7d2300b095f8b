using System.Collections.Immutable;
using PolicyDsl.Text;

namespace PolicyDsl.Syntax;

/// <summary>
/// Assembles parsed lines into the tree by their order: the policy header, then sections holding
/// clauses holding rules, and chapters of general provisions holding provisions, in any order and as many as written
/// (or, in a rules file, the set lines).
/// One builder per parse; its mutable state never outlives <see cref="PolicyParser.Parse"/>.
/// </summary>
internal sealed class TreeBuilder
{
    private readonly List<SyntaxError> _errors = [];

    private PolicyLine? _policy;
    private TextSpan _policySpan;
    private readonly List<StatementSyntax> _header = [];
    private readonly List<SectionSyntax> _sections = [];
    private Open<SectionLine, ClauseSyntax>? _section;
    private Open<ClauseLine, RuleSyntax>? _clause;
    private SubsectionSyntax? _subsection; // the subsection the clauses being read belong to
    private Open<RuleLine, object>? _rule;
    private Open<GeneralLine, ProvisionSyntax>? _general;
    private readonly List<GeneralSyntax> _generals = [];
    private Open<ProvisionLine, object>? _provision;
    private Open<ImplementationLine, object>? _implementation;

    // After a container line (rule, clause, ...) fails, the lines that belonged in it would each be
    // "misplaced"; those follow-on errors are suppressed until the next container line parses.
    private bool _recovering;

    // The case lines of the table or band that ends the open rule, written into it once when the next
    // other line comes (appending each to an immutable array made a table of n cases cost n²).
    private readonly List<TableCaseSyntax> _tableCases = [];
    private readonly List<BandCaseSyntax> _bandCases = [];
    private TextSpan _casesSpan;

    /// <summary>A container being filled: its opening line, its statements and its children.</summary>
    private sealed class Open<TLine, TChild>(TLine line) where TLine : Line
    {
        public TLine Line { get; } = line;
        public TextSpan Span { get; set; } = line.Span;
        public List<StatementSyntax> Items { get; } = [];
        public List<TChild> Children { get; } = [];

        public void AddItem(StatementSyntax item)
        {
            Items.Add(item);
            Span = Span.Cover(item.Span);
        }

        public void AddChild(TChild child, TextSpan span)
        {
            Children.Add(child);
            Span = Span.Cover(span);
        }
    }

    private static readonly HashSet<string> ContainerKeywords = new(StringComparer.Ordinal)
    {
        "policy", "政策", "section", "章", "subsection", "节", "clause", "条", "rule", "规则", "general", "总则", "provision", "款",
        "implementation", "实施细则",
    };

    public void Error(SyntaxError error) => _errors.Add(error);

    /// <summary>
    /// A line failed to parse. If it would have opened a container, a placeholder container is opened
    /// in its place from what the line's tokens still tell (a name, a title), so that the lines below it
    /// are placed and checked as usual: a broken header line hides nothing else of the file. Only when
    /// not even a placeholder fits (a rule line without a name) are the lines that belonged in it dropped.
    /// </summary>
    public void LineFailed(string? keyword, IReadOnlyList<Lexeme> tokens)
    {
        if (keyword is null || !ContainerKeywords.Contains(keyword) || tokens.Count == 0) return;
        var keywordSpan = tokens[0].Span;
        var span = keywordSpan.Cover(tokens[^1].Span);
        var title = tokens.FirstOrDefault(t => t.Kind == LexemeKind.String) is { Kind: LexemeKind.String, Text: not null } s
            ? new StringLiteral(s.Text, s.Span) : new StringLiteral("", keywordSpan);
        // Placeholder numbers are negative and distinct, so they never collide with a real number.
        var number = new IntegerLiteral(-(++_placeholders), keywordSpan);
        // (A default Lexeme, when nothing matched, has no text.)
        var name = tokens.Skip(1).FirstOrDefault(t => t.Kind == LexemeKind.Word && t.Text is not (null or "of" or "implementation")) is { Kind: LexemeKind.Word, Text: { } n } found
            && n.IndexOfAny(['-', '/']) < 0 ? new Identifier(n, found.Span) : null;
        var placed = false;
        switch (keyword)
        {
            case "policy" or "政策" when _policy is null && _implementation is null:
                _policy = new PolicyLine(name ?? new Identifier(tokens[0].Text, keywordSpan), title, span);
                _policySpan = span;
                placed = true;
                break;
            case "implementation" or "实施细则" when _policy is null && _implementation is null && name is not null:
                _implementation = new(new ImplementationLine(name, null, span));
                placed = true;
                break;
            case "section" or "章" when _policy is not null:
                CloseSection();
                CloseGeneral();
                _section = new(new SectionLine(number, title, EquatableArray<StringLiteral>.Empty, span));
                placed = true;
                break;
            case "clause" or "条" when _section is not null:
                CloseClause();
                _clause = new(new ClauseLine(number, title, span));
                placed = true;
                break;
            case "rule" or "规则" when _clause is not null && name is not null && tokens.Count > 1 && tokens[1].Kind == LexemeKind.Word:
                CloseRule();
                _rule = new(new RuleLine(name, null, span));
                placed = true;
                break;
            case "general" or "总则" when _policy is not null:
                CloseSection();
                CloseGeneral();
                _general = new(new GeneralLine(null, title, span));
                placed = true;
                break;
            case "provision" or "款" when _general is not null:
                CloseProvision();
                _provision = new(new ProvisionLine(number, null, span));
                placed = true;
                break;
        }
        if (placed)
        {
            _recovering = false;
            return;
        }
        _recovering = true;
        switch (keyword)
        {
            case "rule" or "规则": CloseRule(); break;
            case "clause" or "条": CloseClause(); break;
            case "section" or "章": CloseSection(); break;
            case "provision" or "款": CloseProvision(); break;
        }
    }

    private int _placeholders;

    public void Add(Line line, Lexeme keyword)
    {
        if (line is not (TableCaseLine or BandCaseLine)) FlushCases();
        switch (line)
        {
            case PolicyLine policy:
                if (_policy is not null || _implementation is not null) { Misplaced(keyword, OneFileHeader); return; }
                _policy = policy;
                _policySpan = policy.Span;
                _recovering = false;
                return;

            case ImplementationLine implementation:
                if (_policy is not null || _implementation is not null) { Misplaced(keyword, OneFileHeader); return; }
                _implementation = new(implementation);
                _recovering = false;
                return;

            case SectionLine section:
                if (_policy is null) { Misplaced(keyword, "a \"policy\" line above it"); return; }
                CloseSection();
                CloseGeneral();
                _section = new(section);
                _recovering = false;
                return;

            case SubsectionLine subsection:
                if (_section is null) { Misplaced(keyword, "a \"section\" line above it"); return; }
                CloseClause();
                _subsection = new SubsectionSyntax(subsection.Number, subsection.Title, subsection.Span);
                _recovering = false;
                return;

            case ClauseLine clause:
                if (_section is null) { Misplaced(keyword, "a \"section\" line above it"); return; }
                CloseClause();
                _clause = new(clause);
                _recovering = false;
                return;

            case RuleLine rule:
                if (_clause is null) { Misplaced(keyword, "a \"clause\" line above it"); return; }
                CloseRule();
                _rule = new(rule);
                _recovering = false;
                return;

            case GeneralLine general:
                // A chapter of general provisions may stand anywhere among the sections, as often as the document has one (§29).
                if (_policy is null) { Misplaced(keyword, "a \"policy\" line above it"); return; }
                CloseSection();
                CloseGeneral();
                _general = new(general);
                _recovering = false;
                return;

            case ProvisionLine provision:
                if (_general is null) { Misplaced(keyword, "a \"general\" line above it"); return; }
                CloseProvision();
                _provision = new(provision);
                _recovering = false;
                return;

            case TableCaseLine tableCase:
                if (_rule?.Items is [.., TableSyntax])
                {
                    _tableCases.Add(tableCase.Case);
                    AddCaseSpan(_rule, tableCase.Span);
                }
                else Misplaced(keyword, "a \"table\" line or its cases right above it");
                return;

            case BandCaseLine bandCase:
                if (_rule?.Items is [.., BandSyntax])
                {
                    _bandCases.Add(bandCase.Case);
                    AddCaseSpan(_rule, bandCase.Span);
                }
                else Misplaced(keyword, "a \"band\" line or its cases right above it");
                return;

            case StatementLine { Statement: var statement }:
                AddStatement(statement, keyword);
                return;
        }
    }

    private const string OneFileHeader = "one \"policy\" or \"implementation of\" line per file";

    private void AddStatement(StatementSyntax statement, Lexeme keyword)
    {
        if (_implementation is not null)
        {
            if (statement is NoteSyntax or SetSyntax) _implementation.AddItem(statement);
            else Misplaced(keyword, "a \"note\" or \"set\" line in an implementation-rules file");
            return;
        }
        if (_policy is null)
        {
            Misplaced(keyword, "a \"policy\" or \"implementation of\" line first");
            return;
        }

        var inHeader = _section is null && _general is null && _sections.Count == 0 && _generals.Count == 0;
        switch (statement)
        {
            case PointValueSyntax or SupersedesSyntax or InterpretedBySyntax or PaidBySyntax or UnitDeclarationSyntax or CurrencyDeclarationSyntax or PaidInSyntax:
                if (inHeader) AddHeader(statement);
                else Misplaced(keyword, "it in the header, after the \"policy\" line and before the first section");
                return;

            case EffectiveSyntax or YearStartSyntax:
                if (_rule is not null) _rule.AddItem(statement);
                else if (inHeader) AddHeader(statement);
                else Misplaced(keyword, "it in the header or in a rule");
                return;

            case NoteSyntax or SourceSyntax:
                if (_provision is not null) _provision.AddItem(statement);
                else if (_general is not null) Misplaced(keyword, "a \"provision\" line above it");
                else if (_rule is not null) _rule.AddItem(statement);
                else if (_clause is not null) _clause.AddItem(statement);
                else if (_section is not null) _section.AddItem(statement);
                else if (inHeader) AddHeader(statement);
                else Misplaced(keyword, "a \"policy\", \"section\", \"clause\", \"rule\" or \"provision\" line above it");
                return;

            case MeasureSyntax:
                if (_provision is not null) _provision.AddItem(statement);
                else if (_general is not null) Misplaced(keyword, "a \"provision\" line above it");
                else if (_clause is not null) _clause.AddItem(statement); // a measure belongs to the clause, even written among its rules
                else Misplaced(keyword, "it in a clause or in a provision");
                return;

            case NoStackingSyntax or HighestOnlySyntax or HighestElsewhereSyntax or CostShareSyntax:
                if (_provision is not null) _provision.AddItem(statement);
                else Misplaced(keyword, "a \"provision\" line above it");
                return;

            case SetSyntax:
                Misplaced(keyword, "an \"implementation of\" line at the top of the file");
                return;

            case FactSyntax or RequiresSyntax when _rule is null:
                // A condition of the whole policy, a section or a clause (适用于…), written once: every rule below it has it.
                if (_clause is not null) _clause.AddItem(statement);
                else if (_section is not null) _section.AddItem(statement);
                else if (inHeader) AddHeader(statement);
                else Misplaced(keyword, "a \"rule\", \"clause\" or \"section\" line above it, or the header");
                return;

            default:
                // fact, param, let, requires, award, cap, uncapped, round, table, band, instalments
                if (_rule is not null) _rule.AddItem(statement);
                else Misplaced(keyword, "a \"rule\" line above it");
                return;
        }
    }

    private void AddHeader(StatementSyntax statement)
    {
        _header.Add(statement);
        _policySpan = _policySpan.Cover(statement.Span);
    }

    private void AddCaseSpan(Open<RuleLine, object> rule, TextSpan span)
    {
        _casesSpan = _tableCases.Count + _bandCases.Count == 1 ? span : _casesSpan.Cover(span);
        rule.Span = rule.Span.Cover(span);
    }

    /// <summary>Writes the gathered case lines into the table or band they follow.</summary>
    private void FlushCases()
    {
        if (_tableCases.Count == 0 && _bandCases.Count == 0) return;
        switch (_rule?.Items)
        {
            case [.., TableSyntax table] when _tableCases.Count > 0:
                _rule.Items[^1] = table with { Cases = table.Cases.AsImmutableArray().AddRange(_tableCases), Span = table.Span.Cover(_casesSpan) };
                break;
            case [.., BandSyntax band] when _bandCases.Count > 0:
                _rule.Items[^1] = band with { Cases = band.Cases.AsImmutableArray().AddRange(_bandCases), Span = band.Span.Cover(_casesSpan) };
                break;
        }
        _tableCases.Clear();
        _bandCases.Clear();
    }

    private void Misplaced(Lexeme keyword, string expected)
    {
        if (_recovering) return;
        _errors.Add(new SyntaxError(SyntaxErrorKind.Misplaced, keyword.Span, expected, PolicyParser.Describe(keyword)));
    }

    private void CloseRule()
    {
        FlushCases();
        if (_rule is null) return;
        var r = _rule;
        _rule = null;
        _clause?.AddChild(new RuleSyntax(r.Line.Name, r.Line.Title, ToArray(r.Items), r.Span), r.Span);
    }

    private void CloseClause()
    {
        CloseRule();
        if (_clause is null) return;
        var c = _clause;
        _clause = null;
        _section?.AddChild(new ClauseSyntax(c.Line.Number, c.Line.Title, ToArray(c.Items), ToArray(c.Children), c.Span, _subsection), c.Span);
    }

    private void CloseSection()
    {
        CloseClause();
        if (_section is null) return;
        var s = _section;
        _section = null;
        _subsection = null;
        _sections.Add(new SectionSyntax(s.Line.Number, s.Line.Title, s.Line.Departments, ToArray(s.Items), ToArray(s.Children), s.Span));
        _policySpan = _policySpan.Cover(s.Span);
    }

    private void CloseProvision()
    {
        if (_provision is null) return;
        var p = _provision;
        _provision = null;
        _general?.AddChild(new ProvisionSyntax(p.Line.Number, p.Line.Title, ToArray(p.Items), p.Span), p.Span);
    }

    private void CloseGeneral()
    {
        CloseProvision();
        if (_general is null) return;
        var g = _general;
        _general = null;
        _generals.Add(new GeneralSyntax(g.Line.Title, ToArray(g.Children), g.Span, g.Line.Number, _sections.Count));
        _policySpan = _policySpan.Cover(g.Span);
    }

    public SourceFileSyntax Finish(Func<SyntaxError, SyntaxError> localize)
    {
        for (var i = 0; i < _errors.Count; i++) _errors[i] = localize(_errors[i]);
        CloseSection();
        CloseGeneral();
        var policy = _policy is null ? null : new PolicySyntax(_policy.Name, _policy.Title, ToArray(_header), ToArray(_sections),
            ToArray(_generals), _policySpan);
        var implementation = _implementation is null ? null : new ImplementationSyntax(_implementation.Line.Policy,
            _implementation.Line.Title, ToArray(_implementation.Items), _implementation.Span);
        return new SourceFileSyntax(policy, implementation, ToArray(_errors));
    }

    private static EquatableArray<T> ToArray<T>(List<T> items) => new(items.ToImmutableArray());
}
