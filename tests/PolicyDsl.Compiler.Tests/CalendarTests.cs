using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>
/// docs/semantics.md §30: years that are not calendar years, caps over N years and open-ended validity — what the checker
/// rejects, and what the runtime's YearStart / CapLedger decide, each against a hand-worked value.
/// </summary>
public sealed class CalendarTests
{
    private static string Policy(string rule, string header = "  effective 2024-07-01 through 2030-06-30\n") =>
        "policy Demo \"示例\"\n" + header + "section 1 \"s\"\n  clause 1 \"c\"\n    rule r\n" +
        string.Join("\n", rule.Replace("\r\n", "\n").Split('\n').Select(l => "      " + l)) + "\n";

    private static string[] Ids(string text) => TestFiles.Compile(text).Diagnostics.Select(d => d.Id).ToArray();

    private const string Investment = "fact investment: yuan\naward 10% of investment\ncap 2000000 yuan per application\n";

    [Theory]
    [InlineData("cap 3000000 yuan per 3 years", "PDSL0321")]                          // no scope: nothing to keep a total in
    [InlineData("cap 3000000 yuan per enterprise per 1 years", "PDSL0161")]
    [InlineData("cap 3000000 yuan per enterprise per 101 years", "PDSL0161")]
    [InlineData("cap 3000000 yuan per enterprise per 3 years rolling from 2024", "PDSL0162")]
    [InlineData("cap 3000000 yuan per enterprise per 3 years from 0", "PDSL0164")]
    [InlineData("cap 4000000 yuan per enterprise per year\ncap 3000000 yuan per enterprise per 3 years", "PDSL0303")] // can never bind
    public void Misused_n_year_caps_are_reported(string cap, string id) =>
        Assert.Contains(id, Ids(Policy(Investment + cap)));

    [Theory]
    [InlineData("year starts 02-29")]
    [InlineData("year starts 04-31")]
    [InlineData("year starts 13-01")]
    [InlineData("年度 自 2 月 30 日 起")]
    public void A_year_starting_on_a_day_not_every_year_has_is_PDSL0160(string line) =>
        Assert.Equal(["PDSL0160"], Ids(Policy("fact listed: yes/no\nrequires listed\naward 10 yuan", "  effective 2024-07-01 through 2030-06-30\n  " + line + "\n")));

    [Fact]
    public void An_open_rule_validity_in_a_policy_with_an_end_is_outside_it() =>
        Assert.Contains("PDSL0503", Ids(Policy("fact listed: yes/no\naward 10 yuan\neffective 2025-01-01 onwards")));

    [Fact]
    public void An_open_validity_has_a_start_and_no_end()
    {
        var result = TestFiles.Compile(Policy("fact listed: yes/no\nrequires listed\naward 10 yuan", "  有效期 2024-07-01 起施行\n"));
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        var policy = result.Policy!;
        Assert.Equal(new DateRange(new DateOnly(2024, 7, 1), DateOnly.MaxValue, Open: true), policy.Validity);
        var facts = Facts.Empty.With("listed", FactValue.Of(true));
        Assert.Equal(0m, RuleEvaluator.Evaluate(policy, policy.FindRule("r")!, facts, new DateOnly(2024, 6, 30)).Amount);
        Assert.Equal(10m, RuleEvaluator.Evaluate(policy, policy.FindRule("r")!, facts, new DateOnly(2099, 12, 31)).Amount);
        Assert.Equal("dated 2024-06-30, outside the policy's validity 2024-07-01 onwards (no end)",
            Runtime.Validity.Reason(new DateOnly(2024, 6, 30), policy.Validity!.From, policy.Validity.Through, null, null));
    }

    [Fact]
    public void Fixed_blocks_start_in_the_year_the_validity_starts_in_the_policys_year()
    {
        // Validity from 2024-03-01 with years from 1 July: 2024-03-01 lies in year 2023, so blocks are 2023-2025, 2026-2028.
        var policy = TestFiles.Compile(Policy(Investment + "cap 3000000 yuan per enterprise per 3 years",
            "  effective 2024-03-01 through 2030-06-30\n  year starts 07-01\n")).Policy!;
        var cap = policy.FindRule("r")!.Caps[1];
        Assert.Equal((Runtime.CapPeriod.Years, 3, false, 2023), (cap.Period, cap.Years, cap.Rolling, cap.FromYear));
        Assert.Equal(new Runtime.YearStart(7, 1), policy.FindRule("r")!.YearStart);
    }

    [Theory]
    [InlineData("2026-06-30", 2025)]
    [InlineData("2026-07-01", 2026)]
    [InlineData("2026-01-01", 2025)]
    [InlineData("2026-12-31", 2026)]
    public void A_date_falls_in_the_year_that_started_before_it(string date, int year) =>
        Assert.Equal(year, new Runtime.YearStart(7, 1).YearOf(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(2024, 2024, 3, 2024)]
    [InlineData(2026, 2024, 3, 2024)]
    [InlineData(2027, 2024, 3, 2027)]
    [InlineData(2023, 2024, 3, 2021)] // blocks run back before the first year too
    [InlineData(2021, 2024, 3, 2021)]
    [InlineData(2020, 2024, 3, 2018)]
    public void Fixed_blocks_are_aligned_on_the_first_year(int year, int from, int years, int first) =>
        Assert.Equal(first, Runtime.CapLedger.BlockStart(year, from, years));

    [Fact]
    public void A_rolling_total_takes_the_fullest_run_containing_the_year_whatever_the_order()
    {
        // Paid 600 in 2028 first, then an application of 2026: the run 2026-2028 already holds 600 of 1000, so 400 is left,
        // although the run ending in 2026 holds nothing (a later year's payment still counts).
        var rule = new Runtime.RuleInfo("r", null, 1, "", [new Runtime.CapInfo(1000m, Runtime.CapScope.Enterprise, Runtime.CapPeriod.Years, "", Years: 3, Rolling: true)],
            1000m, 1000m);
        var terms = new Runtime.PolicyTerms("yuan", null, null, false, [], [], null);
        var ledger = new Runtime.CapLedger();
        Runtime.ApplicationHeader App(int year) => new("a", "E", new DateOnly(year, 5, 1), null, null, false);
        var keys = new List<Runtime.RunningTotal>();
        Assert.Equal(600m, ledger.Left(rule, App(2028), 600m, _ => 1000m, terms, keys, []));
        ledger.Record(keys, 600m);
        Assert.Equal(["r/enterprise:E/2028"], keys.Select(k => k.ToString()));
        var trace = new List<Runtime.TraceStep>();
        Assert.Equal(400m, ledger.Left(rule, App(2026), 900m, _ => 1000m, terms, [], trace));
        Assert.Equal("running total r/enterprise:E/2026-2028 (any 3 years): 600 yuan used of 1000 yuan", trace[0].Description);
        // 2025 shares no run of 3 years with 2028 (2025-2027 is the fullest containing 2025, empty).
        Assert.Equal(900m, ledger.Left(rule, App(2025), 900m, _ => 1000m, terms, [], []));
    }

    /// <summary>A ledger keeps an enterprise's few totals in a list and moves them to a dictionary past 16: what it
    /// holds is what a dictionary of the same additions holds, before and after the move, and after Clear.</summary>
    [Fact]
    public void The_ledger_holds_every_total_it_was_given_however_many()
    {
        var random = new Random(30);
        var ledger = new Runtime.CapLedger();
        for (var round = 0; round < 3; round++)
        {
            var model = new Dictionary<string, decimal>();
            var keys = Enumerable.Range(0, 40).Select(i => new Runtime.RunningTotal("rule" + i % 3, Runtime.CapScope.Enterprise, "E" + i / 3, i % 2 == 0 ? null : 2026 + i % 4)).ToArray();
            for (var step = 0; step < 400; step++)
            {
                // Keys made anew (equal, not the same strings) as often as reused.
                var k = keys[random.Next(round == 0 ? 10 : keys.Length)];
                if (random.Next(2) == 0) k = new Runtime.RunningTotal(new string(k.Name.AsSpan()), k.Scope, new string(k.ScopeKey.AsSpan()), k.First == 0 ? null : k.First);
                var amount = random.Next(1000) / 100m;
                ledger.Add(k, amount);
                model[k.ToString()] = model.GetValueOrDefault(k.ToString()) + amount;
                foreach (var key in keys) Assert.Equal(model.GetValueOrDefault(key.ToString()), ledger.Used(key));
            }
            ledger.Clear();
            foreach (var key in keys) Assert.Equal(0m, ledger.Used(key));
        }
    }
}
