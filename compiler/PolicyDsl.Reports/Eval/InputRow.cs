using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// One row of an applications file: either an application or the reason it could not be read.
/// Row is the position a person finds it by: the 1-based line for CSV, the 0-based index in the
/// "applications" array for JSON.
/// </summary>
public abstract record InputRow(long Row, string RowLabel);

public sealed record ApplicationRow(long Row, string RowLabel, Application Application) : InputRow(Row, RowLabel);

public sealed record UnreadableRow(long Row, string RowLabel, string? Id, string Reason) : InputRow(Row, RowLabel);
