namespace PolicyDsl.Reports.Eval;

/// <summary>
/// The columns of a table of applications, whatever the file format (CSV, Parquet): which are required, which are
/// known besides the facts (<c>fact.NAME</c>), and how the <c>funded_by_higher_level</c> cell reads. Each reader says
/// what is wrong in its own words (an exception per format); what is wrong is decided here, once.
/// </summary>
internal static class ApplicationColumns
{
    public static readonly string[] Required = ["id", "enterprise", "rule", "date"];

    private static readonly string[] Known = ["id", "enterprise", "rule", "date", "subject", "location", "funded_by_higher_level"];

    public const string FactPrefix = "fact.";

    /// <summary>The names given more than once.</summary>
    public static List<string> Repeated(IEnumerable<string> names) =>
        names.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

    /// <summary>The required columns absent from <paramref name="names"/>.</summary>
    public static List<string> Missing(IReadOnlyCollection<string> names) =>
        Required.Where(r => !names.Contains(r, StringComparer.Ordinal)).ToList();

    /// <summary>The names that are neither a known column nor a fact column.</summary>
    public static List<string> Unknown(IEnumerable<string> names) =>
        names.Where(c => !Known.Contains(c, StringComparer.Ordinal) && !c.StartsWith(FactPrefix, StringComparison.Ordinal)).ToList();

    /// <summary>A funded_by_higher_level text: empty, false or no is false; true or yes is true (any case); else unreadable.</summary>
    public static bool TryFunded(ReadOnlySpan<char> text, out bool funded)
    {
        funded = text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("yes", StringComparison.OrdinalIgnoreCase);
        return funded || text.Length == 0 || text.Equals("false", StringComparison.OrdinalIgnoreCase) || text.Equals("no", StringComparison.OrdinalIgnoreCase);
    }
}
