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
        if (IsPlainCell(cell)) { w.Write(cell); return; }
        w.Write('"');
        if (IsFormula(cell)) w.Write('\'');
        w.Write(cell.Replace("\"", "\"\"", StringComparison.Ordinal));
        w.Write('"');
    }

    /// <summary>Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with = + - @, tab or CR as a
    /// formula. Such a cell (text from the policy or the applications) gets a leading ' and is quoted; a plain number (-1.5)
    /// is not a formula and stays as it is.</summary>
    private static bool IsFormula(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(cell);

    /// <summary>True when the cell is written as it is (<see cref="Quote"/>): not a formula, and no comma, quote or line break.</summary>
    private static bool IsPlainCell(string cell) => !IsFormula(cell) && cell.AsSpan().IndexOfAny(",\"\n\r") < 0;

    public bool TakesSettledRows => true;

    public void Enterprise(TextWriter w, EnterpriseBlock block)
    {
        // Into policyc eval's UTF-8 part buffer the cells go by direct calls, the texts that repeat from row to row (an
        // enterprise, a rule, a cap, a payer, a reason) as bytes encoded once (CellCache); into any other writer, as text.
        // Both write the same characters: one row layout (below) over two ICells.
        if (w is Utf8TextWriter u) Enterprise(new Utf8Cells(u, CellCache.Current), w, block);
        else Enterprise(new TextCells(w), w, block);
    }

    private void Enterprise<TCells>(TCells c, TextWriter w, EnterpriseBlock block) where TCells : ICells
    {
        // Cells written straight into the writer (numbers and dates formatted as ASCII where they go): the same bytes as
        // Line(...) over Fmt's strings, without a string per cell (numbers and dates never need quoting).
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
                    Evaluated(c, row.Row, settled.Id, settled.Enterprise, settled.Rule, settled.Date, r.Award.Amount, r.Paid, r.BoundBy, r.Award.MoneyCeiling, new RuntimePayers(r.Payers), r.Reason, null);
                    break;
                }
                default:
                {
                    var r = ((EvaluatedRow)row).Result;
                    Evaluated(c, row.Row, r.Application.Id, r.Application.Enterprise, r.Application.Rule, r.Application.Date, r.Award.Amount, r.Paid, r.BoundBy, r.Award.MoneyCeiling, new ModelPayers(r.Payers), r.Reason,
                        trace ? string.Join(" | ", r.Award.Trace.Concat(r.Trace).Select(t => t.Description + ": " + t.Value)) : null);
                    break;
                }
            }
        }
        // The totals lines: ",,ENTERPRISE,,YEAR,total,,PAID,,,,,", the cells Line(...) would write (numbers never need quoting).
        var totals = block.Totals;
        foreach (var (year, paid) in totals.Years)
        {
            c.Raw(",,"); c.Cell(totals.Enterprise); c.Raw(",,");
            Long(c, year);
            c.Raw(",total,,"); Plain(c, paid); c.Raw(",,,,,\n");
        }
        c.Raw(",,"); c.Cell(totals.Enterprise); c.Raw(",,all,total,,"); Plain(c, totals.Total); c.Raw(",,,,,\n");
    }

    /// <summary>One evaluated row's line, whichever engine's result it comes from.</summary>
    private void Evaluated<TCells, TPayers>(TCells c, long row, string id, string enterprise, string rule, DateOnly date, decimal amount, decimal paid, string? boundBy, decimal? moneyCeiling,
        TPayers payers, string? reason, string? traceText) where TCells : ICells where TPayers : IPayers
    {
        Long(c, row); c.Char(',');
        c.Once(id); c.Char(',');
        c.Cell(enterprise); c.Char(',');
        c.Cell(rule); c.Char(',');
        Date(c, date);
        c.Raw(",evaluated,");
        // An award is mostly paid whole, by one payer: the amount's text is made once and written for each of them.
        Span<byte> amountText = stackalloc byte[PolicyDsl.Runtime.Award.MostNumberChars];
        if (!PolicyDsl.Runtime.Award.TryFormatNumber(amount, amountText, out var amountLength)) amountLength = 0;
        var known = amountText[..amountLength];
        Plain(c, amount, amount, known); c.Char(',');
        Plain(c, paid, amount, known); c.Char(',');
        c.Cell(boundBy); c.Char(',');
        if (moneyCeiling is { } m) Plain(c, m);
        c.Char(',');
        if (payers.Count > 0 && PayersPlain(payers))
        {
            // No payer name needs quoting, nor starts the cell with a formula character: name=amount straight in.
            for (var i = 0; i < payers.Count; i++)
            {
                if (i > 0) c.Char(';');
                c.Name(payers.Payer(i));
                c.Char('=');
                Plain(c, payers.Amount(i), amount, known);
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
            c.Once(sb.ToString());
        }
        c.Char(',');
        c.Cell(reason); c.Char(',');
        if (trace) c.Once(traceText ?? "");
        c.Char('\n');
    }

    /// <summary>Where a row's cells go. Raw and Name write text as it is, Cell and Once as <see cref="Quote"/> does (Name and
    /// Cell for texts that repeat from row to row, Once for those that do not, such as an id); a number or a date is
    /// formatted as ASCII into <see cref="Ascii"/>'s room, then <see cref="Took"/> writes that many bytes of it.</summary>
    private interface ICells
    {
        void Char(char c);
        Span<byte> Ascii(int most);
        void Took(int count);
        void Raw(string text);
        void Name(string text);
        void Cell(string? text);
        void Once(string? text);
    }

    private readonly struct TextCells(TextWriter w) : ICells
    {
        private readonly byte[] _ascii = new byte[64];
        public void Char(char c) => w.Write(c);
        public Span<byte> Ascii(int most) => _ascii;

        public void Took(int count)
        {
            Span<char> chars = stackalloc char[count];
            for (var i = 0; i < count; i++) chars[i] = (char)_ascii[i];
            w.Write(chars);
        }

        public void Raw(string text) => w.Write(text);
        public void Name(string text) => w.Write(text);
        public void Cell(string? text) => Quote(w, text);
        public void Once(string? text) => Quote(w, text);
    }

    /// <summary>Cells into the UTF-8 buffer, by direct calls (the writer is sealed).</summary>
    private readonly struct Utf8Cells(Utf8TextWriter u, CellCache cache) : ICells
    {
        public void Char(char c) => u.Write(c);
        public Span<byte> Ascii(int most) => u.GetSpan(most);
        public void Took(int count) => u.Advance(count);
        public void Raw(string text) => u.Write(text.AsSpan());
        public void Name(string text) => u.WriteUtf8(cache.Of(text).Utf8);

        public void Cell(string? text)
        {
            if (text is null) return;
            var (utf8, plain) = cache.Of(text);
            if (plain) u.WriteUtf8(utf8);
            else Quote(u, text);
        }

        public void Once(string? text)
        {
            if (text is null) return;
            if (IsPlainCell(text)) u.Write(text.AsSpan());
            else Quote(u, text);
        }
    }

    /// <summary>
    /// The UTF-8 bytes of texts a thread writes again and again, and whether each is a plain cell: most cells of a row are
    /// one of a few strings (its enterprise, rule, cap, payer, reason), the same object from row to row. Looked up by
    /// reference in a small table, one text per slot (a new text replaces the one in its slot): no hashing of the text, and
    /// a text seen once costs one encoding, as writing it would.
    /// </summary>
    private sealed class CellCache
    {
        private const int Size = 256;
        private readonly string?[] _texts = new string?[Size];
        private readonly (byte[] Utf8, bool Plain)[] _cells = new (byte[], bool)[Size];

        [ThreadStatic] private static CellCache? _current;

        public static CellCache Current => _current ??= new CellCache();

        public (byte[] Utf8, bool Plain) Of(string text)
        {
            var slot = System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(text) & (Size - 1);
            if (ReferenceEquals(_texts[slot], text)) return _cells[slot];
            var cell = (Encoding.UTF8.GetBytes(text), IsPlainCell(text));
            _texts[slot] = text;
            _cells[slot] = cell;
            return cell;
        }
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

    public static void Long(TextWriter w, long value)
    {
        if (w is Utf8TextWriter u) Long(new Utf8Cells(u, CellCache.Current), value);
        else Long(new TextCells(w), value);
    }

    private static void Long<TCells>(TCells c, long value) where TCells : ICells
    {
        if (value >= 0 && value.TryFormat(c.Ascii(20), out var n, default, CultureInfo.InvariantCulture)) c.Took(n);
        else c.Raw(Fmt.Plain(value));
    }

    /// <summary>Fmt.Date's text (<see cref="Fmt.DateDigits{T}"/>), formatted where it goes.</summary>
    public static void Date(TextWriter w, DateOnly date)
    {
        if (w is Utf8TextWriter u) Date(new Utf8Cells(u, CellCache.Current), date);
        else Date(new TextCells(w), date);
    }

    private static void Date<TCells>(TCells c, DateOnly date) where TCells : ICells
    {
        Fmt.DateDigits(date, c.Ascii(10));
        c.Took(10);
    }

    /// <summary>Fmt.Plain's text (no trailing zeros, no grouping), formatted where it goes by the runtime's
    /// <see cref="PolicyDsl.Runtime.Award.TryFormatNumber{T}"/> (the same text, without the custom format).</summary>
    public static void Plain(TextWriter w, decimal value)
    {
        if (w is Utf8TextWriter u) Plain(new Utf8Cells(u, CellCache.Current), value);
        else Plain(new TextCells(w), value);
    }

    /// <summary><paramref name="value"/> as <see cref="Plain{TCells}(TCells, decimal)"/> writes it, copied from
    /// <paramref name="knownText"/> when it equals <paramref name="known"/> (equal numbers have one text: no trailing zeros,
    /// a zero of any sign "0"); an empty text is not known.</summary>
    private static void Plain<TCells>(TCells c, decimal value, decimal known, ReadOnlySpan<byte> knownText) where TCells : ICells
    {
        if (knownText.IsEmpty || value != known) Plain(c, value);
        else
        {
            knownText.CopyTo(c.Ascii(PolicyDsl.Runtime.Award.MostNumberChars));
            c.Took(knownText.Length);
        }
    }

    private static void Plain<TCells>(TCells c, decimal value) where TCells : ICells
    {
        if (PolicyDsl.Runtime.Award.TryFormatNumber(value, c.Ascii(PolicyDsl.Runtime.Award.MostNumberChars), out var written)) c.Took(written);
        else c.Raw(Fmt.Plain(value));
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

    public void Rejected(TextWriter w, RejectedRow row) =>
        Line(w, Fmt.Plain(row.Row), row.Id, row.Enterprise, row.Rule, null, "rejected", null, null, null, null, null, row.Reason, null);

    public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected) => output.Flush();
}
