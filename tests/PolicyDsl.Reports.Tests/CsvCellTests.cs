using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// The CSV sink writes numbers straight into its writer; what it writes must be Fmt.Plain's text exactly, for
/// every scale, sign and size of decimal, negative zero and row numbers included.
/// </summary>
public sealed class CsvCellTests
{
    private static IEnumerable<decimal> Values()
    {
        yield return 0m; yield return -0m; yield return 0.000m; yield return -0.00m; yield return 1m; yield return -1m;
        yield return 1.50m; yield return 100m; yield return 100.000m; yield return 0.0001m; yield return -0.10m;
        yield return decimal.MaxValue; yield return decimal.MinValue; yield return 0.0000000000000000000000000001m;
        yield return 79228162514264337593543950335m / 1000000m;
        var random = new Random(18);
        for (var i = 0; i < 20000; i++)
        {
            var d = new decimal(random.Next(), random.Next(), random.Next(3) == 0 ? random.Next() : 0, random.Next(2) == 0, (byte)random.Next(29));
            yield return d;
            yield return Math.Round(d, random.Next(6));
        }
    }

    [Fact]
    public void Decimal_cells_are_Fmt_Plain()
    {
        Span<char> buf = stackalloc char[64];
        foreach (var v in Values())
        {
            var w = new StringWriter();
            CsvAwardSink.Plain(w, v, buf);
            Assert.Equal(Fmt.Plain(v), w.ToString());
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(1000000L)]
    [InlineData(long.MaxValue)]
    [InlineData(-1L)]
    public void Row_cells_are_Fmt_Plain(long row)
    {
        var w = new StringWriter();
        CsvAwardSink.Long(w, row, stackalloc char[64]);
        Assert.Equal(Fmt.Plain(row), w.ToString());
        var u = new Utf8TextWriter();
        CsvAwardSink.Long(u, row, stackalloc char[64]);
        Assert.Equal(Fmt.Plain(row), System.Text.Encoding.UTF8.GetString(u.Written));
    }

    /// <summary>The writer policyc eval renders into (UTF-8 bytes) gets the same cells as any other writer.</summary>
    [Fact]
    public void Decimal_cells_into_the_UTF8_writer_are_Fmt_Plain()
    {
        Span<char> buf = stackalloc char[64];
        var u = new Utf8TextWriter();
        foreach (var v in Values())
        {
            u.Clear();
            CsvAwardSink.Plain(u, v, buf);
            Assert.Equal(Fmt.Plain(v), System.Text.Encoding.UTF8.GetString(u.Written));
        }
    }

    /// <summary>Dates are written digit by digit: the invariant yyyy-MM-dd for every year a DateOnly holds, as a string
    /// (Fmt.Date) and as a cell.</summary>
    [Fact]
    public void Date_cells_are_Fmt_Date()
    {
        Span<char> buf = stackalloc char[64];
        var random = new Random(18);
        var dates = new List<DateOnly> { DateOnly.MinValue, DateOnly.MaxValue, new(2026, 1, 5), new(999, 12, 31), new(10, 2, 28) };
        for (var i = 0; i < 20000; i++) dates.Add(DateOnly.FromDayNumber(random.Next(DateOnly.MaxValue.DayNumber + 1)));
        foreach (var d in dates)
        {
            var expected = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, Fmt.Date(d));
            var w = new StringWriter();
            CsvAwardSink.Date(w, d, buf);
            Assert.Equal(expected, w.ToString());
        }
    }
}
