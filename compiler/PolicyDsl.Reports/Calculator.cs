using System.Net;
using System.Text;
using System.Text.Json;
using PolicyDsl.Emit.JavaScript;
using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Reports;

/// <summary>
/// The calculator page (`policyc calculator`): one self-contained HTML file, offline (a content security policy allows
/// no load at all), with the rules printed by the JavaScript back end (<see cref="JsEmitter"/>) and a form per clause
/// whose labels, units and bounds speak the policy's language (<see cref="Lang"/>, <see cref="Amounts"/>).
/// </summary>
public static class Calculator
{
    public sealed record Page(string Html, IReadOnlyList<JsNotPrinted> NotPrinted);

    public static Page Html(CheckedPolicy policy, Lang lang)
    {
        var program = JsEmitter.Print(policy);
        var page = new StringBuilder();
        var title = policy.Title + " · " + lang["Calculator"];
        page.Append("<!DOCTYPE html>\n<html lang=\"").Append(lang.HtmlLang).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").Append(Encode(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n")
            .Append("<p><label for=\"rule\">").Append(Encode(lang["PickClause"])).Append("</label> <select id=\"rule\"></select> ")
            .Append("<label for=\"date\">").Append(Encode(lang["ApplicationDate"])).Append("</label> <input type=\"date\" id=\"date\"></p>\n")
            .Append("<section class=\"clause\"><h2 id=\"clause-title\"></h2><blockquote id=\"clause-source\"></blockquote><p id=\"caps\" class=\"hint\"></p></section>\n")
            .Append("<form id=\"facts\" onsubmit=\"return false\"></form>\n")
            .Append("<section class=\"result\"><p>").Append(Encode(lang["Award"])).Append(": <output id=\"award\" data-paid=\"\"></output> <span id=\"money\"></span></p>\n")
            .Append("<p id=\"bound\" data-bound=\"\"></p>\n<h3>").Append(Encode(lang["Explanation"])).Append("</h3>\n<ol id=\"trace\"></ol>\n")
            .Append("<p><a id=\"link\" href=\"#\">").Append(Encode(lang["Link"])).Append("</a></p></section>\n")
            .Append("<script>\n").Append(Script(program.Script)).Append('\n')
            .Append("const PAGE = ").Append(Script(JsonSerializer.Serialize(Describe(policy, lang)))).Append(";\n")
            .Append(AwardShown(policy.AwardUnit, lang)).Append('\n')
            .Append(Script(PageScript)).Append("</script>\n</body>\n</html>\n");
        return new Page(page.ToString(), program.NotPrinted);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Script text inside a script element: a "&lt;/" never closes it (the printer's strings escape it; this is a second guard).</summary>
    private static string Script(string js) => js.Replace("</", "<\\/", StringComparison.Ordinal);

    private static readonly string PageScript = ReadResource("PolicyDsl.Reports.Templates.calculator.js");

    private static string ReadResource(string name)
    {
        using var stream = typeof(Calculator).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException(name + " is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>PAGE.showAward: an award in the award unit as the language writes it ("1 point", "200 points", "200分").</summary>
    private static string AwardShown(Unit unit, Lang lang)
    {
        var one = Amounts.Show(1m, unit, lang.Code)[1..];
        var many = Amounts.Show(2m, unit, lang.Code)[1..];
        var scale = unit.Scale != 1m && unit != Unit.Percent && unit != Unit.WanYuan && unit != Unit.YiYuan && unit != Unit.Years ? JsEmitter.Dec(unit.Scale) : "null";
        return "PAGE.showAward = (a) => { const v = " + (scale == "null" ? "a" : "PD.mul(a, " + scale + ")") + "; return PD.grouped(v) + (PD.cmp(v, PD.D(1n, 0)) === 0 ? " +
               JsEmitter.Str(one) + " : " + JsEmitter.Str(many) + "); };";
    }

    private static object Describe(CheckedPolicy policy, Lang lang)
    {
        var rules = new List<object>();
        foreach (var rule in policy.Rules.DistinctBy(r => r.Name).OrderBy(r => r.Clause))
        {
            var plan = RulePlanner.For(policy, rule);
            var words = new PlainWords(policy, rule);
            rules.Add(new
            {
                name = rule.Name,
                heading = lang.Clause(rule.Clause) + " " + (rule.Title ?? rule.Name),
                source = rule.Source,
                caps = plan.Caps.Select(c => lang.Say(words.Cap(c.Cap))).ToArray(),
                // A binding cap in words around its limit for this application: "单个企业年度累计最高不超过" + "50分".
                capWords = plan.Caps.Select(c => lang.IsZh ? new[] { PlainWords.CapBeforeZh(c.Cap), "" } : new[] { "", PlainWords.CapAfterEn(c.Cap) }).ToArray(),
                // The explanation in the page's language: each step text the plan writes for this rule, read through
                // StepWords (the one table of Chinese step words); a cap computed per application by its suffix.
                steps = StepTexts(policy, rule, plan, lang),
                capSteps = lang.IsZh
                    ? plan.Caps.Select(c => new { suffix = c.Suffix, zh = "上限：" + words.Cap(c.Cap).Zh }).ToArray()
                    : [],
                // The window year (§27.1) is derived from the application's date and the event's date: no field of its own.
                facts = rule.Facts.Where(f => !f.Derived).Select(f => new
                {
                    name = f.Name,
                    kind = f.Kind switch { FactKind.Quantity => "quantity", FactKind.YesNo => "yesno", FactKind.Date => "date", FactKind.Level => "level", _ => "oneof" },
                    label = f.Description is null ? f.Name : f.Description + " (" + f.Name + ")",
                    unit = f.Unit is { } u && !(u.IsDimensionless && u.Scale == 1m) ? Amounts.Show(2m, u, lang.Code)[1..].Trim() : "",
                    bounds = f.Kind == FactKind.Quantity && f.AtMost is { } most && f.Unit is { } unit ? lang["Bounds"] + " " + Amounts.Show(most, unit, lang.Code) : "",
                    members = f.Members.Select(m => new { key = m.Key, label = m.Label is null || m.Label == m.Key ? m.Key : m.Label + " (" + m.Key + ")" }).ToArray(),
                }).ToArray(),
            });
        }
        var labels = new[] { "Caps", "BoundBy", "NoCapBinds", "NotEligible", "CaseByCaseNote", "AtMostMoney" }.ToDictionary(k => k, k => lang[k]);
        labels["Problem"] = lang.Kind(TraceKind.Problem);
        foreach (var kind in Enum.GetValues<TraceKind>()) labels["kind." + kind] = lang.Kind(kind);
        var (unitEn, unitZh) = (PlanTexts.UnitSuffix(policy.AwardUnit), Amounts.Show(2m, policy.AwardUnit, "zh")[1..]);
        return new
        {
            lang = lang.Code,
            // Values of steps: the plan's words (holds, binds, …) and amounts in the award unit, in the page's language.
            values = lang.IsZh
                ? new[] { PlanTexts.Holds, PlanTexts.Fails, PlanTexts.Binds, PlanTexts.DoesNotBind, PlanTexts.NotEvaluated, PlanTexts.NotComputable }
                    .ToDictionary(v => v, v => StepWords.Zh(policy, null, "", v).Value)
                : new Dictionary<string, string>(),
            unitEn,
            unitZh,
            perPoint = policy.MoneyPerPoint is not null && policy.AwardUnit == Unit.AwardPoints,
            wan = Amounts.AuthorMoneyUnit(policy) == Unit.WanYuan,
            labels,
            rules,
        };
    }

    /// <summary>The fixed step texts of a rule's plan and their words in a Chinese page (none in an English one: shown as written).</summary>
    private static Dictionary<string, string> StepTexts(CheckedPolicy policy, Rule rule, RulePlan plan, Lang lang)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!lang.IsZh) return texts;
        var fixedTexts = plan.Conditions.Select(c => c.Text)
            .Concat(plan.Lets.Select(l => l.Text))
            .Concat(plan.Caps.Where(c => c.ConstantLimit is not null).Select(c => c.Text(c.ConstantLimit!.Value)))
            .Concat([PlanTexts.FormulaStep, PlanTexts.FloorStep, PlanTexts.ResultStep + rule.Name, plan.CaseByCaseText])
            .Concat(plan.Rounding is { } r ? [r.Text] : []);
        foreach (var text in fixedTexts) texts.TryAdd(text, StepWords.Zh(policy, rule, text, "").Description);
        return texts;
    }

    private const string Style = """
        body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
        .fact { display: grid; grid-template-columns: 18rem 14rem 1fr; gap: .5rem; align-items: center; margin: .3rem 0; }
        .hint { color: #555; font-size: .9em; }
        blockquote { border-left: 3px solid #999; margin: .5rem 0; padding-left: .8rem; color: #333; }
        .result { border-top: 1px solid #ccc; margin-top: 1rem; }
        output { font-weight: bold; font-size: 1.2em; }
        .bad { outline: 2px solid #c00; }
        .kind { color: #555; }
        """;
}
