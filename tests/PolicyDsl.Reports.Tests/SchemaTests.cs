using System.Text.Json;
using PolicyDsl.Model;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>`policyc schema`: the applications' JSON Schema, and the JSON reader accepting exactly the JSON types it names.</summary>
public sealed class SchemaTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JsonElement Branch(JsonDocument schema, string rule) =>
        schema.RootElement.GetProperty("properties").GetProperty("applications").GetProperty("items").GetProperty("oneOf").EnumerateArray()
            .Single(b => b.GetProperty("properties").GetProperty("rule").GetProperty("const").GetString() == rule);

    [Fact]
    public void The_schema_names_every_rule_and_fact_with_its_type_unit_and_bounds()
    {
        var (code, output, _) = Support.Policyc("schema", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath);
        Assert.Equal(0, code);
        using var schema = JsonDocument.Parse(output);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
        Assert.Equal(Support.Sample.Rules.Count(), schema.RootElement.GetProperty("properties").GetProperty("applications").GetProperty("items").GetProperty("oneOf").GetArrayLength());
        var premium = Branch(schema, "outage_insurance").GetProperty("properties").GetProperty("facts").GetProperty("properties").GetProperty("premium");
        Assert.Equal("number", premium.GetProperty("type").GetString());
        Assert.Equal("yuan", premium.GetProperty("x-unit").GetString());
        Assert.Equal(0, premium.GetProperty("minimum").GetInt32());
        var level = Branch(schema, "tourism_fair_booth").GetProperty("properties").GetProperty("facts").GetProperty("properties").GetProperty("fair_level");
        Assert.Equal(["3", "2", "1"], level.GetProperty("enum").EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
    }

    private static readonly (string Json, string Type)[] Values = [("\"2026-03-01\"", "string"), ("3", "number"), ("true", "boolean"), ("null", "null"), ("{}", "object"), ("[1]", "array")];

    [Fact]
    public void The_json_reader_accepts_a_fact_exactly_in_the_types_the_schema_names()
    {
        using var schema = JsonDocument.Parse(ApplicationSchema.Write(Support.Sample));
        var checkedFacts = 0;
        foreach (var rule in Support.Sample.Rules)
        {
            var facts = Branch(schema, rule.Name).GetProperty("properties").GetProperty("facts").GetProperty("properties");
            foreach (var fact in rule.Facts)
            {
                var type = facts.GetProperty(fact.Name).GetProperty("type");
                var allowed = type.ValueKind == JsonValueKind.String ? [type.GetString()!] : type.EnumerateArray().Select(t => t.GetString()!).ToArray();
                foreach (var (json, jsonType) in Values)
                {
                    var path = _dir.Write("one.json",
                        $"{{\"applications\": [{{\"id\": \"A\", \"enterprise\": \"E\", \"rule\": \"{rule.Name}\", \"date\": \"2026-03-01\", \"facts\": {{\"{fact.Name}\": {json}}}}}]}}");
                    using var input = File.OpenRead(path);
                    var row = new JsonApplicationReader(Support.Sample).Read(input).Single();
                    var typeRejected = row is UnreadableRow u && u.Reason.Contains($"fact {fact.Name} is", StringComparison.Ordinal) && u.Reason.Contains("expected", StringComparison.Ordinal);
                    Assert.True(allowed.Contains(jsonType) != typeRejected, $"{rule.Name}.{fact.Name} = {json}: schema allows {string.Join("/", allowed)}, reader gave {row}");
                    checkedFacts++;
                }
            }
        }
        Assert.True(checkedFacts > 300, $"{checkedFacts} checks");
    }
}
