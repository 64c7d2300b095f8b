using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Checking;

/// <summary>One rule's proven bounds: per application, and per enterprise per year when an enterprise cap exists.</summary>
public sealed record RuleBound(
    string Rule,
    int Clause,
    decimal? Maximum,
    decimal? MoneyCeiling,
    decimal? PerEnterprisePerYear,
    bool CaseByCase,
    string? UncappedReason,
    EquatableArray<string> Caps);

/// <summary>
/// The worst cases of a checked policy, in the award unit (money = points × the point value):
/// <see cref="OneApplicationEach"/> is what one enterprise gets with one maximal application under every rule
/// (highest-only groups count their largest member once); <see cref="CappedPerEnterprise"/> adds the
/// enterprise caps of the rules that have one, and <see cref="NotCappedPerEnterprise"/> lists the rules
/// whose total grows with the number of projects, certifications or applications. Null means unbounded.
/// </summary>
public sealed record PolicyBoundsSummary(
    Unit AwardUnit,
    decimal? MoneyPerPoint,
    EquatableArray<RuleBound> Rules,
    decimal? OneApplicationEach,
    decimal? CappedPerEnterprise,
    EquatableArray<string> NotCappedPerEnterprise)
{
    /// <summary>An amount in the award unit as money (points × point value; yuan stay yuan).</summary>
    public decimal? ToMoney(decimal? amount) =>
        amount is not { } a ? null : AwardUnit == Unit.AwardPoints ? (MoneyPerPoint is { } m ? a * m : null) : a;
}

public static class PolicyBounds
{
    public static PolicyBoundsSummary Summarize(CheckedPolicy policy)
    {
        var rules = policy.Rules.Select(r => Bound(policy, r)).ToList();

        // Highest only: of a group an enterprise is paid one award, so the group counts its largest member once.
        var grouped = new HashSet<string>(StringComparer.Ordinal);
        var oneEach = new List<decimal?>();
        var perEnterprise = new List<decimal?>();
        foreach (var group in policy.General.HighestOnly)
        {
            var members = rules.Where(r => group.Rules.Contains(r.Rule) && grouped.Add(r.Rule)).ToList();
            if (members.Count == 0) continue;
            oneEach.Add(members.Any(m => m.Maximum is null && !m.CaseByCase) ? null : members.Max(m => m.Maximum ?? 0m));
            perEnterprise.Add(members.Any(m => m.PerEnterprisePerYear is null) ? null : members.Max(m => m.PerEnterprisePerYear));
        }
        var notCapped = new List<string>();
        // A cap per enterprise shared by several rules (§24.2) limits their sum: they count together, at most its limit.
        var shared = new Dictionary<string, (decimal Limit, decimal Sum)>(StringComparer.Ordinal);
        foreach (var r in rules.Where(r => !grouped.Contains(r.Rule)))
        {
            oneEach.Add(r.CaseByCase ? 0m : r.Maximum); // a case-by-case award pays nothing automatically
            if (r.CaseByCase) continue;
            var sharedCap = policy.FindRule(r.Rule)?.Caps.FirstOrDefault(c => c.Shared is not null && c.Scope == CapScope.Enterprise && c.Limit is ConstantExpr);
            if (sharedCap is { Shared: { } name, Limit: ConstantExpr limit } && r.PerEnterprisePerYear is { } part)
            {
                var (l, sum) = shared.GetValueOrDefault(name, (limit.Value, 0m));
                shared[name] = (l, Sum([sum, part]) ?? l);
            }
            else if (r.PerEnterprisePerYear is { } pe) perEnterprise.Add(pe);
            else notCapped.Add(r.Rule);
        }
        foreach (var (limit, sum) in shared.Values) perEnterprise.Add(Math.Min(limit, sum));
        return new PolicyBoundsSummary(policy.AwardUnit, policy.MoneyPerPoint, rules.ToEquatableArray(),
            Sum(oneEach), Sum(perEnterprise.Where(x => x is not null)), notCapped.ToEquatableArray());
    }

    private static RuleBound Bound(CheckedPolicy policy, Rule rule)
    {
        // Within one year an enterprise gets at most its tightest enterprise cap (a cumulative one may all fall in one year).
        var plan = Plan.RulePlanner.For(policy, rule);
        decimal? perEnterprise = null;
        foreach (var cap in plan.Caps.Where(c => c.Cap.Scope == CapScope.Enterprise))
            if (cap.Facts.Range.High is { } h) perEnterprise = perEnterprise is null ? h : Math.Min(perEnterprise.Value, h);
        return new RuleBound(rule.Name, rule.Clause, rule.ProvenMaximum, rule.MoneyCeiling, perEnterprise, rule.Award.IsCaseByCase,
            rule.UncappedReason, plan.Caps.Select(c => c.Stated).ToEquatableArray());
    }

    private static decimal? Sum(IEnumerable<decimal?> values)
    {
        decimal total = 0m;
        foreach (var v in values)
        {
            if (v is null) return null;
            try { total += v.Value; }
            catch (OverflowException) { return null; }
        }
        return total;
    }
}
