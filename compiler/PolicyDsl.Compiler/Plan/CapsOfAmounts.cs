using PolicyDsl.Checking;
using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Plan;

/// <summary>One cap that applies to an amount: its limit there (base units), the key text (" at level 5") and the cap's text.</summary>
public sealed record CellCap(decimal Limit, string KeyText, string CapText);

/// <summary>An amount written in the policy or the rules (a constant, table cell, band case, parameter value) above a cap that applies to it.</summary>
public sealed record AmountAboveCap(TextSpan Span, decimal Value, string KeyText, string CapText, decimal Limit, bool IsParameterValue);

/// <summary>
/// Which caps apply to each amount an award can be directly (a constant, a table cell, a band case, a parameter
/// value at one key combination), and the limit each has there. The one derivation: the checker's PDSL0302/PDSL0405
/// errors and the generated ParameterCap attributes (which the C# analyzer checks) both come from here.
/// </summary>
public static class CapsOfAmounts
{
    /// <summary>
    /// For each key combination of the parameter, the caps a value there is checked against, in order (leaf, then cap), each
    /// once. One context for them all: a context per cell rebuilt a table's cell index per cell (quadratic in the cells).
    /// </summary>
    public static IEnumerable<(string[] Keys, EquatableArray<CellCap> Caps)> OfParameterCells(Unit awardUnit, Rule rule, Parameter parameter, IEnumerable<string[]> combinations)
    {
        var context = new Context(rule);
        foreach (var keys in combinations) yield return (keys, context.OfParameterCell(awardUnit, parameter, keys).ToEquatableArray());
    }

    /// <summary>Every constant, table cell, band case and parameter value above a cap that applies to it (a parameter value once).</summary>
    public static IReadOnlyList<AmountAboveCap> AboveCaps(Unit awardUnit, Rule rule)
    {
        var result = new List<AmountAboveCap>();
        if (rule.Award.Formula is null || rule.Caps.IsEmpty) return result;
        var context = new Context(rule);
        var empty = new Dictionary<string, string>();
        var reportedValues = new HashSet<TextSpan>();
        foreach (var leaf in Leaves(rule.Award.Formula))
        {
            foreach (var cap in rule.Caps)
            {
                switch (leaf)
                {
                    case ConstantExpr c when context.LimitAt(cap.Limit, empty) is { } limit && c.Value > limit:
                        result.Add(new AmountAboveCap(c.Span, c.Value, "", PlanTexts.Cap(awardUnit, cap, limit), limit, false));
                        break;
                    case TableLookup t when rule.Tables.FirstOrDefault(x => x.Name == t.Table) is { } table:
                        foreach (var cell in table.Cells)
                        {
                            if (!context.CellMatches(t.Keys, cell.Keys)) continue;
                            if (context.LimitAt(cap.Limit, Assignment(t.Keys, cell.Keys)) is { } limit && cell.Value > limit)
                                result.Add(new AmountAboveCap(cell.Span, cell.Value, KeyText(rule, table.Dimensions, cell.Keys), PlanTexts.Cap(awardUnit, cap, limit), limit, false));
                        }
                        break;
                    case BandLookup b when rule.Bands.FirstOrDefault(x => x.Name == b.Band) is { } band && context.LimitAt(cap.Limit, empty) is { } bandLimit:
                        foreach (var bc in band.Cases.Where(bc => bc.Value > bandLimit))
                            result.Add(new AmountAboveCap(bc.Span, bc.Value, " in a case of band " + band.Name, PlanTexts.Cap(awardUnit, cap, bandLimit), bandLimit, false));
                        break;
                    case ParamRef p when rule.FindParameter(p.Name) is { } parameter:
                        foreach (var v in parameter.Values)
                        {
                            if (!context.CellMatches(p.Keys, v.Keys)) continue;
                            if (context.LimitAt(cap.Limit, Assignment(p.Keys, v.Keys)) is { } limit && v.Value > limit && reportedValues.Add(v.Span))
                                result.Add(new AmountAboveCap(v.Span, v.Value, KeyText(rule, parameter.Dimensions, v.Keys), PlanTexts.Cap(awardUnit, cap, limit), limit, true));
                        }
                        break;
                }
            }
        }
        return result;
    }

    /// <summary>The most a cap's limit can be with no key fixed (null: no finite bound).</summary>
    public static decimal? Highest(Rule rule, Expr limit) => new Context(rule).LimitAt(limit, new Dictionary<string, string>());

    /// <summary>The amounts an award can be, directly: a constant, a table cell, a band case or a parameter value.</summary>
    private static IEnumerable<Expr> Leaves(Expr e) => e switch
    {
        ConditionalExpr c => Leaves(c.WhenTrue).Concat(Leaves(c.WhenFalse)),
        ConstantExpr or TableLookup or ParamRef or BandLookup => new[] { e },
        _ => Array.Empty<Expr>(),
    };

    private static Dictionary<string, string> Assignment(EquatableArray<Expr> keyExprs, IReadOnlyList<string> keys)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keyExprs.Count && i < keys.Count; i++)
            if (keyExprs[i] is FactValueRef f) result[f.Name] = keys[i];
        return result;
    }

    /// <summary>" at level 5" (every key a level), " for 国家级, 5" (otherwise), "" without keys.</summary>
    private static string KeyText(Rule rule, EquatableArray<string> dimensions, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0) return "";
        var dims = dimensions.Select(d => rule.FindFact(d)).ToList();
        if (dims.Any(d => d is null)) return "";
        var text = string.Join(", ", dims.Zip(keys).Select(p => p.First!.Kind == FactKind.Level ? $"level {p.Second}" : p.Second));
        return (dims.All(d => d!.Kind == FactKind.Level) ? " at " : " for ") + text;
    }

    /// <summary>The rule's conditions as bounds per fact, and its tables' cells by key (built once: a cell lookup is not a scan).</summary>
    private sealed class Context
    {
        private readonly Rule _rule;
        private readonly Dictionary<string, FactConstraint> _constraints = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<string, decimal>> _cells = new(StringComparer.Ordinal);

        public Context(Rule rule)
        {
            _rule = rule;
            foreach (var r in rule.Requirements)
                foreach (var (fact, op, value) in FactConstraint.Atoms(r.Condition, rule.FindFact))
                    _constraints[fact] = _constraints.GetValueOrDefault(fact, FactConstraint.None).And(op, value);
        }

        public IEnumerable<CellCap> OfParameterCell(Unit awardUnit, Parameter parameter, IReadOnlyList<string> keys)
        {
            var result = new List<CellCap>();
            if (_rule.Award.Formula is null || _rule.Caps.IsEmpty) return result;
            foreach (var leaf in Leaves(_rule.Award.Formula))
            {
                if (leaf is not ParamRef p || p.Name != parameter.Name || !CellMatches(p.Keys, keys)) continue;
                foreach (var cap in _rule.Caps)
                {
                    if (LimitAt(cap.Limit, Assignment(p.Keys, keys)) is not { } limit) continue;
                    var check = new CellCap(limit, KeyText(_rule, parameter.Dimensions, keys), PlanTexts.Cap(awardUnit, cap, limit));
                    if (!result.Contains(check)) result.Add(check);
                }
            }
            return result;
        }

        /// <summary>The most a cap's limit can be once the lookup keys are fixed (null: no finite bound).</summary>
        public decimal? LimitAt(Expr limit, IReadOnlyDictionary<string, string> keys)
        {
            switch (limit)
            {
                case ConstantExpr c:
                    return c.Value;
                case TableLookup t when _rule.Tables.FirstOrDefault(x => x.Name == t.Table) is { } table && TableKeys.At(t.Keys, keys) is { } k:
                    return CellsOf(table).TryGetValue(string.Join("\u001f", k), out var cell) ? cell : limit.Range.High;
                case ParamRef p when _rule.FindParameter(p.Name) is { } other && TableKeys.At(p.Keys, keys) is { } k && !other.Values.IsEmpty:
                    return other.Find(k)?.Value ?? limit.Range.High;
                default:
                    return limit.Range.High;
            }
        }

        /// <summary>False when the cell cannot be read: a key written in the lookup differs, or a condition excludes the level.</summary>
        public bool CellMatches(EquatableArray<Expr> keyExprs, IReadOnlyList<string> cell)
        {
            for (var k = 0; k < keyExprs.Count && k < cell.Count; k++)
            {
                if (keyExprs[k] is KeyExpr ke && ke.Key != cell[k]) return false;
                if (keyExprs[k] is FactValueRef fr && _rule.FindFact(fr.Name) is { Kind: FactKind.Level } fact &&
                    _constraints.TryGetValue(fr.Name, out var c) && fact.FindMember(cell[k])?.Rank is { } rank && !c.Allows(rank))
                    return false;
            }
            return true;
        }

        private Dictionary<string, decimal> CellsOf(Table table)
        {
            if (!_cells.TryGetValue(table.Name, out var cells))
            {
                cells = new Dictionary<string, decimal>(StringComparer.Ordinal);
                foreach (var c in table.Cells) cells.TryAdd(string.Join("\u001f", c.Keys), c.Value);
                _cells[table.Name] = cells;
            }
            return cells;
        }
    }
}
