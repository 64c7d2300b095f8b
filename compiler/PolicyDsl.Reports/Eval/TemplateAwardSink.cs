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
/// The award report (Markdown or HTML) from templates/awards.{md,html}.liquid, written as results arrive:
/// the template is rendered once per part ("header", one "enterprise" block with every award and its trace,
/// "rejected" notices in place, "summary", the closing list of rejected rows, "end"). Every value goes
/// through the format's encoder. Rejected rows for the closing list are spooled to a temporary file.
/// </summary>
public sealed class TemplateAwardSink : IAwardSink, IDisposable
{
    private readonly CheckedPolicy _policy;
    private readonly TextWriter _output;
    private readonly string _template;
    private readonly TextEncoder _encoder;
    private readonly List<AwardRowView> _rows = new();
    private readonly Spool<RejectedRow> _rejected = new();

    public TemplateAwardSink(CheckedPolicy policy, TextWriter output, string format, string source)
    {
        _policy = policy;
        _output = output;
        _template = format == "html" ? "awards.html.liquid" : "awards.md.liquid";
        _encoder = format == "html" ? Templates.Html : Templates.Markdown;
        Part("header", new AwardHeaderView(policy.Name, policy.Title, policy.AwardUnit.ToString(), source));
    }

    private void Part(string part, object model) =>
        Templates.Render(_template, _encoder, _output, model, new Dictionary<string, object?> { ["part"] = part });

    private string Money(decimal? money) => money is { } m ? Fmt.Number(m) + " yuan" : "";

    public void Evaluated(EvaluatedRow row)
    {
        var r = row.Result;
        var a = r.Application;
        var unit = _policy.AwardUnit;
        _rows.Add(new AwardRowView(row.RowLabel, a.Id, a.Rule, Fmt.Date(a.Date), a.Subject ?? "", a.Location ?? "",
            Fmt.Quantity(r.Award.Amount, unit), Fmt.Quantity(r.Paid, unit), r.Award.BoundBy ?? "", Money(r.Award.MoneyCeiling),
            string.Join("; ", r.Payers.Select(p => $"{p.Payer} {Fmt.Quantity(p.Amount, unit)}")), r.Reason ?? "", r.Award.Source,
            r.Award.Trace.Concat(r.Trace).Select(t => new TraceView(t.Kind.ToString(), t.Description, t.Value)).ToList()));
    }

    public void Rejected(RejectedRow row)
    {
        _rejected.Add(row);
        Part("rejected", View(row));
    }

    private static RejectedView View(RejectedRow row) => new(row.RowLabel, row.Id ?? "", row.Enterprise ?? "", row.Rule ?? "", row.Reason);

    public void EnterpriseDone(EnterpriseTotals totals)
    {
        var unit = _policy.AwardUnit;
        Part("enterprise", new EnterpriseView(totals.Enterprise, _rows.ToList(),
            totals.Years.Select(y => new YearView(StreamingEvaluator.Year(y.Year), Fmt.Quantity(y.Paid, unit))).ToList(), Fmt.Quantity(totals.Total, unit)));
        _rows.Clear();
    }

    public void Complete(EvalSummary summary)
    {
        var money = _policy.MoneyPerPoint is { } mpp && _policy.AwardUnit == Unit.AwardPoints
            ? (summary.Paid <= decimal.MaxValue / mpp ? Fmt.Number(summary.Paid * mpp) + " yuan (at most)" : "beyond the decimal range") : "";
        Part("summary", new AwardSummaryView(Fmt.Plain(summary.Rows), Fmt.Plain(summary.Evaluated), Fmt.Plain(summary.Rejected),
            Fmt.Plain(summary.Enterprises), Fmt.Quantity(summary.Paid, _policy.AwardUnit), money));
        foreach (var row in _rejected.ReadAll()) Part("rejected-item", View(row));
        Part("end", summary);
        _output.Flush();
    }

    public void Dispose() => _rejected.Dispose();
}
