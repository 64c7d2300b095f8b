using PolicyDsl.Text;

namespace PolicyDsl.Model;

/// <summary>
/// The normalized expression tree of a checked rule. Every node carries its unit (always a base unit:
/// values are held in yuan, points, m2, months, ...) and the interval the checker proved for it.
/// Names are resolved: a node says whether it reads a fact, a parameter, a let, a table or a band.
/// </summary>
public abstract record Expr(Unit Unit, Interval Range, TextSpan Span);

/// <summary>
/// A constant in base units: 40% is 0.4 (no unit); 10 万元 is 100000 yuan. <see cref="Written"/> is the unit the
/// author wrote it in when that is not the base (万元, 年, %), so that every text shows it as written ("10 万元").
/// </summary>
public sealed record ConstantExpr(decimal Value, Unit Unit, Interval Range, TextSpan Span, Unit? Written = null) : Expr(Unit, Range, Span)
{
    /// <summary>The unit to show the constant in: as written, else its base unit.</summary>
    public Unit Shown => Written ?? Unit;
}

/// <summary>A fact of the rule. Its value is converted from the fact's declared unit to the base unit.</summary>
public sealed record FactRef(string Name, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

/// <summary>A parameter (left to the implementation rules), looked up by enum-fact keys if it has dimensions.</summary>
public sealed record ParamRef(string Name, EquatableArray<Expr> Keys, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

public sealed record LetRef(string Name, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

/// <summary>A table cell chosen by enum-fact keys: amount[standard_level, rank].</summary>
public sealed record TableLookup(string Table, EquatableArray<Expr> Keys, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

/// <summary>The band value chosen by the band's fact.</summary>
public sealed record BandLookup(string Band, string Fact, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

public enum FunctionKind { Min, Max, Sum }

public sealed record FunctionExpr(FunctionKind Function, EquatableArray<Expr> Arguments, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

public enum BinaryKind { Add, Subtract, Multiply, Divide }

/// <summary>A binary operation. <c>Of</c> marks a multiplication written "of" (40% of premium), for reports.</summary>
public sealed record BinaryExpr(BinaryKind Operator, Expr Left, Expr Right, bool Of, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

public sealed record NegateExpr(Expr Operand, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

/// <summary>
/// A rate: Amount per Per (both in base units), applied to Base when written with "of". With Full (每满)
/// only whole steps count: floor(base / per) × amount; otherwise base × amount / per (multiply first).
/// Without a base the node is the rate itself, of unit Amount/Per.
/// </summary>
public sealed record RateExpr(Quantity Amount, Quantity Per, bool Full, Expr? Base, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

public sealed record ConditionalExpr(Condition Condition, Expr WhenTrue, Expr WhenFalse, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

/// <summary>Money converted to points through the policy's declared point value: yuan / MoneyPerPoint.</summary>
public sealed record ToPointsExpr(Expr Money, decimal MoneyPerPoint, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

/// <summary>Another rule's award (its caps included), with some of its facts bound to expressions of this rule.</summary>
public sealed record RuleAwardExpr(string Rule, EquatableArray<FactBinding> Bindings, Unit Unit, Interval Range, TextSpan Span) : Expr(Unit, Range, Span);

public sealed record FactBinding(string Fact, Expr Value, TextSpan Span);

// ---------- conditions ----------

public enum Comparison { GreaterOrEqual, LessOrEqual, Greater, Less, Equal, NotEqual }

public abstract record Condition(TextSpan Span);

/// <summary>Compares two quantities of one dimension, two dates, or an enum fact with a member key (as a KeyExpr).</summary>
public sealed record CompareCondition(Expr Left, Comparison Operator, Expr Right, TextSpan Span) : Condition(Span);

/// <summary>A yes/no fact.</summary>
public sealed record FactIsTrue(string Fact, TextSpan Span) : Condition(Span);

public sealed record AndCondition(Condition Left, Condition Right, TextSpan Span) : Condition(Span);

public sealed record OrCondition(Condition Left, Condition Right, TextSpan Span) : Condition(Span);

public sealed record NotCondition(Condition Operand, TextSpan Span) : Condition(Span);

/// <summary>An enum member or a date used as a value in a comparison: level >= 3, start >= 2026-01-01.</summary>
public sealed record KeyExpr(string Key, TextSpan Span) : Expr(Unit.Dimensionless, Interval.Unbounded, Span);

public sealed record DateExpr(DateOnly Date, TextSpan Span) : Expr(Unit.Dimensionless, Interval.Unbounded, Span);

/// <summary>A date moved by whole months (years are 12 months): 批准日期 + 2 年 (§27.4). Date is a date fact or a date literal.</summary>
public sealed record DateShiftExpr(Expr Date, int Months, TextSpan Span) : Expr(Unit.Dimensionless, Interval.Unbounded, Span);

/// <summary>A date or enum fact read in a comparison (a quantity fact is a <see cref="FactRef"/>).</summary>
public sealed record FactValueRef(string Name, FactKind Kind, TextSpan Span) : Expr(Unit.Dimensionless, Interval.Unbounded, Span);
