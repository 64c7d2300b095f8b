using System.Text;
using CsCheck;
using PolicyDsl.Checking;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Hardening.Tests;

/// <summary>
/// Lets are steps of the plan, computed once (issue 12): a let read twice by the next (`let a2 = a1 + a1`, 70 times)
/// made the generator re-walk each let at each use (2^70); 5,000 chained lets overflowed the stack of the compiler in
/// the emitter's bound analysis. Check, eval, reports and the generator must finish in time and the generated C# compile.
/// </summary>
public sealed class LetChainTests
{
    public enum Shape { Doubling, Chain, Mixed }

    /// <summary>A one-rule policy whose award reads the last of <paramref name="count"/> lets of the given shape.</summary>
    public static string Policy(Shape shape, int count)
    {
        var lets = new StringBuilder();
        lets.Append("      let a1 = 10% of x in points\n");
        for (var i = 2; i <= count; i++)
        {
            var next = shape switch
            {
                Shape.Doubling => $"a{i - 1} + a{i - 1}",
                Shape.Chain => $"a{i - 1} + 0.001 points",
                _ => i % 3 == 0 ? $"a{i - 1} + a{i - 2}" : i % 3 == 1 ? $"min(a{i - 1}, 10 points) + a1" : $"a{i - 1} - a1 / 2",
            };
            lets.Append("      let a").Append(i).Append(" = ").Append(next).Append('\n');
        }
        return $$"""
            policy Lets "lets"
              effective 2026-01-01 through 2026-12-31
              points worth at most 10000 yuan

            section 1 "s" department "d"
              clause 1 "c"
                rule chain "chain"
                  source "s"
                  fact x: yuan at most 1000 yuan "x"
            {{lets.ToString().TrimEnd('\n')}}
                  award max(a{{count}}, 0 points)
                  cap 10 points per project
            """;
    }

    private static void AllStagesFinish(string text)
    {
        var result = Harness.WithinTimeout(() => Harness.RunAll(text, reports: false), TimeSpan.FromSeconds(60), "check, emit and the generator");
        Assert.False(result.Checked.HasErrors, string.Join("\n", result.Checked.Errors));
        var policy = result.Checked.Policy!;
        var rule = policy.FindRule("chain")!;
        var award = Harness.WithinTimeout(() => RuleEvaluator.Evaluate(policy, rule, Facts.Empty.With("x", 1000m)), TimeSpan.FromSeconds(30), "eval");
        // Doubling past 2^96 overflows a decimal: that is the application's problem, reported, never a crash.
        Assert.True(award.Problems.IsEmpty || award.Problems.SequenceEqual([PolicyDsl.Plan.PlanTexts.Overflow]), string.Join("; ", award.Problems));
        Assert.InRange(award.Amount, 0m, 10m);
        var run = Harness.WithinTimeout(() => Harness.RunGenerator([new InMemoryAdditionalText(Harness.PolicyPath, text)]), TimeSpan.FromSeconds(60), "the generator");
        Assert.Empty(Harness.Problems(run.Output));
        Assert.Contains(run.HintNames, h => h.EndsWith("Lets.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Seventy_doubling_lets_check_evaluate_and_generate_compilable_code_quickly() => AllStagesFinish(Policy(Shape.Doubling, 70));

    [Fact]
    public void Five_thousand_chained_lets_check_evaluate_and_generate_without_a_stack_overflow() => AllStagesFinish(Policy(Shape.Chain, 5000));

    [Fact]
    public void Random_let_chains_and_doublings_finish_in_time_and_compile()
    {
        var gen = Gen.Select(Gen.Enum<Shape>(), Gen.Int[1, 400]);
        gen.Sample((shape, count) => AllStagesFinish(Policy(shape, count)), iter: Harness.Iterations(6, cost: 50), threads: 1);
    }
}
