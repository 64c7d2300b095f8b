using System.Globalization;
using System.Text;

namespace PolicyDsl.Cli;

/// <summary>
/// A writer for what policyc prints to a terminal: diagnostics, outlines, bounds, summaries. Policy text
/// (titles, strings, names in messages) may hold control characters — an escape sequence can clear the
/// screen, set the window title or hide text — so every control, format (bidi, zero-width) and separator
/// character except line feed and tab, and every lone surrogate, is written as a visible \uXXXX.
/// Documents (a report or eval output on standard output) are written to <see cref="Inner"/> instead
/// when it is redirected: their formats encode text themselves, and a file must hold exactly what was produced.
/// </summary>
public sealed class TerminalText(TextWriter inner) : TextWriter(CultureInfo.InvariantCulture)
{
    public TextWriter Inner { get; } = inner;

    /// <summary>True when <see cref="Inner"/> is an interactive terminal: then documents are escaped too.</summary>
    public bool Interactive { get; init; }

    public override Encoding Encoding => Inner.Encoding;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => Inner.NewLine;
        set => Inner.NewLine = value;
    }

    public override void Write(char value)
    {
        if (NeedsEscape(value)) Inner.Write(Escape(value));
        else Inner.Write(value);
    }

    public override void Write(string? value) => Inner.Write(Escape(value));

    public override void Write(char[] buffer, int index, int count) => Inner.Write(Escape(new string(buffer, index, count)));

    public override void WriteLine() => Inner.WriteLine();

    public override void WriteLine(string? value) => Inner.WriteLine(Escape(value));

    public override void Flush() => Inner.Flush();

    /// <summary>The text with every character a terminal could act on written as \uXXXX.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var i = 0;
        while (i < text.Length && !NeedsEscapeAt(text, i)) i++;
        if (i == text.Length) return text;
        var builder = new StringBuilder(text.Length + 16).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var rune = new Rune(text[i], text[i + 1]);
                if (IsInvisible(Rune.GetUnicodeCategory(rune))) builder.Append("\\U").Append(rune.Value.ToString("X8", CultureInfo.InvariantCulture));
                else builder.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else if (NeedsEscape(text[i])) builder.Append(Escape(text[i]));
            else builder.Append(text[i]);
        }
        return builder.ToString();
    }

    private static bool NeedsEscapeAt(string text, int i) =>
        char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
            ? IsInvisible(Rune.GetUnicodeCategory(new Rune(text[i], text[i + 1])))
            : NeedsEscape(text[i]);

    private static string Escape(char c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static bool NeedsEscape(char c) =>
        c is not ('\n' or '\t') && (char.IsSurrogate(c) || IsInvisible(CharUnicodeInfo.GetUnicodeCategory(c)));

    private static bool IsInvisible(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
