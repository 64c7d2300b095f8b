using PolicyDsl.Checking;
using PolicyDsl.Diagnostics;

namespace PolicyDsl.Cli;

/// <summary>
/// How `policyc check` runs the checker over its files: each .rules file is paired with the policy it
/// names (`implementation of NAME`), else with the policy of the same base name, else with the only policy
/// given; each policy is checked once, with its rules file if it has one. A rules file with no policy to
/// check it against is an error (PDSL0408), so that `check` never passes what it could not check.
/// </summary>
internal static class CheckPairing
{
    public static IReadOnlyList<Diagnostic> Diagnose(IReadOnlyList<ParsedSource> sources)
    {
        var policies = sources.Where(s => s.Syntax.Policy is not null).ToList();
        var paired = new ParsedSource?[policies.Count];
        var diagnostics = new List<Diagnostic>();
        foreach (var rules in sources.Where(s => s.Syntax.Policy is null))
        {
            var index = rules.Syntax.Implementation is { } impl ? Match(impl.Policy.Text, rules.Path, policies) : -1;
            if (index >= 0 && paired[index] is null) paired[index] = rules;
            else if (index >= 0 && paired[index] is { } first)
            {
                // A second rules file for a policy that has one: it is not "alone", it is one too many.
                diagnostics.AddRange(rules.Diagnostics);
                diagnostics.Add(SecondImplementation(rules, first));
            }
            else diagnostics.AddRange(PolicyCompiler.Compile(rules).Diagnostics); // alone: "expected a policy", with its parse errors
        }
        for (var i = 0; i < policies.Count; i++)
            diagnostics.AddRange(PolicyCompiler.Compile(policies[i], paired[i]).Diagnostics);
        return diagnostics;
    }

    /// <summary>PDSL0102 at the policy name of a second implementation-rules file for one policy.</summary>
    internal static Diagnostic SecondImplementation(ParsedSource rules, ParsedSource first)
    {
        var name = rules.Syntax.Implementation!.Policy;
        var firstLine = first.Syntax.Implementation is { } f ? first.CreateLineMap().GetPosition(f.Policy.Span.Start).Line : 1;
        return Diagnostic.Create(DiagnosticCatalog.DuplicateName, rules.Path, rules.CreateLineMap(), name.Span,
            "implementation of " + name.Text, "the implementation rules checked together (also in " + first.Path + "; give each policy one rules file)", firstLine);
    }

    private static int Match(string policyName, string rulesPath, List<ParsedSource> policies)
    {
        var byName = policies.FindIndex(p => p.Syntax.Policy!.Name.Text == policyName);
        if (byName >= 0) return byName;
        var byFile = policies.FindIndex(p => string.Equals(Path.GetFileNameWithoutExtension(p.Path), Path.GetFileNameWithoutExtension(rulesPath), StringComparison.Ordinal));
        return byFile >= 0 ? byFile : policies.Count == 1 ? 0 : -1;
    }
}
