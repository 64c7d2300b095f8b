using System.Globalization;

namespace PolicyDsl.Runtime;

/// <summary>§16: an application dated outside the policy's validity window, or its rule's, is not paid. The one place that
/// decides it and words the reason (the interpreter, generated code and <c>policyc eval</c> all ask here).</summary>
public static class Validity
{
    /// <summary>Why an application so dated is not paid, or null when the date is inside both windows (a window with a
    /// missing end is no window). The policy's window is tested first.</summary>
    public static string? Reason(DateOnly date, DateOnly? policyFrom, DateOnly? policyThrough, DateOnly? ruleFrom, DateOnly? ruleThrough) =>
        Outside(date, policyFrom, policyThrough) ? Text(date, "policy", policyFrom!.Value, policyThrough!.Value)
        : Outside(date, ruleFrom, ruleThrough) ? Text(date, "rule", ruleFrom!.Value, ruleThrough!.Value)
        : null;

    /// <summary>
    /// The same for an application of a rule: a rule that qualifies by an event's date — its event window's (§27.1) or its
    /// 'qualifies on' date (§27.12), a condition of the rule — is not held to the validity by the application's date (its
    /// yearly awards or later instalments may be paid past the end).
    /// </summary>
    public static string? Reason(DateOnly date, bool qualifiesByEvent, DateOnly? policyFrom, DateOnly? policyThrough, DateOnly? ruleFrom, DateOnly? ruleThrough) =>
        qualifiesByEvent ? null : Reason(date, policyFrom, policyThrough, ruleFrom, ruleThrough);

    private static bool Outside(DateOnly date, DateOnly? from, DateOnly? through) =>
        from is { } f && through is { } t && (date < f || date > t);

    private static string Text(DateOnly date, string whose, DateOnly from, DateOnly through) =>
        "dated " + Date(date) + ", outside the " + whose + "'s validity " + Date(from) +
        // §30.3: an open-ended validity (自发布之日起施行, no end) ends on the last date there is.
        (through == DateOnly.MaxValue ? " onwards (no end)" : " through " + Date(through));

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
