using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using PolicyDsl.Checking;
using PolicyDsl.Emit;

namespace PolicyDsl.Bench.Compile;

/// <summary>
/// Parse, check and emit of the Tongzhou sample and of synthetic policies of 100, 1,000 and 10,000
/// clauses. Ratios are to Parse of the same input; the MB/s column is the input's UTF-8 size (policy +
/// rules) over the mean time, i.e. parse throughput on the Parse rows.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class CompileBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn());
    }

    [Params(Inputs.Tongzhou, "100", "1000", "10000")]
    public string Size { get; set; } = Inputs.Tongzhou;

    private string _policyText = "", _rulesText = "";
    private ParsedSource _policy = null!, _rules = null!;
    private Compilation _checked = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_policyText, _rulesText) = Inputs.Get(Size);
        _policy = ParsedSource.Parse(Inputs.PolicyPath(Size), _policyText);
        _rules = ParsedSource.Parse(Inputs.RulesPath(Size), _rulesText);
        _checked = PolicyCompiler.Compile(_policy, _rules);
        if (_checked.HasErrors || _checked.Policy is null)
            throw new InvalidOperationException(Size + " does not check clean: " + string.Join("; ", _checked.Errors.Take(5)));
    }

    [Benchmark(Baseline = true)]
    public object Parse() => (ParsedSource.Parse(Inputs.PolicyPath(Size), _policyText), ParsedSource.Parse(Inputs.RulesPath(Size), _rulesText));

    [Benchmark]
    public Compilation Check() => PolicyCompiler.Compile(_policy, _rules);

    [Benchmark]
    public string Emit() => CSharpEmitter.Emit(_checked.Policy!);

    [Benchmark(Description = "Parse+Check+Emit")]
    public string All()
    {
        var compilation = PolicyCompiler.Compile(ParsedSource.Parse(Inputs.PolicyPath(Size), _policyText), ParsedSource.Parse(Inputs.RulesPath(Size), _rulesText));
        return CSharpEmitter.Emit(compilation.Policy!);
    }

    /// <summary>Input MB (policy + rules, UTF-8) per second of the row's mean.</summary>
    private sealed class ThroughputColumn : IColumn
    {
        public string Id => "PolicyDsl.MBps";
        public string ColumnName => "Input MB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "UTF-8 megabytes of the policy and rules files per second of Mean (parse throughput on the Parse rows)";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } stats) return "-";
            var size = (string)benchmarkCase.Parameters["Size"];
            var seconds = stats.Mean / 1e9;
            return (Inputs.Bytes(size) / 1e6 / seconds).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
