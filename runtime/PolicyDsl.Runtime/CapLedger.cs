using System.Globalization;

namespace PolicyDsl.Runtime;

/// <summary>
/// §8 running totals, the one place they are kept and traced: what has been paid under each scoped cap, per (rule, or the
/// name of a cap shared by several rules (§24.2), cap
/// scope, scope key[, year or block of N years]) — the year the rule's (§30.1). Scope keys: enterprise → the enterprise id; project, certification, item, person →
/// the application's subject (its id when it has none); a cap per application keeps no total. One ledger is kept per
/// enterprise evaluation; pass the same one to carry totals across calls.
/// </summary>
public sealed class CapLedger
{
    // An enterprise keeps a few totals: they are looked up in a short list, compared field by field (the same strings
    // mostly: a reference test), without hashing two strings per look-up; past Few, in a dictionary.
    private const int Few = 16;
    private readonly RunningTotal[] _fewKeys = new RunningTotal[Few];
    private readonly decimal[] _fewUsed = new decimal[Few];
    private int _few;
    private Dictionary<RunningTotal, decimal>? _used;

    public CapLedger() { }

    /// <summary>A ledger sized for about <paramref name="totals"/> running totals (it grows beyond).</summary>
    public CapLedger(int totals)
    {
        if (totals > Few) _used = new(totals);
    }

    /// <summary>False: the evaluations that keep their totals here build no trace steps (the settlements' traces are
    /// empty; what is paid, the reasons and what bound a payment are the same). For callers that write no trace.</summary>
    public bool Traced { get; init; } = true;

    /// <summary>The key of a running total: rule/scope:key[/year] (its text, <see cref="RunningTotal.ToString"/>).</summary>
    public static RunningTotal Key(string rule, CapScope scope, string? scopeKey, int? year) => new(rule, scope, scopeKey, year);

    /// <summary>The scope's name in lower case (scope.ToString().ToLowerInvariant(), without making it each time).</summary>
    internal static string ScopeName(CapScope scope) => scope switch
    {
        CapScope.Application => "application",
        CapScope.Enterprise => "enterprise",
        CapScope.Project => "project",
        CapScope.Certification => "certification",
        CapScope.Item => "item",
        CapScope.Person => "person",
        CapScope.Platform => "platform",
        CapScope.Township => "township",
        _ => scope.ToString().ToLowerInvariant(),
    };

    /// <summary>The running total kept on a cap of this rule for the application: per year, the year of the application's
    /// date in the rule's year (§30.1); per N fixed years, the block of N years it falls in ("/2023-2025", §30.2); per any N
    /// years, the year's own total (<see cref="Left(RuleInfo, ApplicationHeader, decimal, Func{int, decimal}, PolicyTerms, List{RunningTotal}, List{TraceStep}, out string?)"/>
    /// sums the years of each N-year window).</summary>
    public static RunningTotal Key(RuleInfo rule, CapInfo cap, ApplicationHeader application)
    {
        if (rule is null) throw new ArgumentNullException(nameof(rule));
        if (cap is null) throw new ArgumentNullException(nameof(cap));
        // A struct, no text: it is made for every scoped cap of every application paid (its text only for a trace or what bound a payment).
        var name = cap.Shared ?? rule.Name;
        var scopeKey = cap.Scope == CapScope.Enterprise ? application.Enterprise : application.Subject ?? application.Id;
        var year = rule.Year.YearOf(application.Date);
        switch (cap.Period)
        {
            case CapPeriod.PerYear:
            case CapPeriod.Years when cap.Rolling:
                return new RunningTotal(name, cap.Scope, scopeKey, year);
            case CapPeriod.Years:
                var first = BlockStart(year, cap.FromYear, YearsOf(cap));
                return new RunningTotal(name, cap.Scope, scopeKey, first, first + YearsOf(cap) - 1);
            default:
                return new RunningTotal(name, cap.Scope, scopeKey, null);
        }
    }

    /// <summary>§30.2: the first year of the aligned block of <paramref name="years"/> years, counted from
    /// <paramref name="from"/>, that <paramref name="year"/> falls in (blocks run before <paramref name="from"/> too).</summary>
    public static int BlockStart(int year, int from, int years)
    {
        if (years < 1) years = 1;
        var offset = (long)year - from;
        var block = offset >= 0 ? offset / years : -((-offset + years - 1) / years);
        return (int)(from + block * years);
    }

    private static int YearsOf(CapInfo cap) => cap.Years < 1 ? 1 : cap.Years;

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>§30.2, any N consecutive years: of the N windows of N years that contain <paramref name="year"/>, the one with
    /// the most paid (the earliest of equals), its first year and what was paid in it under the per-year totals of
    /// <paramref name="owner"/> (its years are those of the window).</summary>
    private (int First, decimal Used) FullestWindow(RunningTotal owner, int year, int years)
    {
        var best = (First: year - years + 1, Used: -1m);
        for (var last = year; last < year + years; last++)
        {
            var used = 0m;
            for (var y = last - years + 1; y <= last; y++)
            {
                var u = Used(owner.InYear(y));
                used = decimal.MaxValue - used < u ? decimal.MaxValue : used + u;
            }
            if (used > best.Used) best = (last - years + 1, used);
        }
        return best;
    }

    /// <summary>Forgets every running total (a ledger reused for the next enterprise).</summary>
    public void Clear()
    {
        Array.Clear(_fewKeys, 0, _few);
        _few = 0;
        _used = null; // back to the list: the next enterprise most likely keeps a few
    }

    /// <summary>What has been paid so far under the running total of that key.</summary>
    public decimal Used(RunningTotal key)
    {
        if (_used is not null) return _used.TryGetValue(key, out var used) ? used : 0m;
        var at = FewIndexOf(key);
        return at >= 0 ? _fewUsed[at] : 0m;
    }

    /// <summary>Adds a paid amount to the running total of that key.</summary>
    public void Add(RunningTotal key, decimal amount)
    {
        if (_used is null)
        {
            var at = FewIndexOf(key);
            if (at >= 0) { _fewUsed[at] += amount; return; }
            if (_few < Few)
            {
                (_fewKeys[_few], _fewUsed[_few]) = (key, amount);
                _few++;
                return;
            }
            // A total more than the list holds: every total moves to the dictionary.
            _used = new Dictionary<RunningTotal, decimal>(Few * 2);
            for (var i = 0; i < _few; i++) _used.Add(_fewKeys[i], _fewUsed[i]);
            Array.Clear(_fewKeys, 0, _few);
            _few = 0;
        }
        ref var used = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_used, key, out _);
        used += amount;
    }

    private int FewIndexOf(in RunningTotal key)
    {
        for (var i = 0; i < _few; i++)
            if (_fewKeys[i].Equals(key)) return i;
        return -1;
    }

    /// <summary>
    /// What can be paid of <paramref name="amount"/> under the rule's scoped caps: at most what is left under each
    /// (never below 0). Adds a step per scoped cap to <paramref name="trace"/> and the keys of the totals the paid amount
    /// counts toward (once each) to <paramref name="keys"/>; records nothing (see <see cref="Record(List{RunningTotal}, decimal)"/>).
    /// </summary>
    public decimal Left(RuleInfo rule, ApplicationHeader application, decimal amount, Func<int, decimal> limitOf, PolicyTerms policy,
        List<RunningTotal> keys, List<TraceStep> trace) => Left(rule, application, amount, limitOf, policy, keys, trace, out _);

    /// <summary>As <see cref="Left(RuleInfo, ApplicationHeader, decimal, Func{int, decimal}, PolicyTerms, List{RunningTotal}, List{TraceStep})"/>;
    /// <paramref name="boundBy"/> names the running total that cut the payment ("running total KEY: USED used of LIMIT"; the
    /// last that did), null when none did.</summary>
    public decimal Left(RuleInfo rule, ApplicationHeader application, decimal amount, Func<int, decimal> limitOf, PolicyTerms policy,
        List<RunningTotal> keys, List<TraceStep>? trace, out string? boundBy)
    {
        if (limitOf is null) throw new ArgumentNullException(nameof(limitOf));
        return Left(rule, application, amount, new FuncLimits(limitOf), policy, keys, trace, out boundBy);
    }

    /// <summary>Where <see cref="Left{TLimits}"/> asks a scoped cap's limit (a struct: no closure per application).</summary>
    internal interface ILimits
    {
        decimal Limit(int cap);
    }

    private readonly struct FuncLimits(Func<int, decimal> limitOf) : ILimits
    {
        public decimal Limit(int cap) => limitOf(cap);
    }

    internal decimal Left<TLimits>(RuleInfo rule, ApplicationHeader application, decimal amount, TLimits limits, PolicyTerms policy,
        List<RunningTotal> keys, List<TraceStep>? trace, out string? boundBy) where TLimits : ILimits
    {
        boundBy = null;
        if (rule is null) throw new ArgumentNullException(nameof(rule));
        if (policy is null) throw new ArgumentNullException(nameof(policy));
        var paid = amount;
        for (var c = 0; c < rule.Caps.Count; c++)
        {
            var cap = rule.Caps[c];
            if (cap.Scope == CapScope.Application) continue;
            var key = Key(rule, cap, application);
            if (!keys.Contains(key)) keys.Add(key);
            var limit = limits.Limit(c);
            var used = Used(key);
            var window = 0;
            if (cap.Period == CapPeriod.Years && cap.Rolling)
            {
                // Any N consecutive years: what is paid now counts in every window of N years containing this year.
                (window, used) = FullestWindow(key, rule.Year.YearOf(application.Date), YearsOf(cap));
            }
            var left = limit > used ? limit - used : 0m;
            var binds = left < paid;
            // The text only where it is kept: in a trace, or as what bound the payment.
            if (trace is null && !binds) continue;
            var label = cap.Period == CapPeriod.Years && cap.Rolling
                ? key.InYears(window, window + YearsOf(cap) - 1).ToString() + " (any " + Number(YearsOf(cap)) + " years)"
                : key.ToString();
            var text = "running total " + label + ": " + cap.Format(used, policy) + " used of " + cap.Format(limit, policy);
            trace?.Add(new TraceStep(TraceKind.RunningTotal, text, binds ? "pays at most " + cap.Format(left, policy) : "does not bind", rule.Source));
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
    public void Record(IEnumerable<RunningTotal> keys, decimal paid)
    {
        if (keys is null) throw new ArgumentNullException(nameof(keys));
        foreach (var key in keys) Add(key, paid);
    }

    /// <summary>As <see cref="Record(IEnumerable{RunningTotal}, decimal)"/> (a list: no enumerator is made).</summary>
    public void Record(List<RunningTotal> keys, decimal paid)
    {
        if (keys is null) throw new ArgumentNullException(nameof(keys));
        for (var i = 0; i < keys.Count; i++) Add(keys[i], paid);
    }
}

/// <summary>
/// One running total of a scoped cap (§8, <see cref="CapLedger"/>): its owner (the rule, or the name of a cap shared by several
/// rules), scope, scope key and, per year or block of years, the years it covers. Compared by value; its text, made only
/// for a trace or what bound a payment, is "RULE/SCOPE:KEY", then "/YEAR" (per year) or "/FIRST-LAST" (a block of years).
/// </summary>
public readonly struct RunningTotal : IEquatable<RunningTotal>
{
    private readonly byte _years; // 0: cumulative; 1: one year (First); 2: the years First through Last

    /// <summary>The total of <paramref name="name"/>'s cap of that scope and scope key, of <paramref name="year"/> (null: cumulative).</summary>
    public RunningTotal(string name, CapScope scope, string? scopeKey, int? year)
        : this(name, scope, scopeKey, year is null ? (byte)0 : (byte)1, year ?? 0, year ?? 0) { }

    /// <summary>The total of <paramref name="name"/>'s cap of that scope and scope key over the years <paramref name="first"/> through <paramref name="last"/>.</summary>
    public RunningTotal(string name, CapScope scope, string? scopeKey, int first, int last) : this(name, scope, scopeKey, 2, first, last) { }

    private RunningTotal(string name, CapScope scope, string? scopeKey, byte years, int first, int last)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Scope = scope;
        ScopeKey = scopeKey ?? "";
        _years = years;
        First = first;
        Last = last;
    }

    /// <summary>The rule, or the shared cap's name.</summary>
    public string Name { get; }

    /// <summary>Whose total it is.</summary>
    public CapScope Scope { get; }

    /// <summary>The enterprise, or the application's subject (its id when it has none).</summary>
    public string ScopeKey { get; }

    /// <summary>The first year counted (0 when cumulative).</summary>
    public int First { get; }

    /// <summary>The last year counted (0 when cumulative).</summary>
    public int Last { get; }

    /// <summary>The same owner, scope and key, in one year.</summary>
    internal RunningTotal InYear(int year) => new(Name, Scope, ScopeKey, year);

    /// <summary>The same owner, scope and key, over the years <paramref name="first"/> through <paramref name="last"/>.</summary>
    internal RunningTotal InYears(int first, int last) => new(Name, Scope, ScopeKey, first, last);

    public bool Equals(RunningTotal other) =>
        _years == other._years && First == other.First && Last == other.Last && Scope == other.Scope &&
        string.Equals(ScopeKey, other.ScopeKey, StringComparison.Ordinal) && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is RunningTotal other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Name is null ? 0 : StringComparer.Ordinal.GetHashCode(Name),
        ScopeKey is null ? 0 : StringComparer.Ordinal.GetHashCode(ScopeKey), (int)Scope, _years, First, Last);

    public static bool operator ==(RunningTotal left, RunningTotal right) => left.Equals(right);

    public static bool operator !=(RunningTotal left, RunningTotal right) => !left.Equals(right);

    /// <summary>RULE/SCOPE:KEY[/YEAR | /FIRST-LAST] (invariant).</summary>
    public override string ToString()
    {
        var invariant = CultureInfo.InvariantCulture;
        var scope = CapLedger.ScopeName(Scope);
        return _years switch
        {
            1 => string.Create(invariant, $"{Name}/{scope}:{ScopeKey}/{First}"),
            2 => string.Create(invariant, $"{Name}/{scope}:{ScopeKey}/{First}-{Last}"),
            _ => string.Create(invariant, $"{Name}/{scope}:{ScopeKey}"),
        };
    }
}
