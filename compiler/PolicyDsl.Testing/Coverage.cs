using System.Globalization;
using System.Text;
using PolicyDsl.Model;
using PolicyDsl.Text;
using CapPeriod = PolicyDsl.Runtime.CapPeriod;
using CapScope = PolicyDsl.Runtime.CapScope;

namespace PolicyDsl.Testing;

/// <summary>A requires line: how often the tests saw it hold and fail. Exercised when both were seen.</summary>
public sealed record ConditionCoverage(string Text, int Held, int Failed)
{
    public bool Exercised => Held > 0 && Failed > 0;
}

/// <summary>A cap: how often it bound the award of an application alone, and how often its running total limited what was paid.</summary>
public sealed record CapCoverage(string Text, int BoundAlone, int BoundByRunningTotal)
{
    public bool Exercised => BoundAlone + BoundByRunningTotal > 0;
}

/// <summary>A table cell, a parameter's value for one key, or a band case, and how often the tests reached it.</summary>
public sealed record CellCoverage(string Text, int Reached);

public sealed record RuleCoverage(string Rule, string? Title, int Clause, int Applications,
    EquatableArray<ConditionCoverage> Conditions, EquatableArray<CapCoverage> Caps, EquatableArray<CellCoverage> Cells)
{
    /// <summary>What no test exercised, in words: the rule itself, conditions not seen both ways, caps that never bound, cells never reached.</summary>
    public IEnumerable<string> Untested()
    {
        if (Applications == 0)
        {
            yield return "never applied";
            yield break;
        }
        foreach (var c in Conditions.Where(c => !c.Exercised))
            yield return $"requires {c.Text}: " + (c.Held + c.Failed == 0 ? "never evaluated" : c.Held == 0 ? "never held" : "never failed");
        foreach (var c in Caps.Where(c => !c.Exercised)) yield return $"cap {c.Text}: never bound";
        foreach (var c in Cells.Where(c => c.Reached == 0)) yield return $"{c.Text}: never reached";
    }
}

/// <summary>A general provision that changes what is paid (no stacking, a cost share) and how often the tests saw it apply.</summary>
public sealed record ProvisionCoverage(string Text, int Applied);

/// <summary>Coverage of one policy by every test run against it (docs/testing.md, coverage).</summary>
public sealed record PolicyCoverage(string Policy, string PolicyPath, int Tests, int Applications,
    EquatableArray<RuleCoverage> Rules, EquatableArray<ProvisionCoverage> Provisions)
{
    public IEnumerable<int> UntestedClauses => Rules.GroupBy(r => r.Clause).Where(g => g.All(r => r.Applications == 0)).Select(g => g.Key);
}

/// <summary>
/// Coverage from the reference evaluator's results: its trace lists each requires line it tested (in order,
/// stopping at the first that fails), each cap with whether it bound, and each running total with whether it
/// limited the payment. Lookups are reached when the expression that holds them was evaluated; their cell is
/// the one the application's facts choose (a lookup inside if/then/else counts for the branch not taken too).
/// </summary>
public static class CoverageBuilder
{
    public static PolicyCoverage Build(CheckedPolicy policy, string policyPath, IEnumerable<TestResult> results)
    {
        var list = results.ToList();
        var outcomes = list.SelectMany(r => r.Outcomes).Where(o => o.Reference is not null).Select(o => o.Reference!).ToList();
        var rules = policy.Rules.Select(rule => Rule(policy, rule, outcomes.Where(o => o.Application.Rule == rule.Name).ToList())).ToEquatableArray();

        var provisions = new List<ProvisionCoverage>();
        if (policy.General.HasNoStacking)
            provisions.Add(new ProvisionCoverage("no stacking (不重复享受)", outcomes.Count(o => o.Reason?.StartsWith("no stacking", StringComparison.Ordinal) == true)));
        foreach (var share in policy.General.CostSharing)
            provisions.Add(new ProvisionCoverage($"share at \"{share.Location}\"", outcomes.Count(o => o.Payers.Count > 1 && o.Application.Location == share.Location)));
        if (policy.Validity is { } window)
            provisions.Add(new ProvisionCoverage($"validity {window} (an application outside it)", outcomes.Count(o => o.Reason?.Contains("outside the policy's validity", StringComparison.Ordinal) == true)));
        return new PolicyCoverage(policy.Name, policyPath, list.Count, outcomes.Count, rules, provisions.ToEquatableArray());
    }

    private static RuleCoverage Rule(CheckedPolicy policy, Rule rule, List<ApplicationResult> outcomes)
    {
        var held = new int[rule.Requirements.Count];
        var failed = new int[rule.Requirements.Count];
        var boundAlone = new int[rule.Caps.Count];
        var boundRunning = new int[rule.Caps.Count];
        var cells = Cells(rule);
        var scoped = rule.Caps.Select((c, i) => (c, i)).Where(x => x.c.Scope != CapScope.Application).Select(x => x.i).ToList();

        foreach (var o in outcomes)
        {
            var trace = o.Award.Trace;
            var conditions = trace.Where(t => t.Kind == TraceKind.Condition).ToList();
            for (var i = 0; i < conditions.Count && i < held.Length; i++)
            {
                if (conditions[i].Value == "holds") held[i]++;
                else failed[i]++;
            }
            var caps = trace.Where(t => t.Kind == TraceKind.Cap).ToList();
            for (var i = 0; i < caps.Count && i < boundAlone.Length; i++)
                if (caps[i].Value.StartsWith("binds", StringComparison.Ordinal)) boundAlone[i]++;
            var running = o.Trace.Where(t => t.Kind == TraceKind.RunningTotal).ToList();
            for (var i = 0; i < running.Count && i < scoped.Count; i++)
                if (running[i].Value.StartsWith("pays at most", StringComparison.Ordinal)) boundRunning[scoped[i]]++;

            // Which expressions were evaluated: the conditions tested, each let, the formula, each cap.
            var evaluated = new List<Expr>();
            for (var i = 0; i < conditions.Count && i < rule.Requirements.Count; i++) evaluated.AddRange(Exprs(rule.Requirements[i].Condition));
            foreach (var let in rule.Lets.Where(l => trace.Any(t => t.Kind == TraceKind.Let && t.Description == "let " + l.Name))) evaluated.Add(let.Value);
            if (trace.Any(t => t.Kind == TraceKind.Formula && t.Description == "award formula") && rule.Award.Formula is { } formula) evaluated.Add(formula);
            for (var i = 0; i < caps.Count && i < rule.Caps.Count; i++) evaluated.Add(rule.Caps[i].Limit);
            foreach (var reached in evaluated.SelectMany(Lookups).Select(l => Reached(rule, l, o.Application.Facts)).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                var index = cells.FindIndex(c => c.Text == reached);
                if (index >= 0) cells[index] = cells[index] with { Reached = cells[index].Reached + 1 };
            }
        }
        return new RuleCoverage(rule.Name, rule.Title, rule.Clause, outcomes.Count,
            rule.Requirements.Select((r, i) => new ConditionCoverage(r.Text, held[i], failed[i])).ToEquatableArray(),
            rule.Caps.Select((c, i) => new CapCoverage(c.Describe(), boundAlone[i], boundRunning[i])).ToEquatableArray(),
            cells.ToEquatableArray());
    }

    /// <summary>Every cell a test could reach: table cells, a keyed parameter's values, band cases.</summary>
    private static List<CellCoverage> Cells(Rule rule)
    {
        var cells = new List<CellCoverage>();
        foreach (var table in rule.Tables)
            foreach (var cell in table.Cells) cells.Add(new CellCoverage($"{table.Name}[{string.Join(", ", cell.Keys)}]", 0));
        foreach (var parameter in rule.Parameters.Where(p => !p.Dimensions.IsEmpty))
        {
            var keys = parameter.Values.IsEmpty ? Combinations(rule, parameter.Dimensions) : parameter.Values.Select(v => v.Keys.ToArray());
            foreach (var key in keys) cells.Add(new CellCoverage($"{parameter.Name}[{string.Join(", ", key)}]", 0));
        }
        foreach (var band in rule.Bands)
            foreach (var c in band.Cases) cells.Add(new CellCoverage(BandCaseText(rule, band, c), 0));
        return cells;
    }

    private static IEnumerable<string[]> Combinations(Rule rule, IEnumerable<string> dimensions)
    {
        IEnumerable<string[]> result = [[]];
        foreach (var dimension in dimensions)
        {
            var members = rule.FindFact(dimension)?.Members.Select(m => m.Key).ToArray() ?? [];
            result = result.SelectMany(prefix => members.Select(m => prefix.Append(m).ToArray())).ToList();
        }
        return result;
    }

    private static string BandCaseText(Rule rule, Band band, BandCase c)
    {
        var unit = rule.FindFact(band.Fact)?.Unit;
        string B(BandBound b, bool lower) => (lower ? (b.Inclusive ? ">= " : "> ") : (b.Inclusive ? "<= " : "< ")) +
            (unit is null ? b.Value.ToString(CultureInfo.InvariantCulture) : Quantity.FormatIn(b.Value, unit));
        var parts = new List<string>();
        if (c.Lower is { } l) parts.Add(B(l, true));
        if (c.Upper is { } u) parts.Add(B(u, false));
        return $"{band.Name} case {string.Join(" and ", parts)}";
    }

    /// <summary>The cell one lookup reads for these facts (null when a fact it needs is missing or of another kind).</summary>
    private static string? Reached(Rule rule, Expr lookup, Facts facts)
    {
        string? Key(Expr e) => e switch
        {
            KeyExpr k => k.Key,
            FactValueRef f => facts[f.Name] is MemberValue m ? m.Key : null,
            _ => null,
        };
        switch (lookup)
        {
            case TableLookup t:
            {
                var keys = t.Keys.Select(Key).ToList();
                return keys.Any(k => k is null) ? null : $"{t.Table}[{string.Join(", ", keys)}]";
            }
            case ParamRef p:
            {
                var keys = p.Keys.Select(Key).ToList();
                return keys.Any(k => k is null) ? null : $"{p.Name}[{string.Join(", ", keys)}]";
            }
            case BandLookup b:
            {
                var band = rule.Bands.First(x => x.Name == b.Band);
                var fact = rule.FindFact(b.Fact);
                if (fact?.Unit is null || facts[b.Fact] is not QuantityValue q) return null;
                var x = q.Value * fact.Unit.Scale; // bands compare in base units, as the evaluator does
                return band.Cases.FirstOrDefault(c => c.Contains(x)) is { } hit ? BandCaseText(rule, band, hit) : null;
            }
            default:
                return null;
        }
    }

    private static IEnumerable<Expr> Exprs(Condition c) => c switch
    {
        CompareCondition cmp => [cmp.Left, cmp.Right],
        AndCondition a => Exprs(a.Left).Concat(Exprs(a.Right)),
        OrCondition o => Exprs(o.Left).Concat(Exprs(o.Right)),
        NotCondition n => Exprs(n.Operand),
        _ => [],
    };

    /// <summary>Every table, band and keyed-parameter lookup inside an expression.</summary>
    private static IEnumerable<Expr> Lookups(Expr e)
    {
        switch (e)
        {
            case TableLookup or BandLookup:
                yield return e;
                break;
            case ParamRef p when !p.Keys.IsEmpty:
                yield return e;
                break;
            case BinaryExpr b:
                foreach (var x in Lookups(b.Left).Concat(Lookups(b.Right))) yield return x;
                break;
            case FunctionExpr f:
                foreach (var x in f.Arguments.SelectMany(Lookups)) yield return x;
                break;
            case NegateExpr n:
                foreach (var x in Lookups(n.Operand)) yield return x;
                break;
            case ConditionalExpr c:
                foreach (var x in Exprs(c.Condition).Concat([c.WhenTrue, c.WhenFalse]).SelectMany(Lookups)) yield return x;
                break;
            case ToPointsExpr t:
                foreach (var x in Lookups(t.Money)) yield return x;
                break;
            case RateExpr { Base: { } rb }:
                foreach (var x in Lookups(rb)) yield return x;
                break;
        }
    }

    /// <summary>The coverage table `policyc test --coverage` prints: one row per rule, then what no test exercised.</summary>
    public static string Render(PolicyCoverage coverage)
    {
        var sb = new StringBuilder();
        string I(int n) => n.ToString(CultureInfo.InvariantCulture);
        sb.Append(CultureInfo.InvariantCulture, $"Coverage of policy {coverage.Policy} ({coverage.PolicyPath}): {I(coverage.Tests)} tests, {I(coverage.Applications)} applications\n");
        var rows = new List<string[]> { new[] { "clause", "rule", "applications", "conditions both ways", "caps bound", "cells reached" } };
        foreach (var r in coverage.Rules)
        {
            rows.Add([I(r.Clause), r.Rule, I(r.Applications),
                r.Conditions.IsEmpty ? "-" : $"{I(r.Conditions.Count(c => c.Exercised))}/{I(r.Conditions.Count)}",
                r.Caps.IsEmpty ? "-" : $"{I(r.Caps.Count(c => c.Exercised))}/{I(r.Caps.Count)}",
                r.Cells.IsEmpty ? "-" : $"{I(r.Cells.Count(c => c.Reached > 0))}/{I(r.Cells.Count)}"]);
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(row => row[i].Length)).ToArray();
        foreach (var row in rows)
            sb.Append(string.Join("  ", row.Select((cell, i) => i is 0 or 2 or 3 or 4 or 5 && row != rows[0] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        foreach (var p in coverage.Provisions)
            sb.Append(CultureInfo.InvariantCulture, $"general provision {p.Text}: applied {I(p.Applied)} times\n");

        var untested = coverage.Rules.Select(r => (r, Items: r.Untested().ToList())).Where(x => x.Items.Count > 0).ToList();
        var clauses = coverage.UntestedClauses.ToList();
        if (clauses.Count > 0) sb.Append("Clauses no test applies: ").Append(string.Join(", ", clauses.Select(I))).Append('\n');
        if (untested.Count == 0 && coverage.Provisions.All(p => p.Applied > 0))
        {
            sb.Append("Every rule, condition (both ways), cap, cell and provision is exercised.\n");
            return sb.ToString();
        }
        sb.Append("Not exercised by any test:\n");
        foreach (var (r, items) in untested)
            foreach (var item in items) sb.Append(CultureInfo.InvariantCulture, $"  clause {I(r.Clause)} {r.Rule}: {item}\n");
        foreach (var p in coverage.Provisions.Where(p => p.Applied == 0)) sb.Append(CultureInfo.InvariantCulture, $"  general provision {p.Text}: never applied\n");
        return sb.ToString();
    }
}
