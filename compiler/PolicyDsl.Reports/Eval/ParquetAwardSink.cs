using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using PolicyDsl.Diagnostics;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Results as Parquet (docs/semantics.md §25.6), for engines such as DuckDB or Spark: two files.
///
/// PATH holds one row per application row, evaluated or rejected, with the CSV output's columns typed:
/// row INT64, id, enterprise, rule STRING, date DATE, year INT32 (the policy's year of the date, §30.1: what
/// the totals are grouped by), status STRING (evaluated or rejected), amount, paid DECIMAL(38,18), bound_by
/// STRING, money_ceiling DECIMAL(38,18), payers, reason, trace STRING. Strings are the values themselves (no
/// spreadsheet formula guard: that belongs to CSV).
///
/// PATH.totals.parquet (out.parquet → out.totals.parquet) holds the CSV's "total" lines: enterprise STRING,
/// year INT32 (null: all years), paid DECIMAL(38,18); so <c>sum(paid)</c> over the rows file counts every award once.
///
/// DECIMAL(38,18) is Spark's default decimal: 20 integer digits and 18 places. No fixed DECIMAL holds every
/// System.Decimal (29 digits at up to 28 places would need precision 57; Parquet stops at 38), and an amount is
/// never rounded on the way out: one that does not fit stops the run with PDSL0627 (round it in the policy, or
/// use --format csv). Rows are buffered <see cref="RowGroupRows"/> at a time and written as a row group, so
/// memory stays bounded whatever the number of rows.
///
/// The parts of the output (rendered concurrently by <see cref="StreamingEvaluator"/> and perhaps spilled to
/// disk as text) carry the cells in a private length-prefixed text form that <see cref="Write"/> decodes.
/// </summary>
public sealed class ParquetAwardSink : IAwardSink, IDisposable
{
    public const int Precision = 38, Scale = 18;

    /// <summary>The rows of a row group (DuckDB writes 122,880; a smaller group keeps the column buffers small).</summary>
    public const int DefaultRowGroupRows = 65_536;

    private static readonly decimal Limit = 100_000_000_000_000_000_000m; // 10^20: 20 integer digits

    private static readonly DataField<long> RowField = new("row");
    private static readonly DataField<string> IdField = new("id", true), EnterpriseField = new("enterprise", true), RuleField = new("rule", true);
    private static readonly DataField<DateOnly?> DateField = new("date");
    private static readonly DataField<int?> YearField = new("year");
    private static readonly DataField<string> StatusField = new("status", false);
    private static readonly DecimalDataField AmountField = Money("amount"), PaidField = Money("paid"), CeilingField = Money("money_ceiling");
    private static readonly DataField<string> BoundByField = new("bound_by", true), PayersField = new("payers", true), ReasonField = new("reason", true), TraceField = new("trace", true);

    private static readonly DataField<string> TotalEnterpriseField = new("enterprise", false);
    private static readonly DataField<int?> TotalYearField = new("year");
    private static readonly DecimalDataField TotalPaidField = new("paid", Precision, Scale, forceByteArrayEncoding: true, isNullable: false);

    public static readonly ParquetSchema RowsSchema = new(RowField, IdField, EnterpriseField, RuleField, DateField, YearField, StatusField,
        AmountField, PaidField, BoundByField, CeilingField, PayersField, ReasonField, TraceField);

    public static readonly ParquetSchema TotalsSchema = new(TotalEnterpriseField, TotalYearField, TotalPaidField);

    private static DecimalDataField Money(string name) => new(name, Precision, Scale, forceByteArrayEncoding: true, isNullable: true);

    private readonly CheckedPolicy _policy;
    private readonly bool _trace;
    private readonly string _path, _totalsPath;
    private readonly int _groupRows;
    private FileStream? _rowsFile, _totalsFile;
    private ParquetWriter? _rows, _totals;
    private bool _done, _created;

    private readonly List<long> _row = new();
    private readonly List<string?> _id = new(), _enterprise = new(), _rule = new(), _status = new(), _boundBy = new(), _payers = new(), _reason = new(), _traceText = new();
    private readonly List<DateOnly?> _date = new();
    private readonly List<int?> _year = new();
    private readonly List<decimal?> _amount = new(), _paid = new(), _ceiling = new();
    private readonly List<string> _tEnterprise = new();
    private readonly List<int?> _tYear = new();
    private readonly List<decimal> _tPaid = new();

    public ParquetAwardSink(CheckedPolicy policy, string path, bool trace = false, int rowGroupRows = DefaultRowGroupRows)
    {
        _policy = policy;
        _path = path;
        _totalsPath = TotalsPath(path);
        _trace = trace;
        _groupRows = Math.Max(1, rowGroupRows);
    }

    /// <summary>
    /// Dates as DateOnly; Parquet.Net's buffer pools (RecyclableMemoryStream) keep at most 16 MB of free buffers each
    /// (unset, they keep every buffer ever used: memory would grow with the largest row group seen).
    /// </summary>
    internal static ParquetOptions Options(bool treatByteArrayAsString = false) => new()
    {
        UseDateOnlyTypeForDates = true,
        TreatByteArrayAsString = treatByteArrayAsString,
        MaximumSmallPoolFreeBytes = 16 << 20,
        MaximumLargePoolFreeBytes = 16 << 20,
    };

    /// <summary>Where the totals go: out.parquet → out.totals.parquet.</summary>
    public static string TotalsPath(string path) =>
        (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? path[..^".parquet".Length] : path) + ".totals.parquet";

    public string? Separator => null;

    public bool NeedsTotals => false;

    public bool NeedsRejected => false;

    public void Begin()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        _rowsFile = new FileStream(_path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _totalsFile = new FileStream(_totalsPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _created = true;
        var options = Options();
        _rows = ParquetWriter.CreateAsync(RowsSchema, _rowsFile, options).GetAwaiter().GetResult();
        _totals = ParquetWriter.CreateAsync(TotalsSchema, _totalsFile, options).GetAwaiter().GetResult();
    }

    // ---------- rendering (concurrent): the cells of a part as length-prefixed text ----------

    private static void Cell(TextWriter w, string? value)
    {
        if (value is null) { w.Write('~'); return; }
        w.Write(value.Length.ToString(CultureInfo.InvariantCulture));
        w.Write(':');
        w.Write(value);
    }

    private static string? Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    public void Enterprise(TextWriter w, EnterpriseBlock block)
    {
        foreach (var row in block.Rows)
        {
            if (row is RejectedRow rejected) { Rejected(w, rejected); continue; }
            var r = ((EvaluatedRow)row).Result;
            var a = r.Application;
            w.Write('E');
            Cell(w, row.Row.ToString(CultureInfo.InvariantCulture));
            Cell(w, a.Id);
            Cell(w, a.Enterprise);
            Cell(w, a.Rule);
            Cell(w, a.Date.DayNumber.ToString(CultureInfo.InvariantCulture));
            Cell(w, _policy.YearStart.YearOf(a.Date).ToString(CultureInfo.InvariantCulture));
            Cell(w, Number(r.Award.Amount));
            Cell(w, Number(r.Paid));
            Cell(w, r.BoundBy);
            Cell(w, Number(r.Award.MoneyCeiling));
            string? payers = null;
            if (r.Payers.Count > 0)
            {
                var sb = new StringBuilder();
                for (var i = 0; i < r.Payers.Count; i++)
                {
                    if (i > 0) sb.Append(';');
                    sb.Append(r.Payers[i].Payer).Append('=').Append(Fmt.Plain(r.Payers[i].Amount));
                }
                payers = sb.ToString();
            }
            Cell(w, payers);
            Cell(w, r.Reason);
            Cell(w, _trace ? string.Join(" | ", r.Award.Trace.Concat(r.Trace).Select(t => t.Description + ": " + t.Value)) : null);
        }
        var totals = block.Totals;
        foreach (var (year, paid) in totals.Years)
        {
            w.Write('T');
            Cell(w, totals.Enterprise);
            Cell(w, year.ToString(CultureInfo.InvariantCulture));
            Cell(w, Number(paid));
        }
        w.Write('T');
        Cell(w, totals.Enterprise);
        Cell(w, null);
        Cell(w, Number(totals.Total));
    }

    public void Rejected(TextWriter w, RejectedRow row)
    {
        w.Write('R');
        Cell(w, row.Row.ToString(CultureInfo.InvariantCulture));
        Cell(w, row.Id);
        Cell(w, row.Enterprise);
        Cell(w, row.Rule);
        Cell(w, row.Reason);
    }

    // ---------- writing (one thread, in order) ----------

    public void Write(string part)
    {
        var p = 0;
        while (p < part.Length)
        {
            var kind = part[p++];
            switch (kind)
            {
                case 'E':
                {
                    var row = long.Parse(Next(part, ref p)!, CultureInfo.InvariantCulture);
                    _row.Add(row);
                    _id.Add(Next(part, ref p));
                    _enterprise.Add(Next(part, ref p));
                    _rule.Add(Next(part, ref p));
                    _date.Add(DateOnly.FromDayNumber(int.Parse(Next(part, ref p)!, CultureInfo.InvariantCulture)));
                    _year.Add(int.Parse(Next(part, ref p)!, CultureInfo.InvariantCulture));
                    _status.Add("evaluated");
                    _amount.Add(Money(Next(part, ref p), "amount", row));
                    _paid.Add(Money(Next(part, ref p), "paid", row));
                    _boundBy.Add(Next(part, ref p));
                    _ceiling.Add(Money(Next(part, ref p), "money_ceiling", row));
                    _payers.Add(Next(part, ref p));
                    _reason.Add(Next(part, ref p));
                    _traceText.Add(Next(part, ref p));
                    break;
                }
                case 'R':
                    _row.Add(long.Parse(Next(part, ref p)!, CultureInfo.InvariantCulture));
                    _id.Add(Next(part, ref p));
                    _enterprise.Add(Next(part, ref p));
                    _rule.Add(Next(part, ref p));
                    _date.Add(null);
                    _year.Add(null);
                    _status.Add("rejected");
                    _amount.Add(null);
                    _paid.Add(null);
                    _boundBy.Add(null);
                    _ceiling.Add(null);
                    _payers.Add(null);
                    _reason.Add(Next(part, ref p));
                    _traceText.Add(null);
                    break;
                case 'T':
                    var enterprise = Next(part, ref p)!;
                    _tEnterprise.Add(enterprise);
                    var year = Next(part, ref p);
                    _tYear.Add(year is null ? null : int.Parse(year, CultureInfo.InvariantCulture));
                    _tPaid.Add(Money(Next(part, ref p), "paid (totals of enterprise " + enterprise + ")", -1)!.Value);
                    if (_tEnterprise.Count >= _groupRows) FlushTotals();
                    break;
                default:
                    throw new InvalidOperationException($"ParquetAwardSink: part of unknown kind '{kind}'");
            }
            if (_row.Count >= _groupRows) FlushRows();
        }
    }

    private static string? Next(string part, ref int p)
    {
        if (part[p] == '~') { p++; return null; }
        var colon = part.IndexOf(':', p);
        var length = int.Parse(part.AsSpan(p, colon - p), CultureInfo.InvariantCulture);
        var value = part.Substring(colon + 1, length);
        p = colon + 1 + length;
        return value;
    }

    /// <summary>The amount as DECIMAL(38,18), exactly, or PDSL0627.</summary>
    private decimal? Money(string? text, string column, long row)
    {
        if (text is null) return null;
        var value = Fmt.Normalize(decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture));
        if (value.Scale > Scale || Math.Abs(value) >= Limit)
        {
            throw new ParquetApplicationException(DiagnosticCatalog.ParquetDecimalOverflow, column, Fmt.Plain(value),
                row >= 0 ? " of row " + row.ToString(CultureInfo.InvariantCulture) : "",
                $"an amount of at most 20 digits before the point and {Scale} after", "add a 'round' line to the rule, or write --format csv or json, which keep every digit");
        }
        return value;
    }

    private void FlushRows()
    {
        if (_row.Count == 0) return;
        using (var g = _rows!.CreateRowGroup())
        {
            Wait(g.WriteAsync(RowField, (ReadOnlyMemory<long>)_row.ToArray()));
            Wait(g.WriteAsync(IdField, _id!));
            Wait(g.WriteAsync(EnterpriseField, _enterprise!));
            Wait(g.WriteAsync(RuleField, _rule!));
            Wait(g.WriteAsync(DateField, (ReadOnlyMemory<DateOnly?>)_date.ToArray()));
            Wait(g.WriteAsync(YearField, (ReadOnlyMemory<int?>)_year.ToArray()));
            Wait(g.WriteAsync(StatusField, _status!));
            Wait(g.WriteAsync(AmountField, (ReadOnlyMemory<decimal?>)_amount.ToArray()));
            Wait(g.WriteAsync(PaidField, (ReadOnlyMemory<decimal?>)_paid.ToArray()));
            Wait(g.WriteAsync(BoundByField, _boundBy!));
            Wait(g.WriteAsync(CeilingField, (ReadOnlyMemory<decimal?>)_ceiling.ToArray()));
            Wait(g.WriteAsync(PayersField, _payers!));
            Wait(g.WriteAsync(ReasonField, _reason!));
            Wait(g.WriteAsync(TraceField, _traceText!));
        }
        _row.Clear(); _id.Clear(); _enterprise.Clear(); _rule.Clear(); _date.Clear(); _year.Clear(); _status.Clear();
        _amount.Clear(); _paid.Clear(); _boundBy.Clear(); _ceiling.Clear(); _payers.Clear(); _reason.Clear(); _traceText.Clear();
    }

    private void FlushTotals()
    {
        if (_tEnterprise.Count == 0) return;
        using (var g = _totals!.CreateRowGroup())
        {
            Wait(g.WriteAsync(TotalEnterpriseField, _tEnterprise));
            Wait(g.WriteAsync(TotalYearField, (ReadOnlyMemory<int?>)_tYear.ToArray()));
            Wait(g.WriteAsync(TotalPaidField, (ReadOnlyMemory<decimal>)_tPaid.ToArray()));
        }
        _tEnterprise.Clear(); _tYear.Clear(); _tPaid.Clear();
    }

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    private static void Wait(ValueTask task) => task.GetAwaiter().GetResult();

    public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected)
    {
        FlushRows();
        FlushTotals();
        Close();
        _done = true;
    }

    private void Close()
    {
        if (_rows is not null) { Wait(_rows.DisposeAsync()); _rows = null; }
        if (_totals is not null) { Wait(_totals.DisposeAsync()); _totals = null; }
        _rowsFile?.Dispose();
        _totalsFile?.Dispose();
        _rowsFile = _totalsFile = null;
    }

    /// <summary>Closes the files; when the run did not reach its end (or failed), deletes them: half a Parquet file has no footer and no reader takes it.</summary>
    public void Dispose()
    {
        var complete = _done && _rows is null;
        try { Close(); } catch (IOException) { complete = false; } catch (InvalidOperationException) { complete = false; }
        if (complete || !_created) return;
        foreach (var p in new[] { _path, _totalsPath })
            try { if (File.Exists(p)) File.Delete(p); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
