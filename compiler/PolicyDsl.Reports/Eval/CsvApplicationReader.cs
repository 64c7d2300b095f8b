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
public sealed class CsvApplicationReader(RuleIndex rules, CompiledRules? compiled = null)
{
    public const int MaxRecordChars = 1 << 20;
    public const int MaxRecordLines = 100;


    public CsvApplicationReader(CheckedPolicy policy) : this(new RuleIndex(policy)) { }

    public IEnumerable<InputRow> Read(TextReader reader) => Read(reader, deferred: false);

    /// <summary>
    /// The rows; with <paramref name="deferred"/>, a record read whole on one line is not parsed here but given as a
    /// <see cref="PendingRow"/> (its text and its enterprise), to be parsed on whichever thread evaluates it
    /// (<see cref="PendingParser.Parse"/> gives the row this reader would have given). A record over several lines is parsed
    /// here, since whether reading resumes at its second line depends on it. A plain line's enterprise is numbered in
    /// <paramref name="numbers"/> (<see cref="PendingRow.Number"/>; one string per enterprise), as the line is split.
    /// </summary>
    internal IEnumerable<InputRow> Read(TextReader reader, bool deferred, EnterpriseNumbers? numbers = null, Utf8Check? check = null)
    {
        var records = new CsvRecords(reader, check);
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
        var parser = deferred ? new PendingParser(rules, columns, compiled, numbers ?? new EnterpriseNumbers()) : null;
        var arena = deferred ? new RecordArena() : null;
        // One builder for every row: a row's facts are its nodes, with no per-row list or sorted copy (CreateRange of a list
        // costs three times the allocation of the tree it builds).
        var facts = ImmutableSortedDictionary<string, FactValue>.Empty.WithComparers(StringComparer.Ordinal).ToBuilder();
        while (true)
        {
            // Deferred, a record on one line with no quote in it is found by its line break alone (a vectorized search), its
            // enterprise by its commas: its fields are split once, where it is parsed (PendingParser), not here as well.
            if (parser is not null && records.NextPlainLine())
            {
                if (records.Problem is not null)
                {
                    yield return new UnreadableRow(records.StartLine, Label(records.StartLine), null, records.Problem);
                    continue;
                }
                var line = records.RecordText();
                if (line.Length == 0) continue; // a blank line
                var number = layout.EnterpriseOfPlain(line, parser.Numbers, out var enterprise);
                yield return new PendingRow(records.StartLine, arena!.Add(line), enterprise, parser, number);
                continue;
            }
            if (!records.Next()) break;
            if (records.Problem is not null)
            {
                yield return new UnreadableRow(records.StartLine, Label(records.StartLine), null, records.Problem);
                continue;
            }
            if (records.Count == 1 && records.Field(0).Length == 0) continue; // a blank line
            if (parser is not null && records.Lines == 1)
            {
                yield return new PendingRow(records.StartLine, arena!.Add(records.RecordText()), layout.EnterpriseOf(records), parser);
                continue;
            }
            var row = Parse(records, layout, facts, layout.EnterpriseOf(records));
            if (row is UnreadableRow && records.Lines > 1) records.Resync();
            yield return row;
        }
    }

    /// <summary>
    /// True when the CSV file's rows of each enterprise are contiguous (a sorted export), so that an enterprise is complete
    /// when a row of another one follows: a pass over the file's UTF-8 bytes (no decoding, no record objects) that looks only
    /// at the enterprise column, from the stream's position, which is then restored. False (the general path, which gives the
    /// same output) for a stream that cannot seek, and whenever it is not plainly so: a UTF-16/32 byte order mark, a header
    /// without an enterprise column, a record that could not be read (text after a closing quote, an unterminated quote, a
    /// record of <see cref="MaxRecordChars"/> bytes or more) or spans several lines, an enterprise name quoted with quotes in it
    /// or not valid UTF-8. Enterprises seen are kept as 64-bit hashes: a collision only costs the general path.
    /// </summary>
    public static bool EnterprisesContiguous(Stream input)
    {
        if (!input.CanSeek) return false;
        var start = input.Position;
        try
        {
            return new ContiguityScan().Run(input);
        }
        finally
        {
            input.Position = start;
        }
    }

    /// <summary>The byte scanner of <see cref="EnterprisesContiguous"/>: the record rules of <see cref="CsvRecords"/> over bytes
    /// (',', '"', CR and LF are single bytes in UTF-8 and never part of a longer character). Its loops are compiled optimized
    /// at once (AggressiveOptimization), as is the record reader's Scan: they run while the process starts, when tiering
    /// keeps code at tier 0 (3% of a 1M-row run was this scan unoptimized).</summary>
    private sealed class ContiguityScan
    {
        private byte[] _buffer = new byte[1 << 16];
        private int _pos, _length;
        private bool _eof;
        private Stream _input = Stream.Null;

        // The record being scanned.
        private int _field, _column = -1;
        private bool _header = true, _nameEscaped;
        private byte[] _name = new byte[64];
        private int _nameLength;
        private int _previous, _lastOfPrevious = -1;
        private readonly List<string> _headerFields = new();
        private readonly List<byte> _cell = new(); // the current cell's bytes: header cells, and the enterprise cell
        private bool _cellEscaped, _cellTaken;
        private long _recordBytes;

        private readonly HashSet<ulong> _seen = new();
        private byte[] _current = new byte[64];
        private int _currentLength = -1; // no enterprise open yet

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public bool Run(Stream input)
        {
            _input = input;
            if (!Fill()) return false;
            if (_length >= 2 && ((_buffer[0] == 0xFF && _buffer[1] == 0xFE) || (_buffer[0] == 0xFE && _buffer[1] == 0xFF))) return false; // UTF-16/32
            if (_length >= 4 && _buffer[0] == 0 && _buffer[1] == 0 && _buffer[2] == 0xFE && _buffer[3] == 0xFF) return false; // UTF-32 BE
            if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF) _pos = 3;
            var records = 0;
            while (true)
            {
                var outcome = Record();
                if (outcome == 0) return records > 0; // the end (an empty file is refused by the reader: the general path says so)
                if (outcome < 0) return false;
                records++;
                if (_header)
                {
                    _header = false;
                    for (var i = 0; i < _headerFields.Count; i++)
                        if (_headerFields[i].AsSpan().Trim().SequenceEqual("enterprise")) _column = i;
                    if (_column < 0) return false;
                    continue;
                }
                // A blank line, or a row with fewer fields than the enterprise column: rejected with no enterprise, at its place.
                if (!_cellTaken) continue;
                if (_nameEscaped) return false; // rare: a quoted name with quotes in it
                if (_nameLength == 0) continue; // a row of no enterprise stays at its place (a blank line when the column is the first)
                var name = _name.AsSpan(0, _nameLength);
                if (_currentLength >= 0 && name.SequenceEqual(_current.AsSpan(0, _currentLength))) continue;
                if (!System.Text.Unicode.Utf8.IsValid(name)) return false; // invalid bytes decode alike: the general path
                if (!_seen.Add(Hash(name))) return false;
                if (name.Length > _current.Length) _current = new byte[name.Length * 2];
                name.CopyTo(_current);
                _currentLength = name.Length;
            }
        }

        private static ulong Hash(ReadOnlySpan<byte> s)
        {
            // FNV-1a, 64 bits, from a basis drawn per process: names made to fall in one bucket of the set (hostile input)
            // cannot be made in advance. (Either way the output is the same: a collision only sends the file the general way.)
            var h = Basis;
            foreach (var c in s) h = (h ^ c) * 1099511628211UL;
            return h;
        }

        private static readonly ulong Basis = 14695981039346656037UL ^ (ulong)Random.Shared.NextInt64();

        /// <summary>The next byte (-1 at the end), consumed.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private int Next()
        {
            if (_pos >= _length && !Fill()) return -1;
            _recordBytes++;
            return _buffer[_pos++];
        }

        private int Peek() => _pos < _length || Fill() ? _buffer[_pos] : -1;

        private bool Fill()
        {
            if (_eof) return false;
            if (_length > 0) _lastOfPrevious = _buffer[_length - 1];
            _pos = 0;
            _length = _input.Read(_buffer, 0, _buffer.Length);
            if (_length == 0) { _eof = true; return false; }
            return true;
        }

        private bool Keep => _header || _field == _column;

        /// <summary>Scans one record: 1 when read, 0 at the end of the file, -1 when it is not plainly readable on one line.
        /// Fields up to the enterprise column are split; after it, only quotes and the line's end matter.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private int Record()
        {
            _field = 0;
            _recordBytes = 0;
            _cellTaken = false;
            _nameEscaped = false;
            _nameLength = 0;
            _headerFields.Clear();
            if (Peek() < 0) return 0;
            while (true)
            {
                if (!_header && _field > _column) return Rest();
                _cell.Clear();
                _cellEscaped = false;
                var keep = Keep;
                int c;
                if (Peek() == '"')
                {
                    Next();
                    if (!Quoted(keep)) return -1;
                    c = Next();
                    if (c >= 0 && c is not (',' or '\n' or '\r')) return -1; // text after the closing quote
                }
                else if (keep) c = TakeTo();
                else c = SkipTo(false);
                if (_recordBytes >= MaxRecordChars) return -1;
                if (_header) _headerFields.Add(_cellEscaped ? "" : System.Text.Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_cell)));
                else if (_field == _column)
                {
                    _cellTaken = true;
                    _nameEscaped = _cellEscaped;
                    if (_cell.Count > _name.Length) _name = new byte[_cell.Count * 2];
                    _cell.CopyTo(_name);
                    _nameLength = _cell.Count;
                }
                _field++;
                if (c == ',') continue;
                if (c == '\r' && Peek() == '\n') Next();
                return 1;
            }
        }

        /// <summary>The rest of a record after the enterprise column: its end, or -1 when a quoted field in it cannot be read or spans lines.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private int Rest()
        {
            while (true)
            {
                var c = SkipTo(true);
                if (_recordBytes >= MaxRecordChars) return -1;
                if (c == '"')
                {
                    if (_previous != ',') continue; // a quote inside an unquoted field is text
                    if (!Quoted(false)) return -1;
                    c = Peek();
                    if (c >= 0 && c is not (',' or '\n' or '\r')) return -1; // text after the closing quote
                    continue;
                }
                if (c == '\r' && Peek() == '\n') Next();
                return 1; // a line's end, or the file's
            }
        }

        /// <summary>A quoted field's content after its opening quote, to its closing quote (consumed); false when unterminated or over a line break.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private bool Quoted(bool keep)
        {
            while (true)
            {
                var c = Next();
                if (c < 0 || c is '\n' or '\r') return false;
                if (c == '"')
                {
                    if (Peek() == '"') { Next(); _cellEscaped = true; if (keep) _cell.Add((byte)'"'); continue; }
                    return true;
                }
                if (keep) _cell.Add((byte)c);
            }
        }

        /// <summary>The rest of a plain cell into <see cref="_cell"/>, to the next ',' or line end, which is consumed and
        /// returned (-1 at the end of the file): a vector search, not a byte at a time (the enterprise cell of every row).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private int TakeTo()
        {
            while (true)
            {
                if (_pos >= _length && !Fill()) return -1;
                var rest = _buffer.AsSpan(_pos, _length - _pos);
                var at = rest.IndexOfAny((byte)',', (byte)'\n', (byte)'\r');
                var cell = at < 0 ? rest : rest[..at];
                _cell.AddRange(cell);
                _recordBytes += cell.Length;
                _pos += cell.Length;
                if (at < 0)
                {
                    if (_recordBytes >= MaxRecordChars) return -1; // the caller refuses the record: no cell grows without end
                    continue;
                }
                _recordBytes++;
                return _buffer[_pos++];
            }
        }

        /// <summary>Skips to the next delimiter (',' unless <paramref name="quotes"/>, where it is a '"' instead) or line end and consumes it;
        /// -1 at the end of the file. <see cref="_previous"/> is the byte before it.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private int SkipTo(bool quotes)
        {
            while (true)
            {
                if (_pos >= _length && !Fill()) return -1;
                var rest = _buffer.AsSpan(_pos, _length - _pos);
                var at = quotes ? rest.IndexOfAny((byte)'"', (byte)'\n', (byte)'\r') : rest.IndexOfAny((byte)',', (byte)'\n', (byte)'\r');
                if (at < 0) { _recordBytes += rest.Length; _pos = _length; continue; }
                _previous = _pos + at > 0 ? _buffer[_pos + at - 1] : _lastOfPrevious;
                var c = rest[at];
                _recordBytes += at + 1;
                _pos += at + 1;
                return c;
            }
        }
    }

    /// <summary>A CSV row's label: the line its record starts on.</summary>
    internal static string Label(long line) => string.Create(CultureInfo.InvariantCulture, $"line {line}");

    private sealed class Layout(string[] columns)
    {
        public readonly int Columns = columns.Length;
        public readonly int Id = Array.IndexOf(columns, "id"), Enterprise = Array.IndexOf(columns, "enterprise"), Rule = Array.IndexOf(columns, "rule"),
            Date = Array.IndexOf(columns, "date"), Subject = Array.IndexOf(columns, "subject"), Location = Array.IndexOf(columns, "location"),
            Funded = Array.IndexOf(columns, "funded_by_higher_level");
        public readonly (string Name, int Index)[] Facts = columns.Select((c, i) => (c, i)).Where(x => x.c.StartsWith("fact.", StringComparison.Ordinal))
            .Select(x => (x.c["fact.".Length..], x.i)).ToArray();

        /// <summary>The columns that are not facts (id, enterprise, rule, date, ...).</summary>
        private readonly int[] _heads = columns.Select((c, i) => (c, i)).Where(x => !x.c.StartsWith("fact.", StringComparison.Ordinal)).Select(x => x.i).ToArray();

        /// <summary>How many of the record's fact columns are filled: its filled fields less its filled other columns.</summary>
        public int FilledFacts(CsvRecords r)
        {
            var filled = r.Filled;
            foreach (var i in _heads)
                if (i < r.Count && !r.IsEmpty(i)) filled--;
            return filled;
        }

        /// <summary>The last enterprise read (rows of one enterprise are often together: one string for them all).</summary>
        private string? _lastEnterprise;

        /// <summary>The record's enterprise cell (null when empty or missing), the last one's string when it is the same.</summary>
        public string? EnterpriseOf(CsvRecords r)
        {
            if (Enterprise < 0 || Enterprise >= r.Count || r.Field(Enterprise).Length == 0) return null;
            if (!r.IsEscaped(Enterprise) && _lastEnterprise is { } last && r.Field(Enterprise).SequenceEqual(last)) return last;
            return _lastEnterprise = r.FieldString(Enterprise);
        }

        /// <summary><see cref="EnterpriseOf"/> of a record on one line with no quote in it (<see cref="CsvRecords.NextPlainLine"/>),
        /// from its text (its fields are the text between commas), as its number in <paramref name="numbers"/> (-1 and null:
        /// none) and its enterprise's one string.</summary>
        public int EnterpriseOfPlain(ReadOnlySpan<char> line, EnterpriseNumbers numbers, out string? enterprise)
        {
            enterprise = null;
            if (Enterprise < 0) return -1;
            for (var i = 0; i < Enterprise; i++)
            {
                var comma = line.IndexOf(',');
                if (comma < 0) return -1; // fewer fields than the enterprise column
                line = line[(comma + 1)..];
            }
            var end = line.IndexOf(',');
            var cell = end < 0 ? line : line[..end];
            if (cell.Length == 0) return -1;
            return numbers.Of(cell, out enterprise);
        }

        /// <summary>Per text of the rule column (a few), its <see cref="RuleColumn"/>: one look-up per row.</summary>
        private readonly Dictionary<string, RuleColumn> _columns = new(StringComparer.Ordinal);

        /// <summary>The rule column's text as one string for every row that has it and, when it names a rule of the policy, how
        /// that rule's rows are read (<see cref="ColumnBinding"/>).</summary>
        public RuleColumn Column(RuleIndex rules, CompiledRules? compiled, ReadOnlySpan<char> text)
        {
            var lookup = _columns.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(text, out var known)) return known;
            var name = text.ToString();
            ColumnBinding? binding = null;
            if (rules.Rule(name) is { } rule)
            {
                var places = PlaceOf(rules, rule);
                binding = new ColumnBinding(rule, FactsOf(rules, rule)!, places, Enumerable.Range(0, places.Length).Where(f => places[f] >= 0).ToArray(),
                    compiled?.RuleIndexOf(rule) ?? -1);
            }
            var made = new RuleColumn(name, binding);
            if (_columns.Count < 4096) _columns[name] = made;
            return made;
        }

        /// <summary>Per rule, the fact each fact column names (null: not a fact of the rule).</summary>
        private readonly Dictionary<Rule, Fact?[]> _factsOf = new(ReferenceEqualityComparer.Instance);

        /// <summary>Per rule, where each fact column's fact is in the rule's facts (-1: not a fact of the rule).</summary>
        private readonly Dictionary<Rule, int[]> _placeOf = new(ReferenceEqualityComparer.Instance);

        public int[] PlaceOf(RuleIndex rules, Rule rule)
        {
            if (!_placeOf.TryGetValue(rule, out var places))
            {
                var facts = FactsOf(rules, rule)!;
                _placeOf[rule] = places = facts.Select(f => f is null ? -1 : IndexOf(rule, f)).ToArray();
            }
            return places;
        }

        private static int IndexOf(Rule rule, Fact fact)
        {
            for (var i = 0; i < rule.Facts.Count; i++)
                if (ReferenceEquals(rule.Facts[i], fact)) return i;
            return -1;
        }

        public Fact?[]? FactsOf(RuleIndex rules, Rule? rule)
        {
            if (rule is null) return null;
            if (!_factsOf.TryGetValue(rule, out var facts))
                _factsOf[rule] = facts = Facts.Select(f => rules.Fact(rule, f.Name)).ToArray();
            return facts;
        }
    }

    /// <summary>A text of the rule column (<see cref="Layout.Column"/>): the text, and what it binds when it names a rule.</summary>
    internal sealed record RuleColumn(string Text, ColumnBinding? Binding);

    /// <summary>How the rows of a rule are read from the file's columns: the fact each fact column names for it (null: not
    /// its fact), where that fact is in the rule's facts (-1: not its fact), the fact columns that are its own (the few a
    /// row of it is read from), and the rule's place among the compiled rules (-1 without them).</summary>
    internal sealed record ColumnBinding(Rule Rule, Fact?[] FactsOf, int[] Places, int[] Own, int Index);

    /// <summary>One record as a row; <paramref name="enterprise"/> is its enterprise cell (<see cref="Layout.EnterpriseOf"/>).</summary>
    private InputRow Parse(CsvRecords r, Layout l, ImmutableSortedDictionary<string, FactValue>.Builder facts, string? enterprise)
    {
        var line = r.StartLine;
        var id = r.Text(l.Id);
        var hasRule = l.Rule >= 0 && l.Rule < r.Count && r.Field(l.Rule).Length > 0;
        // One look-up of the rule column's text gives its string and, when it names a rule, the rule with its facts' places.
        var column = hasRule && !r.IsEscaped(l.Rule) ? l.Column(rules, compiled, r.Field(l.Rule)) : null;
        var ruleName = column?.Text ?? (hasRule ? r.FieldString(l.Rule) : null);
        var head = Head(r, l, enterprise is not null, out var date, out var fundedByHigherLevel);
        if (head != RecordHead.Readable) return new UnreadableRow(line, Label(line), id, Why(head, r, l, id, enterprise, ruleName), enterprise, ruleName);
        if (compiled is not null && column?.Binding is { } binding && Bound(r, l, binding, line, id!, enterprise!, date, fundedByHigherLevel) is { } bound) return bound;
        var rule = column is not null ? column.Binding?.Rule : rules.Rule(ruleName!);
        var factsOf = column is not null ? column.Binding?.FactsOf : l.FactsOf(rules, rule);
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
            r.Text(l.Subject), r.Text(l.Location), fundedByHigherLevel);
        return new ApplicationRow(line, Label(line), app);
    }

    /// <summary>What a record's head (its field count, id, enterprise, rule, date and funded cells) says: readable, or why not.</summary>
    private enum RecordHead { Readable, FieldCount, Empty, Date, Funded }

    /// <summary>The checks every record's head passes before its rule and facts are read (<see cref="Parse"/>, which says
    /// why one fails, and <see cref="TryEncode"/>, which leaves such a record to it), in this order: the header's number of
    /// fields; id, enterprise (<paramref name="enterpriseGiven"/>: its cell not empty), rule and date not empty; the date
    /// yyyy-MM-dd; funded_by_higher_level true, false or empty.</summary>
    private static RecordHead Head(CsvRecords r, Layout l, bool enterpriseGiven, out DateOnly date, out bool funded)
    {
        date = default;
        funded = false;
        if (r.Count != l.Columns) return RecordHead.FieldCount;
        var dateText = r.Field(l.Date);
        if (r.Field(l.Id).Length == 0 || !enterpriseGiven || r.Field(l.Rule).Length == 0 || dateText.Length == 0) return RecordHead.Empty;
        if (!FactParsing.TryDate(dateText, out date)) return RecordHead.Date;
        if (l.Funded >= 0 && !ApplicationColumns.TryFunded(r.Field(l.Funded), out funded)) return RecordHead.Funded;
        return RecordHead.Readable;
    }

    /// <summary>Why a record whose <see cref="Head"/> is not readable is rejected.</summary>
    private static string Why(RecordHead head, CsvRecords r, Layout l, string? id, string? enterprise, string? ruleName)
    {
        switch (head)
        {
            case RecordHead.FieldCount:
                return $"{r.Count} fields; the header has {l.Columns}";
            case RecordHead.Empty:
                var empty = new List<string>();
                if (id is null) empty.Add("id");
                if (enterprise is null) empty.Add("enterprise");
                if (ruleName is null) empty.Add("rule");
                if (r.Field(l.Date).Length == 0) empty.Add("date");
                return "empty: " + string.Join(", ", empty);
            case RecordHead.Date:
                return $"date '{r.Field(l.Date)}' is not yyyy-MM-dd";
            default:
                return $"funded_by_higher_level is '{r.Field(l.Funded)}'; expected true or false";
        }
    }

    /// <summary>
    /// The row as the generated application of its rule, its facts parsed straight into the rule's typed facts; null when the
    /// compiled rules do not take it as it is (a fact missing, of another rule, not of its kind, negative, above its bound, not
    /// a member): then the row is parsed as without them, which names the problem or gives the model's application.
    /// </summary>
    private BoundRow? Bound(CsvRecords r, Layout l, ColumnBinding b, long line, string id, string enterprise, DateOnly date, bool funded)
    {
        if (!TryCells(r, l, b, out var cells, out var given)) return null;
        var subject = r.Text(l.Subject);
        var location = r.Text(l.Location);
        return compiled!.TryMakeAt(b.Index, id, enterprise, date, cells, given, subject, location, funded) is { } made
            ? new BoundRow(line, id, enterprise, b.Rule, date, subject, location, funded, compiled, made)
            : null;
    }

    /// <summary>The record's facts as cells of the thread's array, in the rule's fact order (no value objects, no array per
    /// row: the generated application copies them), and how many were given; false when one names no fact of the rule or
    /// does not parse (the row is then the model's, which says why).</summary>
    private static bool TryCells(CsvRecords r, Layout l, ColumnBinding b, out FactCell[] cells, out int given)
    {
        cells = CompiledRules.Cells(b.Rule.Facts.Count);
        given = 0;
        // Only the rule's own fact columns are read; a fact of another rule given shows as more filled fact columns.
        foreach (var f in b.Own)
        {
            var (name, index) = l.Facts[f];
            if (index >= r.Count || r.IsEmpty(index)) continue;
            var text = r.Field(index);
            if (!FactParsing.TryCell(b.FactsOf[f], name, r.IsEscaped(index) ? r.FieldString(index) : text, out cells[b.Places[f]], out _)) return false;
            given++;
        }
        return l.FilledFacts(r) == given;
    }

    /// <summary>
    /// The record, when <see cref="Parse"/> would make it a <see cref="BoundRow"/> that <paramref name="inside"/> keeps (within
    /// the validity windows), written as <see cref="Codec.EncodeBound"/> writes that row, straight from its fields: no string,
    /// no application is made. False, with <paramref name="s"/> as it was, for any other record (it is parsed then).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool TryEncode(CsvRecords r, Layout l, SpillBuffer s, Func<DateOnly, Rule, bool> inside)
    {
        if (l.Enterprise < 0 || Head(r, l, l.Enterprise < r.Count && r.Field(l.Enterprise).Length > 0, out var date, out var funded) != RecordHead.Readable) return false;
        var idText = r.Field(l.Id);
        var ruleText = r.Field(l.Rule);
        if (r.IsEscaped(l.Rule)) return false; // a rule name with doubled quotes: Parse unescapes it
        if (compiled is null || l.Column(rules, compiled, ruleText).Binding is not { } b) return false;
        var (rule, ruleIndex) = (b.Rule, b.Index);
        if (!TryCells(r, l, b, out var cells, out var given)) return false;
        if (!compiled.Takes(rule, cells, given) || !inside(date, rule)) return false;
        var subject = l.Subject >= 0 && l.Subject < r.Count ? r.Field(l.Subject) : default;
        var location = l.Location >= 0 && l.Location < r.Count ? r.Field(l.Location) : default;
        Codec.EncodeBound(s, r.StartLine, ruleIndex, Unescaped(r, l.Id, idText), date,
            subject.Length > 0 ? Unescaped(r, l.Subject, subject) : default, location.Length > 0 ? Unescaped(r, l.Location, location) : default, funded, rule, cells);
        return true;
    }

    /// <summary>A field's text as <see cref="CsvRecords.Text"/> gives it (doubled quotes made single).</summary>
    private static ReadOnlySpan<char> Unescaped(CsvRecords r, int i, ReadOnlySpan<char> text) => r.IsEscaped(i) ? r.FieldString(i) : text;

    /// <summary>Parses <see cref="PendingRow"/>s of one file on any thread: each thread has its own record reader, layout
    /// (with its caches) and facts builder.</summary>
    internal sealed class PendingParser(RuleIndex rules, string[] columns, CompiledRules? compiled, EnterpriseNumbers numbers)
    {
        /// <summary>The file's enterprises numbered as its plain lines are split (<see cref="PendingRow.Number"/>), by the reading thread.</summary>
        public EnterpriseNumbers Numbers => numbers;

        private sealed class State(PendingParser owner, string[] columns)
        {
            public readonly PendingParser Owner = owner;
            public readonly CsvRecords Records = new(TextReader.Null);
            public readonly Layout Layout = new(columns);
            public readonly ImmutableSortedDictionary<string, FactValue>.Builder Facts =
                ImmutableSortedDictionary<string, FactValue>.Empty.WithComparers(StringComparer.Ordinal).ToBuilder();
        }

        [ThreadStatic] private static State? _state;

        private readonly CsvApplicationReader _reader = new(rules, compiled);

        /// <summary>The row of the record at <paramref name="line"/> with this text and enterprise cell.</summary>
        public InputRow Parse(long line, RecordText text, string? enterprise)
        {
            var state = _state is { } s && ReferenceEquals(s.Owner, this) ? s : _state = new State(this, columns);
            state.Records.Load(line, text.Bytes);
            if (!state.Records.Next() || state.Records.Problem is not null)
                throw new InvalidOperationException("a record read before cannot be read again: line " + line.ToString(CultureInfo.InvariantCulture));
            return _reader.Parse(state.Records, state.Layout, state.Facts, enterprise);
        }

        /// <summary><see cref="CsvApplicationReader.TryEncode"/> of the record at <paramref name="line"/> (compiled rules only).</summary>
        public bool TryEncode(long line, RecordText text, SpillBuffer s, Func<DateOnly, Rule, bool> inside)
        {
            var state = _state is { } st && ReferenceEquals(st.Owner, this) ? st : _state = new State(this, columns);
            state.Records.Load(line, text.Bytes);
            if (!state.Records.Next() || state.Records.Problem is not null)
                throw new InvalidOperationException("a record read before cannot be read again: line " + line.ToString(CultureInfo.InvariantCulture));
            return compiled is not null && _reader.TryEncode(state.Records, state.Layout, s, inside);
        }
    }

    /// <summary>
    /// A forward-only RFC 4180 record reader over a refilled char buffer: a record's fields are spans of the
    /// buffer (a quoted field with doubled quotes is unescaped only when asked for as a string).
    /// </summary>
    internal sealed class CsvRecords(TextReader reader, Utf8Check? check = null)
    {
        private char[] _buffer = new char[1 << 16];

        /// <summary>A reader of one record's text alone, read before (<see cref="PendingRow"/>): its line and its UTF-8 text.</summary>
        public void Load(long line, ReadOnlySpan<byte> utf8)
        {
            var most = System.Text.Encoding.UTF8.GetMaxCharCount(utf8.Length);
            if (_buffer.Length < most) _buffer = new char[Math.Max(most, 2 * _buffer.Length)];
            _length = System.Text.Encoding.UTF8.GetChars(utf8, _buffer);
            _pos = _recordStart = 0;
            _eof = true;
            _discardLine = false;
            _line = line;
        }

        /// <summary>The text of the record just read, without its line break (a record on one line: no field holds one).</summary>
        public ReadOnlySpan<char> RecordText()
        {
            var end = _pos;
            while (end > _recordStart && _buffer[end - 1] is '\n' or '\r') end--;
            return _buffer.AsSpan(_recordStart, end - _recordStart);
        }
        private int _pos, _length, _recordStart;
        private bool _eof, _discardLine;
        private long _line = 1;
        // The last record's fields: where each starts in the buffer and its length, the top bit set when it was quoted with
        // doubled quotes in it (two arrays and a count: a field is added and read without a list's checks).
        private int[] _starts = new int[64], _lengths = new int[64];
        private int _count, _filled;
        private const int EscapedBit = int.MinValue;

        /// <summary>The fields of the <paramref name="length"/> characters at <paramref name="start"/>, a line with no quote and
        /// no line break in it: split at every comma (8 characters compared at once, then one bit per comma; 16 at once read
        /// 1M Tongzhou rows in 987 ms against 1,008, median of 6 alternating runs: within the noise, for a second copy of the loop).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void SplitPlain(int start, int length)
        {
            ref var first = ref System.Runtime.CompilerServices.Unsafe.As<char, ushort>(ref _buffer[start]);
            var field = 0; // where the current field starts, from `start`
            var i = 0;
            if (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated)
            {
                var commas = System.Runtime.Intrinsics.Vector128.Create((ushort)',');
                for (; i + 8 <= length; i += 8)
                {
                    var mask = System.Runtime.Intrinsics.Vector128.ExtractMostSignificantBits(System.Runtime.Intrinsics.Vector128.Equals(System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref first, (nuint)i), commas));
                    for (; mask != 0; mask &= mask - 1)
                    {
                        var comma = i + System.Numerics.BitOperations.TrailingZeroCount(mask);
                        AddField(start + field, comma - field, false);
                        field = comma + 1;
                    }
                }
            }
            for (; i < length; i++)
            {
                if (System.Runtime.CompilerServices.Unsafe.Add(ref first, i) != ',') continue;
                AddField(start + field, i - field, false);
                field = i + 1;
            }
            AddField(start + field, length - field, false);
        }

        private void AddField(int start, int length, bool escaped)
        {
            if (_count == _starts.Length)
            {
                Array.Resize(ref _starts, _count * 2);
                Array.Resize(ref _lengths, _count * 2);
            }
            _starts[_count] = start;
            _lengths[_count++] = escaped ? length | EscapedBit : length;
            if (length != 0) _filled++;
        }

        /// <summary>How many fields of the record are not empty.</summary>
        public int Filled => _filled;

        /// <summary>True when field <paramref name="i"/> is empty.</summary>
        public bool IsEmpty(int i) => _lengths[At(i)] == 0;

        private int At(int i)
        {
            if ((uint)i >= (uint)_count) NoSuchField(i); // the throw apart, so that this inlines into every field access
            return i;
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private static void NoSuchField(int i) => throw new ArgumentOutOfRangeException(nameof(i), i, "the record has no such field");

        public long StartLine { get; private set; }

        /// <summary>The physical lines the last record spanned.</summary>
        public int Lines { get; private set; }

        /// <summary>Why the last record could not be read (null when it could).</summary>
        public string? Problem { get; private set; }

        public int Count => _count;

        public ReadOnlySpan<char> Field(int i) => _buffer.AsSpan(_starts[At(i)], _lengths[i] & int.MaxValue);

        public bool IsEscaped(int i) => (_lengths[At(i)] & EscapedBit) != 0;

        /// <summary>Field <paramref name="i"/> as a string; null when the record has no such field or it is empty.</summary>
        public string? Text(int i) => i >= 0 && i < Count && Field(i).Length > 0 ? FieldString(i) : null;

        public string FieldString(int i) => IsEscaped(i) ? Field(i).ToString().Replace("\"\"", "\"", StringComparison.Ordinal) : Field(i).ToString();

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
                        if (check?.Flagged(StartLine, Lines) is { } notText) Problem = NotUtf8(notText);
                        return true;
                }
            }
        }

        /// <summary>
        /// The next record when it is plainly one line with no quote in it, found by its line break alone (no field split:
        /// <see cref="Count"/> and <see cref="Field"/> do not describe it; <see cref="RecordText"/>, <see cref="StartLine"/> and
        /// <see cref="Lines"/> do). Such a line is the record <see cref="Next"/> would read (its fields are the text between
        /// commas; it ends at LF, CRLF or a lone CR, or at the end of the file). False, with nothing consumed, when the next
        /// record is not plainly so (a quote, a line longer than the buffer may grow to, a line still to be discarded) or
        /// there is none: then <see cref="Next"/> reads it.
        /// </summary>
        public bool NextPlainLine()
        {
            if (_discardLine) return false;
            while (true)
            {
                var rest = _buffer.AsSpan(_pos, _length - _pos);
                var at = rest.IndexOfAny('"', '\n', '\r');
                int textEnd, end;
                if (at >= 0 && rest[at] == '"') return false;
                if (at >= 0 && (rest[at] == '\n' || at + 1 < rest.Length || _eof))
                {
                    textEnd = _pos + at;
                    end = rest[at] == '\r' && at + 1 < rest.Length && rest[at + 1] == '\n' ? textEnd + 2 : textEnd + 1;
                }
                else if (at < 0 && _eof)
                {
                    if (rest.Length == 0) return false; // the end
                    textEnd = end = _length;
                }
                else
                {
                    // The line (or a CR's LF) goes on past the buffer: read more, unless it cannot grow (Next rejects the record).
                    if (!Fill()) return false;
                    continue;
                }
                Problem = check?.Flagged(_line, 1) is { } notText ? NotUtf8(notText) : null;
                _count = _filled = 0;
                StartLine = _line;
                Lines = 1;
                _line++;
                _recordStart = _pos;
                _pos = end;
                return true;
            }
        }

        /// <summary>Why a record holding a byte sequence that is not UTF-8 (<see cref="Utf8Check"/>) is rejected.</summary>
        private static string NotUtf8(byte first) =>
            $"the record is not UTF-8 text (it holds the byte 0x{first:X2}, which UTF-8 does not allow there): the file is read as UTF-8; " +
            "hint: name the file's encoding with --input-encoding (gb18030 for a GBK file, as Excel saves a CSV on Chinese Windows), or convert it first (iconv -f GB18030 -t UTF-8)";

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

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private Outcome Scan(out int end, out int breaks, out string? problem)
        {
            _count = _filled = 0;
            end = 0;
            breaks = 0;
            problem = null;
            var b = _buffer;
            var n = _length;
            var p = _pos;
            // Most records are one line with no quote in it: found by its line break, then split at its commas, a vector of
            // characters at a time (the character loop below was the reader's largest cost). The same fields as that loop: in a
            // line without a quote every field is plain and ends at a comma or at the line's end.
            var rest = b.AsSpan(p, n - p);
            var at = rest.IndexOfAny('"', '\n', '\r');
            if (at >= 0 && rest[at] != '"' && (rest[at] == '\n' || p + at + 1 < n || _eof))
            {
                SplitPlain(p, at);
                var lineEnd = p + at;
                end = rest[at] == '\r' && lineEnd + 1 < n && b[lineEnd + 1] == '\n' ? lineEnd + 2 : lineEnd + 1;
                return Outcome.Done;
            }
            while (true)
            {
                if (p < n && b[p] == '"')
                {
                    var start = ++p;
                    var escaped = false;
                    while (true)
                    {
                        if (p >= n) { if (_eof) { problem = $"field {_count + 1} has an unterminated quote"; return Outcome.Broken; } return Outcome.NeedMore; }
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
                            if (++breaks >= MaxRecordLines) { problem = $"field {_count + 1} has an unterminated quote (a quoted field spans more than {MaxRecordLines} lines)"; return Outcome.Broken; }
                        }
                        p++;
                    }
                    AddField(start, p - start, escaped);
                    p++; // the closing quote
                    if (p < n && b[p] is not (',' or '\n' or '\r')) { problem = $"text after the closing quote of field {_count}"; return Outcome.Broken; }
                }
                else
                {
                    var start = p;
                    // A plain loop: fields are short, and a vectorized search per field cost more (IndexOfAny was 4% of a run).
                    while (p < n && b[p] is not (',' or '\n' or '\r')) p++;
                    if (p >= n && !_eof) return Outcome.NeedMore;
                    AddField(start, p - start, false);
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
