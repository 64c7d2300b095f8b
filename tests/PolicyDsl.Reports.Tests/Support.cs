using System.Globalization;
using System.Text.Json;
using PolicyDsl.Checking;
using PolicyDsl.Cli;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Tests;

/// <summary>The repository's files, the compiled sample, and policyc run in-process.</summary>
internal static class Support
{
    public static string Root => Repository.Root;

    public static string SamplePolicyPath => Path.Combine(Root, "samples/tongzhou-2026/tongzhou-2026.policy");

    public static string SampleRulesPath => Path.Combine(Root, "samples/tongzhou-2026/tongzhou-2026.rules");

    public static string SampleApplicationsPath => Path.Combine(Root, "samples/tongzhou-2026/applications.json");

    private static readonly Lazy<CheckedPolicy> LazySample = new(() =>
    {
        var compilation = PolicyCompiler.Compile(ParsedSource.Read(SamplePolicyPath), ParsedSource.Read(SampleRulesPath));
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Errors));
        return compilation.Policy!;
    });

    public static CheckedPolicy Sample => LazySample.Value;

    public static CheckedPolicy Compile(string policy, string? rules = null)
    {
        var compilation = PolicyCompiler.Compile("test.policy", policy, rules is null ? null : "test.rules", rules);
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Errors));
        return compilation.Policy!;
    }

    public static (int Code, string Out, string Err) Policyc(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = PolicyDsl.Cli.Policyc.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The sample applications, read with JsonDocument (the test's own, non-streaming reading).</summary>
    public static IReadOnlyList<JsonElement> SampleApplicationsJson()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SampleApplicationsPath));
        return doc.RootElement.GetProperty("applications").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>Runs an action under a culture, restoring the previous one.</summary>
    public static T InCulture<T>(string name, Func<T> action)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(name);
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = ui;
        }
    }
}

/// <summary>A temporary directory per test class.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pdsl-reports-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
