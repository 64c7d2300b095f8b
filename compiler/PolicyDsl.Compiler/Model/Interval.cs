using System.Globalization;

namespace PolicyDsl.Model;

/// <summary>
/// A closed interval of decimals; a null end is infinite. Arithmetic is overflow-safe: a result that
/// does not fit a decimal becomes the infinite end on its side (unbounded is always a sound answer).
/// </summary>
public readonly record struct Interval(decimal? Low, decimal? High)
{
    public static readonly Interval Unbounded = new(null, null);
    public static readonly Interval NonNegative = new(0m, null);

    public static Interval Exactly(decimal value) => new(value, value);

    public bool IsFinite => Low is not null && High is not null;

    public bool IsEmpty => Low is { } l && High is { } h && l > h;

    public static Interval operator +(Interval a, Interval b) =>
        new(Add(a.Low, b.Low), Add(a.High, b.High));

    public static Interval operator -(Interval a) => new(-a.High, -a.Low);

    public static Interval operator -(Interval a, Interval b) => a + (-b);

    public static Interval operator *(Interval a, Interval b)
    {
        // The four corner products; an infinite end times 0 is 0, times anything else keeps the sign.
        var corners = new[]
        {
            Product(a.Low, Side.Low, b.Low, Side.Low), Product(a.Low, Side.Low, b.High, Side.High),
            Product(a.High, Side.High, b.Low, Side.Low), Product(a.High, Side.High, b.High, Side.High),
        };
        return FromCorners(corners);
    }

    public static Interval operator /(Interval a, Interval b)
    {
        // A divisor that may be 0 (or change sign) can give anything.
        var positive = b.Low is { } bl && bl > 0m;
        var negative = b.High is { } bh && bh < 0m;
        if (!positive && !negative) return Unbounded;

        // With the divisor of one sign, x / y is monotone in each argument, so the extremes are at the corners
        // (decimal rounding is monotone too). No reciprocal is taken: 1 / 7.9e28 underflows to 0.
        return FromCorners(new[]
        {
            Quotient(a.Low, Side.Low, b.Low, Side.Low), Quotient(a.Low, Side.Low, b.High, Side.High),
            Quotient(a.High, Side.High, b.Low, Side.Low), Quotient(a.High, Side.High, b.High, Side.High),
        });
    }

    public static Interval Min(Interval a, Interval b) => new(
        a.Low is null || b.Low is null ? null : Math.Min(a.Low.Value, b.Low.Value),
        a.High is null ? b.High : b.High is null ? a.High : Math.Min(a.High.Value, b.High.Value));

    public static Interval Max(Interval a, Interval b) => new(
        a.Low is null ? b.Low : b.Low is null ? a.Low : Math.Max(a.Low.Value, b.Low.Value),
        a.High is null || b.High is null ? null : Math.Max(a.High.Value, b.High.Value));

    /// <summary>The smallest interval holding both (for if/else).</summary>
    public static Interval Hull(Interval a, Interval b) => new(
        a.Low is null || b.Low is null ? null : Math.Min(a.Low.Value, b.Low.Value),
        a.High is null || b.High is null ? null : Math.Max(a.High.Value, b.High.Value));

    public static Interval Floor(Interval a) => new(a.Low is { } l ? Math.Floor(l) : null, a.High is { } h ? Math.Floor(h) : null);

    public Interval ClampBelow(decimal low) => new(Low is { } l ? Math.Max(l, low) : low, High is { } h ? Math.Max(h, low) : null);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"[{(Low is { } l ? Quantity.Format(l, Unit.Dimensionless) : "-∞")}, {(High is { } h ? Quantity.Format(h, Unit.Dimensionless) : "∞")}]");

    // ---------- overflow-safe helpers ----------

    private enum Side { Low, High }

    // A corner value with its infinity sign: Sign 0 = finite Value, +1 = +∞, -1 = -∞.
    private readonly record struct Corner(decimal? Value, int Sign);

    private static decimal? Add(decimal? x, decimal? y)
    {
        if (x is null || y is null) return null;
        try { return x.Value + y.Value; }
        catch (OverflowException) { return null; }
    }

    private static int SignOf(decimal? value, Side side) => value is { } v ? Math.Sign(v) : (side == Side.Low ? -1 : 1);

    private static Corner Product(decimal? x, Side xs, decimal? y, Side ys)
    {
        if (x is { } a && y is { } b)
        {
            try { return new Corner(a * b, 0); }
            catch (OverflowException) { return new Corner(null, Math.Sign(a) * Math.Sign(b)); }
        }
        var sign = SignOf(x, xs) * SignOf(y, ys);
        return sign == 0 ? new Corner(0m, 0) : new Corner(null, sign);
    }

    // x / y at a corner; y is never 0 here (the divisor has one sign). An infinite divisor gives 0 in the limit.
    private static Corner Quotient(decimal? x, Side xs, decimal? y, Side ys)
    {
        if (y is null) return new Corner(0m, 0);
        if (x is { } a)
        {
            try { return new Corner(a / y.Value, 0); }
            catch (OverflowException) { return new Corner(null, Math.Sign(a) * Math.Sign(y.Value)); }
        }
        return new Corner(null, SignOf(x, xs) * Math.Sign(y.Value));
    }

    private static Interval FromCorners(Corner[] corners)
    {
        decimal? low = null, high = null;
        bool lowInf = false, highInf = false;
        foreach (var c in corners)
        {
            if (c.Sign < 0) lowInf = true;
            else if (c.Sign > 0) highInf = true;
            else if (c.Value is { } v)
            {
                low = low is null ? v : Math.Min(low.Value, v);
                high = high is null ? v : Math.Max(high.Value, v);
            }
            else { lowInf = true; highInf = true; }
        }
        return new Interval(lowInf ? null : low, highInf ? null : high);
    }
}
