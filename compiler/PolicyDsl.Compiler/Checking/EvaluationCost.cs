using PolicyDsl.Model;

namespace PolicyDsl.Checking;

/// <summary>
/// How many rule evaluations one evaluation of a rule expands to: 1 for the rule itself plus, for each
/// call of another rule's award (a relative cap, an award or let reading another rule), that rule's own
/// cost. Calls are counted where they are written (both branches of an `if`, each let once), so the
/// count is an upper bound of what the evaluator and the generated code do. A rule that calls another
/// twice, chained n deep, costs 2^n: the checker rejects a rule above <see cref="Budget"/>, so every
/// policy it accepts evaluates in time linear in its size.
/// </summary>
internal static class EvaluationCost
{
    /// <summary>The most rule evaluations one evaluation of a rule may expand to (docs/semantics.md §9).</summary>
    public const long Budget = 1_000;

    /// <summary>The cost of <paramref name="rule"/>, given its callees' costs (saturating just above the budget).</summary>
    public static long Of(Rule rule, Func<string, long> costOf)
    {
        long total = 1;
        void Add(long cost) => total = Math.Min(Budget + 1, total + cost);
        void Walk(Expr? e)
        {
            switch (e)
            {
                case RuleAwardExpr ra:
                    Add(costOf(ra.Rule));
                    foreach (var b in ra.Bindings) Walk(b.Value);
                    break;
                case BinaryExpr b: Walk(b.Left); Walk(b.Right); break;
                case FunctionExpr f: foreach (var a in f.Arguments) Walk(a); break;
                case NegateExpr n: Walk(n.Operand); break;
                case ConditionalExpr c: WalkCondition(c.Condition); Walk(c.WhenTrue); Walk(c.WhenFalse); break;
                case ToPointsExpr t: Walk(t.Money); break;
                case RateExpr r: Walk(r.Base); break;
                case ParamRef p: foreach (var k in p.Keys) Walk(k); break;
                case TableLookup t: foreach (var k in t.Keys) Walk(k); break;
            }
        }
        void WalkCondition(Condition c)
        {
            switch (c)
            {
                case CompareCondition cmp: Walk(cmp.Left); Walk(cmp.Right); break;
                case AndCondition a: WalkCondition(a.Left); WalkCondition(a.Right); break;
                case OrCondition o: WalkCondition(o.Left); WalkCondition(o.Right); break;
                case NotCondition n: WalkCondition(n.Operand); break;
            }
        }
        foreach (var let in rule.Lets) Walk(let.Value);
        foreach (var requirement in rule.Requirements) WalkCondition(requirement.Condition);
        Walk(rule.Award.Formula);
        foreach (var cap in rule.Caps) Walk(cap.Limit);
        return total;
    }

    /// <summary>The first call in the rule (where a cost above the budget is reported).</summary>
    public static RuleAwardExpr? FirstCall(Rule rule)
    {
        RuleAwardExpr? Find(Expr? e) => e switch
        {
            RuleAwardExpr ra => ra,
            BinaryExpr b => Find(b.Left) ?? Find(b.Right),
            FunctionExpr f => f.Arguments.Select(Find).FirstOrDefault(x => x is not null),
            NegateExpr n => Find(n.Operand),
            ConditionalExpr c => Find(c.WhenTrue) ?? Find(c.WhenFalse),
            ToPointsExpr t => Find(t.Money),
            RateExpr r => Find(r.Base),
            _ => null,
        };
        return rule.Caps.Select(c => Find(c.Limit)).FirstOrDefault(x => x is not null)
            ?? Find(rule.Award.Formula)
            ?? rule.Lets.Select(l => Find(l.Value)).FirstOrDefault(x => x is not null);
    }
}
