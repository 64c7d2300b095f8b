namespace PolicyDsl.Generator;

/// <summary>The tracking names of the generator's pipeline steps, for incremental tests.</summary>
public static class TrackingNames
{
    /// <summary>An additional file read into (path, text).</summary>
    public const string Read = "PolicyDsl.Read";

    /// <summary>A file parsed into a syntax tree with its syntax errors.</summary>
    public const string Parse = "PolicyDsl.Parse";

    /// <summary>A policy paired with its implementation-rules file (if any).</summary>
    public const string Pair = "PolicyDsl.Pair";

    /// <summary>A policy checked into the checked model with its diagnostics.</summary>
    public const string Check = "PolicyDsl.Check";

    /// <summary>A checked policy emitted as C# source.</summary>
    public const string Emit = "PolicyDsl.Emit";

    /// <summary>The diagnostics of one policy, for reporting.</summary>
    public const string Diagnostics = "PolicyDsl.Diagnostics";
}
