using System.Globalization;
using PolicyDsl.Model;
using PolicyDsl.Plan;
using PolicyDsl.Text;

namespace PolicyDsl.Evaluation;

/// <summary>
/// The reference semantics of one rule (docs/semantics.md §3–7, 9, 15): conditions, lets, the formula,
/// min with every cap, never below 0, rounding only if the rule says so, with a trace of every step.
/// Exact decimal arithmetic; rates multiply before they divide. Missing or ill-typed facts are reported
/// in the result's Problems, never thrown. The generated C# and `policyc eval` must agree with this.
/// </summary>
public static class RuleEvaluator
{
    public static AwardResult Evaluate(CheckedPolicy policy, Rule rule, Facts facts, DateOnly? on = null) =>
        EvaluateWithCaps(policy, rule, on is { } date ? rule.WithDate(facts, date) : facts, on, depth: 0).Result;

    /// <summary>The award plus each cap's limit for this application (the policy evaluator keeps running totals on them).</summary>
    internal static (AwardResult Result, IReadOnlyList<(Cap Cap, decimal Limit)> Limits) EvaluateWithCaps(
        CheckedPolicy policy, Rule rule, Facts facts, DateOnly? on, int depth)
    {
        var run = new Run(policy, RulePlanner.For(policy, rule), facts, depth);
        try
        {
            return run.Evaluate(on);
        }
        catch (EvaluationProblem problem)
        {
            run.Problem(problem.Message);
            return (run.Result(0m, eligible: false, computable: !rule.Award.IsCaseByCase, boundBy: null), Array.Empty<(Cap, decimal)>());
        }
        catch (OverflowException)
        {
            run.Problem(PlanTexts.Overflow);
            return (run.Result(0m, false, true, null), Array.Empty<(Cap, decimal)>());
        }
    }

    internal static string Format(decimal value, Unit unit) => Quantity.Format(Normalize(value), unit);

    internal static decimal Normalize(decimal value) => PlanTexts.Normalize(value);

    private sealed class EvaluationProblem(string message) : Exception(message);

    /// <summary>The state of one evaluation of a rule's plan: the facts, the lets computed so far, the trace.</summary>
    private sealed class Run(CheckedPolicy policy, RulePlan plan, Facts facts, int depth)
    {
        private readonly Rule rule = plan.Rule;
        private readonly Dictionary<string, decimal> _lets = new(StringComparer.Ordinal);
        private readonly List<TraceStep> _trace = new();
        private readonly List<string> _problems = new();

        private Unit AwardUnit => plan.AwardUnit;

        public void Problem(string message)
        {
            _problems.Add(message);
            _trace.Add(new TraceStep(TraceKind.Problem, message, PlanTexts.NotEvaluated));
        }

        public AwardResult Result(decimal amount, bool eligible, bool computable, string? boundBy)
        {
            decimal? money = plan.MoneyPerPoint is { } mpp ? Normalize(amount * mpp) : Normalize(amount);
            _trace.Add(new TraceStep(TraceKind.Result, PlanTexts.ResultStep + rule.Name, Format(amount, AwardUnit)));
            return new AwardResult(rule.Name, Normalize(amount), eligible && _problems.Count == 0, computable, boundBy, money,
                _trace.ToEquatableArray(), rule.Source, _problems.ToEquatableArray());
        }

        /// <summary>The plan's steps in order: facts, validity, lets, conditions, formula, caps, floor, rounding, result.</summary>
        public (AwardResult, IReadOnlyList<(Cap, decimal)>) Evaluate(DateOnly? on)
        {
            var none = Array.Empty<(Cap, decimal)>();
            if (depth > Checking.PolicyChecker.MaxRuleChain) throw new EvaluationProblem(PlanTexts.TooDeep);
            CheckFacts();
            if (_problems.Count > 0) return (Result(0m, false, !plan.IsCaseByCase, null), none);

            // §16: an application dated outside the rule's (or the policy's) window is rejected.
            if (on is { } date &&
                Runtime.Validity.Reason(date, rule.QualifiesByEvent, policy.Validity?.From, policy.Validity?.Through, rule.Validity?.From, rule.Validity?.Through) is { } outside)
            {
                _trace.Add(new TraceStep(TraceKind.Validity, outside, "rejected"));
                return (Result(0m, false, !plan.IsCaseByCase, null), none);
            }

            // Lets in order, each once (the conditions may read them).
            foreach (var let in plan.Lets)
            {
                var value = Eval(let.Let.Value);
                _lets[let.Let.Name] = value;
                _trace.Add(new TraceStep(TraceKind.Let, let.Text, Format(value, let.Let.Value.Unit)));
            }

            // §6: every condition must hold.
            foreach (var condition in plan.Conditions)
            {
                var holds = Test(condition.Requirement.Condition);
                _trace.Add(new TraceStep(TraceKind.Condition, condition.Text, holds ? PlanTexts.Holds : PlanTexts.Fails));
                if (!holds) return (Result(0m, false, !plan.IsCaseByCase, null), none);
            }

            // §7: a case-by-case award is not computable: nothing is paid automatically.
            if (rule.Award.Formula is not { } formula)
            {
                _trace.Add(new TraceStep(TraceKind.Formula, plan.CaseByCaseText, PlanTexts.NotComputable));
                return (Result(0m, true, false, null), none);
            }

            var amount = Eval(formula);
            _trace.Add(new TraceStep(TraceKind.Formula, PlanTexts.FormulaStep, Format(amount, AwardUnit)));

            string? boundBy = null;
            decimal? lowest = null;
            var limits = new List<(Cap, decimal)>();
            foreach (var cap in plan.Caps)
            {
                var limit = cap.ConstantLimit ?? Eval(cap.Cap.Limit);
                limits.Add((cap.Cap, limit));
                lowest = lowest is { } l ? Math.Min(l, limit) : limit;
                var binds = limit < amount;
                _trace.Add(new TraceStep(TraceKind.Cap, cap.Text(limit), binds ? PlanTexts.Binds : PlanTexts.DoesNotBind));
                if (binds)
                {
                    amount = limit;
                    boundBy = cap.BoundBy(limit);
                }
            }
            if (amount < 0m)
            {
                _trace.Add(new TraceStep(TraceKind.Formula, PlanTexts.FloorStep, "0"));
                amount = 0m;
            }
            if (plan.Rounding is { } rounding)
            {
                amount = RoundingStep.Apply(rounding.Rounding, amount, lowest);
                _trace.Add(new TraceStep(TraceKind.Rounding, rounding.Text, Format(amount, AwardUnit)));
            }
            // §27.7: the instalment due at the application's date, after caps and rounding.
            if (plan.Instalments is { } instalments)
            {
                foreach (var part in instalments.Schedule.Parts)
                    _trace.Add(new TraceStep(TraceKind.Condition, part.Text, Test(part.Reached) ? PlanTexts.Due : PlanTexts.NotDue));
                if (instalments.Schedule.AtOnce is { } once)
                    _trace.Add(new TraceStep(TraceKind.Condition, instalments.AtOnceText, Test(once.Condition) ? PlanTexts.Holds : PlanTexts.Fails));
                var share = Runtime.Instalments.Share(Eval(instalments.Schedule.Share));
                _trace.Add(new TraceStep(TraceKind.Formula, instalments.ShareText, Format(share, Unit.Dimensionless)));
                amount = Runtime.Instalments.Due(amount, share);
                _trace.Add(new TraceStep(TraceKind.Formula, instalments.DueText, Format(amount, AwardUnit)));
            }
            return (Result(amount, true, true, boundBy), limits);
        }

        /// <summary>Every given fact must be of its declared type, within its bounds; unknown names are mistakes.</summary>
        private void CheckFacts()
        {
            foreach (var (name, value) in facts.Values)
            {
                var fact = rule.FindFact(name);
                if (fact is null) { Problem(PlanTexts.NotAFact(name, rule.Name)); continue; }
                var problem = (fact.Kind, value) switch
                {
                    (FactKind.Quantity, QuantityValue q) when q.Value < 0 || (fact.AtMost is { } max && q.Value > max) => PlanTexts.FactOutOfRange(fact),
                    (FactKind.Quantity, QuantityValue) => null,
                    (FactKind.YesNo, YesNoValue) => null,
                    (FactKind.Date, DateValue) => null,
                    (FactKind.Level or FactKind.OneOf, MemberValue m) when fact.FindMember(m.Key) is null => PlanTexts.FactNotAMember(fact),
                    (FactKind.Level or FactKind.OneOf, MemberValue) => null,
                    _ => PlanTexts.FactOfWrongKind(fact, value),
                };
                if (problem is not null) Problem(problem);
            }
        }

        private FactValue Value(string name) =>
            facts[name] ?? throw new EvaluationProblem(PlanTexts.FactMissing(rule.FindFact(name) ?? throw new EvaluationProblem(PlanTexts.NotAFact(name, rule.Name))));

        // ---------- expressions ----------

        private decimal Eval(Expr e)
        {
            switch (e)
            {
                case ConstantExpr c:
                    return c.Value;
                case FactRef f:
                {
                    var fact = rule.FindFact(f.Name)!;
                    return Value(f.Name) is QuantityValue q ? q.Value * fact.Unit!.Scale : throw new EvaluationProblem($"fact {f.Name} is not a quantity");
                }
                case LetRef l:
                    return LetValue(l.Name);
                case ParamRef p:
                {
                    var parameter = rule.FindParameter(p.Name)!;
                    var keys = p.Keys.Select(Key).ToList();
                    var found = parameter.Find(keys);
                    if (found is null)
                    {
                        throw new EvaluationProblem(PlanTexts.ParameterUnset(rule.Name, p.Name, keys.Count > 0 ? "[" + string.Join(", ", keys) + "]" : ""));
                    }
                    return found.Value;
                }
                case TableLookup t:
                {
                    var keys = t.Keys.Select(Key).ToList();
                    return rule.Tables.First(x => x.Name == t.Table).Find(keys)?.Value
                        ?? throw new EvaluationProblem($"table {t.Table} has no case for {string.Join(", ", keys)}");
                }
                case BandLookup b:
                {
                    var band = rule.Bands.First(x => x.Name == b.Band);
                    var fact = rule.FindFact(b.Fact)!;
                    var x = Value(b.Fact) is QuantityValue q ? q.Value * fact.Unit!.Scale : throw new EvaluationProblem($"fact {b.Fact} is not a quantity");
                    return band.Cases.FirstOrDefault(c => c.Contains(x))?.Value ?? 0m; // a gap pays 0
                }
                case FunctionExpr f:
                {
                    var args = f.Arguments.Select(Eval).ToList();
                    return f.Function switch { FunctionKind.Min => args.Min(), FunctionKind.Max => args.Max(), _ => args.Sum() };
                }
                case BinaryExpr b:
                {
                    var l = Eval(b.Left);
                    var r = Eval(b.Right);
                    return b.Operator switch
                    {
                        BinaryKind.Add => l + r,
                        BinaryKind.Subtract => l - r,
                        BinaryKind.Multiply => l * r,
                        _ => r == 0m ? throw new EvaluationProblem(PlanTexts.DivisionByZero(rule.Name)) : l / r,
                    };
                }
                case NegateExpr n:
                    return -Eval(n.Operand);
                case RateExpr rate:
                {
                    if (rate.Base is null) return rate.Amount.Value / rate.Per.Value;
                    var x = Eval(rate.Base);
                    // 每满 counts whole steps; "per" is proportional, multiplied first so exact inputs stay exact.
                    if (rate.Full) return Math.Floor(x / rate.Per.Value) * rate.Amount.Value;
                    try { return x * rate.Amount.Value / rate.Per.Value; }
                    catch (OverflowException) { return x / rate.Per.Value * rate.Amount.Value; }
                }
                case ConditionalExpr c:
                    return Test(c.Condition) ? Eval(c.WhenTrue) : Eval(c.WhenFalse);
                case ToPointsExpr t:
                    return Eval(t.Money) / t.MoneyPerPoint;
                case RuleAwardExpr ra:
                    return OtherAward(ra);
                default:
                    throw new EvaluationProblem($"cannot evaluate {e.GetType().Name} as a quantity");
            }
        }

        /// <summary>Another rule's award (its caps included) with its facts bound to values computed here (§9).</summary>
        private decimal OtherAward(RuleAwardExpr ra)
        {
            var other = policy.FindRule(ra.Rule) ?? throw new EvaluationProblem($"rule {ra.Rule} is not in the policy");
            var bound = Facts.Empty;
            foreach (var binding in ra.Bindings)
            {
                var fact = other.FindFact(binding.Fact)!;
                FactValue value = binding.Value switch
                {
                    FactValueRef f => Value(f.Name),
                    KeyExpr k => FactValue.Member(k.Key),
                    var e => FactValue.Of(Eval(e) / fact.Unit!.Scale), // back into the other fact's declared unit
                };
                bound = bound.With(binding.Fact, value);
            }
            var (result, _) = EvaluateWithCaps(policy, other, bound, null, depth + 1);
            if (!result.Problems.IsEmpty) throw new EvaluationProblem(PlanTexts.OtherRuleProblem(other.Name, result.Problems));
            _trace.Add(new TraceStep(TraceKind.Formula, $"award of {other.Name}({bound})", Format(result.Amount, AwardUnit)));
            return result.Amount;
        }

        /// <summary>A let's value: the plan evaluates every let, in order, before any later step reads it.</summary>
        private decimal LetValue(string name) =>
            _lets.TryGetValue(name, out var known) ? known : throw new EvaluationProblem($"let {name} is read before it is computed");

        private string Key(Expr e) => e switch
        {
            KeyExpr k => k.Key,
            FactValueRef f => Value(f.Name) is MemberValue m ? m.Key : throw new EvaluationProblem($"fact {f.Name} is not a member"),
            _ => throw new EvaluationProblem("a lookup key is not a member"),
        };

        // ---------- conditions ----------

        private bool Test(Condition c) => c switch
        {
            AndCondition a => Test(a.Left) && Test(a.Right),
            OrCondition o => Test(o.Left) || Test(o.Right),
            NotCondition n => !Test(n.Operand),
            FactIsTrue t => Value(t.Fact) is YesNoValue y ? y.Value : throw new EvaluationProblem($"fact {t.Fact} is not yes/no"),
            CompareCondition cmp => Compare(cmp),
            _ => throw new EvaluationProblem("unknown condition"),
        };

        /// <summary>A date operand (§27.4): a date fact, a date literal, or one of them moved by months.</summary>
        private DateOnly? DateOf(Expr e) => e switch
        {
            DateExpr d => d.Date,
            DateShiftExpr s => DateOf(s.Date) is { } d ? Runtime.EventWindows.AddMonths(d, s.Months) : throw new EvaluationProblem("a date compares with a date"),
            FactValueRef f when rule.FindFact(f.Name) is { Kind: FactKind.Date } => Value(f.Name) is DateValue d ? d.Value : throw new EvaluationProblem($"fact {f.Name} is not a date"),
            _ => null,
        };

        private bool Compare(CompareCondition c)
        {
            if (c.Left is DateExpr or DateShiftExpr || c.Right is DateExpr or DateShiftExpr ||
                (c.Left is FactValueRef lf && rule.FindFact(lf.Name) is { Kind: FactKind.Date }))
            {
                var l = DateOf(c.Left) ?? throw new EvaluationProblem("a date compares with a date");
                var r = DateOf(c.Right) ?? throw new EvaluationProblem("a date compares with a date");
                return Holds(l.CompareTo(r), c.Operator);
            }
            if (c.Left is FactValueRef f)
            {
                var fact = rule.FindFact(f.Name)!;
                switch (fact.Kind)
                {
                    case FactKind.Date:
                    {
                        var l = Value(f.Name) is DateValue d ? d.Value : throw new EvaluationProblem($"fact {f.Name} is not a date");
                        var r = c.Right is FactValueRef g && Value(g.Name) is DateValue d2 ? d2.Value : throw new EvaluationProblem("a date compares with a date");
                        return Holds(l.CompareTo(r), c.Operator);
                    }
                    default:
                    {
                        var l = Key(c.Left);
                        var r = Key(c.Right);
                        if (c.Operator is Comparison.Equal) return l == r;
                        if (c.Operator is Comparison.NotEqual) return l != r;
                        var lr = fact.FindMember(l)?.Rank ?? 0m;
                        var rr = fact.FindMember(r)?.Rank ?? 0m;
                        return Holds(lr.CompareTo(rr), c.Operator);
                    }
                }
            }
            return Holds(Eval(c.Left).CompareTo(Eval(c.Right)), c.Operator);
        }

        private static bool Holds(int order, Comparison op) => op switch
        {
            Comparison.GreaterOrEqual => order >= 0,
            Comparison.LessOrEqual => order <= 0,
            Comparison.Greater => order > 0,
            Comparison.Less => order < 0,
            Comparison.Equal => order == 0,
            _ => order != 0,
        };
    }
}
