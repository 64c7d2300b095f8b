using System.Globalization;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>An application evaluated by the reference evaluator, with the row it came from.</summary>
public sealed record EvaluatedRow(long Row, string RowLabel, ApplicationResult Result);

/// <summary>A row that was not evaluated, and why (unreadable, unknown rule, outside validity, missing or ill-typed facts).</summary>
public sealed record RejectedRow(long Row, string RowLabel, string? Id, string? Enterprise, string? Rule, string Reason);

/// <summary>What one enterprise was paid, per calendar year of the applications and in all.</summary>
public sealed record EnterpriseTotals(string Enterprise, IReadOnlyList<(int Year, decimal Paid)> Years, decimal Total);

public sealed record EvalSummary(long Rows, long Evaluated, long Rejected, long Enterprises, decimal Paid);

/// <summary>Where results go, as they are produced.</summary>
public interface IAwardSink
{
    void Evaluated(EvaluatedRow row);

    void Rejected(RejectedRow row);

    void EnterpriseDone(EnterpriseTotals totals);

    void Complete(EvalSummary summary);
}

/// <summary>
/// Evaluates a stream of applications with the reference semantics and flat memory. The reference
/// <see cref="PolicyEvaluator"/> works per enterprise (date order, highest-only, running totals under
/// scoped caps are all per enterprise), so this driver hands it one enterprise at a time: the rows of an
/// enterprise must be contiguous in the input (a later row of an enterprise already finished is rejected,
/// never folded in wrongly). The only state kept is the current enterprise's rows and the set of enterprise
/// ids seen. Rows the reference would refuse (unknown rule, outside the validity window, missing or
/// ill-typed facts) are reported as rejected with their row; excluding them changes nothing for the others,
/// since the reference pays them 0 and keeps them out of running totals and highest-only.
/// </summary>
public sealed class StreamingEvaluator(CheckedPolicy policy, IAwardSink sink)
{
    private readonly List<ApplicationRow> _group = new();
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private string? _current;
    private long _rows, _evaluated, _rejected, _enterprises;
    private decimal _paid;

    public long RejectedCount => _rejected;

    public void Add(InputRow row)
    {
        _rows++;
        switch (row)
        {
            case UnreadableRow u:
                Reject(new RejectedRow(u.Row, u.RowLabel, u.Id, null, null, u.Reason));
                return;
            case ApplicationRow a:
                Accept(a);
                return;
        }
    }

    private void Accept(ApplicationRow row)
    {
        var app = row.Application;
        var rule = policy.FindRule(app.Rule);
        string? reason = null;
        if (rule is null) reason = $"unknown rule '{app.Rule}': not in policy {policy.Name}";
        else if (PolicyDsl.Runtime.Validity.Reason(app.Date, policy.Validity?.From, policy.Validity?.Through, rule.Validity?.From, rule.Validity?.Through) is { } outside)
            reason = outside;
        else if (app.Enterprise != _current && _finished.Contains(app.Enterprise))
            reason = $"enterprise {app.Enterprise} appeared before and its applications were already evaluated: the rows of an enterprise must be contiguous";
        if (reason is not null)
        {
            Reject(new RejectedRow(row.Row, row.RowLabel, app.Id, app.Enterprise, app.Rule, reason));
            return;
        }
        if (app.Enterprise != _current) Flush();
        _current = app.Enterprise;
        _group.Add(row);
    }

    private void Reject(RejectedRow row)
    {
        _rejected++;
        sink.Rejected(row);
    }

    /// <summary>Evaluates the current enterprise with the reference evaluator and writes its rows and totals.</summary>
    private void Flush()
    {
        if (_current is null || _group.Count == 0) return;
        var rows = new Dictionary<Application, ApplicationRow>(ReferenceEqualityComparer.Instance);
        foreach (var r in _group) rows[r.Application] = r;
        var result = PolicyEvaluator.EvaluateEnterprise(policy, _group.Select(r => r.Application).ToList());
        var years = new SortedDictionary<int, decimal>();
        foreach (var app in result.Applications)
        {
            var row = rows[app.Application];
            if (!app.Award.Problems.IsEmpty)
            {
                // Missing or ill-typed facts: the reference pays 0 with the problem as its reason.
                Reject(new RejectedRow(row.Row, row.RowLabel, app.Application.Id, app.Application.Enterprise, app.Application.Rule, string.Join("; ", app.Award.Problems)));
                continue;
            }
            _evaluated++;
            years[app.Application.Date.Year] = Fmt.AddSaturating(years.GetValueOrDefault(app.Application.Date.Year), app.Paid);
            sink.Evaluated(new EvaluatedRow(row.Row, row.RowLabel, app));
        }
        _enterprises++;
        _paid = Fmt.AddSaturating(_paid, result.Total);
        sink.EnterpriseDone(new EnterpriseTotals(_current, years.Select(kv => (kv.Key, Fmt.Normalize(kv.Value))).ToList(), result.Total));
        _finished.Add(_current);
        _group.Clear();
        _current = null;
    }

    public EvalSummary Complete()
    {
        Flush();
        var summary = new EvalSummary(_rows, _evaluated, _rejected, _enterprises, Fmt.Normalize(_paid));
        sink.Complete(summary);
        return summary;
    }

    /// <summary>Reads a whole input and evaluates it; the format is "json" or "csv".</summary>
    public static EvalSummary Run(CheckedPolicy policy, Stream input, string format, IAwardSink sink, Action<long>? progress = null)
    {
        var evaluator = new StreamingEvaluator(policy, sink);
        IEnumerable<InputRow> rows = format == "csv"
            ? new CsvApplicationReader(policy).Read(new StreamReader(input, leaveOpen: true))
            : new JsonApplicationReader(policy).Read(input);
        long n = 0;
        foreach (var row in rows)
        {
            evaluator.Add(row);
            if (progress is not null && (++n & 1023) == 0) progress(input.CanSeek ? input.Position : n);
        }
        return evaluator.Complete();
    }

    internal static string Year(int year) => year.ToString(CultureInfo.InvariantCulture);
}
