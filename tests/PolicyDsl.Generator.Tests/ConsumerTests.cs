using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PolicyDsl.Runtime;

namespace PolicyDsl.Generator.Tests;

/// <summary>
/// Generated code as a consumer uses it: class libraries generated from policies, referenced by an app, all on the one
/// PolicyDsl.Runtime assembly. Compiled in-process with Roslyn (the same compiler dotnet build runs), so that the test
/// takes seconds.
/// </summary>
public sealed class ConsumerTests
{
    /// <summary>A one-rule policy (also the clause file of <see cref="RulesAssemblyTests"/>).</summary>
    internal const string Alpha = """
        policy Alpha "甲政策"
          effective 2026-01-01 through 2026-12-31
          points worth at most 10000 yuan
        section 1 "章" department "部门"
          clause 1 "条"
            rule booth "展位费补助"
              fact fee: yuan
              fact eligible: yes/no
              requires eligible
              award 10% of fee in points
              cap 5 points per enterprise per year
        """;

    private const string Beta = """
        policy Beta "乙政策"
          effective 2026-01-01 through 2026-12-31
        section 1 "章" department "部门"
          clause 1 "条"
            rule rent "房租补贴"
              fact rent: yuan
              award 50% of rent
              cap 20000 yuan per application
        """;

    private static readonly MetadataReference RuntimeReference = MetadataReference.CreateFromFile(typeof(Award).Assembly.Location);

    /// <summary>A class library generated from one policy: its image.</summary>
    private static byte[] Library(string name, string path, string policy)
    {
        var run = GeneratorHarness.RunGenerator([new InMemoryAdditionalText(path, policy)]);
        Assert.Empty(run.GeneratorDiagnostics);
        using var stream = new MemoryStream();
        var emit = run.Output.WithAssemblyName(name).Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return stream.ToArray();
    }

    private static CSharpCompilation App(string code, params byte[][] libraries) => CSharpCompilation.Create(
        "App",
        [CSharpSyntaxTree.ParseText(code, GeneratorHarness.ParseOptions, path: "App.cs")],
        [.. Basic.Reference.Assemblies.Net100.References.All, RuntimeReference, .. libraries.Select(l => MetadataReference.CreateFromImage(l))],
        GeneratorHarness.Compilation().Options);

    [Fact]
    public void An_app_referencing_two_libraries_generated_from_two_policies_builds_and_evaluates_both()
    {
        var alpha = Library("Alpha.Rules", "/alpha/alpha.policy", Alpha);
        var beta = Library("Beta.Rules", "/beta/beta.policy", Beta);
        // Award, EnterpriseResult and the ledger are named from the app: with a runtime compiled into each library,
        // these were CS0433 (the type exists in both).
        var app = App("""
            using PolicyDsl.Runtime;
            using PolicyDsl.Policies.Alpha;
            using PolicyDsl.Policies.Beta;

            namespace App;

            public static class Program
            {
                public static string Run()
                {
                    // 10% of 300,000 yuan = 30,000 yuan = 3 points; 50% of 100,000 yuan = 50,000, capped at 20,000 yuan.
                    Award booth = BoothRule.Evaluate(new BoothFacts { Fee = 300_000m, Eligible = true });
                    Award rent = RentRule.Evaluate(new RentFacts { Rent = 100_000m });
                    // Two booth applications of one enterprise in 2026: 3 points, then 2 left of the 5 per enterprise per year.
                    var ledger = new CapLedger();
                    EnterpriseResult e = AlphaPolicy.EvaluateEnterprise("E1", new[]
                    {
                        AlphaApplication.For("a1", "E1", new System.DateOnly(2026, 3, 1), new BoothFacts { Fee = 300_000m, Eligible = true }),
                        AlphaApplication.For("a2", "E1", new System.DateOnly(2026, 4, 1), new BoothFacts { Fee = 300_000m, Eligible = true }),
                    }, ledger: ledger);
                    var b = BetaPolicy.Evaluate(new[] { BetaApplication.For("b1", "E1", new System.DateOnly(2026, 5, 1), new RentFacts { Rent = 100_000m }) });
                    return Award.FormatNumber(booth.Amount) + " " + Award.FormatNumber(rent.Amount) + " | " +
                           Award.FormatNumber(e.Applications[0].Paid) + " " + Award.FormatNumber(e.Applications[1].Paid) + " " + Award.FormatNumber(e.Total) +
                           " | " + Award.FormatNumber(b[0].Total);
                }
            }
            """, alpha, beta);
        Assert.Empty(app.GetDiagnostics());

        using var stream = new MemoryStream();
        var emit = app.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        var context = new Libraries(new() { ["Alpha.Rules"] = alpha, ["Beta.Rules"] = beta });
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(stream.ToArray()));
            var run = assembly.GetType("App.Program", throwOnError: true)!.GetMethod("Run")!;
            Assert.Equal("3 20000 | 3 2 5 | 20000", run.Invoke(null, null));
            // Both libraries and the app run on the one runtime assembly this test references.
            Assert.All(context.Assemblies, a => Assert.DoesNotContain(a.GetTypes(), t => t.FullName == typeof(Award).FullName));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void A_fact_left_out_of_the_facts_is_a_compile_error()
    {
        // policyc eval rejects an application without a fact; the generated API does not compile one (no silent 0).
        var alpha = Library("Alpha.Rules", "/alpha/alpha.policy", Alpha);
        var app = App("""
            namespace App;
            public static class Program
            {
                public static decimal Run() => PolicyDsl.Policies.Alpha.BoothRule.Evaluate(new PolicyDsl.Policies.Alpha.BoothFacts { Fee = 300_000m }).Amount;
            }
            """, alpha);
        var error = Assert.Single(app.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CS9035", error.Id);
        Assert.Contains("Eligible", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_without_the_runtime_gets_PDSL0600_and_no_code_that_cannot_compile()
    {
        var compilation = CSharpCompilation.Create("NoRuntime",
            [CSharpSyntaxTree.ParseText("namespace User { public static class Marker { } }", GeneratorHarness.ParseOptions)],
            Basic.Reference.Assemblies.Net100.References.All, GeneratorHarness.Compilation().Options);
        var driver = GeneratorHarness.Driver([new InMemoryAdditionalText("/alpha/alpha.policy", Alpha)])
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var missing = Assert.Single(diagnostics);
        Assert.Equal("PDSL0600", missing.Id);
        Assert.Equal(DiagnosticSeverity.Error, missing.Severity);
        Assert.Equal("/alpha/alpha.policy", missing.Location.GetLineSpan().Path);
        Assert.Empty(driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources));
        Assert.Empty(output.GetDiagnostics());
    }

    [Fact]
    public void A_mistake_in_one_rule_leaves_the_other_rules_generated()
    {
        // A misspelt fact in clause 6's rule: that rule is not generated, every other rule is, and the user's code that
        // uses another rule compiles, so the build shows the PDSL error alone (not CS0234 for every type of the policy).
        var files = GeneratorHarness.Tongzhou();
        var policy = files[0].GetText()!.ToString();
        Assert.Contains("award 10% of rd_investment in points", policy, StringComparison.Ordinal);
        var broken = policy.Replace("award 10% of rd_investment in points", "award 10% of rd_investmnt in points", StringComparison.Ordinal);
        var run = GeneratorHarness.RunGenerator([new InMemoryAdditionalText(files[0].Path, broken), files[1]], csharp: """
            namespace User;
            public static class UsesAnotherRule
            {
                public static decimal Premium() => PolicyDsl.Policies.Tongzhou2026.OutageInsuranceRule.Evaluate(
                    new PolicyDsl.Policies.Tongzhou2026.OutageInsuranceFacts { AttachedToPropertyInsurance = true, Premium = 200_000m }).Amount;
            }
            """);
        // The unknown name alone: the fact it left unread is an echo of that cause, and no PDSL0130 repeats it (55fb35c).
        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("PDSL0101", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("rd_investmnt", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var source = run.Source("Tongzhou2026.g.cs");
        Assert.DoesNotContain("class ShortboardProjectRdRule", source, StringComparison.Ordinal);
        Assert.Contains("class OutageInsuranceRule", source, StringComparison.Ordinal);
        Assert.Empty(run.Output.GetDiagnostics());
    }

    /// <summary>Loads the generated libraries from their images; PolicyDsl.Runtime and the framework come from the default context.</summary>
    private sealed class Libraries(Dictionary<string, byte[]> images) : AssemblyLoadContext("consumer-" + Guid.NewGuid().ToString("N"), isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name) =>
            name.Name is { } n && images.TryGetValue(n, out var image) ? LoadFromStream(new MemoryStream(image)) : null;
    }
}
