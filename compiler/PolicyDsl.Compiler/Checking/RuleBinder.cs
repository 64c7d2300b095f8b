using System.Globalization;
using PolicyDsl.Diagnostics;
using PolicyDsl.Model;
using PolicyDsl.Syntax;
using PolicyDsl.Text;
using M = PolicyDsl.Model;
using S = PolicyDsl.Syntax;

namespace PolicyDsl.Checking;

/// <summary>
/// Binds one rule: resolves its names, gives every expression a unit and a proven interval, narrows the
/// facts by what the conditions require, checks caps and amounts against each other, and computes the
/// rule's proven maximum. Reports every independent problem; a failed sub-expression binds to null and
/// its parents stay silent, so one mistake gives one diagnostic.
/// </summary>
internal sealed partial class RuleBinder
{
    private readonly PolicyChecker _checker;
    private readonly RuleSyntax _syntax;
    private readonly int _clause;
    private readonly DiagnosticSink _d;
    private readonly Dictionary<string, Symbol> _scope = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FactConstraint> _constraints = new(StringComparer.Ordinal);
    // The unit each table and parameter is written in (万元), which its values lose in base units: a cap reading one is
    // stated in it (§24.9).
    private readonly Dictionary<string, Unit> _writtenUnits = new(StringComparer.Ordinal);

    // Lets whose value failed to bind (and was reported): a name reading one is not unknown, only unbound.
    private readonly HashSet<string> _failedLets = new(StringComparer.Ordinal);
    private bool _silent; // the first, provisional pass over lets reports nothing
    private readonly List<(TextSpan Span, string Label, string Value, string Max)> _aboveBound = new();
    private readonly HashSet<TextSpan> _aboveCap = new();

    public RuleBinder(PolicyChecker checker, RuleSyntax syntax, int clause)
    {
        _checker = checker;
        _syntax = syntax;
        _clause = clause;
        _d = checker.SinkFor(syntax);
    }

    private string RuleName => _syntax.Name.Text;

    private Unit AwardUnit => _checker.AwardUnit;

    private int _errors; // errors this binder reported, so that a follow-on warning can stay silent

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args)
    {
        if (_silent) return;
        if (descriptor.DefaultSeverity == Severity.Error) _errors++;
        _d.Report(descriptor, span, args);
    }

    /// <summary>An unknown name, with "did you mean" the closest candidate (names in scope, members, rules).</summary>
    private void ReportUnknown(DiagnosticDescriptor descriptor, TextSpan span, string written, IEnumerable<string> candidates, params object?[] args)
    {
        _misspelt = true;
        if (!_silent) _d.ReportUnknown(descriptor, span, written, candidates, args);
    }

    // A misspelt name leaves the fact it meant unread: no "unused fact" warning echoes it.
    private bool _misspelt;

    private void ReportWithHint(DiagnosticDescriptor descriptor, TextSpan span, string? hint, params object?[] args)
    {
        if (!_silent) _d.ReportWithHint(descriptor, span, hint, args);
    }

    /// <summary>
    /// A value's unit as its author wrote it: a fact declared in years reads as "years", not as the
    /// months it is held in.
    /// </summary>
    private string UnitText(Expr e) =>
        e is FactRef f && _scope.GetValueOrDefault(f.Name) is FactSymbol { Fact.Unit: { } declared } ? declared.ToString() : e.Unit.ToString();

    /// <summary>
    /// The fix for two sides of different units where one is a bare number: that number in the other
    /// side's unit ("write 2 years").
    /// </summary>
    private string? UnitHint(Expr left, Expr right, ExpressionSyntax leftSyntax, ExpressionSyntax rightSyntax)
    {
        static bool Bare(ExpressionSyntax s) => s is QuantityExpression { Quantity.Unit: null };
        var (number, other) = Bare(rightSyntax) && !Bare(leftSyntax) ? (rightSyntax, left) : Bare(leftSyntax) && !Bare(rightSyntax) ? (leftSyntax, right) : (null, null);
        if (number is not QuantityExpression q || other is null || other.Unit.IsDimensionless) return null;
        var value = PolicyDsl.Runtime.Award.FormatNumber(q.Quantity.Value);
        return $"the number {value} has no unit: write it as '{value} {UnitText(other)}'";
    }

    public M.Rule Bind(EquatableArray<string> clauseSources)
    {
        var items = _syntax.Items;
        var sources = items.OfType<SourceSyntax>().Select(s => s.Text.Value).ToEquatableArray();
        var notes = items.OfType<NoteSyntax>().Select(s => s.Text.Value).ToEquatableArray();

        // 1. Declarations: facts first (everything else may refer to them), then tables, bands, parameters.
        var facts = new List<Fact>();
        foreach (var f in items.OfType<FactSyntax>())
            if (BindFact(f) is { } fact && Declare(new FactSymbol(fact))) facts.Add(fact);

        // The rule's year (§30.1), then the event window (§27.1), which declares the derived window-year fact and its requirements.
        BindYearStart(items);
        var window = BindWindow(Single(items.OfType<WindowSyntax>().ToList(), "'window'"), facts);
        var windowRequirements = window is null ? new List<Requirement>() : WindowRequirements(window, items).ToList();
        // §27.12: qualifies on a date fact of the rule (after the facts; its condition joins the window's place).
        var qualifies = BindQualifies(Single(items.OfType<QualifiesSyntax>().ToList(), "'qualifies on'"), items, window);
        if (qualifies is { Requirement: { } q }) windowRequirements.Add(q);
        var instalmentsLine = items.OfType<InstalmentsSyntax>().FirstOrDefault();
        var scheduleFacts = DeclareScheduleFacts(instalmentsLine, facts);

        // 2. Conditions, with a provisional (silent) binding of the lets they may read.
        _silent = true;
        BindLets(items);
        var provisional = RangeRequirements(facts).Concat(windowRequirements).Concat(items.OfType<RequiresSyntax>().Select(BindRequirement)).ToList();
        RemoveLets();
        _silent = false;
        NarrowFacts(provisional.Where(r => r is not null).Select(r => r!).ToList());

        var tables = new List<Table>();
        foreach (var t in items.OfType<TableSyntax>())
            if (BindTable(t) is { } table && Declare(new TableSymbol(table))) tables.Add(table);
        var parameters = new List<Parameter>();
        foreach (var p in items.OfType<ParamSyntax>())
            if (BindParameter(p) is { } parameter && Declare(new ParamSymbol(parameter))) parameters.Add(parameter);
        // Bands after parameters: a case may hold a formula reading a parameter (按…的5%—20%).
        var bands = new List<Band>();
        foreach (var b in items.OfType<BandSyntax>())
            if (BindBand(b) is { } band && Declare(band) && band.Lowered is null) bands.Add(band.Band); // a lowered band lives in its uses

        // 3. Lets in order (each may read the ones before it), then the conditions for real.
        var lets = BindLets(items);
        var requirements = RangeRequirements(facts).Concat(windowRequirements)
            .Concat(items.OfType<RequiresSyntax>().Select(BindRequirement).Where(r => r is not null).Select(r => r!)).ToList();

        // 4. The award, caps, rounding, instalments, validity.
        var award = BindAward(items);
        var validity = BindValidity(Single(items.OfType<EffectiveSyntax>().ToList(), "'effective'"));
        var caps = items.OfType<CapSyntax>().Select(c => BindCap(c, validity)).Where(c => c is not null).Select(c => c!).ToList();
        var uncapped = Single(items.OfType<UncappedSyntax>().ToList(), "'uncapped'")?.Reason.Value;
        var rounding = BindRounding(Single(items.OfType<RoundSyntax>().ToList(), "'round'"));
        var instalments = BindInstalments(Single(items.OfType<InstalmentsSyntax>().ToList(), "'instalments'"));
        var schedule = BindSchedule(instalmentsLine, scheduleFacts, instalments, items);

        facts.AddRange(_afterFacts); // §27.10: the other rules' event dates and window years its conditions read
        WarnUnusedFacts(facts, items);

        // 5. Bounds: amounts against caps, caps against enclosing caps, the proven maximum.
        var rule = new M.Rule(
            RuleName, _syntax.Title?.Value, _clause,
            sources.IsEmpty ? clauseSources : sources, notes,
            facts.ToEquatableArray(), parameters.ToEquatableArray(), tables.ToEquatableArray(), bands.ToEquatableArray(),
            lets.ToEquatableArray(), requirements.ToEquatableArray(), award, caps.ToEquatableArray(), uncapped, rounding,
            instalments, validity, null, null, _syntax.Span, window, schedule, _after.Values.ToEquatableArray());
        CheckAmountsAgainstCaps(rule);
        CheckEnclosingCaps(rule, caps);
        // A value above its declared bound is reported unless it is already reported above a cap (one error per value).
        foreach (var (span, label, value, bound) in _aboveBound)
            if (!_aboveCap.Contains(span)) _checker.RulesSink!.Report(DiagnosticCatalog.ValueAboveDeclaredBound, span, label, value, bound);
        if (uncapped is not null)
            foreach (var cap in caps.Where(c => c.Limit.Range.High is not null))
                Report(DiagnosticCatalog.UncappedWithCap, cap.Span, RuleName, cap.Describe());
        var maximum = ProvenMaximum(award, caps, uncapped, rounding);
        decimal? ceiling = maximum is { } max
            ? (_checker.MoneyPerPoint is { } mpp && AwardUnit == Unit.AwardPoints ? SafeMultiply(max, mpp) : max)
            : null;

        return rule with { ProvenMaximum = maximum, MoneyCeiling = ceiling, YearStart = _yearStart, OwnYearStart = _ownYearStart, QualifiesOn = qualifies?.Event };
    }

    // ---------- declarations ----------

    private bool Declare(Symbol symbol)
    {
        if (_scope.TryGetValue(symbol.Name, out var first))
        {
            Report(DiagnosticCatalog.DuplicateName, symbol.Span, symbol.Name, "rule " + RuleName, _d.Line(first.Span));
            return false;
        }
        _scope[symbol.Name] = symbol;
        return true;
    }

    private T? Single<T>(IReadOnlyList<T> lines, string what) where T : StatementSyntax
    {
        for (var i = 1; i < lines.Count; i++)
            Report(DiagnosticCatalog.DuplicateLine, lines[i].Span, what, "rule " + RuleName, _d.Line(lines[0].Span));
        return lines.Count > 0 ? lines[0] : null;
    }

    private Fact? BindFact(FactSyntax f)
    {
        var name = f.Name.Text;
        var description = f.Description?.Value;
        switch (f.Type)
        {
            case QuantityTypeSyntax q:
            {
                var unit = _checker.ResolveUnit(q.Unit, _d);
                if (unit is null) return null;
                decimal? atMost = null, atLeast = null;
                // Numbers are written without a sign, so a declared bound is never negative.
                if (f.AtMost is { } bound && _checker.QuantityIn(bound, unit, $"The bound of fact {name}", _d) is { } b)
                    atMost = b / unit.Scale; // kept in the fact's declared unit, like its values
                if (f.AtLeast is { } lowBound && _checker.QuantityIn(lowBound, unit, $"The lower bound of fact {name}", _d) is { } lb)
                    atLeast = lb / unit.Scale;
                if (atLeast is { } lo && atMost is { } hi && lo > hi)
                {
                    Report(DiagnosticCatalog.EmptyDeclaredRange, f.Span, "Fact " + name, Quantity.Format(lo, unit), Quantity.Format(hi, unit));
                    atLeast = null;
                }
                return new Fact(name, FactKind.Quantity, unit, EquatableArray<Member>.Empty, atMost, description, f.Span, atLeast);
            }
            case YesNoTypeSyntax:
                return new Fact(name, FactKind.YesNo, null, EquatableArray<Member>.Empty, null, description, f.Span);
            case DateTypeSyntax:
                return new Fact(name, FactKind.Date, null, EquatableArray<Member>.Empty, null, description, f.Span);
            case EnumTypeSyntax e:
            {
                var members = new List<Member>();
                var seen = new Dictionary<string, TextSpan>(StringComparer.Ordinal);
                for (var i = 0; i < e.Members.Count; i++)
                {
                    var m = e.Members[i];
                    if (seen.TryGetValue(m.Key.Text, out var firstSpan))
                    {
                        Report(DiagnosticCatalog.DuplicateName, m.Span, m.Key.Text, "fact " + name, _d.Line(firstSpan));
                        continue;
                    }
                    seen[m.Key.Text] = m.Span;
                    // A level's order is its number (level 5 is above level 4); named levels rank by position, last lowest.
                    decimal? rank = e.Ordered
                        ? (m.Key.IsNumber && decimal.TryParse(m.Key.Text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : e.Members.Count - i)
                        : null;
                    members.Add(new Member(m.Key.Text, m.Label?.Value, rank));
                }
                return new Fact(name, e.Ordered ? FactKind.Level : FactKind.OneOf, null, members.ToEquatableArray(), null, description, f.Span);
            }
            default:
                return null;
        }
    }

    /// <summary>The enum facts a table or parameter is indexed by; reports names that are not enum facts.</summary>
    private List<Fact>? Dimensions(EquatableArray<Identifier> names, string owner)
    {
        var result = new List<Fact>();
        var ok = true;
        foreach (var id in names)
        {
            if (!_scope.TryGetValue(id.Text, out var symbol))
            {
                ReportUnknown(DiagnosticCatalog.UnknownName, id.Span, id.Text, _scope.Keys, id.Text, $"a level or one-of fact of rule {RuleName} to index {owner} by");
                ok = false;
            }
            else if (symbol is not FactSymbol { Fact.Kind: FactKind.Level or FactKind.OneOf } fs)
            {
                Report(DiagnosticCatalog.WrongKindOfName, id.Span, id.Text, symbol.KindText, $"a level or one-of fact to index {owner} by");
                ok = false;
            }
            else result.Add(fs.Fact);
        }
        return ok ? result : null;
    }

    private Table? BindTable(TableSyntax t)
    {
        var name = t.Name.Text;
        var dims = Dimensions(t.Dimensions, "table " + name);
        var unit = _checker.ResolveUnit(t.Unit, _d);
        if (dims is null || unit is null) return null;

        var cells = new List<TableCell>();
        var seen = new Dictionary<string, TextSpan>(StringComparer.Ordinal);
        foreach (var c in t.Cases)
        {
            var keys = CheckKeys(c.Keys, dims, "table " + name, c.Span, _d);
            var value = _checker.QuantityIn(c.Value, unit, $"A case of table {name}", _d);
            if (keys is null || value is null) continue;
            var id = string.Join(",", keys);
            if (seen.TryGetValue(id, out var first))
            {
                Report(DiagnosticCatalog.DuplicateLine, c.Span, $"The case {id}", "table " + name, _d.Line(first));
                continue;
            }
            seen[id] = c.Span;
            cells.Add(new TableCell(keys.ToEquatableArray(), value.Value, c.Span));
        }
        var table = new Table(name, dims.Select(d => d.Name).ToEquatableArray(), unit.Base, cells.ToEquatableArray(), t.Span);
        _writtenUnits[name] = unit;

        // Every reachable key needs a cell; a cell the conditions exclude is dead.
        if (TooManyCombinations(dims)) Report(DiagnosticCatalog.MissingTableCell, t.Name.Span, "Table " + name, TooManyText);
        foreach (var combo in KeyCombinations(dims))
            if (!seen.ContainsKey(string.Join(",", combo)) && Reachable(dims, combo, byMembers: true))
                Report(DiagnosticCatalog.MissingTableCell, t.Name.Span, "Table " + name, DescribeKeys(dims, combo));
        foreach (var cell in cells)
            if (!Reachable(dims, cell.Keys))
                Report(DiagnosticCatalog.UnreachableTableCell, cell.Span, DescribeKeys(dims, cell.Keys), "table " + name, RuleName,
                    UnreachableReason(dims, cell.Keys));
        CheckRising(name, dims, cells.Select(c => (c.Keys, c.Value, c.Span)).ToList(), _d, unit.Base);
        return table;
    }

    private BandSymbol? BindBand(BandSyntax b)
    {
        var name = b.Name.Text;
        var unit = _checker.ResolveUnit(b.Unit, _d);
        Fact? fact = null;
        if (!_scope.TryGetValue(b.Fact.Text, out var symbol))
            Report(DiagnosticCatalog.UnknownName, b.Fact.Span, b.Fact.Text, $"a quantity fact of rule {RuleName} for band {name}");
        else if (symbol is not FactSymbol { Fact.Kind: FactKind.Quantity } fs)
            Report(DiagnosticCatalog.WrongKindOfName, b.Fact.Span, b.Fact.Text, symbol.KindText, $"a quantity fact for band {name}");
        else fact = fs.Fact;
        if (unit is null || fact is null) return null;

        // A band of amounts is a Band of the model; a band whose cases hold rates or formulas, and a progressive band,
        // are lowered into expressions of the existing nodes (if … then … else, min, max, sum), so no back end changes.
        var constants = b.Kind == S.BandKind.Whole && b.Cases.All(c => c.Value is QuantityExpression);
        var ranges = new List<(BandBound? Lower, BandBound? Upper, BandCaseSyntax Syntax)>();
        foreach (var c in b.Cases)
        {
            var bounds = Bounds(c, fact, name);
            if (bounds is not null) ranges.Add((bounds.Value.Lower, bounds.Value.Upper, c));
        }
        ranges = ResolveYieldingBounds(ranges, b.Cases);

        var cases = new List<BandCase>();
        var values = new List<(BandCase Case, Expr Value)>();
        foreach (var (lower, upper, c) in ranges)
        {
            if (constants)
            {
                var value = _checker.QuantityIn(((QuantityExpression)c.Value).Quantity, unit, $"A case of band {name}", _d);
                if (value is not null) cases.Add(new BandCase(lower, upper, value.Value, c.Span));
                continue;
            }
            // The case's range counts for overlaps and gaps even when its value is wrong (reported once, at the value).
            var bandCase = new BandCase(lower, upper, 0m, c.Span);
            cases.Add(bandCase);
            var formula = BindExpression(c.Value);
            if (formula is null) continue;
            if (b.Kind == S.BandKind.Progressive && formula is not ConstantExpr)
            {
                Report(DiagnosticCatalog.ProgressiveCaseNotRate, c.Value.Span, name, _checker.TextOf(c.Value.Span));
                continue;
            }
            if (formula.Unit != unit.Base)
            {
                Report(DiagnosticCatalog.UnitMismatch, c.Value.Span, $"A case of band {name}", unit.Base, formula.Unit);
                continue;
            }
            values.Add((bandCase, formula));
        }
        var band = new Band(name, fact.Name, unit.Base, cases.ToEquatableArray(), b.Span);
        CheckBandCoverage(band, fact, progressive: b.Kind == S.BandKind.Progressive);
        if (constants) return new BandSymbol(band);
        var factRef = new FactRef(fact.Name, fact.Unit!.Base, FactRange(fact), b.Fact.Span);
        var lowered = b.Kind == S.BandKind.Progressive ? Progressive(values, factRef, b.Span) : WholeFormula(values, factRef, unit.Base, b.Span);
        return new BandSymbol(band, lowered);
    }

    /// <summary>The two ends of a case, in the fact's base unit; null when a bound is wrong (reported).</summary>
    private (BandBound? Lower, BandBound? Upper)? Bounds(BandCaseSyntax c, Fact fact, string name)
    {
        BandBound? lower = null, upper = null;
        var ok = true;
        foreach (var bound in c.Second is null ? new[] { c.First } : new[] { c.First, c.Second })
        {
            var x = _checker.QuantityIn(bound.Value, fact.Unit!, $"A bound of band {name}", _d);
            if (x is null) { ok = false; continue; }
            switch (bound.Operator)
            {
                case ComparisonOperator.GreaterOrEqual: lower = new BandBound(x.Value, true); break;
                case ComparisonOperator.Greater: lower = new BandBound(x.Value, false); break;
                case ComparisonOperator.LessOrEqual: upper = new BandBound(x.Value, true); break;
                case ComparisonOperator.Less: upper = new BandBound(x.Value, false); break;
                default:
                    Report(DiagnosticCatalog.WrongKindOfName, bound.Span, "=", "an equality", "a bound (>=, >, <=, <) of band " + name);
                    ok = false;
                    break;
            }
        }
        return ok ? (lower, upper) : null;
    }

    /// <summary>
    /// A bare 以上 (X 以上) or 以下 (Y 以下) in a tier list includes its number unless another case of the band includes
    /// that number with a word that does not yield (至 X, X 及以上, &gt;= X, ...): "…至5000万元、5000万元以上至1亿元" puts
    /// 5000万 in the first tier only (docs/semantics.md §12). Two yielding words at one number both include it (and overlap).
    /// </summary>
    private static List<(BandBound? Lower, BandBound? Upper, BandCaseSyntax Syntax)> ResolveYieldingBounds(
        List<(BandBound? Lower, BandBound? Upper, BandCaseSyntax Syntax)> ranges, EquatableArray<BandCaseSyntax> all)
    {
        bool Yields(BandCaseSyntax c, bool lowerEnd) =>
            new[] { c.First, c.Second }.Any(x => x is { Yields: true } y && (y.Operator == ComparisonOperator.GreaterOrEqual) == lowerEnd);
        var result = new List<(BandBound?, BandBound?, BandCaseSyntax)>();
        foreach (var (lower, upper, c) in ranges)
        {
            var lo = lower;
            var hi = upper;
            if (lo is { Inclusive: true } && Yields(c, lowerEnd: true) &&
                ranges.Any(o => !ReferenceEquals(o.Syntax, c) && o.Upper is { Inclusive: true } u && u.Value == lo.Value && !Yields(o.Syntax, lowerEnd: false)))
                lo = lo with { Inclusive = false };
            if (hi is { Inclusive: true } && Yields(c, lowerEnd: false) &&
                ranges.Any(o => !ReferenceEquals(o.Syntax, c) && o.Lower is { Inclusive: true } l && l.Value == hi.Value && !Yields(o.Syntax, lowerEnd: true)))
                hi = hi with { Inclusive = false };
            result.Add((lo, hi, c));
        }
        return result;
    }

    /// <summary>if fact in case 1 then value 1 else if … else 0: a whole-amount band whose cases hold rates or formulas.</summary>
    private static Expr WholeFormula(List<(BandCase Case, Expr Value)> values, FactRef fact, Unit unit, TextSpan span)
    {
        Expr result = new ConstantExpr(0m, unit, Interval.Exactly(0m), span); // a gap pays 0
        for (var i = values.Count - 1; i >= 0; i--)
        {
            var (c, value) = values[i];
            var condition = CaseCondition(c, fact);
            result = condition is null ? value
                : new M.ConditionalExpr(condition, value, result, unit, Interval.Hull(value.Range, result.Range), c.Span);
        }
        return result;
    }

    private static M.Condition? CaseCondition(BandCase c, FactRef fact)
    {
        M.Condition? lower = c.Lower is { } l
            ? new CompareCondition(fact, l.Inclusive ? Comparison.GreaterOrEqual : Comparison.Greater, Constant(l.Value, fact.Unit, c.Span), c.Span) : null;
        M.Condition? upper = c.Upper is { } u
            ? new CompareCondition(fact, u.Inclusive ? Comparison.LessOrEqual : Comparison.Less, Constant(u.Value, fact.Unit, c.Span), c.Span) : null;
        return lower is null ? upper : upper is null ? lower : new M.AndCondition(lower, upper, c.Span);
    }

    private static ConstantExpr Constant(decimal value, Unit unit, TextSpan span) => new(value, unit, Interval.Exactly(value), span);

    /// <summary>
    /// 超额累进: each slice of the fact at its case's rate, sum(rate × max(min(fact, upper) - lower, 0)). The ends'
    /// inclusiveness does not matter here: a slice boundary is a single value, and the slices meet there.
    /// </summary>
    private static Expr Progressive(List<(BandCase Case, Expr Value)> values, FactRef fact, TextSpan span)
    {
        var zero = Constant(0m, fact.Unit, span);
        var terms = new List<Expr>();
        foreach (var (c, rate) in values.OrderBy(v => v.Case.Lower?.Value ?? 0m))
        {
            var low = c.Lower?.Value ?? 0m;
            Expr top = c.Upper is { } u
                ? new FunctionExpr(M.FunctionKind.Min, EquatableArray.Create<Expr>(fact, Constant(u.Value, fact.Unit, c.Span)), fact.Unit,
                    Interval.Min(fact.Range, Interval.Exactly(u.Value)), c.Span)
                : fact;
            var lowConst = Constant(low, fact.Unit, c.Span);
            var over = new BinaryExpr(BinaryKind.Subtract, top, lowConst, false, fact.Unit, top.Range - lowConst.Range, c.Span);
            var slice = new FunctionExpr(M.FunctionKind.Max, EquatableArray.Create<Expr>(over, zero), fact.Unit, Interval.Max(over.Range, zero.Range), c.Span);
            terms.Add(new BinaryExpr(BinaryKind.Multiply, rate, slice, true, rate.Unit * fact.Unit, rate.Range * slice.Range, c.Span));
        }
        if (terms.Count == 0) return Constant(0m, fact.Unit, span);
        if (terms.Count == 1) return terms[0];
        var range = terms.Skip(1).Aggregate(terms[0].Range, (acc, t) => acc + t.Range);
        return new FunctionExpr(M.FunctionKind.Sum, terms.ToEquatableArray(), terms[0].Unit, range, span);
    }

    /// <summary>A fact declared "at least Q" (a stated range, 5%—20%) is required to be at least Q: lowered into a requirement.</summary>
    private IEnumerable<Requirement> RangeRequirements(List<Fact> facts)
    {
        foreach (var f in facts)
        {
            if (f.AtLeast is not { } low || f.Unit is null || SafeMultiply(low, f.Unit.Scale) is not { } baseLow) continue;
            var fact = new FactRef(f.Name, f.Unit.Base, new Interval(0m, f.AtMost is { } am ? SafeMultiply(am, f.Unit.Scale) : null), f.Span);
            var condition = new CompareCondition(fact, Comparison.GreaterOrEqual, Constant(baseLow, f.Unit.Base, f.Span), f.Span);
            yield return new Requirement(condition, $"{f.Name} >= {Quantity.Format(low, f.Unit)} (its declared range)", f.Span);
        }
    }

    /// <summary>A quantity, yes/no or date fact nothing reads is usually a condition the author forgot to write (or one left over).</summary>
    private void WarnUnusedFacts(List<Fact> facts, EquatableArray<StatementSyntax> items)
    {
        if (_misspelt) return;
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            switch (item)
            {
                case FactSyntax or SourceSyntax or NoteSyntax: break;
                case BandSyntax band:
                    used.Add(band.Fact.Text);
                    foreach (var c in band.Cases) Names(c.Value, used);
                    break;
                default: Names(item, used); break;
            }
        }
        // A level or one-of fact nothing reads records the categories the text lists (服务提供商、投资主体) for the
        // reports; an unread quantity, yes/no or date is a condition or a base left out.
        // After an error in the rule the fact may be meant by a misspelt name or a line that did not bind: no echo.
        if (_errors > 0) return;
        // A fact the policy, section or clause states (§24.1) is shared by every rule under it: a rule that does not read it is no slip.
        foreach (var f in facts.Where(f => !f.Derived && f.Name != _window?.History && f.Name != _paidFact && !_afterFacts.Contains(f) && !used.Contains(f.Name) && f.Kind is not (FactKind.Level or FactKind.OneOf) && f.Span.Start >= _syntax.Span.Start))
            Report(DiagnosticCatalog.UnusedFact, f.Span, f.Name, RuleName);
    }

    /// <summary>Every identifier a syntax node mentions (a name, a lookup key, a binding's value).</summary>
    private static void Names(SyntaxNode node, HashSet<string> into)
    {
        switch (node)
        {
            case Identifier id: into.Add(id.Text); return;
            case NameExpression n: into.Add(n.Name.Text); return;
        }
        foreach (var p in node.GetType().GetProperties())
        {
            if (p.Name is "Span" or "EqualityContract") continue;
            var value = p.GetValue(node);
            if (value is SyntaxNode child) Names(child, into);
            else if (value is System.Collections.IEnumerable list and not string)
                foreach (var x in list) if (x is SyntaxNode c) Names(c, into);
        }
    }

    private Parameter? BindParameter(ParamSyntax p)
    {
        var name = p.Name.Text;
        var dims = Dimensions(p.Dimensions, "parameter " + name);
        var unit = _checker.ResolveUnit(p.Unit, _d);
        if (dims is null || unit is null) return null;
        // Values are checked and generated per key combination: more than can be enumerated is an error, not a hang.
        if (TooManyCombinations(dims)) Report(DiagnosticCatalog.MissingTableCell, p.Name.Span, "Parameter " + name, TooManyText);
        decimal? atMost = null, atLeast = null;
        if (p.AtMost is { } bound && _checker.QuantityIn(bound, unit, $"The bound of parameter {name}", _d) is { } b)
            atMost = b;
        if (p.AtLeast is { } lowBound && _checker.QuantityIn(lowBound, unit, $"The lower bound of parameter {name}", _d) is { } lb)
            atLeast = lb;
        if (atLeast is { } lo && atMost is { } hi && lo > hi)
        {
            Report(DiagnosticCatalog.EmptyDeclaredRange, p.Span, "Parameter " + name, Quantity.FormatIn(lo, unit), Quantity.FormatIn(hi, unit));
            atLeast = null;
        }
        var values = _checker.HasImplementation
            ? BindParameterValues(name, dims, unit, atMost, atLeast)
            : EquatableArray<ParameterValue>.Empty;
        _writtenUnits[name] = unit;
        return new Parameter(name, dims.Select(d => d.Name).ToEquatableArray(), unit.Base, atMost, p.Description?.Value, values, p.Span, atLeast);
    }

    /// <summary>The values the implementation rules set for a parameter: keys checked, each set exactly once.</summary>
    private EquatableArray<ParameterValue> BindParameterValues(string name, List<Fact> dims, Unit unit, decimal? atMost, decimal? atLeast)
    {
        var sink = _checker.RulesSink!;
        var values = new List<ParameterValue>();
        var seen = new Dictionary<string, TextSpan>(StringComparer.Ordinal);
        foreach (var set in _checker.SetsFor(RuleName, name))
        {
            var keys = CheckKeys(set.Keys, dims, $"{RuleName}.{name}", set.Span, sink);
            var value = _checker.QuantityIn(set.Value, unit, $"{RuleName}.{name}", sink);
            if (keys is null) continue;
            var id = string.Join(",", keys);
            if (value is null)
            {
                // Set, in the wrong unit (reported): "not set" for these keys would only echo it.
                seen.TryAdd(id, set.Span);
                continue;
            }
            var label = $"{RuleName}.{name}{(keys.Count > 0 ? "[" + id + "]" : "")}";
            if (seen.TryGetValue(id, out var first))
            {
                sink.Report(DiagnosticCatalog.ParameterSetTwice, set.Span, label, sink.Line(first));
                continue;
            }
            seen[id] = set.Span;
            if (atMost is { } max && value > max)
                _aboveBound.Add((set.Value.Span, label, Quantity.FormatIn(value.Value, unit), Quantity.FormatIn(max, unit)));
            if (atLeast is { } min && value < min)
                sink.Report(DiagnosticCatalog.ValueBelowDeclaredBound, set.Value.Span, label, Quantity.FormatIn(value.Value, unit), Quantity.FormatIn(min, unit));
            values.Add(new ParameterValue(keys.ToEquatableArray(), value.Value, set.Value.Span));
        }
        foreach (var combo in KeyCombinations(dims))
        {
            if (seen.ContainsKey(string.Join(",", combo))) continue;
            var keyText = combo.Count > 0 ? "[" + string.Join(", ", combo) + "]" : "";
            sink.Report(DiagnosticCatalog.ParameterNotSet, _checker.ImplementationSpan, RuleName, name,
                combo.Count > 0 ? " for " + DescribeKeys(dims, combo) : "", keyText, _checker.RulesInChinese ? "设定" : "set");
        }
        CheckRising($"{RuleName}.{name}", dims, values.Select(v => (v.Keys, v.Value, v.Span)).ToList(), sink, unit.Base);
        return values.ToEquatableArray();
    }

    /// <summary>Checks written keys against the dimension facts' members; null when any is wrong (reported).</summary>
    private List<string>? CheckKeys(IReadOnlyList<KeySyntax> keys, List<Fact> dims, string owner, TextSpan span, DiagnosticSink sink)
    {
        if (keys.Count != dims.Count)
        {
            var report = sink == _d ? Report : (Action<DiagnosticDescriptor, TextSpan, object?[]>)((d, s, a) => sink.Report(d, s, a));
            report(DiagnosticCatalog.WrongKeyCount, span, new object?[] { owner, dims.Count, string.Join(", ", dims.Select(d => d.Name)), keys.Count });
            return null;
        }
        var result = new List<string>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (dims[i].FindMember(keys[i].Text) is null)
            {
                var expected = "one of " + string.Join(", ", dims[i].Members.Select(m => m.Key)) + " (fact " + dims[i].Name + ")";
                var memberKeys = dims[i].Members.Select(m => m.Key);
                if (sink == _d) ReportUnknown(DiagnosticCatalog.UnknownMember, keys[i].Span, keys[i].Text, memberKeys, keys[i].Text, "fact " + dims[i].Name, string.Join(", ", memberKeys));
                else sink.ReportUnknown(DiagnosticCatalog.UnknownKey, keys[i].Span, keys[i].Text, memberKeys, keys[i].Text, owner, expected);
                return null;
            }
            result.Add(keys[i].Text);
        }
        return result;
    }

    /// <summary>More key combinations than this are not enumerated (hostile input must not hang the checker).</summary>
    private const long MaxCombinations = 100_000;

    private static readonly string TooManyText = string.Create(CultureInfo.InvariantCulture,
        $"each of its more than {MaxCombinations:N0} key combinations (at most {MaxCombinations:N0} can be checked and generated; use fewer or smaller keys)");

    private static bool TooManyCombinations(List<Fact> dims)
    {
        long count = 1;
        foreach (var d in dims) count = Math.Min(count * Math.Max(1, d.Members.Count), MaxCombinations + 1);
        return count > MaxCombinations;
    }

    private static IEnumerable<IReadOnlyList<string>> KeyCombinations(List<Fact> dims) =>
        TooManyCombinations(dims) ? Array.Empty<IReadOnlyList<string>>() : Enumerate(dims);

    private static IEnumerable<IReadOnlyList<string>> Enumerate(List<Fact> dims)
    {
        IEnumerable<IReadOnlyList<string>> combos = new[] { Array.Empty<string>() };
        foreach (var d in dims)
        {
            var members = d.Members;
            combos = combos.SelectMany(c => members.Select(m => (IReadOnlyList<string>)c.Append(m.Key).ToArray()));
        }
        return combos;
    }

    private static string DescribeKeys(List<Fact> dims, IReadOnlyList<string> keys) =>
        string.Join(", ", dims.Zip(keys).Select(p => p.First.Kind == FactKind.Level ? $"level {p.Second}" : p.Second));

    /// <summary>Whether the conditions allow every key of a combination (only level ranks are narrowed).</summary>
    // One-of members the conditions rule out only excuse a missing cell (PDSL0310); a written cell for them is not
    // reported unreachable (a table may list every member the text names).
    private bool Reachable(List<Fact> dims, IReadOnlyList<string> keys, bool byMembers = false)
    {
        for (var i = 0; i < dims.Count; i++)
        {
            if (byMembers && _members.TryGetValue(dims[i].Name, out var allowed) && !allowed.Contains(keys[i])) return false;
            if (dims[i].Kind != FactKind.Level || !_constraints.TryGetValue(dims[i].Name, out var c)) continue;
            if (dims[i].FindMember(keys[i])?.Rank is { } rank && !c.Allows(rank)) return false;
        }
        return true;
    }

    private string UnreachableReason(List<Fact> dims, IReadOnlyList<string> keys)
    {
        for (var i = 0; i < dims.Count; i++)
            if (_members.TryGetValue(dims[i].Name, out var allowed) && !allowed.Contains(keys[i]))
                return $"{dims[i].Name} to be {string.Join(" or ", allowed.Order(StringComparer.Ordinal))}";
        for (var i = 0; i < dims.Count; i++)
            if (dims[i].Kind == FactKind.Level && _constraints.TryGetValue(dims[i].Name, out var c) &&
                dims[i].FindMember(keys[i])?.Rank is { } rank && !c.Allows(rank))
                return $"{dims[i].Name} in {c.Describe(null)}";
        return "otherwise";
    }

    /// <summary>Warns where an amount falls as a level rises (other keys held fixed): usually a typo.</summary>
    private static void CheckRising(string owner, List<Fact> dims, List<(EquatableArray<string> Keys, decimal Value, TextSpan Span)> cells, DiagnosticSink sink, Unit unit)
    {
        for (var d = 0; d < dims.Count; d++)
        {
            if (dims[d].Kind != FactKind.Level) continue;
            var dim = d;
            var groups = cells.GroupBy(c => string.Join(",", c.Keys.Where((_, i) => i != dim)));
            foreach (var group in groups)
            {
                var ordered = group.Select(c => (c, Rank: dims[dim].FindMember(c.Keys[dim])?.Rank ?? 0m)).OrderBy(x => x.Rank).ToList();
                for (var i = 1; i < ordered.Count; i++)
                {
                    var lower = ordered[i - 1];
                    var higher = ordered[i];
                    if (higher.c.Value < lower.c.Value)
                        sink.Report(DiagnosticCatalog.FallingAmounts, higher.c.Span, owner,
                            Quantity.Format(higher.c.Value, unit), $"level {higher.c.Keys[dim]}",
                            Quantity.Format(lower.c.Value, unit), $"level {lower.c.Keys[dim]}");
                }
            }
        }
    }

    private void CheckBandCoverage(Band band, Fact fact, bool progressive = false)
    {
        var cases = band.Cases;
        var unit = fact.Unit!; // shown as the author wrote it (wan-yuan), though held in base units
        // Overlap: two cases share a value when each one's lower end lies below the other's upper end. Sorted by
        // lower end, each case need only be compared with the one reaching furthest so far (n log n, not n²).
        BandCase? reach = null;
        foreach (var c in cases.OrderBy(c => c.Lower?.Value ?? decimal.MinValue).ThenBy(c => c.Lower is { Inclusive: false } ? 1 : 0).ThenBy(c => c.Span.Start))
        {
            if (reach is not null && Overlap(reach, c))
            {
                var (first, second) = reach.Span.Start <= c.Span.Start ? (reach, c) : (c, reach);
                Report(DiagnosticCatalog.OverlappingBands, second.Span, band.Name, $"'{DescribeCase(first, unit)}'", $"'{DescribeCase(second, unit)}'", fact.Name);
            }
            if (reach is null || ReachesFurther(c.Upper, reach.Upper)) reach = c;
        }

        // Gaps over [0, at most]: walk the cases from the lowest and see whether each starts where the last ended.
        var sorted = cases.OrderBy(c => c.Lower?.Value ?? decimal.MinValue).ThenBy(c => c.Lower is { Inclusive: false } ? 1 : 0).ToList();
        // Only values the rule's conditions allow count: a gap that a 'requires' rules out is no gap.
        var range = FactRange(fact);
        var constraint = _constraints.GetValueOrDefault(fact.Name, FactConstraint.None);
        decimal point = range.Low ?? 0m;
        var pointIncluded = !(constraint.LowStrict && constraint.Low == point); // must the next case cover "point" itself?
        decimal? limit = range.High;
        var limitIncluded = !(constraint.HighStrict && constraint.High == limit);
        foreach (var c in sorted)
        {
            if (limit is { } lim && (point > lim || (point == lim && !(pointIncluded && limitIncluded)))) break;
            var covers = c.Lower is null || c.Lower.Value < point || (c.Lower.Value == point && (c.Lower.Inclusive || !pointIncluded));
            if (!covers && c.Upper is { } up0 && up0.Value < point) continue; // entirely below: overlaps report it
            if (!covers)
            {
                var from = (pointIncluded ? ">= " : "> ") + Quantity.FormatIn(point, unit);
                var to = (c.Lower!.Inclusive ? "< " : "<= ") + Quantity.FormatIn(c.Lower.Value, unit);
                Report(DiagnosticCatalog.BandGap, band.Span, band.Name, fact.Name, from + " and " + to);
            }
            if (c.Upper is null) { point = decimal.MaxValue; pointIncluded = false; break; }
            if (c.Upper.Value > point || (c.Upper.Value == point && c.Upper.Inclusive))
            {
                point = c.Upper.Value;
                pointIncluded = !c.Upper.Inclusive;
            }
        }
        if (point != decimal.MaxValue && (limit is not { } l2 || point < l2 || (point == l2 && pointIncluded && limitIncluded)))
            Report(DiagnosticCatalog.BandGap, band.Span, band.Name, fact.Name, (pointIncluded ? ">= " : "> ") + Quantity.FormatIn(point, unit));
    }

    private static bool ReachesFurther(BandBound? a, BandBound? b) =>
        b is not null && (a is null || a.Value > b.Value || (a.Value == b.Value && a.Inclusive && !b.Inclusive));

    private static bool Overlap(BandCase a, BandCase b) => Below(a.Lower, b.Upper) && Below(b.Lower, a.Upper);

    // Does the range starting at "low" begin at or before the range ending at "high" (sharing at least one value)?
    private static bool Below(BandBound? low, BandBound? high) =>
        low is null || high is null || low.Value < high.Value || (low.Value == high.Value && low.Inclusive && high.Inclusive);

    private static string DescribeCase(BandCase c, Unit unit)
    {
        var parts = new List<string>();
        if (c.Lower is { } l) parts.Add((l.Inclusive ? ">= " : "> ") + Quantity.FormatIn(l.Value, unit));
        if (c.Upper is { } u) parts.Add((u.Inclusive ? "<= " : "< ") + Quantity.FormatIn(u.Value, unit));
        return parts.Count == 0 ? "(all)" : string.Join(" and ", parts);
    }

    // ---------- lets, conditions ----------

    private List<Let> BindLets(EquatableArray<StatementSyntax> items)
    {
        var lets = new List<Let>();
        foreach (var l in items.OfType<LetSyntax>())
        {
            var value = BindExpression(l.Value);
            if (value is null)
            {
                _failedLets.Add(l.Name.Text);
                continue;
            }
            if (value is not (FactRef or ConstantExpr or LetRef or ParamRef or TableLookup or BandLookup or FunctionExpr or BinaryExpr or NegateExpr or RateExpr or ConditionalExpr or ToPointsExpr or RuleAwardExpr))
            {
                Report(DiagnosticCatalog.WrongKindOfName, l.Value.Span, l.Name.Text, "not a quantity", "a quantity for a let");
                continue;
            }
            var let = new Let(l.Name.Text, value, l.Span);
            if (Declare(new LetSymbol(let))) lets.Add(let);
        }
        return lets;
    }

    private void RemoveLets()
    {
        foreach (var key in _scope.Where(kv => kv.Value is LetSymbol).Select(kv => kv.Key).ToList()) _scope.Remove(key);
    }

    private Requirement? BindRequirement(RequiresSyntax r)
    {
        var condition = BindCondition(r.Condition);
        return condition is null ? null : new Requirement(condition, _checker.TextOf(r.Condition.Span), r.Span);
    }

    /// <summary>Reads "fact op constant" out of the top-level conjunctions and narrows the facts by it.</summary>
    private void NarrowFacts(List<Requirement> requirements)
    {
        foreach (var r in requirements) NarrowMembers(r.Condition);
        foreach (var r in requirements)
        {
            foreach (var (fact, op, value) in FactConstraint.Atoms(r.Condition, name => (_scope.GetValueOrDefault(name) as FactSymbol)?.Fact))
            {
                _constraints[fact] = _constraints.GetValueOrDefault(fact, FactConstraint.None).And(op, value);
            }
            // Quantity facts are never negative, and "at most" bounds them; a level lies between its ranks.
            foreach (var (fact, c) in _constraints.ToList())
            {
                if (_scope.GetValueOrDefault(fact) is not FactSymbol fs) continue;
                var full = fs.Fact.Kind == FactKind.Quantity
                    ? c.WithLow(0m, false) is var q && fs.Fact.AtMost is { } am ? q.WithHigh(am * fs.Fact.Unit!.Scale, false) : c.WithLow(0m, false)
                    : c;
                var empty = full.IsEmpty || (fs.Fact.Kind == FactKind.Level && !fs.Fact.Members.Any(m => m.Rank is { } rank && full.Allows(rank)));
                if (empty && !_reportedEmpty.Contains(fact))
                {
                    _reportedEmpty.Add(fact);
                    var where = fs.Fact.Kind == FactKind.Level ? $"{full.Describe(null)} and be one of its levels" : full.Describe(fs.Fact.Unit);
                    _d.Report(DiagnosticCatalog.ConditionsNeverHold, r.Span, RuleName, fact, where);
                }
            }
        }
    }

    private readonly HashSet<string> _reportedEmpty = new(StringComparer.Ordinal);

    // The members a one-of fact may take under the conditions (absent: any).
    private readonly Dictionary<string, HashSet<string>> _members = new(StringComparer.Ordinal);

    /// <summary>"x is a", "x is not a", "x is a or x is b" in the top-level conjunctions narrow a one-of fact's members.</summary>
    private void NarrowMembers(M.Condition c)
    {
        if (c is M.AndCondition and) { NarrowMembers(and.Left); NarrowMembers(and.Right); return; }
        if (MembersOf(c) is not { } m || _scope.GetValueOrDefault(m.Fact) is not FactSymbol { Fact.Kind: FactKind.OneOf } fs) return;
        var (fact, keys) = m;
        var allowed = _members.GetValueOrDefault(fact) ?? fs.Fact.Members.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        allowed.IntersectWith(keys);
        _members[fact] = allowed;
    }

    /// <summary>The fact and the members a condition allows, when it is about one enum fact's members only.</summary>
    private (string Fact, HashSet<string> Keys)? MembersOf(M.Condition c)
    {
        switch (c)
        {
            case CompareCondition { Left: FactValueRef f, Operator: Comparison.Equal, Right: KeyExpr k }:
                return (f.Name, new HashSet<string>(StringComparer.Ordinal) { k.Key });
            case CompareCondition { Left: FactValueRef f, Operator: Comparison.NotEqual, Right: KeyExpr k }
                when _scope.GetValueOrDefault(f.Name) is FactSymbol fs:
                return (f.Name, fs.Fact.Members.Select(m => m.Key).Where(m => m != k.Key).ToHashSet(StringComparer.Ordinal));
            case M.OrCondition either when MembersOf(either.Left) is { } l && MembersOf(either.Right) is { } r && l.Fact == r.Fact:
                l.Keys.UnionWith(r.Keys);
                return l;
            default:
                return null;
        }
    }

    /// <summary>The interval a quantity fact ranges over, in base units, after the conditions narrowed it.</summary>
    private Interval FactRange(Fact fact)
    {
        decimal? high = fact.AtMost is { } am ? SafeMultiply(am, fact.Unit!.Scale) : null;
        decimal low = fact.AtLeast is { } al && SafeMultiply(al, fact.Unit!.Scale) is { } alb ? alb : 0m;
        if (_constraints.TryGetValue(fact.Name, out var c))
        {
            if (c.Low is { } l && l > low) low = l;
            if (c.High is { } h && (high is null || h < high)) high = h;
        }
        return high is { } hh && hh < low ? new Interval(low, low) : new Interval(low, high);
    }

    /// <summary>True when the conditions make the fact strictly positive (so dividing by it is safe).</summary>
    private bool StrictlyPositive(Expr e) => e switch
    {
        FactRef f => _constraints.TryGetValue(f.Name, out var c) && c.Low is { } l && (l > 0 || (l == 0 && c.LowStrict)),
        _ => e.Range.Low is { } low && low > 0,
    };

    internal static decimal? SafeMultiply(decimal a, decimal b)
    {
        try { return a * b; }
        catch (OverflowException) { return null; }
    }
}

