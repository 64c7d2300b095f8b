using System.Globalization;
using System.Text;
using System.Xml;
using PolicyDsl.Diagnostics;

namespace PolicyDsl.Testing;

/// <summary>Every test file of a run, loaded, and the result of every test that could run.</summary>
public sealed record TestRun(IReadOnlyList<LoadedTestFile> Files, IReadOnlyList<TestResult> Results)
{
    public IEnumerable<Diagnostic> Diagnostics => Files.SelectMany(f => f.Diagnostics);

    public bool HasFileErrors => Files.Any(f => f.HasErrors);

    public int Passed => Results.Count(r => r.Passed);

    public int Failed => Results.Count(r => !r.Passed);
}

/// <summary>
/// The entry point for running authors' test files: `policyc test` runs them against the reference evaluator,
/// a .NET test project against a policy's generated classes (<see cref="GeneratedTarget"/>), with the same
/// files, expectations and messages.
/// </summary>
public static class AuthorTests
{
    /// <summary>Loads and runs the test files; a file with errors contributes its diagnostics and no results.</summary>
    public static TestRun Run(IEnumerable<string> testFiles, IPolicyTarget? target = null)
    {
        target ??= ReferenceTarget.Instance;
        var loader = new TestLoader();
        var files = new List<LoadedTestFile>();
        var results = new List<TestResult>();
        foreach (var path in testFiles)
        {
            var file = loader.Load(path);
            files.Add(file);
            if (file.HasErrors || file.Policy is null) continue;
            foreach (var test in file.Tests) results.Add(TestRunner.Run(path, file.Policy, test, target));
        }
        return new TestRun(files, results);
    }

    /// <summary>One line per test: PASS or FAIL, the test's file(line,col) and name.</summary>
    public static string Line(TestResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"{(r.Passed ? "PASS" : "FAIL")} {r.File}({r.Test.Position.Line},{r.Test.Position.Column}): {r.Test.Name}");

    /// <summary>Each failure of a test: file(line,col) of the expectation, expected and actual, and the trace of that application.</summary>
    public static string Explain(TestResult r)
    {
        var sb = new StringBuilder();
        foreach (var f in r.Failures)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {r.File}({f.Position.Line},{f.Position.Column}): ");
            if (f.Application is not null) sb.Append(CultureInfo.InvariantCulture, $"application {f.Application} ({f.Rule}): ");
            sb.Append(CultureInfo.InvariantCulture, $"expected {f.Expected}, actual {f.Actual}\n");
            if (!f.Trace.IsEmpty)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    trace of {f.Application}:\n");
                foreach (var step in f.Trace) sb.Append("      ").Append(step).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>Coverage per policy (several test files may test one policy), in order of first use.</summary>
    public static IReadOnlyList<PolicyCoverage> Coverage(TestRun run) =>
        run.Files.Where(f => f.Policy is not null && !f.HasErrors)
            .GroupBy(f => (f.PolicyPath!, f.RulesPath))
            .Select(g => CoverageBuilder.Build(g.First().Policy!, Relative(g.Key.Item1),
                run.Results.Where(r => g.Any(f => f.Path == r.File))))
            .ToList();

    /// <summary>A path relative to the working directory when it is inside it (messages stay short and machine-independent).</summary>
    public static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }

    /// <summary>JUnit XML: one testsuite per test file, one testcase per test, a failure element per failed test.</summary>
    public static string JUnit(TestRun run)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var text = new Utf8StringWriter();
        using (var w = XmlWriter.Create(text, settings))
        {
            w.WriteStartElement("testsuites");
            w.WriteAttributeString("name", "policyc test");
            w.WriteAttributeString("tests", I(run.Results.Count));
            w.WriteAttributeString("failures", I(run.Failed));
            w.WriteAttributeString("errors", I(run.Files.Count(f => f.HasErrors)));
            foreach (var file in run.Files)
            {
                var results = run.Results.Where(r => r.File == file.Path).ToList();
                w.WriteStartElement("testsuite");
                w.WriteAttributeString("name", file.Path);
                w.WriteAttributeString("tests", I(results.Count));
                w.WriteAttributeString("failures", I(results.Count(r => !r.Passed)));
                w.WriteAttributeString("errors", file.HasErrors ? "1" : "0");
                if (file.HasErrors)
                {
                    // A file that does not load is one erroring test case, so that CI shows it.
                    w.WriteStartElement("testcase");
                    w.WriteAttributeString("name", "load " + file.Path);
                    w.WriteAttributeString("classname", file.Path);
                    w.WriteStartElement("error");
                    w.WriteAttributeString("message", "the test file has errors");
                    w.WriteString(string.Join("\n", file.Diagnostics.Where(d => d.IsError)));
                    w.WriteEndElement();
                    w.WriteEndElement();
                }
                foreach (var r in results)
                {
                    w.WriteStartElement("testcase");
                    w.WriteAttributeString("name", r.Test.Name);
                    w.WriteAttributeString("classname", file.Path);
                    w.WriteAttributeString("file", file.Path);
                    w.WriteAttributeString("line", I(r.Test.Position.Line));
                    if (!r.Passed)
                    {
                        var first = r.Failures[0];
                        w.WriteStartElement("failure");
                        w.WriteAttributeString("message", $"{file.Path}({I(first.Position.Line)},{I(first.Position.Column)}): expected {first.Expected}, actual {first.Actual}");
                        w.WriteString(Explain(r));
                        w.WriteEndElement();
                    }
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        return text.ToString() + "\n";
    }

    private static string I(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A string writer that says UTF-8, so the XML declaration matches the file it is written to.</summary>
    private sealed class Utf8StringWriter() : StringWriter(CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
