using PolicyDsl.Model;
using CapScope = PolicyDsl.Runtime.CapScope;
using CapPeriod = PolicyDsl.Runtime.CapPeriod;

namespace PolicyDsl.Reports;

/// <summary>A text in English and in Chinese.</summary>
public sealed record Words(string En, string Zh);

/// <summary>
/// The formal parts of a rule (formula, conditions, caps) read out in plain words, in English and in
/// Chinese, for the catalogue. Facts are named by their identifier in English and by their description
/// (the policy's own words) in Chinese.
/// </summary>
public sealed class PlainWords(CheckedPolicy policy, Rule rule)
{
    private string FactEn(string name) => name;

    private string FactZh(string name) => rule.FindFact(name)?.Description ?? name;

    public Words Expr(Expr e) => new(En(e), Zh(e));

    public Words Condition(Condition c) => new(En(c), Zh(c));

    private string En(Expr e) => e switch
    {
        ConstantExpr c => Constant(c, "en"),
        FactRef f => FactEn(f.Name),
        ParamRef p => p.Keys.Count == 0 ? $"{p.Name} (set by the implementation rules)" : $"{p.Name}[{string.Join(", ", p.Keys.Select(En))}] (set by the implementation rules)",
        LetRef l => l.Name,
        TableLookup t => $"table {t.Table}[{string.Join(", ", t.Keys.Select(En))}]",
        BandLookup b => $"band {b.Band} by {FactEn(b.Fact)}",
        FunctionExpr f => f.Function switch
        {
            FunctionKind.Min => "the smaller of " + string.Join(" and ", f.Arguments.Select(En)),
            FunctionKind.Max => "the larger of " + string.Join(" and ", f.Arguments.Select(En)),
            _ => "the sum of " + string.Join(", ", f.Arguments.Select(En)),
        },
        BinaryExpr { Of: true } b => $"{Factor(b.Left)} of {En(b.Right)}",
        BinaryExpr b => $"{Group(b.Left)} {Symbol(b.Operator)} {Group(b.Right)}",
        NegateExpr n => "minus " + Group(n.Operand),
        RateExpr r => $"{Fmt.Quantity(r.Amount.Value, r.Amount.Unit)} per {(r.Full ? "full " : "")}{Fmt.Quantity(r.Per.Value, r.Per.Unit)}"
                      + (r.Base is null ? "" : " of " + En(r.Base)),
        ConditionalExpr c => $"if {En(c.Condition)} then {En(c.WhenTrue)}, otherwise {En(c.WhenFalse)}",
        ToPointsExpr t => $"{En(t.Money)}, in points ({Fmt.Number(t.MoneyPerPoint)} yuan a point)",
        RuleAwardExpr ra => $"the award of {ra.Rule}" + (ra.Bindings.Count == 0 ? "" : " with " + string.Join(", ", ra.Bindings.Select(b => $"{b.Fact} = {En(b.Value)}"))),
        KeyExpr k => k.Key,
        DateExpr d => Fmt.Date(d.Date),
        FactValueRef f => FactEn(f.Name),
        _ => e.GetType().Name,
    };

    private string Zh(Expr e) => e switch
    {
        ConstantExpr c => Constant(c, "zh"),
        FactRef f => FactZh(f.Name),
        ParamRef p => (p.Keys.Count == 0 ? "" : "按" + string.Join("、", p.Keys.Select(Zh)) + "确定的") + ParamZh(p.Name),
        LetRef l => l.Name,
        TableLookup t => $"按{string.Join("、", t.Keys.Select(Zh))}查表{t.Table}",
        BandLookup b => $"按{FactZh(b.Fact)}分档（{b.Band}）",
        FunctionExpr f => f.Function switch
        {
            FunctionKind.Min => string.Join("与", f.Arguments.Select(Zh)) + "中的较小者",
            FunctionKind.Max => string.Join("与", f.Arguments.Select(Zh)) + "中的较大者",
            _ => string.Join("、", f.Arguments.Select(Zh)) + "之和",
        },
        BinaryExpr { Of: true } b => $"{Zh(b.Right)}的{FactorZh(b.Left)}",
        BinaryExpr b => $"{GroupZh(b.Left)} {Symbol(b.Operator)} {GroupZh(b.Right)}",
        NegateExpr n => "负" + GroupZh(n.Operand),
        RateExpr r => (r.Base is null ? "" : Zh(r.Base)) + (r.Full ? "每满" : "每") + Fmt.QuantityZh(r.Per.Value, r.Per.Unit) + "计" + Fmt.QuantityZh(r.Amount.Value, r.Amount.Unit),
        ConditionalExpr c => $"若{Zh(c.Condition)}，则{Zh(c.WhenTrue)}，否则{Zh(c.WhenFalse)}",
        ToPointsExpr t => $"{Zh(t.Money)}，折算为分（每分{Fmt.Number(t.MoneyPerPoint)}元）",
        RuleAwardExpr ra => $"按{policy.FindRule(ra.Rule)?.Title ?? ra.Rule}计算的奖励" + (ra.Bindings.Count == 0 ? "" : "（" + string.Join("，", ra.Bindings.Select(b => $"{b.Fact}取{Zh(b.Value)}")) + "）"),
        KeyExpr k => k.Key,
        DateExpr d => Fmt.Date(d.Date),
        FactValueRef f => FactZh(f.Name),
        _ => e.GetType().Name,
    };

    /// <summary>A constant; money in the unit the rule's author writes money in (万元 stays 万元).</summary>
    private string Constant(ConstantExpr c, string lang) =>
        c.Written is { } written && written != Unit.Percent ? PolicyDsl.Plan.Amounts.ShowIn(c.Value, written, lang)
        : c.Unit == Unit.Yuan ? PolicyDsl.Plan.Amounts.Money(c.Value, PolicyDsl.Plan.Amounts.AuthorMoneyUnit(rule), lang) : PolicyDsl.Plan.Amounts.Show(c.Value, c.Unit, lang);

    /// <summary>A parameter by its description, saying once that the implementation rules set it.</summary>
    private string ParamZh(string name)
    {
        var description = rule.FindParameter(name)?.Description;
        if (description is null) return name + "（由实施细则确定）";
        return description.Contains("实施细则", StringComparison.Ordinal) ? description : description + "（由实施细则确定）";
    }

    private string En(Condition c) => c switch
    {
        FactIsTrue t => FactEn(t.Fact),
        CompareCondition cmp => $"{En(cmp.Left)} {Symbol(cmp.Operator)} {InFactUnit(cmp, "en") ?? MemberEn(cmp)}",
        AndCondition a => $"{En(a.Left)} and {En(a.Right)}",
        OrCondition o => $"({En(o.Left)} or {En(o.Right)})",
        NotCondition n => $"not ({En(n.Operand)})",
        _ => c.GetType().Name,
    };

    private string Zh(Condition c) => c switch
    {
        FactIsTrue t => FactZh(t.Fact),
        CompareCondition cmp => $"{Zh(cmp.Left)}{WordZh(cmp.Operator)}{InFactUnit(cmp, "zh") ?? MemberZh(cmp)}",
        AndCondition a => $"{Zh(a.Left)}，且{Zh(a.Right)}",
        OrCondition o => $"（{Zh(o.Left)}，或{Zh(o.Right)}）",
        NotCondition n => $"非（{Zh(n.Operand)}）",
        _ => c.GetType().Name,
    };

    /// <summary>"fixed_asset_investment ≥ 1000 万元": a constant compared with a fact is shown in the unit the fact is declared in (the unit the author wrote).</summary>
    private string? InFactUnit(CompareCondition cmp, string lang) =>
        cmp is { Left: FactRef f, Right: ConstantExpr k } && rule.FindFact(f.Name)?.Unit is { } declared && declared.SameDimension(k.Unit) && declared.Scale != 1m
            ? PolicyDsl.Plan.Amounts.ShowIn(k.Value, declared, lang) : null;

    /// <summary>The right side of "level >= 4" read as the member's label ("4 (国家AAAA级)").</summary>
    private string MemberEn(CompareCondition cmp) =>
        cmp is { Left: FactValueRef f, Right: KeyExpr k } && rule.FindFact(f.Name)?.FindMember(k.Key) is { Label: { } label }
            ? $"{k.Key} ({label})" : En(cmp.Right);

    private string MemberZh(CompareCondition cmp) =>
        cmp is { Left: FactValueRef f, Right: KeyExpr k } && rule.FindFact(f.Name)?.FindMember(k.Key) is { Label: { } label }
            ? label : Zh(cmp.Right);

    /// <summary>"10% of premium": a plain dimensionless factor reads as a percentage.</summary>
    private string Factor(Expr e) => e is ConstantExpr { Unit.IsDimensionless: true, Unit.Scale: 1m } c ? Fmt.Number(c.Value * 100m) + "%" : Group(e);

    private string FactorZh(Expr e) => e is ConstantExpr { Unit.IsDimensionless: true, Unit.Scale: 1m } c ? Fmt.Number(c.Value * 100m) + "%" : GroupZh(e);

    private string Group(Expr e) => e is BinaryExpr or ConditionalExpr ? "(" + En(e) + ")" : En(e);

    private string GroupZh(Expr e) => e is BinaryExpr or ConditionalExpr ? "（" + Zh(e) + "）" : Zh(e);

    private static string Symbol(BinaryKind op) => op switch
    {
        BinaryKind.Add => "+",
        BinaryKind.Subtract => "−",
        BinaryKind.Multiply => "×",
        _ => "÷",
    };

    private static string Symbol(Comparison op) => op switch
    {
        Comparison.GreaterOrEqual => "≥",
        Comparison.LessOrEqual => "≤",
        Comparison.Greater => ">",
        Comparison.Less => "<",
        Comparison.Equal => "=",
        _ => "≠",
    };

    private static string WordZh(Comparison op) => op switch
    {
        Comparison.GreaterOrEqual => "不低于",
        Comparison.LessOrEqual => "不超过",
        Comparison.Greater => "超过",
        Comparison.Less => "低于",
        Comparison.Equal => "为",
        _ => "不为",
    };

    // ---------- caps ----------

    public static string ScopeZh(CapScope scope) => scope switch
    {
        CapScope.Application => "每次申请",
        CapScope.Enterprise => "单个企业",
        CapScope.Project => "单个项目",
        CapScope.Certification => "单项认证",
        CapScope.Item => "单个事项",
        CapScope.Platform => "单个平台",
        CapScope.Township => "单个乡镇（街道）",
        _ => "单人",
    };

    /// <summary>"50 points per enterprise per year" / "单个企业年度累计最高不超过50分".</summary>
    public Words Cap(Cap cap)
    {
        var limitEn = cap.Limit is ConstantExpr c ? Constant(c, "en") : En(cap.Limit);
        var limitZh = cap.Limit is ConstantExpr z ? Constant(z, "zh") : Zh(cap.Limit);
        return new Words(limitEn + CapAfterEn(cap), CapBeforeZh(cap) + limitZh);
    }

    /// <summary>What stands before a cap's limit in Chinese: "单个企业年度累计最高不超过" (the calculator puts this application's limit after it).</summary>
    public static string CapBeforeZh(Cap cap) =>
        ScopeZh(cap.Scope) + (cap.Scope != CapScope.Application
            ? cap.Period == CapPeriod.PerYear ? "年度累计"
            // §30.2: "自2023年起每3年累计" (fixed blocks), "任意连续3年累计" (rolling)
            : cap.Period == CapPeriod.Years ? (cap.Rolling ? "任意连续" + cap.Years.ToString(System.Globalization.CultureInfo.InvariantCulture) + "年累计"
                : "自" + cap.FromYear.ToString(System.Globalization.CultureInfo.InvariantCulture) + "年度起每" + cap.Years.ToString(System.Globalization.CultureInfo.InvariantCulture) + "年累计")
            : "累计" : "") + "最高不超过";

    /// <summary>What follows a cap's limit in English: " per enterprise per year", " per enterprise cumulative over the validity".</summary>
    public static string CapAfterEn(Cap cap) => " " + PolicyDsl.Plan.PlanTexts.CapScope(cap, spellCumulative: true);
}
