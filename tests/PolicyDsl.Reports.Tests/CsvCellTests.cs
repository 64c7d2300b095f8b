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
        // Every power of ten a 64-bit significand holds, and its neighbours (where the digit count changes), at a few scales.
        for (ulong p = 1; p <= 10000000000000000000UL; p *= 10)
        {
            foreach (var v in new[] { p - 1, p, p + 1 })
                if (v > 0) { yield return new decimal((int)(uint)v, (int)(uint)(v >> 32), 0, false, 0); yield return new decimal((int)(uint)v, (int)(uint)(v >> 32), 0, true, 3); }
            if (p == 10000000000000000000UL) break;
        }
        // The longest texts of a 64-bit significand: every scale, both signs, the largest significand and the smallest.
        for (byte scale = 0; scale <= 28; scale++)
        {
            yield return new decimal(-1, -1, 0, true, scale); yield return new decimal(-1, -1, 0, false, scale);
            yield return new decimal(1, 0, 0, true, scale); yield return new decimal(10, 0, 0, false, scale);
        }
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
        foreach (var v in Values())
        {
            var w = new StringWriter();
            CsvAwardSink.Plain(w, v);
            Assert.Equal(Fmt.Plain(v), w.ToString());
        }
    }

    /// <summary>The runtime's number text (reports, traces, what bound a payment), made digit by digit, is the invariant
    /// custom format's, as characters and as ASCII bytes.</summary>
    [Fact]
    public void The_runtime_number_text_is_the_invariant_format()
    {
        Span<byte> bytes = stackalloc byte[PolicyDsl.Runtime.Award.MostNumberChars];
        foreach (var v in Values())
        {
            var expected = v.ToString("0.############################", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, PolicyDsl.Runtime.Award.FormatNumber(v));
            if (PolicyDsl.Runtime.Award.TryFormatNumber(v, bytes, out var n)) Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(bytes[..n]));
            else Assert.True(decimal.GetBits(v)[2] != 0, "only wide significands take the format");
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
        CsvAwardSink.Long(w, row);
        Assert.Equal(Fmt.Plain(row), w.ToString());
        var u = new Utf8TextWriter();
        CsvAwardSink.Long(u, row);
        Assert.Equal(Fmt.Plain(row), System.Text.Encoding.UTF8.GetString(u.Written));
    }

    /// <summary>The writer policyc eval renders into (UTF-8 bytes) gets the same cells as any other writer.</summary>
    [Fact]
    public void Decimal_cells_into_the_UTF8_writer_are_Fmt_Plain()
    {
        var u = new Utf8TextWriter();
        foreach (var v in Values())
        {
            u.Clear();
            CsvAwardSink.Plain(u, v);
            Assert.Equal(Fmt.Plain(v), System.Text.Encoding.UTF8.GetString(u.Written));
        }
    }

    /// <summary>Dates are written digit by digit: the invariant yyyy-MM-dd for every year a DateOnly holds, as a string
    /// (Fmt.Date) and as a cell.</summary>
    [Fact]
    public void Date_cells_are_Fmt_Date()
    {
        var random = new Random(18);
        var dates = new List<DateOnly> { DateOnly.MinValue, DateOnly.MaxValue, new(2026, 1, 5), new(999, 12, 31), new(10, 2, 28) };
        for (var i = 0; i < 20000; i++) dates.Add(DateOnly.FromDayNumber(random.Next(DateOnly.MaxValue.DayNumber + 1)));
        foreach (var d in dates)
        {
            var expected = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, Fmt.Date(d));
            var w = new StringWriter();
            CsvAwardSink.Date(w, d);
            Assert.Equal(expected, w.ToString());
            var u = new Utf8TextWriter();
            CsvAwardSink.Date(u, d);
            Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(u.Written));
        }
    }
}

/// <summary>
/// policyc eval renders into its UTF-8 buffer through direct calls and a per-thread table of the bytes of texts that repeat;
/// any other writer gets text. Both must write the same characters, for cells that need quoting, formula guards, CJK text,
/// payer names that make the joined cell need quotes, and a text seen again after its table slot went to another.
/// </summary>
public sealed class CsvSinkWriterTests
{
    private static EnterpriseBlock Block(string enterprise, int rows, Random random)
    {
        string[] texts = ["plain", "with,comma", "with \"quote\"", "=1+2", "-1.5", "+x", "@x", "区财政", "line\nbreak", "tab\tin", "", "E-001"];
        var rule = new PolicyDsl.Runtime.AwardRule("rule_a", "原文", true, 10000m, " points per enterprise", " points per project");
        var list = new List<RowResult>();
        for (var i = 0; i < rows; i++)
        {
            var pick = () => texts[random.Next(texts.Length)];
            var award = random.Next(3) switch
            {
                0 => PolicyDsl.Runtime.Award.Paid(rule, random.Next(1000) / 7m, 1 + random.Next(2), random.Next(100) / 3m),
                1 => PolicyDsl.Runtime.Award.Paid(rule, 0m, 0, 0m),
                _ => PolicyDsl.Runtime.Award.Failed(rule, "requires " + pick()),
            };
            // New string objects for the same text now and then: the table is keyed by the object.
            var payer = random.Next(4) == 0 ? new string(pick().AsSpan()) : pick();
            var payers = new List<PolicyDsl.Runtime.PayerShare> { new(payer, award.Amount) };
            if (random.Next(3) == 0) payers.Add(new PolicyDsl.Runtime.PayerShare(pick(), -0.00m));
            var result = new PolicyDsl.Runtime.ApplicationResult(pick() + i, enterprise, "rule_a", award, award.Amount, random.Next(2) == 0 ? null : pick(), payers, []);
            list.Add(random.Next(8) == 0
                ? new RejectedRow(i + 2, "line " + (i + 2), pick(), enterprise, pick(), "why, " + pick())
                : new SettledRow(i + 2, "line " + (i + 2), pick() + "-" + i, enterprise, random.Next(2) == 0 ? "rule_a" : pick(), new DateOnly(2026, 1, 1).AddDays(i), result));
        }
        return new EnterpriseBlock(enterprise, list, new EnterpriseTotals(enterprise, [new YearPaid(2026, 12.5m), new YearPaid(2027, 0m)], 12.5m));
    }

    [Fact]
    public void The_UTF8_buffer_gets_the_text_any_writer_gets()
    {
        var random = new Random(18);
        var sink = new CsvAwardSink(TextWriter.Null);
        var u = new Utf8TextWriter();
        // Many texts through one thread's table: slots are reused by other texts, then the first ones come back.
        for (var round = 0; round < 300; round++)
        {
            var enterprise = round % 5 == 0 ? "=企业," + round : "E" + round;
            var block = Block(enterprise, 1 + random.Next(12), random);
            var text = new StringWriter();
            sink.Enterprise(text, block);
            u.Clear();
            sink.Enterprise(u, block);
            Assert.Equal(text.ToString(), System.Text.Encoding.UTF8.GetString(u.Written));
        }
    }
}
