using System.Text.Json;

namespace PolicyDsl.Reports.Tests;

/// <summary>§30 through policyc eval (running totals across an enterprise's applications): a financial year from 1 July, caps
/// per 3 fixed and per any 3 years, window years counted in financial years, a rule with its own calendar year and an
/// open-ended validity — the same paid amounts by compiled rules and by the interpreter. The expectations are worked out
/// by hand in the comments (tests/corpus/calendar: policy.policy and applications.json).</summary>
public sealed class CalendarEvalTests
{
    private static Dictionary<string, JsonElement> Run(bool interpret, out JsonElement root)
    {
        var dir = Path.Combine(Support.Root, "tests/corpus/calendar");
        var args = new List<string> { "eval", Path.Combine(dir, "policy.policy"), "--applications", Path.Combine(dir, "applications.json"), "--format", "json" };
        if (interpret) args.Add("--interpret");
        var (_, output, _) = Support.Policyc(args.ToArray());
        root = JsonDocument.Parse(output).RootElement.Clone();
        return root.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Financial_years_and_three_year_caps_pay_what_was_worked_out_by_hand(bool interpret)
    {
        var rows = Run(interpret, out var root);
        decimal Paid(string id) => rows[id].GetProperty("paid").GetDecimal();

        // Per financial year (cap 100万 per enterprise per year, year from 1 July): F1 2025-03-01 and F2 2025-06-30 are both in
        // year 2024 (2024-07-01..2025-06-30): 80万, then 50万 of which 100万 − 80万 = 20万 is left. F3 2025-07-01 opens year
        // 2025: 50万 (a calendar year would have paid 0: 2025 already held 100万).
        Assert.Equal([800000m, 200000m, 500000m], [Paid("F1"), Paid("F2"), Paid("F3")]);

        // Fixed blocks of 3 years from the validity's first year 2024: 2024-2026, 2027-2029. Each award 10% of investment,
        // at most 200万 per application. B1 (year 2024) 200万; B2 (2026) 100万, left 300 − 200 = 100万; B3 (2027, new block)
        // 200万; B4 (2028) 200万 asked, left 300 − 200 = 100万. Total 600万.
        Assert.Equal([2000000m, 1000000m, 2000000m, 1000000m], [Paid("B1"), Paid("B2"), Paid("B3"), Paid("B4")]);

        // The same applications over any 3 consecutive years: R1 200万; R2 (2026): window 2024-2026 holds 200万, 100万 left,
        // pays 100万; R3 (2027): the fullest window holding 2027 is 2025-2027 or 2026-2028 with 100万, 200万 left, pays 200万;
        // R4 (2028): window 2026-2028 holds 100 + 200 = 300万, nothing left, pays 0. Total 500万.
        Assert.Equal([2000000m, 1000000m, 2000000m, 0m], [Paid("R1"), Paid("R2"), Paid("R3"), Paid("R4")]);
        Assert.Contains("2026-2028 (any 3 years)", rows["R4"].GetProperty("boundBy").GetString());

        // Window from the (financial) year of 2025-09-01: year 1 is 2025-07-01..2026-06-30. W1 2026-06-30: year 1, 50% of
        // 10万 = 5万; W2 2026-07-01: year 2, 30% = 3万; W3 2028-07-01: year 4, outside the 3-year window, 0.
        Assert.Equal([50000m, 30000m, 0m], [Paid("W1"), Paid("W2"), Paid("W3")]);

        // A rule with its own calendar year (year starts 01-01): C1 2025-03-01 and C2 2025-09-01 are in calendar 2025 although in
        // two financial years: 6万, then 10 − 6 = 4万.
        Assert.Equal([60000m, 40000m], [Paid("C1"), Paid("C2")]);

        // Open-ended validity from 2024-07-01: before it rejected, decades later still paid.
        Assert.Equal("rejected", rows["V1"].GetProperty("status").GetString());
        Assert.Contains("2024-07-01 onwards (no end)", rows["V1"].GetProperty("reason").GetString());
        Assert.Equal(60000m, Paid("V2"));

        // The enterprise's yearly totals are per financial year: E1 year 2024 100万, year 2025 50万.
        var e1 = root.GetProperty("enterprises").EnumerateArray().Single(e => e.GetProperty("enterprise").GetString() == "E1");
        Assert.Equal([(2024, 1000000m), (2025, 500000m)],
            e1.GetProperty("years").EnumerateArray().Select(y => (y.GetProperty("year").GetInt32(), y.GetProperty("paid").GetDecimal())).ToArray());
    }

    [Fact]
    public void Compiled_and_interpreted_output_are_the_same_bytes()
    {
        Run(false, out var compiled);
        Run(true, out var interpreted);
        Assert.Equal(compiled.GetRawText(), interpreted.GetRawText());
    }
}
