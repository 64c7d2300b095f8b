using System.Collections.Concurrent;
using System.Globalization;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>A row of the results: evaluated, or rejected with the reason.</summary>
public abstract record RowResult(long Row, string RowLabel)
{
    /// <summary>How a person finds the row ("line 12"); a row may make it only when it is asked for (<see cref="SettledRow"/>).</summary>
    public virtual string RowLabel { get; init; } = RowLabel;
}

/// <summary>An application evaluated by the reference evaluator, with the row it came from.</summary>
public sealed record EvaluatedRow(long Row, string RowLabel, ApplicationResult Result) : RowResult(Row, RowLabel);

/// <summary>An application evaluated by the compiled rules, with the runtime's result as it is (for a sink that renders it
/// itself, <see cref="IAwardSink.TakesSettledRows"/>: the same cells as the <see cref="EvaluatedRow"/> the model would hold).</summary>
public sealed record SettledRow(long Row, string RowLabel, string Id, string Enterprise, string Rule, DateOnly Date, PolicyDsl.Runtime.ApplicationResult Result)
    : RowResult(Row, RowLabel)
{
    /// <summary>The row of <paramref name="source"/>'s result, its label the source's, asked for only when something reads it
    /// (a CSV row makes its label lazily, and the CSV sink writes none).</summary>
    internal SettledRow(InputRow source, string id, string enterprise, string rule, DateOnly date, PolicyDsl.Runtime.ApplicationResult result)
        : this(source.Row, null!, id, enterprise, rule, date, result) => _source = source;

    private readonly InputRow? _source;

    // The source keeps the label it made (one field: no copy here).
    public override string RowLabel
    {
        get => base.RowLabel ?? _source!.RowLabel;
        init => base.RowLabel = value;
    }

    // Equal over what a reader sees: a row whose label is made when asked equals one given the same label (the
    // generated equality would compare how the label is kept).
    public bool Equals(SettledRow? other) =>
        other is not null && Row == other.Row && RowLabel == other.RowLabel && Id == other.Id && Enterprise == other.Enterprise && Rule == other.Rule
        && Date == other.Date && Equals(Result, other.Result);

    public override int GetHashCode() => HashCode.Combine(Row, RowLabel, Id, Enterprise, Rule, Date, Result);
}

/// <summary>A row that was not evaluated, and why (unreadable, unknown rule, outside validity, missing or ill-typed facts).</summary>
public sealed record RejectedRow(long Row, string RowLabel, string? Id, string? Enterprise, string? Rule, string Reason) : RowResult(Row, RowLabel);

public sealed record YearPaid(int Year, decimal Paid);

/// <summary>What one enterprise was paid, per calendar year of the applications and in all.</summary>
public sealed record EnterpriseTotals(string Enterprise, IReadOnlyList<YearPaid> Years, decimal Total);

/// <summary>One enterprise's rows in input order (evaluated and rejected) and its totals.</summary>
public sealed record EnterpriseBlock(string Enterprise, IReadOnlyList<RowResult> Rows, EnterpriseTotals Totals);

/// <summary>Malformed: why the file stopped being readable (its rows before that are in the results).</summary>
public sealed record EvalSummary(long Rows, long Evaluated, long Rejected, long Enterprises, decimal Paid, string? Malformed = null);

/// <summary>
/// Where results go. Enterprise and Rejected render one part of the output into the writer they are given and
/// are called concurrently (they must not change the sink); Begin, Write and End run on one thread, in order.
/// </summary>
public interface IAwardSink
{
    /// <summary>Written between two parts (JSON: a comma).</summary>
    string? Separator { get; }

    /// <summary>End is given the totals of every enterprise (else an empty sequence).</summary>
    bool NeedsTotals { get; }

    /// <summary>End is given every rejected row (else an empty sequence).</summary>
    bool NeedsRejected { get; }

    /// <summary>True when rows evaluated by compiled rules may come as <see cref="SettledRow"/> (the runtime's results, not
    /// converted to the model's); else every evaluated row is an <see cref="EvaluatedRow"/>.</summary>
    bool TakesSettledRows => false;

    void Begin();

    void Enterprise(TextWriter part, EnterpriseBlock block);

    /// <summary>A row that belongs to no enterprise (it could not be read that far).</summary>
    void Rejected(TextWriter part, RejectedRow row);

    void Write(string part);

    /// <summary>One rendered part, as the UTF-8 text its writer made of it (<see cref="Utf8TextWriter"/>): a sink over a
    /// <see cref="Utf8TextWriter"/> copies the bytes; this default decodes them for <see cref="Write(string)"/>.</summary>
    void WritePart(ReadOnlySpan<byte> utf8) => Write(System.Text.Encoding.UTF8.GetString(utf8));

    void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected);
}

/// <summary>How <see cref="StreamingEvaluator"/> runs: rows kept in memory before it spills to disk, the cores it uses, the per-enterprise limit.</summary>
public sealed record EvalOptions
{
    /// <summary>The most rows kept in memory for grouping (beyond it, or beyond <see cref="MemoryBytes"/>, rows are spilled).</summary>
    public int MemoryRows { get; init; } = int.MaxValue;

    /// <summary>The memory rows kept for grouping may take, estimated: a CSV record not parsed yet takes its UTF-8 text and
    /// <see cref="EntryBytes"/>, a row kept as its compiled cells (<see cref="Codec.EncodeBound"/>) those bytes and
    /// <see cref="EntryBytes"/>, a parsed row <see cref="ParsedRowBytes"/>. Small on purpose: beyond it rows are spilled to
    /// partitions of a thirty-second of it, evaluated one by one, and rows that die young cost the collector little (1M
    /// shuffled Tongzhou rows, paired: 16 MB 117 MB RSS and the least CPU; 256 MB, all in memory, 515 MB RSS and GC pauses
    /// of 2.5 s; docs/benchmarks.md).</summary>
    public long MemoryBytes { get; init; } = 16L << 20;

    /// <summary>What a row held for grouping takes besides its text (its entry and its share of the lists).</summary>
    public const int EntryBytes = 64;

    /// <summary>What a parsed row held for grouping takes, roughly (its application, facts and strings).</summary>
    public const int ParsedRowBytes = 1024;

    public int MaxApplicationsPerEnterprise { get; init; } = 100_000;

    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public string? SpillDirectory { get; init; }

    /// <summary>The policy's rules compiled (<see cref="CompiledRules"/>); null: every enterprise is evaluated by the interpreter.
    /// Compiled rules give no traces: a sink that writes them needs the interpreter.</summary>
    public CompiledRules? Compiled { get; init; }
}

/// <summary>
/// Evaluates a stream of applications, in any order, in bounded memory and on every core. The reference
/// <see cref="PolicyEvaluator"/> works per enterprise (date order, highest-only, running totals under scoped
/// caps are all per enterprise), so the rows are grouped by enterprise: in memory up to
/// <see cref="EvalOptions.MemoryRows"/> rows, beyond that spilled to partition files on disk, a partition a
/// run of enterprises in the order they are first seen (so the partitions' outputs one after the other are the output),
/// each partition then grouped alone. Enterprises are independent, so they are evaluated and
/// rendered in parallel. The output is deterministic whatever the number of cores: enterprises in the order
/// of their first row, each enterprise's rows in input order followed by its totals; a row that names no
/// enterprise at its place. An enterprise's applications are evaluated in date order, same-date ones by
/// application id (ordinal) then row, so the awards do not depend on the order of the file. Rows the
/// reference would refuse (unknown rule, outside the validity window, missing or ill-typed facts) are
/// rejected with their row; excluding them changes nothing for the others, since the reference pays them 0
/// and keeps them out of running totals and highest-only. An enterprise with more than
/// <see cref="EvalOptions.MaxApplicationsPerEnterprise"/> applications has the later ones rejected (the
/// limit bounds the memory of one evaluation).
/// </summary>
public sealed partial class StreamingEvaluator
{
    private readonly CheckedPolicy _policy;
    private readonly RuleIndex _rules;
    private readonly IAwardSink _sink;
    private readonly EvalOptions _options;

    public StreamingEvaluator(CheckedPolicy policy, IAwardSink sink, EvalOptions? options = null)
    {
        _policy = policy;
        _rules = new RuleIndex(policy);
        _sink = sink;
        _options = options ?? new EvalOptions();
    }

    /// <summary>A stored row: its place in the input, its enterprise (null when unknown) and the row; or, for a CSV record
    /// not parsed yet (<see cref="PendingRow"/>), its line in <see cref="Line"/> and its text (<see cref="Resolve"/> parses it).
    /// <see cref="Encoded"/>: <see cref="Text"/> is the bound row's spilled form (<see cref="Codec.EncodeBound"/>), made where it
    /// was parsed, or, with no <see cref="Input"/>, read back from a partition (<see cref="Resolve"/> decodes it).
    /// <see cref="Number"/>: while the input is read, its enterprise's number in the order first seen (<see cref="EnterpriseNumbers"/>; -1: none).</summary>
    internal readonly record struct Entry(long Seq, string? Enterprise, InputRow? Input, RejectedRow? Rejected, RecordText Text = default, long Line = 0,
        bool Encoded = false, int Number = -1)
    {
        public bool Pending => Text.Block is not null && !Encoded;
    }

    /// <summary>The parser of the file's pending records (set by <see cref="Classify"/> before any is resolved).</summary>
    private CsvApplicationReader.PendingParser? _parser;

    /// <summary>The input's enterprises, numbered by the reading thread (<see cref="Collect"/>; the CSV reader numbers its plain lines' as it splits them).</summary>
    private EnterpriseNumbers? _numbers;

    /// <summary>One rendered part of the output (the first <see cref="Length"/> bytes of <see cref="Utf8"/>, an array of the
    /// shared pool that <see cref="Output.Add"/> gives back once written) and what it adds to the summary.</summary>
    internal sealed record Rendered(long Seq, byte[] Utf8, int Length, EnterpriseTotals? Totals, IReadOnlyList<RejectedRow> Rejected, long Evaluated, decimal Paid);

    /// <summary>Reads a whole input and evaluates it; the format is "json", "csv" or "parquet" (§25.6).</summary>
    /// <paramref name="contiguous"/>: <see cref="CsvApplicationReader.EnterprisesContiguous"/> of the input, when the caller
    /// has asked it already (from the input's current position), else it is asked here.
    public static EvalSummary Run(CheckedPolicy policy, Stream input, string format, IAwardSink sink, Action<long>? progress = null, EvalOptions? options = null,
        bool? contiguous = null)
    {
        var evaluator = new StreamingEvaluator(policy, sink, options);
        // A CSV file whose enterprises' rows are contiguous (sorted exports) streams: each enterprise is evaluated as soon
        // as its rows end, while reading goes on, and nothing is spilled (§25.2).
        var streamed = format == "csv" && (contiguous ?? CsvApplicationReader.EnterprisesContiguous(input));
        if (!streamed) evaluator._numbers = new EnterpriseNumbers();
        IEnumerable<InputRow> rows = format switch
        {
            // On the general path this thread only splits the file into records, and nothing can be evaluated before the last
            // row is read: records are parsed on the other cores, while reading goes on, into the compiled rules' typed facts
            // (kept as their cells) when the sink renders the compiled rules' results as they are, else where their enterprise
            // is evaluated (kept and spilled as their text) (Collect). Streamed, this thread parses while the others evaluate.
            "csv" => ReadCsv(evaluator, input, streamed),
            "parquet" => new ParquetApplicationReader(evaluator._rules).Read(input),
            _ => new JsonApplicationReader(evaluator._rules).Read(input),
        };
        return evaluator.Run(rows, input.CanSeek ? input.Length : -1, () => input.CanSeek ? input.Position : -1, progress, streamed);
    }

    /// <summary>A CSV input's rows, its bytes checked to be UTF-8 as they are decoded (a record that is not is rejected,
    /// <see cref="Utf8Check"/>).</summary>
    private static IEnumerable<InputRow> ReadCsv(StreamingEvaluator evaluator, Stream input, bool streamed)
    {
        var check = new Utf8Check(input);
        return new CsvApplicationReader(evaluator._rules, evaluator.Binds ? evaluator._options.Compiled : null)
            // Blocks of 64 KB: the check costs a call per block (the reader's default of 1 KB made it 8% of a sorted run).
            .Read(new StreamReader(check, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true),
                deferred: !streamed, evaluator._numbers, check);
    }

    /// <summary>True when readers may give rows as the compiled rules' applications (<see cref="BoundRow"/>): the sink
    /// renders the compiled rules' results as they are, so no model application is needed.</summary>
    private bool Binds => _options.Compiled is not null && _sink.TakesSettledRows;

    /// <summary>Evaluates rows in any order. <paramref name="contiguous"/>: the caller knows that each enterprise's rows are
    /// contiguous (then enterprises are evaluated as they end, while rows are read; the output is the same).</summary>
    public EvalSummary Run(IEnumerable<InputRow> rows, long inputLength = -1, Func<long>? position = null, Action<long>? progress = null, bool contiguous = false)
    {
        if (contiguous) return RunContiguous(rows, position, progress);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var (memory, spill, malformed, seq) = Collect(rows, inputLength, position, progress);
        try
        {
            var readMs = sw.ElapsedMilliseconds;
            var readGc = Phases ? $"gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, {spill?.Count ?? 0} partitions" : null;
            var output = new Output(_sink);
            _sink.Begin();
            // Spilled, each partition alone (its rows fit in memory), in order: a partition holds the enterprises first seen
            // after those of the one before it, so their parts, written as they come, are the output in order (no merge).
            // This thread reads and groups the next partition while the last is evaluated.
            var work = spill is null ? ChunksOf(memory) : spill.Partitions().SelectMany(ChunksOf);
            string? produced = null;
            using (var pipeline = new Pipeline(this, parts => { foreach (var part in parts) output.Add(part); }))
            {
                pipeline.Run(work);
                produced = $"this thread reading and grouping {Ms(pipeline.ProducingTicks)} ms, waiting to hand work over {Ms(pipeline.DispatchingTicks)} ms";
            }
            if (Phases)
                Console.Error.WriteLine($"policyc: phases: read+classify {readMs} ms wall (this thread waiting to hand batches over {Ms(_readerWaitTicks)} ms; parse {Ms(_parseTicks)} ms (summed over threads); keeping {Ms(_keeperTicks)} ms (summed over threads); {readGc}); {produced}; evaluate {Ms(_evalTicks)} ms; render {Ms(_renderTicks - _evalTicks)} ms (time inside them, summed over threads: preemption included); whole run {sw.ElapsedMilliseconds} ms wall; {GcText()}");
            var summary = new EvalSummary(seq, output.Evaluated, output.RejectedCount, output.Enterprises, Fmt.Normalize(output.Paid), malformed);
            _sink.End(summary, output.Totals?.ReadAll() ?? [], output.Rejected?.ReadAll() ?? []);
            output.Dispose();
            return summary;
        }
        finally
        {
            spill?.Dispose();
        }
    }

    /// <summary>
    /// Reads every row on this thread while the pool classifies them and keeps them in memory or, beyond
    /// <see cref="EvalOptions.MemoryRows"/>, spills them: on the general path nothing can be evaluated before the last row
    /// is read, so reading and spilling run side by side. Rows go across in batches, in order; the entries are the ones one
    /// thread would make (the spill's partition count, from an estimate of the input's size, does not change the output).
    /// When the rows are bound to the compiled rules (<see cref="Binds"/>), the CSV records the reader only split are parsed
    /// here, batch by batch on the other cores, while reading goes on (this thread only splits the file, so a core would be
    /// idle), and the thread that parsed the next batch to keep keeps it (<see cref="InOrder{T}"/>). A row the compiled rules take is kept (in memory or spilled) as its
    /// compiled application's cells, encoded where it was parsed (<see cref="Codec.EncodeBound"/>: a few bytes in the batch's
    /// array, no object), and made into its application again where its enterprise is evaluated (<see cref="Resolve"/>).
    /// </summary>
    private (List<Entry> Memory, Spill? Spill, string? Malformed, long Rows) Collect(IEnumerable<InputRow> rows, long inputLength, Func<long>? position,
        Action<long>? progress)
    {
        var memory = new List<Entry>();
        long held = 0; // bytes the rows in memory take, estimated (EvalOptions.MemoryBytes)
        Spill? spill = null;
        string? malformed = null;
        long seq = 0;
        var parallelism = Math.Max(1, _options.Parallelism);
        // Parsing here: records are parsed into the compiled rules' applications on the other cores (else, as the model's
        // applications, they are parsed where they are evaluated: their spilled text is cheaper than their spilled model).
        var parseHere = Binds;
        var scheduler = parseHere ? new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, parallelism).ConcurrentScheduler : null;
        // Every row's enterprise is numbered on this thread, in the order first seen (a plain CSV line's by the reader, as it
        // splits it): its partition follows from the number where it is kept.
        var numbers = _numbers ??= new EnterpriseNumbers();
        var enterprises = 0; // enterprises kept so far (numbers below it)
        // The batches are kept or spilled in the order they were read, each by the thread that parsed the next one to keep
        // (InOrder: no keeper thread waits for them), one at a time.
        void Keep(HandedBatch handed)
        {
            var k0 = Phases ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            var (entries, batch, numbered, count, at) = handed;
            var spilled = spill is not null; // every entry of the batch goes to the spill (its bytes are copied there)
            for (var i = 0; i < count; i++)
            {
                var row = batch[i];
                var entry = (entries is not null ? entries[i] : Classify(seq, row)) with { Number = numbered[i] };
                seq++;
                if (entry.Number >= enterprises) enterprises = entry.Number + 1;
                if (row is UnreadableRow { Fatal: true } fatal) malformed = fatal.Reason;
                if (spill is not null) { spill.Add(entry); continue; }
                memory.Add(entry);
                held += entry.Pending || entry.Encoded ? EvalOptions.EntryBytes + entry.Text.Length
                    : EvalOptions.ParsedRowBytes;
                if (memory.Count <= _options.MemoryRows && held <= _options.MemoryBytes) continue;
                // The enterprises in memory are every one seen so far (numbered from 0).
                var read = inputLength > 0 && at > 0 ? Math.Min(1.0, (double)at / inputLength) : 1.0 / 64;
                spill = new Spill(_options.SpillDirectory, EnterprisesPerPartition(memory.Count, enterprises, read));
                foreach (var e in memory) spill.Add(e);
                memory.Clear();
                memory.TrimExcess();
            }
            if (spilled && entries is not null && _batchBytes.Count < 16)
                foreach (var e in entries)
                    if (e.Encoded) { _batchBytes.Enqueue(e.Text.Block!); break; }
            // The batch's arrays, for the next batches (their entries and rows are kept or spilled now).
            if (count == BatchRows && _batchRows.Count < 16)
            {
                Array.Clear(batch);
                _batchRows.Enqueue((batch, numbered));
                if (entries is not null)
                {
                    Array.Clear(entries);
                    _batchEntries.Enqueue(entries);
                }
            }
            if (Phases) _keeperTicks += System.Diagnostics.Stopwatch.GetTimestamp() - k0;
        }
        var kept = new InOrder<HandedBatch>(parseHere ? 2 * parallelism + 2 : 4, Keep);
        try
        {
            const int size = BatchRows;
            var batch = new InputRow[size];
            var batchNumbers = new int[size];
            var n = 0;
            long read = 0;
            void Hand()
            {
                var (rowsOf, numbersOf, count, first, at) = (batch, batchNumbers, n, read - n, position?.Invoke() ?? -1);
                var waited = Phases ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
                var number = kept.Next();
                if (Phases) _readerWaitTicks += System.Diagnostics.Stopwatch.GetTimestamp() - waited;
                Task.Factory.StartNew(() =>
                {
                    HandedBatch handed;
                    try
                    {
                        handed = new HandedBatch(parseHere ? ParseBatch(rowsOf, count, first, encode: true) : null, rowsOf, numbersOf, count, at);
                    }
                    catch (Exception e)
                    {
                        kept.Fail(e);
                        return;
                    }
                    kept.Done(number, handed);
                }, CancellationToken.None, TaskCreationOptions.None, scheduler ?? TaskScheduler.Default);
            }
            foreach (var row in rows)
            {
                batchNumbers[n] = row is PendingRow { Number: >= 0 } p && ReferenceEquals(p.Parser.Numbers, numbers) ? p.Number : numbers.Of(EnterpriseOf(row));
                batch[n++] = row;
                read++;
                if (n == size)
                {
                    Hand();
                    (batch, batchNumbers) = _batchRows.TryDequeue(out var reused) ? reused : (new InputRow[size], new int[size]);
                    n = 0;
                }
                if (progress is not null && (read & 1023) == 0) progress(position?.Invoke() ?? read);
            }
            if (n > 0) Hand();
        }
        catch (OperationCanceledException) when (kept.Failed)
        {
            // Parsing or keeping failed: its exception is the one to report (below).
        }
        catch
        {
            // The input failed (a malformed JSON file): nothing more is kept, the files go, the reader's exception is reported.
            kept.Stop();
            spill?.Dispose();
            throw;
        }
        try
        {
            kept.Complete();
        }
        catch
        {
            spill?.Dispose();
            throw;
        }
        numbers.Clear(); // the rows hold their enterprises' strings
        return (memory, spill, malformed, seq);
    }

    /// <summary>A batch of rows handed over by the reading thread, with their enterprises' numbers, its entries when it was
    /// parsed where it was handed (else null: the rows are classified where they are kept), and where the input was.</summary>
    private sealed record HandedBatch(Entry[]? Entries, InputRow[] Rows, int[] Numbers, int Count, long At);

    /// <summary>The enterprise of a row as <see cref="Classify"/> gives it its entry's.</summary>
    private static string? EnterpriseOf(InputRow row) => row switch
    {
        PendingRow p => p.Enterprise,
        BoundRow b => b.Enterprise,
        UnreadableRow u => u.Enterprise,
        ApplicationRow a => a.Application.Enterprise,
        _ => null,
    };

    /// <summary>A batch of rows parsed (<see cref="PendingRow"/>s) and classified, the first at <paramref name="first"/>; with
    /// <paramref name="encode"/>, each bound row also as its spilled form (<see cref="Codec.EncodeBound"/>, one array for the batch).</summary>
    private Entry[] ParseBatch(InputRow[] batch, int count, long first, bool encode)
    {
        if (!Phases) return ParseBatchOf(batch, count, first, encode);
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        try { return ParseBatchOf(batch, count, first, encode); }
        finally { Interlocked.Add(ref _parseTicks, System.Diagnostics.Stopwatch.GetTimestamp() - t0); }
    }

    private long _parseTicks, _keeperTicks, _readerWaitTicks;

    /// <summary>The arrays of batches' encoded rows once spilled, for the next batches (under the large-object threshold; a
    /// batch of 512 Tongzhou rows takes about 30 KB): 2,000 arrays a 1M-row file would allocate and clear are a few, reused.
    /// They hold no references, so an old one written into costs the collector nothing.</summary>
    private readonly ConcurrentQueue<byte[]> _batchBytes = new();

    /// <summary>The rows handed over in one batch (512: half the hand-overs, so half the threads' waits and wake-ups, of 256).</summary>
    private const int BatchRows = 512;

    /// <summary>Batches' arrays once their rows are kept or spilled, for the next batches (a few, reused, not 4,000 a 1M-row
    /// file would allocate: 32 KB of entries and 6 KB of rows and numbers a batch).</summary>
    private readonly ConcurrentQueue<(InputRow[] Rows, int[] Numbers)> _batchRows = new();

    private readonly ConcurrentQueue<Entry[]> _batchEntries = new();

    private const int BatchBytes = 48 << 10;

    /// <summary>True when an application of this date is inside its rule's and the policy's validity (<see cref="Outside"/>).</summary>
    private Func<DateOnly, Rule, bool> InsideValidity => field ??= (date, rule) => Outside(date, rule) is null;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private Entry[] ParseBatchOf(InputRow[] batch, int count, long first, bool encode)
    {
        var entries = count == BatchRows && _batchEntries.TryDequeue(out var cleared) ? cleared : new Entry[count];
        var buffer = encode ? new SpillBuffer(_batchBytes.TryDequeue(out var reused) ? reused : new byte[BatchBytes]) : null;
        Span<int> ends = count <= 512 ? stackalloc int[count] : new int[count];
        for (var i = 0; i < count; i++)
        {
            var row = batch[i];
            // A record the compiled rules take, inside the validity windows, is encoded as it is parsed.
            if (buffer is not null && row is PendingRow pending && pending.Parser.TryEncode(pending.Row, pending.Text, buffer, InsideValidity))
                entries[i] = new Entry(first + i, pending.Enterprise, null, null, Encoded: true);
            else
            {
                if (row is PendingRow p) row = p.Parser.Parse(p.Row, p.Text, p.Enterprise);
                entries[i] = Classify(first + i, row);
                if (buffer is not null && entries[i].Input is BoundRow b) Codec.EncodeBound(buffer, b);
            }
            ends[i] = buffer?.Length ?? 0;
        }
        if (buffer is null) return entries;
        // The batch's bytes are in the buffer's last array (an array it outgrew holds the same bytes up to where it grew).
        var bytes = buffer.Array;
        for (var i = 0; i < count; i++)
        {
            var start = i == 0 ? 0 : ends[i - 1];
            // (A bound row parsed rather than encoded, a record over several lines, is kept as its encoding alone too.)
            if (ends[i] > start) entries[i] = entries[i] with { Input = null, Text = new RecordText(bytes, start, ends[i] - start), Encoded = true };
        }
        return entries;
    }

    /// <summary>
    /// How many enterprises, in the order first seen, make one partition: so many that a partition holds about a
    /// thirty-second of the <paramref name="rows"/> memory held when it spilled. A partition is held whole while it is
    /// grouped and evaluated, and smaller ones are collected young (1M shuffled Tongzhou rows: GC pauses 3.9 s with
    /// partitions of half of it, 1.2 s; docs/semantics.md §25.2). Of a file <paramref name="read"/> of which was read, an
    /// enterprise with R rows in all, its rows anywhere, has been seen with the chance 1 - (1 - read)^R: from the
    /// <paramref name="distinct"/> enterprises seen in <paramref name="rows"/> rows, R and the enterprises in all follow.
    /// A sorted file (R seen whole) gives more, smaller partitions; at most 1024.
    /// </summary>
    internal static int EnterprisesPerPartition(int rows, int distinct, double read)
    {
        if (distinct <= 0 || rows <= 0) return 1;
        read = Math.Clamp(read, 1e-6, 1.0);
        var perEnterprise = (double)rows / distinct; // rows per enterprise seen so far
        double Seen(double r) => read >= 1.0 ? 1.0 : 1.0 - Math.Pow(1.0 - read, r);
        // r * read / Seen(r) grows with r from 1 (at r = 1): the r that gives the rows per enterprise seen so far.
        double lo = 1.0, hi = Math.Max(1.0, perEnterprise / read) + 1.0;
        for (var i = 0; i < 60 && perEnterprise > 1.0; i++)
        {
            var mid = (lo + hi) / 2;
            if (mid * read / Seen(mid) < perEnterprise) lo = mid; else hi = mid;
        }
        var enterprises = distinct / Seen(lo);
        var partitions = Math.Clamp(32.0 / read, 2.0, 1024.0);
        return (int)Math.Clamp(Math.Round(enterprises / partitions), 1, int.MaxValue);
    }

    /// <summary>Collects the summary and, when the sink asks, spools totals and rejected rows for its end.</summary>
    private sealed class Output(IAwardSink sink) : IDisposable
    {
        private bool _first = true;
        public long Evaluated, RejectedCount, Enterprises;
        public decimal Paid;
        public readonly Spool<EnterpriseTotals>? Totals = sink.NeedsTotals ? new() : null;
        public readonly Spool<RejectedRow>? Rejected = sink.NeedsRejected ? new() : null;

        public void Add(Rendered r)
        {
            if (!_first && sink.Separator is { } s) sink.Write(s);
            _first = false;
            sink.WritePart(r.Utf8.AsSpan(0, r.Length));
            // Written: the part's array goes back to the pool (nothing else reads a part; an evaluation renders ~100 MB of them).
            System.Buffers.ArrayPool<byte>.Shared.Return(r.Utf8);
            Evaluated += r.Evaluated;
            RejectedCount += r.Rejected.Count;
            Paid = Fmt.AddSaturating(Paid, r.Paid);
            if (r.Totals is not null) { Enterprises++; Totals?.Add(r.Totals); }
            if (Rejected is not null) foreach (var x in r.Rejected) Rejected.Add(x);
        }

        public void Dispose()
        {
            Totals?.Dispose();
            Rejected?.Dispose();
        }
    }

    /// <summary>Rows the reference refuses before evaluating are rejected here, with their enterprise and rule.</summary>
    private Entry Classify(long seq, InputRow row)
    {
        switch (row)
        {
            case PendingRow p:
                _parser ??= p.Parser;
                return new Entry(seq, p.Enterprise, null, null, p.Text, p.Row); // classified once parsed (Resolve)
            case BoundRow b:
                var why = Outside(b.Date, b.Rule);
                return why is null
                    ? new Entry(seq, b.Enterprise, b, null)
                    : new Entry(seq, b.Enterprise, null, new RejectedRow(b.Row, b.RowLabel, b.Id, b.Enterprise, b.Rule.Name, why));
            case UnreadableRow u:
                return new Entry(seq, u.Enterprise, null, new RejectedRow(u.Row, u.RowLabel, u.Id, u.Enterprise, u.Rule, u.Reason));
            case ApplicationRow a:
                var app = a.Application;
                var rule = _rules.Rule(app.Rule);
                string? reason = null;
                if (rule is null) reason = $"unknown rule '{app.Rule}': not in policy {_policy.Name}";
                else reason = Outside(app.Date, rule);
                return reason is null
                    ? new Entry(seq, app.Enterprise, a, null)
                    : new Entry(seq, app.Enterprise, null, new RejectedRow(a.Row, a.RowLabel, app.Id, app.Enterprise, app.Rule, reason));
            default:
                throw new ArgumentOutOfRangeException(nameof(row));
        }
    }

    /// <summary>Why an application of this date is outside the policy's or its rule's validity (null: inside).</summary>
    private string? Outside(DateOnly date, Rule rule) =>
        PolicyDsl.Runtime.Validity.Reason(date, rule.QualifiesByEvent, _policy.Validity?.From, _policy.Validity?.Through, rule.Validity?.From, rule.Validity?.Through);

    /// <summary>The order an enterprise's applications are evaluated in: by date, same-date ones by id (ordinal), then by
    /// row (their place in the group), so that the awards do not depend on the order of the file.</summary>
    private static int InEvaluationOrder(DateOnly date, string id, int index, DateOnly otherDate, string otherId, int otherIndex)
    {
        var c = date.CompareTo(otherDate);
        if (c == 0) c = string.CompareOrdinal(id, otherId);
        return c != 0 ? c : index.CompareTo(otherIndex);
    }

    /// <summary>The id, enterprise and rule of an application row, as a rejection names them.</summary>
    private static (string Id, string Enterprise, string Rule) Head(InputRow row) => row switch
    {
        BoundRow b => (b.Id, b.Enterprise, b.Rule.Name),
        ApplicationRow { Application: var a } => (a.Id, a.Enterprise, a.Rule),
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    /// <summary>A group of rows: one enterprise's (in input order), or one row of no enterprise.</summary>
    private sealed class Group(long seq, string? enterprise, int capacity)
    {
        public readonly long Seq = seq;
        public readonly string? Enterprise = enterprise;
        public readonly List<Entry> Entries = new(capacity);

        /// <summary>Every entry was parsed where it was read (the streamed path): none is pending or encoded.</summary>
        public bool Parsed { get; init; }
    }

    /// <summary>
    /// The group's entries as they are evaluated, on the thread that evaluates them: pending records parsed and classified
    /// (<see cref="Classify"/>), then, in input order, applications beyond the per-enterprise limit rejected.
    /// </summary>
    private void Resolve(Group g)
    {
        if (g.Parsed && g.Entries.Count <= _options.MaxApplicationsPerEnterprise) return; // nothing to parse, decode or refuse
        var applications = 0;
        var entries = g.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Pending) entries[i] = e = Classify(e.Seq, _parser!.Parse(e.Line, e.Text, e.Enterprise));
            else if (e.Encoded && e.Input is null) // a bound row read back from a partition, classified before it was spilled
                entries[i] = e = new Entry(e.Seq, e.Enterprise, Codec.DecodeBound(e.Text.Bytes, e.Enterprise!, _options.Compiled!), null);
            if (e.Input is not (ApplicationRow or BoundRow) || ++applications <= _options.MaxApplicationsPerEnterprise) continue;
            var (id, enterprise, rule) = Head(e.Input);
            entries[i] = e with
            {
                Input = null,
                Rejected = new RejectedRow(e.Input.Row, e.Input.RowLabel, id, enterprise, rule,
                    $"enterprise {enterprise} has more than {_options.MaxApplicationsPerEnterprise} applications, the most one evaluation takes: this one and later ones are not evaluated"),
            };
        }
    }

    /// <summary>
    /// The entries held in memory (in input order, each enterprise numbered in the order first seen) as pieces of work of
    /// whole groups in order of their first row: an enterprise's rows, or one row of no enterprise, which follows the
    /// enterprises first seen before it. Grouped by counting the rows of each number, then placing each row's index after
    /// its enterprise's earlier ones (no look-up by name); a group's list is made, of its size, just before its piece is
    /// handed over, so the lists are young when they are evaluated (made all at once, 100,000 enterprises' lists lived
    /// through the collections of the whole evaluation).
    /// </summary>
    private static IEnumerable<Group[]> ChunksOf(List<Entry> memory)
    {
        var count = memory.Count;
        var enterprises = 0;
        var lone = 0;
        for (var i = 0; i < count; i++)
        {
            var number = memory[i].Number;
            if (memory[i].Enterprise is null) lone++;
            else if (number < 0 || number > enterprises) throw new InvalidOperationException("an enterprise was not numbered in the order first seen");
            else if (number == enterprises) enterprises++;
        }
        // starts[k]: where enterprise k's rows begin in `order`; a lone row: its index, and the enterprises seen before it.
        var starts = new int[enterprises + 1];
        for (var i = 0; i < count; i++)
            if (memory[i].Enterprise is not null) starts[memory[i].Number + 1]++;
        for (var k = 0; k < enterprises; k++) starts[k + 1] += starts[k];
        var order = new int[count - lone];
        var next = starts[..enterprises];
        var lones = new (int Index, int After)[lone];
        var seen = 0;
        var l = 0;
        for (var i = 0; i < count; i++)
        {
            var e = memory[i];
            if (e.Enterprise is null) { lones[l++] = (i, seen); continue; }
            if (e.Number == seen) seen++;
            order[next[e.Number]++] = i;
        }
        var chunk = new List<Group>();
        var rows = 0;
        l = 0;
        for (var k = 0; k <= enterprises; k++)
        {
            // The rows of no enterprise read while enterprise k - 1 was the last seen, then enterprise k's rows.
            for (; l < lone && lones[l].After == k; l++)
            {
                var row = memory[lones[l].Index];
                var single = new Group(row.Seq, null, 1);
                single.Entries.Add(row);
                chunk.Add(single);
                rows++;
            }
            if (k < enterprises)
            {
                var (from, to) = (starts[k], starts[k + 1]);
                var first = memory[order[from]];
                var g = new Group(first.Seq, first.Enterprise, to - from);
                for (var j = from; j < to; j++) g.Entries.Add(memory[order[j]]);
                chunk.Add(g);
                rows += to - from;
            }
            if (rows < ChunkRows && k < enterprises) continue;
            if (chunk.Count > 0) yield return chunk.ToArray();
            chunk.Clear();
            rows = 0;
        }
    }

    /// <summary>The most rows evaluated and rendered as one piece of work (whole enterprises, so a large one makes a larger piece).</summary>
    private const int ChunkRows = 128;

    private long _renderTicks, _evalTicks, _renderBytes, _evalBytes;

    /// <summary>What the process allocated and collected so far (PDSL_EVAL_PHASES).</summary>
    private string GcText() =>
        $"evaluate allocated {_evalBytes >> 20} MB, render {(_renderBytes - _evalBytes) >> 20} MB; process allocated {GC.GetTotalAllocatedBytes() >> 20} MB, collections gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, GC pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms";

    private static long Ms(long ticks) => (long)(ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency);

    /// <summary>PDSL_EVAL_PHASES=1: where the time goes is measured and printed (bench/eval-scale.sh's analysis in
    /// docs/benchmarks.md); else nothing is timed per row or group (a clock read per row was 2% of a run).</summary>
    /// <summary>PDSL_EVAL_PHASES set: a run says on standard error where its time went (start-up, each phase, each thread's waits).</summary>
    public static readonly bool Phases = Environment.GetEnvironmentVariable("PDSL_EVAL_PHASES") is { Length: > 0 };

    private Rendered Render(Group group)
    {
        if (!Phases) return RenderGroup(group);
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var b0 = GC.GetAllocatedBytesForCurrentThread();
        try { return RenderGroup(group); }
        finally
        {
            Interlocked.Add(ref _renderTicks, System.Diagnostics.Stopwatch.GetTimestamp() - t0);
            Interlocked.Add(ref _renderBytes, GC.GetAllocatedBytesForCurrentThread() - b0);
        }
    }

    /// <summary>One text buffer per thread, reused from group to group (a group's UTF-8 text is copied out of it).</summary>
    [ThreadStatic] private static Utf8TextWriter? _buffer;

    private Rendered RenderGroup(Group group)
    {
        Resolve(group);
        var text = _buffer ??= new Utf8TextWriter(4096);
        text.Clear();
        if (group.Enterprise is null)
        {
            var row = group.Entries[0].Rejected!;
            _sink.Rejected(text, row);
            var (single, singleLength) = Done(text);
            return new Rendered(group.Seq, single, singleLength, null, [row], 0, 0m);
        }
        EnterpriseBlock block;
        if (Phases)
        {
            var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            var b1 = GC.GetAllocatedBytesForCurrentThread();
            block = EvaluateEnterprise(group);
            Interlocked.Add(ref _evalTicks, System.Diagnostics.Stopwatch.GetTimestamp() - t1);
            Interlocked.Add(ref _evalBytes, GC.GetAllocatedBytesForCurrentThread() - b1);
        }
        else block = EvaluateEnterprise(group);
        _sink.Enterprise(text, block);
        List<RejectedRow>? rejected = null;
        foreach (var r in block.Rows)
            if (r is RejectedRow x) (rejected ??= new()).Add(x);
        var (utf8, length) = Done(text);
        return new Rendered(group.Seq, utf8, length, block.Totals, rejected ?? (IReadOnlyList<RejectedRow>)[], block.Rows.Count - (rejected?.Count ?? 0), block.Totals.Total);
    }

    /// <summary>The part's text out of the thread's buffer, copied into an array of the shared pool (a buffer a very large
    /// enterprise grew is not kept).</summary>
    private static (byte[] Utf8, int Length) Done(Utf8TextWriter text)
    {
        text.Flush();
        var written = text.Written;
        var utf8 = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(1, written.Length));
        written.CopyTo(utf8);
        if (text.Capacity > 1 << 20) _buffer = null;
        return (utf8, written.Length);
    }

    private EnterpriseBlock EvaluateEnterprise(Group group)
    {
        if (EvaluateBound(group) is { } block) return block;
        var enterprise = group.Enterprise!;
        var rows = new RowResult?[group.Entries.Count];
        var applications = new List<(Application App, int Index)>(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            var e = group.Entries[i];
            if (e.Input is ApplicationRow a) applications.Add((a.Application, i));
            else rows[i] = e.Rejected!;
        }
        applications.Sort(static (x, y) => InEvaluationOrder(x.App.Date, x.App.Id, x.Index, y.App.Date, y.App.Id, y.Index));
        var years = new List<(int Year, decimal Paid)>(2); // in year order; an enterprise's applications span a few years
        decimal total = 0m;
        if (applications.Count > 0)
        {
            var list = new Application[applications.Count];
            var compiled = _options.Compiled;
            // The generated applications, made as each is checked: the enterprise goes to the compiled rules when all are taken.
            var made = compiled?.NewApplications(list.Length);
            for (var i = 0; i < list.Length; i++)
            {
                list[i] = applications[i].App;
                if (made is not null && compiled!.TryMake(list[i]) is { } m) made[i] = m;
                else made = null;
            }
            var taken = made is not null;
            if (taken && _sink.TakesSettledRows)
            {
                total = Settled(group, compiled!.Settle(enterprise, list, made), applications, rows, years);
                return Block(enterprise, rows, years, total);
            }
            // Generated code when it takes every application of the enterprise; else the reference, which names the problems.
            var result = taken
                ? compiled!.EvaluateEnterprise(enterprise, list, made)
                : PolicyEvaluator.EvaluateEnterprise(_policy, list);
            Dictionary<Application, int>? where = null;
            for (var k = 0; k < result.Applications.Count; k++)
            {
                var r = result.Applications[k];
                var index = RowOf(k, r.Application, applications, ref where);
                var source = (ApplicationRow)group.Entries[index].Input!;
                if (!r.Award.Problems.IsEmpty)
                {
                    // Missing or ill-typed facts: the reference pays 0 with the problem as its reason.
                    rows[index] = new RejectedRow(source.Row, source.RowLabel, r.Application.Id, enterprise, r.Application.Rule, string.Join("; ", r.Award.Problems));
                    continue;
                }
                // §30.1: the policy's year (a financial year from 1 July counts 2026-07-01 through 2027-06-30 as 2026).
                AddPaid(years, _policy.YearStart.YearOf(r.Application.Date), r.Paid);
                rows[index] = new EvaluatedRow(source.Row, source.RowLabel, r);
            }
            total = result.Total;
        }
        return Block(enterprise, rows, years, total);
    }

    /// <summary>
    /// An enterprise every application of which was parsed into the compiled rules' applications (<see cref="BoundRow"/>):
    /// evaluated by them as they are, in the order <see cref="EvaluateEnterprise"/> takes (date, id, row). Null when one
    /// was not (its rows then become the model's applications, for the general way).
    /// </summary>
    private EnterpriseBlock? EvaluateBound(Group group)
    {
        var entries = group.Entries;
        var all = true;
        var count = 0;
        foreach (var e in entries)
        {
            if (e.Input is BoundRow) count++;
            else if (e.Input is ApplicationRow) all = false;
        }
        if (count == 0) return null;
        if (!all)
        {
            for (var i = 0; i < entries.Count; i++)
                if (entries[i].Input is BoundRow b) entries[i] = entries[i] with { Input = b.ToModel() };
            return null;
        }
        var enterprise = group.Enterprise!;
        var rows = new RowResult?[entries.Count];
        var bound = new (BoundRow Row, int Index)[count];
        var n = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            if (entries[i].Input is BoundRow b) bound[n++] = (b, i);
            else rows[i] = entries[i].Rejected!;
        }
        Array.Sort(bound, static (x, y) => InEvaluationOrder(x.Row.Date, x.Row.Id, x.Index, y.Row.Date, y.Row.Id, y.Index));
        var made = _options.Compiled!.NewApplications(count);
        for (var k = 0; k < count; k++) made[k] = bound[k].Row.Generated;
        var result = _options.Compiled!.SettleGenerated(enterprise, made);
        var years = new List<(int Year, decimal Paid)>(2);
        for (var k = 0; k < count; k++)
        {
            var (b, index) = bound[k];
            var r = result.Applications[k];
            if (!string.Equals(r.Id, b.Id, StringComparison.Ordinal)) throw new InvalidOperationException("the generated evaluation reordered the applications");
            rows[index] = RowOf(b, b.Id, enterprise, b.Rule.Name, b.Date, r, years);
        }
        return Block(enterprise, rows, years, result.Total);
    }

    private static EnterpriseBlock Block(string enterprise, RowResult?[] rows, List<(int Year, decimal Paid)> years, decimal total)
    {
        // The years' totals are summed as values (a YearPaid per year, made once here, not per payment).
        var paid = new YearPaid[years.Count];
        for (var y = 0; y < paid.Length; y++) paid[y] = new YearPaid(years[y].Year, Fmt.Normalize(years[y].Paid));
        return new EnterpriseBlock(enterprise, rows!, new EnterpriseTotals(enterprise, paid, total));
    }

    /// <summary>The compiled rules' results as rows, as the model's path makes them (a problem rejects its row; the years'
    /// totals); returns the enterprise's total.</summary>
    private decimal Settled(Group group, SettledEnterprise settled, List<(Application App, int Index)> applications, RowResult?[] rows, List<(int Year, decimal Paid)> years)
    {
        Dictionary<Application, int>? where = null;
        for (var k = 0; k < settled.Applications.Length; k++)
        {
            var (application, r) = settled.Applications[k];
            var index = RowOf(k, application, applications, ref where);
            var source = (ApplicationRow)group.Entries[index].Input!;
            rows[index] = RowOf(source, application.Id, group.Enterprise!, application.Rule, application.Date, r, years);
        }
        return settled.Total;
    }

    /// <summary>A compiled rules' result as its row: rejected with the problem that kept it from being evaluated (the
    /// interpreter pays such an application 0 with that reason), else settled, its payment added to its year's total (§30.1:
    /// the policy's year).</summary>
    private RowResult RowOf(InputRow source, string id, string enterprise, string rule, DateOnly date, PolicyDsl.Runtime.ApplicationResult r, List<(int Year, decimal Paid)> years)
    {
        if (r.Award.Problem is { } problem) return new RejectedRow(source.Row, source.RowLabel, id, enterprise, rule, problem);
        AddPaid(years, _policy.YearStart.YearOf(date), r.Paid);
        return new SettledRow(source, id, enterprise, rule, date, r);
    }

    /// <summary>The group row of the <paramref name="k"/>th result: the results come in the order given (date order,
    /// stable), so it is mostly the kth application's; where not, it is looked up (a table made the first time).</summary>
    private static int RowOf(int k, Application application, List<(Application App, int Index)> applications, ref Dictionary<Application, int>? where)
    {
        if (k < applications.Count && ReferenceEquals(applications[k].App, application)) return applications[k].Index;
        if (where is null)
        {
            where = new Dictionary<Application, int>(ReferenceEqualityComparer.Instance);
            foreach (var (app, i) in applications) where[app] = i;
        }
        return where[application];
    }

    /// <summary>Adds what was paid to its year's total, keeping the years in order.</summary>
    private static void AddPaid(List<(int Year, decimal Paid)> years, int year, decimal paid)
    {
        var at = years.Count;
        while (at > 0 && years[at - 1].Year > year) at--;
        if (at > 0 && years[at - 1].Year == year) years[at - 1] = (year, Fmt.AddSaturating(years[at - 1].Paid, paid));
        else years.Insert(at, (year, Fmt.AddSaturating(0m, paid)));
    }

    /// <summary>
    /// Rows on disk, partitioned by the order their enterprises are first seen: partition k holds the enterprises first seen
    /// k-th in runs of <c>perPartition</c>, with every row of theirs, and the rows of no enterprise read while they were the
    /// latest; so the partitions' groups one after the other are the groups of the whole input in order of their first row
    /// (§25.2). At most <see cref="MostFiles"/> partitions (the last takes the rest). In a partition an enterprise is a number
    /// (its name written once, where it is first used: <see cref="Codec"/>), so a partition is read back straight into its groups.
    /// </summary>
    private sealed class Spill : IDisposable
    {
        private const int MostFiles = 1024;
        private readonly string _directory;
        private readonly int _perPartition;
        private readonly List<(FileStream File, SpillBuffer Buffer)> _writers = new(); // per partition, its file and the bytes not written yet
        private readonly MemoryStream _odd = new();
        private readonly BinaryWriter _oddWriter;
        private readonly SpillBuffer _scratch = new();
        private int _seen; // enterprises seen so far (numbered below it, Entry.Number)

        /// <summary>The partitions made.</summary>
        public int Count => _writers.Count;

        public Spill(string? directory, int perPartition)
        {
            _directory = Path.Combine(directory ?? Path.GetTempPath(), "policyc-eval-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_directory);
            _perPartition = Math.Max(1, perPartition);
            _oddWriter = new BinaryWriter(_odd);
        }

        /// <summary>A partition's bytes are written to its file in pieces of this size.</summary>
        private const int FlushBytes = 16 << 10;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Add(Entry e)
        {
            int partition, number;
            var first = false;
            if (e.Enterprise is null) (partition, number) = (Math.Max(0, _writers.Count - 1), -1); // after the enterprises seen before it
            else
            {
                // Enterprises come numbered in the order first seen: the k-th is the (k mod perPartition)-th of partition
                // k / perPartition (the last partition takes the rest).
                if (e.Number < 0 || e.Number > _seen) throw new InvalidOperationException("an enterprise was not numbered in the order first seen");
                partition = Math.Min(e.Number / _perPartition, MostFiles - 1);
                number = e.Number - partition * _perPartition;
                if (e.Number == _seen) { _seen++; first = true; }
            }
            Open(partition);
            var (file, w) = _writers[partition];
            w.Number((ulong)e.Seq);
            w.Number((ulong)(number + 1));
            if (first) w.String(e.Enterprise);
            Codec.WriteBody(w, e, _scratch, _odd, _oddWriter);
            if (w.Length < FlushBytes) return;
            file.Write(w.Written);
            w.Clear();
        }

        private void Open(int partition)
        {
            while (_writers.Count <= partition)
            {
                _writers.Add((new FileStream(PathOf(_writers.Count), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0), new SpillBuffer(FlushBytes + 4096)));
            }
        }

        private string PathOf(int i) => Path.Combine(_directory, $"rows-{i}.bin");

        /// <summary>The partitions' entries in order, each partition read once (its file goes once read), its enterprises
        /// numbered from 0 in the order first used there (<see cref="ChunksOf"/> groups them). The list is the same one each
        /// time: ChunksOf has copied a partition's entries into its groups before the next partition is read.</summary>
        public IEnumerable<List<Entry>> Partitions()
        {
            for (var i = 0; i < _writers.Count; i++)
            {
                Close(i);
                yield return Read(PathOf(i));
                File.Delete(PathOf(i));
            }
        }

        /// <summary>The bytes of the partition being read (one array, grown to the largest partition: it holds no references).</summary>
        private byte[] _read = [];

        /// <summary>The entries of the partition being read (one list, reused).</summary>
        private readonly List<Entry> _entries = new();

        /// <summary>The enterprises of the partition being read, by their number there.</summary>
        private readonly List<string> _names = new();

        /// <summary>A partition's entries in input order: the file read whole, its rows' bytes copied into the partition's
        /// blocks (the array is read into again for the next partition while this one is evaluated).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private List<Entry> Read(string path)
        {
            int length;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
            {
                length = checked((int)file.Length);
                if (_read.Length < length) _read = new byte[Math.Max(length, 2 * _read.Length)];
                file.ReadExactly(_read, 0, length);
            }
            var arena = new RecordArena(); // the partition's record texts and encoded rows
            var entries = _entries;
            var names = _names;
            entries.Clear();
            names.Clear();
            var r = new SpanReader(_read.AsSpan(0, length));
            while (!r.End)
            {
                var seq = (long)r.Number();
                var number = (int)r.Number(); // 0: no enterprise; else one more than its number here
                if (number > names.Count) names.Add(r.String());
                var enterprise = number == 0 ? null : names[number - 1];
                entries.Add(Codec.ReadBody(ref r, _read, seq, enterprise, arena) with { Number = number - 1 });
            }
            return entries;
        }

        private void Close(int i)
        {
            var (file, w) = _writers[i];
            if (w.Length > 0) file.Write(w.Written);
            w.Clear();
            file.Dispose();
        }

        public void Dispose()
        {
            foreach (var (file, _) in _writers) file.Dispose();
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
