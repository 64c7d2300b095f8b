using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Reports;

/// <summary>
/// Which of a rule's caps bound an award, read from the structure of the trace (never from its words): the trace has
/// one Cap step per plan cap, in the plan's order, whose value is <see cref="PlanTexts.Binds"/> or not; the last that
/// binds is the one the award stopped at.
/// </summary>
public static class BoundCap
{
    public static Cap? Of(CheckedPolicy policy, Rule rule, AwardResult result)
    {
        if (result.BoundBy is null) return null;
        var plan = RulePlanner.For(policy, rule);
        var caps = result.Trace.Where(t => t.Kind == TraceKind.Cap).ToList();
        // Untraced (compiled) results: the award names its cap by the plan's own BoundBy text, so find the step that writes it.
        if (caps.Count == 0) return plan.Caps.LastOrDefault(c => c.ConstantLimit is { } limit ? c.BoundBy(limit) == result.BoundBy : result.BoundBy.EndsWith(c.Suffix, StringComparison.Ordinal))?.Cap;
        if (caps.Count != plan.Caps.Count) return null;
        var last = caps.FindLastIndex(t => t.Value == PlanTexts.Binds);
        return last < 0 ? null : plan.Caps[last].Cap;
    }
}
