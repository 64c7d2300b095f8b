using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using PolicyDsl.Checking;
using PolicyDsl.Emit;
using PolicyDsl.Generator;
using PdslDiagnostic = PolicyDsl.Diagnostics.Diagnostic;

namespace PolicyDsl.Hardening.Tests;

/// <summary>An additional file held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text, System.Text.Encoding.UTF8);
}

/// <summary>What one file (and its rules file) gives through every stage of the tool.</summary>
internal sealed record PipelineResult(ParsedSource Parsed, PolicyDsl.Checking.Compilation Checked, string? Emitted, ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<string> GeneratedSources);

/// <summary>Runs the parser, the checker, the emitter and the source generator; asserts the invariants every input must keep.</summary>
internal static class Harness
{
    public const string PolicyPath = "/in/fuzz.policy";
    public const string RulesPath = "/in/fuzz.rules";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>How many cases each property runs: small in CI, large under tests/fuzz.sh (PDSL_FUZZ_ITERATIONS).</summary>
    /// <remarks>PDSL_FUZZ_ITERATIONS is the count for cheap properties; one whose case costs about <paramref name="cost"/>
    /// cheap cases (compiling generated C#, running the generator) runs that many times fewer.</remarks>
    public static long Iterations(long ci, int cost = 1) =>
        long.TryParse(Environment.GetEnvironmentVariable("PDSL_FUZZ_ITERATIONS"), out var n) && n > 0 ? Math.Max(ci, n / cost) : ci;

    /// <summary>How long one case may take. Generous, because CI machines are slow and share cores.</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(30);

    public static string SamplesDir => Path.Combine(AppContext.BaseDirectory, "samples");

    public static string Sample(string relative) => File.ReadAllText(Path.Combine(SamplesDir, relative));

    public static string TongzhouPolicy => Sample("tongzhou-2026/tongzhou-2026.policy");

    public static string TongzhouRules => Sample("tongzhou-2026/tongzhou-2026.rules");

    /// <summary>Every sample and example clause file (with its rules file, if any), as seeds for mutation.</summary>
    public static IReadOnlyList<(string Name, string Policy, string? Rules)> Seeds { get; } = LoadSeeds();

    private static List<(string, string, string?)> LoadSeeds()
    {
        var seeds = new List<(string, string, string?)>();
        foreach (var file in Directory.GetFiles(SamplesDir, "*.policy", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            var rules = Path.ChangeExtension(file, ".rules");
            seeds.Add((Path.GetFileName(file), File.ReadAllText(file), File.Exists(rules) ? File.ReadAllText(rules) : null));
        }
        return seeds;
    }

    /// <summary>Runs <paramref name="action"/> on another thread and fails if it does not finish in time.</summary>
    public static T WithinTimeout<T>(Func<T> action, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? CaseTimeout;
        var task = Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(limit)) Assert.Fail($"{what ?? "the case"} did not finish within {limit.TotalSeconds:0} s");
        return task.Result;
    }

    /// <summary>Parse, check, emit and generate; every stage must finish, throw nothing and keep diagnostics in the file.</summary>
    public static PipelineResult RunAll(string policyText, string? rulesText = null, bool generator = true, bool reports = true)
    {
        var parsed = ParsedSource.Parse(PolicyPath, policyText);
        AssertInside(parsed.Diagnostics, PolicyPath, policyText);
        var rules = rulesText is null ? null : ParsedSource.Parse(RulesPath, rulesText);
        if (rules is not null) AssertInside(rules.Diagnostics, RulesPath, rulesText!);

        var compilation = PolicyCompiler.Compile(parsed, rules);
        foreach (var d in compilation.Diagnostics)
        {
            Assert.True(d.Id != "PDSL0900", "internal error: " + d);
            Assert.True(d.FilePath == PolicyPath || (rulesText is not null && d.FilePath == RulesPath), "diagnostic for an unknown file: " + d);
        }
        AssertInside(compilation.Diagnostics.Where(d => d.FilePath == PolicyPath), PolicyPath, policyText);
        if (rulesText is not null) AssertInside(compilation.Diagnostics.Where(d => d.FilePath == RulesPath), RulesPath, rulesText);

        string? emitted = null;
        if (compilation.Policy is { } policy && !compilation.HasErrors)
        {
            emitted = CSharpEmitter.Emit(policy);
            Assert.Contains("namespace ", emitted, StringComparison.Ordinal);
            if (reports)
            {
                var html = PolicyDsl.Reports.PolicyReport.Html(policy);
                Assert.Contains(HtmlText(policy.Title), html.Text, StringComparison.Ordinal);
                var markdown = PolicyDsl.Reports.PolicyReport.Markdown(policy);
                Assert.NotEmpty(markdown.Text);
            }
        }

        var generatorDiagnostics = ImmutableArray<Diagnostic>.Empty;
        var generated = ImmutableArray<string>.Empty;
        if (generator)
        {
            var files = new List<AdditionalText> { new InMemoryAdditionalText(PolicyPath, policyText) };
            if (rulesText is not null) files.Add(new InMemoryAdditionalText(RulesPath, rulesText));
            var run = RunGenerator(files);
            generatorDiagnostics = run.Diagnostics;
            generated = run.Sources;
            foreach (var d in generatorDiagnostics)
            {
                Assert.True(d.Id.StartsWith("PDSL", StringComparison.Ordinal), "the generator failed: " + d);
                Assert.NotEqual("PDSL0900", d.Id);
                var path = d.Location.GetLineSpan().Path;
                var text = path == PolicyPath ? policyText : path == RulesPath ? rulesText : null;
                Assert.True(text is not null, "diagnostic outside the files: " + d);
                var span = d.Location.SourceSpan;
                Assert.True(span.Start >= 0 && span.End <= text!.Length, $"span {span} outside a file of {text.Length} chars: {d}");
            }
        }
        return new PipelineResult(parsed, compilation, emitted, generatorDiagnostics, generated);
    }

    /// <summary>Every diagnostic's span and line/column lie inside the text, and agree with each other.</summary>
    public static void AssertInside(IEnumerable<PdslDiagnostic> diagnostics, string path, string text)
    {
        var lines = new PolicyDsl.Text.LineMap(text);
        foreach (var d in diagnostics)
        {
            Assert.Equal(path, d.FilePath);
            Assert.True(d.Span.Start >= 0 && d.Span.Length >= 0 && d.Span.End <= text.Length,
                $"span {d.Span} outside a file of {text.Length} chars: {d}");
            Assert.Equal(lines.GetPosition(d.Span.Start), d.Start);
            Assert.Equal(lines.GetPosition(d.Span.End), d.End);
            Assert.True(d.Start.Line >= 1 && d.Start.Line <= lines.LineCount, $"line {d.Start.Line} of {lines.LineCount}: {d}");
        }
    }

    public static CSharpCompilation Compilation(IEnumerable<string> sources, string assemblyName = "PolicyDslHardening",
        CSharpParseOptions? parseOptions = null) => CSharpCompilation.Create(
        assemblyName,
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions ?? ParseOptions, path: "Source" + i + ".cs")),
        [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(PolicyDsl.Runtime.Award).Assembly.Location)],
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            generalDiagnosticOption: ReportDiagnostic.Error,
            warningLevel: 9999,
            // As the .NET SDK does: the runtime assembly targets net8.0, these references are net10.0 (CS1701/CS1702 are unification notes).
            specificDiagnosticOptions: [new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)],
            deterministic: true));

    public sealed record GeneratorRun(ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<string> Sources, ImmutableArray<string> HintNames,
        Microsoft.CodeAnalysis.Compilation Output);

    /// <summary>Runs the source generator in memory over the given files.</summary>
    public static GeneratorRun RunGenerator(IEnumerable<AdditionalText> files, bool documentation = false)
    {
        var parse = documentation ? ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose) : ParseOptions;
        var compilation = Compilation(["namespace User { internal static class Marker { } }"], "PolicyDslHardening" + Guid.NewGuid().ToString("N"), parse);
        var driver = CSharpGeneratorDriver.Create([new PolicyGenerator().AsSourceGenerator()], files, parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult();
        var generated = result.Results.SelectMany(r => r.GeneratedSources).ToArray();
        var all = diagnostics.AddRange(result.Diagnostics).Distinct().ToImmutableArray();
        return new GeneratorRun(all, generated.Select(s => s.SourceText.ToString()).ToImmutableArray(),
            generated.Select(s => s.HintName).ToImmutableArray(), output);
    }

    /// <summary>Emits a compilation and loads it into a collectible context.</summary>
    public static Assembly Load(Microsoft.CodeAnalysis.Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
        stream.Position = 0;
        var context = new System.Runtime.Loader.AssemblyLoadContext("hardening-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return context.LoadFromStream(stream);
    }

    /// <summary>C# compiler errors and warnings of a compilation (warnings are errors here).</summary>
    public static ImmutableArray<Diagnostic> Problems(Microsoft.CodeAnalysis.Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    public static (int Exit, string Output, string Error) Policyc(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = PolicyDsl.Cli.Policyc.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A temp file with the given bytes; deleted when disposed.</summary>
    public sealed class TempFile : IDisposable
    {
        public TempFile(byte[] bytes, string extension = ".policy")
        {
            Directory.CreateDirectory(Dir);
            Path = System.IO.Path.Combine(Dir, Guid.NewGuid().ToString("N") + extension);
            File.WriteAllBytes(Path, bytes);
        }

        public TempFile(string text, string extension = ".policy") : this(new System.Text.UTF8Encoding(false).GetBytes(text), extension) { }

        private static string Dir => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pdsl-hardening");

        public string Path { get; }

        public void Dispose()
        {
            try { File.Delete(Path); } catch (IOException) { }
        }
    }

    /// <summary>Text as the HTML report writes it.</summary>
    public static string HtmlText(string text) => PolicyDsl.Reports.Templates.Html.Encode(text);

    public static Stopwatch Time() => Stopwatch.StartNew();
}
