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
