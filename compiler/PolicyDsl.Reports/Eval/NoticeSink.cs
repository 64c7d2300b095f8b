using System.Text.Encodings.Web;
using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Reports.Eval;

public sealed record NoticeLine(string Label, string Text, string Value);

public sealed record NoticeItem(string Number, string Id, string Clause, string Rule, string Date, string Subject, string Quote,
    IReadOnlyList<NoticeLine> Facts, IReadOnlyList<NoticeLine> Why, string Award, string BoundBy, string Paid, string Money, string Payers, string Reason);

public sealed record NoticeView(string Enterprise, string Policy, string Department, IReadOnlyList<NoticeItem> Items, string Total, string TotalMoney);

public sealed record NoticeDocument(string Title, string HtmlLang, IReadOnlyList<NoticeView> Notices);

/// <summary>
/// 奖励（补助）核定结果: one notice per enterprise (or only the one asked for), from the same evaluation as
/// <c>policyc eval</c>. Each application, numbered from 1, quotes its clause, lists what was applied for (each fact by
/// its description, in its declared unit), each condition and cap with whether it held or bound (read from the
/// trace's structure: one step per plan condition and cap, in plan order), and what is paid, by whom.
/// </summary>
public sealed class NoticeSink(CheckedPolicy policy, TextWriter output, Lang lang, string? enterprise = null) : IAwardSink
{
    private readonly List<NoticeView> _notices = [];
    private readonly Unit? _author = Amounts.AuthorMoneyUnit(policy);

    public string? Separator => null;

    public bool NeedsTotals => false;

    public bool NeedsRejected => false;

    public void Begin() { }

    public void Write(string part) { }

    public void Rejected(TextWriter part, RejectedRow row)
    {
        if (enterprise is not null && row.Enterprise is not null && row.Enterprise != enterprise) return; // another enterprise's
        // Parts are rendered on several threads: the first in the input is kept, whichever thread sees it.
        lock (_gate)
            if (FirstRejected is null || row.Row < FirstRejected.Row) FirstRejected = row;
    }

    private readonly object _gate = new();

    /// <summary>The rejected row first in the input (a notice names no rejected row; the command says why none was written).</summary>
    public RejectedRow? FirstRejected { get; private set; }

    private string Amount(decimal value) => policy.AwardUnit == policy.Money ? lang.Money(value, _author) : lang.Quantity(value, policy.AwardUnit);

    private string Money(decimal paid) =>
        policy.AwardUnit == policy.Money ? lang.Money(paid, _author)
        : policy.MoneyPerPoint is { } mpp && policy.AwardUnit == Unit.AwardPoints && paid <= decimal.MaxValue / mpp ? lang.Money(paid * mpp, _author) : "";

    public void Enterprise(TextWriter part, EnterpriseBlock block)
    {
        if (enterprise is not null && block.Enterprise != enterprise) return;
        var rows = block.Rows.OfType<EvaluatedRow>().ToList();
        if (rows.Count == 0) return;
        var items = rows.Select((row, i) => Item(row.Result, i + 1)).ToList();
        var departments = rows.Select(r => policy.FindRule(r.Result.Application.Rule)).Where(r => r is not null)
            .Select(r => policy.ClauseOf(r!)).Where(c => c is not null).Select(c => policy.SectionOf(c!)).Where(s => s is not null)
            .SelectMany(s => s!.Departments).Distinct(StringComparer.Ordinal);
        lock (_notices)
            _notices.Add(new NoticeView(block.Enterprise, policy.Title, lang.List(departments), items, Amount(block.Totals.Total), Money(block.Totals.Total)));
    }

    private NoticeItem Item(ApplicationResult result, int number)
    {
        var a = result.Application;
        var rule = policy.FindRule(a.Rule)!;
        var clause = policy.ClauseOf(rule);
        var words = new PlainWords(policy, rule);
        var plan = RulePlanner.For(policy, rule);
        var facts = rule.Facts.Where(f => a.Facts.Values.ContainsKey(f.Name))
            .Select(f => new NoticeLine(f.Description ?? f.Name, f.Name, FactText(f, a.Facts.Values[f.Name]))).ToList();

        var why = new List<NoticeLine>();
        var conditions = result.Award.Trace.Where(t => t.Kind == TraceKind.Condition).ToList();
        for (var i = 0; i < conditions.Count && i < plan.Conditions.Count; i++)
            why.Add(new NoticeLine(lang.Kind(TraceKind.Condition), lang.Say(words.Condition(plan.Conditions[i].Requirement.Condition)),
                conditions[i].Value == PlanTexts.Holds ? (lang.IsZh ? "符合" : "met") : conditions[i].Value == PlanTexts.Fails ? (lang.IsZh ? "不符合" : "not met") : conditions[i].Value));
        var caps = result.Award.Trace.Where(t => t.Kind == TraceKind.Cap).ToList();
        for (var i = 0; i < caps.Count && i < plan.Caps.Count; i++)
            why.Add(new NoticeLine(lang.Kind(TraceKind.Cap), lang.Say(words.Cap(plan.Caps[i].Cap)),
                caps[i].Value == PlanTexts.Binds ? (lang.IsZh ? "适用（按上限核定）" : "applies (the award is held to it)") : (lang.IsZh ? "未达上限" : "not reached")));
        var bound = BoundCap.Of(policy, rule, result.Award);
        var running = result.Trace.Any(t => t.Kind == TraceKind.RunningTotal) && result.Paid < result.Award.Amount;
        if (running) why.Add(new NoticeLine(lang.Kind(TraceKind.RunningTotal), lang.IsZh ? "此前已核定的奖励已计入累计上限" : "awards granted before count against a cumulative cap", Amount(result.Paid)));

        return new NoticeItem(Fmt.Int(number), a.Id, clause is null ? "" : lang.Clause(clause.Number) + " · " + clause.Title, rule.Title ?? rule.Name, Fmt.Date(a.Date),
            a.Subject ?? "", rule.Source, facts, why, result.Award.Computable ? Amount(result.Award.Amount) : lang["CaseByCaseNote"],
            bound is not null ? lang.Say(words.Cap(bound)) : result.Award.BoundBy is null ? "" : result.Award.BoundBy,
            Amount(result.Paid), Money(result.Paid), lang.List(result.Payers.Select(p => p.Payer + " " + Amount(p.Amount))),
            result.Reason is null ? (result.Award.Eligible ? "" : lang["NotEligible"]) : result.Reason);
    }

    private string FactText(Fact fact, FactValue value) => value switch
    {
        YesNoValue y => y.Value ? lang["Yes"] : lang["No"],
        MemberValue m => fact.FindMember(m.Key)?.Label ?? m.Key,
        QuantityValue q when fact.Unit is { } u => lang.Quantity(q.Value, u),
        _ => value.ToString() ?? "",
    };

    public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected)
    {
        var notices = _notices.OrderBy(n => n.Enterprise, StringComparer.Ordinal).ToList();
        Templates.Render("notice.html.liquid", Templates.Html, output, new NoticeDocument(lang["NoticeTitle"], lang.HtmlLang, notices),
            new Dictionary<string, object?> { ["lang"] = lang.Code, ["L"] = lang.Labels });
        output.Flush();
    }

    /// <summary>How many notices were written (0: no such enterprise, or none of its applications evaluated).</summary>
    public int Count => _notices.Count;
}
