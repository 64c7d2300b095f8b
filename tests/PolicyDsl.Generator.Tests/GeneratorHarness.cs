using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PolicyDsl.Generator;

namespace PolicyDsl.Generator.Tests;

/// <summary>An additional file held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text, System.Text.Encoding.UTF8);
}

/// <summary>Analyzer config options from a dictionary per file path (and global ones), like .editorconfig gives.</summary>
internal sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> global, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> perFile)
    : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions => new Options(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        new Options(perFile.TryGetValue(textFile.Path, out var options) ? options : new Dictionary<string, string>());

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            foreach (var pair in values)
            {
                if (KeyComparer.Equals(pair.Key, key)) { value = pair.Value; return true; }
            }
            value = null;
            return false;
        }
    }
}

/// <summary>Runs the generator over an in-memory compilation with .NET 10 reference assemblies.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static string SamplesDir => Path.Combine(AppContext.BaseDirectory, "samples", "tongzhou-2026");

    public static string TongzhouPolicyPath => Path.Combine(SamplesDir, "tongzhou-2026.policy");

    public static string TongzhouRulesPath => Path.Combine(SamplesDir, "tongzhou-2026.rules");

    /// <summary>The sample files at stable virtual paths (so snapshots and positions do not depend on the machine).</summary>
    public static InMemoryAdditionalText[] Tongzhou() =>
    [
        new("/samples/tongzhou-2026/tongzhou-2026.policy", File.ReadAllText(TongzhouPolicyPath)),
        new("/samples/tongzhou-2026/tongzhou-2026.rules", File.ReadAllText(TongzhouRulesPath)),
    ];

    public static CSharpCompilation Compilation(params string[] sources) => Compilation(true, sources);

    public static CSharpCompilation Compilation(bool warningsAsErrors, params string[] sources) => CSharpCompilation.Create(
        "PolicyDslGeneratorTests",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: "Source" + i + ".cs")),
        [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(PolicyDsl.Runtime.Award).Assembly.Location)],
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            generalDiagnosticOption: warningsAsErrors ? ReportDiagnostic.Error : ReportDiagnostic.Default,
            // As the .NET SDK does: the runtime assembly targets net8.0, these references are net10.0 (CS1701/CS1702 are unification notes).
            specificDiagnosticOptions: [new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)],
            warningLevel: 9999));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> files, IIncrementalGenerator? generator = null,
        AnalyzerConfigOptionsProvider? options = null, bool track = true) =>
        CSharpGeneratorDriver.Create(
            [(generator ?? new PolicyGenerator()).AsSourceGenerator()],
            files,
            ParseOptions,
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    public sealed record Run(GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
    {
        public string Source(string hintSuffix) =>
            Result.Results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName.EndsWith(hintSuffix, StringComparison.Ordinal)).SourceText.ToString();

        public IEnumerable<string> HintNames => Result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName);
    }

    public static Run RunGenerator(IEnumerable<AdditionalText> files, IIncrementalGenerator? generator = null,
        AnalyzerConfigOptionsProvider? options = null, bool warningsAsErrors = true, params string[] csharp)
    {
        var compilation = Compilation(warningsAsErrors, csharp.Length == 0 ? ["namespace User { public static class Marker { } }"] : csharp);
        var driver = Driver(files, generator, options).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new Run(driver, driver.GetRunResult(), output, diagnostics);
    }

    /// <summary>Emits the output compilation and loads it, for evaluating the generated classes.</summary>
    public static Assembly Load(Compilation output)
    {
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        if (!emit.Success) throw new InvalidOperationException(string.Join(Environment.NewLine, emit.Diagnostics));
        return Assembly.Load(stream.ToArray());
    }
}
