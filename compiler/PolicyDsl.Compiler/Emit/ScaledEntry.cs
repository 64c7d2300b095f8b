using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Emit;

/// <summary>
/// Which rules get the scaled entry point TryEvaluateScaled (docs/semantics.md §26.2): those with a scaled plan (§17)
/// whose other-rule awards can be called in scaled integers too — each such rule has the entry point itself, and each of
/// its facts is bound to a constant key (yes/no, level, one of), a date, or a fact of this rule in the same unit (the
/// scaled long passes as it is). Structure only: what is exact and what fits a long is the plan's.
/// </summary>
internal static class ScaledEntry
{
    public static bool Takes(CheckedPolicy policy, Rule rule) => Takes(policy, rule, 0);

    private static bool Takes(CheckedPolicy policy, Rule rule, int depth)
    {
        var plan = RulePlanner.For(policy, rule).Scaled;
        if (plan is null) return false;
        foreach (var other in plan.OtherAwards)
        {
            var target = policy.FindRule(other.Call.Rule);
            if (target is null || depth >= 64 || !Takes(policy, target, depth + 1)) return false;
            foreach (var fact in target.Facts)
            {
                var value = other.Call.Bindings.FirstOrDefault(b => b.Fact == fact.Name)?.Value;
                var bindable = fact.Kind switch
                {
                    FactKind.Quantity => value switch
                    {
                        FactRef f => rule.FindFact(f.Name) is { Kind: FactKind.Quantity } source
                                     && (source.Unit?.Scale ?? 1m) == (fact.Unit?.Scale ?? 1m)
                                     && Places(plan, source.Name) is { } p && p == Places(RulePlanner.For(policy, target).Scaled!, fact.Name),
                        ConstantExpr c => Constant(c.Value, fact, Places(RulePlanner.For(policy, target).Scaled!, fact.Name)) is not null,
                        _ => false,
                    },
                    FactKind.YesNo => value is KeyExpr or FactRef or FactValueRef,
                    FactKind.Date => value is DateExpr,
                    _ => value is KeyExpr,
                };
                if (!bindable) return false;
            }
        }
        return true;
    }

    /// <summary>A constant (in base units) as the scaled long of a fact at those places; null unless exact and not negative.</summary>
    public static long? Constant(decimal value, Fact fact, int? places)
    {
        if (places is not { } p || value < 0m) return null;
        try
        {
            var scale = fact.Unit?.Scale ?? 1m;
            var inUnit = value / scale;
            if (inUnit * scale != value) return null;
            var scaled = inUnit;
            for (var i = 0; i < p; i++) scaled *= 10m;
            return scaled == decimal.Truncate(scaled) && scaled <= long.MaxValue ? (long)scaled : null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>The places of a fact's scaled input in a plan.</summary>
    public static int? Places(FixedRule plan, string fact) =>
        plan.Inputs.FirstOrDefault(i => i.Source is FactSource f && f.Fact == fact)?.Places;
}
