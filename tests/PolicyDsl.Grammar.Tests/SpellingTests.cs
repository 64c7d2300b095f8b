using PolicyDsl.Syntax;

namespace PolicyDsl.Grammar.Tests;

/// <summary>Every construct of policy.ebnf, once with English and once with Chinese keywords: equal trees.</summary>
public class SpellingTests
{
    private const string English = """
        policy Demo "Demo policy"
          effective 2026-01-01 through 2028-12-31
          points worth at most 10000 yuan
          supersedes "Doc A", "Doc B"
          interpreted by "Dept A", "Dept B"
          paid by "Finance"
          note "a note"
          source "the source"
        section 1 "Industry" department "DRC", "Finance"
          note "section note"
          clause 1 "Smart manufacturing"
            source "clause source"
            rule cmmm "Maturity award"
              effective 2026-01-01 through 2026-12-31
              fact grade: level 5 "five", 4 "four"
              fact kind: one of national "national", industry
              fact certified: yes/no "certified?"
              fact day: date
              fact fee: yuan at most 100 wan-yuan "the fee"
              fact area: m2 · months
              param amount[kind]: points at most 30 points "left open"
              param flat: yuan
              let base = 40% of fee
              requires certified and not (fee < 10 yuan or fee > 5 wan-yuan)
              requires fee at least 10 yuan and fee at most 20 yuan
              requires kind is national or kind is not industry
              requires fee more than 1 yuan and fee less than 9 yuan and fee != 3 yuan and fee = 4 yuan
              requires (fee + 1 yuan) >= 2 yuan and fee <= 9 yuan
              award if certified then min(base, 30 points) else max(1 points, sum(2 points, 3 points)) in points
              award 0.14 points per 2000 yuan of fee
              award 0.03 points per full 10 person-times of fee
              award 2 points per yuan of fee
              award tbl[kind, grade] + amount[kind] - other(fee: 3 yuan, day: day) * 2 / (1 + -fee)
              award other()
              award case by case "decided case by case"
              cap 30 points per enterprise per year
              cap 50% of other(fee: fee) per project cumulative
              cap 10 points
              uncapped "reason"
              round half-up to 0.01 points
              round down to 1 yuan
              round up to 1 yuan
              table tbl[kind, grade]: points
                case national, 5 = 10 points
                case industry, 4 = 5 points
              band b(fee): percent
                case >= 1000 wan-yuan and < 5000 wan-yuan = 3%
                case at least 5000 wan-yuan = 4%
                case more than 1 yuan and at most 2 yuan = 1%
                case less than 1 yuan = 0%
              instalments 30%, 30%, 40%
        general "Other"
          provision 1 "Stacking"
            source "s"
            no stacking "not with higher-level"
            highest only cmmm, other
            share at "Hi-tech zone": "Zone" 50%, "District" 50% except clauses 16 to 21
          provision 2
            no stacking
            share at "X": "A" 100% except clauses 3
        """;

    private const string Chinese = """
        政策 Demo "Demo policy"
          有效期 2026-01-01 至 2028-12-31
          每分 价值 不超过 10000 元
          废止 "Doc A", "Doc B"
          解释 "Dept A", "Dept B"
          出资 "Finance"
          说明 "a note"
          原文 "the source"
        章 1 "Industry" 部门 "DRC", "Finance"
          说明 "section note"
          条 1 "Smart manufacturing"
            原文 "clause source"
            规则 cmmm "Maturity award"
              有效期 2026-01-01 至 2026-12-31
              事实 grade: 等级 5 "five", 4 "four"
              事实 kind: 之一 national "national", industry
              事实 certified: 是否 "certified?"
              事实 day: 日期
              事实 fee: 元 不超过 100 万元 "the fee"
              事实 area: 平米 · 个月
              参数 amount[kind]: 分 不超过 30 分 "left open"
              参数 flat: 元
              令 base = 40% 的 fee
              条件 certified 且 非 (fee < 10 元 或 fee > 5 万元)
              条件 fee 不低于 10 元 且 fee 不超过 20 元
              条件 kind 为 national 或 kind 不为 industry
              条件 fee 超过 1 元 且 fee 低于 9 元 且 fee != 3 元 且 fee = 4 元
              条件 (fee + 1 元) >= 2 元 且 fee <= 9 元
              奖励 如果 certified 则 较小(base, 30 分) 否则 较大(1 分, 合计(2 分, 3 分)) 折合 分
              奖励 0.14 分 每 2000 元 的 fee
              奖励 0.03 分 每满 10 人次 的 fee
              奖励 2 分 每 元 的 fee
              奖励 tbl[kind, grade] + amount[kind] - other(fee: 3 元, day: day) * 2 / (1 + -fee)
              奖励 other()
              奖励 一事一议 "decided case by case"
              上限 30 分 每 企业 每年
              上限 50% 的 other(fee: fee) 每 项目 累计
              上限 10 分
              不设上限 "reason"
              取整 四舍五入 到 0.01 分
              取整 向下 到 1 元
              取整 向上 到 1 元
              表 tbl[kind, grade]: 分
                档 national, 5 = 10 分
                档 industry, 4 = 5 分
              分段 b(fee): %
                档 >= 1000 万元 且 < 5000 万元 = 3%
                档 不低于 5000 万元 = 4%
                档 超过 1 元 且 不超过 2 元 = 1%
                档 低于 1 元 = 0%
              分期 30%, 30%, 40%
        总则 "Other"
          款 1 "Stacking"
            原文 "s"
            不重复享受 "not with higher-level"
            就高不重复 cmmm, other
            分担 于 "Hi-tech zone": "Zone" 50%, "District" 50% 除 条 16 至 21
          款 2
            不重复享受
            分担 于 "X": "A" 100% 除 条 3
        """;

    [Fact]
    public void Every_policy_construct_parses_without_errors_in_English()
    {
        var file = PolicyParser.Parse(English);
        Assert.Empty(file.Errors);
        var rule = file.Policy!.Sections[0].Clauses[0].Rules[0];
        Assert.Equal(32, rule.Items.Count);
        Assert.Equal(7, file.Policy.Header.Count);
        Assert.Equal(2, Assert.Single(file.Policy.Generals).Provisions.Count);
    }

    [Fact]
    public void Chinese_keywords_give_the_same_tree_as_English()
    {
        var english = PolicyParser.Parse(English);
        var chinese = PolicyParser.Parse(Chinese);
        Assert.Empty(chinese.Errors);
        Assert.Equal(TreePrinter.Print(english), TreePrinter.Print(chinese));
        // The printer ignores spans; the trees themselves differ only there.
        Assert.NotEqual(english, chinese);
    }

    [Fact]
    public void Implementation_files_in_both_spellings_are_equal()
    {
        var english = PolicyParser.Parse("implementation of Demo \"rules\"\n  note \"n\"\n  set cmmm.amount[national, 5] = 10 points\n  set cmmm.flat = 5 yuan\n");
        var chinese = PolicyParser.Parse("实施细则 Demo \"rules\"\n  说明 \"n\"\n  设定 cmmm.amount[national, 5] = 10 分\n  设定 cmmm.flat = 5 元\n");
        Assert.Empty(english.Errors);
        Assert.Null(english.Policy);
        Assert.Equal(TreePrinter.Print(english), TreePrinter.Print(chinese));
        var set = Assert.IsType<SetSyntax>(english.Implementation!.Items[1]);
        Assert.Equal(("cmmm", "amount"), (set.Rule.Text, set.Parameter.Text));
        Assert.Equal(["national", "5"], set.Keys.Select(k => k.Text));
        Assert.True(set.Keys[1].IsNumber);
        Assert.Equal(10m, set.Value.Value);
    }

    [Fact]
    public void Header_statements_carry_their_values()
    {
        var header = PolicyParser.Parse(English).Policy!.Header;
        var effective = Assert.IsType<EffectiveSyntax>(header[0]);
        Assert.Equal((2026, 1, 1, 2028, 12, 31), (effective.From.Year, effective.From.Month, effective.From.Day,
            effective.Through!.Year, effective.Through.Month, effective.Through.Day));
        var points = Assert.IsType<PointValueSyntax>(header[1]);
        Assert.Equal(10000m, points.MoneyPerPoint.Value);
        Assert.Equal(["Doc A", "Doc B"], Assert.IsType<SupersedesSyntax>(header[2]).Documents.Select(d => d.Value));
        Assert.Equal(["Dept A", "Dept B"], Assert.IsType<InterpretedBySyntax>(header[3]).Departments.Select(d => d.Value));
        Assert.Equal("Finance", Assert.IsType<PaidBySyntax>(header[4]).Payer.Value);
    }

    [Fact]
    public void Provisions_carry_shares_and_exceptions()
    {
        var provisions = Assert.Single(PolicyParser.Parse(English).Policy!.Generals).Provisions;
        var share = Assert.IsType<CostShareSyntax>(provisions[0].Items[3]);
        Assert.Equal("Hi-tech zone", share.Location.Value);
        Assert.Equal([("Zone", 50m), ("District", 50m)], share.Shares.Select(s => (s.Party.Value, s.Percent.Value)));
        Assert.Equal((16, 21), (share.ExceptFrom!.Value, share.ExceptThrough!.Value));
        var single = Assert.IsType<CostShareSyntax>(provisions[1].Items[1]);
        Assert.Equal(3, single.ExceptFrom!.Value);
        Assert.Null(single.ExceptThrough);
        Assert.Null(provisions[1].Title);
        Assert.Null(Assert.IsType<NoStackingSyntax>(provisions[1].Items[0]).Text);
        Assert.Equal(["cmmm", "other"], Assert.IsType<HighestOnlySyntax>(provisions[0].Items[2]).Rules.Select(r => r.Text));
    }

    private const string EnglishTime = """
        policy Demo "Demo policy"
          effective 2023-02-08 for 3 years provisional
        section 1 "Industry"
          clause 1 "Performance"
            rule yearly_award "Yearly award"
              fact taxed_on: date
              fact merged_on: date
              fact approved_on: date
              fact contribution: yuan
              window 5 years from the year of taxed_on consecutive
              requires approved_on > 2023-02-08 and merged_on <= approved_on + 2 years
              award yearly(80%, 80%, 50%, 50%, 50%) of contribution
            rule next_year "Next year"
              fact built_on: date
              window 2 years from the year after built_on
              award 1 yuan
            rule rolling "Rolling"
              fact merged_on: date
              window 3 years from merged_on
              award 1 yuan
        """;

    private const string ChineseTime = """
        政策 Demo "Demo policy"
          有效期 2023-02-08 起 暂定 3 年
        章 1 "Industry"
          条 1 "Performance"
            规则 yearly_award "Yearly award"
              事实 taxed_on: 日期
              事实 merged_on: 日期
              事实 approved_on: 日期
              事实 contribution: 元
              窗口 自 taxed_on 当年 起 连续 5 年
              条件 approved_on 超过 2023-02-08 且 merged_on 不超过 approved_on + 2 年
              奖励 逐年(80%, 80%, 50%, 50%, 50%) 的 contribution
            规则 next_year "Next year"
              事实 built_on: 日期
              窗口 自 built_on 次年 起 2 年
              奖励 1 元
            规则 rolling "Rolling"
              事实 merged_on: 日期
              窗口 自 merged_on 起 3 年
              奖励 1 元
        """;

    private const string EnglishCalendar = """
        policy Demo "Demo policy"
          effective 2024-07-01 onwards
          year starts 07-01
        section 1 "Industry"
          clause 1 "Investment"
            rule fixed "Fixed blocks"
              fact investment: yuan
              award 10% of investment
              cap 3000000 yuan per enterprise per 3 years from 2024
            rule rolling "Any three years"
              year starts 01-01
              fact investment: yuan
              award 10% of investment
              cap 3000000 yuan per enterprise per 3 years rolling
        """;

    private const string ChineseCalendar = """
        政策 Demo "Demo policy"
          有效期 2024-07-01 起施行
          年度 自 7 月 1 日 起
        章 1 "Industry"
          条 1 "Investment"
            规则 fixed "Fixed blocks"
              事实 investment: 元
              奖励 10% 的 investment
              上限 3000000 元 每 企业 每 3 年 自 2024 起
            规则 rolling "Any three years"
              年度 自 1 月 1 日 起
              事实 investment: 元
              奖励 10% 的 investment
              上限 3000000 元 每 企业 每 3 年 滚动
        """;

    [Fact]
    public void Calendar_constructs_in_both_spellings_are_equal()
    {
        var english = PolicyParser.Parse(EnglishCalendar);
        var chinese = PolicyParser.Parse(ChineseCalendar);
        Assert.Empty(english.Errors);
        Assert.Empty(chinese.Errors);
        Assert.Equal(TreePrinter.Print(english), TreePrinter.Print(chinese));
        var effective = Assert.IsType<EffectiveSyntax>(english.Policy!.Header[0]);
        Assert.True(effective.Open);
        Assert.Null(effective.Through);
        Assert.Null(effective.Years);
        var year = Assert.IsType<YearStartSyntax>(english.Policy.Header[1]);
        Assert.Equal((7, 1), (year.Month.Value, year.Day.Value));
        var rules = english.Policy.Sections[0].Clauses[0].Rules;
        var fixedCap = Assert.IsType<CapSyntax>(rules[0].Items[2]);
        Assert.Equal((CapPeriod.Years, 3, false, 2024), (fixedCap.Period!.Value, fixedCap.Years!.Years.Value, fixedCap.Years.Rolling, fixedCap.Years.From!.Value));
        var rolling = Assert.IsType<CapSyntax>(rules[1].Items[3]);
        Assert.Equal((CapPeriod.Years, 3, true), (rolling.Period!.Value, rolling.Years!.Years.Value, rolling.Years.Rolling));
        Assert.Null(rolling.Years.From);
        Assert.IsType<YearStartSyntax>(rules[1].Items[0]);
        // "年度 自 7月1日 起" without spaces reads the same
        Assert.Empty(PolicyParser.Parse(ChineseCalendar.Replace("7 月 1 日", "7月1日", StringComparison.Ordinal)).Errors);
    }

    [Fact]
    public void Time_constructs_in_both_spellings_are_equal()
    {
        var english = PolicyParser.Parse(EnglishTime);
        var chinese = PolicyParser.Parse(ChineseTime);
        Assert.Empty(english.Errors);
        Assert.Empty(chinese.Errors);
        Assert.Equal(TreePrinter.Print(english), TreePrinter.Print(chinese));
        var effective = Assert.IsType<EffectiveSyntax>(english.Policy!.Header[0]);
        Assert.Equal((3, true), (effective.Years!.Value, effective.Provisional));
        Assert.Null(effective.Through);
        var rules = english.Policy.Sections[0].Clauses[0].Rules;
        var window = Assert.IsType<WindowSyntax>(rules[0].Items[4]);
        Assert.Equal(("taxed_on", WindowStart.YearOf, 5, true), (window.Event!.Text, window.Start, window.Years.Value, window.Consecutive));
        Assert.Equal(WindowStart.YearAfter, Assert.IsType<WindowSyntax>(rules[1].Items[1]).Start);
        Assert.Equal(WindowStart.Date, Assert.IsType<WindowSyntax>(rules[2].Items[1]).Start);
        var award = Assert.IsType<AwardSyntax>(rules[0].Items[6]);
        Assert.Contains("Yearly", TreePrinter.Print(english), StringComparison.Ordinal);
        Assert.NotNull(award);
    }

    private const string EnglishMilestones = """
        policy Demo "Demo policy"
        section 1 "Industry"
          clause 1 "Investment"
            rule investment "Investment award"
              fact invested: yuan
              fact started_on: date
              fact sealed_on: date
              fact accepted_on: date
              award 5% of invested
              instalments 30% at sealed_on, 70% at accepted_on
              at once when accepted_on <= started_on + 12 months
              clawback "reclaimed on breach"
            rule growth "Growth award"
              fact new_project: yes/no
              requires not new_project or (after the window of investment and new_project)
              award 1 yuan
        """;

    private const string ChineseMilestones = """
        政策 Demo "Demo policy"
        章 1 "Industry"
          条 1 "Investment"
            规则 investment "Investment award"
              事实 invested: 元
              事实 started_on: 日期
              事实 sealed_on: 日期
              事实 accepted_on: 日期
              奖励 5% 的 invested
              分期 30% 于 sealed_on, 70% 于 accepted_on
              一次性兑现 如果 accepted_on 不超过 started_on + 12 个月
              追回 "reclaimed on breach"
            规则 growth "Growth award"
              事实 new_project: 是否
              条件 非 new_project 或 (享受完 investment 后 且 new_project)
              奖励 1 元
        """;

    [Fact]
    public void Milestone_and_after_window_constructs_in_both_spellings_are_equal()
    {
        var english = PolicyParser.Parse(EnglishMilestones);
        var chinese = PolicyParser.Parse(ChineseMilestones);
        Assert.Empty(english.Errors);
        Assert.Empty(chinese.Errors);
        Assert.Equal(TreePrinter.Print(english), TreePrinter.Print(chinese));
        var rules = english.Policy!.Sections[0].Clauses[0].Rules;
        var instalments = Assert.IsType<InstalmentsSyntax>(rules[0].Items[5]);
        Assert.Equal(["sealed_on", "accepted_on"], instalments.Milestones.Select(m => m!.Text));
        Assert.IsType<AtOnceSyntax>(rules[0].Items[6]);
        Assert.Equal("reclaimed on breach", Assert.IsType<ClawbackSyntax>(rules[0].Items[7]).Text.Value);
        Assert.Contains("AfterWindowCondition", TreePrinter.Print(english), StringComparison.Ordinal);
    }
}
