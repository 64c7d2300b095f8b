using System.Globalization;
using System.Text.Json;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Reads {"applications": [ {...}, ... ]} as a stream (the format of samples/*/applications.json). Only one
/// application object is in memory at a time: Utf8JsonReader walks a refilled buffer and each array element,
/// once complete in the buffer, is parsed alone. Other top-level properties and unknown fields of an
/// application ("expected", "arithmetic", ...) are skipped.
/// </summary>
public sealed class JsonApplicationReader(CheckedPolicy policy)
{
    private enum Mode { Start, Properties, ApplicationsArray, Elements, Done }

    public IEnumerable<InputRow> Read(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        var final = false;
        var state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var mode = Mode.Start;
        long index = 0;
        var batch = new List<InputRow>();

        while (true)
        {
            if (!final)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2); // one element larger than the buffer
                var read = stream.Read(buffer, length, buffer.Length - length);
                if (read == 0) final = true;
                length += read;
            }
            var consumed = Step(buffer.AsSpan(0, length), final, ref state, ref mode, ref index, batch);
            foreach (var row in batch) yield return row;
            batch.Clear();
            if (mode == Mode.Done) yield break;
            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
            if (final && consumed == 0)
            {
                yield return new UnreadableRow(index, Label(index), null, "the file ends inside the applications (incomplete JSON)");
                yield break;
            }
        }
    }

    private static string Label(long index) => "index " + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads as far as the buffer allows; returns the bytes consumed (whole tokens/elements only).</summary>
    private int Step(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, ref Mode mode, ref long index, List<InputRow> batch)
    {
        var reader = new Utf8JsonReader(data, final, state);
        while (true)
        {
            var before = reader.BytesConsumed;
            var stateBefore = reader.CurrentState;
            if (!reader.Read())
            {
                if (final && mode != Mode.Done) throw new JsonException(mode == Mode.Start ? "the file is empty" : "the JSON ends early");
                state = reader.CurrentState;
                return (int)reader.BytesConsumed;
            }
            switch (mode)
            {
                case Mode.Start:
                    if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected an object with an \"applications\" array");
                    mode = Mode.Properties;
                    break;
                case Mode.Properties:
                    if (reader.TokenType == JsonTokenType.EndObject) { mode = Mode.Done; state = reader.CurrentState; return (int)reader.BytesConsumed; }
                    if (reader.ValueTextEquals("applications")) { mode = Mode.ApplicationsArray; break; }
                    if (!reader.TrySkip()) { state = stateBefore; return (int)before; } // the value is not all here yet
                    break;
                case Mode.ApplicationsArray:
                    if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("\"applications\" must be an array");
                    mode = Mode.Elements;
                    break;
                case Mode.Elements:
                    if (reader.TokenType == JsonTokenType.EndArray) { mode = Mode.Properties; break; }
                    var start = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip()) { state = stateBefore; return (int)before; }
                    var element = data[start..(int)reader.BytesConsumed];
                    batch.Add(ParseElement(element, index));
                    index++;
                    break;
            }
        }
    }

    private InputRow ParseElement(ReadOnlySpan<byte> json, long index)
    {
        var label = Label(index);
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return new UnreadableRow(index, label, null, "an application must be an object");
        string? Text(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

        var id = Text("id");
        var missing = new[] { "id", "enterprise", "rule", "date" }.Where(n => Text(n) is null).ToList();
        if (missing.Count > 0) return new UnreadableRow(index, label, id, "missing or not a string: " + string.Join(", ", missing));
        if (!FactParsing.TryDate(Text("date")!, out var date)) return new UnreadableRow(index, label, id, $"date '{Text("date")}' is not yyyy-MM-dd");

        var rule = policy.FindRule(Text("rule")!);
        var facts = new List<KeyValuePair<string, FactValue>>();
        if (root.TryGetProperty("facts", out var factsElement))
        {
            if (factsElement.ValueKind != JsonValueKind.Object) return new UnreadableRow(index, label, id, "\"facts\" must be an object");
            foreach (var property in factsElement.EnumerateObject())
            {
                var (value, error) = FromJson(rule?.FindFact(property.Name), property.Name, property.Value);
                if (error is not null) return new UnreadableRow(index, label, id, error);
                facts.Add(new(property.Name, value!));
            }
        }
        var funded = root.TryGetProperty("fundedByHigherLevelPolicy", out var f) && f.ValueKind == JsonValueKind.True;
        var app = new Application(id!, Text("enterprise")!, Text("rule")!, date, new Facts(facts), Text("subject"), Text("location"), funded);
        return new ApplicationRow(index, label, app);
    }

    /// <summary>JSON types as fact values: numbers are quantities (or a level's key), booleans yes/no, strings dates or member keys.</summary>
    private static (FactValue? Value, string? Error) FromJson(Fact? fact, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                if (!value.TryGetDecimal(out var number)) return (null, $"fact {name} is {value.GetRawText()}, too large for a decimal");
                // A level written as a number (5 for level "5") is its key.
                return fact?.Kind is FactKind.Level or FactKind.OneOf
                    ? (FactValue.Member(number.ToString(CultureInfo.InvariantCulture)), null)
                    : (FactValue.Of(number), null);
            case JsonValueKind.True: return (FactValue.Of(true), null);
            case JsonValueKind.False: return (FactValue.Of(false), null);
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (fact?.Kind == FactKind.Date) return FactParsing.TryDate(text, out var d) ? (FactValue.Of(d), null) : (null, $"fact {name} is '{text}'; expected a date yyyy-MM-dd");
                // A string for a quantity or yes/no fact is passed on as a member: the evaluator reports it as ill-typed.
                return (FactValue.Member(text), null);
            default:
                return (null, $"fact {name} is {value.ValueKind.ToString().ToLowerInvariant()}; expected a number, true/false or a string");
        }
    }
}
