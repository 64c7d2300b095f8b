using BenchmarkDotNet.Attributes;
using PolicyDsl.Bench.Evaluation;
using PolicyDsl.Policies.Tongzhou2026;
using PolicyDsl.Runtime;

namespace PolicyDsl.Bench.Experiments;

/// <summary>
/// What limits the generated code against hand-written decimal C#: the generator's output for the ten rules
/// copied (AsEmitted, must time like "Generated, no trace"), and the same text with the edits an emitter change
/// would make (see make-variants.py). Per application, ratios to the hand-written decimal code.
/// </summary>
[MemoryDiagnoser]
public class ExperimentBenchmarks
{
    private Application[] _applications = [];
    private GeneratedFacts[] _facts = [];

    [GlobalSetup]
    public void Setup()
    {
        _applications = ApplicationGenerator.Generate(EvaluationBenchmarks.Applications);
        _facts = _applications.Select(GeneratedFacts.From).ToArray();
        for (var i = 0; i < _facts.Length; i++)
        {
            var hand = HandWritten.Total(_applications[i]);
            if (AsEmittedTotal(in _facts[i]) != hand || NoMoneyTotal(in _facts[i]) != hand || FoldedTotal(in _facts[i]) != hand ||
                NoTryTotal(in _facts[i]) != hand || AmountOnlyTotal(in _facts[i]) != hand)
                throw new InvalidOperationException("variant disagrees with hand-written code on application " + i);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EvaluationBenchmarks.Applications, Description = "Hand-written decimal C#")]
    public decimal HandWrittenDecimal()
    {
        var total = 0m;
        foreach (var a in _applications) total += HandWritten.Total(a);
        return total;
    }

    [Benchmark(OperationsPerInvoke = EvaluationBenchmarks.Applications, Description = "Generated (referenced assembly)")]
    public decimal Generated()
    {
        var total = 0m;
        var facts = _facts;
        for (var i = 0; i < facts.Length; i++) total += Evaluation.Generated.Total(in facts[i]);
        return total;
    }

    [Benchmark(OperationsPerInvoke = EvaluationBenchmarks.Applications, Description = "As emitted (copied text)")]
    public decimal AsEmitted()
    {
        var total = 0m;
        var facts = _facts;
        for (var i = 0; i < facts.Length; i++) total += AsEmittedTotal(in facts[i]);
        return total;
    }

    [Benchmark(OperationsPerInvoke = EvaluationBenchmarks.Applications, Description = "Variant: money ceiling not multiplied")]
    public decimal NoMoney()
    {
        var total = 0m;
        var facts = _facts;
        for (var i = 0; i < facts.Length; i++) total += NoMoneyTotal(in facts[i]);
        return total;
    }

    [Benchmark(OperationsPerInvoke = EvaluationBenchmarks.Applications, Description = "Variant: + conversions folded, sign bit tests")]
    public decimal Folded()
    {
        var total = 0m;
        var facts = _facts;
        for (var i = 0; i < facts.Length; i++) total += FoldedTotal(in facts[i]);
        return total;
    }

    [Benchmark(OperationsPerInvoke = EvaluationBenchmarks.Applications, Description = "Variant: + no try/catch")]
    public decimal NoTry()
    {
        var total = 0m;
        var facts = _facts;
        for (var i = 0; i < facts.Length; i++) total += NoTryTotal(in facts[i]);
        return total;
    }

    [Benchmark(OperationsPerInvoke = EvaluationBenchmarks.Applications, Description = "Variant: + amount returned, not Award")]
    public decimal AmountOnly()
    {
        var total = 0m;
        var facts = _facts;
        for (var i = 0; i < facts.Length; i++) total += AmountOnlyTotal(in facts[i]);
        return total;
    }

    internal static decimal AsEmittedTotal(in GeneratedFacts f) =>
        Experiments.AsEmitted.ShortboardProjectRd(in f.Shortboard, ShortboardProjectRdParameters.FromRules, null).Amount
        + Experiments.AsEmitted.OutageInsurance(in f.Outage, OutageInsuranceParameters.FromRules, null).Amount
        + Experiments.AsEmitted.ProtectionEquipment(in f.Protection, ProtectionEquipmentParameters.FromRules, null).Amount
        + Experiments.AsEmitted.LeasedProtection(in f.Leased, LeasedProtectionParameters.FromRules, null).Amount
        + Experiments.AsEmitted.OverseasExhibition(in f.Exhibition, OverseasExhibitionParameters.FromRules, null).Amount
        + Experiments.AsEmitted.SciProjectRent(in f.Rent, SciProjectRentParameters.FromRules, null).Amount
        + Experiments.AsEmitted.IndustryUniversityCooperation(in f.Cooperation, IndustryUniversityCooperationParameters.FromRules, null).Amount
        + Experiments.AsEmitted.EarlyStageInvestment(in f.EarlyStage, EarlyStageInvestmentParameters.FromRules, null).Amount
        + Experiments.AsEmitted.TourismFairBooth(in f.Fair, TourismFairBoothParameters.FromRules, null).Amount
        + Experiments.AsEmitted.TourGroupVisitors(in f.Visitors, TourGroupVisitorsParameters.FromRules, null).Amount;

    internal static decimal NoMoneyTotal(in GeneratedFacts f) =>
        NoMoneyMultiply.ShortboardProjectRd(in f.Shortboard, ShortboardProjectRdParameters.FromRules, null).Amount
        + NoMoneyMultiply.OutageInsurance(in f.Outage, OutageInsuranceParameters.FromRules, null).Amount
        + NoMoneyMultiply.ProtectionEquipment(in f.Protection, ProtectionEquipmentParameters.FromRules, null).Amount
        + NoMoneyMultiply.LeasedProtection(in f.Leased, LeasedProtectionParameters.FromRules, null).Amount
        + NoMoneyMultiply.OverseasExhibition(in f.Exhibition, OverseasExhibitionParameters.FromRules, null).Amount
        + NoMoneyMultiply.SciProjectRent(in f.Rent, SciProjectRentParameters.FromRules, null).Amount
        + NoMoneyMultiply.IndustryUniversityCooperation(in f.Cooperation, IndustryUniversityCooperationParameters.FromRules, null).Amount
        + NoMoneyMultiply.EarlyStageInvestment(in f.EarlyStage, EarlyStageInvestmentParameters.FromRules, null).Amount
        + NoMoneyMultiply.TourismFairBooth(in f.Fair, TourismFairBoothParameters.FromRules, null).Amount
        + NoMoneyMultiply.TourGroupVisitors(in f.Visitors, TourGroupVisitorsParameters.FromRules, null).Amount;

    internal static decimal FoldedTotal(in GeneratedFacts f) =>
        Experiments.Folded.ShortboardProjectRd(in f.Shortboard, ShortboardProjectRdParameters.FromRules, null).Amount
        + Experiments.Folded.OutageInsurance(in f.Outage, OutageInsuranceParameters.FromRules, null).Amount
        + Experiments.Folded.ProtectionEquipment(in f.Protection, ProtectionEquipmentParameters.FromRules, null).Amount
        + Experiments.Folded.LeasedProtection(in f.Leased, LeasedProtectionParameters.FromRules, null).Amount
        + Experiments.Folded.OverseasExhibition(in f.Exhibition, OverseasExhibitionParameters.FromRules, null).Amount
        + Experiments.Folded.SciProjectRent(in f.Rent, SciProjectRentParameters.FromRules, null).Amount
        + Experiments.Folded.IndustryUniversityCooperation(in f.Cooperation, IndustryUniversityCooperationParameters.FromRules, null).Amount
        + Experiments.Folded.EarlyStageInvestment(in f.EarlyStage, EarlyStageInvestmentParameters.FromRules, null).Amount
        + Experiments.Folded.TourismFairBooth(in f.Fair, TourismFairBoothParameters.FromRules, null).Amount
        + Experiments.Folded.TourGroupVisitors(in f.Visitors, TourGroupVisitorsParameters.FromRules, null).Amount;

    internal static decimal NoTryTotal(in GeneratedFacts f) =>
        Experiments.NoTry.ShortboardProjectRd(in f.Shortboard, ShortboardProjectRdParameters.FromRules, null).Amount
        + Experiments.NoTry.OutageInsurance(in f.Outage, OutageInsuranceParameters.FromRules, null).Amount
        + Experiments.NoTry.ProtectionEquipment(in f.Protection, ProtectionEquipmentParameters.FromRules, null).Amount
        + Experiments.NoTry.LeasedProtection(in f.Leased, LeasedProtectionParameters.FromRules, null).Amount
        + Experiments.NoTry.OverseasExhibition(in f.Exhibition, OverseasExhibitionParameters.FromRules, null).Amount
        + Experiments.NoTry.SciProjectRent(in f.Rent, SciProjectRentParameters.FromRules, null).Amount
        + Experiments.NoTry.IndustryUniversityCooperation(in f.Cooperation, IndustryUniversityCooperationParameters.FromRules, null).Amount
        + Experiments.NoTry.EarlyStageInvestment(in f.EarlyStage, EarlyStageInvestmentParameters.FromRules, null).Amount
        + Experiments.NoTry.TourismFairBooth(in f.Fair, TourismFairBoothParameters.FromRules, null).Amount
        + Experiments.NoTry.TourGroupVisitors(in f.Visitors, TourGroupVisitorsParameters.FromRules, null).Amount;

    internal static decimal AmountOnlyTotal(in GeneratedFacts f) =>
        Experiments.AmountOnly.ShortboardProjectRd(in f.Shortboard, ShortboardProjectRdParameters.FromRules, null)
        + Experiments.AmountOnly.OutageInsurance(in f.Outage, OutageInsuranceParameters.FromRules, null)
        + Experiments.AmountOnly.ProtectionEquipment(in f.Protection, ProtectionEquipmentParameters.FromRules, null)
        + Experiments.AmountOnly.LeasedProtection(in f.Leased, LeasedProtectionParameters.FromRules, null)
        + Experiments.AmountOnly.OverseasExhibition(in f.Exhibition, OverseasExhibitionParameters.FromRules, null)
        + Experiments.AmountOnly.SciProjectRent(in f.Rent, SciProjectRentParameters.FromRules, null)
        + Experiments.AmountOnly.IndustryUniversityCooperation(in f.Cooperation, IndustryUniversityCooperationParameters.FromRules, null)
        + Experiments.AmountOnly.EarlyStageInvestment(in f.EarlyStage, EarlyStageInvestmentParameters.FromRules, null)
        + Experiments.AmountOnly.TourismFairBooth(in f.Fair, TourismFairBoothParameters.FromRules, null)
        + Experiments.AmountOnly.TourGroupVisitors(in f.Visitors, TourGroupVisitorsParameters.FromRules, null);
}
