namespace PolicyDsl.Runtime;

/// <summary>Where year 1 of an event window starts (docs/semantics.md §27.1): on the event's date (a window year runs from
/// one anniversary to the day before the next, "完成后的3年内"), on 1 January of the event's year ("自认定当年起") or on
/// 1 January of the year after it ("竣工投产的下一年度起").</summary>
public enum WindowStart { Date, YearOf, YearAfter }

/// <summary>§30.1: the day a policy's (or a rule's) year starts: 1 January (the calendar year, the default) or another day
/// ("财政年度自7月1日起": 07-01). A year is named by the calendar year it starts in: with a year from 1 July, 2026-07-01
/// through 2027-06-30 is year 2026. The one place that decides which year a date falls in: per-year caps, N-year caps
/// (<see cref="CapLedger"/>), window years (<see cref="EventWindows.Year(DateOnly, DateOnly, WindowStart, YearStart)"/>)
/// and yearly report totals all ask here. The default value (0, 0) is the calendar year.</summary>
public readonly record struct YearStart(int Month, int Day)
{
    /// <summary>The calendar year (1 January).</summary>
    public static YearStart Calendar => new(1, 1);

    /// <summary>True for 1 January (or the default value).</summary>
    public bool IsCalendar => Month <= 1 && Day <= 1;

    /// <summary>The year <paramref name="date"/> falls in: the calendar year its year started in.</summary>
    public int YearOf(DateOnly date) =>
        IsCalendar || date.Month > Month || (date.Month == Month && date.Day >= Day) ? date.Year : date.Year - 1;

    /// <summary>The first day of year <paramref name="year"/> (held within the dates a DateOnly has).</summary>
    public DateOnly FirstDay(int year) =>
        year < 1 ? DateOnly.MinValue : year > DateOnly.MaxValue.Year ? DateOnly.MaxValue
        : IsCalendar ? new DateOnly(year, 1, 1) : new DateOnly(year, Month, Day);

    /// <summary>"07-01"; "01-01" for the calendar year.</summary>
    public override string ToString() => IsCalendar ? "01-01" :
        Month.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + "-" + Day.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The year's name for a year number: "2026" for the calendar year, "2026/27" for a year that starts later.</summary>
    public string Name(int year) => IsCalendar ? year.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : year.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + ((year + 1) % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>§27.1: the year of an event window an application's date falls in, derived from the dates (never typed in).
/// The one place that decides it: the interpreter and generated code both ask here.</summary>
public static class EventWindows
{
    /// <summary>The window year (1 = the first year) that <paramref name="date"/> falls in for a window starting at
    /// <paramref name="eventDate"/>; 0 when the date is before the window's first day.</summary>
    public static int Year(DateOnly date, DateOnly eventDate, WindowStart start) => Year(date, eventDate, start, default);

    /// <summary>The same, with "the year of" and "the year after" read in the policy's (or rule's) year (§30.1): with a year
    /// from 1 July, an event on 2026-09-01 starts year 1 of a window "from the year of" it on 2026-07-01.</summary>
    public static int Year(DateOnly date, DateOnly eventDate, WindowStart start, YearStart year)
    {
        switch (start)
        {
            case WindowStart.YearOf:
                return Math.Max(0, year.YearOf(date) - year.YearOf(eventDate) + 1);
            case WindowStart.YearAfter:
                return Math.Max(0, year.YearOf(date) - year.YearOf(eventDate));
            default:
                if (date < eventDate) return 0;
                var years = date.Year - eventDate.Year;
                if (date < AddYears(eventDate, years)) years--;
                return years + 1;
        }
    }

    /// <summary>The first day of window year 1.</summary>
    public static DateOnly FirstDay(DateOnly eventDate, WindowStart start) => FirstDay(eventDate, start, default);

    /// <summary>The first day of window year 1, in the policy's (or rule's) year.</summary>
    public static DateOnly FirstDay(DateOnly eventDate, WindowStart start, YearStart year) => start switch
    {
        WindowStart.YearOf => year.FirstDay(year.YearOf(eventDate)),
        WindowStart.YearAfter => year.FirstDay(year.YearOf(eventDate) + 1),
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
