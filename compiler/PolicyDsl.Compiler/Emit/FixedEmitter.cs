using System.Globalization;
using System.Numerics;
using PolicyDsl.Model;
using PolicyDsl.Plan;

namespace PolicyDsl.Emit;

/// <summary>Prints the plan's scaled-integer form as C# long expressions (the runtime's FixedPoint converts at the edges).</summary>
internal sealed class FixedEmitter(FixedRule plan, RuleNames names, ExprEmitter decimalEmitter)
{
    public const string Runtime = "global::PolicyDsl.Runtime.FixedPoint";

    /// <summary>The local an input is converted into.</summary>
    public string Local(FixedInput input) => input.Source switch
    {
        FactSource f => names.ScaledLocals[f.Fact],
        ParameterSource p => "scaled_param" + p.Number.ToString(CultureInfo.InvariantCulture),
        AwardSource a => "scaled_award" + a.Number.ToString(CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException(input.Source.GetType().Name),
    };

    /// <summary>The decimal (or decimal?) C# the input is converted from.</summary>
    public string Value(FixedInput input) => input.Source switch
    {
        FactSource f => "facts." + names.FactMembers[f.Fact],
        ParameterSource p => decimalEmitter.ParameterLookup(p.Lookup),
        AwardSource a => AwardLocal(a.Number) + ".Amount",
        _ => throw new NotSupportedException(input.Source.GetType().Name),
    };

    public static string AwardLocal(int number) => "other" + number.ToString(CultureInfo.InvariantCulture);

    public string Expression(Fixed x) => x switch
    {
        FixedInputRef i => Local(plan.Inputs[i.Input]),
        FixedAwardRef a => Local(plan.OtherAwards[a.Number - 1].Amount),
        FixedLetRef l => names.Lets[l.Let],
        FixedConstant c => Long(c.Units),
        FixedScale s => Scale(s.Operand, s.Factor),
        FixedAdd a => "(" + Expression(a.Left) + (a.Subtract ? " - " : " + ") + Expression(a.Right) + ")",
        FixedMultiply m => "(" + Expression(m.Left) + " * " + Expression(m.Right) + ")",
        FixedNegate n => "(-" + Expression(n.Operand) + ")",
        FixedMinMax m => m.Arguments.Skip(1).Aggregate(Expression(m.Arguments[0]),
            (result, next) => (m.Max ? "global::System.Math.Max(" : "global::System.Math.Min(") + result + ", " + Expression(next) + ")"),
        FixedFloorDivide d => d.Operand.Low.Sign >= 0
            ? "(" + Expression(d.Operand) + " / " + Long(d.Divisor) + ")" // not negative: C#'s truncation is the floor
            : Runtime + ".FloorDivide(" + Expression(d.Operand) + ", " + Long(d.Divisor) + ")",
        FixedIf i => "(" + Condition(i.Condition) + " ? " + Expression(i.WhenTrue) + " : " + Expression(i.WhenFalse) + ")",
        FixedSwitch s => Switch(s),
        _ => throw new NotSupportedException("Cannot emit " + x.GetType().Name),
    };

    private string Switch(FixedSwitch s)
    {
        var keys = s.Lookup.Keys.Select(decimalEmitter.KeyText).ToArray();
        var subject = keys.Length == 1 ? keys[0] : "(" + string.Join(", ", keys) + ")";
        var cases = s.Cases.Select(c => (c.Keys.Count == 1
            ? decimalEmitter.EnumMemberText(s.Table.Dimensions[0], c.Keys[0])
            : "(" + string.Join(", ", s.Table.Dimensions.Zip(c.Keys, decimalEmitter.EnumMemberText)) + ")") + " => " + Long(c.Units) + ", ");
        return "(" + subject + " switch { " + string.Concat(cases) + "_ => 0L })";
    }

    /// <summary>operand × factor, with nested constant factors multiplied out (each product was proven to fit on its own).</summary>
    private string Scale(Fixed operand, BigInteger factor)
    {
        while (operand is FixedScale inner && BigInteger.Abs(inner.Factor * factor) <= long.MaxValue)
        {
            factor *= inner.Factor;
            operand = inner.Operand;
        }
        if (factor.IsOne) return Expression(operand);
        if (factor == BigInteger.MinusOne) return "(-" + Expression(operand) + ")";
        return "(" + Expression(operand) + " * " + Long(factor) + ")";
    }

    public string Condition(FixedCondition c) => c switch
    {
        FixedCompare k => "(" + Expression(k.Left) + " " + ExprEmitter.OperatorText(k.Operator) + " " + Expression(k.Right) + ")",
        FixedTest t => decimalEmitter.Condition(t.Condition),
        FixedLogical l => "(" + Condition(l.Left) + (l.Or ? " || " : " && ") + Condition(l.Right) + ")",
        FixedNot n => "!(" + Condition(n.Operand) + ")",
        _ => throw new NotSupportedException("Cannot emit " + c.GetType().Name),
    };

    public static string Long(BigInteger value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture) + "L";
        return value.Sign < 0 ? "(" + text + ")" : text;
    }
}
