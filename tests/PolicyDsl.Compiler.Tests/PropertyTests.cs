using CsCheck;
using PolicyDsl.Model;

namespace PolicyDsl.Compiler.Tests;

/// <summary>Properties: interval arithmetic holds every point result; the checker survives any damage to the sample.</summary>
public sealed class PropertyTests
{
    private static readonly Gen<decimal> Value = Gen.OneOf(Gen.Decimal[-1_000_000m, 1_000_000m], Gen.Decimal, Gen.Const(0m), Gen.Const(decimal.MaxValue), Gen.Const(decimal.MinValue));

    // An interval and a point inside it (an end may be infinite).
    private static readonly Gen<(Interval Range, decimal Point)> Ranged =
        Gen.Select(Value, Value, Value, Gen.Bool, Gen.Bool).Select((a, b, c, lowInf, highInf) =>
        {
            var sorted = new[] { a, b, c }.Order().ToArray();
            return (new Interval(lowInf ? null : sorted[0], highInf ? null : sorted[2]), sorted[1]);
        });

    private static bool Contains(Interval i, decimal x) => (i.Low is not { } l || l <= x) && (i.High is not { } h || x <= h);

    private static bool Holds(Func<decimal, decimal, decimal> op, Interval result, decimal x, decimal y)
    {
        decimal value;
        try { value = op(x, y); }
        catch (OverflowException) { return true; }   // no decimal result: nothing to contain
        catch (DivideByZeroException) { return true; }
        return Contains(result, value);
    }

    // Decimals with trailing zeros, negative zeros and every scale: mantissa digits times 10^k at scale s.
    private static readonly Gen<decimal> Scaled =
        Gen.Select(Gen.ULong, Gen.Int[0, 28], Gen.Bool, Gen.Int[0, 3]).Select((digits, scale, negative, shape) =>
        {
            var m = shape switch { 0 => digits, 1 => digits % 1_000_000 * 1000, 2 => 0UL, _ => digits % 100 };
            var wide = shape == 3 && negative; // some with a high word: the division path
            return new decimal((int)(uint)m, (int)(uint)(m >> 32), wide ? (int)(digits >> 40) : 0, negative, (byte)scale);
        });

    [Fact]
    public void Normalize_gives_the_bits_the_division_by_one_gives()
    {
        // Award.Normalize is the one definition of "an amount as results hold it": the same bits as the classic division.
        Gen.OneOf(Scaled, Value).Sample(x =>
        {
            var expected = decimal.GetBits(x / 1.0000000000000000000000000000m);
            return expected.SequenceEqual(decimal.GetBits(PolicyDsl.Runtime.Award.Normalize(x)));
        }, iter: 50_000);
        Assert.Equal(decimal.GetBits(150m), decimal.GetBits(PolicyDsl.Runtime.Award.Normalize(150.00m)));
        // Zeros (a third of a run's amounts) of every scale and both signs.
        for (byte scale = 0; scale <= 28; scale++)
            foreach (var negative in new[] { false, true })
            {
                var zero = new decimal(0, 0, 0, negative, scale);
                Assert.Equal(decimal.GetBits(zero / 1.0000000000000000000000000000m), decimal.GetBits(PolicyDsl.Runtime.Award.Normalize(zero)));
            }
    }

    [Fact]
    public void Interval_operations_contain_every_point_result()
    {
        Gen.Select(Ranged, Ranged).Sample((a, b) =>
            Holds((x, y) => x + y, a.Range + b.Range, a.Point, b.Point) &&
            Holds((x, y) => x - y, a.Range - b.Range, a.Point, b.Point) &&
            Holds((x, y) => x * y, a.Range * b.Range, a.Point, b.Point) &&
            Holds((x, y) => x / y, a.Range / b.Range, a.Point, b.Point) &&
            Holds(Math.Min, Interval.Min(a.Range, b.Range), a.Point, b.Point) &&
            Holds(Math.Max, Interval.Max(a.Range, b.Range), a.Point, b.Point), iter: 20_000);
    }

    [Fact]
    public void Damaging_the_sample_never_crashes_the_checker()
    {
        var lines = TestFiles.SamplePolicy.Replace("\r\n", "\n").Split('\n');
        var rules = TestFiles.SampleRules.Replace("\r\n", "\n").Split('\n');
        // Drop, duplicate or swap lines of the policy and the rules: whatever comes out, it is diagnostics, not an exception.
        Gen.Select(Gen.Int[0, lines.Length - 1], Gen.Int[0, lines.Length - 1], Gen.Int[0, 2], Gen.Int[0, rules.Length - 1]).Sample((i, j, kind, k) =>
        {
            var policy = lines.ToList();
            switch (kind)
            {
                case 0: policy.RemoveAt(i); break;
                case 1: policy.Insert(j, lines[i]); break;
                default: (policy[i], policy[j]) = (policy[j], policy[i]); break;
            }
            var rulesText = rules.Where((_, n) => n != k);
            var result = TestFiles.Compile(string.Join("\n", policy), string.Join("\n", rulesText));
            return result.Diagnostics.All(d => d.Id != "PDSL0900");
        }, iter: 400);
    }
}

public sealed class ScaleTests
{
    [Fact]
    public void Large_tables_bands_and_parameters_check_in_linear_time()
    {
        const int N = 20_000;
        var members = string.Join(", ", Enumerable.Range(0, N).Select(i => $"k{i}"));
        var cells = string.Join("\n", Enumerable.Range(0, N).Select(i => $"  case k{i} = {i % 10 + 1} points"));
        var bands = string.Join("\n", Enumerable.Range(0, N).Select(i => $"  case >= {i} yuan and < {i + 1} yuan = {i % 10 + 1} points"));
        var text = Sources.Policy($"""
            rule big "big"
              fact kind: one of {members}
              table limit[kind]: points
            {cells}
              param amount[kind]: points
              award amount[kind]
              cap limit[kind] per project
            rule banded "banded"
              fact x: yuan at most {N - 1} yuan
              band b(x): points
            {bands}
              award b
              cap 10 points
            """);
        var rules = "implementation of Demo\n" + string.Join("\n", Enumerable.Range(0, N).Select(i => $"  set big.amount[k{i}] = {i % 10 + 1} points"));
        // A hang guard, not a speed test (bench/ holds speed): checking took seconds and generating 322 s at 20,000 cells when
        // each cell's caps rebuilt the table's cell index (quadratic); linear, both take a few seconds on a loaded machine.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = TestFiles.Compile(text, rules);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(10m, result.Policy!.FindRule("big")!.ProvenMaximum);
        var source = PolicyDsl.Emit.CSharpEmitter.Emit(result.Policy!);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"check and generate took {watch.Elapsed}");
        Assert.Contains("K19999", source, StringComparison.Ordinal);
    }
}
