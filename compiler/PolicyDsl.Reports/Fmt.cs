using System.Globalization;
using System.Text;
using PolicyDsl.Model;

namespace PolicyDsl.Reports;

/// <summary>
/// Every number a report shows is formatted here, culture-invariantly, so that templates only ever
/// receive strings (a template's own formatting would follow the thread's culture).
/// </summary>
public static class Fmt
{
    /// <summary>1234567.5 → "1,234,567.5"; no trailing zeros.</summary>
    public static string Number(decimal value) => PolicyDsl.Plan.Amounts.Number(value);

    /// <summary>Without grouping, for machine-readable places (CSV, SVG coordinates).</summary>
    public static string Plain(decimal value) => PolicyDsl.Runtime.Award.FormatNumber(value);

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>yyyy-MM-dd (invariant): <see cref="DateDigits{T}"/> as a string.</summary>
    public static string Date(DateOnly date) => string.Create(10, date, static (span, d) => DateDigits(d, span));

    /// <summary>yyyy-MM-dd of a date (years 1 to 9999: every DateOnly) into the first 10 characters of
    /// <paramref name="text"/>, digit by digit: the custom date format costs more than the rest of a CSV row's cells.</summary>
    public static void DateDigits<T>(DateOnly date, Span<T> text) where T : System.Numerics.IBinaryInteger<T>
    {
        // Characters or ASCII bytes alike (a CSV cell is formatted where it goes).
        var (year, month, day) = date;
        text[0] = Digit<T>(year / 1000);
        text[1] = Digit<T>(year / 100 % 10);
        text[2] = Digit<T>(year / 10 % 10);
        text[3] = Digit<T>(year % 10);
        text[4] = T.CreateTruncating('-');
        text[5] = Digit<T>(month / 10);
        text[6] = Digit<T>(month % 10);
        text[7] = T.CreateTruncating('-');
        text[8] = Digit<T>(day / 10);
        text[9] = Digit<T>(day % 10);
    }

    private static T Digit<T>(int digit) where T : System.Numerics.IBinaryInteger<T> => T.CreateTruncating('0' + digit);

    /// <summary>A value with its unit, in words: "200 points", "1,500,000 yuan", "10%" (<see cref="PolicyDsl.Plan.Amounts"/>).</summary>
    public static string Quantity(decimal value, Unit unit) => PolicyDsl.Plan.Amounts.Show(value, unit, "en");

    /// <summary>The same in Chinese units where one exists: 分, 元, 万元, 平方米, 月, 年, 人次, 人, 个.</summary>
    public static string QuantityZh(decimal value, Unit unit) => PolicyDsl.Plan.Amounts.Show(value, unit, "zh");

    /// <summary>
    /// "2026-01-01 through 2028-12-31". Not DateRange.ToString: that formats with the current culture's
    /// calendar (under ar-SA it prints Hijri years).
    /// </summary>
    public static string Range(DateRange range) => range.Open ? Date(range.From) + " onwards, no end date" : Date(range.From) + " through " + Date(range.Through);

    /// <summary>A sum that says "too large" (null) instead of throwing: caps near decimal.MaxValue are legal.</summary>
    public static decimal? Sum(IEnumerable<decimal> values)
    {
        var total = 0m;
        try { foreach (var v in values) total += v; }
        catch (OverflowException) { return null; }
        return total;
    }

    /// <summary>Adds, saturating at decimal.MaxValue (running totals of absurdly large awards).</summary>
    public static decimal AddSaturating(decimal a, decimal b)
    {
        try { return a + b; }
        catch (OverflowException) { return decimal.MaxValue; }
    }

    public static decimal Normalize(decimal value) => PolicyDsl.Runtime.Award.Normalize(value);

    /// <summary>A file-name-safe slug of an identifier (rule names are ASCII identifiers; anything else becomes '_').</summary>
    public static string Slug(string name)
    {
        var sb = new StringBuilder(name.Length);
        var replaced = false;
        foreach (var c in name)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
            replaced |= !ok;
            sb.Append(ok ? c : '_');
        }
        if (!replaced && sb.Length > 0) return sb.ToString();
        // Identifiers may be Chinese (股改补助): a stable hash of the name keeps such slugs apart.
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(name)) hash = (hash ^ b) * 16777619;
        return sb.Append('-').Append(hash.ToString("x8", CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>Escapes text for XML/SVG content and attribute values.</summary>
    public static string Xml(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
