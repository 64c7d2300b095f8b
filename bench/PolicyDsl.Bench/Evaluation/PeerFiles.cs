using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PolicyDsl.Runtime;

namespace PolicyDsl.Bench.Evaluation;

/// <summary>
/// The .NET side of the node peers (bench/publicodes.sh, bench/publicodes/):
///   peers DIR [N]        checks that the .NET implementations agree (generated, hand-written, scaled, RulesEngine), then writes
///                        DIR/applications.json: the N (default 10,000) benchmark applications, each rule's facts by PolicyDsl fact
///                        name (yes/no as JSON booleans, quantities as exact decimal strings, the fair level as a number) and the
///                        ten awards of the generated code as exact decimal strings; and DIR/tongzhou-2026.cjs, the Tongzhou policy
///                        printed by PolicyDsl's JavaScript back end (Emit/JavaScript/)
///   peers-time [ROUNDS]  times the generated classes (untraced) and RulesEngine on the same applications with the protocol of
///                        bench/publicodes/bench.mjs: warm-up rounds, then ROUNDS rounds, each round all applications (repeated
///                        until it lasts ≥ 200 ms), wall and process CPU time per round, the median per rule evaluation
/// </summary>
public static class PeerFiles
{
    public static int Write(string dir, int count)
    {
        var applications = ApplicationGenerator.Generate(count);
        Console.WriteLine(Agreement.Check(applications, new RulesEngineEval()));
        Directory.CreateDirectory(dir);
        var awards = new Award[BenchRules.Count];
        using (var stream = File.Create(Path.Combine(dir, "applications.json")))
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("seed", ApplicationGenerator.DefaultSeed);
            w.WriteStartArray("rules");
            foreach (var name in BenchRules.Names) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteStartArray("applications");
            foreach (var a in applications)
            {
                w.WriteStartObject();
                w.WriteStartObject("facts");
                for (var r = 0; r < BenchRules.Count; r++)
                {
                    w.WriteStartObject(BenchRules.Names[r]);
                    foreach (var (column, cell) in EvalFiles.Facts(r, a))
                    {
                        if (cell is "true" or "false") w.WriteBoolean(column, cell == "true");
                        else if (column == "fair_level") w.WriteNumber(column, int.Parse(cell, CultureInfo.InvariantCulture));
                        else w.WriteString(column, cell);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                var facts = GeneratedFacts.From(a);
                Generated.Evaluate(in facts, awards);
                w.WriteStartArray("awards");
                foreach (var award in awards) w.WriteStringValue(award.Amount.ToString(CultureInfo.InvariantCulture));
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var (policyText, rulesText) = Compile.Inputs.Get(Compile.Inputs.Tongzhou);
        var compilation = Checking.PolicyCompiler.Compile(
            ParsedSource.Parse(Compile.Inputs.PolicyPath(Compile.Inputs.Tongzhou), policyText),
            ParsedSource.Parse(Compile.Inputs.RulesPath(Compile.Inputs.Tongzhou), rulesText));
        var program = Emit.JavaScript.JsEmitter.Print(compilation.Policy!);
        if (program.NotPrinted.Count > 0) throw new InvalidOperationException("the JavaScript back end could not print " + program.NotPrinted[0].What);
        File.WriteAllText(Path.Combine(dir, "tongzhou-2026.cjs"), program.Script, new UTF8Encoding(false));
        Console.WriteLine($"wrote {count} applications and their awards to {Path.Combine(dir, "applications.json")}, the JavaScript back end's program to {Path.Combine(dir, "tongzhou-2026.cjs")}");
        return 0;
    }

    public static int Time(int rounds)
    {
        var applications = ApplicationGenerator.Generate(EvaluationBenchmarks.Applications);
        var generated = applications.Select(GeneratedFacts.From).ToArray();
        var engine = new RulesEngineEval();
        Console.WriteLine(Agreement.Check(applications, engine));
        Report("PolicyDsl generated C# (decimal API, untraced)", rounds, () =>
        {
            var total = 0m;
            for (var i = 0; i < generated.Length; i++) total += Generated.Total(in generated[i]);
            return total;
        }, generated.Length);
        Report("RulesEngine 6.0.1", rounds, () =>
        {
            var total = 0m;
            for (var i = 0; i < applications.Length; i++) total += engine.Total(applications[i]);
            return total;
        }, applications.Length);
        return 0;
    }

    /// <summary>One line: median wall and CPU ns per rule evaluation, rounds, repeats, the total (so the work is not dropped).</summary>
    private static void Report(string name, int rounds, Func<decimal> pass, int applicationsPerPass)
    {
        var total = pass(); // warm-up: JIT tiers, caches
        var repeats = 1;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            watch.Restart();
            for (var k = 0; k < repeats; k++) total = pass();
            if (watch.ElapsedMilliseconds >= 200) break;
            repeats *= 2;
        }
        for (var k = 0; k < repeats; k++) total = pass(); // one more warm-up round at the final size
        var wall = new double[rounds];
        var cpu = new double[rounds];
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < rounds; r++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            watch.Restart();
            for (var k = 0; k < repeats; k++) total = pass();
            watch.Stop();
            process.Refresh();
            var evaluations = (double)repeats * applicationsPerPass * BenchRules.Count;
            wall[r] = watch.Elapsed.TotalNanoseconds / evaluations;
            cpu[r] = (process.TotalProcessorTime - cpu0).TotalNanoseconds / evaluations;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT\t{name}\twall_ns={Median(wall):F1}\tcpu_ns={Median(cpu):F1}\trounds={rounds}\tapplications_per_round={repeats * applicationsPerPass}\ttotal={total}"));
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
