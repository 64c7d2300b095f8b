using PolicyDsl.Syntax;
using static PolicyDsl.Grammar.Tests.TestSupport;

namespace PolicyDsl.Grammar.Tests;

/// <summary>The shapes the grammar gives to expressions, conditions, types and units.</summary>
public class StatementTests
{
    private static ExpressionSyntax Award(string expression) =>
        Assert.IsType<AwardSyntax>(OneStatement("award " + expression)).Amount;

    private static ConditionSyntax Requires(string condition) =>
        Assert.IsType<RequiresSyntax>(OneStatement("requires " + condition)).Condition;

    [Fact]
    public void Multiplication_binds_tighter_than_addition_and_both_associate_left()
    {
        Assert.Equal("Add(a, Mul(b, c))", Shape(Award("a + b * c")));
        Assert.Equal("Sub(Sub(a, b), c)", Shape(Award("a - b - c")));
        Assert.Equal("Div(Of(a, b), c)", Shape(Award("a of b / c")));
        Assert.Equal("Mul(Add(a, b), c)", Shape(Award("(a + b) × c")));
    }

    [Fact]
    public void And_binds_tighter_than_or_and_not_applies_to_one_operand()
    {
        Assert.Equal("Or(a, And(b, c))", Shape(Requires("a or b and c")));
        Assert.Equal("And(Not(a), b)", Shape(Requires("not a and b")));
        Assert.Equal("And(Not(Or(a, b)), c)", Shape(Requires("not (a or b) and c")));
        Assert.Equal("Cmp(Add(a, b) GreaterOrEqual 5)", Shape(Requires("(a + b) >= 5")));
        Assert.Equal("Cmp(a Less 5)", Shape(Requires("((a < 5))")));
    }

    [Theory]
    [InlineData(">=", ComparisonOperator.GreaterOrEqual)]
    [InlineData("≥", ComparisonOperator.GreaterOrEqual)]
    [InlineData("at least", ComparisonOperator.GreaterOrEqual)]
    [InlineData("不低于", ComparisonOperator.GreaterOrEqual)]
    [InlineData("以上", ComparisonOperator.GreaterOrEqual)]
    [InlineData("<=", ComparisonOperator.LessOrEqual)]
    [InlineData("≤", ComparisonOperator.LessOrEqual)]
    [InlineData("at most", ComparisonOperator.LessOrEqual)]
    [InlineData("不超过", ComparisonOperator.LessOrEqual)]
    [InlineData("以下", ComparisonOperator.LessOrEqual)]
    [InlineData("以内", ComparisonOperator.LessOrEqual)]
    [InlineData(">", ComparisonOperator.Greater)]
    [InlineData("more than", ComparisonOperator.Greater)]
    [InlineData("超过", ComparisonOperator.Greater)]
    [InlineData("<", ComparisonOperator.Less)]
    [InlineData("less than", ComparisonOperator.Less)]
    [InlineData("低于", ComparisonOperator.Less)]
    [InlineData("不满", ComparisonOperator.Less)]
    [InlineData("=", ComparisonOperator.Equal)]
    [InlineData("is", ComparisonOperator.Equal)]
    [InlineData("为", ComparisonOperator.Equal)]
    [InlineData("!=", ComparisonOperator.NotEqual)]
    [InlineData("≠", ComparisonOperator.NotEqual)]
    [InlineData("is not", ComparisonOperator.NotEqual)]
    [InlineData("不为", ComparisonOperator.NotEqual)]
    public void Every_comparison_spelling_gives_its_operator(string spelling, ComparisonOperator expected)
    {
        var comparison = Assert.IsType<ComparisonCondition>(Requires($"fee {spelling} 5 yuan"));
        Assert.Equal(expected, comparison.Operator);
        Assert.Equal("fee", Assert.IsType<NameExpression>(comparison.Left).Name.Text);
    }

    [Theory]
    [InlineData("yuan", "yuan")]
    [InlineData("元", "yuan")]
    [InlineData("wan-yuan", "wan-yuan")]
    [InlineData("万元", "wan-yuan")]
    [InlineData("points", "points")]
    [InlineData("分", "points")]
    [InlineData("m2", "m2")]
    [InlineData("平米", "m2")]
    [InlineData("㎡", "m2")]
    [InlineData("months", "months")]
    [InlineData("个月", "months")]
    [InlineData("月", "months")]
    [InlineData("years", "years")]
    [InlineData("年", "years")]
    [InlineData("person-times", "person-times")]
    [InlineData("人次", "person-times")]
    [InlineData("persons", "persons")]
    [InlineData("人", "persons")]
    [InlineData("count", "count")]
    [InlineData("个", "count")]
    [InlineData("%", "percent")]
    [InlineData("percent", "percent")]
    public void Every_unit_spelling_is_canonicalised(string spelling, string canonical)
    {
        var fact = Assert.IsType<FactSyntax>(OneStatement($"fact x: {spelling}"));
        var unit = Assert.IsType<QuantityTypeSyntax>(fact.Type).Unit;
        Assert.Equal(canonical, Assert.Single(unit.Names).Name);
    }

    [Theory]
    [InlineData("m2 · months")]
    [InlineData("m2 • months")]
    [InlineData("m2 * months")]
    [InlineData("m2 months")]
    [InlineData("平米•月")]
    public void Unit_products_keep_every_factor(string unit)
    {
        var fact = Assert.IsType<FactSyntax>(OneStatement($"fact x: {unit}"));
        Assert.Equal(["m2", "months"], Assert.IsType<QuantityTypeSyntax>(fact.Type).Unit.Names.Select(n => n.Name));
    }

    [Fact]
    public void Percent_directly_after_a_number_is_a_unit_and_a_number_may_touch_its_unit()
    {
        var q = Assert.IsType<QuantityExpression>(Award("40%")).Quantity;
        Assert.Equal((40m, "percent"), (q.Value, q.Unit!.Names[0].Name));
        var wan = Assert.IsType<QuantityExpression>(Award("10万元")).Quantity;
        Assert.Equal((10m, "wan-yuan"), (wan.Value, wan.Unit!.Names[0].Name));
    }

    [Fact]
    public void Times_between_a_unit_and_a_name_is_multiplication()
    {
        Assert.Equal("Mul(5 yuan, rate)", Shape(Award("5 yuan * rate")));
    }

    [Fact]
    public void Rates_keep_amount_step_and_fullness()
    {
        var rate = Assert.IsType<RateExpression>(Award("0.14 points per 2000 yuan"));
        Assert.Equal((0.14m, false, 2000m, "yuan"), (rate.Amount.Value, rate.Full, rate.Per.Value, rate.Per.Unit!.Names[0].Name));
        var full = Assert.IsType<RateExpression>(Award("0.03 分 每满 10 人次"));
        Assert.True(full.Full);
        var perUnit = Assert.IsType<RateExpression>(Award("0.002 分 每 平米•月"));
        Assert.Equal(1m, perUnit.Per.Value);
        Assert.Equal(["m2", "months"], perUnit.Per.Unit!.Names.Select(n => n.Name));
    }

    [Fact]
    public void Cap_scope_and_period_are_not_taken_for_a_rate()
    {
        var cap = Assert.IsType<CapSyntax>(OneStatement("cap 30 points per enterprise per year"));
        Assert.Equal((CapScope.Enterprise, CapPeriod.PerYear), (cap.Scope, cap.Period));
        Assert.IsType<QuantityExpression>(cap.Limit);
        var yearly = Assert.IsType<CapSyntax>(OneStatement("cap 30 points per year"));
        Assert.Equal(((CapScope?)null, CapPeriod.PerYear), (yearly.Scope, yearly.Period));
        var annual = Assert.IsType<CapSyntax>(OneStatement("上限 30 分 每 单项 年度"));
        Assert.Equal((CapScope.Item, CapPeriod.PerYear), (annual.Scope, annual.Period));
    }

    [Fact]
    public void Keywords_match_whole_words_only()
    {
        var rule = PolicyParser.Parse(Prefix.Replace("rule r", "rule ruler") + "fact capital: yuan\naward notable + iffy + of_x\n");
        Assert.Empty(rule.Errors);
        var r = rule.Policy!.Sections[0].Clauses[0].Rules[0];
        Assert.Equal("ruler", r.Name.Text);
        Assert.Equal("capital", Assert.IsType<FactSyntax>(r.Items[0]).Name.Text);
        Assert.Equal("Add(Add(notable, iffy), of_x)", Shape(Assert.IsType<AwardSyntax>(r.Items[1]).Amount));

        var glued = PolicyParser.Parse("policyX P \"t\"");
        Assert.Equal(SyntaxErrorKind.Unexpected, Assert.Single(glued.Errors).Kind);
        Assert.Equal("\"policyX\"", glued.Errors[0].Found);
    }

    [Fact]
    public void Scope_words_are_names_inside_expressions()
    {
        var cap = Assert.IsType<CapSyntax>(OneStatement("cap project * 2 per project"));
        Assert.Equal("Mul(project, 2)", Shape(cap.Limit));
        Assert.Equal(CapScope.Project, cap.Scope);
    }

    [Fact]
    public void Identifiers_may_be_CJK_or_start_with_underscore()
    {
        var let = Assert.IsType<LetSyntax>(OneStatement("let _x1 = 中介费用 * 2"));
        Assert.Equal("_x1", let.Name.Text);
        Assert.Equal("Mul(中介费用, 2)", Shape(let.Value));
    }

    [Fact]
    public void Spans_cover_exactly_their_text()
    {
        var text = Prefix + "  award 40% of fee in points  # comment\n";
        var award = Assert.IsType<AwardSyntax>(PolicyParser.Parse(text).Policy!.Sections[0].Clauses[0].Rules[0].Items[0]);
        Assert.Equal("award 40% of fee in points", Slice(text, award.Span));
        var conversion = Assert.IsType<ConversionExpression>(award.Amount);
        Assert.Equal("40% of fee", Slice(text, conversion.Value.Span));
        Assert.Equal("points", Slice(text, conversion.Target.Span));
        var rule = PolicyParser.Parse(text).Policy!.Sections[0].Clauses[0].Rules[0];
        Assert.Equal("rule r\n  award 40% of fee in points", Slice(text, rule.Span));
    }

    [Fact]
    public void Table_and_band_cases_fold_into_their_statement()
    {
        var items = RuleItems("table t[k]: points\n  case a = 1 points\n  档 b = 2 分\nband b(x): %\n  case < 5 yuan = 1%\n");
        Assert.Equal(2, items.Count);
        var table = Assert.IsType<TableSyntax>(items[0]);
        Assert.Equal([("a", 1m), ("b", 2m)], table.Cases.Select(c => (c.Keys[0].Text, c.Value.Value)));
        var band = Assert.IsType<BandSyntax>(items[1]);
        var only = Assert.Single(band.Cases);
        Assert.Equal((ComparisonOperator.Less, 5m, (BoundSyntax?)null), (only.First.Operator, only.First.Value.Value, only.Second));
    }

    [Fact]
    public void Strings_resolve_their_escapes()
    {
        var note = Assert.IsType<NoteSyntax>(OneStatement("note \"a\\\"b\\\\c\\n\\t\\r\\u{4E2D}\\u{1F600}\""));
        Assert.Equal("a\"b\\c\n\t\r中\U0001F600", note.Text.Value);
        var hash = Assert.IsType<NoteSyntax>(OneStatement("note \"a # b\" # a comment"));
        Assert.Equal("a # b", hash.Text.Value);
    }

    [Fact]
    public void Numbers_are_exact_decimals_with_digit_separators()
    {
        Assert.Equal(1000000m, Assert.IsType<QuantityExpression>(Award("1_000_000")).Quantity.Value);
        Assert.Equal(0.0000000001m, Assert.IsType<QuantityExpression>(Award("0.0000000001")).Quantity.Value);
        var negated = Assert.IsType<NegateExpression>(Award("-0"));
        Assert.Equal(0m, Assert.IsType<QuantityExpression>(negated.Operand).Quantity.Value);
    }

    private static string Slice(string text, PolicyDsl.Text.TextSpan span) => text.Substring(span.Start, span.Length);

    /// <summary>A compact shape of an expression or condition, to assert precedence.</summary>
    private static string Shape(SyntaxNode node) => node switch
    {
        BinaryExpression b => $"{b.Operator switch { BinaryOperator.Add => "Add", BinaryOperator.Subtract => "Sub", BinaryOperator.Multiply => "Mul", BinaryOperator.Divide => "Div", _ => "Of" }}({Shape(b.Left)}, {Shape(b.Right)})",
        NameExpression n => n.Name.Text,
        QuantityExpression q => q.Quantity.Unit is null ? q.Quantity.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : $"{q.Quantity.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} {string.Join(" ", q.Quantity.Unit.Names.Select(u => u.Name))}",
        OrCondition o => $"Or({Shape(o.Left)}, {Shape(o.Right)})",
        AndCondition a => $"And({Shape(a.Left)}, {Shape(a.Right)})",
        NotCondition n => $"Not({Shape(n.Operand)})",
        TruthCondition t => Shape(t.Value),
        ComparisonCondition c => $"Cmp({Shape(c.Left)} {c.Operator} {Shape(c.Right)})",
        _ => node.GetType().Name,
    };
}
