using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using PolicyDsl.Checking;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;
using Snapshooter;
using Snapshooter.Xunit;

namespace PolicyDsl.Generator.Tests;

/// <summary>
/// The per-construct corpus (tests/corpus/CONSTRUCT/: one small policy, its rules file if any, and cases.json with
/// applications and their expected awards). Every case runs through the interpreter of the plan (RuleEvaluator) and
/// through the generated C# compiled in-process, untraced and traced; both must give the expected award and cap, and
/// the traced steps of both must read the same. Each construct's generated C# is a small snapshot of its own.
/// </summary>
public class CorpusTests
{
    private static string CorpusDir => Path.Combine(AppContext.BaseDirectory, "corpus");

    public static TheoryData<string> Constructs()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(CorpusDir).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(dir));
        return data;
    }

    [Fact]
    public void The_corpus_covers_the_constructs()
    {
        var names = Directory.GetDirectories(CorpusDir).Select(Path.GetFileName).ToArray();
        Assert.Superset(new HashSet<string?>(["fixed-amount", "percent-with-cap", "per-unit-rate", "per-full-step", "table", "band", "relative-cap",
            "lets", "rounding", "parameters", "yearly-cap", "case-by-case", "conditional", "qualifies-on"]), names.ToHashSet<string?>());
    }

    [Theory]
    [MemberData(nameof(Constructs))]
    public void Interpreter_and_generated_code_pay_the_expected_awards(string construct)
    {
        var (policy, run, cases) = Load(construct, scaledEntryPoints: true);
        var assembly = GeneratorHarness.Load(run.Output);
        Assert.NotEmpty(cases);
        int scaledTaken = 0, scaledDeclined = 0;
        foreach (var c in cases)
        {
            var rule = policy.FindRule(c.Rule) ?? throw new InvalidOperationException("no rule " + c.Rule);
            var what = construct + ": " + c.Rule + "(" + c.Facts + ")";

            // A case dated for a rule with an event window (§27.1): the window year is derived from the date on both sides.
            var reference = RuleEvaluator.Evaluate(policy, rule, c.Facts, c.Date);
            Assert.True(reference.Problems.IsEmpty, what + ": " + string.Join("; ", reference.Problems));
            Assert.True(c.Award == reference.Amount, $"{what}: interpreter pays {reference.Amount}, expected {c.Award}");
            Assert.Equal(c.BoundBy, reference.BoundBy);

            var generated = Generated.For(assembly, rule);
            var facts = generated.Facts(rule, c.Facts);
            // A rule with facts derived from the date has WithDate; one dated only for its validity (§27.12) derives none.
            if (c.Date is { } date && (rule.Window is not null || rule.Schedule is not null || !rule.After.IsEmpty)) facts = generated.WithDate(facts, date);
            var untraced = generated.Evaluate(facts, null);
            Assert.True(c.Award == Get<decimal>(untraced, "Amount"), $"{what}: generated code pays {Get<decimal>(untraced, "Amount")}, expected {c.Award}");
            Assert.Equal(c.BoundBy, Get<string?>(untraced, "BoundBy"));
            Assert.Null(Get<string?>(untraced, "Problem"));

            var trace = generated.NewTrace();
            var traced = generated.Evaluate(facts, trace);
            Assert.True(c.Award == Get<decimal>(traced, "Amount"), $"{what}: traced generated code pays {Get<decimal>(traced, "Amount")}");
            // The same steps in the same words (the interpreter also traces another rule's award it reads; generated code does not).
            var expectedSteps = reference.Trace.Where(t => !(t.Kind == TraceKind.Formula && t.Description.StartsWith("award of ", StringComparison.Ordinal) && t.Description.Contains('(')))
                .Select(t => t.Description).ToArray();
            var generatedSteps = ((IEnumerable)trace).Cast<object>().Select(s => Get<string>(s, "Description")).ToArray();
            Assert.Equal(expectedSteps, generatedSteps);

            // §26.2: the scaled entry point, given the same facts as scaled longs, pays the same amount.
            // (with the window year derived from the case's date, as the application API derives it)
            var scaledFacts = c.Date is { } on ? rule.WithDate(c.Facts, on) : c.Facts;
            if (generated.EvaluateScaled(policy, rule, scaledFacts) is var (taken, amount, places) && taken)
            {
                scaledTaken++;
                Assert.True(c.Award == amount / Pow10(places), $"{what}: TryEvaluateScaled pays {amount} at {places} places, expected {c.Award}");
            }
            else if (generated.HasScaledEntry) scaledDeclined++;
        }
        // Where some rule has the entry point, the corpus's cases reach it (a declined case is one the scaled path does not take).
        Assert.True(scaledTaken > 0 || scaledDeclined == 0, construct + ": no case took TryEvaluateScaled");
    }

    internal static decimal Pow10(int places)
    {
        var p = 1m;
        for (var i = 0; i < places; i++) p *= 10m;
        return p;
    }

    [Theory]
    [MemberData(nameof(Constructs))]
    public void Generated_code_of_each_construct_matches_its_snapshot(string construct)
    {
        var (_, run, _) = Load(construct);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Snapshot.Match(run.Source("Corpus.g.cs"), SnapshotNameExtension.Create(construct, "cs"));
    }

    // ---------- loading ----------

    private sealed record Case(string Rule, Facts Facts, decimal Award, string? BoundBy, DateOnly? Date = null);

    private static (CheckedPolicy Policy, GeneratorHarness.Run Run, IReadOnlyList<Case> Cases) Load(string construct, bool scaledEntryPoints = false)
    {
        var dir = Path.Combine(CorpusDir, construct);
        var policyText = File.ReadAllText(Path.Combine(dir, "policy.policy"));
        var rulesPath = Path.Combine(dir, "policy.rules");
        var rulesText = File.Exists(rulesPath) ? File.ReadAllText(rulesPath) : null;
        var compiled = PolicyCompiler.Compile("/corpus/" + construct + "/policy.policy", policyText, rulesText is null ? null : "/corpus/" + construct + "/policy.rules", rulesText);
        Assert.False(compiled.HasErrors, string.Join(Environment.NewLine, compiled.Errors));
        var policy = compiled.Policy!;

        var files = new List<AdditionalText> { new InMemoryAdditionalText("/corpus/" + construct + "/policy.policy", policyText) };
        if (rulesText is not null) files.Add(new InMemoryAdditionalText("/corpus/" + construct + "/policy.rules", rulesText));
        var options = scaledEntryPoints
            ? new TestOptionsProvider(new Dictionary<string, string> { ["build_property.PolicyDslScaledEntryPoints"] = "true" }, new Dictionary<string, IReadOnlyDictionary<string, string>>())
            : null;
        var run = GeneratorHarness.RunGenerator(files, options: options);
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "cases.json")));
        var cases = new List<Case>();
        foreach (var c in json.RootElement.GetProperty("cases").EnumerateArray())
        {
            var ruleName = c.GetProperty("rule").GetString()!;
            var rule = policy.FindRule(ruleName) ?? throw new InvalidOperationException("no rule " + ruleName);
            var facts = Facts.Empty;
            foreach (var f in c.GetProperty("facts").EnumerateObject())
            {
                var fact = rule.FindFact(f.Name) ?? throw new InvalidOperationException("no fact " + f.Name);
                facts = facts.With(f.Name, fact.Kind switch
                {
                    FactKind.Quantity => FactValue.Of(f.Value.GetDecimal()),
                    FactKind.YesNo => FactValue.Of(f.Value.GetBoolean()),
                    FactKind.Date => FactValue.Of(DateOnly.Parse(f.Value.GetString()!, CultureInfo.InvariantCulture)),
                    _ => FactValue.Member(f.Value.GetString()!),
                });
            }
            var bound = c.GetProperty("boundBy");
            DateOnly? date = c.TryGetProperty("date", out var d) ? DateOnly.Parse(d.GetString()!, CultureInfo.InvariantCulture) : null;
            cases.Add(new Case(ruleName, facts, c.GetProperty("award").GetDecimal(), bound.ValueKind == JsonValueKind.Null ? null : bound.GetString(), date));
        }
        return (policy, run, cases);
    }

    private static T Get<T>(object o, string property) => (T)o.GetType().GetProperty(property)!.GetValue(o)!;

    /// <summary>A generated rule class found by its Name constant, called through reflection.</summary>
    private sealed class Generated(Type ruleType, MethodInfo traced, Type factsType, Type traceStep)
    {
        public static Generated For(Assembly assembly, Rule rule)
        {
            var type = assembly.GetTypes().Single(t => t.IsClass && t.IsAbstract && t.IsSealed &&
                t.GetField("Name", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } f && (string?)f.GetRawConstantValue() == rule.Name);
            var evaluate = type.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == "Evaluate" && m.GetParameters().Length == 3);
            var factsType = evaluate.GetParameters()[0].ParameterType.GetElementType()!;
            var traceStep = evaluate.GetParameters()[2].ParameterType.GetGenericArguments()[0];
            return new Generated(type, evaluate, factsType, traceStep);
        }

        public object Facts(Rule rule, Facts facts)
        {
            var boxed = Activator.CreateInstance(factsType)!;
            foreach (var (name, value) in facts.Values)
            {
                var property = factsType.GetProperty(Emit.CSharpText.Identifier(name)) ?? throw new InvalidOperationException("no property for fact " + name);
                object converted = value switch
                {
                    QuantityValue q => q.Value,
                    YesNoValue y => y.Value,
                    DateValue d => d.Value,
                    MemberValue m => Enum.Parse(property.PropertyType, rule.FindFact(name)!.Kind == FactKind.Level ? "Level" + m.Key : Emit.CSharpText.Identifier(m.Key)),
                    _ => throw new InvalidOperationException("unknown value " + value),
                };
                property.SetValue(boxed, converted);
            }
            return boxed;
        }

        /// <summary>The generated WithDate (a rule with an event window): the window year derived from the application's date.</summary>
        public object WithDate(object facts, DateOnly date) =>
            (ruleType.GetMethod("WithDate", BindingFlags.Public | BindingFlags.Static) ?? throw new InvalidOperationException(ruleType.Name + " has no WithDate"))
                .Invoke(null, [facts, date])!;

        public object NewTrace() => Activator.CreateInstance(typeof(List<>).MakeGenericType(traceStep))!;

        public object Evaluate(object facts, object? trace)
        {
            var parameters = traced.GetParameters()[1].ParameterType;
            var fromRules = parameters.GetField("FromRules", BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
            return traced.Invoke(null, [facts, fromRules, trace])!;
        }

        private MethodInfo? Scaled => ruleType.GetMethods(BindingFlags.Public | BindingFlags.Static).SingleOrDefault(m => m.Name == "TryEvaluateScaled" && m.GetParameters().Length == 2);

        public bool HasScaledEntry => Scaled is not null;

        /// <summary>
        /// The case through TryEvaluateScaled: each quantity fact times 10^places of its scaled input (the plan's); (false, 0, 0) where
        /// the rule has no entry point or a value is not a whole number of the small unit (the caller would pass decimals there).
        /// </summary>
        public (bool Taken, long Amount, int Places) EvaluateScaled(CheckedPolicy policy, Rule rule, Facts facts)
        {
            if (Scaled is not { } scaled || Plan.RulePlanner.For(policy, rule).Scaled is not { } plan) return (false, 0, 0);
            var factsType = scaled.GetParameters()[0].ParameterType.GetElementType()!;
            var boxed = Activator.CreateInstance(factsType)!;
            foreach (var (name, value) in facts.Values)
            {
                var property = factsType.GetProperty(Emit.CSharpText.Identifier(name)) ?? throw new InvalidOperationException("no scaled property for fact " + name);
                object converted;
                if (value is QuantityValue q)
                {
                    var places = plan.Inputs.Single(i => i.Source is Plan.FactSource f && f.Fact == name).Places;
                    var units = q.Value * Pow10(places);
                    if (units != decimal.Truncate(units) || units < long.MinValue || units > long.MaxValue) return (false, 0, 0);
                    converted = (long)units;
                }
                else converted = value switch
                {
                    YesNoValue y => y.Value,
                    DateValue d => d.Value,
                    MemberValue m => Enum.Parse(property.PropertyType, rule.FindFact(name)!.Kind == FactKind.Level ? "Level" + m.Key : Emit.CSharpText.Identifier(m.Key)),
                    _ => throw new InvalidOperationException("unknown value " + value),
                };
                property.SetValue(boxed, converted);
            }
            object?[] args = [boxed, null];
            var taken = (bool)scaled.Invoke(null, args)!;
            var amountPlaces = (int)ruleType.GetField("AmountPlaces", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
            return (taken, (long)args[1]!, amountPlaces);
        }

        public override string ToString() => ruleType.Name;
    }
}
