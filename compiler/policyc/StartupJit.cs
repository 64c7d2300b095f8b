using System.Runtime;

namespace PolicyDsl.Cli;

/// <summary>
/// Multi-core JIT for the command being run: the methods an earlier run of the same command of this build compiled are
/// compiled again, ahead of their first call, on another core (System.Runtime.ProfileOptimization), while this one
/// starts. A command runs for seconds, and compiling the parser, checker, readers and evaluator on first call is most of
/// a short run's time (docs/benchmarks.md). The profile is kept beside the compiled rules' cache, one per command and
/// build of policyc.dll (a profile whose other assemblies changed since is partly stale: the runtime skips what does not
/// match, as it ignores a damaged file); when it cannot be written, the command runs as before.
/// </summary>
internal static class StartupJit
{
    public static void Start(string[] args)
    {
        if (Environment.GetEnvironmentVariable("PDSL_NO_STARTUP_JIT") is { Length: > 0 }) return;
        var command = args.Length > 0 && args[0].All(char.IsAsciiLetterLower) ? args[0] : "policyc";
        try
        {
            var directory = Path.Combine(PolicyDsl.Reports.Eval.CompiledRules.DefaultCacheDirectory, "..", "jit");
            Directory.CreateDirectory(directory);
            ProfileOptimization.SetProfileRoot(directory);
            ProfileOptimization.StartProfile($"{command}-{typeof(StartupJit).Assembly.ManifestModule.ModuleVersionId:N}.jit");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No profile: every method is compiled on first call, as without one.
        }
    }
}
