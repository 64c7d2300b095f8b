using System.Diagnostics;
using System.Globalization;
using PolicyDsl.Checking;
using PolicyDsl.Emit;
using PolicyDsl.Plan;

namespace PolicyDsl.Bench.Compile;

/// <summary>
/// `phases SIZE...`: one cold-ish run per size (after a warm-up on the 100-clause policy) timing each phase
/// apart: parse, check, plan (every rule's <see cref="RulePlanner.For"/>), emit (plans cached). For finding
/// the pass that grows faster than the input; `scale` is the figure to quote.
/// </summary>
public static class PhaseRun
{
    public static int Run(string[] sizes)
    {
        var ci = CultureInfo.InvariantCulture;
        var (wp, wr) = Inputs.Get("100");
        for (var i = 0; i < 3; i++) GC.KeepAlive(CSharpEmitter.Emit(PolicyCompiler.Compile(ParsedSource.Parse("w.policy", wp), ParsedSource.Parse("w.rules", wr)).Policy!));
        Console.WriteLine("| input | parse ms | check ms | plan ms | emit ms | total ms | total CPU ms | allocated MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var (policyText, rulesText) = Inputs.Get(size);
            var bytes0 = GC.GetTotalAllocatedBytes(true);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var policy = ParsedSource.Parse(Inputs.PolicyPath(size), policyText);
            var rules = ParsedSource.Parse(Inputs.RulesPath(size), rulesText);
            var t1 = sw.Elapsed.TotalMilliseconds;
            var compilation = PolicyCompiler.Compile(policy, rules);
            var t2 = sw.Elapsed.TotalMilliseconds;
            if (compilation.HasErrors) throw new InvalidOperationException(size + ": " + string.Join("; ", compilation.Errors.Take(5)));
            foreach (var rule in compilation.Policy!.Rules) GC.KeepAlive(RulePlanner.For(compilation.Policy, rule));
            var t3 = sw.Elapsed.TotalMilliseconds;
            var source = CSharpEmitter.Emit(compilation.Policy!);
            var t4 = sw.Elapsed.TotalMilliseconds;
            GC.KeepAlive(source);
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
            var mb = (GC.GetTotalAllocatedBytes(true) - bytes0) / 1e6;
            Console.WriteLine(string.Create(ci, $"| {size} | {t1:0} | {t2 - t1:0} | {t3 - t2:0} | {t4 - t3:0} | {t4:0} | {cpu:0} | {mb:0} |"));
        }
        return 0;
    }
}
