using System.Diagnostics;
using System.Globalization;
using PolicyDsl.Bench.Compile;
using PolicyDsl.Checking;
using PolicyDsl.Emit;

namespace PolicyDsl.Bench.Experiments;

/// <summary>
/// `probe-emit SIZE...`: how much of the emitter's time is the per-rule lookups of the checked model
/// (CheckedPolicy.ClauseOf and SectionOf, called once per rule by RuleEmitter; FindRule, once per relative
/// cap by ExprEmitter), each a linear scan, so quadratic over the policy. Stopwatch, best of 3.
/// </summary>
public static class EmitProbe
{
    public static int Run(string[] sizes)
    {
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine("| input | rules | emit ms | ClauseOf+SectionOf for every rule, ms | FindRule per relative cap, ms | emit without those lookups, ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var (policyText, rulesText) = Inputs.Get(size);
            var policy = PolicyCompiler.Compile(ParsedSource.Parse("p.policy", policyText), ParsedSource.Parse("p.rules", rulesText)).Policy!;
            var rules = policy.Rules.ToArray();
            var relative = rules.SelectMany(r => r.Caps).Count(c => c.IsRelative);
            double emit = double.MaxValue, lookups = double.MaxValue, find = double.MaxValue;
            for (var i = 0; i < 4; i++)
            {
                var sw = Stopwatch.StartNew();
                GC.KeepAlive(CSharpEmitter.Emit(policy));
                var e = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                foreach (var rule in rules)
                {
                    var clause = policy.ClauseOf(rule);
                    if (clause is not null) GC.KeepAlive(policy.SectionOf(clause));
                }
                var l = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                for (var k = 0; k < relative; k++) GC.KeepAlive(policy.FindRule(rules[k * rules.Length / Math.Max(1, relative)].Name));
                var f = sw.Elapsed.TotalMilliseconds;
                if (i == 0) continue;
                emit = Math.Min(emit, e);
                lookups = Math.Min(lookups, l);
                find = Math.Min(find, f);
            }
            Console.WriteLine(string.Create(ci, $"| {size} | {rules.Length:N0} | {emit:0.0} | {lookups:0.0} | {find:0.0} | {emit - lookups - find:0.0} |"));
        }
        return 0;
    }
}
