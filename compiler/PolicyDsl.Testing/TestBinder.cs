using System.Globalization;
using PolicyDsl.Diagnostics;
using CapPeriod = PolicyDsl.Runtime.CapPeriod;
using CapScope = PolicyDsl.Runtime.CapScope;
using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Testing;

/// <summary>An expectation bound to the policy: amounts in the award unit (base), the cap as evaluation names it.</summary>
public sealed record BoundExpectation(
    ExpectationKind Kind,
    decimal? Amount,
    string? Text,
    string? CapText,
    string Written,
    TextSpan Span,
    LinePosition Position);

/// <summary>One application of a test, ready for the evaluator, with what must come out of it.</summary>
public sealed record BoundApplication(Application Application, TextSpan Span, LinePosition Position, EquatableArray<BoundExpectation> Expectations);

/// <summary>One test: its applications (evaluated together, per enterprise, in date order) and its test-wide expectations.</summary>
public sealed record BoundTest(string Name, TextSpan Span, LinePosition Position, EquatableArray<BoundApplication> Applications, EquatableArray<BoundExpectation> Expectations);

/// <summary>
/// Resolves a parsed test file against the checked policy: rules, facts, members, units, caps and payers.
/// Every independent mistake is reported; a test with an error is left out (the file does not run).
/// </summary>
public static class TestBinder
{
    /// <summary>The award unit written for people: "points" or "yuan".</summary>
    internal static string Format(decimal value, Unit unit) => Quantity.Format(value / 1.0000000000000000000000000000m, unit);

    /// <param name="syntaxErrors">Where the parser reported errors: a test with one does not run, and is not said to assert nothing.</param>
    public static (EquatableArray<BoundTest> Tests, EquatableArray<Diagnostic> Diagnostics) Bind(string path, string text, TestFileSyntax syntax, CheckedPolicy policy,
        IReadOnlyList<TextSpan>? syntaxErrors = null)
    {
        var lines = new LineMap(text);
        var diagnostics = new List<Diagnostic>();
        void Report(DiagnosticDescriptor d, TextSpan span, params object?[] args) => diagnostics.Add(Diagnostic.Create(d, path, lines, span, args));
        string LineOf(TextSpan span) => lines.GetPosition(span.Start).Line.ToString(CultureInfo.InvariantCulture);

        var payers = new List<string>();
        if (policy.DefaultPayer is { } payer) payers.Add(payer);
        foreach (var share in policy.General.CostSharing)
            foreach (var party in share.Shares)
                if (!payers.Contains(party.Party)) payers.Add(party.Party);

        var tests = new List<BoundTest>();
        var testNames = new Dictionary<string, TextSpan>(StringComparer.Ordinal);
        for (var t = 0; t < syntax.Tests.Count; t++)
        {
            var test = syntax.Tests[t];
            var end = t + 1 < syntax.Tests.Count ? syntax.Tests[t + 1].Span.Start : int.MaxValue;
            var broken = syntaxErrors?.Any(s => s.Start >= test.Span.Start && s.Start < end) == true;
            var before = diagnostics.Count;
            if (!testNames.TryAdd(test.Name, test.Span))
                Report(DiagnosticCatalog.TestGivenTwice, test.Span, $"test \"{test.Name}\"", LineOf(testNames[test.Name]));

            var applications = new List<BoundApplication>();
            var ids = new Dictionary<string, TextSpan>(StringComparer.Ordinal);
            var number = 0;
            foreach (var app in test.Applications)
            {
                number++;
                var id = app.Id?.Text ?? "#" + number.ToString(CultureInfo.InvariantCulture);
                if (app.Id is { } given && !ids.TryAdd(given.Text, given.Span))
                    Report(DiagnosticCatalog.TestGivenTwice, given.Span, $"application {given.Text}", LineOf(ids[given.Text]));

                var rule = policy.FindRule(app.Rule.Text);
                if (rule is null)
                {
                    Report(DiagnosticCatalog.TestUnknownRule, app.Rule.Span, app.Rule.Text, policy.Name, List(policy.Rules.Select(r => r.Name)));
                    continue;
                }
                var expectsRejection = app.Expectations.Any(e => e.Kind == ExpectationKind.Rejected);
                var facts = BindFacts(app, rule, policy, Report, LineOf);
                var missing = rule.Facts.Where(f => !f.Derived && facts.Values.ContainsKey(f.Name) is false && app.Facts.All(s => s.Name.Text != f.Name)).Select(f => f.Name).ToList();
                if (missing.Count > 0 && !expectsRejection && !broken)
                    Report(DiagnosticCatalog.TestMissingFact, app.Span, id, rule.Name, string.Join(", ", missing));

                var expectations = BindExpectations(app.Expectations, policy, rule, payers, Report, LineOf, lines);
                var enterprise = app.Enterprise?.Text ?? test.Enterprise?.Text ?? "enterprise";
                var elsewhere = app.ReceivedElsewhere is { } received ? Amount(received, policy, "The amount received elsewhere", Report) ?? 0m : 0m;
                var application = new Application(id, enterprise, rule.Name, app.Date, facts, app.Subject?.Text, app.Location?.Text, app.FundedByHigherLevel is not null,
                    elsewhere);
                applications.Add(new BoundApplication(application, app.Span, lines.GetPosition(app.Span.Start), expectations));
            }
            var testExpectations = BindExpectations(test.Expectations, policy, null, payers, Report, LineOf, lines);
            if (!broken && test.Applications.All(a => a.Expectations.IsEmpty) && test.Expectations.IsEmpty)
                Report(DiagnosticCatalog.TestWithoutExpectation, test.Span, test.Name, test.Applications.IsEmpty ? "no application and no 'expect' line" : "no 'expect' line");
            if (broken || diagnostics.Skip(before).Any(d => d.IsError)) continue;
            tests.Add(new BoundTest(test.Name, test.Span, lines.GetPosition(test.Span.Start), applications.ToEquatableArray(), testExpectations));
        }
        return (tests.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= 12 ? string.Join(", ", all) : string.Join(", ", all.Take(12)) + $", … ({all.Count} in all)";
    }

    private delegate void Reporter(DiagnosticDescriptor d, TextSpan span, params object?[] args);

    private static Facts BindFacts(ApplicationSyntax app, Rule rule, CheckedPolicy policy, Reporter report, Func<TextSpan, string> lineOf)
    {
        var facts = Facts.Empty;
        var seen = new Dictionary<string, TextSpan>(StringComparer.Ordinal);
        foreach (var given in app.Facts)
        {
            var name = given.Name.Text;
            if (!seen.TryAdd(name, given.Span))
            {
                report(DiagnosticCatalog.TestGivenTwice, given.Span, $"fact {name}", lineOf(seen[name]));
                continue;
            }
            var fact = rule.FindFact(name);
            if (fact is null)
            {
                report(DiagnosticCatalog.TestUnknownFact, given.Name.Span, name, rule.Name, rule.Facts.IsEmpty ? "none (the rule has no facts)" : List(rule.Facts.Select(f => f.Name)));
                continue;
            }
            var value = BindValue(fact, given.Value, policy, report);
            if (value is not null) facts = facts.With(name, value);
        }
        return facts;
    }

    private static FactValue? BindValue(Fact fact, TestValueSyntax value, CheckedPolicy policy, Reporter report)
    {
        var what = "fact " + fact.Name;
        switch (fact.Kind)
        {
            case FactKind.Quantity:
                if (value is not NumberSyntax n) break;
                if (n.Quantity.Unit.IsEmpty) return FactValue.Of(n.Quantity.Value);
                var unit = UnitOf(n.Quantity, policy);
                if (unit is null || !unit.SameDimension(fact.Unit!))
                {
                    report(DiagnosticCatalog.TestUnitMismatch, n.Span, what, string.Join(" ", n.Quantity.Unit), $"{fact.Unit} (the fact's unit) or a unit of the same kind");
                    return null;
                }
                var converted = n.Quantity.Value * unit.Scale / fact.Unit!.Scale;
                if (converted * fact.Unit.Scale != n.Quantity.Value * unit.Scale)
                {
                    report(DiagnosticCatalog.TestUnitMismatch, n.Span, what, string.Join(" ", n.Quantity.Unit), $"{fact.Unit}: the value does not convert exactly, give it in {fact.Unit}");
                    return null;
                }
                return FactValue.Of(converted);
            case FactKind.YesNo:
                if (value is YesNoSyntax y) return FactValue.Of(y.Value);
                break;
            case FactKind.Date:
                if (value is DateSyntax d) return FactValue.Of(d.Value);
                break;
            default:
                var key = value switch
                {
                    MemberSyntax m => m.Key,
                    NumberSyntax { Whole: true } w => w.Quantity.Value.ToString(CultureInfo.InvariantCulture),
                    _ => null,
                };
                if (key is null) break;
                if (fact.FindMember(key) is null)
                {
                    report(DiagnosticCatalog.TestWrongValue, value.Span, what, $"'{key}'", "one of its members: " + string.Join(", ", fact.Members.Select(x => x.Key)));
                    return null;
                }
                return FactValue.Member(key);
        }
        report(DiagnosticCatalog.TestWrongValue, value.Span, what, Describe(value), Expected(fact));
        return null;
    }

    private static string Describe(TestValueSyntax value) => value switch
    {
        YesNoSyntax y => y.Value ? "yes" : "no",
        DateSyntax d => "the date " + d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        NumberSyntax n => "the number " + n.Quantity.Value.ToString(CultureInfo.InvariantCulture) + (n.Quantity.Unit.IsEmpty ? "" : " " + string.Join(" ", n.Quantity.Unit)),
        MemberSyntax m => "the name " + m.Key,
        _ => "a value",
    };

    private static string Expected(Fact fact) => fact.Kind switch
    {
        FactKind.Quantity => $"a number in {fact.Unit}",
        FactKind.YesNo => "yes or no (是 / 否)",
        FactKind.Date => "a date (2026-03-01)",
        _ => "one of its members: " + string.Join(", ", fact.Members.Select(m => m.Key)),
    };

    /// <summary>The unit the words name (a product of them); null when one is unknown.</summary>
    private static Unit? UnitOf(TestQuantity q, CheckedPolicy policy)
    {
        var unit = Unit.Dimensionless;
        foreach (var word in q.Unit)
        {
            if ((Unit.FromName(word) ?? policy.Units.FirstOrDefault(d => d.Name == word)?.Unit) is not { } u) return null;
            unit *= u;
        }
        return unit;
    }

    /// <summary>An amount in the award unit's base (points, or yuan): no unit means the award unit.</summary>
    private static decimal? Amount(TestQuantity q, CheckedPolicy policy, string what, Reporter report)
    {
        if (q.Unit.IsEmpty) return q.Value;
        var unit = UnitOf(q, policy);
        if (unit is null || !unit.SameDimension(policy.AwardUnit))
        {
            report(DiagnosticCatalog.TestUnitMismatch, q.Span, what, string.Join(" ", q.Unit), $"{policy.AwardUnit}, the award unit of policy {policy.Name}");
            return null;
        }
        return q.Value * unit.Scale;
    }

    private static EquatableArray<BoundExpectation> BindExpectations(EquatableArray<ExpectationSyntax> expectations, CheckedPolicy policy, Rule? rule,
        List<string> payers, Reporter report, Func<TextSpan, string> lineOf, LineMap lines)
    {
        var bound = new List<BoundExpectation>();
        var seen = new Dictionary<string, TextSpan>(StringComparer.Ordinal);
        foreach (var e in expectations)
        {
            // Expectations about one thing are given once: eligible and not eligible are both "eligibility".
            var group = e.Kind switch
            {
                ExpectationKind.Eligible or ExpectationKind.NotEligible => "eligibility",
                ExpectationKind.BoundBy or ExpectationKind.NotBound => "the binding cap",
                ExpectationKind.PaidBy => "the share of " + e.Text,
                var k => "the " + k.ToString().ToLowerInvariant() + " expectation",
            };
            if (!seen.TryAdd(group, e.Span))
            {
                report(DiagnosticCatalog.TestGivenTwice, e.Span, "expect " + group, lineOf(seen[group]));
                continue;
            }
            decimal? amount = null;
            string? capText = null;
            if (e.Amount is { } q && (amount = Amount(q, policy, "expect " + e.Written, report)) is null) continue;
            if (e.Kind == ExpectationKind.PaidBy && !payers.Contains(e.Text!))
            {
                report(DiagnosticCatalog.TestUnknownPayer, e.Span, e.Text, policy.Name, payers.Count == 0 ? "none" : string.Join(", ", payers));
                continue;
            }
            if (e.Cap is { } cap && rule is not null)
            {
                var limit = Amount(cap.Limit, policy, "expect " + e.Written, report);
                if (limit is null) continue;
                var candidates = rule.Caps.Where(c => c.Scope == cap.Scope && (cap.Scope == CapScope.Application || c.Period == cap.Period)
                    && (cap.Period != CapPeriod.Years || (c.Years == cap.Years && c.Rolling == cap.Rolling))).ToList();
                // The cap named as the plan names the one that bound (PlanTexts): a fixed cap as its rule states it (cap 50
                // wan-yuan: "50 wan-yuan per platform", §24.9), whatever unit the test writes it in; a limit computed per
                // application by its number in the award unit.
                capText = candidates.FirstOrDefault(c => c.Limit is ConstantExpr k && k.Value == limit.Value)?.Describe()
                          ?? (candidates.Count > 0 ? PolicyDsl.Plan.PlanTexts.Cap(policy.AwardUnit, candidates[0], limit.Value) : null);
                if (candidates.Count == 0)
                {
                    var scope = cap.Scope == CapScope.Application ? "per application" : "per " + cap.Scope.ToString().ToLowerInvariant() + (cap.Period == CapPeriod.PerYear ? " per year"
                        : cap.Period == CapPeriod.Years ? " per " + cap.Years.ToString(System.Globalization.CultureInfo.InvariantCulture) + " years" + (cap.Rolling ? " rolling" : "") : "");
                    report(DiagnosticCatalog.TestUnknownCap, cap.Span, rule.Name, scope, rule.Caps.IsEmpty ? "it has none" : string.Join("; ", rule.Caps.Select(c => c.Describe())));
                    continue;
                }
            }
            bound.Add(new BoundExpectation(e.Kind, amount, e.Text, capText, e.Written, e.Span, lines.GetPosition(e.Span.Start)));
        }
        return bound.ToEquatableArray();
    }
}
