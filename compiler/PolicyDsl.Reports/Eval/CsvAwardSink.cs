using System.Globalization;
using System.Text;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Results as CSV, one line per row:
/// row,id,enterprise,rule,date,status,amount,paid,bound_by,money_ceiling,payers,reason,trace.
/// status is evaluated or rejected; after each enterprise's rows come its totals as status "total" lines
/// (date holds the year, or "all"). payers are "name=amount" joined by ';', the trace steps by " | "
/// (empty unless traces were asked for).
/// </summary>
public sealed class CsvAwardSink(TextWriter output, bool trace = false) : IAwardSink
{
    public string? Separator => null;

    public bool NeedsTotals => false;

    public bool NeedsRejected => false;

    public void Begin() => output.Write("row,id,enterprise,rule,date,status,amount,paid,bound_by,money_ceiling,payers,reason,trace\n");

    public void Write(string part) => output.Write(part);

    public void WritePart(ReadOnlySpan<byte> utf8) => Utf8TextWriter.WriteUtf8(output, utf8);

    private static void Line(TextWriter w, params string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) w.Write(',');
            Quote(w, cells[i]);
        }
        w.Write('\n');
    }

    private static void Quote(TextWriter w, string? cell)
    {
        if (cell is null) return;
        // Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with = + - @, tab
        // or CR as a formula. Such a cell (text from the policy or the applications) gets a leading ' and is
        // quoted; a plain number (-1.5) is not a formula and stays as it is.
        var formula = cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(cell);
        if (!formula && cell.AsSpan().IndexOfAny(",\"\n\r") < 0) { w.Write(cell); return; }
        w.Write('"');
        if (formula) w.Write('\'');
        w.Write(cell.Replace("\"", "\"\"", StringComparison.Ordinal));
        w.Write('"');
    }

    public bool TakesSettledRows => true;

    public void Enterprise(TextWriter w, EnterpriseBlock block)
    {
        // Cells written straight into the writer (numbers and dates formatted into a stack buffer): the same bytes as
        // Line(...) over Fmt's strings, without a string per cell (numbers and dates never need quoting).
        Span<char> buf = stackalloc char[64];
        foreach (var row in block.Rows)
        {
            switch (row)
            {
                case RejectedRow rejected:
                    Rejected(w, rejected);
                    break;
                case SettledRow settled:
                {
                    // The compiled rules' result as it is: the cells of the model's EvaluatedRow (numbers print without trailing zeros either way).
                    var r = settled.Result;
                    Evaluated(w, row.Row, settled.Id, settled.Enterprise, settled.Rule, settled.Date, r.Award.Amount, r.Paid, r.BoundBy, r.Award.MoneyCeiling, new RuntimePayers(r.Payers), r.Reason, null, buf);
                    break;
                }
                default:
                {
                    var r = ((EvaluatedRow)row).Result;
                    Evaluated(w, row.Row, r.Application.Id, r.Application.Enterprise, r.Application.Rule, r.Application.Date, r.Award.Amount, r.Paid, r.BoundBy, r.Award.MoneyCeiling, new ModelPayers(r.Payers), r.Reason,
                        trace ? string.Join(" | ", r.Award.Trace.Concat(r.Trace).Select(t => t.Description + ": " + t.Value)) : null, buf);
                    break;
                }
            }
        }
        // The totals lines: ",,ENTERPRISE,,YEAR,total,,PAID,,,,,", the cells Line(...) would write (numbers never need quoting).
        var totals = block.Totals;
        foreach (var (year, paid) in totals.Years)
        {
            w.Write(",,"); Quote(w, totals.Enterprise); w.Write(",,");
            Long(w, year, buf);
            w.Write(",total,,"); Plain(w, paid, buf); w.Write(",,,,,\n");
        }
        w.Write(",,"); Quote(w, totals.Enterprise); w.Write(",,all,total,,"); Plain(w, totals.Total, buf); w.Write(",,,,,\n");
    }

    /// <summary>One evaluated row's line, whichever engine's result it comes from.</summary>
    private void Evaluated<TPayers>(TextWriter w, long row, string id, string enterprise, string rule, DateOnly date, decimal amount, decimal paid, string? boundBy, decimal? moneyCeiling,
        TPayers payers, string? reason, string? traceText, Span<char> buf) where TPayers : IPayers
    {
        Long(w, row, buf); w.Write(',');
        Quote(w, id); w.Write(',');
        Quote(w, enterprise); w.Write(',');
        Quote(w, rule); w.Write(',');
        Date(w, date, buf);
        w.Write(",evaluated,");
        Plain(w, amount, buf); w.Write(',');
        Plain(w, paid, buf); w.Write(',');
        Quote(w, boundBy); w.Write(',');
        if (moneyCeiling is { } m) Plain(w, m, buf);
        w.Write(',');
        if (payers.Count > 0 && PayersPlain(payers))
        {
            // No payer name needs quoting, nor starts the cell with a formula character: name=amount straight in.
            for (var i = 0; i < payers.Count; i++)
            {
                if (i > 0) w.Write(';');
                w.Write(payers.Payer(i));
                w.Write('=');
                Plain(w, payers.Amount(i), buf);
            }
        }
        else if (payers.Count > 0)
        {
            // Quoting applies to the joined cell as a whole; it needs it only if a payer name does (or starts it with = + - @).
            var sb = new StringBuilder();
            for (var i = 0; i < payers.Count; i++)
            {
                if (i > 0) sb.Append(';');
                sb.Append(payers.Payer(i)).Append('=').Append(Fmt.Plain(payers.Amount(i)));
            }
            Quote(w, sb.ToString());
        }
        w.Write(',');
        Quote(w, reason); w.Write(',');
        if (trace) Quote(w, traceText ?? "");
        w.Write('\n');
    }

    /// <summary>Who pays what, from either engine's result (a struct over the list: no copy).</summary>
    private interface IPayers
    {
        int Count { get; }
        string Payer(int i);
        decimal Amount(int i);
    }

    private readonly struct ModelPayers(PolicyDsl.Text.EquatableArray<PolicyDsl.Model.PayerShare> payers) : IPayers
    {
        public int Count => payers.Count;
        public string Payer(int i) => payers[i].Payer;
        public decimal Amount(int i) => payers[i].Amount;
    }

    private readonly struct RuntimePayers(IReadOnlyList<PolicyDsl.Runtime.PayerShare> payers) : IPayers
    {
        public int Count => payers.Count;
        public string Payer(int i) => payers[i].Payer;
        public decimal Amount(int i) => payers[i].Amount;
    }

    /// <summary>True when the joined payers cell needs no quoting: no name holds , " or a line break, and the first does
    /// not start with a formula character (the cell holds '=', so it is never a plain number).</summary>
    private static bool PayersPlain<TPayers>(TPayers payers) where TPayers : IPayers
    {
        var first = payers.Payer(0);
        if (first.Length == 0 || first[0] is '=' or '+' or '-' or '@' or '\t' or '\r') return false;
        for (var i = 0; i < payers.Count; i++)
            if (payers.Payer(i).AsSpan().IndexOfAny(",\"\n\r") >= 0) return false;
        return true;
    }

    public static void Long(TextWriter w, long value, Span<char> buf)
    {
        if (value >= 0 && w is Utf8TextWriter u && value.TryFormat(u.GetSpan(20), out var b, default, CultureInfo.InvariantCulture)) u.Advance(b);
        else if (value >= 0 && value.TryFormat(buf, out var n, default, CultureInfo.InvariantCulture)) w.Write(buf[..n]);
        else w.Write(Fmt.Plain(value));
    }

    /// <summary>Fmt.Date's text, written from the stack (<see cref="Fmt.DateDigits"/>).</summary>
    public static void Date(TextWriter w, DateOnly date, Span<char> buf)
    {
        Fmt.DateDigits(date, buf);
        w.Write(buf[..10]);
    }

    /// <summary>Fmt.Plain's text (no trailing zeros, no grouping) without the division and the custom format: the
    /// invariant digits with the fraction's trailing zeros cut. Zero (which may be negative zero) takes Fmt.Plain itself.</summary>
    public static void Plain(TextWriter w, decimal value, Span<char> buf)
    {
        if (value == 0m) { w.Write(Zero(value)); return; }
        if (TryPlain(value, buf, out var written)) { w.Write(buf[..written]); return; }
        if (!value.TryFormat(buf, out var n, default, CultureInfo.InvariantCulture)) { w.Write(Fmt.Plain(value)); return; }
        if (buf[..n].IndexOf('.') >= 0)
        {
            while (buf[n - 1] == '0') n--;
            if (buf[n - 1] == '.') n--;
        }
        w.Write(buf[..n]);
    }

    /// <summary>
    /// The digits of a decimal whose significand fits 64 bits (every amount of a policy: awards are bounded), formatted
    /// as an integer with the point put in: decimal's own formatting costs several times more, and a row has three.
    /// False for a larger significand (then decimal formats it).
    /// </summary>
    private static bool TryPlain(decimal value, Span<char> buf, out int written)
    {
        written = 0;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[2] != 0) return false;
        var significand = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        while (scale > 0 && significand % 10 == 0) { significand /= 10; scale--; }
        Span<char> digits = stackalloc char[20];
        if (!significand.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture)) return false;
        var at = 0;
        if (bits[3] < 0) buf[at++] = '-';
        if (scale == 0)
        {
            digits[..n].CopyTo(buf[at..]);
            written = at + n;
            return true;
        }
        if (n > scale)
        {
            digits[..(n - scale)].CopyTo(buf[at..]);
            at += n - scale;
            buf[at++] = '.';
            digits[(n - scale)..n].CopyTo(buf[at..]);
            written = at + scale;
            return true;
        }
        buf[at++] = '0';
        buf[at++] = '.';
        for (var z = 0; z < scale - n; z++) buf[at++] = '0';
        digits[..n].CopyTo(buf[at..]);
        written = at + n;
        return true;
    }

    /// <summary>Fmt.Plain of a zero, made once per sign and scale (a third of the amounts written are zeros).</summary>
    private static string Zero(decimal zero)
    {
        var key = (decimal.IsNegative(zero) ? 29 : 0) + zero.Scale;
        return Zeros[key] ??= Fmt.Plain(zero);
    }

    private static readonly string?[] Zeros = new string?[58];

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

    public void Rejected(TextWriter w, RejectedRow row) =>
        Line(w, Fmt.Plain(row.Row), row.Id, row.Enterprise, row.Rule, null, "rejected", null, null, null, null, null, row.Reason, null);

    public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected) => output.Flush();
}
