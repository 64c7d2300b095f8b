using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// The enterprises of one input numbered from 0 in the order they are first seen, on the thread that reads it (the general
/// path, §25.2): a CSV row's enterprise cell is looked up as the span it is (no string per row, one per enterprise), and the
/// thread that keeps or spills the rows finds an enterprise's partition by its number (arithmetic, no look-up). Used by one
/// thread only. An open-addressing table of (hash, number, name), its names compared by their text: compiled optimized at
/// once (a dictionary's alternate look-up ran at tier 0 for much of the read, and through interface calls), and a name
/// found in two reads of memory the cache rarely holds (its slot, its text), not three (an array by number besides).
/// </summary>
internal sealed class EnterpriseNumbers
{
    private struct Slot
    {
        public int Hash;
        public int Number; // the enterprise's number + 1; 0: empty
        public string Name;
    }

    private Slot[] _slots = new Slot[1024]; // a power of two, at most half full
    private int _count;

    // The last enterprise looked up: rows of one enterprise are often together.
    private string? _last;
    private int _lastNumber = -1;

    /// <summary>The enterprises numbered so far.</summary>
    public int Count => _count;

    /// <summary>The number of the enterprise named <paramref name="name"/> (not empty), the next one when it is new;
    /// <paramref name="interned"/> is its one string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Of(ReadOnlySpan<char> name, out string interned) => Of(name, null, out interned);

    /// <summary>The number of the enterprise <paramref name="name"/>; -1 for none (null).</summary>
    public int Of(string? name)
    {
        if (name is null) return -1;
        if (ReferenceEquals(name, _last)) return _lastNumber;
        return Of(name, name, out _);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Of(ReadOnlySpan<char> name, string? made, out string interned)
    {
        if (_last is { } last && name.SequenceEqual(last))
        {
            interned = last;
            return _lastNumber;
        }
        var hash = Hash(name);
        var mask = _slots.Length - 1;
        var i = hash & mask;
        while (true)
        {
            ref var slot = ref _slots[i];
            if (slot.Number == 0) break;
            if (slot.Hash == hash && name.SequenceEqual(slot.Name))
            {
                interned = _last = slot.Name;
                return _lastNumber = slot.Number - 1;
            }
            i = (i + 1) & mask;
        }
        // New: numbered next.
        interned = made ?? name.ToString();
        _slots[i] = new Slot { Hash = hash, Number = ++_count, Name = interned };
        if (2 * _count > _slots.Length) Grow();
        _last = interned;
        return _lastNumber = _count - 1;
    }

    private void Grow()
    {
        var slots = new Slot[2 * _slots.Length];
        var mask = slots.Length - 1;
        foreach (var s in _slots)
        {
            if (s.Number == 0) continue;
            var i = s.Hash & mask;
            while (slots[i].Number != 0) i = (i + 1) & mask;
            slots[i] = s;
        }
        _slots = slots;
    }

    /// <summary>A hash of the name's characters, four at a time (its low bits pick the slot), from a seed drawn per process:
    /// names made to collide (hostile input) cannot be made in advance, so a look-up stays a few probes. Numbers are given
    /// in the order names are first seen, so the output does not depend on the seed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<char> name)
    {
        var h = Seed ^ (ulong)name.Length * 0x9E3779B97F4A7C15UL;
        var words = MemoryMarshal.Cast<char, ulong>(name);
        foreach (var w in words) h = (h ^ w) * 0x100000001B3UL ^ (h >> 29);
        for (var k = words.Length * 4; k < name.Length; k++) h = (h ^ name[k]) * 0x100000001B3UL;
        h ^= h >> 32;
        h *= 0x9E3779B97F4A7C15UL;
        return (int)(h >> 33);
    }

    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    /// <summary>Forgets every enterprise (once the input is read: the rows hold their enterprises' strings).</summary>
    public void Clear()
    {
        _slots = new Slot[1024];
        _count = 0;
        _last = null;
        _lastNumber = -1;
    }
}
