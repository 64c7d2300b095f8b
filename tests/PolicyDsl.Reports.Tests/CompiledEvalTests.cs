using System.Globalization;
using PolicyDsl.Model;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// policyc eval's compiled rules (the generated C#, compiled in-process) and the reference interpreter give the same
/// bytes: on every sample policy, for random applications (most well formed, some with a fact missing, negative, above
/// its bound or not a member, some outside the validity windows, some with an award received elsewhere, several per enterprise so running caps bind), in CSV,
/// JSON and Markdown without traces; and through the command line on the sample applications.
/// </summary>
public sealed class CompiledEvalTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static IEnumerable<(string Policy, string? Rules)> SamplePolicies() =>
        Directory.EnumerateFiles(Path.Combine(Support.Root, "samples"), "*.policy", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => (p, File.Exists(Path.ChangeExtension(p, ".rules")) ? Path.ChangeExtension(p, ".rules") : (string?)null));

    [Fact]
    public void Compiled_and_interpreted_give_the_same_bytes_on_every_sample_for_random_applications()
    {
        var checkedPolicies = 0;
        foreach (var (path, rules) in SamplePolicies())
        {
            if (Cli.ReportCommand.LoadPolicy(path, rules, TextWriter.Null, out var policy) is not null) continue; // a sample with errors on purpose
            checkedPolicies++;
            var compiled = CompiledRules.Load(policy!, out var why, _dir.Path);
            Assert.True(compiled is not null, Path.GetFileName(path) + ": " + why);
            var rows = RandomRows(policy!, new Random(Path.GetFileName(path).Length * 7919 + 18), 600);
            var taken = rows.OfType<ApplicationRow>().Count(r => compiled!.Takes(r.Application));
            Assert.True(taken > rows.Count / 2, $"{Path.GetFileName(path)}: only {taken} of {rows.Count} rows go to the compiled rules");
            foreach (var format in new[] { "csv", "json", "md" })
            {
                var interpreted = Run(policy!, rows, format, null);
                var generated = Run(policy!, rows, format, compiled);
                Assert.True(interpreted == generated, $"{Path.GetFileName(path)} {format}: first difference at {FirstDifference(interpreted, generated)}");
            }
        }
        Assert.True(checkedPolicies >= 3);
    }

    [Fact]
    public void A_policy_compiled_before_is_found_by_the_texts_it_was_checked_from()
    {
        Assert.Null(Cli.ReportCommand.LoadPolicy(Support.SamplePolicyPath, Support.SampleRulesPath, TextWriter.Null, out var policy, out var sources));
        var key = CompiledRules.SourceKey(sources);
        // The key is the texts and their paths: the same ones give the same key, any change another.
        Assert.Equal(key, CompiledRules.SourceKey(sources.ToArray()));
        Assert.NotEqual(key, CompiledRules.SourceKey([(sources[0].Path, sources[0].Text + " "), sources[1]]));
        Assert.NotEqual(key, CompiledRules.SourceKey([("other.policy", sources[0].Text), sources[1]]));
        Assert.NotEqual(key, CompiledRules.SourceKey([sources[0]]));
        Assert.NotEqual(key, CompiledRules.SourceKey([(sources[0].Path, sources[0].Text + sources[1].Text), (sources[1].Path, "")]));

        // Loaded with its key: an index file names the compiled code (its key: 64 hex digits; the code itself may have come
        // from this process's earlier loads).
        var cache = Path.Combine(_dir.Path, "by-source");
        Assert.NotNull(CompiledRules.Load(policy!, out var why, cache, key));
        var index = Path.Combine(cache, "src-" + key + ".key");
        var named = File.ReadAllText(index);
        Assert.Matches("^[0-9a-f]{64}$", named);

        // An index naming code that is gone: the policy is emitted and compiled again and the index mended.
        File.WriteAllText(index, new string('0', 64));
        var again = CompiledRules.Load(policy!, out why, cache, key);
        Assert.True(again is not null, why);
        Assert.Equal(named, File.ReadAllText(index));
        var rows = RandomRows(policy!, new Random(5), 200);
        Assert.Equal(Run(policy!, rows, "csv", null), Run(policy!, rows, "csv", again));
    }

    [Fact]
    public void The_command_line_gives_the_same_bytes_with_and_without_interpret()
    {
        foreach (var format in new[] { "csv", "json" })
        {
            var compiledOut = Path.Combine(_dir.Path, "compiled." + format);
            var interpretedOut = Path.Combine(_dir.Path, "interpreted." + format);
            var common = new[] { Support.SamplePolicyPath, Support.SampleRulesPath, Path.Combine(Support.Root, "samples/tongzhou-2026/applications.json") };
            var error = new StringWriter();
            var a = Cli.EvalCommand.Run(common[0], common[1], common[2], format, compiledOut, TextWriter.Null, error, cacheDirectory: _dir.Path);
            Assert.DoesNotContain("warning", error.ToString(), StringComparison.Ordinal); // the compiled rules were used
            var b = Cli.EvalCommand.Run(common[0], common[1], common[2], format, interpretedOut, TextWriter.Null, TextWriter.Null, compiled: false);
            Assert.Equal(b, a);
            Assert.Equal(File.ReadAllText(interpretedOut), File.ReadAllText(compiledOut));
        }
    }

    private static string Run(CheckedPolicy policy, IReadOnlyList<InputRow> rows, string format, CompiledRules? compiled)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        IAwardSink sink = format switch
        {
            "csv" => new CsvAwardSink(text),
            "md" => new TemplateAwardSink(policy, text, "md", "random.csv", trace: false),
            _ => new JsonAwardSink(policy, text),
        };
        // A small memory budget: the spill to disk and the merge run too.
        new StreamingEvaluator(policy, sink, new EvalOptions { Compiled = compiled, MemoryRows = 250, Parallelism = 2 }).Run(rows);
        (sink as IDisposable)?.Dispose();
        return text.ToString();
    }

    private static string FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return $"char {i}: interpreted «{Slice(a, i)}», compiled «{Slice(b, i)}»";
        static string Slice(string s, int i) => s.Substring(Math.Max(0, i - 60), Math.Min(s.Length - Math.Max(0, i - 60), 160));
    }

    /// <summary>Applications of random rules by a few enterprises, with facts mostly valid.</summary>
    private static List<InputRow> RandomRows(CheckedPolicy policy, Random random, int count)
    {
        var rules = policy.Rules.ToArray();
        var rows = new List<InputRow>();
        for (var i = 0; i < count; i++)
        {
            var rule = rules[random.Next(rules.Length)];
            var facts = new List<KeyValuePair<string, FactValue>>();
            foreach (var fact in rule.Facts)
            {
                var odd = random.Next(40);
                if (odd == 0) continue; // missing
                FactValue value = fact.Kind switch
                {
                    FactKind.Quantity => FactValue.Of(Quantity(fact, random, odd)),
                    FactKind.YesNo => FactValue.Of(random.Next(5) != 0),
                    FactKind.Date => FactValue.Of(new DateOnly(2023 + random.Next(5), 1 + random.Next(12), 1 + random.Next(28))),
                    _ => FactValue.Member(odd == 1 || fact.Members.IsEmpty ? "no-such-member" : fact.Members[random.Next(fact.Members.Count)].Key),
                };
                facts.Add(new(fact.Name, value));
            }
            var date = new DateOnly(2022 + random.Next(6), 1 + random.Next(12), 1 + random.Next(28));
            var application = new Application("A" + (i % 97).ToString(CultureInfo.InvariantCulture), "E" + random.Next(25).ToString(CultureInfo.InvariantCulture),
                rule.Name, date, new Facts(facts), random.Next(3) == 0 ? "S" + random.Next(3).ToString(CultureInfo.InvariantCulture) : null,
                random.Next(2) == 0 ? policy.General.CostSharing.FirstOrDefault()?.Location : null, random.Next(8) == 0,
                random.Next(4) == 0 ? Math.Round((decimal)random.NextDouble() * 50m, 1) : 0m);
            rows.Add(new ApplicationRow(i + 2, "line " + (i + 2).ToString(CultureInfo.InvariantCulture), application));
        }
        return rows;
    }

    private static decimal Quantity(Fact fact, Random random, int odd)
    {
        if (odd == 2) return -1m;
        if (odd == 3 && fact.AtMost is { } most) return most + 1m;
        var top = fact.AtMost is { } bound ? Math.Min(bound, 5_000_000m) : 5_000_000m;
        var scale = random.Next(4) switch { 0 => 1m, 1 => 100m, 2 => 10_000m, _ => 1_000_000m };
        var value = Math.Min(top, Math.Round((decimal)random.NextDouble() * scale, random.Next(3)));
        return random.Next(10) == 0 ? 0m : value;
    }
}
