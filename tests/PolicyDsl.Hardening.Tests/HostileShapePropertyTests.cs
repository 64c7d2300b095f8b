using System.Text;
using CsCheck;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Hardening.Tests;

/// <summary>
/// The shapes of the second hostile-input pass (issue 12), generated at random and combined: let chains and let
/// doubling, relative caps that call another rule once or twice (fan-out) in chains of random depth, tables of many
/// cases, and fact, table, member and rule names that collide with the generated type names. Every policy check
/// accepts must evaluate, report and generate in time (a generous hang guard, not a measure of speed), and the
/// generated C# must compile without a warning; one that fans out beyond the budget is PDSL0320, found in time.
/// </summary>
public sealed class HostileShapePropertyTests
{
    /// <summary>One generated policy: a chain of <see cref="Depth"/> rules r1..rN above r0 (each capped by the one
    /// below, once or twice), and a top rule with <see cref="Lets"/> lets, a table of <see cref="Cases"/> cases and
    /// names taken from the generated types' names.</summary>
    public sealed record Spec(int Depth, bool Doubled, int Lets, LetChainTests.Shape LetShape, int Cases,
        string Top, string OneOf, string Quantity, string Table, string Member)
    {
        /// <summary>Rule evaluations the top rule's relative caps expand to (r0 is 1; a doubled call is two).</summary>
        public long Evaluations
        {
            get
            {
                long c = 1;
                for (var i = 1; i <= Depth; i++) c = 1 + (Doubled ? 2 : 1) * c;
                return 1 + (Doubled ? 2 : 1) * c;
            }
        }

        /// <summary>The relative-cap budget of the checker (docs/robustness.md §1).</summary>
        public bool OverBudget => Evaluations > 1000;

        public string Text()
        {
            var t = new StringBuilder("""
                policy Shadow "遮蔽"
                  effective 2026-01-01 through 2026-12-31
                  points worth at most 10000 yuan

                section 1 "章" department "部门"
                  clause 1 "条"
                    rule r0 "r0"
                      fact x: yuan at most 100000 yuan
                      award 1% of x in points
                      cap 10 points

                """);
            for (var i = 1; i <= Depth; i++)
            {
                t.Append($"    rule r{i} \"r{i}\"\n      fact x: yuan at most 100000 yuan\n      award 1% of x in points\n");
                t.Append(Cap($"r{i - 1}")).Append('\n');
            }
            t.Append($"    rule {Top} \"top\"\n      fact x: yuan at most 100000 yuan\n");
            t.Append($"      fact {OneOf}: one of ").AppendJoin(", ", Enumerable.Range(0, Cases).Select(i => $"{MemberName(i)} \"成员{i}\"")).Append('\n');
            t.Append($"      fact {Quantity}: yuan at most 1000 yuan \"q\"\n");
            t.Append($"      table {Table}[{OneOf}]: points\n");
            for (var i = 0; i < Cases; i++) t.Append("        case ").Append(MemberName(i)).Append(" = ").Append(i % 7).Append(" points\n");
            t.Append($"      let a1 = 10% of {Quantity} in points\n");
            for (var i = 2; i <= Lets; i++)
            {
                var next = LetShape switch
                {
                    LetChainTests.Shape.Doubling => $"a{i - 1} + a{i - 1}",
                    LetChainTests.Shape.Chain => $"a{i - 1} + 0.001 points",
                    _ => i % 3 == 0 ? $"a{i - 1} + a{i - 2}" : i % 3 == 1 ? $"min(a{i - 1}, 10 points) + a1" : $"a{i - 1} - a1 / 2",
                };
                t.Append($"      let a{i} = {next}\n");
            }
            t.Append($"      award min(max(a{Lets}, 0 points), {Table}[{OneOf}], 1% of x in points)\n");
            t.Append(Cap($"r{Depth}")).Append('\n');
            return t.ToString();
        }

        public string MemberName(int i) => i == 0 ? Member : "m" + i;

        private string Cap(string callee) => Doubled ? $"      cap min({callee}(x: x), {callee}(x: x / 2))" : $"      cap {callee}(x: x)";

        public override string ToString() =>
            $"depth {Depth}{(Doubled ? " doubled" : "")}, {Lets} lets ({LetShape}), {Cases} cases, top {Top}, one-of {OneOf}, quantity {Quantity}, table {Table}, member {Member}";
    }

    /// <summary>Names of the generated C# types of policy Shadow, rule r{depth} and the top rule (snake_case, as a
    /// policy would write them), and names C# or the runtime give meaning to.</summary>
    private static Gen<string> ShadowName(string top, int depth) => OneOf(
        $"{top}_facts", $"{top}_parameters", $"{top}_rule", $"{top}_result", $"r{depth}_rule", $"r{depth}_facts", $"r{depth}_parameters",
        "r0_rule", "shadow_policy", "shadow_application", "shadow_parameters", "shadow_rule_kind", "shadow_result", "runtime", "system",
        "policy_dsl", "award", "trace", "decimal", "string", "object", "facts", "parameters", "evaluate", "from_rules");

    private static Gen<string> OneOf(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    public static readonly Gen<Spec> Specs =
        from doubled in Gen.Bool
        from depth in doubled ? Gen.Int[1, 11] : Gen.Int[1, 40]
        from lets in Gen.Int[1, 120]
        from letShape in Gen.Enum<LetChainTests.Shape>()
        from cases in Gen.Frequency((3, Gen.Int[1, 50]), (1, Gen.Int[50, 2000]))
        from top in OneOf("top", "m", "shadow", "system", "policy", "rule", "facts")
        from names in ShadowName(top, depth).Array[4]
        where names.Take(3).Distinct().Count() == 3
        select new Spec(depth, doubled, lets, letShape, cases, top, names[0], names[1], names[2], names[3]);

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    private static void EveryStageFinishes(Spec spec)
    {
        var text = spec.Text();
        var result = Harness.WithinTimeout(() => Harness.RunAll(text, generator: false, reports: true), Generous, $"check, emit and reports of {spec}");
        if (spec.OverBudget)
        {
            Assert.NotEmpty(result.Checked.Errors);
            Assert.All(result.Checked.Errors, e => Assert.True(e.Id == "PDSL0320", $"{spec}: {e}"));
            var generated = Harness.WithinTimeout(() => Harness.RunGenerator([new InMemoryAdditionalText(Harness.PolicyPath, text)]), Generous, "the generator");
            Assert.Contains(generated.Diagnostics, d => d.Id == "PDSL0320");
            return;
        }
        Assert.True(!result.Checked.HasErrors, spec + "\n" + string.Join("\n", result.Checked.Errors));
        var policy = result.Checked.Policy!;
        var top = policy.FindRule(spec.Top)!;

        // eval: one application alone, then three of one enterprise across two years through the policy evaluator.
        var facts = Facts.Empty.With("x", 100_000m).With(spec.OneOf, spec.MemberName(spec.Cases - 1)).With(spec.Quantity, 1000m);
        var award = Harness.WithinTimeout(() => RuleEvaluator.Evaluate(policy, top, facts), Generous, $"eval of {spec}");
        Assert.True(award.Problems.IsEmpty || award.Problems.SequenceEqual([PolicyDsl.Plan.PlanTexts.Overflow]), spec + ": " + string.Join("; ", award.Problems));
        Assert.InRange(award.Amount, 0m, top.ProvenMaximum ?? decimal.MaxValue);
        Assert.True(award.Amount <= (spec.Cases - 1) % 7, $"{spec}: {award.Amount} above the table's cell");
        var applications = new[]
        {
            new Application("A1", "E1", spec.Top, new DateOnly(2026, 3, 1), facts),
            new Application("A2", "E1", spec.Top, new DateOnly(2026, 9, 1), facts.With(spec.OneOf, spec.MemberName(0))),
            new Application("A3", "E1", "r" + spec.Depth, new DateOnly(2026, 10, 1), Facts.Empty.With("x", 50_000m)),
        };
        var enterprises = Harness.WithinTimeout(() => PolicyEvaluator.Evaluate(policy, applications), Generous, $"policy eval of {spec}");
        Assert.Equal(3, Assert.Single(enterprises).Applications.Count);

        // the generator: no diagnostic, and the generated C# compiles without a warning.
        var run = Harness.WithinTimeout(() => Harness.RunGenerator([new InMemoryAdditionalText(Harness.PolicyPath, text)]), Generous, $"the generator on {spec}");
        Assert.True(run.Diagnostics.IsEmpty, spec + "\n" + string.Join("\n", run.Diagnostics));
        var problems = Harness.Problems(run.Output);
        Assert.True(problems.IsEmpty, spec + "\n" + string.Join("\n", problems.Take(10)));
    }

    [Fact]
    public void Random_lets_fan_out_caps_large_tables_and_shadowing_names_check_evaluate_report_and_compile_in_time() =>
        Specs.Sample(EveryStageFinishes, iter: Harness.Iterations(8, cost: 50), threads: 1);

    [Fact]
    public void Fan_out_beyond_the_budget_is_PDSL0320_in_time_at_any_depth() =>
        Gen.Int[8, 40].Select(d => new Spec(d, true, 1, LetChainTests.Shape.Chain, 2, "top", "k", "q", "t", "m0"))
            .Sample(EveryStageFinishes, iter: Harness.Iterations(4, cost: 20), threads: 1);

    [Fact]
    public void The_spec_counts_evaluations_as_the_checker_does()
    {
        // r_i calls r_(i-1) twice: 2^(i+1) - 1 evaluations, so a doubled chain of depth 7 under the top rule is 511 and depth 8 is 1,023.
        Assert.Equal(511, new Spec(7, true, 1, LetChainTests.Shape.Chain, 1, "top", "k", "q", "t", "m0").Evaluations);
        Assert.Equal(1023, new Spec(8, true, 1, LetChainTests.Shape.Chain, 1, "top", "k", "q", "t", "m0").Evaluations);
        Assert.Equal(42, new Spec(40, false, 1, LetChainTests.Shape.Chain, 1, "top", "k", "q", "t", "m0").Evaluations);
    }
}
