namespace PolicyDsl.Reports.Eval;

/// <summary>
/// The enterprises of one input numbered from 0 in the order they are first seen, on the thread that reads it (the general
/// path, §25.2): a CSV row's enterprise cell is looked up as the span it is (no string per row, one per enterprise), and the
/// thread that keeps or spills the rows finds an enterprise's partition by its number (arithmetic, no look-up). Used by one
/// thread only.
/// </summary>
internal sealed class EnterpriseNumbers
{
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    // The last enterprise looked up: rows of one enterprise are often together.
    private string? _last;
    private int _lastNumber = -1;

    public EnterpriseNumbers() => _bySpan = _numbers.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The enterprises numbered so far.</summary>
    public int Count => _numbers.Count;

    /// <summary>The number of the enterprise named <paramref name="name"/> (not empty), the next one when it is new;
    /// <paramref name="interned"/> is its one string.</summary>
    public int Of(ReadOnlySpan<char> name, out string interned)
    {
        if (_last is { } last && name.SequenceEqual(last))
        {
            interned = last;
            return _lastNumber;
        }
        if (!_bySpan.TryGetValue(name, out interned!, out var number))
        {
            interned = name.ToString();
            number = _numbers.Count;
            _numbers.Add(interned, number);
        }
        _last = interned;
        return _lastNumber = number;
    }

    /// <summary>The number of the enterprise <paramref name="name"/>; -1 for none (null).</summary>
    public int Of(string? name)
    {
        if (name is null) return -1;
        if (ReferenceEquals(name, _last)) return _lastNumber;
        if (!_numbers.TryGetValue(name, out var number)) _numbers.Add(name, number = _numbers.Count);
        _last = name;
        return _lastNumber = number;
    }

    /// <summary>Forgets every enterprise (once the input is read: the rows hold their enterprises' strings).</summary>
    public void Clear()
    {
        _numbers.Clear();
        _numbers.TrimExcess();
        _last = null;
        _lastNumber = -1;
    }
}
