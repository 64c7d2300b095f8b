using System.Text;

namespace PolicyDsl.Hardening.Tests;

/// <summary>Inputs whose size explodes combinatorially: many-key tables and parameters, many members, long chains of rules.</summary>
public sealed class CombinatorialTests
{
    private static string Policy(int dims, int members, string kind)
    {
        var b = new StringBuilder("policy Combo \"组合\"\n  effective 2026-01-01 through 2026-12-31\n  points worth at most 10000 yuan\n\nsection 1 \"章\" department \"部门\"\n  clause 1 \"条\"\n    rule combo \"组合\"\n");
        for (var d = 0; d < dims; d++)
        {
            b.Append("      fact f").Append(d).Append(": one of ").Append(string.Join(", ", Enumerable.Range(0, members).Select(m => "m" + m))).Append('\n');
        }
        var keys = string.Join(", ", Enumerable.Range(0, dims).Select(d => "f" + d));
        if (kind == "param")
        {
            b.Append("      param p[").Append(keys).Append("]: points at most 1 points\n      award p[").Append(keys).Append("]\n");
        }
        else
        {
            b.Append("      table t[").Append(keys).Append("]: points\n");
            b.Append("        case ").Append(string.Join(", ", Enumerable.Repeat("m0", dims))).Append(" = 1 points\n");
            b.Append("      award t[").Append(keys).Append("]\n");
        }
        b.Append("      cap 1 points\n");
        return b.ToString();
    }

    [Theory]
    [InlineData("param", 6, 10)]   // 10^6 key combinations
    [InlineData("param", 8, 10)]   // 10^8
    [InlineData("table", 8, 10)]
    [InlineData("param", 20, 20)]  // 20^20
    [InlineData("table", 20, 20)]
    public void Many_key_combinations_finish_with_a_bounded_number_of_diagnostics(string kind, int dims, int members)
    {
        var text = Policy(dims, members, kind);
        var sw = Harness.Time();
        var result = Harness.WithinTimeout(() => Harness.RunAll(text, generator: false), TimeSpan.FromSeconds(60));
        // Regression: the parameter hung the emitter (10^8 cells enumerated), the table's missing cases went unreported.
        var error = Assert.Single(result.Checked.Errors);
        Assert.Equal("PDSL0310", error.Id);
        Assert.Contains("more than 100,000 key combinations", error.Message, StringComparison.Ordinal);
        Assert.Equal(kind == "param" ? "p" : "t", text.Substring(error.Span.Start, error.Span.Length));
        Assert.True(result.Checked.Diagnostics.Count <= 1000, $"{result.Checked.Diagnostics.Count} diagnostics");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
    }
}
