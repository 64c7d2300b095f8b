using System.Runtime.CompilerServices;

namespace PolicyDsl.Tests;

/// <summary>
/// The repository's own files (samples, docs) for tests, found from this source file's location, which
/// holds wherever the binaries are built (PDSL_ARTIFACTS moves them out of the tree).
/// </summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
