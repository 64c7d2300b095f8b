using System.Text;
using System.Text.Unicode;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// A CSV input's bytes passed through unchanged to the text reader that decodes them, checked on the way: each sequence
/// that is not UTF-8 is noted with the line it is on (lines counted as <see cref="CsvApplicationReader"/> counts them: LF,
/// CRLF or a lone CR ends one), so the record that holds it is rejected with its reason (<see cref="Flagged"/>) instead of
/// being read with U+FFFD in its cells. A GBK export read as UTF-8 would otherwise give two enterprises whose names differ
/// the same name (北京化工 and 北京电子 both decode to eight U+FFFD): one cap for both, the second paid 0. Valid text costs
/// one vectorized check and line count per block read. A file that starts with a UTF-16 or UTF-32 byte-order mark is
/// decoded as that by the text reader, unchecked.
/// </summary>
internal sealed class Utf8Check(Stream inner) : ForwardStream
{
    private readonly Queue<(long Line, byte Byte)> _bad = new();
    private long _line = 1; // the line the next byte is on
    private bool _afterCr; // the last byte read was a CR: an LF first in the next block ends no line of its own
    private readonly byte[] _tail = new byte[8]; // the start of a sequence the last block ended inside
    private int _tailLength;
    private bool _started, _utf16; // a UTF-16 or UTF-32 file (its byte-order mark first) is decoded as such, not checked

    /// <summary>The first byte of a sequence that is not UTF-8 on one of the <paramref name="lines"/> lines from
    /// <paramref name="startLine"/> (a record's), if any; what was noted before them is forgotten.</summary>
    public byte? Flagged(long startLine, int lines)
    {
        byte? first = null;
        while (_bad.TryPeek(out var bad) && bad.Line < startLine + lines)
        {
            _bad.Dequeue();
            if (bad.Line >= startLine) first ??= bad.Byte;
        }
        return first;
    }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Check(buffer[..n], final: n == 0);
        return n;
    }

    private void Check(ReadOnlySpan<byte> block, bool final)
    {
        if (!_started && block.Length > 0)
        {
            _started = true;
            _utf16 = block is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0x00, 0x00, 0xFE, 0xFF, ..]; // as the text reader detects them
        }
        if (_utf16) return;
        if (_tailLength > 0)
        {
            // The sequence the last block ended inside, completed by this one's first bytes.
            var take = Math.Min(4, block.Length);
            Span<byte> joined = stackalloc byte[12];
            _tail.AsSpan(0, _tailLength).CopyTo(joined);
            block[..take].CopyTo(joined[_tailLength..]);
            var status = System.Text.Rune.DecodeFromUtf8(joined[..(_tailLength + take)], out _, out var used);
            if (status == System.Buffers.OperationStatus.NeedMoreData && !final)
            {
                block.CopyTo(_tail.AsSpan(_tailLength)); // fewer than four bytes came
                _tailLength += block.Length;
                return;
            }
            if (status != System.Buffers.OperationStatus.Done) _bad.Enqueue((_line, joined[0]));
            var consumed = Math.Max(0, Math.Min(used, _tailLength + take) - _tailLength);
            _tailLength = 0;
            block = block[consumed..];
        }
        // A sequence cut at the block's end is checked with the next block.
        var cut = final ? 0 : IncompleteTail(block);
        Scan(block[..^cut]);
        if (cut == 0) return;
        block[^cut..].CopyTo(_tail);
        _tailLength = cut;
        _afterCr = false; // the cut sequence follows the last byte counted
    }

    /// <summary>Counts the lines of <paramref name="body"/> (whole sequences) and notes each sequence that is not UTF-8.</summary>
    private void Scan(ReadOnlySpan<byte> body)
    {
        if (Utf8.IsValid(body))
        {
            CountLines(body);
            return;
        }
        // Rare: which sequences are not UTF-8, and on which lines.
        while (!body.IsEmpty)
        {
            var valid = FirstInvalid(body);
            CountLines(body[..valid]);
            if (valid == body.Length) break;
            System.Text.Rune.DecodeFromUtf8(body[valid..], out _, out var used);
            used = Math.Max(1, used);
            _bad.Enqueue((_line, body[valid]));
            CountLines(body.Slice(valid, used));
            body = body[(valid + used)..];
        }
    }

    /// <summary>How many bytes at the end of <paramref name="block"/> start a sequence that goes on past it (0 to 3).</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> block)
    {
        for (var back = 1; back <= Math.Min(3, block.Length); back++)
        {
            var b = block[^back];
            if ((b & 0xC0) == 0x80) continue; // a continuation byte: its lead is further back
            var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return length > back ? back : 0;
        }
        return 0;
    }

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out var used) != System.Buffers.OperationStatus.Done) return at;
            at += used;
        }
        return at;
    }

    /// <summary>Counts the line breaks in <paramref name="bytes"/>: each LF, each CR not followed by an LF.</summary>
    private void CountLines(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        var lf = bytes.Count((byte)'\n');
        if (_afterCr && bytes[0] == '\n') lf--; // the CR counted it
        var crs = 0;
        var crlf = 0;
        for (var i = bytes.IndexOf((byte)'\r'); i >= 0;)
        {
            crs++;
            if (i + 1 < bytes.Length && bytes[i + 1] == '\n') crlf++;
            var next = bytes[(i + 1)..].IndexOf((byte)'\r');
            i = next < 0 ? -1 : i + 1 + next;
        }
        _line += lf + crs - crlf;
        _afterCr = bytes[^1] == '\r';
    }
}
