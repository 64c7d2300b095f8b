using PolicyDsl.Runtime;

namespace PolicyDsl.Bench.Evaluation;

/// <summary>Checks that every implementation gives the same ten awards on the same applications.</summary>
public static class Agreement
{
    /// <summary>Throws on the first application where the awards differ; returns a one-line summary otherwise.</summary>
    public static string Check(Application[] applications, RulesEngineEval? rulesEngine)
    {
        var hand = new decimal[BenchRules.Count];
        var engine = new decimal[BenchRules.Count];
        var scaled = new long[BenchRules.Count];
        var entry = new long[BenchRules.Count];
        var generated = new Award[BenchRules.Count];
        var traced = new Award[BenchRules.Count];
        var trace = new List<TraceStep>();
        var nonZero = new int[BenchRules.Count];
        var capped = 0;
        for (var i = 0; i < applications.Length; i++)
        {
            var a = applications[i];
            HandWritten.Evaluate(a, hand);
            var facts = GeneratedFacts.From(a);
            Generated.Evaluate(in facts, generated);
            trace.Clear();
            Generated.Evaluate(in facts, traced, trace);
            Scaled.Evaluate(ScaledApplication.From(a), scaled);
            var scaledFacts = GeneratedScaledFacts.From(a);
            if (!GeneratedScaled.Evaluate(in scaledFacts, entry)) throw new InvalidOperationException($"application {i}: a scaled entry point did not take it");
            if (rulesEngine is not null) rulesEngine.Evaluate(a, engine);
            for (var r = 0; r < BenchRules.Count; r++)
            {
                void Fail(string what, decimal value) => throw new InvalidOperationException(
                    $"application {i}, rule {BenchRules.Names[r]}: hand-written {hand[r]} but {what} {value}");
                if (generated[r].Problem is { } problem) throw new InvalidOperationException($"application {i}, rule {BenchRules.Names[r]}: generated problem {problem}");
                if (generated[r].Amount != hand[r]) Fail("generated", generated[r].Amount);
                if (traced[r].Amount != hand[r]) Fail("generated (traced)", traced[r].Amount);
                if (Scaled.ToPoints(scaled[r]) != hand[r]) Fail("scaled-integer", Scaled.ToPoints(scaled[r]));
                if (GeneratedScaled.ToPoints(entry[r], GeneratedScaled.AmountPlaces[r]) != hand[r]) Fail("generated scaled entry point", GeneratedScaled.ToPoints(entry[r], GeneratedScaled.AmountPlaces[r]));
                if (rulesEngine is not null && engine[r] != hand[r]) Fail("RulesEngine", engine[r]);
                if (hand[r] != 0m) nonZero[r]++;
                if (generated[r].BoundBy is not null) capped++;
            }
            if (HandWritten.Total(a) != Generated.Total(in facts)) throw new InvalidOperationException($"application {i}: totals differ");
            if (HandWritten.Total(a) != GeneratedScaled.ToPoints(GeneratedScaled.Total(in scaledFacts), GeneratedScaled.Places)) throw new InvalidOperationException($"application {i}: scaled entry point total differs");
        }
        return $"{applications.Length} applications x {BenchRules.Count} rules agree (generated, traced, generated scaled entry point, hand-written decimal, scaled long" +
               (rulesEngine is null ? "" : ", RulesEngine") + "); non-zero awards per rule: " + string.Join(" ", nonZero) + "; capped: " + capped;
    }
}
