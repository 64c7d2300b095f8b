using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Results as JSON, written as produced:
/// {"policy", "results": [one object per row, "status": "evaluated" | "rejected"], "enterprises": [totals], "summary"}.
/// Amounts are JSON numbers in the award unit; "moneyCeiling" is in yuan.
/// </summary>
public sealed class JsonAwardSink : IAwardSink, IDisposable
{
    private readonly Utf8JsonWriter _json;
    private readonly Spool<EnterpriseTotals> _enterprises = new();
    private long _since;

    public JsonAwardSink(CheckedPolicy policy, Stream output)
    {
        // CJK stays readable; <, >, &, quotes are still escaped (the JSON may end up inside HTML).
        _json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) });
        _json.WriteStartObject();
        _json.WriteString("policy", policy.Name);
        _json.WriteString("awardUnit", policy.AwardUnit.ToString());
        _json.WriteStartArray("results");
    }

    private void Row(long row, string label, string? id, string? enterprise, string? rule)
    {
        _json.WriteStartObject();
        _json.WriteNumber("row", row);
        _json.WriteString("rowLabel", label);
        _json.WriteString("id", id);
        _json.WriteString("enterprise", enterprise);
        _json.WriteString("rule", rule);
    }

    public void Evaluated(EvaluatedRow row)
    {
        var r = row.Result;
        var app = r.Application;
        Row(row.Row, row.RowLabel, app.Id, app.Enterprise, app.Rule);
        _json.WriteString("date", Fmt.Date(app.Date));
        _json.WriteString("status", "evaluated");
        _json.WriteNumber("amount", r.Award.Amount);
        _json.WriteBoolean("eligible", r.Award.Eligible);
        _json.WriteBoolean("computable", r.Award.Computable);
        _json.WriteString("boundBy", r.Award.BoundBy);
        if (r.Award.MoneyCeiling is { } m) _json.WriteNumber("moneyCeiling", m); else _json.WriteNull("moneyCeiling");
        _json.WriteNumber("paid", r.Paid);
        _json.WriteString("reason", r.Reason);
        _json.WriteStartArray("payers");
        foreach (var p in r.Payers)
        {
            _json.WriteStartObject();
            _json.WriteString("payer", p.Payer);
            _json.WriteNumber("amount", p.Amount);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
        _json.WriteStartArray("trace");
        foreach (var t in r.Award.Trace.Concat(r.Trace))
        {
            _json.WriteStartObject();
            _json.WriteString("kind", t.Kind.ToString());
            _json.WriteString("step", t.Description);
            _json.WriteString("value", t.Value);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
        _json.WriteEndObject();
        FlushNow();
    }

    public void Rejected(RejectedRow row)
    {
        Row(row.Row, row.RowLabel, row.Id, row.Enterprise, row.Rule);
        _json.WriteString("status", "rejected");
        _json.WriteString("reason", row.Reason);
        _json.WriteEndObject();
        FlushNow();
    }

    public void EnterpriseDone(EnterpriseTotals totals) => _enterprises.Add(totals);

    public void Complete(EvalSummary summary)
    {
        _json.WriteEndArray();
        _json.WriteStartArray("enterprises");
        foreach (var e in _enterprises.ReadAll())
        {
            _json.WriteStartObject();
            _json.WriteString("enterprise", e.Enterprise);
            _json.WriteNumber("total", e.Total);
            _json.WriteStartArray("years");
            foreach (var (year, paid) in e.Years)
            {
                _json.WriteStartObject();
                _json.WriteNumber("year", year);
                _json.WriteNumber("paid", paid);
                _json.WriteEndObject();
            }
            _json.WriteEndArray();
            _json.WriteEndObject();
            FlushNow();
        }
        _json.WriteEndArray();
        _json.WriteStartObject("summary");
        _json.WriteNumber("rows", summary.Rows);
        _json.WriteNumber("evaluated", summary.Evaluated);
        _json.WriteNumber("rejected", summary.Rejected);
        _json.WriteNumber("enterprises", summary.Enterprises);
        _json.WriteNumber("paid", summary.Paid);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
    }

    /// <summary>Hands buffered bytes to the stream every so often, so memory stays flat.</summary>
    private void FlushNow()
    {
        if (++_since < 256 && _json.BytesPending < 64 * 1024) return;
        _since = 0;
        _json.Flush();
    }

    public void Dispose()
    {
        _json.Dispose();
        _enterprises.Dispose();
    }
}
