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

    /// <summary>
    /// The largest file read or compiled: 16 MiB of UTF-8. A policy is a few hundred kilobytes; a larger
    /// input (or an endless one such as /dev/zero) is reported as PDSL0009 instead of being read into memory.
    /// </summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Parses text already in memory (a leading BOM, if any, is ignored by the parser). A U+FFFD in it is
    /// PDSL0008: it is what a decoder leaves where the file was not valid UTF-8 (the source generator gets
    /// the text Roslyn decoded, not the bytes), so the build rejects such a file as `policyc check` does.
    /// </summary>
    public static ParsedSource Parse(string path, string text) =>
        Utf8Length(text) > MaxFileBytes ? TooLarge(path) : Create(path, text, encodingError: null);

    /// <summary>
    /// Reads a file as UTF-8 and parses it; a file of more than <see cref="MaxFileBytes"/> is not read past
    /// that size. Throws only what opening and reading a file throws (a missing or unreadable file).
    /// </summary>
    public static ParsedSource Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var bytes = ReadAtMost(stream, MaxFileBytes + 1);
        if (bytes.Length > MaxFileBytes) return TooLarge(path);
        var (text, encodingError) = Decode(bytes);
        return Create(path, text, encodingError);
    }

    /// <summary>A file not read because it is larger than <see cref="MaxFileBytes"/>: PDSL0009 and nothing else.</summary>
    public static ParsedSource TooLarge(string path)
    {
        var limit = string.Create(CultureInfo.InvariantCulture, $"a file of at most {MaxFileBytes:N0} bytes ({MaxFileBytes / (1024 * 1024)} MiB)");
        var diagnostic = Diagnostic.Create(DiagnosticCatalog.FileTooLarge, path, new LineMap(""), default, limit, "a larger file (or one without an end)");
        return new ParsedSource(path, "", new SourceFileSyntax(null, null, EquatableArray<SyntaxError>.Empty), EquatableArray.Create(diagnostic));
    }

    /// <summary>The UTF-8 size of a text, counted only as far as needed to compare it with the limit.</summary>
    public static long Utf8Length(string text) =>
        text.Length > MaxFileBytes ? text.Length : (long)text.Length * 3 <= MaxFileBytes ? text.Length : Encoding.UTF8.GetByteCount(text);

    private static byte[] ReadAtMost(Stream stream, int limit)
    {
        // Whatever the file claims to be (a device, a pipe, a file still growing), never read past the limit.
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (buffer.Length < limit)
        {
            var read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length));
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
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
        else if (text.IndexOf('\uFFFD') is var replaced and >= 0)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.InvalidEncoding, path, lines, new TextSpan(replaced, 1),
                "UTF-8 text", "U+FFFD, the replacement character a decoder leaves where a file is not valid UTF-8"));
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
