using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyDsl.Checking;
using PolicyDsl.Emit.JavaScript;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// Random applications of the samples' rules, evaluated by the interpreter (the reference) and written as JSON cases the
/// printed JavaScript evaluates (in node, and in the calculator page in Chromium). Seeded: the same cases every run.
/// </summary>
internal static class JsDifferential
{
    /// <summary>Every sample policy with its implementation rules (when it has them).</summary>
    public static IEnumerable<(string Name, CheckedPolicy Policy)> Samples()
    {
        foreach (var path in Directory.GetFiles(Path.Combine(Support.Root, "samples"), "*.policy", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rules = Path.ChangeExtension(path, ".rules");
            var compilation = PolicyCompiler.Compile(ParsedSource.Read(path), File.Exists(rules) ? ParsedSource.Read(rules) : null);
            Assert.False(compilation.HasErrors, path + ": " + string.Join("\n", compilation.Errors));
            yield return (Path.GetFileNameWithoutExtension(path), compilation.Policy!);
        }
    }

    /// <summary>The construct corpus's policies (tests/corpus/NAME/policy.policy), named "corpus/NAME": one construct each,
    /// some the samples do not use (date literals and date ± months in conditions, §27.4).</summary>
    public static IEnumerable<(string Name, CheckedPolicy Policy)> Corpus()
    {
        foreach (var dir in Directory.GetDirectories(Path.Combine(Support.Root, "tests", "corpus")).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(dir, "policy.policy");
            var compilation = PolicyCompiler.Compile(ParsedSource.Read(path), null);
            Assert.False(compilation.HasErrors, path + ": " + string.Join("\n", compilation.Errors));
            yield return ("corpus-" + Path.GetFileName(dir), compilation.Policy!);
        }
    }

    /// <summary>One application: the rule, the facts, an optional date; and what the interpreter made of it.</summary>
    public sealed record Case(string Rule, Facts Facts, DateOnly? On, AwardResult Expected);

    public static List<Case> Cases(CheckedPolicy policy, int perRule, int seed)
    {
        var random = new Random(seed);
        var cases = new List<Case>();
        foreach (var rule in policy.Rules.DistinctBy(r => r.Name))
        {
            var edges = Edges(rule);
            var dates = DateEdges(rule);
            for (var i = 0; i < perRule; i++)
            {
                // A third of the applications valid and large (caps bind), a third at the rule's edges, a third anything.
                var mode = i % 3;
                var facts = Facts.Empty;
                // The window year (§27.1) is derived from the application's date, never given (as policyc eval and the corpus harness do).
                foreach (var fact in rule.Facts.Where(f => !f.Derived))
                {
                    if (mode == 2 && random.Next(30) == 0) continue; // a missing fact
                    facts = facts.With(fact.Name, Value(random, fact, edges, dates, mode));
                }
                if (mode == 2 && random.Next(30) == 0) facts = facts.With("not_a_fact", 1m);
                // An application paid in an event window always has its date (the window year comes from it), and one of a rule that
                // qualifies on a date (§27.12) too, so that some are dated past the validity.
                DateOnly? on = rule.QualifiesByEvent || rule.Schedule is not null || !rule.After.IsEmpty || random.Next(5) == 0 ? RandomDate(random, dates) : null;
                cases.Add(new Case(rule.Name, facts, on, RuleEvaluator.Evaluate(policy, rule, facts, on)));
            }
        }
        return cases;
    }

    /// <summary>Numbers the rule compares with or caps at (in base units), for values at the edges.</summary>
    private static List<decimal> Edges(Rule rule)
    {
        var found = new List<decimal>();
        var stack = new Stack<Expr>();
        foreach (var e in rule.Lets.Select(l => l.Value).Concat(rule.Caps.Select(c => c.Limit)).Concat(rule.Requirements.SelectMany(r => Operands(r.Condition))))
            stack.Push(e);
        if (rule.Award.Formula is { } f) stack.Push(f);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e is ConstantExpr c) found.Add(c.Value);
            if (e is RateExpr r) { found.Add(r.Per.ToBase().Value); found.Add(r.Per.ToBase().Value * 3); }
            foreach (var child in Children(e)) stack.Push(child);
        }
        foreach (var band in rule.Bands)
            foreach (var c in band.Cases)
            {
                if (c.Lower is { } l) found.Add(l.Value);
                if (c.Upper is { } u) found.Add(u.Value);
            }
        return found.Where(v => v >= 0).Distinct().ToList();
    }

    /// <summary>The dates a rule compares with (its date literals and the policy's validity), a day either side of each too.</summary>
    private static List<DateOnly> DateEdges(Rule rule)
    {
        var found = new List<DateOnly>();
        foreach (var e in rule.Requirements.SelectMany(r => Operands(r.Condition)))
            for (var x = e; x is not null; x = x is DateShiftExpr s ? s.Date : null)
                if (x is DateExpr d) found.AddRange(Near(d.Date));
        if (rule.Validity is { } v) found.AddRange(Near(v.From).Concat(Near(v.Through)));
        return found.Distinct().ToList();

        static IEnumerable<DateOnly> Near(DateOnly d)
        {
            if (d > DateOnly.MinValue) yield return d.AddDays(-1);
            yield return d;
            if (d < DateOnly.MaxValue) yield return d.AddDays(1);
        }
    }

    /// <summary>A date from 2020 to 2029, now and then one the rule compares with; 29 February now and then.</summary>
    private static DateOnly RandomDate(Random random, List<DateOnly> edges) => random.Next(6) switch
    {
        0 when edges.Count > 0 => edges[random.Next(edges.Count)],
        1 => new DateOnly(2020 + 4 * random.Next(3), 2, 29),
        _ => new DateOnly(2020 + random.Next(10), 1 + random.Next(12), 1 + random.Next(28)),
    };

    private static IEnumerable<Expr> Children(Expr e) => e switch
    {
        BinaryExpr b => [b.Left, b.Right],
        FunctionExpr f => f.Arguments,
        NegateExpr n => [n.Operand],
        RateExpr r => r.Base is null ? [] : [r.Base],
        ConditionalExpr c => new[] { c.WhenTrue, c.WhenFalse }.Concat(Operands(c.Condition)),
        ToPointsExpr t => [t.Money],
        RuleAwardExpr a => a.Bindings.Select(b => b.Value),
        _ => [],
    };

    private static IEnumerable<Expr> Operands(Condition c) => c switch
    {
        CompareCondition k => [k.Left, k.Right],
        AndCondition a => Operands(a.Left).Concat(Operands(a.Right)),
        OrCondition o => Operands(o.Left).Concat(Operands(o.Right)),
        NotCondition n => Operands(n.Operand),
        _ => [],
    };

    private static FactValue Value(Random random, Fact fact, List<decimal> edges, List<DateOnly> dates, int mode)
    {
        switch (fact.Kind)
        {
            case FactKind.YesNo:
                return FactValue.Of(random.Next(mode == 2 ? 2 : 6) != 0);
            case FactKind.Date:
                return FactValue.Of(RandomDate(random, dates));
            case FactKind.Level or FactKind.OneOf:
                return (mode == 2 && random.Next(20) == 0) || fact.Members.IsEmpty ? FactValue.Member("undeclared") : FactValue.Member(fact.Members[random.Next(fact.Members.Count)].Key);
        }
        var scale = fact.Unit?.Scale ?? 1m;
        var most = fact.AtMost;
        decimal v;
        switch (mode == 0 ? (random.Next(10) < 7 ? 1 : 10) : mode == 1 ? 5 : random.Next(12))
        {
            case 0: v = 0m; break;
            case 1: v = most ?? 1_000_000_000m; break;
            case 2: v = most is { } m ? m - 0.01m : 123_456_789.12m; break;
            case 3: v = most is { } m2 ? m2 + 0.01m : 1e15m; break; // above the bound: a problem
            case 4: v = -1m; break; // negative: a problem
            case 5 or 6 when edges.Count > 0:
            {
                var edge = edges[random.Next(edges.Count)] / scale;
                v = Math.Round(edge + (random.Next(3) - 1) * 0.01m, 2);
                break;
            }
            case 7: v = Math.Round((decimal)random.NextDouble() * 100m, 6); break; // many places: the decimal path
            default:
            {
                var magnitude = (decimal)Math.Pow(10, random.NextDouble() * 9);
                v = Math.Round(magnitude, random.Next(3));
                if (most is { } m3 && v > m3) v = Math.Round(m3 * (decimal)random.NextDouble(), 2);
                break;
            }
        }
        return FactValue.Of(v);
    }

    // ---------- cases as JSON, results back ----------

    public static JsonObject ToJson(Case c)
    {
        var facts = new JsonObject();
        foreach (var (name, value) in c.Facts.Values)
        {
            facts[name] = value switch
            {
                QuantityValue q => new JsonObject { ["q"] = q.Value.ToString(CultureInfo.InvariantCulture) },
                YesNoValue y => new JsonObject { ["b"] = y.Value },
                DateValue d => new JsonObject { ["d"] = d.ToString() },
                MemberValue m => new JsonObject { ["k"] = m.Key },
                _ => throw new InvalidOperationException(),
            };
        }
        return new JsonObject { ["rule"] = c.Rule, ["facts"] = facts, ["on"] = c.On?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
    }

    /// <summary>What a back end's result must equal: the interpreter's award, bound cap, eligibility, problems and trace.</summary>
    public static List<string> Differences(Case c, JsonElement got, bool traced)
    {
        var e = c.Expected;
        var diffs = new List<string>();
        void Check(string what, string? expected, string? actual)
        {
            if (expected != actual) diffs.Add(what + ": interpreter " + (expected ?? "null") + ", JavaScript " + (actual ?? "null"));
        }
        Check("amount", PlanTexts.Number(e.Amount), got.GetProperty("amount").GetString());
        Check("bound cap", e.BoundBy, got.GetProperty("boundBy").GetString());
        Check("eligible", e.Eligible ? "true" : "false", got.GetProperty("eligible").GetBoolean() ? "true" : "false");
        Check("computable", e.Computable ? "true" : "false", got.GetProperty("computable").GetBoolean() ? "true" : "false");
        Check("problems", string.Join("; ", e.Problems), string.Join("; ", got.GetProperty("problems").EnumerateArray().Select(p => p.GetString())));
        if (e.MoneyCeiling is { } money) Check("money", PlanTexts.Number(money), got.GetProperty("money").GetString());
        if (traced)
        {
            var expected = e.Trace.Select(t => t.Kind + " | " + t.Description + " | " + t.Value).ToList();
            var actual = got.GetProperty("trace").EnumerateArray().Select(t => t.GetProperty("kind").GetString() + " | " + t.GetProperty("description").GetString() + " | " + t.GetProperty("value").GetString()).ToList();
            Check("trace", string.Join("\n  ", expected), string.Join("\n  ", actual));
        }
        return diffs.Select(d => c.Rule + " " + ToJson(c).ToJsonString() + ": " + d).ToList();
    }

    /// <summary>The node program that evaluates every case of cases.json with the printed policy, both bodies.</summary>
    public const string NodeRunner = """
        const fs = require("fs");
        const { PD, POLICY } = require(process.argv[2]);
        const cases = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
        const facts = (f) => {
          const o = {};
          for (const [k, v] of Object.entries(f)) o[k] = "q" in v ? PD.parse(v.q) : "b" in v ? v.b : "d" in v ? { date: v.d } : v.k;
          return o;
        };
        const out = (r) => ({ amount: PD.text(r.amount), boundBy: r.boundBy, eligible: r.eligible, computable: r.computable,
          problems: r.problems, money: PD.text(r.money), trace: r.trace, scaled: r.scaled === true });
        const results = [];
        let scaled = 0;
        for (const c of cases) {
          const rule = POLICY.rules[c.rule];
          const quick = rule.evaluate(facts(c.facts), c.on, 0, null);
          if (quick.scaled) scaled++;
          results.push({ untraced: out(quick), traced: out(rule.evaluate(facts(c.facts), c.on, 0, [])) });
        }
        fs.writeFileSync(process.argv[4], JSON.stringify({ scaled, results }));
        """;

    public static string Run(string file, IEnumerable<string> args, int timeoutMs = 300_000)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(timeoutMs), file + " did not finish");
        Assert.True(process.ExitCode == 0, file + " failed: " + stderr.Result + stdout.Result);
        return stdout.Result;
    }
}
