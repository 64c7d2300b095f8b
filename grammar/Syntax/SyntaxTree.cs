using PolicyDsl.Text;

// The syntax tree of clause files and implementation-rules files: what was written, with a span on
// every node, and nothing resolved. Records compare by value, so the generator can cache on them.
// Keywords leave no trace: the English and the Chinese spelling give the same tree (spans aside).
namespace PolicyDsl.Syntax;

public abstract record SyntaxNode(TextSpan Span);

// ---------- tokens ----------

public sealed record Identifier(string Text, TextSpan Span) : SyntaxNode(Span)
{
    public override string ToString() => Text;
}

/// <summary>A string literal with its escapes already resolved.</summary>
public sealed record StringLiteral(string Value, TextSpan Span) : SyntaxNode(Span);

public sealed record IntegerLiteral(int Value, TextSpan Span) : SyntaxNode(Span);

/// <summary>A date as written; the checker decides whether it exists (2026-02-30 does not).</summary>
public sealed record DateLiteral(int Year, int Month, int Day, TextSpan Span) : SyntaxNode(Span);

/// <summary>A table key or an enumeration member: an identifier or a whole number (level 5).</summary>
public sealed record KeySyntax(string Text, bool IsNumber, TextSpan Span) : SyntaxNode(Span);

/// <summary>One unit word, by its canonical English name (yuan, wan-yuan, points, m2, months, years,
/// person-times, persons, count, percent), whichever spelling was written.</summary>
public sealed record UnitName(string Name, TextSpan Span) : SyntaxNode(Span);

/// <summary>A product of unit words: "m2 month" is area times duration; Per holds the words after "/" (万元/亩).</summary>
public sealed record UnitSyntax(EquatableArray<UnitName> Names, TextSpan Span, EquatableArray<UnitName> Per = default) : SyntaxNode(Span);

/// <summary>A number with an optional unit: 40%, 30 points, 10 万元.</summary>
public sealed record QuantitySyntax(decimal Value, UnitSyntax? Unit, TextSpan Span) : SyntaxNode(Span);

// ---------- files ----------

/// <summary>A parsed file: a policy or an implementation-rules file (or neither, when nothing parsed).</summary>
public sealed record SourceFileSyntax(
    PolicySyntax? Policy,
    ImplementationSyntax? Implementation,
    EquatableArray<SyntaxError> Errors);

public sealed record PolicySyntax(
    Identifier Name,
    StringLiteral Title,
    EquatableArray<StatementSyntax> Header,
    EquatableArray<SectionSyntax> Sections,
    EquatableArray<GeneralSyntax> Generals,
    TextSpan Span) : SyntaxNode(Span)
{
    /// <summary>
    /// The document's chapters in the order written: each section, and each chapter of general provisions where it stands
    /// (三、组织保障 between sections, 五、其他 at the end). An item is a <see cref="SectionSyntax"/> or a <see cref="GeneralSyntax"/>.
    /// </summary>
    public IEnumerable<SyntaxNode> Chapters
    {
        get
        {
            var g = 0;
            for (var s = 0; s <= Sections.Count; s++)
            {
                while (g < Generals.Count && Generals[g].SectionsBefore <= s) yield return Generals[g++];
                if (s < Sections.Count) yield return Sections[s];
            }
            while (g < Generals.Count) yield return Generals[g++];
        }
    }
}

public sealed record SectionSyntax(
    IntegerLiteral Number,
    StringLiteral Title,
    EquatableArray<StringLiteral> Departments,
    EquatableArray<StatementSyntax> Items,
    EquatableArray<ClauseSyntax> Clauses,
    TextSpan Span) : SyntaxNode(Span);

public sealed record ClauseSyntax(
    IntegerLiteral Number,
    StringLiteral Title,
    EquatableArray<StatementSyntax> Items,
    EquatableArray<RuleSyntax> Rules,
    TextSpan Span,
    SubsectionSyntax? Subsection = null) : SyntaxNode(Span);

/// <summary>subsection 1 "固定资产投资奖励" ((一) under 二、支持范围): the clauses after it, up to the next subsection, belong to it.</summary>
public sealed record SubsectionSyntax(IntegerLiteral Number, StringLiteral Title, TextSpan Span) : SyntaxNode(Span);

public sealed record RuleSyntax(
    Identifier Name,
    StringLiteral? Title,
    EquatableArray<StatementSyntax> Items,
    TextSpan Span) : SyntaxNode(Span);

/// <summary>
/// A chapter of general provisions (provisions that are not awards: 三、组织保障, 四、附则, 七、其他); Number is the chapter
/// number the document gives it, if written. A policy may have several, anywhere among its sections: SectionsBefore is
/// how many sections stand before it in the file (§29).
/// </summary>
public sealed record GeneralSyntax(
    StringLiteral Title,
    EquatableArray<ProvisionSyntax> Provisions,
    TextSpan Span,
    IntegerLiteral? Number = null,
    int SectionsBefore = 0) : SyntaxNode(Span);

public sealed record ProvisionSyntax(
    IntegerLiteral Number,
    StringLiteral? Title,
    EquatableArray<StatementSyntax> Items,
    TextSpan Span) : SyntaxNode(Span);

public sealed record ImplementationSyntax(
    Identifier Policy,
    StringLiteral? Title,
    EquatableArray<StatementSyntax> Items,
    TextSpan Span) : SyntaxNode(Span);

// ---------- statements (one line each; "case" lines are folded into their table or band) ----------

public abstract record StatementSyntax(TextSpan Span) : SyntaxNode(Span);

public sealed record SourceSyntax(StringLiteral Text, TextSpan Span) : StatementSyntax(Span);

public sealed record NoteSyntax(StringLiteral Text, TextSpan Span) : StatementSyntax(Span);

/// <summary>effective FROM through TO, or effective FROM for N years [provisional] (有效期 FROM 起 [暂定] N 年, §27.5): Through is
/// null when the end is derived from Years. Open (effective FROM onwards, 有效期 FROM 起施行, §30.3): a start and no end.</summary>
public sealed record EffectiveSyntax(DateLiteral From, DateLiteral? Through, TextSpan Span, IntegerLiteral? Years = null, bool Provisional = false,
    bool Open = false) : StatementSyntax(Span);

/// <summary>year starts MM-DD (年度 自 M 月 D 日 起, §30.1): the day the policy's (in a rule: the rule's) year starts.</summary>
public sealed record YearStartSyntax(IntegerLiteral Month, IntegerLiteral Day, TextSpan Span) : StatementSyntax(Span);

/// <summary>per N years [rolling] [from YEAR] (每 N 年 [滚动] [自 YEAR 起], §30.2): a cap's period of N years, fixed blocks from a
/// start year (the policy's first year unless From says) or, Rolling, any N consecutive years.</summary>
public sealed record CapYearsSyntax(IntegerLiteral Years, bool Rolling, IntegerLiteral? From, TextSpan Span) : SyntaxNode(Span);

/// <summary>points worth at most 10000 yuan: what one award point funds at most.</summary>
public sealed record PointValueSyntax(QuantitySyntax MoneyPerPoint, TextSpan Span) : StatementSyntax(Span);

public sealed record SupersedesSyntax(EquatableArray<StringLiteral> Documents, TextSpan Span) : StatementSyntax(Span);

public sealed record InterpretedBySyntax(EquatableArray<StringLiteral> Departments, TextSpan Span) : StatementSyntax(Span);

public sealed record PaidBySyntax(StringLiteral Payer, TextSpan Span) : StatementSyntax(Span);

public sealed record FactSyntax(
    Identifier Name,
    TypeSyntax Type,
    QuantitySyntax? AtMost,
    StringLiteral? Description,
    TextSpan Span,
    QuantitySyntax? AtLeast = null) : StatementSyntax(Span);

/// <summary>An amount the policy leaves to the implementation rules, optionally a table by enum facts.</summary>
public sealed record ParamSyntax(
    Identifier Name,
    EquatableArray<Identifier> Dimensions,
    UnitSyntax Unit,
    QuantitySyntax? AtMost,
    StringLiteral? Description,
    TextSpan Span,
    QuantitySyntax? AtLeast = null) : StatementSyntax(Span);

public sealed record LetSyntax(Identifier Name, ExpressionSyntax Value, TextSpan Span) : StatementSyntax(Span);

public sealed record RequiresSyntax(ConditionSyntax Condition, TextSpan Span) : StatementSyntax(Span);

public sealed record AwardSyntax(ExpressionSyntax Amount, TextSpan Span) : StatementSyntax(Span);

/// <summary>一事一议: the amount is decided case by case and is not computable.</summary>
/// <summary>一事一议: the amount is decided case by case and is not computable; Base is the stated base (按其年末的地方财政贡献).</summary>
public sealed record CaseByCaseSyntax(StringLiteral Reason, TextSpan Span, ExpressionSyntax? Base = null) : StatementSyntax(Span);

/// <summary>cap LIMIT [per SCOPE] [PERIOD] [shared NAME]: Shared names one running total several rules' caps keep together (§24.2).</summary>
public sealed record CapSyntax(ExpressionSyntax Limit, CapScope? Scope, CapPeriod? Period, TextSpan Span, Identifier? Shared = null,
    CapYearsSyntax? Years = null) : StatementSyntax(Span);

public sealed record UncappedSyntax(StringLiteral Reason, TextSpan Span) : StatementSyntax(Span);

public sealed record RoundSyntax(RoundingDirection Direction, QuantitySyntax Step, TextSpan Span) : StatementSyntax(Span);

public sealed record TableSyntax(
    Identifier Name,
    EquatableArray<Identifier> Dimensions,
    UnitSyntax Unit,
    EquatableArray<TableCaseSyntax> Cases,
    TextSpan Span) : StatementSyntax(Span);

public sealed record TableCaseSyntax(EquatableArray<KeySyntax> Keys, QuantitySyntax Value, TextSpan Span) : SyntaxNode(Span);

public sealed record BandSyntax(
    Identifier Name,
    Identifier Fact,
    UnitSyntax Unit,
    EquatableArray<BandCaseSyntax> Cases,
    TextSpan Span,
    BandKind Kind = BandKind.Whole) : StatementSyntax(Span);

/// <summary>Whole (全额): the case the fact falls in gives the value; progressive (超额累进): each slice of the fact at its case's rate.</summary>
public enum BandKind { Whole, Progressive }

/// <summary>
/// case >= 1000 万元 and &lt; 5000 万元 = 3%, or in tier wording "档 1000 万元 及以上 至 5000 万元 = 70%": one or two
/// bounds, each saying whether it includes its number. The value is an expression (an amount, a rate or a formula).
/// </summary>
public sealed record BandCaseSyntax(BoundSyntax First, BoundSyntax? Second, ExpressionSyntax Value, TextSpan Span) : SyntaxNode(Span);

/// <summary>
/// One end of a band case. Yields marks a bare Chinese 以上 / 以下 written after the number: it includes the number
/// unless another case of the same band already includes it (docs/semantics.md, tiers).
/// </summary>
public sealed record BoundSyntax(ComparisonOperator Operator, QuantitySyntax Value, TextSpan Span, bool Yields = false) : SyntaxNode(Span);

/// <summary>unit 亩, unit 度 "kWh", unit 亿元 = 10000 万元: a unit the policy declares (a new dimension, or a scale of a unit).</summary>
public sealed record UnitDeclarationSyntax(UnitName Name, QuantitySyntax? Definition, StringLiteral? Description, TextSpan Span) : StatementSyntax(Span);

/// <summary>
/// currency AUD symbol "A$" minor 0.01 "Australian dollar" (货币 …): money of its own, never mixed with yuan or another
/// currency. Minor is the smallest amount that can be paid (a rounding step must be a whole number of it).
/// </summary>
public sealed record CurrencyDeclarationSyntax(UnitName Name, StringLiteral? Symbol, QuantitySyntax? Minor, StringLiteral? Description, TextSpan Span) : StatementSyntax(Span);

/// <summary>paid in AUD (币种 AUD): the currency the policy's awards are paid in (yuan without the line).</summary>
public sealed record PaidInSyntax(UnitName Currency, TextSpan Span) : StatementSyntax(Span);

/// <summary>What a provision that is not a computable award is: reports show it; evaluation never pays it.</summary>
public enum MeasureKind { Support, Fund, Penalty, Procedure, Precedence, RevenueSharing }

/// <summary>support "优先组织外出培训", fund at least 10000 万元 "…", revenue sharing 50% "…": a provision that pays nothing by itself.</summary>
public sealed record MeasureSyntax(MeasureKind Kind, QuantitySyntax? Amount, StringLiteral Text, TextSpan Span) : StatementSyntax(Span);

/// <summary>Where year 1 of an event window starts (docs/semantics.md §27.1): on the event's date (a year counts from
/// that day), on 1 January of the event's year (自…当年起) or of the next year (自…下一年度起 / 次年).</summary>
public enum WindowStart { Date, YearOf, YearAfter }

/// <summary>window 5 years from the year of D [consecutive] (窗口 自 D 当年 起 [连续] 5 年): the years an award is paid,
/// counted from an event of the enterprise; Event is null when the line names none (an error).</summary>
public sealed record WindowSyntax(Identifier? Event, WindowStart Start, IntegerLiteral Years, bool Consecutive, TextSpan Span) : StatementSyntax(Span);

/// <summary>instalments 30% at D1, 30% at D2, 40% at D3 (分期 30% 于 D1, …): the parts of the award, each optionally due at a
/// milestone date fact (§27.7). Milestones holds one entry per part (null: a part without a milestone).</summary>
public sealed record InstalmentsSyntax(EquatableArray<QuantitySyntax> Parts, TextSpan Span, EquatableArray<Identifier?> Milestones = default) : StatementSyntax(Span);

/// <summary>at once when COND (一次性兑现 如果 COND): the whole award is due at once when the condition holds (§27.7).</summary>
public sealed record AtOnceSyntax(ConditionSyntax Condition, TextSpan Span) : StatementSyntax(Span);

/// <summary>clawback "…" (追回 "…"): a condition under which the award is reclaimed, recorded with the schedule, never paid (§27.7).</summary>
public sealed record ClawbackSyntax(StringLiteral Text, TextSpan Span) : StatementSyntax(Span);

public sealed record NoStackingSyntax(StringLiteral? Text, TextSpan Span) : StatementSyntax(Span);

/// <summary>highest with other policies (与其他政策就高不重复): an award received elsewhere for the same item is topped up, not paid twice.</summary>
public sealed record HighestElsewhereSyntax(StringLiteral? Text, TextSpan Span) : StatementSyntax(Span);

/// <summary>就高不重复: of the named rules an enterprise is paid only the highest.</summary>
public sealed record HighestOnlySyntax(EquatableArray<Identifier> Rules, TextSpan Span) : StatementSyntax(Span);

/// <summary>Cost sharing for projects at a location, with an optional range of excepted clauses.</summary>
public sealed record CostShareSyntax(
    StringLiteral Location,
    EquatableArray<ShareSyntax> Shares,
    IntegerLiteral? ExceptFrom,
    IntegerLiteral? ExceptThrough,
    TextSpan Span) : StatementSyntax(Span);

public sealed record ShareSyntax(StringLiteral Party, QuantitySyntax Percent, TextSpan Span) : SyntaxNode(Span);

/// <summary>set rule.param[key, ...] = value, in an implementation-rules file.</summary>
public sealed record SetSyntax(
    Identifier Rule,
    Identifier Parameter,
    EquatableArray<KeySyntax> Keys,
    QuantitySyntax Value,
    TextSpan Span) : StatementSyntax(Span);

public enum CapScope { Enterprise, Project, Certification, Item, Person, Application, Platform, Township }

public enum CapPeriod { PerYear, Cumulative, Years }

public enum RoundingDirection { Down, Up, HalfUp }

// ---------- types ----------

public abstract record TypeSyntax(TextSpan Span) : SyntaxNode(Span);

public sealed record QuantityTypeSyntax(UnitSyntax Unit, TextSpan Span) : TypeSyntax(Span);

public sealed record YesNoTypeSyntax(TextSpan Span) : TypeSyntax(Span);

public sealed record DateTypeSyntax(TextSpan Span) : TypeSyntax(Span);

/// <summary>level 5 "五级", 4 "四级" (ordered) or one of national "国家标准", industry (unordered).</summary>
public sealed record EnumTypeSyntax(bool Ordered, EquatableArray<MemberSyntax> Members, TextSpan Span) : TypeSyntax(Span);

public sealed record MemberSyntax(KeySyntax Key, StringLiteral? Label, TextSpan Span) : SyntaxNode(Span);

// ---------- expressions ----------

public abstract record ExpressionSyntax(TextSpan Span) : SyntaxNode(Span);

public sealed record QuantityExpression(QuantitySyntax Quantity, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>0.14 points per 2000 yuan; with Full (每满), only whole multiples of Per count.</summary>
public sealed record RateExpression(QuantitySyntax Amount, bool Full, QuantitySyntax Per, TextSpan Span) : ExpressionSyntax(Span);

public sealed record NameExpression(Identifier Name, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>A table or parameter looked up by keys: amount[level].</summary>
public sealed record IndexExpression(Identifier Target, EquatableArray<ExpressionSyntax> Keys, TextSpan Span) : ExpressionSyntax(Span);

public sealed record FunctionExpression(FunctionKind Function, EquatableArray<ExpressionSyntax> Arguments, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>Another rule's award with some of its facts bound: protection_equipment(investment: equivalent_price).</summary>
public sealed record RuleAwardExpression(Identifier Rule, EquatableArray<FactBindingSyntax> Bindings, TextSpan Span) : ExpressionSyntax(Span);

public sealed record FactBindingSyntax(Identifier Fact, ExpressionSyntax Value, TextSpan Span) : SyntaxNode(Span);

public sealed record BinaryExpression(BinaryOperator Operator, ExpressionSyntax Left, ExpressionSyntax Right, TextSpan Span) : ExpressionSyntax(Span);

public sealed record NegateExpression(ExpressionSyntax Operand, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>A date literal in a condition: 投产日期 > 2023-02-08 (§27.4).</summary>
public sealed record DateExpression(DateLiteral Date, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>yearly(a, b, c) (逐年(a, b, c)): a for year 1 of the rule's window, b for year 2, ... (§27.2).</summary>
public sealed record YearlyExpression(EquatableArray<ExpressionSyntax> Values, TextSpan Span) : ExpressionSyntax(Span);

public sealed record ConditionalExpression(ConditionSyntax Condition, ExpressionSyntax WhenTrue, ExpressionSyntax WhenFalse, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>value in points: an explicit conversion through a declared rate.</summary>
public sealed record ConversionExpression(ExpressionSyntax Value, UnitSyntax Target, TextSpan Span) : ExpressionSyntax(Span);

public enum FunctionKind { Min, Max, Sum }

/// <summary>Of multiplies like Multiply; it is kept apart so that reports can say "40% of premium".</summary>
public enum BinaryOperator { Add, Subtract, Multiply, Divide, Of }

// ---------- conditions ----------

public abstract record ConditionSyntax(TextSpan Span) : SyntaxNode(Span);

public sealed record ComparisonCondition(ExpressionSyntax Left, ComparisonOperator Operator, ExpressionSyntax Right, TextSpan Span) : ConditionSyntax(Span);

/// <summary>after the window of RULE (享受完 RULE 后): the application's date is past the event window of another rule (§27.10).</summary>
public sealed record AfterWindowCondition(Identifier Rule, TextSpan Span) : ConditionSyntax(Span);

/// <summary>A yes/no fact used as a condition.</summary>
public sealed record TruthCondition(ExpressionSyntax Value, TextSpan Span) : ConditionSyntax(Span);

public sealed record AndCondition(ConditionSyntax Left, ConditionSyntax Right, TextSpan Span) : ConditionSyntax(Span);

public sealed record OrCondition(ConditionSyntax Left, ConditionSyntax Right, TextSpan Span) : ConditionSyntax(Span);

public sealed record NotCondition(ConditionSyntax Operand, TextSpan Span) : ConditionSyntax(Span);

/// <summary>Inclusive operators (以上, 以下, 以内, 含) include the number; 超过, 不满, 低于 exclude it.</summary>
public enum ComparisonOperator { GreaterOrEqual, LessOrEqual, Greater, Less, Equal, NotEqual }

// ---------- errors ----------

public enum SyntaxErrorKind
{
    /// <summary>Something other than what the grammar allows here; Expected and Found say what.</summary>
    Unexpected,
    /// <summary>A statement in a place the structure does not allow (a fact outside a rule).</summary>
    Misplaced,
    /// <summary>Parentheses or conditions nested deeper than the parser allows.</summary>
    TooDeeplyNested,
    /// <summary>A number that does not fit a decimal (or an int where a whole number is expected).</summary>
    NumberOutOfRange,
    /// <summary>A string with no closing quote on its line, or an unknown escape.</summary>
    BadString,
    /// <summary>A character that cannot start any token (NUL, a lone surrogate, a control character).</summary>
    BadCharacter,
    /// <summary>The file holds no policy and no implementation rules.</summary>
    EmptyFile,
}

public sealed record SyntaxError(SyntaxErrorKind Kind, TextSpan Span, string Expected, string Found)
{
    /// <summary>A replacement for the text at <see cref="Span"/> that would likely fix the error ("did you mean").</summary>
    public string? Suggestion { get; init; }
}
