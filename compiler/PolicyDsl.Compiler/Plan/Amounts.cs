using System.Globalization;
using PolicyDsl.Model;

namespace PolicyDsl.Plan;

/// <summary>
/// The one place an amount is written for a reader (reports, notices, the calculator page, eval output): in the
/// unit the author declared (a fact written in 万元 stays in 万元), without trailing zeros, with the language's
/// group separator ("1,500,000"; Chinese official documents group by three with the same comma), and the unit's
/// name in the language ("200 points" / "200分"). Traces keep <see cref="PlanTexts.Number"/> (machine-comparable).
/// </summary>
public static class Amounts
{
    /// <summary>A number, no trailing zeros, grouped by three.</summary>
    public static string Number(decimal value) =>
        PlanTexts.Normalize(value).ToString("#,0.############################", CultureInfo.InvariantCulture);

    /// <summary>A value held in the given unit (already scaled to it), with the unit's name in the language.</summary>
    public static string Show(decimal value, Unit unit, string lang = "en")
    {
        var zh = lang == "zh";
        if (unit.Scale != 1m && unit != Unit.Percent && unit != Unit.WanYuan && unit != Unit.YiYuan && unit != Unit.Years)
            return Show(value * unit.Scale, unit.Base, lang); // a product of scaled units has no name of its own
        if (unit == Unit.Percent) return Number(value) + "%";
        if (unit.IsDimensionless && unit.Scale == 1m) return Number(value);
        var name = zh ? UnitZh(unit) : UnitEn(unit, value);
        // A unit named in Latin letters (a currency code: AUD) stands apart from the number in Chinese too.
        return zh && name is not null ? Number(value) + (name.Length > 0 && char.IsAsciiLetter(name[0]) ? " " : "") + name : Number(value) + " " + (name ?? unit.ToString());
    }

    /// <summary>A value held in base units, shown in the unit the author declared (100000000 yuan in 万元: "10,000万元").</summary>
    public static string ShowIn(decimal baseValue, Unit declared, string lang = "en") =>
        Show(declared.Scale == 1m || declared == Unit.Percent ? (declared == Unit.Percent ? baseValue * 100m : baseValue) : baseValue / declared.Scale, declared, lang);

    /// <summary>
    /// Money in yuan, shown in 万元 when the author writes money in 万元 (<paramref name="authorMoneyUnit"/>) and the
    /// amount is a whole number of hundreds of yuan (so 万元 needs at most two decimals); otherwise in yuan.
    /// </summary>
    public static string Money(decimal yuan, Unit? authorMoneyUnit, string lang = "en") =>
        authorMoneyUnit is { } currency && !currency.SameDimension(Unit.Yuan) ? Show(yuan, currency.Base, lang) // a declared currency (§24.8)
        : authorMoneyUnit == Unit.WanYuan && Math.Abs(yuan) >= 10_000m && yuan % 100m == 0m
            ? Show(yuan / 10_000m, Unit.WanYuan, lang)
            : Show(yuan, Unit.Yuan, lang);

    /// <summary>
    /// The money unit the author wrote in a rule (万元 or yuan), or null: the unit its money caps are written in, else
    /// its award's, else its first money fact's. A rule's computed amounts (maximum, ceiling) are shown in it.
    /// </summary>
    public static Unit? AuthorMoneyUnit(Rule rule) => MoneyUnitsWritten(rule).FirstOrDefault();

    /// <summary>The unit a rule's money is shown in: the policy's currency, else the rule's (万元 or yuan), else the policy's.</summary>
    public static Unit? MoneyUnitOf(CheckedPolicy policy, Rule rule) =>
        policy.Money != Unit.Yuan ? policy.Money : AuthorMoneyUnit(rule) ?? AuthorMoneyUnit(policy);

    /// <summary>The money unit a policy's authors wrote most (万元 when most rules write money in 万元).</summary>
    public static Unit? AuthorMoneyUnit(CheckedPolicy policy)
    {
        if (policy.Money != Unit.Yuan) return policy.Money;
        var units = policy.Rules.Select(AuthorMoneyUnit).OfType<Unit>().ToList();
        if (units.Count == 0) return null;
        return units.Count(u => u == Unit.WanYuan) * 2 > units.Count ? Unit.WanYuan : Unit.Yuan;
    }

    private static IEnumerable<Unit> MoneyUnitsWritten(Rule rule) =>
        rule.Caps.Select(c => c.Limit).Append(rule.Award.Formula).OfType<ConstantExpr>().Where(k => k.Unit == Unit.Yuan).Select(k => k.Shown)
            .Concat(rule.Facts.Where(f => f.Unit is { } u && u.Base == Unit.Yuan).Select(f => f.Unit!));

    private static string? UnitZh(Unit unit) =>
        unit == Unit.AwardPoints ? "分" : unit == Unit.Yuan ? "元" : unit == Unit.WanYuan ? "万元" : unit == Unit.YiYuan ? "亿元"
        : unit == Unit.SquareMetres ? "平方米" : unit == Unit.Months ? "个月" : unit == Unit.Years ? "年"
        : unit == Unit.PersonTimesUnit ? "人次" : unit == Unit.PersonsUnit ? "人" : unit == Unit.CountUnit ? "个"
        : unit.Scale == 1m ? CompoundZh(unit) : null;

    /// <summary>分/(平方米·月), 元/亩: a compound unit from the dimensions' Chinese names (declared dimensions by their own name).</summary>
    private static string? CompoundZh(Unit unit)
    {
        var dims = new (int Exp, string Name)[]
        {
            (unit.Money, "元"), (unit.Points, "分"), (unit.Area, "平方米"), (unit.Time, "月"),
            (unit.PersonTimes, "人次"), (unit.Persons, "人"), (unit.Count, "个"),
        }.Concat(unit.Others.Select(o => (Exp: o.Exponent, Name: o.Dimension))).Where(d => d.Exp != 0).ToList();
        if (dims.Count == 0 || dims.Any(d => Math.Abs(d.Exp) > 1)) return null;
        var num = string.Join("·", dims.Where(d => d.Exp > 0).Select(d => d.Name));
        var den = dims.Where(d => d.Exp < 0).Select(d => d.Name).ToList();
        if (num.Length == 0) num = "1";
        return den.Count == 0 ? num : num + "/" + (den.Count == 1 ? den[0] : "(" + string.Join("·", den) + ")");
    }

    private static string? UnitEn(Unit unit, decimal value) =>
        unit == Unit.AwardPoints ? (value == 1m ? "point" : "points") : unit == Unit.WanYuan ? "wan yuan" : unit == Unit.YiYuan ? "yi yuan"
        : unit == Unit.Months ? (value == 1m ? "month" : "months") : unit == Unit.Years ? (value == 1m ? "year" : "years")
        : unit == Unit.SquareMetres ? "m²" : null;
}
