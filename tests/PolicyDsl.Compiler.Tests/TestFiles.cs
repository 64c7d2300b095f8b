using PolicyDsl.Checking;

namespace PolicyDsl.Compiler.Tests;

/// <summary>Finds the repository's files from the test's output directory, and compiles sources in memory.</summary>
internal static class TestFiles
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PolicyDsl.sln"))) dir = dir.Parent;
        // With PDSL_ARTIFACTS the binaries live outside the tree: fall back to the source file's location.
        return dir?.FullName ?? Path.GetFullPath(Path.Combine(ThisDirectory(), "..", ".."));
    }

    private static string ThisDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public static string SamplePolicy => Read("samples/tongzhou-2026/tongzhou-2026.policy");

    public static string SampleRules => Read("samples/tongzhou-2026/tongzhou-2026.rules");

    public static Checking.Compilation Compile(string policy, string? rules = null) =>
        PolicyCompiler.Compile("test.policy", policy, rules is null ? null : "test.rules", rules);

    public static Checking.Compilation CompileSample(string? rules = null) =>
        PolicyCompiler.Compile("tongzhou-2026.policy", SamplePolicy, "tongzhou-2026.rules", rules ?? SampleRules);
}
