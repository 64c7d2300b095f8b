namespace PolicyDsl.Text;

/// <summary>A range of UTF-16 code units in a source text, 0-based, as Roslyn and editors count.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);

    public TextSpan Cover(TextSpan other) => FromBounds(Math.Min(Start, other.Start), Math.Max(End, other.End));

    public override string ToString() => $"[{Start}..{End})";
}

/// <summary>A 1-based line and column for people; the column counts UTF-16 code units (a tab is one).</summary>
public readonly record struct LinePosition(int Line, int Column)
{
    public override string ToString() => $"({Line},{Column})";
}

/// <summary>Maps offsets to lines and columns. Line ends are LF, CRLF or a lone CR.</summary>
public sealed class LineMap
{
    private readonly int[] _lineStarts;

    public LineMap(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }
        _lineStarts = starts.ToArray();
        Length = text.Length;
    }

    public int Length { get; }

    public int LineCount => _lineStarts.Length;

    /// <summary>The offset where a 0-based line starts.</summary>
    public int LineStart(int line) => _lineStarts[line];

    public LinePosition GetPosition(int offset)
    {
        offset = Math.Clamp(offset, 0, Length);
        var index = Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return new LinePosition(line + 1, offset - _lineStarts[line] + 1);
    }
}
