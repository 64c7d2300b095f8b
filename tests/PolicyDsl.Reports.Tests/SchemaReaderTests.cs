using System.Globalization;
using System.Text.Json;
using PolicyDsl.Model;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// `policyc schema` and the JSON reader agree beyond types (SchemaTests checks those): on every sample, an application
/// that breaks what the schema states of a fact (below its minimum, above its maximum, not in its enum, a property the
/// schema does not list) is rejected by `policyc eval`, with a reason that names the same bound, the same members or
/// the property; one at the schema's bounds is not rejected for that fact.
/// </summary>
public sealed class SchemaReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Keeps every row's outcome (parts arrive concurrently).</summary>
    private sealed class CaptureSink : IAwardSink
    {
        private readonly Lock _lock = new();
        public readonly List<RowResult> Rows = new();
        public string? Separator => null;
        public bool NeedsTotals => false;
        public bool NeedsRejected => false;
        public void Begin() { }
        public void Write(string part) { }
        public void Enterprise(TextWriter part, EnterpriseBlock block) { lock (_lock) Rows.AddRange(block.Rows); }
        public void Rejected(TextWriter part, RejectedRow row) { lock (_lock) Rows.Add(row); }
        public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected) { }
    }

    private static IEnumerable<(string Name, CheckedPolicy Policy)> Samples()
    {
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Support.Root, "samples"), "*.policy", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rules = File.Exists(Path.ChangeExtension(path, ".rules")) ? Path.ChangeExtension(path, ".rules") : null;
            if (Cli.ReportCommand.LoadPolicy(path, rules, TextWriter.Null, out var policy) is not null) continue;
            yield return (Path.GetFileName(path), policy!);
        }
    }

    /// <summary>Evaluates one application per given facts object (JSON text) under the rule; the outcome of each, in order.</summary>
    private List<RowResult> Evaluate(CheckedPolicy policy, Rule rule, IReadOnlyList<string> facts)
    {
        var date = (rule.Validity?.From ?? policy.Validity?.From ?? new DateOnly(2026, 3, 1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var apps = facts.Select((f, i) => $"{{\"id\": \"A{i}\", \"enterprise\": \"E{i}\", \"rule\": \"{rule.Name}\", \"date\": \"{date}\", \"facts\": {f}}}");
        var path = _dir.Write("apps.json", "{\"applications\": [" + string.Join(",\n", apps) + "]}");
        var sink = new CaptureSink();
        using (var input = File.OpenRead(path)) StreamingEvaluator.Run(policy, input, "json", sink, options: new EvalOptions { Parallelism = 1 });
        return sink.Rows.OrderBy(r => r.Row).ToList();
    }

    private static string Reason(RowResult r) => r is RejectedRow x ? x.Reason : "";

    private static string Number(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void An_application_outside_what_the_schema_states_is_rejected_with_the_schema_s_bound()
    {
        var checks = 0;
        foreach (var (name, policy) in Samples())
        {
            using var schema = JsonDocument.Parse(ApplicationSchema.Write(policy));
            var branches = schema.RootElement.GetProperty("properties").GetProperty("applications").GetProperty("items").GetProperty("oneOf").EnumerateArray().ToList();
            foreach (var rule in policy.Rules)
            {
                var branch = branches.Single(b => b.GetProperty("properties").GetProperty("rule").GetProperty("const").GetString() == rule.Name);
                var factsSchema = branch.GetProperty("properties").GetProperty("facts");
                Assert.False(factsSchema.GetProperty("additionalProperties").GetBoolean());
                var listed = factsSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

                // A property the schema does not list: not a fact of the rule, or a fact derived from the date (never given).
                var unlisted = rule.Facts.Where(f => !listed.Contains(f.Name)).Select(f => f.Name).Append("not_a_fact_" + rule.Name).ToList();
                var given = Evaluate(policy, rule, unlisted.Select(f => $"{{\"{f}\": 1}}").ToList());
                for (var i = 0; i < unlisted.Count; i++)
                {
                    Assert.True(Reason(given[i]).Contains($"'{unlisted[i]}'", StringComparison.Ordinal) || Reason(given[i]).Contains(unlisted[i] + " ", StringComparison.Ordinal),
                        $"{name} {rule.Name}: the schema does not list fact {unlisted[i]}, yet eval gave {given[i]}");
                    checks++;
                }

                foreach (var prop in factsSchema.GetProperty("properties").EnumerateObject())
                {
                    var fact = rule.Facts.Single(f => f.Name == prop.Name);
                    var s = prop.Value;
                    if (s.TryGetProperty("minimum", out var min))
                    {
                        var cases = new List<(string Json, bool Rejected)> { (Number(min.GetDecimal()), false), (Number(min.GetDecimal() - 0.01m), true) };
                        string? bound = null;
                        if (s.TryGetProperty("maximum", out var max))
                        {
                            cases.Add((Number(max.GetDecimal()), false));
                            cases.Add((Number(max.GetDecimal() + 0.01m), true));
                            bound = Fmt.Plain(max.GetDecimal());
                        }
                        var results = Evaluate(policy, rule, cases.Select(c => $"{{\"{fact.Name}\": {c.Json}}}").ToList());
                        for (var i = 0; i < cases.Count; i++)
                        {
                            var reason = Reason(results[i]);
                            var outOfRange = reason.Contains($"fact {fact.Name} must be", StringComparison.Ordinal);
                            Assert.True(cases[i].Rejected == outOfRange, $"{name} {rule.Name}.{fact.Name} = {cases[i].Json} (schema minimum {min}, maximum {bound}): {results[i]}");
                            if (outOfRange)
                            {
                                Assert.Contains(bound is null ? "must be 0 or more" : $"must be between {Fmt.Plain(min.GetDecimal())} and {bound}", reason, StringComparison.Ordinal);
                                Assert.IsType<RejectedRow>(results[i]);
                            }
                            checks++;
                        }
                    }
                    if (s.TryGetProperty("enum", out var members))
                    {
                        var keys = members.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!).ToList();
                        var results = Evaluate(policy, rule, keys.Select(k => $"{{\"{fact.Name}\": \"{k}\"}}").Append($"{{\"{fact.Name}\": \"no such member\"}}").ToList());
                        for (var i = 0; i < keys.Count; i++) Assert.DoesNotContain($"fact {fact.Name} must be one of", Reason(results[i]), StringComparison.Ordinal);
                        Assert.Contains($"fact {fact.Name} must be one of {string.Join(", ", keys)}", Reason(results[^1]), StringComparison.Ordinal);
                        checks += keys.Count + 1;
                    }
                    if (s.GetProperty("type").ValueKind == JsonValueKind.String && s.GetProperty("type").GetString() == "string" && s.TryGetProperty("format", out var format) && format.GetString() == "date")
                    {
                        var results = Evaluate(policy, rule, [$"{{\"{fact.Name}\": \"2026-3-1\"}}"]);
                        Assert.Contains($"fact {fact.Name} is '2026-3-1'; expected a date yyyy-MM-dd", Reason(results[0]), StringComparison.Ordinal);
                        checks++;
                    }
                }
            }
        }
        Assert.True(checks > 100, $"{checks} checks");
    }
}
