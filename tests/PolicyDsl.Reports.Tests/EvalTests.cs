using System.Globalization;
using System.Text;
using System.Text.Json;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Tests;

public sealed class EvalTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int Code, JsonDocument Json, string Err) EvalJson(string applications, params string[] extra)
    {
        var args = new[] { "eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", applications, "--format", "json" }.Concat(extra).ToArray();
        var (code, output, error) = Support.Policyc(args);
        return (code, JsonDocument.Parse(output), error);
    }

    /// <summary>The sample applications as the test reads them itself (not through the streaming reader).</summary>
    private static List<Application> ReferenceApplications() => Support.SampleApplicationsJson().Select(e =>
    {
        var facts = e.GetProperty("facts").EnumerateObject().Select(p => new KeyValuePair<string, FactValue>(p.Name, p.Value.ValueKind switch
        {
            JsonValueKind.Number => FactValue.Of(p.Value.GetDecimal()),
            JsonValueKind.True => FactValue.Of(true),
            JsonValueKind.False => FactValue.Of(false),
            _ => FactValue.Member(p.Value.GetString()!),
        }));
        string? Opt(string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
        return new Application(e.GetProperty("id").GetString()!, e.GetProperty("enterprise").GetString()!, e.GetProperty("rule").GetString()!,
            DateOnly.ParseExact(e.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture), new Facts(facts),
            Opt("subject"), Opt("location"), e.TryGetProperty("fundedByHigherLevelPolicy", out var f) && f.GetBoolean());
    }).ToList();

    /// <summary>Every evaluated row agrees with the reference PolicyEvaluator (what each must be paid by hand is held by
    /// samples/tongzhou-2026/tongzhou-2026.tests, through policyc test and the reference evaluator).</summary>
    private static void AssertAgreesWithReference(JsonDocument output)
    {
        var reference = PolicyEvaluator.Evaluate(Support.Sample, ReferenceApplications())
            .SelectMany(e => e.Applications).ToDictionary(r => r.Application.Id);
        var results = output.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(reference.Count, results.Count);
        var checkedRows = 0;
        foreach (var row in results)
        {
            var id = row.GetProperty("id").GetString()!;
            var r = reference[id];
            if (row.GetProperty("status").GetString() == "evaluated")
            {
                Assert.Equal(r.Award.Amount, row.GetProperty("amount").GetDecimal());
                Assert.Equal(r.Paid, row.GetProperty("paid").GetDecimal());
                Assert.Equal(r.BoundBy, row.GetProperty("boundBy").GetString());
                Assert.Equal(r.Payers.Select(p => (p.Payer, p.Amount)),
                    row.GetProperty("payers").EnumerateArray().Select(p => (p.GetProperty("payer").GetString()!, p.GetProperty("amount").GetDecimal())));
                Assert.NotEmpty(row.GetProperty("trace").EnumerateArray());
            }
            else
            {
                Assert.Equal(0m, r.Paid); // the reference refuses it too
                Assert.NotNull(r.Reason);
            }
            checkedRows++;
        }
        Assert.True(checkedRows >= 30, $"only {checkedRows} rows checked");
    }

    [Fact]
    public void Json_sample_agrees_with_the_reference_evaluator()
    {
        var (code, json, _) = EvalJson(Support.SampleApplicationsPath, "--trace");
        AssertAgreesWithReference(json);
        // The sample's one deliberate reject: B05 dated 2029, outside the validity (index 32).
        var rejected = json.RootElement.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("status").GetString() == "rejected").ToList();
        Assert.Equal("B05", Assert.Single(rejected).GetProperty("id").GetString());
        Assert.Equal(32, rejected[0].GetProperty("row").GetInt64());
        Assert.Equal(1, code);
        var e90 = json.RootElement.GetProperty("enterprises").EnumerateArray().Single(e => e.GetProperty("enterprise").GetString() == "E90");
        // Totals per enterprise are what its applications were paid (the yearly cap applied across them).
        var e90Rows = json.RootElement.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("enterprise").GetString() == "E90").ToList();
        var e90Paid = e90Rows.Sum(r => r.GetProperty("paid").GetDecimal());
        Assert.Equal(e90Paid, e90.GetProperty("total").GetDecimal());
        // The totals per year keep their year and amount (they were once all {"year": 0, "paid": 0}).
        var years = e90.GetProperty("years").EnumerateArray().Select(y => (y.GetProperty("year").GetInt32(), y.GetProperty("paid").GetDecimal())).ToList();
        var dates = Support.SampleApplicationsJson().ToDictionary(a => a.GetProperty("id").GetString()!, a => a.GetProperty("date").GetString()!);
        Assert.Equal(e90Rows.GroupBy(r => int.Parse(dates[r.GetProperty("id").GetString()!][..4], CultureInfo.InvariantCulture)).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Sum(r => r.GetProperty("paid").GetDecimal()))), years);
        Assert.True(years.Count >= 2);
        Assert.True(e90Paid < e90Rows.Sum(r => r.GetProperty("amount").GetDecimal())); // some cap did bind across applications
    }

    /// <summary>The sample as CSV (header, then one line per application, facts as fact.NAME columns).</summary>
    internal static string SampleAsCsv()
    {
        var apps = Support.SampleApplicationsJson();
        var factNames = apps.SelectMany(a => a.GetProperty("facts").EnumerateObject().Select(p => p.Name)).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder("id,enterprise,rule,date,subject,location,funded_by_higher_level," + string.Join(",", factNames.Select(n => "fact." + n)) + "\n");
        foreach (var a in apps)
        {
            string Opt(string n) => a.TryGetProperty(n, out var v) ? v.ToString() : "";
            var facts = a.GetProperty("facts");
            var cells = factNames.Select(n => facts.TryGetProperty(n, out var v) ? (v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() ? "true" : "false" : v.ToString()) : "");
            sb.Append(string.Join(",", new[] { Opt("id"), Opt("enterprise"), Opt("rule"), Opt("date"), Opt("subject"), Opt("location"),
                a.TryGetProperty("fundedByHigherLevelPolicy", out var f) && f.GetBoolean() ? "true" : "" }.Concat(cells).Select(c => c.Contains(',') ? "\"" + c + "\"" : c)));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    [Fact]
    public void Csv_sample_agrees_with_the_reference_and_the_expected_amounts()
    {
        var csv = _dir.Write("apps.csv", SampleAsCsv());
        var (code, json, _) = EvalJson(csv, "--trace");
        AssertAgreesWithReference(json);
        var rejected = json.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("status").GetString() == "rejected");
        Assert.Equal(34, rejected.GetProperty("row").GetInt64()); // line 34: header + 32 rows before it
        Assert.Equal(1, code);
    }

    [Fact]
    public void Json_rejects_are_listed_with_their_index_and_reason()
    {
        var path = _dir.Write("bad.json", """
            {"note": {"nested": [1, 2, {"x": "]}"}]}, "applications": [
              {"id": "ok", "enterprise": "E1", "rule": "outage_insurance", "date": "2026-04-01", "facts": {"attached_to_property_insurance": true, "premium": 200000}, "expected": {"amount": 8}},
              {"id": "missing", "enterprise": "E2", "rule": "outage_insurance", "date": "2026-04-01", "facts": {"attached_to_property_insurance": true}},
              {"id": "illtyped", "enterprise": "E3", "rule": "outage_insurance", "date": "2026-04-01", "facts": {"attached_to_property_insurance": true, "premium": "lots"}},
              {"id": "unknown", "enterprise": "E4", "rule": "no_such_rule", "date": "2026-04-01", "facts": {}},
              {"id": "late", "enterprise": "E5", "rule": "outage_insurance", "date": "2029-01-01", "facts": {"attached_to_property_insurance": true, "premium": 1}},
              {"id": "nodate", "enterprise": "E6", "rule": "outage_insurance", "facts": {}}
            ]}
            """);
        var (code, json, error) = EvalJson(path);
        Assert.Equal(1, code);
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString() ?? "?");
        Assert.Equal("evaluated", rows["ok"].GetProperty("status").GetString());
        Assert.Equal(8m, rows["ok"].GetProperty("amount").GetDecimal());
        void Rejected(string id, long index, string reason)
        {
            Assert.Equal("rejected", rows[id].GetProperty("status").GetString());
            Assert.Equal(index, rows[id].GetProperty("row").GetInt64());
            Assert.Contains(reason, rows[id].GetProperty("reason").GetString());
        }
        Rejected("missing", 1, "fact premium is missing");
        Rejected("illtyped", 2, "fact premium is the string \"lots\"; expected a number (a quantity in yuan)");
        Rejected("unknown", 3, "unknown rule 'no_such_rule'");
        Rejected("late", 4, "dated 2029-01-01, outside the policy's validity 2026-01-01 through 2028-12-31");
        Rejected("nodate", 5, "missing or not a string: date");
        Assert.Equal(5, json.RootElement.GetProperty("summary").GetProperty("rejected").GetInt64());
        Assert.Contains("6 rows, 1 evaluated, 5 rejected", error);
    }

    [Fact]
    public void Csv_rejects_are_listed_with_their_line_and_reason_in_every_format()
    {
        var path = _dir.Write("bad.csv",
            "id,enterprise,rule,date,subject,location,funded_by_higher_level,fact.attached_to_property_insurance,fact.premium\n" +
            "ok,E1,outage_insurance,2026-04-01,,,,true,200000\n" +
            "missing,E2,outage_insurance,2026-04-01,,,,true,\n" +
            "illtyped,E3,outage_insurance,2026-04-01,,,,true,abc\n" +
            "unknown,E4,no_such_rule,2026-04-01,,,,,\n" +
            "\"late, quoted\",E5,outage_insurance,2025-12-31,,,,true,1\n" +
            "again,E1,outage_insurance,2026-05-01,,,,true,1\n");
        var (code, json, _) = EvalJson(path);
        Assert.Equal(1, code);
        var rejected = json.RootElement.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("status").GetString() == "rejected")
            .ToDictionary(r => r.GetProperty("row").GetInt64(), r => r.GetProperty("reason").GetString()!);
        Assert.Equal(new long[] { 3, 4, 5, 6 }, rejected.Keys.Order());
        Assert.Contains("fact premium is missing", rejected[3]);
        Assert.Contains("fact premium is 'abc'; expected a quantity in yuan", rejected[4]);
        Assert.Contains("unknown rule 'no_such_rule'", rejected[5]);
        Assert.Contains("dated 2025-12-31, outside the policy's validity", rejected[6]);
        // E1 again after E2..E5: rows of an enterprise need not be contiguous; both are E1's and paid under its caps.
        var e1 = json.RootElement.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("enterprise").GetString() == "E1").ToList();
        Assert.Equal(new long[] { 2, 7 }, e1.Select(r => r.GetProperty("row").GetInt64()));
        Assert.All(e1, r => Assert.Equal("evaluated", r.GetProperty("status").GetString()));
        Assert.Equal(Assert.Single(json.RootElement.GetProperty("enterprises").EnumerateArray(), e => e.GetProperty("enterprise").GetString() == "E1")
            .GetProperty("total").GetDecimal(), e1.Sum(r => r.GetProperty("paid").GetDecimal()));

        foreach (var format in new[] { "md", "html", "csv" })
        {
            var (c, output, _) = Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", path, "--format", format);
            Assert.Equal(1, c);
            // The Chinese reports say 第N行 (the line of the file, as CSV numbers it).
            foreach (var line in new[] { "3", "4", "5", "6" }) Assert.Contains(format == "csv" ? "\n" + line + "," : "第" + line + "行", output);
        }
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        var txt = _dir.Write("apps.txt", "");
        Assert.Equal(2, Support.Policyc("eval", Support.SamplePolicyPath, "--applications", txt).Code);
        Assert.Equal(2, Support.Policyc("eval", Support.SamplePolicyPath).Code);
        Assert.Equal(2, Support.Policyc("eval", Support.SamplePolicyPath, "--applications", _dir.File("none.json")).Code);
        Assert.Equal(2, Support.Policyc("eval", Support.SamplePolicyPath, "--applications", Support.SampleApplicationsPath, "--format", "xml").Code);
        Assert.Equal(2, Support.Policyc("eval", Support.SamplePolicyPath, "--applications", _dir.Write("broken.json", "{\"applications\": [ {\"id\": ")).Code);
        Assert.Equal(2, Support.Policyc("eval", Support.SamplePolicyPath, "--applications", _dir.Write("nohdr.csv", "a,b\n1,2\n")).Code);
        Assert.Equal(2, Support.Policyc("report", Support.SamplePolicyPath).Code); // --format is required
    }

    [Fact]
    public void Report_command_writes_html_and_markdown_with_charts_beside_it()
    {
        var html = _dir.File("out/t.html");
        var md = _dir.File("out/t.md");
        Assert.Equal(0, Support.Policyc("report", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--format", "html", "-o", html).Code);
        Assert.Equal(0, Support.Policyc("report", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--format", "md", "-o", md).Code);
        Assert.Contains("<svg", File.ReadAllText(html));
        Assert.True(File.Exists(_dir.File("out/chart-shortboard_project_rd.svg")));
        Assert.DoesNotContain("<svg", File.ReadAllText(md));
    }
}
