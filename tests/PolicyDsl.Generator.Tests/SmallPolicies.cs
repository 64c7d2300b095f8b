namespace PolicyDsl.Generator.Tests;

/// <summary>Small clause files for snapshot, escaping and incremental tests.</summary>
internal static class SmallPolicies
{
    /// <summary>Awkward names and strings: a C# keyword as a rule name, CJK names, quotes, backslashes, a bidi
    /// override, "*/" and "#line" inside strings; a level, a one-of, a table, "per full" and a let.</summary>
    public const string Awkward = """
        policy Awkward "标题 with \"quotes\", a backslash \\ and */ and #line 1"
          effective 2026-01-01 through 2026-12-31
          points worth at most 10000 yuan

        section 1 "第一章 \"s\"" department "部门"
          clause 1 "条款 */"
            rule class "keyword rule"
              source "a \"quoted\" sentence with a backslash \\, a bidi override \u{202E}here, */ and #line 7"
              fact level: level 3 "三级", 2 "二级"
              fact kind: one of a "甲", b "乙"
              fact 游客: person-times "人次 <b>&amp;</b>"
              table points_by[kind]: points
                case a = 5 points
                case b = 3 points
              let steps = 0.5 points per full 10 person-times of 游客
              requires level >= 2
              award min(steps, points_by[kind])
              cap 4 points per project
            rule _2nd "leading digit after underscore"
              source "第二条规则"
              fact amount: yuan
              award 10% of amount in points
              cap 1 points per enterprise per year
        """;

    public const string Second = """
        policy Second "第二个政策"
          effective 2026-01-01 through 2026-12-31
          points worth at most 10000 yuan

        section 1 "章" department "部门"
          clause 1 "条"
            rule fee_subsidy "展位费补助"
              source "按展位费的50%补助，最高不超过2分。"
              fact fee: yuan
              award 50% of fee in points
              cap 2 points per project
        """;

    public static string SecondEdited => Second.Replace("50% of fee", "40% of fee", StringComparison.Ordinal);
}
