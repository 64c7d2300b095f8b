using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using CsCheck;
using PolicyDsl.Checking;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Hardening.Tests;

/// <summary>
/// Random policies with several, overlapping highest-only groups (a rule in two groups), no stacking and yearly
/// per-enterprise caps (constant, or computed from the application's facts), and random applications of two enterprises (ties, subjects, dates outside the validity):
/// the interpreter (<see cref="PolicyEvaluator"/>) and the generated code pay the same, for the same reason, to the
/// same payers; and what is paid is what docs/semantics.md §14 says: no two paid applications of one enterprise and
/// subject share a group, and each one highest only kept back shares a group with a paid one awarding at least as much.
/// </summary>
public sealed class HighestOnlyPropertyTests
{
    private static readonly decimal[] Fees = [0m, 100_000m, 200_000m, 300_000m, 500_000m];

    private sealed record Built(string Text, string[] Rules, List<string[]> Groups);

    private static Built Build(Random random)
    {
        var count = random.Next(3, 6);
        var rules = Enumerable.Range(1, count).Select(i => "r" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var text = new StringBuilder();
        text.Append("policy Highest \"就高不重复\"\n  effective 2026-01-01 through 2027-12-31\n  points worth at most 10000 yuan\n  paid by \"区财政\"\n\n");
        text.Append("section 1 \"章\" department \"部门\"\n  clause 1 \"条\"\n");
        foreach (var rule in rules)
        {
            text.Append("    rule ").Append(rule).Append(" \"").Append(rule).Append("\"\n      fact fee: yuan\n");
            text.Append("      award ").Append(new[] { 10, 20, 50 }[random.Next(3)]).Append("% of fee in points\n");
            text.Append("      cap 50 points per application\n");
            if (random.Next(3) == 0) text.Append("      cap 30 points per enterprise per year\n");
            // A running total under a limit computed per application: the generated RuleSet reads it from the traced
            // evaluation's cap step (CapProbe), the interpreter from its award.
            else if (random.Next(2) == 0) text.Append("      cap 15% of fee in points per enterprise per year\n");
        }
        // Two to four groups of two or three rules; with three to five rules they overlap more often than not.
        var groups = new List<string[]>();
        for (var g = random.Next(2, 5); g > 0; g--) groups.Add(rules.OrderBy(_ => random.Next()).Take(random.Next(2, 4)).ToArray());
        text.Append("\ngeneral \"其他\"\n  provision 1 \"不重复享受\"\n");
        if (random.Next(2) == 0) text.Append("    no stacking \"不重复享受。\"\n");
        foreach (var group in groups) text.Append("    highest only ").Append(string.Join(", ", group)).Append('\n');
        text.Append("  provision 2\n    share at \"园区\": \"园区\" 30%, \"区财政\" 70%\n");
        return new Built(text.ToString(), rules, groups);
    }

    private static List<Application> Applications(Random random, string[] rules)
    {
        var applications = new List<Application>();
        for (var i = random.Next(3, 13); i > 0; i--)
        {
            var date = new DateOnly(2025, 12, 20).AddDays(random.Next(0, 760)); // a few before 2026 and after 2027
            applications.Add(new Application("a" + applications.Count.ToString(CultureInfo.InvariantCulture), random.Next(4) == 0 ? "E2" : "E1",
                rules[random.Next(rules.Length)], date, Facts.Empty.With("fee", Fees[random.Next(Fees.Length)]),
                Subject: random.Next(3) switch { 0 => "S1", 1 => "S2", _ => null }, Location: random.Next(3) == 0 ? "园区" : null,
                FundedByHigherLevelPolicy: random.Next(6) == 0));
        }
        return applications;
    }

    [Fact]
    public void Interpreter_and_generated_code_agree_on_overlapping_highest_only_groups()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var random = new Random(seed);
            var built = Build(random);
            var compilation = PolicyCompiler.Compile(Harness.PolicyPath, built.Text);
            Assert.False(compilation.HasErrors, string.Join("\n", compilation.Errors) + "\n" + built.Text);
            var policy = compilation.Policy!;
            var run = Harness.RunGenerator([new InMemoryAdditionalText(Harness.PolicyPath, built.Text)]);
            Assert.Empty(Harness.Problems(run.Output));
            var assembly = Harness.Load(run.Output);

            for (var round = 0; round < 25; round++)
            {
                var applications = Applications(random, built.Rules);
                var reference = PolicyEvaluator.Evaluate(policy, applications);
                var generated = Generated(assembly, applications);
                var context = "\n" + built.Text + "\n" + string.Join("\n", applications);
                Assert.Equal(reference.Select(e => (e.Enterprise, e.Total)), generated.Select(e => (e.Enterprise, e.Total)));
                foreach (var (r, g) in reference.SelectMany(e => e.Applications).Zip(generated.SelectMany(e => e.Applications)))
                {
                    Assert.True((r.Application.Id, r.Paid, r.Reason, Payers(r)) == (g.Id, g.Paid, g.Reason, g.Payers),
                        $"{r.Application.Id}: interpreter paid {r.Paid} ({r.Reason}, {Payers(r)}), generated {g.Id} {g.Paid} ({g.Reason}, {g.Payers})" + context);
                }
                foreach (var enterprise in reference) AssertHighestOnly(built.Groups, enterprise, context);
            }
        }, iter: Harness.Iterations(6, cost: 100), threads: 1);
    }

    /// <summary>§14: the paid applications of one subject share no group, and each one kept back by highest only shares a
    /// group with a paid one whose award is at least its own.</summary>
    private static void AssertHighestOnly(List<string[]> groups, EnterpriseResult enterprise, string context)
    {
        bool Share(string a, string b) => groups.Any(g => g.Contains(a) && g.Contains(b));
        var candidates = enterprise.Applications.Where(a => a.Reason is null || a.Reason.StartsWith("highest only", StringComparison.Ordinal)).ToList();
        var won = candidates.Where(a => a.Reason is null && groups.Any(g => g.Contains(a.Application.Rule))).ToList();
        foreach (var x in won)
        {
            foreach (var y in won.Where(y => !ReferenceEquals(x, y) && x.Application.Subject == y.Application.Subject))
                Assert.False(Share(x.Application.Rule, y.Application.Rule), $"{x.Application.Id} and {y.Application.Id} are both paid but share a group" + context);
        }
        foreach (var lost in candidates.Where(a => a.Reason is not null))
        {
            Assert.Contains(won, w => w.Application.Subject == lost.Application.Subject && Share(w.Application.Rule, lost.Application.Rule) &&
                                      w.Award.Amount >= lost.Award.Amount);
        }
    }

    private static string Payers(ApplicationResult result) => string.Join(", ", result.Payers.Select(p => p.Payer + " " + p.Amount.ToString(CultureInfo.InvariantCulture)));

    private sealed record GeneratedApplication(string Id, decimal Paid, string? Reason, string Payers);

    /// <summary>The generated policy class's Evaluate over the applications, read by reflection.</summary>
    private static List<(string Enterprise, decimal Total, List<GeneratedApplication> Applications)> Generated(Assembly assembly, IReadOnlyList<Application> applications)
    {
        var policyClass = assembly.GetTypes().Single(t => t.GetField("AwardUnit", BindingFlags.Public | BindingFlags.Static) is not null);
        var evaluate = policyClass.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == "Evaluate" && m.GetParameters().Length == 2
            && m.GetParameters()[0].ParameterType.IsGenericType);
        var applicationType = evaluate.GetParameters()[0].ParameterType.GetGenericArguments()[0];
        var array = Array.CreateInstance(applicationType, applications.Count);
        for (var i = 0; i < applications.Count; i++)
        {
            var a = applications[i];
            var factsType = RandomValidPolicyTests.CompiledRule(assembly, a.Rule).GetParameters()[0].ParameterType.GetElementType()!;
            var create = applicationType.GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Single(m => m.Name == "For").MakeGenericMethod(factsType);
            array.SetValue(create.Invoke(null, [a.Id, a.Enterprise, a.Date, RandomValidPolicyTests.BoxFacts(factsType, a.Facts), a.Subject, a.Location, a.FundedByHigherLevelPolicy]), i);
        }
        static object? Get(object o, string name) => o.GetType().GetProperty(name)!.GetValue(o);
        var list = new List<(string, decimal, List<GeneratedApplication>)>();
        foreach (var result in (IEnumerable)evaluate.Invoke(null, [array, null])!)
        {
            var apps = new List<GeneratedApplication>();
            foreach (var app in (IEnumerable)Get(result, "Applications")!)
            {
                var payers = string.Join(", ", ((IEnumerable)Get(app, "Payers")!).Cast<object>()
                    .Select(p => (string)Get(p, "Payer")! + " " + ((decimal)Get(p, "Amount")!).ToString(CultureInfo.InvariantCulture)));
                apps.Add(new GeneratedApplication((string)Get(app, "Id")!, (decimal)Get(app, "Paid")!, (string?)Get(app, "Reason"), payers));
            }
            list.Add(((string)Get(result, "Enterprise")!, (decimal)Get(result, "Total")!, apps));
        }
        return list;
    }
}
