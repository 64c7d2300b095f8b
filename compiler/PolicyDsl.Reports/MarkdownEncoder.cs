using System.Text.Encodings.Web;

namespace PolicyDsl.Reports;

/// <summary>
/// Fluid's output encoder for Markdown: every value a template prints loses its Markdown meaning.
/// Punctuation that Markdown interprets is backslash-escaped; '&lt;' and '&amp;' become entities so that
/// no raw HTML (such as a script element) can appear; line breaks become spaces so a value can't
/// end a table row or start a heading. Digits, letters and CJK pass unchanged.
/// </summary>
public sealed class MarkdownEncoder : TextEncoder
{
    public static readonly MarkdownEncoder Instance = new();

    private MarkdownEncoder() { }

    public override int MaxOutputCharactersPerInputCharacter => 5; // "&amp;"

    private static string? Replacement(int scalar) => scalar switch
    {
        '<' => "&lt;",
        '>' => "&gt;",
        '&' => "&amp;",
        '\r' or '\n' => " ",
        '\\' or '`' or '*' or '_' or '[' or ']' or '#' or '|' or '~' or '!' or '{' or '}' or '(' or ')' => "\\" + (char)scalar,
        _ => null,
    };

    public override bool WillEncode(int unicodeScalar) => Replacement(unicodeScalar) is not null;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            if (Replacement(text[i]) is not null) return i;
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var replacement = Replacement(unicodeScalar);
        if (replacement is null)
        {
            // Not ours to encode (called for astral scalars too): write it as UTF-16.
            var text = char.ConvertFromUtf32(unicodeScalar);
            return Write(text, buffer, bufferLength, out numberOfCharactersWritten);
        }
        return Write(replacement, buffer, bufferLength, out numberOfCharactersWritten);
    }

    private static unsafe bool Write(string text, char* buffer, int bufferLength, out int written)
    {
        if (text.Length > bufferLength)
        {
            written = 0;
            return false;
        }
        for (var i = 0; i < text.Length; i++) buffer[i] = text[i];
        written = text.Length;
        return true;
    }
}
