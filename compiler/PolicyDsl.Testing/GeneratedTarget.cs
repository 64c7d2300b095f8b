using System.Collections;
using System.Reflection;
using PolicyDsl.Emit;
using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Testing;

/// <summary>
/// Runs tests against a policy's generated classes (the source generator's output, compiled into the user's
/// assembly), so a team asserts in `dotnet test` the same expectations `policyc test` checks against the
/// reference evaluator. The generated types are found by the emitter's own naming (<see cref="PolicyNames"/>),
/// the facts of each application are set on the rule's typed facts struct, and the policy class's
/// <c>Evaluate(applications)</c> does the evaluation: nothing of the semantics is repeated here.
/// </summary>
public sealed class GeneratedTarget : IPolicyTarget
{
    private readonly Type _policyClass;
    private readonly string _namespace;
    private readonly Assembly _assembly;

    /// <param name="policyClass">The generated policy class, e.g. <c>typeof(Tongzhou2026Policy)</c>.</param>
    public GeneratedTarget(Type policyClass)
    {
        _policyClass = policyClass ?? throw new ArgumentNullException(nameof(policyClass));
        _namespace = policyClass.Namespace ?? "";
        _assembly = policyClass.Assembly;
    }

    public string Name => "generated " + _policyClass.FullName;

    public IReadOnlyList<Outcome> Evaluate(CheckedPolicy policy, IReadOnlyList<Application> applications)
    {
        var names = PolicyNames.Create(policy, EmitOptions.Default);
        var applicationType = Type(names.ApplicationClass);
        var typed = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(applicationType))!;
        foreach (var application in applications) typed.Add(ToGenerated(policy, names, applicationType, application));

        var evaluate = _policyClass.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == "Evaluate" && m.GetParameters().Length == 2 && m.GetParameters()[0].ParameterType.IsGenericType);
        var results = ((IEnumerable)evaluate.Invoke(null, [typed, null])!).Cast<object>()
            .SelectMany(e => ((IEnumerable)Get(e, "Applications")!).Cast<object>())
            .ToDictionary(r => (string)Get(r, "Id")!, StringComparer.Ordinal);

        var outcomes = new List<Outcome>();
        for (var i = 0; i < applications.Count; i++)
        {
            var r = results[applications[i].Id];
            var award = Get(r, "Award")!;
            var reason = (string?)Get(r, "Reason");
            var payers = ((IEnumerable)Get(r, "Payers")!).Cast<object>()
                .Select(p => new PayerShare((string)Get(p, "Payer")!, (decimal)Get(p, "Amount")!)).ToEquatableArray();
            outcomes.Add(new Outcome(applications[i].Id, (decimal)Get(award, "Amount")!, (bool)Get(award, "Eligible")!, (bool)Get(award, "Computable")!,
                (string?)Get(award, "BoundBy"), (decimal)Get(r, "Paid")!, Outcomes.Explain(reason, (string?)Get(award, "FailedCondition")),
                payers, Trace(typed[i]!)));
        }
        return outcomes;
    }

    /// <summary>The generated rule's trace for one application (the policy class's Evaluate with a trace list).</summary>
    private EquatableArray<string> Trace(object application)
    {
        var evaluate = _policyClass.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == "Evaluate" && m.GetParameters().Length == 3);
        var stepType = evaluate.GetParameters()[2].ParameterType.GetGenericArguments()[0];
        var steps = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(stepType))!;
        evaluate.Invoke(null, [application, null, steps]);
        return steps.Cast<object>().Select(s => $"{Get(s, "Description")}: {Get(s, "Value")}").ToEquatableArray();
    }

    private object ToGenerated(CheckedPolicy policy, PolicyNames names, Type applicationType, Application application)
    {
        var rule = policy.FindRule(application.Rule) ?? throw new ArgumentException($"rule {application.Rule} is not in policy {policy.Name}");
        var ruleNames = names.Rules[rule.Name];
        var factsType = Type(ruleNames.Facts);
        var ruleClass = Type(ruleNames.Class);
        var facts = Activator.CreateInstance(factsType)!;
        foreach (var (name, value) in application.Facts.Values)
        {
            var fact = rule.FindFact(name) ?? throw new ArgumentException($"fact {name} is not a fact of rule {rule.Name}");
            var property = factsType.GetProperty(ruleNames.FactMembers[name])!;
            object converted = (fact.Kind, value) switch
            {
                (FactKind.Quantity, QuantityValue q) => q.Value,
                (FactKind.YesNo, YesNoValue y) => y.Value,
                (FactKind.Date, DateValue d) => d.Value,
                (FactKind.Level or FactKind.OneOf, MemberValue m) =>
                    Enum.Parse(ruleClass.GetNestedType(ruleNames.Enums[name])!, ruleNames.EnumMembers[(name, m.Key)]),
                _ => throw new ArgumentException($"fact {name} is given as {value}, which rule {rule.Name} cannot take"),
            };
            property.SetValue(facts, converted);
        }
        // One generic For<TFacts> (§26.5): the facts type names its rule.
        var factory = applicationType.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == "For" && m.IsGenericMethodDefinition).MakeGenericMethod(factsType);
        // A policy that pays the difference over an award received elsewhere (§24.6) takes that amount too.
        return factory.Invoke(null, factory.GetParameters().Length > 7
            ? [application.Id, application.Enterprise, application.Date, facts, application.Subject, application.Location, application.FundedByHigherLevelPolicy, application.ReceivedElsewhere]
            : [application.Id, application.Enterprise, application.Date, facts, application.Subject, application.Location, application.FundedByHigherLevelPolicy])!;
    }

    private Type Type(string name) =>
        _assembly.GetType(_namespace + "." + name) ?? throw new InvalidOperationException($"{_assembly.GetName().Name} has no generated type {_namespace}.{name}");

    private static object? Get(object target, string property) =>
        (target.GetType().GetProperty(property) ?? throw new InvalidOperationException($"{target.GetType().Name} has no property {property}")).GetValue(target);
}
