using System.Text;
using System.Text.RegularExpressions;

namespace PolicyDsl.Syntax;

/// <summary>The two spellings of the keywords; a file is told what was expected in its own spelling.</summary>
public enum KeywordLanguage { English, Chinese }

/// <summary>
/// Keyword spellings by language, and the rewriting of an "expected ..." text into the file's language.
/// Labels keep every spelling ("\"at most\" (不超过)"); a file written in one spelling is shown that one.
/// </summary>
public static partial class KeywordLanguages
{
    /// <summary>A word written in Chinese (any CJK ideograph in it).</summary>
    public static bool IsChinese(string word)
    {
        foreach (var c in word)
        {
            if (c is >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' || char.IsSurrogate(c)) return true;
        }
        return false;
    }

    private static bool Fits(string spelling, KeywordLanguage language) =>
        language == KeywordLanguage.Chinese ? IsChinese(spelling) || !spelling.Any(char.IsLetter) : !IsChinese(spelling);

    /// <summary>The first words of every statement in one language.</summary>
    public static IReadOnlyList<string> StatementKeywords(KeywordLanguage language) =>
        Grammar.Statements.Keys.Where(k => Fits(k, language)).ToList();

    /// <summary>The words of expressions and conditions (if, of, per, at least, ...) in one language.</summary>
    public static IReadOnlyList<string> ExpressionKeywords(KeywordLanguage language) =>
        Grammar.ExpressionKeywords.All.Where(k => Fits(k, language)).ToList();

    /// <summary>The unit words in one language (yuan, 万元, ...).</summary>
    public static IReadOnlyList<string> Units(KeywordLanguage language) =>
        Grammar.UnitWords.Where(k => Fits(k, language)).ToList();

    /// <summary>The main statement keywords, to list in "expected a statement keyword (...)".</summary>
    internal static string StatementKeywordsText(KeywordLanguage language) => language == KeywordLanguage.Chinese
        ? "a statement keyword (政策, 章, 条, 规则, 事实, 参数, 条件, 奖励, 上限, ...)"
        : PolicyParser.StatementKeywords;

    /// <summary>The spelling most of a text's statement keywords are in (English when tied), as the parser decides it.</summary>
    public static KeywordLanguage Detect(string text)
    {
        var count = new PolicyParser.LanguageCount();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOfAny(['\r', '\n'], start);
            if (end < 0) end = text.Length;
            var i = start;
            while (i < end && char.IsWhiteSpace(text[i])) i++;
            var j = i;
            while (j < end && !char.IsWhiteSpace(text[j])) j++;
            if (j > i) count.Count(text[i..j]);
            start = end + 1;
        }
        return count.Language;
    }

    // Labels that list examples in English words; their Chinese counterparts.
    private static readonly Dictionary<string, string> ChineseLabels = new(StringComparer.Ordinal)
    {
        ["a comparison (>=, <, is, 以上, ...)"] = "a comparison (以上, 以下, 超过, 低于, 为, 不为, >=, <, ...)",
        [Grammar.UnitLabel] = "a unit (元, 万元, 分, 平米, 个月, 年, 人次, 人, 个, %)",
        ["a scope (enterprise, project, item, ...)"] = "a scope (企业, 项目, 认证, 单项, 人, 申请)",
        ["a direction (down, up, half-up)"] = "a direction (向下, 向上, 四舍五入)",
        ["a type (a unit, yes/no, date, level or one of)"] = "a type (a unit, 是否, 日期, 等级 or 之一)",
    };

    private static readonly Dictionary<string, string> EnglishLabels = new(StringComparer.Ordinal)
    {
        ["a comparison (>=, <, is, 以上, ...)"] = "a comparison (>=, <=, >, <, =, !=, at least, at most, is, is not, ...)",
    };

    [GeneratedRegex("\"([^\"]+)\" \\(([^()]*)\\)")]
    private static partial Regex AlternativesLabel();

    /// <summary>Rewrites an "expected" text for a file in the given language.</summary>
    public static string Localize(string expected, KeywordLanguage language)
    {
        if (expected == PolicyParser.StatementKeywords) return StatementKeywordsText(language);
        var labels = language == KeywordLanguage.Chinese ? ChineseLabels : EnglishLabels;
        foreach (var (from, to) in labels) expected = expected.Replace(from, to, StringComparison.Ordinal);
        return AlternativesLabel().Replace(expected, m =>
        {
            var spellings = new[] { m.Groups[1].Value }.Concat(m.Groups[2].Value.Split(", ")).Where(s => Fits(s, language)).ToList();
            if (spellings.Count == 0) return m.Value;
            var text = new StringBuilder("\"").Append(spellings[0]).Append('"');
            if (spellings.Count > 1) text.Append(" (").Append(string.Join(", ", spellings.Skip(1))).Append(')');
            return text.ToString();
        });
    }

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex Quoted();

    /// <summary>
    /// The words an "expected" text allows (its quoted keywords, and every unit or scope when it asks
    /// for one), as candidates for "did you mean".
    /// </summary>
    internal static IEnumerable<string> Candidates(string expected)
    {
        foreach (Match m in AlternativesLabel().Matches(expected))
        {
            yield return m.Groups[1].Value;
            foreach (var s in m.Groups[2].Value.Split(", ")) yield return s;
        }
        foreach (Match m in Quoted().Matches(expected)) yield return m.Groups[1].Value;
        if (expected.Contains(Grammar.UnitLabel, StringComparison.Ordinal))
            foreach (var unit in Grammar.UnitWords) yield return unit;
        if (expected.Contains("a scope (", StringComparison.Ordinal))
            foreach (var scope in Grammar.ScopeWords) yield return scope;
    }
}
