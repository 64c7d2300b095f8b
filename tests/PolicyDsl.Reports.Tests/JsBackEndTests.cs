using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyDsl.Emit.JavaScript;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// The JavaScript back end (docs/semantics.md §28) against the interpreter: thousands of random applications of every
/// sample, run in one node process, give the same award, bound cap, eligibility, problems and trace, on the BigInt
/// scaled-integer body and the decimal body alike. Node is required (.ci/run installs it).
/// </summary>
public sealed class JsBackEndTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Printed_javascript_agrees_with_the_interpreter_on_random_applications_of_every_sample()
    {
        var samples = JsDifferential.Samples().ToList();
        Assert.Contains(samples, s => s.Name == "tongzhou-2026");
        Assert.Contains(samples, s => s.Name == "liuhe-2023");
        Assert.Contains(samples, s => s.Name == "nanjing-jiangbei-2026");
        var runner = _dir.Write("run.js", JsDifferential.NodeRunner);
        var total = 0;
        var bound = 0;
        var scaled = 0;
        var diffs = new List<string>();
        foreach (var (name, policy) in samples)
        {
            var program = JsEmitter.Print(policy);
            Assert.Empty(program.NotPrinted);
            var script = _dir.Write(name + ".js", program.Script);
            var cases = JsDifferential.Cases(policy, perRule: name == "tongzhou-2026" ? 150 : 60, seed: name.Length * 7919);
            var input = _dir.Write(name + ".cases.json", new JsonArray(cases.Select(c => (JsonNode)JsDifferential.ToJson(c)).ToArray()).ToJsonString());
            var output = _dir.File(name + ".results.json");
            JsDifferential.Run("node", [runner, script, input, output]);
            using var doc = JsonDocument.Parse(File.ReadAllText(output));
            var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(cases.Count, results.Count);
            for (var i = 0; i < cases.Count; i++)
            {
                diffs.AddRange(JsDifferential.Differences(cases[i], results[i].GetProperty("untraced"), traced: false));
                diffs.AddRange(JsDifferential.Differences(cases[i], results[i].GetProperty("traced"), traced: true));
            }
            total += cases.Count;
            bound += cases.Count(c => c.Expected.BoundBy is not null);
            scaled += doc.RootElement.GetProperty("scaled").GetInt32();
        }
        Assert.True(diffs.Count == 0, diffs.Count + " differences, the first:\n" + string.Join("\n", diffs.Take(10)));
        Assert.True(total >= 3000, "only " + total + " applications");
        Assert.True(bound >= total / 20, "a cap bound only " + bound + " of " + total + " applications");
        Assert.True(scaled >= total / 5, "the scaled-integer body ran only " + scaled + " of " + total + " applications");
    }
}
