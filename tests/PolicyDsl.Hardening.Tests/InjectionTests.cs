using System.Globalization;
using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PolicyDsl.Hardening.Tests;

/// <summary>
/// Text that tries to break out of where the generator and the reports put it: the generated C# compiles,
/// holds the exact text in its string constants (read back by reflection), keeps doc comments well-formed
/// XML, has no directive or invisible character the text smuggled in, and makes valid, distinct identifiers;
/// the reports show the text as text.
/// </summary>
public sealed class InjectionTests
{
    public static TheoryData<string, string> Hostile => new()
    {
        { "quotes and backslashes", "a \"quoted\" \\ backslash \\\" and \\\\\" end \\" },
        { "comment closers", "*/ /* // <!-- --> */" },
        { "raw string quotes", "\"\"\" raw \"\"\"\" $\"\"\"{x}\"\"\"" },
        { "braces and interpolation", "{ } {0} {{ }} ${x} $\"{x}\"" },
        { "line directive", "#line 1 \"evil.cs\"" },
        { "directives after a line break", "x\n#line 1 \"evil.cs\"\n#pragma warning disable\n#error boom\n}} class Evil { }" },
        { "carriage returns and tabs", "a\rb\r\nc\td\u0085e\u2028f\u2029g" },
        { "bidi controls", "abc\u202Edef\u202Cg\u2066h\u2067i\u2068j\u2069k\u200Fl\u061Cm" },
        { "zero width characters", "a\u200Bb\u200Dc\uFEFFd\u200Ce\u2060f" },
        { "NUL and control characters", "a\0b\u0001c\u001Fd\u007Fe" },
        { "script tag", "</script><script>alert(1)</script>" },
        { "XML markup", "<summary>&amp;</summary><![CDATA[x]]> ]]> &lt; &#x41; <see cref=\"System.Object\"/>" },
        { "template syntax", "{{ 7 | times: 7 }} {% if true %}IF{% endif %} {%- raw -%}" },
        { "markdown syntax", "# h1\n| a | b |\n[x](javascript:alert(1)) **b** `c` <b>" },
        { "keywords", "class namespace @class using static global:: unsafe fixed" },
        { "emoji and CJK extension B", "😀 𠀀 𪚥 中文" },
        { "invisible characters outside the BMP", "a\U000E0041b\U000E0001c\U000E007Fd\U0001D173e\U0001D17Af\U000F0000g\U0010FFFDh" },
        { "long", new string('长', 5_000) + "\"" + new string('x', 5_000) },
    };

    /// <summary>The text as a clause-file string: escapes for quotes, backslashes, line breaks and control characters; the rest raw.</summary>
    internal static string Dsl(string text)
    {
        var b = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085') b.Append("\\u{").Append(((int)c).ToString("X", CultureInfo.InvariantCulture)).Append('}');
                    else b.Append(c);
                    break;
            }
        }
        return b.Append('"').ToString();
    }

    internal static string PolicyWith(string s)
    {
        var q = Dsl(s);
        return $"""
            policy Injected {q}
              source {q}
              note {q}
              effective 2026-01-01 through 2026-12-31
              points worth at most 10000 yuan
              supersedes {q}, {q}
              interpreted by {q}
              paid by {q}

            section 1 {q} department {q}, {q}
              note {q}
              clause 1 {q}
                source {q}
                rule injected {q}
                  source {q}
                  note {q}
                  fact kind: one of a {q}, b {q}
                  fact fee: yuan {q}
                  param amount[kind]: points at most 5 points {q}
                  award min(amount[kind], 50% of fee in points)
                  cap 5 points per project

            general {q}
              provision 1 {q}
                source {q}
                no stacking {q}
            """;
    }

    private const string Rules = """
        implementation of Injected
          set injected.amount[a] = 5 points
          set injected.amount[b] = 3 points
        """;

    private static readonly char[] Invisible =
        ['\u202E', '\u202C', '\u2066', '\u2067', '\u2068', '\u2069', '\u200F', '\u061C', '\u200B', '\u200D', '\uFEFF', '\u200C', '\u2060', '\0', '\u0001', '\u001F', '\u007F', '\r', '\u0085', '\u2028', '\u2029'];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_text_compiles_round_trips_and_stays_text(string name, string text)
    {
        _ = name;
        var policyText = PolicyWith(text);
        var result = Harness.RunAll(policyText, Rules, generator: false);
        Assert.Empty(result.Checked.Errors);
        var model = result.Checked.Policy!;
        Assert.Equal(text, model.Title);
        Assert.Equal(text, Assert.Single(model.Rules).Title);

        var run = Harness.RunGenerator([new InMemoryAdditionalText(Harness.PolicyPath, policyText), new InMemoryAdditionalText(Harness.RulesPath, Rules)], documentation: true);
        Assert.Empty(run.Diagnostics);
        var problems = Harness.Problems(run.Output);
        Assert.True(problems.IsEmpty, string.Join("\n", problems));

        var generated = run.Output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)).ToList();
        var source = Assert.Single(generated);
        var code = source.ToString();

        // Nothing invisible, and no line break but LF, reaches the generated file raw.
        foreach (var c in Invisible) Assert.False(code.Contains(c, StringComparison.Ordinal), $"U+{(int)c:X4} in the generated code");
        foreach (var rune in code.EnumerateRunes())
            Assert.False(rune.Value > 0xFFFF && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned,
                $"U+{rune.Value:X} in the generated code");

        // The only directives are the generator's own.
        var directives = source.GetRoot().DescendantTrivia(descendIntoTrivia: true).Where(t => t.IsDirective).Select(t => t.ToString().Trim()).ToList();
        Assert.All(directives, d => Assert.True(d == "#nullable enable" || d.StartsWith("#pragma warning disable CS1591", StringComparison.Ordinal), "directive " + d));

        // Every doc comment is well-formed XML and shows the text (line breaks folded, invisible characters written as \uXXXX).
        var docs = source.GetRoot().DescendantTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)).ToList();
        Assert.NotEmpty(docs);
        var visible = Visible(text);
        var shown = false;
        foreach (var doc in docs)
        {
            var xml = string.Join("\n", doc.ToFullString().Split('\n').Select(l => l.Trim()).Select(l => l.StartsWith("///", StringComparison.Ordinal) ? l[3..] : l));
            var element = XElement.Parse("<doc>" + xml + "</doc>");
            shown |= element.Value.Contains(visible, StringComparison.Ordinal);
        }
        Assert.True(shown, "no doc comment shows the text as " + visible);

        // The string constants hold the exact text.
        var assembly = Harness.Load(run.Output);
        var policyClass = assembly.GetTypes().Single(t => t.GetField("AwardUnit", BindingFlags.Public | BindingFlags.Static) is not null);
        Assert.Equal(text, Const(policyClass, "Title"));
        Assert.Equal(text, Const(policyClass, "DefaultPayer"));
        var ruleClass = RandomValidPolicyTests.CompiledRule(assembly, "injected").DeclaringType!;
        Assert.Equal(text, Const(ruleClass, "Title"));
        Assert.Equal(text, Const(ruleClass, "Source"));

        // Reports: the text appears encoded, never as markup or as an evaluated template.
        var html = PolicyDsl.Reports.PolicyReport.Html(model).Text;
        Assert.Contains(Harness.HtmlText(text), html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("IF", html.Replace("IF{%", "", StringComparison.Ordinal).Replace("IF%7B", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("evil.cs\"\n", html, StringComparison.Ordinal);
        var markdown = PolicyDsl.Reports.PolicyReport.Markdown(model).Text;
        Assert.DoesNotContain("<script>", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("\n#line", markdown, StringComparison.Ordinal);
        if (text.Contains("{%", StringComparison.Ordinal)) Assert.DoesNotContain(" IF ", markdown, StringComparison.Ordinal);
        if (text.Contains("{{ 7", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(">49<", html, StringComparison.Ordinal);
            Assert.DoesNotContain(" 49 ", markdown, StringComparison.Ordinal);
        }
    }

    private static string? Const(Type type, string name) =>
        (string?)type.GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null);

    /// <summary>The text as a doc comment shows it: line breaks and tabs folded to spaces, invisible characters as \uXXXX.</summary>
    private static string Visible(string text) => PolicyDsl.Emit.CSharpText.XmlText(text)
        .Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
        .Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    [Fact]
    public void Names_that_mangle_alike_get_distinct_valid_identifiers()
    {
        string[] ruleNames = ["class", "namespace", "_1", "a_b", "a__b", "aB", "ab", "AB", "名称", "名_称", "名__称", "evaluate", "name", "system",
            "global_", "policy_dsl", "to_string", "_", "__", "r1", "r_1", "r__1", "fee_subsidy_rule", "fee_subsidy", "int", "value", "var",
            "equals", "get_hash_code", "get_type", "has_flag", "compare_to", "from_rules", "names_parameters", "names_rule_kind", "names_policy", "names_application", "value__"];
        string[] factNames = ["equals", "to_string", "get_hash_code", "get_type", "deconstruct", "print_members", "a_b", "a__b", "aB", "Ab",
            "class", "_", "__", "名称", "名_称", "facts", "parameters", "trace", "amount", "x_1", "x1", "X1"];
        var text = new StringBuilder("policy Names \"名字\"\n  effective 2026-01-01 through 2026-12-31\n  points worth at most 10000 yuan\n\nsection 1 \"章\" department \"部门\"\n  clause 1 \"条\"\n");
        foreach (var rule in ruleNames)
        {
            text.Append("    rule ").Append(rule).Append('\n');
            foreach (var fact in factNames) text.Append("      fact ").Append(fact).Append(": yuan\n");
            text.Append("      fact kind: one of a \"甲\", A \"乙\", a_ \"丙\", class \"丁\", _ \"戊\"\n");
            text.Append("      table t[kind]: points\n        case a = 1 points\n        case A = 1 points\n        case a_ = 1 points\n        case class = 1 points\n        case _ = 1 points\n");
            text.Append("      table T[kind]: points\n        case a = 1 points\n        case A = 1 points\n        case a_ = 1 points\n        case class = 1 points\n        case _ = 1 points\n");
            text.Append("      award min(t[kind], T[kind], ").Append(string.Join(", ", factNames.Select(f => "1% of " + f + " in points"))).Append(")\n");
            text.Append("      cap 5 points\n");
        }
        var policy = text.ToString();
        var result = Harness.RunAll(policy, generator: false);
        Assert.Empty(result.Checked.Errors);

        var run = Harness.RunGenerator([new InMemoryAdditionalText(Harness.PolicyPath, policy)], documentation: true);
        Assert.Empty(run.Diagnostics);
        var problems = Harness.Problems(run.Output);
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Take(20)));
        var assembly = Harness.Load(run.Output);

        var classes = new HashSet<Type>();
        foreach (var rule in ruleNames)
        {
            var evaluate = RandomValidPolicyTests.CompiledRule(assembly, rule);
            Assert.True(classes.Add(evaluate.DeclaringType!), "two rules share class " + evaluate.DeclaringType);
            Assert.True(SyntaxFacts.IsValidIdentifier(evaluate.DeclaringType!.Name));
            var facts = evaluate.GetParameters()[0].ParameterType.GetElementType()!;
            var properties = facts.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
            Assert.Equal(factNames.Length + 1, properties.Count);
            Assert.All(properties, p => Assert.True(SyntaxFacts.IsValidIdentifier(p.Name) && SyntaxFacts.GetKeywordKind(p.Name) == SyntaxKind.None, p.Name));
            var kind = properties.Single(p => p.PropertyType.IsEnum).PropertyType;
            Assert.Equal(5, Enum.GetNames(kind).Distinct(StringComparer.Ordinal).Count());

            // Every fact reaches the formula: set one fact at a time and the award follows it (1% of 100 yuan is 0.0001 points).
            foreach (var p in properties.Where(p => p.PropertyType == typeof(decimal)))
            {
                var boxed = Activator.CreateInstance(facts)!;
                foreach (var q in properties.Where(q => q.PropertyType == typeof(decimal))) q.SetValue(boxed, q == p ? 100m : 1_000_000m);
                properties.Single(q => q.PropertyType.IsEnum).SetValue(boxed, Enum.ToObject(kind, 1));
                var award = evaluate.Invoke(null, [boxed])!;
                Assert.Equal(0.0001m, (decimal)award.GetType().GetProperty("Amount")!.GetValue(award)!);
            }
        }
        Assert.Equal(ruleNames.Length, classes.Count);
    }

    [Fact]
    public void Policy_names_that_are_keywords_or_namespaces_compile()
    {
        foreach (var name in new[] { "class", "System", "PolicyDsl", "Runtime", "global_", "_1", "名称", "Microsoft" })
        {
            var policy = HostileInputTests.Small.Replace("policy Small", "policy " + name, StringComparison.Ordinal);
            Assert.Empty(Harness.RunAll(policy, generator: false).Checked.Errors);
            var run = Harness.RunGenerator([new InMemoryAdditionalText(Harness.PolicyPath, policy)], documentation: true);
            Assert.Empty(run.Diagnostics);
            var problems = Harness.Problems(run.Output);
            Assert.True(problems.IsEmpty, name + ": " + string.Join("\n", problems.Take(10)));
            var evaluate = RandomValidPolicyTests.CompiledRule(Harness.Load(run.Output), "fee_subsidy");
            Assert.Equal(2m, RandomValidPolicyTests.InvokeCompiled(evaluate, PolicyDsl.Model.Facts.Empty.With("fee", 1_000_000m).With("eligible", true)));
        }
    }
}
