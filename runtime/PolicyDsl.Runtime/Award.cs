using System.Globalization;
using System.Runtime.CompilerServices;

namespace PolicyDsl.Runtime;

/// <summary>What a rule's awards share: its name, the point value and the text after each cap's limit; for the trace, the
/// rule's source sentence and whether its award is computed. One per rule, made once.</summary>
public sealed class AwardRule
{
    private readonly string[] _capSuffixes;

    /// <summary>A rule with its source sentence (every trace step made here carries it) and whether its award is computed (false: case by case).</summary>
    public AwardRule(string name, string source, bool computable, decimal? moneyPerPoint, params string[] capSuffixes)
    {
        Name = name;
        Source = source;
        Computable = computable;
        MoneyPerPoint = moneyPerPoint;
        _capSuffixes = capSuffixes;
    }

    /// <summary>The rule's name as written in the clause file.</summary>
    public string Name { get; }

    /// <summary>The sentence of the policy the rule encodes: the source of each of its trace steps.</summary>
    public string Source { get; }

    /// <summary>False for a case-by-case (一事一议) rule, whose award is not computed.</summary>
    public bool Computable { get; }

    /// <summary>A trace step of this rule with a number as its value.</summary>
    public TraceStep Step(TraceKind kind, string description, decimal value) => new(kind, description, value, Source);

    /// <summary>A trace step of this rule with a text as its value.</summary>
    public TraceStep Step(TraceKind kind, string description, string value) => new(kind, description, value, Source);

    /// <summary>The trace step of a cap with a fixed limit: its text ("cap 50 points per enterprise"), and whether it bound the award.</summary>
    public TraceStep CapStep(string text, bool binds) => new(TraceKind.Cap, text, binds ? StepTexts.Binds : StepTexts.DoesNotBind, Source);

    /// <summary>The trace step of cap number <paramref name="cap"/> (1-based) whose limit is computed per application: "cap ", the limit, the cap's suffix.</summary>
    public TraceStep CapStep(decimal limit, int cap, bool binds) =>
        new(TraceKind.Cap, StepTexts.CapPrefix, limit, CapSuffix(cap), binds ? StepTexts.Binds : StepTexts.DoesNotBind, Source);

    /// <summary>Yuan per award point (null when the award is in yuan or no point value is declared).</summary>
    public decimal? MoneyPerPoint { get; }

    /// <summary>The description of the last trace step, "award of RULE", made once (a traced evaluation allocates no text).</summary>
    public string ResultStep => _resultStep ??= StepTexts.Result + Name;

    private string? _resultStep;

    /// <summary>What follows the limit of cap number (1-based) when it binds (" points per enterprise").</summary>
    public string CapSuffix(int cap) => _capSuffixes[cap - 1];

    private (decimal Limit, string Text)?[]? _stated;

    /// <summary>
    /// Cap number <paramref name="cap"/> has the fixed limit <paramref name="limit"/> written in another unit than the
    /// award's (cap 50 wan-yuan): when it binds it is named as written (§24.9). Called once, where the rule is made.
    /// </summary>
    public AwardRule Stated(int cap, decimal limit, string text)
    {
        (_stated ??= new (decimal, string)?[_capSuffixes.Length])[cap - 1] = (limit, text);
        return this;
    }

    /// <summary>The cap that bound, with its limit: as written when it is a fixed limit stated in another unit.</summary>
    public string BoundBy(int cap, decimal limit)
    {
        if (_stated?[cap - 1] is { } stated && stated.Limit == limit) return stated.Text;
        // The last text made for each cap is kept (a cap's limit is mostly the same from one application to the next): an
        // evaluation that reads BoundBy for every award formats the number once. Equal limits (50 and 50.0) format alike.
        // Shared across threads: a holder is replaced whole, so a reader sees a limit with its own text.
        var made = _boundBy ??= new BoundText?[_capSuffixes.Length];
        if (made[cap - 1] is { } last && last.Limit == limit) return last.Text;
        var text = Award.FormatNumber(limit) + _capSuffixes[cap - 1];
        made[cap - 1] = new BoundText(limit, text);
        return text;
    }

    private BoundText?[]? _boundBy;

    private sealed class BoundText(decimal limit, string text)
    {
        public readonly decimal Limit = limit;
        public readonly string Text = text;
    }
}

/// <summary>What one rule awards for one application, in the policy's award unit. A small value type that
/// allocates nothing: texts (the binding cap, the money ceiling) are only made when read.</summary>
public readonly struct Award : IEquatable<Award>
{
    private const byte EligibleFlag = 1, ComputableFlag = 2, ProblemFlag = 4;

    private readonly AwardRule _rule;
    private readonly string? _reason;
    private readonly decimal _amount;
    private readonly decimal _boundByLimit;
    private readonly byte _flags;
    private readonly byte _boundCap;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Award(AwardRule rule, decimal amount, byte flags, int boundCap, decimal boundByLimit, string? reason)
    {
        _rule = rule;
        _amount = amount;
        _flags = flags;
        _boundCap = (byte)boundCap;
        _boundByLimit = boundByLimit;
        _reason = reason;
    }

    /// <summary>An eligible, computed award; boundCap is the 1-based number of the cap that bound it (0: none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Award Paid(AwardRule rule, decimal amount, int boundCap, decimal boundByLimit) =>
        new(rule, amount, EligibleFlag | ComputableFlag, boundCap, boundByLimit, null);

    /// <summary>A condition did not hold: nothing is awarded (computable as the rule is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Award Failed(AwardRule rule, string failedCondition) =>
        new(rule, 0m, rule.Computable ? ComputableFlag : (byte)0, 0, 0m, failedCondition);

    /// <summary>The rule could not be evaluated (an invalid fact, an unset parameter, division by zero): nothing is awarded.</summary>
    public static Award WithProblem(AwardRule rule, bool computable, string problem) =>
        new(rule, 0m, (byte)((computable ? ComputableFlag : 0) | ProblemFlag), 0, 0m, problem);

    /// <summary>A case-by-case (一事一议) rule whose conditions held: eligible, nothing paid automatically.</summary>
    public static Award CaseByCase(AwardRule rule) => new(rule, 0m, EligibleFlag, 0, 0m, null);

    /// <summary>This award with nothing paid and not eligible (outside a validity window), keeping the rule and whether it is computable.</summary>
    public Award NotEligible() => new(_rule, 0m, (byte)(_flags & ComputableFlag), 0, 0m, null);

    /// <summary>The rule's name as written in the clause file.</summary>
    public string Rule => _rule is null ? null! : _rule.Name; // null only in default(Award)

    /// <summary>The award, in the award unit (points or yuan); 0 when not eligible.</summary>
    public decimal Amount => _amount;

    /// <summary>True when every condition held and the facts were valid.</summary>
    public bool Eligible => (_flags & EligibleFlag) != 0;

    /// <summary>False for a case-by-case (一事一议) rule: nothing is paid automatically.</summary>
    public bool Computable => (_flags & ComputableFlag) != 0;

    /// <summary>The cap that bound the award, as "30 points per enterprise", or null when the formula was below every cap.</summary>
    public string? BoundBy => _boundCap == 0 ? null : _rule.BoundBy(_boundCap, _boundByLimit);

    /// <summary>The limit of the cap that bound the award (0 when none did).</summary>
    public decimal BoundByLimit => _boundByLimit;

    /// <summary>The most money the award funds, in yuan (points × the declared point value).</summary>
    public decimal? MoneyCeiling => (_flags & (EligibleFlag | ComputableFlag)) != (EligibleFlag | ComputableFlag) ? 0m
        : _rule.MoneyPerPoint is { } perPoint ? _amount * perPoint : _amount;

    /// <summary>Why the rule could not be evaluated (an invalid fact, an unset parameter, division by zero), or null.</summary>
    public string? Problem => (_flags & ProblemFlag) != 0 ? _reason : null;

    /// <summary>The condition that did not hold ("requires ..."), or null.</summary>
    public string? FailedCondition => (_flags & ProblemFlag) == 0 ? _reason : null;

    private string? BoundBySuffix => _boundCap == 0 ? null : _rule.CapSuffix(_boundCap);

    /// <summary>
    /// The same number without trailing zeros (150.00 → 150), so that results print and compare alike: what
    /// <c>value / 1.0000000000000000000000000000m</c> gives (the one definition; the compiler and reports use it too), without
    /// the 96-bit division where the digits fit in 64 bits (almost every amount).
    /// </summary>
    public static decimal Normalize(decimal value)
    {
        // (A third of the amounts of a run are zeros: no division for them either.)
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        if ((bits[0] | bits[1] | bits[2]) == 0) return bits[3] < 0 ? NegativeZero : 0m; // what the division gives a (signed) zero of any scale
        if (bits[2] != 0) return value / 1.0000000000000000000000000000m; // wide
        if (scale == 0) return value;
        var digits = (uint)bits[0] | ((ulong)(uint)bits[1] << 32);
        while (scale > 0 && digits % 10 == 0)
        {
            digits /= 10;
            scale--;
        }
        return new decimal((int)(uint)digits, (int)(uint)(digits >> 32), 0, bits[3] < 0, (byte)scale);
    }

    private static readonly decimal NegativeZero = new(0, 0, 0, true, 0);

    /// <summary>A number as the policy's reports write it: invariant, no trailing zeros.</summary>
    public static string FormatNumber(decimal value)
    {
        Span<char> text = stackalloc char[MostNumberChars];
        return TryFormatNumber(value, text, out var written)
            ? new string(text[..written])
            : value.ToString("0.############################", CultureInfo.InvariantCulture);
    }

    /// <summary>The room <see cref="TryFormatNumber{T}"/> needs at most: "-0." and 28 fraction digits (a 20-digit
    /// significand with a point in it is shorter).</summary>
    public const int MostNumberChars = 32;

    /// <summary>
    /// <see cref="FormatNumber"/>'s text as characters or ASCII bytes (<typeparamref name="T"/> char or byte), into
    /// <paramref name="text"/> (at least <see cref="MostNumberChars"/> long): the significand without its fraction's
    /// trailing zeros, written from its last digit back, the point put in as the scale says. The custom format costs several
    /// times more, and a results file has three numbers a row. A zero of any sign or scale is "0", as the format writes it.
    /// False for a significand wider than 64 bits (every award is far below that): then the format gives the text.
    /// </summary>
    public static bool TryFormatNumber<T>(decimal value, Span<T> text, out int written) where T : System.Numerics.IBinaryInteger<T>
    {
        written = 0;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[2] != 0 || text.Length < MostNumberChars) return false;
        var significand = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        while (scale > 0 && significand % 10 == 0) { significand /= 10; scale--; }
        // Written from the last character back: the fraction's digits (0s where the significand has fewer), the point, the
        // whole part two digits at a time, the sign.
        var whole = Math.Max(DigitCount(significand) - scale, 1);
        var negative = bits[3] < 0 && significand != 0; // a negative zero writes as 0
        var at = written = (negative ? 1 : 0) + whole + (scale > 0 ? 1 + scale : 0);
        for (var i = 0; i < scale; i++)
        {
            text[--at] = T.CreateTruncating('0' + (int)(significand % 10));
            significand /= 10;
        }
        if (scale > 0) text[--at] = T.CreateTruncating('.');
        while (significand >= 100)
        {
            var pair = (int)(significand % 100) * 2;
            significand /= 100;
            text[--at] = T.CreateTruncating(Pairs[pair + 1]);
            text[--at] = T.CreateTruncating(Pairs[pair]);
        }
        if (significand >= 10)
        {
            var pair = (int)significand * 2;
            text[--at] = T.CreateTruncating(Pairs[pair + 1]);
            text[--at] = T.CreateTruncating(Pairs[pair]);
        }
        else text[--at] = T.CreateTruncating('0' + (int)significand);
        if (at == 1) text[0] = T.CreateTruncating('-');
        return true;
    }

    /// <summary>The number of decimal digits of <paramref name="value"/> (1 for 0): from its bit length, then one comparison.</summary>
    private static int DigitCount(ulong value)
    {
        var digits = ((System.Numerics.BitOperations.Log2(value | 1) + 1) * 1233) >> 12; // bits × log10(2): the count or one less
        if (value >= PowersOfTen[digits]) digits++;
        return digits == 0 ? 1 : digits;
    }

    private static readonly ulong[] PowersOfTen =
    [
        1UL, 10UL, 100UL, 1000UL, 10000UL, 100000UL, 1000000UL, 10000000UL, 100000000UL, 1000000000UL, 10000000000UL,
        100000000000UL, 1000000000000UL, 10000000000000UL, 100000000000000UL, 1000000000000000UL, 10000000000000000UL,
        100000000000000000UL, 1000000000000000000UL, 10000000000000000000UL,
    ];

    /// <summary>"00" to "99", two ASCII digits each.</summary>
    private static ReadOnlySpan<byte> Pairs => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>The amount of another rule's award read inside a formula; an award with a problem makes the reading rule's evaluation fail too.</summary>
    public static decimal AmountOf(Award award) =>
        award.Problem is null ? award.Amount : throw new EvaluationProblemException("rule " + award.Rule + " could not be evaluated: " + award.Problem);

    public bool Equals(Award other) =>
        string.Equals(Rule, other.Rule, StringComparison.Ordinal) && _amount == other._amount && _flags == other._flags &&
        _boundByLimit == other._boundByLimit && string.Equals(BoundBySuffix, other.BoundBySuffix, StringComparison.Ordinal) &&
        MoneyCeiling == other.MoneyCeiling && string.Equals(_reason, other._reason, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Award other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Rule, _amount, _flags, BoundBySuffix, MoneyCeiling, _reason);

    public static bool operator ==(Award left, Award right) => left.Equals(right);

    public static bool operator !=(Award left, Award right) => !left.Equals(right);

    public override string ToString() =>
        Rule + ": " + FormatNumber(Amount) + (Eligible ? "" : " (not eligible)") + (BoundBy is null ? "" : " [bound by " + BoundBy + "]") +
        (Problem is null ? "" : " {" + Problem + "}") + (FailedCondition is null ? "" : " {" + FailedCondition + " fails}");
}

/// <summary>Thrown inside a generated evaluation when a value cannot be computed; the evaluation returns it as the award's problem.</summary>
public sealed class EvaluationProblemException : Exception
{
    public EvaluationProblemException(string message) : base(message) { }
}
