using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PolicyDsl.Generator.Tests;

/// <summary>
/// The analyzer shipped with the generator: a constant given to a generated parameter property from C# above a
/// cap of its rule is PDSL0405 (above the declared bound PDSL0406), with the message `policyc check` gives for the
/// same value in a .rules file, at the value.
/// </summary>
public class ParameterCapAnalyzerTests
{
    private const string Ns = "PolicyDsl.Policies.Tongzhou2026";

    /// <summary>Runs the generator over the files and the user code, then the analyzer over the result.</summary>
    private static (ImmutableArray<Diagnostic> Analyzer, ImmutableArray<Diagnostic> Compiler, string User) Analyze(AdditionalText[] files, string body, string? usingNamespace = Ns)
    {
        var user = (usingNamespace is null ? "" : "using " + usingNamespace + ";") + "\nnamespace User\n{\n    public static class Code\n    {\n        public static object Run(decimal input)\n        {\n" + body + "\n        }\n    }\n}\n";
        var run = GeneratorHarness.RunGenerator(files, warningsAsErrors: false, csharp: [user]);
        var withAnalyzers = run.Output.WithAnalyzers([new ParameterCapAnalyzer()],
            new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
        var analyzer = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var compiler = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return (analyzer, compiler, user);
    }

    private static (ImmutableArray<Diagnostic> Analyzer, string User) Tongzhou(string body)
    {
        var (analyzer, compiler, user) = Analyze(GeneratorHarness.Tongzhou(), body);
        Assert.Empty(compiler); // the user code itself compiles
        return (analyzer, user);
    }

    /// <summary>What `policyc check` says about the Tongzhou sample with one line of its rules file replaced.</summary>
    private static Diagnostics.Diagnostic CheckerSays(string id, string line, string replacement)
    {
        var rules = File.ReadAllText(GeneratorHarness.TongzhouRulesPath);
        Assert.Contains(line, rules, StringComparison.Ordinal);
        var compilation = Checking.PolicyCompiler.Compile(GeneratorHarness.TongzhouPolicyPath, File.ReadAllText(GeneratorHarness.TongzhouPolicyPath),
            "/r.rules", rules.Replace(line, replacement, StringComparison.Ordinal));
        return Assert.Single(compilation.Diagnostics, d => d.Id == id);
    }

    private static void AssertAt(Diagnostic diagnostic, string user, string literal)
    {
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var start = user.IndexOf(literal, StringComparison.Ordinal);
        Assert.True(start > 0);
        Assert.Equal(new Microsoft.CodeAnalysis.Text.TextSpan(start, literal.Length), diagnostic.Location.SourceSpan);
        Assert.Equal("Source0.cs", diagnostic.Location.SourceTree?.FilePath);
    }

    [Fact]
    public void A_decimal_above_the_cap_is_an_error_at_the_literal_with_the_checker_message()
    {
        var (diagnostics, user) = Tongzhou("return new CmmmMaturityParameters { Amount5 = 35m };");
        var error = Assert.Single(diagnostics);
        Assert.Equal("PDSL0405", error.Id);
        Assert.Equal("rule cmmm_maturity awards 35 points at level 5, above its cap of 30 points per enterprise", error.GetMessage());
        AssertAt(error, user, "35m");

        var checker = CheckerSays("PDSL0405", "set cmmm_maturity.amount[5] = 30 points", "set cmmm_maturity.amount[5] = 35 points");
        Assert.Equal(checker.Message, error.GetMessage());
    }

    [Fact]
    public void Values_at_and_below_the_cap_are_clean()
    {
        var (diagnostics, _) = Tongzhou("""
            return new object[]
            {
                new CmmmMaturityParameters { Amount5 = 30m, Amount4 = 29.99m, Amount3 = 0m, Amount2 = 30 },
                new MunicipalTechCenterParameters { Amount = 10.000m },
                new IndustryUniversityCooperationParameters { Rate = 0.3m },
                new CmmmMaturityParameters { Amount5 = null },
            };
            """);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void A_value_that_is_not_a_constant_is_not_checked()
    {
        var (diagnostics, _) = Tongzhou("""
            var big = 35m;
            return new object[]
            {
                new CmmmMaturityParameters { Amount5 = big },
                new CmmmMaturityParameters { Amount5 = input * 100m },
            };
            """);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void An_int_and_a_constant_expression_above_the_cap_are_errors()
    {
        var (diagnostics, user) = Tongzhou("""
            const decimal Extra = 5m;
            return new object[]
            {
                new MunicipalTechCenterParameters { Amount = 11 },
                new CmmmMaturityParameters { Amount4 = 30m + Extra },
                new MunicipalTechCenterParameters { Amount = (decimal?)10.5m },
            };
            """);
        Assert.Equal(3, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal("PDSL0405", d.Id));
        var ordered = diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToArray();
        Assert.Equal("rule municipal_tech_center awards 11 points, above its cap of 10 points per enterprise", ordered[0].GetMessage());
        AssertAt(ordered[0], user, "11");
        Assert.Equal("rule cmmm_maturity awards 35 points at level 4, above its cap of 30 points per enterprise", ordered[1].GetMessage());
        AssertAt(ordered[1], user, "30m + Extra");
        Assert.Equal("rule municipal_tech_center awards 10.5 points, above its cap of 10 points per enterprise", ordered[2].GetMessage());

        var checker = CheckerSays("PDSL0405", "set municipal_tech_center.amount = 10 points", "set municipal_tech_center.amount = 11 points");
        Assert.Equal(checker.Message, ordered[0].GetMessage());
    }

    [Fact]
    public void A_table_parameter_reports_its_keys_and_the_cap_at_those_keys()
    {
        // standard_drafting's cap is itself a table by standard level and drafting rank: 15 points for an international standard, 2nd drafter.
        var (diagnostics, user) = Tongzhou("return new StandardDraftingParameters { AmountInternationalSecond = 16m, AmountNationalSecond = 8m };");
        var error = Assert.Single(diagnostics);
        Assert.Equal("PDSL0405", error.Id);
        Assert.Equal("rule standard_drafting awards 16 points for international, second, above its cap of 15 points per project", error.GetMessage());
        AssertAt(error, user, "16m");

        var checker = CheckerSays("PDSL0405", "set standard_drafting.amount[international, second] = 15 points", "set standard_drafting.amount[international, second] = 16 points");
        Assert.Equal(checker.Message, error.GetMessage());
    }

    [Fact]
    public void A_value_above_the_declared_bound_is_PDSL0406_with_the_checker_message()
    {
        var (diagnostics, user) = Tongzhou("return new IndustryUniversityCooperationParameters { Rate = 0.4m };");
        var error = Assert.Single(diagnostics);
        Assert.Equal("PDSL0406", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("industry_university_cooperation.rate is set to 40%, above its declared bound: expected at most 30%", error.GetMessage());
        AssertAt(error, user, "0.4m");

        var checker = CheckerSays("PDSL0406", "set industry_university_cooperation.rate = 30%", "set industry_university_cooperation.rate = 40%");
        Assert.Equal(checker.Message, error.GetMessage());
    }

    private const string Levels = """
        policy Levels "分档"
          effective 2026-01-01 through 2026-12-31
          points worth at most 10000 yuan

        section 1 "章" department "部门"
          clause 1 "条"
            rule tiered "分档奖励"
              source "二级以上按档奖励，单个企业最高不超过20分，每年不超过15分。"
              fact level: level 3 "三级", 2 "二级", 1 "一级"
              param amount[level]: points
              requires level >= 2
              award amount[level]
              cap 20 points per enterprise
              cap 15 points per enterprise per year
            rule flat "定额奖励"
              source "定额奖励。"
              fact done: yes/no
              param amount: points
              requires done
              award amount
              cap 2 points per project
        """;

    [Fact]
    public void In_a_small_policy_the_first_cap_exceeded_is_reported_and_unreachable_keys_are_not_checked()
    {
        var files = new AdditionalText[] { new InMemoryAdditionalText("/p/levels.policy", Levels) };
        var (diagnostics, compiler, user) = Analyze(files, """
            return new object[]
            {
                new PolicyDsl.Policies.Levels.TieredParameters { Amount3 = 25m, Amount2 = 16m, Amount1 = 99m },
                new PolicyDsl.Policies.Levels.FlatParameters { Amount = 2.5m },
            };
            """, usingNamespace: null);
        Assert.Empty(compiler);
        var ordered = diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToArray();
        Assert.Equal(3, ordered.Length);
        // 25 is above both caps: the first one in the rule is named, once (as the checker does).
        Assert.Equal("rule tiered awards 25 points at level 3, above its cap of 20 points per enterprise", ordered[0].GetMessage());
        AssertAt(ordered[0], user, "25m");
        Assert.Equal("rule tiered awards 16 points at level 2, above its cap of 15 points per enterprise per year", ordered[1].GetMessage());
        // Level 1 can never be awarded (requires level >= 2): not checked, like the checker.
        Assert.Equal("rule flat awards 2.5 points, above its cap of 2 points per project", ordered[2].GetMessage());
        AssertAt(ordered[2], user, "2.5m");

        var rules = """
            implementation of Levels "细则"
              set tiered.amount[3] = 25 points
              set tiered.amount[2] = 16 points
              set tiered.amount[1] = 99 points
              set flat.amount = 2.5 points
            """;
        var check = Checking.PolicyCompiler.Compile("/p/levels.policy", Levels, "/p/levels.rules", rules);
        Assert.Equal(ordered.Select(d => d.GetMessage()), check.Diagnostics.Where(d => d.Id == "PDSL0405").Select(d => d.Message));
    }

    [Fact]
    public void The_analyzer_is_in_the_generator_assembly_and_reports_the_catalog_descriptors()
    {
        Assert.Same(typeof(PolicyGenerator).Assembly, typeof(ParameterCapAnalyzer).Assembly);
        var analyzer = new ParameterCapAnalyzer();
        Assert.Equal(["PDSL0405", "PDSL0406"], analyzer.SupportedDiagnostics.Select(d => d.Id));
        Assert.All(analyzer.SupportedDiagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity));
        Assert.Equal(Diagnostics.DiagnosticCatalog.ValueAboveCap.MessageFormat, analyzer.SupportedDiagnostics[0].MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Code_without_policy_parameters_is_untouched()
    {
        var (diagnostics, _, _) = Analyze(GeneratorHarness.Tongzhou(), """
            var list = new System.Collections.Generic.List<decimal?> { 35m };
            var holder = new Holder { Value = 35m };
            return (list, holder);
            }
            private sealed class Holder { public decimal? Value { get; set; } }
            private static void Unused() {
            """);
        Assert.Empty(diagnostics);
    }

    private static string DocsPage(string id, [System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "docs", "diagnostics", id + ".md"));

    [Theory]
    [InlineData("PDSL0405")]
    [InlineData("PDSL0406")]
    public void The_docs_csharp_examples_give_the_error_they_show(string id)
    {
        var page = DocsPage(id);
        var policy = System.Text.RegularExpressions.Regex.Match(page, "```policy\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var fromCSharp = page[page.IndexOf("## From C#", StringComparison.Ordinal)..];
        var blocks = System.Text.RegularExpressions.Regex.Matches(fromCSharp, "```csharp\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(2, blocks.Length);
        var files = new AdditionalText[] { new InMemoryAdditionalText("/p/demo.policy", policy) };
        string Body(string block) => string.Join("\n", block.Split('\n').Where(l => !l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("//", StringComparison.Ordinal))) + "\nreturn parameters;";

        var (wrong, compiler, _) = Analyze(files, Body(blocks[0]), "PolicyDsl.Policies.Demo");
        Assert.Empty(compiler);
        var error = Assert.Single(wrong);
        var shown = blocks[0].Split('\n').Single(l => l.StartsWith("// error ", StringComparison.Ordinal));
        Assert.Equal("// error " + error.Id + ": " + error.GetMessage(), shown);
        Assert.Equal(id, error.Id);

        var (right, rightCompiler, _) = Analyze(files, Body(blocks[1]), "PolicyDsl.Policies.Demo");
        Assert.Empty(rightCompiler);
        Assert.Empty(right);
    }

    [Fact]
    public async Task Parameters_from_a_referenced_rules_library_are_checked_too()
    {
        // generated/Tongzhou2026.Rules, built through the generator, referenced as metadata (no generator in this compilation).
        var library = MetadataReference.CreateFromFile(typeof(PolicyDsl.Policies.Tongzhou2026.CmmmMaturityParameters).Assembly.Location);
        const string user = "namespace User { public static class Code { public static object Run() => new PolicyDsl.Policies.Tongzhou2026.CmmmMaturityParameters { Amount5 = 35m, Amount4 = 30m }; } }";
        var compilation = GeneratorHarness.Compilation(false, user).AddReferences(library);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await compilation.WithAnalyzers([new ParameterCapAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var error = Assert.Single(diagnostics);
        Assert.Equal("rule cmmm_maturity awards 35 points at level 5, above its cap of 30 points per enterprise", error.GetMessage());
        AssertAt(error, user, "35m");
    }
}
