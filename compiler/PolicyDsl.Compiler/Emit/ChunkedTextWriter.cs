using System.Globalization;
using System.Text;

namespace PolicyDsl.Emit;

/// <summary>
/// The emitter's output buffer: text in chunks of 128 K chars, each on the large-object heap, joined once at the end.
/// A StringWriter's StringBuilder keeps its text in 8 K-char chunks on the small-object heap, all alive until the end,
/// so the GC copied the whole generated file from generation to generation (100 MB of C# for 10,000 clauses).
/// </summary>
internal sealed class ChunkedTextWriter : TextWriter
{
    private const int ChunkSize = 1 << 17;

    private readonly List<char[]> _full = new();
    private char[] _chunk = new char[ChunkSize];
    private int _used;

    public ChunkedTextWriter() : base(CultureInfo.InvariantCulture) => NewLine = "\n";

    public override Encoding Encoding => Encoding.Unicode;

    public override void Write(char value)
    {
        if (_used == _chunk.Length) NextChunk();
        _chunk[_used++] = value;
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        while (buffer.Length > 0)
        {
            if (_used == _chunk.Length) NextChunk();
            var n = Math.Min(buffer.Length, _chunk.Length - _used);
            buffer[..n].CopyTo(_chunk.AsSpan(_used));
            _used += n;
            buffer = buffer[n..];
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value.AsSpan());
        Write(CoreNewLine);
    }

    public override string ToString()
    {
        var length = _full.Count * ChunkSize + _used;
        return string.Create(length, this, static (span, w) =>
        {
            foreach (var chunk in w._full)
            {
                chunk.CopyTo(span);
                span = span[chunk.Length..];
            }
            w._chunk.AsSpan(0, w._used).CopyTo(span);
        });
    }

    private void NextChunk()
    {
        _full.Add(_chunk);
        _chunk = new char[ChunkSize];
        _used = 0;
    }
}
