using System.Globalization;
using System.Text;
using PolicyDsl.Checking;
using PolicyDsl.Model;
using PolicyDsl.Syntax;
using PolicyDsl.Text;

namespace PolicyDsl.Cli.Lsp;

/// <summary>Hover, definition, completion and the outline, from a document's syntax tree and its unit's checked model.</summary>
internal static class LanguageFeatures
{
    // ---------- words under the cursor ----------

    private static bool IsWordChar(char c) => c == '_' || char.IsLetterOrDigit(c);

    /// <summary>The identifier around an offset, with its span; null on whitespace or a symbol.</summary>
    public static (string Word, TextSpan Span)? WordAt(string text, int offset)
    {
        var start = Math.Clamp(offset, 0, text.Length);
        var end = start;
        while (start > 0 && IsWordChar(text[start - 1])) start--;
        while (end < text.Length && IsWordChar(text[end])) end++;
        return end > start ? (text[start..end], TextSpan.FromBounds(start, end)) : null;
    }

    private static IEnumerable<RuleSyntax> Rules(PolicySyntax? policy) =>
        policy is null ? [] : policy.Sections.SelectMany(s => s.Clauses).SelectMany(c => c.Rules);

    private static RuleSyntax? RuleAt(PolicySyntax? policy, int offset) =>
        Rules(policy).FirstOrDefault(r => r.Span.Start <= offset && offset <= r.Span.End);

    /// <summary>The name a statement of a rule declares (fact, param, let, table, band).</summary>
    private static Identifier? Declared(StatementSyntax s) => s switch
    {
        FactSyntax f => f.Name,
        ParamSyntax p => p.Name,
        LetSyntax l => l.Name,
        TableSyntax t => t.Name,
        BandSyntax b => b.Name,
        _ => null,
    };

    private static SetSyntax? SetAt(ImplementationSyntax? implementation, int offset) =>
        implementation?.Items.OfType<SetSyntax>().FirstOrDefault(s => s.Span.Start <= offset && offset <= s.Span.End);

    // ---------- hover ----------

    public static Hover? Hover(Document document, Document? policyDocument, Compilation compilation, int offset)
    {
        if (WordAt(document.Text, offset) is not { } at) return null;
        var policy = compilation.Policy;
        string? markdown = null;
        if (document.IsRules)
        {
            if (SetAt(document.Parsed.Syntax.Implementation, offset) is { } set && policy?.FindRule(set.Rule.Text) is { } rule)
            {
                if (Within(set.Rule.Span, offset)) markdown = RuleHover(rule, policy);
                else if (Within(set.Parameter.Span, offset) && rule.FindParameter(set.Parameter.Text) is { } p) markdown = ParameterHover(p, rule);
            }
        }
        else if (policy is not null)
        {
            var syntaxRule = RuleAt(document.Parsed.Syntax.Policy, offset);
            var rule = syntaxRule is null ? null : policy.FindRule(syntaxRule.Name.Text);
            if (rule?.FindFact(at.Word) is { } fact) markdown = FactHover(fact);
            else if (rule?.FindParameter(at.Word) is { } parameter) markdown = ParameterHover(parameter, rule);
            else if (policy.FindRule(at.Word) is { } named) markdown = RuleHover(named, policy);
        }
        return markdown is null ? null : new Hover(new MarkupContent("markdown", markdown), document.RangeOf(at.Span));
    }

    private static bool Within(TextSpan span, int offset) => span.Start <= offset && offset <= span.End;

    private static string Amount(decimal value, Unit unit) => Quantity.Format(value, unit);

    internal static string RuleHover(Model.Rule rule, CheckedPolicy policy)
    {
        var b = new StringBuilder();
        b.Append("**rule ").Append(rule.Name).Append("**");
        if (rule.Title is not null) b.Append(" — ").Append(rule.Title);
        b.Append(" (clause ").Append(rule.Clause.ToString(CultureInfo.InvariantCulture)).Append(")\n\n");
        if (rule.Source.Length > 0) b.Append("> ").Append(rule.Source).Append("\n\n");
        b.Append("- proven maximum: ").Append(rule.ProvenMaximum is { } max ? Amount(max, policy.AwardUnit) : rule.UncappedReason is { } why ? "none (uncapped: " + why + ")" : "none").Append('\n');
        if (rule.MoneyCeiling is { } money) b.Append("- money ceiling: ").Append(Amount(money, policy.Money)).Append('\n');
        foreach (var cap in rule.Caps) b.Append("- cap: ").Append(cap.Describe()).Append('\n');
        return b.ToString();
    }

    internal static string FactHover(Fact fact)
    {
        var b = new StringBuilder("**fact ").Append(fact.Name).Append("**");
        if (fact.Description is not null) b.Append(" — ").Append(fact.Description);
        b.Append("\n\n");
        switch (fact.Kind)
        {
            case FactKind.Quantity:
                b.Append("- unit: ").Append(fact.Unit).Append('\n');
                b.Append("- bounds: at least 0").Append(fact.AtMost is { } most ? ", at most " + Quantity.Format(most, fact.Unit!) : ", no upper bound").Append('\n');
                break;
            case FactKind.Level or FactKind.OneOf:
                b.Append("- ").Append(fact.Kind == FactKind.Level ? "level" : "one of").Append(": ")
                    .Append(string.Join(", ", fact.Members.Select(m => m.Label is null ? m.Key : $"{m.Key} \"{m.Label}\""))).Append('\n');
                break;
            default:
                b.Append("- ").Append(fact.Kind == FactKind.YesNo ? "yes/no" : "date").Append('\n');
                break;
        }
        return b.ToString();
    }

    internal static string ParameterHover(Parameter p, Model.Rule rule)
    {
        var b = new StringBuilder("**param ").Append(rule.Name).Append('.').Append(p.Name).Append("**");
        if (p.Description is not null) b.Append(" — ").Append(p.Description);
        b.Append("\n\n- unit: ").Append(p.Unit).Append('\n');
        if (p.AtMost is { } most) b.Append("- at most ").Append(Quantity.Format(most, p.Unit)).Append('\n');
        if (!p.Dimensions.IsEmpty) b.Append("- by ").Append(string.Join(", ", p.Dimensions)).Append('\n');
        return b.ToString();
    }

    // ---------- definition ----------

    public static Location? Definition(Document document, Document? policyDocument, int offset)
    {
        if (document.IsRules)
        {
            if (policyDocument is null || SetAt(document.Parsed.Syntax.Implementation, offset) is not { } set) return null;
            var rule = Rules(policyDocument.Parsed.Syntax.Policy).FirstOrDefault(r => r.Name.Text == set.Rule.Text);
            if (rule is null) return null;
            if (Within(set.Parameter.Span, offset))
            {
                var parameter = rule.Items.OfType<ParamSyntax>().FirstOrDefault(p => p.Name.Text == set.Parameter.Text);
                return parameter is null ? null : new Location(policyDocument.Uri, policyDocument.RangeOf(parameter.Name.Span));
            }
            return new Location(policyDocument.Uri, policyDocument.RangeOf(rule.Name.Span));
        }
        if (WordAt(document.Text, offset) is not { } at) return null;
        var policy = document.Parsed.Syntax.Policy;
        // A name of the enclosing rule first (facts, parameters, lets, tables, bands), then another rule.
        if (RuleAt(policy, offset) is { } enclosing && enclosing.Items.Select(Declared).FirstOrDefault(n => n?.Text == at.Word) is { } local)
            return new Location(document.Uri, document.RangeOf(local.Span));
        if (Rules(policy).FirstOrDefault(r => r.Name.Text == at.Word) is { } target)
            return new Location(document.Uri, document.RangeOf(target.Name.Span));
        return null;
    }

    // ---------- completion ----------

    public static CompletionItem[] Completion(Document document, Document? policyDocument, Compilation compilation, int offset)
    {
        var language = KeywordLanguages.Detect(document.Text);
        var items = new List<CompletionItem>();
        var lineStart = document.Lines.LineStart(document.Lines.GetPosition(offset).Line - 1);
        var before = document.Text[lineStart..Math.Clamp(offset, lineStart, document.Text.Length)].TrimStart();
        var policySyntax = policyDocument?.Parsed.Syntax.Policy ?? document.Parsed.Syntax.Policy;

        if (document.IsRules)
        {
            var words = before.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 1 && words[0] is "set" or "设定" && before.Contains('.', StringComparison.Ordinal))
            {
                var ruleName = words[^1].Split('.')[0];
                var rule = Rules(policySyntax).FirstOrDefault(r => r.Name.Text == ruleName);
                foreach (var p in rule?.Items.OfType<ParamSyntax>() ?? [])
                    items.Add(new CompletionItem(p.Name.Text, LspKinds.CompletionField, "parameter of " + ruleName));
                return items.ToArray();
            }
            if (words.Length >= 1 && words[0] is "set" or "设定")
            {
                foreach (var r in Rules(policySyntax).Where(r => r.Items.OfType<ParamSyntax>().Any()))
                    items.Add(new CompletionItem(r.Name.Text, LspKinds.CompletionClass, r.Title?.Value));
                return items.ToArray();
            }
            foreach (var k in language == KeywordLanguage.Chinese ? new[] { "设定", "说明", "实施细则" } : ["set", "note", "implementation of"])
                items.Add(new CompletionItem(k, LspKinds.CompletionKeyword, null));
            return items.ToArray();
        }

        foreach (var k in KeywordLanguages.StatementKeywords(language).Concat(KeywordLanguages.ExpressionKeywords(language)).Distinct().Order(StringComparer.Ordinal))
            items.Add(new CompletionItem(k, LspKinds.CompletionKeyword, "keyword"));
        foreach (var u in KeywordLanguages.Units(language).Distinct().Order(StringComparer.Ordinal))
            items.Add(new CompletionItem(u, LspKinds.CompletionUnit, "unit"));
        if (RuleAt(policySyntax, offset) is { } enclosing)
        {
            foreach (var statement in enclosing.Items)
                if (Declared(statement) is { } name)
                    items.Add(new CompletionItem(name.Text, LspKinds.CompletionVariable, statement.GetType().Name.Replace("Syntax", "", StringComparison.Ordinal).ToLowerInvariant()));
        }
        foreach (var r in Rules(policySyntax))
            items.Add(new CompletionItem(r.Name.Text, LspKinds.CompletionClass, r.Title?.Value ?? "rule"));
        return items.ToArray();
    }

    // ---------- outline ----------

    public static DocumentSymbol[] Symbols(Document d)
    {
        var syntax = d.Parsed.Syntax;
        var result = new List<DocumentSymbol>();
        if (syntax.Policy is { } p)
        {
            var children = new List<DocumentSymbol>();
            // The chapters in the document's order (§29): sections, and chapters of general provisions where they stand.
            foreach (var chapter in p.Chapters)
            {
                if (chapter is SectionSyntax s)
                {
                    var clauses = s.Clauses.Select(c => Symbol(d, $"clause {c.Number.Value}", c.Title.Value, LspKinds.SymbolNamespace, c.Span, c.Number.Span,
                        c.Rules.Select(r => Symbol(d, r.Name.Text, r.Title?.Value, LspKinds.SymbolClass, r.Span, r.Name.Span,
                            r.Items.Select(i => (Item: i, Name: Declared(i))).Where(x => x.Name is not null)
                                .Select(x => Symbol(d, x.Name!.Text, x.Item.GetType().Name.Replace("Syntax", "", StringComparison.Ordinal).ToLowerInvariant(),
                                    LspKinds.SymbolField, x.Item.Span, x.Name.Span, [])).ToArray())).ToArray())).ToArray();
                    children.Add(Symbol(d, $"section {s.Number.Value}", s.Title.Value, LspKinds.SymbolModule, s.Span, s.Number.Span, clauses));
                }
                else if (chapter is GeneralSyntax g)
                {
                    children.Add(Symbol(d, g.Number is { } n ? $"general {n.Value}" : "general", g.Title.Value, LspKinds.SymbolModule, g.Span, g.Number?.Span ?? g.Span,
                        g.Provisions.Select(pr => Symbol(d, $"provision {pr.Number.Value}", pr.Title?.Value, LspKinds.SymbolNamespace, pr.Span, pr.Number.Span, [])).ToArray()));
                }
            }
            result.Add(Symbol(d, p.Name.Text, p.Title.Value, LspKinds.SymbolModule, p.Span, p.Name.Span, children.ToArray()));
        }
        if (syntax.Implementation is { } impl)
        {
            var sets = impl.Items.OfType<SetSyntax>().Select(s => Symbol(d, $"{s.Rule.Text}.{s.Parameter.Text}" + (s.Keys.IsEmpty ? "" : "[" + string.Join(", ", s.Keys.Select(k => k.Text)) + "]"),
                null, LspKinds.SymbolConstant, s.Span, s.Parameter.Span, [])).ToArray();
            result.Add(Symbol(d, "implementation of " + impl.Policy.Text, impl.Title?.Value, LspKinds.SymbolModule, impl.Span, impl.Policy.Span, sets));
        }
        return result.ToArray();
    }

    private static DocumentSymbol Symbol(Document d, string name, string? detail, int kind, TextSpan span, TextSpan selection, DocumentSymbol[] children)
    {
        // The selection range must lie inside the range.
        var full = span.Cover(selection);
        return new DocumentSymbol(name, detail, kind, d.RangeOf(full), d.RangeOf(selection), children);
    }
}
