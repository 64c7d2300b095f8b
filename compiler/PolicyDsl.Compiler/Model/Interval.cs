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
        Interval inverse;
        if (b.Low is { } bl && bl > 0m) inverse = new Interval(b.High is { } bh ? Div(1m, bh) ?? 0m : 0m, Div(1m, bl));
        else if (b.High is { } bh2 && bh2 < 0m) inverse = new Interval(Div(1m, bh2), b.Low is { } bl2 ? Div(1m, bl2) ?? 0m : 0m);
        else return Unbounded; // the divisor may be 0: anything can come out

        // Exact corners (a/b rather than a*(1/b)) when everything is finite, for tight bounds.
        if (a.IsFinite && b.IsFinite)
        {
            var c = new[] { Div(a.Low!.Value, b.Low!.Value), Div(a.Low.Value, b.High!.Value), Div(a.High!.Value, b.Low.Value), Div(a.High.Value, b.High.Value) };
            if (c.All(x => x is not null)) return new Interval(c.Min(), c.Max());
        }
        return a * inverse;
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

    private static decimal? Div(decimal a, decimal b)
    {
        try { return a / b; }
        catch (OverflowException) { return null; }
        catch (DivideByZeroException) { return null; }
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
