using Microsoft.CodeAnalysis;
using PolicyDsl.Testing;

namespace PolicyDsl.Generator.Tests;

/// <summary>
/// The authors' test files of the real samples and the examples, run against code generated in-process from their policy
/// and rules files: every hand-computed expectation `policyc test` checks against the interpreter holds for the generated
/// C# too (policy-wide conditions, shared caps, declared units, 就高不重复 with other policies, running totals).
/// </summary>
public class SampleTestsGeneratedTests
{
    [Theory]
    [InlineData("liuhe-2023", "*.tests")]
    [InlineData("nanjing-jiangbei-2026", "*.tests")]
    [InlineData("examples", "shared-cap.tests")]
    [InlineData("examples", "calendar.tests")]
    public void Sample_test_files_pass_against_the_generated_code(string sample, string tests)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "samples", sample);
        var sources = Directory.GetFiles(dir, "*.policy").Concat(Directory.GetFiles(dir, "*.rules")).Order(StringComparer.Ordinal)
            .Select(f => (AdditionalText)new InMemoryAdditionalText(f, File.ReadAllText(f))).ToList();
        var run = GeneratorHarness.RunGenerator(sources);
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        var assembly = GeneratorHarness.Load(run.Output);
        var loader = new TestLoader();
        var ran = 0;
        foreach (var path in Directory.GetFiles(dir, tests).Order(StringComparer.Ordinal))
        {
            var file = loader.Load(path);
            Assert.True(file.Diagnostics.IsEmpty, string.Join("\n", file.Diagnostics));
            var policyClass = assembly.GetTypes().Single(t => t.Name == file.Policy!.Name + "Policy" && t.IsClass && t.IsAbstract && t.IsSealed);
            var target = new GeneratedTarget(policyClass);
            foreach (var test in file.Tests)
            {
                var result = TestRunner.Run(file.Path, file.Policy!, test, target);
                Assert.True(result.Passed, Path.GetFileName(path) + ": " + AuthorTests.Line(result) + "\n" + AuthorTests.Explain(result));
                ran++;
            }
        }
        Assert.True(ran > 0, "no test ran");
    }
}
