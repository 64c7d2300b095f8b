using System.Text;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Results as CSV, one line per row as produced:
/// row,id,enterprise,rule,date,status,amount,paid,bound_by,money_ceiling,payers,reason,trace.
/// status is evaluated or rejected; after each enterprise come its totals as status "total" lines
/// (date holds the year, or "all"). payers are "name=amount" joined by ';', the trace steps by " | ".
/// </summary>
public sealed class CsvAwardSink(TextWriter output) : IAwardSink
{
    private bool _header;

    private void Header()
    {
        if (_header) return;
        _header = true;
        output.Write("row,id,enterprise,rule,date,status,amount,paid,bound_by,money_ceiling,payers,reason,trace\n");
    }

    private void Line(params string?[] cells)
    {
        Header();
        output.Write(string.Join(",", cells.Select(Quote)));
        output.Write('\n');
    }

    private static string Quote(string? cell)
    {
        if (cell is null) return "";
        return cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"") + "\"";
    }

    public void Evaluated(EvaluatedRow row)
    {
        var r = row.Result;
        var a = r.Application;
        Line(Fmt.Plain(row.Row), a.Id, a.Enterprise, a.Rule, Fmt.Date(a.Date), "evaluated", Fmt.Plain(r.Award.Amount), Fmt.Plain(r.Paid),
            r.Award.BoundBy, r.Award.MoneyCeiling is { } m ? Fmt.Plain(m) : null,
            string.Join(";", r.Payers.Select(p => p.Payer + "=" + Fmt.Plain(p.Amount))), r.Reason,
            string.Join(" | ", r.Award.Trace.Concat(r.Trace).Select(t => t.Description + ": " + t.Value)));
    }

    public void Rejected(RejectedRow row) =>
        Line(Fmt.Plain(row.Row), row.Id, row.Enterprise, row.Rule, null, "rejected", null, null, null, null, null, row.Reason, null);

    public void EnterpriseDone(EnterpriseTotals totals)
    {
        foreach (var (year, paid) in totals.Years)
            Line(null, null, totals.Enterprise, null, StreamingEvaluator.Year(year), "total", null, Fmt.Plain(paid), null, null, null, null, null);
        Line(null, null, totals.Enterprise, null, "all", "total", null, Fmt.Plain(totals.Total), null, null, null, null, null);
    }

    public void Complete(EvalSummary summary)
    {
        Header();
        output.Flush();
    }
}
