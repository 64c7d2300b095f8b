using PolicyDsl.Policies.Tongzhou2026;
using PolicyDsl.Testing;
using PolicyDsl.Text;

namespace PolicyDsl.AuthorTests.Generated;

/// <summary>
/// The sample test files of the Tongzhou policy, run through the generated classes of generated/Tongzhou2026.Rules:
/// every expectation `policyc test` checks against the reference evaluator holds for the generated code too.
/// </summary>
public sealed class SampleTestFiles
{
    private static readonly GeneratedTarget Generated = new(typeof(Tongzhou2026Policy));

    private static readonly Lazy<IReadOnlyList<LoadedTestFile>> Files = new(() =>
    {
        var loader = new TestLoader();
        return TestLoader.Find([Repository.PathOf("samples")], out _).Select(loader.Load).Where(f => f.Policy?.Name == Tongzhou2026Policy.Name).ToList();
    });

    public static TheoryData<string> Tests()
    {
        var data = new TheoryData<string>();
        foreach (var file in Files.Value)
            foreach (var test in file.Tests) data.Add(test.Name);
        return data;
    }

    private static (LoadedTestFile File, BoundTest Test) Find(string name)
    {
        var file = Files.Value.Single(f => f.Tests.Any(t => t.Name == name));
        return (file, file.Tests.Single(t => t.Name == name));
    }

    [Fact]
    public void The_sample_test_files_load_cleanly_and_hold_the_hand_worked_cases()
    {
        Assert.NotEmpty(Files.Value);
        Assert.All(Files.Value, f => Assert.True(f.Diagnostics.IsEmpty, string.Join("\n", f.Diagnostics)));
        Assert.True(Files.Value.Sum(f => f.Tests.Count) >= 30);
    }

    [Theory]
    [MemberData(nameof(Tests))]
    public void Sample_test_passes_against_the_generated_classes(string name)
    {
        var (file, test) = Find(name);
        var result = TestRunner.Run(file.Path, file.Policy!, test, Generated);
        Assert.True(result.Passed, Testing.AuthorTests.Line(result) + "\n" + Testing.AuthorTests.Explain(result));
    }

    [Theory]
    [MemberData(nameof(Tests))]
    public void Generated_and_reference_outcomes_agree(string name)
    {
        var (file, test) = Find(name);
        var generated = TestRunner.Run(file.Path, file.Policy!, test, Generated).Outcomes;
        var reference = TestRunner.Run(file.Path, file.Policy!, test, ReferenceTarget.Instance).Outcomes;
        foreach (var (g, r) in generated.Zip(reference))
        {
            Assert.Equal((r.Id, r.Award, r.Eligible, r.Computable, r.BoundBy, r.Paid, r.Reason is null), (g.Id, g.Award, g.Eligible, g.Computable, g.BoundBy, g.Paid, g.Reason is null));
            Assert.Equal(r.Payers, g.Payers);
            Assert.NotEmpty(g.Trace);
        }
    }

    [Fact]
    public void A_wrong_expectation_fails_against_the_generated_classes_too()
    {
        var (file, test) = Find("B01-B03 50 points per enterprise per year: three applications in two years");
        var b02 = test.Applications.Single(a => a.Application.Id == "B02");
        var wrong = test with
        {
            Applications = test.Applications.Select(a => a != b02 ? a : a with
            {
                Expectations = a.Expectations.Select(e => e.Kind == ExpectationKind.Paid ? e with { Amount = 11m } : e).ToEquatableArray(),
            }).ToEquatableArray(),
        };
        var result = TestRunner.Run(file.Path, file.Policy!, wrong, Generated);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(("paid 11 points", "paid 10 points"), (failure.Expected, failure.Actual));
        Assert.Contains(failure.Trace, step => step.StartsWith("award formula", StringComparison.Ordinal));
    }
}
