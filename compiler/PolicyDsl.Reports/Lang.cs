using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Reports;

/// <summary>
/// The language of a report, and its one label table. A policy whose title is written in Chinese gets Chinese
/// reports, any other English ones; <c>--lang zh|en</c> overrides. Every label a report, a chart, a notice or the
/// calculator page shows comes from <see cref="Labels"/> (templates read it as <c>L.Key</c>); amounts go through
/// <see cref="Amounts"/>; texts with both languages (<see cref="Words"/>) are picked with <see cref="Say"/>.
/// </summary>
public sealed class Lang
{
    public static Lang En => Languages.En;

    public static Lang Zh => Languages.Zh;

    /// <summary>Built after <see cref="Table"/> (static fields initialise in order; a nested class runs last).</summary>
    private static class Languages
    {
        public static readonly Lang En = new("en");
        public static readonly Lang Zh = new("zh");
    }

    private Lang(string code)
    {
        Code = code;
        Labels = Table.ToDictionary(kv => kv.Key, kv => code == "zh" ? kv.Value.Zh : kv.Value.En, StringComparer.Ordinal);
    }

    /// <summary>"en" or "zh" (also the page's lang attribute: see <see cref="HtmlLang"/>).</summary>
    public string Code { get; }

    public bool IsZh => Code == "zh";

    public string HtmlLang => IsZh ? "zh-CN" : "en";

    public IReadOnlyDictionary<string, string> Labels { get; }

    public string this[string key] => Labels.TryGetValue(key, out var text) ? text : throw new KeyNotFoundException("no label " + key);

    /// <summary>The language named by --lang ("zh"/"en"), or the policy's own (its title written in Chinese: zh).</summary>
    public static Lang For(CheckedPolicy policy, string? lang = null) => lang switch
    {
        "zh" => Zh,
        "en" => En,
        null or "" => IsChinese(policy.Title) ? Zh : En,
        _ => throw new ArgumentException("--lang is zh or en", nameof(lang)),
    };

    public static bool IsChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    public string Say(Words words) => IsZh ? words.Zh : words.En;

    public string Quantity(decimal value, Unit unit) => Amounts.Show(value, unit, Code);

    public string Number(decimal value) => Amounts.Number(value);

    public string Money(decimal yuan, Unit? authorUnit) => Amounts.Money(yuan, authorUnit, Code);

    public string Range(DateRange range) => range.Open
        // §30.3: a start and no end, said in the policy's language.
        ? IsZh ? "自 " + Fmt.Date(range.From) + " 起施行，未规定截止日期" : Fmt.Date(range.From) + " onwards, no end date"
        : (IsZh ? Fmt.Date(range.From) + " 至 " + Fmt.Date(range.Through) : Fmt.Range(range)) +
        // §27.5: an end derived from a stated length, marked when the text calls it provisional (暂定).
        (range.Years is { } y
            ? IsZh ? "（" + (range.Provisional ? "暂定" : "") + y.ToString(System.Globalization.CultureInfo.InvariantCulture) + "年）"
                   : " (" + (range.Provisional ? "provisional, " : "") + y.ToString(System.Globalization.CultureInfo.InvariantCulture) + " years)"
            : "");

    /// <summary>§30.1: the day a year starts, "1 July" / "7月1日".</summary>
    public string YearStart(PolicyDsl.Runtime.YearStart year)
    {
        var y = year.IsCalendar ? PolicyDsl.Runtime.YearStart.Calendar : year;
        return IsZh ? y.Month.ToString(System.Globalization.CultureInfo.InvariantCulture) + "月" + y.Day.ToString(System.Globalization.CultureInfo.InvariantCulture) + "日"
            : y.Day.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + System.Globalization.CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(y.Month);
    }

    /// <summary>§30.1: "years start on 1 July" / "年度自7月1日起".</summary>
    public string Years(PolicyDsl.Runtime.YearStart year) => IsZh ? "年度自" + YearStart(year) + "起" : "years start on " + YearStart(year);

    /// <summary>A trace step's kind in words.</summary>
    public string Kind(TraceKind kind) => this["kind." + kind];

    /// <summary>The same for the runtime's trace kinds (generated code's traces; the two enums have the same members).</summary>
    public string Kind(PolicyDsl.Runtime.TraceKind kind) => this["kind." + kind];

    /// <summary>Where an application stands in its file ("application 2, line 9" / "第2项，第9行"; CSV "line 9" / "第9行").</summary>
    public string RowAt(string label)
    {
        if (!IsZh) return label;
        var m = System.Text.RegularExpressions.Regex.Match(label, @"^(?:application (\d+), )?line (\d+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        if (!m.Success) return label;
        return (m.Groups[1].Success ? "第" + m.Groups[1].Value + "项，" : "") + "第" + m.Groups[2].Value + "行";
    }

    /// <summary>"clause 3" / "第3条".</summary>
    public string Clause(int number) => IsZh ? "第" + Fmt.Int(number) + "条" : "Clause " + Fmt.Int(number);

    /// <summary>A list joined as the language joins it ("a, b" / "a、b").</summary>
    public string List(IEnumerable<string> items) => string.Join(IsZh ? "、" : ", ", items);

    private static readonly Dictionary<string, (string En, string Zh)> Table = new(StringComparer.Ordinal)
    {
        // catalogue header
        ["Clauses"] = ("clauses", "条"),
        ["Rules"] = ("rules", "项规则"),
        ["Validity"] = ("Validity", "有效期"),
        ["NotStated"] = ("not stated", "未写明"),
        ["Supersedes"] = ("Supersedes", "废止文件"),
        ["None"] = ("none", "无"),
        ["InterpretedBy"] = ("Interpreted by", "解释部门"),
        ["PointWorth"] = ("A point is worth", "分值折算"),
        ["DefaultPayer"] = ("Default payer", "资金承担"),
        ["Implementation"] = ("Implementation rules", "实施细则"),
        ["Department"] = ("Department", "责任部门"),
        ["NoneNamed"] = ("none named", "未写明"),
        ["PaysNothing"] = ("pays nothing", "不予计算"),
        ["OriginalText"] = ("Original text", "原文"),
        ["FormalRule"] = ("Formal rule", "规则"),
        ["Conditions"] = ("Conditions", "条件"),
        ["Where"] = ("Where", "其中"),
        ["Award"] = ("Award", "奖励"),
        ["Caps"] = ("Caps", "上限"),
        ["AtMost"] = ("at most", "最高"),
        ["Rounding"] = ("Rounding", "取整"),
        ["Instalments"] = ("Instalments", "分期"),
        ["Qualifies"] = ("Qualifies", "认定"),
        ["ProvenMaximum"] = ("Proven maximum", "最高奖励"),
        ["MoneyCeiling"] = ("money ceiling", "资金上限"),
        ["Uncapped"] = ("uncapped", "无上限"),
        ["WhoPays"] = ("Who pays", "资金承担"),
        ["Fact"] = ("Fact", "事实"),
        ["Kind"] = ("Kind", "类型"),
        ["Meaning"] = ("Meaning", "含义"),
        ["Parameter"] = ("Parameter", "参数"),
        ["Values"] = ("Values", "取值"),
        ["Note"] = ("Note", "注"),
        ["NoChart"] = ("No chart", "无图"),
        ["Provision"] = ("Provision", "条款"),
        ["Tests"] = ("Tests", "测试"),
        ["NoTest"] = ("No test applies this clause", "本条无测试"),
        ["YesNo"] = ("yes/no", "是/否"),
        ["Number"] = ("number", "数值"),
        ["Date"] = ("date", "日期"),
        ["Level"] = ("level", "等级"),
        ["OneOf"] = ("one of", "其中之一"),
        ["NotSet"] = ("not set (needs the implementation rules)", "未设定（由实施细则确定）"),
        ["Unbounded"] = ("unbounded", "无上限"),
        ["RoundDown"] = ("round down to", "向下取整至"),
        ["RoundUp"] = ("round up to", "向上取整至"),
        ["RoundNearest"] = ("round to the nearest", "四舍五入至"),
        ["Title"] = ("Title", "标题"),
        // exposure
        ["Exposure"] = ("Exposure", "资金敞口"),
        ["ExposureIntro"] = ("The proven maximum of one application under each rule (the smaller of the formula's bound and every cap), and its money ceiling.",
                             "每项规则单次申报可证明的最高奖励（公式上界与各项上限中的较小者）及其资金上限。"),
        ["Assumptions"] = ("What the totals assume", "合计的假设"),
        ["AssumeOnce"] = ("Each rule is applied once, by one enterprise, for one project: a total is the most one application per rule can cost, not a budget for many enterprises or projects.",
                          "每项规则按一家企业、一个项目申报一次计算：合计为每项规则各申报一次的最高支出，不是多家企业或多个项目的预算。"),
        ["AssumeProject"] = ("A cap “per project” is counted once; an enterprise with n projects may receive up to n times that row.",
                             "“单个项目”上限按一个项目计；一家企业有n个项目的，该行最多可达n倍。"),
        ["AssumeEnterprise"] = ("A cap “per enterprise” or “per enterprise per year” bounds what one enterprise receives (per year where it says so); several enterprises each receive up to it.",
                                "“单个企业”或“每年”上限约束一家企业（按年者每年）所得；多家企业各自可达该数。"),
        ["AssumeOpenEnded"] = ("The validity has no end date: a cap per year or per N years repeats for as many years as the policy runs, so these totals are per year (or per N years) and no total over the validity exists.",
                               "有效期未规定截止日期：按年（或每N年）计算的上限随政策施行年数重复，以上合计为每年（或每N年）数额，不存在整个有效期的合计。"),
        ["AssumeYearStart"] = ("Years start on {0}, not on 1 January: “per year” means a year from that day.",
                               "年度自{0}起计算（非自然年度）：“每年”指自该日起的一个年度。"),
        ["AssumeHighest"] = ("No-stacking and highest-only provisions can only lower the real cost; they are not subtracted.",
                             "不重复享受、从高不重复等规定只会降低实际支出，合计中未予扣除。"),
        ["CannotBound"] = ("What the totals cannot bound (not in the totals)", "无法计入合计的内容"),
        ["CaseByCase"] = ("case by case", "一事一议"),
        ["NonMonetary"] = ("non-monetary", "非资金"),
        ["PerRule"] = ("Per rule", "按规则"),
        ["PerClause"] = ("Per clause", "按条款"),
        ["PerDepartment"] = ("Per department", "按部门"),
        ["PerGovernment"] = ("Per government", "按出资方"),
        ["ClauseRule"] = ("Clause · rule", "条款 · 规则"),
        ["Clause"] = ("Clause", "条款"),
        ["Maximum"] = ("Maximum", "最高"),
        ["Total"] = ("Total", "合计"),
        ["Government"] = ("Government", "出资方"),
        ["Pays"] = ("Pays", "承担"),
        ["BeyondDecimal"] = ("beyond the decimal range", "超出十进制范围"),
        ["DefaultPayerAll"] = ("default payer: all of every award outside shared locations", "默认出资方：分担地区以外的全部奖励"),
        // charts
        ["ChartAward"] = ("Award", "奖励"),
        ["ChartTitle"] = ("Award against", "奖励随"),
        ["CapBindsFrom"] = ("cap binds from", "上限起始于"),
        ["HeldAt"] = ("Other facts held at", "其他事实取值"),
        ["Yes"] = ("yes", "是"),
        ["No"] = ("no", "否"),
        // award report and notice
        ["Awards"] = ("Awards under", "奖励核定"),
        ["Enterprise"] = ("Enterprise", "企业"),
        ["Row"] = ("No.", "序号"),
        ["Application"] = ("Application", "申报"),
        ["Rule"] = ("Rule", "规则"),
        ["AppliedOn"] = ("Date", "申报日期"),
        ["BoundBy"] = ("Bound by", "适用上限"),
        ["Paid"] = ("Paid", "核定拨付"),
        ["Payers"] = ("Payers", "出资"),
        ["Reason"] = ("Reason", "说明"),
        ["Subject"] = ("subject", "项目"),
        ["At"] = ("at", "地点"),
        ["Summary"] = ("Summary", "汇总"),
        ["Rows"] = ("Rows", "行数"),
        ["Evaluated"] = ("Evaluated", "已计算"),
        ["Rejected"] = ("Rejected", "不予受理"),
        ["RejectedRows"] = ("Rejected rows", "不予受理的申报"),
        ["Enterprises"] = ("Enterprises", "企业数"),
        ["PaidInAll"] = ("Paid in all", "合计拨付"),
        ["AtMostMoney"] = ("at most", "至多"),
        ["AmountsIn"] = ("amounts in", "金额单位"),
        ["ApplicationsFrom"] = ("applications from", "申报来源"),
        ["StandardInput"] = ("standard input", "标准输入"),
        ["Policy"] = ("Policy", "政策"),
        ["NoticeTitle"] = ("Award decision", "奖励（补助）核定结果"),
        ["NoticeTo"] = ("To", "致"),
        ["NoticeIntro"] = ("Under the policy below, your applications were assessed as follows.", "根据下列政策，贵单位的申报核定如下。"),
        ["AppliedFor"] = ("Applied for", "申报事项"),
        ["Facts"] = ("As stated in the application", "申报内容"),
        ["Assessed"] = ("Assessed award", "核定奖励"),
        ["Why"] = ("Why", "核定依据"),
        ["ClauseText"] = ("The clause says", "条款原文"),
        ["TotalPaid"] = ("Total paid", "核定拨付合计"),
        ["PaidMoney"] = ("Money", "资金"),
        ["Issued"] = ("Issued by", "核定单位"),
        ["NotEligible"] = ("not eligible", "不符合条件"),
        ["CaseByCaseNote"] = ("decided case by case; nothing is paid automatically", "一事一议，不自动核定"),
        // trace kinds
        ["kind.Validity"] = ("validity", "有效期"),
        ["kind.Condition"] = ("condition", "条件"),
        ["kind.Let"] = ("intermediate value", "中间值"),
        ["kind.Formula"] = ("formula", "计算公式"),
        ["kind.Cap"] = ("cap", "上限"),
        ["kind.RunningTotal"] = ("running total", "累计上限"),
        ["kind.Rounding"] = ("rounding", "取整"),
        ["kind.Result"] = ("result", "结果"),
        ["kind.Problem"] = ("problem", "问题"),
        // calculator
        ["Calculator"] = ("Award calculator", "奖励计算器"),
        ["PickClause"] = ("Clause", "条款"),
        ["Compute"] = ("Compute", "计算"),
        ["ApplicationDate"] = ("Application date", "申报日期"),
        ["Link"] = ("Link to this case", "本例链接"),
        ["Explanation"] = ("Explanation", "计算过程"),
        ["NoCapBinds"] = ("no cap binds", "未触及上限"),
        ["Bounds"] = ("between 0 and", "取值 0 至"),
    };
}
