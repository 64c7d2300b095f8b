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
        // Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with = + - @, tab
        // or CR as a formula. Such a cell (text from the policy or the applications) gets a leading ' and is
        // quoted; a plain number (-1.5) is not a formula and stays as it is.
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(cell))
            return "\"'" + cell.Replace("\"", "\"\"") + "\"";
        return cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"") + "\"";
    }

    private static bool IsPlainNumber(string cell)
    {
        var digits = 0;
        var point = false;
        for (var i = cell[0] == '-' ? 1 : 0; i < cell.Length; i++)
        {
            if (cell[i] is >= '0' and <= '9') digits++;
            else if (cell[i] == '.' && !point) point = true;
            else return false;
        }
        return digits > 0;
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
