using BenchmarkDotNet.Attributes;
using PolicyDsl.Runtime;

namespace PolicyDsl.Bench.Evaluation;

/// <summary>
/// Tongzhou clauses 6, 7, 9, 12, 14, 17, 20, 21 (ten rules) on the same 10,000 deterministic applications.
/// Each invocation evaluates every application; BenchmarkDotNet divides by OperationsPerInvoke, so the
/// Mean and Allocated columns are per application (all ten rules), and Ratio is to the hand-written decimal code.
/// </summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    public const int Applications = 10_000;

    private Application[] _applications = [];
    private GeneratedFacts[] _generated = [];
    private ScaledApplication[] _scaled = [];
    private GeneratedScaledFacts[] _generatedScaled = [];
    private RulesEngineEval _rulesEngine = null!;
    private readonly List<TraceStep> _trace = new(64);

    [GlobalSetup]
    public void Setup()
    {
        _applications = ApplicationGenerator.Generate(Applications);
        _generated = _applications.Select(GeneratedFacts.From).ToArray();
        _scaled = _applications.Select(ScaledApplication.From).ToArray();
        _generatedScaled = _applications.Select(GeneratedScaledFacts.From).ToArray();
        _rulesEngine = new RulesEngineEval();
        // All implementations must give the same awards, or the timings mean nothing.
        Console.WriteLine("// " + Agreement.Check(_applications, _rulesEngine));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Applications, Description = "Hand-written decimal C#")]
    public decimal HandWrittenDecimal()
    {
        var total = 0m;
        var apps = _applications;
        for (var i = 0; i < apps.Length; i++) total += HandWritten.Total(apps[i]);
        return total;
    }

    [Benchmark(OperationsPerInvoke = Applications, Description = "Generated, no trace")]
    public decimal GeneratedNoTrace()
    {
        var total = 0m;
        var facts = _generated;
        for (var i = 0; i < facts.Length; i++) total += Generated.Total(in facts[i]);
        return total;
    }

    [Benchmark(OperationsPerInvoke = Applications, Description = "Generated, with trace")]
    public decimal GeneratedWithTrace()
    {
        var total = 0m;
        var facts = _generated;
        for (var i = 0; i < facts.Length; i++) total += Generated.TotalTraced(in facts[i], _trace);
        return total;
    }

    [Benchmark(OperationsPerInvoke = Applications, Description = "Generated, scaled entry point (TryEvaluateScaled)")]
    public long GeneratedScaledEntry()
    {
        var total = 0L;
        var facts = _generatedScaled;
        for (var i = 0; i < facts.Length; i++) total += GeneratedScaled.Total(in facts[i]);
        return total;
    }

    [Benchmark(OperationsPerInvoke = Applications, Description = "Hand-written scaled long (emitter candidate)")]
    public long HandWrittenScaled()
    {
        var total = 0L;
        var apps = _scaled;
        for (var i = 0; i < apps.Length; i++) total += Scaled.Total(in apps[i]);
        return total;
    }

    [Benchmark(OperationsPerInvoke = Applications, Description = "RulesEngine 6.0.1 (result tree)")]
    public decimal RulesEngine()
    {
        var total = 0m;
        var apps = _applications;
        for (var i = 0; i < apps.Length; i++) total += _rulesEngine.Total(apps[i]);
        return total;
    }
}
