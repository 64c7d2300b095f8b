using System.Collections.Concurrent;
using System.Text;

namespace PolicyDsl.Bench.Compile;

/// <summary>The compile-side inputs by name: "Tongzhou" (the sample) or a clause count (a synthetic policy).</summary>
public static class Inputs
{
    public const string Tongzhou = "Tongzhou";

    private static readonly ConcurrentDictionary<string, (string Policy, string Rules)> Cache = new();

    public static (string Policy, string Rules) Get(string size) => Cache.GetOrAdd(size, static s =>
        s == Tongzhou
            ? (File.ReadAllText(SamplePath("tongzhou-2026.policy")), File.ReadAllText(SamplePath("tongzhou-2026.rules")))
            : SyntheticPolicy.Generate(int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)));

    public static string PolicyPath(string size) => size == Tongzhou ? "/samples/tongzhou-2026/tongzhou-2026.policy" : $"/bench/synthetic-{size}.policy";

    public static string RulesPath(string size) => size == Tongzhou ? "/samples/tongzhou-2026/tongzhou-2026.rules" : $"/bench/synthetic-{size}.rules";

    /// <summary>UTF-8 bytes of the policy and rules files.</summary>
    public static long Bytes(string size)
    {
        var (policy, rules) = Get(size);
        return Encoding.UTF8.GetByteCount(policy) + Encoding.UTF8.GetByteCount(rules);
    }

    private static string SamplePath(string file)
    {
        // Copied next to the exe by the project; BenchmarkDotNet runs a generated project from its own folder, so also look upwards.
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "samples", "tongzhou-2026", file),
            Path.Combine(Environment.GetEnvironmentVariable("PDSL_REPO") ?? "", "samples", "tongzhou-2026", file),
        };
        foreach (var c in candidates) if (File.Exists(c)) return c;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "samples", "tongzhou-2026", file);
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException("sample not found (set PDSL_REPO to the repository root)", file);
    }
}
