using System.Globalization;
using System.Text;
using PolicyDsl.Model;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// §25.2: a CSV file whose enterprises' rows are contiguous is evaluated as it is read (no spill), and gives the same bytes
/// as the general path over the same rows with the reference interpreter: for sorted random applications of every sample
/// policy, with columns in another order, a byte-order mark, quoted cells with commas and quotes, blank lines, rows of no
/// enterprise and rows with a wrong number of fields in the middle. Files the streamed path must not take (shuffled,
/// a quoted cell over several lines, a stream that cannot seek) take the general path, with the same bytes.
/// </summary>
public sealed class StreamedCsvTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Every sample policy that checks, with its compiled rules (at least three of them).</summary>
    private List<(string Path, CheckedPolicy Policy, CompiledRules Compiled)> SamplePolicies()
    {
        var samples = new List<(string, CheckedPolicy, CompiledRules)>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Support.Root, "samples"), "*.policy", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rulesPath = Path.ChangeExtension(path, ".rules");
            if (Cli.ReportCommand.LoadPolicy(path, File.Exists(rulesPath) ? rulesPath : null, TextWriter.Null, out var policy) is not null) continue;
            var compiled = CompiledRules.Load(policy!, out var why, _dir.Path);
            Assert.True(compiled is not null, Path.GetFileName(path) + ": " + why);
            samples.Add((path, policy!, compiled!));
        }
        Assert.True(samples.Count >= 3);
        return samples;
    }

    [Fact]
    public void Sorted_csv_streams_and_gives_the_interpreters_bytes_on_every_sample()
    {
        foreach (var (path, policy, compiled) in SamplePolicies())
        {
            var random = new Random(Path.GetFileName(path).Length * 31 + 25);
            foreach (var variant in new[] { "plain", "reordered", "bom", "odd" })
            {
                var csv = Csv(policy, random, 700, sorted: true, variant);
                AssertSame(policy, compiled, csv, expectStreamed: true, Path.GetFileName(path) + " " + variant);
            }
            AssertSame(policy, compiled, Csv(policy, random, 1600, sorted: false, "plain"), expectStreamed: false, Path.GetFileName(path) + " shuffled"); // several batches
            AssertSame(policy, compiled, Csv(policy, random, 500, sorted: false, "names"), expectStreamed: false, Path.GetFileName(path) + " shuffled, names");
            AssertSame(policy, compiled, Csv(policy, random, 300, sorted: true, "multiline"), expectStreamed: false, Path.GetFileName(path) + " multiline");
        }
    }

    /// <summary>
    /// §25.2: on the general path a row the compiled rules take is kept, and spilled, as its compiled application's cells
    /// (<see cref="Codec.EncodeBound"/>), its enterprise a number of its partition, and made again where it is evaluated. A
    /// budget of one byte (every row spilled) gives the bytes and the summary of everything held in memory, on every sample,
    /// shuffled, with odd rows (rejected, quoted, of no enterprise) and records over several lines; and each bound row the
    /// reader gives, encoded and decoded, is the row it was (its columns, its facts with their scale).
    /// </summary>
    [Fact]
    public void A_spilled_bound_row_reads_back_as_it_was()
    {
        foreach (var (path, policy, compiled) in SamplePolicies())
        {
            var random = new Random(Path.GetFileName(path).Length * 17 + 3);
            foreach (var variant in new[] { "plain", "odd", "multiline", "names" })
            {
                // "plain" of several batches of rows (their arrays are reused once kept or spilled).
                var bytes = Encoding.UTF8.GetBytes(Csv(policy, random, variant == "plain" ? 2600 : 400, sorted: false, variant));
                foreach (var format in new[] { "csv", "json" })
                {
                    var held = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
                    var spilled = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
                    var inMemory = StreamingEvaluator.Run(policy, new ForwardOnly(bytes), "csv", Sink(policy, format, held), null,
                        new EvalOptions { Compiled = compiled, Parallelism = 2, MemoryBytes = long.MaxValue });
                    var onDisk = StreamingEvaluator.Run(policy, new ForwardOnly(bytes), "csv", Sink(policy, format, spilled), null,
                        new EvalOptions { Compiled = compiled, Parallelism = 2, MemoryBytes = 1 });
                    var what = $"{Path.GetFileName(path)} {variant} {format}";
                    Assert.Equal(inMemory, onDisk);
                    Assert.True(inMemory.Evaluated > 0, what);
                    Assert.True(held.ToString() == spilled.ToString(), $"{what}: first difference at {FirstDifference(held.ToString(), spilled.ToString())}");
                }
            }
            var bound = 0;
            var buffer = new SpillBuffer();
            foreach (var row in new CsvApplicationReader(new RuleIndex(policy), compiled).Read(new StringReader(Csv(policy, random, 300, sorted: true, "odd"))).OfType<BoundRow>())
            {
                buffer.Clear();
                Codec.EncodeBound(buffer, row);
                var back = Codec.DecodeBound(buffer.Written, row.Enterprise, compiled);
                Assert.Equal((row.Row, row.Id, row.Enterprise, row.Rule, row.Date, row.Subject, row.Location, row.Funded),
                    (back.Row, back.Id, back.Enterprise, back.Rule, back.Date, back.Subject, back.Location, back.Funded));
                Assert.Equal(string.Join("|", compiled.FactsOf(row.Rule, row.Generated).Select(v => v?.ToString())),
                    string.Join("|", compiled.FactsOf(back.Rule, back.Generated).Select(v => v?.ToString())));
                bound++;
            }
            Assert.True(bound > 0, Path.GetFileName(path) + ": no row was bound");
        }
    }

    /// <summary>A record whose head (field count, id, enterprise, rule, date, funded cell) cannot be read is rejected with the
    /// same reason whether the reading thread parses it (a sorted file streamed), or it is tried for its compiled cells on
    /// another core first (the general path, held or spilled): the head checks are one step both take.</summary>
    [Fact]
    public void A_record_head_is_rejected_with_one_reason_on_every_path()
    {
        var compiled = CompiledRules.Load(Support.Sample, out var why, _dir.Path);
        Assert.True(compiled is not null, why);
        var csv =
            "id,enterprise,rule,date,subject,location,funded_by_higher_level,fact.attached_to_property_insurance,fact.premium\n" +
            "ok,E1,outage_insurance,2026-04-01,,,,true,200000\n" +
            "few,E1,outage_insurance\n" +
            ",E1,outage_insurance,2026-04-02,,,,true,1\n" +
            "noname,,,2026-04-02,,,,true,1\n" +
            "baddate,E1,outage_insurance,2026-13-01,,,,true,1\n" +
            "badfunded,E1,outage_insurance,2026-04-03,,,maybe,true,1\n" +
            "quotedrule,E1,\"outage\"\"insurance\",2026-04-03,,,,true,1\n" +
            "ok2,E2,outage_insurance,2026-04-04,,,false,true,300000\n";
        var bytes = Encoding.UTF8.GetBytes(csv);
        string Out(Stream input, long memory)
        {
            var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            StreamingEvaluator.Run(Support.Sample, input, "csv", new CsvAwardSink(text), null, new EvalOptions { Compiled = compiled, Parallelism = 2, MemoryBytes = memory });
            return text.ToString();
        }
        Assert.True(CsvApplicationReader.EnterprisesContiguous(new MemoryStream(bytes)));
        var streamed = Out(new MemoryStream(bytes), long.MaxValue);
        Assert.Equal(streamed, Out(new ForwardOnly(bytes), long.MaxValue));
        Assert.Equal(streamed, Out(new ForwardOnly(bytes), 1));
        foreach (var reason in new[]
        {
            "3 fields; the header has 9", "empty: id", "\"empty: enterprise, rule\"", "date '2026-13-01' is not yyyy-MM-dd",
            "funded_by_higher_level is 'maybe'; expected true or false", "unknown rule 'outage\"\"insurance'",
        })
            Assert.Contains(reason, streamed);
    }

    [Fact]
    public void A_stream_that_cannot_seek_takes_the_general_path()
    {
        var csv = Csv(Support.Sample, new Random(5), 100, sorted: true, "plain");
        Assert.True(CsvApplicationReader.EnterprisesContiguous(new MemoryStream(Encoding.UTF8.GetBytes(csv))));
        Assert.False(CsvApplicationReader.EnterprisesContiguous(new ForwardOnly(Encoding.UTF8.GetBytes(csv))));
        var a = new StringWriter(CultureInfo.InvariantCulture);
        var b = new StringWriter(CultureInfo.InvariantCulture);
        StreamingEvaluator.Run(Support.Sample, new ForwardOnly(Encoding.UTF8.GetBytes(csv)), "csv", new CsvAwardSink(a));
        StreamingEvaluator.Run(Support.Sample, new MemoryStream(Encoding.UTF8.GetBytes(csv)), "csv", new CsvAwardSink(b));
        Assert.Equal(a.ToString(), b.ToString());
    }

    public static TheoryData<string, string, bool> ContiguityCases => new()
    {
        { "sorted", "id,enterprise,rule,date\nA1,E1,r,2026-01-05\nA2,E1,r,2026-01-05\nA3,E2,r,2026-01-05\n", true },
        { "an enterprise again", "id,enterprise,rule,date\nA1,E1,r,2026-01-05\nA2,E2,r,2026-01-05\nA3,E1,r,2026-01-05\n", false },
        { "quoted cells after the column", "id,enterprise,rule,date\nA1,E1,\"r, \"\"x\"\"\",2026-01-05\nA2,E2,\"\",\"2026-01-05\"\r\n", true },
        { "a quote inside an unquoted cell", "id,enterprise,rule,date\nA1,E1,r\"x,2026-01-05\nA2,E2,r,2026\"\n", true },
        { "a line break in a quoted cell after the column", "id,enterprise,rule,date\nA1,E1,\"r\nx\",2026-01-05\nA2,E2,r,2026-01-05\n", false },
        { "a line break in a quoted cell before the column", "id,enterprise,rule,date\n\"A\r\n1\",E1,r,2026-01-05\n", false },
        { "text after a closing quote", "id,enterprise,rule,date\nA1,E1,\"r\"x,2026-01-05\n", false },
        { "an unterminated quote", "id,enterprise,rule,date\nA1,E1,\"r,2026-01-05\n", false },
        { "a quoted name, the same", "id,enterprise,rule,date\nA1,\"E1\",r,2026-01-05\nA2,E1,r,2026-01-05\n", true },
        { "a quoted name with quotes", "id,enterprise,rule,date\nA1,\"E\"\"1\",r,2026-01-05\n", false },
        { "names not valid UTF-8 that decode alike", "id,enterprise,rule,date\nA1,\u00ff,r,2026-01-05\nA2,E2,r,2026-01-05\nA3,\u00fe,r,2026-01-05\n", false },
        { "the column first, blank lines, lone CRs", "enterprise,id,rule,date\rE1,A1,r,2026-01-05\r\r\nE2,A2,r,2026-01-05\r,A3,r,2026-01-05\rE3,A4\r", true },
        { "rows with fewer fields than the column", "id,rule,date,enterprise\nA1,r,2026-01-05,E1\nA2\nA3,r,2026-01-05,E1\n", true },
        { "no enterprise column", "id,rule,date\nA1,r,2026-01-05\n", false },
        { "a header only", "id,enterprise,rule,date\n", true },
        { "an empty file", "", false },
    };

    /// <summary>The byte pre-pass decides as the record reader reads: when it says contiguous, the streamed path gives the general path's bytes.</summary>
    [Theory]
    [MemberData(nameof(ContiguityCases))]
    public void The_contiguity_pass_reads_records_as_the_reader_does(string what, string csv, bool contiguous)
    {
        // \u00ff and \u00fe stand for the bytes 0xFF and 0xFE (not valid UTF-8: both read as U+FFFD).
        var bytes = csv.Contains('\u00ff') ? csv.Select(c => (byte)c).ToArray() : Encoding.UTF8.GetBytes(csv);
        using (var probe = new MemoryStream(bytes))
            Assert.True(contiguous == CsvApplicationReader.EnterprisesContiguous(probe), what);
        var withBom = Encoding.UTF8.GetPreamble().Concat(bytes).ToArray();
        if (csv.Length > 0) Assert.True(contiguous == CsvApplicationReader.EnterprisesContiguous(new MemoryStream(withBom)), what + " (BOM)");
        Assert.False(CsvApplicationReader.EnterprisesContiguous(new MemoryStream(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(csv)).ToArray())), what + " (UTF-16)");
        if (!csv.Contains("enterprise", StringComparison.Ordinal)) return; // refused as a file (its header lacks a required column)
        var general = new StringWriter(CultureInfo.InvariantCulture);
        var streamed = new StringWriter(CultureInfo.InvariantCulture);
        StreamingEvaluator.Run(Support.Sample, new ForwardOnly(bytes), "csv", new CsvAwardSink(general));
        StreamingEvaluator.Run(Support.Sample, new MemoryStream(bytes), "csv", new CsvAwardSink(streamed));
        Assert.Equal(general.ToString(), streamed.ToString());
    }

    private void AssertSame(CheckedPolicy policy, CompiledRules compiled, string csv, bool expectStreamed, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        using (var probe = new MemoryStream(bytes))
        {
            probe.Position = 0;
            Assert.True(expectStreamed == CsvApplicationReader.EnterprisesContiguous(probe), what + ": streamed path taken or not as expected");
            Assert.Equal(0, probe.Position); // restored
        }
        foreach (var format in new[] { "csv", "json" })
        {
            // The reference: the interpreter over the general path (a small memory budget: it spills).
            var reference = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            var referenceSink = Sink(policy, format, reference);
            var rows = new CsvApplicationReader(policy).Read(new StreamReader(new MemoryStream(bytes)));
            var expected = new StreamingEvaluator(policy, referenceSink, new EvalOptions { MemoryRows = 200, Parallelism = 2 }).Run(rows);
            var streamed = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            var actual = StreamingEvaluator.Run(policy, new MemoryStream(bytes), "csv", Sink(policy, format, streamed), null,
                new EvalOptions { Compiled = compiled, Parallelism = 2 });
            Assert.Equal(expected, actual);
            Assert.True(reference.ToString() == streamed.ToString(), $"{what} {format}: first difference at {FirstDifference(reference.ToString(), streamed.ToString())}");
            // A memory budget of a few rows: the general path spills the records unparsed, and they are parsed (into the
            // compiled rules' applications, for CSV) as each partition is evaluated.
            var spilled = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            var again = StreamingEvaluator.Run(policy, new ForwardOnly(bytes), "csv", Sink(policy, format, spilled), null,
                new EvalOptions { Compiled = compiled, Parallelism = 2, MemoryBytes = 2048 });
            Assert.Equal(expected, again);
            Assert.True(reference.ToString() == spilled.ToString(), $"{what} {format}, spilled: first difference at {FirstDifference(reference.ToString(), spilled.ToString())}");
            Assert.True(expected.Rows > 0 && expected.Evaluated + expected.Rejected == expected.Rows, what + ": every row evaluated or rejected");
        }
    }

    private static IAwardSink Sink(CheckedPolicy policy, string format, TextWriter text) =>
        format == "csv" ? new CsvAwardSink(text) : new JsonAwardSink(policy, text);

    private static string FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return $"char {i}: «{a.Substring(Math.Max(0, i - 40), Math.Min(a.Length - Math.Max(0, i - 40), 120))}» vs «{b.Substring(Math.Max(0, i - 40), Math.Min(b.Length - Math.Max(0, i - 40), 120))}»";
    }

    /// <summary>Random applications as CSV (facts mostly valid, some missing, negative, above their bound or not a member;
    /// some outside the validity windows; several per enterprise so running caps bind), sorted by enterprise or not. Variant
    /// "names": enterprise names not ASCII, or quoted because they hold a comma or quotes, and the same name quoted in some
    /// rows and not in others (one enterprise: §25.2 numbers enterprises by their cells' text as the reader gives it).</summary>
    private static string Csv(CheckedPolicy policy, Random random, int count, bool sorted, string variant)
    {
        var facts = policy.Rules.SelectMany(r => r.Facts).Where(f => !f.Derived).Select(f => f.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var columns = new List<string> { "id", "enterprise", "rule", "date", "subject", "location", "funded_by_higher_level" };
        columns.AddRange(facts.Select(f => "fact." + f));
        if (variant == "reordered") columns = columns.AsEnumerable().Reverse().ToList();
        var location = policy.General.CostSharing.FirstOrDefault()?.Location;
        var rows = new List<(string Enterprise, Dictionary<string, string> Cells)>();
        var rules = policy.Rules.ToArray();
        for (var i = 0; i < count; i++)
        {
            var rule = rules[random.Next(rules.Length)];
            var enterprise = "E" + random.Next(40).ToString(CultureInfo.InvariantCulture);
            var enterpriseCell = enterprise;
            if (variant == "names")
            {
                var k = random.Next(40);
                enterprise = (k % 4) switch
                {
                    0 => "企业" + k.ToString(CultureInfo.InvariantCulture),
                    1 => "E" + k.ToString(CultureInfo.InvariantCulture) + ", Ltd",
                    2 => "E\"" + k.ToString(CultureInfo.InvariantCulture) + "\"",
                    _ => "Ä" + k.ToString(CultureInfo.InvariantCulture),
                };
                enterpriseCell = (k % 4) is 1 or 2 || random.Next(3) == 0 ? "\"" + enterprise.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : enterprise;
            }
            var cells = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["id"] = "A" + (i % 89).ToString(CultureInfo.InvariantCulture),
                ["enterprise"] = enterpriseCell,
                ["rule"] = random.Next(60) == 0 ? "no_such_rule" : rule.Name,
                ["date"] = new DateOnly(2022 + random.Next(6), 1 + random.Next(12), 1 + random.Next(28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["subject"] = random.Next(3) == 0 ? "S" + random.Next(3).ToString(CultureInfo.InvariantCulture) : "",
                ["location"] = random.Next(2) == 0 && location is not null ? location : "",
                ["funded_by_higher_level"] = random.Next(8) == 0 ? "true" : random.Next(2) == 0 ? "false" : "",
            };
            if (variant == "odd" && random.Next(10) == 0) cells["subject"] = "\"S, \"\"quoted\"\"\"";
            if (variant == "multiline" && random.Next(10) == 0) cells["subject"] = "\"S\nover two lines\"";
            foreach (var fact in rule.Facts)
            {
                if (fact.Derived) continue;
                var odd = random.Next(40);
                if (odd == 0) continue; // missing
                cells["fact." + fact.Name] = fact.Kind switch
                {
                    FactKind.Quantity => (odd == 2 ? -1m : odd == 3 && fact.AtMost is { } most ? most + 1m
                        : Math.Round((decimal)random.NextDouble() * (fact.AtMost is { } b ? Math.Min(b, 5_000_000m) : 5_000_000m), random.Next(3))).ToString(CultureInfo.InvariantCulture),
                    FactKind.YesNo => random.Next(5) != 0 ? "true" : "no",
                    FactKind.Date => new DateOnly(2023 + random.Next(5), 1 + random.Next(12), 1 + random.Next(28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    _ => odd == 1 || fact.Members.IsEmpty ? "no-such-member" : fact.Members[random.Next(fact.Members.Count)].Key,
                };
            }
            if (random.Next(50) == 0) cells["fact." + facts[random.Next(facts.Count)]] = "not a number?";
            else if (random.Next(40) == 0 && facts.FirstOrDefault(f => cells.GetValueOrDefault("fact." + f, "") == "") is { } other)
                cells["fact." + other] = "1"; // a fact the row's rule may not have, given a plain value
            rows.Add((enterprise, cells));
        }
        if (sorted) rows = rows.OrderBy(r => r.Enterprise, StringComparer.Ordinal).ToList(); // stable: ties keep their order
        var text = new StringBuilder();
        if (variant == "bom") text.Append('\uFEFF');
        text.Append(string.Join(",", columns)).Append('\n');
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = rows[i].Cells;
            if (variant == "odd" && i % 37 == 5)
            {
                text.Append('\n'); // a blank line
                text.Append(string.Join(",", columns.Select(c => c == "enterprise" ? "" : cells.GetValueOrDefault(c, "")))).Append('\n'); // no enterprise
                text.Append("A1,").Append(rows[i].Enterprise).Append(",too,few\r\n"); // a wrong number of fields, CRLF
            }
            text.Append(string.Join(",", columns.Select(c => cells.GetValueOrDefault(c, "")))).Append(variant == "odd" && i % 2 == 0 ? "\r\n" : "\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// A CSV in GBK (as Excel saves one on Chinese Windows) read as UTF-8 decoded distinct enterprise names to one string of
    /// U+FFFD (北京化工 and 北京电子), so the second shared the first's cap and was paid 0. Now each record holding bytes that
    /// are not UTF-8 is rejected with its reason, sorted (streamed) or shuffled, and `--input-encoding gb18030` reads the file
    /// as the text it is: the bytes of the same rows in UTF-8.
    /// </summary>
    [Fact]
    public void A_GBK_file_is_rejected_record_by_record_unless_its_encoding_is_named()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var gb18030 = Encoding.GetEncoding("GB18030");
        const string header = "id,enterprise,rule,date,fact.attached_to_property_insurance,fact.premium\n";
        foreach (var sorted in new[] { true, false })
        {
            var names = new[] { "北京化工", "北京电子", "南京科技" };
            var rows = Enumerable.Range(0, 30).Select(i => (Name: names[sorted ? i / 10 : i % 3], Line: $",outage_insurance,2026-02-{1 + i % 20:00},true,{1534487 + i}\n"))
                .Select((r, i) => $"A{i},{r.Name}{r.Line}").ToList();
            var text = header + string.Concat(rows);
            var utf8 = _dir.File($"names-{sorted}-utf8.csv");
            var gbk = _dir.File($"names-{sorted}-gbk.csv");
            File.WriteAllText(utf8, text, new UTF8Encoding(false));
            File.WriteAllBytes(gbk, gb18030.GetBytes(text));
            string Eval(string path, string? encoding, int expectedCode)
            {
                var output = _dir.File($"gbk-out-{Guid.NewGuid():N}.csv");
                var error = new StringWriter();
                var code = Cli.EvalCommand.Run(Support.SamplePolicyPath, Support.SampleRulesPath, path, "csv", output, TextWriter.Null, error,
                    cacheDirectory: _dir.Path, inputEncoding: encoding);
                Assert.True(expectedCode == code, error.ToString());
                return File.ReadAllText(output);
            }
            var asUtf8 = Eval(utf8, null, 0);
            Assert.Equal(3, asUtf8.Split('\n').Count(l => l.Contains(",all,total,", StringComparison.Ordinal)));
            var misread = Eval(gbk, null, 1);
            Assert.Equal(30, misread.Split('\n').Count(l => l.Contains("the record is not UTF-8 text (it holds the byte 0x", StringComparison.Ordinal)));
            Assert.DoesNotContain(",evaluated,", misread, StringComparison.Ordinal);
            Assert.DoesNotContain("\uFFFD", misread, StringComparison.Ordinal);
            Assert.Equal(asUtf8, Eval(gbk, "gb18030", 0));
            Assert.Equal(asUtf8, Eval(gbk, "CP936", 0)); // as iconv spells GBK
        }
        var (usage, _, err) = Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", Support.SampleApplicationsPath, "--input-encoding", "klingon");
        Assert.Equal(2, usage);
        Assert.Contains("--input-encoding klingon: not an encoding policyc knows", err, StringComparison.Ordinal);
    }

    /// <summary>`--bom`: the CSV output starts with a UTF-8 byte-order mark (Excel on Chinese Windows reads a CSV without one
    /// as GBK), then the bytes it has without it; refused for the other formats.</summary>
    [Fact]
    public void A_bom_starts_the_csv_and_changes_nothing_else()
    {
        var (plain, bom) = (_dir.File("plain.csv"), _dir.File("bom.csv"));
        string[] common = ["eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", Support.SampleApplicationsPath, "--format", "csv"];
        Assert.Equal(1, Support.Policyc([.. common, "-o", plain]).Code); // the sample has one rejected row
        Assert.Equal(1, Support.Policyc([.. common, "-o", bom, "--bom"]).Code);
        Assert.Equal([0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(plain)], File.ReadAllBytes(bom));
        var (usage, _, err) = Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", Support.SampleApplicationsPath, "--bom");
        Assert.Equal(2, usage);
        Assert.Contains("--bom is for --format csv", err, StringComparison.Ordinal);
    }

    /// <summary>
    /// `policyc eval --applications -` reads standard input (its format named by --input-format), and a named pipe is read as
    /// it comes (a pipe cannot be read twice nor asked its length: it crashed the command before): a shuffled CSV and the
    /// sample's JSON give the bytes and the exit code they give from their files, in a report the source is named in the
    /// policy's language, and a format that no name gives is a usage error that says what to add.
    /// </summary>
    [Fact]
    public void Applications_from_standard_input_or_a_pipe_give_the_files_bytes()
    {
        var policy = Support.Sample;
        var csv = Csv(policy, new Random(4025), 1600, sorted: false, "odd");
        var file = _dir.File("piped.csv");
        File.WriteAllText(file, csv);
        (int Code, string Out) Eval(string applications, string format, string? inputFormat = null, Stream? stdin = null)
        {
            var output = _dir.File($"piped-out-{Guid.NewGuid():N}.{format}");
            var error = new StringWriter();
            var code = Cli.EvalCommand.Run(Support.SamplePolicyPath, Support.SampleRulesPath, applications, format, output, TextWriter.Null, error,
                cacheDirectory: _dir.Path, inputFormat: inputFormat, standardInput: stdin);
            Assert.DoesNotContain("Exception", error.ToString(), StringComparison.Ordinal);
            return (code, File.Exists(output) ? File.ReadAllText(output) : "(no output) " + error);
        }
        var fromFile = Eval(file, "csv");
        Assert.Contains(",evaluated,", fromFile.Out, StringComparison.Ordinal);
        Assert.Equal(fromFile, Eval("-", "csv", "csv", new ForwardOnly(Encoding.UTF8.GetBytes(csv))));
        var json = File.ReadAllBytes(Support.SampleApplicationsPath);
        Assert.Equal(Eval(Support.SampleApplicationsPath, "json"), Eval("-", "json", "json", new ForwardOnly(json)));
        var report = Eval("-", "md", "json", new ForwardOnly(json)).Out;
        Assert.Contains("申报来源 标准输入", report, StringComparison.Ordinal);

        if (OperatingSystem.IsLinux())
        {
            // A named pipe (as `mkfifo`, or a shell's process substitution) whose name says CSV.
            var fifo = _dir.File("fifo.csv");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
            // In the background: if the command never opens the pipe, the writer waiting for it does not hold the test run.
            var writer = new Thread(() => File.WriteAllText(fifo, csv)) { IsBackground = true };
            writer.Start();
            Assert.Equal(fromFile, Eval(fifo, "csv"));
            Assert.True(writer.Join(TimeSpan.FromSeconds(30)));
        }

        var (usage, _, err) = Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", "-");
        Assert.Equal(2, usage);
        Assert.Contains("policyc: --applications -: the format of standard input is not known: expected --input-format csv, json or parquet", err, StringComparison.Ordinal);
        var unnamed = _dir.File("export");
        File.WriteAllText(unnamed, csv);
        (usage, _, err) = Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", unnamed);
        Assert.Equal(2, usage);
        Assert.Contains("the applications file must be .json, .csv or .parquet (or its format named by --input-format csv, json or parquet)", err, StringComparison.Ordinal);
        var named = Support.Policyc("eval", Support.SamplePolicyPath, "--rules", Support.SampleRulesPath, "--applications", unnamed, "--input-format", "csv", "--format", "csv");
        Assert.Equal(fromFile, (named.Code, named.Out));
    }
}
