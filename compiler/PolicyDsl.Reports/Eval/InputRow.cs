using System.Collections.Immutable;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// One row of an applications file: either an application or the reason it could not be read.
/// Row is the position a person finds it by: the 1-based line for CSV, the 0-based index in the
/// "applications" array for JSON (its label also names the line).
/// </summary>
public abstract record InputRow(long Row, string RowLabel)
{
    /// <summary>How a person finds the row ("line 12"); a row may make it only when it is asked for (<see cref="BoundRow"/>).</summary>
    public virtual string RowLabel { get; init; } = RowLabel;
}

public sealed record ApplicationRow(long Row, string RowLabel, Application Application) : InputRow(Row, RowLabel);

/// <summary>
/// A row that could not be read, with what could be read of it (so a rejected row keeps its enterprise and
/// rule). Fatal: the file itself is malformed from here on (nothing after this row can be read).
/// </summary>
public sealed record UnreadableRow(long Row, string RowLabel, string? Id, string Reason, string? Enterprise = null, string? Rule = null, bool Fatal = false)
    : InputRow(Row, RowLabel);

/// <summary>
/// A CSV record read but not yet parsed (<see cref="CsvApplicationReader"/>, deferred): its line, its enterprise cell and
/// its text, so that it can be grouped now and parsed on the thread that evaluates it.
/// <see cref="CsvApplicationReader.PendingParser.Parse"/> gives the row the reader would have given. <see cref="Number"/>: its
/// enterprise's number in the parser's <see cref="CsvApplicationReader.PendingParser.Numbers"/> (-1: not numbered, or none).
/// </summary>
internal sealed record PendingRow(long Row, RecordText Text, string? Enterprise, CsvApplicationReader.PendingParser Parser, int Number = -1) : InputRow(Row, "");

/// <summary>A record's text as UTF-8 in a shared block of memory (<see cref="RecordArena"/>): no object of its own, so that
/// rows held for grouping or read back from a partition are a few blocks, not an object each.</summary>
internal readonly record struct RecordText(byte[]? Block, int Offset, int Length)
{
    public ReadOnlySpan<byte> Bytes => Block.AsSpan(Offset, Length);
}

/// <summary>Blocks of record texts, appended to by one thread; a block lives as long as a record in it is held.</summary>
internal sealed class RecordArena
{
    // Under the large-object threshold (85,000 bytes): a block dies young with its rows. Blocks of 1 MB went to the
    // large-object heap, whose allocations start full collections (1M shuffled rows: 92 gen2 collections).
    private const int BlockSize = 64 << 10;
    private byte[] _block = [];
    private int _used;

    public RecordText Add(ReadOnlySpan<char> text)
    {
        var room = Room(System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
        return Took(System.Text.Encoding.UTF8.GetBytes(text, room));
    }

    /// <summary>A copy of <paramref name="bytes"/> (a record's UTF-8 text, or a row's encoding).</summary>
    public RecordText Add(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Room(bytes.Length));
        return Took(bytes.Length);
    }

    /// <summary>At least <paramref name="most"/> free bytes at the end of the current block (a new block when it has fewer).</summary>
    private Span<byte> Room(int most)
    {
        if (_block.Length - _used < most)
        {
            _block = new byte[Math.Max(BlockSize, most)];
            _used = 0;
        }
        return _block.AsSpan(_used);
    }

    /// <summary>The <paramref name="n"/> bytes just written into <see cref="Room"/> as a record's text.</summary>
    private RecordText Took(int n)
    {
        var at = new RecordText(_block, _used, n);
        _used += n;
        return at;
    }
}

/// <summary>
/// A CSV row parsed straight into the generated application of its rule (<see cref="CompiledRules.TryMakeAt(int, string, string, DateOnly, FactCell[], int, string?, string?, bool)"/>),
/// with the cells the results show: no model application is made unless <see cref="ToModel"/> is asked for it (an
/// enterprise another of whose rows the compiled rules do not take is evaluated by the interpreter). Its label ("line N") is
/// made only when something asks for it (a rejected row, a trace, a sink that writes labels): most rows never need it.
/// </summary>
internal sealed record BoundRow(long Row, string Id, string Enterprise, Rule Rule, DateOnly Date, string? Subject, string? Location,
    bool Funded, CompiledRules Compiled, object Generated) : InputRow(Row, null!)
{
    public override string RowLabel
    {
        get => field ??= CsvApplicationReader.Label(Row);
        init => field = value;
    }

    // Equal over what a reader sees (the label made or given alike), not over whether it was made yet.
    public bool Equals(BoundRow? other) =>
        other is not null && Row == other.Row && RowLabel == other.RowLabel && Id == other.Id && Enterprise == other.Enterprise && Rule == other.Rule
        && Date == other.Date && Subject == other.Subject && Location == other.Location && Funded == other.Funded && Compiled == other.Compiled
        && Equals(Generated, other.Generated);

    public override int GetHashCode() => HashCode.Combine(Row, RowLabel, Id, Enterprise, Rule, Date, Generated);

    /// <summary>The row as the reader gives it without compiled rules: the same application, its facts by name.</summary>
    public ApplicationRow ToModel()
    {
        // The facts as they were read: the generated application holds them typed (CompiledRules.FactsOf gives them back).
        var values = Compiled.FactsOf(Rule, Generated);
        var facts = ImmutableSortedDictionary.CreateBuilder<string, FactValue>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
            if (values[i] is { } value) facts.Add(Rule.Facts[i].Name, value);
        return new ApplicationRow(Row, RowLabel, new Application(Id, Enterprise, Rule.Name, Date, facts.Count == 0 ? Facts.Empty : new Facts(facts.ToImmutable()),
            Subject, Location, Funded));
    }
}
