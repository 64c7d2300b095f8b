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
    string RuleCount);

public sealed record SectionView(string Number, string Title, string Departments, IReadOnlyList<string> Sources, IReadOnlyList<string> Notes, IReadOnlyList<ClauseView> Clauses);

public sealed record ClauseView(string Number, string Title, string Anchor, IReadOnlyList<string> Sources, IReadOnlyList<string> Notes, IReadOnlyList<RuleView> Rules,
    string? Subsection = null, IReadOnlyList<MeasureView>? Measures = null);

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
    string? NoChart);

public sealed record ProvisionView(string Number, string Title, IReadOnlyList<string> Sources, IReadOnlyList<string> Notes, IReadOnlyList<MeasureView>? Measures = null);

public sealed record ExposureRow(string Label, string Detail, string Maximum, string Money);

public sealed record ExposureView(
    IReadOnlyList<ExposureRow> Rules,
    IReadOnlyList<ExposureRow> Clauses,
    IReadOnlyList<ExposureRow> Departments,
    IReadOnlyList<ExposureRow> Governments,
    string Total,
    string TotalMoney,
    IReadOnlyList<string> Uncapped);

/// <summary>Builds the catalogue view of a checked policy (pure: same policy, same view).</summary>
public static class CatalogueBuilder
{
    public static CatalogueView Build(CheckedPolicy policy)
    {
        var points = policy.AwardUnit == Unit.AwardPoints;
        var worth = policy.MoneyPerPoint is { } mpp && points
            ? new Words($"1 point funds at most {Fmt.Number(mpp)} yuan; the money ceiling of an award is its points × {Fmt.Number(mpp)} yuan.",
                        $"1分不超过{Fmt.Number(mpp)}元；奖励的资金上限为分值×{Fmt.Number(mpp)}元。")
            : new Words("Awards are in " + policy.AwardUnit + ".", "奖励以" + Fmt.QuantityZh(1, policy.AwardUnit).TrimStart('1') + "计。");

        var sections = policy.Sections.Select(s => new SectionView(
            Fmt.Int(s.Number), s.Title, s.Departments.IsEmpty ? "none named 未写明" : string.Join("、", s.Departments), s.Sources.ToList(), s.Notes.ToList(),
            s.Clauses.Select(c => new ClauseView(Fmt.Int(c.Number), c.Title, "clause-" + Fmt.Int(c.Number), c.Sources.ToList(), c.Notes.ToList(),
                c.Rules.Select(r => BuildRule(policy, r)).ToList(), c.Subsection, Measures(c.Measures))).ToList())).ToList();

        var provisions = policy.General.Provisions.Select(p => new ProvisionView(Fmt.Int(p.Number), p.Title ?? "", p.Sources.ToList(), p.Notes.ToList(),
            Measures(p.Measures))).ToList();

        return new CatalogueView(
            policy.Name, policy.Title, (policy.Validity is { } pv ? Fmt.Range(pv) : null), policy.Supersedes.ToList(), policy.InterpretedBy.ToList(), worth,
            policy.AwardUnit.ToString(), policy.DefaultPayer, policy.ImplementationTitle, policy.Sources.ToList(), policy.Notes.ToList(),
            sections, policy.General.Title, provisions, Exposure(policy),
            Fmt.Int(policy.Sections.Sum(s => s.Clauses.Count)), Fmt.Int(policy.Rules.Count()));
    }

    /// <summary>Provisions that pay nothing, as the reports show them (evaluation never pays them).</summary>
    private static IReadOnlyList<MeasureView> Measures(Text.EquatableArray<Measure> measures) => measures.Select(m => new MeasureView(
        m.KindText,
        m.Kind switch
        {
            MeasureKind.Support => "非资金支持",
            MeasureKind.Fund => "资金池",
            MeasureKind.Penalty => "处罚与追回",
            MeasureKind.Procedure => "程序与时限",
            MeasureKind.Precedence => "上级政策优先",
            _ => "收入分成",
        },
        m.Amount is { } a && m.Unit is { } u ? (m.Kind == MeasureKind.Fund ? "at least 不低于 " + Fmt.Quantity(a, u) : Fmt.Quantity(a, u)) : null,
        m.Text)).ToList();

    private static string Money(CheckedPolicy policy, decimal amount)
    {
        if (policy.MoneyPerPoint is not { } mpp || policy.AwardUnit != Unit.AwardPoints) return Fmt.Quantity(amount, policy.AwardUnit);
        // A cap of 10^28 points funds more yuan than a decimal holds: say so instead of throwing.
        try { return Fmt.Number(amount * mpp) + " yuan"; }
        catch (OverflowException) { return "more than " + Fmt.Number(decimal.MaxValue) + " yuan"; }
    }

    private static RuleView BuildRule(CheckedPolicy policy, Rule rule)
    {
        var words = new PlainWords(policy, rule);
        var facts = rule.Facts.Select(f => new FactView(f.Name, Kind(f), f.Description ?? "")).ToList();
        var parameters = rule.Parameters.Select(p => new ParameterView(p.Name, p.Description ?? "",
            p.Values.IsEmpty ? ["not set (needs the implementation rules)"]
                : p.Values.Select(v => (v.Keys.Count == 0 ? "" : "[" + string.Join(", ", v.Keys) + "] ") + Fmt.Quantity(v.Value, p.Unit)).ToList())).ToList();
        var lets = rule.Lets.Select(l => { var w = words.Expr(l.Value); return new Words($"{l.Name} = {w.En}", $"{l.Name} = {w.Zh}"); }).ToList();
        var conditions = rule.Requirements.Select(r => words.Condition(r.Condition)).ToList();
        var basis = rule.Award.CaseByCaseBase is { } b ? words.Expr(b) : null;
        var formula = rule.Award.Formula is { } f ? words.Expr(f)
            : new Words("case by case: " + (rule.Award.CaseByCaseReason ?? "") + (basis is null ? "" : " (based on " + basis.En + ")"),
                "一事一议：" + (rule.Award.CaseByCaseReason ?? "") + (basis is null ? "" : "（依据" + basis.Zh + "）"));
        var caps = rule.Caps.Select(c =>
        {
            var w = words.Cap(c);
            var high = c.Limit.Range.High;
            return new CapView(w.En, w.Zh, high is { } h ? Fmt.Quantity(h, policy.AwardUnit) : "unbounded", high is { } m ? Money(policy, m) : "unbounded");
        }).ToList();
        ChartView? chart = null;
        string? noChart = null;
        if (rule.Award.Formula is not null && Charts.BaseFact(rule) is not null) chart = Charts.Build(policy, rule, out noChart);

        return new RuleView(
            rule.Name, rule.Title ?? "", "rule-" + Fmt.Slug(rule.Name), rule.Source, facts, parameters, lets, conditions, formula, caps,
            rule.Rounding is { } r ? $"round {r.Direction.ToString().ToLowerInvariant()} to {Fmt.Quantity(r.Step, policy.AwardUnit)}" : null,
            (rule.Validity is { } rv ? Fmt.Range(rv) : null),
            rule.Instalments.IsEmpty ? null : string.Join(", ", rule.Instalments.Select(i => Fmt.Number(i * 100m) + "%")),
            rule.ProvenMaximum is { } max ? Fmt.Quantity(max, policy.AwardUnit) : "none",
            rule.MoneyCeiling is { } money ? Fmt.Number(money) + " yuan" : rule.ProvenMaximum is { } pm ? Money(policy, pm) : "none",
            rule.UncappedReason, Payment(policy, rule), rule.Notes.ToList(), chart, noChart);
    }

    private static string Kind(Fact f) => f.Kind switch
    {
        FactKind.Quantity => f.Unit + (f.AtMost is { } m ? ", at most " + Fmt.Quantity(m, f.Unit!) : ""),
        FactKind.YesNo => "yes/no",
        FactKind.Date => "date",
        FactKind.Level => "level " + string.Join(", ", f.Members.Select(m => m.Label is null ? m.Key : $"{m.Key} {m.Label}")),
        _ => "one of " + string.Join(", ", f.Members.Select(m => m.Label is null ? m.Key : $"{m.Key} {m.Label}")),
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
    private static ExposureView Exposure(CheckedPolicy policy)
    {
        var rules = policy.Rules.ToList();
        decimal Max(Rule r) => r.ProvenMaximum ?? 0m;
        // Sums may exceed a decimal (caps near decimal.MaxValue are legal): such a total says so.
        string Points(decimal? sum) => sum is { } s ? Fmt.Quantity(s, policy.AwardUnit) : "beyond the decimal range";
        string Yuan(decimal? sum) => sum is { } s ? Money(policy, s) : "beyond the decimal range";
        var ruleRows = rules.Select(r => new ExposureRow($"{Fmt.Int(r.Clause)} · {r.Name}", r.Title ?? "",
            r.ProvenMaximum is { } m ? Fmt.Quantity(m, policy.AwardUnit) : "uncapped", r.ProvenMaximum is { } mm ? Money(policy, mm) : "—")).ToList();
        var clauseRows = policy.Sections.SelectMany(s => s.Clauses).Select(c =>
        {
            var sum = Fmt.Sum(c.Rules.Select(Max));
            return new ExposureRow(Fmt.Int(c.Number), c.Title, Points(sum), Yuan(sum));
        }).ToList();
        // Sections name their departments; several departments of one section are jointly responsible.
        var departmentRows = policy.Sections.GroupBy(s => s.Departments.IsEmpty ? "none named 未写明" : string.Join("、", s.Departments), StringComparer.Ordinal).Select(g =>
        {
            var sum = Fmt.Sum(g.SelectMany(s => s.Clauses).SelectMany(c => c.Rules).Select(Max));
            var clauses = string.Join(", ", g.SelectMany(s => s.Clauses).Select(c => Fmt.Int(c.Number)));
            return new ExposureRow(g.Key, "clauses " + clauses, Points(sum), Yuan(sum));
        }).ToList();

        var total = Fmt.Sum(rules.Select(Max));
        var governmentRows = new List<ExposureRow>();
        if (policy.DefaultPayer is { } payer)
            governmentRows.Add(new ExposureRow(payer, "default payer: all of every award outside shared locations", Points(total), Yuan(total)));
        foreach (var share in policy.General.CostSharing)
        {
            foreach (var party in share.Shares)
            {
                if (party.Party == policy.DefaultPayer) continue; // already counted at 100%
                var sum = Fmt.Sum(rules.Where(r => !share.Excepts(r.Clause)).Select(r => Max(r) * party.Fraction));
                var except = share.ExceptFrom is { } f ? $" (clauses {Fmt.Int(f)}–{Fmt.Int(share.ExceptThrough ?? f)} excepted)" : "";
                governmentRows.Add(new ExposureRow(party.Party, $"{Fmt.Number(party.Fraction * 100m)}% at {share.Location}{except}", Points(sum), Yuan(sum)));
            }
        }
        var uncapped = rules.Where(r => r.ProvenMaximum is null).Select(r => $"{r.Name}: {r.UncappedReason ?? "uncapped"}").ToList();
        return new ExposureView(ruleRows, clauseRows, departmentRows, governmentRows, Points(total), Yuan(total), uncapped);
    }
}
