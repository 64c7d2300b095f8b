using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// The JSON Schema (draft 2020-12) of a policy's applications file, {"applications": [...]}: one branch per
/// rule (its name as "rule"), each fact with the JSON type the reader accepts (<see cref="FactParsing.Accepted"/>),
/// its unit, its bounds (non-negative, at most) and its members. The JSON reader converts by the same
/// <see cref="FactParsing"/> rules, so what the schema allows is what `policyc eval` reads.
/// </summary>
public static class ApplicationSchema
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private static readonly string[] JsonTypes = ["string", "number", "boolean", "null", "object", "array"];

    public static string Write(CheckedPolicy policy)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json-schema.org/draft/2020-12/schema");
            json.WriteString("$id", "urn:policydsl:" + policy.Name + ":applications");
            json.WriteString("title", "Applications under " + policy.Title);
            json.WriteString("description", $"The applications file of `policyc eval` for policy {policy.Name}: one object per application; facts in their declared units; amounts are paid in {policy.AwardUnit}.");
            json.WriteString("type", "object");
            json.WriteStartArray("required");
            json.WriteStringValue("applications");
            json.WriteEndArray();
            json.WriteStartObject("properties");
            json.WriteStartObject("applications");
            json.WriteString("type", "array");
            json.WriteStartObject("items");
            json.WriteStartArray("oneOf");
            foreach (var rule in policy.Rules) WriteRule(json, rule);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteRule(Utf8JsonWriter json, Rule rule)
    {
        json.WriteStartObject();
        json.WriteString("title", rule.Title ?? rule.Name);
        json.WriteString("type", "object");
        json.WriteStartArray("required");
        foreach (var r in new[] { "id", "enterprise", "rule", "date" }) json.WriteStringValue(r);
        json.WriteEndArray();
        json.WriteStartObject("properties");
        json.WriteStartObject("id"); json.WriteString("type", "string"); json.WriteEndObject();
        json.WriteStartObject("enterprise"); json.WriteString("type", "string"); json.WriteEndObject();
        json.WriteStartObject("rule"); json.WriteString("const", rule.Name); json.WriteEndObject();
        json.WriteStartObject("date");
        json.WriteString("type", "string");
        json.WriteString("format", "date");
        json.WriteString("pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
        if (rule.Validity is { } v) json.WriteString("description", "valid " + Fmt.Range(v));
        json.WriteEndObject();
        foreach (var optional in new[] { "subject", "location" })
        {
            json.WriteStartObject(optional);
            json.WriteStartArray("type"); json.WriteStringValue("string"); json.WriteStringValue("null"); json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteStartObject("fundedByHigherLevelPolicy");
        json.WriteStartArray("type"); json.WriteStringValue("boolean"); json.WriteStringValue("null"); json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("facts");
        json.WriteString("type", "object");
        json.WriteBoolean("additionalProperties", false);
        json.WriteStartObject("properties");
        foreach (var fact in rule.Facts.Where(f => !f.Derived)) WriteFact(json, fact);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteFact(Utf8JsonWriter json, Fact fact)
    {
        json.WriteStartObject(fact.Name);
        var accepted = FactParsing.Accepted(fact);
        if (accepted.Length == 1) json.WriteString("type", JsonTypes[(int)accepted[0]]);
        else
        {
            json.WriteStartArray("type");
            foreach (var k in accepted) json.WriteStringValue(JsonTypes[(int)k]);
            json.WriteEndArray();
        }
        if (fact.Description is { } d) json.WriteString("title", d);
        json.WriteString("description", "expected " + FactParsing.Expected(fact));
        switch (fact.Kind)
        {
            case FactKind.Quantity:
                json.WriteString("x-unit", fact.Unit!.ToString());
                json.WriteNumber("minimum", 0);
                if (fact.AtMost is { } max) json.WriteNumber("maximum", max);
                break;
            case FactKind.Date:
                json.WriteString("format", "date");
                break;
            case FactKind.Level or FactKind.OneOf:
                json.WriteStartArray("enum");
                foreach (var m in fact.Members)
                {
                    json.WriteStringValue(m.Key);
                    // A member whose key is a number may be written as that number (the reader takes 5 for "5").
                    if (FactParsing.TryExactDecimal(m.Key, out var n, out _) && n.ToString(CultureInfo.InvariantCulture) == m.Key) json.WriteNumberValue(n);
                }
                json.WriteEndArray();
                break;
        }
        json.WriteEndObject();
    }
}
