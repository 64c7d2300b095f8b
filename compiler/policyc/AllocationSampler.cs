using System.Diagnostics.Tracing;

namespace PolicyDsl.Cli;

/// <summary>
/// PDSL_EVAL_ALLOCS set: the runtime's allocation samples (one event per ~100 KB allocated, naming the type of the object
/// that crossed it) are counted by type, and the types that took the most are written to standard error when the process
/// ends: where a run's allocations come from, without a profiler (docs/benchmarks.md). Nothing listens otherwise.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public static void Start()
    {
        if (Environment.GetEnvironmentVariable("PDSL_EVAL_ALLOCS") is not { Length: > 0 }) return;
        var sampler = new AllocationSampler();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => sampler.Report();
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        // The runtime's events: GC keyword (1), verbose, for GCAllocationTick.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null) return;
        var type = e.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? e.Payload![t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload![a], System.Globalization.CultureInfo.InvariantCulture) : 0L;
        lock (_gate) _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
    }

    private void Report()
    {
        lock (_gate)
        {
            var total = _bytes.Values.Sum();
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            Console.Error.WriteLine(string.Create(invariant, $"policyc: allocation samples, {total >> 20} MB in all, by type:"));
            foreach (var (type, bytes) in _bytes.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).Take(30))
                Console.Error.WriteLine(string.Create(invariant, $"  {bytes >> 20,6} MB  {100.0 * bytes / Math.Max(1, total),5:F1}%  {type}"));
        }
    }
}
