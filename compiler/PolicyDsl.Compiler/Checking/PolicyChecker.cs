using System.Globalization;
using PolicyDsl.Diagnostics;
using PolicyDsl.Model;
using PolicyDsl.Syntax;
using PolicyDsl.Text;

namespace PolicyDsl.Checking;

/// <summary>
/// Checks one policy (and its implementation rules): the header, the document structure, every rule
/// (through <see cref="RuleBinder"/>, in dependency order), the general provisions, and the rules file.
/// One instance per compilation; the result is the immutable <see cref="CheckedPolicy"/>.
/// </summary>
internal sealed class PolicyChecker
{
    private readonly ParsedSource _policy;
    private readonly ParsedSource? _rules;
    private readonly List<Diagnostic> _policyDiagnostics = new();
    private readonly List<Diagnostic> _rulesDiagnostics = new();

    // Rule syntaxes by name (first declaration wins), and the rules bound so far.
    private readonly Dictionary<string, (RuleSyntax Syntax, int Clause, EquatableArray<string> ClauseSources)> _ruleSyntax = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Model.Rule?> _bound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _costs = new(StringComparer.Ordinal);
    private readonly List<string> _binding = new(); // the chain of rules being bound, to find cycles
    private readonly Dictionary<(string Rule, string Param), List<SetSyntax>> _sets = new();

    public PolicyChecker(ParsedSource policy, ParsedSource? rules)
    {
        _policy = policy;
        _rules = rules;
        PolicySink = new DiagnosticSink(policy.Path, policy.CreateLineMap(), _policyDiagnostics);
        RulesSink = rules is null ? null : new DiagnosticSink(rules.Path, rules.CreateLineMap(), _rulesDiagnostics);
    }

    public DiagnosticSink PolicySink { get; }

    public DiagnosticSink? RulesSink { get; }

    public Unit AwardUnit { get; private set; } = Unit.Yuan;

    /// <summary>The money the policy pays: yuan, or the currency its header names with 'paid in' (§24.8).</summary>
    public Unit Money { get; private set; } = Unit.Yuan;

    /// <summary>The currencies the header declares, by name.</summary>
    private readonly Dictionary<string, DeclaredCurrency> _currencies = new(StringComparer.Ordinal);

    /// <summary>The smallest amount the currency can pay (0.01 AUD), or null for yuan and non-money units.</summary>
    public decimal? MinorUnitOf(Unit unit) =>
        unit.Others is [{ Exponent: 1 } only] && unit.Scale == 1m && unit.Money == 0 && unit.Points == 0 && _currencies.TryGetValue(only.Dimension, out var c) ? c.Minor : null;

    public decimal? MoneyPerPoint { get; private set; }

    public DateRange? Validity { get; private set; }

    /// <summary>§30.1: the day the policy's year starts (the calendar year unless a 'year starts' line says).</summary>
    public Runtime.YearStart YearStart { get; private set; }

    public bool HasImplementation => _rules?.Syntax.Implementation is not null;

    /// <summary>The rules file is written in Chinese keywords (实施细则): a fix it is told is spelt in them too (设定, not set).</summary>
    public bool RulesInChinese => _rules?.Syntax.Implementation is { } impl && impl.Span.Start + 4 <= _rules.Text.Length
        && string.CompareOrdinal(_rules.Text, impl.Span.Start, "实施细则", 0, 4) == 0;

    public TextSpan ImplementationSpan => _rules?.Syntax.Implementation is { } impl ? impl.Policy.Span : default;

    public IReadOnlyList<SetSyntax> SetsFor(string rule, string param) =>
        _sets.TryGetValue((rule, param), out var list) ? list : Array.Empty<SetSyntax>();

    public string TextOf(TextSpan span) =>
        span.Start >= 0 && span.End <= _policy.Text.Length ? _policy.Text.Substring(span.Start, span.Length).Trim() : "";

    public bool HasRule(string name) => _ruleSyntax.ContainsKey(name);

    /// <summary>The syntax of a rule of the policy by name (§27.10 reads another rule's window), or null.</summary>
    public RuleSyntax? RuleSyntaxOf(string name) => _ruleSyntax.TryGetValue(name, out var entry) ? entry.Syntax : null;

    /// <summary>The policy's rule names, for "did you mean".</summary>
    public IEnumerable<string> RuleNames => _ruleSyntax.Keys;

    /// <summary>How long a chain of rules reading each other's awards may be (the evaluator allows the same).</summary>
    public const int MaxRuleChain = 64;

    // Where each container line starts, to find the text region a rule owns (up to the next container line).
    private List<int>? _containerStarts;

    // What a line that failed to parse leaves behind: a missing award, cap, fact or case. These reports
    // would only echo the syntax error, so a rule with a broken line does not make them.
    private static readonly HashSet<DiagnosticDescriptor> Echoes = new()
    {
        DiagnosticCatalog.UnknownName, DiagnosticCatalog.MissingAward, DiagnosticCatalog.UnboundedAward,
        DiagnosticCatalog.UnboundFacts, DiagnosticCatalog.MissingTableCell, DiagnosticCatalog.BandGap,
        DiagnosticCatalog.WrongKeyCount, DiagnosticCatalog.RelativeCapUnbounded,
        // A fact read only by a line that failed to parse is not unused.
        DiagnosticCatalog.UnusedFact,
    };

    /// <summary>
    /// The sink a rule reports into: without the echoes of a syntax error when a line in the rule's region
    /// failed to parse; every independent problem is still reported.
    /// </summary>
    public DiagnosticSink SinkFor(RuleSyntax rule)
    {
        var policy = _policy.Syntax.Policy;
        if (policy is null || _policy.Syntax.Errors.IsEmpty) return PolicySink;
        _containerStarts ??= policy.Sections.Select(s => s.Span.Start)
            .Concat(policy.Sections.SelectMany(s => s.Clauses).Select(c => c.Span.Start))
            .Concat(policy.Sections.SelectMany(s => s.Clauses).SelectMany(c => c.Rules).Select(r => r.Span.Start))
            .Concat(policy.Generals.SelectMany(g => g.Provisions.Select(p => p.Span.Start).Append(g.Span.Start)))
            .OrderBy(x => x).ToList();
        var start = rule.Span.Start;
        var end = _containerStarts.FirstOrDefault(x => x > start, _policy.Text.Length);
        var broken = _policy.Syntax.Errors.Any(e => e.Span.Start >= start && e.Span.Start < end);
        return broken ? PolicySink.Without(Echoes) : PolicySink;
    }

    public Compilation Check()
    {
        var policy = _policy.Syntax.Policy;
        CheckedPolicy? result = null;
        if (policy is null)
        {
            if (_policy.Syntax.Implementation is not null)
                PolicySink.Report(DiagnosticCatalog.WrongFileKind, _policy.Syntax.Implementation.Policy.Span, _policy.Path,
                    "a policy ('policy NAME \"title\"') to check these implementation rules against", "implementation rules alone");
        }
        else
        {
            result = CheckPolicy(policy);
        }
        var all = _policy.Diagnostics.AsImmutableArray()
            .AddRange(_rules?.Diagnostics ?? EquatableArray<Diagnostic>.Empty)
            .AddRange(CausesFirst(Ordered(_policyDiagnostics).Concat(Ordered(_rulesDiagnostics))));
        return new Compilation(result, all);
    }

    /// <summary>
    /// Unknown and duplicate names (PDSL01xx) come before what they cause: a 'set' line naming a misspelt
    /// rule (PDSL0103) is printed before the "parameter not set" (PDSL0401) it leaves behind, in either file.
    /// </summary>
    private static IEnumerable<Diagnostic> CausesFirst(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Select((d, i) => (d, i)).OrderBy(x => x.d.Id.StartsWith("PDSL01", StringComparison.Ordinal) ? 0 : 1).ThenBy(x => x.i).Select(x => x.d);

    private static IEnumerable<Diagnostic> Ordered(List<Diagnostic> list) =>
        list.Select((d, i) => (d, i)).OrderBy(x => x.d.Span.Start).ThenBy(x => x.i).Select(x => x.d);

    private CheckedPolicy CheckPolicy(PolicySyntax policy)
    {
        // ---- header ----
        var header = policy.Header;
        var effective = Single<EffectiveSyntax>(header, "'effective'", "the policy header");
        if (effective is not null) Validity = BindDateRange(effective, PolicySink);
        else PolicySink.Report(DiagnosticCatalog.MissingValidity, policy.Name.Span, policy.Name.Text, "none");
        if (Single<YearStartSyntax>(header, "'year starts'", "the policy header") is { } yearStart && BindYearStart(yearStart, PolicySink) is { } ys)
            YearStart = ys;

        // Units and currencies first: the point value and every amount may be written in them.
        DeclareUnits(header);
        if (Single<PaidInSyntax>(header, "'paid in'", "the policy header") is { } paidIn)
        {
            if (_currencies.ContainsKey(paidIn.Currency.Name)) Money = AwardUnit = Unit.Declared(paidIn.Currency.Name);
            else if (paidIn.Currency.Name != "yuan") PolicySink.Report(DiagnosticCatalog.PaidInNotACurrency, paidIn.Currency.Span, paidIn.Currency.Name,
                _currencies.Count == 0 ? "none declared" : string.Join(", ", _currencies.Keys));
        }
        var pointValue = Single<PointValueSyntax>(header, "'points worth'", "the policy header");
        if (pointValue is not null)
        {
            var mpp = QuantityIn(pointValue.MoneyPerPoint, Money, "The point value", PolicySink);
            if (mpp is { } m && m <= 0)
                PolicySink.Report(DiagnosticCatalog.NumberOutOfRange, pointValue.MoneyPerPoint.Span, "a positive amount of money per point", Quantity.Format(m, Money));
            else if (mpp is not null)
            {
                MoneyPerPoint = mpp;
                AwardUnit = Unit.AwardPoints;
            }
            else AwardUnit = Unit.AwardPoints; // declared, though badly: still a points policy
        }
        var payer = Single<PaidBySyntax>(header, "'paid by'", "the policy header")?.Payer.Value;
        var supersedes = header.OfType<SupersedesSyntax>().SelectMany(s => s.Documents).Select(d => d.Value).ToEquatableArray();
        var interpreted = header.OfType<InterpretedBySyntax>().SelectMany(s => s.Departments).Select(d => d.Value).ToEquatableArray();

        // ---- structure: numbers and rule names ----
        var sectionNumbers = new Dictionary<int, TextSpan>();
        var clauseNumbers = new Dictionary<int, TextSpan>();
        foreach (var section in policy.Sections)
        {
            if (sectionNumbers.TryGetValue(section.Number.Value, out var firstSection))
                PolicySink.Report(DiagnosticCatalog.DuplicateNumber, section.Number.Span, "Section", section.Number.Value, PolicySink.Line(firstSection));
            else sectionNumbers[section.Number.Value] = section.Number.Span;
            foreach (var clause in section.Clauses)
            {
                if (clauseNumbers.TryGetValue(clause.Number.Value, out var firstClause))
                    PolicySink.Report(DiagnosticCatalog.DuplicateNumber, clause.Number.Span, "Clause", clause.Number.Value, PolicySink.Line(firstClause));
                else clauseNumbers[clause.Number.Value] = clause.Number.Span;
                var clauseSources = clause.Items.OfType<SourceSyntax>().Select(s => s.Text.Value).ToEquatableArray();
                var inherited = Conditions(header).Concat(Conditions(section.Items)).Concat(Conditions(clause.Items)).ToList();
                foreach (var written in clause.Rules)
                {
                    var rule = _withInherited[written] = Inherit(written, inherited);
                    if (_ruleSyntax.TryGetValue(rule.Name.Text, out var first))
                        PolicySink.Report(DiagnosticCatalog.DuplicateName, rule.Name.Span, rule.Name.Text, "policy " + policy.Name.Text, PolicySink.Line(first.Syntax.Name.Span));
                    else _ruleSyntax[rule.Name.Text] = (rule, clause.Number.Value, clauseSources);
                }
            }
        }

        // ---- implementation rules: collected before the rules bind, so parameters know their values ----
        ReadImplementation(policy);

        // ---- rules, each bound once, referenced rules first ----
        var sections = new List<Section>();
        foreach (var section in policy.Sections)
        {
            var clauses = new List<Clause>();
            foreach (var clause in section.Clauses)
            {
                var rules = new List<Model.Rule>();
                foreach (var written in clause.Rules)
                {
                    var r = _withInherited[written];
                    // A duplicate rule binds on its own (its errors still count) but is not part of the model.
                    if (_ruleSyntax.TryGetValue(r.Name.Text, out var entry) && !ReferenceEquals(entry.Syntax, r))
                    {
                        new RuleBinder(this, r, clause.Number.Value).Bind(EquatableArray<string>.Empty);
                        continue;
                    }
                    if (GetRule(r.Name.Text, r.Name.Span, null) is { } bound) rules.Add(bound);
                }
                clauses.Add(new Clause(clause.Number.Value, clause.Title.Value, rules.ToEquatableArray(),
                    Strings<SourceSyntax>(clause.Items, s => s.Text.Value), Strings<NoteSyntax>(clause.Items, n => n.Text.Value), clause.Span,
                    clause.Subsection is { } sub ? $"({sub.Number.Value}) {sub.Title.Value}" : null, Measures(clause.Items)));
            }
            sections.Add(new Section(section.Number.Value, section.Title.Value, section.Departments.Select(d => d.Value).ToEquatableArray(),
                clauses.ToEquatableArray(), Strings<SourceSyntax>(section.Items, s => s.Text.Value), Strings<NoteSyntax>(section.Items, n => n.Text.Value), section.Span));
        }

        CheckImplementationNames();
        CheckSharedCaps(sections);
        CheckChapterNumbers(policy, sectionNumbers);
        var general = CheckGeneral(policy.Generals, clauseNumbers);

        return new CheckedPolicy(policy.Name.Text, policy.Title.Value, Validity, AwardUnit, MoneyPerPoint, supersedes, interpreted, payer,
            sections.ToEquatableArray(), general, Strings<SourceSyntax>(header, s => s.Text.Value), Strings<NoteSyntax>(header, n => n.Text.Value),
            _rules?.Syntax.Implementation?.Title?.Value)
        {
            Units = _units.Select(u => new DeclaredUnit(u.Key, u.Value.Unit)).ToEquatableArray(),
            Money = Money,
            Currencies = _currencies.Values.ToEquatableArray(),
            YearStart = YearStart,
        };
    }

    /// <summary>§30.1: the year a 'year starts' line gives, or null for a day not every year has; reports nothing.</summary>
    public static Runtime.YearStart? YearStartOf(YearStartSyntax y) =>
        y.Month.Value is >= 1 and <= 12 && y.Day.Value >= 1 && y.Day.Value <= DateTime.DaysInMonth(2001, y.Month.Value)
            ? new Runtime.YearStart(y.Month.Value, y.Day.Value) : null;

    /// <summary>§30.1: year starts MM-DD — a month 1-12 and a day every year has (29 February is not one).</summary>
    public Runtime.YearStart? BindYearStart(YearStartSyntax y, DiagnosticSink sink)
    {
        if (YearStartOf(y) is { } start) return start;
        sink.Report(DiagnosticCatalog.InvalidYearStart, y.Span,
            y.Month.Value.ToString("D2", CultureInfo.InvariantCulture) + "-" + y.Day.Value.ToString("D2", CultureInfo.InvariantCulture));
        return null;
    }

    /// <summary>
    /// §24.2: the caps that share a total state it alike — one fixed limit, one scope, one period — so the total has one
    /// meaning whichever rule pays into it first. The first rule (in document order) states it; the others are compared.
    /// </summary>
    private void CheckSharedCaps(List<Section> sections)
    {
        var first = new Dictionary<string, (string Rule, Cap Cap)>(StringComparer.Ordinal);
        var years = new Dictionary<string, Runtime.YearStart>(StringComparer.Ordinal);
        foreach (var rule in sections.SelectMany(s => s.Clauses).SelectMany(c => c.Rules))
        {
            years.TryAdd(rule.Name, rule.YearStart);
            foreach (var cap in rule.Caps.Where(c => c.Shared is not null))
            {
                var shared = cap.Shared!;
                if (!first.TryGetValue(shared, out var stated))
                {
                    if (cap.Limit is not ConstantExpr)
                        PolicySink.Report(DiagnosticCatalog.SharedCapMismatch, cap.Span, shared, rule.Name, cap.Describe(), rule.Name, "a fixed amount");
                    first[shared] = (rule.Name, cap);
                    continue;
                }
                var same = cap.Limit is ConstantExpr a && stated.Cap.Limit is ConstantExpr b && a.Value == b.Value
                    && cap.Scope == stated.Cap.Scope && cap.Period == stated.Cap.Period
                    && cap.Years == stated.Cap.Years && cap.Rolling == stated.Cap.Rolling && cap.FromYear == stated.Cap.FromYear;
                if (!same)
                    PolicySink.Report(DiagnosticCatalog.SharedCapMismatch, cap.Span, shared, rule.Name, cap.Describe(), stated.Rule, stated.Cap.Describe());
                else if (cap.Period != CapPeriod.Cumulative && years.TryGetValue(stated.Rule, out var theirs) && theirs != rule.YearStart)
                    PolicySink.Report(DiagnosticCatalog.SharedCapYearsDiffer, cap.Span, rule.Name, shared, stated.Rule, theirs.ToString(), rule.YearStart.ToString());
            }
        }
    }

    private readonly Dictionary<RuleSyntax, RuleSyntax> _withInherited = new(ReferenceEqualityComparer.Instance);

    /// <summary>The facts and conditions a policy header, a section or a clause states for every rule under it (适用于…).</summary>
    private static IEnumerable<StatementSyntax> Conditions(EquatableArray<StatementSyntax> items) =>
        items.Where(i => i is FactSyntax or RequiresSyntax);

    /// <summary>
    /// A rule with the facts and conditions of the policy, its section and its clause put before its own (§24.1): the
    /// facts first, then the conditions, outermost first. A rule that declares an inherited fact again is a duplicate
    /// name (the fact is declared once, where the text states it).
    /// </summary>
    private static RuleSyntax Inherit(RuleSyntax rule, List<StatementSyntax> inherited)
    {
        if (inherited.Count == 0) return rule;
        var items = inherited.OfType<FactSyntax>().Cast<StatementSyntax>()
            .Concat(inherited.OfType<RequiresSyntax>())
            .Concat(rule.Items);
        return rule with { Items = items.ToEquatableArray() };
    }

    private static EquatableArray<string> Strings<T>(EquatableArray<StatementSyntax> items, Func<T, string> select) =>
        items.OfType<T>().Select(select).ToEquatableArray();

    private T? Single<T>(EquatableArray<StatementSyntax> items, string what, string where) where T : StatementSyntax
    {
        var lines = items.OfType<T>().ToList();
        for (var i = 1; i < lines.Count; i++)
            PolicySink.Report(DiagnosticCatalog.DuplicateLine, lines[i].Span, what, where, PolicySink.Line(lines[0].Span));
        return lines.Count > 0 ? lines[0] : null;
    }

    /// <summary>The bound rule of a name, binding it on first use; reports unknown rules and cycles.</summary>
    public Model.Rule? GetRule(string name, TextSpan span, string? from)
    {
        if (_bound.TryGetValue(name, out var done)) return done;
        if (!_ruleSyntax.TryGetValue(name, out var entry))
        {
            PolicySink.ReportUnknown(DiagnosticCatalog.UnknownRule, span, name, _ruleSyntax.Keys, name, RuleList());
            return null;
        }
        if (_binding.Contains(name))
        {
            var cycle = string.Join(" → ", _binding.SkipWhile(n => n != name).Append(name));
            PolicySink.Report(DiagnosticCatalog.CircularReference, span, name, cycle);
            return null;
        }
        if (_binding.Count >= MaxRuleChain)
        {
            // Binding recurses through referenced rules; a chain this long is not a policy, and must not overflow the stack.
            PolicySink.Report(DiagnosticCatalog.TooDeeplyNested, span,
                $"at most {MaxRuleChain} rules in a chain of awards referring to each other", $"rule {name} at depth {_binding.Count + 1}");
            return null;
        }
        _binding.Add(name);
        try
        {
            var rule = new RuleBinder(this, entry.Syntax, entry.Clause).Bind(entry.ClauseSources);
            _bound[name] = rule;
            CheckEvaluationCost(rule, entry.Syntax);
            return rule;
        }
        finally
        {
            _binding.RemoveAt(_binding.Count - 1);
        }
    }

    /// <summary>
    /// Rejects a rule whose evaluation would expand to more than <see cref="EvaluationCost.Budget"/> rule
    /// evaluations (reported once, at the rule that crosses the budget, not again at each rule calling it).
    /// </summary>
    private void CheckEvaluationCost(Model.Rule rule, RuleSyntax syntax)
    {
        var callees = new SortedSet<string>(StringComparer.Ordinal);
        var calleeOver = false;
        var cost = EvaluationCost.Of(rule, callee =>
        {
            callees.Add(callee);
            var c = _costs.GetValueOrDefault(callee, 1);
            calleeOver |= c > EvaluationCost.Budget;
            return c;
        });
        _costs[rule.Name] = cost;
        if (cost <= EvaluationCost.Budget || calleeOver) return;
        var at = EvaluationCost.FirstCall(rule)?.Span ?? syntax.Name.Span;
        SinkFor(syntax).Report(DiagnosticCatalog.EvaluationTooCostly, at, rule.Name,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"more than {EvaluationCost.Budget:N0}"),
            string.Join(", ", callees), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{EvaluationCost.Budget:N0}"));
    }

    private string RuleList()
    {
        var names = _ruleSyntax.Keys.ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names.Take(12)) + (names.Count > 12 ? ", ..." : "");
    }

    // ---------- implementation rules ----------

    private void ReadImplementation(PolicySyntax policy)
    {
        if (_rules is null || RulesSink is null) return;
        var impl = _rules.Syntax.Implementation;
        if (impl is null)
        {
            if (_rules.Syntax.Policy is { } p)
                RulesSink.Report(DiagnosticCatalog.WrongFileKind, p.Name.Span, _rules.Path, "implementation rules ('implementation of " + policy.Name.Text + "')", "a policy");
            return;
        }
        if (impl.Policy.Text != policy.Name.Text)
            RulesSink.Report(DiagnosticCatalog.WrongPolicy, impl.Policy.Span, impl.Policy.Text, policy.Name.Text);
        foreach (var set in impl.Items.OfType<SetSyntax>())
        {
            var key = (set.Rule.Text, set.Parameter.Text);
            if (!_sets.TryGetValue(key, out var list)) _sets[key] = list = new List<SetSyntax>();
            list.Add(set);
        }
    }

    /// <summary>Sets naming a rule or parameter that does not exist (the rest was checked as each rule bound).</summary>
    private void CheckImplementationNames()
    {
        if (RulesSink is null || !HasImplementation) return;
        foreach (var ((ruleName, paramName), sets) in _sets)
        {
            var rule = _bound.GetValueOrDefault(ruleName);
            if (!_ruleSyntax.ContainsKey(ruleName))
            {
                foreach (var s in sets) RulesSink.ReportUnknown(DiagnosticCatalog.UnknownRule, s.Rule.Span, ruleName, _ruleSyntax.Keys, ruleName, RuleList());
                continue;
            }
            if (rule is null) continue; // the rule failed to bind: reported in the policy
            // A rule with a line that failed to parse may have lost the parameter's declaration: no echo here either.
            var syntax = _ruleSyntax[ruleName].Syntax;
            if (rule.FindParameter(paramName) is null && !DeclaresParameter(syntax, paramName) && ReferenceEquals(SinkFor(syntax), PolicySink))
            {
                var names = rule.Parameters.Select(p => p.Name).ToList();
                foreach (var s in sets)
                    RulesSink.ReportUnknown(DiagnosticCatalog.UnknownParameter, s.Parameter.Span, paramName, names, ruleName, paramName, names.Count == 0 ? "none (the rule has no parameters)" : string.Join(", ", names));
            }
        }
    }

    private static bool DeclaresParameter(RuleSyntax rule, string name) => rule.Items.OfType<ParamSyntax>().Any(p => p.Name.Text == name);

    // ---------- general provisions ----------

    /// <summary>
    /// §29: sections and chapters of general provisions share the document's chapter numbering (一、二、三、…). A numbered
    /// general chapter takes a number no section has, stands where its number puts it among the numbered chapters around it,
    /// and holds at least one provision.
    /// </summary>
    private void CheckChapterNumbers(PolicySyntax policy, Dictionary<int, TextSpan> sectionNumbers)
    {
        var generalNumbers = new Dictionary<int, TextSpan>();
        foreach (var g in policy.Generals)
        {
            if (g.Provisions.IsEmpty)
                PolicySink.Report(DiagnosticCatalog.EmptyGeneralChapter, g.Number?.Span ?? g.Title.Span, ChapterName(g));
            if (g.Number is not { } n) continue;
            if (sectionNumbers.TryGetValue(n.Value, out var first) || generalNumbers.TryGetValue(n.Value, out first))
                PolicySink.Report(DiagnosticCatalog.DuplicateNumber, n.Span, "Chapter", n.Value, PolicySink.Line(first));
            else generalNumbers[n.Value] = n.Span;
        }
        // Each numbered general chapter against the nearest numbered chapters before and after it, in document order.
        var numbered = policy.Chapters.Select(c => c switch
        {
            SectionSyntax s => (Node: c, Number: (int?)s.Number.Value, IsGeneral: false, Name: $"section {s.Number.Value} \"{s.Title.Value}\""),
            GeneralSyntax g => (Node: c, Number: g.Number?.Value, IsGeneral: true, Name: ChapterName(g)),
            _ => (Node: c, Number: null, IsGeneral: false, Name: ""),
        }).Where(c => c.Number is > 0).ToList();
        for (var i = 0; i < numbered.Count; i++)
        {
            if (!numbered[i].IsGeneral) continue;
            var number = numbered[i].Number!.Value;
            var span = ((GeneralSyntax)numbered[i].Node).Number!.Span;
            if (i > 0 && numbered[i - 1].Number > number)
                PolicySink.Report(DiagnosticCatalog.GeneralChapterOutOfOrder, span, numbered[i].Name, "after", numbered[i - 1].Name);
            else if (i + 1 < numbered.Count && numbered[i + 1].Number < number)
                PolicySink.Report(DiagnosticCatalog.GeneralChapterOutOfOrder, span, numbered[i].Name, "before", numbered[i + 1].Name);
        }
    }

    private static string ChapterName(GeneralSyntax g) =>
        g.Number is { } n ? $"general chapter {n.Value} \"{g.Title.Value}\"" : $"general chapter \"{g.Title.Value}\"";

    private GeneralProvisions CheckGeneral(EquatableArray<GeneralSyntax> generals, Dictionary<int, TextSpan> clauses)
    {
        if (generals.IsEmpty) return GeneralProvisions.None;
        var chapters = new List<GeneralChapter>();
        var provisions = new List<Provision>();
        var noStacking = new List<string>();
        var elsewhere = new List<string>();
        var highest = new List<HighestOnlyGroup>();
        var shares = new List<CostShare>();
        // Provisions are numbered once across all chapters: a document numbers its articles (第20条 … 第26条) straight through.
        var numbers = new Dictionary<int, TextSpan>();
        foreach (var general in generals)
        {
            var inChapter = provisions.Count;
            foreach (var p in general.Provisions)
            {
                if (numbers.TryGetValue(p.Number.Value, out var first))
                    PolicySink.Report(DiagnosticCatalog.DuplicateNumber, p.Number.Span, "Provision", p.Number.Value, PolicySink.Line(first));
                else numbers[p.Number.Value] = p.Number.Span;
                provisions.Add(new Provision(p.Number.Value, p.Title?.Value, Strings<SourceSyntax>(p.Items, s => s.Text.Value), Strings<NoteSyntax>(p.Items, n => n.Text.Value), p.Span,
                    Measures(p.Items)));
                foreach (var item in p.Items)
                {
                    switch (item)
                    {
                        case NoStackingSyntax ns:
                            noStacking.Add(ns.Text?.Value ?? "");
                            break;
                        case HighestElsewhereSyntax he:
                            elsewhere.Add(he.Text?.Value ?? "");
                            break;
                        case HighestOnlySyntax h:
                        {
                            var names = new List<string>();
                            foreach (var id in h.Rules)
                            {
                                if (!_ruleSyntax.ContainsKey(id.Text)) PolicySink.ReportUnknown(DiagnosticCatalog.UnknownRule, id.Span, id.Text, _ruleSyntax.Keys, id.Text, RuleList());
                                else names.Add(id.Text);
                            }
                            highest.Add(new HighestOnlyGroup(names.ToEquatableArray(), h.Span));
                            break;
                        }
                        case CostShareSyntax cs:
                            if (CheckShare(cs, clauses) is { } share) shares.Add(share);
                            break;
                    }
                }
            }
            chapters.Add(new GeneralChapter(general.Number?.Value, general.Title.Value, provisions.Skip(inChapter).ToEquatableArray(), general.SectionsBefore, general.Span));
        }
        return new GeneralProvisions(generals[0].Title.Value, provisions.ToEquatableArray(), noStacking.ToEquatableArray(), highest.ToEquatableArray(), shares.ToEquatableArray())
        {
            HighestWithOtherPolicies = elsewhere.ToEquatableArray(),
            Chapters = chapters.ToEquatableArray(),
        };
    }

    private CostShare? CheckShare(CostShareSyntax cs, Dictionary<int, TextSpan> clauses)
    {
        var parts = new List<Share>();
        foreach (var s in cs.Shares)
        {
            var fraction = QuantityIn(s.Percent, Unit.Percent, $"The share of {s.Party.Value}", PolicySink);
            if (fraction is null) return null;
            parts.Add(new Share(s.Party.Value, fraction.Value));
        }
        var sum = parts.Sum(p => p.Fraction);
        if (sum != 1m)
            PolicySink.Report(DiagnosticCatalog.SharesNotHundred, cs.Span, cs.Location.Value, Quantity.Format(sum * 100m, Unit.Dimensionless) + "%");
        var list = string.Join(", ", clauses.Keys.OrderBy(k => k));
        foreach (var n in new[] { cs.ExceptFrom, cs.ExceptThrough })
            if (n is not null && !clauses.ContainsKey(n.Value))
                PolicySink.Report(DiagnosticCatalog.UnknownClause, n.Span, n.Value, list.Length == 0 ? "none" : list);
        if (cs.ExceptFrom is { } from && cs.ExceptThrough is { } through && through.Value < from.Value)
            PolicySink.Report(DiagnosticCatalog.UnknownClause, through.Span, through.Value, $"a clause number from {from.Value} on");
        return new CostShare(cs.Location.Value, parts.ToEquatableArray(), cs.ExceptFrom?.Value, cs.ExceptThrough?.Value ?? cs.ExceptFrom?.Value, cs.Span);
    }

    // ---------- declared units and measures ----------

    // The units the policy declares (unit 亩, unit 千瓦时 = 1 度), by their spelling.
    private readonly Dictionary<string, (Unit Unit, TextSpan Span)> _units = new(StringComparer.Ordinal);

    /// <summary>
    /// unit NAME declares a dimension of its own (亩 never mixes with m2 or with 层); unit NAME = Q declares a scale of
    /// a unit already known (built in or declared above it). The names are unit words for the whole file.
    /// </summary>
    private void DeclareUnits(EquatableArray<StatementSyntax> header)
    {
        // currency AUD …: a dimension of its own (AUD never mixes with yuan), with its symbol and minor unit (§24.8).
        foreach (var c in header.OfType<CurrencyDeclarationSyntax>())
        {
            var name = c.Name.Name;
            if (Unit.FromName(name) is not null)
            {
                PolicySink.Report(DiagnosticCatalog.UnitAlreadyKnown, c.Name.Span, _policy.Text.Substring(c.Name.Span.Start, c.Name.Span.Length), "a currency name that is not a built-in unit (AUD, USD, 澳元)");
                continue;
            }
            if (_units.TryGetValue(name, out var first))
            {
                PolicySink.Report(DiagnosticCatalog.DuplicateName, c.Name.Span, name, "the policy's units", PolicySink.Line(first.Span));
                continue;
            }
            var minor = 0.01m;
            if (c.Minor is { } m)
            {
                if (m.Unit is not null || m.Value <= 0m || m.Value > 1m)
                    PolicySink.Report(DiagnosticCatalog.NumberOutOfRange, m.Span, "a plain number above 0 and at most 1 (0.01: the currency's cent)",
                        _policy.Text.Substring(m.Span.Start, m.Span.Length));
                else minor = m.Value;
            }
            _units[name] = (Unit.Declared(name), c.Span);
            _currencies[name] = new DeclaredCurrency(name, c.Symbol?.Value, minor, c.Description?.Value);
        }
        foreach (var d in header.OfType<UnitDeclarationSyntax>())
        {
            var name = d.Name.Name;
            if (Unit.FromName(name) is not null)
            {
                PolicySink.Report(DiagnosticCatalog.UnitAlreadyKnown, d.Name.Span, _policy.Text.Substring(d.Name.Span.Start, d.Name.Span.Length), name);
                continue;
            }
            if (_units.TryGetValue(name, out var first))
            {
                PolicySink.Report(DiagnosticCatalog.DuplicateName, d.Name.Span, name, "the policy's units", PolicySink.Line(first.Span));
                continue;
            }
            if (d.Definition is not { } definition)
            {
                _units[name] = (Unit.Declared(name), d.Span);
                continue;
            }
            if (definition.Unit is null || definition.Unit.Names.Any(n => n.Name == name) || definition.Unit.Per.Any(n => n.Name == name))
            {
                PolicySink.Report(DiagnosticCatalog.UnitAlreadyKnown, definition.Span, _policy.Text.Substring(definition.Span.Start, definition.Span.Length),
                    "a unit in terms of another unit (unit 亿元 = 10000 万元)");
                continue;
            }
            var of = ResolveUnit(definition.Unit, PolicySink);
            if (of is null) continue;
            if (definition.Value <= 0)
            {
                PolicySink.Report(DiagnosticCatalog.NumberOutOfRange, definition.Span, "a positive amount of the unit it is defined by", Quantity.Format(definition.Value, of));
                continue;
            }
            var scale = RuleBinder.SafeMultiply(definition.Value, of.Scale);
            if (scale is null)
            {
                PolicySink.Report(DiagnosticCatalog.NumberOutOfRange, definition.Span, "a number that fits a decimal", Quantity.Format(definition.Value, of));
                continue;
            }
            _units[name] = (of with { Scale = scale.Value }, d.Span);
        }
    }

    private EquatableArray<Measure> Measures(EquatableArray<StatementSyntax> items)
    {
        var measures = new List<Measure>();
        foreach (var m in items.OfType<MeasureSyntax>())
        {
            decimal? amount = null;
            Unit? unit = null;
            if (m.Amount is { } q)
            {
                // A fund is money; a revenue share is a fraction (50%).
                unit = m.Kind == Syntax.MeasureKind.Fund ? Money : Unit.Percent;
                amount = QuantityIn(q, unit, m.Kind == Syntax.MeasureKind.Fund ? "The size of a fund" : "A revenue share", PolicySink);
                if (amount is null) continue;
                unit = unit.Base;
            }
            var kind = m.Kind switch
            {
                Syntax.MeasureKind.Support => Model.MeasureKind.Support,
                Syntax.MeasureKind.Fund => Model.MeasureKind.Fund,
                Syntax.MeasureKind.Penalty => Model.MeasureKind.Penalty,
                Syntax.MeasureKind.Procedure => Model.MeasureKind.Procedure,
                Syntax.MeasureKind.Precedence => Model.MeasureKind.Precedence,
                _ => Model.MeasureKind.RevenueSharing,
            };
            measures.Add(new Measure(kind, amount, unit, m.Text.Value, m.Span));
        }
        return measures.ToEquatableArray();
    }

    // ---------- shared helpers for the binders ----------

    public Unit? ResolveUnit(UnitSyntax syntax, DiagnosticSink sink)
    {
        var unit = Unit.Dimensionless;
        foreach (var (names, divide) in new[] { (syntax.Names, false), (syntax.Per, true) })
        {
            foreach (var name in names)
            {
                var u = Unit.FromName(name.Name) ?? (_units.TryGetValue(name.Name, out var declared) ? declared.Unit : null);
                if (u is null)
                {
                    // A word the file declares as a unit, whose declaration failed (reported there), or one declared below its use.
                    sink.Report(DiagnosticCatalog.UnknownName, name.Span, name.Name, "a unit declared above its use ('unit " + name.Name + "' in the policy header)");
                    return null;
                }
                unit = divide ? unit / u : unit * u;
            }
        }
        return unit;
    }

    /// <summary>A written quantity in the base unit of "expected"; a bare number takes the expected unit.</summary>
    public decimal? QuantityIn(QuantitySyntax q, Unit expected, string what, DiagnosticSink sink)
    {
        var unit = q.Unit is null ? expected : ResolveUnit(q.Unit, sink);
        if (unit is null) return null;
        if (!unit.SameDimension(expected))
        {
            sink.Report(DiagnosticCatalog.UnitMismatch, q.Span, what, expected.Base == Unit.Dimensionless && expected.Scale != 1m ? "%" : expected.Base.ToString(), unit);
            return null;
        }
        try
        {
            return q.Value * unit.Scale;
        }
        catch (OverflowException)
        {
            sink.Report(DiagnosticCatalog.NumberOutOfRange, q.Span, "a number that fits a decimal", q.Value.ToString(CultureInfo.InvariantCulture));
            return null;
        }
    }

    public DateOnly? ToDate(DateLiteral d, DiagnosticSink sink)
    {
        if (d.Year is >= 1 and <= 9999 && d.Month is >= 1 and <= 12 && d.Day >= 1 && d.Day <= DateTime.DaysInMonth(d.Year, d.Month))
            return new DateOnly(d.Year, d.Month, d.Day);
        sink.Report(DiagnosticCatalog.InvalidDate, d.Span, string.Create(CultureInfo.InvariantCulture, $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}"));
        return null;
    }

    public DateRange? BindDateRange(EffectiveSyntax e, DiagnosticSink sink)
    {
        var from = ToDate(e.From, sink);
        // §30.3: a start and no end — the window runs to the last date there is, and says it is open.
        if (e.Open) return from is { } start ? new DateRange(start, DateOnly.MaxValue, Open: true) : null;
        if (e.Through is null && e.Years is { } years)
        {
            // §27.5: "自发布之日起施行，暂定三年" — the last day is the day before the N-th anniversary.
            if (from is null) return null;
            if (years.Value is < 1 or > 100)
            {
                sink.Report(DiagnosticCatalog.EmptyValidity, years.Span, years.Value.ToString(CultureInfo.InvariantCulture));
                return null;
            }
            var end = Runtime.EventWindows.AddYears(from.Value, years.Value);
            return new DateRange(from.Value, end == DateOnly.MaxValue ? end : end.AddDays(-1), e.Provisional, years.Value);
        }
        var through = e.Through is null ? null : ToDate(e.Through, sink);
        if (from is null || through is null) return null;
        if (through < from)
        {
            sink.Report(DiagnosticCatalog.EndBeforeStart, e.Through!.Span, from.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                through.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            return null;
        }
        return new DateRange(from.Value, through.Value);
    }
}
