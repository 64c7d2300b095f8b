using PolicyDsl.Text;

namespace PolicyDsl.Model;

/// <summary>
/// The checked policy: every name resolved, every unit and bound proven. Built by the checker from the
/// syntax tree (and the implementation rules, when given); read by the evaluator, the generator and the
/// reports. Holds no syntax node and no Roslyn type; spans are plain offsets into the source files.
/// </summary>
/// <summary>unit 亩, unit 兆瓦时 = 1000 度: a unit word the policy declares and the unit it stands for.</summary>
public sealed record DeclaredUnit(string Name, Unit Unit);

/// <summary>currency AUD symbol "A$" minor 0.01 "Australian dollar": a currency the policy declares (§24.8).</summary>
public sealed record DeclaredCurrency(string Name, string? Symbol, decimal Minor, string? Description);

public sealed record CheckedPolicy(
    string Name,
    string Title,
    DateRange? Validity,
    Unit AwardUnit,
    decimal? MoneyPerPoint,
    EquatableArray<string> Supersedes,
    EquatableArray<string> InterpretedBy,
    string? DefaultPayer,
    EquatableArray<Section> Sections,
    GeneralProvisions General,
    EquatableArray<string> Sources,
    EquatableArray<string> Notes,
    string? ImplementationTitle)
{
    /// <summary>Every rule in document order.</summary>
    public IEnumerable<Rule> Rules => Sections.SelectMany(s => s.Clauses).SelectMany(c => c.Rules);

    /// <summary>The first rule of that name in document order (an index built once per policy object).</summary>
    public Rule? FindRule(string name) => PolicyIndex.Of(this).FindRule(name);

    /// <summary>The units the policy declares (unit 亩), by their spelling: its rules file and test files may use them too.</summary>
    public EquatableArray<DeclaredUnit> Units { get; init; } = EquatableArray<DeclaredUnit>.Empty;

    /// <summary>The money the policy pays (yuan, or the currency of its 'paid in' line); a points policy converts points into it.</summary>
    public Unit Money { get; init; } = Unit.Yuan;

    /// <summary>§30.1: the day the policy's year starts ('year starts 07-01', 年度 自 7 月 1 日 起); 1 January by default.</summary>
    public Runtime.YearStart YearStart { get; init; }

    /// <summary>The currencies the policy declares.</summary>
    public EquatableArray<DeclaredCurrency> Currencies { get; init; } = EquatableArray<DeclaredCurrency>.Empty;


    /// <summary>The first clause holding a rule of that name.</summary>
    public Clause? ClauseOf(Rule rule) => PolicyIndex.Of(this).ClauseOf(rule.Name);

    /// <summary>The first section holding a clause of that number.</summary>
    public Section? SectionOf(Clause clause) => PolicyIndex.Of(this).SectionOf(clause.Number);

    /// <summary>
    /// The document's chapters in the order written (§29): each section, and each chapter of general provisions where it
    /// stands among them. Reports, outlines and diffs list chapters in this order.
    /// </summary>
    public IEnumerable<DocumentChapter> Chapters
    {
        get
        {
            var generals = General.Chapters;
            var g = 0;
            for (var s = 0; s <= Sections.Count; s++)
            {
                while (g < generals.Count && generals[g].SectionsBefore <= s) yield return new DocumentChapter(null, generals[g++]);
                if (s < Sections.Count) yield return new DocumentChapter(Sections[s], null);
            }
            while (g < generals.Count) yield return new DocumentChapter(null, generals[g++]);
        }
    }
}

/// <summary>One chapter of the document: a section (with clauses and rules) or a chapter of general provisions; exactly one is set.</summary>
public readonly record struct DocumentChapter(Section? Section, GeneralChapter? General);

/// <summary>
/// The name lookups of a <see cref="CheckedPolicy"/>, built on first use and kept beside the object (not in it: a field
/// would take part in the record's equality and be copied by <c>with</c>). Each answers the first match in document
/// order, as the linear scans it replaces did; those made every per-rule lookup O(policy), so emit was quadratic.
/// </summary>
internal sealed class PolicyIndex
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CheckedPolicy, PolicyIndex> Cache = new();

    private readonly Dictionary<string, Rule> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Clause> _clauseOfRule = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Section> _sectionOfClause = new();

    private PolicyIndex(CheckedPolicy policy)
    {
        foreach (var section in policy.Sections)
        {
            foreach (var clause in section.Clauses)
            {
                _sectionOfClause.TryAdd(clause.Number, section);
                foreach (var rule in clause.Rules)
                {
                    _rules.TryAdd(rule.Name, rule);
                    _clauseOfRule.TryAdd(rule.Name, clause);
                }
            }
        }
    }

    public static PolicyIndex Of(CheckedPolicy policy) => Cache.GetValue(policy, static p => new PolicyIndex(p));

    public Rule? FindRule(string name) => _rules.TryGetValue(name, out var rule) ? rule : null;

    public Clause? ClauseOf(string rule) => _clauseOfRule.TryGetValue(rule, out var clause) ? clause : null;

    public Section? SectionOf(int clause) => _sectionOfClause.TryGetValue(clause, out var section) ? section : null;
}

/// <summary>From and Through, both inclusive.</summary>
/// <summary>A validity window; <see cref="Provisional"/> (暂定) and <see cref="Years"/> when the end is derived from a stated length (§27.5).</summary>
/// <see cref="Open"/> (§30.3): a start and no end ("自发布之日起施行"); <see cref="Through"/> is then the last date there is.
public sealed record DateRange(DateOnly From, DateOnly Through, bool Provisional = false, int? Years = null, bool Open = false)
{
    public bool Contains(DateOnly date) => date >= From && date <= Through;

    public override string ToString() => Open
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{From:yyyy-MM-dd} onwards (no end)")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{From:yyyy-MM-dd} through {Through:yyyy-MM-dd}");
}

public sealed record Section(int Number, string Title, EquatableArray<string> Departments, EquatableArray<Clause> Clauses,
    EquatableArray<string> Sources, EquatableArray<string> Notes, TextSpan Span);

/// <summary>A clause of a section; Subsection names the (一)(二)… it stands under, Measures its provisions that pay nothing.</summary>
public sealed record Clause(int Number, string Title, EquatableArray<Rule> Rules, EquatableArray<string> Sources,
    EquatableArray<string> Notes, TextSpan Span, string? Subsection = null, EquatableArray<Measure> Measures = default)
{
    /// <summary>The clause's original sentences joined, for traces and reports.</summary>
    public string Source => string.Join(" ", Sources);
}

/// <summary>
/// The general provisions of the whole policy, gathered from all its chapters of them: what they mean for evaluation (no
/// stacking, highest only, cost sharing) holds wherever it is written. Title and Provisions are the first chapter's title and
/// every chapter's provisions in order; <see cref="Chapters"/> keeps each chapter with its number and position (§29).
/// </summary>
public sealed record GeneralProvisions(
    string Title,
    EquatableArray<Provision> Provisions,
    EquatableArray<string> NoStacking,
    EquatableArray<HighestOnlyGroup> HighestOnly,
    EquatableArray<CostShare> CostSharing)
{
    public static readonly GeneralProvisions None = new("", EquatableArray<Provision>.Empty, EquatableArray<string>.Empty,
        EquatableArray<HighestOnlyGroup>.Empty, EquatableArray<CostShare>.Empty);

    /// <summary>True when some provision says 不重复享受 (no stacking with higher-level policies).</summary>
    public bool HasNoStacking => !NoStacking.IsEmpty;

    /// <summary>The texts of "highest with other policies" lines (就高不重复 with other policies, §24.6); any makes the policy pay
    /// the difference over what an application received elsewhere.</summary>
    public EquatableArray<string> HighestWithOtherPolicies { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The chapters of general provisions in document order (三、组织保障, 四、政策兑现, 五、其他).</summary>
    public EquatableArray<GeneralChapter> Chapters { get; init; } = EquatableArray<GeneralChapter>.Empty;
}

/// <summary>
/// A chapter of general provisions: its number in the document's chapter numbering (三 is 3), if written, its title, its
/// provisions, and where it stands: after SectionsBefore of the policy's sections (§29).
/// </summary>
public sealed record GeneralChapter(int? Number, string Title, EquatableArray<Provision> Provisions, int SectionsBefore, TextSpan Span);

public sealed record Provision(int Number, string? Title, EquatableArray<string> Sources, EquatableArray<string> Notes, TextSpan Span,
    EquatableArray<Measure> Measures = default);

/// <summary>What a provision that is not a computable award is (docs/semantics.md, provisions that pay nothing).</summary>
public enum MeasureKind { Support, Fund, Penalty, Procedure, Precedence, RevenueSharing }

/// <summary>
/// A provision that is not a computable award: non-monetary support, a fund pool (with its stated size), a penalty or
/// clawback, a procedure or deadline, the precedence of higher-level policies, revenue sharing (with its share).
/// Reports show it; evaluation never pays it. Amount is in base units of Unit (a fund in yuan, a share as a fraction).
/// </summary>
public sealed record Measure(MeasureKind Kind, decimal? Amount, Unit? Unit, string Text, TextSpan Span)
{
    public string KindText => Kind switch
    {
        MeasureKind.Support => "non-monetary support",
        MeasureKind.Fund => "fund pool",
        MeasureKind.Penalty => "penalty or clawback",
        MeasureKind.Procedure => "procedure or deadline",
        MeasureKind.Precedence => "precedence of higher-level policies",
        _ => "revenue sharing",
    };
}

/// <summary>就高不重复: of these rules an enterprise's application is paid only the highest award.</summary>
public sealed record HighestOnlyGroup(EquatableArray<string> Rules, TextSpan Span);

/// <summary>Awards for applications at Location are split between the parties, except in clauses ExceptFrom..ExceptThrough.</summary>
public sealed record CostShare(string Location, EquatableArray<Share> Shares, int? ExceptFrom, int? ExceptThrough, TextSpan Span)
{
    public bool Excepts(int clause) => ExceptFrom is { } from && clause >= from && clause <= (ExceptThrough ?? from);
}

/// <summary>A party's share as a fraction (50% is 0.5).</summary>
public sealed record Share(string Party, decimal Fraction);
