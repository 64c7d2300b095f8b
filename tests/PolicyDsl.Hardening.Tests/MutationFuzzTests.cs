using System.Text;
using CsCheck;

namespace PolicyDsl.Hardening.Tests;

/// <summary>
/// Property tests over broken input: the sample and example files mutated (character flips, line
/// deletions, duplications and swaps, token splices, truncation) and random text. Every stage (parser,
/// checker, emitter, source generator, reports) finishes in time, throws nothing, reports no internal
/// error, and puts every diagnostic inside the file.
/// </summary>
public sealed class MutationFuzzTests
{
    private static readonly string[] Interesting =
        ["\"", "\\", "(", ")", "[", "]", "#", "\0", "\r", "\n", "\r\n", "\t", "中", "\uD800", "\uDC00", "\u202E", "\u200B", "\uFEFF", ":", ",", "=",
         "-", "%", "·", "1", "9999999999999999999999999999999", "2026-02-30", "per", "cap", "not", "if", "then", "else", "of", "in", "\\u{110000}", "\\u{", "\\x"];

    /// <summary>Every token of every seed, for splicing.</summary>
    private static readonly string[] Tokens = Harness.Seeds
        .SelectMany(s => (s.Policy + "\n" + s.Rules).Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private enum Kind { Flip, Insert, DeleteLine, DuplicateLine, SwapLines, SpliceToken, Truncate, DeleteRange }

    private sealed record Mutation(Kind Kind, int A, int B, int C);

    private static readonly Gen<Mutation> MutationGen =
        Gen.Select(Gen.Enum<Kind>(), Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], (k, a, b, c) => new Mutation(k, a, b, c));

    private static string Apply(string text, Mutation m)
    {
        var lines = text.Split('\n').ToList();
        switch (m.Kind)
        {
            case Kind.Flip when text.Length > 0:
            {
                var at = m.A % text.Length;
                return text[..at] + Interesting[m.B % Interesting.Length] + text[(at + 1)..];
            }
            case Kind.Insert:
            {
                var at = text.Length == 0 ? 0 : m.A % (text.Length + 1);
                return text[..at] + (m.C % 2 == 0 ? Interesting[m.B % Interesting.Length] : ((char)(m.B % 0x3000)).ToString()) + text[at..];
            }
            case Kind.DeleteLine when lines.Count > 1:
                lines.RemoveAt(m.A % lines.Count);
                return string.Join("\n", lines);
            case Kind.DuplicateLine:
            {
                var i = m.A % lines.Count;
                lines.Insert(m.B % (lines.Count + 1), lines[i]);
                return string.Join("\n", lines);
            }
            case Kind.SwapLines:
            {
                int i = m.A % lines.Count, j = m.B % lines.Count;
                (lines[i], lines[j]) = (lines[j], lines[i]);
                return string.Join("\n", lines);
            }
            case Kind.SpliceToken:
            {
                var i = m.A % lines.Count;
                var words = lines[i].Split(' ').ToList();
                var token = Tokens[m.B % Tokens.Length];
                if (m.C % 3 == 0 && words.Count > 1) words[m.C % words.Count] = token;
                else words.Insert(m.C % (words.Count + 1), token);
                lines[i] = string.Join(" ", words);
                return string.Join("\n", lines);
            }
            case Kind.Truncate:
                return text[..(m.A % (text.Length + 1))];
            case Kind.DeleteRange when text.Length > 0:
            {
                var at = m.A % text.Length;
                var length = Math.Min(text.Length - at, m.B % 200);
                return text.Remove(at, length);
            }
            default:
                return text;
        }
    }

    /// <summary>A seed (policy and rules file) with 1-8 mutations applied to the policy and 0-3 to the rules file.</summary>
    private static readonly Gen<(string Name, string Policy, string? Rules)> Seed = Gen.Frequency(
        (3, Gen.Int[0, Harness.Seeds.Count - 1].Select(i => Harness.Seeds[i])),
        (1, RandomPolicies.Gen.Select(p => (p.Name, p.Text, p.Rules))));

    private static readonly Gen<(string Name, string Policy, string? Rules)> Mutated =
        Gen.Select(Seed, MutationGen.Array[1, 8], MutationGen.Array[0, 3], (seed, onPolicy, onRules) =>
        {
            var (name, policy, rules) = seed;
            policy = onPolicy.Aggregate(policy, Apply);
            if (rules is not null) rules = onRules.Aggregate(rules, Apply);
            return (name, policy, rules);
        });

    private static void AssertSurvives(string policy, string? rules, bool generator)
    {
        var result = Harness.WithinTimeout(() => Harness.RunAll(policy, rules, generator));
        // What the checker says is what a build says: errors and only errors stop emission.
        Assert.Equal(result.Checked.HasErrors, result.Emitted is null);
        if (result.Checked.Policy is { } model && !result.Checked.HasErrors)
        {
            // A policy that survived the mutation still evaluates within its proven maximum, for plain and extreme facts.
            foreach (var rule in model.Rules)
            {
                foreach (var quantity in new[] { 0m, 1m, 123_456.78m, decimal.MaxValue })
                {
                    var facts = PolicyDsl.Model.Facts.Empty;
                    foreach (var fact in rule.Facts)
                    {
                        facts = fact.Kind switch
                        {
                            PolicyDsl.Model.FactKind.Quantity => facts.With(fact.Name, fact.AtMost is { } most ? Math.Min(most, quantity) : quantity),
                            PolicyDsl.Model.FactKind.YesNo => facts.With(fact.Name, quantity > 0m),
                            PolicyDsl.Model.FactKind.Date => facts.With(fact.Name, new DateOnly(2026, 6, 1)),
                            _ => fact.Members.IsEmpty ? facts : facts.With(fact.Name, fact.Members[(int)(quantity % fact.Members.Count)].Key),
                        };
                    }
                    var award = PolicyDsl.Evaluation.RuleEvaluator.Evaluate(model, rule, facts, new DateOnly(2026, 6, 1));
                    Assert.True(award.Amount >= 0m && (rule.ProvenMaximum is not { } max || award.Amount <= max),
                        $"{rule.Name} paid {award.Amount}, proven maximum {rule.ProvenMaximum}, for {facts}");
                }
            }
        }
        if (generator && result.Parsed.Syntax.Policy is not null)
        {
            // (Severities differ: the harness compiles with warnings as errors, as a strict project would. The rules file is
            // compared only through the policy: the generator pairs files by policy name, the checker is handed the pair.)
            Assert.Equal(result.Checked.Diagnostics.Where(d => d.FilePath == Harness.PolicyPath).Select(d => d.Id).Order(StringComparer.Ordinal),
                result.GeneratorDiagnostics.Where(d => d.Location.GetLineSpan().Path == Harness.PolicyPath).Select(d => d.Id).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Mutated_samples_never_crash_hang_or_misplace_a_diagnostic()
    {
        Mutated.Sample(x => AssertSurvives(x.Policy, x.Rules, generator: false),
            iter: Harness.Iterations(400), threads: 1, print: x => x.Name + "\n" + x.Policy + "\n----- rules -----\n" + x.Rules);
    }

    [Fact]
    public void Mutated_samples_through_the_source_generator()
    {
        Mutated.Sample(x => AssertSurvives(x.Policy, x.Rules, generator: true),
            iter: Harness.Iterations(40, cost: 10), threads: 1, print: x => x.Name + "\n" + x.Policy + "\n----- rules -----\n" + x.Rules);
    }

    [Fact]
    public void Random_text_never_crashes()
    {
        var chars = Gen.Frequency(
            (6, Gen.Char['\u0020', '\u007E']),
            (1, Gen.Char),
            (1, Gen.Int[0, 7].Select(i => "\n\r\t\"\\()中"[i])));
        var texts = Gen.Frequency(
            (2, chars.Array[0, 400].Select(a => new string(a))),
            (2, Gen.Int[0, Tokens.Length - 1].Array[0, 60].Select(ix => string.Join(" ", ix.Select(i => Tokens[i])))),
            (1, Gen.Int[0, Tokens.Length - 1].Array[0, 60].Select(ix => "policy P \"t\"\n" + string.Join("\n", ix.Select(i => "  " + Tokens[i] + " " + Tokens[(i * 7) % Tokens.Length])))));
        texts.Sample(text =>
        {
            var result = Harness.WithinTimeout(() => Harness.RunAll(text, generator: false));
            Assert.True(result.Checked.HasErrors || result.Emitted is not null);
        }, iter: Harness.Iterations(500), threads: 1);
    }

    [Fact]
    public void Random_bytes_through_ParsedSource_Read()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            using var file = new Harness.TempFile(bytes);
            var read = ParsedSource.Read(file.Path);
            Assert.NotEmpty(read.Diagnostics);
            Harness.AssertInside(read.Diagnostics, file.Path, read.Text);
            var valid = new UTF8Encoding(false, true);
            var isUtf8 = true;
            try { valid.GetString(bytes); } catch (DecoderFallbackException) { isUtf8 = false; }
            Assert.Equal(!isUtf8, read.Diagnostics.Any(d => d.Id == "PDSL0008"));
        }, iter: Harness.Iterations(200), threads: 1);
    }

    [Fact]
    public void Mutated_samples_through_policyc_check()
    {
        Mutated.Sample(x =>
        {
            using var file = new Harness.TempFile(x.Policy);
            var (exit, output, error) = Harness.WithinTimeout(() => Harness.Policyc("check", file.Path));
            Assert.True(exit is 0 or 1, $"exit {exit}: {error}");
            Assert.Equal(exit == 1, output.Contains(": error PDSL", StringComparison.Ordinal));
            Assert.DoesNotContain("PDSL0900", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled", error, StringComparison.Ordinal);
        }, iter: Harness.Iterations(30, cost: 5), threads: 1);
    }
}
