using System.Collections.Immutable;
using System.Text;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// The binary form of rows while they are spilled to disk (written and read by this process only). A spilled entry is its
/// place in the input (a 7-bit varint), its enterprise as the partition's number for it (0: none; the first time a number
/// is used the name follows it, so reading a partition back makes one string per enterprise, not one per row, and groups
/// by number), its kind and its body (whose length comes first, or after a pending record's line). A row parsed into the compiled rules' application (<see cref="BoundRow"/>) is
/// spilled as its cells (<see cref="EncodeBound"/>, written on the core that parsed it): reading it back makes the same
/// generated application from them (<see cref="DecodeBound"/>, on the core that evaluates its enterprise), with no text
/// parsed again and no fact named.
/// </summary>
internal static class Codec
{
    private const byte Application = 1, Rejected = 2, Pending = 3, Bound = 4;

    /// <summary>The entry's kind and body (after its place and enterprise, which the spill writes); a bound row not encoded
    /// yet is encoded into <paramref name="scratch"/>.</summary>
    // The methods that run while the file is read are compiled optimized at once (AggressiveOptimization): they run before
    // tiering has promoted anything (phase 1 of a 1M-row run was a third tier-0 code).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void WriteBody(SpillBuffer w, StreamingEvaluator.Entry e, SpillBuffer scratch, MemoryStream odd, BinaryWriter oddWriter)
    {
        if (e.Encoded || e.Input is BoundRow)
        {
            ReadOnlySpan<byte> bytes;
            if (e.Encoded) bytes = e.Text.Bytes;
            else
            {
                scratch.Clear();
                EncodeBound(scratch, (BoundRow)e.Input!);
                bytes = scratch.Written;
            }
            w.Byte(Bound);
            w.Number((ulong)bytes.Length);
            w.Bytes(bytes);
        }
        else if (e.Pending)
        {
            // A record not parsed yet: its line and UTF-8 text (a spilled row costs its bytes; it is parsed when its partition is evaluated).
            w.Byte(Pending);
            w.Number((ulong)e.Line);
            w.Number((ulong)e.Text.Length);
            w.Bytes(e.Text.Bytes);
        }
        else
        {
            // Rare rows (rejected, the model's applications): their kind, then, after its length, the rest as BinaryWriter
            // writes it (BinaryReader reads it back).
            odd.SetLength(0);
            WriteOdd(oddWriter, e);
            oddWriter.Flush();
            var bytes = odd.GetBuffer().AsSpan(0, (int)odd.Length);
            w.Byte(bytes[0]);
            w.Number((ulong)(bytes.Length - 1));
            w.Bytes(bytes[1..]);
        }
    }

    private static void WriteOdd(BinaryWriter w, StreamingEvaluator.Entry e)
    {
        if (e.Input is ApplicationRow a)
        {
            w.Write(Application);
            w.Write(a.Row);
            w.Write(a.RowLabel);
            var app = a.Application;
            w.Write(app.Id);
            w.Write(app.Enterprise);
            w.Write(app.Rule);
            w.Write(app.Date.DayNumber);
            Optional(w, app.Subject);
            Optional(w, app.Location);
            w.Write(app.FundedByHigherLevelPolicy);
            w.Write(app.ReceivedElsewhere);
            w.Write(app.Facts.Values.Count);
            foreach (var (name, value) in app.Facts.Values)
            {
                w.Write(name);
                switch (value)
                {
                    case QuantityValue q: w.Write((byte)0); w.Write(q.Value); break;
                    case YesNoValue y: w.Write((byte)1); w.Write(y.Value); break;
                    case DateValue d: w.Write((byte)2); w.Write(d.Value.DayNumber); break;
                    case MemberValue m: w.Write((byte)3); w.Write(m.Key); break;
                    default: throw new InvalidOperationException("unknown fact value " + value.GetType().Name);
                }
            }
        }
        else
        {
            w.Write(Rejected);
            Write(w, e.Rejected!);
        }
    }

    /// <summary>The body of the entry at <paramref name="seq"/> of this enterprise; a pending record's text, and a bound row's
    /// encoding (<see cref="StreamingEvaluator.Entry.Encoded"/>, decoded where it is evaluated), go to <paramref name="arena"/>.</summary>
    public static StreamingEvaluator.Entry ReadBody(ref SpanReader r, byte[] data, long seq, string? enterprise, RecordArena arena)
    {
        var kind = r.Byte();
        if (kind == Bound) return new StreamingEvaluator.Entry(seq, enterprise, null, null, arena.Add(r.Bytes((int)r.Number())), Encoded: true);
        if (kind == Pending)
        {
            var line = (long)r.Number();
            var text = arena.Add(r.Bytes((int)r.Number()));
            return new StreamingEvaluator.Entry(seq, enterprise, null, null, text, line);
        }
        // A rare row, as BinaryWriter wrote it.
        var length = (int)r.Number();
        using var odd = new BinaryReader(new MemoryStream(data, r.Position, length, writable: false));
        var entry = kind == Rejected ? new StreamingEvaluator.Entry(seq, enterprise, null, ReadRejected(odd)) : ReadApplication(odd, seq, enterprise);
        r.Skip(length);
        return entry;
    }

    private static StreamingEvaluator.Entry ReadApplication(BinaryReader r, long seq, string? enterprise)
    {
        var row = r.ReadInt64();
        var label = r.ReadString();
        var id = r.ReadString();
        var appEnterprise = r.ReadString();
        var rule = r.ReadString();
        var date = DateOnly.FromDayNumber(r.ReadInt32());
        var subject = Optional(r);
        var location = Optional(r);
        var funded = r.ReadBoolean();
        var elsewhere = r.ReadDecimal();
        var count = r.ReadInt32();
        var facts = ImmutableSortedDictionary.CreateBuilder<string, FactValue>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = r.ReadString();
            facts[name] = r.ReadByte() switch
            {
                0 => FactValue.Of(r.ReadDecimal()),
                1 => FactValue.Of(r.ReadBoolean()),
                2 => FactValue.Of(DateOnly.FromDayNumber(r.ReadInt32())),
                _ => FactValue.Member(r.ReadString()),
            };
        }
        var app = new Application(id, appEnterprise, rule, date, count == 0 ? Facts.Empty : new Facts(facts.ToImmutable()), subject, location, funded, elsewhere);
        return new StreamingEvaluator.Entry(seq, enterprise, new ApplicationRow(row, label, app), null);
    }

    private const byte HasSubject = 1, HasLocation = 2, Funded = 4;

    /// <summary>A bound row as bytes: its line, its rule's place (<see cref="CompiledRules.RuleIndexOf"/>), what it has, id,
    /// date, subject and location, then each stated fact's cell in the rule's fact order, of its kind (every one is given:
    /// the compiled rules take no row without). Its enterprise is the entry's.</summary>
    public static void EncodeBound(SpillBuffer s, BoundRow b) =>
        EncodeBound(s, b.Row, b.Compiled.RuleIndexOf(b.Rule), b.Id, b.Date, b.Subject, b.Location, b.Funded, b.Rule, b.Compiled.CellsOf(b.Rule, b.Generated));

    /// <summary><see cref="EncodeBound(SpillBuffer, BoundRow)"/> of the row these cells make (a reader that has not made it:
    /// CsvApplicationReader.TryEncode). <paramref name="subject"/> and <paramref name="location"/>: empty when not given (a CSV
    /// row's are null or not empty).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void EncodeBound(SpillBuffer s, long line, int ruleIndex, ReadOnlySpan<char> id, DateOnly date, ReadOnlySpan<char> subject,
        ReadOnlySpan<char> location, bool funded, Rule rule, FactCell[] cells)
    {
        s.Number((ulong)line);
        s.Number((ulong)ruleIndex);
        s.Byte((byte)((subject.Length > 0 ? HasSubject : 0) | (location.Length > 0 ? HasLocation : 0) | (funded ? Funded : 0)));
        s.String(id);
        s.Number((ulong)date.DayNumber);
        if (subject.Length > 0) s.String(subject);
        if (location.Length > 0) s.String(location);
        var facts = rule.Facts.AsImmutableArray(); // once: precompiled code calls across assemblies, not inlined
        for (var i = 0; i < facts.Length; i++)
        {
            var fact = facts[i];
            if (fact.Derived) continue;
            ref readonly var cell = ref cells[i];
            switch (fact.Kind)
            {
                case FactKind.Quantity: s.Decimal(cell.Quantity); break;
                case FactKind.YesNo: s.Byte(cell.YesNo ? (byte)1 : (byte)0); break;
                case FactKind.Date: s.Number((ulong)cell.Date.DayNumber); break;
                default: s.Number((ulong)cell.Member); break;
            }
        }
    }

    /// <summary>The bound row <see cref="EncodeBound"/> wrote, of this enterprise: the same cells, so the same generated application.</summary>
    public static BoundRow DecodeBound(ReadOnlySpan<byte> bytes, string enterprise, CompiledRules compiled)
    {
        var r = new SpanReader(bytes);
        var line = (long)r.Number();
        var ruleIndex = (int)r.Number();
        var rule = compiled.RuleAt(ruleIndex);
        var has = r.Byte();
        var id = r.String();
        var date = DateOnly.FromDayNumber((int)r.Number());
        var subject = (has & HasSubject) != 0 ? r.String() : null;
        var location = (has & HasLocation) != 0 ? r.String() : null;
        var funded = (has & Funded) != 0;
        var facts = rule.Facts.AsImmutableArray();
        var cells = CompiledRules.Cells(facts.Length);
        for (var i = 0; i < facts.Length; i++)
        {
            var fact = facts[i];
            if (fact.Derived) continue;
            ref var cell = ref cells[i];
            cell.Given = true;
            switch (fact.Kind)
            {
                case FactKind.Quantity: cell.Quantity = r.Decimal(); break;
                case FactKind.YesNo: cell.YesNo = r.Byte() != 0; break;
                case FactKind.Date: cell.Date = DateOnly.FromDayNumber((int)r.Number()); break;
                default: cell.Member = (int)r.Number(); break;
            }
        }
        var made = compiled.MakeAt(ruleIndex, id, enterprise, date, cells, subject, location, funded); // taken when it was encoded
        return new BoundRow(line, id, enterprise, rule, date, subject, location, funded, compiled, made);
    }

    private static void Write(BinaryWriter w, RejectedRow x)
    {
        w.Write(x.Row);
        w.Write(x.RowLabel);
        Optional(w, x.Id);
        Optional(w, x.Enterprise);
        Optional(w, x.Rule);
        w.Write(x.Reason);
    }

    private static RejectedRow ReadRejected(BinaryReader r) =>
        new(r.ReadInt64(), r.ReadString(), Optional(r), Optional(r), Optional(r), r.ReadString());

    private static void Optional(BinaryWriter w, string? s)
    {
        w.Write(s is not null);
        if (s is not null) w.Write(s);
    }

    private static string? Optional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

}

/// <summary>Reads what a <see cref="SpillBuffer"/> wrote.</summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public SpanReader(ReadOnlySpan<byte> data) => _data = data;

    public readonly int Position => _pos;

    public readonly bool End => _pos >= _data.Length;

    public void Skip(int n) => _pos += n;

    public ReadOnlySpan<byte> Bytes(int n)
    {
        var bytes = _data.Slice(_pos, n);
        _pos += n;
        return bytes;
    }

    public byte Byte() => _data[_pos++];

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ulong Number()
    {
        var first = _data[_pos];
        if (first < 0x80) { _pos++; return first; } // most numbers here are one byte
        return LongNumber();
    }

    private ulong LongNumber()
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = _data[_pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }

    public string String()
    {
        var n = (int)Number();
        var s = Encoding.UTF8.GetString(_data.Slice(_pos, n));
        _pos += n;
        return s;
    }

    public decimal Decimal()
    {
        var head = Byte();
        var lo = (uint)Number();
        var mid = (uint)Number();
        var hi = (uint)Number();
        return new decimal((int)lo, (int)mid, (int)hi, (head & 0x80) != 0, (byte)(head & 0x7F));
    }
}

/// <summary>Bytes written one value after another (7-bit varints, UTF-8 strings with their length); reused, or one per batch.</summary>
internal sealed class SpillBuffer(byte[] array)
{
    private byte[] _bytes = array;

    public SpillBuffer(int capacity = 256) : this(new byte[Math.Max(16, capacity)]) { }

    public int Length { get; private set; }

    /// <summary>The array written into (replaced when it grows: what was taken of the old one stays valid).</summary>
    public byte[] Array => _bytes;

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private Span<byte> Room(int n)
    {
        if (_bytes.Length - Length < n) System.Array.Resize(ref _bytes, Math.Max(2 * _bytes.Length, Length + n));
        return _bytes.AsSpan(Length);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Byte(byte b)
    {
        Room(1)[0] = b;
        Length++;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Number(ulong value)
    {
        if (value < 0x80 && Length < _bytes.Length)
        {
            _bytes[Length++] = (byte)value; // most numbers here are one byte
            return;
        }
        LongNumber(value);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void LongNumber(ulong value)
    {
        var room = Room(10);
        var i = 0;
        while (value >= 0x80)
        {
            room[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        room[i++] = (byte)value;
        Length += i;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Room(bytes.Length));
        Length += bytes.Length;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void String(ReadOnlySpan<char> s)
    {
        if (s.Length < 42)
        {
            // At most three bytes a UTF-16 char: under 128 bytes, so its length is one byte, written once they are.
            var room = Room(1 + 3 * s.Length);
            var written = Encoding.UTF8.GetBytes(s, room[1..]);
            room[0] = (byte)written;
            Length += 1 + written;
            return;
        }
        var n = Encoding.UTF8.GetByteCount(s);
        Number((ulong)n);
        Encoding.UTF8.GetBytes(s, Room(n));
        Length += n;
    }

    /// <summary>A decimal as its sign and scale (one byte) and its 96-bit mantissa as three varints (a small amount: five bytes).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Decimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        Byte((byte)(((bits[3] >> 16) & 0x7F) | (bits[3] < 0 ? 0x80 : 0)));
        Number((uint)bits[0]);
        Number((uint)bits[1]);
        Number((uint)bits[2]);
    }
}
