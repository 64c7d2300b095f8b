using System.Text;
using CsCheck;
using PolicyDsl.Checking;
using PolicyDsl.Evaluation;

namespace PolicyDsl.Hardening.Tests;

/// <summary>
/// Every keyword has a Chinese spelling that gives the same syntax tree (docs/language.md §3): a random
/// policy rewritten with Chinese keywords and unit words checks the same, proves the same maxima and
/// evaluates the same.
/// </summary>
public sealed class ChineseKeywordTests
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["policy"] = "政策", ["effective"] = "有效期", ["through"] = "至", ["section"] = "章", ["department"] = "部门", ["clause"] = "条",
        ["rule"] = "规则", ["source"] = "原文", ["fact"] = "事实", ["param"] = "参数", ["let"] = "令", ["requires"] = "条件", ["award"] = "奖励",
        ["cap"] = "上限", ["round"] = "取整", ["to"] = "到", ["down"] = "向下", ["up"] = "向上", ["half-up"] = "四舍五入", ["table"] = "表",
        ["band"] = "分段", ["case"] = "档", ["instalments"] = "分期", ["yes/no"] = "是否", ["level"] = "等级", ["of"] = "的", ["in"] = "折合",
        ["min"] = "较小", ["max"] = "较大", ["sum"] = "合计", ["if"] = "如果", ["then"] = "则", ["else"] = "否则", ["and"] = "且", ["or"] = "或",
        ["not"] = "非", ["is"] = "为", ["points"] = "分", ["yuan"] = "元", ["wan-yuan"] = "万元", ["m2"] = "平米", ["months"] = "个月",
        ["years"] = "年", ["person-times"] = "人次", ["persons"] = "人", ["count"] = "个", ["cumulative"] = "累计", ["enterprise"] = "企业",
        ["project"] = "项目", ["certification"] = "认证", ["item"] = "单项", ["person"] = "人", ["application"] = "申请", ["paid"] = "出资",
        ["general"] = "总则", ["provision"] = "款", ["share"] = "分担", ["except"] = "除", ["clauses"] = "条",
    };

    /// <summary>Rewrites keywords outside strings; multi-word keywords first. Returns null for lines it does not know how to rewrite.</summary>
    internal static string Chinese(string text)
    {
        var output = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var l = line.Replace(" per full ", " 每满 ", StringComparison.Ordinal).Replace(" per year", " 每年", StringComparison.Ordinal)
                .Replace("one of ", "之一 ", StringComparison.Ordinal).Replace(" at most ", " 不超过 ", StringComparison.Ordinal)
                .Replace("points worth", "每分 价值", StringComparison.Ordinal).Replace("paid by", "出资", StringComparison.Ordinal)
                .Replace("no stacking", "不重复享受", StringComparison.Ordinal).Replace("highest only", "就高不重复", StringComparison.Ordinal)
                .Replace("implementation of", "实施细则", StringComparison.Ordinal).Replace(" is not ", " 不为 ", StringComparison.Ordinal)
                .Replace("share at", "分担 于", StringComparison.Ordinal);
            // "per SCOPE" is 每 SCOPE and a rate's "per" is 每 too; but "每 人" reads as a rate per persons (the EBNF's
            // token notes), so the person scope stays English, as a file may mix spellings.
            l = l.Replace(" per person", " \u0001", StringComparison.Ordinal).Replace(" per ", " 每 ", StringComparison.Ordinal)
                .Replace(" \u0001", " per person", StringComparison.Ordinal);
            if (l.TrimStart().StartsWith("分担", StringComparison.Ordinal))
                l = l.Replace("except clauses", "除 条", StringComparison.Ordinal).Replace(" to ", " 至 ", StringComparison.Ordinal);
            var parts = l.Split('"');
            for (var i = 0; i < parts.Length; i += 2)
            {
                parts[i] = string.Join(" ", parts[i].Split(' ').Select(w =>
                {
                    var trailing = w.EndsWith(',') || w.EndsWith(')') ? w[^1..] : "";
                    var leading = w.StartsWith('(') ? "(" : "";
                    var core = w[leading.Length..^trailing.Length];
                    if (core.StartsWith("min(", StringComparison.Ordinal) || core.StartsWith("max(", StringComparison.Ordinal) || core.StartsWith("sum(", StringComparison.Ordinal))
                        return leading + Words[core[..3]] + core[3..] + trailing;
                    if (core == "person" || core == "per") return w;
                    return Words.TryGetValue(core, out var zh) ? leading + zh + trailing : w;
                }));
            }
            output.Append(string.Join("\"", parts)).Append('\n');
        }
        return output.ToString();
    }

    [Fact]
    public void Chinese_keywords_check_and_evaluate_the_same()
    {
        var gen = RandomPolicies.Gen.SelectMany(p => RandomPolicies.FactsFor(p.RuleSpecs[0]).Array[5, 5].Select(f => (p, f)));
        gen.Sample(((RandomPolicy Random, PolicyDsl.Model.Facts[] Facts) x) =>
        {
            var english = PolicyCompiler.Compile(Harness.PolicyPath, x.Random.Text, Harness.RulesPath, x.Random.Rules);
            var zhText = Chinese(x.Random.Text);
            var zhRules = x.Random.Rules is null ? null : Chinese(x.Random.Rules);
            var chinese = PolicyCompiler.Compile(Harness.PolicyPath, zhText, Harness.RulesPath, zhRules);
            Assert.False(chinese.HasErrors, string.Join("\n", chinese.Errors) + "\n" + zhText + "\n" + zhRules);
            Assert.Equal(english.Policy!.Rules.Select(r => (r.Name, r.ProvenMaximum, r.Caps.Count, r.Requirements.Count)),
                chinese.Policy!.Rules.Select(r => (r.Name, r.ProvenMaximum, r.Caps.Count, r.Requirements.Count)));
            foreach (var (en, zh) in english.Policy.Rules.Zip(chinese.Policy.Rules))
            {
                foreach (var facts in x.Facts)
                {
                    Assert.Equal(RuleEvaluator.Evaluate(english.Policy, en, facts).Amount, RuleEvaluator.Evaluate(chinese.Policy, zh, facts).Amount);
                }
            }
        }, iter: Harness.Iterations(150), threads: 1);
    }
}
