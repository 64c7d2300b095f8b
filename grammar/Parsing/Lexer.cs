using System.Globalization;
using System.Text;
using PolicyDsl.Text;

namespace PolicyDsl.Syntax;

/// <summary>Unit is a word the file declares as a unit (unit 亩): a unit word there, never a name.</summary>
internal enum LexemeKind { Word, Symbol, Number, Date, String, Unit }

/// <summary>
/// One token of a line. Text is the word or symbol as written, the string's value with escapes
/// resolved, or the number's digits; Number holds a Number token's value.
/// </summary>
internal readonly record struct Lexeme(LexemeKind Kind, string Text, TextSpan Span, decimal Number = 0m)
{
    public bool IsWholeNumber => Kind == LexemeKind.Number && Number == decimal.Truncate(Number);
}

/// <summary>
/// Splits one line into tokens. Hand-written because tokens are where the exact error kinds live
/// (bad strings, bad characters, numbers out of range); the Pidgin grammar then runs over the tokens,
/// so that keywords match whole words only and errors point at whole tokens.
/// </summary>
internal static class Lexer
{
    // Words that contain a "-" or "/" and still are one token; elsewhere "-" is minus.
    private static readonly string[] Compounds = ["wan-yuan", "yi-yuan", "person-times", "half-up", "yes/no"];

    // Longest first, so that ">=" wins over ">".
    private static readonly string[] Symbols =
    [
        ">=", "<=", "!=", ">", "<", "=", "≥", "≤", "≠", ":", ",", "[", "]", "(", ")",
        "+", "-", "*", "/", "×", "·", "•", ".", "%", "㎡",
    ];

    /// <summary>Tokens of text[start..end) into output; on the first error, returns it and stops. Words in
    /// <paramref name="units"/> (the file's declared units) become unit tokens.</summary>
    public static SyntaxError? Lex(string text, int start, int end, List<Lexeme> output, IReadOnlySet<string>? units = null)
    {
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (c == '#') break; // a comment runs to the end of the line
            if (IsBlank(c) || (c == '\uFEFF' && i == 0))
            {
                i++;
                continue;
            }

            if (c == '"')
            {
                var error = LexString(text, i, end, output, out i);
                if (error is not null) return error;
            }
            else if (IsAsciiDigit(c))
            {
                var error = LexNumberOrDate(text, i, end, output, out i);
                if (error is not null) return error;
            }
            else if (IsIdentifierStart(text, i, end, out var width))
            {
                i = LexWord(text, i + width, end, i, output);
                if (units is not null && units.Contains(output[^1].Text)) output[^1] = output[^1] with { Kind = LexemeKind.Unit };
            }
            else if (MatchSymbol(text, i, end) is { } symbol)
            {
                output.Add(new Lexeme(LexemeKind.Symbol, symbol, new TextSpan(i, symbol.Length)));
                i += symbol.Length;
            }
            else
            {
                var width2 = char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                return new SyntaxError(SyntaxErrorKind.BadCharacter, new TextSpan(i, width2),
                    "a word, a number, a string or an operator", DescribeCharacter(text, i, width2));
            }
        }
        return null;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' || (c > 127 && char.IsWhiteSpace(c)) || c is '\v' or '\f';

    private static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';

    private static bool IsIdentifierStart(string text, int i, int end, out int width)
    {
        var c = text[i];
        width = 1;
        if (c == '_' || char.IsLetter(c)) return true;
        if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(text[i + 1]) && char.IsLetter(text, i))
        {
            width = 2; // a letter outside the BMP (rare CJK)
            return true;
        }
        return false;
    }

    private static int LexWord(string text, int i, int end, int start, List<Lexeme> output)
    {
        while (i < end)
        {
            var c = text[i];
            if (c == '_' || char.IsLetterOrDigit(c)) i++;
            else if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(text[i + 1]) && char.IsLetterOrDigit(text, i)) i += 2;
            else break;
        }
        // "m²" is how people write square metres; ² is not a letter, so take it here.
        if (i - start == 1 && text[start] == 'm' && i < end && text[i] == '²') i++;
        foreach (var compound in Compounds)
        {
            if (end - start >= compound.Length
                && string.CompareOrdinal(text, start, compound, 0, compound.Length) == 0
                && i == start + compound.IndexOfAny(['-', '/'])
                && (start + compound.Length == end || !IsWordChar(text[start + compound.Length])))
            {
                i = start + compound.Length;
                break;
            }
        }
        output.Add(new Lexeme(LexemeKind.Word, text.Substring(start, i - start), TextSpan.FromBounds(start, i)));
        return i;
    }

    private static bool IsWordChar(char c) => c == '_' || char.IsLetterOrDigit(c);

    private static string? MatchSymbol(string text, int i, int end)
    {
        foreach (var symbol in Symbols)
        {
            if (end - i >= symbol.Length && string.CompareOrdinal(text, i, symbol, 0, symbol.Length) == 0) return symbol;
        }
        return null;
    }

    private static SyntaxError? LexNumberOrDate(string text, int start, int end, List<Lexeme> output, out int next)
    {
        var i = start;
        while (i < end && IsAsciiDigit(text[i])) i++;

        // A date: exactly dddd-dd-dd, not followed by another digit.
        if (i - start == 4 && i + 6 <= end && text[i] == '-' && IsAsciiDigit(text[i + 1]) && IsAsciiDigit(text[i + 2])
            && text[i + 3] == '-' && IsAsciiDigit(text[i + 4]) && IsAsciiDigit(text[i + 5])
            && (i + 6 == end || !IsAsciiDigit(text[i + 6])))
        {
            next = i + 6;
            output.Add(new Lexeme(LexemeKind.Date, text.Substring(start, next - start), TextSpan.FromBounds(start, next)));
            return null;
        }

        while (i < end && (IsAsciiDigit(text[i]) || text[i] == '_')) i++;
        if (i + 1 < end && text[i] == '.' && IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < end && IsAsciiDigit(text[i])) i++;
        }
        next = i;
        var span = TextSpan.FromBounds(start, i);
        var digits = text.Substring(start, i - start);
        var plain = digits.Replace("_", "", StringComparison.Ordinal);
        var dot = plain.IndexOf('.');
        var integralDigits = (dot < 0 ? plain.Length : dot) - CountLeadingZeros(plain);
        var fractionDigits = dot < 0 ? 0 : plain.AsSpan(dot + 1).TrimEnd('0').Length;
        // decimal holds 28-29 significant digits and 28 decimals; checking the length first keeps huge inputs
        // cheap. A number decimal would round (1.000…0001 with 40 digits) is out of range too, not silently changed.
        if (integralDigits > 29 || fractionDigits > 28
            || !decimal.TryParse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || !IsExact(plain, value))
        {
            return new SyntaxError(SyntaxErrorKind.NumberOutOfRange, span,
                "a number of at most 28 digits", Quote(digits));
        }
        output.Add(new Lexeme(LexemeKind.Number, digits, span, value));
        return null;
    }

    /// <summary>True when <paramref name="value"/> is exactly the number <paramref name="plain"/> writes (no digit rounded away).</summary>
    private static bool IsExact(string plain, decimal value)
    {
        static string Canonical(string digits)
        {
            if (digits.Contains('.', StringComparison.Ordinal)) digits = digits.TrimEnd('0').TrimEnd('.');
            digits = digits.TrimStart('0');
            return digits.Length == 0 ? "0" : digits;
        }
        return Canonical(plain) == Canonical(value.ToString(CultureInfo.InvariantCulture));
    }

    private static int CountLeadingZeros(string digits)
    {
        var n = 0;
        while (n < digits.Length - 1 && digits[n] == '0' && digits[n + 1] != '.') n++;
        return n;
    }

    private static SyntaxError? LexString(string text, int start, int end, List<Lexeme> output, out int next)
    {
        var value = new StringBuilder();
        var i = start + 1;
        while (i < end)
        {
            var c = text[i];
            if (c == '"')
            {
                next = i + 1;
                output.Add(new Lexeme(LexemeKind.String, value.ToString(), TextSpan.FromBounds(start, next)));
                return null;
            }
            if (c != '\\')
            {
                value.Append(c);
                i++;
                continue;
            }

            var escapeStart = i;
            if (i + 1 >= end)
            {
                next = end;
                return BadEscape(escapeStart, end, "end of line");
            }
            var e = text[i + 1];
            switch (e)
            {
                case '"': value.Append('"'); i += 2; break;
                case '\\': value.Append('\\'); i += 2; break;
                case 'n': value.Append('\n'); i += 2; break;
                case 't': value.Append('\t'); i += 2; break;
                case 'r': value.Append('\r'); i += 2; break;
                case 'u':
                    {
                        var j = i + 2;
                        if (j >= end || text[j] != '{')
                        {
                            next = end;
                            return BadEscape(escapeStart, Math.Min(end, i + 2), Quote(text.Substring(i, Math.Min(end, i + 3) - i)));
                        }
                        j++;
                        var hexStart = j;
                        while (j < end && Uri.IsHexDigit(text[j]) && j - hexStart < 8) j++;
                        var ok = j < end && text[j] == '}' && j > hexStart && j - hexStart <= 6;
                        var code = ok ? int.Parse(text.AsSpan(hexStart, j - hexStart), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) : -1;
                        if (!ok || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
                        {
                            var stop = Math.Min(end, j + 1);
                            next = end;
                            return BadEscape(escapeStart, stop, Quote(text.Substring(escapeStart, stop - escapeStart)));
                        }
                        value.Append(char.ConvertFromUtf32(code));
                        i = j + 1;
                        break;
                    }
                default:
                    next = end;
                    return BadEscape(escapeStart, i + 2, Quote(text.Substring(i, 2)));
            }
        }
        next = end;
        return new SyntaxError(SyntaxErrorKind.BadString, TextSpan.FromBounds(start, end), "a closing '\"' on the same line", "end of line");
    }

    private static SyntaxError BadEscape(int start, int end, string found) =>
        new(SyntaxErrorKind.BadString, TextSpan.FromBounds(start, end),
            "an escape (\\\", \\\\, \\n, \\t, \\r or \\u{hex})", found);

    private static string DescribeCharacter(string text, int i, int width)
    {
        var c = text[i];
        if (width == 2) return Quote(text.Substring(i, 2));
        if (char.IsSurrogate(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            return string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
        return Quote(c.ToString());
    }

    /// <summary>Quotes a piece of source for a message, shortened so a 100,000-character token stays readable.</summary>
    public static string Quote(string text) =>
        text.Length <= 40 ? $"\"{text}\"" : $"\"{text[..37]}...\"";
}
