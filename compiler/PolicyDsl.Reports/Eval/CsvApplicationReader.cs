using System.Collections.Immutable;
using System.Globalization;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Reads applications from CSV, one record at a time (RFC 4180: comma-separated, fields may be quoted with
/// "..." and then hold commas, quotes doubled, and line breaks). The first line is the header:
///
///   id,enterprise,rule,date[,subject][,location][,funded_by_higher_level],fact.NAME...
///
/// id, enterprise, rule and date (yyyy-MM-dd) are required columns; a column may appear once. funded_by_higher_level
/// is true/false (empty = false). Every other fact is a column "fact.NAME"; an empty cell means the fact is
/// not given (a wide file can hold several rules). Cells are read by <see cref="FactParsing"/>. A record ends
/// at LF, CRLF or a lone CR. A row's number is the line its record starts on (the header is line 1).
///
/// No record is lost: a record that cannot be read (an unterminated quote, text after a closing quote, a wrong
/// number of fields, larger than <see cref="MaxRecordChars"/> or spanning more than <see cref="MaxRecordLines"/>
/// lines) is a rejected row at its first line, and when it spanned several lines reading resumes at its second
/// line, so an unbalanced quote costs one row, not the rest of the file.
/// </summary>
public sealed class CsvApplicationReader(RuleIndex rules)
{
    public const int MaxRecordChars = 1 << 20;
    public const int MaxRecordLines = 100;


    public CsvApplicationReader(CheckedPolicy policy) : this(new RuleIndex(policy)) { }

    public IEnumerable<InputRow> Read(TextReader reader)
    {
        var records = new CsvRecords(reader);
        if (!records.Next()) throw new FormatException("the CSV file is empty: expected a header line");
        if (records.Problem is { } broken) throw new FormatException("the CSV header cannot be read: " + broken);
        var columns = new string[records.Count];
        for (var i = 0; i < columns.Length; i++) columns[i] = records.Field(i).Trim().ToString();
        var twice = ApplicationColumns.Repeated(columns);
        if (twice.Count > 0) throw new FormatException("the CSV header names column(s) " + string.Join(", ", twice) + " more than once: each fact is given once");
        var missing = ApplicationColumns.Missing(columns);
        if (missing.Count > 0) throw new FormatException("the CSV header lacks the column(s) " + string.Join(", ", missing));
        var unknown = ApplicationColumns.Unknown(columns);
        if (unknown.Count > 0) throw new FormatException("unknown CSV column(s) " + string.Join(", ", unknown) + ": facts are columns named fact.NAME");
        var layout = new Layout(columns);
        // One builder for every row: a row's facts are its nodes, with no per-row list or sorted copy (CreateRange of a list
        // costs three times the allocation of the tree it builds).
        var facts = ImmutableSortedDictionary<string, FactValue>.Empty.WithComparers(StringComparer.Ordinal).ToBuilder();
        while (records.Next())
        {
            if (records.Problem is not null)
            {
                yield return new UnreadableRow(records.StartLine, Label(records.StartLine), null, records.Problem);
                continue;
            }
            if (records.Count == 1 && records.Field(0).Length == 0) continue; // a blank line
            var row = Parse(records, layout, facts);
            if (row is UnreadableRow && records.Lines > 1) records.Resync();
            yield return row;
        }
    }

    /// <summary>
    /// True when the CSV file's rows of each enterprise are contiguous (a sorted export), so that an enterprise is complete
    /// when a row of another one follows: a pass over the records that reads only the enterprise column, from the stream's
    /// position, which is then restored. False (the general path) for a stream that cannot seek, and whenever it is not
    /// plainly so: a header without an enterprise column, a record that cannot be read or spans several lines, an
    /// enterprise name quoted with quotes in it. Enterprises seen are kept as 64-bit hashes: a collision only costs
    /// the general path.
    /// </summary>
    public static bool EnterprisesContiguous(Stream input)
    {
        if (!input.CanSeek) return false;
        var start = input.Position;
        try
        {
            var records = new CsvRecords(new StreamReader(input, leaveOpen: true));
            if (!records.Next() || records.Problem is not null) return false;
            var count = records.Count;
            var column = -1;
            for (var i = 0; i < count; i++)
                if (records.Field(i).Trim().SequenceEqual("enterprise")) column = i;
            if (column < 0) return false;
            var seen = new HashSet<ulong>();
            var current = new char[64];
            var currentLength = -1; // no enterprise open yet
            while (records.Next())
            {
                if (records.Problem is not null || records.Lines > 1) return false;
                if (records.Count == 1 && records.Field(0).Length == 0) continue; // a blank line
                // A row with another number of fields is rejected with the enterprise its cell names, if it has that cell (as Parse does).
                if (column >= records.Count) continue;
                if (records.IsEscaped(column)) return false; // rare: a quoted name with quotes in it
                var name = records.Field(column);
                if (name.Length == 0) continue; // a row of no enterprise stays at its place
                if (currentLength >= 0 && name.SequenceEqual(current.AsSpan(0, currentLength))) continue;
                if (!seen.Add(Hash(name))) return false;
                if (name.Length > current.Length) current = new char[name.Length * 2];
                name.CopyTo(current);
                currentLength = name.Length;
            }
            return true;
        }
        finally
        {
            input.Position = start;
        }

        static ulong Hash(ReadOnlySpan<char> s)
        {
            var h = 14695981039346656037UL; // FNV-1a, 64 bits
            foreach (var c in s) h = (h ^ c) * 1099511628211UL;
            return h;
        }
    }

    private static string Label(long line) => "line " + line.ToString(CultureInfo.InvariantCulture);

    private sealed class Layout(string[] columns)
    {
        public readonly int Columns = columns.Length;
        public readonly int Id = Array.IndexOf(columns, "id"), Enterprise = Array.IndexOf(columns, "enterprise"), Rule = Array.IndexOf(columns, "rule"),
            Date = Array.IndexOf(columns, "date"), Subject = Array.IndexOf(columns, "subject"), Location = Array.IndexOf(columns, "location"),
            Funded = Array.IndexOf(columns, "funded_by_higher_level");
        public readonly (string Name, int Index)[] Facts = columns.Select((c, i) => (c, i)).Where(x => x.c.StartsWith("fact.", StringComparison.Ordinal))
            .Select(x => (x.c["fact.".Length..], x.i)).ToArray();

        /// <summary>The last enterprise read (rows of one enterprise are often together: one string for them all).</summary>
        public string? LastEnterprise;

        /// <summary>Texts of the rule column seen so far (a few), so that a row's rule name is not a new string.</summary>
        private readonly Dictionary<string, string> _ruleTexts = new(StringComparer.Ordinal);

        /// <summary>Per rule, the fact each fact column names (null: not a fact of the rule).</summary>
        private readonly Dictionary<Rule, Fact?[]> _factsOf = new(ReferenceEqualityComparer.Instance);

        public string RuleText(ReadOnlySpan<char> text)
        {
            var lookup = _ruleTexts.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(text, out var known)) return known;
            var made = text.ToString();
            if (_ruleTexts.Count < 4096) _ruleTexts[made] = made;
            return made;
        }

        public Fact?[]? FactsOf(RuleIndex rules, Rule? rule)
        {
            if (rule is null) return null;
            if (!_factsOf.TryGetValue(rule, out var facts))
                _factsOf[rule] = facts = Facts.Select(f => rules.Fact(rule, f.Name)).ToArray();
            return facts;
        }
    }

    private InputRow Parse(CsvRecords r, Layout l, ImmutableSortedDictionary<string, FactValue>.Builder facts)
    {
        var line = r.StartLine;
        string? Text(int i) => i >= 0 && i < r.Count && r.Field(i).Length > 0 ? r.FieldString(i) : null;
        var id = Text(l.Id);
        string? enterprise;
        if (l.Enterprise >= 0 && l.Enterprise < r.Count && !r.IsEscaped(l.Enterprise) && l.LastEnterprise is { } last && r.Field(l.Enterprise).SequenceEqual(last))
            enterprise = last;
        else l.LastEnterprise = enterprise = Text(l.Enterprise);
        var ruleName = l.Rule >= 0 && l.Rule < r.Count && r.Field(l.Rule).Length > 0 ? r.IsEscaped(l.Rule) ? r.FieldString(l.Rule) : l.RuleText(r.Field(l.Rule)) : null;
        if (r.Count != l.Columns)
            return new UnreadableRow(line, Label(line), id, $"{r.Count} fields; the header has {l.Columns}", enterprise, ruleName);
        var dateText = r.Field(l.Date);
        if (id is null || enterprise is null || ruleName is null || dateText.Length == 0)
        {
            var empty = new List<string>();
            if (id is null) empty.Add("id");
            if (enterprise is null) empty.Add("enterprise");
            if (ruleName is null) empty.Add("rule");
            if (dateText.Length == 0) empty.Add("date");
            return new UnreadableRow(line, Label(line), id, "empty: " + string.Join(", ", empty), enterprise, ruleName);
        }
        if (!FactParsing.TryDate(dateText, out var date)) return new UnreadableRow(line, Label(line), id, $"date '{dateText}' is not yyyy-MM-dd", enterprise, ruleName);
        var fundedByHigherLevel = false;
        if (l.Funded >= 0)
        {
            var funded = r.Field(l.Funded);
            if (!ApplicationColumns.TryFunded(funded, out fundedByHigherLevel)) return new UnreadableRow(line, Label(line), id, $"funded_by_higher_level is '{funded}'; expected true or false", enterprise, ruleName);
        }
        var rule = rules.Rule(ruleName!);
        var factsOf = l.FactsOf(rules, rule);
        facts.Clear();
        for (var f = 0; f < l.Facts.Length; f++)
        {
            var (name, index) = l.Facts[f];
            var text = r.Field(index);
            if (text.Length == 0) continue;
            var value = FactParsing.FromText(factsOf?[f], name, r.IsEscaped(index) ? r.FieldString(index) : text, out var error);
            if (error is not null) return new UnreadableRow(line, Label(line), id, error, enterprise, ruleName);
            facts.Add(name, value!);
        }
        var app = new Application(id!, enterprise!, rule?.Name ?? ruleName!, date, facts.Count == 0 ? Facts.Empty : new Facts(facts.ToImmutable()),
            Text(l.Subject), Text(l.Location), fundedByHigherLevel);
        return new ApplicationRow(line, Label(line), app);
    }

    /// <summary>
    /// A forward-only RFC 4180 record reader over a refilled char buffer: a record's fields are spans of the
    /// buffer (a quoted field with doubled quotes is unescaped only when asked for as a string).
    /// </summary>
    private sealed class CsvRecords(TextReader reader)
    {
        private char[] _buffer = new char[1 << 16];
        private int _pos, _length, _recordStart;
        private bool _eof, _discardLine;
        private long _line = 1;
        private readonly List<(int Start, int Length, bool Escaped)> _fields = new();

        public long StartLine { get; private set; }

        /// <summary>The physical lines the last record spanned.</summary>
        public int Lines { get; private set; }

        /// <summary>Why the last record could not be read (null when it could).</summary>
        public string? Problem { get; private set; }

        public int Count => _fields.Count;

        public ReadOnlySpan<char> Field(int i) => _buffer.AsSpan(_fields[i].Start, _fields[i].Length);

        public bool IsEscaped(int i) => _fields[i].Escaped;

        public string FieldString(int i) => _fields[i].Escaped ? Field(i).ToString().Replace("\"\"", "\"", StringComparison.Ordinal) : Field(i).ToString();

        public bool Next()
        {
            Problem = null;
            while (true)
            {
                if (_discardLine && !DiscardLine()) return false;
                if (_pos >= _length)
                {
                    if (_eof) return false;
                    Fill();
                    continue;
                }
                switch (Scan(out var end, out var breaks, out var problem))
                {
                    case Outcome.NeedMore:
                        if (!Fill())
                        {
                            // Larger than a record may be: rejected at its first line, read on from the next.
                            StartLine = _line;
                            Problem = $"the record is longer than {MaxRecordChars} characters (an unterminated quote?)";
                            Lines = 2;
                            _recordStart = _pos;
                            Resync();
                            return true;
                        }
                        continue;
                    case Outcome.Broken:
                        StartLine = _line;
                        Problem = problem;
                        _recordStart = _pos;
                        Lines = 2;
                        Resync();
                        return true;
                    default:
                        StartLine = _line;
                        Lines = breaks + 1;
                        _line += breaks + 1;
                        _recordStart = _pos;
                        _pos = end;
                        return true;
                }
            }
        }

        /// <summary>Goes back to the line after the last record's first line (its other lines are read again as records).</summary>
        public void Resync()
        {
            _line = StartLine + 1;
            for (var p = _recordStart; p < _length; p++)
            {
                var c = _buffer[p];
                if (c == '\n' || c == '\r')
                {
                    _pos = c == '\r' && p + 1 < _length && _buffer[p + 1] == '\n' ? p + 2 : p + 1;
                    return;
                }
            }
            _pos = _length;
            _discardLine = !_eof;
        }

        private bool DiscardLine()
        {
            while (true)
            {
                for (var p = _pos; p < _length; p++)
                {
                    if (_buffer[p] is '\n' or '\r')
                    {
                        _pos = _buffer[p] == '\r' && p + 1 < _length && _buffer[p + 1] == '\n' ? p + 2 : p + 1;
                        _discardLine = false;
                        return true;
                    }
                }
                _pos = _length;
                if (_eof) { _discardLine = false; return false; }
                Fill();
            }
        }

        /// <summary>Moves the unread part to the front and reads more; grows the buffer up to the record limit. False when it cannot grow.</summary>
        private bool Fill()
        {
            if (_pos > 0)
            {
                Array.Copy(_buffer, _pos, _buffer, 0, _length - _pos);
                _length -= _pos;
                _recordStart = Math.Max(0, _recordStart - _pos);
                _pos = 0;
            }
            if (_length == _buffer.Length)
            {
                if (_buffer.Length >= MaxRecordChars) return false;
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = reader.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0) _eof = true;
            _length += read;
            return true;
        }

        private enum Outcome { Done, NeedMore, Broken }

        private Outcome Scan(out int end, out int breaks, out string? problem)
        {
            _fields.Clear();
            end = 0;
            breaks = 0;
            problem = null;
            var b = _buffer;
            var n = _length;
            var p = _pos;
            while (true)
            {
                if (p < n && b[p] == '"')
                {
                    var start = ++p;
                    var escaped = false;
                    while (true)
                    {
                        if (p >= n) { if (_eof) { problem = $"field {_fields.Count + 1} has an unterminated quote"; return Outcome.Broken; } return Outcome.NeedMore; }
                        var c = b[p];
                        if (c == '"')
                        {
                            if (p + 1 >= n && !_eof) return Outcome.NeedMore;
                            if (p + 1 < n && b[p + 1] == '"') { escaped = true; p += 2; continue; }
                            break;
                        }
                        if (c == '\r' && p + 1 >= n && !_eof) return Outcome.NeedMore;
                        if (c == '\n' || (c == '\r' && (p + 1 >= n || b[p + 1] != '\n')))
                        {
                            if (++breaks >= MaxRecordLines) { problem = $"field {_fields.Count + 1} has an unterminated quote (a quoted field spans more than {MaxRecordLines} lines)"; return Outcome.Broken; }
                        }
                        p++;
                    }
                    _fields.Add((start, p - start, escaped));
                    p++; // the closing quote
                    if (p < n && b[p] is not (',' or '\n' or '\r')) { problem = $"text after the closing quote of field {_fields.Count}"; return Outcome.Broken; }
                }
                else
                {
                    var start = p;
                    while (p < n && b[p] is not (',' or '\n' or '\r')) p++;
                    if (p >= n && !_eof) return Outcome.NeedMore;
                    _fields.Add((start, p - start, false));
                }
                if (p >= n) { if (!_eof) return Outcome.NeedMore; end = p; return Outcome.Done; }
                var d = b[p];
                if (d == ',') { p++; continue; }
                if (d == '\n') { end = p + 1; return Outcome.Done; }
                // A CR: CRLF or a lone CR both end the record.
                if (p + 1 >= n && !_eof) return Outcome.NeedMore;
                end = p + 1 < n && b[p + 1] == '\n' ? p + 2 : p + 1;
                return Outcome.Done;
            }
        }
    }
}
