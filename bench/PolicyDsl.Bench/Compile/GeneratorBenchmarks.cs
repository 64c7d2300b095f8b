using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using PolicyDsl.Generator;

namespace PolicyDsl.Bench.Compile;

/// <summary>An additional file held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, System.Text.Encoding.UTF8);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>
/// The whole source generator under CSharpGeneratorDriver over an in-memory compilation (.NET 10
/// reference assemblies): a first run, a re-run after a .cs file changed (the policy is untouched, so the
/// generator must do no policy work), and a re-run after one clause changed. Ratios are to the first run.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    [Params(Inputs.Tongzhou, "1000")]
    public string Size { get; set; } = Inputs.Tongzhou;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation _compilation = null!, _editedCs = null!;
    private AdditionalText[] _files = [];
    private GeneratorDriver _warm = null!, _clauseEdited = null!;

    public static CSharpCompilation CreateCompilation(string userCode) => CSharpCompilation.Create(
        "PolicyDslBench",
        [CSharpSyntaxTree.ParseText(userCode, ParseOptions, path: "User.cs")],
        [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(PolicyDsl.Runtime.Award).Assembly.Location)],
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> files, bool track = false) => CSharpGeneratorDriver.Create(
        [new PolicyGenerator().AsSourceGenerator()], files, ParseOptions, optionsProvider: null,
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    private const string UserCode = "namespace User { public static class Marker { public static int Value => 1; } }";
    private const string EditedUserCode = "namespace User { public static class Marker { public static int Value => 2; } }";

    public static (string Old, string New) ClauseEdit(string size) => size == Inputs.Tongzhou
        ? ("award 0.14 points per 2000 yuan of booth_fee", "award 0.15 points per 2000 yuan of booth_fee")
        : ("cap 10 points per project", "cap 9 points per project");

    [GlobalSetup]
    public void Setup()
    {
        var (policy, rules) = Inputs.Get(Size);
        _files = [new InMemoryAdditionalText(Inputs.PolicyPath(Size), policy), new InMemoryAdditionalText(Inputs.RulesPath(Size), rules)];
        _compilation = CreateCompilation(UserCode);
        _editedCs = _compilation.ReplaceSyntaxTree(_compilation.SyntaxTrees[0], CSharpSyntaxTree.ParseText(EditedUserCode, ParseOptions, path: "User.cs"));
        _warm = CreateDriver(_files).RunGeneratorsAndUpdateCompilation(_compilation, out var output, out var diagnostics);
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) || output.SyntaxTrees.Count() < 3)
            throw new InvalidOperationException("the generator did not produce the policy: " + string.Join("; ", diagnostics));
        var (old, @new) = ClauseEdit(Size);
        var index = policy.IndexOf(old, StringComparison.Ordinal);
        if (index < 0) throw new InvalidOperationException("clause edit not found");
        var edited = policy[..index] + @new + policy[(index + old.Length)..];
        _clauseEdited = _warm.ReplaceAdditionalText(_files[0], new InMemoryAdditionalText(Inputs.PolicyPath(Size), edited));
        Console.WriteLine("// " + IncrementalCheck.Describe(_files, _compilation, _editedCs));
    }

    [Benchmark(Baseline = true, Description = "Generator: first run")]
    public Compilation FirstRun()
    {
        CreateDriver(_files).RunGeneratorsAndUpdateCompilation(_compilation, out var output, out _);
        return output;
    }

    [Benchmark(Description = "Generator: re-run after a .cs edit")]
    public Compilation RerunAfterCsEdit()
    {
        _warm.RunGeneratorsAndUpdateCompilation(_editedCs, out var output, out _);
        return output;
    }

    [Benchmark(Description = "Generator: re-run after one clause edit")]
    public Compilation RerunAfterClauseEdit()
    {
        _clauseEdited.RunGeneratorsAndUpdateCompilation(_compilation, out var output, out _);
        return output;
    }
}

/// <summary>Which generator steps ran on a re-run after a .cs-only edit (tracked run): all must be cached or unchanged.</summary>
public static class IncrementalCheck
{
    public static string Describe(AdditionalText[] files, CSharpCompilation compilation, CSharpCompilation edited)
    {
        var driver = GeneratorBenchmarks.CreateDriver(files, track: true).RunGenerators(compilation);
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();
        var names = new[] { TrackingNames.Read, TrackingNames.Parse, TrackingNames.Pair, TrackingNames.Check, TrackingNames.Emit };
        var parts = new List<string>();
        var worked = false;
        foreach (var name in names)
        {
            if (!result.TrackedSteps.TryGetValue(name, out var steps)) { parts.Add(name + ": -"); continue; }
            var reasons = steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
            worked |= reasons.Any(r => r is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
            parts.Add(name + ": " + string.Join(",", reasons.GroupBy(r => r).Select(g => g.Key + (g.Count() > 1 ? "x" + g.Count() : ""))));
        }
        return (worked ? "POLICY WORK after .cs edit! " : "no policy work after .cs edit: ") + string.Join("; ", parts);
    }
}
