using System.Text.Json;

namespace PolicyDsl.Reports.Tests;

/// <summary>§27.1 through policyc eval: applications in JSON give the event's date as a date fact, never the window year; a
/// five-year award is paid after the policy's end, the same by compiled rules and by the interpreter.</summary>
public sealed class TimeEvalTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_window_award_is_paid_past_the_policy_end_from_dates_in_json(bool interpret)
    {
        var applications = Path.Combine(_dir.Path, "apps.json");
        File.WriteAllText(applications, """
            {"applications": [
             {"id":"J1","enterprise":"E1","rule":"绩效奖励","date":"2029-03-01","facts":{"重点产业新建项目":true,"实现税收日期":"2025-06-01","上一窗口年度已获":true,"年度税收":100,"用地面积":10,"年度地方财政贡献":600}},
             {"id":"J2","enterprise":"E1","rule":"绩效奖励","date":"2030-03-01","facts":{"重点产业新建项目":true,"实现税收日期":"2025-06-01","上一窗口年度已获":true,"年度税收":100,"用地面积":10,"年度地方财政贡献":600}},
             {"id":"J3","enterprise":"E2","rule":"规上服务业入统奖励","date":"2024-05-01","facts":{"新增并纳入统计的规上服务业企业":true,"纳入统计日期":"2023-03-01"}},
             {"id":"J4","enterprise":"E3","rule":"规上工业入统奖励","date":"2026-03-01","facts":{"新增并纳入统计的规上工业企业":true}},
             {"id":"J5","enterprise":"E4","rule":"工业项目投资奖励","date":"2026-09-15","facts":{"重点产业新上工业类项目":true,"资源型项目":false,"固定资产投资":2000,"用地面积":8,"启动建设日期":"2025-06-01","主体封闭日期":"2025-11-01","竣工验收日期":"2026-01-20","运营满6个月日期":"2026-09-01","全面建成投产日期":"2026-07-01","已兑现比例":60}},
             {"id":"J6","enterprise":"E5","rule":"工业项目投资奖励","date":"2026-09-15","facts":{"重点产业新上工业类项目":true,"资源型项目":false,"固定资产投资":2000,"用地面积":8,"启动建设日期":"2026-03-01","主体封闭日期":"2026-05-01","竣工验收日期":"2026-07-20","运营满6个月日期":"2026-09-01","全面建成投产日期":"2026-07-01","已兑现比例":0}}
            ]}
            """);
        var policy = Path.Combine(Support.Root, "samples/liuhe-2023/liuhe-2023.policy");
        var rules = Path.Combine(Support.Root, "samples/liuhe-2023/liuhe-2023.rules");
        var args = new List<string> { "eval", policy, "--rules", rules, "--applications", applications, "--format", "json" };
        if (interpret) args.Add("--interpret");
        var (_, output, error) = Support.Policyc(args.ToArray());
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.True(rows.Count == 6, error);
        // Fifth year (2025 is year 1): 50% of 600万元, after the policy's end 2026-02-07.
        Assert.Equal(3000000m, rows["J1"].GetProperty("paid").GetDecimal());
        // Sixth year: outside the window.
        Assert.Equal(0m, rows["J2"].GetProperty("paid").GetDecimal());
        // Second year of the schedule 5, 3, 2 万元.
        Assert.Equal(30000m, rows["J3"].GetProperty("paid").GetDecimal());
        // A rule without a window is still tested against the validity by the application's date.
        Assert.Equal("rejected", rows["J4"].GetProperty("status").GetString());
        // §27.12: started within the validity (认定 于 启动建设日期), its last 40% is paid after the end; started after it, nothing.
        Assert.Equal(800000m, rows["J5"].GetProperty("paid").GetDecimal());
        Assert.Equal(0m, rows["J6"].GetProperty("paid").GetDecimal());
        Assert.False(rows["J6"].GetProperty("eligible").GetBoolean());
    }
}
