using System.Text;
using PolicyDsl.Syntax;

namespace PolicyDsl.Formatting;

/// <summary>
/// The one canonical layout of a clause file or rules file, from its tokens and lines alone (no tree),
/// so that it holds for any statement the grammar has or gains:
/// - indentation by level, two spaces a level: a container line (policy, section, clause, rule, general,
///   provision, implementation) has its fixed level; any other statement sits one level inside the last
///   container; a case line one level inside the statement above it;
/// - one space between tokens, none inside brackets, before "," ":" ")" "]", around ".", between a
///   number and "%", or after a unary minus; a name and its "(" or "[" stay together when written so;
/// - the "=" of consecutive case lines aligned, and trailing comments of consecutive lines aligned;
/// - comments kept (a comment line takes the indentation of the statement below it), one blank line at
///   most between blocks, no trailing blanks, one newline at the end.
/// A line the lexer rejects (an unterminated string) is kept as written. Formatting is idempotent and
/// changes no token, so the file parses to the same tree.
/// </summary>
public static class PolicyFormatter
{
    private const string Indent = "  ";

    /// <summary>The level of each container keyword; the statements inside are one deeper.</summary>
    private static readonly Dictionary<string, int> ContainerLevels = new(StringComparer.Ordinal)
    {
        ["policy"] = 0, ["政策"] = 0, ["implementation"] = 0, ["实施细则"] = 0,
        ["section"] = 0, ["章"] = 0, ["general"] = 0, ["总则"] = 0,
        ["clause"] = 1, ["条"] = 1, ["provision"] = 1, ["款"] = 1, ["subsection"] = 1, ["节"] = 1,
        ["rule"] = 2, ["规则"] = 2,
    };

    private static readonly HashSet<string> CaseKeywords = new(StringComparer.Ordinal) { "case", "档" };

    /// <summary>A formatted line before alignment: its level, its code (tokens joined) and its comment.</summary>
    private sealed record Line(int Level, string Code, string? Comment, bool IsCase, bool Verbatim, string Original)
    {
        public bool Blank => Code.Length == 0 && Comment is null && !Verbatim;
    }

    public static string Format(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var bom = text.StartsWith('\uFEFF');
        var lines = new List<Line>();
        var tokens = new List<Lexeme>();
        int container = -1, statement = 0;
        var start = bom ? 1 : 0;
        while (start <= text.Length)
        {
            var end = text.IndexOfAny(['\r', '\n'], start);
            if (end < 0) end = text.Length;
            tokens.Clear();
            var error = Lexer.Lex(text, start, end, tokens);
            var original = text[start..end].TrimEnd();
            if (error is not null)
            {
                lines.Add(new Line(0, "", null, false, true, original));
            }
            else
            {
                var commentFrom = tokens.Count > 0 ? tokens[^1].Span.End : start;
                var hash = text.IndexOf('#', commentFrom, end - commentFrom);
                var comment = hash >= 0 ? text[hash..end].TrimEnd() : null;
                var level = 0;
                var isCase = false;
                if (tokens.Count > 0)
                {
                    var first = tokens[0].Text;
                    if (ContainerLevels.TryGetValue(first, out var containerLevel))
                    {
                        level = container = containerLevel;
                        statement = level;
                    }
                    else if (CaseKeywords.Contains(first))
                    {
                        level = statement + 1;
                        isCase = true;
                    }
                    else
                    {
                        level = statement = container + 1;
                    }
                }
                lines.Add(new Line(level, tokens.Count > 0 ? Join(text, tokens) : "", comment, isCase, false, original));
            }
            if (end == text.Length) break;
            start = text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? end + 2 : end + 1;
        }
        return Render(lines, newline, bom);
    }

    /// <summary>True when formatting would change the text.</summary>
    public static bool IsFormatted(string text) => Format(text) == text;

    private static string Render(List<Line> lines, string newline, bool bom)
    {
        // A comment line takes the level of the next statement line (what it describes), else 0.
        var levels = new int[lines.Count];
        var next = 0;
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            if (lines[i].Code.Length > 0) next = lines[i].Level;
            levels[i] = lines[i].Code.Length > 0 ? lines[i].Level : lines[i].Comment is not null ? next : 0;
        }

        var codes = lines.Select((l, i) => l.Code.Length == 0 ? "" : string.Concat(Enumerable.Repeat(Indent, levels[i])) + l.Code).ToArray();
        AlignCases(lines, codes);
        var rendered = AlignComments(lines, codes, levels);

        var output = new StringBuilder(bom ? "\uFEFF" : "");
        var pendingBlank = false;
        var any = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Blank)
            {
                pendingBlank = any;
                continue;
            }
            if (pendingBlank) output.Append(newline);
            pendingBlank = false;
            output.Append(rendered[i]).Append(newline);
            any = true;
        }
        return output.ToString();
    }

    /// <summary>Consecutive case lines get their last "=" in one column.</summary>
    private static void AlignCases(List<Line> lines, string[] codes)
    {
        for (var i = 0; i < lines.Count;)
        {
            if (!lines[i].IsCase) { i++; continue; }
            var j = i;
            while (j < lines.Count && lines[j].IsCase) j++;
            // Columns as a monospaced editor shows them: a CJK character (档 一级) takes two.
            var column = 0;
            for (var k = i; k < j; k++)
            {
                var at = EqualsAt(codes[k]);
                if (at > 0) column = Math.Max(column, Width(codes[k][..at]));
            }
            for (var k = i; k < j; k++)
            {
                var at = EqualsAt(codes[k]);
                var width = at > 0 ? Width(codes[k][..at]) : 0;
                if (at > 0 && width < column) codes[k] = codes[k][..at] + new string(' ', column - width) + codes[k][at..];
            }
            i = j;
        }
    }

    /// <summary>Where the last " = " of a case line starts (its leading space), or 0.</summary>
    private static int EqualsAt(string code)
    {
        var at = code.LastIndexOf(" = ", StringComparison.Ordinal);
        return at < 0 ? 0 : at;
    }

    /// <summary>Trailing comments of consecutive lines start in one column, two after the longest code of the run.</summary>
    private static string[] AlignComments(List<Line> lines, string[] codes, int[] levels)
    {
        var result = new string[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            result[i] = l.Verbatim ? l.Original
                : l.Code.Length == 0 ? (l.Comment is null ? "" : string.Concat(Enumerable.Repeat(Indent, levels[i])) + l.Comment)
                : codes[i];
        }
        for (var i = 0; i < lines.Count;)
        {
            if (!(lines[i].Code.Length > 0 && lines[i].Comment is not null)) { i++; continue; }
            var j = i;
            while (j < lines.Count && lines[j].Code.Length > 0 && lines[j].Comment is not null) j++;
            var column = 0;
            for (var k = i; k < j; k++) column = Math.Max(column, Width(codes[k]));
            for (var k = i; k < j; k++) result[k] = codes[k] + new string(' ', column - Width(codes[k]) + 2) + lines[k].Comment;
            i = j;
        }
        return result;
    }

    /// <summary>Columns in a monospaced editor: East Asian wide and full-width characters (CJK, kana, Hangul,
    /// full-width forms, the supplementary ideograph planes) take two, combining marks none, the rest one.</summary>
    internal static int Width(string s)
    {
        var width = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            var c = rune.Value;
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark
                or System.Globalization.UnicodeCategory.EnclosingMark or System.Globalization.UnicodeCategory.Format) continue;
            width += c is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0x303E or >= 0x3041 and <= 0x33FF or >= 0x3400 and <= 0x4DBF
                or >= 0x4E00 and <= 0x9FFF or >= 0xA000 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
                or >= 0xFE10 and <= 0xFE19 or >= 0xFE30 and <= 0xFE6F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6
                or >= 0x1F300 and <= 0x1F64F or >= 0x1F900 and <= 0x1F9FF or >= 0x20000 and <= 0x3FFFD ? 2 : 1;
        }
        return width;
    }

    // ---------- spacing between tokens ----------

    private static string Join(string text, List<Lexeme> tokens)
    {
        var b = new StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (i > 0 && SpaceBetween(tokens, i, text)) b.Append(' ');
            b.Append(text, t.Span.Start, t.Span.Length);
        }
        return b.ToString();
    }

    private static bool IsSymbol(Lexeme t, string s) => t.Kind == LexemeKind.Symbol && t.Text == s;

    private static bool SpaceBetween(List<Lexeme> tokens, int i, string text)
    {
        var prev = tokens[i - 1];
        var cur = tokens[i];
        if (cur.Kind == LexemeKind.Symbol && cur.Text is "," or ":" or ")" or "]" or "." or "·" or "•") return false;
        if (prev.Kind == LexemeKind.Symbol && prev.Text is "(" or "[" or "." or "·" or "•") return false;
        if (IsSymbol(cur, "%") && prev.Kind == LexemeKind.Number) return false;
        if (cur.Kind == LexemeKind.Symbol && cur.Text is "(" or "[")
        {
            // name(...) and name[...] as written; "requires (a + b) > 5" keeps its space.
            var adjacent = prev.Span.End == cur.Span.Start;
            return !(adjacent && (prev.Kind == LexemeKind.Word || IsSymbol(prev, ")") || IsSymbol(prev, "]")));
        }
        if (IsSymbol(prev, "-") && IsUnary(tokens, i - 1)) return false;
        // "year starts 07-01" (§30.1): the month and day stay tight.
        if (tokens.Count == 5 && tokens[0].Text == "year" && tokens[1].Text == "starts" && i is 3 or 4) return false;
        // A ratio unit written tight (万元/亩) stays tight; a division keeps its spaces.
        if ((IsSymbol(cur, "/") && prev.Span.End == cur.Span.Start && i + 1 < tokens.Count && tokens[i + 1].Span.Start == cur.Span.End)
            || (IsSymbol(prev, "/") && prev.Span.End == cur.Span.Start && i >= 2 && tokens[i - 2].Span.End == prev.Span.Start)) return false;
        return true;
    }

    /// <summary>A minus with no value before it (after an operator, a keyword, "(" or at the start) negates.</summary>
    private static bool IsUnary(List<Lexeme> tokens, int minus)
    {
        if (minus == 0) return true;
        var before = tokens[minus - 1];
        return before.Kind switch
        {
            LexemeKind.Number or LexemeKind.String or LexemeKind.Date => false,
            LexemeKind.Symbol => before.Text is not (")" or "]" or "%" or "㎡"),
            _ => minus - 1 == 0 || Grammar.ExpressionKeywords.Contains(before.Text) || Grammar.Statements.ContainsKey(before.Text) && minus - 1 == 0,
        };
    }
}
