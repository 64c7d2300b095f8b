using System.Globalization;
using System.Text;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// Chunks of enterprises are rendered on several cores and written, in order, by whichever thread renders the next one.
/// A sink that fails while a part is rendered or written stops the run with its own exception, on the streamed path and the
/// general one and with any number of cores: nothing hangs, the exception is not
/// lost or wrapped, and nothing is written once the run has ended.
/// </summary>
public sealed class PipelineFailureTests
{
    /// <summary>Writes one line per enterprise; throws on the <see cref="FailAt"/>-th part written or enterprise rendered.</summary>
    private sealed class FailingSink(int failAt, bool whileRendering) : IAwardSink
    {
        public int FailAt => failAt;
        private int _written, _rendered;
        public int WrittenAfterFailure, Writes;
        private volatile bool _failed;
        public string? Separator => null;
        public bool NeedsTotals => false;
        public bool NeedsRejected => false;
        public void Begin() { }

        public void Enterprise(TextWriter part, EnterpriseBlock block)
        {
            if (whileRendering && Interlocked.Increment(ref _rendered) == failAt) { _failed = true; throw new InvalidDataException("render failed at " + failAt); }
            part.Write(block.Enterprise + "\n");
        }

        void IAwardSink.Rejected(TextWriter part, RejectedRow row) => part.Write("rejected\n");

        public void Write(string part)
        {
            Interlocked.Increment(ref Writes);
            if (_failed) WrittenAfterFailure++;
            if (!whileRendering && ++_written == failAt) { _failed = true; throw new IOException("disk full at part " + failAt); }
        }

        public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected) { }
    }

    private static byte[] Csv(bool shuffled)
    {
        var rows = new List<string>();
        for (var i = 0; i < 6000; i++)
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"A{i:D6},E{i / 4:D5},outage_insurance,2026-{1 + i % 4:D2}-15,,,,true,100000"));
        if (shuffled) rows = rows.OrderBy(_ => Random.Shared.Next()).ToList();
        return Encoding.UTF8.GetBytes("id,enterprise,rule,date,subject,location,funded_by_higher_level,fact.attached_to_property_insurance,fact.premium\n" +
            string.Join("\n", rows) + "\n");
    }

    [Theory]
    [InlineData(false, false, 1)]
    [InlineData(false, false, 4)]
    [InlineData(true, false, 2)]
    [InlineData(false, true, 2)]
    [InlineData(true, true, 1)]
    [InlineData(true, true, 4)]
    public async Task A_failing_sink_stops_the_run_with_its_own_exception(bool shuffled, bool whileRendering, int cores)
    {
        foreach (var failAt in new[] { 1, 7, 300 })
        {
            var sink = new FailingSink(failAt, whileRendering);
            var run = Task.Run(() => StreamingEvaluator.Run(Support.Sample, new MemoryStream(Csv(shuffled)), "csv", sink,
                options: new EvalOptions { Parallelism = cores, MemoryBytes = 64 << 10 }));
            var ended = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(ended == run, $"the run did not end (fail at {failAt})");
            var e = Assert.IsAssignableFrom<Exception>(run.Exception?.InnerException);
            if (whileRendering) Assert.Equal("render failed at " + failAt, Assert.IsType<InvalidDataException>(e).Message);
            else Assert.Equal("disk full at part " + failAt, Assert.IsType<IOException>(e).Message);
            // A part that fails to be written is the last written; a part rendered before another failed to render may
            // still be written while that one fails, but none once the run has ended.
            if (!whileRendering) Assert.Equal(0, sink.WrittenAfterFailure);
            var writes = Volatile.Read(ref sink.Writes);
            await Task.Delay(50);
            Assert.Equal(writes, Volatile.Read(ref sink.Writes));
        }
    }
}
