using System.Diagnostics;
using System.Globalization;
using PolicyDsl.Checking;
using PolicyDsl.Emit;

namespace PolicyDsl.Bench.Compile;

/// <summary>
/// A stopwatch run of parse, check and emit (which plans) for the sample and synthetic policies (best of 5 runs, or
/// --runs N, after a warm-up), printing a Markdown table with the 10,000 / 1,000 growth. Quick, and a cross-check of the
/// BenchmarkDotNet numbers on a noisy machine.
/// </summary>
public static class ScaleRun
{
    public static int Run(string[] args)
    {
        // --runs N: best of N after the warm-up (default 5; bench/run.sh --quick passes 2).
        var runs = 5;
        var at = Array.IndexOf(args, "--runs");
        if (at >= 0 && at + 1 < args.Length)
        {
            runs = Math.Max(1, int.Parse(args[at + 1], CultureInfo.InvariantCulture));
            args = args.Where((_, i) => i != at && i != at + 1).ToArray();
        }
        var sizes = args.Length > 0 ? args : [Inputs.Tongzhou, "100", "1000", "10000"];
        var rows = new List<(string Size, double Parse, double Check, double Emit, double All, long Bytes)>();
        // Warm-up: JIT every path to tier 1 on a mid-size input first, so that the small inputs are not timed cold.
        var (warmPolicy, warmRules) = Inputs.Get("1000");
        for (var i = 0; i < 5; i++)
        {
            var c = PolicyCompiler.Compile(ParsedSource.Parse("warm.policy", warmPolicy), ParsedSource.Parse("warm.rules", warmRules));
            GC.KeepAlive(CSharpEmitter.Emit(c.Policy!));
        }
        foreach (var size in sizes)
        {
            var (policyText, rulesText) = Inputs.Get(size);
            double parse = double.MaxValue, check = double.MaxValue, emit = double.MaxValue, all = double.MaxValue;
            for (var i = 0; i <= runs; i++)
            {
                var sw = Stopwatch.StartNew();
                var policy = ParsedSource.Parse(Inputs.PolicyPath(size), policyText);
                var rules = ParsedSource.Parse(Inputs.RulesPath(size), rulesText);
                var t1 = sw.Elapsed.TotalMilliseconds;
                var compilation = PolicyCompiler.Compile(policy, rules);
                var t2 = sw.Elapsed.TotalMilliseconds;
                if (compilation.HasErrors) throw new InvalidOperationException(size + ": " + string.Join("; ", compilation.Errors.Take(5)));
                var source = CSharpEmitter.Emit(compilation.Policy!);
                var t3 = sw.Elapsed.TotalMilliseconds;
                GC.KeepAlive(source);
                if (i == 0) continue; // warm-up
                parse = Math.Min(parse, t1);
                check = Math.Min(check, t2 - t1);
                emit = Math.Min(emit, t3 - t2);
                all = Math.Min(all, t3);
            }
            rows.Add((size, parse, check, emit, all, Inputs.Bytes(size)));
        }
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine("| input | bytes | parse ms | parse MB/s | check ms | emit ms | total ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(ci, $"| {r.Size} | {r.Bytes:N0} | {r.Parse:0.0} | {r.Bytes / 1e6 / (r.Parse / 1e3):0.00} | {r.Check:0.0} | {r.Emit:0.0} | {r.All:0.0} |"));
        }
        var k1 = rows.FirstOrDefault(r => r.Size == "1000");
        var k10 = rows.FirstOrDefault(r => r.Size == "10000");
        if (k1.Size is not null && k10.Size is not null)
        {
            Console.WriteLine(string.Create(ci, $"growth 10,000 / 1,000: parse {k10.Parse / k1.Parse:0.0}x, check {k10.Check / k1.Check:0.0}x, emit {k10.Emit / k1.Emit:0.0}x, total {k10.All / k1.All:0.0}x"));
        }
        return 0;
    }
}
