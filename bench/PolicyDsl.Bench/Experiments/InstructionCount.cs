using PolicyDsl.Bench.Evaluation;
using PolicyDsl.Runtime;

namespace PolicyDsl.Bench.Experiments;

/// <summary>
/// `count IMPL PASSES`: evaluates the 10,000 benchmark applications PASSES times with one implementation, for
/// counting instructions under valgrind --tool=callgrind (immune to the load of a shared machine):
/// (Ir at PASSES = p) - (Ir at PASSES = 0), divided by p × 10,000, is instructions per application.
/// Run with DOTNET_TieredCompilation=0 so that the code is fully optimised from the first call.
/// </summary>
public static class InstructionCount
{
    public static readonly string[] Implementations = ["hand", "generated", "traced", "scaled", "genscaled", "rulesengine"];

    public static int Run(string impl, int passes)
    {
        var apps = ApplicationGenerator.Generate(EvaluationBenchmarks.Applications);
        var facts = apps.Select(GeneratedFacts.From).ToArray();
        var scaled = apps.Select(ScaledApplication.From).ToArray();
        var genScaled = apps.Select(GeneratedScaledFacts.From).ToArray();
        var engine = impl == "rulesengine" ? new RulesEngineEval() : null;
        var trace = new List<TraceStep>(64);
        // One untimed pass so that every path is compiled (and static constructors ran) in both the 0 and p runs.
        var total = Pass(impl, apps, facts, scaled, genScaled, engine, trace);
        for (var p = 0; p < passes; p++) total += Pass(impl, apps, facts, scaled, genScaled, engine, trace);
        Console.WriteLine(impl + " " + passes + " " + total);
        return 0;
    }

    /// <summary>One pass over the applications. The implementation is picked once per pass, not per application: a switch on
    /// its name per application (a string hash and compare) added ~140 instructions to every count.</summary>
    private static decimal Pass(string impl, Application[] apps, GeneratedFacts[] facts, ScaledApplication[] scaled, GeneratedScaledFacts[] genScaled, RulesEngineEval? engine, List<TraceStep> trace)
    {
        var total = 0m;
        var longTotal = 0L;
        var genTotal = 0L;
        switch (impl)
        {
            case "hand": for (var i = 0; i < apps.Length; i++) total += HandWritten.Total(apps[i]); break;
            case "generated": for (var i = 0; i < facts.Length; i++) total += Generated.Total(in facts[i]); break;
            case "traced": for (var i = 0; i < facts.Length; i++) total += Generated.TotalTraced(in facts[i], trace); break;
            case "scaled": for (var i = 0; i < scaled.Length; i++) longTotal += Scaled.Total(in scaled[i]); break;
            case "genscaled": for (var i = 0; i < genScaled.Length; i++) genTotal += GeneratedScaled.Total(in genScaled[i]); break;
            case "rulesengine": for (var i = 0; i < apps.Length; i++) total += engine!.Total(apps[i]); break;
            default: throw new ArgumentException("unknown implementation " + impl + "; one of " + string.Join(", ", Implementations));
        }
        return total + Scaled.ToPoints(longTotal) + GeneratedScaled.ToPoints(genTotal, GeneratedScaled.Places);
    }
}
