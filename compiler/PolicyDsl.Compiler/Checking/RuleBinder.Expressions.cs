using System.Globalization;
using PolicyDsl.Diagnostics;
using PolicyDsl.Model;
using PolicyDsl.Syntax;
using PolicyDsl.Text;
using M = PolicyDsl.Model;
using S = PolicyDsl.Syntax;

namespace PolicyDsl.Checking;

// Expressions and conditions: names resolved, units multiplied out, intervals proven.
internal sealed partial class RuleBinder
{
    private bool _inCap; // a rule award read inside a cap must itself be bounded

    private Expr? BindExpression(ExpressionSyntax e) => e switch
    {
        QuantityExpression q => BindConstant(q.Quantity, q.Span),
        RateExpression r => BindRate(r, null, r.Span),
        NameExpression n => BindName(n.Name, n.Span),
        IndexExpression i => BindIndex(i),
        S.FunctionExpression f => BindFunction(f),
        RuleAwardExpression ra => BindRuleAward(ra.Rule, ra.Bindings, ra.Span),
        BinaryExpression b => BindBinary(b),
        NegateExpression n => BindExpression(n.Operand) is { } o ? new NegateExpr(o, o.Unit, -o.Range, n.Span) : null,
        S.ConditionalExpression c => BindConditional(c),
        ConversionExpression c => BindConversion(c),
        YearlyExpression y => BindYearly(y),
        DateExpression d => DateOutsideComparison(d),
        _ => null,
    };

    private ConstantExpr? BindConstant(QuantitySyntax q, TextSpan span)
    {
        var unit = q.Unit is null ? Unit.Dimensionless : _checker.ResolveUnit(q.Unit, _d);
        if (unit is null) return null;
        var value = SafeMultiply(q.Value, unit.Scale);
        if (value is null)
        {
            Report(DiagnosticCatalog.NumberOutOfRange, q.Span, "a number that fits a decimal in " + unit.Base, q.Value.ToString(CultureInfo.InvariantCulture) + " " + unit);
            return null;
        }
        return new ConstantExpr(value.Value, unit.Base, Interval.Exactly(value.Value), span, unit.Scale == 1m ? null : unit);
    }

    /// <summary>A rate, alone (its value) or applied to a base with "of": base × amount / per, or whole steps with "full".</summary>
    private Expr? BindRate(RateExpression r, ExpressionSyntax? baseSyntax, TextSpan span)
    {
        var amount = BindConstant(r.Amount, r.Amount.Span);
        var per = BindConstant(r.Per, r.Per.Span);
        var applied = baseSyntax is null ? null : BindExpression(baseSyntax);
        if (amount is null || per is null || (baseSyntax is not null && applied is null)) return null;
        if (per.Value <= 0)
        {
            Report(DiagnosticCatalog.NumberOutOfRange, r.Per.Span, "a positive step after 'per'", Quantity.Format(per.Value, per.Unit));
            return null;
        }
        var amountQ = new Quantity(amount.Value, amount.Unit);
        var perQ = new Quantity(per.Value, per.Unit);
        if (applied is null)
            return new RateExpr(amountQ, perQ, r.Full, null, amount.Unit / per.Unit, Interval.Exactly(amount.Value) / Interval.Exactly(per.Value), span);

        if (r.Full)
        {
            // 每满: only whole steps of "per" count, so the base must be measured in what "per" counts.
            if (applied.Unit != per.Unit)
            {
                Report(DiagnosticCatalog.IncompatibleUnits, span, "count whole steps of", per.Unit, UnitText(applied));
                return null;
            }
            var steps = Interval.Floor(applied.Range / Interval.Exactly(per.Value));
            return new RateExpr(amountQ, perQ, true, applied, amount.Unit, steps * Interval.Exactly(amount.Value), span);
        }
        var range = applied.Range * Interval.Exactly(amount.Value) / Interval.Exactly(per.Value);
        return new RateExpr(amountQ, perQ, false, applied, amount.Unit / per.Unit * applied.Unit, range, span);
    }

    private Expr? BindBinary(BinaryExpression b)
    {
        if (b.Operator is BinaryOperator.Of or BinaryOperator.Multiply)
        {
            if (b.Left is RateExpression rl) return BindRate(rl, b.Right, b.Span);
            // "fee × 0.14 points per 2000 yuan" applies the rate just the same (multiplied first).
            if (b.Right is RateExpression rr) return BindRate(rr, b.Left, b.Span);
        }
        var l = BindExpression(b.Left);
        var r = BindExpression(b.Right);
        if (l is null || r is null) return null;
        switch (b.Operator)
        {
            case BinaryOperator.Add:
            case BinaryOperator.Subtract:
            {
                var add = b.Operator == BinaryOperator.Add;
                if (l.Unit != r.Unit)
                {
                    ReportWithHint(DiagnosticCatalog.IncompatibleUnits, b.Span, UnitHint(l, r, b.Left, b.Right), add ? "add" : "subtract", UnitText(l), UnitText(r));
                    return null;
                }
                return new BinaryExpr(add ? BinaryKind.Add : BinaryKind.Subtract, l, r, false, l.Unit, add ? l.Range + r.Range : l.Range - r.Range, b.Span);
            }
            case BinaryOperator.Divide:
            {
                if (r.Range.Low is not { } low || r.Range.High is not { } high || (low <= 0 && high >= 0))
                    if (!StrictlyPositive(r))
                        Report(DiagnosticCatalog.PossibleDivisionByZero, b.Right.Span, _checker.TextOf(b.Right.Span), r.Range);
                return new BinaryExpr(BinaryKind.Divide, l, r, false, l.Unit / r.Unit, l.Range / r.Range, b.Span);
            }
            default:
                return new BinaryExpr(BinaryKind.Multiply, l, r, b.Operator == BinaryOperator.Of, l.Unit * r.Unit, l.Range * r.Range, b.Span);
        }
    }

    private Expr? BindFunction(S.FunctionExpression f)
    {
        var args = f.Arguments.Select(BindExpression).ToList();
        if (args.Any(a => a is null) || args.Count == 0) return null;
        var first = args[0]!;
        var name = f.Function.ToString().ToLowerInvariant();
        foreach (var a in args.Skip(1))
        {
            if (a!.Unit != first.Unit)
            {
                Report(DiagnosticCatalog.IncompatibleUnits, f.Span, $"take the {name} of", UnitText(first), UnitText(a));
                return null;
            }
        }
        var kind = f.Function switch { S.FunctionKind.Min => M.FunctionKind.Min, S.FunctionKind.Max => M.FunctionKind.Max, _ => M.FunctionKind.Sum };
        var range = first.Range;
        foreach (var a in args.Skip(1))
            range = kind switch { M.FunctionKind.Min => Interval.Min(range, a!.Range), M.FunctionKind.Max => Interval.Max(range, a!.Range), _ => range + a!.Range };
        return new FunctionExpr(kind, args.Select(a => a!).ToEquatableArray(), first.Unit, range, f.Span);
    }

    private Expr? BindName(Identifier id, TextSpan span)
    {
        if (!_scope.TryGetValue(id.Text, out var symbol))
        {
            if (_checker.HasRule(id.Text)) return BindRuleAward(id, EquatableArray<FactBindingSyntax>.Empty, span);
            if (_failedLets.Contains(id.Text)) return null; // its let failed and was reported: "unknown name" would only echo it
            ReportUnknown(DiagnosticCatalog.UnknownName, id.Span, id.Text, _scope.Keys.Concat(_checker.RuleNames), id.Text, $"a fact, parameter, let, table or band of rule {RuleName}");
            return null;
        }
        switch (symbol)
        {
            case FactSymbol { Fact.Kind: FactKind.Quantity } fs:
                return new FactRef(fs.Fact.Name, fs.Fact.Unit!.Base, FactRange(fs.Fact), span);
            case ParamSymbol { Parameter.Dimensions.IsEmpty: true } ps:
                return new ParamRef(ps.Name, EquatableArray<Expr>.Empty, ps.Parameter.Unit, ParamRange(ps.Parameter, _ => true), span);
            case ParamSymbol ps:
                Report(DiagnosticCatalog.WrongKeyCount, span, "parameter " + ps.Name, ps.Parameter.Dimensions.Count, string.Join(", ", ps.Parameter.Dimensions), 0);
                return null;
            case TableSymbol ts:
                Report(DiagnosticCatalog.WrongKeyCount, span, "table " + ts.Name, ts.Table.Dimensions.Count, string.Join(", ", ts.Table.Dimensions), 0);
                return null;
            case LetSymbol ls:
                return new LetRef(ls.Name, ls.Let.Value.Unit, ls.Let.Value.Range, span);
            case BandSymbol { Lowered: { } lowered }:
                return lowered;
            case BandSymbol bs:
                return new BandLookup(bs.Name, bs.Band.Fact, bs.Band.Unit, BandRange(bs.Band), span);
            default:
                Report(DiagnosticCatalog.WrongKindOfName, id.Span, id.Text, symbol.KindText, "a quantity");
                return null;
        }
    }

    private Expr? BindIndex(IndexExpression i)
    {
        var name = i.Target.Text;
        if (!_scope.TryGetValue(name, out var symbol))
        {
            ReportUnknown(DiagnosticCatalog.UnknownName, i.Target.Span, name, _scope.Keys, name, $"a table or parameter of rule {RuleName}");
            return null;
        }
        if (symbol is BandSymbol bs)
        {
            // b[fact] reads the band by its own fact; nothing else is allowed.
            if (i.Keys.Count == 1 && i.Keys[0] is NameExpression n && n.Name.Text == bs.Band.Fact)
                return bs.Lowered ?? new BandLookup(bs.Name, bs.Band.Fact, bs.Band.Unit, BandRange(bs.Band), i.Span);
            Report(DiagnosticCatalog.WrongKeyCount, i.Span, "band " + name, 1, bs.Band.Fact, i.Keys.Count);
            return null;
        }
        var dims = symbol switch
        {
            TableSymbol ts => ts.Table.Dimensions,
            ParamSymbol ps => ps.Parameter.Dimensions,
            _ => (EquatableArray<string>?)null,
        };
        if (dims is null)
        {
            Report(DiagnosticCatalog.WrongKindOfName, i.Target.Span, name, symbol.KindText, "a table or a parameter to look up by keys");
            return null;
        }
        var owner = (symbol is TableSymbol ? "table " : "parameter ") + name;
        if (dims.Value.Count != i.Keys.Count)
        {
            Report(DiagnosticCatalog.WrongKeyCount, i.Span, owner, dims.Value.Count, string.Join(", ", dims.Value), i.Keys.Count);
            return null;
        }
        var keys = new List<Expr>();
        for (var k = 0; k < i.Keys.Count; k++)
        {
            var dim = ((FactSymbol)_scope[dims.Value[k]]).Fact;
            var key = BindKey(i.Keys[k], dim, owner);
            if (key is null) return null;
            keys.Add(key);
        }
        // Which cells the keys can reach: a written key fixes one; a level fact reaches what its conditions allow.
        bool Matches(IReadOnlyList<string> cell)
        {
            for (var k = 0; k < keys.Count; k++)
            {
                if (keys[k] is KeyExpr ke && ke.Key != cell[k]) return false;
                if (keys[k] is FactValueRef fr && _scope.GetValueOrDefault(fr.Name) is FactSymbol { Fact.Kind: FactKind.Level } fs &&
                    _constraints.TryGetValue(fr.Name, out var c) && fs.Fact.FindMember(cell[k])?.Rank is { } rank && !c.Allows(rank))
                    return false;
            }
            return true;
        }
        if (symbol is TableSymbol t)
        {
            var values = t.Table.Cells.Where(c => Matches(c.Keys)).Select(c => c.Value).ToList();
            var range = values.Count == 0 ? Interval.Exactly(0m) : new Interval(values.Min(), values.Max());
            return new TableLookup(name, keys.ToEquatableArray(), t.Table.Unit, range, i.Span);
        }
        var p = ((ParamSymbol)symbol).Parameter;
        return new ParamRef(name, keys.ToEquatableArray(), p.Unit, ParamRange(p, v => Matches(v.Keys)), i.Span);
    }

    /// <summary>A key of a lookup: an enum fact with the dimension's members, or a member written out.</summary>
    private Expr? BindKey(ExpressionSyntax key, Fact dim, string owner)
    {
        string? text = key switch
        {
            NameExpression n => n.Name.Text,
            QuantityExpression { Quantity.Unit: null } q when decimal.Truncate(q.Quantity.Value) == q.Quantity.Value =>
                q.Quantity.Value.ToString("0", CultureInfo.InvariantCulture),
            _ => null,
        };
        if (text is not null && _scope.GetValueOrDefault(text) is FactSymbol fs)
        {
            var same = fs.Fact.Kind == dim.Kind && fs.Fact.Members.Select(m => m.Key).SequenceEqual(dim.Members.Select(m => m.Key));
            if (!same)
            {
                Report(DiagnosticCatalog.WrongKindOfName, key.Span, text, fs.KindText + (fs.Fact.Members.IsEmpty ? "" : " with other members"),
                    $"fact {dim.Name} or a fact with its members to look up {owner}");
                return null;
            }
            return new FactValueRef(text, fs.Fact.Kind, key.Span);
        }
        if (text is not null && dim.FindMember(text) is not null) return new KeyExpr(text, key.Span);
        ReportUnknown(DiagnosticCatalog.UnknownMember, key.Span, text ?? "", dim.Members.Select(m => m.Key), text ?? _checker.TextOf(key.Span), "fact " + dim.Name,
            string.Join(", ", dim.Members.Select(m => m.Key)) + $" (or the fact {dim.Name} itself)");
        return null;
    }

    private static Interval ParamRange(Parameter p, Func<ParameterValue, bool> reachable)
    {
        var values = p.Values.Where(reachable).Select(v => v.Value).ToList();
        if (values.Count > 0) return new Interval(values.Min(), values.Max());
        return new Interval(p.AtLeast ?? 0m, p.AtMost);
    }

    private static Interval BandRange(Band band)
    {
        // A gap pays 0, so 0 is always possible.
        var values = band.Cases.Select(c => c.Value).Append(0m).ToList();
        return new Interval(values.Min(), values.Max());
    }

    private Expr? BindRuleAward(Identifier ruleName, EquatableArray<FactBindingSyntax> bindings, TextSpan span)
    {
        var other = _checker.GetRule(ruleName.Text, ruleName.Span, RuleName);
        if (other is null) return null;
        var bound = new List<FactBinding>();
        var seen = new Dictionary<string, TextSpan>(StringComparer.Ordinal);
        var ok = true;
        foreach (var b in bindings)
        {
            var fact = other.FindFact(b.Fact.Text);
            if (fact is null)
            {
                ReportUnknown(DiagnosticCatalog.UnknownName, b.Fact.Span, b.Fact.Text, other.Facts.Select(f => f.Name), b.Fact.Text, $"a fact of rule {other.Name} ({string.Join(", ", other.Facts.Select(f => f.Name))})");
                ok = false;
                continue;
            }
            if (seen.TryGetValue(fact.Name, out var first))
            {
                Report(DiagnosticCatalog.DuplicateName, b.Fact.Span, fact.Name, $"the bindings of {other.Name}", _d.Line(first));
                ok = false;
                continue;
            }
            seen[fact.Name] = b.Span;
            var value = BindBoundValue(b.Value, fact, other.Name);
            if (value is null) { ok = false; continue; }
            bound.Add(new FactBinding(fact.Name, value, b.Span));
        }
        var missing = other.Facts.Where(f => !seen.ContainsKey(f.Name)).Select(f => f.Name).ToList();
        if (missing.Count > 0)
        {
            Report(DiagnosticCatalog.UnboundFacts, span, other.Name, string.Join(", ", missing), seen.Count == 0 ? "none" : string.Join(", ", seen.Keys));
            ok = false;
        }
        if (_inCap && other.ProvenMaximum is null)
            Report(DiagnosticCatalog.RelativeCapUnbounded, span, RuleName, other.Name,
                other.Award.IsCaseByCase ? "a case-by-case award without a cap" : "an award without a finite bound");
        if (!ok) return null;
        return new RuleAwardExpr(other.Name, bound.ToEquatableArray(), AwardUnit, new Interval(0m, other.ProvenMaximum), span);
    }

    /// <summary>A value bound to another rule's fact: a quantity of the fact's dimension, or a fact/member of its kind.</summary>
    private Expr? BindBoundValue(ExpressionSyntax value, Fact fact, string otherRule)
    {
        if (fact.Kind == FactKind.Quantity)
        {
            var v = BindExpression(value);
            if (v is null) return null;
            if (v.Unit != fact.Unit!.Base)
            {
                Report(DiagnosticCatalog.UnitMismatch, value.Span, $"The value bound to {otherRule}.{fact.Name}", fact.Unit.Base, v.Unit);
                return null;
            }
            return v;
        }
        var text = value is NameExpression n ? n.Name.Text
            : value is QuantityExpression { Quantity.Unit: null } q ? q.Quantity.Value.ToString("0.############", CultureInfo.InvariantCulture) : null;
        if (text is not null && _scope.GetValueOrDefault(text) is FactSymbol fs)
        {
            if (fs.Fact.Kind != fact.Kind || !fs.Fact.Members.Select(m => m.Key).SequenceEqual(fact.Members.Select(m => m.Key)))
            {
                Report(DiagnosticCatalog.WrongKindOfName, value.Span, text, fs.KindText, $"a fact of the kind of {otherRule}.{fact.Name}");
                return null;
            }
            return new FactValueRef(text, fs.Fact.Kind, value.Span);
        }
        if (text is not null && fact.FindMember(text) is not null) return new KeyExpr(text, value.Span);
        Report(DiagnosticCatalog.WrongKindOfName, value.Span, _checker.TextOf(value.Span), "not a fact of this rule",
            $"a fact or member to bind to {otherRule}.{fact.Name}");
        return null;
    }

    private Expr? BindConditional(S.ConditionalExpression c)
    {
        var condition = BindCondition(c.Condition);
        var t = BindExpression(c.WhenTrue);
        var f = BindExpression(c.WhenFalse);
        if (condition is null || t is null || f is null) return null;
        if (t.Unit != f.Unit)
        {
            ReportWithHint(DiagnosticCatalog.IncompatibleUnits, c.Span, UnitHint(t, f, c.WhenTrue, c.WhenFalse), "choose between", UnitText(t), UnitText(f));
            return null;
        }
        return new M.ConditionalExpr(condition, t, f, t.Unit, Interval.Hull(t.Range, f.Range), c.Span);
    }

    private Expr? BindConversion(ConversionExpression c)
    {
        var target = _checker.ResolveUnit(c.Target, _d);
        var value = BindExpression(c.Value);
        if (target is null || value is null) return null;
        if (target.Base != Unit.AwardPoints || value.Unit != _checker.Money)
        {
            Report(DiagnosticCatalog.InvalidConversion, c.Span, value.Unit, target);
            return null;
        }
        if (_checker.MoneyPerPoint is not { } mpp)
        {
            Report(DiagnosticCatalog.NoPointValue, c.Target.Span, "in points");
            return null;
        }
        return new ToPointsExpr(value, mpp, Unit.AwardPoints, value.Range / Interval.Exactly(mpp), c.Span);
    }

    // ---------- conditions ----------

    private M.Condition? BindCondition(ConditionSyntax c) => c switch
    {
        S.AndCondition a => Both(a.Left, a.Right) is var (l, r) && l is not null && r is not null ? new M.AndCondition(l, r, a.Span) : null,
        S.OrCondition o => Both(o.Left, o.Right) is var (l, r) && l is not null && r is not null ? new M.OrCondition(l, r, o.Span) : null,
        S.NotCondition n => BindCondition(n.Operand) is { } x ? new M.NotCondition(x, n.Span) : null,
        TruthCondition t => BindTruth(t),
        ComparisonCondition cmp => BindComparison(cmp),
        AfterWindowCondition a => BindAfterWindow(a),
        _ => null,
    };

    // Both sides are bound (and report) even when the first fails.
    private (M.Condition?, M.Condition?) Both(ConditionSyntax left, ConditionSyntax right) => (BindCondition(left), BindCondition(right));

    private M.Condition? BindTruth(TruthCondition t)
    {
        if (t.Value is NameExpression n && _scope.GetValueOrDefault(n.Name.Text) is FactSymbol { Fact.Kind: FactKind.YesNo } fs)
            return new FactIsTrue(fs.Name, t.Span);
        if (t.Value is NameExpression n2 && _scope.TryGetValue(n2.Name.Text, out var symbol))
            Report(DiagnosticCatalog.WrongKindOfName, t.Span, n2.Name.Text, symbol.KindText, "a yes/no fact to stand as a condition on its own");
        else if (t.Value is NameExpression n3)
            ReportUnknown(DiagnosticCatalog.UnknownName, n3.Name.Span, n3.Name.Text, _scope.Keys, n3.Name.Text, $"a yes/no fact of rule {RuleName}");
        else
            Report(DiagnosticCatalog.WrongKindOfName, t.Span, _checker.TextOf(t.Span), "not a yes/no fact", "a comparison or a yes/no fact");
        return null;
    }

    private static Comparison Map(ComparisonOperator op) => op switch
    {
        ComparisonOperator.GreaterOrEqual => Comparison.GreaterOrEqual,
        ComparisonOperator.LessOrEqual => Comparison.LessOrEqual,
        ComparisonOperator.Greater => Comparison.Greater,
        ComparisonOperator.Less => Comparison.Less,
        ComparisonOperator.Equal => Comparison.Equal,
        _ => Comparison.NotEqual,
    };

    private Fact? NonQuantityFact(ExpressionSyntax e) =>
        e is NameExpression n && _scope.GetValueOrDefault(n.Name.Text) is FactSymbol { Fact.Kind: not FactKind.Quantity } fs ? fs.Fact : null;

    private M.Condition? BindComparison(ComparisonCondition c)
    {
        var op = Map(c.Operator);
        // §27.4: dates compare with dates (a date fact, a date literal, either moved by a time: 批准日期 + 2 年).
        if (IsDateSyntax(c.Left) || IsDateSyntax(c.Right))
        {
            var dl = BindDate(c.Left);
            var dr = BindDate(c.Right);
            return dl is null || dr is null ? null : new CompareCondition(dl, op, dr, c.Span);
        }
        var leftFact = NonQuantityFact(c.Left);
        var rightFact = NonQuantityFact(c.Right);
        if (leftFact is not null || rightFact is not null)
        {
            // Put the fact on the left: "2 <= level" reads as "level >= 2".
            var (fact, other, flipped) = leftFact is not null ? (leftFact, c.Right, false) : (rightFact!, c.Left, true);
            if (flipped) op = FactConstraint.Flip(op);
            var ordered = op is not (Comparison.Equal or Comparison.NotEqual);
            switch (fact.Kind)
            {
                case FactKind.YesNo:
                    Report(DiagnosticCatalog.WrongKindOfName, c.Span, fact.Name, "a yes/no fact", "a condition on its own ('requires " + fact.Name + "' or 'not " + fact.Name + "')");
                    return null;
                case FactKind.OneOf when ordered:
                    Report(DiagnosticCatalog.WrongKindOfName, c.Span, fact.Name, "a one-of fact (its members have no order)", "= or != to compare it");
                    return null;
            }
            var left = new FactValueRef(fact.Name, fact.Kind, flipped ? c.Right.Span : c.Left.Span);
            var otherFact = other is NameExpression on && _scope.GetValueOrDefault(on.Name.Text) is FactSymbol ofs ? ofs.Fact : null;
            if (otherFact is not null)
            {
                var same = otherFact.Kind == fact.Kind && otherFact.Members.Select(m => m.Key).SequenceEqual(fact.Members.Select(m => m.Key));
                if (!same)
                {
                    Report(DiagnosticCatalog.WrongKindOfName, other.Span, otherFact.Name, new FactSymbol(otherFact).KindText, $"a fact of the kind of {fact.Name} to compare with it");
                    return null;
                }
                return new CompareCondition(left, op, new FactValueRef(otherFact.Name, otherFact.Kind, other.Span), c.Span);
            }
            if (fact.Kind == FactKind.Date)
            {
                Report(DiagnosticCatalog.WrongKindOfName, other.Span, _checker.TextOf(other.Span), "not a date fact", $"a date fact to compare with {fact.Name}");
                return null;
            }
            var key = other switch
            {
                NameExpression n => n.Name.Text,
                QuantityExpression { Quantity.Unit: null } q => q.Quantity.Value.ToString("0.############", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (key is null || fact.FindMember(key) is null)
            {
                ReportUnknown(DiagnosticCatalog.UnknownMember, other.Span, key ?? "", fact.Members.Select(m => m.Key), key ?? _checker.TextOf(other.Span), "fact " + fact.Name,
                    string.Join(", ", fact.Members.Select(m => m.Key)));
                return null;
            }
            return new CompareCondition(left, op, new KeyExpr(key, other.Span), c.Span);
        }

        var l = BindExpression(c.Left);
        var r = BindExpression(c.Right);
        if (l is null || r is null) return null;
        if (l.Unit != r.Unit)
        {
            ReportWithHint(DiagnosticCatalog.IncompatibleUnits, c.Span, UnitHint(l, r, c.Left, c.Right), "compare", UnitText(l), UnitText(r));
            return null;
        }
        return new CompareCondition(l, op, r, c.Span);
    }
}
