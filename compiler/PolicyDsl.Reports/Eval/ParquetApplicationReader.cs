using System.Globalization;
using Parquet;
using Parquet.Schema;
using PolicyDsl.Diagnostics;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// A problem with a Parquet applications file or the Parquet output, as its diagnostic (PDSL0625-0627, the messages in
/// <see cref="DiagnosticCatalog"/>): the message reads "error PDSLxxxx: ...", after the file's name where policyc prints it.
/// </summary>
public sealed class ParquetApplicationException(DiagnosticDescriptor descriptor, params object?[] args)
    : FormatException("error " + descriptor.Id + ": " + string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args))
{
    public string Id { get; } = descriptor.Id;
}

/// <summary>
/// Reads applications from a Parquet file (docs/semantics.md §25.6): the columns of the CSV input with the same
/// meaning (id, enterprise, rule, date; subject, location, funded_by_higher_level; fact.NAME), typed. A row's
/// number is its place in the file counting from 1 ("row 7"). A column's type is checked once, against what the
/// column means: a type that can never hold it is PDSL0625 and nothing is read; a file that is not Parquet, a
/// nested or repeated column, a missing or unknown column is PDSL0626. Each row is then evaluated or rejected
/// with its reason, as a CSV row is: an empty (null or "") required cell, a string that is not yyyy-MM-dd, a
/// fact value that is not of the kind the row's rule declares. What each Parquet type may hold:
///
///   id, enterprise, rule, subject, location: STRING, or an integer (its digits);
///   date: DATE, or a STRING yyyy-MM-dd (not a TIMESTAMP: it has a time and a zone);
///   funded_by_higher_level: BOOLEAN, or a STRING as in CSV (true/false/yes/no);
///   fact.NAME: a STRING is read exactly as the CSV cell; else, by the fact's kind: a quantity DECIMAL, an
///   integer, or FLOAT/DOUBLE (the shortest text that reads back as the same double, then read exactly: 0.1 is
///   0.1); yes/no BOOLEAN; a date DATE; a level or one-of an integer (its digits are the key).
///
/// Row groups are read one at a time, so memory is bounded by the largest row group of the file.
/// </summary>
public sealed class ParquetApplicationReader(RuleIndex rules)
{

    public ParquetApplicationReader(CheckedPolicy policy) : this(new RuleIndex(policy)) { }

    /// <summary>What a column holds, whatever its Parquet physical and logical types.</summary>
    internal enum Kind { Text, Integer, Decimal, Double, Boolean, Date, Other }

    /// <summary>One cell of a row group, decoded.</summary>
    internal readonly record struct Cell(bool Null, string? Text = null, decimal Number = 0m, double Double = 0, bool Boolean = false, DateOnly Date = default);

    private sealed record Column(string Name, int Index, DataField Field, Kind Kind, string TypeName);

    public IEnumerable<InputRow> Read(Stream input)
    {
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(input, ParquetAwardSink.Options(treatByteArrayAsString: true), leaveStreamOpen: true)
                .GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ParquetApplicationException(DiagnosticCatalog.ParquetFileShape, $"the file cannot be read as Parquet ({e.Message})",
                "a Parquet file (it starts and ends with PAR1)", "write it with COPY ... TO 'FILE.parquet' (FORMAT parquet), or give a .csv or .json file");
        }
        try
        {
            var columns = Columns(reader);
            var layout = new Layout(columns);
            long row = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = checked((int)group.RowCount);
                var data = new Data[columns.Count];
                for (var c = 0; c < columns.Count; c++) data[c] = ReadColumn(group, columns[c], count);
                for (var i = 0; i < count; i++)
                    yield return Parse(++row, layout, data, i);
            }
        }
        finally
        {
            Wait(reader.DisposeAsync());
        }
    }

    // ---------- the schema ----------

    private List<Column> Columns(ParquetReader reader)
    {
        var fields = reader.Schema.Fields;
        var columns = new List<Column>();
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            if (f is not DataField d || d.IsArray)
                throw new ParquetApplicationException(DiagnosticCatalog.ParquetFileShape,
                    $"column {i + 1} '{f.Name}' is {(f is DataField ? "a repeated (list) column" : "a nested " + f.SchemaType.ToString().ToLowerInvariant() + " column")}",
                    "one value per row in every column", "flatten it (in DuckDB: unnest, or select its parts as columns)");
            columns.Add(new Column(d.Name, i + 1, d, KindOf(d.ClrType), TypeName(d)));
        }
        var names = columns.Select(c => c.Name).ToList();
        var twice = ApplicationColumns.Repeated(names);
        if (twice.Count > 0) throw new ParquetApplicationException(DiagnosticCatalog.ParquetFileShape, "the file has column(s) " + string.Join(", ", twice) + " more than once",
            "each column once", "each fact is given once, in a column fact.NAME");
        var missing = ApplicationColumns.Missing(names);
        if (missing.Count > 0) throw new ParquetApplicationException(DiagnosticCatalog.ParquetFileShape, "the file lacks the column(s) " + string.Join(", ", missing),
            "the columns id, enterprise, rule and date", "the columns are those of the CSV input (docs/semantics.md §25.6)");
        var unknown = ApplicationColumns.Unknown(names);
        if (unknown.Count > 0) throw new ParquetApplicationException(DiagnosticCatalog.ParquetFileShape, "unknown column(s) " + string.Join(", ", unknown),
            "id, enterprise, rule, date, subject, location, funded_by_higher_level or fact.NAME", "facts are columns named fact.NAME");
        foreach (var c in columns) Check(c);
        return columns;
    }

    /// <summary>Parquet.Net gives a STRING column the CLR type ReadOnlyMemory&lt;char&gt; (read as strings all the same).</summary>
    private static bool IsString(Type t) => t == typeof(string) || t == typeof(ReadOnlyMemory<char>);

    private static Kind KindOf(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (IsString(t)) return Kind.Text;
        if (t == typeof(bool)) return Kind.Boolean;
        if (t == typeof(decimal)) return Kind.Decimal;
        if (t == typeof(double) || t == typeof(float)) return Kind.Double;
        if (t == typeof(DateOnly)) return Kind.Date;
        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(sbyte)
            || t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) || t == typeof(byte)) return Kind.Integer;
        return Kind.Other;
    }

    private static string TypeName(DataField f) => f switch
    {
        DecimalDataField d => $"DECIMAL({d.Precision},{d.Scale})",
        DateTimeDataField => "TIMESTAMP",
        _ => (Nullable.GetUnderlyingType(f.ClrType) ?? f.ClrType) switch
        {
            var t when IsString(t) => "STRING",
            var t when t == typeof(bool) => "BOOLEAN",
            var t when t == typeof(double) => "DOUBLE",
            var t when t == typeof(float) => "FLOAT",
            var t when t == typeof(DateOnly) => "DATE",
            var t when t == typeof(DateTime) || t == typeof(DateTimeOffset) => "TIMESTAMP",
            var t when t == typeof(TimeSpan) || t == typeof(TimeOnly) => "TIME",
            var t when t == typeof(int) => "INT32",
            var t when t == typeof(long) => "INT64",
            var t when t == typeof(short) => "INT16",
            var t when t == typeof(sbyte) => "INT8",
            var t when t == typeof(uint) => "UINT32",
            var t when t == typeof(ulong) => "UINT64",
            var t when t == typeof(ushort) => "UINT16",
            var t when t == typeof(byte) => "UINT8",
            var t when t == typeof(byte[]) => "BINARY",
            var t => t.Name,
        },
    };

    /// <summary>The Parquet types a column may have: the expected text of PDSL0625.</summary>
    private static string Accepted(FactKind kind) => kind switch
    {
        FactKind.Quantity => "DECIMAL, an integer, DOUBLE or a STRING",
        FactKind.YesNo => "BOOLEAN or a STRING",
        FactKind.Date => "DATE or a STRING yyyy-MM-dd",
        _ => "a STRING or an integer",
    };

    private static bool Fits(FactKind kind, Kind column) => column == Kind.Text || kind switch
    {
        FactKind.Quantity => column is Kind.Decimal or Kind.Integer or Kind.Double,
        FactKind.YesNo => column == Kind.Boolean,
        FactKind.Date => column == Kind.Date,
        _ => column == Kind.Integer,
    };

    /// <summary>PDSL0625 when the column's type can hold none of the values the column may mean.</summary>
    private void Check(Column c)
    {
        string? expected = c.Name switch
        {
            "id" or "enterprise" or "rule" or "subject" or "location" => c.Kind is Kind.Text or Kind.Integer ? null : "a STRING (or an integer)",
            "date" => c.Kind is Kind.Date or Kind.Text ? null : "DATE or a STRING yyyy-MM-dd",
            "funded_by_higher_level" => c.Kind is Kind.Boolean or Kind.Text ? null : "BOOLEAN or a STRING true/false",
            _ => FactExpected(c),
        };
        if (expected is null) return;
        var cast = c.Name == "date" ? "CAST(date AS DATE)" : c.Name.StartsWith("fact.", StringComparison.Ordinal) ? $"CAST(\"{c.Name}\" AS VARCHAR) or a type above" : $"CAST({c.Name} AS VARCHAR)";
        throw new ParquetApplicationException(DiagnosticCatalog.ParquetColumnType, c.Index, c.Name, c.TypeName, expected,
            $"write the column as {cast} (in DuckDB: COPY (SELECT ..., {cast} AS \"{c.Name}\" FROM ...) TO 'FILE.parquet')");
    }

    private string? FactExpected(Column c)
    {
        if (c.Kind == Kind.Text) return null;
        var name = c.Name["fact.".Length..];
        var kinds = rules.Policy.Rules.Select(r => rules.Fact(r, name)).Where(f => f is not null).Select(f => f!).ToList();
        if (c.Kind == Kind.Other) return kinds.Count == 0 ? "a STRING, a number, BOOLEAN or DATE" : string.Join("; or ", kinds.Select(f => f.Kind).Distinct().Select(Accepted));
        if (kinds.Count == 0 || kinds.Any(f => Fits(f.Kind, c.Kind))) return null; // a fact no rule declares: passed on for the evaluator to name
        var first = kinds[0];
        return Accepted(first.Kind) + $" (fact {name} is {FactParsing.Expected(first)})";
    }

    // ---------- the cells ----------

    /// <summary>One column of a row group, in its typed array (a cell is decoded when its row is read).</summary>
    private abstract class Data
    {
        public abstract Cell Get(int i);
    }

    private sealed class Texts(string?[] values) : Data
    {
        public override Cell Get(int i) => values[i] is { } s ? new Cell(false, Text: s) : new Cell(true);
    }

    private sealed class Values<T>(T?[] values, Func<T, Cell> cell) : Data where T : struct
    {
        public override Cell Get(int i) => values[i] is { } v ? cell(v) : new Cell(true);
    }

    private sealed class NotNull<T>(T[] values, Func<T, Cell> cell) : Data where T : struct
    {
        public override Cell Get(int i) => cell(values[i]);
    }

    private sealed class Constant(Cell cell) : Data
    {
        public override Cell Get(int i) => cell;
    }

    private static Data ReadColumn(ParquetRowGroupReader group, Column c, int count)
    {
        var f = c.Field;
        var t = Nullable.GetUnderlyingType(f.ClrType) ?? f.ClrType;
        if (IsString(t))
        {
            var values = new string?[count];
            Wait(group.ReadAsync(f, values.AsMemory()));
            return new Texts(values);
        }
        if (t == typeof(bool)) return Read<bool>(group, f, count, static v => new Cell(false, Text: v ? "true" : "false", Boolean: v));
        if (t == typeof(decimal)) return Read<decimal>(group, f, count, static v => new Cell(false, Number: v));
        if (t == typeof(double)) return Read<double>(group, f, count, static v => new Cell(false, Double: v));
        if (t == typeof(float)) return Read<float>(group, f, count, static v => new Cell(false, Double: v));
        if (t == typeof(DateOnly)) return Read<DateOnly>(group, f, count, static v => new Cell(false, Date: v));
        if (t == typeof(int)) return Read<int>(group, f, count, static v => Integer(v));
        if (t == typeof(long)) return Read<long>(group, f, count, static v => Integer(v));
        if (t == typeof(short)) return Read<short>(group, f, count, static v => Integer(v));
        if (t == typeof(sbyte)) return Read<sbyte>(group, f, count, static v => Integer(v));
        if (t == typeof(uint)) return Read<uint>(group, f, count, static v => Integer(v));
        if (t == typeof(ulong)) return Read<ulong>(group, f, count, static v => Integer(v));
        if (t == typeof(ushort)) return Read<ushort>(group, f, count, static v => Integer(v));
        if (t == typeof(byte)) return Read<byte>(group, f, count, static v => Integer(v));
        // A type no column may have (checked above): only a fact no rule declares gets here, given as its type's name.
        return new Constant(new Cell(false, Text: c.TypeName));
    }

    private static Cell Integer(decimal v) => new(false, Text: v.ToString(CultureInfo.InvariantCulture), Number: v);

    private static Data Read<T>(ParquetRowGroupReader group, DataField f, int count, Func<T, Cell> cell) where T : struct
    {
        if (f.IsNullable)
        {
            var values = new T?[count];
            Wait(group.ReadAsync(f, values.AsMemory()));
            return new Values<T>(values, cell);
        }
        var required = new T[count];
        Wait(group.ReadAsync(f, required.AsMemory()));
        return new NotNull<T>(required, cell);
    }

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    private static void Wait(ValueTask task) => task.GetAwaiter().GetResult();

    private static string Label(long row) => "row " + row.ToString(CultureInfo.InvariantCulture);

    private static string? Text(Cell c) => c.Null || c.Text is not { Length: > 0 } t ? null : t;

    /// <summary>Where each column is (-1: absent), and the fact columns with their fact names.</summary>
    private sealed class Layout(List<Column> columns)
    {
        public readonly int Id = columns.FindIndex(c => c.Name == "id"), Enterprise = columns.FindIndex(c => c.Name == "enterprise"),
            Rule = columns.FindIndex(c => c.Name == "rule"), Date = columns.FindIndex(c => c.Name == "date"),
            Subject = columns.FindIndex(c => c.Name == "subject"), Location = columns.FindIndex(c => c.Name == "location"),
            Funded = columns.FindIndex(c => c.Name == "funded_by_higher_level");

        public readonly Column DateColumn = columns.Single(c => c.Name == "date");

        public readonly (Column Column, string Name)[] Facts = columns.Where(c => c.Name.StartsWith("fact.", StringComparison.Ordinal))
            .Select(c => (c, c.Name["fact.".Length..])).ToArray();
    }

    private InputRow Parse(long row, Layout l, Data[] data, int i)
    {
        string? Get(int at) => at < 0 ? null : Text(data[at].Get(i));
        var id = Get(l.Id);
        var enterprise = Get(l.Enterprise);
        var ruleName = Get(l.Rule);
        var empty = new List<string>();
        if (id is null) empty.Add("id");
        if (enterprise is null) empty.Add("enterprise");
        if (ruleName is null) empty.Add("rule");
        var d = data[l.Date].Get(i);
        if (d.Null || (l.DateColumn.Kind == Kind.Text && d.Text!.Length == 0)) empty.Add("date");
        if (empty.Count > 0) return new UnreadableRow(row, Label(row), id, "empty: " + string.Join(", ", empty), enterprise, ruleName);
        DateOnly day;
        if (l.DateColumn.Kind == Kind.Date) day = d.Date;
        else if (!FactParsing.TryDate(d.Text, out day)) return new UnreadableRow(row, Label(row), id, $"date '{d.Text}' is not yyyy-MM-dd", enterprise, ruleName);
        var fundedByHigherLevel = false;
        if (l.Funded >= 0 && data[l.Funded].Get(i) is { Null: false } fc)
        {
            var text = fc.Text!;
            if (!ApplicationColumns.TryFunded(text, out fundedByHigherLevel)) return new UnreadableRow(row, Label(row), id, $"funded_by_higher_level is '{text}'; expected true or false", enterprise, ruleName);
        }
        var rule = rules.Rule(ruleName!);
        List<KeyValuePair<string, FactValue>>? facts = null;
        foreach (var (c, name) in l.Facts)
        {
            var cell = data[c.Index - 1].Get(i);
            if (cell.Null || (c.Kind == Kind.Text && cell.Text!.Length == 0)) continue;
            var value = Fact(rules.Fact(rule, name), name, c, cell, out var error);
            if (error is not null) return new UnreadableRow(row, Label(row), id, error, enterprise, ruleName);
            (facts ??= new()).Add(new(name, value!));
        }
        var app = new Application(id!, enterprise!, rule?.Name ?? ruleName!, day, facts is null ? Facts.Empty : new Facts(facts), Get(l.Subject), Get(l.Location), fundedByHigherLevel);
        return new ApplicationRow(row, Label(row), app);
    }

    /// <summary>A fact cell as the kind the row's rule declares (a STRING exactly as a CSV cell).</summary>
    private static FactValue? Fact(Fact? fact, string name, Column c, Cell cell, out string? error)
    {
        error = FactParsing.NotGiven(fact, name);
        if (error is not null) return null;
        if (c.Kind == Kind.Text) return FactParsing.FromText(fact, name, cell.Text, out error);
        if (fact is null)
        {
            // Not a fact of the row's rule: passed on as its text, for the evaluator to name (as CSV does).
            return FactValue.Member(Show(c, cell));
        }
        if (!Fits(fact.Kind, c.Kind))
        {
            error = $"fact {name} is the {c.TypeName} {Show(c, cell)}; expected {FactParsing.Expected(fact)}";
            return null;
        }
        switch (c.Kind)
        {
            case Kind.Decimal:
                return FactValue.Of(cell.Number);
            case Kind.Integer:
                return fact.Kind == FactKind.Quantity ? FactValue.Of(cell.Number) : FactValue.Member(cell.Text!);
            case Kind.Double:
                if (!double.IsFinite(cell.Double))
                {
                    error = $"fact {name} is the {c.TypeName} {Show(c, cell)}; expected {FactParsing.Expected(fact)}";
                    return null;
                }
                return FactParsing.FromText(fact, name, Show(c, cell), out error);
            case Kind.Boolean:
                return FactValue.Of(cell.Boolean);
            case Kind.Date:
                return FactValue.Of(cell.Date);
            default:
                error = $"fact {name} is a {c.TypeName}; expected {FactParsing.Expected(fact)}";
                return null;
        }
    }

    private static string Show(Column c, Cell cell) => c.Kind switch
    {
        Kind.Decimal => Fmt.Plain(cell.Number),
        Kind.Double => c.Field.ClrType == typeof(float) || c.Field.ClrType == typeof(float?) ? ((float)cell.Double).ToString("R", CultureInfo.InvariantCulture) : cell.Double.ToString("R", CultureInfo.InvariantCulture),
        Kind.Date => cell.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => cell.Text ?? "",
    };
}
