using System.Diagnostics;
using System.Globalization;
using System.Text;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>Alone in its collection: the memory measurement must not see other tests' allocations.</summary>
[CollectionDefinition("memory", DisableParallelization = true)]
public sealed class MemoryCollection;

[Collection("memory")]
public sealed class StreamingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A sink that keeps nothing but counts and a checksum (so the run is not optimised away).</summary>
    private sealed class CountingSink : IAwardSink
    {
        public long Evaluated, Rejected, Enterprises;
        public decimal Paid;
        void IAwardSink.Evaluated(EvaluatedRow row) { Evaluated++; Paid += row.Result.Paid; }
        void IAwardSink.Rejected(RejectedRow row) => Rejected++;
        void IAwardSink.EnterpriseDone(EnterpriseTotals totals) => Enterprises++;
        void IAwardSink.Complete(EvalSummary summary) { }
    }

    private string WriteCsv(int rows, int perEnterprise)
    {
        var path = _dir.File("big.csv");
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.Write("id,enterprise,rule,date,subject,location,funded_by_higher_level,fact.attached_to_property_insurance,fact.premium\n");
        for (var i = 0; i < rows; i++)
        {
            var e = i / perEnterprise;
            // The j-th application of an enterprise: one a month, 2026-01 .. 2026-12 then 2027-01 ..; each 4 points
            // (40% of 100,000 yuan), so 12 in 2026 = 48 points and 8 in 2027 = 32, under the 50-point yearly cap.
            var j = i % perEnterprise;
            w.Write(string.Create(CultureInfo.InvariantCulture,
                $"A{i:D7},ENT-{e:D6},outage_insurance,{2026 + j / 12}-{1 + j % 12:D2}-15,,南通高新区,,true,100000\n"));
        }
        return path;
    }

    [Fact]
    public void Two_hundred_thousand_csv_rows_evaluate_with_flat_memory()
    {
        const int rows = 200_000;
        var path = WriteCsv(rows, perEnterprise: 20);
        var fileSize = new FileInfo(path).Length;
        Assert.True(fileSize > 15_000_000, $"file is {fileSize} bytes");

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peakLive = 0;
        var samples = 0;
        var sink = new CountingSink();
        var watch = Stopwatch.StartNew();
        using (var input = File.OpenRead(path))
        {
            StreamingEvaluator.Run(Support.Sample, input, "csv", sink, _ =>
            {
                // Live memory (after a full collection) every ~25,000 rows.
                if (++samples % 25 != 0) return;
                peakLive = Math.Max(peakLive, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            });
        }
        watch.Stop();
        Assert.Equal(rows, sink.Evaluated);
        Assert.Equal(0, sink.Rejected);
        Assert.Equal(rows / 20, sink.Enterprises);
        Assert.Equal(rows / 20 * (48m + 32m), sink.Paid);
        Assert.True(samples >= 150, $"{samples} progress samples");
        // Flat: the live heap grows by far less than the file (a constant, not O(rows)).
        Assert.True(peakLive < fileSize / 5, $"live memory grew by {peakLive:N0} bytes for a {fileSize:N0}-byte file");
        Assert.True(peakLive < 8_000_000, $"live memory grew by {peakLive:N0} bytes");
        Console.WriteLine($"streaming eval: {rows} rows, {fileSize:N0} bytes, peak live growth {peakLive:N0} bytes, {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Json_elements_across_buffer_refills_and_larger_than_the_buffer_are_read()
    {
        var path = _dir.File("big.json");
        const int count = 20_000;
        using (var w = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            // A long note before the array and one element far larger than the 64 KB read buffer.
            w.Write("{\"note\": \"" + new string('x', 200_000) + "\", \"applications\": [\n");
            for (var i = 0; i < count; i++)
            {
                var extra = i == 7 ? ", \"arithmetic\": \"" + new string('y', 300_000) + "\"" : "";
                w.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{(i > 0 ? "," : "")}{{\"id\": \"A{i}\", \"enterprise\": \"E{i}\", \"rule\": \"overseas_exhibition\", \"date\": \"2026-06-01\", \"facts\": {{\"overseas_exhibition\": true, \"booth_fee\": {i % 100 * 1000}}}{extra}}}\n"));
            }
            w.Write("], \"trailer\": [1, 2, 3]}");
        }
        var sink = new CountingSink();
        using (var input = File.OpenRead(path)) StreamingEvaluator.Run(Support.Sample, input, "json", sink);
        Assert.Equal(count, sink.Evaluated);
        // 0.14 points per 2000 yuan, capped at 5 points per project: fee 0..99,000 yuan.
        var expected = Enumerable.Range(0, count).Sum(i => Math.Min(5m, i % 100 * 1000m * 0.14m / 2000m));
        Assert.Equal(expected, sink.Paid);
    }
}
