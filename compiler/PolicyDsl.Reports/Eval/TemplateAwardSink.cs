using System.Text.Encodings.Web;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

public sealed record TraceView(string Kind, string Step, string Value);

public sealed record AwardRowView(string Row, string At, string Id, string Rule, string Date, string Subject, string Location, string Amount, string Paid,
    string BoundBy, string MoneyCeiling, string Payers, string Reason, string Source, IReadOnlyList<TraceView> Trace);

public sealed record EnterpriseView(string Enterprise, IReadOnlyList<AwardRowView> Rows, IReadOnlyList<YearView> Years, string Total);

public sealed record YearView(string Year, string Paid);

public sealed record RejectedView(string Row, string Id, string Enterprise, string Rule, string Reason);

public sealed record AwardHeaderView(string Policy, string Title, string AwardUnit, string Source)
{
    public IReadOnlyDictionary<string, string> L { get; init; } = Lang.En.Labels;

    public string HtmlLang { get; init; } = "en";
}

public sealed record AwardSummaryView(string Rows, string Evaluated, string Rejected, string Enterprises, string Paid, string PaidMoney);

/// <summary>
/// The award report (Markdown or HTML) from templates/awards.{md,html}.liquid: the template is rendered once
/// per part ("header", one "enterprise" block with every award and its trace, "rejected" notices in place,
/// "summary", the closing list of rejected rows, "end"). Every value goes through the format's encoder.
/// Traces are shown unless turned off.
/// </summary>
public sealed class TemplateAwardSink(CheckedPolicy policy, TextWriter output, string format, string source, bool trace = true, Lang? lang = null) : IAwardSink
{
    private readonly Lang _lang = lang ?? Lang.For(policy);

    private readonly Unit? _author = PolicyDsl.Plan.Amounts.AuthorMoneyUnit(policy);

    private readonly string _template = format == "html" ? "awards.html.liquid" : "awards.md.liquid";
    private readonly TextEncoder _encoder = format == "html" ? Templates.Html : Templates.Markdown;

    public string? Separator => null;

    public bool NeedsTotals => false;

    public bool NeedsRejected => true;

    public void Begin() => Part(output, "header", new AwardHeaderView(policy.Name, policy.Title, UnitName(), source) { L = _lang.Labels, HtmlLang = _lang.HtmlLang });

    private string UnitName() { var t = _lang.Quantity(0m, policy.AwardUnit); return t.Length > 1 ? t.Substring(1).Trim() : ""; }

    private string Amount(decimal value) => policy.AwardUnit == policy.Money ? _lang.Money(value, _author) : _lang.Quantity(value, policy.AwardUnit);

    public void Write(string part) => output.Write(part);

    public void WritePart(ReadOnlySpan<byte> utf8) => Utf8TextWriter.WriteUtf8(output, utf8);

    private void Part(TextWriter w, string part, object model) =>
        Templates.Render(_template, _encoder, w, model, new Dictionary<string, object?> { ["part"] = part, ["lang"] = _lang.Code, ["L"] = _lang.Labels });

    /// <summary>The money ceiling of what was paid (paid × the point's worth; money awards are money): not of the award before running caps.</summary>
    private string PaidMoney(decimal paid)
    {
        if (policy.AwardUnit == policy.Money) return _lang.Money(paid, _author);
        if (policy.MoneyPerPoint is not { } mpp || policy.AwardUnit != Unit.AwardPoints) return "";
        return paid <= decimal.MaxValue / mpp ? _lang.Money(paid * mpp, _author) : _lang["BeyondDecimal"];
    }

    private AwardRowView View(EvaluatedRow row, int number)
    {
        var r = row.Result;
        var a = r.Application;
        var unit = policy.AwardUnit;
        return new AwardRowView(Fmt.Int(number), _lang.RowAt(row.RowLabel), a.Id, a.Rule, Fmt.Date(a.Date), a.Subject ?? "", a.Location ?? "",
            Amount(r.Award.Amount), Amount(r.Paid), BoundBy(r), PaidMoney(r.Paid),
            string.Join("; ", r.Payers.Select(p => $"{p.Payer} {Amount(p.Amount)}")), r.Reason ?? "", r.Award.Source,
            trace ? r.Award.Trace.Concat(r.Trace).Select(t => Step(policy.FindRule(a.Rule), t.Kind, t.Description, t.Value)).ToList() : []);
    }

    /// <summary>A trace step in the report's language (the steps are written in English once: StepWords reads them).</summary>
    private TraceView Step(Rule? rule, TraceKind kind, string description, string value)
    {
        if (!_lang.IsZh) return new TraceView(_lang.Kind(kind), description, value);
        var (d, v) = StepWords.Zh(policy, rule, description, value);
        return new TraceView(_lang.Kind(kind), d, v);
    }

    /// <summary>The cap that bound, in the report's words (found from the trace's structure), else the evaluator's text.</summary>
    private string BoundBy(ApplicationResult result)
    {
        // A running total that cut the payment is named as the evaluation names it (PaidBoundBy).
        if (result.PaidBoundBy is { } running) return running;
        var award = result.Award;
        if (award.BoundBy is null) return "";
        return policy.FindRule(award.Rule) is { } rule && BoundCap.Of(policy, rule, award) is { } cap ? _lang.Say(new PlainWords(policy, rule).Cap(cap)) : award.BoundBy;
    }

    private RejectedView View(RejectedRow row) => new(_lang.RowAt(row.RowLabel), row.Id ?? "", row.Enterprise ?? "", row.Rule ?? "", row.Reason);

    public void Enterprise(TextWriter w, EnterpriseBlock block)
    {
        // Rejected rows of the enterprise are noticed before its block, in input order.
        foreach (var rejected in block.Rows.OfType<RejectedRow>()) Rejected(w, rejected);
        var rows = block.Rows.OfType<EvaluatedRow>().Select((row, i) => View(row, i + 1)).ToList();
        if (rows.Count == 0) return;
        var unit = policy.AwardUnit;
        Part(w, "enterprise", new EnterpriseView(block.Enterprise, rows,
            block.Totals.Years.Select(y => new YearView(policy.YearStart.Name(y.Year), Amount(y.Paid))).ToList(), Amount(block.Totals.Total)));
    }

    public void Rejected(TextWriter w, RejectedRow row) => Part(w, "rejected", View(row));

    public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected)
    {
        var money = policy.MoneyPerPoint is not null && policy.AwardUnit == Unit.AwardPoints ? _lang["AtMostMoney"] + " " + PaidMoney(summary.Paid) : "";
        Part(output, "summary", new AwardSummaryView(Fmt.Plain(summary.Rows), Fmt.Plain(summary.Evaluated), Fmt.Plain(summary.Rejected),
            Fmt.Plain(summary.Enterprises), Amount(summary.Paid), money));
        foreach (var row in rejected) Part(output, "rejected-item", View(row));
        Part(output, "end", summary);
        output.Flush();
    }
}
