using System.Collections.Immutable;
using System.Globalization;
using PolicyDsl.Text;

namespace PolicyDsl.Model;

/// <summary>A value given for a fact: a quantity in the fact's declared unit, yes/no, a date, or a member key.</summary>
public abstract record FactValue
{
    public static FactValue Of(decimal quantity) => new QuantityValue(quantity);
    public static FactValue Of(bool yes) => yes ? Yes : No;
    public static FactValue Of(DateOnly date) => new DateValue(date);
    public static FactValue Member(string key) => new MemberValue(key);

    // Values are immutable: the two yes/no values are shared (a reader makes one per yes/no cell).
    private static readonly FactValue Yes = new YesNoValue(true), No = new YesNoValue(false);
}

public sealed record QuantityValue(decimal Value) : FactValue
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record YesNoValue(bool Value) : FactValue
{
    public override string ToString() => Value ? "yes" : "no";
}

public sealed record DateValue(DateOnly Value) : FactValue
{
    public override string ToString() => Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record MemberValue(string Key) : FactValue
{
    public override string ToString() => Key;
}

/// <summary>The inputs of one evaluation: fact name → value. Immutable, compared by content.</summary>
public sealed class Facts : IEquatable<Facts>
{
    public static readonly Facts Empty = new(ImmutableSortedDictionary<string, FactValue>.Empty.WithComparers(StringComparer.Ordinal));

    public Facts(ImmutableSortedDictionary<string, FactValue> values) => Values = values;

    public Facts(IEnumerable<KeyValuePair<string, FactValue>> values)
        : this(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, values)) { }

    public ImmutableSortedDictionary<string, FactValue> Values { get; }

    public FactValue? this[string name] => Values.TryGetValue(name, out var v) ? v : null;

    public Facts With(string name, FactValue value) => new(Values.SetItem(name, value));

    public Facts With(string name, decimal value) => With(name, FactValue.Of(value));

    public Facts With(string name, bool value) => With(name, FactValue.Of(value));

    public Facts With(string name, DateOnly value) => With(name, FactValue.Of(value));

    public Facts With(string name, string memberKey) => With(name, FactValue.Member(memberKey));

    public bool Equals(Facts? other) => other is not null && Values.Count == other.Values.Count &&
        Values.All(kv => other.Values.TryGetValue(kv.Key, out var v) && Equals(v, kv.Value));

    public override bool Equals(object? obj) => Equals(obj as Facts);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var kv in Values) { hash.Add(kv.Key); hash.Add(kv.Value); }
        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", Values.Select(kv => $"{kv.Key}: {kv.Value}"));
}

public enum TraceKind { Validity, Condition, Let, Formula, Cap, RunningTotal, Rounding, Result, Problem }

/// <summary>One step of an evaluation: what was done and the value it gave (formatted invariantly).</summary>
public sealed record TraceStep(TraceKind Kind, string Description, string Value);

/// <summary>
/// The award of one application under one rule, in the award unit. BoundBy names the cap that bound it
/// (null if the formula was below every cap). Problems lists missing or ill-typed facts: when there are
/// any, the rule pays 0 and Eligible is false.
/// </summary>
public sealed record AwardResult(
    string Rule,
    decimal Amount,
    bool Eligible,
    bool Computable,
    string? BoundBy,
    decimal? MoneyCeiling,
    EquatableArray<TraceStep> Trace,
    string Source,
    EquatableArray<string> Problems)
{
    public string Explain() => string.Join(Environment.NewLine, Trace.Select(t => $"{t.Description}: {t.Value}"));
}

/// <summary>One application by an enterprise under one rule.</summary>
public sealed record Application(
    string Id,
    string Enterprise,
    string Rule,
    DateOnly Date,
    Facts Facts,
    string? Subject = null,
    string? Location = null,
    bool FundedByHigherLevelPolicy = false,
    decimal ReceivedElsewhere = 0m);

/// <summary>What one payer pays of an award (in the award unit).</summary>
public sealed record PayerShare(string Payer, decimal Amount);

/// <summary>The outcome of one application after running totals, no stacking and highest-only.</summary>
public sealed record ApplicationResult(
    Application Application,
    AwardResult Award,
    decimal Paid,
    string? Reason,
    EquatableArray<PayerShare> Payers,
    EquatableArray<TraceStep> Trace,
    string? PaidBoundBy = null)
{
    /// <summary>What bound what is paid: the running total that cut the payment (§8), else the cap that bound the award alone.</summary>
    public string? BoundBy => PaidBoundBy ?? Award.BoundBy;
}

/// <summary>The outcome of all applications of one enterprise (in order).</summary>
public sealed record EnterpriseResult(string Enterprise, EquatableArray<ApplicationResult> Applications, decimal Total);
