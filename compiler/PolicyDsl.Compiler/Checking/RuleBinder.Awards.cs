using System.Globalization;
using PolicyDsl.Diagnostics;
using PolicyDsl.Model;
using PolicyDsl.Plan;
using PolicyDsl.Syntax;
using PolicyDsl.Text;
using M = PolicyDsl.Model;
using S = PolicyDsl.Syntax;

namespace PolicyDsl.Checking;

// The award, its caps and the bounds proven over them.
internal sealed partial class RuleBinder
{
    private bool _capFailed;

    private Award BindAward(EquatableArray<StatementSyntax> items)
    {
        var lines = items.Where(i => i is AwardSyntax or CaseByCaseSyntax).ToList();
        if (lines.Count == 0)
        {
            Report(DiagnosticCatalog.MissingAward, _syntax.Name.Span, RuleName, "no award line");
            return new Award(null, null, _syntax.Name.Span);
        }
        for (var i = 1; i < lines.Count; i++)
            Report(DiagnosticCatalog.DuplicateLine, lines[i].Span, "'award'", "rule " + RuleName, _d.Line(lines[0].Span));
        switch (lines[0])
        {
            case CaseByCaseSyntax cbc:
                // §27.11: "based on RULE" builds on another rule's award: the base is that rule's award, decided case by case.
                if (cbc.Base is NameExpression { Name: var baseRule } && baseRule.Text != RuleName && _scope.GetValueOrDefault(baseRule.Text) is null
                    && _checker.HasRule(baseRule.Text))
                    return new Award(null, cbc.Reason.Value, cbc.Span, CaseByCaseBaseRule: baseRule.Text);
                return new Award(null, cbc.Reason.Value, cbc.Span, cbc.Base is null ? null : BindExpression(cbc.Base));
            case AwardSyntax a:
            {
                var formula = BindExpression(a.Amount);
                if (formula is not null && formula.Unit != AwardUnit)
                {
                    Report(DiagnosticCatalog.AwardNotInAwardUnit, a.Amount.Span, RuleName, formula.Unit, AwardUnit);
                    formula = null;
                }
                return new Award(formula, null, a.Span);
            }
            default:
                return new Award(null, null, lines[0].Span);
        }
    }

    private Cap? BindCap(CapSyntax c, DateRange? ruleValidity)
    {
        // "上限 10 万元 每 人" (单人最高10万元) reads as a rate per person, but a cap's limit is an amount: it is a cap per person.
        if (c.Scope is null && c.Limit is RateExpression { Full: false, Per: { Value: 1m, Unit: { Names: [{ Name: "persons" }], Per.IsEmpty: true } } } perPerson)
            c = c with { Limit = new QuantityExpression(perPerson.Amount, perPerson.Amount.Span), Scope = S.CapScope.Person };
        // "cap 3000 万元 per 3 years" without a scope reads as a rate per 3 years; it is an N-year period with no scope to
        // keep its total (§30.2, PDSL0321), not an amount per unit of time.
        if (c.Scope is null && c.Period is null && c.Limit is RateExpression { Full: false, Per: { Value: var n, Unit: { Names: [{ Name: "years" or "year" or "年" }], Per.IsEmpty: true } } } perYears
            && n == decimal.Truncate(n) && n is >= 1 and <= int.MaxValue)
        {
            Report(DiagnosticCatalog.PeriodWithoutScope, c.Span, RuleName, "per " + _checker.TextOf(perYears.Per.Span), "no scope");
            c = c with { Limit = new QuantityExpression(perYears.Amount, perYears.Amount.Span) };
        }
        _inCap = true;
        var limit = BindExpression(c.Limit);
        _inCap = false;
        if (limit is not null && limit.Unit != AwardUnit)
        {
            Report(DiagnosticCatalog.UnitMismatch, c.Limit.Span, $"The cap of rule {RuleName}", AwardUnit, limit.Unit);
            limit = null;
        }
        if (limit is null)
        {
            _capFailed = true; // already reported; "no cap limits it" would only echo that
            return null;
        }
        var scope = c.Scope switch
        {
            null or S.CapScope.Application => CapScope.Application,
            S.CapScope.Enterprise => CapScope.Enterprise,
            S.CapScope.Project => CapScope.Project,
            S.CapScope.Certification => CapScope.Certification,
            S.CapScope.Item => CapScope.Item,
            S.CapScope.Platform => CapScope.Platform,
            S.CapScope.Township => CapScope.Township,
            _ => CapScope.Person,
        };
        // A period counts a running total, which only a scope has: "cap 100 yuan cumulative" alone would
        // silently limit each application, not the total (docs/semantics.md §8).
        if (c.Period is { } written && scope == CapScope.Application)
            Report(DiagnosticCatalog.PeriodWithoutScope, c.Span, RuleName,
                written == S.CapPeriod.PerYear ? "per year" : written == S.CapPeriod.Years ? "per " + _checker.TextOf(c.Years!.Span) : "cumulative",
                c.Scope is null ? "no scope" : "'per application'");
        var period = c.Period switch { S.CapPeriod.PerYear => CapPeriod.PerYear, S.CapPeriod.Years => CapPeriod.Years, _ => CapPeriod.Cumulative };
        var (years, rolling, fromYear) = (1, false, 0);
        if (c.Years is { } y)
        {
            // §30.2: per N years — fixed blocks from a first year (the cap's 'from', else the year the validity starts in) or rolling.
            years = y.Years.Value;
            rolling = y.Rolling;
            if (years is < 2 or > 100)
            {
                Report(DiagnosticCatalog.CapYearsOutOfRange, y.Years.Span, RuleName, years.ToString(CultureInfo.InvariantCulture));
                years = Math.Clamp(years, 2, 100);
            }
            if (y.Rolling && y.From is { } stated)
                Report(DiagnosticCatalog.RollingCapWithStart, stated.Span, RuleName, years.ToString(CultureInfo.InvariantCulture), stated.Value.ToString(CultureInfo.InvariantCulture));
            else if (!y.Rolling && y.From is { } from)
            {
                if (from.Value is < 1 or > 9999)
                    Report(DiagnosticCatalog.CapStartOutOfRange, from.Span, RuleName, from.Value.ToString(CultureInfo.InvariantCulture));
                fromYear = Math.Clamp(from.Value, 1, 9999);
            }
            else if (!y.Rolling)
            {
                if ((ruleValidity ?? _checker.Validity) is { } v) fromYear = _yearStart.YearOf(v.From);
                else Report(DiagnosticCatalog.FixedCapWithoutStart, y.Span, RuleName, years.ToString(CultureInfo.InvariantCulture));
            }
        }
        // A written limit of 0 or less (-5 is a negated constant); a computed limit may reach 0 for some keys and stays allowed.
        if (limit is ConstantExpr or NegateExpr { Operand: ConstantExpr } && limit.Range.High is { } high && high <= 0m)
        {
            // A cap that can never be positive pays nothing: "cap 0 yuan" or "cap -5 yuan" is a mistake, not a limit.
            Report(DiagnosticCatalog.NonPositiveCap, c.Limit.Span, RuleName, Quantity.Format(high, AwardUnit));
            _capFailed = true;
            return null;
        }
        // §24.9: a limit read from a table or parameter written in 万元 (亿元) is stated in it: "at most 500 wan-yuan per project".
        var limitTable = limit switch
        {
            TableLookup t => _writtenUnits.GetValueOrDefault(t.Table),
            ParamRef r => _writtenUnits.GetValueOrDefault(r.Name),
            _ => null,
        };
        var limitWritten = limitTable is { } wu && (wu == Unit.WanYuan || wu == Unit.YiYuan) && wu.Base == AwardUnit.Base && wu.Scale != AwardUnit.Scale ? wu : null;
        // A shared total is one running total of several rules (§24.2): it needs a scope to keep it, and a written amount
        // that every rule sharing it states alike (checked across rules by the policy checker).
        if (c.Shared is { } shared && scope == CapScope.Application)
        {
            Report(DiagnosticCatalog.SharedCapWithoutScope, c.Shared.Span, RuleName, shared.Text);
            return new Cap(limit, scope, period, c.Span) { Years = years, Rolling = rolling, FromYear = fromYear, LimitWritten = limitWritten };
        }
        return new Cap(limit, scope, period, c.Span, c.Shared?.Text) { Years = years, Rolling = rolling, FromYear = fromYear, LimitWritten = limitWritten };
    }

    private Rounding? BindRounding(RoundSyntax? r)
    {
        if (r is null) return null;
        var step = _checker.QuantityIn(r.Step, AwardUnit, $"The rounding step of rule {RuleName}", _d);
        if (step is null) return null;
        if (step <= 0)
        {
            Report(DiagnosticCatalog.InvalidRounding, r.Step.Span, RuleName, Quantity.Format(step.Value, AwardUnit), AwardUnit);
            return null;
        }
        if (_checker.MinorUnitOf(AwardUnit) is { } minor && step.Value % minor != 0m)
        {
            Report(DiagnosticCatalog.RoundingBelowMinorUnit, r.Step.Span, RuleName, Quantity.Format(step.Value, AwardUnit), Quantity.Format(minor, AwardUnit));
            return null;
        }
        var direction = r.Direction switch
        {
            S.RoundingDirection.Down => M.RoundingDirection.Down,
            S.RoundingDirection.Up => M.RoundingDirection.Up,
            _ => M.RoundingDirection.HalfUp,
        };
        return new Rounding(direction, step.Value, r.Span);
    }

    private EquatableArray<decimal> BindInstalments(InstalmentsSyntax? i)
    {
        if (i is null) return EquatableArray<decimal>.Empty;
        var parts = new List<decimal>();
        foreach (var p in i.Parts)
        {
            var fraction = _checker.QuantityIn(p, Unit.Percent, $"An instalment of rule {RuleName}", _d);
            if (fraction is null) return EquatableArray<decimal>.Empty;
            parts.Add(fraction.Value);
        }
        var sum = parts.Sum();
        if (sum != 1m)
            Report(DiagnosticCatalog.InstalmentsNotHundred, i.Span, RuleName, Quantity.Format(sum * 100m, Unit.Dimensionless) + "%");
        return parts.ToEquatableArray();
    }

    private DateRange? BindValidity(EffectiveSyntax? e)
    {
        if (e is null) return null;
        var range = _checker.BindDateRange(e, _d);
        if (range is not null && _checker.Validity is { } policy && (range.From < policy.From || range.Through > policy.Through))
            Report(DiagnosticCatalog.WindowOutsidePolicy, e.Span, RuleName, range, policy);
        return range;
    }

    // ---------- bounds ----------

    /// <summary>A fixed amount, table cell, band case or parameter value above a cap that applies to it is an error at that value (the plan says which caps apply).</summary>
    private void CheckAmountsAgainstCaps(M.Rule rule)
    {
        foreach (var above in CapsOfAmounts.AboveCaps(AwardUnit, rule))
        {
            if (!above.IsParameterValue)
                Report(DiagnosticCatalog.AmountAboveCap, above.Span, RuleName, Quantity.Format(above.Value, AwardUnit), above.KeyText, above.CapText, Quantity.Format(above.Limit, AwardUnit));
            else if (_checker.RulesSink is { } sink && _aboveCap.Add(above.Span))
                sink.Report(DiagnosticCatalog.ValueAboveCap, above.Span, RuleName, Quantity.Format(above.Value, AwardUnit), above.KeyText, above.CapText);
        }
    }

    /// <summary>A yearly cap above the cumulative cap of the same scope can never bind.</summary>
    private void CheckEnclosingCaps(M.Rule rule, List<Cap> caps)
    {
        foreach (var inner in caps.Where(c => c.Scope != CapScope.Application && c.Period == CapPeriod.PerYear))
        {
            foreach (var outer in caps.Where(c => c.Scope == inner.Scope && c.Period is CapPeriod.Cumulative or CapPeriod.Years))
            {
                if (inner.Limit.Range.Low is { } innerLow && CapsOfAmounts.Highest(rule, outer.Limit) is { } outerHigh && innerLow > outerHigh)
                    Report(DiagnosticCatalog.CapAboveEnclosingCap, inner.Span, RuleName, PlanTexts.Cap(AwardUnit, inner, innerLow), PlanTexts.Cap(AwardUnit, outer, outerHigh));
            }
        }
    }

    /// <summary>min(formula's upper bound, every cap's upper bound), never below 0, rounded as the rule says.</summary>
    private decimal? ProvenMaximum(Award award, List<Cap> caps, string? uncapped, Rounding? rounding)
    {
        decimal? high = award.Formula?.Range.High;
        var formulaUnbounded = award.Formula is not null && high is null;
        if (award.Formula is null) high = null;
        foreach (var cap in caps)
            if (cap.Limit.Range.High is { } limit) high = high is null ? limit : Math.Min(high.Value, limit);
        if (award.Formula is null && award.CaseByCaseReason is null) return null; // no award: reported already
        if (high is null)
        {
            if (formulaUnbounded && uncapped is null && !_capFailed)
                Report(DiagnosticCatalog.UnboundedAward, award.Formula!.Span, RuleName, award.Formula.Range + " " + AwardUnit);
            return null;
        }
        var max = Math.Max(0m, high.Value);
        if (rounding is not null)
        {
            try
            {
                // Rounding never lifts an award above a cap (the plan's one statement of it).
                max = RoundingStep.Apply(rounding, max, caps.Select(c => c.Limit.Range.High).Where(h => h is not null).Min());
            }
            catch (OverflowException) { } // too large to round: the unrounded bound is the best we have
        }
        return max / 1.000000000000000000000000000000000m; // drop trailing zeros: 500000.00 → 500000
    }
}
