using System.Diagnostics;
using System.Globalization;
using PolicyDsl.Checking;
using PolicyDsl.Emit;
using PolicyDsl.Plan;

namespace PolicyDsl.Bench.Compile;

/// <summary>
/// `phases SIZE...`: one run per size (after a warm-up on the 100-clause policy) timing each phase apart: parse,
/// check, plan (every rule's <see cref="RulePlanner.For"/>), emit (plans cached). Per phase: wall ms / CPU ms of the
/// process (all threads, GC included) / MB allocated. For finding the pass that grows faster than the input; on a
/// loaded machine the CPU figures are the steadier ones. `scale` is the figure to quote.
/// </summary>
public static class PhaseRun
{
    public static int Run(string[] sizes)
    {
        var ci = CultureInfo.InvariantCulture;
        var (wp, wr) = Inputs.Get("100");
        for (var i = 0; i < 3; i++) GC.KeepAlive(CSharpEmitter.Emit(PolicyCompiler.Compile(ParsedSource.Parse("w.policy", wp), ParsedSource.Parse("w.rules", wr)).Policy!));
        var exceptions = 0;
        AppDomain.CurrentDomain.FirstChanceException += (_, _) => Interlocked.Increment(ref exceptions);
        Console.WriteLine("wall ms / CPU ms / MB allocated per phase");
        Console.WriteLine();
        Console.WriteLine("| input | parse | check | plan | emit | total | gen0/1/2 GCs | GC pause ms | exceptions thrown |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var (policyText, rulesText) = Inputs.Get(size);
            GC.Collect();
            var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var pause0 = GC.GetTotalPauseDuration();
            var exceptions0 = exceptions;
            var marks = new List<(double Wall, double Cpu, long Bytes)>();
            var sw = Stopwatch.StartNew();
            void Mark() => marks.Add((sw.Elapsed.TotalMilliseconds, Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds, GC.GetTotalAllocatedBytes(true)));
            Mark();
            var policy = ParsedSource.Parse(Inputs.PolicyPath(size), policyText);
            var rules = ParsedSource.Parse(Inputs.RulesPath(size), rulesText);
            Mark();
            var compilation = PolicyCompiler.Compile(policy, rules);
            Mark();
            if (compilation.HasErrors) throw new InvalidOperationException(size + ": " + string.Join("; ", compilation.Errors.Take(5)));
            foreach (var rule in compilation.Policy!.Rules) GC.KeepAlive(RulePlanner.For(compilation.Policy, rule));
            Mark();
            GC.KeepAlive(CSharpEmitter.Emit(compilation.Policy!));
            Mark();
            string Cell(int from, int to) => string.Create(ci, $"{marks[to].Wall - marks[from].Wall:0} / {marks[to].Cpu - marks[from].Cpu:0} / {(marks[to].Bytes - marks[from].Bytes) / 1e6:0}");
            Console.WriteLine(string.Create(ci, $"| {size} | {Cell(0, 1)} | {Cell(1, 2)} | {Cell(2, 3)} | {Cell(3, 4)} | {Cell(0, 4)} | {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3} | {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds:0} | {exceptions - exceptions0} |"));
        }
        return 0;
    }
}
