using System.Text;
using PolicyDsl.Evaluation;
using PolicyDsl.Model;

namespace PolicyDsl.Reports;

/// <summary>A chart of one formula rule: inline SVG markup (generated here, every text in it XML-escaped).</summary>
public sealed record ChartView(string FileName, string Svg, string BaseFact, string BaseUnit, string BindsFrom, string Typical, string Cap)
{
    /// <summary>The figure's caption in the report's language.</summary>
    public string Caption { get; init; } = "";
}

/// <summary>One sampled point of the award curve.</summary>
public sealed record CurvePoint(decimal Base, decimal Award, bool Bound);

/// <summary>
/// The award of a formula rule against its base fact, computed with the reference <see cref="RuleEvaluator"/>:
/// the base varies, every other fact is held at a typical value (one that meets the rule's conditions
/// where the conditions name a threshold). The chart marks where a cap starts to bind.
/// </summary>
public static class Charts
{
    private const int Samples = 80;

    /// <summary>The quantity fact the formula grows with: the first one the formula reads (through its lets).</summary>
    public static Fact? BaseFact(Rule rule)
    {
        if (rule.Award.Formula is not { } formula) return null;
        var name = FirstFact(rule, formula, depth: 0);
        return name is null ? null : rule.FindFact(name);
    }

    private static string? FirstFact(Rule rule, Expr e, int depth)
    {
        if (depth > 32) return null;
        return e switch
        {
            FactRef f => f.Name,
            LetRef l => rule.Lets.FirstOrDefault(x => x.Name == l.Name) is { } let ? FirstFact(rule, let.Value, depth + 1) : null,
            BinaryExpr b => FirstFact(rule, b.Left, depth + 1) ?? FirstFact(rule, b.Right, depth + 1),
            FunctionExpr f => f.Arguments.Select(a => FirstFact(rule, a, depth + 1)).FirstOrDefault(x => x is not null),
            RateExpr { Base: { } b } => FirstFact(rule, b, depth + 1),
            ToPointsExpr t => FirstFact(rule, t.Money, depth + 1),
            NegateExpr n => FirstFact(rule, n.Operand, depth + 1),
            ConditionalExpr c => FirstFact(rule, c.WhenTrue, depth + 1) ?? FirstFact(rule, c.WhenFalse, depth + 1),
            _ => null,
        };
    }

    /// <summary>Typical values of every fact but the base (in each fact's declared unit).</summary>
    public static Facts TypicalFacts(CheckedPolicy policy, Rule rule, string baseFact)
    {
        var thresholds = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var requirement in rule.Requirements) CollectThresholds(requirement.Condition, thresholds);
        if (rule.Award.Formula is { } formula) CollectMinArguments(formula, thresholds);

        var facts = Facts.Empty;
        foreach (var fact in rule.Facts)
        {
            if (fact.Name == baseFact) continue;
            FactValue value = fact.Kind switch
            {
                FactKind.YesNo => FactValue.Of(true),
                FactKind.Date => FactValue.Of(policy.Validity?.From ?? new DateOnly(2026, 1, 1)),
                // The highest level meets any "at least" condition; a one-of takes its first member.
                FactKind.Level => FactValue.Member(fact.Members.OrderByDescending(m => m.Rank ?? 0m).First().Key),
                FactKind.OneOf => FactValue.Member(fact.Members[0].Key),
                _ => FactValue.Of(thresholds.TryGetValue(fact.Name, out var t) ? t / fact.Unit!.Scale
                    : fact.AtMost ?? Typical(fact.Unit!) / fact.Unit!.Scale),
            };
            facts = facts.With(fact.Name, value);
        }
        return facts;
    }

    /// <summary>A round, plausible value in base units for a quantity no condition constrains (never 0: a factor of 0 flattens the curve).</summary>
    private static decimal Typical(Unit unit)
    {
        var b = unit.Base;
        if (b == Unit.Yuan) return 1_000_000m;
        if (b == Unit.Months) return 12m;
        if (b == Unit.SquareMetres) return 1_000m;
        if (b == Unit.PersonTimesUnit || b == Unit.PersonsUnit || b == Unit.CountUnit) return 10m;
        return 1m;
    }

    /// <summary>"x >= 10 persons" → x = 10 (in base units); "x > c" → a bit above; "x &lt;= c" → c.</summary>
    private static void CollectThresholds(Condition c, Dictionary<string, decimal> into)
    {
        switch (c)
        {
            case AndCondition a: CollectThresholds(a.Left, into); CollectThresholds(a.Right, into); break;
            case CompareCondition { Left: FactRef f, Right: ConstantExpr k } cmp:
                into.TryAdd(f.Name, cmp.Operator switch
                {
                    Comparison.Greater => k.Value + Math.Max(1m, Math.Abs(k.Value) / 10m),
                    Comparison.Less => k.Value / 2m,
                    _ => k.Value,
                });
                break;
        }
    }

    /// <summary>min(rent_months, 12 months): the fact at the constant it is limited to.</summary>
    private static void CollectMinArguments(Expr e, Dictionary<string, decimal> into)
    {
        switch (e)
        {
            case FunctionExpr { Function: FunctionKind.Min } f when f.Arguments.OfType<FactRef>().FirstOrDefault() is { } fact
                                                                  && f.Arguments.OfType<ConstantExpr>().FirstOrDefault() is { } limit:
                into.TryAdd(fact.Name, limit.Value);
                break;
            case FunctionExpr f: foreach (var a in f.Arguments) CollectMinArguments(a, into); break;
            case BinaryExpr b: CollectMinArguments(b.Left, into); CollectMinArguments(b.Right, into); break;
            case RateExpr { Base: { } b }: CollectMinArguments(b, into); break;
            case ToPointsExpr t: CollectMinArguments(t.Money, into); break;
        }
    }

    private static AwardResult At(CheckedPolicy policy, Rule rule, Facts typical, string baseFact, decimal x) =>
        RuleEvaluator.Evaluate(policy, rule, typical.With(baseFact, x));

    /// <summary>
    /// The curve, or null (with the reason) when the rule has no quantity base, its amounts are not set
    /// (no implementation rules), or no cap binds within the decimal range.
    /// </summary>
    public static (IReadOnlyList<CurvePoint>? Points, decimal BindsFrom, string? Cap, Facts Typical, string? Missing) Curve(CheckedPolicy policy, Rule rule) =>
        Curve(policy, rule, Samples);

    public static (IReadOnlyList<CurvePoint>? Points, decimal BindsFrom, string? Cap, Facts Typical, string? Missing) Curve(CheckedPolicy policy, Rule rule, int samples)
    {
        if (BaseFact(rule) is not { Kind: FactKind.Quantity } baseFact) return (null, 0m, null, Facts.Empty, "the formula reads no quantity fact");
        var typical = TypicalFacts(policy, rule, baseFact.Name);
        var first = At(policy, rule, typical, baseFact.Name, 0m);
        if (!first.Problems.IsEmpty) return (null, 0m, null, typical, string.Join("; ", first.Problems));

        // Double the base until some cap binds, then bisect for the point where it starts to.
        decimal hi = 1m;
        AwardResult atHi = At(policy, rule, typical, baseFact.Name, hi);
        var doublings = 0;
        while (atHi.BoundBy is null && doublings++ < 80)
        {
            hi *= 2m;
            if (baseFact.AtMost is { } max && hi > max) { hi = max; atHi = At(policy, rule, typical, baseFact.Name, hi); break; }
            atHi = At(policy, rule, typical, baseFact.Name, hi);
        }
        if (atHi.BoundBy is null) return (null, 0m, null, typical, "no cap binds for any base value");
        var lo = 0m;
        for (var i = 0; i < 60 && hi - lo > hi / 100000m; i++)
        {
            var mid = (lo + hi) / 2m;
            if (At(policy, rule, typical, baseFact.Name, mid).BoundBy is null) lo = mid; else hi = mid;
        }
        var bindsFrom = Nice(hi, roundUp: false, keepDigits: 4);
        var xMax = Nice(hi * 1.6m, roundUp: true, keepDigits: 1);
        var points = new List<CurvePoint>(samples + 2);
        for (var i = 0; i <= samples; i++)
        {
            var x = xMax * i / samples;
            var r = At(policy, rule, typical, baseFact.Name, x);
            points.Add(new CurvePoint(Fmt.Normalize(x), r.Amount, r.BoundBy is not null));
        }
        // The exact point where the cap starts to bind, so the corner is drawn where it is.
        var corner = At(policy, rule, typical, baseFact.Name, hi);
        points.Add(new CurvePoint(Fmt.Normalize(hi), corner.Amount, corner.BoundBy is not null));
        points.Sort((a, b) => a.Base.CompareTo(b.Base));
        return (points, bindsFrom, atHi.BoundBy, typical, null);
    }

    /// <summary>Rounds to a number with few significant digits (for axis ends and labels).</summary>
    private static decimal Nice(decimal x, bool roundUp, int keepDigits)
    {
        if (x <= 0m) return 1m;
        var magnitude = 1m;
        while (x / magnitude >= 10m) magnitude *= 10m;
        while (x / magnitude < 1m) magnitude /= 10m;
        var step = magnitude;
        for (var i = 1; i < keepDigits; i++) step /= 10m;
        var steps = x / step;
        return (roundUp ? Math.Ceiling(steps) : Math.Round(steps, MidpointRounding.AwayFromZero)) * step;
    }

    public static ChartView? Build(CheckedPolicy policy, Rule rule, out string? missing) => Build(policy, rule, Lang.For(policy), out missing);

    public static ChartView? Build(CheckedPolicy policy, Rule rule, Lang lang, out string? missing)
    {
        try
        {
            return BuildChecked(policy, rule, lang, out missing);
        }
        catch (OverflowException)
        {
            // Caps near decimal.MaxValue are legal; their curves are beyond what a chart can scale.
            missing = lang.IsZh ? "金额超出十进制范围" : "the amounts are beyond the decimal range";
            return null;
        }
    }

    /// <summary>A formula that moves in steps (bands, conditionals, "每满" full rates, table lookups): drawn as a staircase.</summary>
    public static bool IsStepped(Rule rule)
    {
        var stepped = false;
        void Walk(Expr e, int depth)
        {
            if (depth > 32 || stepped) return;
            switch (e)
            {
                case BandLookup or ConditionalExpr or RateExpr { Full: true }: stepped = true; break;
                case BinaryExpr b: Walk(b.Left, depth + 1); Walk(b.Right, depth + 1); break;
                case FunctionExpr f: foreach (var a in f.Arguments) Walk(a, depth + 1); break;
                case RateExpr { Base: { } rb }: Walk(rb, depth + 1); break;
                case ToPointsExpr t: Walk(t.Money, depth + 1); break;
                case NegateExpr n: Walk(n.Operand, depth + 1); break;
                case LetRef l when rule.Lets.FirstOrDefault(x => x.Name == l.Name) is { } let: Walk(let.Value, depth + 1); break;
            }
        }
        if (rule.Award.Formula is { } formula) Walk(formula, 0);
        return stepped;
    }

    private static ChartView? BuildChecked(CheckedPolicy policy, Rule rule, Lang lang, out string? missing)
    {
        var (points, bindsFrom, cap, typical, why) = Curve(policy, rule, IsStepped(rule) ? 400 : Samples);
        missing = why;
        if (points is null || cap is null) return null;
        var baseFact = BaseFact(rule)!;
        var unit = UnitName(baseFact.Unit!, lang);
        var axisX = (baseFact.Description ?? baseFact.Name) + (unit.Length > 0 ? (lang.IsZh ? "（" + unit + "）" : " (" + unit + ")") : "");
        var awardUnit = UnitName(policy.AwardUnit, lang);
        var axisY = lang["ChartAward"] + (awardUnit.Length > 0 ? (lang.IsZh ? "（" + awardUnit + "）" : " (" + awardUnit + ")") : "");
        var typicalText = lang.List(typical.Values.Select(kv => $"{Describe(rule, kv.Key)} = {Value(rule, kv.Key, kv.Value, lang)}"));
        var title = lang.IsZh ? $"{rule.Title ?? rule.Name}：奖励随{baseFact.Description ?? baseFact.Name}变化" : $"Award of {rule.Title ?? rule.Name} against {baseFact.Description ?? baseFact.Name}";
        var svg = Svg(title, axisX, axisY, points, bindsFrom, lang["CapBindsFrom"] + " " + lang.Number(bindsFrom), IsStepped(rule));
        // The cap in the report's words (a rule with one cap: that cap; several: the evaluator's text of the one that bound).
        var bound = BoundCap.Of(policy, rule, At(policy, rule, typical, baseFact.Name, points[^1].Base));
        var capWords = bound is not null ? lang.Say(new PlainWords(policy, rule).Cap(bound)) : cap;
        return new ChartView("chart-" + Fmt.Slug(rule.Name) + ".svg", svg, baseFact.Name, unit, Fmt.Number(bindsFrom), typicalText, cap)
        {
            Caption = lang.IsZh
                ? $"奖励随{axisX}变化；上限（{capWords}）自{lang.Number(bindsFrom)}{unit}起适用。" + (typicalText.Length == 0 ? "" : $"{lang["HeldAt"]}：{typicalText}。")
                : $"Award against {axisX}; the cap ({capWords}) binds from {lang.Number(bindsFrom)} {unit}." + (typicalText.Length == 0 ? "" : $" {lang["HeldAt"]}: {typicalText}."),
        };
    }

    private static string Describe(Rule rule, string fact) => rule.FindFact(fact)?.Description ?? fact;

    private static string Value(Rule rule, string fact, FactValue value, Lang lang) => value switch
    {
        YesNoValue y => y.Value ? lang["Yes"] : lang["No"],
        MemberValue m => rule.FindFact(fact)?.FindMember(m.Key)?.Label ?? m.Key,
        QuantityValue q when rule.FindFact(fact)?.Unit is { } u => lang.Quantity(q.Value, u),
        _ => value.ToString() ?? "",
    };

    /// <summary>The unit's name alone ("万元", "yuan", "分"; empty for a plain number).</summary>
    private static string UnitName(Unit unit, Lang lang)
    {
        var text = lang.Quantity(0m, unit);
        return text.Length > 1 ? text.Substring(1).Trim() : "";
    }

    // ---------- SVG ----------

    private const int W = 680, H = 320, Top = 34, Bottom = 52;

    /// <summary>A 1-2-5 step for about <paramref name="count"/> intervals over [0, max].</summary>
    public static decimal TickStep(decimal max, int count = 5)
    {
        if (max <= 0m) return 1m;
        var raw = max / count;
        var magnitude = 1m;
        while (raw / magnitude >= 10m) magnitude *= 10m;
        while (raw / magnitude < 1m) magnitude /= 10m;
        var f = raw / magnitude;
        return (f <= 1m ? 1m : f <= 2m ? 2m : f <= 5m ? 5m : 10m) * magnitude;
    }

    /// <summary>The axis ticks 0, step, 2·step, … up to the first at or above max (every one a 1-2-5 multiple).</summary>
    public static IReadOnlyList<decimal> Ticks(decimal max, int count = 5)
    {
        var step = TickStep(max, count);
        var ticks = new List<decimal>();
        for (var t = 0m; ; t += step)
        {
            ticks.Add(Fmt.Normalize(t));
            if (t >= max) break;
        }
        return ticks;
    }

    private const string Font = "font-family=\"Noto Sans CJK SC, Noto Sans SC, sans-serif\"";

    private static string Svg(string title, string axisX, string axisY, IReadOnlyList<CurvePoint> points, decimal bindsFrom, string bindsText, bool stepped)
    {
        var xTicks = Ticks(points[^1].Base);
        var yTop = points.Max(p => p.Award);
        var yTicks = Ticks(yTop <= 0m ? 1m : yTop * 1.1m, 4);
        var xMax = xTicks[^1];
        var yMax = yTicks[^1];
        // Room for the longest y label (about 6.5 px a character at 11 px) and half of the last x label.
        var yLabelWidth = yTicks.Max(t => Fmt.Number(t).Length) * 7;
        var left = 30 + yLabelWidth;
        var right = 12 + Fmt.Number(xMax).Length * 4;
        string X(decimal x) => Coord(left + (W - left - right) * (xMax == 0m ? 0m : x / xMax));
        string Y(decimal y) => Coord(H - Bottom - (H - Top - Bottom) * (y / yMax));

        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{Fmt.Xml(title)}\" {Font}>\n");
        sb.Append($"<title>{Fmt.Xml(title)}</title>\n");
        sb.Append($"<rect x=\"0\" y=\"0\" width=\"{W}\" height=\"{H}\" fill=\"#ffffff\"/>\n");
        sb.Append($"<line x1=\"{left}\" y1=\"{H - Bottom}\" x2=\"{W - right}\" y2=\"{H - Bottom}\" stroke=\"#333\"/>\n");
        sb.Append($"<line x1=\"{left}\" y1=\"{Top}\" x2=\"{left}\" y2=\"{H - Bottom}\" stroke=\"#333\"/>\n");
        foreach (var xv in xTicks)
        {
            sb.Append($"<line x1=\"{X(xv)}\" y1=\"{H - Bottom}\" x2=\"{X(xv)}\" y2=\"{H - Bottom + 4}\" stroke=\"#333\"/>");
            sb.Append($"<text class=\"xtick\" x=\"{X(xv)}\" y=\"{H - Bottom + 17}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">{Fmt.Xml(Fmt.Number(xv))}</text>\n");
        }
        foreach (var yv in yTicks)
        {
            sb.Append($"<line x1=\"{left - 4}\" y1=\"{Y(yv)}\" x2=\"{W - right}\" y2=\"{Y(yv)}\" stroke=\"#ddd\"/>");
            sb.Append($"<text class=\"ytick\" x=\"{left - 7}\" y=\"{Y(yv)}\" font-size=\"11\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"#333\">{Fmt.Xml(Fmt.Number(yv))}</text>\n");
        }
        sb.Append($"<text class=\"xaxis\" x=\"{(left + W - right) / 2}\" y=\"{H - 12}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#000\">{Fmt.Xml(axisX)}</text>\n");
        var mid = (Top + H - Bottom) / 2;
        sb.Append($"<text class=\"yaxis\" x=\"14\" y=\"{mid}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#000\" transform=\"rotate(-90 14 {mid})\">{Fmt.Xml(axisY)}</text>\n");

        // Where the cap binds: a dashed vertical line and the cap level; the label kept inside the chart.
        var capLevel = points.Where(p => p.Bound).Select(p => p.Award).DefaultIfEmpty(yTop).Max();
        sb.Append($"<line class=\"cap\" x1=\"{left}\" y1=\"{Y(capLevel)}\" x2=\"{W - right}\" y2=\"{Y(capLevel)}\" stroke=\"#c0392b\" stroke-dasharray=\"6 4\"/>\n");
        sb.Append($"<line class=\"binds\" x1=\"{X(bindsFrom)}\" y1=\"{Top}\" x2=\"{X(bindsFrom)}\" y2=\"{H - Bottom}\" stroke=\"#c0392b\" stroke-dasharray=\"2 3\"/>\n");
        var share = xMax == 0m ? 0m : bindsFrom / xMax;
        var anchor = share < 0.3m ? "start" : share > 0.7m ? "end" : "middle";
        sb.Append($"<text class=\"bindslabel\" x=\"{X(bindsFrom)}\" y=\"{Top - 10}\" font-size=\"11\" text-anchor=\"{anchor}\" fill=\"#c0392b\">{Fmt.Xml(bindsText)}</text>\n");

        // The curve: below the cap in blue, capped in red; a stepped formula as a staircase.
        var firstCapped = points.FirstOrDefault(p => p.Bound);
        var freePoints = points.Where(p => !p.Bound).Concat(firstCapped is null ? [] : [firstCapped]).ToList();
        var free = Line(freePoints, stepped, X, Y);
        var capped = Line(points.Where(p => p.Bound).ToList(), stepped, X, Y);
        if (free.Length > 0) sb.Append($"<polyline class=\"free\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\" points=\"{free}\"/>\n");
        if (capped.Length > 0) sb.Append($"<polyline class=\"capped\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2.5\" points=\"{capped}\"/>\n");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>The polyline's points; stepped: each change of award drawn as a riser at the sample where it changes.</summary>
    private static string Line(IReadOnlyList<CurvePoint> points, bool stepped, Func<decimal, string> x, Func<decimal, string> y)
    {
        var parts = new List<string>(points.Count * 2);
        for (var i = 0; i < points.Count; i++)
        {
            if (stepped && i > 0 && points[i].Award != points[i - 1].Award) parts.Add(x(points[i].Base) + "," + y(points[i - 1].Award));
            parts.Add(x(points[i].Base) + "," + y(points[i].Award));
        }
        return string.Join(" ", parts);
    }

    private static string Coord(decimal v) => Fmt.Plain(Math.Round(v, 2, MidpointRounding.AwayFromZero));
}
