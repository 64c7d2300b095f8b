using System.Globalization;
using PolicyDsl.Checking;

namespace PolicyDsl.Hardening.Tests;

/// <summary>Culture changes are process-wide (DefaultThreadCurrentCulture): these tests run alone.</summary>
[CollectionDefinition(nameof(CultureSensitive), DisableParallelization = true)]
public sealed class CultureSensitive;

/// <summary>
/// Generated C#, reports and diagnostics are byte-identical across runs, across the cultures tr-TR, zh-CN,
/// de-DE and ar-SA (dotted/dotless i, decimal commas, Arabic digits and right-to-left), and for LF, CRLF and
/// CR line ends.
/// </summary>
[Collection(nameof(CultureSensitive))]
public sealed class DeterminismTests
{
    private static readonly string[] Cultures = ["tr-TR", "zh-CN", "de-DE", "ar-SA"];

    /// <summary>Every sample and example, the injection policy and a few random policies.</summary>
    private static IEnumerable<(string Name, string Policy, string? Rules)> Inputs()
    {
        foreach (var seed in Harness.Seeds) yield return seed;
        yield return ("injection", InjectionTests.PolicyWith("İı \"{x}\" 1,5 ١٢٣ \u202E */"), """
            implementation of Injected
              set injected.amount[a] = 5 points
              set injected.amount[b] = 3 points
            """);
        foreach (var seeds in new[] { new[] { 1, 2, 3 }, new[] { 42, 4242 }, new[] { 7, 77, 777, 7777, 77777 } })
        {
            foreach (var money in new[] { false, true })
            {
                var random = RandomPolicies.Build(money, seeds);
                yield return (random.Name, random.Text, random.Rules);
            }
        }
    }

    /// <summary>Everything the tool writes for one input: generated sources, emitted C#, reports, diagnostics.</summary>
    private static string Everything(string policy, string? rules)
    {
        var files = new List<Microsoft.CodeAnalysis.AdditionalText> { new InMemoryAdditionalText("/in/x.policy", policy) };
        if (rules is not null) files.Add(new InMemoryAdditionalText("/in/x.rules", rules));
        var run = Harness.RunGenerator(files);
        var parts = new List<string>();
        parts.AddRange(run.HintNames.Zip(run.Sources, (h, s) => "== " + h + "\n" + s));
        parts.AddRange(run.Diagnostics.Select(d => d.ToString()));
        var compilation = PolicyCompiler.Compile("/in/x.policy", policy, "/in/x.rules", rules);
        parts.AddRange(compilation.Diagnostics.Select(d => d.ToString()));
        if (compilation.Policy is { } model && !compilation.HasErrors)
        {
            parts.Add(PolicyDsl.Emit.CSharpEmitter.Emit(model));
            parts.Add(PolicyDsl.Reports.PolicyReport.Html(model).Text);
            var markdown = PolicyDsl.Reports.PolicyReport.Markdown(model);
            parts.Add(markdown.Text);
            parts.AddRange(markdown.Files.Select(f => f.FileName + "\n" + f.Content));
        }
        return string.Join("\n\u0001\n", parts);
    }

    private static T InCulture<T>(string name, Func<T> action)
    {
        var (current, ui, defaultCulture, defaultUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture,
            CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture);
        var culture = CultureInfo.GetCultureInfo(name);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = culture;
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = current;
            CultureInfo.CurrentUICulture = ui;
            CultureInfo.DefaultThreadCurrentCulture = defaultCulture;
            CultureInfo.DefaultThreadCurrentUICulture = defaultUi;
        }
    }

    [Fact]
    public void Output_is_byte_identical_across_runs_and_cultures()
    {
        // The switch takes effect (so the comparison below could fail): de-DE writes a decimal comma.
        Assert.Equal("1,5", InCulture("de-DE", () => 1.5m.ToString()));
        Assert.Equal("1,5", InCulture("de-DE", () => Task.Run(() => 1.5m.ToString()).Result));
        foreach (var (name, policy, rules) in Inputs())
        {
            var baseline = InCulture("en-US", () => Everything(policy, rules));
            Assert.Contains("namespace PolicyDsl.Policies.", baseline, StringComparison.Ordinal);
            Assert.Equal(baseline, Everything(policy, rules)); // a second run
            foreach (var culture in Cultures)
            {
                var other = InCulture(culture, () => Everything(policy, rules));
                if (other != baseline) Assert.Fail($"{name} under {culture} differs from en-US at char {FirstDifference(baseline, other)}: " + Around(other, FirstDifference(baseline, other)));
            }
        }
    }

    [Fact]
    public void Diagnostics_of_broken_input_are_identical_across_cultures()
    {
        var broken = HostileInputTests.Broken + "\n  note \"1,5\"\n    rule i̇ı \"x\"\n      fact İ: yuan\n      award 1.5 points\n      cap 1,5 points";
        var baseline = InCulture("en-US", () => string.Join("\n", PolicyCompiler.Compile("/in/x.policy", broken, "/in/x.rules", Harness.TongzhouRules).Diagnostics));
        Assert.Contains("PDSL0001", baseline, StringComparison.Ordinal);
        using var file = new Harness.TempFile(broken);
        var cli = InCulture("en-US", () => Harness.Policyc("check", file.Path));
        foreach (var culture in Cultures)
        {
            Assert.Equal(baseline, InCulture(culture, () => string.Join("\n", PolicyCompiler.Compile("/in/x.policy", broken, "/in/x.rules", Harness.TongzhouRules).Diagnostics)));
            Assert.Equal(cli, InCulture(culture, () => Harness.Policyc("check", file.Path)));
        }
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Line_ends_do_not_change_the_generated_code(string ends)
    {
        foreach (var (name, policy, rules) in Inputs())
        {
            string Convert(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", ends, StringComparison.Ordinal);
            var lf = Harness.RunGenerator(Files(policy, rules));
            var other = Harness.RunGenerator(Files(Convert(policy), rules is null ? null : Convert(rules)));
            Assert.Equal(lf.HintNames.ToArray(), other.HintNames.ToArray());
            Assert.True(lf.Sources.SequenceEqual(other.Sources), name + ": the generated code differs with " + (ends == "\r" ? "CR" : "CRLF") + " line ends");
            Assert.Equal(lf.Diagnostics.Select(d => (d.Id, d.Location.GetLineSpan().StartLinePosition)), other.Diagnostics.Select(d => (d.Id, d.Location.GetLineSpan().StartLinePosition)));
        }
    }

    private static List<Microsoft.CodeAnalysis.AdditionalText> Files(string policy, string? rules)
    {
        var files = new List<Microsoft.CodeAnalysis.AdditionalText> { new InMemoryAdditionalText("/in/x.policy", policy) };
        if (rules is not null) files.Add(new InMemoryAdditionalText("/in/x.rules", rules));
        return files;
    }

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return i;
    }

    private static string Around(string text, int at) => text.Substring(Math.Max(0, at - 80), Math.Min(160, text.Length - Math.Max(0, at - 80)));
}
