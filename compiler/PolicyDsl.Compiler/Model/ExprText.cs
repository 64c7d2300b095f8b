namespace PolicyDsl.Model;

/// <summary>A short, readable rendering of a checked expression (base units), for traces, caps and reports.</summary>
public static class ExprText
{
    public static string Of(Expr e) => e switch
    {
        ConstantExpr c => Quantity.Format(c.Value, c.Unit),
        FactRef f => f.Name,
        LetRef l => l.Name,
        FactValueRef f => f.Name,
        KeyExpr k => k.Key,
        DateExpr d => d.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        DateShiftExpr s => Of(s.Date) + (s.Months < 0 ? " - " : " + ") + (s.Months % 12 == 0
            ? Math.Abs(s.Months / 12).ToString(System.Globalization.CultureInfo.InvariantCulture) + " years"
            : Math.Abs(s.Months).ToString(System.Globalization.CultureInfo.InvariantCulture) + " months"),
        ParamRef p => p.Keys.IsEmpty ? p.Name : $"{p.Name}[{string.Join(", ", p.Keys.Select(Of))}]",
        TableLookup t => $"{t.Table}[{string.Join(", ", t.Keys.Select(Of))}]",
        BandLookup b => b.Band,
        FunctionExpr f => $"{f.Function.ToString().ToLowerInvariant()}({string.Join(", ", f.Arguments.Select(Of))})",
        BinaryExpr { Of: true } b => $"{Of(b.Left)} of {Of(b.Right)}",
        BinaryExpr b => $"{Wrap(b.Left)} {Symbol(b.Operator)} {Wrap(b.Right)}",
        NegateExpr n => "-" + Wrap(n.Operand),
        RateExpr r => $"{Quantity.Format(r.Amount.Value, r.Amount.Unit)} per {(r.Full ? "full " : "")}{Quantity.Format(r.Per.Value, r.Per.Unit)}"
            + (r.Base is null ? "" : " of " + Wrap(r.Base)),
        ConditionalExpr c => $"if … then {Of(c.WhenTrue)} else {Of(c.WhenFalse)}",
        ToPointsExpr t => Wrap(t.Money) + " in points",
        RuleAwardExpr ra => $"{ra.Rule}({string.Join(", ", ra.Bindings.Select(b => b.Fact + ": " + Of(b.Value)))})",
        _ => e.GetType().Name,
    };

    private static string Wrap(Expr e) => e is BinaryExpr or ConditionalExpr or RateExpr { Base: not null } ? "(" + Of(e) + ")" : Of(e);

    private static string Symbol(BinaryKind op) => op switch
    {
        BinaryKind.Add => "+",
        BinaryKind.Subtract => "-",
        BinaryKind.Multiply => "×",
        _ => "/",
    };
}
