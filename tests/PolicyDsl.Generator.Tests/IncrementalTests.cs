using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PolicyDsl.Generator.Tests;

public class IncrementalTests
{
    private static readonly string[] PolicySteps = [TrackingNames.Read, TrackingNames.Parse, TrackingNames.Pair, TrackingNames.Check, TrackingNames.Emit];

    private static IEnumerable<(string Step, IncrementalStepRunReason Reason)> Outputs(GeneratorDriverRunResult result, string step) =>
        result.Results.Single().TrackedSteps.TryGetValue(step, out var runs)
            ? runs.SelectMany(r => r.Outputs).Select(o => (step, o.Reason))
            : [];

    [Fact]
    public void Editing_a_cs_file_leaves_every_policy_step_cached()
    {
        var compilation = GeneratorHarness.Compilation("namespace User { public static class A { } }");
        var driver = GeneratorHarness.Driver(GeneratorHarness.Tongzhou()).RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText("namespace User { public static class A { public const int X = 1; } }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult();

        foreach (var step in PolicySteps)
        {
            var outputs = Outputs(result, step).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{o.Step}: {o.Reason}"));
        }
    }

    [Fact]
    public void Editing_one_of_two_policies_regenerates_only_that_one()
    {
        var awkward = new InMemoryAdditionalText("/p/awkward.policy", SmallPolicies.Awkward);
        var second = new InMemoryAdditionalText("/p/second.policy", SmallPolicies.Second);
        var compilation = GeneratorHarness.Compilation("namespace User { public static class A { } }");
        var driver = GeneratorHarness.Driver([awkward, second]).RunGenerators(compilation);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        driver = driver.ReplaceAdditionalText(second, new InMemoryAdditionalText("/p/second.policy", SmallPolicies.SecondEdited));
        var result = driver.RunGenerators(compilation).GetRunResult();

        // Check and Emit: one output Modified (Second), the other Cached/Unchanged (Awkward).
        foreach (var step in new[] { TrackingNames.Check, TrackingNames.Emit })
        {
            var reasons = Outputs(result, step).Select(o => o.Reason).ToList();
            Assert.Equal(2, reasons.Count);
            Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        }
        var check = result.Results.Single().TrackedSteps[TrackingNames.Check];
        var modified = check.Single(s => s.Outputs.Any(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal("Second.g.cs", ((CheckedUnit)modified.Outputs[0].Value).HintName);

        var after = result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Equal(before["Awkward.g.cs"], after["Awkward.g.cs"]);
        Assert.NotEqual(before["Second.g.cs"], after["Second.g.cs"]);
        Assert.Contains("0.40m", after["Second.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_models_hold_no_roslyn_symbols_nodes_locations_or_compilations()
    {
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SyntaxTree), typeof(SemanticModel) };
        var roots = new[] { typeof(InputFile), typeof(ParsedFile), typeof(PolicyUnit), typeof(CheckedUnit), typeof(EmittedUnit), typeof(SeverityOverride), typeof(GeneratorOptions) };
        var seen = new HashSet<Type>();
        var problems = new List<string>();
        foreach (var root in roots) Walk(root, root.Name, seen, forbidden, problems);
        Assert.Empty(problems);
        Assert.Contains(typeof(Model.CheckedPolicy), seen); // the walk reaches into the model
        Assert.Contains(typeof(Syntax.SourceFileSyntax), seen);
    }

    private static void Walk(Type type, string path, HashSet<Type> seen, Type[] forbidden, List<string> problems)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>)) type = type.GetGenericArguments()[0];
        if (type.IsArray) { Walk(type.GetElementType()!, path + "[]", seen, forbidden, problems); return; }
        if (forbidden.Any(f => f.IsAssignableFrom(type)))
        {
            problems.Add(path + ": " + type.FullName);
            return;
        }
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateOnly) || type == typeof(object)) return;
        if (!seen.Add(type)) return;
        if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments()) Walk(argument, path + "<" + argument.Name + ">", seen, forbidden, problems);
        if (type.Namespace is { } ns && (ns.StartsWith("System", StringComparison.Ordinal))) return; // ImmutableArray and friends: their type arguments were walked
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            Walk(field.FieldType, path + "." + field.Name, seen, forbidden, problems);
        // Abstract records: walk their subtypes in the same assembly (expressions, statements, conditions).
        if (type.IsAbstract)
            foreach (var sub in type.Assembly.GetTypes().Where(t => t.IsSubclassOf(type)))
                Walk(sub, path + "(" + sub.Name + ")", seen, forbidden, problems);
    }
}
