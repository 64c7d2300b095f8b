using System.Text;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// A TextWriter that encodes what it is given as UTF-8 (no byte-order mark) into a buffer of its own, and takes text that
/// is UTF-8 already as it is (<see cref="WriteUtf8"/>). Over a stream, the buffer goes to the stream when full and on
/// Flush; without one it grows, and <see cref="ToArray"/> gives what was written. policyc eval renders each enterprise's
/// part with one of these and writes the parts with another (§25.2): the text is encoded once, where it is made, and
/// copied as bytes after that — not made a string, kept, then encoded by the output (a third of a CSV run's allocations).
/// </summary>
public sealed class Utf8TextWriter : TextWriter
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false);
    private readonly Stream? _stream;
    private byte[] _buffer;
    private int _length;
    private char _high; // a high surrogate written alone, waiting for its low half

    /// <summary>A writer into a buffer that grows (read it with <see cref="ToArray"/> or <see cref="Written"/>).</summary>
    public Utf8TextWriter(int capacity = 4096) : base(System.Globalization.CultureInfo.InvariantCulture)
    {
        _buffer = new byte[Math.Max(16, capacity)];
        CoreNewLine = ['\n'];
    }

    /// <summary>A writer over a stream, through a buffer of <paramref name="bufferSize"/> bytes; disposing it disposes neither.</summary>
    public Utf8TextWriter(Stream stream, int bufferSize = 1 << 16) : this(bufferSize) => _stream = stream;

    public override Encoding Encoding => Utf8;

    /// <summary>What was written and not yet given to the stream.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>The capacity of the buffer (a writer reused across parts is let go when a very large one grew it).</summary>
    public int Capacity => _buffer.Length;

    /// <summary>A copy of what was written (the buffer's bytes; a lone high surrogate still pending is not in it).</summary>
    public byte[] ToArray() => Written.ToArray();

    /// <summary>Forgets what was written (a buffer reused for the next part).</summary>
    public void Clear()
    {
        _length = 0;
        _high = '\0';
    }

    public override void Write(char value)
    {
        if (value < 0x80 && _high == '\0')
        {
            if (_length == _buffer.Length) Room(1);
            _buffer[_length++] = (byte)value;
            return;
        }
        Write(new ReadOnlySpan<char>(in value));
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty) return;
        if (_high != '\0')
        {
            // The pair split across two writes is encoded whole.
            Span<char> pair = [_high, chars[0]];
            _high = '\0';
            Encode(char.IsLowSurrogate(pair[1]) ? pair : pair[..1]);
            chars = char.IsLowSurrogate(pair[1]) ? chars[1..] : chars;
            if (chars.IsEmpty) return;
        }
        if (char.IsHighSurrogate(chars[^1]))
        {
            _high = chars[^1];
            chars = chars[..^1];
        }
        Encode(chars);
    }

    private void Encode(ReadOnlySpan<char> chars)
    {
        // Short ASCII text (a cell: digits, an id, a date) byte by byte: the vectorized conversion costs more to set up.
        if (chars.Length <= 32 && chars.Length <= _buffer.Length - _length)
        {
            var buffer = _buffer;
            var at = _length;
            var i = 0;
            for (; i < chars.Length; i++)
            {
                var c = chars[i];
                if (c >= 0x80) break;
                buffer[at + i] = (byte)c;
            }
            _length = at + i;
            if (i == chars.Length) return;
            chars = chars[i..];
        }
        // ASCII (digits, ids, CSV punctuation: most of what is written) a byte each, straight in; from the first other
        // character on, encoded.
        if (chars.Length <= _buffer.Length - _length)
        {
            var done = System.Text.Ascii.FromUtf16(chars, _buffer.AsSpan(_length), out var ascii) == System.Buffers.OperationStatus.Done;
            _length += ascii;
            if (done) return;
            chars = chars[ascii..];
        }
        Room(Utf8.GetMaxByteCount(chars.Length));
        _length += Utf8.GetBytes(chars, _buffer.AsSpan(_length));
    }

    /// <summary>Room for at least <paramref name="size"/> bytes at the end of what was written, to format into; then
    /// <see cref="Advance"/> by what was.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_high != '\0') { _high = '\0'; Encode(['\uFFFD']); }
        Room(size);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Takes <paramref name="count"/> bytes formatted into <see cref="GetSpan"/> as written.</summary>
    public void Advance(int count) => _length += count;

    /// <summary>Text that is UTF-8 already, as it is.</summary>
    public void WriteUtf8(ReadOnlySpan<byte> utf8)
    {
        if (_high != '\0') { _high = '\0'; Encode(['\uFFFD']); } // a lone high surrogate, as the encoder would replace it
        if (_stream is not null && utf8.Length >= _buffer.Length)
        {
            Drain();
            _stream.Write(utf8);
            return;
        }
        Room(utf8.Length);
        utf8.CopyTo(_buffer.AsSpan(_length));
        _length += utf8.Length;
    }

    /// <summary>A lone high surrogate still pending is written as the encoder replaces it; over a stream, the buffer goes to it.</summary>
    public override void Flush()
    {
        if (_high != '\0') { _high = '\0'; Encode(['\uFFFD']); }
        if (_stream is null) return;
        Drain();
        _stream.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _stream is not null) Flush();
        base.Dispose(disposing);
    }

    // Writes that complete at once: what a caller awaiting them (a template engine) sees.
    public override Task WriteAsync(char value) { Write(value); return Task.CompletedTask; }
    public override Task WriteAsync(string? value) { Write(value); return Task.CompletedTask; }
    public override Task WriteAsync(char[] buffer, int index, int count) { Write(buffer, index, count); return Task.CompletedTask; }
    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) { Write(buffer.Span); return Task.CompletedTask; }
    public override Task FlushAsync() { Flush(); return Task.CompletedTask; }

    /// <summary>Room for <paramref name="bytes"/> more: the buffer given to the stream, or grown.</summary>
    private void Room(int bytes)
    {
        if (_buffer.Length - _length >= bytes) return;
        if (_stream is not null)
        {
            Drain();
            if (_buffer.Length >= bytes) return;
        }
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
    }

    private void Drain()
    {
        if (_length == 0) return;
        _stream!.Write(_buffer, 0, _length);
        _length = 0;
    }

    /// <summary>A part that is UTF-8 text into any writer: as bytes into a <see cref="Utf8TextWriter"/>, else decoded.</summary>
    public static void WriteUtf8(TextWriter writer, ReadOnlySpan<byte> utf8)
    {
        if (writer is Utf8TextWriter u) u.WriteUtf8(utf8);
        else writer.Write(Utf8.GetString(utf8));
    }
}
