using System.Globalization;
using System.Text;
using CsCheck;
using PolicyDsl.Model;

namespace PolicyDsl.Hardening.Tests;

/// <summary>A randomly built valid policy: its text, its rules file (when it has parameters) and what the builder knows.</summary>
internal sealed record RandomPolicy(string Name, string Text, string? Rules, bool Money, IReadOnlyList<RandomRule> RuleSpecs)
{
    public string Unit => Money ? "yuan" : "points";

    public override string ToString() => Text + (Rules is null ? "" : "\n----- rules -----\n" + Rules);
}

/// <summary>A rule of a random policy: its caps (in the award unit), which scoped caps it has, its quantity facts.</summary>
internal sealed record RandomRule(string Name, decimal MinCap, decimal? MinScopedCap, string MoneyUnit, decimal? MoneyAtMost, string OtherUnit, decimal? OtherAtMost);

/// <summary>
/// Builds random policies that follow the grammar and that the checker must accept: money, area, time and
/// count facts, a yes/no, a level and a one-of fact; awards from percent, rate, full-step rate, table, band,
/// parameter, min / max / sum, if-then-else; conditions; one to three caps with scopes and periods (always
/// capped, tables and parameters within every cap).
/// </summary>
internal static class RandomPolicies
{
    private static readonly string[] OtherUnits = ["m2", "months", "years", "person-times", "persons", "count", "yuan", "wan-yuan", "m2 months"];
    private static readonly string[] Scopes = ["enterprise", "project", "certification", "item", "person", "application"];

    /// <summary>Seeds, one per rule: CsCheck shrinks a failure to fewer rules.</summary>
    public static readonly Gen<RandomPolicy> Gen =
        CsCheck.Gen.Select(CsCheck.Gen.Bool, CsCheck.Gen.Int[0, int.MaxValue].Array[1, 5], (money, seeds) => Build(money, seeds));

    public static RandomPolicy Build(bool money, int[] seeds)
    {
        var name = "Random" + (uint)seeds.Aggregate(17, (h, s) => unchecked(h * 31 + s)) % 100000;
        var unit = money ? "yuan" : "points";
        var text = new StringBuilder();
        var rulesFile = new StringBuilder();
        var rules = new List<RandomRule>();
        text.Append("policy ").Append(name).Append(" \"随机政策 ").Append(seeds.Length).Append("\"\n");
        text.Append("  effective 2026-01-01 through 2026-12-31\n");
        if (!money) text.Append("  points worth at most 10000 yuan\n");
        text.Append("  paid by \"区财政\"\n");

        var clause = 0;
        for (var i = 0; i < seeds.Length; i++)
        {
            if (i % 3 == 0) text.Append("\nsection ").Append(i / 3 + 1).Append(" \"章 ").Append(i / 3 + 1).Append("\" department \"部门\"\n");
            if (i % 2 == 0 || i % 3 == 0) text.Append("  clause ").Append(++clause).Append(" \"条 ").Append(clause).Append("\"\n");
            rules.Add(BuildRule(new Random(seeds[i]), "r" + (i + 1), unit, money, text, rulesFile, rules.Count == 0 ? null : rules[new Random(seeds[i]).Next(rules.Count)]));
        }
        // General provisions: no stacking, highest only over some rules, cost sharing.
        var general = new Random(seeds[0] ^ 0x5bd1e995);
        if (general.Next(2) == 0)
        {
            text.Append("\ngeneral \"其他\"\n  provision 1 \"不重复享受\"\n    no stacking \"不重复享受。\"\n");
            // Several highest-only groups of two or more rules each, which may overlap (a rule in two groups).
            for (var g = rules.Count > 1 ? general.Next(4) : 0; g > 0; g--)
            {
                var members = rules.Where(_ => general.Next(2) == 0).Select(x => x.Name).ToList();
                if (members.Count < 2) members = rules.OrderBy(_ => general.Next()).Take(2).Select(x => x.Name).ToList();
                text.Append("    highest only ").Append(string.Join(", ", members)).Append('\n');
            }
            if (general.Next(2) == 0) text.Append("  provision 2\n    share at \"园区\": \"园区\" 30%, \"区财政\" 70% except clauses 1 to 1\n");
        }
        var rulesText = rulesFile.Length == 0 ? null : "implementation of " + name + " \"实施细则\"\n" + rulesFile;
        return new RandomPolicy(name, text.ToString(), rulesText, money, rules);
    }

    private static string D(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private static RandomRule BuildRule(Random r, string name, string unit, bool money, StringBuilder text, StringBuilder rulesFile, RandomRule? previous)
    {
        // Caps first: the award's fixed parts must stay below every one.
        var caps = new List<(decimal Value, string Line, bool Scoped)>();
        var capCount = r.Next(1, 4);
        for (var c = 0; c < capCount; c++)
        {
            var scope = Scopes[r.Next(Scopes.Length)];
            var scoped = scope != "application" && r.Next(3) > 0;
            var yearly = scoped && r.Next(2) == 0;
            // Yearly caps stay below cumulative ones of any scope (a yearly cap above a cumulative cap never binds: PDSL0303).
            var value = yearly ? r.Next(1, 50) : r.Next(50, 500);
            if (r.Next(4) == 0) value += 0; // keep integers common
            var fraction = r.Next(5) == 0 ? r.Next(1, 1000) / 1000m : 0m;
            var v = value + fraction;
            var capUnit = money && r.Next(3) == 0 ? "wan-yuan" : unit;
            var written = capUnit == "wan-yuan" ? v / 10000m : v;
            if (capUnit == "wan-yuan" && written != Math.Round(written, 6)) { written = Math.Round(written, 6); }
            var inBase = capUnit == "wan-yuan" ? written * 10000m : written;
            var line = "cap " + D(written) + " " + capUnit + (scoped ? " per " + scope + (yearly ? " per year" : r.Next(2) == 0 ? " cumulative" : "") : "");
            caps.Add((inBase, line, scoped));
        }
        var minCap = caps.Min(c => c.Value);
        decimal? minScoped = caps.Where(c => c.Scoped).Select(c => (decimal?)c.Value).Min();

        var moneyUnit = r.Next(2) == 0 ? "yuan" : "wan-yuan";
        decimal? moneyAtMost = r.Next(3) == 0 ? r.Next(1000, 10_000_000) : null;
        var otherUnit = OtherUnits[r.Next(OtherUnits.Length)];
        decimal? otherAtMost = r.Next(3) == 0 ? r.Next(100, 100_000) : null;

        var body = new StringBuilder();
        var lines = new List<string>();
        void Line(string s) => body.Append("      ").Append(s).Append('\n');

        text.Append("    rule ").Append(name).Append(" \"规则 ").Append(name).Append("\"\n");
        Line("source \"按规定给予奖励，最高不超过" + D(minCap) + "。\"");
        Line("fact m: " + moneyUnit + (moneyAtMost is { } ma ? " at most " + D(ma) + " " + moneyUnit : "") + " \"金额\"");
        Line("fact q: " + otherUnit + (otherAtMost is { } oa ? " at most " + D(oa) + " " + otherUnit : ""));
        Line("fact e: yes/no");
        Line("fact lv: level 3 \"三级\", 2 \"二级\", 1 \"一级\"");
        Line("fact kd: one of a \"甲\", b \"乙\"");

        decimal Small() => r.Next(0, 101) / 100m * Math.Min(1m, minCap);
        var extras = new List<string>();
        var usesParam = false;
        var tableDone = false;
        var bandDone = false;

        string Term(int depth)
        {
            var pick = r.Next(depth >= 2 ? 8 : 16);
            switch (pick)
            {
                case 0:
                case 1:
                    return "(" + D(r.Next(1, 100)) + "% of m" + (money ? "" : " in points") + ")";
                case 2:
                    return "(" + D(r.Next(1, 100) / 100m) + " " + unit + " per " + D(r.Next(1, 1000)) + " " + otherUnit + " of q)";
                case 3:
                    return "(" + D(r.Next(1, 100) / 100m) + " " + unit + " per full " + D(r.Next(1, 1000)) + " " + otherUnit + " of q)";
                case 4:
                    if (!tableDone)
                    {
                        tableDone = true;
                        extras.Add("table t[lv]: " + unit);
                        foreach (var k in new[] { 3, 2, 1 }) extras.Add("  case " + k + " = " + D(Small()) + " " + unit);
                    }
                    return "t[lv]";
                case 5:
                    if (!bandDone)
                    {
                        bandDone = true;
                        var split = r.Next(1, 100);
                        extras.Add("band b(q): " + unit);
                        extras.Add("  case < " + split + " " + otherUnit + " = " + D(Small()) + " " + unit);
                        extras.Add("  case >= " + split + " " + otherUnit + " = " + D(Small()) + " " + unit);
                    }
                    return "b";
                case 6:
                    if (!usesParam)
                    {
                        usesParam = true;
                        extras.Add("param p: " + unit + " at most " + D(minCap) + " " + unit + " \"由实施细则确定\"");
                        rulesFile.Append("  set ").Append(name).Append(".p = ").Append(D(Small())).Append(' ').Append(unit).Append('\n');
                    }
                    return "p";
                case 7:
                    return "0 " + unit;
                case 8:
                    return "min(" + Term(depth + 1) + ", " + Term(depth + 1) + ")";
                case 9:
                    return "max(" + Term(depth + 1) + ", 0 " + unit + ")";
                case 10:
                    return "sum(" + Term(depth + 1) + ", " + Term(depth + 1) + ")";
                case 11:
                    return "(" + Term(depth + 1) + " + " + Term(depth + 1) + ")";
                case 12:
                    return "(if " + Condition() + " then " + Term(depth + 1) + " else " + Term(depth + 1) + ")";
                case 13:
                    return "(" + Term(depth + 1) + " / " + D(r.Next(1, 8)) + ")";
                case 14:
                    // A ratio in [0, 1): divides by a value that is never 0.
                    return "(q / (q + 1 " + otherUnit + ") of " + Term(depth + 1) + ")";
                default:
                    // Divides by a fact that may be 0 (PDSL0311 warns; evaluation must not throw).
                    return "(" + Term(depth + 1) + " * m / m)";
            }
        }

        string Condition() => r.Next(6) switch
        {
            0 => "e",
            1 => "lv >= 2",
            2 => "kd is a",
            3 => "q >= " + r.Next(0, 10) + " " + otherUnit,
            4 => "not e or m < " + r.Next(1, 100) + " " + moneyUnit,
            _ => "(lv > 1 and kd is not b)",
        };

        var award = Term(0);
        string? let = null;
        if (r.Next(3) == 0)
        {
            let = "x_" + name;
            (let, award) = ("let " + let + " = " + award, let);
        }
        var requires = Enumerable.Range(0, r.Next(0, 3)).Select(_ => Condition()).ToList();
        if (r.Next(5) == 0) Line("effective 2026-0" + r.Next(1, 4) + "-01 through 2026-" + r.Next(10, 13) + "-28");
        foreach (var x in extras) Line(x);
        if (let is not null) Line(let);
        foreach (var c in requires) Line("requires " + c);
        Line("award " + award);
        foreach (var c in caps) Line(c.Line);
        // A cap relative to an earlier rule (semantics §9), binding every fact of that rule.
        // (Only without tables, bands and parameters: the other rule may pay 0, and a fixed value above a cap is an error.)
        if (previous is { } other && extras.Count == 0 && r.Next(2) == 0)
        {
            Line("cap " + r.Next(10, 200) + "% of " + other.Name + "(m: m, q: " + r.Next(0, 50) + " " + other.OtherUnit + ", e: e, lv: lv, kd: kd)");
        }
        if (r.Next(4) == 0) Line("round " + new[] { "down", "up", "half-up" }[r.Next(3)] + " to 0.01 " + unit);
        if (r.Next(5) == 0) Line(r.Next(2) == 0 ? "instalments 30%, 30%, 40%" : "instalments 100%");
        text.Append(body);
        return new RandomRule(name, minCap, minScoped, moneyUnit, moneyAtMost, otherUnit, otherAtMost);
    }

    /// <summary>Random facts for a rule: quantities within their bounds (and sometimes beyond), every enum value.</summary>
    public static Gen<Facts> FactsFor(RandomRule rule) =>
        CsCheck.Gen.Select(Quantity(rule.MoneyAtMost), Quantity(rule.OtherAtMost), CsCheck.Gen.Bool, CsCheck.Gen.Int[1, 3], CsCheck.Gen.Bool,
            (m, q, e, lv, kd) => Facts.Empty.With("m", m).With("q", q).With("e", e).With("lv", lv.ToString(CultureInfo.InvariantCulture)).With("kd", kd ? "a" : "b"));

    private static Gen<decimal> Quantity(decimal? atMost) =>
        CsCheck.Gen.Frequency(
            (4, CsCheck.Gen.Int[0, 1_000_000].Select(i => atMost is { } a ? Math.Min(a, i / 100m) : i / 100m)),
            (2, CsCheck.Gen.Int[0, 2_000_000_000].Select(i => atMost is { } a ? Math.Min(a, i) : (decimal)i)),
            (1, CsCheck.Gen.Const(0m)),
            (1, CsCheck.Gen.Const(atMost ?? 1e15m)),
            (1, CsCheck.Gen.Decimal[0m, 1e20m]),
            (1, CsCheck.Gen.Const(atMost ?? decimal.MaxValue)),
            (1, CsCheck.Gen.Const(atMost ?? decimal.MaxValue / 3m)));
}
