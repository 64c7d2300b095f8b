using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Snapshooter;
using Snapshooter.Xunit;

namespace PolicyDsl.Generator.Tests;

public class GeneratorOutputTests
{
    /// <summary>
    /// One Tongzhou rule's generated code (leased_protection: a yes/no condition, a rate, a constant cap and a relative cap
    /// read from another rule's award, a scaled path beside the decimal one), not the whole 32-rule file: each construct has
    /// its own small snapshot in the corpus (CorpusTests), so a change to one construct changes one snapshot.
    /// </summary>
    [Fact]
    public void One_Tongzhou_rule_matches_its_snapshot()
    {
        var run = GeneratorHarness.RunGenerator(GeneratorHarness.Tongzhou());
        Assert.Empty(run.GeneratorDiagnostics);
        var source = run.Source("Tongzhou2026.g.cs");
        const string marker = "    /// <summary>The facts (inputs) of rule ";
        var start = source.IndexOf(marker + "leased_protection ", StringComparison.Ordinal);
        Assert.True(start >= 0);
        var end = source.IndexOf(marker, start + marker.Length, StringComparison.Ordinal);
        Snapshot.Match(source[start..end], SnapshotNameExtension.Create("cs"));
    }

    /// <summary>
    /// Every rule of Tongzhou, compiled and loaded: its classes exist, every fact is a required member (a forgotten fact is a
    /// compile error), its caps are the plan's (limits, scopes, periods, texts) and an application evaluates as the
    /// interpreter does (the sample applications: EvaluationTests; random facts: FixedPointTests).
    /// </summary>
    [Fact]
    public void Every_Tongzhou_rule_is_generated_with_required_facts_and_the_plan_caps()
    {
        var run = GeneratorHarness.RunGenerator(GeneratorHarness.Tongzhou());
        Assert.Empty(run.Output.GetDiagnostics());
        var assembly = GeneratorHarness.Load(run.Output);
        var policy = PolicyDsl.Checking.PolicyCompiler.Compile(GeneratorHarness.TongzhouPolicyPath, File.ReadAllText(GeneratorHarness.TongzhouPolicyPath),
            GeneratorHarness.TongzhouRulesPath, File.ReadAllText(GeneratorHarness.TongzhouRulesPath)).Policy!;
        var ruleTypes = assembly.GetTypes().Where(t => t.IsClass && t.IsAbstract && t.IsSealed && t.GetField("Name") is { IsLiteral: true } && t.GetField("Caps") is not null && t.GetField("Rules") is null).ToArray();
        Assert.Equal(policy.Rules.Count(), ruleTypes.Length);
        foreach (var rule in policy.Rules)
        {
            var type = ruleTypes.Single(t => (string?)t.GetField("Name")!.GetRawConstantValue() == rule.Name);
            var evaluate = type.GetMethods().Single(m => m.Name == "Evaluate" && m.GetParameters().Length == 3);
            var facts = evaluate.GetParameters()[0].ParameterType.GetElementType()!;
            Assert.Equal(rule.Facts.Count, facts.GetProperties().Length);
            Assert.All(facts.GetProperties(), p => Assert.NotNull(p.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>()));
            var caps = ((System.Collections.IEnumerable)type.GetField("Caps")!.GetValue(null)!).Cast<object>()
                .Select(c => ((decimal?)Get(c, "Limit"), Get(c, "Scope")!.ToString()!, Get(c, "Period")!.ToString()!, (string?)Get(c, "Text")));
            var plan = PolicyDsl.Plan.RulePlanner.For(policy, rule);
            Assert.Equal(plan.Caps.Select(c => (c.ConstantLimit, c.Cap.Scope.ToString(), c.Cap.Period.ToString(), (string?)c.Stated)), caps);
        }
    }

    private static object? Get(object o, string property) => o.GetType().GetProperty(property)!.GetValue(o);

    [Fact]
    public void Awkward_names_and_strings_match_snapshot_and_compile()
    {
        var run = GeneratorHarness.RunGenerator([new InMemoryAdditionalText("/p/awkward.policy", SmallPolicies.Awkward)]);
        Assert.Empty(run.GeneratorDiagnostics);
        var source = run.Source("Awkward.g.cs");
        Snapshot.Match(source, SnapshotNameExtension.Create("cs"));
        Assert.Empty(run.Output.GetDiagnostics());
        // The bidi override never reaches the C# text as a raw character.
        Assert.DoesNotContain('\u202E', source);
        Assert.Contains("\\u202E", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Tongzhou_generated_code_compiles_without_any_diagnostic()
    {
        // Nullable enabled, every warning reported as an error, warning level 9999.
        var run = GeneratorHarness.RunGenerator(GeneratorHarness.Tongzhou());
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Output.GetDiagnostics());
        Assert.Equal(["Tongzhou2026.g.cs"], run.HintNames.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("band-rate.policy", null)]
    [InlineData("case-by-case.policy", null)]
    [InlineData("chinese-keywords.policy", "chinese-keywords.rules")]
    [InlineData("increase-over-baseline.policy", null)]
    [InlineData("instalments.policy", null)]
    [InlineData("matching-funds.policy", "matching-funds.rules")]
    [InlineData("money-award.policy", null)]
    [InlineData("uncapped.policy", null)]
    [InlineData("yearly-rates.policy", null)]
    public void Every_example_compiles_without_any_diagnostic(string policy, string? rules)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "samples", "examples");
        var files = new List<AdditionalText> { new InMemoryAdditionalText("/e/" + policy, File.ReadAllText(Path.Combine(dir, policy))) };
        if (rules is not null) files.Add(new InMemoryAdditionalText("/e/" + rules, File.ReadAllText(Path.Combine(dir, rules))));
        var run = GeneratorHarness.RunGenerator(files);
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(run.Output.GetDiagnostics());
        Assert.Single(run.HintNames);
    }

    [Fact]
    public void Output_is_byte_identical_across_runs_and_cultures()
    {
        var original = CultureInfo.CurrentCulture;
        var originalUi = CultureInfo.CurrentUICulture;
        var outputs = new List<string>();
        try
        {
            foreach (var culture in new[] { "en-US", "de-DE", "ar-SA", "zh-CN", "tr-TR", "fa-IR" })
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
                var run = GeneratorHarness.RunGenerator(GeneratorHarness.Tongzhou());
                outputs.Add(run.Source("Tongzhou2026.g.cs"));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
            CultureInfo.CurrentUICulture = originalUi;
        }
        Assert.All(outputs, o => Assert.Equal(outputs[0], o));
    }

    [Fact]
    public void Emitter_is_a_pure_function_of_the_checked_model()
    {
        var compilation = Checking.PolicyCompiler.Compile(GeneratorHarness.TongzhouPolicyPath, File.ReadAllText(GeneratorHarness.TongzhouPolicyPath),
            GeneratorHarness.TongzhouRulesPath, File.ReadAllText(GeneratorHarness.TongzhouRulesPath));
        Assert.False(compilation.HasErrors);
        var a = Emit.CSharpEmitter.Emit(compilation.Policy!);
        var b = Emit.CSharpEmitter.Emit(compilation.Policy!);
        Assert.Equal(a, b);
        Assert.StartsWith("// <auto-generated/>", a, StringComparison.Ordinal);
        Assert.Contains("#nullable enable", a, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("class", "Class")]
    [InlineData("int", "Int")]
    [InlineData("outage_insurance", "OutageInsurance")]
    [InlineData("2nd", "_2nd")]
    [InlineData("游客", "游客")]
    [InlineData("a-b c", "ABC")]
    [InlineData("", "_")]
    public void Identifiers_are_valid(string name, string expected)
    {
        var id = Emit.CSharpText.Identifier(name);
        Assert.Equal(expected, id);
        Assert.True(Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(id));
        Assert.Equal(Microsoft.CodeAnalysis.CSharp.SyntaxKind.None, Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(id));
        Assert.Equal("class_", Emit.CSharpText.Identifier("class", pascal: false));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("quote \" backslash \\ newline \n cr \r tab \t")]
    [InlineData("bidi \u202E\u2066 zero width \u200B nul \0 */ #line 1 \u2028")]
    [InlineData("中文 😀")]
    public void String_literals_round_trip(string value)
    {
        var literal = Emit.CSharpText.StringLiteral(value);
        var expression = Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseExpression(literal);
        Assert.Empty(expression.GetDiagnostics());
        Assert.Equal(value, ((Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax)expression).Token.ValueText);
        Assert.DoesNotContain('\n', literal);
        Assert.DoesNotContain('\u202E', literal);
    }
}
