namespace PolicyDsl.Text;

/// <summary>
/// "Did you mean": the closest candidate to a misspelt word by edit distance (insertions, deletions,
/// substitutions and swaps of neighbours each cost 1). A candidate is offered only when it is close
/// relative to the word's length, so that short words do not get arbitrary suggestions.
/// </summary>
public static class Suggestions
{
    /// <summary>The closest candidate, or null when none is close enough (or the word itself is one).</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        if (string.IsNullOrEmpty(word)) return null;
        // One edit per three characters, at least one, and never the whole word.
        var limit = Math.Max(1, word.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrEmpty(candidate) || candidate == word) continue;
            if (Math.Abs(candidate.Length - word.Length) > limit) continue;
            var d = Distance(word, candidate, limit);
            var caseOnly = string.Equals(word, candidate, StringComparison.OrdinalIgnoreCase);
            if (caseOnly) d = 0;
            if (d <= limit && d < bestDistance && d < Math.Max(word.Length, candidate.Length))
            {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /// <summary>Optimal string alignment distance, stopping early once every path exceeds the limit.</summary>
    public static int Distance(string a, string b, int limit = int.MaxValue)
    {
        var rows = a.Length + 1;
        var cols = b.Length + 1;
        var previous2 = new int[cols];
        var previous = new int[cols];
        var current = new int[cols];
        for (var j = 0; j < cols; j++) previous[j] = j;
        for (var i = 1; i < rows; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j < cols; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) value = Math.Min(value, previous2[j - 2] + 1);
                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > limit) return rowMin;
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[cols - 1];
    }
}
