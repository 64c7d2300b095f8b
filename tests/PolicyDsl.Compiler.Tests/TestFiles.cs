using PolicyDsl.Checking;

namespace PolicyDsl.Compiler.Tests;

/// <summary>Finds the repository's files from the test's output directory, and compiles sources in memory.</summary>
internal static class TestFiles
{
    public static string Root => Repository.Root;

    public static string Read(string relative) => Repository.Read(relative);

    public static string SamplePolicy => Read("samples/tongzhou-2026/tongzhou-2026.policy");

    public static string SampleRules => Read("samples/tongzhou-2026/tongzhou-2026.rules");

    public static Checking.Compilation Compile(string policy, string? rules = null) =>
        PolicyCompiler.Compile("test.policy", policy, rules is null ? null : "test.rules", rules);

    /// <summary>Compiles a policy that must have no errors (the assertion lists them) and returns its checked model.</summary>
    public static Model.CheckedPolicy Check(string policy, string? rules = null)
    {
        var result = Compile(policy, rules);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }

    public static Checking.Compilation CompileSample(string? rules = null) =>
        PolicyCompiler.Compile("tongzhou-2026.policy", SamplePolicy, "tongzhou-2026.rules", rules ?? SampleRules);

    /// <summary>Runs policyc in-process and returns its exit code and what it wrote.</summary>
    public static (int Exit, string Out, string Err) Policyc(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = PolicyDsl.Cli.Policyc.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
