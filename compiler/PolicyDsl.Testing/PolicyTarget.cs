using PolicyDsl.Evaluation;
using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Testing;

/// <summary>
/// What came out of one application, whichever evaluator produced it: the rule's award (after the validity
/// window), whether it was eligible and computable, the cap that bound the award of the application alone,
/// what was paid after running totals, no stacking and highest only, why nothing was paid (Reason, null when
/// accepted), the payers' shares and the trace of the evaluation as lines. Reference is the reference
/// evaluator's own result (coverage reads it); null for other evaluators.
/// </summary>
public sealed record Outcome(
    string Id,
    decimal Award,
    bool Eligible,
    bool Computable,
    string? BoundBy,
    decimal Paid,
    string? Reason,
    EquatableArray<PayerShare> Payers,
    EquatableArray<string> Trace,
    ApplicationResult? Reference = null);

/// <summary>
/// An evaluator the tests run against: the reference evaluator (<see cref="ReferenceTarget"/>) or a policy's
/// generated classes (<see cref="GeneratedTarget"/>). Given all applications of one test, it evaluates each
/// enterprise's applications together (running totals carry across them) and returns one outcome per application.
/// </summary>
public interface IPolicyTarget
{
    string Name { get; }

    IReadOnlyList<Outcome> Evaluate(CheckedPolicy policy, IReadOnlyList<Application> applications);
}

/// <summary>The reference semantics (<see cref="PolicyEvaluator"/>): what `policyc test` runs.</summary>
public sealed class ReferenceTarget : IPolicyTarget
{
    public static readonly ReferenceTarget Instance = new();

    public string Name => "reference evaluator";

    public IReadOnlyList<Outcome> Evaluate(CheckedPolicy policy, IReadOnlyList<Application> applications)
    {
        var results = PolicyEvaluator.Evaluate(policy, applications).SelectMany(e => e.Applications).ToDictionary(r => r.Application.Id, StringComparer.Ordinal);
        return applications.Select(a => ToOutcome(results[a.Id])).ToList();
    }

    private static Outcome ToOutcome(ApplicationResult r)
    {
        // The application's steps after the award's; a rejected row's reason (a fact out of bounds) is already the
        // award's fact check, so a step the award's trace names is not printed twice.
        var awardSteps = r.Award.Trace.Select(t => t.Description).ToHashSet(StringComparer.Ordinal);
        var trace = r.Award.Trace.Concat(r.Trace.Where(t => !awardSteps.Contains(t.Description))).Select(t => $"{t.Description}: {t.Value}").ToEquatableArray();
        var failed = r.Award.Trace.FirstOrDefault(t => t.Kind == TraceKind.Condition && t.Value == "fails");
        return new Outcome(r.Application.Id, r.Award.Amount, r.Award.Eligible, r.Award.Computable, r.Award.BoundBy, r.Paid,
            Outcomes.Explain(r.Reason, failed?.Description), r.Payers, trace, r);
    }
}

internal static class Outcomes
{
    /// <summary>"conditions not met" says which: the failed condition as the trace names it ("requires ...").</summary>
    public static string? Explain(string? reason, string? failedCondition) =>
        reason is not null && failedCondition is not null && !reason.Contains(failedCondition, StringComparison.Ordinal)
            ? reason + ": " + failedCondition + " fails"
            : reason;
}
