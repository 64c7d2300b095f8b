using System.Collections.Immutable;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PolicyDsl.Emit;
using PolicyDsl.Model;
using PolicyDsl.Plan;
using PolicyDsl.Text;
using R = PolicyDsl.Runtime;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// A policy's rules as generated code, compiled in this process: the C# the source generator would write
/// (<see cref="CSharpEmitter"/>, the plan's one meaning), compiled with Roslyn into an assembly that is cached on disk
/// under the SHA-256 of that source and of the runtime it runs on (the compile is paid once per policy), loaded, and run
/// through its policy class's EvaluateEnterprise, which is the runtime's one enterprise algorithm
/// (<see cref="R.EnterpriseEvaluation"/>, the one the interpreter runs too). The only code written here moves values:
/// a row's facts into the rule's typed facts struct (expression trees built once per rule), and the generated award back
/// into the model's <see cref="ApplicationResult"/> that the sinks render.
/// <para>An enterprise is evaluated here only when every one of its applications has every fact of its rule, of its
/// kind, within its bounds and a declared member (<see cref="Takes"/>); any other is evaluated by the reference
/// interpreter, which names the problem (the typed facts of generated code cannot hold a missing or ill-typed fact), so
/// the output does not depend on the engine.</para>
/// </summary>
public sealed class CompiledRules
{
    private readonly Dictionary<string, RuleBinding> _rules = new(StringComparer.Ordinal);

    /// <summary>The rules' bindings by their place (<see cref="RuleIndexOf"/>): a spilled row names its rule by it.</summary>
    private readonly List<RuleBinding> _byIndex = new();
    private readonly Dictionary<Rule, RuleBinding> _byRule = new(ReferenceEqualityComparer.Instance);
    private readonly Func<string, IEnumerable<object>, R.CapLedger, R.EnterpriseResult> _evaluateEnterprise;

    private readonly Func<int, object[]> _newApplications;

    /// <summary>An array of the generated applications' own type (seen as object[]): <see cref="SettleGenerated"/> gives it
    /// to the policy class as it is, with no copy per enterprise.</summary>
    internal object[] NewApplications(int count) => _newApplications(count);
    private readonly CheckedPolicy _policy;

    private CompiledRules(CheckedPolicy policy, Assembly assembly)
    {
        _policy = policy;
        var types = assembly.GetExportedTypes();
        // The policy class: the one with EvaluateEnterprise(string, IEnumerable<Application>, Parameters?, CapLedger?).
        var evaluate = types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Single(m => m.Name == "EvaluateEnterprise" && m.GetParameters().Length == 4 && m.ReturnType == typeof(R.EnterpriseResult));
        var parameters = evaluate.GetParameters();
        var applicationType = parameters[1].ParameterType.GetGenericArguments()[0];
        var enterprise = Expression.Parameter(typeof(string), "enterprise");
        var applications = Expression.Parameter(typeof(IEnumerable<object>), "applications");
        var ledger = Expression.Parameter(typeof(R.CapLedger), "ledger");
        // The generated applications as an array of their type: the enterprise algorithm takes an IReadOnlyList as it is.
        var cast = typeof(CompiledRules).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(applicationType);
        _evaluateEnterprise = Expression.Lambda<Func<string, IEnumerable<object>, R.CapLedger, R.EnterpriseResult>>(
            Expression.Call(evaluate, enterprise, Expression.Call(cast, applications),
                Expression.Constant(null, parameters[2].ParameterType), ledger),
            enterprise, applications, ledger).Compile();
        var count = Expression.Parameter(typeof(int), "count");
        _newApplications = Expression.Lambda<Func<int, object[]>>(Expression.TypeAs(Expression.NewArrayBounds(applicationType, count), typeof(object[])), count).Compile();

        // Each rule class: a static class with const Name and Evaluate(in Facts); its facts struct is Evaluate's parameter.
        var ruleClasses = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var t in types)
        {
            if (!(t.IsAbstract && t.IsSealed) || t.GetField("Name", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } name) continue;
            if (t.GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.Name == "Evaluate" && m.GetParameters().Length == 1))
                ruleClasses.TryAdd((string)name.GetRawConstantValue()!, t);
        }
        foreach (var rule in policy.Rules)
        {
            if (_rules.ContainsKey(rule.Name)) continue;
            if (!ruleClasses.TryGetValue(rule.Name, out var ruleClass))
                throw new InvalidOperationException("the generated code has no class for rule " + rule.Name);
            var factsType = ruleClass.GetMethods(BindingFlags.Public | BindingFlags.Static)
                .First(m => m.Name == "Evaluate" && m.GetParameters().Length == 1).GetParameters()[0].ParameterType.GetElementType()!;
            // One generic For<TFacts> (§26.5), the facts type naming the rule.
            var forMethod = applicationType.GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Single(m => m.Name == "For" && m.IsGenericMethodDefinition).MakeGenericMethod(factsType);
            var binding = new RuleBinding(rule, Bind(rule, factsType, forMethod), Unbind(rule, factsType, applicationType),
                (factsType, applicationType), _byIndex.Count);
            _rules[rule.Name] = binding;
            _byIndex.Add(binding);
            _byRule[rule] = binding;
        }
    }

    /// <summary>A rule and how an application's cells (id, enterprise, date, the facts in the rule's order, subject, location,
    /// funded by a higher-level policy, received elsewhere) become the generated application under it.</summary>
    /// <see cref="FactsOf"/> gives a generated application's facts back as the model's values, in the rule's fact order.
    /// <see cref="CellsOf"/> writes them back as the cells they were made from (compiled the first time it is asked for: only a
    /// record over several lines needs it, so a run does not pay its compile); Index is the rule's place (<see cref="RuleIndexOf"/>).
    private sealed record RuleBinding(Rule Rule, Expression<Func<string, string, DateOnly, FactCell[], string?, string?, bool, decimal, object>> Making,
        Expression<Func<object, FactValue?[]>> Unmaking, (Type Facts, Type Application) Types, int Index)
    {
        // Built (and so checked against the generated code) when the rules load; each compiled the first time it is used: a
        // compile costs milliseconds, and a file mostly applies under a few of the rules.
        public Func<string, string, DateOnly, FactCell[], string?, string?, bool, decimal, object> MakeFrom => field ??= Making.Compile();

        public Func<object, FactValue?[]> FactsOf => field ??= Unmaking.Compile();

        public Action<object, FactCell[]> CellsOf => field ??= UnbindCells(Rule, Types.Facts, Types.Application);

        public object Make(Application a, FactCell[] cells) =>
            MakeFrom(a.Id, a.Enterprise, a.Date, cells, a.Subject, a.Location, a.FundedByHigherLevelPolicy, a.ReceivedElsewhere);

        /// <summary>The rule's facts as an array (read for every row).</summary>
        public Fact[] Facts { get; } = Rule.Facts.ToArray();

        /// <summary>How many facts an application states (the derived window year is not stated), counted once.</summary>
        public int Stated { get; } = Rule.Facts.Count(f => !f.Derived);
    }

    /// <summary>new Facts { each property = the fact's value as its type }, then Application.For(id, enterprise, date, in facts, ...);
    /// the values come as cells in the rule's fact order (<see cref="TryMake"/> has looked them up and checked them).</summary>
    private static Expression<Func<string, string, DateOnly, FactCell[], string?, string?, bool, decimal, object>> Bind(Rule rule, Type factsType, MethodInfo forMethod)
    {
        var properties = factsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null).ToArray();
        if (properties.Length != rule.Facts.Count)
            throw new InvalidOperationException($"the facts of rule {rule.Name} are {rule.Facts.Count}, its generated struct has {properties.Length} members");
        var id = Expression.Parameter(typeof(string), "id");
        var enterprise = Expression.Parameter(typeof(string), "enterprise");
        var date = Expression.Parameter(typeof(DateOnly), "date");
        var values = Expression.Parameter(typeof(FactCell[]), "cells");
        var subject = Expression.Parameter(typeof(string), "subject");
        var location = Expression.Parameter(typeof(string), "location");
        var funded = Expression.Parameter(typeof(bool), "funded");
        var elsewhere = Expression.Parameter(typeof(decimal), "elsewhere");
        var bindings = new List<MemberBinding>();
        for (var i = 0; i < properties.Length; i++)
        {
            var fact = rule.Facts[i];
            var property = properties[i];
            if (fact.Derived) continue; // the window year: the generated application derives it from the date (§27.1)
            Expression cell = Expression.ArrayIndex(values, Expression.Constant(i));
            Expression typed;
            switch (fact.Kind)
            {
                case FactKind.Quantity:
                    typed = Expression.Field(cell, nameof(FactCell.Quantity));
                    break;
                case FactKind.YesNo:
                    typed = Expression.Field(cell, nameof(FactCell.YesNo));
                    break;
                case FactKind.Date:
                    typed = Expression.Field(cell, nameof(FactCell.Date));
                    break;
                default:
                {
                    // The member's place (the first of its key, FactParsing.MemberIndex) is the enum member's: the enum's
                    // members are declared in the fact's member order.
                    var members = EnumMembers(rule, fact, property.PropertyType);
                    typed = Expression.Convert(Expression.ArrayIndex(Expression.Constant(members), Expression.Field(cell, nameof(FactCell.Member))), property.PropertyType);
                    break;
                }
            }
            if (typed.Type != property.PropertyType)
                throw new InvalidOperationException($"fact {fact.Name} of rule {rule.Name} is {property.PropertyType} in the generated code");
            bindings.Add(Expression.Bind(property, typed));
        }
        var local = Expression.Variable(factsType, "facts");
        var arguments = new List<Expression> { id, enterprise, date, local, subject, location, funded };
        // A policy paying the difference over awards received elsewhere (§24.6) has applications that say what that was.
        if (forMethod.GetParameters().Length == 8) arguments.Add(elsewhere);
        if (forMethod.GetParameters().Length != arguments.Count)
            throw new InvalidOperationException($"the generated application of rule {rule.Name} takes {forMethod.GetParameters().Length} values");
        var body = Expression.Block(new[] { local },
            Expression.Assign(local, Expression.MemberInit(Expression.New(factsType), bindings)),
            Expression.Convert(Expression.Call(forMethod, arguments), typeof(object)));
        return Expression.Lambda<Func<string, string, DateOnly, FactCell[], string?, string?, bool, decimal, object>>(body,
            id, enterprise, date, values, subject, location, funded, elsewhere);
    }

    /// <summary>The generated enum's value of each of the fact's members, in the fact's member order.</summary>
    private static int[] EnumMembers(Rule rule, Fact fact, Type enumType)
    {
        var fields = enumType.GetFields(BindingFlags.Public | BindingFlags.Static);
        if (!enumType.IsEnum || fields.Length != fact.Members.Count)
            throw new InvalidOperationException($"fact {fact.Name} of rule {rule.Name}: the generated enum does not match its members");
        return fields.Select(f => Convert.ToInt32(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The inverse of <see cref="Bind"/>: a generated application's typed facts as the model's values in the rule's fact
    /// order (null for the derived window year), the values it was made from (a decimal keeps its scale; a member its key).</summary>
    private static Expression<Func<object, FactValue?[]>> Unbind(Rule rule, Type factsType, Type applicationType)
    {
        var properties = factsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null).ToArray();
        var generated = Expression.Parameter(typeof(object), "generated");
        var facts = Expression.Variable(factsType, "facts");
        var items = new Expression[rule.Facts.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var fact = rule.Facts[i];
            var value = Expression.Property(facts, properties[i]);
            items[i] = fact.Derived ? Expression.Constant(null, typeof(FactValue)) : fact.Kind switch
            {
                FactKind.Quantity => Expression.Call(typeof(FactValue).GetMethod(nameof(FactValue.Of), [typeof(decimal)])!, value),
                FactKind.YesNo => Expression.Call(typeof(FactValue).GetMethod(nameof(FactValue.Of), [typeof(bool)])!, value),
                FactKind.Date => Expression.Call(typeof(FactValue).GetMethod(nameof(FactValue.Of), [typeof(DateOnly)])!, value),
                _ => Expression.Call(typeof(FactValue).GetMethod(nameof(FactValue.Member), [typeof(string)])!,
                    Expression.Call(Expression.Constant(KeysByEnum(rule, fact, properties[i].PropertyType)), typeof(Dictionary<int, string>).GetMethod("get_Item")!,
                        Expression.Convert(value, typeof(int)))),
            };
        }
        var body = Expression.Block(new[] { facts },
            Expression.Assign(facts, Expression.Unbox(Expression.Property(Expression.Convert(generated, applicationType), "Facts"), factsType)),
            Expression.NewArrayInit(typeof(FactValue), items));
        return Expression.Lambda<Func<object, FactValue?[]>>(body, generated);
    }

    /// <summary>The inverse of <see cref="Bind"/> as cells: a generated application's typed facts written into the rule's cells
    /// (Given, the field of the fact's kind; a member its place, the first of its enum value), from which <see cref="Bind"/>
    /// makes the same application again. The derived window year is left as it is (not given).</summary>
    private static Action<object, FactCell[]> UnbindCells(Rule rule, Type factsType, Type applicationType)
    {
        var properties = factsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null).ToArray();
        var generated = Expression.Parameter(typeof(object), "generated");
        var cells = Expression.Parameter(typeof(FactCell[]), "cells");
        var facts = Expression.Variable(factsType, "facts");
        var body = new List<Expression>
        {
            Expression.Assign(facts, Expression.Unbox(Expression.Property(Expression.Convert(generated, applicationType), "Facts"), factsType)),
        };
        for (var i = 0; i < rule.Facts.Count; i++)
        {
            var fact = rule.Facts[i];
            if (fact.Derived) continue;
            Expression value = Expression.Property(facts, properties[i]);
            MemberAssignment field;
            switch (fact.Kind)
            {
                case FactKind.Quantity: field = Expression.Bind(typeof(FactCell).GetField(nameof(FactCell.Quantity))!, value); break;
                case FactKind.YesNo: field = Expression.Bind(typeof(FactCell).GetField(nameof(FactCell.YesNo))!, value); break;
                case FactKind.Date: field = Expression.Bind(typeof(FactCell).GetField(nameof(FactCell.Date))!, value); break;
                default:
                {
                    var members = EnumMembers(rule, fact, properties[i].PropertyType);
                    var places = new Dictionary<int, int>();
                    for (var m = 0; m < members.Length; m++) places.TryAdd(members[m], m);
                    field = Expression.Bind(typeof(FactCell).GetField(nameof(FactCell.Member))!,
                        Expression.Call(Expression.Constant(places), typeof(Dictionary<int, int>).GetMethod("get_Item")!, Expression.Convert(value, typeof(int))));
                    break;
                }
            }
            body.Add(Expression.Assign(Expression.ArrayAccess(cells, Expression.Constant(i)),
                Expression.MemberInit(Expression.New(typeof(FactCell)), Expression.Bind(typeof(FactCell).GetField(nameof(FactCell.Given))!, Expression.Constant(true)), field)));
        }
        return Expression.Lambda<Action<object, FactCell[]>>(Expression.Block(new[] { facts }, body), generated, cells).Compile();
    }

    /// <summary>Each generated enum value's member key (the first member of that value, as <see cref="EnumMembers"/> gives it).</summary>
    private static Dictionary<int, string> KeysByEnum(Rule rule, Fact fact, Type enumType)
    {
        var values = EnumMembers(rule, fact, enumType);
        var keys = new Dictionary<int, string>();
        for (var m = 0; m < values.Length; m++) keys.TryAdd(values[m], fact.Members[m].Key);
        return keys;
    }

    /// <summary>
    /// True when generated code takes the application as it is: its rule is the policy's, and every fact of the rule is
    /// given (no other), of its kind, not negative and within its bound, a declared member. For any other application the
    /// interpreter's problem text is the result, so such an enterprise is left to it.
    /// </summary>
    public bool Takes(Application application) => Checked(application, out _) is not null;

    /// <summary>The application as the generated code's application, when it is taken (<see cref="Takes"/>); else null.</summary>
    public object? TryMake(Application application) =>
        Checked(application, out var cells) is { } binding ? binding.Make(application, cells) : null;

    /// <summary>One array per thread for the fact cells of the application being made (in the rule's fact order).</summary>
    [ThreadStatic] private static FactCell[]? _cells;

    /// <summary>The calling thread's array of at least <paramref name="count"/> fact cells, cleared (reused from row to row).</summary>
    internal static FactCell[] Cells(int count)
    {
        var cells = _cells is { } scratch && scratch.Length >= count ? scratch : _cells = new FactCell[Math.Max(8, count)];
        Array.Clear(cells, 0, count);
        return cells;
    }

    private RuleBinding? Checked(Application application, out FactCell[] checkedCells)
    {
        checkedCells = [];
        if (!_rules.TryGetValue(application.Rule, out var binding)) return null;
        var rule = binding.Rule;
        var values = application.Facts.Values;
        if (values.Count != binding.Stated) return null;
        var found = Cells(rule.Facts.Count);
        for (var i = 0; i < rule.Facts.Count; i++)
        {
            var fact = rule.Facts[i];
            // A value of another kind than its fact's: not taken.
            if (!fact.Derived && values.TryGetValue(fact.Name, out var value) && !FactCell.Of(fact, value, out found[i])) return null;
        }
        if (!Takes(binding, found, values.Count)) return null;
        checkedCells = found;
        return binding;
    }

    /// <summary>The rule of <see cref="Takes(Application)"/> over an application's facts as cells in the rule's order (not
    /// Given: not given) and how many it gave in all: every fact of the rule given and no other, each fitting.</summary>
    internal bool Takes(Rule rule, FactCell[] cells, int given) => _byRule.TryGetValue(rule, out var binding) && Takes(binding, cells, given);

    private static bool Takes(RuleBinding binding, FactCell[] cells, int given)
    {
        if (given != binding.Stated) return false;
        var facts = binding.Facts;
        for (var i = 0; i < facts.Length; i++)
        {
            var fact = facts[i];
            if (fact.Derived) continue;
            if (!cells[i].Given || !Fits(fact, in cells[i])) return false;
        }
        return true;
    }

    /// <summary>True when the typed facts of generated code hold the value as it is (a cell of the fact's kind,
    /// <see cref="FactCell.Of"/>): not negative and within its bound, a declared member.</summary>
    private static bool Fits(Fact fact, in FactCell cell) => fact.Kind switch
    {
        FactKind.Quantity => cell.Quantity >= 0 && (fact.AtMost is not { } most || cell.Quantity <= most),
        FactKind.YesNo or FactKind.Date => true,
        FactKind.Level or FactKind.OneOf => cell.Member >= 0,
        _ => false,
    };

    /// <summary>
    /// The generated application of the rule at <paramref name="index"/> (<see cref="RuleIndexOf"/>) made straight from an
    /// application's cells (a reader that parses a row into them, without the model's application): <paramref name="cells"/>
    /// are the facts in the rule's fact order (<see cref="FactParsing.TryCell"/>; not Given: not given), <paramref name="given"/>
    /// how many facts the row gave in all. Null when generated code does not take it, under the rule of <see cref="Takes"/>:
    /// every fact of the rule given and no other, each fitting. A reader that found the rule by its column's text calls it
    /// without a second look-up.
    /// </summary>
    internal object? TryMakeAt(int index, string id, string enterprise, DateOnly date, FactCell[] cells, int given, string? subject, string? location, bool funded)
    {
        var binding = _byIndex[index];
        return Takes(binding, cells, given) ? binding.MakeFrom(id, enterprise, date, cells, subject, location, funded, 0m) : null;
    }

    /// <summary>A generated application's facts (one <see cref="TryMake"/> made under <paramref name="rule"/>) as the model's
    /// values in the rule's fact order: the values it was made from.</summary>
    internal FactValue?[] FactsOf(Rule rule, object generated) => _rules[rule.Name].FactsOf(generated);

    /// <summary>A generated application's facts (one <see cref="TryMake"/> made under <paramref name="rule"/>) as the cells it
    /// was made from, in the rule's fact order (the calling thread's <see cref="Cells"/>; the derived window year not given):
    /// <see cref="TryMake"/> of them makes the same application.</summary>
    internal FactCell[] CellsOf(Rule rule, object generated)
    {
        var cells = Cells(rule.Facts.Count);
        _byRule[rule].CellsOf(generated, cells);
        return cells;
    }

    /// <summary>The rule's place among the compiled rules (a spilled row names its rule by it; <see cref="RuleAt"/>).</summary>
    internal int RuleIndexOf(Rule rule) => _byRule[rule].Index;

    internal Rule RuleAt(int index) => _byIndex[index].Rule;

    /// <summary><see cref="TryMake"/> of the rule at <paramref name="index"/> (<see cref="RuleIndexOf"/>) from cells it took
    /// (<see cref="Takes(Rule, FactCell[], int)"/>) before: a row read back from the cells it was encoded as where it was
    /// checked (<see cref="Codec.DecodeBound"/>), so not checked again; no look-up by name.</summary>
    internal object MakeAt(int index, string id, string enterprise, DateOnly date, FactCell[] cells, string? subject, string? location, bool funded) =>
        _byIndex[index].MakeFrom(id, enterprise, date, cells, subject, location, funded, 0m);

    /// <summary>
    /// The runtime's results for one enterprise's generated applications (<see cref="TryMake"/>), without traces, in the
    /// enterprise algorithm's order: by date, stable (so, given in date order, each result is at its application's place).
    /// </summary>
    public R.EnterpriseResult SettleGenerated(string enterprise, object[] made)
    {
        // No trace is written from compiled rules: the ledger builds no trace steps (the texts of running totals only where one binds).
        // One ledger per thread, cleared for each enterprise (its totals are the enterprise's own).
        var ledger = _ledger ??= new R.CapLedger(16) { Traced = false };
        ledger.Clear();
        var result = _evaluateEnterprise(enterprise, made, ledger);
        if (result.Applications.Count != made.Length) throw new InvalidOperationException("the generated evaluation lost an application");
        return result;
    }

    /// <summary>
    /// One enterprise's applications (each taken, <see cref="Takes"/>), in the order given, with the runtime's enterprise
    /// algorithm over the generated rules: the runtime's results, each with the application it is for, in date order
    /// (stable), and what is paid in all; without traces.
    /// </summary>
    public SettledEnterprise Settle(string enterprise, IReadOnlyList<Application> applications, object[]? made = null)
    {
        // The generated applications: made by TryMake as the caller checked them, else made here.
        var generated = made ?? new object[applications.Count];
        if (made is null)
            for (var i = 0; i < generated.Length; i++)
                generated[i] = TryMake(applications[i]) ?? throw new InvalidOperationException("the compiled rules do not take application " + applications[i].Id);
        var result = SettleGenerated(enterprise, generated);
        // The settlements are in date order, stable; the applications given are in date order already, so they pair by place.
        var settled = result.Applications;
        var byPlace = applications;
        if (!InDateOrder(applications))
        {
            var order = Enumerable.Range(0, applications.Count).OrderBy(i => applications[i].Date).ThenBy(i => i).ToArray();
            byPlace = order.Select(i => applications[i]).ToArray();
        }
        var pairs = new SettledApplication[settled.Count];
        for (var i = 0; i < pairs.Length; i++)
        {
            if (!string.Equals(settled[i].Id, byPlace[i].Id, StringComparison.Ordinal)) throw new InvalidOperationException("the generated evaluation reordered the applications");
            pairs[i] = new SettledApplication(byPlace[i], settled[i]);
        }
        return new SettledEnterprise(pairs, result.Total);
    }

    /// <summary>
    /// <see cref="Settle"/> as the model's results: the same shape and order as <see cref="PolicyDsl.Evaluation.PolicyEvaluator.EvaluateEnterprise"/>
    /// gives for them, without traces.
    /// </summary>
    public EnterpriseResult EvaluateEnterprise(string enterprise, IReadOnlyList<Application> applications, object[]? made = null)
    {
        var settled = Settle(enterprise, applications, made);
        var results = new ApplicationResult[settled.Applications.Length];
        for (var i = 0; i < results.Length; i++) results[i] = ToModel(settled.Applications[i]);
        return new EnterpriseResult(enterprise, Wrap(results), settled.Total);
    }

    private ApplicationResult ToModel(SettledApplication pair)
    {
        var (application, s) = pair;
        var rule = _rules[application.Rule].Rule;
        var award = s.Award;
        var problems = award.Problem is { } problem ? EquatableArray.Create(problem) : EquatableArray<string>.Empty;
        var moneyCeiling = award.MoneyCeiling is { } m ? PlanTexts.Normalize(m) : (decimal?)null;
        var awardResult = new AwardResult(rule.Name, PlanTexts.Normalize(award.Amount), award.Eligible, award.Computable, award.BoundBy,
            moneyCeiling, EquatableArray<TraceStep>.Empty, rule.Source, problems);
        var payers = new PayerShare[s.Payers.Count];
        for (var p = 0; p < payers.Length; p++) payers[p] = new PayerShare(s.Payers[p].Payer, s.Payers[p].Amount);
        return new ApplicationResult(application, awardResult, s.Paid, s.Reason, Wrap(payers), EquatableArray<TraceStep>.Empty, s.PaidBoundBy);
    }

    [ThreadStatic] private static R.CapLedger? _ledger;

    /// <summary>An array for <paramref name="count"/> generated applications, of their type (<see cref="NewApplications"/>), is
    /// taken as it is; any other is copied.</summary>
    private static T[] Typed<T>(IEnumerable<object> items)
    {
        if (items is T[] same) return same;
        var source = (object[])items;
        var typed = new T[source.Length];
        for (var i = 0; i < typed.Length; i++) typed[i] = (T)source[i];
        return typed;
    }

    /// <summary>The array itself as an EquatableArray (it is not changed after): no copy.</summary>
    private static EquatableArray<T> Wrap<T>(T[] items) => new(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(items));

    private static bool InDateOrder(IReadOnlyList<Application> applications)
    {
        for (var i = 1; i < applications.Count; i++)
            if (applications[i].Date < applications[i - 1].Date) return false;
        return true;
    }

    /// <summary>Where compiled policies are kept: $PDSL_COMPILED_CACHE, else the user's local data folder under policyc/compiled.</summary>
    public static string DefaultCacheDirectory =>
        Environment.GetEnvironmentVariable("PDSL_COMPILED_CACHE") is { Length: > 0 } dir ? dir
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create) is { Length: > 0 } local
            ? local : Path.GetTempPath(), "policyc", "compiled");

    private static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);

    /// <summary>
    /// The key of the texts a policy was checked from (§25.1): each file's path and text, and the versions of the parser,
    /// checker, emitter and runtime. The checked policy, so the emitted code, is a function of these alone, so the key
    /// can stand for the emitted code's key without emitting it.
    /// </summary>
    public static string SourceKey(IEnumerable<(string Path, string Text)> sources)
    {
        var text = new StringBuilder("policyc compiled rules, by source\n");
        foreach (var (path, content) in sources)
            text.Append(path).Append('\n').Append(content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n').Append(content).Append('\n');
        foreach (var assembly in new[] { typeof(PolicyDsl.Syntax.PolicyParser).Assembly, typeof(CheckedPolicy).Assembly, typeof(CompiledRules).Assembly, typeof(R.Award).Assembly })
            text.Append("//").Append(assembly.GetName().Name).Append(' ').Append(assembly.ManifestModule.ModuleVersionId).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    /// <summary>
    /// The policy's compiled rules: from the cache when an assembly of the same source and runtime is there, else
    /// emitted, compiled and stored. Null with the reason when the generated code does not compile or bind (the caller
    /// then evaluates with the interpreter). With <paramref name="sourceKey"/> (<see cref="SourceKey"/> of the texts the
    /// policy was checked from), a policy compiled before is found without emitting its C# again (an index file names
    /// the emitted code's key): emitting Tongzhou's is most of the ~0.2 s loading compiled rules took.
    /// </summary>
    public static CompiledRules? Load(CheckedPolicy policy, out string? why, string? cacheDirectory = null, string? sourceKey = null)
    {
        why = null;
        try
        {
            var directory = cacheDirectory ?? DefaultCacheDirectory;
            var index = sourceKey is null ? null : Path.Combine(directory, "src-" + sourceKey + ".key");
            var indexed = index is not null && File.Exists(index) ? File.ReadAllText(index).Trim() : null;
            var key = indexed;
            string? source = null;
            if (key is null || key.Length != 64 || !key.All(char.IsAsciiHexDigitLower) || !File.Exists(Path.Combine(directory, key + ".dll")))
            {
                source = CSharpEmitter.Emit(policy, new EmitOptions("PolicyDsl.Compiled"));
                key = EmittedKey(source);
            }
            Assembly? assembly;
            lock (Loaded)
            {
                if (!Loaded.TryGetValue(key, out assembly))
                {
                    var path = Path.Combine(directory, key + ".dll");
                    if (!File.Exists(path))
                    {
                        // (Removed since the index was read: emit again.)
                        source ??= CSharpEmitter.Emit(policy, new EmitOptions("PolicyDsl.Compiled"));
                        key = EmittedKey(source);
                        path = Path.Combine(directory, key + ".dll");
                        var bytes = Compile(source, key, out why);
                        if (bytes is null) return null;
                        Directory.CreateDirectory(directory);
                        WriteAtomically(path, bytes);
                    }
                    assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
                    Loaded[key] = assembly;
                }
            }
            if (index is not null && indexed != key)
            {
                // New, or naming code that is gone. (The code may have come from this process's cache, so the folder may not exist yet.)
                Directory.CreateDirectory(directory);
                WriteAtomically(index, Encoding.ASCII.GetBytes(key));
            }
            return new CompiledRules(policy, assembly);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or BadImageFormatException or ArgumentException)
        {
            why = e.Message;
            return null;
        }
    }

    /// <summary>The cache key of emitted code: its text and the versions of the runtime and of this compiler.</summary>
    private static string EmittedKey(string source) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            source + "\n//runtime " + typeof(R.Award).Assembly.ManifestModule.ModuleVersionId + "\n//compiler " + typeof(CompiledRules).Assembly.ManifestModule.ModuleVersionId))).ToLowerInvariant();

    /// <summary>A file written whole or not at all (another process may be reading the cache).</summary>
    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The emitted source compiled to an assembly (warnings are errors, as in a consumer's build), or null with the first errors.</summary>
    private static byte[]? Compile(string source, string key, out string? why)
    {
        why = null;
        var references = new List<MetadataReference>();
        var platform = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var path in platform)
        {
            // The framework's assemblies (the others on the path are policyc's own and its packages').
            var name = Path.GetFileName(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll")
                references.Add(MetadataReference.CreateFromFile(path));
        }
        references.Add(MetadataReference.CreateFromFile(typeof(R.Award).Assembly.Location));
        var compilation = CSharpCompilation.Create("PolicyDsl.Compiled." + key[..16],
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Policy.g.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable, deterministic: true,
                specificDiagnosticOptions: [new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        if (!emit.Success)
        {
            why = "the generated code does not compile: " + string.Join("; ", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3));
            return null;
        }
        return stream.ToArray();
    }
}

/// <summary>An application and the runtime's result for it (compiled rules, <see cref="CompiledRules.Settle"/>).</summary>
public readonly record struct SettledApplication(Application Application, R.ApplicationResult Result);

/// <summary>One enterprise's settled applications in date order, and what is paid in all.</summary>
public sealed record SettledEnterprise(SettledApplication[] Applications, decimal Total);
