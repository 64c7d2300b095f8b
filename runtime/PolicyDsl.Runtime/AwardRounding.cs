namespace PolicyDsl.Runtime;

/// <summary>How an award is rounded to a multiple of its step (the model's RoundingDirection, in the same order).</summary>
public enum RoundingMode { Down, Up, HalfUp }

/// <summary>
/// §7 rounding of an award, the one place it is written: the interpreter, the checker's bounds and generated code all call
/// it. Rounding never lifts an award above a cap (最高不超过 is a hard limit): where rounding as the rule says would pass
/// the lowest cap limit, the award is rounded down instead.
/// </summary>
public static class AwardRounding
{
    /// <summary>The value rounded to a whole number of steps in the given direction.</summary>
    public static decimal Round(decimal value, decimal step, RoundingMode mode)
    {
        var steps = value / step;
        var whole = mode switch
        {
            RoundingMode.Down => Math.Floor(steps),
            RoundingMode.Up => Math.Ceiling(steps),
            _ => Math.Round(steps, MidpointRounding.AwayFromZero),
        };
        return whole * step;
    }

    /// <summary>The award rounded as the rule says, or down where that passes the lowest cap limit (null: no cap).</summary>
    public static decimal UnderCaps(decimal amount, decimal step, RoundingMode mode, decimal? lowestLimit)
    {
        var rounded = Round(amount, step, mode);
        return lowestLimit is { } limit && rounded > limit ? Round(amount, step, RoundingMode.Down) : rounded;
    }
}
