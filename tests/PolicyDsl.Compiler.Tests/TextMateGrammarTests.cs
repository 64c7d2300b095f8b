using TextMateSharp.Grammars;
using TextMateSharp.Internal.Grammars.Reader;
using TextMateSharp.Internal.Types;
using TextMateSharp.Registry;
using TextMateSharp.Themes;

namespace PolicyDsl.Compiler.Tests;

/// <summary>
/// The VS Code extension's TextMate grammar (editors/vscode/syntaxes/policy.tmLanguage.json), run by
/// TextMateSharp (the same Oniguruma regexes as VS Code) over the samples: keywords, strings, numbers,
/// units and comments get their scopes, in English and in Chinese keywords.
/// </summary>
public sealed class TextMateGrammarTests
{
    private const string Scope = "source.policy";

    private sealed class Options : IRegistryOptions
    {
        private readonly RegistryOptions _themes = new(ThemeName.LightPlus);

        public IRawGrammar GetGrammar(string scopeName)
        {
            if (scopeName != Scope) return _themes.GetGrammar(scopeName);
            using var reader = new StreamReader(Path.Combine(TestFiles.Root, "editors", "vscode", "syntaxes", "policy.tmLanguage.json"));
            return GrammarReader.ReadGrammarSync(reader);
        }

        public ICollection<string>? GetInjections(string scopeName) => null;

        public IRawTheme GetTheme(string scopeName) => _themes.GetTheme(scopeName);

        public IRawTheme GetDefaultTheme() => _themes.GetDefaultTheme();
    }

    /// <summary>Every token of a text as (text, innermost scope).</summary>
    private static List<(string Text, string Scope)> Tokenize(string text)
    {
        var grammar = new Registry(new Options()).LoadGrammar(Scope);
        Assert.NotNull(grammar);
        var tokens = new List<(string, string)>();
        IStateStack? state = null;
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            var result = grammar.TokenizeLine(line, state, TimeSpan.FromSeconds(5));
            state = result.RuleStack;
            foreach (var token in result.Tokens)
            {
                var end = Math.Min(token.EndIndex, line.Length);
                if (end > token.StartIndex) tokens.Add((line[token.StartIndex..end], token.Scopes[^1]));
            }
        }
        return tokens;
    }

    private static void AssertScope(List<(string Text, string Scope)> tokens, string text, string scope) =>
        Assert.True(tokens.Any(t => t.Text.Trim() == text && t.Scope == scope),
            $"'{text}' should have scope {scope}; found: {string.Join(", ", tokens.Where(t => t.Text.Contains(text, StringComparison.Ordinal)).Select(t => $"'{t.Text}'={t.Scope}"))}");

    [Fact]
    public void The_tongzhou_policy_gets_scopes_for_keywords_strings_numbers_units_and_comments()
    {
        var tokens = Tokenize(TestFiles.SamplePolicy);
        AssertScope(tokens, "policy", "keyword.control.statement.policy");
        AssertScope(tokens, "requires", "keyword.control.statement.policy");
        AssertScope(tokens, "award", "keyword.control.statement.policy");
        AssertScope(tokens, "cmmm_maturity", "entity.name.function.policy");
        AssertScope(tokens, "per", "keyword.operator.word.policy");
        AssertScope(tokens, "智能制造成熟度评估认定奖励", "string.quoted.double.policy");
        AssertScope(tokens, "30", "constant.numeric.policy");
        AssertScope(tokens, "2026-01-01", "constant.numeric.date.policy");
        AssertScope(tokens, "points", "support.type.unit.policy");
        AssertScope(tokens, "wan-yuan", "support.type.unit.policy");
        AssertScope(tokens, "%", "support.type.unit.policy");
        AssertScope(tokens, "# 省级及以上: inclusive", "comment.line.number-sign.policy");
        // A name that contains a unit word is not a unit: no token of "implementation_period" is a unit.
        Assert.DoesNotContain(tokens, t => t.Text.Contains("implementation_period", StringComparison.Ordinal) && t.Scope == "support.type.unit.policy");
    }

    [Fact]
    public void The_chinese_keyword_sample_gets_the_same_scopes()
    {
        var tokens = Tokenize(TestFiles.Read("samples/examples/chinese-keywords.policy"));
        AssertScope(tokens, "政策", "keyword.control.statement.policy");
        AssertScope(tokens, "规则", "keyword.control.statement.policy");
        AssertScope(tokens, "股改补助", "entity.name.function.policy");
        AssertScope(tokens, "条件", "keyword.control.statement.policy");
        AssertScope(tokens, "的", "keyword.operator.word.policy");
        AssertScope(tokens, "元", "support.type.unit.policy");
        AssertScope(tokens, "万元", "support.type.unit.policy");
        AssertScope(tokens, "200", "constant.numeric.policy");
        AssertScope(tokens, "# Shape: a policy written entirely with the Chinese keyword spellings (same syntax tree as English).", "comment.line.number-sign.policy");
        // Chinese names that contain a unit character (年 in 上年度...) stay names.
        Assert.DoesNotContain(tokens, t => t.Text.Trim() == "中介费用" && t.Scope == "support.type.unit.policy");
    }
}
