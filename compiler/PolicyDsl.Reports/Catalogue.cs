using PolicyDsl.Model;

namespace PolicyDsl.Reports;

// The catalogue's view model: plain immutable records of strings, built from the checked model.
// Numbers are formatted here (invariantly); templates only lay the strings out.

public sealed record CatalogueView(
    string Name,
    string Title,
    string? Validity,
    IReadOnlyList<string> Supersedes,
    IReadOnlyList<string> InterpretedBy,
    Words PointWorth,
    string AwardUnit,
    string? DefaultPayer,
    string? ImplementationTitle,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Notes,
    IReadOnlyList<SectionView> Sections,
    string GeneralTitle,
    IReadOnlyList<ProvisionView> Provisions,
    ExposureView Exposure,
    string ClauseCount,
    string RuleCount)
{
    /// <summary>The report's language: "zh" or "en" (templates read its labels as L.Key and pick Words with | say).</summary>
    public string Lang { get; init; } = "en";

    public string HtmlLang { get; init; } = "en";

    public IReadOnlyDictionary<string, string> L { get; init; } = Reports.Lang.En.Labels;

    /// <summary>Every chapter of general provisions, each with where it stands (§29); GeneralTitle and Provisions are all of them gathered.</summary>
    public IReadOnlyList<GeneralChapterView> Generals { get; init; } = [];

    /// <summary>The chapters in the document's order: sections, and chapters of general provisions where they stand (§29).</summary>
    public IReadOnlyList<ChapterView> Chapters
    {
        get
        {
            var list = new List<ChapterView>();
            var g = 0;
            for (var s = 0; s <= Sections.Count; s++)
            {
                while (g < Generals.Count && Generals[g].SectionsBefore <= s) list.Add(new ChapterView(null, Generals[g++]));
                if (s < Sections.Count) list.Add(new ChapterView(Sections[s], null));
            }
            while (g < Generals.Count) list.Add(new ChapterView(null, Generals[g++]));
            return list;
        }
    }
}

/// <summary>One chapter of the catalogue, in document order: a section or a chapter of general provisions (exactly one set).</summary>
public sealed record ChapterView(SectionView? Section, GeneralChapterView? General);

/// <summary>A chapter of general provisions: its number (if the file gives one), title, HTML anchor, provisions, and the number of sections before it.</summary>
public sealed record GeneralChapterView(string? Number, string Title, string Anchor, IReadOnlyList<ProvisionView> Provisions, int SectionsBefore);

public sealed record SectionView(string Number, string Title, string Departments, IReadOnlyList<string> Sources, IReadOnlyList<string> Notes, IReadOnlyList<ClauseView> Clauses);

public sealed record ClauseView(string Number, string Title, string Anchor, IReadOnlyList<string> Sources, IReadOnlyList<string> Notes, IReadOnlyList<RuleView> Rules,
    string? Subsection = null, IReadOnlyList<MeasureView>? Measures = null)
{
    /// <summary>"No test applies this clause" when the catalogue is given coverage and no test applies any of its rules.</summary>
    public string? Untested { get; init; }
}

/// <summary>What the authors' tests exercised of one rule (policyc report --coverage-from): a summary and what they did not.</summary>
public sealed record RuleCoverageView(string Summary, IReadOnlyList<string> Untested);

/// <summary>A provision that pays nothing (non-monetary support, a fund pool, a penalty, ...): its kind in both languages, its amount, its text.</summary>
public sealed record MeasureView(string KindEn, string KindZh, string? Amount, string Text);

public sealed record FactView(string Name, string Kind, string Description);

public sealed record ParameterView(string Name, string Description, IReadOnlyList<string> Values);

public sealed record CapView(string En, string Zh, string Limit, string Money);

public sealed record RuleView(
    string Name,
    string Title,
    string Anchor,
    string Source,
    IReadOnlyList<FactView> Facts,
    IReadOnlyList<ParameterView> Parameters,
    IReadOnlyList<Words> Lets,
    IReadOnlyList<Words> Conditions,
    Words Formula,
    IReadOnlyList<CapView> Caps,
    string? Rounding,
    string? Validity,
    string? Instalments,
    string ProvenMaximum,
    string MoneyCeiling,
    string? Uncapped,
    Words Payment,
    IReadOnlyList<string> Notes,
    ChartView? Chart,
    string? NoChart)
{
    /// <summary>What the tests exercised of the rule, when the catalogue is given coverage.</summary>
    public RuleCoverageView? Coverage { get; init; }
}

public sealed record ProvisionView(string Number, string Title, IReadOnlyList<string> Sources, IReadOnlyList<string> Notes, IReadOnlyList<MeasureView>? Measures = null);

public sealed record ExposureRow(string Label, string Detail, string Maximum, string Money);

public sealed record ExposureView(
    IReadOnlyList<ExposureRow> Rules,
    IReadOnlyList<ExposureRow> Clauses,
    IReadOnlyList<ExposureRow> Departments,
    IReadOnlyList<ExposureRow> Governments,
    string Total,
    string TotalMoney,
    IReadOnlyList<string> Uncapped)
{
    /// <summary>What the totals assume, stated (per application, per project, per enterprise).</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];

    /// <summary>What no total can bound: uncapped rules, case-by-case rules, non-monetary provisions.</summary>
    public IReadOnlyList<string> CannotBound { get; init; } = [];
}

/// <summary>Builds the catalogue view of a checked policy (pure: same policy, same view).</summary>
public static class CatalogueBuilder
{
    public static CatalogueView Build(CheckedPolicy policy) => Build(policy, Lang.For(policy));

    public static CatalogueView Build(CheckedPolicy policy, Lang lang)
    {
        var points = policy.AwardUnit == Unit.AwardPoints;
        // A declared currency (§24.8) is named with its description, symbol and minor unit; yuan needs no words.
        var currency = policy.Currencies.FirstOrDefault(c => Unit.Declared(c.Name) == policy.Money);
        var moneyEn = currency?.Name ?? "yuan";
        var moneyZh = currency?.Name ?? "元";
        var currencyWords = currency is null ? null : new Words(
            $" ({string.Join(", ", new[] { currency.Description, currency.Symbol is { } sym ? "symbol " + sym : null, "paid in whole " + Fmt.Number(currency.Minor) + " " + currency.Name }.OfType<string>())})",
            $"（{string.Join("，", new[] { currency.Description, currency.Symbol is { } sym2 ? "符号" + sym2 : null, "最小支付单位" + Fmt.Number(currency.Minor) + currency.Name }.OfType<string>())}）");
        var worth = policy.MoneyPerPoint is { } mpp && points
            ? new Words($"1 point funds at most {Fmt.Number(mpp)} {moneyEn}{currencyWords?.En}; the money ceiling of an award is its points × {Fmt.Number(mpp)} {moneyEn}.",
                        $"1分不超过{Fmt.Number(mpp)}{moneyZh}{currencyWords?.Zh}；奖励的资金上限为分值×{Fmt.Number(mpp)}{moneyZh}。")
            : new Words("Awards are in " + policy.AwardUnit + currencyWords?.En + ".", "奖励以" + Fmt.QuantityZh(1, policy.AwardUnit).TrimStart('1').Trim() + "计" + currencyWords?.Zh + "。");

        var sections = policy.Sections.Select(s => new SectionView(
            Fmt.Int(s.Number), s.Title, s.Departments.IsEmpty ? lang["NoneNamed"] : string.Join("、", s.Departments), s.Sources.ToList(), s.Notes.ToList(),
            s.Clauses.Select(c => new ClauseView(Fmt.Int(c.Number), c.Title, "clause-" + Fmt.Int(c.Number), c.Sources.ToList(), c.Notes.ToList(),
                c.Rules.Select(r => BuildRule(policy, r, lang)).ToList(), c.Subsection, Measures(c.Measures, lang))).ToList())).ToList();

        ProvisionView Provision(Provision p) => new(Fmt.Int(p.Number), p.Title ?? "", p.Sources.ToList(), p.Notes.ToList(), Measures(p.Measures, lang));
        var provisions = policy.General.Provisions.Select(Provision).ToList();
        // §29: each chapter of general provisions where it stands; the first keeps the anchor "general" a single chapter always had.
        var generals = policy.General.Chapters.Select((c, i) => new GeneralChapterView(c.Number is { } n ? Fmt.Int(n) : null, c.Title,
            i == 0 ? "general" : "general-" + Fmt.Int(i + 1), c.Provisions.Select(Provision).ToList(), c.SectionsBefore)).ToList();

        return new CatalogueView(
            policy.Name, policy.Title, (policy.Validity is { } pv ? lang.Range(pv) + (policy.YearStart.IsCalendar ? "" : (lang.IsZh ? "；" : "; ") + lang.Years(policy.YearStart)) : null), policy.Supersedes.ToList(), policy.InterpretedBy.ToList(), worth,
            policy.AwardUnit.ToString(), policy.DefaultPayer, policy.ImplementationTitle, policy.Sources.ToList(), policy.Notes.ToList(),
            sections, policy.General.Title, provisions, Exposure(policy, lang),
            Fmt.Int(policy.Sections.Sum(s => s.Clauses.Count)), Fmt.Int(policy.Rules.Count())) { Lang = lang.Code, HtmlLang = lang.HtmlLang, L = lang.Labels, Generals = generals };
    }

    private static string MeasureKindZh(MeasureKind kind) => kind switch
    {
        MeasureKind.Support => "非资金支持",
        MeasureKind.Fund => "资金池",
        MeasureKind.Penalty => "处罚与追回",
        MeasureKind.Procedure => "程序与时限",
        MeasureKind.Precedence => "上级政策优先",
        _ => "收入分成",
    };

    /// <summary>Provisions that pay nothing, as the reports show them (evaluation never pays them).</summary>
    private static IReadOnlyList<MeasureView> Measures(Text.EquatableArray<Measure> measures, Lang lang) => measures.Select(m => new MeasureView(
        m.KindText,
        MeasureKindZh(m.Kind),
        m.Amount is { } a && m.Unit is { } u ? (m.Kind == MeasureKind.Fund ? (lang.IsZh ? "不低于" : "at least ") + Measure(a, u, lang) : Measure(a, u, lang)) : null,
        m.Text)).ToList();

    /// <summary>A measure's amount, in the unit the author wrote it in.</summary>
    private static string Measure(decimal amount, Unit unit, Lang lang) => lang.Quantity(amount, unit);

    private static string Money(CheckedPolicy policy, decimal amount, Lang lang, Unit? author = null)
    {
        author ??= Plan.Amounts.AuthorMoneyUnit(policy);
        if (policy.MoneyPerPoint is not { } mpp || policy.AwardUnit != Unit.AwardPoints)
            return policy.AwardUnit == policy.Money ? lang.Money(amount, author) : lang.Quantity(amount, policy.AwardUnit);
        // A cap of 10^28 points funds more yuan than a decimal holds: say so instead of throwing.
        try { return lang.Money(amount * mpp, author); }
        catch (OverflowException) { return (lang.IsZh ? "超过" : "more than ") + lang.Money(decimal.MaxValue, policy.Money); }
    }

    /// <summary>An award amount in the award unit (money awards in the author's money unit).</summary>
    private static string Award(CheckedPolicy policy, decimal amount, Lang lang, Unit? author = null) =>
        policy.AwardUnit == policy.Money ? lang.Money(amount, author ?? Plan.Amounts.AuthorMoneyUnit(policy)) : lang.Quantity(amount, policy.AwardUnit);

    private static RuleView BuildRule(CheckedPolicy policy, Rule rule, Lang lang)
    {
        var words = new PlainWords(policy, rule);
        var author = Plan.Amounts.MoneyUnitOf(policy, rule);
        var facts = rule.Facts.Select(f => new FactView(f.Name, Kind(f, lang), f.Description ?? lang["NotStated"])).ToList();
        var parameters = rule.Parameters.Select(p => new ParameterView(p.Name, p.Description ?? lang["NotStated"],
            p.Values.IsEmpty ? [lang["NotSet"]]
                : p.Values.Select(v => (v.Keys.Count == 0 ? "" : "[" + string.Join(", ", v.Keys) + "] ") + (p.Unit == Unit.Yuan ? lang.Money(v.Value, author) : lang.Quantity(v.Value, p.Unit))).ToList())).ToList();
        var lets = rule.Lets.Select(l => { var w = words.Expr(l.Value); return new Words($"{l.Name} = {w.En}", $"{l.Name} = {w.Zh}"); }).ToList();
        var conditions = rule.Requirements.Select(r => words.Condition(r.Condition)).ToList();
        var basis = rule.Award.CaseByCaseBase is { } b ? words.Expr(b)
            : rule.Award.CaseByCaseBaseRule is { } br && policy.Rules.FirstOrDefault(r => r.Name == br) is { } baseRule
                ? new Words($"the award of rule {br} (clause {baseRule.Clause})", $"第{baseRule.Clause}条 {br} 的奖励") : null;
        var formula = rule.Award.Formula is { } f ? words.Expr(f)
            : new Words("case by case: " + (rule.Award.CaseByCaseReason ?? "") + (basis is null ? "" : " (based on " + basis.En + ")"),
                "一事一议：" + (rule.Award.CaseByCaseReason ?? "") + (basis is null ? "" : "（依据" + basis.Zh + "）"));
        var caps = rule.Caps.Select(c =>
        {
            var w = words.Cap(c);
            var high = c.Limit.Range.High;
            return new CapView(w.En, w.Zh, high is { } h ? Award(policy, h, lang, author) : lang["Unbounded"], high is { } m ? Money(policy, m, lang, author) : lang["Unbounded"]);
        }).ToList();
        ChartView? chart = null;
        string? noChart = null;
        if (rule.Award.Formula is not null && Charts.BaseFact(rule) is not null) chart = Charts.Build(policy, rule, lang, out noChart);

        return new RuleView(
            rule.Name, rule.Title ?? "", "rule-" + Fmt.Slug(rule.Name), rule.Source, facts, parameters, lets, conditions, formula, caps,
            rule.Rounding is { } r ? lang[r.Direction switch { RoundingDirection.Down => "RoundDown", RoundingDirection.Up => "RoundUp", _ => "RoundNearest" }] + " " + Award(policy, r.Step, lang, author) : null,
            (rule.Validity is { } rv ? lang.Range(rv) : null) is var ruleRange && rule.OwnYearStart
                ? (ruleRange is null ? "" : ruleRange + (lang.IsZh ? "；" : "; ")) + lang.Years(rule.YearStart) : ruleRange,
            rule.Schedule is { } schedule ? schedule.Describe(lang.IsZh)
                : rule.Instalments.IsEmpty ? null : lang.List(rule.Instalments.Select(i => Fmt.Number(i * 100m) + "%")),
            rule.ProvenMaximum is { } max ? Award(policy, max, lang, author) : lang["None"],
            rule.MoneyCeiling is { } money ? lang.Money(money, author) : rule.ProvenMaximum is { } pm ? Money(policy, pm, lang, author) : lang["None"],
            rule.UncappedReason, Payment(policy, rule), rule.Notes.ToList(), chart, noChart);
    }

    private static string Kind(Fact f, Lang lang) => f.Kind switch
    {
        FactKind.Quantity => lang.Quantity(1m, f.Unit!).TrimStart('1').Trim() is { Length: > 0 } u
            ? u + (f.AtMost is { } m ? (lang.IsZh ? "，最高" : ", at most ") + lang.Quantity(m, f.Unit!) : "")
            : lang["Number"] + (f.AtMost is { } n ? (lang.IsZh ? "，最高" : ", at most ") + lang.Quantity(n, f.Unit!) : ""),
        FactKind.YesNo => lang["YesNo"],
        FactKind.Date => lang["Date"],
        FactKind.Level => lang["Level"] + " " + lang.List(f.Members.Select(m => m.Label is null ? m.Key : $"{m.Key} {m.Label}")),
        _ => lang["OneOf"] + " " + lang.List(f.Members.Select(m => m.Label is null ? m.Key : $"{m.Key} {m.Label}")),
    };

    /// <summary>Who pays an award of this rule (§13): the default payer, or the shares at a location unless the clause is excepted.</summary>
    private static Words Payment(CheckedPolicy policy, Rule rule)
    {
        var payer = policy.DefaultPayer ?? "the paying government";
        var en = new List<string> { $"Paid by {payer}." };
        var zh = new List<string> { $"由{policy.DefaultPayer ?? "财政"}承担。" };
        foreach (var share in policy.General.CostSharing)
        {
            if (share.Excepts(rule.Clause))
            {
                en.Add($"At {share.Location}: not shared (clause {Fmt.Int(rule.Clause)} is excepted), {payer} pays all.");
                zh.Add($"{share.Location}项目：第{Fmt.Int(rule.Clause)}条不分担，由{policy.DefaultPayer ?? "财政"}承担。");
            }
            else
            {
                en.Add($"At {share.Location}: " + string.Join(", ", share.Shares.Select(s => $"{s.Party} {Fmt.Number(s.Fraction * 100m)}%")) + ".");
                zh.Add($"{share.Location}项目：" + string.Join("，", share.Shares.Select(s => $"{s.Party}承担{Fmt.Number(s.Fraction * 100m)}%")) + "。");
            }
        }
        return new Words(string.Join(" ", en), string.Join("", zh));
    }

    /// <summary>
    /// The proven maximum of one application, per rule, summed per clause, per section's departments and
    /// per government. A government's row is the most it can be asked to pay: the default payer pays all
    /// of any award outside shared locations; a sharing party pays its fraction of the clauses not excepted.
    /// </summary>
    private static ExposureView Exposure(CheckedPolicy policy, Lang lang)
    {
        var rules = policy.Rules.ToList();
        decimal Max(Rule r) => r.ProvenMaximum ?? 0m;
        // Sums may exceed a decimal (caps near decimal.MaxValue are legal): such a total says so.
        string Points(decimal? sum) => sum is { } s ? Award(policy, s, lang) : lang["BeyondDecimal"];
        string Yuan(decimal? sum) => sum is { } s ? Money(policy, s, lang) : lang["BeyondDecimal"];
        var ruleRows = rules.Select(r => new ExposureRow($"{Fmt.Int(r.Clause)} · {r.Name}", r.Title ?? "",
            r.ProvenMaximum is { } m ? Award(policy, m, lang) : r.Award.IsCaseByCase ? lang["CaseByCase"] : lang["Uncapped"], r.ProvenMaximum is { } mm ? Money(policy, mm, lang) : "—")).ToList();
        var clauseRows = policy.Sections.SelectMany(s => s.Clauses).Select(c =>
        {
            var sum = Fmt.Sum(c.Rules.Select(Max));
            return new ExposureRow(Fmt.Int(c.Number), c.Title, Points(sum), Yuan(sum));
        }).ToList();
        // Sections name their departments; several departments of one section are jointly responsible.
        var departmentRows = policy.Sections.GroupBy(s => s.Departments.IsEmpty ? lang["NoneNamed"] : string.Join("、", s.Departments), StringComparer.Ordinal).Select(g =>
        {
            var sum = Fmt.Sum(g.SelectMany(s => s.Clauses).SelectMany(c => c.Rules).Select(Max));
            var clauses = string.Join(", ", g.SelectMany(s => s.Clauses).Select(c => Fmt.Int(c.Number)));
            return new ExposureRow(g.Key, (lang.IsZh ? "条款 " : "clauses ") + clauses, Points(sum), Yuan(sum));
        }).ToList();

        var total = Fmt.Sum(rules.Select(Max));
        var governmentRows = new List<ExposureRow>();
        if (policy.DefaultPayer is { } payer)
            governmentRows.Add(new ExposureRow(payer, lang["DefaultPayerAll"], Points(total), Yuan(total)));
        foreach (var share in policy.General.CostSharing)
        {
            foreach (var party in share.Shares)
            {
                if (party.Party == policy.DefaultPayer) continue; // already counted at 100%
                var sum = Fmt.Sum(rules.Where(r => !share.Excepts(r.Clause)).Select(r => Max(r) * party.Fraction));
                var except = share.ExceptFrom is { } f
                    ? lang.IsZh ? $"（第{Fmt.Int(f)}–{Fmt.Int(share.ExceptThrough ?? f)}条除外）" : $" (clauses {Fmt.Int(f)}–{Fmt.Int(share.ExceptThrough ?? f)} excepted)" : "";
                governmentRows.Add(new ExposureRow(party.Party, lang.IsZh ? $"{share.Location}项目承担{Fmt.Number(party.Fraction * 100m)}%{except}" : $"{Fmt.Number(party.Fraction * 100m)}% at {share.Location}{except}", Points(sum), Yuan(sum)));
            }
        }
        var uncapped = rules.Where(r => r.ProvenMaximum is null).Select(r => $"{r.Name}: {r.UncappedReason ?? lang["Uncapped"]}").ToList();
        // What no total can bound, each with its kind: uncapped, case by case, non-monetary.
        var cannot = new List<string>();
        foreach (var r in rules.Where(r => r.ProvenMaximum is null))
            cannot.Add($"{lang.Clause(r.Clause)} · {r.Title ?? r.Name} — {(r.Award.IsCaseByCase ? lang["CaseByCase"] : lang["Uncapped"])}" +
                       (r.Award.IsCaseByCase ? (r.Award.CaseByCaseReason is { } why ? (lang.IsZh ? "：" : ": ") + why : "") : r.UncappedReason is { } u ? (lang.IsZh ? "：" : ": ") + u : ""));
        foreach (var c in policy.Sections.SelectMany(s => s.Clauses))
            foreach (var m in c.Measures)
                cannot.Add($"{lang.Clause(c.Number)} · {c.Title} — {lang["NonMonetary"]}{(lang.IsZh ? "：" : ": ")}{(lang.IsZh ? MeasureKindZh(m.Kind) : m.KindText)}");
        foreach (var chapter in policy.General.Chapters)
            foreach (var p in chapter.Provisions)
                foreach (var m in p.Measures)
                    cannot.Add($"{(lang.IsZh ? chapter.Title : "General provisions")} {Fmt.Int(p.Number)}{(p.Title is { } t ? " · " + t : "")} — {lang["NonMonetary"]}{(lang.IsZh ? "：" : ": ")}{(lang.IsZh ? MeasureKindZh(m.Kind) : m.KindText)}");
        var assumptions = new List<string> { lang["AssumeOnce"] };
        if (rules.Any(r => r.Caps.Any(c => c.Scope == Runtime.CapScope.Project))) assumptions.Add(lang["AssumeProject"]);
        if (rules.Any(r => r.Caps.Any(c => c.Scope == Runtime.CapScope.Enterprise))) assumptions.Add(lang["AssumeEnterprise"]);
        // §30.3: an open-ended validity has no total over its years; §30.1: a year that is not the calendar year is said.
        if (policy.Validity is { Open: true }) assumptions.Add(lang["AssumeOpenEnded"]);
        if (!policy.YearStart.IsCalendar) assumptions.Add(lang["AssumeYearStart"].Replace("{0}", lang.YearStart(policy.YearStart), StringComparison.Ordinal));
        assumptions.Add(lang["AssumeHighest"]);
        return new ExposureView(ruleRows, clauseRows, departmentRows, governmentRows, Points(total), Yuan(total), uncapped)
        {
            Assumptions = assumptions,
            CannotBound = cannot,
        };
    }
}
