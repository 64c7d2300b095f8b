using PolicyDsl.Model;
using PolicyDsl.Text;

namespace PolicyDsl.Checking;

/// <summary>What a name inside a rule stands for, while the rule is being bound.</summary>
internal abstract record Symbol(string Name, TextSpan Span)
{
    public abstract string KindText { get; }
}

internal sealed record FactSymbol(Fact Fact) : Symbol(Fact.Name, Fact.Span)
{
    public override string KindText => Fact.Kind switch
    {
        FactKind.Quantity => "a quantity fact",
        FactKind.YesNo => "a yes/no fact",
        FactKind.Date => "a date fact",
        FactKind.Level => "a level fact",
        _ => "a one-of fact",
    };
}

internal sealed record ParamSymbol(Parameter Parameter) : Symbol(Parameter.Name, Parameter.Span)
{
    public override string KindText => Parameter.Dimensions.IsEmpty ? "a parameter" : "a parameter table";
}

internal sealed record TableSymbol(Table Table) : Symbol(Table.Name, Table.Span)
{
    public override string KindText => "a table";
}

/// <summary>A band; Lowered is the expression a band of rates or formulas, or a progressive band, stands for.</summary>
internal sealed record BandSymbol(Band Band, Expr? Lowered = null) : Symbol(Band.Name, Band.Span)
{
    public override string KindText => "a band";
}

internal sealed record LetSymbol(Let Let) : Symbol(Let.Name, Let.Span)
{
    public override string KindText => "a let";
}

/// <summary>
/// What the conditions say about one fact: a lower and an upper bound (each possibly strict) for a
/// quantity or a level's rank. Used to narrow facts for bounds and to find conditions that never hold.
/// </summary>
internal sealed record FactConstraint(decimal? Low, bool LowStrict, decimal? High, bool HighStrict)
{
    public static readonly FactConstraint None = new(null, false, null, false);

    public bool IsEmpty => Low is { } l && High is { } h && (l > h || (l == h && (LowStrict || HighStrict)));

    public bool Allows(decimal x) =>
        (Low is not { } l || (LowStrict ? x > l : x >= l)) && (High is not { } h || (HighStrict ? x < h : x <= h));

    public FactConstraint WithLow(decimal value, bool strict) =>
        Low is { } l && (l > value || (l == value && LowStrict)) ? this : this with { Low = value, LowStrict = strict };

    public FactConstraint WithHigh(decimal value, bool strict) =>
        High is { } h && (h < value || (h == value && HighStrict)) ? this : this with { High = value, HighStrict = strict };

    /// <summary>This constraint with "fact op value" added (≠ says nothing about an interval).</summary>
    public FactConstraint And(Comparison op, decimal value) => op switch
    {
        Comparison.GreaterOrEqual => WithLow(value, false),
        Comparison.Greater => WithLow(value, true),
        Comparison.LessOrEqual => WithHigh(value, false),
        Comparison.Less => WithHigh(value, true),
        Comparison.Equal => WithLow(value, false).WithHigh(value, false),
        _ => this,
    };

    /// <summary>
    /// The "fact op constant" atoms that must all hold (top-level conjunctions only; or/not are not
    /// narrowed), levels compared by rank. The checker and the emitter's parameter caps share it so
    /// that both narrow facts the same way.
    /// </summary>
    public static IEnumerable<(string Fact, Comparison Op, decimal Value)> Atoms(Condition c, Func<string, Fact?> findFact)
    {
        switch (c)
        {
            case AndCondition and:
                foreach (var a in Atoms(and.Left, findFact)) yield return a;
                foreach (var a in Atoms(and.Right, findFact)) yield return a;
                break;
            case CompareCondition { Left: FactRef f, Right: ConstantExpr k } cmp:
                yield return (f.Name, cmp.Operator, k.Value);
                break;
            case CompareCondition { Left: ConstantExpr k, Right: FactRef f } cmp:
                yield return (f.Name, Flip(cmp.Operator), k.Value);
                break;
            case CompareCondition { Left: FactValueRef { Kind: FactKind.Level } f, Right: KeyExpr k } cmp
                when findFact(f.Name)?.FindMember(k.Key)?.Rank is { } rank:
                yield return (f.Name, cmp.Operator, rank);
                break;
        }
    }

    /// <summary>The operator with its sides swapped: "2 &lt;= x" is "x >= 2".</summary>
    public static Comparison Flip(Comparison op) => op switch
    {
        Comparison.GreaterOrEqual => Comparison.LessOrEqual,
        Comparison.LessOrEqual => Comparison.GreaterOrEqual,
        Comparison.Greater => Comparison.Less,
        Comparison.Less => Comparison.Greater,
        _ => op,
    };

    /// <summary>The interval in the fact's declared unit (null: a level's ranks, no unit).</summary>
    public string Describe(Unit? unit)
    {
        string Show(decimal v) => unit is null ? Quantity.Format(v, Unit.Dimensionless) : Quantity.Format(unit.Scale == 1m ? v : v / unit.Scale, Unit.Dimensionless);
        var low = Low is { } l ? (LowStrict ? "(" : "[") + Show(l) : "(-∞";
        var high = High is { } h ? Show(h) + (HighStrict ? ")" : "]") : "∞)";
        return $"{low}, {high}{(unit is null || (unit.IsDimensionless && unit.Scale == 1m) ? "" : " " + unit)}";
    }
}

/// <summary>Table and parameter cells: which keys a lookup reads.</summary>
internal static class TableKeys
{
    /// <summary>
    /// The keys of a table or parameter lookup once the facts it is keyed by take the given members
    /// (constant keys as written); null when a key depends on something else. Shared by the checker and
    /// the emitter's parameter caps so both look up the same cell.
    /// </summary>
    public static List<string>? At(EquatableArray<Expr> keyExprs, IReadOnlyDictionary<string, string> keys)
    {
        var result = new List<string>();
        foreach (var k in keyExprs)
        {
            if (k is KeyExpr ke) result.Add(ke.Key);
            else if (k is FactValueRef f && keys.TryGetValue(f.Name, out var v)) result.Add(v);
            else return null;
        }
        return result;
    }
}
