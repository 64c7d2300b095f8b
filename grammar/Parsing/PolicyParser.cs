using System.Runtime.InteropServices;
using Pidgin;
using PolicyDsl.Text;

namespace PolicyDsl.Syntax;

/// <summary>
/// Parses a clause file or an implementation-rules file. The language is line-oriented, so each
/// line is lexed and parsed on its own (<see cref="Grammar"/>) and the lines are then assembled
/// into the tree by their order (<see cref="TreeBuilder"/>). A bad line costs one error and
/// parsing goes on with the next, so every independent error of a file is reported in one run.
/// Parse never throws: every problem is a <see cref="SyntaxError"/> in the result.
/// </summary>
public static class PolicyParser
{
    /// <summary>How deep parentheses, brackets, "not" and "if" may nest on one line.</summary>
    public const int MaxNesting = 64;

    /// <summary>How many operators (+, *, of, and, ...) one line may chain; each adds a level to the tree.</summary>
    public const int MaxOperators = 256;

    internal const string StatementKeywords = "a statement keyword (policy, section, clause, rule, fact, param, requires, award, cap, ...)";

    /// <summary>The number of statement keywords in each spelling seen so far in one parse (Chinese, English).</summary>
    internal sealed class LanguageCount
    {
        public int Chinese;
        public int English;

        public KeywordLanguage Language => Chinese > English ? KeywordLanguage.Chinese : KeywordLanguage.English;

        public void Count(string word)
        {
            if (!Grammar.Statements.ContainsKey(word)) return;
            if (KeywordLanguages.IsChinese(word)) Chinese++;
            else English++;
        }
    }

    public static SourceFileSyntax Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return ParseLines(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A last resort: the parser has no known way to get here, and the tests keep it so.
            var error = new SyntaxError(SyntaxErrorKind.Unexpected, new TextSpan(0, 0), "input the parser can handle",
                $"an internal error ({e.GetType().Name}: {e.Message})");
            return new SourceFileSyntax(null, null, EquatableArray.Create(error));
        }
    }

    private static SourceFileSyntax ParseLines(string text)
    {
        var builder = new TreeBuilder();
        var languages = new LanguageCount();
        var tokens = new List<Lexeme>();
        var units = DeclaredUnits(text, tokens);
        var sawContent = false;
        var start = 0;
        while (true)
        {
            var end = text.IndexOfAny(['\r', '\n'], start);
            if (end < 0) end = text.Length;

            tokens.Clear();
            var lexError = Lexer.Lex(text, start, end, tokens, units);
            if (lexError is null) MarkSetUnits(tokens);
            if (lexError is not null || tokens.Count > 0)
            {
                sawContent = true;
                ParseLine(tokens, lexError, builder, languages);
            }

            if (end == text.Length) break;
            start = text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? end + 2 : end + 1;
        }

        if (!sawContent)
        {
            var found = text.Length == 0 || text == "\uFEFF" ? "an empty file" : "only blank lines and comments";
            builder.Error(new SyntaxError(SyntaxErrorKind.EmptyFile, new TextSpan(0, 0),
                "a \"policy\" or \"implementation of\" line", found));
        }
        // What was expected is told in the keywords of the file: a file in Chinese keywords gets the Chinese list.
        var language = languages.Language;
        return builder.Finish(error => error with { Expected = KeywordLanguages.Localize(error.Expected, language) });
    }

    /// <summary>
    /// A rules file declares no units, but its values may be in the units its policy declares (set r.area = 100 亩): on a
    /// set line, the words after the value's number are its unit words, and the checker resolves them against the policy's
    /// declarations (an unknown one is reported there, with the policy's units).
    /// </summary>
    private static void MarkSetUnits(List<Lexeme> tokens)
    {
        if (tokens.Count < 4 || tokens[0].Kind != LexemeKind.Word || tokens[0].Text is not ("set" or "设定")) return;
        var equals = tokens.FindIndex(t => t.Kind == LexemeKind.Symbol && t.Text == "=");
        if (equals < 0) return;
        for (var i = equals + 2; i < tokens.Count; i++)
        {
            var before = tokens[i - 1];
            if (before.Kind is not (LexemeKind.Number or LexemeKind.Unit) && !(before.Kind is LexemeKind.Word or LexemeKind.Symbol && Grammar.IsBuiltInUnit(before.Text))
                && !(before.Kind == LexemeKind.Symbol && before.Text is "/" or "·" or "•" or "*"))
                break;
            if (tokens[i].Kind == LexemeKind.Word && !Grammar.IsBuiltInUnit(tokens[i].Text) && tokens[i].Text.IndexOfAny(['-', '/']) < 0)
                tokens[i] = tokens[i] with { Kind = LexemeKind.Unit };
        }
    }

    /// <summary>
    /// The words the file declares as units ("unit 亩", "单位 度", "currency AUD"). Unit words must be known before any line is
    /// parsed (a quantity "100 亩" reads the unit), so the declarations are read in a first pass over the lines.
    /// </summary>
    private static HashSet<string>? DeclaredUnits(string text, List<Lexeme> tokens)
    {
        HashSet<string>? units = null;
        var start = 0;
        while (true)
        {
            var end = text.IndexOfAny(['\r', '\n'], start);
            if (end < 0) end = text.Length;
            tokens.Clear();
            // Only a line that holds the keyword can declare a unit or a currency; the rest are not lexed twice.
            var line = text.AsSpan(start, end - start);
            if ((line.Contains("unit", StringComparison.Ordinal) || line.Contains("单位", StringComparison.Ordinal)
                 || line.Contains("currency", StringComparison.Ordinal) || line.Contains("货币", StringComparison.Ordinal))
                && Lexer.Lex(text, start, end, tokens) is null && tokens.Count >= 2 && tokens[0].Kind == LexemeKind.Word
                && tokens[0].Text is "unit" or "单位" or "currency" or "货币" && tokens[1].Kind == LexemeKind.Word && !Grammar.IsBuiltInUnit(tokens[1].Text))
                (units ??= new HashSet<string>(StringComparer.Ordinal)).Add(tokens[1].Text);
            if (end == text.Length) break;
            start = text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? end + 2 : end + 1;
        }
        return units;
    }

    private static void ParseLine(List<Lexeme> tokens, SyntaxError? lexError, TreeBuilder builder, LanguageCount languages)
    {
        var first = tokens.Count > 0 ? tokens[0] : default;
        var keyword = first.Kind == LexemeKind.Word ? first.Text : null;
        if (keyword is not null) languages.Count(keyword);
        if ((lexError ?? CheckNesting(tokens)) is { } error)
        {
            builder.Error(error);
            builder.LineFailed(keyword, tokens);
            return;
        }

        if (keyword is null || !Grammar.Statements.TryGetValue(keyword, out var parser))
        {
            var suggestion = keyword is null ? null : Suggestions.Closest(keyword, Grammar.Statements.Keys);
            builder.Error(new SyntaxError(SyntaxErrorKind.Unexpected, first.Span, StatementKeywords, Describe(first)) { Suggestion = suggestion });
            // A misspelt keyword still says what the line was: a misspelt container line opens its container.
            if (suggestion is not null) builder.LineFailed(suggestion, tokens);
            return;
        }

        var result = parser.Parse(CollectionsMarshal.AsSpan(tokens));
        if (result.Success)
        {
            builder.Add(result.Value, first);
        }
        else
        {
            builder.Error(FromPidgin(result.Error!, tokens));
            builder.LineFailed(keyword, tokens);
        }
    }

    /// <summary>
    /// Counts nesting before the recursive grammar runs, so that no line can exhaust the stack;
    /// also limits operator chains, which build trees as deep as they are long.
    /// </summary>
    private static SyntaxError? CheckNesting(List<Lexeme> tokens)
    {
        int depth = 0, keywords = 0, operators = 0;
        foreach (var t in tokens)
        {
            if (t.Kind == LexemeKind.Symbol && t.Text is "(" or "[") depth++;
            else if (t.Kind == LexemeKind.Symbol && t.Text is ")" or "]") depth = Math.Max(0, depth - 1);
            else if (t.Kind == LexemeKind.Word && Grammar.NestingWords.Contains(t.Text)) keywords++;

            if (t.Kind is LexemeKind.Word or LexemeKind.Symbol && Grammar.ChainWords.Contains(t.Text)) operators++;

            if (depth + keywords > MaxNesting)
            {
                return new SyntaxError(SyntaxErrorKind.TooDeeplyNested, t.Span,
                    $"at most {MaxNesting} levels of parentheses, brackets, \"not\" and \"if\"", $"level {MaxNesting + 1} at {Lexer.Quote(t.Text)}");
            }
            if (operators > MaxOperators)
            {
                return new SyntaxError(SyntaxErrorKind.TooDeeplyNested, t.Span,
                    $"at most {MaxOperators} operators on one line", $"operator {MaxOperators + 1} {Lexer.Quote(t.Text)}");
            }
        }
        return null;
    }

    /// <summary>Turns Pidgin's error into ours: what the grammar allowed there, and what was found.</summary>
    private static SyntaxError FromPidgin(ParseError<Lexeme> error, List<Lexeme> tokens)
    {
        Lexeme? found = error.Unexpected.HasValue ? error.Unexpected.Value
            : !error.EOF && error.ErrorOffset < tokens.Count ? tokens[error.ErrorOffset] : null;
        var span = found?.Span ?? new TextSpan(tokens[^1].Span.End, 0);

        var expected = new List<string>();
        foreach (var e in error.Expected)
        {
            var text = e.IsEof ? "end of line"
                : e.Label ?? (e.Tokens.IsDefaultOrEmpty ? null : string.Join(" ", e.Tokens.Select(t => Lexer.Quote(t.Text))));
            if (text is not null && !expected.Contains(text)) expected.Add(text);
        }
        var expectedText = expected.Count switch
        {
            0 => error.Message ?? "something else",
            1 => expected[0],
            _ => string.Join(", ", expected.Take(expected.Count - 1)) + " or " + expected[^1],
        };

        var kind = found is { IsWholeNumber: true } f && f.Number > int.MaxValue && expected.Contains(Grammar.WholeNumberLabel)
            ? SyntaxErrorKind.NumberOutOfRange
            : SyntaxErrorKind.Unexpected;
        // A misspelt keyword, unit or scope: the closest word the grammar allowed there.
        var suggestion = found is { Kind: LexemeKind.Word } word ? Suggestions.Closest(word.Text, KeywordLanguages.Candidates(expectedText)) : null;
        return new SyntaxError(kind, span, expectedText, found is { } token ? Describe(token) : "end of line") { Suggestion = suggestion };
    }

    internal static string Describe(Lexeme token) => token.Kind switch
    {
        LexemeKind.String => "the string " + Lexer.Quote(token.Text),
        _ when token.Text is null => "end of line",
        _ => Lexer.Quote(token.Text),
    };
}
