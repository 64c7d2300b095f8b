using System.Globalization;
using System.Text;
using System.Text.Json;
using PolicyDsl.Diagnostics;
using PolicyDsl.Text;

namespace PolicyDsl.Cli;

/// <summary>How diagnostics are printed: for people (text), or for machines (json, SARIF 2.1.0).</summary>
public enum DiagnosticFormat { Text, Json, Sarif }

/// <summary>
/// Writes diagnostics in the order given (causes before their echoes, as the checker orders them).
/// Text: the MSBuild line editors parse, then the source line and a caret under the span, then the help
/// link. Json and SARIF carry the same positions, the suggested replacement, and absolute help links.
/// </summary>
public sealed class DiagnosticWriter(DiagnosticFormat format, string? helpBaseUrl, Func<string, string?> sourceText)
{
    public void Write(IReadOnlyList<Diagnostic> diagnostics, TextWriter writer)
    {
        switch (format)
        {
            case DiagnosticFormat.Json: WriteJson(diagnostics, writer); break;
            case DiagnosticFormat.Sarif: WriteSarif(diagnostics, writer); break;
            default: WriteText(diagnostics, writer); break;
        }
    }

    // ---------- text ----------

    private void WriteText(IReadOnlyList<Diagnostic> diagnostics, TextWriter writer)
    {
        var maps = new Dictionary<string, (string Text, LineMap Lines)?>(StringComparer.Ordinal);
        foreach (var d in diagnostics)
        {
            writer.WriteLine(DisplayText.Escape(d.ToString()));
            if (!maps.TryGetValue(d.FilePath, out var source))
                maps[d.FilePath] = source = sourceText(d.FilePath) is { } text ? (text, new LineMap(text)) : null;
            if (source is { } s) WriteExcerpt(d, s.Text, s.Lines, writer);
            writer.WriteLine("  = help: " + HelpLinks.For(d.Id, helpBaseUrl));
        }
    }

    /// <summary>The line of the span's start, and a caret line under the span (to the line's end when it runs on).</summary>
    internal static void WriteExcerpt(Diagnostic d, string text, LineMap lines, TextWriter writer)
    {
        var start = Math.Clamp(d.Span.Start, 0, text.Length);
        var lineIndex = lines.GetPosition(start).Line - 1;
        var lineStart = lines.LineStart(lineIndex);
        var lineEnd = lineIndex + 1 < lines.LineCount ? lines.LineStart(lineIndex + 1) : text.Length;
        while (lineEnd > lineStart && text[lineEnd - 1] is '\r' or '\n') lineEnd--;
        var line = text[lineStart..lineEnd];
        var from = start - lineStart;
        var to = Math.Clamp(d.Span.End, start, lineEnd) - lineStart;

        var number = (lineIndex + 1).ToString(CultureInfo.InvariantCulture);
        var gutter = new string(' ', number.Length);
        var caret = new StringBuilder();
        for (var i = 0; i < from; i++) caret.Append(line[i] == '\t' ? "\t" : new string(' ', DisplayText.Width(line[i])));
        var width = 0;
        for (var i = from; i < to; i++) width += DisplayText.Width(line[i]);
        caret.Append('^', Math.Max(1, width));
        writer.WriteLine($" {number} | {DisplayText.Escape(line)}");
        writer.WriteLine($" {gutter} | {caret}");
    }

    // ---------- json ----------

    private void WriteJson(IReadOnlyList<Diagnostic> diagnostics, TextWriter writer)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("diagnostics");
            foreach (var d in diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("id", d.Id);
                json.WriteString("severity", SeverityName(d.Severity));
                json.WriteString("file", d.FilePath);
                json.WriteNumber("line", d.Start.Line);
                json.WriteNumber("column", d.Start.Column);
                json.WriteNumber("endLine", d.End.Line);
                json.WriteNumber("endColumn", d.End.Column);
                json.WriteNumber("offset", d.Span.Start);
                json.WriteNumber("length", d.Span.Length);
                json.WriteString("message", d.Message);
                if (d.Suggestion is not null) json.WriteString("suggestion", d.Suggestion);
                json.WriteString("helpUri", HelpLinks.For(d.Id, helpBaseUrl));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        writer.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string SeverityName(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Info => "info",
        _ => "hidden",
    };

    // ---------- SARIF 2.1.0 ----------

    private void WriteSarif(IReadOnlyList<Diagnostic> diagnostics, TextWriter writer)
    {
        var ids = diagnostics.Select(d => d.Descriptor).DistinctBy(d => d.Id).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", "policyc");
            json.WriteString("informationUri", HelpLinks.Base(helpBaseUrl) + "README.md");
            json.WriteStartArray("rules");
            foreach (var descriptor in ids)
            {
                json.WriteStartObject();
                json.WriteString("id", descriptor.Id);
                json.WriteString("name", descriptor.Title.Replace(" ", "", StringComparison.Ordinal));
                json.WriteStartObject("shortDescription");
                json.WriteString("text", descriptor.Title);
                json.WriteEndObject();
                json.WriteString("helpUri", HelpLinks.For(descriptor.Id, helpBaseUrl));
                json.WriteStartObject("defaultConfiguration");
                json.WriteString("level", Level(descriptor.DefaultSeverity));
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (var d in diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", d.Id);
                json.WriteNumber("ruleIndex", ids.FindIndex(x => x.Id == d.Id));
                json.WriteString("level", Level(d.Severity));
                json.WriteStartObject("message");
                json.WriteString("text", d.Message);
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                WriteArtifact(json, d.FilePath);
                WriteRegion(json, d);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
                if (d.Suggestion is not null)
                {
                    json.WriteStartArray("fixes");
                    json.WriteStartObject();
                    json.WriteStartObject("description");
                    json.WriteString("text", $"Replace with '{d.Suggestion}'");
                    json.WriteEndObject();
                    json.WriteStartArray("artifactChanges");
                    json.WriteStartObject();
                    WriteArtifact(json, d.FilePath);
                    json.WriteStartArray("replacements");
                    json.WriteStartObject();
                    json.WriteStartObject("deletedRegion");
                    json.WriteNumber("charOffset", d.Span.Start);
                    json.WriteNumber("charLength", d.Span.Length);
                    json.WriteEndObject();
                    json.WriteStartObject("insertedContent");
                    json.WriteString("text", d.Suggestion);
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteEndObject();
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        writer.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteArtifact(Utf8JsonWriter json, string path)
    {
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", path.Replace('\\', '/'));
        json.WriteEndObject();
    }

    private static void WriteRegion(Utf8JsonWriter json, Diagnostic d)
    {
        json.WriteStartObject("region");
        json.WriteNumber("startLine", d.Start.Line);
        json.WriteNumber("startColumn", d.Start.Column);
        json.WriteNumber("endLine", d.End.Line);
        json.WriteNumber("endColumn", d.End.Column);
        json.WriteNumber("charOffset", d.Span.Start);
        json.WriteNumber("charLength", d.Span.Length);
        json.WriteEndObject();
    }

    private static string Level(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Info => "note",
        _ => "none",
    };
}

/// <summary>Text for a terminal: control characters escaped (a policy cannot send escape sequences), widths of wide characters.</summary>
internal static class DisplayText
{
    public static string Escape(string text)
    {
        StringBuilder? b = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var control = (c < ' ' && c != '\t') || c is >= '\u007F' and <= '\u009F';
            if (!control) { b?.Append(c); continue; }
            b ??= new StringBuilder(text, 0, i, text.Length + 8);
            b.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }
        return b?.ToString() ?? text;
    }

    /// <summary>Columns a character takes in a terminal: 2 for CJK and full-width forms, else 1.</summary>
    public static int Width(char c) => c switch
    {
        >= '\u1100' and <= '\u115F' => 2,
        >= '\u2E80' and <= '\uA4CF' => 2,
        >= '\uAC00' and <= '\uD7A3' => 2,
        >= '\uF900' and <= '\uFAFF' => 2,
        >= '\uFE30' and <= '\uFE4F' => 2,
        >= '\uFF00' and <= '\uFF60' => 2,
        >= '\uFFE0' and <= '\uFFE6' => 2,
        _ when char.IsLowSurrogate(c) => 0,
        _ => 1,
    };
}
