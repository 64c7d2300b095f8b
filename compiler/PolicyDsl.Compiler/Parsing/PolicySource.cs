using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using PolicyDsl.Diagnostics;
using PolicyDsl.Syntax;
using PolicyDsl.Text;

namespace PolicyDsl;

/// <summary>
/// One source file read and parsed, with its syntax errors as diagnostics. The CLI, the checker and
/// the source generator all start here; the generator passes the text Roslyn gave it to <see cref="Parse"/>.
/// Value-equal, so the generator can cache on it.
/// </summary>
public sealed record ParsedSource(string Path, string Text, SourceFileSyntax Syntax, EquatableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>Lines and columns of <see cref="Text"/>; built on demand because it is derived data.</summary>
    public LineMap CreateLineMap() => new(Text);

    /// <summary>Parses text already in memory (a leading BOM, if any, is ignored by the parser).</summary>
    public static ParsedSource Parse(string path, string text) => Create(path, text, encodingError: null);

    /// <summary>Reads a file as UTF-8 and parses it. Throws only what File.ReadAllBytes throws (a missing file).</summary>
    public static ParsedSource Read(string path)
    {
        var (text, encodingError) = Decode(File.ReadAllBytes(path));
        return Create(path, text, encodingError);
    }

    /// <summary>
    /// UTF-8 without its BOM. Invalid bytes become U+FFFD and decoding goes on; the first one is
    /// reported, at the text offset where its U+FFFD stands.
    /// </summary>
    internal static (string Text, (int Offset, string Found)? Error) Decode(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        var skipped = bytes.StartsWith(bom) ? bom.Length : 0;
        var body = bytes[skipped..];

        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, body.Length));
        try
        {
            var status = Utf8.ToUtf16(body, buffer, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
            var text = Encoding.UTF8.GetString(body);
            if (status == OperationStatus.Done) return (text, null);

            var byteOffset = skipped + bytesRead;
            var found = string.Create(CultureInfo.InvariantCulture, $"byte 0x{bytes[byteOffset]:X2} at byte offset {byteOffset}");
            return (text, (charsWritten, found));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static ParsedSource Create(string path, string text, (int Offset, string Found)? encodingError)
    {
        var syntax = PolicyParser.Parse(text);
        var lines = new LineMap(text);
        var diagnostics = new List<Diagnostic>();
        if (encodingError is { } bad)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.InvalidEncoding, path, lines, new TextSpan(bad.Offset, 1),
                "UTF-8 text", bad.Found));
        }
        foreach (var error in syntax.Errors)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.For(error.Kind), path, lines, error.Span, error.Expected, error.Found)
                .WithSuggestion(error.Suggestion, '"'));
        }
        // Stable, so that two errors at one offset keep the parser's order.
        return new ParsedSource(path, text, syntax, diagnostics.OrderBy(d => d.Span.Start).ToEquatableArray());
    }
}
