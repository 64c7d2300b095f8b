using System.Globalization;

namespace PolicyDsl.Runtime;

/// <summary>
/// §8 running totals, the one place they are kept and traced: what has been paid under each scoped cap, per (rule, or the
/// name of a cap shared by several rules (§24.2), cap
/// scope, scope key[, calendar year]). Scope keys: enterprise → the enterprise id; project, certification, item, person →
/// the application's subject (its id when it has none); a cap per application keeps no total. One ledger is kept per
/// enterprise evaluation; pass the same one to carry totals across calls.
/// </summary>
public sealed class CapLedger
{
    private readonly Dictionary<string, decimal> _used = new(StringComparer.Ordinal);

    /// <summary>The key of a running total: rule/scope:key[/year].</summary>
    public static string Key(string rule, CapScope scope, string? scopeKey, int? year) =>
        rule + "/" + scope.ToString().ToLowerInvariant() + ":" + (scopeKey ?? "") +
        (year is { } y ? "/" + y.ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>The running total kept on a cap of this rule for the application.</summary>
    public static string Key(RuleInfo rule, CapInfo cap, ApplicationHeader application) =>
        Key(cap.Shared ?? rule.Name, cap.Scope, cap.Scope == CapScope.Enterprise ? application.Enterprise : application.Subject ?? application.Id,
            cap.Period == CapPeriod.PerYear ? application.Date.Year : null);

    /// <summary>What has been paid so far under the running total of that key.</summary>
    public decimal Used(string key) => _used.TryGetValue(key, out var used) ? used : 0m;

    /// <summary>Adds a paid amount to the running total of that key.</summary>
    public void Add(string key, decimal amount) => _used[key] = Used(key) + amount;

    /// <summary>
    /// What can be paid of <paramref name="amount"/> under the rule's scoped caps: at most what is left under each
    /// (never below 0). Adds a step per scoped cap to <paramref name="trace"/> and the keys of the totals the paid amount
    /// counts toward (once each) to <paramref name="keys"/>; records nothing (see <see cref="Record"/>).
    /// </summary>
    public decimal Left(RuleInfo rule, ApplicationHeader application, decimal amount, Func<int, decimal> limitOf, PolicyTerms policy,
        List<string> keys, List<TraceStep> trace) => Left(rule, application, amount, limitOf, policy, keys, trace, out _);

    /// <summary>As <see cref="Left(RuleInfo, ApplicationHeader, decimal, Func{int, decimal}, PolicyTerms, List{string}, List{TraceStep})"/>;
    /// <paramref name="boundBy"/> names the running total that cut the payment ("running total KEY: USED used of LIMIT"; the
    /// last that did), null when none did.</summary>
    public decimal Left(RuleInfo rule, ApplicationHeader application, decimal amount, Func<int, decimal> limitOf, PolicyTerms policy,
        List<string> keys, List<TraceStep> trace, out string? boundBy)
    {
        boundBy = null;
        if (rule is null) throw new ArgumentNullException(nameof(rule));
        if (limitOf is null) throw new ArgumentNullException(nameof(limitOf));
        if (policy is null) throw new ArgumentNullException(nameof(policy));
        var paid = amount;
        for (var c = 0; c < rule.Caps.Count; c++)
        {
            var cap = rule.Caps[c];
            if (cap.Scope == CapScope.Application) continue;
            var key = Key(rule, cap, application);
            if (!keys.Contains(key)) keys.Add(key);
            var limit = limitOf(c);
            var used = Used(key);
            var left = limit > used ? limit - used : 0m;
            var binds = left < paid;
            var text = "running total " + key + ": " + policy.Format(used) + " used of " + policy.Format(limit);
            trace.Add(new TraceStep(TraceKind.RunningTotal, text, binds ? "pays at most " + policy.Format(left) : "does not bind", rule.Source));
            if (binds)
            {
                paid = left;
                boundBy = text;
            }
        }
        return paid;
    }

    /// <summary>Adds what was paid to each of the totals Left named. Never overflows: each total stays at
    /// or below its cap's limit.</summary>
    public void Record(IEnumerable<string> keys, decimal paid)
    {
        if (keys is null) throw new ArgumentNullException(nameof(keys));
        foreach (var key in keys) Add(key, paid);
    }
}
