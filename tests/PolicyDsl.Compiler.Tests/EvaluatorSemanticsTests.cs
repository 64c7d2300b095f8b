using CsCheck;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>Rounding, case by case, instalments, highest only and yearly running totals, on small policies.</summary>
public sealed class EvaluatorSemanticsTests
{
    private static CheckedPolicy Example(string name)
    {
        var policy = TestFiles.Read($"samples/examples/{name}.policy");
        var rulesPath = Path.Combine(TestFiles.Root, "samples", "examples", name + ".rules");
        return TestFiles.Check(policy, File.Exists(rulesPath) ? File.ReadAllText(rulesPath) : null);
    }

    [Fact]
    public void Rounds_only_where_the_rule_says()
    {
        // money-award.policy: 5% of 123,456.789 yuan = 6,172.83945 yuan; "round down to 0.01 yuan" → 6,172.83 yuan.
        var policy = Example("money-award");
        var r = RuleEvaluator.Evaluate(policy, policy.FindRule("high_tech_rd")!, Facts.Empty.With("rd_expense", 123_456.789m));
        Assert.Equal(6_172.83m, r.Amount);
        Assert.Equal(6_172.83m, r.MoneyCeiling); // a money policy: the award is the money
        Assert.Contains(r.Trace, s => s.Kind == TraceKind.Rounding);

        // clause 9 of the sample has no round line: 0.14 × 1,234 / 2000 = 0.08638 points, kept exact.
        var sample = TestFiles.CompileSample().Policy!;
        var exact = RuleEvaluator.Evaluate(sample, sample.FindRule("overseas_exhibition")!, Facts.Empty.With("overseas_exhibition", true).With("booth_fee", 1_234m));
        Assert.Equal(0.08638m, exact.Amount);
        Assert.DoesNotContain(exact.Trace, s => s.Kind == TraceKind.Rounding);
    }

    [Fact]
    public void Case_by_case_is_not_computable()
    {
        var policy = Example("case-by-case");
        var r = RuleEvaluator.Evaluate(policy, policy.FindRule("landmark_project")!, Facts.Empty.With("total_investment", 200_000m));
        Assert.False(r.Computable);
        Assert.Equal(0m, r.Amount);
        Assert.Contains(r.Trace, s => s.Value == "not computable");
    }

    [Fact]
    public void Case_by_case_based_on_another_rule_names_that_rule_and_pays_nothing()
    {
        // §27.11: "重大产业项目投资奖励可在第2条基础上，实行一事一议": the base is rule 'investment''s award, not a fact.
        const string text = """
            policy P "p"
              effective 2023-01-01 through 2025-12-31
            section 1 "support"
              clause 2 "investment"
                rule investment "five percent"
                  fact fixed_asset_investment: yuan
                  award 5% of fixed_asset_investment
                  cap 1000000 yuan per application
              clause 3 "major projects"
                rule major "case by case on the basis of clause 2"
                  fact fixed_asset_investment: yuan
                  requires fixed_asset_investment >= 100000000 yuan
                  award case by case "在第2条基础上，实行一事一议" based on investment
            """;
        var policy = TestFiles.Check(text);
        var major = policy.FindRule("major")!;
        Assert.Equal("investment", major.Award.CaseByCaseBaseRule);
        Assert.Null(major.Award.CaseByCaseBase);
        var r = RuleEvaluator.Evaluate(policy, major, Facts.Empty.With("fixed_asset_investment", 200_000_000m));
        Assert.False(r.Computable);
        Assert.Equal(0m, r.Amount);
        Assert.Contains(r.Trace, s => s.Description.Contains("based on the award of investment", StringComparison.Ordinal));

        // A name that is neither a fact nor another rule is still an error.
        var wrong = TestFiles.Compile(text.Replace("based on investment", "based on nothing_here", StringComparison.Ordinal));
        Assert.True(wrong.HasErrors);
    }

    [Fact]
    public void Instalments_split_without_changing_the_award()
    {
        // 2% of 20,000 万元 = 4,000,000 yuan = 400 points (cap 500); instalments 30/30/40% = 120/120/160.
        var policy = Example("instalments");
        var rule = policy.FindRule("major_project")!;
        var r = RuleEvaluator.Evaluate(policy, rule, Facts.Empty.With("fixed_asset_investment", 20_000m));
        Assert.Equal(400m, r.Amount);
        Assert.Equal(new[] { 120m, 120m, 160m }, rule.Instalments.Select(p => r.Amount * p).ToArray());
    }

    [Fact]
    public void Yearly_rates_switch_on_the_operating_year()
    {
        // year 2: 80% of 100,000 = 80,000 yuan = 8 points; year 3: 50% = 5 points.
        var policy = Example("yearly-rates");
        var rule = policy.FindRule("headquarters_rent")!;
        Assert.Equal(8m, RuleEvaluator.Evaluate(policy, rule, Facts.Empty.With("operating_year", 2m).With("annual_rent", 100_000m)).Amount);
        Assert.Equal(5m, RuleEvaluator.Evaluate(policy, rule, Facts.Empty.With("operating_year", 3m).With("annual_rent", 100_000m)).Amount);
        // at most 5 years: year 6 is rejected as input, not evaluated.
        Assert.NotEmpty(RuleEvaluator.Evaluate(policy, rule, Facts.Empty.With("operating_year", 6m).With("annual_rent", 1m)).Problems);
    }

    [Fact]
    public void Overlapping_highest_only_groups_pay_the_highest_then_whatever_shares_no_group_with_a_paid_one()
    {
        // §14: groups {a, b} and {b, c}; awards a 10, b 8, c 5. a is paid; b shares a group with a and is not; c shares a
        // group only with b, which is not paid, so c is paid. (Once policyc paid c nothing, citing b as paid.)
        var policy = TestFiles.Check("""
            policy Demo "示例"
              effective 2026-01-01 through 2026-12-31
              points worth at most 10000 yuan
            section 1 "s" department "d"
              clause 1 "c"
                rule a "a"
                  fact fee: yuan
                  award 100% of fee in points
                  cap 50 points per application
                rule b "b"
                  fact fee: yuan
                  award 100% of fee in points
                  cap 50 points per application
                rule c "c"
                  fact fee: yuan
                  award 100% of fee in points
                  cap 50 points per application
            general "其他"
              provision 1
                highest only a, b
                highest only b, c
            """);
        var day = new DateOnly(2026, 3, 1);
        var apps = new[]
        {
            new Application("A", "E", "a", day, Facts.Empty.With("fee", 100_000m)),
            new Application("B", "E", "b", day, Facts.Empty.With("fee", 80_000m)),
            new Application("C", "E", "c", day, Facts.Empty.With("fee", 50_000m)),
        };
        var result = PolicyEvaluator.EvaluateEnterprise(policy, apps).Applications.ToDictionary(a => a.Application.Id);
        Assert.Equal((10m, null), (result["A"].Paid, result["A"].Reason));
        Assert.Equal((0m, "highest only: not paid beside a (A), which awards 10 points"), (result["B"].Paid, result["B"].Reason));
        Assert.Equal((5m, null), (result["C"].Paid, result["C"].Reason));
    }

    [Fact]
    public void An_enterprise_total_that_would_overflow_a_decimal_rejects_the_application_with_its_reason()
    {
        // Issue 12: two applications of one enterprise under an uncapped rule, each 5 × 10^28 yuan: the second would take
        // the total above decimal.MaxValue (about 7.9 × 10^28). It is not paid, with the reason; nothing throws.
        var policy = TestFiles.Check("""
            policy Big "大额"
              effective 2026-01-01 through 2026-12-31
            section 1 "s" department "d"
              clause 1 "c"
                rule refund "退还"
                  fact tax: yuan
                  award 100% of tax
                  uncapped "原文未设上限"
            """);
        var big = 50_000_000_000_000_000_000_000_000_000m;
        var apps = new[]
        {
            new Application("first", "E", "refund", new DateOnly(2026, 3, 1), Facts.Empty.With("tax", big)),
            new Application("second", "E", "refund", new DateOnly(2026, 4, 1), Facts.Empty.With("tax", big)),
        };
        var result = PolicyEvaluator.EvaluateEnterprise(policy, apps);
        Assert.Equal(big, result.Total);
        Assert.Equal((big, null), (result.Applications[0].Paid, result.Applications[0].Reason));
        Assert.Equal(0m, result.Applications[1].Paid);
        Assert.Equal(big, result.Applications[1].Award.Amount);
        Assert.Equal("not paid: 50000000000000000000000000000 yuan more would take the enterprise's total of 50000000000000000000000000000 yuan " +
                     "above the largest amount a decimal holds", result.Applications[1].Reason);
        Assert.Equal([new PayerShare("payer", 0m)], result.Applications[1].Payers);
    }

    [Fact]
    public void The_interpreter_maps_the_runtime_trace_kinds_by_name()
    {
        // PolicyEvaluator turns the runtime's trace steps into the model's by the enum's number: the names must line up.
        Assert.Equal(Enum.GetNames<TraceKind>(), Enum.GetNames<PolicyDsl.Runtime.TraceKind>());
        Assert.Equal(Enum.GetValues<TraceKind>().Select(k => (int)k), Enum.GetValues<PolicyDsl.Runtime.TraceKind>().Select(k => (int)k));
    }

    [Fact]
    public void Highest_only_and_yearly_running_totals()
    {
        var policy = TestFiles.Check("""
            policy Demo "示例"
              effective 2026-01-01 through 2027-12-31
              points worth at most 10000 yuan
            section 1 "s" department "d"
              clause 1 "c"
                rule a "a"
                  fact fee: yuan
                  award 10% of fee in points
                  cap 5 points per enterprise per year
                rule b "b"
                  fact fee: yuan
                  award 20% of fee in points
                  cap 8 points per project
            general "其他"
              provision 1
                highest only a, b
            """);
        var apps = new[]
        {
            // 10% of 300,000 yuan = 30,000 yuan = 3 points; 20% = 6 points: only b (the higher) is paid.
            new Application("x1", "E", "a", new DateOnly(2026, 1, 5), Facts.Empty.With("fee", 300_000m), Subject: "p1"),
            new Application("x2", "E", "b", new DateOnly(2026, 1, 6), Facts.Empty.With("fee", 300_000m), Subject: "p1"),
            // rule a for another project: 10% of 400,000 yuan = 4 points, then 4 more in the same year (only 1 left of 5), then 4 in 2027 (a new year).
            new Application("x3", "E", "a", new DateOnly(2026, 2, 1), Facts.Empty.With("fee", 400_000m), Subject: "p2"),
            new Application("x4", "E", "a", new DateOnly(2026, 3, 1), Facts.Empty.With("fee", 400_000m), Subject: "p3"),
            new Application("x5", "E", "a", new DateOnly(2027, 3, 1), Facts.Empty.With("fee", 400_000m), Subject: "p4"),
        };
        var paid = PolicyEvaluator.EvaluateEnterprise(policy, apps).Applications.ToDictionary(a => a.Application.Id, a => a.Paid);
        Assert.Equal(0m, paid["x1"]);
        Assert.Equal(6m, paid["x2"]);
        Assert.Equal(4m, paid["x3"]);
        Assert.Equal(1m, paid["x4"]);
        Assert.Equal(4m, paid["x5"]);
    }

    /// <summary>Random facts for every rule of the sample: never below 0, never above the proven maximum, never a thrown exception.</summary>
    [Fact]
    public void Every_sample_rule_stays_within_its_proven_maximum()
    {
        var policy = TestFiles.CompileSample().Policy!;
        foreach (var rule in policy.Rules)
        {
            FactsGen(rule).Sample(facts =>
            {
                var r = RuleEvaluator.Evaluate(policy, rule, facts);
                return r.Problems.IsEmpty && r.Amount >= 0m && (rule.ProvenMaximum is not { } max || r.Amount <= max);
            }, iter: 300);
        }
    }

    private static Gen<Facts> FactsGen(Rule rule)
    {
        var gen = Gen.Const(Facts.Empty);
        foreach (var fact in rule.Facts)
        {
            Gen<FactValue> value = fact.Kind switch
            {
                FactKind.Quantity => Gen.Decimal[0m, fact.AtMost ?? 100_000_000m].Select(d => FactValue.Of(decimal.Round(d, 4))),
                FactKind.YesNo => Gen.Bool.Select(FactValue.Of),
                FactKind.Date => Gen.Date.Select(d => FactValue.Of(DateOnly.FromDateTime(d))),
                _ => Gen.Int[0, fact.Members.Count - 1].Select(i => FactValue.Member(fact.Members[i].Key)),
            };
            var name = fact.Name;
            gen = gen.SelectMany(f => value.Select(v => f.With(name, v)));
        }
        return gen;
    }
}
