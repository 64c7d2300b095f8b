using System.Globalization;
using System.Text;

namespace PolicyDsl.Bench.Compile;

/// <summary>
/// Deterministic synthetic policies of N clauses (one rule each) for the compile-side benchmarks. The
/// clauses cycle through every rule shape of the Tongzhou sample: fixed amount, table by level, percent
/// with cap, per-unit rate, per-full-step rate, area × month rate, conditions (with a let and a
/// parameter), relative cap (to the percent rule five clauses earlier), matrix (table and parameter by
/// two one-of facts). Sections of 20 clauses; an implementation-rules file sets every parameter.
/// </summary>
public static class SyntheticPolicy
{
    public const int Shapes = 9;

    public static (string Policy, string Rules) Generate(int clauses)
    {
        var p = new StringBuilder(clauses * 420);
        var r = new StringBuilder(clauses * 90);
        p.Append("# Synthetic policy of ").Append(clauses).Append(" clauses for PolicyDsl benchmarks (bench/PolicyDsl.Bench, generated).\n");
        p.Append("policy Synthetic").Append(clauses).Append(" \"合成政策（基准测试）\"\n");
        p.Append("  effective 2026-01-01 through 2028-12-31\n");
        p.Append("  points worth at most 10000 yuan\n");
        p.Append("  paid by \"区财政\"\n");
        r.Append("implementation of Synthetic").Append(clauses).Append(" \"合成实施细则\"\n");
        for (var i = 1; i <= clauses; i++)
        {
            if ((i - 1) % 20 == 0)
            {
                var s = (i - 1) / 20 + 1;
                p.Append("\nsection ").Append(s).Append(" \"第").Append(s).Append("章 鼓励企业做优做强\" department \"区发改委\", \"区财政局\"\n");
            }
            Clause(p, r, i);
        }
        p.Append("\ngeneral \"其他\"\n  provision 1\n    no stacking \"除本政策特别注明外，上级和本级政策不重复享受。\"\n");
        return (p.ToString(), r.ToString());
    }

    private static void Clause(StringBuilder p, StringBuilder r, int i)
    {
        var n = i.ToString(CultureInfo.InvariantCulture);
        var shape = (i - 1) % Shapes;
        p.Append("\n  clause ").Append(n).Append(" \"第").Append(n).Append("条 奖励措施\"\n");
        p.Append("    source \"对符合条件的企业给予奖励，按实际投入的一定比例计算得分，单个项目最高不超过规定分值。（第").Append(n).Append("条）\"\n");
        switch (shape)
        {
            case 0: // fixed amount with a yes/no condition
                p.Append("    rule fixed_").Append(n).Append(" \"认定奖励\"\n");
                Source(p, n);
                p.Append("      fact recognized: yes/no \"获得认定\"\n");
                p.Append("      param amount: points at most 10 points \"奖励分值\"\n");
                p.Append("      requires recognized\n");
                p.Append("      award amount\n");
                p.Append("      cap 10 points per project\n");
                r.Append("  set fixed_").Append(n).Append(".amount = ").Append(1 + i % 10).Append(" points\n");
                break;
            case 1: // table by level
                p.Append("    rule tier_").Append(n).Append(" \"分档奖励\"\n");
                Source(p, n);
                p.Append("      fact tier: level 3 \"第三档\", 2 \"第二档\", 1 \"第一档\"\n");
                p.Append("      param amount[tier]: points at most 30 points \"各档奖励分值\"\n");
                p.Append("      award amount[tier]\n");
                p.Append("      cap 30 points per enterprise\n");
                r.Append("  set tier_").Append(n).Append(".amount[3] = 30 points\n");
                r.Append("  set tier_").Append(n).Append(".amount[2] = 20 points\n");
                r.Append("  set tier_").Append(n).Append(".amount[1] = 10 points\n");
                break;
            case 2: // percent with cap
                p.Append("    rule percent_").Append(n).Append(" \"保费补助\"\n");
                Source(p, n);
                p.Append("      fact insured: yes/no \"投保\"\n");
                p.Append("      fact premium: yuan \"实际缴纳保费\"\n");
                p.Append("      requires insured\n");
                p.Append("      award 40% of premium in points\n");
                p.Append("      cap 50 points per enterprise per year\n");
                break;
            case 3: // per-unit rate
                p.Append("    rule rate_").Append(n).Append(" \"展位费补助\"\n");
                Source(p, n);
                p.Append("      fact booth_fee: yuan \"实际展位费\"\n");
                p.Append("      award 0.14 points per 2000 yuan of booth_fee\n");
                p.Append("      cap 5 points per project\n");
                break;
            case 4: // per-full-step rate with a threshold
                p.Append("    rule step_").Append(n).Append(" \"组团游客奖励\"\n");
                Source(p, n);
                p.Append("      fact visitors: person-times \"游客总人次\"\n");
                p.Append("      requires visitors >= 500 person-times\n");
                p.Append("      award 0.03 points per full 10 person-times of visitors\n");
                p.Append("      cap 50 points per project\n");
                break;
            case 5: // area x month rate
                p.Append("    rule rent_").Append(n).Append(" \"租金补助\"\n");
                Source(p, n);
                p.Append("      fact area: m2 \"租用面积\"\n");
                p.Append("      fact months_rented: months \"租用月数\"\n");
                p.Append("      award 0.002 points per m2 months of area * min(months_rented, 12 months)\n");
                p.Append("      cap 20 points per project\n");
                break;
            case 6: // conditions, a let and a parameter
                p.Append("    rule invest_").Append(n).Append(" \"投资奖励\"\n");
                Source(p, n);
                p.Append("      fact via_fund: yes/no \"通过基金投资\"\n");
                p.Append("      fact early_stage: yes/no \"种子期、初创期\"\n");
                p.Append("      fact other_investment: wan-yuan \"非首轮投资\"\n");
                p.Append("      fact first_round: wan-yuan \"首轮投资\"\n");
                p.Append("      fact holding: years \"投资期限\"\n");
                p.Append("      fact grade: level 3 \"国家级\", 2 \"省级\", 1 \"市级\"\n");
                p.Append("      param weight: % at most 150% \"首轮倍数\"\n");
                p.Append("      let counted = other_investment + weight of first_round\n");
                p.Append("      requires via_fund and early_stage\n");
                p.Append("      requires counted >= 500 wan-yuan\n");
                p.Append("      requires holding >= 3 years\n");
                p.Append("      requires grade >= 2\n");
                p.Append("      award 2 points per 100 wan-yuan of counted\n");
                p.Append("      cap 100 points per enterprise cumulative\n");
                r.Append("  set invest_").Append(n).Append(".weight = 150%\n");
                break;
            case 7: // relative cap to the percent rule of clause i - 5
                var other = (i - 5).ToString(CultureInfo.InvariantCulture);
                p.Append("    rule relative_").Append(n).Append(" \"租赁服务补助\"\n");
                Source(p, n);
                p.Append("      fact insured: yes/no \"投保\"\n");
                p.Append("      fact annual_fee: yuan \"年度费用\"\n");
                p.Append("      fact equivalent_premium: yuan \"同类保费\"\n");
                p.Append("      requires insured\n");
                p.Append("      award 5% of annual_fee in points\n");
                p.Append("      cap 1 points per enterprise per year\n");
                p.Append("      cap 50% of percent_").Append(other).Append("(insured: insured, premium: equivalent_premium)\n");
                break;
            default: // matrix: table and parameter by two one-of facts
                p.Append("    rule matrix_").Append(n).Append(" \"标准研制奖励\"\n");
                Source(p, n);
                p.Append("      fact standard_level: one of international \"国际标准\", national \"国家标准\", industry \"行业标准\"\n");
                p.Append("      fact drafting_rank: one of second \"第二起草单位\", third_to_fifth \"第三至五起草单位\"\n");
                p.Append("      fact published: yes/no \"标准经批准发布\"\n");
                p.Append("      table max_points[standard_level, drafting_rank]: points\n");
                p.Append("        case international, second = 15 points\n");
                p.Append("        case national, second = 8 points\n");
                p.Append("        case industry, second = 5 points\n");
                p.Append("        case international, third_to_fifth = 5 points\n");
                p.Append("        case national, third_to_fifth = 5 points\n");
                p.Append("        case industry, third_to_fifth = 3 points\n");
                p.Append("      param amount[standard_level, drafting_rank]: points \"奖励分值\"\n");
                p.Append("      requires published\n");
                p.Append("      award amount[standard_level, drafting_rank]\n");
                p.Append("      cap max_points[standard_level, drafting_rank] per project\n");
                foreach (var (level, rank, value) in new[]
                         {
                             ("international", "second", 15), ("national", "second", 8), ("industry", "second", 5),
                             ("international", "third_to_fifth", 5), ("national", "third_to_fifth", 5), ("industry", "third_to_fifth", 3),
                         })
                {
                    r.Append("  set matrix_").Append(n).Append(".amount[").Append(level).Append(", ").Append(rank).Append("] = ").Append(value).Append(" points\n");
                }
                break;
        }
    }

    private static void Source(StringBuilder p, string n) =>
        p.Append("      source \"对符合条件的企业给予奖励，单个项目最高不超过规定分值。（第").Append(n).Append("条）\"\n");
}
