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

    /// <summary>A sink that keeps nothing but counts and a checksum (so the run is not optimised away); parts arrive concurrently.</summary>
    private sealed class CountingSink : IAwardSink
    {
        private readonly Lock _lock = new();
        public long Evaluated, Rejected, Enterprises;
        public decimal Paid;
        public string? Separator => null;
        public bool NeedsTotals => false;
        public bool NeedsRejected => false;
        public void Begin() { }
        public void Write(string part) { }
        public void Enterprise(TextWriter part, EnterpriseBlock block)
        {
            lock (_lock)
            {
                foreach (var row in block.Rows)
                {
                    if (row is EvaluatedRow e) { Evaluated++; Paid += e.Result.Paid; }
                    else Rejected++;
                }
                Enterprises++;
            }
        }
        void IAwardSink.Rejected(TextWriter part, RejectedRow row) { lock (_lock) Rejected++; }
        public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected) { }
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
    public void Two_hundred_thousand_csv_rows_evaluate_in_bounded_memory()
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
            // Rows beyond 2,000 are spilled to disk: memory is bounded by that, not by the file.
            StreamingEvaluator.Run(Support.Sample, input, "csv", sink, _ =>
            {
                // Live memory (after a full collection) every ~25,000 rows.
                if (++samples % 25 != 0) return;
                peakLive = Math.Max(peakLive, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }, new EvalOptions { MemoryRows = 2_000 });
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

/// <summary>Input in any order: a shuffled file pays what the sorted one does, spilled or not, on one core or several.</summary>
public sealed class AnyOrderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static List<string> Rows()
    {
        var random = new Random(18);
        var rows = new List<string>();
        for (var e = 0; e < 300; e++)
            for (var j = 0; j < 10; j++)
            {
                // Several applications a month (some on one date), premiums that reach the 50-point yearly cap.
                var month = 1 + random.Next(12);
                var day = 1 + random.Next(2);
                var premium = random.Next(1, 60) * 10_000;
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"A{e:D4}-{j},ENT-{e:D4},outage_insurance,{2026 + random.Next(2)}-{month:D2}-{day:D2},,南通高新区,,true,{premium}\n"));
            }
        return rows;
    }

    private string Write(string name, IEnumerable<string> rows) =>
        _dir.Write(name, "id,enterprise,rule,date,subject,location,funded_by_higher_level,fact.attached_to_property_insurance,fact.premium\n" + string.Concat(rows));

    private static (string Output, Dictionary<string, decimal> Paid) Run(string path, EvalOptions options)
    {
        var output = new StringWriter();
        using (var input = File.OpenRead(path))
            StreamingEvaluator.Run(Support.Sample, input, "csv", new CsvAwardSink(output), options: options);
        var paid = output.ToString().Split('\n').Skip(1).Where(l => l.Contains(",evaluated,", StringComparison.Ordinal))
            .Select(l => l.Split(',')).ToDictionary(c => c[1], c => decimal.Parse(c[7], CultureInfo.InvariantCulture));
        return (output.ToString(), paid);
    }

    [Fact]
    public void A_shuffled_file_pays_what_the_sorted_file_pays_and_the_output_does_not_depend_on_cores_or_spilling()
    {
        var rows = Rows();
        var sorted = Write("sorted.csv", rows);
        var shuffled = Write("shuffled.csv", rows.OrderBy(_ => Random.Shared.Next()).ToList());
        var reference = Run(sorted, new EvalOptions { Parallelism = 1 });
        Assert.Equal(3000, reference.Paid.Count);
        Assert.Contains(reference.Paid.Values, v => v == 0m); // the yearly cap binds somewhere: order within an enterprise matters
        foreach (var options in new[] { new EvalOptions { Parallelism = 1 }, new EvalOptions { Parallelism = 2, MemoryRows = 500 }, new EvalOptions { Parallelism = 4, MemoryRows = 50 } })
        {
            var (output, paid) = Run(shuffled, options);
            Assert.Equal(reference.Paid, paid);
            var again = Run(shuffled, options with { Parallelism = 1, MemoryRows = 1_000_000 });
            Assert.Equal(again.Output, output); // the same bytes in memory and spilled, on one core and several
            Assert.Equal(Run(sorted, options).Output, reference.Output);
        }
    }
}

/// <summary>A spilled input is cut into runs of enterprises in the order first seen (§25.2), each about a thirty-second of
/// what memory held: the number of enterprises per run comes from what was seen when memory filled.</summary>
public sealed class PartitionSizeTests
{
    /// <summary>A uniformly shuffled file of E enterprises of R rows: after a fraction f of it, about E(1 - (1 - f)^R) were
    /// seen in E R f rows; the estimate gives back E / (32 / f) enterprises per partition.</summary>
    [Theory]
    [InlineData(100_000, 10, 0.092)]
    [InlineData(1_000_000, 10, 0.01)]
    [InlineData(50_000, 1, 0.2)]
    [InlineData(10_000, 200, 0.05)]
    public void Shuffled_files_get_partitions_of_a_thirty_second_of_memory(int enterprises, int rowsEach, double read)
    {
        var rows = (int)(enterprises * (double)rowsEach * read);
        var distinct = (int)(enterprises * (1 - Math.Pow(1 - read, rowsEach)));
        var per = StreamingEvaluator.EnterprisesPerPartition(rows, distinct, read);
        var expected = enterprises / Math.Clamp(32 / read, 2, 1024);
        Assert.InRange(per, expected * 0.9, expected * 1.1 + 1);
    }

    /// <summary>A file whose enterprises' rows come together (read from standard input, so not streamed): each seen is seen
    /// whole, and partitions come out smaller than a thirty-second, never empty of enterprises.</summary>
    [Fact]
    public void Sorted_files_get_smaller_partitions_and_never_none()
    {
        Assert.Equal(1, StreamingEvaluator.EnterprisesPerPartition(0, 0, 0.5));
        Assert.Equal(1, StreamingEvaluator.EnterprisesPerPartition(10, 1, 1.0 / 64));
        var per = StreamingEvaluator.EnterprisesPerPartition(100_000, 10_000, 0.1); // 10 rows each, all seen whole
        Assert.InRange(per, 1, 100_000 / 320 + 1);
    }
}
