namespace PolicyDsl.Runtime;

/// <summary>
/// §14 highest only (就高不重复), the one place it is decided. Among one enterprise's applications with the same subject
/// that would otherwise be paid, the highest award is paid first (of equal ones, the earliest in date order); then each
/// next highest is paid unless it shares a highest-only group with an application already paid, in which case it is
/// not paid and its reason names the highest such one. Groups may overlap: with groups {a, b} and {b, c} and awards
/// a 10, b 8, c 5, a is paid, b is not (it shares a group with a), c is (it shares a group only with b, which is not
/// paid). Two applications under the same rule of a group share that group.
/// </summary>
public static class HighestOnly
{
    /// <summary>Sets the reason of every candidate that highest only keeps from being paid.</summary>
    /// <param name="groups">The policy's highest-only groups (rule names).</param>
    /// <param name="order">The applications' indexes in date order.</param>
    /// <param name="rule">The rule name of each application (by index; null: no such rule).</param>
    /// <param name="subject">The subject of each application (by index; null: none).</param>
    /// <param name="amount">The award of each application alone, in the award unit.</param>
    /// <param name="reasons">Why each application is not paid (null: it is a candidate); filled in here.</param>
    /// <param name="describe">What a reason says of the winner: its index → "a, which awards 10 points".</param>
    public static void Exclude(IReadOnlyList<IReadOnlyList<string>> groups, IReadOnlyList<int> order, IReadOnlyList<string?> rule,
        IReadOnlyList<string?> subject, IReadOnlyList<decimal> amount, string?[] reasons, Func<int, string> describe)
    {
        if (groups.Count == 0) return;
        var candidates = new List<int>();
        foreach (var i in order)
        {
            if (reasons[i] is null && rule[i] is { } name && InAnyGroup(groups, name)) candidates.Add(i);
        }
        // Highest first; List.Sort is not stable, so ties fall back to the position in date order.
        var position = new Dictionary<int, int>();
        for (var p = 0; p < candidates.Count; p++) position[candidates[p]] = p;
        candidates.Sort((x, y) => amount[x] != amount[y] ? amount[y].CompareTo(amount[x]) : position[x].CompareTo(position[y]));
        var paid = new List<int>();
        foreach (var c in candidates)
        {
            var winner = -1;
            foreach (var p in paid)
            {
                if (string.Equals(subject[p] ?? "", subject[c] ?? "", StringComparison.Ordinal) && ShareGroup(groups, rule[p]!, rule[c]!)) { winner = p; break; }
            }
            if (winner < 0) paid.Add(c);
            else reasons[c] = "highest only: not paid beside " + describe(winner);
        }
    }

    private static bool InAnyGroup(IReadOnlyList<IReadOnlyList<string>> groups, string name)
    {
        foreach (var group in groups)
        {
            if (Contains(group, name)) return true;
        }
        return false;
    }

    private static bool ShareGroup(IReadOnlyList<IReadOnlyList<string>> groups, string a, string b)
    {
        foreach (var group in groups)
        {
            if (Contains(group, a) && Contains(group, b)) return true;
        }
        return false;
    }

    private static bool Contains(IReadOnlyList<string> group, string name)
    {
        foreach (var item in group)
        {
            if (string.Equals(item, name, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
