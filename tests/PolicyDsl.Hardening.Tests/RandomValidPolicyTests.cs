using System.Globalization;
using System.Reflection;
using CsCheck;
using PolicyDsl.Checking;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Hardening.Tests;

/// <summary>
/// Random valid policies (<see cref="RandomPolicies"/>): the checker accepts every one, the generated C#
/// compiles without a diagnostic, and evaluation never throws, never pays below 0, above a cap or above
/// the checker's proven maximum; the compiled classes agree with the reference evaluator.
/// </summary>
public sealed class RandomValidPolicyTests
{
    private static readonly DateOnly Day = new(2026, 6, 1);

    private static CheckedPolicy CheckClean(RandomPolicy random)
    {
        var result = PolicyCompiler.Compile(Harness.PolicyPath, random.Text, Harness.RulesPath, random.Rules);
        Assert.False(result.HasErrors, string.Join("\n", result.Errors) + "\n" + random);
        return result.Policy!;
    }

    [Fact]
    public void The_checker_accepts_every_random_policy_and_proves_a_finite_maximum()
    {
        RandomPolicies.Gen.Sample(random =>
        {
            var policy = CheckClean(random);
            Assert.Equal(random.RuleSpecs.Count, policy.Rules.Count());
            foreach (var (rule, spec) in policy.Rules.Zip(random.RuleSpecs))
            {
                Assert.NotNull(rule.ProvenMaximum);
                Assert.InRange(rule.ProvenMaximum!.Value, 0m, spec.MinCap);
            }
        }, iter: Harness.Iterations(300), threads: 1);
    }

    [Fact]
    public void Reports_render_every_random_policy_with_every_rule()
    {
        RandomPolicies.Gen.Sample(random =>
        {
            var policy = CheckClean(random);
            var (html, markdown) = Harness.WithinTimeout(() => (PolicyDsl.Reports.PolicyReport.Html(policy), PolicyDsl.Reports.PolicyReport.Markdown(policy)));
            foreach (var rule in policy.Rules)
            {
                Assert.Contains(rule.Name, html.Text, StringComparison.Ordinal);
                Assert.Contains(rule.Name, markdown.Text, StringComparison.Ordinal);
            }
            Assert.All(markdown.Files, f => Assert.StartsWith("<svg", f.Content.TrimStart(), StringComparison.Ordinal));
        }, iter: Harness.Iterations(60, cost: 5), threads: 1);
    }

    [Fact]
    public void Reference_evaluation_never_throws_and_stays_within_caps_and_the_proven_maximum()
    {
        var gen = RandomPolicies.Gen.SelectMany(p => RandomPolicies.FactsFor(p.RuleSpecs[0]).Array[5, 5].Select(f => (p, f)));
        gen.Sample(((RandomPolicy Random, Facts[] Facts) x) =>
        {
            var policy = CheckClean(x.Random);
            foreach (var (rule, spec) in policy.Rules.Zip(x.Random.RuleSpecs))
            {
                foreach (var facts in x.Facts)
                {
                    var award = RuleEvaluator.Evaluate(policy, rule, facts, Day);
                    Assert.True(award.Amount >= 0m, $"{rule.Name} paid {award.Amount} for {facts}\n{x.Random}");
                    Assert.True(award.Amount <= spec.MinCap, $"{rule.Name} paid {award.Amount} above its cap {spec.MinCap} for {facts}\n{x.Random}");
                    Assert.True(award.Amount <= rule.ProvenMaximum!.Value, $"{rule.Name} paid {award.Amount} above its proven maximum {rule.ProvenMaximum} for {facts}\n{x.Random}");
                    if (!award.Problems.IsEmpty) Assert.Equal(0m, award.Amount);
                }
            }
        }, iter: Harness.Iterations(200), threads: 1);
    }

    [Fact]
    public void Running_totals_of_one_enterprise_stay_within_every_scoped_cap()
    {
        var gen = RandomPolicies.Gen.SelectMany(p => RandomPolicies.FactsFor(p.RuleSpecs[0]).Array[2, 8].Select(f => (p, f)));
        gen.Sample(((RandomPolicy Random, Facts[] Facts) x) =>
        {
            var policy = CheckClean(x.Random);
            var applications = new List<Application>();
            var n = 0;
            foreach (var rule in policy.Rules)
            {
                foreach (var facts in x.Facts)
                {
                    n++;
                    applications.Add(new Application("a" + n, "E1", rule.Name, Day.AddDays(n % 150), facts, Subject: "S1"));
                }
            }
            var result = Assert.Single(PolicyEvaluator.Evaluate(policy, applications));
            foreach (var (rule, spec) in policy.Rules.Zip(x.Random.RuleSpecs))
            {
                var paid = result.Applications.Where(a => a.Application.Rule == rule.Name).ToList();
                Assert.All(paid, a => Assert.InRange(a.Paid, 0m, a.Award.Amount));
                if (spec.MinScopedCap is { } cap)
                {
                    var total = paid.Sum(a => a.Paid);
                    Assert.True(total <= cap, $"{rule.Name}: one enterprise and subject were paid {total} in one year, above the scoped cap {cap}\n{x.Random}");
                }
            }
            Assert.Equal(result.Applications.Sum(a => a.Paid), result.Total);
        }, iter: Harness.Iterations(100), threads: 1);
    }

    [Fact]
    public void Generated_code_compiles_cleanly_and_agrees_with_the_reference_evaluator()
    {
        var gen = RandomPolicies.Gen.SelectMany(p => RandomPolicies.FactsFor(p.RuleSpecs[0]).Array[10, 10].Select(f => (p, f)));
        gen.Sample(((RandomPolicy Random, Facts[] Facts) x) =>
        {
            var policy = CheckClean(x.Random);
            var files = new List<Microsoft.CodeAnalysis.AdditionalText> { new InMemoryAdditionalText(Harness.PolicyPath, x.Random.Text) };
            if (x.Random.Rules is not null) files.Add(new InMemoryAdditionalText(Harness.RulesPath, x.Random.Rules));
            var run = Harness.RunGenerator(files);
            // The generator reports the checker's warnings (PDSL0306 unreachable case, ...) and nothing else.
            var warnings = PolicyCompiler.Compile(Harness.PolicyPath, x.Random.Text, Harness.RulesPath, x.Random.Rules).Diagnostics.Select(d => d.Id).ToHashSet();
            Assert.All(run.Diagnostics, d => Assert.Contains(d.Id, warnings));
            var problems = Harness.Problems(run.Output);
            Assert.True(problems.IsEmpty, string.Join("\n", problems) + "\n" + x.Random);
            var assembly = Harness.Load(run.Output);

            foreach (var (rule, spec) in policy.Rules.Zip(x.Random.RuleSpecs))
            {
                var evaluate = CompiledRule(assembly, rule.Name);
                foreach (var facts in x.Facts)
                {
                    var expected = RuleEvaluator.Evaluate(policy, rule, facts, Day);
                    var actual = InvokeCompiled(evaluate, facts);
                    Assert.True(expected.Amount == actual, $"{rule.Name}: generated code paid {actual}, the reference evaluator {expected.Amount}, for {facts}\n{x.Random}");
                    Assert.InRange(actual, 0m, Math.Min(spec.MinCap, rule.ProvenMaximum!.Value));
                }
            }

            // The generated enterprise evaluation (running totals, highest only, no stacking, cost split) agrees with the reference.
            var applications = new List<Application>();
            var n = 0;
            foreach (var rule in policy.Rules)
            {
                foreach (var facts in x.Facts)
                {
                    n++;
                    applications.Add(new Application("a" + n, n % 3 == 0 ? "E2" : "E1", rule.Name, Day.AddDays(-(n * 37 % 400)), facts,
                        Subject: n % 4 == 0 ? "S2" : "S1", Location: n % 5 == 0 ? "园区" : null, FundedByHigherLevelPolicy: n % 7 == 0));
                }
            }
            var reference = PolicyEvaluator.Evaluate(policy, applications);
            var compiled = EvaluateCompiled(assembly, policy, applications);
            Assert.Equal(reference.Select(e => (e.Enterprise, e.Total)), compiled.Select(e => (e.Enterprise, e.Total)));
            var paid = reference.SelectMany(e => e.Applications).ToDictionary(a => a.Application.Id, a => (a.Paid, a.Payers.Sum(p => p.Amount)));
            foreach (var (id, amount, payers) in compiled.SelectMany(e => e.Applications))
            {
                Assert.True(paid[id] == (amount, payers), $"{id}: generated code paid {amount} (payers {payers}), the reference {paid[id]}\n{x.Random}");
            }
        }, iter: Harness.Iterations(4, cost: 100), threads: 1);
    }

    /// <summary>The generated Evaluate(in XFacts) of a rule, found by the rule's Name constant.</summary>
    internal static MethodInfo CompiledRule(Assembly assembly, string ruleName)
    {
        var type = assembly.GetTypes().Single(t => t.IsClass && t.IsAbstract && t.IsSealed &&
            t.GetField("Name", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } f && (string?)f.GetRawConstantValue() == ruleName);
        return type.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == "Evaluate" && m.GetParameters().Length == 1);
    }

    /// <summary>Runs the generated policy class's Evaluate over the applications; per enterprise its total and (id, paid, payers' sum).</summary>
    private static List<(string Enterprise, decimal Total, List<(string Id, decimal Paid, decimal Payers)> Applications)> EvaluateCompiled(
        Assembly assembly, CheckedPolicy policy, IReadOnlyList<Application> applications)
    {
        var policyClass = assembly.GetTypes().Single(t => t.GetField("AwardUnit", BindingFlags.Public | BindingFlags.Static) is not null);
        var evaluate = policyClass.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == "Evaluate" && m.GetParameters().Length == 2
            && m.GetParameters()[0].ParameterType.IsGenericType);
        var applicationType = evaluate.GetParameters()[0].ParameterType.GetGenericArguments()[0];
        var array = Array.CreateInstance(applicationType, applications.Count);
        for (var i = 0; i < applications.Count; i++)
        {
            var a = applications[i];
            var factsType = CompiledRule(assembly, a.Rule).GetParameters()[0].ParameterType.GetElementType()!;
            var create = applicationType.GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Single(m => m.Name == "For").MakeGenericMethod(factsType);
            array.SetValue(create.Invoke(null, [a.Id, a.Enterprise, a.Date, BoxFacts(factsType, a.Facts), a.Subject, a.Location, a.FundedByHigherLevelPolicy]), i);
        }
        var results = (System.Collections.IEnumerable)evaluate.Invoke(null, [array, null])!;
        var list = new List<(string, decimal, List<(string, decimal, decimal)>)>();
        foreach (var result in results)
        {
            object? Get(object o, string name) => o.GetType().GetProperty(name)!.GetValue(o);
            var apps = new List<(string, decimal, decimal)>();
            foreach (var app in (System.Collections.IEnumerable)Get(result, "Applications")!)
            {
                var payers = ((System.Collections.IEnumerable)Get(app, "Payers")!).Cast<object>().Sum(p => (decimal)Get(p, "Amount")!);
                apps.Add(((string)Get(app, "Id")!, (decimal)Get(app, "Paid")!, payers));
            }
            list.Add(((string)Get(result, "Enterprise")!, (decimal)Get(result, "Total")!, apps));
        }
        _ = policy;
        return list;
    }

    internal static decimal InvokeCompiled(MethodInfo evaluate, Facts facts)
    {
        var boxed = BoxFacts(evaluate.GetParameters()[0].ParameterType.GetElementType()!, facts);
        var award = evaluate.Invoke(null, [boxed])!;
        return (decimal)award.GetType().GetProperty("Amount")!.GetValue(award)!;
    }

    internal static object BoxFacts(Type factsType, Facts facts)
    {
        var boxed = Activator.CreateInstance(factsType)!;
        foreach (var (name, value) in facts.Values)
        {
            var property = factsType.GetProperty(PolicyDsl.Emit.CSharpText.Identifier(name))!;
            object converted = value switch
            {
                QuantityValue q => q.Value,
                YesNoValue b => b.Value,
                MemberValue m when property.PropertyType.IsEnum => Enum.ToObject(property.PropertyType,
                    int.TryParse(m.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var rank) ? rank : m.Key[0] - 'a' + 1),
                _ => throw new InvalidOperationException("unexpected fact " + name),
            };
            property.SetValue(boxed, converted);
        }
        return boxed;
    }
}
