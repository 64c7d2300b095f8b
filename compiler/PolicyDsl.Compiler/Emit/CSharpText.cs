using System.Globalization;
using System.Text;

namespace PolicyDsl.Emit;

/// <summary>
/// Turns arbitrary text into safe pieces of C#: string literals, decimal literals, XML doc text and
/// identifiers. Every function is pure and culture-invariant, so the emitted code is byte-identical
/// on every machine.
/// </summary>
public static class CSharpText
{
    /// <summary>A regular C# string literal ("...") for any text. Quotes, backslashes, line breaks,
    /// control and format characters (bidi overrides, zero-width joiners) and lone surrogates are written
    /// as escapes, so the literal is one line, shows what it holds, and cannot hide code.</summary>
    public static string StringLiteral(string? value)
    {
        if (value is null) return "null";
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\0': builder.Append("\\0"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\v': builder.Append("\\v"); break;
                default:
                    i = AppendOther(builder, value, i);
                    break;
            }
        }
        builder.Append('"');
        return builder.ToString();
    }

    /// <summary>A decimal literal such as <c>123.45m</c>; negative values are parenthesised.</summary>
    public static string DecimalLiteral(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture) + "m";
        return value < 0m ? "(" + text + ")" : text;
    }

    /// <summary>An int literal, invariant.</summary>
    public static string IntLiteral(int value) =>
        value < 0 ? "(" + value.ToString(CultureInfo.InvariantCulture) + ")" : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Text for an XML doc comment on one line: markup characters escaped, line breaks folded
    /// into spaces, control and format characters written as character references.</summary>
    public static string XmlText(string? value)
    {
        if (string.IsNullOrEmpty(value)) return string.Empty;
        var builder = new StringBuilder(value!.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\r':
                case '\n':
                case '\t':
                    builder.Append(' ');
                    break;
                default:
                    // Not an XML character reference: XML 1.0 forbids most control characters even as
                    // references, and the compiler would warn. AppendOther's visible \uXXXX is safe.
                    i = AppendOther(builder, value, i);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Text for a <c>//</c> comment: one line, no control or format characters.</summary>
    public static string CommentText(string? value) => XmlText(value);

    /// <summary>
    /// Appends value[i], a character no caller escapes specially: a surrogate pair as it is, a character
    /// that could hide or break code as a visible \uXXXX, anything else as it is. Returns the index of
    /// the last character it consumed.
    /// </summary>
    private static int AppendOther(StringBuilder builder, string value, int i)
    {
        var c = value[i];
        if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
        {
            // Outside the BMP too there are invisible characters: tag characters (U+E0000–E007F), musical
            // formatting controls (U+1D173–1D17A), private use planes 15–16. They are written \UXXXXXXXX.
            var rune = new Rune(c, value[i + 1]);
            if (NeedsEscape(Rune.GetUnicodeCategory(rune))) builder.Append("\\U").Append(rune.Value.ToString("X8", CultureInfo.InvariantCulture));
            else builder.Append(c).Append(value[i + 1]);
            return i + 1;
        }
        if (NeedsEscape(c)) builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        else builder.Append(c);
        return i;
    }

    private static bool NeedsEscape(char c)
    {
        if (char.IsSurrogate(c)) return true; // a lone surrogate
        return NeedsEscape(CharUnicodeInfo.GetUnicodeCategory(c)) || c == '\u0085';
    }

    private static bool NeedsEscape(UnicodeCategory category) => category is UnicodeCategory.Control
        or UnicodeCategory.Format // bidi controls, zero-width characters, BOM, tag characters
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    // ---------- identifiers ----------

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit",
        "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int",
        "interface", "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out",
        "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed",
        "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try",
        "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    // Contextual keywords that are awkward as type or member names; suffixed like keywords.
    private static readonly HashSet<string> Awkward = new(StringComparer.Ordinal)
    {
        "var", "dynamic", "value", "nameof", "await", "async", "yield", "record", "field", "scoped", "file",
        "required", "managed", "unmanaged", "notnull", "when", "where", "with", "and", "or", "not", "global", "_",
    };

    /// <summary>True for a C# keyword (reserved words only).</summary>
    public static bool IsKeyword(string text) => Keywords.Contains(text);

    /// <summary>
    /// A valid C# identifier for any name: characters that cannot appear in an identifier are dropped
    /// (an underscore separates words), snake_case becomes PascalCase when <paramref name="pascal"/>,
    /// a leading digit gets a prefix, and a keyword gets the suffix "_" (not "@", so that the name reads
    /// the same in a stack trace). CJK names are kept as written.
    /// </summary>
    public static string Identifier(string? name, bool pascal = true, string prefixForDigit = "_")
    {
        var builder = new StringBuilder();
        var upperNext = pascal;
        foreach (var rune in (name ?? string.Empty).EnumerateRunes())
        {
            if (IsIdentifierPart(rune) && !(pascal && rune.Value == '_'))
            {
                var text = rune.ToString();
                if (upperNext && Rune.IsLetter(rune) && rune.Value < 0x80)
                {
                    text = text.ToUpperInvariant();
                }
                builder.Append(text);
                upperNext = false;
            }
            else
            {
                // A separator: in PascalCase it capitalises the next word; otherwise keep one underscore.
                if (pascal) upperNext = true;
                else if (builder.Length > 0 && builder[builder.Length - 1] != '_') builder.Append('_');
            }
        }
        var result = builder.ToString().TrimEnd('_');
        if (result.Length == 0) return "_";
        var first = Rune.GetRuneAt(result, 0);
        if (!IsIdentifierStart(first)) result = prefixForDigit + result;
        if (Keywords.Contains(result) || Awkward.Contains(result)) result += "_";
        return result;
    }

    private static bool IsIdentifierStart(Rune rune) =>
        rune.Value == '_' || Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber;

    private static bool IsIdentifierPart(Rune rune) =>
        IsIdentifierStart(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}

/// <summary>Hands out distinct identifiers within one scope: a second "Award" becomes "Award_2".</summary>
public sealed class NameScope
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly NameScope? _outer;

    public NameScope(params string[] reserved) : this(null, reserved) { }

    /// <summary>
    /// A scope that also avoids every name <paramref name="outer"/> has taken (read, never copied: a rule class's scope
    /// sees the namespace's type names without copying all of them per rule, which made naming quadratic in the policy).
    /// </summary>
    public NameScope(NameScope? outer, params string[] reserved)
    {
        _outer = outer;
        foreach (var name in reserved) _used.Add(name);
    }

    /// <summary>True when this scope or an outer one has taken the name.</summary>
    public bool IsTaken(string name) => _used.Contains(name) || (_outer?.IsTaken(name) ?? false);

    /// <summary>Reserves a name as it is (for fixed members); returns false if it was taken.</summary>
    public bool Reserve(string name) => !(_outer?.IsTaken(name) ?? false) & _used.Add(name);

    public string Unique(string? name, bool pascal = true)
    {
        var baseName = CSharpText.Identifier(name, pascal);
        if (TryTake(baseName)) return baseName;
        for (var i = 2; ; i++)
        {
            var candidate = baseName + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (TryTake(candidate)) return candidate;
        }
    }

    private bool TryTake(string name) => !(_outer?.IsTaken(name) ?? false) && _used.Add(name);
}
