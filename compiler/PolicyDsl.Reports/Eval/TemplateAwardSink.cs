using System.Text.Encodings.Web;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

public sealed record TraceView(string Kind, string Step, string Value);

public sealed record AwardRowView(string Row, string Id, string Rule, string Date, string Subject, string Location, string Amount, string Paid,
    string BoundBy, string MoneyCeiling, string Payers, string Reason, string Source, IReadOnlyList<TraceView> Trace);

public sealed record EnterpriseView(string Enterprise, IReadOnlyList<AwardRowView> Rows, IReadOnlyList<YearView> Years, string Total);

public sealed record YearView(string Year, string Paid);

public sealed record RejectedView(string Row, string Id, string Enterprise, string Rule, string Reason);

public sealed record AwardHeaderView(string Policy, string Title, string AwardUnit, string Source);

public sealed record AwardSummaryView(string Rows, string Evaluated, string Rejected, string Enterprises, string Paid, string PaidMoney);

/// <summary>
/// The award report (Markdown or HTML) from templates/awards.{md,html}.liquid: the template is rendered once
/// per part ("header", one "enterprise" block with every award and its trace, "rejected" notices in place,
/// "summary", the closing list of rejected rows, "end"). Every value goes through the format's encoder.
/// Traces are shown unless turned off.
/// </summary>
public sealed class TemplateAwardSink(CheckedPolicy policy, TextWriter output, string format, string source, bool trace = true) : IAwardSink
{
    private readonly string _template = format == "html" ? "awards.html.liquid" : "awards.md.liquid";
    private readonly TextEncoder _encoder = format == "html" ? Templates.Html : Templates.Markdown;

    public string? Separator => null;

    public bool NeedsTotals => false;

    public bool NeedsRejected => true;

    public void Begin() => Part(output, "header", new AwardHeaderView(policy.Name, policy.Title, policy.AwardUnit.ToString(), source));

    public void Write(string part) => output.Write(part);

    private void Part(TextWriter w, string part, object model) =>
        Templates.Render(_template, _encoder, w, model, new Dictionary<string, object?> { ["part"] = part });

    private static string Money(decimal? money) => money is { } m ? Fmt.Number(m) + " yuan" : "";

    private AwardRowView View(EvaluatedRow row)
    {
        var r = row.Result;
        var a = r.Application;
        var unit = policy.AwardUnit;
        return new AwardRowView(row.RowLabel, a.Id, a.Rule, Fmt.Date(a.Date), a.Subject ?? "", a.Location ?? "",
            Fmt.Quantity(r.Award.Amount, unit), Fmt.Quantity(r.Paid, unit), r.BoundBy ?? "", Money(r.Award.MoneyCeiling),
            string.Join("; ", r.Payers.Select(p => $"{p.Payer} {Fmt.Quantity(p.Amount, unit)}")), r.Reason ?? "", r.Award.Source,
            trace ? r.Award.Trace.Concat(r.Trace).Select(t => new TraceView(t.Kind.ToString(), t.Description, t.Value)).ToList() : []);
    }

    private static RejectedView View(RejectedRow row) => new(row.RowLabel, row.Id ?? "", row.Enterprise ?? "", row.Rule ?? "", row.Reason);

    public void Enterprise(TextWriter w, EnterpriseBlock block)
    {
        // Rejected rows of the enterprise are noticed before its block, in input order.
        foreach (var rejected in block.Rows.OfType<RejectedRow>()) Rejected(w, rejected);
        var rows = block.Rows.OfType<EvaluatedRow>().Select(View).ToList();
        if (rows.Count == 0) return;
        var unit = policy.AwardUnit;
        Part(w, "enterprise", new EnterpriseView(block.Enterprise, rows,
            block.Totals.Years.Select(y => new YearView(Fmt.Int(y.Year), Fmt.Quantity(y.Paid, unit))).ToList(), Fmt.Quantity(block.Totals.Total, unit)));
    }

    public void Rejected(TextWriter w, RejectedRow row) => Part(w, "rejected", View(row));

    public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected)
    {
        var money = policy.MoneyPerPoint is { } mpp && policy.AwardUnit == Unit.AwardPoints
            ? (summary.Paid <= decimal.MaxValue / mpp ? Fmt.Number(summary.Paid * mpp) + " yuan (at most)" : "beyond the decimal range") : "";
        Part(output, "summary", new AwardSummaryView(Fmt.Plain(summary.Rows), Fmt.Plain(summary.Evaluated), Fmt.Plain(summary.Rejected),
            Fmt.Plain(summary.Enterprises), Fmt.Quantity(summary.Paid, policy.AwardUnit), money));
        foreach (var row in rejected) Part(output, "rejected-item", View(row));
        Part(output, "end", summary);
        output.Flush();
    }
}
