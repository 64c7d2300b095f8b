using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// One row of an applications file: either an application or the reason it could not be read.
/// Row is the position a person finds it by: the 1-based line for CSV, the 0-based index in the
/// "applications" array for JSON (its label also names the line).
/// </summary>
public abstract record InputRow(long Row, string RowLabel);

public sealed record ApplicationRow(long Row, string RowLabel, Application Application) : InputRow(Row, RowLabel);

/// <summary>
/// A row that could not be read, with what could be read of it (so a rejected row keeps its enterprise and
/// rule). Fatal: the file itself is malformed from here on (nothing after this row can be read).
/// </summary>
public sealed record UnreadableRow(long Row, string RowLabel, string? Id, string Reason, string? Enterprise = null, string? Rule = null, bool Fatal = false)
    : InputRow(Row, RowLabel);

/// <summary>
/// A CSV record read but not yet parsed (<see cref="CsvApplicationReader"/>, deferred): its line, its text and its
/// enterprise cell, so that it can be grouped now and parsed on the thread that evaluates it. <see cref="Parse"/> gives
/// the row the reader would have given.
/// </summary>
internal sealed record PendingRow(long Row, string Record, string? Enterprise, CsvApplicationReader.PendingParser Parser) : InputRow(Row, "")
{
    public InputRow Parse() => Parser.Parse(this);
}
