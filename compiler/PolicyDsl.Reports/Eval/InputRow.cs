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
