using PolicyDsl.Cli;

namespace PolicyDsl.Compiler.Tests;

/// <summary>policyc diff: clause by clause, with the change in worst-case exposure, as text, Markdown and HTML.</summary>
public sealed class DiffTests
{
    private static readonly string Earlier = Path.Combine(TestFiles.Root, "samples", "liuhe-earlier", "liuhe-earlier.policy");
    private static readonly string Liuhe2023 = Path.Combine(TestFiles.Root, "samples", "liuhe-2023", "liuhe-2023.policy");
    private static readonly string Tongzhou = Path.Combine(TestFiles.Root, "samples", "tongzhou-2026", "tongzhou-2026.policy");

    private static (int Exit, string Out, string Err) Run(params string[] args) => TestFiles.Policyc(args);

    [Fact]
    public void The_two_Liuhe_versions_name_each_changed_article()
    {
        var (exit, output, err) = Run("diff", Earlier, Liuhe2023);
        Assert.True(exit == ExitCodes.Success, err + output);
        // Articles rewritten between the versions, matched through their rules or their sentences.
        Assert.Contains("changed clause 1 重点产业与旅游产业发展引导资金 (was clause 1 重点产业发展引导资金)", output);
        Assert.Contains("changed clause 2 固定资产投资奖励 (was clause 2 固定资产投资支持)", output);
        Assert.Contains("changed clause 3 重大产业项目一事一议", output);
        Assert.Contains("changed clause 4 投产达效绩效奖励 (was clause 4 绩效支持奖励)", output);
        Assert.Contains("changed clause 9 鼓励企业科技创新 (was clause 10 企业科技创新奖励补助)", output);
        Assert.Contains("changed clause 14 鼓励企业升级入统 (was clause 13 企业升规奖励补助)", output);
        Assert.Contains("changed clause 15 鼓励企业挂牌上市 (was clause 12 企业挂牌上市奖励补助)", output);
        Assert.Contains("changed clause 16 鼓励企业兼并重组 (was clause 14 支持企业并购重组)", output);
        // Article 2: the thresholds, as conditions.
        Assert.Contains("- condition: 固定资产投资 不低于 5000 万元", output);
        Assert.Contains("+ condition: 固定资产投资 不低于 1000 万元", output);
        Assert.Contains("+ condition: 固定资产投资 / 用地面积 不低于 200 万元/亩", output);
        // Article 15: amounts and the maximum.
        Assert.Contains("changed rule 上市奖励 (maximum 5000000 yuan → 3000000 yuan)", output);
        Assert.Contains("+ rate or amount: 金额[科创板] = 2000000 yuan", output);
        // Article 14: the award itself.
        Assert.Contains("award: 50000 yuan → 200000 yuan", output);
        // Rules gone and new.
        Assert.Contains("removed rule 科研机构奖励", output);
        Assert.Contains("removed rule 升规贡献奖励", output);
        Assert.Contains("added rule 专精特新奖励", output);
        Assert.Contains("added clause 5 总部经济奖励", output);
        Assert.Contains("removed clause 8 医药企业政策过渡期补助", output);
        // Unchanged in substance: article 17's band is the same, only the wording moved.
        Assert.DoesNotContain("- rate or amount: 补助", output);
        Assert.Contains("validity: none stated → 2023-02-08 through 2026-02-07", output);
        // §29.1: the general chapters, each with its number, place and provisions (三 and 四 swapped between the versions).
        Assert.Contains("- general chapter: 3 \"政策兑现\" after section 2: provisions 16", output);
        Assert.Contains("- general chapter: 5 \"其他规定\" after section 2: provisions 18, 19, 20", output);
        Assert.Contains("+ general chapter: 3 \"组织保障\" after section 2: provisions 20", output);
        Assert.Contains("+ general chapter: 4 \"政策兑现\" after section 2: provisions 21, 22", output);
        Assert.Contains("rules with no finite maximum per application: 4 → 9", output);
    }

    [Fact]
    public void A_policy_alone_is_compared_with_the_version_its_supersedes_line_names()
    {
        var (exit, output, err) = Run("diff", Liuhe2023);
        Assert.True(exit == ExitCodes.Success, err + output);
        Assert.StartsWith("diff liuhe-earlier.policy (LiuheEarlier) → liuhe-2023.policy (Liuhe2023)", output, StringComparison.Ordinal);
        Assert.Contains("+ supersedes: ../liuhe-earlier/liuhe-earlier.policy", output);
        Assert.Contains("changed rule 上市奖励", output);

        var (noneExit, _, noneErr) = Run("diff", Tongzhou);
        Assert.Equal(ExitCodes.Usage, noneExit);
        Assert.Contains("names no earlier .policy file in its supersedes line", noneErr);
    }

    [Fact]
    public void A_policy_against_itself_has_no_changes()
    {
        var (exit, output, _) = Run("diff", Liuhe2023, Liuhe2023);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("clauses: 0 added, 0 removed, 0 changed", output);
        Assert.DoesNotContain("policy:", output);
    }

    [Fact]
    public void A_raised_cap_changes_the_worst_case()
    {
        var dir = Directory.CreateTempSubdirectory("pdsl-diff-");
        try
        {
            var raised = Path.Combine(dir.FullName, "tongzhou-raised.policy");
            var text = File.ReadAllText(Tongzhou);
            var at = text.IndexOf("cap 30 points per enterprise", StringComparison.Ordinal);
            Assert.True(at > 0);
            File.WriteAllText(raised, text[..at] + "cap 40 points per enterprise" + text[(at + "cap 30 points per enterprise".Length)..]);
            var (exit, output, err) = Run("diff", Tongzhou, raised);
            Assert.True(exit == ExitCodes.Success, err + output);
            Assert.Contains("clauses: 0 added, 0 removed, 1 changed", output);
            Assert.Contains("cap and scope: 30 points per enterprise → 40 points per enterprise", output);
            // 334 points capped per enterprise (see CliTests) become 344; 1 point is 10000 yuan.
            Assert.Contains("the rules capped per enterprise, at their caps: 3,340,000 yuan → 3,440,000 yuan (+100,000 yuan)", output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Markdown_and_html_carry_the_same_changes()
    {
        var (mdExit, md, _) = Run("diff", Earlier, Liuhe2023, "--format", "markdown");
        Assert.Equal(ExitCodes.Success, mdExit);
        Assert.StartsWith("# diff liuhe-earlier.policy", md, StringComparison.Ordinal);
        Assert.Contains("### changed clause 15 鼓励企业挂牌上市", md);
        Assert.Contains("  - + rate or amount: 金额\\[科创板] = 2000000 yuan", md);

        var (htmlExit, html, _) = Run("diff", Earlier, Liuhe2023, "--format", "html");
        Assert.Equal(ExitCodes.Success, htmlExit);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<h3>changed clause 15 鼓励企业挂牌上市 (was clause 12 企业挂牌上市奖励补助)</h3>", html);
        Assert.Contains("<li class=\"new\">+ rate or amount: 金额[科创板] = 2000000 yuan</li>", html);
        Assert.Contains("<li class=\"old\">− condition: 固定资产投资 不低于 5000 万元</li>", html);
        Assert.Equal(html.Split("<ul>").Length, html.Split("</ul>").Length);
    }

    [Fact]
    public void A_version_with_errors_is_reported_and_not_compared()
    {
        var dir = Directory.CreateTempSubdirectory("pdsl-diff-");
        try
        {
            var broken = Path.Combine(dir.FullName, "broken.policy");
            File.WriteAllText(broken, File.ReadAllText(Tongzhou).Replace("cap 30 points per enterprise", "cap 30 furlongs per enterprise", StringComparison.Ordinal));
            var (exit, output, _) = Run("diff", Tongzhou, broken);
            Assert.Equal(ExitCodes.Errors, exit);
            Assert.Contains("error PDSL", output);
            Assert.DoesNotContain("clauses:", output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
