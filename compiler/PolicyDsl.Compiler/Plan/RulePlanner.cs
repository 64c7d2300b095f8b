using System.Runtime.CompilerServices;
using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Plan;

/// <summary>
/// The lowering pass: checked model → one <see cref="RulePlan"/> per rule. A pure function of the checked policy;
/// the plans of a policy are built once and kept with it (the interpreter reads them per application).
/// </summary>
public static class RulePlanner
{
    private static readonly ConditionalWeakTable<CheckedPolicy, PolicyPlans> Cache = new();

    /// <summary>The plan of one rule of the policy.</summary>
    public static RulePlan For(CheckedPolicy policy, Rule rule) => Cache.GetValue(policy, p => new PolicyPlans(p)).For(rule);

    /// <summary>Every key combination of enum facts, in declaration order (a parameter's cells).</summary>
    public static IEnumerable<string[]> Combinations(Rule rule, IEnumerable<string> dimensions)
    {
        IEnumerable<string[]> result = new[] { Array.Empty<string>() };
        foreach (var dimension in dimensions)
        {
            var members = rule.FindFact(dimension)?.Members.Select(m => m.Key).ToArray() ?? Array.Empty<string>();
            result = result.SelectMany(prefix => members.Select(m => prefix.Append(m).ToArray())).ToArray();
        }
        return result;
    }

    private sealed class PolicyPlans(CheckedPolicy policy)
    {
        private readonly Dictionary<string, RulePlan> _plans = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (FixedRule? Plan, string? Reason)> _scaled = new(StringComparer.Ordinal);
        private readonly object _gate = new();

        public RulePlan For(Rule rule)
        {
            lock (_gate)
            {
                if (_plans.TryGetValue(rule.Name, out var known) && ReferenceEquals(known.Rule, rule)) return known;
                var plan = Lower(policy, rule, Scaled(rule));
                _plans[rule.Name] = plan;
                return plan;
            }
        }

        // A rule that reads another rule's award needs that rule's scaled form too; lowered once per rule.
        private (FixedRule? Plan, string? Reason) Scaled(Rule rule)
        {
            if (!_scaled.TryGetValue(rule.Name, out var known))
            {
                _scaled[rule.Name] = (null, "rule " + rule.Name + " reads its own award"); // a cycle (the checker refuses them) stays decimal
                var plan = FixedLowering.Lower(policy, rule, other => Scaled(other).Plan, out var why);
                known = (plan, why);
                _scaled[rule.Name] = known;
            }
            return known;
        }
    }

    private static RulePlan Lower(CheckedPolicy policy, Rule rule, (FixedRule? Plan, string? Reason) scaled)
    {
        var unit = policy.AwardUnit;
        var analysis = new Analysis(rule);
        var mayThrow = false;

        var checks = new List<FactCheck>();
        foreach (var fact in rule.Facts)
        {
            if (fact.Kind == FactKind.Quantity) checks.Add(new FactCheck(fact, PlanTexts.FactOutOfRange(fact)));
            else if (fact.Kind is FactKind.Level or FactKind.OneOf) checks.Add(new FactCheck(fact, PlanTexts.FactNotAMember(fact)));
        }

        var read = LetsRead(rule);
        var lets = new List<LetStep>();
        foreach (var let in rule.Lets)
        {
            var facts = analysis.Of(let.Value, let.Name);
            mayThrow |= facts.MayThrow;
            lets.Add(new LetStep(let, PlanTexts.LetStep(let.Name), facts, read.Contains(let.Name)));
        }

        var conditions = new List<ConditionStep>();
        foreach (var requirement in rule.Requirements)
        {
            var throws = analysis.ConditionMayThrow(requirement.Condition);
            mayThrow |= throws;
            conditions.Add(new ConditionStep(requirement, PlanTexts.ConditionStep(requirement), throws));
        }

        NodeFacts? formula = null;
        var caps = new List<CapStep>();
        var floor = false;
        RoundingStep? rounding = null;
        var moneyMayOverflow = false;
        // Every cap gets its step, a case-by-case rule's too: its caps are stated (and shown) though nothing is computed.
        var suffixes = rule.Caps.Select(c => PlanTexts.CapSuffix(unit, c)).ToArray();
        for (var i = 0; i < rule.Caps.Count; i++)
        {
            var cap = rule.Caps[i];
            var facts = analysis.Of(cap.Limit);
            var same = Enumerable.Range(1, rule.Caps.Count).Where(j => suffixes[j - 1] == suffixes[i]).ToEquatableArray();
            caps.Add(new CapStep(i + 1, cap, facts, cap.Limit is ConstantExpr c ? c.Value : null, suffixes[i], PlanTexts.CapAsStated(cap), same));
        }
        if (rule.Award.Formula is { } f)
        {
            formula = analysis.Of(f);
            mayThrow |= formula.MayThrow;
            var amount = formula.Bound;
            foreach (var cap in caps)
            {
                mayThrow |= cap.Facts.MayThrow;
                amount = Interval.Min(amount, cap.Facts.Bound);
            }
            floor = !formula.NeverNegative || caps.Any(c => !c.Facts.NeverNegative);
            if (floor) amount = amount.ClampBelow(0m);
            if (rule.Rounding is { } r)
            {
                rounding = new RoundingStep(r, PlanTexts.RoundingStep(unit, r), r.Direction != RoundingDirection.Down && caps.Count > 0);
                // floor(amount / step) × step (or ceiling, or half up): one step more than the amount at most.
                var step = Interval.Exactly(r.Step);
                var steps = amount / step + new Interval(-1m, 1m);
                var rounded = steps * step;
                if (!steps.IsFinite || !rounded.IsFinite) mayThrow = true;
                amount = rounded;
            }
            if (policy.MoneyPerPoint is { } perPoint && unit == Unit.AwardPoints && !(amount * Interval.Exactly(perPoint)).IsFinite)
            {
                moneyMayOverflow = true;
                mayThrow = true;
            }
        }

        var cells = new List<ParameterCell>();
        foreach (var parameter in rule.Parameters)
            foreach (var (keys, cellCaps) in CapsOfAmounts.OfParameterCells(unit, rule, parameter, Combinations(rule, parameter.Dimensions)))
                cells.Add(new ParameterCell(parameter.Name, keys.ToEquatableArray(), cellCaps));

        InstalmentStep? instalments = null;
        if (rule.Schedule is { } schedule && rule.Award.Formula is not null)
        {
            var throws = schedule.Parts.Any(p => analysis.ConditionMayThrow(p.Reached))
                         || (schedule.AtOnce is { } once && analysis.ConditionMayThrow(once.Condition)) || analysis.Of(schedule.Share).MayThrow;
            mayThrow |= throws;
            instalments = new InstalmentStep(schedule, schedule.AtOnce?.Text ?? "", throws);
        }

        var perPointMoney = policy.MoneyPerPoint is { } mpp && unit == Unit.AwardPoints ? mpp : (decimal?)null;
        return new RulePlan(rule, unit, perPointMoney, checks.ToEquatableArray(), lets.ToEquatableArray(), conditions.ToEquatableArray(),
            formula, caps.ToEquatableArray(), floor, rounding, moneyMayOverflow, mayThrow, analysis.OverflowingRates.ToEquatableArray(),
            cells.ToEquatableArray(), scaled.Plan, scaled.Reason, instalments);
    }

    /// <summary>The lets some expression of the rule reads (one walk with an explicit stack: the depth of the input sets no recursion).</summary>
    private static HashSet<string> LetsRead(Rule rule)
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<Expr>();
        foreach (var let in rule.Lets) stack.Push(let.Value);
        foreach (var requirement in rule.Requirements) foreach (var e in Operands(requirement.Condition)) stack.Push(e);
        if (rule.Award.Formula is { } formula) stack.Push(formula);
        foreach (var cap in rule.Caps) stack.Push(cap.Limit);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e is LetRef l) read.Add(l.Name);
            foreach (var child in Children(e)) stack.Push(child);
        }
        return read;
    }

    /// <summary>The expressions directly under a node (a conditional's condition operands included).</summary>
    internal static IEnumerable<Expr> Children(Expr e) => e switch
    {
        ParamRef p => p.Keys,
        TableLookup t => t.Keys,
        FunctionExpr f => f.Arguments,
        BinaryExpr b => new[] { b.Left, b.Right },
        NegateExpr n => new[] { n.Operand },
        RateExpr r => r.Base is null ? Array.Empty<Expr>() : new[] { r.Base },
        ConditionalExpr c => new[] { c.WhenTrue, c.WhenFalse }.Concat(Operands(c.Condition)),
        ToPointsExpr t => new[] { t.Money },
        RuleAwardExpr a => a.Bindings.Select(b => b.Value),
        _ => Array.Empty<Expr>(),
    };

    /// <summary>The expressions a condition compares (iterative: a long chain of and/or sets no recursion depth).</summary>
    internal static IEnumerable<Expr> Operands(Condition root)
    {
        var stack = new Stack<Condition>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case CompareCondition k: yield return k.Left; yield return k.Right; break;
                case AndCondition a: stack.Push(a.Right); stack.Push(a.Left); break;
                case OrCondition o: stack.Push(o.Right); stack.Push(o.Left); break;
                case NotCondition n: stack.Push(n.Operand); break;
            }
        }
    }
}
