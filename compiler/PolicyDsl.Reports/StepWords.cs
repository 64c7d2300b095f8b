using System.Globalization;
using System.Text.RegularExpressions;
using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Reports;

/// <summary>
/// A trace step in the words of a Chinese report. Steps are written once, in English, by the plan
/// (<see cref="PlanTexts"/>) and the runtime (StepTexts, the cap ledger, the enterprise algorithm); machine outputs
/// (CSV, JSON) keep them so. A Chinese award report reads each known form through this table: a cap step by the
/// rule's cap it names (its plain words, <see cref="PlainWords.Cap"/>), amounts in the language's units. A form it
/// does not know is shown as written (PublishingTests keeps the Chinese award report free of English step words).
/// </summary>
internal static partial class StepWords
{
    public static (string Description, string Value) Zh(CheckedPolicy policy, Rule? rule, string description, string value) =>
        (Description(policy, rule, description), Value(policy, value));

    private static string Description(CheckedPolicy policy, Rule? rule, string d)
    {
        if (d == PlanTexts.FormulaStep) return "奖励公式";
        if (d == PlanTexts.FloorStep) return "不低于0";
        if (d == PlanTexts.ShareDueStep) return "到期比例：已达里程碑的分期减已兑现比例";
        if (d == PlanTexts.InstalmentDueStep) return "本次兑现";
        if (d == "paid") return "核定拨付";
        if (d.StartsWith(PlanTexts.ResultStep, StringComparison.Ordinal))
        {
            var name = d[PlanTexts.ResultStep.Length..];
            return (policy.FindRule(name)?.Title ?? name) + "的奖励";
        }
        if (d.StartsWith("requires ", StringComparison.Ordinal)) return "条件：" + Amount(policy, d["requires ".Length..]);
        if (d.StartsWith("let ", StringComparison.Ordinal)) return "令 " + d["let ".Length..];
        if (d.StartsWith("case by case: ", StringComparison.Ordinal)) return "一事一议：" + d["case by case: ".Length..];
        if (rule is not null && d.StartsWith(PlanTexts.CapStepPrefix, StringComparison.Ordinal) && CapOf(policy, rule, d) is { } cap)
        {
            var words = new PlainWords(policy, rule).Cap(cap).Zh;
            return cap.Limit is ConstantExpr ? "上限：" + words : "上限：" + words + "（本次为" + Amount(policy, d[PlanTexts.CapStepPrefix.Length..^PlanTexts.CapSuffix(policy.AwardUnit, cap).Length] + PlanTexts.UnitSuffix(policy.AwardUnit)) + "）";
        }
        if (RunningTotal().Match(d) is { Success: true } running)
            return "累计上限 " + AnyYears().Replace(running.Groups["key"].Value, "（任意连续${n}年）") + "：已用" + Amount(policy, running.Groups["used"].Value) + "，上限" + Amount(policy, running.Groups["limit"].Value);
        if (Rounding().Match(d) is { Success: true } round)
            return "取整（" + round.Groups["dir"].Value switch { "down" => "向下", "up" => "向上", _ => "四舍五入" } + "）到" + Amount(policy, round.Groups["step"].Value);
        if (Elsewhere().Match(d) is { Success: true } elsewhere)
            return "与其他政策就高不重复：同一事项他处已获" + Amount(policy, elsewhere.Groups["amount"].Value);
        return Amount(policy, d);
    }

    private static string Value(CheckedPolicy policy, string v) => v switch
    {
        PlanTexts.Holds => "满足",
        PlanTexts.Fails => "不满足",
        PlanTexts.Due => "到期",
        PlanTexts.NotDue => "未到期",
        PlanTexts.Binds => "触及上限",
        PlanTexts.DoesNotBind => "未触及上限",
        PlanTexts.NotEvaluated => "未计算",
        PlanTexts.NotComputable => "无法计算",
        "pays nothing" => "不予拨付",
        _ when v.StartsWith("pays at most ", StringComparison.Ordinal) => "至多拨付" + Amount(policy, v["pays at most ".Length..]),
        _ when v.StartsWith("pays the difference ", StringComparison.Ordinal) => "拨付差额" + Amount(policy, v["pays the difference ".Length..]),
        _ => Amount(policy, v),
    };

    /// <summary>The rule's cap a step "cap LIMIT SUFFIX" names (the suffix says its unit and scope).</summary>
    private static Cap? CapOf(CheckedPolicy policy, Rule rule, string d) =>
        rule.Caps.FirstOrDefault(c => d == PlanTexts.CapStepPrefix + c.Describe())
        ?? rule.Caps.FirstOrDefault(c => d.EndsWith(PlanTexts.CapSuffix(policy.AwardUnit, c), StringComparison.Ordinal)
                                         && d.Length > PlanTexts.CapStepPrefix.Length + PlanTexts.CapSuffix(policy.AwardUnit, c).Length);

    /// <summary>Every "NUMBER UNIT" of the text in the language's units ("150 points" → "150分", "2 wan-yuan" → "2万元").</summary>
    private static string Amount(CheckedPolicy policy, string text) => Quantity().Replace(text, m =>
    {
        var number = decimal.Parse(m.Groups["n"].Value, NumberStyles.Number, CultureInfo.InvariantCulture);
        var unit = Unit.FromName(m.Groups["u"].Value) ?? policy.Units.FirstOrDefault(u => u.Name == m.Groups["u"].Value)?.Unit;
        return unit is null ? m.Value : Amounts.Show(number, unit, "zh");
    });

    [GeneratedRegex(@"(?<n>-?\d[\d,]*(?:\.\d+)?) (?<u>points|yuan|wan-yuan|yi-yuan|months|years|m2|person-times|persons|count)\b")]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^running total (?<key>.+): (?<used>.+) used of (?<limit>.+)$")]
    private static partial Regex RunningTotal();

    // §30.2: a rolling N-year total's window, "2024-2026 (any 3 years)".
    [GeneratedRegex(@" \(any (?<n>\d+) years\)$")]
    private static partial Regex AnyYears();

    [GeneratedRegex(@"^round (?<dir>down|up|half-up) to (?<step>.+)$")]
    private static partial Regex Rounding();

    [GeneratedRegex(@"^highest with other policies: (?<amount>.+) received elsewhere for the same item$")]
    private static partial Regex Elsewhere();
}
