using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.CodeAnalysis;
using PolicyDsl.Checking;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;
using PolicyDsl.Policies.Tongzhou2026;
using FixedPoint = PolicyDsl.Runtime.FixedPoint;

namespace PolicyDsl.Generator.Tests;

/// <summary>
/// The scaled-integer (long) evaluation the emitter generates per rule (EvaluateUntraced) against the decimal
/// evaluation kept beside it (EvaluateDecimal) and the reference evaluator, on random facts and parameters that
/// take both paths; the runtime FixedPoint helpers; and the lowering's decisions as they show in generated code.
/// </summary>
public sealed class FixedPointTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // =====================================================================================================
    // 1. Property tests: scaled == decimal == reference, for every rule of Tongzhou and of samples/examples.
    // =====================================================================================================

    /// <summary>Cases per rule; PDSL_FIXEDPOINT_CASES raises it for a longer search.</summary>
    private static readonly int CasesPerRule =
        int.TryParse(Environment.GetEnvironmentVariable("PDSL_FIXEDPOINT_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 1000 ? n : 1000;

    [Fact]
    public void Tongzhou_scaled_evaluation_agrees_with_decimal_and_reference_for_random_inputs()
    {
        var subject = PolicyUnderTest.Tongzhou.Value;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var stats = Check(subject);
        output.WriteLine($"Tongzhou: {stats.Cases} cases ({stats.Scaled} scaled, {stats.Fallback} decimal, {stats.Reference} against the reference) in {stopwatch.ElapsedMilliseconds} ms");
        foreach (var (rule, s) in stats.PerRule) output.WriteLine($"  {rule}: {s.Scaled} scaled ({s.PaidScaled} paid), {s.Fallback} decimal{(s.HasScaledPath ? "" : " (decimal only)")}");
        Assert.True(stats.Cases >= 20_000, $"only {stats.Cases} cases");
        Assert.True(stats.Scaled * 10 >= stats.Cases * 3, $"only {stats.Scaled} of {stats.Cases} cases take the scaled path");
        Assert.True(stats.Fallback * 10 >= stats.Cases, $"only {stats.Fallback} of {stats.Cases} cases take the decimal fallback");
        Assert.True(stats.Reference * 2 >= stats.Cases, $"only {stats.Reference} of {stats.Cases} cases compared with the reference");
        // Every rule with a scaled path took it at least once, and the decimal fallback at least once.
        // Every rule with a scaled path took it at least once, and the decimal fallback at least once; and at least 2.5% of its
        // cases paid an award on the scaled path (got past every condition into the formula and caps).
        Assert.All(stats.PerRule.Where(r => r.Value.HasScaledPath), r => Assert.True(r.Value.Scaled > 0 && r.Value.Fallback > 0 && r.Value.PaidScaled * 40 >= CasesPerRule,
            $"{r.Key}: {r.Value.Scaled} scaled ({r.Value.PaidScaled} paid), {r.Value.Fallback} fallback"));
    }

    [Theory]
    [InlineData("liuhe-2023")]
    [InlineData("nanjing-jiangbei-2026")]
    public void Real_policies_build_through_the_generator_and_agree_with_the_reference_for_random_inputs(string sample)
    {
        // Tiers lowered to if/else and sums, declared units (亩), ranges and case-by-case rules: the generated code compiles
        // (warnings as errors) and every computable rule agrees with the reference evaluator, scaled or decimal.
        var dir = Path.Combine(AppContext.BaseDirectory, "samples", sample);
        var policy = File.ReadAllText(Path.Combine(dir, sample + ".policy"));
        var rules = File.ReadAllText(Path.Combine(dir, sample + ".rules"));
        var subject = PolicyUnderTest.Compile(sample + ".policy", policy, sample + ".rules", rules);
        var stats = Check(subject);
        output.WriteLine($"{sample}: {stats.Cases} cases ({stats.Scaled} scaled, {stats.Fallback} decimal, {stats.Reference} against the reference)");
        Assert.True(stats.Cases >= 1000 * subject.Rules.Count(r => !r.Rule.Award.IsCaseByCase) / 2, $"only {stats.Cases} cases");
        Assert.True(stats.Reference > 0, "no case was compared with the reference");
    }

    [Fact]
    public void Example_policies_scaled_evaluation_agrees_with_decimal_and_reference_for_random_inputs()
    {
        var total = 0;
        var scaled = 0;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var subject in PolicyUnderTest.Examples.Value)
        {
            var stats = Check(subject);
            total += stats.Cases;
            scaled += stats.Scaled;
            foreach (var (rule, s) in stats.PerRule) output.WriteLine($"  {rule}: {s.Scaled} scaled ({s.PaidScaled} paid), {s.Fallback} decimal{(s.HasScaledPath ? "" : " (decimal only)")}");
        }
        output.WriteLine($"Examples: {total} cases ({scaled} scaled) in {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(total >= 10_000, $"only {total} cases");
        Assert.True(scaled * 10 >= total * 3, $"only {scaled} of {total} cases take the scaled path");
    }

    [Fact]
    public void Tiny_policies_scaled_evaluation_agrees_with_decimal_and_reference_for_random_inputs()
    {
        var total = 0;
        foreach (var (name, text) in TinyPolicies.All)
        {
            var subject = PolicyUnderTest.Compile(name, text, null, null);
            var stats = Check(subject);
            total += stats.Cases;
            foreach (var (rule, s) in stats.PerRule) output.WriteLine($"  {rule}: {s.Scaled} scaled ({s.PaidScaled} paid), {s.Fallback} decimal{(s.HasScaledPath ? "" : " (decimal only)")}");
        }
        Assert.True(total >= 3_000, $"only {total} cases");
    }

    internal sealed class RuleStats
    {
        public bool HasScaledPath;
        public int Scaled;
        public int Fallback;
        public int PaidScaled;
    }

    internal sealed class Stats
    {
        public int Cases;
        public int Scaled;
        public int Fallback;
        public int Reference;
        public Dictionary<string, RuleStats> PerRule { get; } = new(StringComparer.Ordinal);
    }

    private static Stats Check(PolicyUnderTest subject, int? casesPerRule = null)
    {
        var stats = new Stats();
        foreach (var rule in subject.Rules)
        {
            var ruleStats = new RuleStats { HasScaledPath = rule.Decimal is not null };
            stats.PerRule[subject.Name + "." + rule.Rule.Name] = ruleStats;
            rule.CaseGen.Sample(c =>
            {
                var (scaledPath, paid) = CheckCase(subject, rule, c);
                if (scaledPath && paid) ruleStats.PaidScaled++;
                stats.Cases++;
                if (c.Reference) stats.Reference++;
                if (rule.Decimal is not null && scaledPath) { stats.Scaled++; ruleStats.Scaled++; }
                else { stats.Fallback++; ruleStats.Fallback++; }
            }, iter: casesPerRule ?? CasesPerRule, threads: 1, print: c => c.Describe(rule));
        }
        return stats;
    }

    /// <summary>One case: scaled == decimal (every property) and == the reference evaluator (amount, eligibility). True when the scaled path is taken.</summary>
    private static (bool Scaled, bool Paid) CheckCase(PolicyUnderTest subject, RuleUnderTest rule, Case c)
    {
        var facts = rule.BoxFacts(c);
        var parameters = rule.MakeParameters(c);
        var untraced = Invoke(rule.Untraced, facts, parameters);
        var scaledPath = rule.TakesScaledPath(c, facts, parameters);
        if (rule.Decimal is not null)
        {
            var exact = Invoke(rule.Decimal, facts, parameters);
            string Why(string what) => $"{rule.Rule.Name}: {what} differs (scaled path taken: {scaledPath})\n  facts: {c.Describe(rule)}\n" +
                                       $"  EvaluateUntraced: {Text(untraced)}\n  EvaluateDecimal:  {Text(exact)}";
            Assert.True(Get<decimal>(untraced, "Amount") == Get<decimal>(exact, "Amount"), Why("Amount"));
            Assert.True(Get<bool>(untraced, "Eligible") == Get<bool>(exact, "Eligible"), Why("Eligible"));
            Assert.True(Get<string?>(untraced, "BoundBy") == Get<string?>(exact, "BoundBy"), Why("BoundBy"));
            Assert.True(Get<decimal>(untraced, "BoundByLimit") == Get<decimal>(exact, "BoundByLimit"), Why("BoundByLimit"));
            Assert.True(Get<string?>(untraced, "Problem") == Get<string?>(exact, "Problem"), Why("Problem"));
            Assert.True(Get<string?>(untraced, "FailedCondition") == Get<string?>(exact, "FailedCondition"), Why("FailedCondition"));
            Assert.True(Get<decimal?>(untraced, "MoneyCeiling") == Get<decimal?>(exact, "MoneyCeiling"), Why("MoneyCeiling"));
            Assert.True(untraced.Equals(exact), Why("Award (value equality)"));
        }
        if (c.Reference)
        {
            var expected = RuleEvaluator.Evaluate(subject.Checked, rule.Rule, rule.ReferenceFacts(c));
            var actual = Get<decimal>(untraced, "Amount");
            Assert.True(expected.Amount == actual,
                $"{rule.Rule.Name}: generated {Text(untraced)}, reference {expected.Amount} ({string.Join("; ", expected.Problems)}) (scaled path taken: {scaledPath})\n  facts: {c.Describe(rule)}");
            Assert.True(expected.Eligible == Get<bool>(untraced, "Eligible"),
                $"{rule.Rule.Name}: generated {Text(untraced)}, reference eligible {expected.Eligible} ({string.Join("; ", expected.Problems)})\n  facts: {c.Describe(rule)}");
        }
        return (scaledPath, Get<decimal>(untraced, "Amount") > 0m);
    }

    private static object Invoke(MethodInfo method, object facts, object parameters)
    {
        try
        {
            return method.Invoke(null, method.GetParameters().Length == 3 ? [facts, parameters, null] : [facts, parameters])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException(method.DeclaringType!.Name + "." + method.Name + " threw", e.InnerException);
        }
    }

    private static T Get<T>(object award, string property) => (T)award.GetType().GetProperty(property)!.GetValue(award)!;

    private static string Text(object award) =>
        award + " (amount " + Get<decimal>(award, "Amount").ToString(CultureInfo.InvariantCulture) + ", bound limit " +
        Get<decimal>(award, "BoundByLimit").ToString(CultureInfo.InvariantCulture) + ", money " + Get<decimal?>(award, "MoneyCeiling")?.ToString(CultureInfo.InvariantCulture) + ")";

    // ---------- the rules under test ----------

    /// <summary>A TryScale call of a generated scaled evaluation: the C# value it converts, its places and largest accepted whole number.</summary>
    internal sealed record ScaledInput(string Value, int Places, long Max);

    /// <summary>One policy: its checked model and the generated rule classes (from an assembly), with the generated source for the bounds.</summary>
    internal sealed class PolicyUnderTest
    {
        public required string Name { get; init; }

        public required CheckedPolicy Checked { get; init; }

        public required IReadOnlyList<RuleUnderTest> Rules { get; init; }

        /// <summary>The generator options of generated/Tongzhou2026.Rules (scaled entry points on), so that the source read here is the one compiled into typeof(Tongzhou2026Policy).Assembly.</summary>
        internal static readonly TestOptionsProvider TongzhouOptions = new(new Dictionary<string, string> { ["build_property.PolicyDslScaledEntryPoints"] = "true" }, new Dictionary<string, IReadOnlyDictionary<string, string>>());

        public static readonly Lazy<PolicyUnderTest> Tongzhou = new(() =>
        {
            var policyText = File.ReadAllText(GeneratorHarness.TongzhouPolicyPath);
            var rulesText = File.ReadAllText(GeneratorHarness.TongzhouRulesPath);
            var run = GeneratorHarness.RunGenerator(GeneratorHarness.Tongzhou(), options: TongzhouOptions);
            var source = string.Concat(run.Result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.SourceText.ToString()));
            return Create("tongzhou-2026", CheckPolicy(GeneratorHarness.TongzhouPolicyPath, policyText, GeneratorHarness.TongzhouRulesPath, rulesText),
                typeof(Tongzhou2026Policy).Assembly, source);
        });

        public static readonly Lazy<IReadOnlyList<PolicyUnderTest>> Examples = new(() =>
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "samples", "examples");
            var list = new List<PolicyUnderTest>();
            foreach (var path in Directory.GetFiles(dir, "*.policy").Order(StringComparer.Ordinal))
            {
                var rulesPath = Path.ChangeExtension(path, ".rules");
                var rules = File.Exists(rulesPath) ? File.ReadAllText(rulesPath) : null;
                list.Add(Compile(Path.GetFileName(path), File.ReadAllText(path), rules is null ? null : Path.GetFileName(rulesPath), rules));
            }
            Assert.True(list.Count >= 9, "samples/examples holds only " + list.Count + " policies");
            return list;
        });

        /// <summary>A policy compiled through the generator in memory and loaded.</summary>
        public static PolicyUnderTest Compile(string name, string policy, string? rulesName, string? rules)
        {
            var files = new List<AdditionalText> { new InMemoryAdditionalText("/e/" + name, policy) };
            if (rules is not null) files.Add(new InMemoryAdditionalText("/e/" + rulesName, rules));
            var run = GeneratorHarness.RunGenerator(files);
            Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
            var source = string.Concat(run.Result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.SourceText.ToString()));
            return Create(name, CheckPolicy("/e/" + name, policy, rules is null ? null : "/e/" + rulesName, rules), GeneratorHarness.Load(run.Output), source);
        }

        private static CheckedPolicy CheckPolicy(string path, string text, string? rulesPath, string? rules)
        {
            var result = PolicyCompiler.Compile(path, text, rulesPath, rules);
            Assert.False(result.HasErrors, string.Join(Environment.NewLine, result.Errors));
            return result.Policy!;
        }

        internal static PolicyUnderTest Create(string name, CheckedPolicy policy, Assembly assembly, string source, Func<Rule, bool>? which = null)
        {
            var rules = policy.Rules.Where(which ?? (_ => true)).Select(r => new RuleUnderTest(r, assembly, source)).ToArray();
            Assert.NotEmpty(rules);
            return new PolicyUnderTest { Name = name, Checked = policy, Rules = rules };
        }
    }

    /// <summary>How one fact is given: a quantity (with what the generated code accepts on its scaled path), yes/no, a member, a date.</summary>
    internal sealed record FactSpec(Fact Fact, PropertyInfo Property, ScaledInput? Scaled, IReadOnlyList<decimal> Thresholds, IReadOnlyList<decimal> Steps, Type? EnumType);

    /// <summary>A parameter property of the generated Parameters class, with the scaled bounds the generated code reads it at (if any).</summary>
    internal sealed record ParameterSpec(PropertyInfo Property, ScaledInput? Scaled, decimal? FromRules);

    /// <summary>A random application: one value per fact (a quantity, bool, member index or date; -1 is an undeclared member) and the parameters (null: FromRules).</summary>
    internal sealed record Case(object[] Values, decimal?[]? Parameters)
    {
        public bool Reference => Parameters is null;

        public string Describe(RuleUnderTest rule)
        {
            var text = new StringBuilder();
            for (var i = 0; i < rule.Facts.Count; i++)
            {
                if (i > 0) text.Append(", ");
                text.Append(rule.Facts[i].Fact.Name).Append(" = ").Append(ValueText(Values[i]));
            }
            text.Append("; parameters ");
            if (Parameters is null) text.Append("FromRules");
            else text.Append(string.Join(", ", rule.Parameters.Select((p, i) => p.Property.Name + " = " + ValueText(Parameters[i]))));
            return text.ToString();
        }

        private static string ValueText(object? value) => value switch
        {
            null => "null",
            decimal d => DecimalText(d),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        };
    }

    /// <summary>A decimal with its sign and scale visible: -0.000m is new decimal(0, 0, 0, true, 3).</summary>
    internal static string DecimalText(decimal d)
    {
        var bits = decimal.GetBits(d);
        var text = d.ToString(CultureInfo.InvariantCulture) + "m";
        return d == 0m && bits[3] < 0 ? "-" + text + " (new decimal(0, 0, 0, true, " + ((bits[3] >> 16) & 0xFF) + "))" : text;
    }

    internal sealed class RuleUnderTest
    {
        private static readonly Regex TryScaleCall = new(@"TryScale\((?<value>.+?), (?<places>\d+), (?<max>\d+)L, out long \w+\)", RegexOptions.CultureInvariant);
        private static readonly Regex DecimalLiteral = new(@"(?<![\w.])(?<n>\d+(?:\.\d+)?)m\b", RegexOptions.CultureInvariant);

        public Rule Rule { get; }

        public Type FactsType { get; }

        public Type ParametersType { get; }

        public object FromRules { get; }

        public MethodInfo Untraced { get; }

        /// <summary>The decimal fallback; null when the rule is only in decimal arithmetic.</summary>
        public MethodInfo? Decimal { get; }

        public IReadOnlyList<FactSpec> Facts { get; }

        public IReadOnlyList<ParameterSpec> Parameters { get; }

        /// <summary>The TryScale calls of the scaled evaluation, in order (facts, parameters, other rules' awards).</summary>
        public IReadOnlyList<ScaledInput> Scaled { get; }

        public Gen<Case> CaseGen { get; }

        public RuleUnderTest(Rule rule, Assembly assembly, string source)
        {
            Rule = rule;
            var ruleType = assembly.GetTypes().Single(t => t.IsClass && t.IsAbstract && t.IsSealed &&
                t.GetField("Name", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } f && (string?)f.GetRawConstantValue() == rule.Name);
            Decimal = DecimalBody(ruleType);
            // A rule with one body (§26.3) has no EvaluateUntraced: its public Evaluate(in facts, parameters) runs that body untraced.
            Untraced = Untraced2(ruleType, "EvaluateUntraced")
                       ?? (Decimal is null ? ruleType.GetMethods(BindingFlags.Public | BindingFlags.Static).SingleOrDefault(m => m.Name == "Evaluate" && m.GetParameters().Length == 2) : null)
                       ?? throw new InvalidOperationException(rule.Name + " has no untraced evaluation");
            FactsType = Untraced.GetParameters()[0].ParameterType.GetElementType()!;
            ParametersType = Untraced.GetParameters()[1].ParameterType;
            FromRules = ParametersType.GetField("FromRules", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

            var untracedBody = MethodBody(source, Decimal is null ? "Evaluate" : "EvaluateUntraced", FactsType.Name, ParametersType.Name);
            var decimalBody = Decimal is null ? untracedBody : MethodBody(source, "EvaluateDecimal", FactsType.Name, ParametersType.Name);
            Scaled = Decimal is null ? [] : TryScaleCall.Matches(untracedBody)
                .Select(m => new ScaledInput(m.Groups["value"].Value, int.Parse(m.Groups["places"].Value, CultureInfo.InvariantCulture),
                    long.Parse(m.Groups["max"].Value, CultureInfo.InvariantCulture))).ToArray();

            // Constants of the decimal code: thresholds, steps, caps (in base units; a fact in 万元 or years sees them divided by its scale).
            var literals = DecimalLiteral.Matches(decimalBody).Select(m => decimal.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture))
                .Where(d => d > 0m && d < 1e24m).Distinct().ToArray();
            var raw = literals;
            // ... and where a formula meets a cap or threshold: a × b / c over the constants (10% of x in points = 200 points at x = 200 × 10000 / 0.1).
            var combined = new HashSet<decimal>(literals);
            foreach (var a in literals)
                foreach (var b in literals)
                    foreach (var c in literals)
                    {
                        try { combined.Add(a * b / c); } catch (OverflowException) { }
                    }
            literals = combined.Where(d => d > 0m && d < 1e22m).Order().ToArray();

            var facts = new List<FactSpec>();
            foreach (var fact in rule.Facts)
            {
                var property = FactsType.GetProperty(Emit.CSharpText.Identifier(fact.Name)) ?? throw new InvalidOperationException("no property for fact " + fact.Name);
                ScaledInput? scaled = Scaled.FirstOrDefault(s => s.Value == "facts." + property.Name);
                var scale = fact.Unit?.Scale ?? 1m;
                var thresholds = literals.SelectMany(l => scale is 0m or 1m ? [l] : new[] { l, l / scale }).Distinct().ToArray();
                var steps = raw.SelectMany(l => scale is 0m or 1m ? [l] : new[] { l, l / scale }).Distinct().ToArray();
                facts.Add(new FactSpec(fact, property, scaled, thresholds, steps, property.PropertyType.IsEnum ? property.PropertyType : null));
            }
            Facts = facts;
            Parameters = ParametersType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.PropertyType == typeof(decimal?) && p.CanWrite)
                .Select(p => new ParameterSpec(p, ParameterScaled(p), (decimal?)p.GetValue(FromRules))).ToArray();
            CaseGen = Generators.Case(this);
        }

        /// <summary>The decimal evaluation kept beside a scaled one: private EvaluateDecimal(in XFacts, XParameters, trace), or null.</summary>
        internal static MethodInfo? DecimalBody(Type ruleType) =>
            ruleType.GetMethods(BindingFlags.NonPublic | BindingFlags.Static).SingleOrDefault(m => m.Name == "EvaluateDecimal" && m.GetParameters().Length == 3);

        /// <summary>The private static method name(in XFacts, XParameters) of a rule class (an overload with a trace is not it), or null.</summary>
        internal static MethodInfo? Untraced2(Type ruleType, string name) =>
            ruleType.GetMethods(BindingFlags.NonPublic | BindingFlags.Static).SingleOrDefault(m => m.Name == name && m.GetParameters().Length == 2);

        /// <summary>The bounds a parameter property is read at: by its name, or through a GetX lookup over it.</summary>
        private ScaledInput? ParameterScaled(PropertyInfo property)
        {
            var direct = Scaled.FirstOrDefault(s => s.Value == "parameters." + property.Name);
            if (direct is not null) return direct;
            // parameters.GetAmount(facts.Level): the lookup returns the property Amount5, Amount4, ... (same places and max).
            return Scaled.FirstOrDefault(s => s.Value.StartsWith("parameters.Get", StringComparison.Ordinal) &&
                property.Name.StartsWith(s.Value["parameters.Get".Length..s.Value.IndexOf('(', StringComparison.Ordinal)], StringComparison.Ordinal));
        }

        /// <summary>The text of a generated method of the rule (from its declaration to its closing brace).</summary>
        private static string MethodBody(string source, string method, string factsType, string parametersType)
        {
            // EvaluateUntraced(facts, parameters) or EvaluateDecimal(facts, parameters, trace): one method of each name;
            // Evaluate(facts, parameters): a rule with one body, whose public overload runs it untraced (the text up to the end of that body).
            var declaration = (method == "Evaluate" ? "public" : "private") + " static global::PolicyDsl.Runtime.Award " + method + "(in " + factsType + " facts, " + parametersType + " parameters";
            var start = source.IndexOf(declaration, StringComparison.Ordinal);
            Assert.True(start >= 0, "no " + method + " for " + factsType + " in the generated source");
            var end = source.IndexOf("\n        }\n", start, StringComparison.Ordinal);
            return source[start..(end < 0 ? source.Length : end)];
        }

        public object BoxFacts(Case c)
        {
            var boxed = Activator.CreateInstance(FactsType)!;
            for (var i = 0; i < Facts.Count; i++)
            {
                var spec = Facts[i];
                object value = c.Values[i];
                if (spec.EnumType is not null)
                {
                    var index = (int)value;
                    value = index < 0 ? Enum.ToObject(spec.EnumType, 1000 + 7 * -index) : Enum.Parse(spec.EnumType, EnumName(spec.Fact, index));
                }
                spec.Property.SetValue(boxed, value);
            }
            return boxed;
        }

        private static string EnumName(Fact fact, int index)
        {
            var key = fact.Members[index].Key;
            return fact.Kind == FactKind.Level ? "Level" + key : Emit.CSharpText.Identifier(key);
        }

        public Facts ReferenceFacts(Case c)
        {
            var facts = PolicyDsl.Model.Facts.Empty;
            for (var i = 0; i < Facts.Count; i++)
            {
                var fact = Facts[i].Fact;
                facts = c.Values[i] switch
                {
                    decimal d => facts.With(fact.Name, d),
                    bool b => facts.With(fact.Name, b),
                    DateOnly day => facts.With(fact.Name, day),
                    int index => facts.With(fact.Name, index < 0 ? "undeclared" + (-index).ToString(CultureInfo.InvariantCulture) : fact.Members[index].Key),
                    _ => throw new InvalidOperationException("unexpected value for fact " + fact.Name),
                };
            }
            return facts;
        }

        public object MakeParameters(Case c)
        {
            if (c.Parameters is null) return FromRules;
            var parameters = Activator.CreateInstance(ParametersType)!;
            foreach (var property in ParametersType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                property.SetValue(parameters, property.GetValue(FromRules));
            for (var i = 0; i < Parameters.Count; i++) Parameters[i].Property.SetValue(parameters, c.Parameters[i]);
            return parameters;
        }

        /// <summary>Whether EvaluateUntraced stays on longs: every enum declared, every fact and parameter it converts accepted by TryScale
        /// (another rule's award is not checked: its bound is that rule's proven maximum).</summary>
        public bool TakesScaledPath(Case c, object facts, object parameters)
        {
            if (Decimal is null) return false;
            for (var i = 0; i < Facts.Count; i++)
                if (Facts[i].EnumType is not null && (int)c.Values[i] < 0) return false;
            foreach (var input in Scaled)
            {
                decimal? value;
                if (input.Value.StartsWith("facts.", StringComparison.Ordinal))
                    value = (decimal)FactsType.GetProperty(input.Value["facts.".Length..])!.GetValue(facts)!;
                else if (input.Value.StartsWith("parameters.Get", StringComparison.Ordinal))
                {
                    var open = input.Value.IndexOf('(', StringComparison.Ordinal);
                    var method = ParametersType.GetMethod(input.Value["parameters.".Length..open])!;
                    var args = input.Value[(open + 1)..^1].Split(", ").Select(a => FactsType.GetProperty(a["facts.".Length..])!.GetValue(facts)).ToArray();
                    value = (decimal?)method.Invoke(parameters, args);
                }
                else if (input.Value.StartsWith("parameters.", StringComparison.Ordinal))
                    value = (decimal?)ParametersType.GetProperty(input.Value["parameters.".Length..])!.GetValue(parameters);
                else continue; // another rule's award
                if (!FixedPoint.TryScale(value, input.Places, input.Max, out _)) return false;
            }
            return true;
        }
    }

    // ---------- value generators ----------

    internal static class Generators
    {
        private static readonly decimal NegativeZero = new(0, 0, 0, true, 3);

        /// <summary>A decimal from a whole number of 10^-places units (mantissa below 2^96).</summary>
        public static decimal Make(BigInteger units, int places)
        {
            var negative = units.Sign < 0;
            var m = BigInteger.Abs(units);
            while (m >= BigInteger.One << 96 && places > 0) { m /= 10; places--; }
            if (m >= BigInteger.One << 96) m = (BigInteger.One << 96) - 1;
            var lo = (int)(uint)(m & uint.MaxValue);
            var mid = (int)(uint)((m >> 32) & uint.MaxValue);
            var hi = (int)(uint)((m >> 64) & uint.MaxValue);
            return new decimal(lo, mid, hi, negative, (byte)places);
        }

        /// <summary>value with its scale raised by extra places (12.5 → 12.500): the same number, more trailing zeros.</summary>
        public static decimal TrailingZeros(decimal value, int extra)
        {
            var bits = decimal.GetBits(value);
            var scale = (bits[3] >> 16) & 0xFF;
            var m = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
            extra = Math.Min(extra, 28 - scale);
            while (extra > 0 && m * BigInteger.Pow(10, extra) >= BigInteger.One << 96) extra--;
            return extra <= 0 ? value : Make(m * BigInteger.Pow(10, extra) * (bits[3] < 0 ? -1 : 1), scale + extra);
        }

        private static Gen<int> Places(int most) => Gen.Frequency((3, Gen.Const(0)), (2, Gen.Const(Math.Min(1, most))), (3, Gen.Const(Math.Min(2, most))),
            (1, Gen.Int[0, most]));

        /// <summary>step × n at places (rounded toward 0), or 10^20 when that is beyond a decimal.</summary>
        private static decimal Multiple(decimal step, BigInteger n, int places)
        {
            try
            {
                return decimal.Round(step * (decimal)n, places, MidpointRounding.ToZero);
            }
            catch (OverflowException)
            {
                return 1e20m;
            }
        }

        /// <summary>A whole number from 0 to 10^digits, log-uniform in the digits.</summary>
        private static Gen<BigInteger> Magnitude(int fewest, int most) =>
            Gen.Int[fewest, most].SelectMany(d => d <= 18
                ? Gen.Long[0, (long)BigInteger.Pow(10, d)].Select(x => (BigInteger)x)
                : Gen.Long[0, 1_000_000_000_000_000_000].Select(x => x * BigInteger.Pow(10, d - 18)));

        /// <summary>A value the scaled path takes: at most the fact's places, from 0 to its bound; plain, near a threshold, at the bound, zero.</summary>
        public static Gen<decimal> Clean(int places, long max, IReadOnlyList<decimal> thresholds, IReadOnlyList<decimal>? steps = null)
        {
            decimal Clamp(decimal d) => d < 0m ? 0m : FixedPoint.TryScale(d, places, max, out _) ? d : Make(max, places);
            var plain = Gen.Select(Places(Math.Min(places, 4)), Magnitude(0, 9)).Select((p, units) => Clamp(Make(units, p)));
            var gens = new List<(int, IGen<decimal>)>
            {
                (10, plain),
                (2, Gen.Long[Math.Max(0, max - 3), max].Select(u => Make(u, places))),
                (1, Gen.OneOf<decimal>(0m, NegativeZero, 0.00m, 1m, 1.000m)),
            };
            if (thresholds.Count > 0)
            {
                gens.Add((5, Gen.Select(Gen.Int[0, thresholds.Count - 1], Gen.Int[-3, 3], Gen.Int[0, places]).Select((t, k, p) =>
                    Clamp(decimal.Round(thresholds[t], places, MidpointRounding.ToZero) + k * Make(1, p)))));
                // Somewhere above a threshold (so that rules with several conditions get to their formula).
                gens.Add((5, Gen.Select(Gen.Int[0, thresholds.Count - 1], Magnitude(0, 8), Gen.Int[0, places]).Select((t, units, p) =>
                    Clamp(decimal.Round(thresholds[t], places, MidpointRounding.ToZero) + Make(units, p)))));
            }
            steps ??= thresholds;
            if (steps.Count > 0)
            {
                // At and one unit beside a multiple of a constant, near 0 and far from it (a "per full" step).
                gens.Add((6, Gen.Select(Gen.Int[0, steps.Count - 1], Gen.Frequency((1, Gen.Int[1, 30].Select(i => (BigInteger)i)), (2, Gen.Int[1, 3000].Select(i => (BigInteger)i)), (1, Magnitude(0, 12))), Gen.Int[-1, 1]).Select((t, n, k) =>
                    Clamp(Multiple(steps[t], n, places) + k * Make(1, places)))));
            }
            return Gen.Frequency(gens.ToArray()).SelectMany(d => Gen.Int[0, 9].Select(z => z < 2 ? TrailingZeros(d, z + 1) : d));
        }

        /// <summary>Any value: more places, negative, -0, far above the bounds (up to 10^22 and beyond), at and just above `at most`.</summary>
        public static Gen<decimal> Wild(int places, long? max, decimal? atMost, IReadOnlyList<decimal> thresholds)
        {
            var gens = new List<(int, IGen<decimal>)>
            {
                (6, Gen.Select(Gen.Int[0, 6], Magnitude(0, 9)).Select((p, units) => Make(units, p))),
                (4, Gen.Select(Gen.Int[0, 4], Magnitude(9, 26)).Select((p, units) => Make(units, p))),  // to 10^22 at 4 places
                (2, Gen.Select(Gen.Int[0, 4], Magnitude(0, 12)).Select((p, units) => -Make(units + 1, p))),
                (1, Gen.OneOf<decimal>(0m, NegativeZero, new decimal(0, 0, 0, true, 0), -0.01m, -1m, 1e22m, 1e-28m, 0.001m, 12.345m, 12.500m,
                    decimal.MaxValue, new decimal(0, 0, 1, false, 2), new decimal(0, 0, 1, false, 20))),
                // 10^14 - 1 and 10^14 units and around at the fact's places (and at others)
                (2, Gen.Select(Gen.Int[10, 20], Gen.Int[-2, 2], Gen.Int[0, 4]).Select((e, k, p) => Make(BigInteger.Pow(10, e) + k, p))),
            };
            if (max is { } m)
                gens.Add((4, Gen.Select(Gen.Long[-3, 3], Gen.Int[0, 9]).Select((k, z) => z < 7 ? Make(m + k, places) : Make((m + k) * 10 + 5, places + 1))));
            if (atMost is { } most)
                gens.Add((4, Gen.Select(Gen.Int[-2, 2], Gen.Int[0, 6]).Select((k, p) => most + k * Make(1, p))));
            if (thresholds.Count > 0)
                gens.Add((5, Gen.Select(Gen.Int[0, thresholds.Count - 1], Gen.Int[-3, 3], Gen.Int[0, 6]).Select((t, k, p) => thresholds[t] + k * Make(1, p))));
            return Gen.Frequency(gens.ToArray()).SelectMany(d => Gen.Int[0, 9].Select(z => z < 2 ? TrailingZeros(d, 2 * z + 1) : d));
        }

        private static Gen<object> Fact(FactSpec spec, bool clean)
        {
            switch (spec.Fact.Kind)
            {
                case FactKind.Quantity:
                {
                    var places = spec.Scaled?.Places ?? 2;
                    var max = spec.Scaled?.Max ?? (long)Math.Min(1e17, (double)(spec.Fact.AtMost ?? 1e15m) * Math.Pow(10, places));
                    var gen = clean ? Clean(places, max, spec.Thresholds, spec.Steps) : Wild(places, spec.Scaled?.Max, spec.Fact.AtMost, spec.Thresholds);
                    return gen.Select(d => (object)d);
                }
                case FactKind.YesNo:
                    return Gen.Int[0, 9].Select(i => (object)(i < 8));
                case FactKind.Date:
                    return Gen.Int[0, 5 * 366].Select(i => (object)new DateOnly(2024, 1, 1).AddDays(i));
                default:
                {
                    var count = spec.Fact.Members.Count;
                    if (count == 0) return Gen.Const((object)-1);
                    return clean ? Gen.Int[0, count - 1].Select(i => (object)i) : Gen.Int[-1, 4 * count].Select(i => (object)(i < 0 ? -1 - (i & 3) : i % count));
                }
            }
        }

        private static Gen<decimal?> Parameter(ParameterSpec spec, bool clean)
        {
            var places = spec.Scaled?.Places ?? 4;
            var max = spec.Scaled?.Max ?? 1_000_000_000L;
            var fromRules = Gen.Const(spec.FromRules);
            var valid = Clean(places, max, spec.FromRules is { } v ? [v] : []).Select(d => (decimal?)d);
            if (clean) return Gen.Frequency((2, fromRules), (3, valid));
            var wild = Wild(places, spec.Scaled?.Max, null, spec.FromRules is { } w ? [w] : []).Select(d => (decimal?)d);
            return Gen.Frequency((1, fromRules), (2, valid), (1, Gen.Const((decimal?)null)), (3, wild));
        }

        /// <summary>Half the cases take only values the scaled path accepts (so it runs across thresholds and caps), half anything.</summary>
        public static Gen<Case> Case(RuleUnderTest rule) =>
            Gen.Int[0, 9].SelectMany(mode =>
            {
                var clean = mode < 5;
                var values = rule.Facts.Aggregate(Gen.Const(System.Collections.Immutable.ImmutableList<object>.Empty),
                    (list, spec) => list.SelectMany(l => Fact(spec, clean).Select(v => l.Add(v))));
                var fromRules = clean ? mode < 3 : mode < 7;
                if (fromRules || rule.Parameters.Count == 0) return values.Select(v => new Case(v.ToArray(), null));
                var parameters = rule.Parameters.Aggregate(Gen.Const(System.Collections.Immutable.ImmutableList<decimal?>.Empty),
                    (list, spec) => list.SelectMany(l => Parameter(spec, clean).Select(v => l.Add(v))));
                return Gen.Select(values, parameters).Select((v, p) => new Case(v.ToArray(), p.ToArray()));
            });
    }

    [Theory]
    [InlineData("0.05", true)]
    [InlineData("0.15", true)]
    [InlineData("0.30", true)]
    [InlineData("0.31", false)] // above the scaled input's range: declined, and Evaluate names the problem or pays
    [InlineData(null, false)]   // unset: declined
    public void Scaled_entry_point_reads_the_parameters_it_is_given_scaled_once_when_set(string? rate, bool taken)
    {
        // The Parameters object scales a parameter once, in its init accessor (§26.10); the entry point must read that value
        // of the object passed, never the rules' (0.30), and decline where Evaluate would not take the decimal path.
        var parameters = new IndustryUniversityCooperationParameters { Rate = rate is null ? null : decimal.Parse(rate, CultureInfo.InvariantCulture) };
        var facts = new IndustryUniversityCooperationFacts { CooperationFunding = 12m, PaidDevelopmentFee = 200_000m };
        var scaledFacts = new IndustryUniversityCooperationScaledFacts { CooperationFunding = 12_000_000L, PaidDevelopmentFee = 20_000_000L };
        var ok = IndustryUniversityCooperationRule.TryEvaluateScaled(in scaledFacts, parameters, out var amount);
        Assert.Equal(taken, ok);
        if (!ok) { Assert.Equal(0L, amount); return; }
        var award = IndustryUniversityCooperationRule.Evaluate(in facts, parameters);
        Assert.Equal(award.Amount, amount / CorpusTests.Pow10(IndustryUniversityCooperationRule.AmountPlaces));
        Assert.Equal(decimal.Parse(rate!, CultureInfo.InvariantCulture) * 200_000m / 10_000m, award.Amount);
        // The rules' own values through the overload without parameters.
        Assert.True(IndustryUniversityCooperationRule.TryEvaluateScaled(in scaledFacts, out var fromRules));
        Assert.Equal(6m, fromRules / CorpusTests.Pow10(IndustryUniversityCooperationRule.AmountPlaces));
    }

    /// <summary>
    /// The property test has teeth: in a copy of the generated Tongzhou source, one off-by-one per rule in the scaled path only
    /// (a threshold's >= made >, a "per full" step counted one unit early, a relative cap's reported limit one unit off) is found.
    /// </summary>
    [Fact]
    public void The_property_test_finds_an_off_by_one_in_the_scaled_path()
    {
        var run = GeneratorHarness.RunGenerator(GeneratorHarness.Tongzhou(), options: PolicyUnderTest.TongzhouOptions);
        var sources = run.Result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.SourceText.ToString()).ToArray();
        var mutations = new (string Rule, string From, string To)[]
        {
            ("industry_university_cooperation", "if (!(fact_cooperation_funding >= 10000000L))", "if (!(fact_cooperation_funding > 10000000L))"),
            ("tour_group_visitors", "((fact_annual_visitors / 1000L) * 3L)", "(((fact_annual_visitors + 1L) / 1000L) * 3L)"),
            ("leased_protection", "boundLimit = global::PolicyDsl.Runtime.FixedPoint.ToDecimal(limit2, 9);", "boundLimit = global::PolicyDsl.Runtime.FixedPoint.ToDecimal(limit2 + 1L, 9);"),
        };
        var mutated = sources.Select(s => mutations.Aggregate(s, (text, m) => text.Replace(m.From, m.To, StringComparison.Ordinal))).ToArray();
        foreach (var m in mutations) Assert.Contains(mutated, s => s.Contains(m.To, StringComparison.Ordinal));
        var compilation = GeneratorHarness.Compilation(false, mutated);
        var assembly = GeneratorHarness.Load(compilation);
        foreach (var m in mutations)
        {
            var subject = PolicyUnderTest.Create("mutant", PolicyUnderTest.Tongzhou.Value.Checked, assembly, string.Concat(mutated), r => r.Name == m.Rule);
            var failure = Record.Exception(() => Check(subject, 5_000));
            Assert.True(failure is not null, m.Rule + ": the mutant " + m.To + " was not found");
            output.WriteLine(m.Rule + ": " + (failure!.InnerException ?? failure).Message);
        }
    }

    /// <summary>
    /// Found by the property test (seed dCrWE6zxvTJ1 with PDSL_FIXEDPOINT_CASES=40000): a proportional rate "a points per n of x"
    /// was emitted as (x * a / n) in decimal with no retry, so x × a beyond 7.9e28 was reported as "the arithmetic overflowed a
    /// decimal" and paid 0, while the reference evaluator divides first on overflow and pays the cap. The decimal path now calls
    /// DecimalRate.Proportional where the product may overflow. Such inputs are far above every TryScale bound.
    /// </summary>
    [Fact]
    public void Generated_decimal_rate_overflows_where_the_reference_divides_first()
    {
        // Tongzhou early_stage_investment: counted_investment = 4e24 wan-yuan = 4e28 yuan; 4e28 × 2 overflows a decimal.
        var facts = new EarlyStageInvestmentFacts { ViaManagedFund = true, EarlyStageTechInvestee = true, OtherInvestment = 4e24m, FirstRoundInvestment = 0m, HoldingPeriod = 3m };
        var generated = EarlyStageInvestmentRule.Evaluate(facts);
        var policy = PolicyUnderTest.Tongzhou.Value.Checked;
        var reference = RuleEvaluator.Evaluate(policy, policy.FindRule("early_stage_investment")!, PolicyDsl.Model.Facts.Empty
            .With("via_managed_fund", true).With("early_stage_tech_investee", true).With("other_investment", 4e24m)
            .With("first_round_investment", 0m).With("holding_period", 3m));
        Assert.Equal(100m, reference.Amount); // x / 1,000,000 yuan × 2 points = 8e22 points, capped at 100
        Assert.True(reference.Amount == generated.Amount, $"generated {generated}, reference {reference.Amount}");

        // The same in a tiny policy: 2 points per 100 yuan of 5e28 yuan.
        var (_, rule) = Generate(TinyPolicies.Policy("fact x: yuan \"x\"", "award 2 points per 100 yuan of x\ncap 10 points per project"));
        var award = Invoke(rule.Untraced, rule.BoxFacts(new Case([5e28m], null)), rule.FromRules);
        Assert.True(Get<decimal>(award, "Amount") == 10m, "generated " + award);
    }

    // =====================================================================================================
    // 2. The runtime helpers.
    // =====================================================================================================

    [Theory]
    [InlineData("12.34", 2, 1_000_000L, true, 1234L)]
    [InlineData("12.340", 2, 1_000_000L, true, 1234L)]
    [InlineData("12.500", 2, 1_000_000L, true, 1250L)]
    [InlineData("12.345", 2, 1_000_000L, false, 0L)]
    [InlineData("12", 2, 1_000_000L, true, 1200L)]
    [InlineData("0", 2, 1_000_000L, true, 0L)]
    [InlineData("-1", 2, 1_000_000L, false, 0L)]
    [InlineData("-0.01", 2, 1_000_000L, false, 0L)]
    [InlineData("10000.01", 2, 1_000_000L, false, 0L)]
    [InlineData("10000.00", 2, 1_000_000L, true, 1_000_000L)]
    [InlineData("999999999999999.99", 2, 99_999_999_999_999_999L, true, 99_999_999_999_999_999L)]
    [InlineData("1000000000000000", 2, 99_999_999_999_999_999L, false, 0L)]
    [InlineData("0.0000000000000000000000000001", 2, long.MaxValue, false, 0L)]
    [InlineData("79000000000000000000000000000", 2, long.MaxValue, false, 0L)]
    [InlineData("79228162514264337593543950335", 0, long.MaxValue, false, 0L)]
    [InlineData("92233720368547758.07", 2, long.MaxValue, true, long.MaxValue)]
    [InlineData("92233720368547758.08", 2, long.MaxValue, false, 0L)]
    [InlineData("1844674407370955.1616", 4, long.MaxValue, false, 0L)] // 2^64 units: beyond a long
    [InlineData("0.0001", 4, 300_000L, true, 1L)]
    [InlineData("30", 4, 300_000L, true, 300_000L)]
    [InlineData("30.0001", 4, 300_000L, false, 0L)]
    public void TryScale_converts_exactly_or_refuses(string text, int places, long max, bool ok, long units)
    {
        var value = decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
        Assert.Equal(ok, FixedPoint.TryScale(value, places, max, out var actual));
        Assert.Equal(units, actual);
        Assert.Equal(ok, FixedPoint.TryScale((decimal?)value, places, max, out actual));
        Assert.Equal(units, actual);
    }

    [Fact]
    public void TryScale_edge_cases()
    {
        long units;
        // -0 in any scale is 0.
        Assert.True(FixedPoint.TryScale(new decimal(0, 0, 0, true, 3), 2, 100, out units));
        Assert.Equal(0L, units);
        Assert.True(FixedPoint.TryScale(-0m, 2, 100, out units));
        Assert.Equal(0L, units);
        Assert.True(FixedPoint.TryScale(new decimal(0, 0, 0, true, 28), 2, 0, out units));
        Assert.Equal(0L, units);
        // The max exactly is accepted, one unit above it is not.
        Assert.True(FixedPoint.TryScale(1000m, 2, 100_000, out units));
        Assert.Equal(100_000L, units);
        Assert.False(FixedPoint.TryScale(1000.01m, 2, 100_000, out _));
        Assert.True(FixedPoint.TryScale(999_999_999_999.99m, 2, 99_999_999_999_999, out units)); // 10^14 - 1 units
        Assert.Equal(99_999_999_999_999L, units);
        Assert.False(FixedPoint.TryScale(1_000_000_000_000m, 2, 99_999_999_999_999, out _));     // 10^14 units
        // decimal.MaxValue, 7.9e28, 1e-28.
        Assert.False(FixedPoint.TryScale(decimal.MaxValue, 2, long.MaxValue, out _));
        Assert.False(FixedPoint.TryScale(decimal.MinValue, 2, long.MaxValue, out _));
        Assert.False(FixedPoint.TryScale(7.9e28m, 0, long.MaxValue, out _));
        Assert.False(FixedPoint.TryScale(1e-28m, 2, long.MaxValue, out _));
        Assert.True(FixedPoint.TryScale(1e-28m, 28, long.MaxValue, out units));
        Assert.Equal(1L, units);
        // Unset.
        Assert.False(FixedPoint.TryScale((decimal?)null, 2, long.MaxValue, out units));
        Assert.Equal(0L, units);
        // A mantissa that needs the high 32 bits is refused, even when the value itself is small (12.34 with 20 trailing zeros).
        Assert.False(FixedPoint.TryScale(new decimal(0, 0, 1, false, 0), 0, long.MaxValue, out _));   // 2^64
        Assert.False(FixedPoint.TryScale(new decimal(0, 0, 1, false, 10), 0, long.MaxValue, out _));  // 2^64 / 10^10
        Assert.False(FixedPoint.TryScale(12.340000000000000000000m, 2, long.MaxValue, out _));
        // Scaling up past 2^64 is refused, not wrapped.
        Assert.False(FixedPoint.TryScale(18_446_744_073_709_551_615m, 1, long.MaxValue, out _));
        Assert.False(FixedPoint.TryScale(10_000_000_000m, 10, long.MaxValue, out _));
        // Below 2^63 but above long.MaxValue as a max cannot be asked; ulong values above long.MaxValue are refused by the max.
        Assert.False(FixedPoint.TryScale(9_223_372_036_854_775_808m, 0, long.MaxValue, out _));
        Assert.True(FixedPoint.TryScale(9_223_372_036_854_775_807m, 0, long.MaxValue, out units));
        Assert.Equal(long.MaxValue, units);
    }

    [Fact]
    public void TryScale_agrees_with_exact_arithmetic_on_random_decimals()
    {
        Gen.Select(Gen.Decimal, Gen.Int[0, 8], Gen.Long[0, long.MaxValue], Gen.Int[0, 3]).Sample((value, places, max, zeros) =>
        {
            value = Generators.TrailingZeros(value, zeros);
            var scaled = value * 1m; // same value
            var ok = FixedPoint.TryScale(scaled, places, max, out var units);
            var bits = decimal.GetBits(scaled);
            var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
            var scale = (bits[3] >> 16) & 0xFF;
            // Exact: value × 10^places is a whole number from 0 to max, and the mantissa fits 64 bits (the documented restriction).
            var numerator = mantissa * BigInteger.Pow(10, places);
            var denominator = BigInteger.Pow(10, scale);
            var whole = numerator % denominator == 0 ? numerator / denominator : (BigInteger?)null;
            var expected = bits[2] == 0 && (mantissa.IsZero || (bits[3] >= 0 && whole is { } w && w <= max));
            Assert.True(ok == expected, $"{DecimalText(scaled)} at {places} places, max {max}: TryScale {ok}, expected {expected}");
            if (ok) Assert.True(Generators.Make(units, places) == scaled, $"{DecimalText(scaled)}: {units} units");
        }, iter: 20_000, threads: 1);
    }

    [Fact]
    public void ToDecimal_gives_the_units_at_the_places()
    {
        Assert.Equal(12.34m, FixedPoint.ToDecimal(1234, 2));
        Assert.Equal("12.34", FixedPoint.ToDecimal(1234, 2).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(-12.34m, FixedPoint.ToDecimal(-1234, 2));
        Assert.Equal(0m, FixedPoint.ToDecimal(0, 2));
        Assert.False(decimal.IsNegative(FixedPoint.ToDecimal(0, 9)));
        Assert.Equal(1m, FixedPoint.ToDecimal(1_000_000_000, 9));
        Assert.Equal(long.MaxValue, FixedPoint.ToDecimal(long.MaxValue, 0));
        Assert.Equal(-long.MaxValue, FixedPoint.ToDecimal(-long.MaxValue, 0));
        Assert.Equal(0.0000000000000000000000000001m, FixedPoint.ToDecimal(1, 28));
        Assert.Equal(-9.223372036854775807m, FixedPoint.ToDecimal(-long.MaxValue, 18));
    }

    [Fact]
    public void FloorDivide_rounds_toward_negative_infinity()
    {
        Assert.Equal(-4L, FixedPoint.FloorDivide(-7, 2));
        Assert.Equal(3L, FixedPoint.FloorDivide(7, 2));
        Assert.Equal(-4L, FixedPoint.FloorDivide(-8, 2));
        Assert.Equal(4L, FixedPoint.FloorDivide(8, 2));
        Assert.Equal(0L, FixedPoint.FloorDivide(0, 5));
        Assert.Equal(-1L, FixedPoint.FloorDivide(-1, 5));
        Gen.Select(Gen.Long[-1_000_000_000_000, 1_000_000_000_000], Gen.Long[1, 1_000_000]).Sample((a, b) =>
            Assert.Equal((long)Math.Floor((decimal)a / b), FixedPoint.FloorDivide(a, b)), iter: 5_000, threads: 1);
    }

    // =====================================================================================================
    // 3. The lowering's decisions, as they show in generated code.
    // =====================================================================================================

    internal static class TinyPolicies
    {
        public static string Policy(string facts, string body) => $$"""
            policy Tiny "tiny"
              effective 2026-01-01 through 2026-12-31
              points worth at most 10000 yuan

            section 1 "s" department "d"
              clause 1 "c"
                rule tiny "tiny rule"
                  source "s"
            {{Indent(facts)}}
            {{Indent(body)}}
            """;

        private static string Indent(string lines) => string.Join("\n", lines.Split('\n').Select(l => "      " + l.Trim()));

        public static readonly string Rate = Policy("fact x: yuan \"x\"", "award 0.14 points per 2000 yuan of x\ncap 10 points per project");

        public static readonly string Thirds = Policy("fact x: yuan \"x\"", "award 1 points per 3 yuan of x\ncap 10 points per project");

        public static readonly string FullMonths = Policy("fact m: months \"m\"", "award 0.5 points per full 12 months of m\ncap 10 points per project");

        public static readonly string AtMost = Policy("fact x: yuan at most 5000 yuan \"x\"\nfact y: wan-yuan at most 12.5 wan-yuan \"y\"",
            "requires y >= 3 wan-yuan\naward (10% of x in points) + (1% of y in points)\ncap 10 points per project");

        public static readonly string YearsAndSubtraction = Policy("fact base: yuan \"b\"\nfact now: yuan \"n\"\nfact span: years at most 5 years \"s\"",
            "requires span >= 1 years\nlet growth = now - base\naward (5% of growth in points) + (0.25 points per full 6 months of span)\ncap 3 points per project");

        public static IEnumerable<(string Name, string Text)> All =>
        [
            ("rate.policy", Rate), ("thirds.policy", Thirds), ("full-months.policy", FullMonths), ("at-most.policy", AtMost),
            ("years.policy", YearsAndSubtraction),
        ];
    }

    private static (string Source, RuleUnderTest Rule) Generate(string policy)
    {
        var run = GeneratorHarness.RunGenerator([new InMemoryAdditionalText("/t/tiny.policy", policy)]);
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        var source = string.Concat(run.Result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.SourceText.ToString()));
        var subject = PolicyUnderTest.Compile("tiny.policy", policy, null, null);
        return (source, subject.Rules.Single());
    }

    [Fact]
    public void A_rate_per_2000_yuan_gets_a_scaled_path()
    {
        var (source, rule) = Generate(TinyPolicies.Rate);
        Assert.NotNull(rule.Decimal);
        Assert.Contains("in exact scaled integers", source, StringComparison.Ordinal);
        Assert.Equal(new ScaledInput("facts.X", 2, rule.Scaled.Single().Max), rule.Scaled.Single());
        Assert.DoesNotContain("In decimal arithmetic", source, StringComparison.Ordinal);
        // 0.14 points per 2000 yuan of 12345.67 yuan = 0.86419690 points on both paths.
        var c = new Case([12345.67m], null);
        var award = Invoke(rule.Untraced, rule.BoxFacts(c), rule.FromRules);
        Assert.Equal(0.8641969m, Get<decimal>(award, "Amount"));
        Assert.Equal(award, Invoke(rule.Decimal!, rule.BoxFacts(c), rule.FromRules));
    }

    [Fact]
    public void A_rate_per_3_yuan_stays_in_decimal_and_says_why()
    {
        var (source, rule) = Generate(TinyPolicies.Thirds);
        Assert.Null(rule.Decimal);
        Assert.Empty(rule.Scaled);
        Assert.DoesNotContain("global::PolicyDsl.Runtime.FixedPoint.TryScale(", source, StringComparison.Ordinal);
        Assert.Contains("/// <remarks>In decimal arithmetic: a division by 3 is not exact in decimal places.</remarks>", source, StringComparison.Ordinal);
        var award = Invoke(rule.Untraced, rule.BoxFacts(new Case([10m], null)), rule.FromRules);
        Assert.Equal(10m / 3m, Get<decimal>(award, "Amount"));
    }

    [Fact]
    public void Rounding_and_case_by_case_stay_in_decimal_and_say_why()
    {
        var cases = PolicyUnderTest.Examples.Value.Single(p => p.Name == "case-by-case.policy").Rules.Single();
        Assert.Null(cases.Decimal);
        var (source, _) = Generate(TinyPolicies.Policy("fact x: yuan \"x\"", "award 10% of x in points\nround down to 0.01 points\ncap 10 points per project"));
        if (source.Contains("round", StringComparison.OrdinalIgnoreCase))
            Assert.Contains("In decimal arithmetic: rounding is done in decimal.", source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_per_full_12_months_rate_is_scaled_with_a_long_division()
    {
        var (source, rule) = Generate(TinyPolicies.FullMonths);
        Assert.NotNull(rule.Decimal);
        Assert.Equal(2, rule.Scaled.Single().Places);
        Assert.Equal("facts.M", rule.Scaled.Single().Value);
        Assert.Matches(@"long amount = \(\(fact_m / 1200L\) \* \d+L\);", source);
        foreach (var (months, points) in new[] { (11.99m, 0m), (12m, 0.5m), (12.00m, 0.5m), (23.99m, 0.5m), (24m, 1m), (0m, 0m), (240m, 10m) })
        {
            var c = new Case([months], null);
            var award = Invoke(rule.Untraced, rule.BoxFacts(c), rule.FromRules);
            Assert.Equal(points, Get<decimal>(award, "Amount"));
            Assert.Equal(award, Invoke(rule.Decimal!, rule.BoxFacts(c), rule.FromRules));
        }
    }

    [Fact]
    public void A_fact_at_most_is_the_TryScale_max_in_units()
    {
        var (_, rule) = Generate(TinyPolicies.AtMost);
        Assert.NotNull(rule.Decimal);
        var x = rule.Scaled.Single(s => s.Value == "facts.X");
        Assert.Equal(new ScaledInput("facts.X", 2, 500_000L), x);          // 5000 yuan in fen
        var y = rule.Scaled.Single(s => s.Value == "facts.Y");
        Assert.Equal(new ScaledInput("facts.Y", 6, 12_500_000L), y);       // 12.5 wan-yuan in 0.000001 wan-yuan (fen)
        // At the bound: scaled; just above: the decimal path's problem.
        var at = Invoke(rule.Untraced, rule.BoxFacts(new Case([5000m, 12.5m], null)), rule.FromRules);
        Assert.Equal(0.175m, Get<decimal>(at, "Amount")); // 500 yuan + 1250 yuan at 10000 yuan a point
        var above = Invoke(rule.Untraced, rule.BoxFacts(new Case([5000.01m, 12.5m], null)), rule.FromRules);
        Assert.Equal("fact x must be between 0 and 5000 yuan", Get<string?>(above, "Problem"));
        var aboveY = Invoke(rule.Untraced, rule.BoxFacts(new Case([1m, 12.500001m], null)), rule.FromRules);
        Assert.NotNull(Get<string?>(aboveY, "Problem"));
    }

    public static TheoryData<string> BenchmarkRules() =>
    [
        "shortboard_project_rd", "outage_insurance", "protection_equipment", "leased_protection", "overseas_exhibition",
        "sci_project_rent", "industry_university_cooperation", "early_stage_investment", "tourism_fair_booth", "tour_group_visitors",
    ];

    [Theory]
    [MemberData(nameof(BenchmarkRules))]
    public void Each_benchmark_rule_of_Tongzhou_has_a_scaled_path(string rule)
    {
        var type = typeof(Tongzhou2026Policy).Assembly.GetType(typeof(Tongzhou2026Policy).Namespace + "." + Emit.CSharpText.Identifier(rule) + "Rule", throwOnError: true)!;
        Assert.NotNull(RuleUnderTest.DecimalBody(type));
        Assert.NotEmpty(PolicyUnderTest.Tongzhou.Value.Rules.Single(r => r.Rule.Name == rule).Scaled);
    }
}
