using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Reports;

/// <summary>
/// The award on both sides of every edge of the bands a rule reads (issue 14: "2000万 → 2000.01万 pays much more").
/// A whole-amount tier (全额) applies the rate of the tier reached to all of the amount, so the award jumps where the
/// tier changes; a progressive tier (超额累进) does not. Each side is evaluated by the interpreter with the band's fact
/// one hundredth of its declared unit apart and every other fact at the charts' typical values (which meet the rule's
/// conditions); an edge is a jump when the award changes across it by more than over the hundredth on either side of it.
/// </summary>
public static class TierEdges
{
    /// <summary>One edge: the fact's value on each side (in its declared unit) and the award there (award unit).</summary>
    public sealed record Edge(string Rule, string Band, string Fact, Unit FactUnit, decimal Below, decimal Above, decimal AwardBelow, decimal AwardAbove)
    {
        public decimal Change => AwardAbove - AwardBelow;
    }

    /// <summary>The edges where the award jumps, rule by rule in document order, each band's edges in increasing order.</summary>
    public static IReadOnlyList<Edge> Jumps(CheckedPolicy policy)
    {
        var jumps = new List<Edge>();
        foreach (var rule in policy.Rules)
        {
            if (rule.Award.IsCaseByCase) continue;
            foreach (var band in rule.Bands)
            {
                if (rule.FindFact(band.Fact) is not { Unit: { } unit } fact) continue;
                var step = 0.01m * unit.Scale; // one hundredth of the declared unit, in base units
                var typical = Charts.TypicalFacts(policy, rule, fact.Name);
                decimal? Award(decimal baseValue)
                {
                    if (baseValue < 0m || fact.AtMost is { } max && baseValue / unit.Scale > max) return null;
                    var result = RuleEvaluator.Evaluate(policy, rule, typical.With(fact.Name, baseValue / unit.Scale));
                    return result.Problems.IsEmpty ? result.Amount : null;
                }
                var edges = band.Cases.SelectMany(c => new[] { c.Lower, c.Upper }).OfType<BandBound>().Select(b => b.Value).Distinct().Order();
                foreach (var edge in edges)
                {
                    // The edge itself belongs to one tier; its neighbour a hundredth away to the other.
                    var upperIncludes = band.Cases.Any(c => c.Lower is { } l && l.Value == edge && l.Inclusive);
                    var (below, above) = upperIncludes ? (edge - step, edge) : (edge, edge + step);
                    if (Award(below) is not { } a || Award(above) is not { } b || Award(below - step) is not { } before || Award(above + step) is not { } after) continue;
                    // Continuous (progressive, or a rate of the fact itself): the change across the edge is no more than
                    // over the step on either side. A whole-amount tier changes by far more.
                    if (b != a && Math.Abs(b - a) > Math.Max(Math.Abs(a - before), Math.Abs(after - b)))
                        jumps.Add(new Edge(rule.Name, band.Name, fact.Name, unit, below / unit.Scale, above / unit.Scale, a, b));
                }
            }
        }
        return jumps;
    }
}
