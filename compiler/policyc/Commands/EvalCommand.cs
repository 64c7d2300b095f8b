using System.CommandLine;
using System.Text;
using System.Text.Json;
using PolicyDsl.Model;
using PolicyDsl.Reports;
using PolicyDsl.Reports.Eval;
using Spectre.Console;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc eval POLICY [--rules RULES] --applications FILE(.json|.csv|.parquet)|- [--input-format csv|json|parquet] [--format json|csv|parquet|md|html] [-o OUT]
/// [--trace|--no-trace] [--memory MB] [--memory-rows N] [--jobs N] [--interpret]: evaluates applications with the policy's rules
/// compiled (the generated C#, compiled in-process once per policy and cached; docs/semantics.md §25.1), or with the
/// reference interpreter (--interpret, and whenever traces are written: compiled rules do not trace), in any order,
/// in bounded memory (rows beyond --memory megabytes or --memory-rows rows are spilled to disk) and on every core. Both give the same bytes.
/// The applications may come from a pipe: `--applications -` reads standard input, and a named pipe or /dev/fd/N is read
/// as it comes (neither can be read twice, so a CSV from one goes the general path, §25.2); --input-format names the
/// format where the name does not. A CSV file is read as UTF-8 (a record that is not is rejected with its reason);
/// --input-encoding reads a CSV or JSON file in another encoding (gb18030 for a GBK export).
/// Exit codes: 0 every row was evaluated; 1 some rows were rejected (listed with their row: line for
/// CSV, index and line for JSON) or the policy has errors; 2 usage (bad options, missing input file, a
/// malformed file: the rows read before the point it breaks are still written).
/// </summary>
internal static class EvalCommand
{
    /// <summary>Inputs at least this large get a progress bar (on a terminal, when writing to a file).</summary>
    private const long ProgressThreshold = 4L * 1024 * 1024;

    public static Command Create()
    {
        var policy = new Argument<string>("policy") { Description = "The .policy file." }.RejectingOptions();
        var rules = new Option<string?>("--rules") { Description = "The implementation-rules (.rules) file." };
        var applications = new Option<string>("--applications") { Description = "Applications: .json ({\"applications\": [...]}), .csv or .parquet (see docs); - reads standard input.", Required = true };
        var inputFormat = new Option<string?>("--input-format") { Description = "The applications' format where the file name does not say it (standard input, a pipe): csv, json or parquet." };
        inputFormat.AcceptOnlyFromAmong("csv", "json", "parquet");
        var inputEncoding = new Option<string?>("--input-encoding") { Description = "The CSV or JSON file's text encoding when it is not UTF-8: gb18030 (also reads GBK: a CSV saved by Excel on Chinese Windows), big5, shift_jis, windows-1252, ..." };
        var format = new Option<string>("--format") { Description = "json (default), csv, parquet (needs -o; totals go to OUT.totals.parquet), md or html.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "csv", "parquet", "md", "html");
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (default: standard output)." };
        var trace = new Option<bool>("--trace") { Description = "Write every award's trace (default for md and html)." };
        var noTrace = new Option<bool>("--no-trace") { Description = "Leave traces out (default for json and csv)." };
        var memory = new Option<int>("--memory") { Description = "Megabytes the rows kept in memory for grouping may take (estimated) before the rest is spilled to temporary files.", DefaultValueFactory = _ => (int)(new EvalOptions().MemoryBytes >> 20) };
        var memoryRows = new Option<int?>("--memory-rows") { Description = "Rows kept in memory before the rest is spilled to temporary files (default: as many as --memory holds)." };
        var jobs = new Option<int>("--jobs") { Description = "Enterprises evaluated at once (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var lang = CommandHelpers.LangOption();
        var bom = new Option<bool>("--bom") { Description = "Start the CSV with a UTF-8 byte-order mark, so that Excel (on Chinese Windows, which reads a CSV without one as GBK) shows its text." };
        var interpret = new Option<bool>("--interpret") { Description = "Evaluate with the reference interpreter instead of the compiled rules (the same output, slower)." };
        var command = new Command("eval", "Evaluate applications (streaming): awards, caps that bound, money ceilings, cost shares, traces, totals per enterprise and year.")
        {
            policy, rules, applications, inputFormat, inputEncoding, format, output, trace, noTrace, memory, memoryRows, jobs, lang, interpret, bom,
        };
        command.SetAction(parseResult =>
        {
            var error = CommandHelpers.Error(parseResult);
            if (parseResult.GetValue(trace) && parseResult.GetValue(noTrace))
            {
                error.WriteLine("policyc: --trace and --no-trace exclude each other");
                return ExitCodes.Usage;
            }
            if (parseResult.GetValue(memoryRows) < 1 || parseResult.GetValue(memory) < 1 || parseResult.GetValue(jobs) < 1)
            {
                error.WriteLine("policyc: --memory, --memory-rows and --jobs must be at least 1");
                return ExitCodes.Usage;
            }
            var fmt = parseResult.GetRequiredValue(format);
            if (parseResult.GetValue(bom) && fmt != "csv")
            {
                error.WriteLine($"policyc: --bom is for --format csv (a {fmt} output is read as UTF-8 without one)");
                return ExitCodes.Usage;
            }
            var traced = parseResult.GetValue(trace) || (!parseResult.GetValue(noTrace) && fmt is "md" or "html");
            var options = new EvalOptions
            {
                MemoryRows = parseResult.GetValue(memoryRows) ?? int.MaxValue,
                MemoryBytes = (long)parseResult.GetValue(memory) << 20,
                Parallelism = parseResult.GetValue(jobs),
            };
            return Run(parseResult.GetRequiredValue(policy), parseResult.GetValue(rules), parseResult.GetRequiredValue(applications),
                fmt, parseResult.GetValue(output), CommandHelpers.Output(parseResult), error, traced, options, parseResult.GetValue(lang), compiled: !parseResult.GetValue(interpret),
                inputFormat: parseResult.GetValue(inputFormat), inputEncoding: parseResult.GetValue(inputEncoding), bom: parseResult.GetValue(bom));
        });
        return command;
    }

    /// <summary>The applications argument that names standard input.</summary>
    private const string StandardInputName = "-";

    /// <summary><paramref name="standardInput"/>: what `--applications -` reads (default: the process's standard input).</summary>
    internal static int Run(string policyPath, string? rulesPath, string applicationsPath, string format, string? outPath, TextWriter output, TextWriter error,
        bool trace = false, EvalOptions? options = null, string? lang = null, bool compiled = true, string? cacheDirectory = null,
        string? inputFormat = null, Stream? standardInput = null, string? inputEncoding = null, bool bom = false)
    {
        var fromStandardInput = applicationsPath == StandardInputName;
        var shown = fromStandardInput ? "standard input" : applicationsPath;
        inputFormat ??= fromStandardInput ? null : InputFormat(applicationsPath);
        if (inputFormat is null)
        {
            error.WriteLine(fromStandardInput
                ? "policyc: --applications -: the format of standard input is not known: expected --input-format csv, json or parquet"
                : $"policyc: {applicationsPath}: the applications file must be .json, .csv or .parquet (or its format named by --input-format csv, json or parquet)");
            return ExitCodes.Usage;
        }
        if (format == "parquet" && outPath is null)
        {
            error.WriteLine("policyc: --format parquet writes files: expected -o FILE.parquet (the totals go beside it, to FILE.totals.parquet)");
            return ExitCodes.Usage;
        }
        Encoding? encoding = null;
        if (inputEncoding is not null)
        {
            encoding = TextEncoding(inputEncoding);
            if (encoding is null)
            {
                error.WriteLine($"policyc: --input-encoding {inputEncoding}: {UnknownEncoding}");
                return ExitCodes.Usage;
            }
            if (encoding.CodePage == 65001) encoding = null; // UTF-8: read as it is
            else if (inputFormat == "parquet")
            {
                error.WriteLine("policyc: --input-encoding is for CSV and JSON files: a Parquet file's text is UTF-8 by its format");
                return ExitCodes.Usage;
            }
        }
        if (!fromStandardInput && !CommandHelpers.AllFilesExist([applicationsPath], error)) return ExitCodes.Usage;
        using var opened = fromStandardInput
            ? standardInput ?? Console.OpenStandardInput()
            : new FileStream(applicationsPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        // A Parquet file is read from its footer: from a pipe it is copied to a temporary file first.
        using var input = inputFormat == "parquet" && !opened.CanSeek ? Seekable(opened) : opened;
        // Whether a CSV file's enterprises are contiguous (a pass over its bytes, §25.2) is asked while the policy loads: not
        // of a pipe (what it read could not be read again), and in another encoding only where ASCII's characters are its
        // bytes and no other character uses them (GB18030, Big5, Shift_JIS, the single-byte code pages; not UTF-16).
        var contiguity = inputFormat == "csv" && input.CanSeek && (encoding is null || KeepsAscii(encoding))
            ? Task.Run(() => CsvApplicationReader.EnterprisesContiguous(input)) : null;
        // Text in another encoding is read as the UTF-8 it is transcoded to (a byte it does not allow ends the run: named below).
        using var text = AsUtf8(input, encoding);
        try
        {
            return Run(text, inputFormat, contiguity, policyPath, rulesPath, shown, fromStandardInput ? null : Path.GetFileName(applicationsPath), format, outPath, output, error,
                trace, options, lang, compiled, cacheDirectory, bom);
        }
        finally
        {
            try { contiguity?.Wait(); } catch (AggregateException) { } // done with the stream before it is closed
        }
    }

    /// <summary>The encoding of this name (any the runtime and its code pages know), strict: a byte sequence it does not
    /// define throws rather than being replaced. Null for a name it does not know.</summary>
    internal static Encoding? TextEncoding(string name)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var strict = (EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        try
        {
            return Encoding.GetEncoding(name.Trim(), strict.Item1, strict.Item2);
        }
        catch (ArgumentException)
        {
            // The spellings iconv takes too: UTF8, CP936, MS936.
            var bare = name.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
            int? page = bare == "utf8" ? 65001
                : (bare.StartsWith("cp", StringComparison.Ordinal) || bare.StartsWith("ms", StringComparison.Ordinal))
                  && int.TryParse(bare.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
            try
            {
                return page is { } p ? Encoding.GetEncoding(p, strict.Item1, strict.Item2) : null;
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                return null;
            }
        }
    }

    /// <summary>The input as UTF-8: as it is (no encoding named, or UTF-8), else transcoded from <paramref name="encoding"/>.</summary>
    internal static Stream AsUtf8(Stream input, Encoding? encoding) =>
        encoding is null || encoding.CodePage == 65001 ? input : Encoding.CreateTranscodingStream(input, encoding, Encoding.UTF8, leaveOpen: true);

    internal const string UnknownEncoding = "not an encoding policyc knows: expected a name such as utf-8, gb18030 (which also reads GBK), big5, shift_jis or windows-1252";

    /// <summary>What a file that cannot be read says: a byte the encoding --input-encoding named does not define (its strict
    /// decoder throws; UTF-8 input is checked record by record), or the reader's message.</summary>
    internal static string Unreadable(Exception e) => e is DecoderFallbackException d
        ? "the file is not text in the encoding --input-encoding names: it holds " +
          string.Join(" ", (d.BytesUnknown ?? []).Select(b => "0x" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))) +
          ", which that encoding does not define; hint: check the file's encoding (file -i), or convert it to UTF-8 first"
        : e.Message;

    /// <summary>True when <paramref name="encoding"/> writes the characters below 128 as those bytes and uses no such byte
    /// inside another character's bytes, so the contiguity scan's bytes (line breaks, quotes, commas) mean what they mean in UTF-8.</summary>
    private static bool KeepsAscii(Encoding encoding) =>
        encoding.CodePage is 936 or 54936 or 20936 or 950 or 932 or 949 or 51932 or 51936 or 51949
        || (encoding.IsSingleByte && Enumerable.Range(0, 128).All(c => encoding.GetBytes(((char)c).ToString()) is [var b] && b == c));

    /// <summary>A pipe's bytes in a temporary file (deleted once closed), for a reader that seeks.</summary>
    private static FileStream Seekable(Stream pipe)
    {
        var file = new FileStream(Path.Combine(Path.GetTempPath(), "policyc-input-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        pipe.CopyTo(file);
        file.Position = 0;
        return file;
    }

    private static int Run(Stream input, string inputFormat, Task<bool>? contiguity, string policyPath, string? rulesPath, string applicationsPath, string? source, string format, string? outPath,
        TextWriter output, TextWriter error, bool trace, EvalOptions? options, string? lang, bool compiled, string? cacheDirectory, bool bom)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (ReportCommand.LoadPolicy(policyPath, rulesPath, error, out var policy, out var sources) is { } code) return code;
        var loaded = System.Diagnostics.Stopwatch.GetTimestamp();
        options ??= new EvalOptions();
        if (compiled && !trace)
        {
            // Compiled rules give no traces; the interpreter writes them (and is the fallback when the generated code cannot be used).
            var rules = CompiledRules.Load(policy!, out var why, cacheDirectory, CompiledRules.SourceKey(sources));
            if (rules is null) error.WriteLine($"policyc: warning: evaluating with the interpreter: {why}");
            else options = options with { Compiled = rules };
        }
        if (StreamingEvaluator.Phases)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            var sinceStart = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
            error.WriteLine($"policyc: start-up: {sinceStart.TotalMilliseconds:0} ms since the process started; policy read and checked " +
                $"{System.Diagnostics.Stopwatch.GetElapsedTime(started, loaded).TotalMilliseconds:0} ms, compiled rules loaded {System.Diagnostics.Stopwatch.GetElapsedTime(loaded, now).TotalMilliseconds:0} ms");
        }

        Stream? file = null;
        TextWriter writer = CommandHelpers.Document(output);
        if (outPath is not null && format != "parquet")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            file = new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            // Rendered parts are UTF-8 already: this writer takes them as bytes (Utf8TextWriter.WriteUtf8).
            writer = new Utf8TextWriter(file);
        }
        if (bom) writer.Write('\uFEFF'); // UTF-8 EF BB BF (--bom: a CSV Excel reads as UTF-8)
        try
        {
            var contiguous = contiguity?.GetAwaiter().GetResult();
            var summary = Evaluate(policy!, input, inputFormat, format, writer, outPath, source,
                input.CanSeek && ShowProgress(outPath, input.Length), trace, options, lang, contiguous);
            writer.Flush();
            error.WriteLine($"policyc: {summary.Rows} rows, {summary.Evaluated} evaluated, {summary.Rejected} rejected" + (outPath is null ? "" : $"; wrote {outPath}"));
            if (summary.Malformed is not null)
            {
                error.WriteLine($"policyc: {applicationsPath}: {summary.Malformed}");
                return ExitCodes.Usage;
            }
            return summary.Rejected > 0 ? ExitCodes.Errors : ExitCodes.Success;
        }
        catch (Exception e) when (e is JsonException or FormatException or DecoderFallbackException)
        {
            writer.Flush();
            error.WriteLine($"policyc: {applicationsPath}: {Unreadable(e)}");
            return ExitCodes.Usage;
        }
        finally
        {
            if (file is not null) { writer.Dispose(); file.Dispose(); }
        }
    }

    private static string? InputFormat(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch { ".json" => "json", ".csv" => "csv", ".parquet" => "parquet", _ => null };

    /// <summary>A progress bar only on an interactive terminal, only when results go to a file, only for large inputs.</summary>
    private static bool ShowProgress(string? outPath, long length) =>
        outPath is not null && length >= ProgressThreshold && !Console.IsOutputRedirected && !Console.IsErrorRedirected
        && AnsiConsole.Profile.Capabilities.Interactive;

    private static EvalSummary Evaluate(CheckedPolicy policy, Stream input, string inputFormat, string format, TextWriter writer, string? outPath, string? source, bool progress,
        bool trace, EvalOptions? options, string? lang, bool? contiguous)
    {
        IAwardSink sink = format switch
        {
            "csv" => new CsvAwardSink(writer, trace),
            "parquet" => new ParquetAwardSink(policy, outPath!, trace),
            // Read from standard input, a report names it in its own language.
            "md" or "html" => new TemplateAwardSink(policy, writer, format, source ?? Lang.For(policy, lang)["StandardInput"], trace, Lang.For(policy, lang)),
            _ => new JsonAwardSink(policy, writer, trace),
        };
        try
        {
            if (!progress) return StreamingEvaluator.Run(policy, input, inputFormat, sink, null, options, contiguous);
            EvalSummary? summary = null;
            AnsiConsole.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("evaluating", maxValue: input.Length);
                    summary = StreamingEvaluator.Run(policy, input, inputFormat, sink, position => task.Value = position, options, contiguous);
                    task.Value = input.Length;
                });
            return summary!;
        }
        finally
        {
            (sink as IDisposable)?.Dispose();
        }
    }
}
