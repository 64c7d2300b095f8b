using System.Runtime.CompilerServices;

namespace PolicyDsl.Runtime;

/// <summary>
/// The words of a rule's trace steps and problems that the runtime itself writes: the one place they are kept (the
/// compiler's PlanTexts reads these constants; the interpreter and generated code both show them).
/// </summary>
public static class StepTexts
{
    public const string Result = "award of ";
    public const string Holds = "holds";
    public const string Fails = "fails";
    public const string NotEvaluated = "not evaluated";
    public const string NotComputable = "not computable";
    public const string Binds = "binds";
    public const string DoesNotBind = "does not bind";
    /// <summary>What the trace step of a cap whose limit is computed per application starts with.</summary>
    public const string CapPrefix = "cap ";
    public const string Overflow = "the arithmetic overflowed a decimal";

    public static string DivisionByZero(string rule) => "division by zero in " + rule;
}

/// <summary>
/// The exits of a generated rule evaluation, written once here instead of in every generated body: each ends the trace
/// as the interpreter does (the step, then "award of RULE") and makes the award. Called with a null trace, they only make
/// the award (and allocate nothing).
/// </summary>
public static class RuleSteps
{
    // Each exit takes the rule's AwardRule, which carries its source sentence (every step's source) and whether its award is
    // computed: a generated body names only what differs, so the consumer's compiler binds less (issue 18, §26.5).

    /// <summary>A quantity fact below zero (-0 is not): what a fact check tests before <see cref="Problem(AwardRule, string, decimal, ICollection{TraceStep}?)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool BelowZero(decimal value) => decimal.IsNegative(value) && value != 0m;

    /// <summary>A fact is not valid (a quantity out of range, an undeclared member): trace the problem with the value given.</summary>
    public static Award Problem(AwardRule rule, string problem, decimal value, ICollection<TraceStep>? trace)
    {
        trace?.Add(new TraceStep(TraceKind.Problem, problem, value, rule.Source));
        return Ended(rule, Award.WithProblem(rule, rule.Computable, problem), trace);
    }

    /// <summary>A fact is not valid: trace the problem with the value given as text.</summary>
    public static Award Problem(AwardRule rule, string problem, string value, ICollection<TraceStep>? trace)
    {
        trace?.Add(new TraceStep(TraceKind.Problem, problem, value, rule.Source));
        return Ended(rule, Award.WithProblem(rule, rule.Computable, problem), trace);
    }

    /// <summary>What a generated evaluation catches: the arithmetic failed or a value could not be computed.</summary>
    public static bool IsProblem(Exception exception) =>
        exception is DivideByZeroException or OverflowException or EvaluationProblemException;

    /// <summary>The evaluation threw one of <see cref="IsProblem"/>'s exceptions: the award's problem, in the interpreter's words.</summary>
    public static Award Caught(AwardRule rule, Exception exception, ICollection<TraceStep>? trace)
    {
        if (rule is null) throw new ArgumentNullException(nameof(rule));
        var problem = exception switch
        {
            DivideByZeroException => StepTexts.DivisionByZero(rule.Name),
            OverflowException => StepTexts.Overflow,
            EvaluationProblemException e => e.Message,
            _ => throw new ArgumentException("not an evaluation problem", nameof(exception), exception),
        };
        trace?.Add(new TraceStep(TraceKind.Problem, problem, StepTexts.NotEvaluated, rule.Source));
        return Ended(rule, Award.WithProblem(rule, rule.Computable, problem), trace);
    }

    /// <summary>A condition does not hold: nothing is awarded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Award Failed(AwardRule rule, string condition, ICollection<TraceStep>? trace)
    {
        trace?.Add(new TraceStep(TraceKind.Condition, condition, StepTexts.Fails, rule.Source));
        return Ended(rule, Award.Failed(rule, condition), trace);
    }

    /// <summary>A condition holds (traced only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Holds(AwardRule rule, string condition, ICollection<TraceStep>? trace) =>
        trace?.Add(new TraceStep(TraceKind.Condition, condition, StepTexts.Holds, rule.Source));

    /// <summary>A case-by-case (一事一议) rule whose conditions held: nothing is paid automatically.</summary>
    public static Award CaseByCase(AwardRule rule, string text, ICollection<TraceStep>? trace)
    {
        trace?.Add(new TraceStep(TraceKind.Formula, text, StepTexts.NotComputable, rule.Source));
        return Ended(rule, Award.CaseByCase(rule), trace);
    }

    /// <summary>The award is computed: boundCap is the 1-based number of the cap that bound it (0: none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Award Paid(AwardRule rule, decimal amount, int boundCap, decimal boundLimit, ICollection<TraceStep>? trace)
    {
        var award = Award.Paid(rule, amount, boundCap, boundLimit);
        return trace is null ? award : Ended(rule, award, trace);
    }

    /// <summary>The last step of every exit, as the interpreter ends its trace: "award of RULE" with the amount.</summary>
    private static Award Ended(AwardRule rule, Award award, ICollection<TraceStep>? trace)
    {
        trace?.Add(new TraceStep(TraceKind.Result, rule.ResultStep, award.Amount, rule.Source));
        return award;
    }
}

/// <summary>
/// The limit a cap computed per application (a relative cap, a parameter) had for one application, read from the cap's
/// step of the traced evaluation, so that the limit is computed by the one evaluation body and nowhere else. Used by
/// the running totals (<see cref="IRuleSet{TApplication, TAward}.CapLimit"/>); 0 when the evaluation stopped before its caps.
/// </summary>
public sealed class CapProbe : ICollection<TraceStep>
{
    private readonly int _cap;
    private int _seen;

    private CapProbe(int cap) => _cap = cap;

    /// <summary>The limit of cap number <paramref name="cap"/> (0-based) in the evaluation <paramref name="evaluate"/> runs with the probe as its trace.</summary>
    public static decimal Limit<TAward>(int cap, Func<ICollection<TraceStep>, TAward> evaluate)
    {
        if (evaluate is null) throw new ArgumentNullException(nameof(evaluate));
        var probe = new CapProbe(cap);
        _ = evaluate(probe);
        return probe.Value;
    }

    private decimal Value { get; set; }

    public void Add(TraceStep item)
    {
        if (item.Kind != TraceKind.Cap) return;
        if (_seen++ == _cap) Value = item.Number;
    }

    public int Count => _seen;
    public bool IsReadOnly => false;
    public void Clear() => _seen = 0;
    public bool Contains(TraceStep item) => false;
    public void CopyTo(TraceStep[] array, int arrayIndex) { }
    public bool Remove(TraceStep item) => false;
    public IEnumerator<TraceStep> GetEnumerator() { yield break; }
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
