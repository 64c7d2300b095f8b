using System.Globalization;
using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Evaluation;

/// <summary>
/// Evaluates the applications of enterprises across rules (docs/semantics.md §8, 13, 14, 16): each
/// application's award by <see cref="RuleEvaluator"/>, then no stacking, highest only, the running total
/// under every scoped cap (per rule, scope key and, for yearly caps, calendar year), and the split of
/// what is paid between the governments that pay it. Applications are taken in date order (stable).
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>All applications, grouped by enterprise in order of first appearance.</summary>
    public static EquatableArray<EnterpriseResult> Evaluate(CheckedPolicy policy, IEnumerable<Application> applications) =>
        applications.GroupBy(a => a.Enterprise, StringComparer.Ordinal)
            .Select(g => EvaluateEnterprise(policy, g.ToList()))
            .ToEquatableArray();

    /// <summary>The applications of one enterprise (every application should name the same enterprise).</summary>
    public static EnterpriseResult EvaluateEnterprise(CheckedPolicy policy, IReadOnlyList<Application> applications)
    {
        var ordered = applications.Select((a, i) => (a, i)).OrderBy(x => x.a.Date).ThenBy(x => x.i).Select(x => x.a).ToList();

        // 1. Each application alone.
        var awards = new List<(Application App, Rule? Rule, AwardResult Award, IReadOnlyList<(Cap Cap, decimal Limit)> Limits, string? Reason)>();
        foreach (var app in ordered)
        {
            var rule = policy.FindRule(app.Rule);
            if (rule is null)
            {
                var unknown = new AwardResult(app.Rule, 0m, false, false, null, 0m,
                    EquatableArray.Create(new TraceStep(TraceKind.Problem, $"rule {app.Rule} is not in policy {policy.Name}", "rejected")),
                    "", EquatableArray.Create($"rule {app.Rule} is not in policy {policy.Name}"));
                awards.Add((app, null, unknown, Array.Empty<(Cap, decimal)>(), "unknown rule"));
                continue;
            }
            if (policy.Validity is { } window && !window.Contains(app.Date))
            {
                var (outside, _) = RuleEvaluator.EvaluateWithCaps(policy, rule, app.Facts, app.Date, 0);
                awards.Add((app, rule, outside, Array.Empty<(Cap, decimal)>(), string.Create(CultureInfo.InvariantCulture, $"dated {app.Date:yyyy-MM-dd}, outside the policy's validity {window}")));
                continue;
            }
            var (award, limits) = RuleEvaluator.EvaluateWithCaps(policy, rule, app.Facts, app.Date, 0);
            string? reason = null;
            if (rule.Validity is { } rw && !rw.Contains(app.Date)) reason = string.Create(CultureInfo.InvariantCulture, $"dated {app.Date:yyyy-MM-dd}, outside the rule's validity {rw}");
            else if (!award.Problems.IsEmpty) reason = string.Join("; ", award.Problems);
            else if (!award.Computable && award.Eligible) reason = "case by case: not computable, nothing is paid automatically";
            else if (!award.Eligible) reason = "conditions not met";
            else if (policy.General.HasNoStacking && app.FundedByHigherLevelPolicy)
                reason = "no stacking: already funded by a higher-level policy for the same item";
            awards.Add((app, rule, award, limits, reason));
        }

        // 2. Highest only: within each group, only the highest award of the enterprise (per subject) is paid.
        var excluded = new Dictionary<Application, string>(ReferenceEqualityComparer.Instance);
        foreach (var group in policy.General.HighestOnly)
        {
            var members = awards.Where(x => x.Reason is null && group.Rules.Contains(x.App.Rule)).GroupBy(x => x.App.Subject ?? "");
            foreach (var bySubject in members)
            {
                var best = bySubject.OrderByDescending(x => x.Award.Amount).First();
                foreach (var other in bySubject.Where(x => !ReferenceEquals(x.App, best.App)))
                    excluded[other.App] = $"highest only: {best.App.Rule} ({best.App.Id}) pays {RuleEvaluator.Format(best.Award.Amount, policy.AwardUnit)}";
            }
        }

        // 3. Running totals under scoped caps, in date order; then the split between payers.
        var used = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var results = new List<ApplicationResult>();
        foreach (var (app, rule, award, limits, reason0) in awards)
        {
            var trace = new List<TraceStep>();
            var reason = reason0 ?? (excluded.TryGetValue(app, out var why) ? why : null);
            var paid = reason is null ? award.Amount : 0m;
            var keys = new List<string>();
            if (reason is null && rule is not null)
            {
                foreach (var (cap, limit) in limits.Where(l => l.Cap.Scope != CapScope.Application))
                {
                    var key = RunningKey(rule, cap, app);
                    keys.Add(key);
                    var left = Math.Max(0m, limit - used.GetValueOrDefault(key));
                    var binds = left < paid;
                    trace.Add(new TraceStep(TraceKind.RunningTotal,
                        $"running total {key}: {RuleEvaluator.Format(used.GetValueOrDefault(key), policy.AwardUnit)} used of {RuleEvaluator.Format(limit, policy.AwardUnit)}",
                        binds ? $"pays at most {RuleEvaluator.Format(left, policy.AwardUnit)}" : "does not bind"));
                    if (binds) paid = left;
                }
                foreach (var key in keys.Distinct()) used[key] = used.GetValueOrDefault(key) + paid;
            }
            if (reason is not null) trace.Add(new TraceStep(TraceKind.Result, reason, "0"));
            var payers = Split(policy, rule, app, paid);
            trace.Add(new TraceStep(TraceKind.Result, "paid", RuleEvaluator.Format(paid, policy.AwardUnit)));
            results.Add(new ApplicationResult(app, award, RuleEvaluator.Normalize(paid), reason, payers, trace.ToEquatableArray()));
        }
        var enterprise = applications.Count > 0 ? applications[0].Enterprise : "";
        return new EnterpriseResult(enterprise, results.ToEquatableArray(), RuleEvaluator.Normalize(results.Sum(r => r.Paid)));
    }

    /// <summary>What a running total is kept on: the rule, the scope's key (§8) and, for a yearly cap, the year.</summary>
    private static string RunningKey(Rule rule, Cap cap, Application app)
    {
        var scopeKey = cap.Scope == CapScope.Enterprise ? app.Enterprise : app.Subject ?? app.Id;
        var year = cap.Period == CapPeriod.PerYear ? "/" + app.Date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        return $"{rule.Name}/{cap.Scope.ToString().ToLowerInvariant()}:{scopeKey}{year}";
    }

    /// <summary>§13: the default payer pays all, unless a cost share covers the application's location and clause.</summary>
    private static EquatableArray<PayerShare> Split(CheckedPolicy policy, Rule? rule, Application app, decimal paid)
    {
        var share = rule is null || app.Location is null ? null
            : policy.General.CostSharing.FirstOrDefault(s => s.Location == app.Location && !s.Excepts(rule.Clause));
        if (share is null) return EquatableArray.Create(new PayerShare(policy.DefaultPayer ?? "payer", RuleEvaluator.Normalize(paid)));
        return share.Shares.Select(s => new PayerShare(s.Party, RuleEvaluator.Normalize(paid * s.Fraction))).ToEquatableArray();
    }
}
