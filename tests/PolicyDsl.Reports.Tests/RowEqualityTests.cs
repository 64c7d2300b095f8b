using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>A row that makes its "line N" label only when asked equals the same row given the label: records compare what a
/// reader sees, not how the label is kept.</summary>
public sealed class RowEqualityTests
{
    private static readonly PolicyDsl.Runtime.ApplicationResult Result = new("A-1", "E-1", "rule_a",
        PolicyDsl.Runtime.Award.Paid(new PolicyDsl.Runtime.AwardRule("rule_a", "原文", true, null, " points per project"), 5m, 1, 5m), 5m, null,
        [new PolicyDsl.Runtime.PayerShare("区财政", 5m)], []);

    [Fact]
    public void A_settled_row_with_a_lazy_label_equals_one_given_the_label()
    {
        var source = new UnreadableRow(7, "line 7", null, "not read");
        var lazy = new SettledRow(source, "A-1", "E-1", "rule_a", new DateOnly(2026, 3, 1), Result);
        var given = new SettledRow(7, "line 7", "A-1", "E-1", "rule_a", new DateOnly(2026, 3, 1), Result);
        Assert.Equal(given, lazy);
        Assert.Equal(lazy, given);
        Assert.True(((RowResult)lazy).Equals(given));
        Assert.Equal(given.GetHashCode(), lazy.GetHashCode());
        Assert.NotEqual(given, given with { RowLabel = "line 8" });
        Assert.NotEqual(given, given with { Id = "A-2" });
    }

    [Fact]
    public void A_bound_row_equals_itself_whether_or_not_its_label_was_made()
    {
        var made = new object();
        var rule = Support.Sample.Rules.First();
        BoundRow Row() => new(12, "A-1", "E-1", rule, new DateOnly(2026, 3, 1), null, null, false, null!, made);
        var asked = Row();
        _ = asked.RowLabel; // made now
        Assert.Equal(Row(), asked);
        Assert.Equal(Row().GetHashCode(), asked.GetHashCode());
        Assert.Equal("line 12", asked.RowLabel);
    }
}
