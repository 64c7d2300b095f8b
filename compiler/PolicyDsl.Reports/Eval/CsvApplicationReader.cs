using System.Globalization;
using System.Text;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Reads applications from CSV, one record at a time (RFC 4180: comma-separated, fields may be quoted with
/// "..." and then hold commas, quotes doubled, and line breaks). The first line is the header:
///
///   id,enterprise,rule,date[,subject][,location][,funded_by_higher_level],fact.NAME...
///
/// id, enterprise, rule and date (yyyy-MM-dd) are required columns. funded_by_higher_level is true/false
/// (empty = false). Every other fact is a column "fact.NAME"; an empty cell means the fact is not given
/// (a wide file can hold several rules). Cells are read as the rule's fact declares: quantities as
/// invariant decimals in the fact's declared unit, yes/no as true/false (or yes/no), dates yyyy-MM-dd,
/// levels and one-of members by key. A row's number is the line its record starts on (the header is line 1).
/// </summary>
public sealed class CsvApplicationReader(CheckedPolicy policy)
{
    private static readonly string[] Required = ["id", "enterprise", "rule", "date"];
    private static readonly string[] Known = ["id", "enterprise", "rule", "date", "subject", "location", "funded_by_higher_level"];

    public IEnumerable<InputRow> Read(TextReader reader)
    {
        var records = new CsvRecords(reader);
        if (!records.Next(out var header, out _)) throw new FormatException("the CSV file is empty: expected a header line");
        var columns = header.Select(h => h.Trim()).ToArray();
        var missing = Required.Where(r => !columns.Contains(r, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0) throw new FormatException("the CSV header lacks the column(s) " + string.Join(", ", missing));
        var unknown = columns.Where(c => !Known.Contains(c, StringComparer.Ordinal) && !c.StartsWith("fact.", StringComparison.Ordinal)).ToList();
        if (unknown.Count > 0) throw new FormatException("unknown CSV column(s) " + string.Join(", ", unknown) + ": facts are columns named fact.NAME");
        int Col(string name) => Array.IndexOf(columns, name);
        int id = Col("id"), enterprise = Col("enterprise"), ruleCol = Col("rule"), dateCol = Col("date"),
            subject = Col("subject"), location = Col("location"), funded = Col("funded_by_higher_level");
        var factColumns = columns.Select((c, i) => (c, i)).Where(x => x.c.StartsWith("fact.", StringComparison.Ordinal))
            .Select(x => (Name: x.c["fact.".Length..], Index: x.i)).ToArray();

        while (records.Next(out var fields, out var line))
        {
            if (fields.Length == 1 && fields[0].Length == 0) continue; // a blank line
            var label = "line " + line.ToString(CultureInfo.InvariantCulture);
            string Cell(int i) => i >= 0 && i < fields.Length ? fields[i] : "";
            if (fields.Length != columns.Length)
            {
                yield return new UnreadableRow(line, label, Cell(id), $"{fields.Length} fields; the header has {columns.Length}");
                continue;
            }
            yield return Parse(fields, line, label, Cell(id), Cell(enterprise), Cell(ruleCol), Cell(dateCol), Cell(subject), Cell(location), Cell(funded), factColumns);
        }
    }

    private InputRow Parse(string[] fields, long line, string label, string id, string enterprise, string ruleName, string dateText,
        string subject, string location, string funded, (string Name, int Index)[] factColumns)
    {
        var empty = new[] { ("id", id), ("enterprise", enterprise), ("rule", ruleName), ("date", dateText) }.Where(x => x.Item2.Length == 0).Select(x => x.Item1).ToList();
        if (empty.Count > 0) return new UnreadableRow(line, label, id, "empty: " + string.Join(", ", empty));
        if (!FactParsing.TryDate(dateText, out var date)) return new UnreadableRow(line, label, id, $"date '{dateText}' is not yyyy-MM-dd");
        bool fundedByHigherLevel;
        switch (funded.ToLowerInvariant())
        {
            case "" or "false" or "no": fundedByHigherLevel = false; break;
            case "true" or "yes": fundedByHigherLevel = true; break;
            default: return new UnreadableRow(line, label, id, $"funded_by_higher_level is '{funded}'; expected true or false");
        }
        var rule = policy.FindRule(ruleName);
        var facts = new List<KeyValuePair<string, FactValue>>();
        foreach (var (name, index) in factColumns)
        {
            var text = fields[index];
            if (text.Length == 0) continue;
            var (value, error) = FactParsing.FromText(rule?.FindFact(name), name, text);
            if (error is not null) return new UnreadableRow(line, label, id, error);
            facts.Add(new(name, value!));
        }
        var app = new Application(id, enterprise, ruleName, date, new Facts(facts),
            subject.Length == 0 ? null : subject, location.Length == 0 ? null : location, fundedByHigherLevel);
        return new ApplicationRow(line, label, app);
    }

    /// <summary>A forward-only RFC 4180 record reader that counts lines.</summary>
    private sealed class CsvRecords(TextReader reader)
    {
        private long _line = 1;
        private readonly StringBuilder _field = new();
        private readonly List<string> _fields = new();

        public bool Next(out string[] fields, out long startLine)
        {
            fields = [];
            startLine = _line;
            var c = reader.Read();
            if (c < 0) return false;
            _fields.Clear();
            _field.Clear();
            var quoted = false;
            var atFieldStart = true;
            while (true)
            {
                if (c < 0) { _fields.Add(_field.ToString()); break; }
                var ch = (char)c;
                if (quoted)
                {
                    if (ch == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); _field.Append('"'); }
                        else quoted = false;
                    }
                    else
                    {
                        if (ch == '\n') _line++;
                        _field.Append(ch);
                    }
                }
                else if (ch == '"' && atFieldStart) quoted = true;
                else if (ch == ',') { _fields.Add(_field.ToString()); _field.Clear(); atFieldStart = true; c = reader.Read(); continue; }
                else if (ch == '\r' && reader.Peek() == '\n') { /* CRLF: the \n ends the record */ }
                else if (ch == '\n') { _line++; _fields.Add(_field.ToString()); break; }
                else _field.Append(ch);
                atFieldStart = false;
                c = reader.Read();
            }
            fields = _fields.ToArray();
            return true;
        }
    }
}
