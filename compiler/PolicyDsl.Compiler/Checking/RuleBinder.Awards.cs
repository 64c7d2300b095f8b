using PolicyDsl.Diagnostics;
using PolicyDsl.Model;
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

    private Cap? BindCap(CapSyntax c)
    {
        // "上限 10 万元 每 人" (单人最高10万元) reads as a rate per person, but a cap's limit is an amount: it is a cap per person.
        if (c.Scope is null && c.Limit is RateExpression { Full: false, Per: { Value: 1m, Unit: { Names: [{ Name: "persons" }], Per.IsEmpty: true } } } perPerson)
            c = c with { Limit = new QuantityExpression(perPerson.Amount, perPerson.Amount.Span), Scope = S.CapScope.Person };
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
            _ => CapScope.Person,
        };
        // A period counts a running total, which only a scope has: "cap 100 yuan cumulative" alone would
        // silently limit each application, not the total (docs/semantics.md §8).
        if (c.Period is { } written && scope == CapScope.Application)
            Report(DiagnosticCatalog.PeriodWithoutScope, c.Span, RuleName, written == S.CapPeriod.PerYear ? "per year" : "cumulative",
                c.Scope is null ? "no scope" : "'per application'");
        var period = c.Period == S.CapPeriod.PerYear ? CapPeriod.PerYear : CapPeriod.Cumulative;
        if (limit.Range.High is { } high && high <= 0m)
        {
            // A cap that can never be positive pays nothing: "cap 0 yuan" or "cap -5 yuan" is a mistake, not a limit.
            Report(DiagnosticCatalog.NonPositiveCap, c.Limit.Span, RuleName, Quantity.Format(high, AwardUnit));
            _capFailed = true;
            return null;
        }
        return new Cap(limit, scope, period, c.Span);
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

    /// <summary>The amounts an award can be, directly: a constant, a table cell, a band case or a parameter value.</summary>
    private static IEnumerable<Expr> Leaves(Expr e) => e switch
    {
        M.ConditionalExpr c => Leaves(c.WhenTrue).Concat(Leaves(c.WhenFalse)),
        ConstantExpr or TableLookup or ParamRef or BandLookup => new[] { e },
        _ => Array.Empty<Expr>(),
    };

    /// <summary>The most a cap's limit can be once the lookup keys are fixed (null: no finite bound).</summary>
    private decimal? LimitAt(Expr limit, IReadOnlyDictionary<string, string> keys)
    {
        switch (limit)
        {
            case ConstantExpr c:
                return c.Value;
            case TableLookup t when _scope.GetValueOrDefault(t.Table) is TableSymbol ts && TableKeys.At(t.Keys, keys) is { } k:
                return CellsOf(ts.Table).TryGetValue(string.Join(",", k), out var cell) ? cell : limit.Range.High;
            case ParamRef p when _scope.GetValueOrDefault(p.Name) is ParamSymbol ps && TableKeys.At(p.Keys, keys) is { } k && !ps.Parameter.Values.IsEmpty:
                return ps.Parameter.Find(k)?.Value ?? limit.Range.High;
            default:
                return limit.Range.High;
        }
    }

    // Table cells by joined key, built once per table (a lookup per cell must not make the check quadratic).
    private readonly Dictionary<string, Dictionary<string, decimal>> _cells = new(StringComparer.Ordinal);

    private Dictionary<string, decimal> CellsOf(Table table)
    {
        if (!_cells.TryGetValue(table.Name, out var cells))
        {
            cells = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var c in table.Cells) cells.TryAdd(string.Join(",", c.Keys), c.Value);
            _cells[table.Name] = cells;
        }
        return cells;
    }

    private string DescribeCap(Cap cap, decimal limit)
    {
        var scope = cap.Scope == CapScope.Application ? "per application" : "per " + cap.Scope.ToString().ToLowerInvariant();
        var period = cap.Scope != CapScope.Application && cap.Period == CapPeriod.PerYear ? " per year" : "";
        return $"{Quantity.Format(limit, AwardUnit)} {scope}{period}";
    }

    private static Dictionary<string, string> Assignment(EquatableArray<Expr> keyExprs, IReadOnlyList<string> keys)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keyExprs.Count && i < keys.Count; i++)
            if (keyExprs[i] is FactValueRef f) result[f.Name] = keys[i];
        return result;
    }

    private string KeyText(EquatableArray<string> dimensions, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0) return "";
        var dims = dimensions.Select(d => ((FactSymbol)_scope[d]).Fact).ToList();
        var text = DescribeKeys(dims, keys);
        return (dims.All(d => d.Kind == FactKind.Level) ? " at " : " for ") + text;
    }

    /// <summary>A fixed amount, table cell, band case or parameter value above a cap that applies to it is an error at that value.</summary>
    private void CheckAmountsAgainstCaps(Award award, List<Cap> caps, List<Table> tables, List<Band> bands, List<Parameter> parameters)
    {
        if (award.Formula is null || caps.Count == 0) return;
        var empty = new Dictionary<string, string>();
        foreach (var leaf in Leaves(award.Formula))
        {
            foreach (var cap in caps)
            {
                switch (leaf)
                {
                    case ConstantExpr c when LimitAt(cap.Limit, empty) is { } limit && c.Value > limit:
                        Report(DiagnosticCatalog.AmountAboveCap, c.Span, RuleName, Quantity.Format(c.Value, AwardUnit), "", DescribeCap(cap, limit), Quantity.Format(limit, AwardUnit));
                        break;
                    case TableLookup t when tables.FirstOrDefault(x => x.Name == t.Table) is { } table:
                        foreach (var cell in table.Cells)
                        {
                            if (!CellMatches(t.Keys, cell.Keys)) continue;
                            if (LimitAt(cap.Limit, Assignment(t.Keys, cell.Keys)) is { } limit && cell.Value > limit)
                                Report(DiagnosticCatalog.AmountAboveCap, cell.Span, RuleName, Quantity.Format(cell.Value, AwardUnit),
                                    KeyText(table.Dimensions, cell.Keys), DescribeCap(cap, limit), Quantity.Format(limit, AwardUnit));
                        }
                        break;
                    case BandLookup b when bands.FirstOrDefault(x => x.Name == b.Band) is { } band && LimitAt(cap.Limit, empty) is { } bandLimit:
                        foreach (var bc in band.Cases.Where(bc => bc.Value > bandLimit))
                            Report(DiagnosticCatalog.AmountAboveCap, bc.Span, RuleName, Quantity.Format(bc.Value, AwardUnit), " in a case of band " + band.Name,
                                DescribeCap(cap, bandLimit), Quantity.Format(bandLimit, AwardUnit));
                        break;
                    case ParamRef p when parameters.FirstOrDefault(x => x.Name == p.Name) is { } parameter && _checker.RulesSink is { } sink:
                        foreach (var v in parameter.Values)
                        {
                            if (!CellMatches(p.Keys, v.Keys)) continue;
                            if (LimitAt(cap.Limit, Assignment(p.Keys, v.Keys)) is { } limit && v.Value > limit && _aboveCap.Add(v.Span))
                                sink.Report(DiagnosticCatalog.ValueAboveCap, v.Span, RuleName, Quantity.Format(v.Value, AwardUnit),
                                    KeyText(parameter.Dimensions, v.Keys), DescribeCap(cap, limit));
                        }
                        break;
                }
            }
        }
    }

    private bool CellMatches(EquatableArray<Expr> keyExprs, IReadOnlyList<string> cell)
    {
        for (var k = 0; k < keyExprs.Count && k < cell.Count; k++)
        {
            if (keyExprs[k] is KeyExpr ke && ke.Key != cell[k]) return false;
            if (keyExprs[k] is FactValueRef fr && _scope.GetValueOrDefault(fr.Name) is FactSymbol { Fact.Kind: FactKind.Level } fs &&
                _constraints.TryGetValue(fr.Name, out var c) && fs.Fact.FindMember(cell[k])?.Rank is { } rank && !c.Allows(rank))
                return false;
        }
        return true;
    }

    /// <summary>A yearly cap above the cumulative cap of the same scope can never bind.</summary>
    private void CheckEnclosingCaps(List<Cap> caps)
    {
        var empty = new Dictionary<string, string>();
        foreach (var inner in caps.Where(c => c.Scope != CapScope.Application && c.Period == CapPeriod.PerYear))
        {
            foreach (var outer in caps.Where(c => c.Scope == inner.Scope && c.Period == CapPeriod.Cumulative))
            {
                if (inner.Limit.Range.Low is { } innerLow && LimitAt(outer.Limit, empty) is { } outerHigh && innerLow > outerHigh)
                    Report(DiagnosticCatalog.CapAboveEnclosingCap, inner.Span, RuleName, DescribeCap(inner, innerLow), DescribeCap(outer, outerHigh));
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
                var rounded = rounding.Apply(max);
                // Rounding never lifts an award above a cap: where it would, it rounds down (as the evaluator does).
                var capHigh = caps.Select(c => c.Limit.Range.High).Where(h => h is not null).Min();
                if (capHigh is { } ch && rounded > ch) rounded = (rounding with { Direction = M.RoundingDirection.Down }).Apply(max);
                max = rounded;
            }
            catch (OverflowException) { } // too large to round: the unrounded bound is the best we have
        }
        return max / 1.000000000000000000000000000000000m; // drop trailing zeros: 500000.00 → 500000
    }
}
