using System.Collections.Concurrent;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// The streaming path of <see cref="StreamingEvaluator"/> (docs/semantics.md §25.2): when every enterprise's rows are
/// contiguous, an enterprise's group is complete as soon as a row of another enterprise follows it, so groups are
/// evaluated and rendered in chunks on the other cores while this thread reads on, and the parts are written in input
/// order by one writer. Nothing is spilled; memory holds the chunks in flight (about <see cref="EvalOptions.MemoryRows"/> rows)
/// and the enterprise being read. The output is the one the general path
/// gives for the same rows: enterprises in the order of their first row, a row of no enterprise at its place.
/// </summary>
public sealed partial class StreamingEvaluator
{

    private EvalSummary RunContiguous(IEnumerable<InputRow> rows, Func<long>? position, Action<long>? progress)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        string? malformed = null;
        long seq = 0;
        using var enumerator = rows.GetEnumerator();
        var more = enumerator.MoveNext(); // the header is read (and refused) before anything is written
        var output = new Output(_sink);
        _sink.Begin();
        var parallelism = Math.Max(1, _options.Parallelism);
        // Rows of the groups in one chunk of work (a group is never split): the chunks in flight hold well under MemoryRows rows.
        var chunkRows = Math.Clamp(_options.MemoryRows / (4 * (parallelism + 2)), 32, 4096);
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, parallelism).ConcurrentScheduler;
        using var cancel = new CancellationTokenSource();
        using var inflight = new BlockingCollection<Task<Rendered[]>>(parallelism + 1);
        var writer = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var task in inflight.GetConsumingEnumerable())
                    foreach (var part in task.GetAwaiter().GetResult()) output.Add(part);
            }
            catch
            {
                cancel.Cancel(); // the reader stops adding
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var chunk = new List<Group>();
        var rowsInChunk = 0;
        Group? current = null;
        var after = new List<Group>(); // rows of no enterprise read while `current` is open: they follow it
        void Dispatch()
        {
            if (chunk.Count == 0) return;
            var groups = chunk.ToArray();
            chunk.Clear();
            rowsInChunk = 0;
            inflight.Add(Task.Factory.StartNew(() =>
            {
                var parts = new Rendered[groups.Length];
                for (var i = 0; i < groups.Length; i++) parts[i] = Render(groups[i]);
                return parts;
            }, cancel.Token, TaskCreationOptions.None, scheduler), cancel.Token);
        }
        void Close()
        {
            if (current is null) return;
            chunk.Add(current);
            rowsInChunk += current.Entries.Count;
            current = null;
            foreach (var lone in after) chunk.Add(lone);
            rowsInChunk += after.Count;
            after.Clear();
            if (rowsInChunk >= chunkRows) Dispatch();
        }

        long readTicks = 0;
        long own = 0; // timestamps spent reading and classifying, not waiting for room in `inflight`
        try
        {
            while (more)
            {
                var row = enumerator.Current;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var entry = Classify(seq++, row);
                own += System.Diagnostics.Stopwatch.GetTimestamp() - started;
                if (row is UnreadableRow { Fatal: true } fatal) malformed = fatal.Reason;
                if (entry.Enterprise is null)
                {
                    var lone = new Group(entry.Seq, null);
                    lone.Entries.Add(entry);
                    if (current is null) { chunk.Add(lone); if (++rowsInChunk >= chunkRows) Dispatch(); }
                    else after.Add(lone);
                }
                else
                {
                    if (current is not null && !string.Equals(current.Enterprise, entry.Enterprise, StringComparison.Ordinal)) Close();
                    current ??= new Group(entry.Seq, entry.Enterprise);
                    Add(current, entry);
                }
                if (progress is not null && (seq & 1023) == 0) progress(position?.Invoke() ?? seq);
                started = System.Diagnostics.Stopwatch.GetTimestamp();
                more = enumerator.MoveNext();
                own += System.Diagnostics.Stopwatch.GetTimestamp() - started;
            }
            readTicks = sw.ElapsedMilliseconds;
            Close();
            foreach (var lone in after) chunk.Add(lone);
            Dispatch();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The writer failed: its exception is the one to report (below).
        }
        finally
        {
            inflight.CompleteAdding();
        }
        writer.GetAwaiter().GetResult();
        if (Environment.GetEnvironmentVariable("PDSL_EVAL_PHASES") is { Length: > 0 })
            Console.Error.WriteLine($"policyc: phases (contiguous, streamed): read+classify {readTicks} ms wall, overlapped (of which reading and classifying {(long)System.Diagnostics.Stopwatch.GetElapsedTime(0, own).TotalMilliseconds} ms, the rest waiting for the evaluators); evaluate {Ms(_evalTicks)} ms cpu; render {Ms(_renderTicks - _evalTicks)} ms cpu (summed over cores); whole run {sw.ElapsedMilliseconds} ms wall");
        var summary = new EvalSummary(seq, output.Evaluated, output.RejectedCount, output.Enterprises, Fmt.Normalize(output.Paid), malformed);
        _sink.End(summary, output.Totals?.ReadAll() ?? [], output.Rejected?.ReadAll() ?? []);
        output.Dispose();
        return summary;
    }
}
