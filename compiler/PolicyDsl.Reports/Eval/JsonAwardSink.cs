using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Results as JSON, written as produced, one result object per line:
/// {"policy", "awardUnit", "results": [one object per row, "status": "evaluated" | "rejected"], "enterprises": [totals], "summary"}.
/// Amounts are JSON numbers in the award unit; "moneyCeiling" is in yuan. "trace" is written only when traces
/// were asked for. "summary.malformed" says why the input stopped being readable, when it did.
/// </summary>
public sealed class JsonAwardSink(CheckedPolicy policy, TextWriter output, bool trace = false) : IAwardSink
{
    // CJK stays readable; <, >, &, quotes are still escaped (the JSON may end up inside HTML).
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public string? Separator => ",\n";

    public bool NeedsTotals => true;

    public bool NeedsRejected => false;

    public void Write(string part) => output.Write(part);

    public void WritePart(ReadOnlySpan<byte> utf8) => Utf8TextWriter.WriteUtf8(output, utf8);

    private static void Json(TextWriter w, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, Options)) write(json);
        Utf8TextWriter.WriteUtf8(w, buffer.WrittenSpan);
    }

    public void Begin()
    {
        var head = new StringWriter();
        Json(head, json =>
        {
            json.WriteStartObject();
            json.WriteString("policy", policy.Name);
            json.WriteString("awardUnit", policy.AwardUnit.ToString());
            json.WriteEndObject();
        });
        // The object stays open: the results stream in after it.
        var text = head.ToString();
        output.Write(text.AsSpan(0, text.Length - 1));
        output.Write(",\n\"results\": [\n");
    }

    private static void Row(Utf8JsonWriter json, RowResult row, string? id, string? enterprise, string? rule)
    {
        json.WriteStartObject();
        json.WriteNumber("row", row.Row);
        json.WriteString("rowLabel", row.RowLabel);
        json.WriteString("id", id);
        json.WriteString("enterprise", enterprise);
        json.WriteString("rule", rule);
    }

    public void Enterprise(TextWriter w, EnterpriseBlock block)
    {
        var first = true;
        foreach (var row in block.Rows)
        {
            if (!first) w.Write(",\n");
            first = false;
            if (row is RejectedRow rejected) { Rejected(w, rejected); continue; }
            Json(w, json => Evaluated(json, (EvaluatedRow)row));
        }
    }

    private void Evaluated(Utf8JsonWriter json, EvaluatedRow row)
    {
        var r = row.Result;
        var app = r.Application;
        Row(json, row, app.Id, app.Enterprise, app.Rule);
        json.WriteString("date", Fmt.Date(app.Date));
        json.WriteString("status", "evaluated");
        json.WriteNumber("amount", r.Award.Amount);
        json.WriteBoolean("eligible", r.Award.Eligible);
        json.WriteBoolean("computable", r.Award.Computable);
        json.WriteString("boundBy", r.BoundBy);
        if (r.Award.MoneyCeiling is { } m) json.WriteNumber("moneyCeiling", m); else json.WriteNull("moneyCeiling");
        json.WriteNumber("paid", r.Paid);
        json.WriteString("reason", r.Reason);
        json.WriteStartArray("payers");
        foreach (var p in r.Payers)
        {
            json.WriteStartObject();
            json.WriteString("payer", p.Payer);
            json.WriteNumber("amount", p.Amount);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (trace)
        {
            json.WriteStartArray("trace");
            foreach (var t in r.Award.Trace.Concat(r.Trace))
            {
                json.WriteStartObject();
                json.WriteString("kind", t.Kind.ToString());
                json.WriteString("step", t.Description);
                json.WriteString("value", t.Value);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    public void Rejected(TextWriter w, RejectedRow row) => Json(w, json =>
    {
        Row(json, row, row.Id, row.Enterprise, row.Rule);
        json.WriteString("status", "rejected");
        json.WriteString("reason", row.Reason);
        json.WriteEndObject();
    });

    public void End(EvalSummary summary, IEnumerable<EnterpriseTotals> totals, IEnumerable<RejectedRow> rejected)
    {
        output.Write("\n],\n\"enterprises\": [");
        var first = true;
        foreach (var e in totals)
        {
            output.Write(first ? "\n" : ",\n");
            first = false;
            Json(output, json =>
            {
                json.WriteStartObject();
                json.WriteString("enterprise", e.Enterprise);
                json.WriteNumber("total", e.Total);
                json.WriteStartArray("years");
                foreach (var y in e.Years)
                {
                    json.WriteStartObject();
                    json.WriteNumber("year", y.Year);
                    json.WriteNumber("paid", y.Paid);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            });
        }
        output.Write("\n],\n\"summary\": ");
        Json(output, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("rows", summary.Rows);
            json.WriteNumber("evaluated", summary.Evaluated);
            json.WriteNumber("rejected", summary.Rejected);
            json.WriteNumber("enterprises", summary.Enterprises);
            json.WriteNumber("paid", summary.Paid);
            if (summary.Malformed is not null) json.WriteString("malformed", summary.Malformed);
            json.WriteEndObject();
        });
        output.Write("\n}\n");
        output.Flush();
    }
}
