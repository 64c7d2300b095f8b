namespace PolicyDsl.Reports.Eval;

/// <summary>
/// The streaming path of <see cref="StreamingEvaluator"/> (docs/semantics.md §25.2): when every enterprise's rows are
/// contiguous, an enterprise's group is complete as soon as a row of another enterprise follows it, so groups are
/// evaluated and rendered in chunks on the other cores while this thread reads on, and the parts are written in input
/// order, one chunk at a time (<see cref="Pipeline"/>). Nothing is spilled; memory holds the chunks in flight (about <see cref="EvalOptions.MemoryRows"/> rows)
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
        // Rows of the groups in one chunk of work (a group is never split): the chunks in flight hold well under MemoryRows rows.
        // Small chunks, so that the rows in flight (read, not yet written) stay few enough to die in the young generation: at
        // 3,125 rows a chunk (1M Tongzhou rows) most of them were promoted and the collector paused 3 s of a 8 s run; at 128,
        // 0.1-0.3 s (docs/benchmarks.md, issue 18).
        var chunkRows = Math.Clamp(_options.MemoryRows / (4 * (Math.Max(1, _options.Parallelism) + 2)), 16, ChunkRows);
        using var pipeline = new Pipeline(this, parts => { foreach (var part in parts) output.Add(part); });

        var chunk = new List<Group>();
        var rowsInChunk = 0;
        // The open enterprise (null: none) and its rows so far: its group is made when it closes, its list of its size (a
        // list grown row by row held 16 entries for Tongzhou's 10, a tenth of what a run allocated).
        string? current = null;
        long currentSeq = 0;
        var rowsOfCurrent = new List<Entry>(64);
        var after = new List<Group>(); // rows of no enterprise read while `current` is open: they follow it
        void Dispatch()
        {
            if (chunk.Count == 0) return;
            var groups = chunk.ToArray();
            chunk.Clear();
            rowsInChunk = 0;
            pipeline.Dispatch(groups);
        }
        void Close()
        {
            if (current is null) return;
            var group = new Group(currentSeq, current, rowsOfCurrent.Count) { Parsed = true };
            group.Entries.AddRange(rowsOfCurrent);
            if (rowsOfCurrent.Count > 4096) rowsOfCurrent = new List<Entry>(64); // a very large enterprise's are not kept
            else rowsOfCurrent.Clear();
            chunk.Add(group);
            rowsInChunk += group.Entries.Count;
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
                var started = Phases ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
                var entry = Classify(seq++, row);
                if (Phases) own += System.Diagnostics.Stopwatch.GetTimestamp() - started;
                if (row is UnreadableRow { Fatal: true } fatal) malformed = fatal.Reason;
                if (entry.Enterprise is null)
                {
                    var lone = new Group(entry.Seq, null, 1) { Parsed = true };
                    lone.Entries.Add(entry);
                    if (current is null) { chunk.Add(lone); if (++rowsInChunk >= chunkRows) Dispatch(); }
                    else after.Add(lone);
                }
                else
                {
                    if (current is not null && !string.Equals(current, entry.Enterprise, StringComparison.Ordinal)) Close();
                    if (current is null) (current, currentSeq) = (entry.Enterprise, entry.Seq);
                    rowsOfCurrent.Add(entry);
                }
                if (progress is not null && (seq & 1023) == 0) progress(position?.Invoke() ?? seq);
                if (Phases) started = System.Diagnostics.Stopwatch.GetTimestamp();
                more = enumerator.MoveNext();
                if (Phases) own += System.Diagnostics.Stopwatch.GetTimestamp() - started;
            }
            readTicks = sw.ElapsedMilliseconds;
            Close();
            foreach (var lone in after) chunk.Add(lone);
            Dispatch();
        }
        catch (OperationCanceledException) when (pipeline.Failed)
        {
            // The writer failed: its exception is the one to report (below).
        }
        pipeline.Complete();
        if (Phases)
            Console.Error.WriteLine($"policyc: phases (contiguous, streamed): read+classify {readTicks} ms wall, overlapped (of which reading and classifying {(long)System.Diagnostics.Stopwatch.GetElapsedTime(0, own).TotalMilliseconds} ms, the rest waiting for the evaluators); evaluate {Ms(_evalTicks)} ms; render {Ms(_renderTicks - _evalTicks)} ms (time inside them, summed over threads: preemption included); whole run {sw.ElapsedMilliseconds} ms wall; {GcText()}");
        var summary = new EvalSummary(seq, output.Evaluated, output.RejectedCount, output.Enterprises, Fmt.Normalize(output.Paid), malformed);
        _sink.End(summary, output.Totals?.ReadAll() ?? [], output.Rejected?.ReadAll() ?? []);
        output.Dispose();
        return summary;
    }

    /// <summary>
    /// Chunks of groups rendered on the other cores (at most <see cref="EvalOptions.Parallelism"/> at once) and written in the
    /// order they were dispatched (<see cref="InOrder{T}"/>: by the thread that renders the next chunk to be written; a
    /// writer thread of its own, waiting for each chunk in turn, made most of a 1M-row run's 126,000 context switches):
    /// reading goes on while enterprises are evaluated, and the output stays in input order.
    /// </summary>
    private sealed class Pipeline : IDisposable
    {
        private readonly StreamingEvaluator _owner;
        private readonly TaskScheduler _scheduler;
        private readonly InOrder<Rendered[]> _written;

        public Pipeline(StreamingEvaluator owner, Action<Rendered[]> write)
        {
            _owner = owner;
            var parallelism = Math.Max(1, owner._options.Parallelism);
            _scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, parallelism).ConcurrentScheduler;
            _written = new InOrder<Rendered[]>(2 * parallelism + 1, write);
        }

        /// <summary>PDSL_EVAL_PHASES: the time <see cref="Run"/> spent making the work (reading and grouping partitions) and
        /// handing it over (waiting for room in flight).</summary>
        public long ProducingTicks, DispatchingTicks;

        /// <summary>True when rendering or writing failed: <see cref="Complete"/> throws its exception.</summary>
        public bool Failed => _written.Failed;

        /// <summary>Renders the groups on another core; waits while the most chunks are in flight. Throws
        /// OperationCanceledException once rendering or writing has failed.</summary>
        public void Dispatch(Group[] groups)
        {
            var number = _written.Next();
            var owner = _owner;
            var written = _written;
            Task.Factory.StartNew(() =>
            {
                Rendered[] parts;
                try
                {
                    parts = new Rendered[groups.Length];
                    for (var i = 0; i < groups.Length; i++) parts[i] = owner.Render(groups[i]);
                }
                catch (Exception e)
                {
                    written.Fail(e);
                    return;
                }
                written.Done(number, parts);
            }, CancellationToken.None, TaskCreationOptions.None, _scheduler);
        }

        /// <summary>Dispatches every piece of work, then <see cref="Complete"/>s (a failure stops the dispatching and its
        /// exception is the one thrown).</summary>
        public void Run(IEnumerable<Group[]> work)
        {
            try
            {
                if (!Phases)
                    foreach (var groups in work) Dispatch(groups);
                else
                {
                    using var e = work.GetEnumerator();
                    while (true)
                    {
                        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                        if (!e.MoveNext()) break;
                        var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
                        Dispatch(e.Current);
                        ProducingTicks += t1 - t0;
                        DispatchingTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t1;
                    }
                }
            }
            catch (OperationCanceledException) when (Failed)
            {
                // Rendering or writing failed: Complete throws its exception.
            }
            Complete();
        }

        /// <summary>Waits until every chunk is written; rethrows what failed.</summary>
        public void Complete() => _written.Complete();

        /// <summary>No chunk is written after this (left by an exception, or done).</summary>
        public void Dispose() => _written.Stop();
    }
}
