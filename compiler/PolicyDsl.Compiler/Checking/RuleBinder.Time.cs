using System.Globalization;
using PolicyDsl.Diagnostics;
using PolicyDsl.Model;
using PolicyDsl.Syntax;
using PolicyDsl.Text;
using M = PolicyDsl.Model;
using S = PolicyDsl.Syntax;

namespace PolicyDsl.Checking;

// Event windows and yearly schedules (docs/semantics.md §27).
internal sealed partial class RuleBinder
{
    private EventWindow? _window;
    private string? _paidFact;

    /// <summary>§30.1: the rule's year (its own 'year starts' line, else the policy's), bound before the window and the caps.</summary>
    private Runtime.YearStart _yearStart;

    private bool _ownYearStart;

    private void BindYearStart(EquatableArray<StatementSyntax> items)
    {
        _yearStart = _checker.YearStart;
        if (Single(items.OfType<YearStartSyntax>().ToList(), "'year starts'") is { } y && _checker.BindYearStart(y, _d) is { } own)
        {
            _yearStart = own;
            _ownYearStart = true;
        }
    }

    /// <summary>The rule's event window: its start event must be a date fact of the rule; declares the derived window-year fact.</summary>
    private EventWindow? BindWindow(WindowSyntax? w, List<Fact> facts)
    {
        if (w is null) return null;
        if (w.Event is null)
        {
            Report(DiagnosticCatalog.WindowWithoutEvent, w.Span, RuleName);
            return null;
        }
        var fact = facts.FirstOrDefault(f => f.Name == w.Event.Text);
        if (fact is null || fact.Kind != FactKind.Date)
        {
            Report(DiagnosticCatalog.WindowEventNotDate, w.Event.Span, RuleName, w.Event.Text,
                fact is null ? "not a fact of rule " + RuleName : "a " + KindText(fact.Kind) + " fact");
            return null;
        }
        if (w.Years.Value is < 1 or > 100)
        {
            Report(DiagnosticCatalog.EmptyWindow, w.Years.Span, RuleName, w.Years.Value.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        var start = w.Start switch { S.WindowStart.YearOf => Runtime.WindowStart.YearOf, S.WindowStart.YearAfter => Runtime.WindowStart.YearAfter, _ => Runtime.WindowStart.Date };
        // The derived facts are named in the keyword language of the window line (窗口 … or window …).
        var chinese = _checker.TextOf(w.Span).StartsWith("窗口", StringComparison.Ordinal);
        var name = chinese ? "窗口年度" : "window_year";
        var description = chinese
            ? $"窗口年度（第1至{w.Years.Value}年），由申请日期与{fact.Name}推出，不填写"
            : $"the year of the window (1 to {w.Years.Value}), derived from the application's date and {fact.Name}; not given";
        var yearFact = new Fact(name, FactKind.Quantity, Unit.Dimensionless, EquatableArray<Member>.Empty, null, description, w.Span, Derived: true);
        if (!Declare(new FactSymbol(yearFact))) return null;
        facts.Add(yearFact);
        string? history = null;
        if (w.Consecutive)
        {
            // §27.3: 连续 — the award of year k is paid only if that of year k-1 was: a history fact given with the application.
            history = chinese ? "上一窗口年度已获" : "received_previous_year";
            var historyFact = new Fact(history, FactKind.YesNo, null, EquatableArray<Member>.Empty, null, chinese
                ? "历史：上一窗口年度已获本奖励（连续：首个未获年度即终止）；第1年不读"
                : "history: this award was received for the previous year of the window (consecutive: a missed year ends the run); not read in year 1",
                w.Span);
            if (!Declare(new FactSymbol(historyFact))) return null;
            facts.Add(historyFact);
        }
        _window = new EventWindow(fact.Name, start, w.Years.Value, w.Consecutive, name, w.Span, history, _yearStart);
        return _window;
    }

    /// <summary>§27.7: a schedule whose parts are due at milestone dates declares the derived fact of the application's date
    /// and the history fact of the share already paid (named in the keyword language of the instalments line).</summary>
    private (string DateFact, string PaidFact, bool Chinese)? DeclareScheduleFacts(InstalmentsSyntax? i, List<Fact> facts)
    {
        if (i is null || i.Milestones.All(m => m is null)) return null;
        var chinese = _checker.TextOf(i.Span).StartsWith("分期", StringComparison.Ordinal);
        var date = new Fact(chinese ? "申请日期" : "application_date", FactKind.Date, null, EquatableArray<Member>.Empty, null,
            chinese ? "申请日期，由申请推出，不填写" : "the application's date; derived, not given", i.Span, Derived: true);
        var paid = new Fact(chinese ? "已兑现比例" : "share_paid", FactKind.Quantity, Unit.Percent, EquatableArray<Member>.Empty, 100m,
            chinese ? "历史：本奖励已兑现的比例（首次申请为0）" : "history: the share of this award already paid (0 at the first application)", i.Span);
        if (!Declare(new FactSymbol(date)) || !Declare(new FactSymbol(paid))) return null;
        facts.Add(date);
        facts.Add(paid);
        _paidFact = paid.Name;
        return (date.Name, paid.Name, chinese);
    }

    /// <summary>§27.7: the milestone schedule: each part due once its milestone date is on or before the application's date,
    /// every part at once when the at-once condition holds, less the share paid.</summary>
    private InstalmentSchedule? BindSchedule(InstalmentsSyntax? i, (string DateFact, string PaidFact, bool Chinese)? declared, EquatableArray<decimal> parts,
        EquatableArray<StatementSyntax> items)
    {
        var atOnce = items.OfType<AtOnceSyntax>().ToList();
        var clawbacks = items.OfType<ClawbackSyntax>().ToList();
        if (declared is not { } d)
        {
            foreach (var line in atOnce.Cast<StatementSyntax>().Concat(clawbacks))
                Report(DiagnosticCatalog.ScheduleLineWithoutMilestones, line.Span, RuleName, line is AtOnceSyntax ? "at once when" : "clawback");
            return null;
        }
        if (parts.Count != i!.Parts.Count) return null; // a part did not bind (reported)
        var span = i.Span;
        var on = new FactValueRef(d.DateFact, FactKind.Date, span);
        var list = new List<MilestonePart>();
        Expr sum = Constant(0m, Unit.Dimensionless, span);
        for (var k = 0; k < parts.Count; k++)
        {
            if (i.Milestones[k] is not { } m)
            {
                Report(DiagnosticCatalog.MilestoneMissing, i.Parts[k].Span, RuleName, (k + 1).ToString(CultureInfo.InvariantCulture));
                return null;
            }
            var fact = _scope.GetValueOrDefault(m.Text) is FactSymbol fs ? fs.Fact : null;
            if (fact is null || fact.Kind != FactKind.Date)
            {
                Report(DiagnosticCatalog.MilestoneNotDate, m.Span, RuleName, m.Text, fact is null ? "not a fact of rule " + RuleName : "a " + KindText(fact.Kind) + " fact");
                return null;
            }
            var reached = new CompareCondition(new FactValueRef(m.Text, FactKind.Date, m.Span), Comparison.LessOrEqual, on, m.Span);
            var percent = Quantity.Format(parts[k] * 100m, Unit.Dimensionless) + "%";
            var n = (k + 1).ToString(CultureInfo.InvariantCulture);
            var text = d.Chinese ? $"第{n}期 {percent}：{m.Text} <= {d.DateFact}" : $"instalment {n} ({percent}): {m.Text} <= {d.DateFact}";
            list.Add(new MilestonePart(parts[k], m.Text, reached, text));
            var part = new ConditionalExpr(reached, Constant(parts[k], Unit.Dimensionless, span), Constant(0m, Unit.Dimensionless, span),
                Unit.Dimensionless, new Interval(0m, parts[k]), span);
            sum = k == 0 ? part : new BinaryExpr(BinaryKind.Add, sum, part, false, Unit.Dimensionless, sum.Range + part.Range, span);
        }
        Requirement? once = null;
        if (Single(atOnce, "'at once when'") is { } a && BindCondition(a.Condition) is { } condition)
            once = new Requirement(condition, (d.Chinese ? "一次性兑现：" : "at once: ") + _checker.TextOf(a.Condition.Span), a.Span);
        if (once is not null)
            sum = new ConditionalExpr(once.Condition, Constant(1m, Unit.Dimensionless, span), sum, Unit.Dimensionless, new Interval(0m, 1m), span);
        var paid = new FactRef(d.PaidFact, Unit.Dimensionless, new Interval(0m, 1m), span);
        var share = new BinaryExpr(BinaryKind.Subtract, sum, paid, false, Unit.Dimensionless, sum.Range - paid.Range, span);
        return new InstalmentSchedule(list.ToEquatableArray(), once, d.PaidFact, d.DateFact, share,
            clawbacks.Select(c => c.Text.Value).ToEquatableArray(), d.Chinese, span);
    }

    private readonly Dictionary<string, EventWindow> _after = new(StringComparer.Ordinal);
    private readonly List<Fact> _afterFacts = new();

    /// <summary>§27.10: "after the window of RULE": the window year of the other rule's window, derived from the application's
    /// date and the other rule's event date fact (declared in this rule too when it is not), is past its N years.</summary>
    private M.Condition? BindAfterWindow(AfterWindowCondition a)
    {
        var name = a.Rule.Text;
        if (!_after.TryGetValue(name, out var window))
        {
            var other = _checker.RuleSyntaxOf(name);
            var syntax = other?.Items.OfType<WindowSyntax>().FirstOrDefault();
            if (other is null || syntax?.Event is null || syntax.Years.Value < 1 || name == RuleName)
            {
                Report(DiagnosticCatalog.AfterWindowOfNoWindow, a.Rule.Span, RuleName, name,
                    other is null ? "is not a rule of the policy" : name == RuleName ? "is this rule itself" : "has no event window");
                return null;
            }
            var eventName = syntax.Event.Text;
            var known = _scope.GetValueOrDefault(eventName);
            if (known is FactSymbol { Fact.Kind: not FactKind.Date } || (known is not null && known is not FactSymbol))
            {
                Report(DiagnosticCatalog.AfterWindowOfNoWindow, a.Rule.Span, RuleName, name, "starts at " + eventName + ", a name of this rule that is not a date fact");
                return null;
            }
            var chinese = _checker.TextOf(a.Span).StartsWith("享受完", StringComparison.Ordinal);
            if (known is null)
            {
                var description = other.Items.OfType<FactSyntax>().FirstOrDefault(f => f.Name.Text == eventName)?.Description?.Value
                                  ?? (chinese ? $"{name} 的窗口起算日期" : $"the date {name}'s window starts from");
                var eventFact = new Fact(eventName, FactKind.Date, null, EquatableArray<Member>.Empty, null, description, a.Span);
                Declare(new FactSymbol(eventFact));
                _afterFacts.Add(eventFact);
            }
            var yearName = chinese ? name + "窗口年度" : "window_year_of_" + name;
            var yearFact = new Fact(yearName, FactKind.Quantity, Unit.Dimensionless, EquatableArray<Member>.Empty, null, chinese
                ? $"{name} 的窗口年度，由申请日期与{eventName}推出，不填写"
                : $"the year of {name}'s window, derived from the application's date and {eventName}; not given", a.Span, Derived: true);
            if (!Declare(new FactSymbol(yearFact))) return null;
            _afterFacts.Add(yearFact);
            var start = syntax.Start switch { S.WindowStart.YearOf => Runtime.WindowStart.YearOf, S.WindowStart.YearAfter => Runtime.WindowStart.YearAfter, _ => Runtime.WindowStart.Date };
            // §30.1: the other rule's years (its own 'year starts', else the policy's), read without reporting: its binder reports.
            var otherYear = other.Items.OfType<YearStartSyntax>().FirstOrDefault() is { } ys && PolicyChecker.YearStartOf(ys) is { } own
                ? own : _checker.YearStart;
            window = new EventWindow(eventName, start, syntax.Years.Value, false, yearName, a.Span, Year: otherYear);
            _after[name] = window;
        }
        var year = new FactRef(window.YearFact, Unit.Dimensionless, Interval.NonNegative, a.Span);
        return new CompareCondition(year, Comparison.Greater, Constant(window.Years, Unit.Dimensionless, a.Span), a.Span);
    }

    private static string KindText(FactKind kind) => kind switch
    {
        FactKind.Quantity => "quantity",
        FactKind.YesNo => "yes/no",
        FactKind.Level => "level",
        FactKind.OneOf => "one-of",
        _ => "date",
    };

    /// <summary>§27.12: 'qualifies on D' (认定 于 D): D a date fact of the rule, not beside a window (whose event already
    /// qualifies); its one condition is the qualifying part of a window's (D within the rule's validity, else the policy's).</summary>
    private (string Event, Requirement? Requirement)? BindQualifies(QualifiesSyntax? q, EquatableArray<StatementSyntax> items, EventWindow? window)
    {
        if (q is null) return null;
        var name = q.Event.Text;
        var fact = _scope.GetValueOrDefault(name) is FactSymbol fs ? fs.Fact : null;
        if (fact is null || fact.Kind != FactKind.Date || fact.Derived)
        {
            Report(DiagnosticCatalog.QualifyingEventNotDate, q.Event.Span, RuleName, name,
                fact is null ? "not a fact of rule " + RuleName : fact.Derived ? "derived from the application's date" : "a " + KindText(fact.Kind) + " fact");
            return null;
        }
        var windowLine = items.OfType<WindowSyntax>().FirstOrDefault();
        if (windowLine is not null)
        {
            Report(DiagnosticCatalog.QualifiesWithWindow, q.Span, RuleName, name, window?.Event ?? windowLine.Event?.Text ?? "?");
            return null;
        }
        var chinese = _checker.TextOf(q.Span).StartsWith("认定", StringComparison.Ordinal);
        return (name, QualifyRequirement(name, chinese, items, q.Span, chinese ? $"认定 于 {name}：" : $"qualifies on {name}: "));
    }

    /// <summary>The qualifying condition of an event date: it lies in the rule's validity, else the policy's (none without one).</summary>
    private Requirement? QualifyRequirement(string eventName, bool chinese, EquatableArray<StatementSyntax> items, TextSpan span, string prefix)
    {
        var ruleValidity = items.OfType<EffectiveSyntax>().FirstOrDefault();
        DateRange? qualify = ruleValidity is { } e ? RangeOf(e) : _checker.Validity;
        var whose = ruleValidity is null ? (chinese ? "政策有效期" : "the policy's validity") : (chinese ? "本规则有效期" : "the rule's validity");
        var ev = new FactValueRef(eventName, FactKind.Date, span);
        if (qualify is { Open: true } open)
        {
            // §30.3: an open-ended validity bounds the event below only.
            return new Requirement(new CompareCondition(ev, Comparison.GreaterOrEqual, new DateExpr(open.From, span), span), prefix + (chinese
                ? $"{eventName} 在{whose}内（自 {Day(open.From)} 起，未规定截止日期）"
                : $"{eventName} within {whose} {Day(open.From)} onwards (no end)"), span);
        }
        if (qualify is not { } q) return null;
        var condition = new M.AndCondition(
            new CompareCondition(ev, Comparison.GreaterOrEqual, new DateExpr(q.From, span), span),
            new CompareCondition(ev, Comparison.LessOrEqual, new DateExpr(q.Through, span), span), span);
        return new Requirement(condition, prefix + (chinese
            ? $"{eventName} 在{whose}内（{Day(q.From)} 至 {Day(q.Through)}）"
            : $"{eventName} within {whose} {Day(q.From)} through {Day(q.Through)}"), span);
    }

    /// <summary>The window's own conditions: the event (the qualifying date) falls in the rule's or the policy's validity, and
    /// the application's window year is 1…N. The application's date itself may be past the policy's end (§27.1).</summary>
    private IEnumerable<Requirement> WindowRequirements(EventWindow w, EquatableArray<StatementSyntax> items)
    {
        var span = w.Span;
        var chinese = w.YearFact == "窗口年度";
        if (QualifyRequirement(w.Event, chinese, items, span, "") is { } qualify) yield return qualify;
        var year = new FactRef(w.YearFact, Unit.Dimensionless, Interval.NonNegative, span);
        var inWindow = new M.AndCondition(
            new CompareCondition(year, Comparison.GreaterOrEqual, Constant(1m, Unit.Dimensionless, span), span),
            new CompareCondition(year, Comparison.LessOrEqual, Constant(w.Years, Unit.Dimensionless, span), span), span);
        var from = (w.Start, chinese) switch
        {
            (Runtime.WindowStart.YearOf, true) => $"自{w.Event}当年起",
            (Runtime.WindowStart.YearAfter, true) => $"自{w.Event}次年起",
            (_, true) => $"自{w.Event}起",
            (Runtime.WindowStart.YearOf, false) => $"from the year of {w.Event}",
            (Runtime.WindowStart.YearAfter, false) => $"from the year after {w.Event}",
            _ => $"from {w.Event}",
        };
        if (w.History is { } history)
        {
            var unbroken = new M.OrCondition(
                new CompareCondition(year, Comparison.LessOrEqual, Constant(1m, Unit.Dimensionless, span), span),
                new FactIsTrue(history, span), span);
            yield return new Requirement(unbroken, chinese
                ? $"连续：{w.YearFact} 为 1 或 {history}"
                : $"consecutive: {w.YearFact} is 1 or {history}", span);
        }
        yield return new Requirement(inWindow, chinese
            ? $"{w.YearFact} 在 1 至 {w.Years} 之间（{from}{(w.Consecutive ? "连续" : "")}{w.Years}年）"
            : $"{w.YearFact} from 1 to {w.Years} ({w.Years} {(w.Consecutive ? "consecutive " : "")}years {from})", span);
    }

    private Expr? DateOutsideComparison(DateExpression d)
    {
        Report(DiagnosticCatalog.WrongKindOfName, d.Span, _checker.TextOf(d.Span), "a date", "a quantity (a date is only compared with a date)");
        return null;
    }

    private bool IsDateSyntax(ExpressionSyntax e) => e switch
    {
        DateExpression => true,
        NameExpression n => _scope.GetValueOrDefault(n.Name.Text) is FactSymbol { Fact.Kind: FactKind.Date },
        BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract } b => IsDateSyntax(b.Left),
        _ => false,
    };

    /// <summary>A date operand of a comparison: a date fact, a date literal, or one of them plus or minus a whole number of months or years.</summary>
    private Expr? BindDate(ExpressionSyntax e)
    {
        switch (e)
        {
            case DateExpression d when TryDate(d.Date) is { } date:
                return new DateExpr(date, d.Span);
            case DateExpression d:
                Report(DiagnosticCatalog.NumberOutOfRange, d.Span, "a date of the calendar", _checker.TextOf(d.Span));
                return null;
            case NameExpression n when _scope.GetValueOrDefault(n.Name.Text) is FactSymbol { Fact.Kind: FactKind.Date } fs:
                return new FactValueRef(fs.Fact.Name, FactKind.Date, n.Span);
            case BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract } b when IsDateSyntax(b.Left):
            {
                var date = BindDate(b.Left);
                var shift = BindExpression(b.Right);
                if (date is null || shift is null) return null;
                if (shift is not ConstantExpr { Unit: var u } k || u != Unit.Months || k.Value != decimal.Truncate(k.Value) || Math.Abs(k.Value) > 120000m)
                {
                    Report(DiagnosticCatalog.WrongKindOfName, b.Right.Span, _checker.TextOf(b.Right.Span), "not a whole number of months or years",
                        "a time such as '2 years' or '6 months' (2 年, 6 个月) to move the date by");
                    return null;
                }
                var months = (int)k.Value;
                return new DateShiftExpr(date, b.Operator == BinaryOperator.Subtract ? -months : months, b.Span);
            }
            default:
                Report(DiagnosticCatalog.WrongKindOfName, e.Span, _checker.TextOf(e.Span), "not a date",
                    "a date fact, a date (2026-01-01) or a date plus a time to compare with a date");
                return null;
        }
    }

    /// <summary>A rule's validity as its line states it (the line's own errors are reported where it is bound).</summary>
    private static DateRange? RangeOf(EffectiveSyntax e)
    {
        if (TryDate(e.From) is not { } from) return null;
        if (e.Open) return new DateRange(from, DateOnly.MaxValue, Open: true);
        if (e.Through is { } through) return TryDate(through) is { } t && t >= from ? new DateRange(from, t) : null;
        if (e.Years is not { Value: >= 1 and <= 100 } years) return null;
        var end = Runtime.EventWindows.AddYears(from, years.Value);
        return new DateRange(from, end == DateOnly.MaxValue ? end : end.AddDays(-1), e.Provisional, years.Value);
    }

    private static DateOnly? TryDate(DateLiteral d) =>
        d.Year is >= 1 and <= 9999 && d.Month is >= 1 and <= 12 && d.Day >= 1 && d.Day <= DateTime.DaysInMonth(d.Year, d.Month)
            ? new DateOnly(d.Year, d.Month, d.Day) : null;

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>yearly(a, b, c): a in window year 1, b in year 2, …; read as "if window_year &lt;= 1 then a else if … else c".</summary>
    private Expr? BindYearly(YearlyExpression y)
    {
        if (_window is not { } w)
        {
            Report(DiagnosticCatalog.ScheduleWithoutWindow, y.Span, RuleName);
            return null;
        }
        if (y.Values.Count != w.Years)
        {
            Report(DiagnosticCatalog.ScheduleLengthDiffers, y.Span, RuleName, y.Values.Count.ToString(CultureInfo.InvariantCulture),
                w.Years.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        var values = y.Values.AsImmutableArray();
        ExpressionSyntax chain = values[^1];
        for (var i = values.Length - 2; i >= 0; i--)
        {
            var v = values[i];
            var test = new ComparisonCondition(new NameExpression(new Identifier(w.YearFact, y.Span), y.Span), ComparisonOperator.LessOrEqual,
                new QuantityExpression(new QuantitySyntax(i + 1, null, y.Span), y.Span), y.Span);
            chain = new S.ConditionalExpression(test, v, chain, y.Span);
        }
        return BindExpression(chain);
    }
}
