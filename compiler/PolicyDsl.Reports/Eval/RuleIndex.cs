using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>A policy's rules and each rule's facts by name (the readers look them up once per row and cell).</summary>
public sealed class RuleIndex
{
    private readonly Dictionary<string, (Rule Rule, Dictionary<string, Fact> Facts)> _rules = new(StringComparer.Ordinal);

    public RuleIndex(CheckedPolicy policy)
    {
        Policy = policy;
        foreach (var rule in policy.Rules)
        {
            if (_rules.ContainsKey(rule.Name)) continue; // the checker forbids it; the first wins as in FindRule
            var facts = new Dictionary<string, Fact>(StringComparer.Ordinal);
            foreach (var f in rule.Facts) facts.TryAdd(f.Name, f);
            _rules[rule.Name] = (rule, facts);
        }
    }

    public CheckedPolicy Policy { get; }

    public Rule? Rule(string name) => _rules.TryGetValue(name, out var r) ? r.Rule : null;

    public Fact? Fact(Rule? rule, string name) =>
        rule is not null && _rules.TryGetValue(rule.Name, out var r) && r.Facts.TryGetValue(name, out var f) ? f : null;
}
