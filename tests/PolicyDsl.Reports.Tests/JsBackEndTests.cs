using Xunit.Abstractions;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyDsl.Emit.JavaScript;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// The JavaScript back end (docs/semantics.md §28) against the interpreter: thousands of random applications of every
/// sample, run in one node process, give the same award, bound cap, eligibility, problems and trace, on the BigInt
/// scaled-integer body and the decimal body alike. Node is required (.ci/run installs it).
/// </summary>
public sealed class JsBackEndTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Printed_javascript_agrees_with_the_interpreter_on_random_applications_of_every_sample()
    {
        var samples = JsDifferential.Samples().Concat(JsDifferential.Corpus()).ToList();
        Assert.Contains(samples, s => s.Name == "corpus-event-window");
        Assert.Contains(samples, s => s.Name == "tongzhou-2026");
        Assert.Contains(samples, s => s.Name == "liuhe-2023");
        Assert.Contains(samples, s => s.Name == "nanjing-jiangbei-2026");
        var runner = _dir.Write("run.js", JsDifferential.NodeRunner);
        var total = 0;
        var bound = 0;
        var scaled = 0;
        var windowPaid = 0;
        var instalmentPaid = 0;
        var afterWindowPaid = 0;
        var qualifiedPaidAfterEnd = 0;
        var diffs = new List<string>();
        foreach (var (name, policy) in samples)
        {
            var program = JsEmitter.Print(policy);
            Assert.Empty(program.NotPrinted);
            var script = _dir.Write(name + ".js", program.Script);
            var cases = JsDifferential.Cases(policy, perRule: name == "tongzhou-2026" ? 150 : 60, seed: name.Length * 7919);
            var input = _dir.Write(name + ".cases.json", new JsonArray(cases.Select(c => (JsonNode)JsDifferential.ToJson(c)).ToArray()).ToJsonString());
            var results = _dir.File(name + ".results.json");
            JsDifferential.Run("node", [runner, script, input, results]);
            using var doc = JsonDocument.Parse(File.ReadAllText(results));
            var got = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(cases.Count, got.Count);
            for (var i = 0; i < cases.Count; i++)
            {
                diffs.AddRange(JsDifferential.Differences(cases[i], got[i].GetProperty("untraced"), traced: false));
                diffs.AddRange(JsDifferential.Differences(cases[i], got[i].GetProperty("traced"), traced: true));
            }
            total += cases.Count;
            bound += cases.Count(c => c.Expected.BoundBy is not null);
            windowPaid += cases.Count(c => policy.FindRule(c.Rule)!.Window is not null && c.Expected.Eligible && c.Expected.Amount > 0m);
            instalmentPaid += cases.Count(c => policy.FindRule(c.Rule)!.Schedule is not null && c.Expected.Eligible && c.Expected.Amount > 0m);
            afterWindowPaid += cases.Count(c => !policy.FindRule(c.Rule)!.After.IsEmpty && c.Expected.Eligible && c.Expected.Amount > 0m);
            // §27.12: a rule that qualifies on a date is paid on an application dated past the validity's end.
            qualifiedPaidAfterEnd += cases.Count(c => policy.FindRule(c.Rule)!.QualifiesOn is not null && c.On > (policy.FindRule(c.Rule)!.Validity ?? policy.Validity)?.Through &&
                                                      c.Expected.Eligible && c.Expected.Amount > 0m);
            scaled += doc.RootElement.GetProperty("scaled").GetInt32();
        }
        output.WriteLine(total + " applications, a cap bound " + bound + ", the scaled body ran " + scaled + ", paid in an event window " + windowPaid +
                         ", an instalment paid " + instalmentPaid + ", paid after another rule's window " + afterWindowPaid +
                         ", paid past the validity's end having qualified within it " + qualifiedPaidAfterEnd);
        // §27.7 and §27.10 reached, not only declined: some random applications are paid an instalment, some after a window.
        Assert.True(instalmentPaid >= 5, "only " + instalmentPaid + " applications paid an instalment at milestones (§27.7)");
        Assert.True(qualifiedPaidAfterEnd >= 3, "only " + qualifiedPaidAfterEnd + " applications paid past the validity's end (§27.12)");
        Assert.True(afterWindowPaid >= 5, "only " + afterWindowPaid + " applications paid after another rule's window (§27.10)");
        Assert.True(diffs.Count == 0, diffs.Count + " differences, the first:\n" + string.Join("\n", diffs.Take(10)));
        Assert.True(total >= 3000, "only " + total + " applications");
        Assert.True(bound >= total / 20, "a cap bound only " + bound + " of " + total + " applications");
        Assert.True(scaled >= total / 5, "the scaled-integer body ran only " + scaled + " of " + total + " applications");
        Assert.True(windowPaid >= 10, "only " + windowPaid + " applications paid in an event window (§27.1)");
    }

    /// <summary>The runtime's dates against runtime/EventWindows.cs: the window year of every start, date ± months and
    /// ± years, and the year of a date in a year that starts on another day (§30.1), on random dates (29 February, month ends
    /// and the first and last dates DateOnly holds included).</summary>
    [Fact]
    public void Runtime_dates_are_event_windows_day_for_day()
    {
        var random = new Random(20271202);
        DateOnly Date() => random.Next(8) switch
        {
            0 => new DateOnly(1996 + 4 * random.Next(10), 2, 29),
            1 => MonthEnd(2020 + random.Next(10), 1 + random.Next(12)),
            2 => random.Next(2) == 0 ? new DateOnly(1, 1 + random.Next(2), 1 + random.Next(28)) : MonthEnd(9999, 11 + random.Next(2)),
            _ => new DateOnly(2015 + random.Next(20), 1 + random.Next(12), 1 + random.Next(28)),
        };
        DateOnly MonthEnd(int year, int month) => new(year, month, DateTime.DaysInMonth(year, month) - random.Next(3));
        static string Text(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var cases = new JsonArray();
        var expected = new List<string>();
        for (var i = 0; i < 6000; i++)
        {
            var (a, b) = (Date(), Date());
            if (i % 3 == 0 && a.Year is > 1 and < 9990) b = a.AddDays(random.Next(-400, 4000)); // an event near the date: years 0 to 11
            var start = (Runtime.WindowStart)(i % 3);
            var months = random.Next(4) == 0 ? random.Next(-120000, 120000) : random.Next(-30, 30);
            var years = random.Next(0, 12);
            // §30.1: every third case counts in a year that starts on another day (1 July, 1 April, 29 February excluded).
            var yearStart = (i / 3 % 3) switch { 0 => default, 1 => new Runtime.YearStart(7, 1), _ => new Runtime.YearStart(1 + random.Next(12), 1 + random.Next(28)) };
            cases.Add(new JsonArray(Text(a), Text(b), start.ToString(), months, years, yearStart.ToString()));
            expected.Add(string.Join(" ", Runtime.EventWindows.Year(a, b, start, yearStart).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Text(Runtime.EventWindows.AddMonths(a, months)), Text(Runtime.EventWindows.AddYears(a, years)),
                yearStart.YearOf(a).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        var script = _dir.Write("runtime.js", JsEmitter.Runtime);
        var input = _dir.Write("dates.json", cases.ToJsonString());
        var runner = _dir.Write("dates.js", """
            const PD = require(process.argv[2]);
            const cases = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
            process.stdout.write(JSON.stringify(cases.map(([a, b, start, months, years, yearStart]) =>
              PD.windowYear(a, b, start, yearStart) + " " + PD.addMonths(a, months) + " " + PD.addYears(a, years) + " " + PD.yearOf(a, yearStart))));
            """);
        var got = JsonSerializer.Deserialize<List<string>>(JsDifferential.Run("node", [runner, script, input]))!;
        var diffs = expected.Select((e, i) => (e, g: got[i], c: cases[i]!.ToJsonString())).Where(x => x.e != x.g).Select(x => x.c + ": .NET " + x.e + ", JavaScript " + x.g).ToList();
        Assert.True(diffs.Count == 0, diffs.Count + " of " + expected.Count + " differ, the first:\n" + string.Join("\n", diffs.Take(10)));
    }

    /// <summary>The runtime's decimal against System.Decimal itself: value and scale of +, -, ×, ÷ on random operands (ties and overflows included).</summary>
    [Fact]
    public void Runtime_decimal_arithmetic_is_system_decimal_digit_for_digit()
    {
        var random = new Random(20261202);
        decimal Operand()
        {
            var digits = random.Next(1, 30);
            var text = string.Concat(Enumerable.Range(0, digits).Select(i => (char)('0' + (i == 0 ? random.Next(1, 10) : random.Next(10)))));
            var mantissa = System.Numerics.BigInteger.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            while (mantissa > new System.Numerics.BigInteger(decimal.MaxValue)) mantissa /= 10;
            var scale = (byte)random.Next(0, 29);
            var bits = mantissa.ToByteArray();
            Array.Resize(ref bits, 12);
            return new decimal(BitConverter.ToInt32(bits, 0), BitConverter.ToInt32(bits, 4), BitConverter.ToInt32(bits, 8), random.Next(4) == 0, scale);
        }
        string Exact(Func<decimal> op)
        {
            try { return op().ToString(System.Globalization.CultureInfo.InvariantCulture); }
            catch (OverflowException) { return "overflow"; }
        }
        var cases = new JsonArray();
        var expected = new List<string>();
        string[] ops = ["+", "-", "*", "/", "round"];
        for (var i = 0; i < 4000; i++)
        {
            var (a, b) = (Operand(), Operand());
            if (b == 0m) b = 7m;
            if (i % 5 == 0) b = new decimal(random.Next(1, 9) * (random.Next(2) == 0 ? 5 : 25), 0, 0, false, (byte)random.Next(0, 3)); // ties when halving
            var op = ops[i % ops.Length];
            cases.Add(new JsonArray(op, a.ToString(System.Globalization.CultureInfo.InvariantCulture), b.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            expected.Add(op switch
            {
                "+" => Exact(() => a + b),
                "-" => Exact(() => a - b),
                "*" => Exact(() => a * b),
                "/" => Exact(() => a / b),
                _ => Exact(() => Runtime.AwardRounding.Round(Math.Abs(a), Math.Abs(b), (Runtime.RoundingMode)(i % 3))),
            });
        }
        var script = _dir.Write("runtime.js", JsEmitter.Runtime);
        var input = _dir.Write("ops.json", cases.ToJsonString());
        var runner = _dir.Write("ops.js", """
            const PD = require(process.argv[2]);
            const ops = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
            const out = ops.map(([op, x, y], i) => {
              const a = PD.parse(x), b = PD.parse(y);
              const abs = (d) => PD.D(d.m < 0n ? -d.m : d.m, d.s);
              try {
                const r = op === "+" ? PD.add(a, b) : op === "-" ? PD.sub(a, b) : op === "*" ? PD.mul(a, b) : op === "/" ? PD.div(a, b) : PD.round(abs(a), abs(b), i % 3);
                return PD.raw(r);
              } catch (e) { if (e instanceof PD.Overflow) return "overflow"; throw e; }
            });
            process.stdout.write(JSON.stringify(out));
            """);
        var got = JsonSerializer.Deserialize<List<string>>(JsDifferential.Run("node", [runner, script, input]))!;
        var diffs = expected.Select((e, i) => (e, g: got[i], c: cases[i]!.ToJsonString())).Where(x => x.e != x.g).Select(x => x.c + ": .NET " + x.e + ", JavaScript " + x.g).ToList();
        static string Value(string s) => s == "overflow" ? s : decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture).ToString("0.############################", System.Globalization.CultureInfo.InvariantCulture);
        var valueDiffs = expected.Select((e, i) => (e, g: got[i], c: cases[i]!.ToJsonString())).Where(x => Value(x.e) != Value(x.g)).Select(x => x.c + ": .NET " + x.e + ", JavaScript " + x.g).ToList();
        Assert.True(valueDiffs.Count == 0, valueDiffs.Count + " values of " + expected.Count + " differ, the first:\n" + string.Join("\n", valueDiffs.Take(10)));
        // The scale (trailing zeros) too, shown in a bound fact's text: equal but for a product that underflows to 0 (documented in §28).
        var scaleDiffs = expected.Select((e, i) => (e, g: got[i], c: cases[i]!.ToJsonString())).Where(x => x.e != x.g && Value(x.e) != "0").Select(x => x.c + ": .NET " + x.e + ", JavaScript " + x.g).ToList();
        Assert.True(scaleDiffs.Count == 0, scaleDiffs.Count + " of " + expected.Count + " differ in scale, the first:\n" + string.Join("\n", scaleDiffs.Take(10)));
        Assert.True(diffs.Count < expected.Count / 100, diffs.Count + " zeros differ in scale");
    }
}
