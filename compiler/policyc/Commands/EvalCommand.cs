using System.CommandLine;
using System.Text;
using System.Text.Json;
using PolicyDsl.Model;
using PolicyDsl.Reports.Eval;
using Spectre.Console;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc eval POLICY [--rules RULES] --applications FILE(.json|.csv) [--format json|csv|md|html] [-o OUT]:
/// evaluates applications with the reference semantics, streaming (flat memory for any number of rows).
/// Exit codes: 0 every row was evaluated; 1 some rows were rejected (listed with their row: line for
/// CSV, index for JSON) or the policy has errors; 2 usage (bad options, missing or malformed input file).
/// </summary>
internal static class EvalCommand
{
    /// <summary>Inputs at least this large get a progress bar (on a terminal, when writing to a file).</summary>
    private const long ProgressThreshold = 4L * 1024 * 1024;

    public static Command Create()
    {
        var policy = new Argument<string>("policy") { Description = "The .policy file." }.RejectingOptions();
        var rules = new Option<string?>("--rules") { Description = "The implementation-rules (.rules) file." };
        var applications = new Option<string>("--applications") { Description = "Applications: .json ({\"applications\": [...]}) or .csv (see docs).", Required = true };
        var format = new Option<string>("--format") { Description = "json (default), csv, md or html.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "csv", "md", "html");
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (default: standard output)." };
        var command = new Command("eval", "Evaluate applications (streaming): awards, caps that bound, money ceilings, cost shares, traces, totals per enterprise and year.")
        {
            policy, rules, applications, format, output,
        };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(policy), parseResult.GetValue(rules), parseResult.GetRequiredValue(applications),
            parseResult.GetRequiredValue(format), parseResult.GetValue(output), CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult)));
        return command;
    }

    internal static int Run(string policyPath, string? rulesPath, string applicationsPath, string format, string? outPath, TextWriter output, TextWriter error)
    {
        var inputFormat = Path.GetExtension(applicationsPath).ToLowerInvariant() switch { ".json" => "json", ".csv" => "csv", _ => null };
        if (inputFormat is null)
        {
            error.WriteLine($"policyc: {applicationsPath}: the applications file must be .json or .csv");
            return ExitCodes.Usage;
        }
        if (!CommandHelpers.AllFilesExist([applicationsPath], error)) return ExitCodes.Usage;
        if (ReportCommand.LoadPolicy(policyPath, rulesPath, error, out var policy) is { } code) return code;

        using var input = new FileStream(applicationsPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Stream? file = null;
        TextWriter writer = CommandHelpers.Document(output);
        if (outPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            file = new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            writer = new StreamWriter(file, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        }
        try
        {
            var summary = Evaluate(policy!, input, inputFormat, format, writer, Path.GetFileName(applicationsPath), ShowProgress(outPath, input.Length));
            writer.Flush();
            error.WriteLine($"policyc: {summary.Rows} rows, {summary.Evaluated} evaluated, {summary.Rejected} rejected" + (outPath is null ? "" : $"; wrote {outPath}"));
            return summary.Rejected > 0 ? ExitCodes.Errors : ExitCodes.Success;
        }
        catch (Exception e) when (e is JsonException or FormatException or DecoderFallbackException)
        {
            writer.Flush();
            error.WriteLine($"policyc: {applicationsPath}: {e.Message}");
            return ExitCodes.Usage;
        }
        finally
        {
            if (file is not null) { writer.Dispose(); file.Dispose(); }
        }
    }

    /// <summary>A progress bar only on an interactive terminal, only when results go to a file, only for large inputs.</summary>
    private static bool ShowProgress(string? outPath, long length) =>
        outPath is not null && length >= ProgressThreshold && !Console.IsOutputRedirected && !Console.IsErrorRedirected
        && AnsiConsole.Profile.Capabilities.Interactive;

    private static EvalSummary Evaluate(CheckedPolicy policy, Stream input, string inputFormat, string format, TextWriter writer, string source, bool progress)
    {
        // JSON is written as UTF-8 bytes: the sink gets the writer's stream once the writer is flushed.
        Func<IAwardSink> createSink = format switch
        {
            "csv" => () => new CsvAwardSink(writer),
            "md" or "html" => () => new TemplateAwardSink(policy, writer, format, source),
            _ => () => new JsonAwardSink(policy, new TextWriterStream(writer)),
        };
        var sink = createSink();
        try
        {
            if (!progress) return StreamingEvaluator.Run(policy, input, inputFormat, sink);
            EvalSummary? summary = null;
            AnsiConsole.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("evaluating", maxValue: input.Length);
                    summary = StreamingEvaluator.Run(policy, input, inputFormat, sink, position => task.Value = position);
                    task.Value = input.Length;
                });
            return summary!;
        }
        finally
        {
            (sink as IDisposable)?.Dispose();
        }
    }

    /// <summary>A write-only stream over a TextWriter (UTF-8 JSON bytes decoded back to text), so JSON can go to any writer.</summary>
    private sealed class TextWriterStream(TextWriter writer) : Stream
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
        private char[] _chars = new char[4096];

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => writer.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var needed = _decoder.GetCharCount(buffer, flush: false);
            if (needed > _chars.Length) _chars = new char[needed];
            var n = _decoder.GetChars(buffer, _chars, flush: false);
            writer.Write(_chars, 0, n);
        }
    }
}
