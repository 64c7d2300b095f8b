using PolicyDsl.Text;

namespace PolicyDsl.Model;

/// <summary>
/// One checked award rule. <see cref="ProvenMaximum"/> is the most one application can be awarded, in the
/// award unit (min of the formula's upper bound and every cap's); null when no finite bound exists
/// (only allowed with an <see cref="UncappedReason"/>). <see cref="MoneyCeiling"/> is that maximum in yuan.
/// </summary>
public sealed record Rule(
    string Name,
    string? Title,
    int Clause,
    EquatableArray<string> Sources,
    EquatableArray<string> Notes,
    EquatableArray<Fact> Facts,
    EquatableArray<Parameter> Parameters,
    EquatableArray<Table> Tables,
    EquatableArray<Band> Bands,
    EquatableArray<Let> Lets,
    EquatableArray<Requirement> Requirements,
    Award Award,
    EquatableArray<Cap> Caps,
    string? UncappedReason,
    Rounding? Rounding,
    EquatableArray<decimal> Instalments,
    DateRange? Validity,
    decimal? ProvenMaximum,
    decimal? MoneyCeiling,
    TextSpan Span,
    EventWindow? Window = null,
    InstalmentSchedule? Schedule = null,
    EquatableArray<EventWindow> After = default)
{
    /// <summary>The rule's original sentences joined (the clause's when the rule has none of its own).</summary>
    public string Source => string.Join(" ", Sources);

    /// <summary>§30.1: the day the rule's year starts (its own 'year starts' line, else the policy's; 1 January by default).</summary>
    public Runtime.YearStart YearStart { get; init; }

    /// <summary>True when the rule states its own year (a 'year starts' line of the rule).</summary>
    public bool OwnYearStart { get; init; }

    public Fact? FindFact(string name) => Facts.FirstOrDefault(f => f.Name == name);

    public Parameter? FindParameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>The facts with every fact derived from the application's date set: the window year (§27.1) and the
    /// application's date of a milestone schedule (§27.7).</summary>
    public Facts WithDate(Facts facts, DateOnly date)
    {
        if (Window is { } window) facts = window.Derive(facts, date);
        if (Schedule is { } schedule) facts = schedule.Derive(facts, date);
        foreach (var other in After) facts = other.Derive(facts, date); // §27.10: another rule's window year
        return facts;
    }
}

public enum FactKind { Quantity, YesNo, Date, Level, OneOf }

/// <summary>
/// An input of a rule. A quantity fact is given in its declared <see cref="Unit"/> (which may be scaled:
/// 万元) and is non-negative; <see cref="AtMost"/> (in that unit) bounds it. Levels and one-of facts list
/// their members; a level's members are ordered by their number.
/// </summary>
/// <see cref="AtLeast"/> (in that unit) is the lower end of a stated range (5%—20%); the checker lowers it into a requirement.
/// <see cref="Derived"/>: the fact is not given with an application but derived from its date (the window year, §27.1).
public sealed record Fact(string Name, FactKind Kind, Unit? Unit, EquatableArray<Member> Members, decimal? AtMost, string? Description, TextSpan Span,
    decimal? AtLeast = null, bool Derived = false)
{
    /// <summary>The member with this key; indexed per instance, so a lookup per table case stays linear.</summary>
    public Member? FindMember(string key) => KeyIndex.Find(this, Members, static m => m.Key, key);
}

/// <summary>An enum member: level 5 "五级" has Key "5", Label "五级", Rank 5.</summary>
public sealed record Member(string Key, string? Label, decimal? Rank);

/// <summary>
/// An amount left to the implementation rules. With dimensions (enum facts) it is a table of values, one
/// per key combination. Values are in base units; <see cref="Values"/> is empty without a rules file.
/// </summary>
/// <see cref="AtLeast"/> and <see cref="AtMost"/> (base units) are the range the policy states (按固定资产投资的5%—20%).
public sealed record Parameter(string Name, EquatableArray<string> Dimensions, Unit Unit, decimal? AtMost, string? Description,
    EquatableArray<ParameterValue> Values, TextSpan Span, decimal? AtLeast = null)
{
    public ParameterValue? Find(IReadOnlyList<string> keys) => KeyIndex.Find(this, Values, static v => KeyIndex.Join(v.Keys), KeyIndex.Join(keys));
}

/// <summary>A value set by the implementation rules (Span points into the .rules file).</summary>
public sealed record ParameterValue(EquatableArray<string> Keys, decimal Value, TextSpan Span);

public sealed record Table(string Name, EquatableArray<string> Dimensions, Unit Unit, EquatableArray<TableCell> Cells, TextSpan Span)
{
    public TableCell? Find(IReadOnlyList<string> keys) => KeyIndex.Find(this, Cells, static c => KeyIndex.Join(c.Keys), KeyIndex.Join(keys));
}

/// <summary>A table cell, value in base units.</summary>
public sealed record TableCell(EquatableArray<string> Keys, decimal Value, TextSpan Span);

/// <summary>A value chosen by where the fact falls (base units); cases do not overlap, a gap gives 0.</summary>
public sealed record Band(string Name, string Fact, Unit Unit, EquatableArray<BandCase> Cases, TextSpan Span);

public sealed record BandCase(BandBound? Lower, BandBound? Upper, decimal Value, TextSpan Span)
{
    public bool Contains(decimal x) =>
        (Lower is null || (Lower.Inclusive ? x >= Lower.Value : x > Lower.Value)) &&
        (Upper is null || (Upper.Inclusive ? x <= Upper.Value : x < Upper.Value));
}

public sealed record BandBound(decimal Value, bool Inclusive);

public sealed record Let(string Name, Expr Value, TextSpan Span);

/// <summary>A "requires" line; Text is how it reads in the source, for traces.</summary>
public sealed record Requirement(Condition Condition, string Text, TextSpan Span);

/// <summary>The award: a formula in the award unit, or case by case (一事一议) with the stated reason.</summary>
/// A case-by-case award may state the base it is decided on (按其年末的地方财政贡献): <see cref="CaseByCaseBase"/>, shown, never paid.
/// It may instead build on another rule's award (可在第2条基础上实行一事一议, §27.11): <see cref="CaseByCaseBaseRule"/> names it.
public sealed record Award(Expr? Formula, string? CaseByCaseReason, TextSpan Span, Expr? CaseByCaseBase = null, string? CaseByCaseBaseRule = null)
{
    public bool IsCaseByCase => Formula is null;
}

/// <summary>
/// cap LIMIT [per SCOPE] [per year | cumulative]. Scope Application limits each application alone.
/// With a scope and no period the cap is cumulative over the policy's validity. Shared names the running total the caps
/// of several rules keep together (cap … shared NAME, §24.2); null for the rule's own total.
/// </summary>
public sealed record Cap(Expr Limit, CapScope Scope, CapPeriod Period, TextSpan Span, string? Shared = null)
{
    /// <summary>§30.2, with <see cref="CapPeriod.Years"/>: N, the number of years the running total counts.</summary>
    public int Years { get; init; } = 1;

    /// <summary>§30.2: any N consecutive years (true) or aligned blocks of N years from <see cref="FromYear"/> (false).</summary>
    public bool Rolling { get; init; }

    /// <summary>§30.2: the first year of the first block of a fixed N-year cap (the year of the validity's start unless stated).</summary>
    public int FromYear { get; init; }

    /// <summary>§24.9: the money scale (万元, 亿元) the table or parameter a computed limit reads is written in, which the cap
    /// is stated in ("at most 500 wan-yuan per project"); null for a constant (its own unit is kept) or any other limit.</summary>
    public Unit? LimitWritten { get; init; }

    /// <summary>The cap as the runtime's metadata (the interpreter builds it here; the emitter prints the same arguments).</summary>
    public Runtime.CapInfo Info(decimal? limit, string text, Unit awardUnit)
    {
        var (shown, scale) = Plan.PlanTexts.CapShown(this, awardUnit);
        return new(limit, Scope, Period, text, Shared, Period == CapPeriod.Years ? Years : 1, Period == CapPeriod.Years && Rolling, Period == CapPeriod.Years ? FromYear : 0,
            shown, scale);
    }

    /// <summary>True when the limit reads another rule's award (cap 50% of other_rule(...)).</summary>
    public bool IsRelative => Contains(Limit);

    /// <summary>The cap as the policy states it (the text is built in Plan/PlanTexts.cs).</summary>
    public string Describe() => Plan.PlanTexts.CapAsStated(this);

    private static bool Contains(Expr e) => e switch
    {
        RuleAwardExpr => true,
        BinaryExpr b => Contains(b.Left) || Contains(b.Right),
        FunctionExpr f => f.Arguments.Any(Contains),
        NegateExpr n => Contains(n.Operand),
        ConditionalExpr c => Contains(c.WhenTrue) || Contains(c.WhenFalse),
        ToPointsExpr t => Contains(t.Money),
        RateExpr r => r.Base is not null && Contains(r.Base),
        _ => false,
    };
}

public enum RoundingDirection { Down, Up, HalfUp }

/// <summary>Round the award (only the award) to a multiple of Step, in the award unit.</summary>
public sealed record Rounding(RoundingDirection Direction, decimal Step, TextSpan Span)
{
    /// <summary>The value rounded to a whole number of steps in the direction (AwardRounding, which generated code calls too).</summary>
    public decimal Apply(decimal value) => Runtime.AwardRounding.Round(value, Step, Mode);

    /// <summary>The direction as the runtime names it (the same three, in the same order).</summary>
    public Runtime.RoundingMode Mode => (Runtime.RoundingMode)(int)Direction;
}

/// <summary>
/// §27.1: the years a rule pays in, counted from an event of the enterprise (the date fact <see cref="Event"/>): window year
/// <see cref="YearFact"/> (a derived fact, 1…<see cref="Years"/>) is computed from the application's date. Consecutive (连续):
/// a run of yearly awards stops at the first year missed (§27.3).
/// </summary>
/// <see cref="History"/>: with consecutive, the yes/no fact "received for the previous window year" the application gives.
/// <see cref="Year"/>: the rule's year (§30.1), in which "the year of" and "the year after" count.
public sealed record EventWindow(string Event, Runtime.WindowStart Start, int Years, bool Consecutive, string YearFact, TextSpan Span, string? History = null,
    Runtime.YearStart Year = default)
{
    /// <summary>The window year the application's date falls in, or null when the event's date is not given.</summary>
    public int? YearOf(Facts facts, DateOnly date) =>
        facts[Event] is DateValue d ? Runtime.EventWindows.Year(date, d.Value, Start, Year) : null;

    /// <summary>The facts with the window year derived from the application's date (a given window year is replaced).</summary>
    public Facts Derive(Facts facts, DateOnly date) => YearOf(facts, date) is { } y ? facts.With(YearFact, (decimal)y) : facts;
}

/// <summary>One part of a milestone schedule (§27.7): <see cref="Part"/> (0.3 for 30%) is due once the date fact
/// <see cref="Milestone"/> is on or before the application's date (<see cref="Reached"/>, a condition of the plan).</summary>
public sealed record MilestonePart(decimal Part, string Milestone, Condition Reached, string Text);

/// <summary>
/// §27.7: instalments tied to milestone dates. The share due at an application's date is the sum of the parts whose
/// milestone is reached (every part when <see cref="AtOnce"/> holds), less the share already paid (the history fact
/// <see cref="PaidFact"/>), held to 0…100%: read as <see cref="Share"/>, an expression of the rule. <see cref="DateFact"/>
/// is the derived fact holding the application's date. <see cref="Clawbacks"/> are recorded and shown, never evaluated.
/// </summary>
public sealed record InstalmentSchedule(EquatableArray<MilestonePart> Parts, Requirement? AtOnce, string PaidFact, string DateFact, Expr Share,
    EquatableArray<string> Clawbacks, bool Chinese, TextSpan Span)
{
    /// <summary>The facts with the application's date set (a given one replaced).</summary>
    public Facts Derive(Facts facts, DateOnly date) => facts.With(DateFact, date);

    /// <summary>The schedule in words, for reports and diff: "30% at sealed_on, …; at once: …; clawback: …" (or in Chinese).</summary>
    public string Describe(bool chinese)
    {
        static string Percent(decimal part) => (part * 100m).ToString("0.##########", System.Globalization.CultureInfo.InvariantCulture) + "%";
        var text = string.Join(chinese ? "、" : ", ", Parts.Select(p => Percent(p.Part) + (chinese ? " 于 " : " at ") + p.Milestone));
        if (AtOnce is { } once) text += (chinese ? "；" : "; ") + once.Text;
        foreach (var c in Clawbacks) text += (chinese ? "；追回：" : "; clawback: ") + c;
        return text;
    }
}
