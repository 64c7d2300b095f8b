using System.Runtime.CompilerServices;
using PolicyDsl.Model;
using PolicyDsl.Text;
using R = PolicyDsl.Runtime;

namespace PolicyDsl.Evaluation;

/// <summary>
/// Evaluates the applications of enterprises across rules (docs/semantics.md §8, 13, 14, 16) with the runtime's one
/// enterprise algorithm (<see cref="R.EnterpriseEvaluation"/>, the one generated code runs): this class only tells it
/// what the checked model says, through <see cref="R.IRuleSet{TApplication, TAward}"/>, and evaluates each application
/// under its rule with <see cref="RuleEvaluator"/>.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>All applications, grouped by enterprise in order of first appearance.</summary>
    public static EquatableArray<EnterpriseResult> Evaluate(CheckedPolicy policy, IEnumerable<Application> applications) =>
        R.EnterpriseEvaluation.Settle(RulesOf(policy), applications).Select(ToResult).ToEquatableArray();

    /// <summary>The applications of one enterprise (every application should name the same enterprise).</summary>
    public static EnterpriseResult EvaluateEnterprise(CheckedPolicy policy, IReadOnlyList<Application> applications) =>
        ToResult(R.EnterpriseEvaluation.SettleEnterprise(RulesOf(policy), applications.Count > 0 ? applications[0].Enterprise : "", applications));

    /// <summary>The policy's terms and rule metadata, made once per checked policy.</summary>
    private static ModelRuleSet RulesOf(CheckedPolicy policy) => RuleSets.GetValue(policy, p => new ModelRuleSet(p));

    private static readonly ConditionalWeakTable<CheckedPolicy, ModelRuleSet> RuleSets = new();

    private static EnterpriseResult ToResult(R.EnterpriseSettlement<Application, Interpreted> settled) =>
        new(settled.Enterprise, settled.Applications.Select(s => new ApplicationResult(s.Application, s.Award.Award, s.Paid, s.Reason,
                s.Payers.Select(p => new PayerShare(p.Payer, p.Amount)).ToEquatableArray(),
                s.Trace.Select(t => new TraceStep((TraceKind)(int)t.Kind, t.Description, t.Value)).ToEquatableArray(), s.PaidBoundBy)).ToEquatableArray(),
            settled.Total);

    /// <summary>An application's award under its rule alone, with each cap's limit for it (in cap order).</summary>
    private sealed record Interpreted(AwardResult Award, IReadOnlyList<(Cap Cap, decimal Limit)> Limits);

    /// <summary>The checked model as the enterprise algorithm reads it.</summary>
    private sealed class ModelRuleSet : R.IRuleSet<Application, Interpreted>
    {
        private readonly CheckedPolicy _policy;
        private readonly Dictionary<string, R.RuleInfo> _rules = new(StringComparer.Ordinal);

        public ModelRuleSet(CheckedPolicy policy)
        {
            _policy = policy;
            Policy = new R.PolicyTerms(policy.AwardUnit.ToString(), policy.Validity?.From, policy.Validity?.Through, policy.General.HasNoStacking,
                policy.General.HighestOnly.Select(g => (IReadOnlyList<string>)g.Rules.ToArray()).ToArray(),
                policy.General.CostSharing.Select(s => new R.CostShareInfo(s.Location,
                    s.Shares.Select(x => new R.PayerShare(x.Party, x.Fraction)).ToArray(), s.ExceptFrom, s.ExceptThrough)).ToArray(),
                policy.DefaultPayer, !policy.General.HighestWithOtherPolicies.IsEmpty);
            foreach (var rule in policy.Rules)
            {
                if (_rules.ContainsKey(rule.Name)) continue;
                _rules[rule.Name] = new R.RuleInfo(rule.Name, rule.Title, rule.Clause, rule.Source,
                    rule.Caps.Select(c => c.Info(c.Limit is ConstantExpr k ? k.Value : null, c.Describe(), policy.AwardUnit)).ToArray(),
                    rule.ProvenMaximum, rule.MoneyCeiling, rule.Validity?.From, rule.Validity?.Through, rule.QualifiesByEvent, rule.YearStart);
            }
        }

        public R.PolicyTerms Policy { get; }

        public R.ApplicationHeader Header(Application application) =>
            new(application.Id, application.Enterprise, application.Date, application.Subject, application.Location, application.FundedByHigherLevelPolicy,
                application.ReceivedElsewhere);

        public R.RuleInfo? RuleOf(Application application) => _rules.GetValueOrDefault(application.Rule);

        public Interpreted Evaluate(Application application)
        {
            var rule = _policy.FindRule(application.Rule);
            if (rule is null)
            {
                var problem = $"rule {application.Rule} is not in policy {_policy.Name}";
                return new Interpreted(new AwardResult(application.Rule, 0m, false, false, null, 0m,
                    EquatableArray.Create(new TraceStep(TraceKind.Problem, problem, "rejected")), "", EquatableArray.Create(problem)), Array.Empty<(Cap, decimal)>());
            }
            // The rule alone, as generated code evaluates it: the validity windows are the shared algorithm's
            // (EnterpriseEvaluation's reason), so both back ends give the same award for an application outside them.
            // §27.1: the window year is derived from the application's date, never given.
            var facts = rule.WithDate(application.Facts, application.Date);
            var (award, limits) = RuleEvaluator.EvaluateWithCaps(_policy, rule, facts, null, 0);
            return new Interpreted(award, limits);
        }

        public R.AwardOutcome Outcome(Interpreted award) =>
            new(award.Award.Amount, award.Award.Eligible, award.Award.Computable, award.Award.Problems.IsEmpty ? null : string.Join("; ", award.Award.Problems));

        // The interpreter computed every cap's limit while evaluating the award (a paid award has them all).
        public decimal CapLimit(Application application, Interpreted award, int cap) => award.Limits[cap].Limit;
    }
}
