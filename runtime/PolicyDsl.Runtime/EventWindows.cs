namespace PolicyDsl.Runtime;

/// <summary>Where year 1 of an event window starts (docs/semantics.md §27.1): on the event's date (a window year runs from
/// one anniversary to the day before the next, "完成后的3年内"), on 1 January of the event's year ("自认定当年起") or on
/// 1 January of the year after it ("竣工投产的下一年度起").</summary>
public enum WindowStart { Date, YearOf, YearAfter }

/// <summary>§27.1: the year of an event window an application's date falls in, derived from the dates (never typed in).
/// The one place that decides it: the interpreter and generated code both ask here.</summary>
public static class EventWindows
{
    /// <summary>The window year (1 = the first year) that <paramref name="date"/> falls in for a window starting at
    /// <paramref name="eventDate"/>; 0 when the date is before the window's first day.</summary>
    public static int Year(DateOnly date, DateOnly eventDate, WindowStart start)
    {
        switch (start)
        {
            case WindowStart.YearOf:
                return Math.Max(0, date.Year - eventDate.Year + 1);
            case WindowStart.YearAfter:
                return Math.Max(0, date.Year - eventDate.Year);
            default:
                if (date < eventDate) return 0;
                var years = date.Year - eventDate.Year;
                if (date < AddYears(eventDate, years)) years--;
                return years + 1;
        }
    }

    /// <summary>The first day of window year 1.</summary>
    public static DateOnly FirstDay(DateOnly eventDate, WindowStart start) => start switch
    {
        WindowStart.YearOf => new DateOnly(eventDate.Year, 1, 1),
        WindowStart.YearAfter => eventDate.Year < DateOnly.MaxValue.Year ? new DateOnly(eventDate.Year + 1, 1, 1) : DateOnly.MaxValue,
        _ => eventDate,
    };

    /// <summary>§27.4: the date <paramref name="months"/> months after (before, when negative) <paramref name="date"/>, the day
    /// kept or the month's last day (31 January + 1 month = 28/29 February), held within the dates a DateOnly has.</summary>
    public static DateOnly AddMonths(DateOnly date, int months)
    {
        var target = (date.Year - 1) * 12L + (date.Month - 1) + months;
        if (target < 0) return DateOnly.MinValue;
        if (target >= 9999L * 12) return DateOnly.MaxValue;
        return date.AddMonths(months);
    }

    /// <summary>The date <paramref name="years"/> years after <paramref name="date"/> (29 February → 28 February), capped at the last date.</summary>
    public static DateOnly AddYears(DateOnly date, int years) =>
        date.Year + years > DateOnly.MaxValue.Year ? DateOnly.MaxValue : date.AddYears(years);
}
