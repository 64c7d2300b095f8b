using System.Text.Json;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// Hostile applications files (issue 12): every record is either evaluated or rejected with its row and
/// reason, never lost, never a crash, never silently read as something else.
/// </summary>
public sealed class HostileApplicationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // A fact bounded "at most 105" and a per-project cap of 200 points.
    private const string Bounded = """
        policy Bounded "bounded facts"
          effective 2026-01-01 through 2026-12-31
          points worth at most 10000 yuan
        section 1 "S" department "D"
          clause 1 "C"
            rule r "R"
              fact area: m2 at most 105 "area"
              fact eligible: yes/no "eligible"
              requires eligible
              award 1 points per 1 m2 of area
              cap 200 points per project
        """;

    private static (int Code, JsonDocument Json, string Err) Eval(string policy, string applications, params string[] extra)
    {
        var (code, output, error) = Support.Policyc(["eval", policy, "--applications", applications, "--format", "json", .. extra]);
        return (code, JsonDocument.Parse(output), error);
    }

    private (int Code, Dictionary<long, JsonElement> Rows, JsonDocument Json, string Err) EvalBounded(string name, string text)
    {
        var policy = _dir.Write("bounded.policy", Bounded);
        var (code, json, err) = Eval(policy, _dir.Write(name, text));
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("row").GetInt64());
        return (code, rows, json, err);
    }

    private static string Status(JsonElement row) => row.GetProperty("status").GetString()!;

    private static string Reason(JsonElement row) => row.GetProperty("reason").GetString()!;

    private const string Header = "id,enterprise,rule,date,subject,location,funded_by_higher_level,fact.area,fact.eligible\n";

    [Fact]
    public void Two_csv_columns_for_one_fact_are_a_clear_header_error()
    {
        var (code, _, err) = Support.Policyc("eval", _dir.Write("b.policy", Bounded), "--applications",
            _dir.Write("twice.csv", "id,enterprise,rule,date,fact.area,fact.area\nA,E,r,2026-02-01,1,2\n"));
        Assert.Equal(2, code);
        Assert.Contains("fact.area more than once", err);
    }

    [Fact]
    public void A_json_fact_given_twice_is_a_rejected_row_and_the_others_are_evaluated()
    {
        var (code, rows, _, _) = EvalBounded("dup.json", """
            {"applications": [
              {"id": "A", "enterprise": "E1", "rule": "r", "date": "2026-02-01", "facts": {"area": 10, "area": 20, "eligible": true}},
              {"id": "B", "enterprise": "E2", "rule": "r", "date": "2026-02-01", "id": "B2", "facts": {"area": 10, "eligible": true}},
              {"id": "C", "enterprise": "E3", "rule": "r", "date": "2026-02-01", "facts": {"area": 10, "eligible": true}}
            ]}
            """);
        Assert.Equal(1, code);
        Assert.Contains("fact area is given twice", Reason(rows[0]));
        Assert.Contains("\"id\" is given twice", Reason(rows[1]));
        Assert.Equal("evaluated", Status(rows[2]));
        Assert.Equal(10m, rows[2].GetProperty("paid").GetDecimal());
    }

    [Fact]
    public void An_escaped_lone_surrogate_is_a_rejected_row_that_keeps_its_enterprise()
    {
        var (code, rows, _, _) = EvalBounded("surrogate.json", """
            {"applications": [
              {"enterprise": "E1", "rule": "r", "id": "A\ud800", "date": "2026-02-01", "facts": {"area": 10, "eligible": true}},
              {"id": "B", "enterprise": "E2", "rule": "r", "date": "2026-02-01", "facts": {"area": 10, "eligible": true}}
            ]}
            """);
        Assert.Equal(1, code);
        Assert.Equal("rejected", Status(rows[0]));
        Assert.Contains("unpaired surrogate", Reason(rows[0]));
        Assert.Equal("E1", rows[0].GetProperty("enterprise").GetString());
        Assert.Equal("evaluated", Status(rows[1]));
    }

    [Fact]
    public void Fields_of_the_wrong_json_type_are_rejected_with_reasons()
    {
        var (code, rows, _, _) = EvalBounded("types.json", """
            {"applications": [
              {"id": "A", "enterprise": "E1", "rule": "r", "date": "2026-02-01", "subject": 42, "facts": {"area": 100, "eligible": true}},
              {"id": "B", "enterprise": "E1", "rule": "r", "date": "2026-02-01", "subject": 42, "facts": {"area": 100, "eligible": true}},
              {"id": "C", "enterprise": "E2", "rule": "r", "date": "2026-02-01", "fundedByHigherLevelPolicy": "true", "facts": {"area": 1, "eligible": true}},
              {"id": "D", "enterprise": "E3", "rule": "r", "date": "2026-02-01", "location": ["x"], "facts": {"area": 1, "eligible": true}},
              {"id": "E", "enterprise": "E4", "rule": "r", "date": "2026-02-01", "facts": {"area": "100", "eligible": "yes"}},
              {"id": "F", "enterprise": "E5", "rule": "r", "date": "2026-02-01", "facts": {"area": 1, "eligible": true}}
            ]}
            """);
        Assert.Equal(1, code);
        Assert.Contains("\"subject\" is the number 42; expected a string", Reason(rows[0]));
        Assert.Contains("\"subject\" is the number 42; expected a string", Reason(rows[1]));
        Assert.Contains("\"fundedByHigherLevelPolicy\" is a string; expected true or false", Reason(rows[2]));
        Assert.Contains("\"location\" is an array; expected a string", Reason(rows[3]));
        Assert.Contains("fact area is the string \"100\"; expected a number", Reason(rows[4]));
        Assert.Contains("fact eligible is the string \"yes\"; expected true or false", Reason(rows[4])); // every problem of the row
        Assert.Equal("E1", rows[0].GetProperty("enterprise").GetString());
        Assert.Equal("r", rows[0].GetProperty("rule").GetString());
        Assert.Equal("evaluated", Status(rows[5]));
    }

    [Theory]
    [InlineData("{\"applications\": [ROWS]}\n{\"applications\": []}", "a file holds one document")]
    [InlineData("{\"applications\": [ROWS]} trailing", "a file holds one document")]
    [InlineData("{\"applications\": [ROWS]}}", "a file holds one document")]
    [InlineData("{\"applications\": [ROWS, {\"id\": \"X\"", "the file ends inside application index 2")]
    public void A_json_file_that_is_not_one_document_exits_2_and_keeps_the_rows_before(string shape, string reason)
    {
        const string row = "{\"id\": \"A\", \"enterprise\": \"E1\", \"rule\": \"r\", \"date\": \"2026-02-01\", \"facts\": {\"area\": 10, \"eligible\": true}}";
        var (code, rows, json, err) = EvalBounded("shape.json", shape.Replace("ROWS", row + ",\n" + row.Replace("\"A\"", "\"B\"")));
        Assert.Equal(2, code);
        Assert.Contains(reason, err);
        Assert.Equal("evaluated", Status(rows[0]));
        Assert.Equal("evaluated", Status(rows[1]));
        Assert.Contains(reason, json.RootElement.GetProperty("summary").GetProperty("malformed").GetString());
    }

    [Theory]
    [InlineData("{\"id\": \"X\", \"enterprise\": \"E9\", \"rule\": \"r\", \"date\": \"2026-02-01\", \"facts\": {\"area\": 10, \"eligible\": true},}", "not valid JSON")]
    [InlineData("{\"id\": \"X\", \"enterprise\": \"E9\", \"rule\": \"r\", /* } ] */ \"date\": \"2026-02-01\", \"facts\": {\"area\": 10}}", "not valid JSON")]
    [InlineData("{\"id\": \"X\", \"enterprise\": \"E9\", \"rule\": \"r\", \"date\": \"2026-02-01\", \"deep\": DEEP, \"facts\": {}}", "not valid JSON")]
    [InlineData("[1, 2]", "an application must be an object")]
    public void A_broken_element_is_one_rejected_row_and_the_rows_around_it_are_evaluated(string broken, string reason)
    {
        broken = broken.Replace("DEEP", new string('[', 10_000) + new string(']', 10_000));
        const string row = "{\"id\": \"ID\", \"enterprise\": \"ENT\", \"rule\": \"r\", \"date\": \"2026-02-01\", \"facts\": {\"area\": 10, \"eligible\": true}}";
        var (code, rows, json, _) = EvalBounded("broken.json",
            "{\"applications\": [\n" + row.Replace("ID", "A").Replace("ENT", "E1") + ",\n" + broken + ",\n" + row.Replace("ID", "C").Replace("ENT", "E3") + "\n]}");
        Assert.Equal(1, code);
        Assert.Equal(3, rows.Count);
        Assert.Equal("evaluated", Status(rows[0]));
        Assert.Equal("rejected", Status(rows[1]));
        Assert.Contains(reason, Reason(rows[1]));
        Assert.Contains("line 3", Reason(rows[1]));
        Assert.Equal("evaluated", Status(rows[2]));
        Assert.Equal(2, json.RootElement.GetProperty("summary").GetProperty("evaluated").GetInt64());
    }

    [Fact]
    public void An_unterminated_csv_quote_costs_one_row_not_the_rest_of_the_file()
    {
        var (code, rows, _, _) = EvalBounded("quote.csv", Header +
            "A,E1,r,2026-02-01,,,,1,true\n" +
            "\"B,E2,r,2026-02-01,,,,1,true\n" +
            "C,E3,r,2026-02-01,,,,1,true\n" +
            "D,E4,r,2026-02-01,\"a \"\"quoted\"\"\nsubject\",,,1,true\n" +
            "E,E5,r,2026-02-01,,,,1,true\n");
        Assert.Equal(1, code);
        Assert.Equal("evaluated", Status(rows[2]));
        Assert.Equal("rejected", Status(rows[3]));
        Assert.Equal("evaluated", Status(rows[4]));
        Assert.Equal("evaluated", Status(rows[5])); // a quoted field holding a line break is still one record
        Assert.Equal("D", rows[5].GetProperty("id").GetString());
        Assert.Equal("evaluated", Status(rows[7]));
        Assert.Equal(5, rows.Count);
    }

    [Fact]
    public void An_unterminated_quote_at_the_end_of_the_file_is_rejected_at_its_line()
    {
        var (code, rows, _, _) = EvalBounded("quote-end.csv", Header + "A,E1,r,2026-02-01,,,,1,true\nB,E2,r,2026-02-01,\"open,,,1,true\nC,E3,r,2026-02-01,,,,1,true\n");
        Assert.Equal(1, code);
        Assert.Equal("evaluated", Status(rows[2]));
        Assert.Contains("unterminated quote", Reason(rows[3]));
        Assert.Equal("evaluated", Status(rows[4]));
    }

    [Fact]
    public void A_lone_cr_ends_a_csv_record()
    {
        var (code, rows, _, _) = EvalBounded("cr.csv", Header.Replace("\n", "\r") + "A,E1,r,2026-02-01,,,,1,true\rB,E2,r,2026-02-01,,,,2,true\r\nC,E3,r,2026-02-01,,,,3,true");
        Assert.Equal(0, code);
        Assert.Equal(new[] { 1m, 2m, 3m }, new long[] { 2, 3, 4 }.Select(l => rows[l].GetProperty("paid").GetDecimal()));
    }

    [Theory]
    [InlineData("105.000000000000000000000000001", "more digits than a decimal holds")]
    [InlineData("1e-400", "more decimal places than a decimal holds")]
    [InlineData("1e400", "too large for a decimal")]
    [InlineData("100000000000000000000000000000", "more digits than a decimal holds")]
    public void A_number_a_decimal_cannot_hold_exactly_is_rejected_never_rounded(string number, string reason)
    {
        var (code, rows, _, _) = EvalBounded("digits.json",
            $"{{\"applications\": [{{\"id\": \"A\", \"enterprise\": \"E1\", \"rule\": \"r\", \"date\": \"2026-02-01\", \"facts\": {{\"area\": {number}, \"eligible\": true}}}}]}}");
        Assert.Equal(1, code);
        Assert.Contains(reason, Reason(rows[0]));
        var (csvCode, csvRows, _, _) = EvalBounded("digits.csv", Header + $"A,E1,r,2026-02-01,,,,{number},true\n");
        Assert.Equal(1, csvCode);
        Assert.Contains(reason, Reason(csvRows[2]));
    }

    [Fact]
    public void Exact_numbers_keep_their_digits()
    {
        Assert.True(FactParsing.TryExactDecimal("105.0000000000000000000000000", out var a, out _));
        Assert.Equal(105m, a);
        Assert.True(FactParsing.TryExactDecimal("0.0000000000000000000000000001", out var b, out _));
        Assert.Equal(0.0000000000000000000000000001m, b);
        Assert.True(FactParsing.TryExactDecimal("79228162514264337593543950335", out var c, out _));
        Assert.Equal(decimal.MaxValue, c);
        Assert.False(FactParsing.TryExactDecimal("79228162514264337593543950336", out _, out _));
        Assert.True(FactParsing.TryExactDecimal("1.5e3", out var d, out _));
        Assert.Equal(1500m, d);
        Assert.True(FactParsing.TryExactDecimal("-0e-999", out var z, out _));
        Assert.Equal(0m, z);
        Assert.False(FactParsing.TryExactDecimal("1.2.3", out _, out _));
        Assert.False(FactParsing.TryExactDecimal("1e", out _, out _));
    }

    /// <summary>Plain cells (digits and one point) are read by a short path: the same value and scale as the general
    /// reader, the same refusals, for every length up to 22 characters, leading and trailing zeros, a point first or last.</summary>
    [Fact]
    public void Plain_cells_read_as_the_general_reader_reads_them()
    {
        var random = new Random(18);
        var texts = new List<string> { "0", "00", "0.", ".0", ".", "", "0.000", "1.50", "100", "007", "12.", ".5", "9999999999999999999", "18446744073709551615",
            "1844674407370955161.5", "99999999999999999999", "0.0000000000000000001", "1..2", "1.2.3", "+1", "-1", "1e2", " 1" };
        const string alphabet = "0000123456789..";
        for (var i = 0; i < 50000; i++)
        {
            var length = random.Next(1, 23);
            texts.Add(new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
        }
        foreach (var text in texts)
        {
            var general = FactParsing.TryAnyDecimal(text, out var expected, out _);
            var plain = FactParsing.TryPlainDecimal(text, out var value);
            if (plain) Assert.True(general && decimal.GetBits(expected).SequenceEqual(decimal.GetBits(value)), text);
            Assert.Equal(general, FactParsing.TryExactDecimal(text, out var either, out _));
            if (general) Assert.Equal(decimal.GetBits(expected), decimal.GetBits(either));
        }
        // The short path takes what it should (else it would never run).
        Assert.True(FactParsing.TryPlainDecimal("2836616.6", out _));
        Assert.True(FactParsing.TryPlainDecimal("1534487.25", out _));
    }

    [Fact]
    public void A_bounded_fact_just_above_its_bound_is_rejected()
    {
        // 105.0000000000000000000000001 is not rounded into "at most 105": the row is rejected, with the fact and its bound
        // (the wording is the plan's, PlanTexts.FactOutOfRange); 105 itself is paid.
        var (_, rows, _, _) = EvalBounded("bound.csv", Header + "A,E1,r,2026-02-01,,,,105.0000000000000000000000001,true\nB,E2,r,2026-02-01,,,,105,true\n");
        Assert.Equal("rejected", Status(rows[2]));
        Assert.Contains("fact area", Reason(rows[2]), StringComparison.Ordinal);
        Assert.Contains("105", Reason(rows[2]), StringComparison.Ordinal);
        Assert.Equal(105m, rows[3].GetProperty("paid").GetDecimal());
    }

    [Fact]
    public void Rejected_rows_keep_their_enterprise_and_rule()
    {
        var (_, rows, _, _) = EvalBounded("keep.csv", Header + "A,E1,r,2026-02-01,,,,lots,true\nB,E2,r,not-a-date,,,,1,true\nC,E3,r,2026-02-01,,,,1,true,extra\n");
        foreach (var line in new long[] { 2, 3, 4 })
        {
            Assert.Equal("rejected", Status(rows[line]));
            Assert.Equal("r", rows[line].GetProperty("rule").GetString());
        }
        Assert.Equal("E1", rows[2].GetProperty("enterprise").GetString());
        Assert.Equal("E2", rows[3].GetProperty("enterprise").GetString());
        Assert.Equal("E3", rows[4].GetProperty("enterprise").GetString());
    }

    [Fact]
    public void An_enterprise_with_more_applications_than_the_limit_has_the_later_ones_rejected()
    {
        var path = _dir.Write("many.csv", Header + string.Concat(Enumerable.Range(0, 25).Select(i => $"A{i},E1,r,2026-02-01,P{i},,,1,true\n")));
        var policy = Support.Compile(Bounded);
        var sink = new CollectingSink();
        using (var input = File.OpenRead(path))
            StreamingEvaluator.Run(policy, input, "csv", sink, options: new EvalOptions { MaxApplicationsPerEnterprise = 10 });
        var rows = sink.Rows.OrderBy(r => r.Row).ToList();
        Assert.Equal(25, rows.Count);
        Assert.All(rows.Take(10), r => Assert.IsType<EvaluatedRow>(r));
        Assert.All(rows.Skip(10), r => Assert.Contains("more than 10 applications", Assert.IsType<RejectedRow>(r).Reason));
    }
}

/// <summary>Keeps every row and total it is given (parts arrive concurrently).</summary>
internal sealed class CollectingSink : IAwardSink
{
    private readonly Lock _lock = new();
    public readonly List<RowResult> Rows = new();
    public readonly List<EnterpriseTotals> Totals = new();
    public readonly List<string> Order = new();
    public string? Separator => null;
    public bool NeedsTotals => false;
    public bool NeedsRejected => false;
    public void Begin() { }
    public void Write(string part) => Order.Add(part);
    public void Enterprise(TextWriter part, EnterpriseBlock block)
    {
        part.Write(block.Enterprise);
        lock (_lock) { Rows.AddRange(block.Rows); Totals.Add(block.Totals); }
    }
    public void Rejected(TextWriter part, RejectedRow row)
    {
        part.Write("#" + row.Row);
        lock (_lock) Rows.Add(row);
    }
    public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected) { }
}
