using System.Runtime.CompilerServices;
using PolicyDsl.Text;

namespace PolicyDsl.Model;

/// <summary>
/// Lookup by key in a record's list (members of a fact, cells of a table, values of a parameter) without
/// scanning it each time: a table of 100,000 cases looks up each case's key, and a scan per lookup made
/// checking quadratic. The index hangs off the record instance (records are immutable; `with` makes a new
/// instance and so a new index) and takes no part in the record's equality.
/// </summary>
internal static class KeyIndex
{
    private static readonly ConditionalWeakTable<object, object> Indexes = new();

    /// <summary>Small lists are scanned: an index would cost more than it saves.</summary>
    private const int ScanBelow = 16;

    public static T? Find<T>(object owner, EquatableArray<T> items, Func<T, string> keyOf, string key) where T : class
    {
        if (items.Count < ScanBelow)
        {
            foreach (var item in items)
                if (string.Equals(keyOf(item), key, StringComparison.Ordinal)) return item;
            return null;
        }
        var index = (Dictionary<string, T>)Indexes.GetValue(owner, _ =>
        {
            var built = new Dictionary<string, T>(items.Count, StringComparer.Ordinal);
            foreach (var item in items) built.TryAdd(keyOf(item), item); // the first wins, as a scan would find it
            return built;
        });
        return index.TryGetValue(key, out var found) ? found : null;
    }

    /// <summary>One string per key combination (keys are names or numbers, never a NUL).</summary>
    public static string Join(IReadOnlyList<string> keys) => keys.Count == 1 ? keys[0] : string.Join("\0", keys);
}
