using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using PolicyDsl.Model;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// policyc eval's Parquet output and input (docs/semantics.md §25.6), read back with Parquet.Net (DuckDB is not on
/// the machine's package list for .NET tests; docs/benchmarks.md shows DuckDB reading the same files): the Parquet
/// results of a CSV equal its CSV results cell for cell on every sample; applications read from Parquet pay what
/// the same applications read from CSV pay; a column of the wrong type is PDSL0625, a file that is no applications
/// file PDSL0626, an amount too precise for DECIMAL(38,18) PDSL0627; files span several row groups.
/// </summary>
public sealed class ParquetTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static IEnumerable<(string Name, CheckedPolicy Policy)> Samples()
    {
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Support.Root, "samples"), "*.policy", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rules = File.Exists(Path.ChangeExtension(path, ".rules")) ? Path.ChangeExtension(path, ".rules") : null;
            if (Cli.ReportCommand.LoadPolicy(path, rules, TextWriter.Null, out var policy) is not null) continue; // a sample with errors on purpose
            yield return (Path.GetFileName(path), policy!);
        }
    }

    // ---------- random applications, written as CSV and as Parquet ----------

    /// <summary>Applications of random rules by a few enterprises: facts mostly valid, some missing, negative, above their bound, not a member, outside validity.</summary>
    private static List<Application> RandomApplications(CheckedPolicy policy, Random random, int count)
    {
        var rules = policy.Rules.ToArray();
        var apps = new List<Application>();
        for (var i = 0; i < count; i++)
        {
            var rule = rules[random.Next(rules.Length)];
            var facts = new List<KeyValuePair<string, FactValue>>();
            foreach (var fact in rule.Facts.Where(f => !f.Derived)) // a derived fact is never given (§27.1)
            {
                var odd = random.Next(40);
                if (odd == 0) continue;
                FactValue value = fact.Kind switch
                {
                    FactKind.Quantity => FactValue.Of(odd == 2 ? -1m : odd == 3 && fact.AtMost is { } most ? most + 1m
                        : Math.Min(fact.AtMost ?? 5_000_000m, Math.Round((decimal)random.NextDouble() * (random.Next(3) == 0 ? 100m : 1_000_000m), random.Next(3)))),
                    FactKind.YesNo => FactValue.Of(random.Next(5) != 0),
                    FactKind.Date => FactValue.Of(new DateOnly(2023 + random.Next(5), 1 + random.Next(12), 1 + random.Next(28))),
                    _ => FactValue.Member(odd == 1 || fact.Members.IsEmpty ? "no-such-member" : fact.Members[random.Next(fact.Members.Count)].Key),
                };
                facts.Add(new(fact.Name, value));
            }
            apps.Add(new Application("A" + i.ToString(CultureInfo.InvariantCulture), "E" + random.Next(40).ToString(CultureInfo.InvariantCulture), rule.Name,
                new DateOnly(2022 + random.Next(6), 1 + random.Next(12), 1 + random.Next(28)), new Facts(facts),
                random.Next(3) == 0 ? "S" + random.Next(3).ToString(CultureInfo.InvariantCulture) : null,
                random.Next(2) == 0 ? policy.General.CostSharing.FirstOrDefault()?.Location : null, random.Next(8) == 0));
        }
        return apps;
    }

    /// <summary>Every fact name of the policy, with the one kind it has in every rule (null: kinds differ between rules).</summary>
    private static List<(string Name, FactKind? Kind)> FactColumns(CheckedPolicy policy) =>
        policy.Rules.SelectMany(r => r.Facts.Where(f => !f.Derived)).GroupBy(f => f.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(f => f.Kind).Distinct().Count() == 1 ? g.First().Kind : (FactKind?)null)).ToList();

    private static string? FactText(Application a, string name) => a.Facts.Values.TryGetValue(name, out var v) ? v switch
    {
        QuantityValue q => q.Value.ToString(CultureInfo.InvariantCulture),
        YesNoValue y => y.Value ? "true" : "false",
        DateValue d => d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        MemberValue m => m.Key,
        _ => throw new InvalidOperationException(v.ToString()),
    } : null;

    private static string Csv(string? cell) =>
        cell is null ? "" : cell.AsSpan().IndexOfAny(",\"\n\r") < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private string WriteCsv(string name, CheckedPolicy policy, List<Application> apps)
    {
        var facts = FactColumns(policy);
        var sb = new StringBuilder("id,enterprise,rule,date,subject,location,funded_by_higher_level");
        foreach (var (f, _) in facts) sb.Append(",fact.").Append(f);
        sb.Append('\n');
        foreach (var a in apps)
        {
            sb.Append(Csv(a.Id)).Append(',').Append(Csv(a.Enterprise)).Append(',').Append(Csv(a.Rule)).Append(',')
                .Append(a.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',').Append(Csv(a.Subject)).Append(',').Append(Csv(a.Location))
                .Append(',').Append(a.FundedByHigherLevelPolicy ? "true" : "false");
            foreach (var (f, _) in facts) sb.Append(',').Append(Csv(FactText(a, f)));
            sb.Append('\n');
        }
        return _dir.Write(name, sb.ToString());
    }

    /// <summary>The same applications as typed Parquet columns (quantities in turn DECIMAL, DOUBLE and STRING), in row groups of groupRows.</summary>
    private string WriteParquet(string name, CheckedPolicy policy, List<Application> apps, int groupRows)
    {
        var facts = FactColumns(policy);
        var id = new DataField<string>("id");
        var enterprise = new DataField<string>("enterprise");
        var rule = new DataField<string>("rule");
        var date = new DataField<DateOnly>("date");
        var subject = new DataField<string>("subject", true);
        var location = new DataField<string>("location", true);
        var funded = new DataField<bool>("funded_by_higher_level");
        var quantityTurn = 0;
        var factFields = facts.Select(f => (f.Name, f.Kind, Field: f.Kind switch
        {
            FactKind.Quantity => (quantityTurn++ % 3) switch
            {
                0 => (DataField)new DecimalDataField("fact." + f.Name, 38, 18, true, isNullable: true),
                1 => new DataField<double?>("fact." + f.Name),
                _ => new DataField<string>("fact." + f.Name, true),
            },
            FactKind.YesNo => new DataField<bool?>("fact." + f.Name),
            FactKind.Date => new DataField<DateOnly?>("fact." + f.Name),
            _ => new DataField<string>("fact." + f.Name, true),
        })).ToList();
        var path = _dir.File(name);
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(new Field[] { id, enterprise, rule, date, subject, location, funded }.Concat(factFields.Select(f => f.Field))), stream)
            .GetAwaiter().GetResult();
        for (var start = 0; start < apps.Count; start += groupRows)
        {
            var part = apps.Skip(start).Take(groupRows).ToList();
            using var g = writer.CreateRowGroup();
            g.WriteAsync(id, part.Select(a => a.Id).ToList()).GetAwaiter().GetResult();
            g.WriteAsync(enterprise, part.Select(a => a.Enterprise).ToList()).GetAwaiter().GetResult();
            g.WriteAsync(rule, part.Select(a => a.Rule).ToList()).GetAwaiter().GetResult();
            g.WriteAsync(date, (ReadOnlyMemory<DateOnly>)part.Select(a => a.Date).ToArray()).GetAwaiter().GetResult();
            g.WriteAsync(subject, part.Select(a => a.Subject!).ToList()).GetAwaiter().GetResult();
            g.WriteAsync(location, part.Select(a => a.Location!).ToList()).GetAwaiter().GetResult();
            g.WriteAsync(funded, (ReadOnlyMemory<bool>)part.Select(a => a.FundedByHigherLevelPolicy).ToArray()).GetAwaiter().GetResult();
            foreach (var (fact, kind, field) in factFields)
            {
                var values = part.Select(a => a.Facts.Values.TryGetValue(fact, out var v) ? v : null).ToList();
                switch (field)
                {
                    case DecimalDataField d:
                        g.WriteAsync(d, (ReadOnlyMemory<decimal?>)values.Select(v => v is QuantityValue q ? q.Value : (decimal?)null).ToArray()).GetAwaiter().GetResult();
                        break;
                    case DataField<double?> d:
                        g.WriteAsync(d, (ReadOnlyMemory<double?>)values.Select(v => v is QuantityValue q ? (double)q.Value : (double?)null).ToArray()).GetAwaiter().GetResult();
                        break;
                    case DataField<bool?> b:
                        g.WriteAsync(b, (ReadOnlyMemory<bool?>)values.Select(v => v is YesNoValue y ? y.Value : (bool?)null).ToArray()).GetAwaiter().GetResult();
                        break;
                    case DataField<DateOnly?> dd:
                        g.WriteAsync(dd, (ReadOnlyMemory<DateOnly?>)values.Select(v => v is DateValue x ? x.Value : (DateOnly?)null).ToArray()).GetAwaiter().GetResult();
                        break;
                    default:
                        g.WriteAsync(field, part.Select(a => FactText(a, fact)!).ToList()).GetAwaiter().GetResult();
                        break;
                }
            }
        }
        writer.DisposeAsync().GetAwaiter().GetResult();
        return path;
    }

    // ---------- evaluating, and reading the results back ----------

    private static readonly EvalOptions Small = new() { MemoryRows = 150, Parallelism = 2 }; // the spill to disk and the merge run too

    private static string EvalToCsv(CheckedPolicy policy, string input, string format)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using var stream = File.OpenRead(input);
        StreamingEvaluator.Run(policy, stream, format, new CsvAwardSink(text), options: Small);
        return text.ToString();
    }

    private static void EvalToParquet(CheckedPolicy policy, string input, string format, string output, int groupRows)
    {
        using var stream = File.OpenRead(input);
        using var sink = new ParquetAwardSink(policy, output, rowGroupRows: groupRows);
        StreamingEvaluator.Run(policy, stream, format, sink, options: Small);
    }

    /// <summary>RFC 4180 records (the test's own reading of the CSV output).</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\n') { fields.Add(cell.ToString()); cell.Clear(); records.Add(fields.ToArray()); fields.Clear(); }
            else cell.Append(c);
        }
        return records;
    }

    private sealed record Columns(Dictionary<string, object?[]> Values, int RowGroups)
    {
        public int Count => Values.First().Value.Length;
    }

    private static Columns ReadParquet(string path)
    {
        var reader = ParquetReader.CreateAsync(path, new ParquetOptions { UseDateOnlyTypeForDates = true }).GetAwaiter().GetResult();
        var values = reader.Schema.GetDataFields().ToDictionary(f => f.Name, _ => new List<object?>());
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            foreach (var f in reader.Schema.GetDataFields())
            {
                var t = Nullable.GetUnderlyingType(f.ClrType) ?? f.ClrType;
                object?[] column;
                if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) { var a = new string?[n]; group.ReadAsync(f, a.AsMemory()).GetAwaiter().GetResult(); column = a; }
                else if (t == typeof(long)) column = Read<long>(group, f, n);
                else if (t == typeof(int)) column = Read<int>(group, f, n);
                else if (t == typeof(decimal)) column = Read<decimal>(group, f, n);
                else if (t == typeof(DateOnly)) column = Read<DateOnly>(group, f, n);
                else throw new InvalidOperationException(f.ToString());
                values[f.Name].AddRange(column);
            }
        }
        var count = reader.RowGroupCount;
        reader.DisposeAsync().GetAwaiter().GetResult();
        return new Columns(values.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), count);
    }

    private static object?[] Read<T>(ParquetRowGroupReader group, DataField f, int n) where T : struct
    {
        if (f.IsNullable)
        {
            var a = new T?[n];
            group.ReadAsync(f, a.AsMemory()).GetAwaiter().GetResult();
            return a.Select(v => v.HasValue ? (object?)v.Value : null).ToArray();
        }
        var b = new T[n];
        group.ReadAsync(f, b.AsMemory()).GetAwaiter().GetResult();
        return b.Select(v => (object?)v).ToArray();
    }

    /// <summary>A Parquet cell as the CSV output writes it (numbers without trailing zeros, the CSV's formula guard on text).</summary>
    private static string Text(object? value) => value switch
    {
        null => "",
        decimal d => Fmt.Plain(d),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _) ? "'" + s : s,
        _ => throw new InvalidOperationException(value.GetType().Name),
    };

    private static readonly string[] CsvColumns = ["row", "id", "enterprise", "rule", "date", "status", "amount", "paid", "bound_by", "money_ceiling", "payers", "reason", "trace"];

    // ---------- the tests ----------

    [Fact]
    public void The_parquet_results_of_a_csv_equal_its_csv_results_cell_for_cell_on_every_sample()
    {
        var samples = 0;
        foreach (var (name, policy) in Samples())
        {
            samples++;
            var apps = RandomApplications(policy, new Random(name.Length * 31 + 6), 700);
            var csvIn = WriteCsv(name + ".csv", policy, apps);
            var expected = ParseCsv(EvalToCsv(policy, csvIn, "csv"));
            Assert.Equal(CsvColumns, expected[0]);
            var output = _dir.File(name + ".parquet");
            EvalToParquet(policy, csvIn, "csv", output, groupRows: 97);

            var rows = ReadParquet(output);
            var totals = ReadParquet(ParquetAwardSink.TotalsPath(output));
            Assert.True(rows.RowGroups > 1, $"{name}: {rows.RowGroups} row group(s) for {rows.Count} rows");
            Assert.Equal(["row", "id", "enterprise", "rule", "date", "year", "status", "amount", "paid", "bound_by", "money_ceiling", "payers", "reason", "trace"], rows.Values.Keys);
            var csvRows = expected.Skip(1).Where(r => r[5] != "total").ToList();
            var csvTotals = expected.Skip(1).Where(r => r[5] == "total").ToList();
            Assert.Equal(csvRows.Count, rows.Count);
            Assert.True(csvRows.Count(r => r[5] == "evaluated") > 50 && csvRows.Count(r => r[5] == "rejected") > 5, $"{name}: the random applications should give both evaluated and rejected rows");
            for (var i = 0; i < csvRows.Count; i++)
                foreach (var (column, c) in CsvColumns.Select((c, k) => (c, k)))
                    Assert.True(csvRows[i][c] == Text(rows.Values[column][i]), $"{name} row {i} {column}: CSV «{csvRows[i][c]}», Parquet «{Text(rows.Values[column][i])}»");

            // The totals file holds the CSV's total lines, in order (year null: all years).
            Assert.Equal(csvTotals.Count, totals.Count);
            for (var i = 0; i < csvTotals.Count; i++)
            {
                Assert.Equal(csvTotals[i][2], Text(totals.Values["enterprise"][i]));
                Assert.Equal(csvTotals[i][4], totals.Values["year"][i] is null ? "all" : Text(totals.Values["year"][i]));
                Assert.Equal(csvTotals[i][7], Text(totals.Values["paid"][i]));
            }
            // The year column is what the totals group by: sum(paid) per enterprise and year over the rows file gives the totals file.
            var sums = Enumerable.Range(0, rows.Count).Where(i => (string?)rows.Values["status"][i] == "evaluated")
                .GroupBy(i => ((string)rows.Values["enterprise"][i]!, (int)rows.Values["year"][i]!))
                .ToDictionary(g => g.Key, g => g.Sum(i => (decimal)rows.Values["paid"][i]!));
            var yearly = Enumerable.Range(0, totals.Count).Where(i => totals.Values["year"][i] is not null)
                .ToDictionary(i => ((string)totals.Values["enterprise"][i]!, (int)totals.Values["year"][i]!), i => (decimal)totals.Values["paid"][i]!);
            Assert.Equal(yearly.OrderBy(kv => kv.Key), sums.OrderBy(kv => kv.Key));
        }
        Assert.True(samples >= 3);
    }

    [Fact]
    public void Applications_read_from_parquet_pay_what_the_same_applications_read_from_csv_pay_on_every_sample()
    {
        var samples = 0;
        foreach (var (name, policy) in Samples())
        {
            samples++;
            var apps = RandomApplications(policy, new Random(name.Length * 17 + 25), 600);
            var fromCsv = ParseCsv(EvalToCsv(policy, WriteCsv(name + ".csv", policy, apps), "csv"));
            var fromParquet = ParseCsv(EvalToCsv(policy, WriteParquet(name + ".in.parquet", policy, apps, groupRows: 128), "parquet"));
            Assert.Equal(fromCsv.Count, fromParquet.Count);
            for (var i = 0; i < fromCsv.Count; i++)
            {
                var (c, p) = (fromCsv[i], fromParquet[i]);
                // A CSV row's number is its line (the header is line 1); a Parquet row's its place from 1.
                if (i > 0 && c[0].Length > 0) Assert.Equal(long.Parse(c[0], CultureInfo.InvariantCulture) - 1, long.Parse(p[0], CultureInfo.InvariantCulture));
                Assert.True(c.Skip(1).SequenceEqual(p.Skip(1)), $"{name} line {i}: CSV «{string.Join(',', c)}», Parquet «{string.Join(',', p)}»");
            }
            Assert.Contains(fromParquet, r => r[5] == "rejected");
        }
        Assert.True(samples >= 3);
    }

    [Fact]
    public void The_command_line_reads_and_writes_parquet_and_needs_an_output_file()
    {
        var apps = RandomApplications(Support.Sample, new Random(18), 300);
        var input = WriteParquet("in.parquet", Support.Sample, apps, groupRows: 100);
        var output = _dir.File("out/results.parquet");
        var error = new StringWriter();
        var code = Cli.EvalCommand.Run(Support.SamplePolicyPath, Support.SampleRulesPath, input, "parquet", output, TextWriter.Null, error, cacheDirectory: _dir.Path);
        Assert.True(code is 0 or 1, error.ToString());
        Assert.Contains("policyc: 300 rows", error.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(_dir.File("out/results.totals.parquet")));
        Assert.Equal(300, ReadParquet(output).Count);

        var csv = _dir.File("out.csv");
        Assert.Equal(code, Cli.EvalCommand.Run(Support.SamplePolicyPath, Support.SampleRulesPath, WriteCsv("in.csv", Support.Sample, apps), "csv", csv, TextWriter.Null, TextWriter.Null, cacheDirectory: _dir.Path));
        var paid = ReadParquet(output).Values["paid"].Where(v => v is not null).Sum(v => (decimal)v!);
        Assert.Equal(ParseCsv(File.ReadAllText(csv)).Skip(1).Where(r => r[5] == "evaluated").Sum(r => decimal.Parse(r[7], CultureInfo.InvariantCulture)), paid);

        // From standard input (a pipe cannot seek; a Parquet file is read from its footer): the same rows.
        var piped = _dir.File("out/piped.parquet");
        using (var stdin = new ForwardOnly(File.ReadAllBytes(input)))
            Assert.Equal(code, Cli.EvalCommand.Run(Support.SamplePolicyPath, Support.SampleRulesPath, "-", "parquet", piped, TextWriter.Null, TextWriter.Null,
                cacheDirectory: _dir.Path, inputFormat: "parquet", standardInput: stdin));
        Assert.Equal(ReadParquet(output).Values["paid"], ReadParquet(piped).Values["paid"]);

        var (usage, _, err) = Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", input, "--format", "parquet");
        Assert.Equal(2, usage);
        Assert.Contains("--format parquet writes files: expected -o FILE.parquet", err, StringComparison.Ordinal);
    }

    private string WriteColumns(string name, params (DataField Field, Array Values)[] columns)
    {
        var path = _dir.File(name);
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field)), stream).GetAwaiter().GetResult();
        using (var g = writer.CreateRowGroup())
        {
            foreach (var (field, values) in columns)
            {
                var task = values switch
                {
                    string[] s => g.WriteAsync(field, s),
                    double[] d => g.WriteAsync(field, (ReadOnlyMemory<double>)d),
                    bool[] b => g.WriteAsync(field, (ReadOnlyMemory<bool>)b),
                    DateOnly[] d => g.WriteAsync(field, (ReadOnlyMemory<DateOnly>)d),
                    DateTime[] d => g.WriteAsync(field, (ReadOnlyMemory<DateTime>)d),
                    decimal[] d => g.WriteAsync(field, (ReadOnlyMemory<decimal>)d),
                    long[] l => g.WriteAsync(field, (ReadOnlyMemory<long>)l),
                    _ => throw new InvalidOperationException(values.GetType().Name),
                };
                task.GetAwaiter().GetResult();
            }
        }
        writer.DisposeAsync().GetAwaiter().GetResult();
        return path;
    }

    private static (DataField, Array)[] Base(int n, bool withDate = true)
    {
        var columns = new List<(DataField, Array)>
        {
            (new DataField<string>("id"), Enumerable.Range(1, n).Select(i => "A" + i.ToString(CultureInfo.InvariantCulture)).ToArray()),
            (new DataField<string>("enterprise"), Enumerable.Repeat("E1", n).ToArray()),
            (new DataField<string>("rule"), Enumerable.Repeat("outage_insurance", n).ToArray()),
        };
        if (withDate) columns.Add((new DataField<DateOnly>("date"), Enumerable.Repeat(new DateOnly(2026, 3, 1), n).ToArray()));
        return columns.ToArray();
    }

    private (int Code, string Error, string Csv) Eval(string input)
    {
        var error = new StringWriter();
        var output = _dir.File(Path.GetFileNameWithoutExtension(input) + ".out.csv");
        var code = Cli.EvalCommand.Run(Support.SamplePolicyPath, Support.SampleRulesPath, input, "csv", output, TextWriter.Null, error, compiled: false);
        return (code, error.ToString(), File.Exists(output) ? File.ReadAllText(output) : "");
    }

    [Fact]
    public void A_column_whose_type_cannot_hold_its_meaning_is_PDSL0625_and_nothing_is_evaluated()
    {
        var dateAsDouble = WriteColumns("date-double.parquet", [.. Base(2, withDate: false), (new DataField<double>("date"), new[] { 20260301.0, 20260302.0 })]);
        var (code, error, csv) = Eval(dateAsDouble);
        Assert.Equal(2, code);
        Assert.Contains("date-double.parquet: error PDSL0625: Column 4 'date' is DOUBLE: expected DATE or a STRING yyyy-MM-dd; hint: write the column as CAST(date AS DATE)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("evaluated", csv, StringComparison.Ordinal);

        // premium is a quantity in yuan in every rule that declares it: a BOOLEAN column cannot hold it.
        var premiumAsBool = WriteColumns("premium-bool.parquet", [.. Base(2), (new DataField<bool>("fact.premium"), new[] { true, false })]);
        (code, error, _) = Eval(premiumAsBool);
        Assert.Equal(2, code);
        Assert.Contains("error PDSL0625: Column 5 'fact.premium' is BOOLEAN: expected DECIMAL, an integer, DOUBLE or a STRING (fact premium is a number (a quantity in yuan))", error, StringComparison.Ordinal);

        // A timestamp is not a date (it has a time and a zone).
        var timestamp = WriteColumns("date-timestamp.parquet", [.. Base(1, withDate: false), (new DataField<DateTime>("date"), new[] { new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc) })]);
        (code, error, _) = Eval(timestamp);
        Assert.Equal(2, code);
        Assert.Contains("error PDSL0625: Column 4 'date' is TIMESTAMP: expected DATE or a STRING yyyy-MM-dd", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cells_are_read_by_the_csv_rules_and_a_bad_cell_rejects_its_row_with_the_csv_reason()
    {
        var path = WriteColumns("cells.parquet",
            [.. Base(4, withDate: false),
             (new DataField<string>("date"), new[] { "2026-03-01", "2026/03/02", "2026-03-03", "2026-03-04" }),
             (new DataField<bool>("fact.attached_to_property_insurance"), new[] { true, true, true, true }),
             (new DataField<string>("fact.premium"), new[] { "10", "10", "12abc", "2.5" })]);
        var (code, error, csv) = Eval(path);
        Assert.Equal(1, code);
        Assert.Contains("policyc: 4 rows, 2 evaluated, 2 rejected", error, StringComparison.Ordinal);
        var lines = ParseCsv(csv);
        Assert.Equal(["1", "A1", "E1", "outage_insurance", "2026-03-01", "evaluated", "0.0004"], lines[1].Take(7));
        Assert.Equal(["2", "A2", "E1", "outage_insurance", "", "rejected"], lines[2].Take(6));
        Assert.Equal("date '2026/03/02' is not yyyy-MM-dd", lines[2][11]);
        Assert.Equal("fact premium is '12abc'; expected a quantity in yuan", lines[3][11]);
        Assert.Equal(["4", "A4", "E1", "outage_insurance", "2026-03-04", "evaluated", "0.0001"], lines[4].Take(7));
    }

    [Fact]
    public void A_file_that_is_no_applications_file_is_PDSL0626()
    {
        var notParquet = _dir.Write("text.parquet", "id,enterprise\n");
        var (code, error, _) = Eval(notParquet);
        Assert.Equal(2, code);
        Assert.Contains("text.parquet: error PDSL0626: the file cannot be read as Parquet", error, StringComparison.Ordinal);

        (code, error, _) = Eval(WriteColumns("no-date.parquet", Base(1, withDate: false)));
        Assert.Equal(2, code);
        Assert.Contains("error PDSL0626: the file lacks the column(s) date: expected the columns id, enterprise, rule and date", error, StringComparison.Ordinal);

        (code, error, _) = Eval(WriteColumns("unknown.parquet", [.. Base(1), (new DataField<double>("premium"), new[] { 1.0 })]));
        Assert.Equal(2, code);
        Assert.Contains("error PDSL0626: unknown column(s) premium: expected id, enterprise, rule, date, subject, location, funded_by_higher_level or fact.NAME; hint: facts are columns named fact.NAME", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_amount_more_precise_than_the_parquet_decimal_is_PDSL0627_and_leaves_no_half_written_file()
    {
        var policy = Support.Compile("""
            policy Demo "示例政策"
              effective 2026-01-01 through 2026-12-31
              points worth at most 10000 yuan
            section 1 "支持企业" department "区科技局"
              clause 1 "展会补助"
                rule booth "展位费补助"
                  fact booth_fee: yuan
                  award 0.14 points per 2000 yuan of booth_fee
                  cap 5 points per project
            """);
        var input = _dir.Write("booth.csv", "id,enterprise,rule,date,fact.booth_fee\nA1,E1,booth,2026-03-01,2000\nA2,E2,booth,2026-03-01,1.000000000000000001\n");
        var output = _dir.File("booth.parquet");
        var e = Assert.Throws<ParquetApplicationException>(() => EvalToParquet(policy, input, "csv", output, groupRows: 10));
        Assert.Equal("PDSL0627", e.Id);
        Assert.Equal("error PDSL0627: amount 0.00007000000000000000007 of row 3 does not fit the Parquet column DECIMAL(38,18) exactly: expected an amount of at most 20 digits before the point and 18 after; " +
            "hint: add a 'round' line to the rule, or write --format csv or json, which keep every digit", e.Message);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(ParquetAwardSink.TotalsPath(output)));
        // The CSV keeps every digit.
        Assert.Contains("0.00007000000000000000007", EvalToCsv(policy, input, "csv"), StringComparison.Ordinal);

        // The page's right example (the award rounded) writes the file.
        var page = File.ReadAllText(Path.Combine(Support.Root, "docs/diagnostics/PDSL0627.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var right = page[page.IndexOf("## Right", StringComparison.Ordinal)..];
        var block = right[(right.IndexOf("```policy\n", StringComparison.Ordinal) + "```policy\n".Length)..];
        var rounded = Support.Compile(block[..block.IndexOf("```", StringComparison.Ordinal)]);
        EvalToParquet(rounded, input, "csv", output, groupRows: 10);
        var rows = ReadParquet(output);
        Assert.Equal([0.14m, 0m], rows.Values["amount"].Select(v => (decimal)v!));
    }
}
