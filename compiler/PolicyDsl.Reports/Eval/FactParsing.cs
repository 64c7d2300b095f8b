using System.Globalization;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>How text and JSON values become fact values, guided by the fact's declared kind when the rule is known.</summary>
internal static class FactParsing
{
    public static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>A CSV cell as the fact's kind; an error message when it is not of that kind.</summary>
    public static (FactValue? Value, string? Error) FromText(Fact? fact, string name, string text)
    {
        switch (fact?.Kind)
        {
            case FactKind.Quantity:
                return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var q)
                    ? (FactValue.Of(q), null)
                    : (null, $"fact {name} is '{text}'; expected a quantity in {fact.Unit}");
            case FactKind.YesNo:
                return text.ToLowerInvariant() switch
                {
                    "true" or "yes" => (FactValue.Of(true), null),
                    "false" or "no" => (FactValue.Of(false), null),
                    _ => (null, $"fact {name} is '{text}'; expected yes or no (true/false)"),
                };
            case FactKind.Date:
                return TryDate(text, out var d) ? (FactValue.Of(d), null) : (null, $"fact {name} is '{text}'; expected a date yyyy-MM-dd");
            case FactKind.Level or FactKind.OneOf:
                return (FactValue.Member(text), null); // the evaluator checks membership
            default:
                // Not a fact of the rule (or no rule): pass it on and let the evaluator say so.
                return (FactValue.Member(text), null);
        }
    }
}
