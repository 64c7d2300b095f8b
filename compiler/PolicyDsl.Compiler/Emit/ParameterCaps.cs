using System.Globalization;
using PolicyDsl.Checking;
using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Emit;

/// <summary>
/// What the C# analyzer needs to check a value given to a parameter property from C#: the caps that apply
/// to one parameter value (one key combination) in the order the checker tries them, and the parameter's
/// declared bound. Mirrors the checker's PDSL0405/PDSL0406 (RuleBinder.CheckAmountsAgainstCaps,
/// BindParameterValues) so that the analyzer's message is the one `policyc check` gives for the same
/// value in a .rules file. Emitted as attributes (ParameterCapAttribute, ParameterBoundAttribute).
/// </summary>
internal static class ParameterCaps
{
    private const string Runtime = "global::PolicyDsl.Runtime";

    /// <summary>One applicable cap: the limit (base units), the key text after the value (" at level 5"), the cap as the message states it.</summary>
    internal sealed record CapCheck(decimal Limit, string KeyText, string CapText);

    /// <summary>The attribute lines for the parameter value with these keys (empty keys for a parameter without dimensions).</summary>
    public static IEnumerable<string> Attributes(CheckedPolicy policy, Rule rule, Parameter parameter, IReadOnlyList<string> keys)
    {
        var suffix = Suffix(policy.AwardUnit);
        foreach (var check in Caps(policy, rule, parameter, keys))
        {
            yield return "[" + Runtime + ".ParameterCapAttribute(" + CSharpText.StringLiteral(rule.Name) + ", " + CSharpText.StringLiteral(parameter.Name) + ", " +
                         CSharpText.StringLiteral(check.KeyText) + ", " + CSharpText.StringLiteral(Number(check.Limit)) + ", " +
                         CSharpText.StringLiteral(suffix) + ", " + CSharpText.StringLiteral(check.CapText) + ")]";
        }
        if (parameter.AtMost is { } most)
        {
            var label = rule.Name + "." + parameter.Name + (keys.Count > 0 ? "[" + string.Join(",", keys) + "]" : "");
            var shown = ShownUnit(parameter);
            yield return "[" + Runtime + ".ParameterBoundAttribute(" + CSharpText.StringLiteral(label) + ", " + CSharpText.StringLiteral(Number(most)) + ", " +
                         CSharpText.StringLiteral(Number(shown.Scale)) + ", " + CSharpText.StringLiteral(Suffix(shown)) + ", " +
                         CSharpText.StringLiteral(Quantity.FormatIn(most, shown)) + ")]";
        }
    }

    /// <summary>
    /// The unit the checker shows a parameter's values in: the unit the author declared. The model keeps only the base
    /// unit; a dimensionless parameter can only be declared in % (the one dimensionless unit word), so it is shown in %.
    /// A parameter declared in wan-yuan or years is shown in yuan or months (the declared scale is not in the model).
    /// </summary>
    internal static Unit ShownUnit(Parameter parameter) =>
        parameter.Unit.Base == Unit.Dimensionless ? Unit.Percent : parameter.Unit.Base;

    /// <summary>What Quantity.Format writes after the number for this unit ("" / "%" / " points").</summary>
    internal static string Suffix(Unit unit) => Quantity.Format(0m, unit).Substring(1);

    private static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>The caps a value of the parameter at these keys is checked against, in the checker's order (leaf, then cap).</summary>
    internal static List<CapCheck> Caps(CheckedPolicy policy, Rule rule, Parameter parameter, IReadOnlyList<string> keys)
    {
        var result = new List<CapCheck>();
        if (rule.Award.Formula is null || rule.Caps.Count == 0) return result;
        var constraints = Constraints(rule);
        foreach (var leaf in Leaves(rule.Award.Formula))
        {
            if (leaf is not ParamRef p || p.Name != parameter.Name || !CellMatches(rule, constraints, p.Keys, keys)) continue;
            foreach (var cap in rule.Caps)
            {
                if (LimitAt(rule, cap.Limit, Assignment(p.Keys, keys)) is not { } limit) continue;
                var check = new CapCheck(limit, KeyText(rule, parameter.Dimensions, keys), DescribeCap(policy.AwardUnit, cap, limit));
                if (!result.Contains(check)) result.Add(check);
            }
        }
        return result;
    }

    private static IEnumerable<Expr> Leaves(Expr e) => e switch
    {
        ConditionalExpr c => Leaves(c.WhenTrue).Concat(Leaves(c.WhenFalse)),
        ConstantExpr or TableLookup or ParamRef or BandLookup => new[] { e },
        _ => Array.Empty<Expr>(),
    };

    private static decimal? LimitAt(Rule rule, Expr limit, IReadOnlyDictionary<string, string> keys)
    {
        switch (limit)
        {
            case ConstantExpr c:
                return c.Value;
            case TableLookup t when rule.Tables.FirstOrDefault(x => x.Name == t.Table) is { } table && TableKeys.At(t.Keys, keys) is { } k:
                return table.Find(k)?.Value ?? limit.Range.High;
            case ParamRef p when rule.FindParameter(p.Name) is { } other && TableKeys.At(p.Keys, keys) is { } k && !other.Values.IsEmpty:
                return other.Find(k)?.Value ?? limit.Range.High;
            default:
                return limit.Range.High;
        }
    }

    private static Dictionary<string, string> Assignment(EquatableArray<Expr> keyExprs, IReadOnlyList<string> keys)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keyExprs.Count && i < keys.Count; i++)
            if (keyExprs[i] is FactValueRef f) result[f.Name] = keys[i];
        return result;
    }

    private static bool CellMatches(Rule rule, Dictionary<string, FactConstraint> constraints, EquatableArray<Expr> keyExprs, IReadOnlyList<string> cell)
    {
        for (var k = 0; k < keyExprs.Count && k < cell.Count; k++)
        {
            if (keyExprs[k] is KeyExpr ke && ke.Key != cell[k]) return false;
            if (keyExprs[k] is FactValueRef fr && rule.FindFact(fr.Name) is { Kind: FactKind.Level } fact &&
                constraints.TryGetValue(fr.Name, out var c) && fact.FindMember(cell[k])?.Rank is { } rank && !c.Allows(rank))
                return false;
        }
        return true;
    }

    /// <summary>What the conditions (top-level conjunctions of "fact op constant") say about each fact, as the checker narrows them.</summary>
    private static Dictionary<string, FactConstraint> Constraints(Rule rule)
    {
        var constraints = new Dictionary<string, FactConstraint>(StringComparer.Ordinal);
        foreach (var r in rule.Requirements)
        {
            foreach (var (fact, op, value) in FactConstraint.Atoms(r.Condition, rule.FindFact))
            {
                constraints[fact] = constraints.GetValueOrDefault(fact, FactConstraint.None).And(op, value);
            }
        }
        return constraints;
    }

    private static string KeyText(Rule rule, EquatableArray<string> dimensions, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0) return "";
        var dims = dimensions.Select(d => rule.FindFact(d)).ToList();
        if (dims.Any(d => d is null)) return "";
        var text = string.Join(", ", dims.Zip(keys).Select(p => p.First!.Kind == FactKind.Level ? $"level {p.Second}" : p.Second));
        return (dims.All(d => d!.Kind == FactKind.Level) ? " at " : " for ") + text;
    }

    private static string DescribeCap(Unit awardUnit, Cap cap, decimal limit)
    {
        var scope = cap.Scope == CapScope.Application ? "per application" : "per " + cap.Scope.ToString().ToLowerInvariant();
        var period = cap.Scope != CapScope.Application && cap.Period == CapPeriod.PerYear ? " per year" : "";
        return $"{Quantity.Format(limit, awardUnit)} {scope}{period}";
    }
}
