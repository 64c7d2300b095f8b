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
