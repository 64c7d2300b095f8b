using System.Globalization;
using System.Text.RegularExpressions;
using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>Raising any value of the sample's implementation rules above its bound fails at that value.</summary>
public sealed class ImplementationRulesTests
{
    public static TheoryData<int> SetLines()
    {
        var data = new TheoryData<int>();
        var lines = TestFiles.SampleRules.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].TrimStart().StartsWith("set ", StringComparison.Ordinal)) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(SetLines))]
    public void Raising_a_value_above_its_cap_fails_at_that_value(int lineIndex)
    {
        var policy = TestFiles.CompileSample().Policy!;
        var lines = TestFiles.SampleRules.Replace("\r\n", "\n").Split('\n');
        var m = Regex.Match(lines[lineIndex], @"set (\w+)\.(\w+)(\[[^\]]*\])? = ([0-9.]+)\s*(\S*)");
        Assert.True(m.Success, lines[lineIndex]);
        var rule = policy.FindRule(m.Groups[1].Value)!;
        var parameter = rule.FindParameter(m.Groups[2].Value)!;

        // A value in the award unit must stay under the rule's caps; any other (a rate) under its declared bound.
        string raised, expectedId;
        if (parameter.Unit == policy.AwardUnit)
        {
            var highestCap = rule.Caps.Max(c => c.Limit.Range.High!.Value);
            raised = (highestCap + 1m).ToString(CultureInfo.InvariantCulture) + " points";
            expectedId = "PDSL0405";
        }
        else
        {
            Assert.Equal(Unit.Dimensionless, parameter.Unit);
            raised = ((parameter.AtMost!.Value + 0.01m) * 100m).ToString(CultureInfo.InvariantCulture) + "%";
            expectedId = "PDSL0406";
        }
        var valueColumn = m.Groups[4].Index + 1;
        lines[lineIndex] = lines[lineIndex][..m.Groups[4].Index] + raised;
        var result = TestFiles.CompileSample(string.Join("\n", lines));

        var d = Assert.Single(result.Diagnostics, x => x.IsError);
        Assert.Equal(expectedId, d.Id);
        Assert.Equal("tongzhou-2026.rules", d.FilePath);
        Assert.Equal(lineIndex + 1, d.Start.Line);
        Assert.Equal(valueColumn, d.Start.Column);
        Assert.Contains(rule.Name, d.Message);
    }

    [Fact]
    public void The_message_reads_like_the_design_example()
    {
        var rules = TestFiles.SampleRules.Replace("set cmmm_maturity.amount[5] = 30 points", "set cmmm_maturity.amount[5] = 35 points");
        var d = Assert.Single(TestFiles.CompileSample(rules).Diagnostics);
        Assert.Equal("rule cmmm_maturity awards 35 points at level 5, above its cap of 30 points per enterprise", d.Message);
        Assert.Matches(@"^tongzhou-2026\.rules\(\d+,\d+\): error PDSL0405: rule cmmm_maturity awards 35 points at level 5", d.ToString());
    }

    [Fact]
    public void Every_parameter_must_be_set_exactly_once()
    {
        var dropped = TestFiles.SampleRules.Replace("  set aeo_advanced.amount = 8 points\n", "");
        var d = Assert.Single(TestFiles.CompileSample(dropped).Diagnostics);
        Assert.Equal("PDSL0401", d.Id);
        Assert.Contains("aeo_advanced", d.Message);

        var twice = TestFiles.SampleRules + "\n  set aeo_advanced.amount = 7 points\n";
        Assert.Equal("PDSL0402", Assert.Single(TestFiles.CompileSample(twice).Diagnostics).Id);
    }

    [Fact]
    public void Unknown_rule_parameter_and_key_are_errors_in_the_rules_file()
    {
        var rules = TestFiles.SampleRules + "\n  set no_such_rule.amount = 1 points\n  set aeo_advanced.amont = 1 points\n  set cmmm_maturity.amount[6] = 1 points\n";
        var ids = TestFiles.CompileSample(rules).Diagnostics.Select(d => (d.Id, d.FilePath)).ToList();
        Assert.Equal(new[] { ("PDSL0103", "tongzhou-2026.rules"), ("PDSL0403", "tongzhou-2026.rules"), ("PDSL0404", "tongzhou-2026.rules") }, ids.OrderBy(x => x.Id).ToArray());
    }
}
