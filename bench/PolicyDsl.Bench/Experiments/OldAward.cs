using System.Collections.Concurrent;
using PolicyDsl.Runtime;

namespace PolicyDsl.Bench.Experiments;

/// <summary>
/// The experiment classes are copies of the generator's output before the emitter changes they measured (commit dd783c9),
/// when <see cref="Award"/> had a nine-argument constructor. This keeps them compiling against the smaller Award; the
/// lookup it adds makes their counts higher than the originals', so the table in docs/benchmarks.md keeps the counts
/// measured then.
/// </summary>
internal static class OldAward
{
    private static readonly ConcurrentDictionary<(string Rule, string? Suffix), AwardRule> Rules = new();

    public static Award Make(string rule, decimal amount, bool eligible, bool computable, decimal boundLimit, string? boundBy,
        decimal? moneyCeiling, string? problem, string? failedCondition)
    {
        _ = moneyCeiling;
        var info = Rules.GetOrAdd((rule, boundBy), k => k.Suffix is null ? new AwardRule(k.Rule, 10000m) : new AwardRule(k.Rule, 10000m, k.Suffix));
        if (problem is not null) return Award.WithProblem(info, computable, problem);
        if (failedCondition is not null) return Award.Failed(info, computable, failedCondition);
        if (!computable) return Award.CaseByCase(info);
        return eligible ? Award.Paid(info, amount, boundBy is null ? 0 : 1, boundLimit) : Award.Failed(info, computable, "");
    }
}
