using System.Collections.Immutable;
using System.Globalization;
using Pidgin;
using PolicyDsl.Text;
using static Pidgin.Parser;
using static Pidgin.Parser<PolicyDsl.Syntax.Lexeme>;

namespace PolicyDsl.Syntax;

/// <summary>
/// The grammar of one line (policy.ebnf), as Pidgin parsers over the line's tokens. Built once;
/// Pidgin parsers are immutable, so sharing them between threads is safe.
/// Nodes take their spans from their first and last tokens, so every span is exact.
/// </summary>
internal static class Grammar
{
    // ---------- tokens ----------

    private static Parser<Lexeme, TextSpan> Word(string text) =>
        Token(t => t.Kind is LexemeKind.Word or LexemeKind.Symbol && t.Text == text).Select(t => t.Span);

    /// <summary>A keyword in any of its spellings; an English spelling may be several words ("at most").</summary>
    private static Parser<Lexeme, TextSpan> Keyword(params string[] spellings)
    {
        var alternatives = spellings.Select(spelling =>
        {
            var words = spelling.Split(' ');
            if (words.Length == 1) return Word(spelling);
            var sequence = words.Skip(1).Aggregate(Word(words[0]), (acc, w) => Map((a, b) => a.Cover(b), acc, Word(w)));
            return Try(sequence);
        });
        return OneOf(alternatives).Labelled(Label(spellings));
    }

    private static string Label(string[] spellings) => spellings.Length == 1
        ? $"\"{spellings[0]}\""
        : $"\"{spellings[0]}\" ({string.Join(", ", spellings.Skip(1))})";

    /// <summary>
    /// Labels a parser by the tokens it can start with. Pidgin's Labelled replaces every expectation
    /// of a failed parser, even one that failed deep inside ("(a" would say "expected a value");
    /// labelling only the first token keeps the inner, precise expectations.
    /// </summary>
    private static Parser<Lexeme, T> Guarded<T>(string label, Func<Lexeme, bool> canStart, Parser<Lexeme, T> parser) =>
        Lookahead(Token(canStart)).Labelled(label).Then(parser);

    private static Parser<Lexeme, TextSpan> Symbol(string text) => Word(text).Labelled($"\"{text}\"");

    private static readonly Parser<Lexeme, TextSpan> Comma = Symbol(",");
    private static readonly Parser<Lexeme, TextSpan> Colon = Symbol(":");
    private static readonly Parser<Lexeme, TextSpan> EqualsSign = Symbol("=");

    /// <summary>Words that cannot be a name inside an expression or condition, where they would be ambiguous.</summary>
    internal static readonly FrozenWords ExpressionKeywords = new(
        "if", "如果", "then", "则", "else", "否则", "in", "折合", "of", "的", "per", "每", "每满", "full",
        "min", "较小", "max", "较大", "sum", "合计", "and", "且", "or", "或", "not", "非",
        "at", "least", "most", "more", "than", "less", "is", "为", "不低于", "以上", "不超过", "以下", "以内",
        "超过", "低于", "不满", "不为", "case", "一事一议", "yearly", "逐年");

    private static bool IsName(Lexeme t) => t.Kind == LexemeKind.Word && t.Text.IndexOfAny(['-', '/']) < 0;

    /// <summary>A name being declared (fact, rule, table, ...): any identifier.</summary>
    private static readonly Parser<Lexeme, Identifier> Name =
        Token(IsName).Select(t => new Identifier(t.Text, t.Span)).Labelled("a name");

    /// <summary>A name used inside an expression: not one of the expression keywords.</summary>
    private static readonly Parser<Lexeme, Identifier> Reference =
        Token(t => IsName(t) && !ExpressionKeywords.Contains(t.Text)).Select(t => new Identifier(t.Text, t.Span)).Labelled("a name");

    private static readonly Parser<Lexeme, StringLiteral> String =
        Token(t => t.Kind == LexemeKind.String).Select(t => new StringLiteral(t.Text, t.Span)).Labelled("a string (\"...\")");

    internal const string WholeNumberLabel = "a whole number";

    private static readonly Parser<Lexeme, IntegerLiteral> Integer =
        Token(t => t.IsWholeNumber && t.Number <= int.MaxValue)
            .Select(t => new IntegerLiteral((int)t.Number, t.Span)).Labelled(WholeNumberLabel);

    private static readonly Parser<Lexeme, Lexeme> Number = Token(t => t.Kind == LexemeKind.Number).Labelled("a number");

    private static readonly Parser<Lexeme, DateLiteral> Date =
        Token(t => t.Kind == LexemeKind.Date).Select(t => new DateLiteral(
            int.Parse(t.Text.AsSpan(0, 4), CultureInfo.InvariantCulture),
            int.Parse(t.Text.AsSpan(5, 2), CultureInfo.InvariantCulture),
            int.Parse(t.Text.AsSpan(8, 2), CultureInfo.InvariantCulture), t.Span)).Labelled("a date (2026-01-01)");

    private static readonly Parser<Lexeme, KeySyntax> Key =
        Name.Select(n => new KeySyntax(n.Text, false, n.Span))
            .Or(Token(t => t.IsWholeNumber).Select(t => new KeySyntax(t.Number.ToString(CultureInfo.InvariantCulture), true, t.Span)))
            .Labelled("a key (a name or a whole number)");

    // ---------- units and quantities ----------

    internal static readonly IReadOnlyDictionary<string, string> UnitNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["yuan"] = "yuan", ["元"] = "yuan",
        ["wan-yuan"] = "wan-yuan", ["万元"] = "wan-yuan",
        ["yi-yuan"] = "yi-yuan", ["亿元"] = "yi-yuan",
        ["points"] = "points", ["point"] = "points", ["分"] = "points",
        ["m2"] = "m2", ["平米"] = "m2", ["㎡"] = "m2", ["m²"] = "m2",
        ["months"] = "months", ["month"] = "months", ["个月"] = "months", ["月"] = "months",
        ["years"] = "years", ["年"] = "years",
        ["person-times"] = "person-times", ["person-time"] = "person-times", ["人次"] = "person-times",
        ["persons"] = "persons", ["人"] = "persons",
        ["count"] = "count", ["个"] = "count",
        ["%"] = "percent", ["percent"] = "percent",
    };

    internal const string UnitLabel = "a unit (yuan, 万元, points, ...)";

    /// <summary>Every spelling of every unit, for "did you mean" and completion.</summary>
    public static IEnumerable<string> UnitWords => UnitNames.Keys;

    /// <summary>Every spelling of every cap scope.</summary>
    public static IEnumerable<string> ScopeWords => Scopes.Keys;

    internal static bool IsBuiltInUnit(string word) => UnitNames.ContainsKey(word);

    /// <summary>A built-in unit word (by its canonical name) or a unit the file declares (by its own spelling).</summary>
    private static readonly Parser<Lexeme, UnitName> UnitWord =
        Token(t => t.Kind == LexemeKind.Unit || (t.Kind is LexemeKind.Word or LexemeKind.Symbol && UnitNames.ContainsKey(t.Text)))
            .Select(t => new UnitName(t.Kind == LexemeKind.Unit ? t.Text : UnitNames[t.Text], t.Span)).Labelled(UnitLabel);

    // Try: "*" may be multiplication rather than a product of units (5 yuan * rate).
    private static readonly Parser<Lexeme, List<UnitName>> UnitProduct = Map(
        (first, rest) => rest.Prepend(first).ToList(),
        UnitWord, Try(OneOf(Word("·"), Word("•"), Word("*")).Optional().Then(UnitWord)).Many());

    private static readonly Parser<Lexeme, UnitSyntax> Unit = Map(
        (names, per) => new UnitSyntax(
            new EquatableArray<UnitName>(names),
            names[0].Span.Cover((per.HasValue ? per.Value[^1] : names[^1]).Span),
            per.HasValue ? new EquatableArray<UnitName>(per.Value) : EquatableArray<UnitName>.Empty),
        UnitProduct,
        // Try: "/" may be a division rather than a ratio unit (fee / area); 万元/亩 is a unit.
        Try(Word("/").Then(UnitProduct)).Optional());

    private static readonly Parser<Lexeme, QuantitySyntax> Quantity = Map(
        (n, unit) => new QuantitySyntax(n.Number, unit.GetValueOrDefault(), unit.HasValue ? n.Span.Cover(unit.Value.Span) : n.Span),
        Number, Unit.Optional());

    private static readonly Parser<Lexeme, TextSpan> AtMost = Keyword("at most", "不超过");

    private static readonly Parser<Lexeme, TextSpan> AtLeast = Keyword("at least", "不低于");

    // ---------- expressions ----------

    private static readonly Parser<Lexeme, ConditionSyntax> Condition = Rec(() => Disjunction!);

    private static readonly Parser<Lexeme, ExpressionSyntax> Expression = Rec(() => Conversion!);

    private static readonly Parser<Lexeme, (bool Full, TextSpan Span)> PerWord = OneOf(
        Keyword("per full", "每满").Select(s => (true, s)),
        Keyword("per", "每").Select(s => (false, s)));

    private static readonly Parser<Lexeme, ExpressionSyntax> QuantityOrRate = Map(
        (q, rate) => rate.HasValue
            ? (ExpressionSyntax)new RateExpression(q, rate.Value.Full, rate.Value.Per, q.Span.Cover(rate.Value.Per.Span))
            : new QuantityExpression(q, q.Span),
        Quantity,
        // Try: in "cap 30 points per enterprise" the "per" belongs to the cap, not to a rate.
        Try(Map((per, n, unit) => (per.Full, Per: new QuantitySyntax(n.HasValue ? n.Value.Number : 1m, unit,
                n.HasValue ? n.Value.Span.Cover(unit.Span) : unit.Span)), PerWord, Number.Optional(), Unit)).Optional());

    private static readonly Parser<Lexeme, ExpressionSyntax> Function = Map(
        (kind, args, close) => (ExpressionSyntax)new FunctionExpression(kind.Kind, args, kind.Span.Cover(close)),
        OneOf(
            Keyword("min", "较小").Select(s => (Kind: FunctionKind.Min, Span: s)),
            Keyword("max", "较大").Select(s => (Kind: FunctionKind.Max, Span: s)),
            Keyword("sum", "合计").Select(s => (Kind: FunctionKind.Sum, Span: s))),
        Symbol("(").Then(Expression.SeparatedAtLeastOnce(Comma)).Select(ToArray),
        Symbol(")"));

    private static readonly Parser<Lexeme, ExpressionSyntax> Yearly = Map(
        (start, values, close) => (ExpressionSyntax)new YearlyExpression(values, start.Cover(close)),
        Keyword("yearly", "逐年"), Symbol("(").Then(Expression.SeparatedAtLeastOnce(Comma)).Select(ToArray), Symbol(")"));

    private static readonly Parser<Lexeme, FactBindingSyntax> Binding = Map(
        (fact, _, value) => new FactBindingSyntax(fact, value, fact.Span.Cover(value.Span)),
        Name, Colon, Expression);

    /// <summary>A name, a lookup name[keys] or another rule's award name(fact: value, ...).</summary>
    private static readonly Parser<Lexeme, ExpressionSyntax> NameBased = Map(
        (name, suffix) => suffix.HasValue ? suffix.Value(name) : new NameExpression(name, name.Span),
        Reference,
        OneOf(
            Map((keys, close) => (Func<Identifier, ExpressionSyntax>)(n => new IndexExpression(n, keys, n.Span.Cover(close))),
                Symbol("[").Then(Expression.SeparatedAtLeastOnce(Comma)).Select(ToArray), Symbol("]")),
            Map((bindings, close) => (Func<Identifier, ExpressionSyntax>)(n => new RuleAwardExpression(n, bindings, n.Span.Cover(close))),
                Symbol("(").Then(Binding.Separated(Comma)).Select(ToArray), Symbol(")"))).Optional());

    private static readonly Parser<Lexeme, ExpressionSyntax> Parenthesized = Map(
        (_, e, _) => e, Symbol("("), Expression, Symbol(")"));

    private static readonly FrozenWords FunctionWords = new("min", "较小", "max", "较大", "sum", "合计", "yearly", "逐年");

    private static readonly Parser<Lexeme, ExpressionSyntax> Primary = Guarded(
        "a value (a number, a name or \"(\")",
        t => t.Kind is LexemeKind.Number or LexemeKind.Date || (t.Kind == LexemeKind.Symbol && t.Text == "(")
            || (t.Kind == LexemeKind.Word && (!ExpressionKeywords.Contains(t.Text) || FunctionWords.Contains(t.Text))),
        OneOf(QuantityOrRate, Date.Select(d => (ExpressionSyntax)new DateExpression(d, d.Span)), Function, Yearly, NameBased, Parenthesized));

    private static readonly Parser<Lexeme, ExpressionSyntax> Unary = Map(
        (minus, operand) => minus.HasValue ? new NegateExpression(operand, minus.Value.Cover(operand.Span)) : operand,
        Symbol("-").Optional(), Primary);

    private static readonly Parser<Lexeme, BinaryOperator> MultiplyOperator = OneOf(
        Word("*").Or(Word("×")).Select(_ => BinaryOperator.Multiply),
        Word("/").Select(_ => BinaryOperator.Divide),
        Word("of").Or(Word("的")).Select(_ => BinaryOperator.Of)).Labelled("an operator");

    private static readonly Parser<Lexeme, BinaryOperator> AddOperator = OneOf(
        Word("+").Select(_ => BinaryOperator.Add),
        Word("-").Select(_ => BinaryOperator.Subtract)).Labelled("an operator");

    private static Parser<Lexeme, ExpressionSyntax> LeftAssociative(Parser<Lexeme, ExpressionSyntax> operand, Parser<Lexeme, BinaryOperator> op) => Map(
        (first, rest) => rest.Aggregate(first, (left, r) => new BinaryExpression(r.Op, left, r.Right, left.Span.Cover(r.Right.Span))),
        operand,
        Map((o, right) => (Op: o, Right: right), op, operand).Many());

    private static readonly Parser<Lexeme, ExpressionSyntax> Term = LeftAssociative(Unary, MultiplyOperator);

    private static readonly Parser<Lexeme, ExpressionSyntax> Additive = LeftAssociative(Term, AddOperator);

    private static readonly Parser<Lexeme, ExpressionSyntax> Conditional = Map(
        (start, condition, _, whenTrue, _, whenFalse) =>
            (ExpressionSyntax)new ConditionalExpression(condition, whenTrue, whenFalse, start.Cover(whenFalse.Span)),
        Keyword("if", "如果"), Condition, Keyword("then", "则"), Expression, Keyword("else", "否则"), Expression).Or(Additive);

    private static readonly Parser<Lexeme, ExpressionSyntax> Conversion = Map(
        (value, target) => target.HasValue ? new ConversionExpression(value, target.Value, value.Span.Cover(target.Value.Span)) : value,
        Conditional, Keyword("in", "折合").Then(Unit).Optional());

    // ---------- conditions ----------

    private static readonly Parser<Lexeme, ComparisonOperator> ComparisonOp = OneOf(
        Keyword(">=", "≥", "at least", "不低于", "以上").Select(_ => ComparisonOperator.GreaterOrEqual),
        Keyword("<=", "≤", "at most", "不超过", "以下", "以内").Select(_ => ComparisonOperator.LessOrEqual),
        Keyword(">", "more than", "超过").Select(_ => ComparisonOperator.Greater),
        Keyword("<", "less than", "低于", "不满").Select(_ => ComparisonOperator.Less),
        Keyword("!=", "≠", "is not", "不为").Select(_ => ComparisonOperator.NotEqual),
        Keyword("=", "is", "为").Select(_ => ComparisonOperator.Equal)).Labelled("a comparison (>=, <, is, 以上, ...)");

    private static readonly Parser<Lexeme, ConditionSyntax> Comparison = Map(
        (left, rest) => rest.HasValue
            ? (ConditionSyntax)new ComparisonCondition(left, rest.Value.Op, rest.Value.Right, left.Span.Cover(rest.Value.Right.Span))
            : new TruthCondition(left, left.Span),
        Expression, Map((op, right) => (Op: op, Right: right), ComparisonOp, Expression).Optional());

    // "(" opens either a condition or an expression: try the condition, and keep it only if no
    // comparison follows; "(a + b) > 5" then falls through to the expression reading.
    private static readonly Parser<Lexeme, ConditionSyntax> ParenthesizedCondition = Try(
        Map((open, c, close) => c with { Span = open.Cover(close) }, Symbol("("), Condition, Symbol(")")).Before(Lookahead(ComparisonOp).Optional().Assert(m => !m.HasValue)));

    // after the window of RULE / 享受完 RULE 后 (§27.10)
    private static readonly Parser<Lexeme, ConditionSyntax> AfterWindow = OneOf(
        Map((start, rule) => (ConditionSyntax)new AfterWindowCondition(rule, start.Cover(rule.Span)), Keyword("after the window of"), Name),
        Map((start, rule, end) => (ConditionSyntax)new AfterWindowCondition(rule, start.Cover(end)), Keyword("享受完"), Name, Keyword("后")));

    private static readonly Parser<Lexeme, ConditionSyntax> Negation = Rec(() => Map(
        (start, operand) => (ConditionSyntax)new NotCondition(operand, start.Cover(operand.Span)),
        Keyword("not", "非"), Negation!).Or(AfterWindow).Or(ParenthesizedCondition).Or(Comparison));

    private static readonly Parser<Lexeme, ConditionSyntax> Conjunction = Map(
        (first, rest) => rest.Aggregate(first, (l, r) => new AndCondition(l, r, l.Span.Cover(r.Span))),
        Negation, Keyword("and", "且").Then(Negation).Many());

    private static readonly Parser<Lexeme, ConditionSyntax> Disjunction = Map(
        (first, rest) => rest.Aggregate(first, (l, r) => new OrCondition(l, r, l.Span.Cover(r.Span))),
        Conjunction, Keyword("or", "或").Then(Conjunction).Many());

    // ---------- types ----------

    private static readonly Parser<Lexeme, MemberSyntax> Member = Map(
        (key, label) => new MemberSyntax(key, label.GetValueOrDefault(), label.HasValue ? key.Span.Cover(label.Value.Span) : key.Span),
        Key, String.Optional());

    private static Parser<Lexeme, TypeSyntax> Enumeration(Parser<Lexeme, TextSpan> keyword, bool ordered) => Map(
        (start, members) => (TypeSyntax)new EnumTypeSyntax(ordered, members, start.Cover(members[^1].Span)),
        keyword, Member.SeparatedAtLeastOnce(Comma).Select(ToArray));

    private static readonly Parser<Lexeme, TypeSyntax> Type = Guarded(
        "a type (a unit, yes/no, date, level or one of)",
        t => t.Kind is LexemeKind.Word or LexemeKind.Unit || (t.Kind == LexemeKind.Symbol && UnitNames.ContainsKey(t.Text)),
        OneOf(
        Keyword("yes/no", "是否").Select(s => (TypeSyntax)new YesNoTypeSyntax(s)),
        Keyword("date", "日期").Select(s => (TypeSyntax)new DateTypeSyntax(s)),
        Enumeration(Keyword("level", "等级"), ordered: true),
        Enumeration(Keyword("one of", "之一"), ordered: false),
        Unit.Select(u => (TypeSyntax)new QuantityTypeSyntax(u, u.Span))));

    // ---------- statements ----------

    private static Parser<Lexeme, Line> Statement<T>(Parser<Lexeme, T> parser) where T : StatementSyntax =>
        parser.Select(s => (Line)new StatementLine(s));

    private static TextSpan End(TextSpan start, params SyntaxNode?[] tail)
    {
        var span = start;
        foreach (var node in tail)
        {
            if (node is not null) span = span.Cover(node.Span);
        }
        return span;
    }

    private static readonly Parser<Lexeme, StringLiteral> Note = Keyword("note", "说明").Then(String);

    private static readonly Parser<Lexeme, EquatableArray<StringLiteral>> Strings = String.SeparatedAtLeastOnce(Comma).Select(ToArray);

    private static readonly Parser<Lexeme, EquatableArray<Identifier>> Names = Name.SeparatedAtLeastOnce(Comma).Select(ToArray);

    private static readonly Parser<Lexeme, Line> PolicyStatement = Map(
        (start, name, title) => (Line)new PolicyLine(name, title, start.Cover(title.Span)),
        Keyword("policy", "政策"), Name, String);

    private static readonly Parser<Lexeme, Line> NoteStatement = Statement(Map(
        (start, text) => new NoteSyntax(text, start.Cover(text.Span)), Keyword("note", "说明"), String));

    private static readonly Parser<Lexeme, Line> SourceStatement = Statement(Map(
        (start, text) => new SourceSyntax(text, start.Cover(text.Span)), Keyword("source", "原文"), String));

    private static readonly Parser<Lexeme, Line> EffectiveStatement = Statement(Map(
        (start, from, end) => end(start, from),
        Keyword("effective", "有效期"), Date,
        OneOf(
            Map((_, through) => (Func<TextSpan, DateLiteral, EffectiveSyntax>)((s, f) => new EffectiveSyntax(f, through, s.Cover(through.Span))),
                Keyword("through", "至"), Date),
            // effective 2023-02-08 for 3 years [provisional]
            Map((_, years, unit, provisional) => (Func<TextSpan, DateLiteral, EffectiveSyntax>)((s, f) =>
                    new EffectiveSyntax(f, null, s.Cover(provisional.HasValue ? provisional.Value : unit), years, provisional.HasValue)),
                Keyword("for"), Integer, Keyword("years", "year"), Keyword("provisional").Optional()),
            // effective 2026-03-01 onwards (§30.3: a start and no end)
            Keyword("onwards").Select(end => (Func<TextSpan, DateLiteral, EffectiveSyntax>)((s, f) => new EffectiveSyntax(f, null, s.Cover(end), Open: true))),
            // 有效期 2026-03-01 起施行 (自发布之日起施行, no end)
            Keyword("起施行").Select(end => (Func<TextSpan, DateLiteral, EffectiveSyntax>)((s, f) => new EffectiveSyntax(f, null, s.Cover(end), Open: true))),
            // 有效期 2023-02-08 起 [暂定] 3 年, or 有效期 2026-03-01 起 [施行] (no end)
            Map((start, rest) => (Func<TextSpan, DateLiteral, EffectiveSyntax>)((s, f) => rest.HasValue
                    ? new EffectiveSyntax(f, null, s.Cover(rest.Value.Unit), rest.Value.Years, rest.Value.Provisional)
                    : new EffectiveSyntax(f, null, s.Cover(start), Open: true)),
                Keyword("起"),
                OneOf(
                    Keyword("施行").Select(_ => ((IntegerLiteral Years, TextSpan Unit, bool Provisional)?)null),
                    Map((provisional, years, unit) => ((IntegerLiteral Years, TextSpan Unit, bool Provisional)?)(years, unit, provisional.HasValue),
                        Keyword("暂定").Optional(), Integer, Keyword("年")),
                    Parser<Lexeme>.Return(((IntegerLiteral Years, TextSpan Unit, bool Provisional)?)null))))));

    // year starts 07-01 | 年度 自 7 月 1 日 起 (§30.1)
    private static readonly Parser<Lexeme, Line> YearStartStatement = Statement(OneOf(
        Map((start, _, month, day) => new YearStartSyntax(month, day, start.Cover(day.Span)),
            Keyword("year"), Keyword("starts"), Integer, Symbol("-").Then(Integer)),
        Map((start, _, month, day, end) => new YearStartSyntax(month, day, start.Cover(end)),
            Keyword("年度"), Keyword("自"), Integer, OneOf(
                Keyword("月").Then(Integer).Before(Keyword("日")),
                // "7月1日" lexes as 7 and the word "月1日"
                Token(t => t.Kind == LexemeKind.Word && t.Text.Length is 3 or 4 && t.Text[0] == '月' && t.Text[^1] == '日' &&
                           t.Text[1..^1].All(char.IsAsciiDigit))
                    .Select(t => new IntegerLiteral(int.Parse(t.Text[1..^1], CultureInfo.InvariantCulture), t.Span))),
            Keyword("起"))));

    private static readonly Parser<Lexeme, Line> PointValueStatement = Statement(Map(
        (start, _, _, value) => new PointValueSyntax(value, start.Cover(value.Span)),
        Keyword("points", "每分"), Keyword("worth", "价值"), AtMost, Quantity));

    private static readonly Parser<Lexeme, Line> SupersedesStatement = Statement(Map(
        (start, documents) => new SupersedesSyntax(documents, start.Cover(documents[^1].Span)),
        Keyword("supersedes", "废止"), Strings));

    private static readonly Parser<Lexeme, Line> InterpretedByStatement = Statement(Map(
        (start, departments) => new InterpretedBySyntax(departments, start.Cover(departments[^1].Span)),
        Keyword("interpreted by", "解释"), Strings));

    private static readonly Parser<Lexeme, Line> PaidByStatement = Statement(Map(
        (start, payer) => new PaidBySyntax(payer, start.Cover(payer.Span)),
        Keyword("paid by", "出资"), String));

    // The department is optional: a section whose text names none must not be given an invented one.
    private static readonly Parser<Lexeme, Line> SectionStatement = Map(
        (start, number, title, departments) => (Line)new SectionLine(number, title, departments.GetValueOrDefault(),
            departments.HasValue ? start.Cover(departments.Value[^1].Span) : start.Cover(title.Span)),
        Keyword("section", "章"), Integer, String, Keyword("department", "部门").Then(Strings).Optional());

    private static readonly Parser<Lexeme, Line> SubsectionStatement = Map(
        (start, number, title) => (Line)new SubsectionLine(number, title, start.Cover(title.Span)),
        Keyword("subsection", "节"), Integer, String);

    private static readonly Parser<Lexeme, Line> ClauseStatement = Map(
        (start, number, title) => (Line)new ClauseLine(number, title, start.Cover(title.Span)),
        Keyword("clause", "条"), Integer, String);

    private static readonly Parser<Lexeme, Line> RuleStatement = Map(
        (start, name, title) => (Line)new RuleLine(name, title.GetValueOrDefault(), End(start, name, title.GetValueOrDefault())),
        Keyword("rule", "规则"), Name, String.Optional());

    private static readonly Parser<Lexeme, Line> FactStatement = Statement(Map(
        (start, name, type, atLeast, atMost, description) => new FactSyntax(name, type, atMost.GetValueOrDefault(), description.GetValueOrDefault(),
            End(start, type, atLeast.GetValueOrDefault(), atMost.GetValueOrDefault(), description.GetValueOrDefault()), atLeast.GetValueOrDefault()),
        Keyword("fact", "事实"), Name.Before(Colon), Type, AtLeast.Then(Quantity).Optional(), AtMost.Then(Quantity).Optional(), String.Optional()));

    private static readonly Parser<Lexeme, EquatableArray<Identifier>> Dimensions =
        Symbol("[").Then(Names).Before(Symbol("]"));

    private static readonly Parser<Lexeme, Line> ParamStatement = Statement(Map(
        (start, name, dimensions, unit, atLeast, atMost, description) => new ParamSyntax(name, dimensions.GetValueOrDefault(), unit,
            atMost.GetValueOrDefault(), description.GetValueOrDefault(),
            End(start, unit, atLeast.GetValueOrDefault(), atMost.GetValueOrDefault(), description.GetValueOrDefault()), atLeast.GetValueOrDefault()),
        Keyword("param", "参数"), Name, Dimensions.Optional(), Colon.Then(Unit), AtLeast.Then(Quantity).Optional(), AtMost.Then(Quantity).Optional(), String.Optional()));

    private static readonly Parser<Lexeme, Line> LetStatement = Statement(Map(
        (start, name, value) => new LetSyntax(name, value, start.Cover(value.Span)),
        Keyword("let", "令"), Name.Before(EqualsSign), Expression));

    private static readonly Parser<Lexeme, Line> RequiresStatement = Statement(Map(
        (start, condition) => new RequiresSyntax(condition, start.Cover(condition.Span)),
        Keyword("requires", "条件"), Condition));

    private static readonly Parser<Lexeme, Line> AwardStatement = Map(
        (start, body) => (Line)new StatementLine(body(start)),
        Keyword("award", "奖励"),
        OneOf(
            Map((reason, basis) => (Func<TextSpan, StatementSyntax>)(s => new CaseByCaseSyntax(reason,
                    s.Cover(basis.HasValue ? basis.Value.Span : reason.Span), basis.GetValueOrDefault())),
                Keyword("case by case", "一事一议").Then(String), Keyword("based on", "依据").Then(Expression).Optional()),
            Expression.Select(amount => (Func<TextSpan, StatementSyntax>)(s => new AwardSyntax(amount, s.Cover(amount.Span))))));

    private static readonly IReadOnlyDictionary<string, CapScope> Scopes = new Dictionary<string, CapScope>(StringComparer.Ordinal)
    {
        ["enterprise"] = CapScope.Enterprise, ["企业"] = CapScope.Enterprise,
        ["project"] = CapScope.Project, ["项目"] = CapScope.Project,
        ["certification"] = CapScope.Certification, ["认证"] = CapScope.Certification,
        ["item"] = CapScope.Item, ["单项"] = CapScope.Item,
        ["person"] = CapScope.Person, ["人"] = CapScope.Person,
        ["application"] = CapScope.Application, ["申请"] = CapScope.Application,
        ["platform"] = CapScope.Platform, ["平台"] = CapScope.Platform,
        ["township"] = CapScope.Township, ["乡镇"] = CapScope.Township, ["街道"] = CapScope.Township,
    };

    private static readonly Parser<Lexeme, Lexeme> ScopeWord =
        Token(t => t.Kind == LexemeKind.Word && Scopes.ContainsKey(t.Text)).Labelled("a scope (enterprise, project, item, ...)");

    /// <summary>N years [rolling] [from YEAR] after "per" (N 年 [滚动] [自 YEAR 起] after 每), §30.2.</summary>
    private static readonly Parser<Lexeme, CapYearsSyntax> YearsAfterPer = Map(
        (years, unit, rolling, from) => new CapYearsSyntax(years, rolling.HasValue, from.HasValue ? from.Value.Year : null,
            years.Span.Cover(from.HasValue ? from.Value.End : rolling.HasValue ? rolling.Value : unit)),
        Integer, Keyword("years", "year", "年"), Keyword("rolling", "滚动").Optional(),
        Map((_, year, end) => (Year: year, End: end.HasValue ? end.Value : year.Span), Keyword("from", "自"), Integer, Keyword("起").Optional()).Optional());

    private static readonly Parser<Lexeme, (CapPeriod Period, TextSpan Span, CapYearsSyntax? Years)> Period = OneOf(
        Keyword("per year", "每年", "年度").Select(s => (CapPeriod.PerYear, s, (CapYearsSyntax?)null)),
        Keyword("cumulative", "累计").Select(s => (CapPeriod.Cumulative, s, (CapYearsSyntax?)null)),
        Try(Keyword("per", "每").Then(Lookahead(Integer))).Then(YearsAfterPer).Select(y => (CapPeriod.Years, y.Span, (CapYearsSyntax?)y)));

    /// <summary>[per SCOPE] [PERIOD]; "per" is read once, then "year", N years or a scope decides which it was.</summary>
    private static readonly Parser<Lexeme, (CapScope? Scope, CapPeriod? Period, TextSpan? End, CapYearsSyntax? Years)> CapScopeAndPeriod = OneOf(
        Try(Keyword("per", "每").Then(Lookahead(Integer))).Then(YearsAfterPer)
            .Select(y => ((CapScope?)null, (CapPeriod?)CapPeriod.Years, (TextSpan?)y.Span, (CapYearsSyntax?)y)),
        Keyword("per", "每").Then(OneOf(
            Keyword("year").Select(s => ((CapScope?)null, (CapPeriod?)CapPeriod.PerYear, (TextSpan?)s, (CapYearsSyntax?)null)),
            Map((scope, period) => ((CapScope?)Scopes[scope.Text], period.HasValue ? (CapPeriod?)period.Value.Period : null,
                    (TextSpan?)(period.HasValue ? period.Value.Span : scope.Span), period.HasValue ? period.Value.Years : null),
                ScopeWord, Period.Optional()))),
        Period.Select(p => ((CapScope?)null, (CapPeriod?)p.Period, (TextSpan?)p.Span, p.Years)),
        Parser<Lexeme>.Return(((CapScope?)null, (CapPeriod?)null, (TextSpan?)null, (CapYearsSyntax?)null)));

    private static readonly Parser<Lexeme, Line> CapStatement = Statement(Map(
        (start, limit, suffix, shared) => new CapSyntax(limit, suffix.Scope, suffix.Period,
            start.Cover(limit.Span).Cover(suffix.End ?? limit.Span).Cover(shared.HasValue ? shared.Value.Span : limit.Span), shared.GetValueOrDefault(),
            suffix.Years),
        Keyword("cap", "上限"), Expression, CapScopeAndPeriod, Keyword("shared", "共用").Then(Name).Optional()));

    private static readonly Parser<Lexeme, Line> UncappedStatement = Statement(Map(
        (start, reason) => new UncappedSyntax(reason, start.Cover(reason.Span)), Keyword("uncapped", "不设上限"), String));

    private static readonly Parser<Lexeme, RoundingDirection> Direction = OneOf(
        Keyword("down", "向下").Select(_ => RoundingDirection.Down),
        Keyword("up", "向上").Select(_ => RoundingDirection.Up),
        Keyword("half-up", "四舍五入").Select(_ => RoundingDirection.HalfUp)).Labelled("a direction (down, up, half-up)");

    private static readonly Parser<Lexeme, Line> RoundStatement = Statement(Map(
        (start, direction, _, step) => new RoundSyntax(direction, step, start.Cover(step.Span)),
        Keyword("round", "取整"), Direction, Keyword("to", "到"), Quantity));

    private static readonly Parser<Lexeme, Line> TableStatement = Statement(Map(
        (start, name, dimensions, unit) => new TableSyntax(name, dimensions, unit, EquatableArray<TableCaseSyntax>.Empty, start.Cover(unit.Span)),
        Keyword("table", "表"), Name, Dimensions, Colon.Then(Unit)));

    private static readonly Parser<Lexeme, BandKind> BandKindWord = OneOf(
        Keyword("progressive", "超额累进").Select(_ => BandKind.Progressive),
        Keyword("whole", "全额").Select(_ => BandKind.Whole));

    private static readonly Parser<Lexeme, Line> BandStatement = Statement(Map(
        (start, name, fact, kind, unit) => new BandSyntax(name, fact, unit, EquatableArray<BandCaseSyntax>.Empty, start.Cover(unit.Span),
            kind.HasValue ? kind.Value : BandKind.Whole),
        Keyword("band", "分段"), Name, Symbol("(").Then(Name).Before(Symbol(")")), BandKindWord.Optional(), Colon.Then(Unit)));

    // instalments 30% [at D1], 30% [at D2], … (分期 30% [于 D1], …): §27.7
    private static readonly Parser<Lexeme, Line> InstalmentsStatement = Statement(Map(
        (start, parts) => new InstalmentsSyntax(ToArray(parts.Select(p => p.Part)),
            start.Cover(parts[^1].Milestone is { } last ? last.Span : parts[^1].Part.Span), ToArray(parts.Select(p => (Identifier?)p.Milestone))),
        Keyword("instalments", "分期"), Map((q, m) => (Part: q, Milestone: m.HasValue ? m.Value : null), Quantity,
            Keyword("at", "于").Then(Name).Optional()).SeparatedAtLeastOnce(Comma).Select(ToList)));

    private static readonly Parser<Lexeme, Line> AtOnceStatement = Statement(Map(
        (start, condition) => new AtOnceSyntax(condition, start.Cover(condition.Span)),
        Keyword("at once when", "一次性兑现 如果"), Condition));

    private static readonly Parser<Lexeme, Line> ClawbackStatement = Statement(Map(
        (start, text) => new ClawbackSyntax(text, start.Cover(text.Span)), Keyword("clawback", "追回"), String));

    // qualifies on D (认定 于 D): §27.12, the rule qualifies by the date D, not by the application's date
    private static readonly Parser<Lexeme, Line> QualifiesStatement = Statement(Map(
        (start, d) => new QualifiesSyntax(d, start.Cover(d.Span)), Keyword("qualifies on", "认定 于"), Name));

    // window 5 years [from [the year of | the year after] D] [consecutive]
    private static readonly Parser<Lexeme, Line> EnglishWindowStatement = Statement(Map(
        (start, years, from, consecutive) => new WindowSyntax(from.HasValue ? from.Value.Event : null, from.HasValue ? from.Value.Start : WindowStart.Date,
            years, consecutive.HasValue, start.Cover(consecutive.HasValue ? consecutive.Value : from.HasValue ? from.Value.Event.Span : years.Span)),
        Keyword("window"), Integer.Before(Keyword("years", "year")),
        Keyword("from").Then(Map((s, e) => (Start: s, Event: e), OneOf(
            Try(Keyword("the year of")).Select(_ => WindowStart.YearOf),
            Try(Keyword("the year after")).Select(_ => WindowStart.YearAfter),
            Parser<Lexeme>.Return(WindowStart.Date)), Name)).Optional(),
        Keyword("consecutive").Optional()));

    // 窗口 [自 D [当年 | 次年] 起] [连续] 5 年
    private static readonly Parser<Lexeme, Line> ChineseWindowStatement = Statement(Map(
        (start, from, consecutive, years, end) => new WindowSyntax(from.HasValue ? from.Value.Event : null, from.HasValue ? from.Value.Start : WindowStart.Date,
            years, consecutive.HasValue, start.Cover(end)),
        Keyword("窗口"),
        Keyword("自").Then(Map((e, s, _) => (Event: e, Start: s), Name, OneOf(
            Keyword("当年").Select(_ => WindowStart.YearOf),
            Keyword("次年", "下一年度").Select(_ => WindowStart.YearAfter),
            Parser<Lexeme>.Return(WindowStart.Date)), Keyword("起"))).Optional(),
        Keyword("连续").Optional(), Integer, Keyword("年")));

    private static readonly Parser<Lexeme, BoundSyntax> OperatorBound = Map(
        (op, value) => new BoundSyntax(op.Op, value, op.Span.Cover(value.Span)),
        Map((s, o) => (Span: s.Span, Op: o), Lookahead(Token(_ => true)), ComparisonOp), Quantity);

    // Tier wording, English before the number: from X (includes X), above X (excludes X), through / up to Y (includes Y),
    // below Y (excludes Y); 至 Y (includes Y). Try: a table key may be spelled like these words.
    private static readonly Parser<Lexeme, BoundSyntax> TierPrefixBound = Try(Map(
        (op, value) => new BoundSyntax(op.Op, value, op.Span.Cover(value.Span)),
        OneOf(
            Keyword("from").Select(s => (Op: ComparisonOperator.GreaterOrEqual, Span: s)),
            Keyword("above").Select(s => (Op: ComparisonOperator.Greater, Span: s)),
            Keyword("through", "up to", "至").Select(s => (Op: ComparisonOperator.LessOrEqual, Span: s)),
            Keyword("below").Select(s => (Op: ComparisonOperator.Less, Span: s))),
        Quantity));

    // Tier wording, Chinese after the number: X 及以上 (includes X), X 以上 (includes X unless another case does),
    // Y 及以下 / 以内 (includes Y), Y 以下 (includes Y unless another case does). Try: a table key may be a number.
    private static readonly Parser<Lexeme, BoundSyntax> TierSuffixBound = Try(Map(
        (value, word) => new BoundSyntax(word.Op, value, value.Span.Cover(word.Span), word.Yields),
        Quantity,
        OneOf(
            Keyword("及以上").Select(s => (Op: ComparisonOperator.GreaterOrEqual, Yields: false, Span: s)),
            Keyword("以上").Select(s => (Op: ComparisonOperator.GreaterOrEqual, Yields: true, Span: s)),
            Keyword("及以下", "以内").Select(s => (Op: ComparisonOperator.LessOrEqual, Yields: false, Span: s)),
            Keyword("以下").Select(s => (Op: ComparisonOperator.LessOrEqual, Yields: true, Span: s)))));

    private static readonly Parser<Lexeme, BoundSyntax> Bound = OneOf(TierSuffixBound, TierPrefixBound, OperatorBound);

    private static readonly Parser<Lexeme, Line> CaseStatement = Map(
        (start, body) => body(start),
        Keyword("case", "档"),
        OneOf(
            Map((first, second, value) => (Func<TextSpan, Line>)(s => new BandCaseLine(
                    new BandCaseSyntax(first, second.GetValueOrDefault(), value, s.Cover(value.Span)))),
                // The second end follows "and", or stands right after the first in tier wording (1000 万元 及以上 至 5000 万元).
                Bound, OneOf(Keyword("and", "且").Then(Bound), TierSuffixBound, TierPrefixBound).Optional(), EqualsSign.Then(Expression)),
            Map((keys, value) => (Func<TextSpan, Line>)(s => new TableCaseLine(new TableCaseSyntax(keys, value, s.Cover(value.Span)))),
                Key.SeparatedAtLeastOnce(Comma).Select(ToArray), EqualsSign.Then(Quantity))));

    private static readonly Parser<Lexeme, Line> UnitStatement = Statement(Map(
        (start, name, equals, description) => new UnitDeclarationSyntax(name, equals.GetValueOrDefault(), description.GetValueOrDefault(),
            End(start, name, equals.GetValueOrDefault(), description.GetValueOrDefault())),
        Keyword("unit", "单位"), UnitWord, EqualsSign.Then(Quantity).Optional(), String.Optional()));

    private static readonly Parser<Lexeme, Line> CurrencyStatement = Statement(Map(
        (start, name, symbol, minor, description) => new CurrencyDeclarationSyntax(name, symbol.GetValueOrDefault(), minor.GetValueOrDefault(), description.GetValueOrDefault(),
            End(start, name, symbol.GetValueOrDefault(), minor.GetValueOrDefault(), description.GetValueOrDefault())),
        Keyword("currency", "货币"), UnitWord, Keyword("symbol", "符号").Then(String).Optional(), Keyword("minor", "最小单位").Then(Quantity).Optional(), String.Optional()));

    private static readonly Parser<Lexeme, Line> PaidInStatement = Statement(Map(
        (start, currency) => new PaidInSyntax(currency, start.Cover(currency.Span)),
        Keyword("paid in", "币种"), UnitWord));

    private static Parser<Lexeme, Line> MeasureStatement(MeasureKind kind, Parser<Lexeme, TextSpan> keyword, Parser<Lexeme, QuantitySyntax>? amount) =>
        Statement(Map(
            (start, q, text) => new MeasureSyntax(kind, q.GetValueOrDefault(), text, start.Cover(text.Span)),
            keyword, amount is null ? Parser<Lexeme>.Return((QuantitySyntax?)null).Select(_ => Maybe.Nothing<QuantitySyntax>()) : amount.Optional(), String));

    private static readonly Parser<Lexeme, Line> GeneralStatement = Map(
        (start, number, title) => (Line)new GeneralLine(number.GetValueOrDefault(), title, start.Cover(title.Span)),
        Keyword("general", "总则"), Integer.Optional(), String);

    private static readonly Parser<Lexeme, Line> ProvisionStatement = Map(
        (start, number, title) => (Line)new ProvisionLine(number, title.GetValueOrDefault(), End(start, number, title.GetValueOrDefault())),
        Keyword("provision", "款"), Integer, String.Optional());

    private static readonly Parser<Lexeme, Line> NoStackingStatement = Statement(
        Map((start, text) => new NoStackingSyntax(text.GetValueOrDefault(), End(start, text.GetValueOrDefault())),
            Keyword("no stacking", "不重复享受"), String.Optional()));

    private static readonly Parser<Lexeme, Line> HighestElsewhereStatement = Statement(
        Map((start, text) => new HighestElsewhereSyntax(text.GetValueOrDefault(), End(start, text.GetValueOrDefault())),
            Keyword("highest with other policies", "与其他政策就高不重复"), String.Optional()));

    private static readonly Parser<Lexeme, Line> HighestOnlyStatement = Statement(Map(
        (start, rules) => new HighestOnlySyntax(rules, start.Cover(rules[^1].Span)),
        Keyword("highest only", "就高不重复"), Names));

    private static readonly Parser<Lexeme, ShareSyntax> Share = Map(
        (party, percent) => new ShareSyntax(party, percent, party.Span.Cover(percent.Span)), String, Quantity);

    private static readonly Parser<Lexeme, (IntegerLiteral From, IntegerLiteral? Through)> Except = Map(
        (from, through) => (from, (IntegerLiteral?)through.GetValueOrDefault()),
        Keyword("except", "除").Then(Keyword("clauses", "条")).Then(Integer),
        Keyword("to", "至").Then(Integer).Optional());

    private static readonly Parser<Lexeme, Line> ShareStatement = Statement(Map(
        (start, location, shares, except) => new CostShareSyntax(location, shares,
            except.HasValue ? except.Value.From : null, except.HasValue ? except.Value.Through : null,
            End(start, shares[^1], except.HasValue ? except.Value.From : null, except.HasValue ? except.Value.Through : null)),
        Keyword("share", "分担"), Keyword("at", "于").Then(String), Colon.Then(Share.SeparatedAtLeastOnce(Comma)).Select(ToArray),
        Except.Optional()));

    private static readonly Parser<Lexeme, Line> ImplementationStatement = Map(
        (start, policy, title) => (Line)new ImplementationLine(policy, title.GetValueOrDefault(), End(start, policy, title.GetValueOrDefault())),
        Keyword("implementation of", "实施细则"), Name, String.Optional());

    private static readonly Parser<Lexeme, Line> SetStatement = Statement(Map(
        (start, rule, parameter, keys, value) => new SetSyntax(rule, parameter, keys.GetValueOrDefault(), value, start.Cover(value.Span)),
        Keyword("set", "设定"), Name.Before(Symbol(".")), Name,
        Symbol("[").Then(Key.SeparatedAtLeastOnce(Comma)).Before(Symbol("]")).Select(ToArray).Optional(),
        EqualsSign.Then(Quantity)));

    /// <summary>
    /// The statement parsers by their first word, in every spelling. Choosing by the first word
    /// (instead of trying every statement) gives a precise error for a line whose keyword is right
    /// but whose rest is wrong, and a plain "expected a statement keyword" for anything else.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Parser<Lexeme, Line>> Statements = BuildStatements();

    private static Dictionary<string, Parser<Lexeme, Line>> BuildStatements()
    {
        var table = new Dictionary<string, Parser<Lexeme, Line>>(StringComparer.Ordinal);
        void Add(Parser<Lexeme, Line> parser, params string[] firstWords)
        {
            var whole = parser.Before(Parser<Lexeme>.End.Labelled("end of line"));
            foreach (var word in firstWords) table.Add(word, whole);
        }
        Add(PolicyStatement, "policy", "政策");
        Add(EffectiveStatement, "effective", "有效期");
        Add(YearStartStatement, "year", "年度");
        Add(PointValueStatement, "points", "每分");
        Add(SupersedesStatement, "supersedes", "废止");
        Add(InterpretedByStatement, "interpreted", "解释");
        Add(OneOf(PaidByStatement, PaidInStatement), "paid");
        Add(PaidByStatement, "出资");
        Add(PaidInStatement, "币种");
        Add(CurrencyStatement, "currency", "货币");
        Add(NoteStatement, "note", "说明");
        Add(SourceStatement, "source", "原文");
        Add(SectionStatement, "section", "章");
        Add(SubsectionStatement, "subsection", "节");
        Add(UnitStatement, "unit", "单位");
        Add(MeasureStatement(MeasureKind.Support, Keyword("support", "扶持"), null), "support", "扶持");
        Add(MeasureStatement(MeasureKind.Fund, Keyword("fund", "资金"), AtLeast.Then(Quantity)), "fund", "资金");
        Add(MeasureStatement(MeasureKind.Penalty, Keyword("penalty", "处罚"), null), "penalty", "处罚");
        Add(MeasureStatement(MeasureKind.Procedure, Keyword("procedure", "程序"), null), "procedure", "程序");
        Add(MeasureStatement(MeasureKind.Precedence, Keyword("precedence", "从上"), null), "precedence", "从上");
        Add(MeasureStatement(MeasureKind.RevenueSharing, Keyword("revenue sharing", "分成"), Quantity), "revenue", "分成");
        Add(ClauseStatement, "clause", "条");
        Add(RuleStatement, "rule", "规则");
        Add(FactStatement, "fact", "事实");
        Add(ParamStatement, "param", "参数");
        Add(LetStatement, "let", "令");
        Add(RequiresStatement, "requires", "条件");
        Add(AwardStatement, "award", "奖励");
        Add(CapStatement, "cap", "上限");
        Add(UncappedStatement, "uncapped", "不设上限");
        Add(RoundStatement, "round", "取整");
        Add(TableStatement, "table", "表");
        Add(BandStatement, "band", "分段");
        Add(InstalmentsStatement, "instalments", "分期");
        Add(AtOnceStatement, "at", "一次性兑现");
        Add(ClawbackStatement, "clawback", "追回");
        Add(QualifiesStatement, "qualifies", "认定");
        Add(EnglishWindowStatement, "window");
        Add(ChineseWindowStatement, "窗口");
        Add(CaseStatement, "case", "档");
        Add(GeneralStatement, "general", "总则");
        Add(ProvisionStatement, "provision", "款");
        Add(NoStackingStatement, "no", "不重复享受");
        Add(OneOf(HighestElsewhereStatement, HighestOnlyStatement), "highest");
        Add(HighestOnlyStatement, "就高不重复");
        Add(HighestElsewhereStatement, "与其他政策就高不重复");
        Add(ShareStatement, "share", "分担");
        Add(ImplementationStatement, "implementation", "实施细则");
        Add(SetStatement, "set", "设定");
        return table;
    }

    /// <summary>Words that raise the nesting depth of a line (each can nest a condition or an expression).</summary>
    public static readonly FrozenWords NestingWords = new("not", "非", "if", "如果");

    /// <summary>Words that chain operands (a + b + c): long chains make deep left-leaning trees.</summary>
    public static readonly FrozenWords ChainWords = new("+", "-", "*", "×", "/", "of", "的", "and", "且", "or", "或");

    private static List<T> ToList<T>(IEnumerable<T> items) => items as List<T> ?? items.ToList();

    private static EquatableArray<T> ToArray<T>(IEnumerable<T> items) => new(items.ToImmutableArray());
}

/// <summary>A small immutable set of words.</summary>
internal sealed class FrozenWords(params string[] words)
{
    private readonly HashSet<string> _words = new(words, StringComparer.Ordinal);

    public bool Contains(string word) => _words.Contains(word);

    public IEnumerable<string> All => _words;
}
