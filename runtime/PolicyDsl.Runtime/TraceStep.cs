namespace PolicyDsl.Runtime;

/// <summary>What a trace step records.</summary>
public enum TraceKind { Validity, Condition, Let, Formula, Cap, RunningTotal, Rounding, Result, Problem }

/// <summary>One step of an evaluation: what was done, the value it gave, and the sentence of the policy it encodes.
/// A value type, so that a caller reusing its list traces without allocating: a number is kept as it is and
/// written (invariant, no trailing zeros) each time <see cref="Value"/> is read. Two steps are equal when their kinds, descriptions,
/// value texts and sources are (ordinal); default(TraceStep) has null texts and the value "0".</summary>
public readonly struct TraceStep : IEquatable<TraceStep>
{
    private readonly string? _value;
    private readonly decimal _number;
    private readonly string? _description;
    private readonly string? _descriptionSuffix;

    public TraceStep(TraceKind kind, string description, string value, string source)
    {
        Kind = kind;
        _description = description;
        _descriptionSuffix = null;
        _value = value;
        _number = 0m;
        Source = source;
    }

    public TraceStep(TraceKind kind, string description, decimal value, string source)
    {
        Kind = kind;
        _description = description;
        _descriptionSuffix = null;
        _value = null;
        _number = value;
        Source = source;
    }

    /// <summary>A step whose description holds a number (a cap's limit computed per application): prefix, the
    /// number as reports write it, suffix; made into text only when <see cref="Description"/> is read.</summary>
    public TraceStep(TraceKind kind, string descriptionPrefix, decimal number, string descriptionSuffix, string value, string source)
    {
        Kind = kind;
        _description = descriptionPrefix;
        _descriptionSuffix = descriptionSuffix;
        _value = value;
        _number = number;
        Source = source;
    }

    /// <summary>What the step records.</summary>
    public TraceKind Kind { get; }

    /// <summary>The number a step holds (its value, or the number in its description); 0 for a text value.</summary>
    internal decimal Number => _number;

    /// <summary>What was done ("award formula", "requires ...").</summary>
    public string Description => _descriptionSuffix is null ? _description!
        : _description + Award.FormatNumber(_number) + _descriptionSuffix;

    /// <summary>The value it gave ("holds", "12.5"); a number is formatted (invariant) on every read.</summary>
    public string Value => _value ?? Award.FormatNumber(_number);

    /// <summary>The sentence of the policy the step encodes.</summary>
    public string Source { get; }

    public void Deconstruct(out TraceKind kind, out string description, out string value, out string source)
    {
        kind = Kind;
        description = Description;
        value = Value;
        source = Source;
    }

    /// <summary>The value's text, a number written into <paramref name="buffer"/> (no string is made for it).</summary>
    private ReadOnlySpan<char> ValueText(Span<char> buffer) =>
        _value is not null ? MemoryExtensions.AsSpan(_value)
        : Award.TryFormatNumber(_number, buffer, out var written) ? buffer.Slice(0, written)
        : MemoryExtensions.AsSpan(Value);

    public bool Equals(TraceStep other)
    {
        if (Kind != other.Kind || !string.Equals(Description, other.Description, StringComparison.Ordinal) ||
            !string.Equals(Source, other.Source, StringComparison.Ordinal)) return false;
        Span<char> mine = stackalloc char[64], theirs = stackalloc char[64];
        return MemoryExtensions.SequenceEqual(ValueText(mine), other.ValueText(theirs));
    }

    public override bool Equals(object? obj) => obj is TraceStep other && Equals(other);

    public override int GetHashCode()
    {
        Span<char> buffer = stackalloc char[64];
        return HashCode.Combine(Kind, Description, string.GetHashCode(ValueText(buffer)), Source);
    }

    public static bool operator ==(TraceStep left, TraceStep right) => left.Equals(right);

    public static bool operator !=(TraceStep left, TraceStep right) => !left.Equals(right);

    public override string ToString() =>
        "TraceStep { Kind = " + Kind.ToString() + ", Description = " + Description + ", Value = " + Value + ", Source = " + Source + " }";
}
