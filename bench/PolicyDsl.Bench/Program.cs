using BenchmarkDotNet.Running;
using PolicyDsl.Bench.Evaluation;

namespace PolicyDsl.Bench;

/// <summary>
/// The benchmark exe. Modes:
///   synth N DIR        write the synthetic policy of N clauses (and its rules file) to DIR
///   check              check that all evaluation implementations agree on 10,000 applications
///   count IMPL PASSES  evaluate the applications PASSES times with one implementation (for callgrind instruction counts)
///   probe-emit SIZE..  how much of emit is the checked model's linear per-rule lookups
///   csv N FILE [--shuffle]  write the 10-rule applications CSV of N enterprises for bench/eval-scale.sh
///   parse FILE         the parse-only floor of bench/eval-scale.sh
///   emit SIZE FILE     write the generated C# of an input (Tongzhou or a clause count) to FILE (to compare emitter outputs)
///   phases SIZE..      one run per size, each phase timed apart (parse, check, plan, emit), to find a super-linear pass
///   peers DIR [N]      the applications, their exact awards and the JavaScript back end's program for the node peers (bench/publicodes.sh)
///   peers-time [ROUNDS] the generated classes and RulesEngine timed with the node peers' protocol (bench/publicodes.sh)
///   scale              stopwatch run: parse + check + emit of synthetic policies (100 .. 10,000 clauses)
///   (anything else)    BenchmarkDotNet (BenchmarkSwitcher arguments: --filter, --job short, ...)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "synth")
        {
            var clauses = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
            Directory.CreateDirectory(args[2]);
            var (policy, rules) = Compile.SyntheticPolicy.Generate(clauses);
            File.WriteAllText(Path.Combine(args[2], $"synthetic-{clauses}.policy"), policy);
            File.WriteAllText(Path.Combine(args[2], $"synthetic-{clauses}.rules"), rules);
            return 0;
        }
        if (args.Length == 1 && args[0] == "check")
        {
            Console.WriteLine(Agreement.Check(ApplicationGenerator.Generate(EvaluationBenchmarks.Applications), new RulesEngineEval()));
            return 0;
        }
        if (args.Length == 3 && args[0] == "count")
            return Experiments.InstructionCount.Run(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        if (args.Length >= 2 && args[0] == "probe-emit") return Experiments.EmitProbe.Run(args.Skip(1).ToArray());
        if (args.Length is 3 or 4 && args[0] == "csv")
            return EvalFiles.WriteCsv(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2], args.Length == 4 && args[3] == "--shuffle");
        if (args.Length is 2 or 3 && args[0] == "peers")
            return PeerFiles.Write(args[1], args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : EvaluationBenchmarks.Applications);
        if (args.Length is 1 or 2 && args[0] == "peers-time")
            return PeerFiles.Time(args.Length == 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7);
        if (args.Length == 2 && args[0] == "parse") return EvalFiles.Parse(args[1]);
        if (args.Length == 3 && args[0] == "emit")
        {
            var (policyText, rulesText) = Compile.Inputs.Get(args[1]);
            var compilation = Checking.PolicyCompiler.Compile(ParsedSource.Parse(Compile.Inputs.PolicyPath(args[1]), policyText), ParsedSource.Parse(Compile.Inputs.RulesPath(args[1]), rulesText));
            File.WriteAllText(args[2], Emit.CSharpEmitter.Emit(compilation.Policy!));
            return 0;
        }
        if (args.Length == 2 && args[0] == "opcount") return Experiments.OperationCount.Run(args[1]);
        if (args.Length >= 2 && args[0] == "phases") return Compile.PhaseRun.Run(args.Skip(1).ToArray());
        if (args.Length >= 1 && args[0] == "scale") return Compile.ScaleRun.Run(args.Skip(1).ToArray());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
