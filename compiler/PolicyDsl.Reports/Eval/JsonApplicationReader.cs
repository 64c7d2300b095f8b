using System.Globalization;
using System.Text.Json;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Reads {"applications": [ {...}, ... ]} as a stream (the format of samples/*/applications.json). Only one
/// application is in memory at a time: a scanner finds where each array element ends (strings, nesting and
/// comments understood, no recursion), and the element alone is then read strictly (RFC 8259: no comments,
/// no trailing commas, depth at most <see cref="MaxDepth"/>, one key once). An element that is not valid or
/// whose fields have the wrong JSON type is a rejected row with the reason and its line; reading goes on with
/// the next element, so no row is lost. Other top-level properties and unknown fields of an application
/// ("expected", "arithmetic", ...) are skipped. A file that is not one such document (it ends early, holds
/// a second document or anything after the first) ends with a fatal row: the rows before it are kept.
/// </summary>
public sealed class JsonApplicationReader(RuleIndex rules)
{
    public const int MaxDepth = 64;
    public const int MaxElementBytes = 16 << 20;

    public JsonApplicationReader(CheckedPolicy policy) : this(new RuleIndex(policy)) { }

    public IEnumerable<InputRow> Read(Stream stream)
    {
        var s = new Scanner(stream);
        long index = 0;
        InputRow Fatal(string reason) => new UnreadableRow(index, Label(index, s.Line), null, $"line {s.Line}: {reason}", Fatal: true);

        if (!s.SkipWhitespace()) { yield return Fatal("the file is empty: expected an object with an \"applications\" array"); yield break; }
        if (s.Peek() != '{') { yield return Fatal("expected an object with an \"applications\" array"); yield break; }
        s.Advance(1);
        var first = true;
        var seenApplications = false;
        while (true)
        {
            if (!s.SkipWhitespace()) { yield return Fatal("the file ends inside the top-level object"); yield break; }
            if (s.Peek() == '}') { s.Advance(1); break; }
            if (!first)
            {
                if (s.Peek() != ',') { yield return Fatal("expected ',' or '}' between the top-level properties"); yield break; }
                s.Advance(1);
                if (!s.SkipWhitespace()) { yield return Fatal("the file ends inside the top-level object"); yield break; }
            }
            first = false;
            if (s.Peek() != '"') { yield return Fatal("expected a property name"); yield break; }
            if (s.ReadValue() != Scanner.Status.Done) { yield return Fatal("the file ends inside a property name"); yield break; }
            var isApplications = s.ValueIs("\"applications\""u8);
            s.Consume();
            if (!s.SkipWhitespace() || s.Peek() != ':') { yield return Fatal("expected ':' after a property name"); yield break; }
            s.Advance(1);
            if (!s.SkipWhitespace()) { yield return Fatal("the file ends before a property's value"); yield break; }
            if (!isApplications)
            {
                var skipped = s.ReadValue();
                if (skipped != Scanner.Status.Done) { yield return Fatal(skipped == Scanner.Status.TooLarge ? "a top-level value is too large" : "the file ends inside a top-level value"); yield break; }
                s.Consume();
                continue;
            }
            if (seenApplications) { yield return Fatal("\"applications\" is given twice"); yield break; }
            seenApplications = true;
            if (s.Peek() != '[') { yield return Fatal("\"applications\" must be an array"); yield break; }
            s.Advance(1);
            var firstElement = true;
            while (true)
            {
                if (!s.SkipWhitespace()) { yield return Fatal($"the file ends inside the applications (after {index} of them)"); yield break; }
                if (s.Peek() == ']') { s.Advance(1); break; }
                if (!firstElement)
                {
                    if (s.Peek() != ',') { yield return Fatal($"expected ',' or ']' after application index {index - 1}"); yield break; }
                    s.Advance(1);
                    if (!s.SkipWhitespace()) { yield return Fatal($"the file ends inside the applications (after {index} of them)"); yield break; }
                    if (s.Peek() == ']') { s.Advance(1); break; } // a trailing comma after the last application: nothing is lost
                }
                firstElement = false;
                var line = s.Line;
                switch (s.ReadValue())
                {
                    case Scanner.Status.Done:
                        yield return ParseElement(s.Value, index, line);
                        s.Consume();
                        break;
                    case Scanner.Status.TooLarge:
                        yield return new UnreadableRow(index, Label(index, line), null, $"line {line}: the application is larger than {MaxElementBytes} bytes");
                        break;
                    case Scanner.Status.Empty:
                        yield return Fatal($"expected an application at index {index}");
                        yield break;
                    default:
                        yield return Fatal($"the file ends inside application index {index} (it starts on line {line})");
                        yield break;
                }
                index++;
            }
        }
        if (s.SkipWhitespace()) { yield return Fatal("content after the end of the JSON document: a file holds one document"); yield break; }
        if (!seenApplications) yield return Fatal("the object has no \"applications\" array");
    }

    private static string Label(long index, long line) =>
        // Counted from 1, as a reader counts (several applications may share a line of the file).
        "application " + (index + 1).ToString(CultureInfo.InvariantCulture) + ", line " + line.ToString(CultureInfo.InvariantCulture);

    private enum Field { None, Id, Enterprise, Rule, Date, Subject, Location, Funded, Facts, Elsewhere }

    private static Field Known(ref Utf8JsonReader r) =>
        r.ValueTextEquals("id"u8) ? Field.Id : r.ValueTextEquals("enterprise"u8) ? Field.Enterprise : r.ValueTextEquals("rule"u8) ? Field.Rule
        : r.ValueTextEquals("date"u8) ? Field.Date : r.ValueTextEquals("subject"u8) ? Field.Subject : r.ValueTextEquals("location"u8) ? Field.Location
        : r.ValueTextEquals("fundedByHigherLevelPolicy"u8) ? Field.Funded : r.ValueTextEquals("facts"u8) ? Field.Facts
        : r.ValueTextEquals("receivedElsewhere"u8) ? Field.Elsewhere : Field.None;

    private static readonly string[] FieldNames = ["", "id", "enterprise", "rule", "date", "subject", "location", "fundedByHigherLevelPolicy", "facts", "receivedElsewhere"];

    /// <summary>What was read of an element so far (kept when reading it fails later, for the rejected row).</summary>
    private sealed class Partial
    {
        public string? Id, Enterprise, Rule, Date, Subject, Location;
    }

    private InputRow ParseElement(ReadOnlySpan<byte> json, long index, long line)
    {
        var part = new Partial();
        try
        {
            return ParseStrict(json, index, line, part);
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
            return new UnreadableRow(index, Label(index, line), part.Id, $"line {line + (e.LineNumber ?? 0)}: not valid JSON: {message}", part.Enterprise, part.Rule);
        }
        catch (InvalidOperationException)
        {
            return new UnreadableRow(index, Label(index, line), part.Id,
                $"line {line}: a string is not valid text (an unpaired surrogate escape such as \\ud800, or invalid UTF-8); " +
                "hint: a file in another encoding (GBK) is read with --input-encoding gb18030", part.Enterprise, part.Rule);
        }
    }

    private static JsonKind Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.String => JsonKind.String,
        JsonTokenType.Number => JsonKind.Number,
        JsonTokenType.True or JsonTokenType.False => JsonKind.Boolean,
        JsonTokenType.Null => JsonKind.Null,
        JsonTokenType.StartObject => JsonKind.Object,
        _ => JsonKind.Array,
    };

    private InputRow ParseStrict(ReadOnlySpan<byte> json, long index, long line, Partial part)
    {
        var label = Label(index, line);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new UnreadableRow(index, label, null, $"line {line}: an application must be an object");
        }
        var errors = new List<string>();
        var seen = 0;
        var funded = false;
        var elsewhere = 0m;
        int factsStart = -1, factsEnd = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Known(ref reader);
            if (field != Field.None)
            {
                if ((seen & (1 << (int)field)) != 0) errors.Add($"\"{FieldNames[(int)field]}\" is given twice");
                seen |= 1 << (int)field;
            }
            reader.Read();
            var kind = Kind(reader.TokenType);
            switch (field)
            {
                case Field.Id or Field.Enterprise or Field.Rule or Field.Date or Field.Subject or Field.Location:
                    string? text = null;
                    if (kind == JsonKind.String) text = reader.GetString();
                    else if (!(kind == JsonKind.Null && field is Field.Subject or Field.Location))
                        errors.Add($"\"{FieldNames[(int)field]}\" is {Describe(ref reader, kind)}; expected a string");
                    reader.Skip();
                    switch (field)
                    {
                        case Field.Id: part.Id = text; break;
                        case Field.Enterprise: part.Enterprise = text; break;
                        case Field.Rule: part.Rule = text; break;
                        case Field.Date: part.Date = text; break;
                        case Field.Subject: part.Subject = text; break;
                        default: part.Location = text; break;
                    }
                    break;
                case Field.Elsewhere:
                    // §24.6: what another policy already paid for the same item, in the award unit (a number, 0 or more).
                    if (kind == JsonKind.Number && reader.TryGetDecimal(out var received) && received >= 0m) elsewhere = received;
                    else if (kind != JsonKind.Null) errors.Add($"\"receivedElsewhere\" is {Describe(ref reader, kind)}; expected an amount of 0 or more in the award unit");
                    reader.Skip();
                    break;
                case Field.Funded:
                    if (kind == JsonKind.Boolean) funded = reader.TokenType == JsonTokenType.True;
                    else if (kind != JsonKind.Null) errors.Add($"\"fundedByHigherLevelPolicy\" is {Describe(ref reader, kind)}; expected true or false");
                    reader.Skip();
                    break;
                case Field.Facts:
                    if (kind == JsonKind.Object)
                    {
                        factsStart = (int)reader.TokenStartIndex;
                        reader.Skip();
                        factsEnd = (int)reader.BytesConsumed;
                    }
                    else
                    {
                        if (kind != JsonKind.Null) errors.Add($"\"facts\" is {Describe(ref reader, kind)}; expected an object");
                        reader.Skip();
                    }
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        var missing = new List<string>();
        if (part.Id is null && (seen & (1 << (int)Field.Id)) == 0) missing.Add("id");
        if (part.Enterprise is null && (seen & (1 << (int)Field.Enterprise)) == 0) missing.Add("enterprise");
        if (part.Rule is null && (seen & (1 << (int)Field.Rule)) == 0) missing.Add("rule");
        if (part.Date is null && (seen & (1 << (int)Field.Date)) == 0) missing.Add("date");
        if (missing.Count > 0) errors.Insert(0, "missing or not a string: " + string.Join(", ", missing));
        var date = default(DateOnly);
        if (part.Date is not null && !FactParsing.TryDate(part.Date, out date)) errors.Add($"date '{part.Date}' is not yyyy-MM-dd");

        var rule = part.Rule is null ? null : rules.Rule(part.Rule);
        var facts = new List<KeyValuePair<string, FactValue>>();
        if (factsStart >= 0)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var f = new Utf8JsonReader(json[factsStart..factsEnd], new JsonReaderOptions { MaxDepth = MaxDepth });
            f.Read();
            Span<char> number = stackalloc char[128];
            while (f.Read() && f.TokenType == JsonTokenType.PropertyName)
            {
                var name = f.GetString()!;
                f.Read();
                var kind = Kind(f.TokenType);
                scoped ReadOnlySpan<char> text = default;
                string? str = null;
                switch (kind)
                {
                    case JsonKind.String: str = f.GetString()!; text = str; break;
                    case JsonKind.Number:
                        var raw = f.ValueSpan;
                        if (raw.Length > number.Length) { str = System.Text.Encoding.ASCII.GetString(raw); text = str; }
                        else { for (var i = 0; i < raw.Length; i++) number[i] = (char)raw[i]; text = number[..raw.Length]; }
                        break;
                    case JsonKind.Boolean: text = f.TokenType == JsonTokenType.True ? "true" : "false"; break;
                }
                f.Skip();
                if (!names.Add(name)) { errors.Add($"fact {name} is given twice"); continue; }
                var value = FactParsing.FromJson(rules.Fact(rule, name), name, kind, text, out var error);
                if (error is not null) errors.Add(error);
                else facts.Add(new(name, value!));
            }
        }
        if (errors.Count > 0) return new UnreadableRow(index, label, part.Id, $"line {line}: " + string.Join("; ", errors), part.Enterprise, part.Rule);
        var app = new Application(part.Id!, part.Enterprise!, rule?.Name ?? part.Rule!, date, facts.Count == 0 ? Facts.Empty : new Facts(facts),
            part.Subject, part.Location, funded, elsewhere);
        return new ApplicationRow(index, label, app);
    }

    private static string Describe(ref Utf8JsonReader r, JsonKind kind) => kind switch
    {
        JsonKind.Number => "the number " + System.Text.Encoding.ASCII.GetString(r.ValueSpan),
        JsonKind.Boolean => r.TokenType == JsonTokenType.True ? "true" : "false",
        JsonKind.String => "a string",
        _ => FactParsing.Describe(kind, default),
    };

    /// <summary>
    /// The bytes of the file in a refilled buffer, with the line of the read position, and a resumable scan for
    /// the end of one JSON value (so an element is scanned once however many refills it takes).
    /// </summary>
    private sealed class Scanner(Stream stream)
    {
        public enum Status { Done, Incomplete, TooLarge, Empty }

        private byte[] _buffer = new byte[1 << 16];
        private int _pos, _length, _scan;
        private bool _eof;
        // The value scan's state.
        private int _depth;
        private bool _inString, _escape, _scalar, _started, _discarding;
        private int _comment; // 0 none, 1 line comment, 2 block comment

        public long Line { get; private set; } = 1;

        public ReadOnlySpan<byte> Value => _buffer.AsSpan(_pos, _scan - _pos);

        public bool ValueIs(ReadOnlySpan<byte> text) => Value.SequenceEqual(text);

        public int Peek() => _pos < _length ? _buffer[_pos] : -1;

        public void Advance(int n) => _pos += n;

        /// <summary>Past the value just read.</summary>
        public void Consume()
        {
            CountLines(_pos, _scan);
            _pos = _scan;
        }

        private void CountLines(int from, int to) => Line += _buffer.AsSpan(from, to - from).Count((byte)'\n');

        /// <summary>Skips whitespace; false at the end of the file.</summary>
        public bool SkipWhitespace()
        {
            while (true)
            {
                while (_pos < _length)
                {
                    var c = _buffer[_pos];
                    if (c == '\n') Line++;
                    else if (c is not ((byte)' ' or (byte)'\t' or (byte)'\r') && !(c == 0xEF && Line == 1 && IsBom())) return true;
                    _pos++;
                }
                if (!Fill()) return false;
            }
        }

        private bool IsBom()
        {
            if (_pos + 2 >= _length || _buffer[_pos + 1] != 0xBB || _buffer[_pos + 2] != 0xBF) return false;
            _pos += 2; // the loop steps over the third byte
            return true;
        }

        /// <summary>Reads more; false at the end of the file. Grows the buffer when the value being read fills it (up to the element limit).</summary>
        private bool Fill()
        {
            if (_eof) return false;
            if (_pos > 0)
            {
                Array.Copy(_buffer, _pos, _buffer, 0, _length - _pos);
                _length -= _pos;
                _scan -= Math.Min(_scan, _pos);
                _pos = 0;
            }
            if (_length == _buffer.Length)
            {
                if (_buffer.Length >= MaxElementBytes)
                {
                    // Too large to keep: drop what was scanned, keep scanning for the value's end.
                    CountLines(0, _scan);
                    _discarding = true;
                    _pos = _scan;
                    Array.Copy(_buffer, _pos, _buffer, 0, _length - _pos);
                    _length -= _pos;
                    _scan = 0;
                    _pos = 0;
                }
                else Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = stream.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0) { _eof = true; return false; }
            _length += read;
            return true;
        }

        /// <summary>Finds the end of the value at the read position (after whitespace was skipped).</summary>
        public Status ReadValue()
        {
            _scan = _pos;
            _depth = 0;
            _inString = _escape = _scalar = _started = _discarding = false;
            _comment = 0;
            while (true)
            {
                var done = ScanSome();
                if (done) break;
                if (!Fill())
                {
                    if (_scalar && _started) break;
                    return Status.Incomplete;
                }
            }
            if (!_started) return Status.Empty;
            if (_discarding) { Consume(); return Status.TooLarge; }
            return Status.Done;
        }

        private bool ScanSome()
        {
            var b = _buffer;
            while (_scan < _length)
            {
                var c = b[_scan];
                if (_inString)
                {
                    if (_escape) _escape = false;
                    else if (c == '\\') _escape = true;
                    else if (c == '"')
                    {
                        _inString = false;
                        if (_depth == 0) { _scan++; return true; }
                    }
                    _scan++;
                    continue;
                }
                if (_comment == 1) { if (c == '\n') _comment = 0; _scan++; continue; }
                if (_comment == 2)
                {
                    if (c == '*')
                    {
                        if (_scan + 1 >= _length) { if (_eof) { _scan++; continue; } return false; }
                        if (b[_scan + 1] == '/') { _comment = 0; _scan += 2; continue; }
                    }
                    _scan++;
                    continue;
                }
                if (_scalar)
                {
                    if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)']' or (byte)'}' or (byte)'/') return true;
                    _scan++;
                    continue;
                }
                switch (c)
                {
                    case (byte)'"': _inString = true; _started = true; break;
                    case (byte)'{' or (byte)'[': _depth++; _started = true; break;
                    case (byte)'}' or (byte)']':
                        if (_depth == 0) return true; // no value here
                        if (--_depth == 0) { _scan++; return true; }
                        break;
                    case (byte)'/':
                        if (_scan + 1 >= _length && !_eof) return false;
                        if (_scan + 1 < _length && b[_scan + 1] == '/') { _comment = 1; _scan++; }
                        else if (_scan + 1 < _length && b[_scan + 1] == '*') { _comment = 2; _scan++; }
                        else if (_depth == 0) { _scalar = true; _started = true; }
                        break;
                    case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                        if (_depth == 0 && _started) return true;
                        break;
                    case (byte)',' or (byte)':':
                        if (_depth == 0) return true;
                        break;
                    default:
                        if (_depth == 0) { _scalar = true; _started = true; }
                        break;
                }
                _scan++;
            }
            return false;
        }
    }
}
