using System.Globalization;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>What an input cell or JSON value holds, before it is read as a fact.</summary>
public enum JsonKind { String, Number, Boolean, Null, Object, Array }

/// <summary>
/// The rules an application's facts are read by, written once: the CSV and JSON readers convert with them
/// and <see cref="ApplicationSchema"/> describes them (so the schema and the readers cannot disagree). A
/// quantity is a number in the fact's declared unit, read exactly (more digits than a decimal holds, or a
/// value too small or too large for one, is an error, never rounded); yes/no is a boolean (true/false or
/// yes/no in CSV); a date is yyyy-MM-dd; a level or one-of is a member key (a string, or in JSON also a
/// number written like the key). Bounds (non-negative, at most) are checked by the evaluator against the
/// same <see cref="Fact"/>.
/// </summary>
public static class FactParsing
{
    /// <summary>yyyy-MM-dd. Ten digits and dashes that name a real date are read directly (DateOnly.TryParseExact gives
    /// the same date for them, at a tenth of the cost); anything else is left to TryParseExact.</summary>
    public static bool TryDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        if (text.Length == 10 && text[4] == '-' && text[7] == '-'
            && Digits(text[..4], out var year) && Digits(text.Slice(5, 2), out var month) && Digits(text.Slice(8, 2), out var day)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
        {
            date = new DateOnly(year, month, day);
            return true;
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>The JSON kinds a fact accepts (the schema's "type").</summary>
    public static JsonKind[] Accepted(Fact fact) => fact.Kind switch
    {
        FactKind.Quantity => [JsonKind.Number],
        FactKind.YesNo => [JsonKind.Boolean],
        FactKind.Date => [JsonKind.String],
        _ => [JsonKind.String, JsonKind.Number],
    };

    public static string Expected(Fact fact) => fact.Kind switch
    {
        FactKind.Quantity => $"a number (a quantity in {fact.Unit})",
        FactKind.YesNo => "true or false",
        FactKind.Date => "a date yyyy-MM-dd",
        _ => "one of " + string.Join(", ", fact.Members.Select(m => m.Key)),
    };

    /// <summary>
    /// A fact derived from the application's date (the window year, §27.1) is never given: the schema does not list it
    /// (its facts allow no other property), so a reader rejects it rather than let the evaluator silently replace it.
    /// </summary>
    public static string? NotGiven(Fact? fact, string name) =>
        fact is { Derived: true } ? $"fact {name} is derived from the application's date, not given: expected it left out" : null;

    /// <summary>A CSV cell as the fact's kind; an error message when it is not of that kind.</summary>
    public static FactValue? FromText(Fact? fact, string name, ReadOnlySpan<char> text, out string? error)
    {
        if (!TryCell(fact, name, text, out var cell, out error)) return null;
        return fact?.Kind switch
        {
            FactKind.Quantity => FactValue.Of(cell.Quantity),
            FactKind.YesNo => FactValue.Of(cell.YesNo),
            FactKind.Date => FactValue.Of(cell.Date),
            // A member key (the evaluator checks membership), or not a fact of the rule: passed on for the evaluator to name.
            _ => FactValue.Member(text.ToString()),
        };
    }

    /// <summary>
    /// A CSV cell read as the fact's kind into a value, with no object made (what <see cref="FromText"/> makes its fact value
    /// of, and what compiled rules take straight into a rule's typed facts); false with an error message when it is not of
    /// that kind. A member key is found as the first member whose key is the text (ordinal, as <see cref="Fact.FindMember"/>);
    /// <see cref="FactCell.Member"/> is -1 when none is (the evaluator names it).
    /// </summary>
    internal static bool TryCell(Fact? fact, string name, ReadOnlySpan<char> text, out FactCell cell, out string? error)
    {
        cell = default;
        error = NotGiven(fact, name);
        if (error is not null) return false;
        switch (fact?.Kind)
        {
            case FactKind.Quantity:
                if (TryExactDecimal(text, out cell.Quantity, out var why)) break;
                error = $"fact {name} is '{text}'; expected a quantity in {fact.Unit}" + (why is null ? "" : ": " + why);
                return false;
            case FactKind.YesNo:
                if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("yes", StringComparison.OrdinalIgnoreCase)) cell.YesNo = true;
                else if (!text.Equals("false", StringComparison.OrdinalIgnoreCase) && !text.Equals("no", StringComparison.OrdinalIgnoreCase))
                {
                    error = $"fact {name} is '{text}'; expected yes or no (true/false)";
                    return false;
                }
                break;
            case FactKind.Date:
                if (TryDate(text, out cell.Date)) break;
                error = $"fact {name} is '{text}'; expected a date yyyy-MM-dd";
                return false;
            default:
                cell.Member = fact is null ? -1 : MemberIndex(fact, text);
                break;
        }
        cell.Given = true;
        return true;
    }

    /// <summary>The place in the fact's members of the first whose key is <paramref name="key"/> (ordinal); -1 when none is.</summary>
    internal static int MemberIndex(Fact fact, ReadOnlySpan<char> key)
    {
        for (var i = 0; i < fact.Members.Count; i++)
            if (key.SequenceEqual(fact.Members[i].Key)) return i;
        return -1;
    }

    /// <summary>
    /// A JSON scalar as the fact's kind (numbers as their raw text). Facts the rule does not declare are passed
    /// on by their JSON kind so that the evaluator names them.
    /// </summary>
    public static FactValue? FromJson(Fact? fact, string name, JsonKind kind, ReadOnlySpan<char> text, out string? error)
    {
        error = NotGiven(fact, name);
        if (error is not null) return null;
        if (fact is not null && !Accepted(fact).Contains(kind))
        {
            error = $"fact {name} is {Describe(kind, text)}; expected {Expected(fact)}";
            return null;
        }
        switch (kind)
        {
            case JsonKind.Number:
                if (!TryExactDecimal(text, out var number, out var why))
                {
                    error = $"fact {name} is {text}: {why}";
                    return null;
                }
                // A level written as a number (5 for level "5") is its key.
                return fact?.Kind is FactKind.Level or FactKind.OneOf
                    ? FactValue.Member(number.ToString(CultureInfo.InvariantCulture))
                    : FactValue.Of(number);
            case JsonKind.Boolean:
                return FactValue.Of(text[0] == 't');
            case JsonKind.String:
                if (fact?.Kind == FactKind.Date)
                {
                    if (TryDate(text, out var d)) return FactValue.Of(d);
                    error = $"fact {name} is '{text}'; expected a date yyyy-MM-dd";
                    return null;
                }
                return FactValue.Member(text.ToString());
            default:
                error = $"fact {name} is {Describe(kind, text)}; expected a number, true/false or a string";
                return null;
        }
    }

    public static string Describe(JsonKind kind, ReadOnlySpan<char> text) => kind switch
    {
        JsonKind.String => $"the string \"{text}\"",
        JsonKind.Number => "the number " + text.ToString(),
        JsonKind.Boolean => text.ToString(),
        JsonKind.Null => "null",
        JsonKind.Object => "an object",
        _ => "an array",
    };

    /// <summary>
    /// Reads an invariant number ([sign] digits [. digits] [e|E [sign] digits]) into a decimal exactly: a value
    /// that a decimal cannot hold without rounding (more than 28 decimal places after the exponent, more than
    /// 96 bits of significant digits, a non-zero value below 1e-28) is refused with the reason, never rounded.
    /// Trailing zeros after the point do not count (1.50 is 1.5).
    /// </summary>
    public static bool TryExactDecimal(ReadOnlySpan<char> text, out decimal value, out string? why)
    {
        why = null;
        return TryPlainDecimal(text, out value) || TryAnyDecimal(text, out value, out why);
    }

    /// <summary>The cell most quantities are: 1 to 19 digits with at most one point, no sign or exponent, read as it comes
    /// into a 64-bit significand (the value and scale <see cref="TryAnyDecimal"/> gives: trailing zeros after the point
    /// dropped). False for any other text.</summary>
    internal static bool TryPlainDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0m;
        if (text.Length is 0 or > 20) return false;
        ulong significand = 0;
        var digits = 0;
        var scale = -1; // -1: no point yet
        foreach (var c in text)
        {
            var d = (uint)(c - '0');
            if (d <= 9)
            {
                significand = significand * 10 + d;
                digits++;
                if (scale >= 0) scale++;
            }
            else if (c == '.' && scale < 0) scale = 0;
            else return false;
        }
        if (digits is 0 or > 19) return false;
        if (scale < 0) scale = 0;
        while (scale > 0 && significand % 10 == 0) { significand /= 10; scale--; }
        value = new decimal((int)(uint)significand, (int)(uint)(significand >> 32), 0, false, (byte)scale);
        return true;
    }

    /// <summary><see cref="TryExactDecimal"/> of any text: sign, exponent, any number of digits.</summary>
    internal static bool TryAnyDecimal(ReadOnlySpan<char> text, out decimal value, out string? why)
    {
        value = 0m;
        why = null;
        var i = 0;
        var negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+')) { negative = text[i] == '-'; i++; }
        Span<char> digits = stackalloc char[64];
        var count = 0;          // significant digits kept (leading zeros dropped)
        var pointScale = 0;     // digits after the point (including dropped trailing zeros, corrected below)
        var anyDigit = false;
        var overflowDigits = false;
        var seenPoint = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                anyDigit = true;
                if (seenPoint) pointScale++;
                if (count == 0 && c == '0') continue;
                if (count == digits.Length) { overflowDigits = true; continue; }
                digits[count++] = c;
            }
            else if (c == '.' && !seenPoint) seenPoint = true;
            else break;
        }
        if (!anyDigit) return false;
        long exponent = 0;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            var expNegative = false;
            if (i < text.Length && (text[i] == '-' || text[i] == '+')) { expNegative = text[i] == '-'; i++; }
            var expStart = i;
            for (; i < text.Length && text[i] is >= '0' and <= '9'; i++)
                if (exponent < 100_000) exponent = exponent * 10 + (text[i] - '0');
            if (i == expStart) return false;
            if (expNegative) exponent = -exponent;
        }
        if (i != text.Length) return false;
        if (overflowDigits) { why = "more digits than a decimal holds"; return false; }
        if (count == 0) { value = 0m; return true; } // zero, whatever its exponent

        // Digits kept after the point: drop trailing zeros that come after the point.
        var significant = digits[..count];
        var scale = (long)pointScale - exponent;
        while (scale > 0 && significant.Length > 0 && significant[^1] == '0') { significant = significant[..^1]; scale--; }
        // The value is significant × 10^-scale.
        if (scale > 28) { why = "more decimal places than a decimal holds (28)"; return false; }
        if (scale < 0)
        {
            if (significant.Length - scale > 29) { why = "too large for a decimal"; return false; }
        }
        UInt128 mantissa = 0;
        foreach (var c in significant)
        {
            mantissa = mantissa * 10 + (uint)(c - '0');
            if (mantissa >> 96 != 0) { why = "more digits than a decimal holds"; return false; }
        }
        for (var z = scale; z < 0; z++)
        {
            mantissa *= 10;
            if (mantissa >> 96 != 0) { why = "too large for a decimal"; return false; }
        }
        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), negative, (byte)Math.Max(0, scale));
        return true;
    }
}

/// <summary>A fact's value read as a value (<see cref="FactParsing.TryCell"/>): the field of its kind is set; Given is false for
/// a fact not given.</summary>
internal struct FactCell
{
    public bool Given;
    public bool YesNo;
    public DateOnly Date;
    /// <summary>The member's place in the fact's members (-1: not a member).</summary>
    public int Member;
    public decimal Quantity;

    /// <summary>A fact value as a cell of the fact's kind; false when it is of another kind.</summary>
    public static bool Of(Fact fact, FactValue value, out FactCell cell)
    {
        cell = new FactCell { Given = true };
        switch (fact.Kind, value)
        {
            case (FactKind.Quantity, QuantityValue q): cell.Quantity = q.Value; return true;
            case (FactKind.YesNo, YesNoValue y): cell.YesNo = y.Value; return true;
            case (FactKind.Date, DateValue d): cell.Date = d.Value; return true;
            case (FactKind.Level or FactKind.OneOf, MemberValue m): cell.Member = FactParsing.MemberIndex(fact, m.Key); return true;
            default: cell = default; return false;
        }
    }
}
