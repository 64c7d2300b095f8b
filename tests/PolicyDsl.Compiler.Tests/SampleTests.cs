using Xunit.Abstractions;

namespace PolicyDsl.Compiler.Tests;

public sealed class SampleTests(ITestOutputHelper output)
{
    [Fact]
    public void Tongzhou_sample_and_its_rules_check_clean()
    {
        var result = TestFiles.CompileSample();
        foreach (var d in result.Diagnostics) output.WriteLine(d.ToString());
        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Policy);
    }
}

public sealed class ModelEqualityTests
{
    [Fact]
    public void Checking_the_same_text_twice_gives_equal_models_and_diagnostics()
    {
        // The incremental generator caches on value equality: no reference identity may leak into the model.
        var a = TestFiles.CompileSample();
        var b = TestFiles.CompileSample();
        Assert.Equal(a.Policy, b.Policy);
        Assert.Equal(a.Policy!.GetHashCode(), b.Policy!.GetHashCode());
        Assert.Equal(a, b);

        var changed = TestFiles.CompileSample(TestFiles.SampleRules.Replace("amount[4] = 20 points", "amount[4] = 19 points"));
        Assert.NotEqual(a.Policy, changed.Policy);
    }
}

public sealed class CultureTests
{
    [Fact]
    public void Output_does_not_depend_on_the_current_culture()
    {
        string Run()
        {
            var result = TestFiles.CompileSample(TestFiles.SampleRules.Replace("amount[5] = 30 points", "amount[5] = 30.5 points"));
            var policy = TestFiles.CompileSample().Policy!;
            var award = Evaluation.RuleEvaluator.Evaluate(policy, policy.FindRule("overseas_exhibition")!,
                Model.Facts.Empty.With("overseas_exhibition", true).With("booth_fee", 30_000m), new DateOnly(2029, 1, 1));
            return string.Join("\n", result.Diagnostics) + "\n" + award.Explain() + "\n" + policy.Validity;
        }
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            var invariant = Run();
            Assert.Contains("30.5 points", invariant);
            Assert.Contains("2026-01-01 through 2028-12-31", invariant);
            foreach (var name in new[] { "de-DE", "th-TH", "ar-SA", "fr-FR" })
            {
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo(name);
                Assert.Equal(invariant, Run());
            }
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }
}
