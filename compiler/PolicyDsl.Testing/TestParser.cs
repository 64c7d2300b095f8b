using System.Globalization;
using PolicyDsl.Diagnostics;
using PolicyDsl.Model;
using PolicyDsl.Syntax;
using PolicyDsl.Text;
using CapScope = PolicyDsl.Runtime.CapScope;
using CapPeriod = PolicyDsl.Runtime.CapPeriod;

namespace PolicyDsl.Testing;

/// <summary>
/// Parses a test file (*.tests). Like a clause file it is one statement per line, keyword first, in English
/// or Chinese spellings, with the policy language's tokens (the same lexer: strings, numbers, dates, unit
/// words, # comments). Structure comes from the order of lines: a line belongs to the nearest container above
/// it that may hold it (file header → test → application). Every line is parsed; each bad line gives one
/// diagnostic and the next line goes on, so that all errors come out in one run. Never throws.
/// </summary>
public static class TestParser
{
    /// <summary>Parses a test file; <paramref name="units"/> are the unit words its policy declares (unit 亩), read as units after a number.</summary>
    public static (TestFileSyntax Syntax, EquatableArray<Diagnostic> Diagnostics) Parse(string path, string text, IReadOnlySet<string>? units = null)
    {
        var parser = new FileParser(path, text, units);
        return parser.Run();
    }

    // ---------- keywords: every one in English and Chinese ----------

    internal static readonly string[] TestsFor = ["tests for", "测试"];
    internal static readonly string[] PolicyWord = ["policy", "政策"];
    internal static readonly string[] RulesWord = ["rules", "实施细则"];
    internal static readonly string[] NoteWord = ["note", "说明"];
    internal static readonly string[] TestWord = ["test", "用例"];
    internal static readonly string[] EnterpriseWord = ["enterprise", "企业"];
    internal static readonly string[] ApplicationWord = ["application", "申请"];
    internal static readonly string[] ByWord = ["by", "企业"];
    internal static readonly string[] UnderWord = ["under", "规则"];
    internal static readonly string[] OnWord = ["on", "日期"];
    internal static readonly string[] SubjectWord = ["subject", "对象"];
    internal static readonly string[] LocationWord = ["location", "地点"];
    internal static readonly string[] FundedWord = ["funded by higher level", "上级已资助"];
    internal static readonly string[] ElsewhereWord = ["received elsewhere", "他处已获"];
    internal static readonly string[] FactWord = ["fact", "事实"];
    internal static readonly string[] ExpectWord = ["expect", "预期"];
    internal static readonly string[] Yes = ["yes", "是"];
    internal static readonly string[] No = ["no", "否"];

    private static readonly (string[] Spellings, ExpectationKind Kind)[] ExpectationWords =
    [
        // Longest first where one spelling starts another ("paid by" before "paid", "not eligible" before "eligible").
        (["paid by", "出资"], ExpectationKind.PaidBy),
        (["paid", "实付"], ExpectationKind.Paid),
        (["award", "奖励"], ExpectationKind.Award),
        (["not eligible", "不符合条件"], ExpectationKind.NotEligible),
        (["eligible", "符合条件"], ExpectationKind.Eligible),
        (["bound by", "封顶"], ExpectationKind.BoundBy),
        (["not bound", "未封顶"], ExpectationKind.NotBound),
        (["rejected", "驳回"], ExpectationKind.Rejected),
        (["case by case", "一事一议"], ExpectationKind.CaseByCase),
        (["total", "合计"], ExpectationKind.Total),
    ];

    private static readonly (string[] Spellings, CapScope Scope)[] ScopeWords =
    [
        (["enterprise", "企业"], CapScope.Enterprise),
        (["project", "项目"], CapScope.Project),
        (["certification", "认证"], CapScope.Certification),
        (["item", "单项"], CapScope.Item),
        (["person", "人"], CapScope.Person),
        (["application", "申请"], CapScope.Application),
        (["platform", "平台"], CapScope.Platform),
        (["township", "乡镇", "街道"], CapScope.Township),
    ];

    internal static string Label(string[] spellings) =>
        spellings.Length == 1 ? $"\"{spellings[0]}\"" : $"\"{spellings[0]}\" ({string.Join(", ", spellings.Skip(1))})";

    private sealed class LineError(TextSpan span, string expected, string found, DiagnosticDescriptor? descriptor = null) : Exception(expected)
    {
        public TextSpan Span { get; } = span;
        public string Expected { get; } = expected;
        public string Found { get; } = found;
        public DiagnosticDescriptor Descriptor { get; } = descriptor ?? DiagnosticCatalog.TestSyntaxError;
    }

    /// <summary>The tokens of one line and a cursor over them.</summary>
    private sealed class Cursor(List<Lexeme> tokens, TextSpan lineSpan)
    {
        private int _at;

        public bool AtEnd => _at >= tokens.Count;

        public Lexeme? Peek(int ahead = 0) => _at + ahead < tokens.Count ? tokens[_at + ahead] : null;

        public TextSpan Here => Peek() is { } t ? t.Span : new TextSpan(lineSpan.End, 0);

        public string Found => Peek() is { } t ? Describe(t) : "end of line";

        public int Position => _at;

        public void Reset(int position) => _at = position;

        public Lexeme Next() => tokens[_at++];

        public TextSpan LastSpan => _at > 0 ? tokens[_at - 1].Span : new TextSpan(lineSpan.Start, 0);

        /// <summary>Takes one spelling of the keyword (each word a token); the span of what it took, or null.</summary>
        public TextSpan? Take(string[] spellings)
        {
            foreach (var spelling in spellings)
            {
                var words = spelling.Split(' ');
                var ok = true;
                for (var i = 0; i < words.Length && ok; i++)
                    ok = Peek(i) is { Kind: LexemeKind.Word or LexemeKind.Symbol } t && t.Text == words[i];
                if (!ok) continue;
                var span = tokens[_at].Span.Cover(tokens[_at + words.Length - 1].Span);
                _at += words.Length;
                return span;
            }
            return null;
        }

        public bool Sees(string[] spellings)
        {
            var at = _at;
            var seen = Take(spellings) is not null;
            _at = at;
            return seen;
        }

        public TextSpan Expect(string[] spellings) => Take(spellings) ?? throw new LineError(Here, Label(spellings), Found);

        public void ExpectEnd()
        {
            if (!AtEnd) throw new LineError(Here, "the end of the line", Found);
        }

        public static string Describe(Lexeme t) => t.Kind == LexemeKind.String ? Lexer.Quote("\"" + t.Text + "\"") : Lexer.Quote(t.Text);
    }

    private sealed class FileParser(string path, string text, IReadOnlySet<string>? units)
    {
        private readonly LineMap _lines = new(text);
        private readonly List<Diagnostic> _diagnostics = new();

        // The file header.
        private TestName? _policy;
        private string? _title;
        private TextSpan _headerSpan;
        private TestName? _policyPath, _rulesPath;
        private readonly List<TestCaseSyntax> _tests = new();

        // The open containers.
        private TestBuilder? _test;
        private ApplicationBuilder? _application;
        private bool _poisonedTest, _poisonedApplication;

        public (TestFileSyntax, EquatableArray<Diagnostic>) Run()
        {
            var tokens = new List<Lexeme>();
            var sawHeader = false;
            var sawAnything = false;
            for (var line = 0; line < _lines.LineCount; line++)
            {
                var start = _lines.LineStart(line);
                var end = line + 1 < _lines.LineCount ? _lines.LineStart(line + 1) : text.Length;
                while (end > start && text[end - 1] is '\n' or '\r') end--;
                tokens.Clear();
                var lexError = Lexer.Lex(text, start, end, tokens);
                if (lexError is not null)
                {
                    Report(DiagnosticCatalog.For(lexError.Kind), lexError.Span, lexError.Expected, lexError.Found);
                    if (tokens.Count > 0 && StartsContainer(tokens)) Poison(tokens);
                    continue;
                }
                if (tokens.Count == 0) continue;
                sawAnything = true;
                var cursor = new Cursor(tokens, TextSpan.FromBounds(start, end));
                try
                {
                    if (!sawHeader)
                    {
                        sawHeader = true;
                        Header(cursor);
                        continue;
                    }
                    Statement(cursor, TextSpan.FromBounds(tokens[0].Span.Start, tokens[^1].Span.End));
                }
                catch (LineError e)
                {
                    Report(e.Descriptor, e.Span, e.Expected, e.Found);
                    if (StartsContainer(tokens)) Poison(tokens);
                }
            }
            CloseTest();
            if (!sawAnything)
                Report(DiagnosticCatalog.TestFileEmpty, new TextSpan(0, 0), "'tests for POLICY' and then 'test \"name\"' lines", "an empty file");
            else if (_tests.Count == 0 && _diagnostics.Count == 0)
                Report(DiagnosticCatalog.TestFileEmpty, _headerSpan, "'test \"name\"' lines after the header", "only the header");
            var syntax = new TestFileSyntax(_policy, _title, _policyPath, _rulesPath, _tests.ToEquatableArray(), _headerSpan);
            return (syntax, _diagnostics.OrderBy(d => d.Span.Start).ToEquatableArray());
        }

        private void Report(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args) =>
            _diagnostics.Add(Diagnostic.Create(descriptor, path, _lines, span, args));

        private static bool StartsContainer(List<Lexeme> tokens) =>
            tokens[0].Kind == LexemeKind.Word && (TestWord.Contains(tokens[0].Text) || ApplicationWord.Contains(tokens[0].Text));

        /// <summary>A container line that did not parse swallows its own lines, so one mistake gives one diagnostic.</summary>
        private void Poison(List<Lexeme> tokens)
        {
            if (TestWord.Contains(tokens[0].Text))
            {
                CloseTest();
                _poisonedTest = true;
            }
            else
            {
                CloseApplication();
                _poisonedApplication = true;
            }
        }

        private void Header(Cursor c)
        {
            var first = c.Here;
            if (c.Take(TestsFor) is null)
            {
                // A clause or rules file given as a test file says what it is.
                var found = c.Peek() is { } t && (PolicyWord.Contains(t.Text) || t.Text is "implementation" or "实施细则")
                    ? c.Found + " (this is a policy or rules file, not a test file)" : c.Found;
                throw new LineError(c.Here, Label(TestsFor) + " as the first line", found);
            }
            _policy = Name(c, "the policy's name (as its 'policy NAME' line writes it)", wordsOnly: true);
            if (c.Peek() is { Kind: LexemeKind.String } title)
            {
                c.Next();
                _title = title.Text;
            }
            c.ExpectEnd();
            _headerSpan = first.Cover(c.LastSpan);
        }

        private void Statement(Cursor c, TextSpan span)
        {
            var first = c.Peek()!.Value;
            if (c.Take(NoteWord) is not null)
            {
                ExpectString(c, "the note in quotes");
                c.ExpectEnd();
                return;
            }
            if (c.Take(TestWord) is not null)
            {
                CloseTest();
                var name = ExpectString(c, "the test's name in quotes");
                c.ExpectEnd();
                _test = new TestBuilder(name, span);
                return;
            }
            if (c.Sees(PolicyWord) || c.Sees(RulesWord))
            {
                var isPolicy = c.Take(PolicyWord) is not null;
                if (!isPolicy) c.Expect(RulesWord);
                if (_test is not null || _poisonedTest)
                    throw new LineError(span, "a test line (application, enterprise, note or expect)", "the header line " + Cursor.Describe(first), DiagnosticCatalog.TestLineOutOfPlace);
                var file = ExpectStringName(c, "the file's path in quotes, relative to this file");
                c.ExpectEnd();
                if (isPolicy) _policyPath = file; else _rulesPath = file;
                return;
            }
            if (_test is null && !_poisonedTest)
                throw new LineError(span, "'test \"name\"' before the test's lines", Cursor.Describe(first), DiagnosticCatalog.TestLineOutOfPlace);

            if (c.Take(ApplicationWord) is not null)
            {
                CloseApplication();
                var app = ApplicationLine(c, span);
                if (_test is not null) _application = app;
                return;
            }
            if (c.Take(EnterpriseWord) is not null)
            {
                var enterprise = Name(c, "the enterprise's id");
                c.ExpectEnd();
                if (_test is null) return;
                if (_test.Enterprise is { } before) throw GivenTwice("the test's enterprise", before.Span, span);
                _test.Enterprise = enterprise;
                return;
            }
            if (c.Take(ExpectWord) is { } expectSpan)
            {
                var expectation = Expectation(c, expectSpan);
                expectation = expectation with { Written = text.Substring(expectation.Span.Start, expectation.Span.Length), Span = expectSpan.Cover(expectation.Span) };
                if (_test is null) return;
                if (expectation.Kind == ExpectationKind.Total) { _test.Expectations.Add(expectation); return; }
                if (_poisonedApplication) return;
                if (_application is null)
                    throw new LineError(span, "an 'application' line before its expectations ('expect total' is the only test-wide one)", "expect " + expectation.Written, DiagnosticCatalog.TestLineOutOfPlace);
                _application.Expectations.Add(expectation);
                return;
            }

            // The lines of an application.
            var isFact = c.Sees(FactWord);
            var known = isFact || c.Sees(SubjectWord) || c.Sees(LocationWord) || c.Sees(FundedWord) || c.Sees(ElsewhereWord);
            if (!known)
                throw new LineError(c.Here, "a test line: test, application, fact, subject, location, funded by higher level, received elsewhere, expect, enterprise or note", c.Found);
            if (_application is null && !_poisonedApplication)
                throw new LineError(span, "an 'application' line before the application's facts and details", Cursor.Describe(first), DiagnosticCatalog.TestLineOutOfPlace);
            if (c.Take(FactWord) is not null)
            {
                do
                {
                    var factStart = c.Here;
                    var name = Name(c, "the fact's name", wordsOnly: true);
                    if (c.Peek() is not { Kind: LexemeKind.Symbol, Text: "=" }) throw new LineError(c.Here, "\"=\" and the fact's value", c.Found);
                    c.Next();
                    var value = Value(c);
                    _application?.Facts.Add(new FactSyntax(name, value, factStart.Cover(value.Span)));
                }
                while (TakeComma(c));
                c.ExpectEnd();
                return;
            }
            if (c.Take(SubjectWord) is not null)
            {
                var subject = Name(c, "the subject's id (the project, certification, item or person)");
                c.ExpectEnd();
                if (_application is null) return;
                if (_application.Subject is { } s) throw GivenTwice("the subject", s.Span, span);
                _application.Subject = subject;
                return;
            }
            if (c.Take(LocationWord) is not null)
            {
                var location = Name(c, "the location in quotes");
                c.ExpectEnd();
                if (_application is null) return;
                if (_application.Location is { } l) throw GivenTwice("the location", l.Span, span);
                _application.Location = location;
                return;
            }
            if (c.Take(ElsewhereWord) is { } elsewhereSpan)
            {
                var amount = Quantity(c, "the amount received elsewhere for the same item (30 wan-yuan)");
                c.ExpectEnd();
                if (_application is null) return;
                if (_application.ReceivedElsewhere is { } r) throw GivenTwice("'received elsewhere'", r.Span, span);
                _application.ReceivedElsewhere = amount;
                return;
            }
            var funded = c.Expect(FundedWord);
            c.ExpectEnd();
            if (_application is null) return;
            if (_application.Funded is { } f) throw GivenTwice("'funded by higher level'", f, span);
            _application.Funded = funded;
        }

        private LineError GivenTwice(string what, TextSpan first, TextSpan again) =>
            new(again, what, Line(first), DiagnosticCatalog.TestGivenTwice);

        private string Line(TextSpan span) => _lines.GetPosition(span.Start).Line.ToString(CultureInfo.InvariantCulture);

        private static bool TakeComma(Cursor c)
        {
            if (c.Peek() is not { Kind: LexemeKind.Symbol, Text: "," }) return false;
            c.Next();
            return true;
        }

        private ApplicationBuilder ApplicationLine(Cursor c, TextSpan span)
        {
            TestName? id = null, enterprise = null;
            if (!c.Sees(ByWord) && !c.Sees(UnderWord)) id = Name(c, "the application's id, " + Label(ByWord) + " or " + Label(UnderWord));
            if (c.Take(ByWord) is not null) enterprise = Name(c, "the enterprise's id");
            c.Expect(UnderWord);
            var rule = Name(c, "the rule's name", wordsOnly: true);
            c.Expect(OnWord);
            if (c.Peek() is not { Kind: LexemeKind.Date } date) throw new LineError(c.Here, "the application's date (2026-03-01)", c.Found);
            c.Next();
            var value = ParseDate(date);
            c.ExpectEnd();
            return new ApplicationBuilder(id, enterprise, rule, value, span);
        }

        private static DateOnly ParseDate(Lexeme date)
        {
            if (DateOnly.TryParseExact(date.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)) return value;
            throw new LineError(date.Span, "a calendar date (year-month-day)", Lexer.Quote(date.Text));
        }

        private TestName Name(Cursor c, string expected, bool wordsOnly = false)
        {
            if (c.Peek() is { } t && (t.Kind == LexemeKind.Word || (!wordsOnly && (t.Kind == LexemeKind.String || t.IsWholeNumber))))
            {
                c.Next();
                if (t.Kind == LexemeKind.String && t.Text.Length == 0) throw new LineError(t.Span, expected + " (not empty)", "\"\"");
                return new TestName(t.Kind == LexemeKind.Number ? t.Number.ToString(CultureInfo.InvariantCulture) : t.Text, t.Span);
            }
            throw new LineError(c.Here, expected, c.Found);
        }

        private static string ExpectString(Cursor c, string expected)
        {
            if (c.Peek() is { Kind: LexemeKind.String } s)
            {
                c.Next();
                return s.Text;
            }
            throw new LineError(c.Here, expected, c.Found);
        }

        private static TestName ExpectStringName(Cursor c, string expected)
        {
            var span = c.Here;
            return new TestName(ExpectString(c, expected), span);
        }

        private TestValueSyntax Value(Cursor c)
        {
            if (c.Take(Yes) is { } yes) return new YesNoSyntax(true, yes);
            if (c.Take(No) is { } no) return new YesNoSyntax(false, no);
            if (c.Peek() is not { } t) throw new LineError(c.Here, "a value: yes, no, a number (with its unit), a date or a member's name", "end of line");
            switch (t.Kind)
            {
                case LexemeKind.Date:
                    c.Next();
                    return new DateSyntax(ParseDate(t), t.Span);
                case LexemeKind.Number:
                {
                    var quantity = Quantity(c, "a number");
                    return new NumberSyntax(quantity, t.IsWholeNumber && quantity.Unit.IsEmpty);
                }
                case LexemeKind.Word:
                    c.Next();
                    return new MemberSyntax(t.Text, t.Span);
                default:
                    throw new LineError(t.Span, "a value: yes, no, a number (with its unit), a date or a member's name", c.Found);
            }
        }

        /// <summary>A number and its unit words, joined by ·, • or * for a product (m2 · months).</summary>
        private TestQuantity Quantity(Cursor c, string expected)
        {
            if (c.Peek() is not { Kind: LexemeKind.Number } n) throw new LineError(c.Here, expected, c.Found);
            c.Next();
            var unit = new List<string>();
            var span = n.Span;
            while (true)
            {
                var at = c.Position;
                if (unit.Count > 0 && c.Peek() is { Kind: LexemeKind.Symbol, Text: "·" or "•" or "*" }) c.Next();
                if (c.Peek() is { Kind: LexemeKind.Word or LexemeKind.Symbol } w
                    && (Grammar.UnitNames.TryGetValue(w.Text, out var canonical) || (units is not null && units.Contains(canonical = w.Text))))
                {
                    c.Next();
                    unit.Add(canonical);
                    span = span.Cover(w.Span);
                    continue;
                }
                c.Reset(at);
                break;
            }
            return new TestQuantity(n.Number, unit.ToEquatableArray(), span);
        }

        private ExpectationSyntax Expectation(Cursor c, TextSpan expectSpan)
        {
            ExpectationKind? kind = null;
            var kindStart = c.Here;
            foreach (var (spellings, k) in ExpectationWords)
            {
                if (c.Take(spellings) is { } taken) { kind = k; kindStart = taken; break; }
            }
            if (kind is null)
            {
                throw new LineError(c.Here,
                    "what to expect: award, paid, paid by, eligible, not eligible, bound by, not bound, rejected, case by case or total", c.Found);
            }
            TestQuantity? amount = null;
            string? text = null;
            CapSyntax? cap = null;
            switch (kind.Value)
            {
                case ExpectationKind.Award or ExpectationKind.Paid or ExpectationKind.Total:
                    amount = Quantity(c, "the amount (150 points)");
                    break;
                case ExpectationKind.PaidBy:
                    text = ExpectString(c, "the payer in quotes (\"区财政\")");
                    amount = Quantity(c, "the amount the payer pays (100 points)");
                    break;
                case ExpectationKind.Rejected:
                    if (c.Peek() is { Kind: LexemeKind.String } why)
                    {
                        c.Next();
                        text = why.Text;
                    }
                    break;
                case ExpectationKind.BoundBy:
                    cap = Cap(c);
                    break;
            }
            c.ExpectEnd();
            // The span covers what follows "expect" (the caller widens it to the keyword and fills Written from it).
            var kindSpan = kindStart.Cover(c.LastSpan);
            return new ExpectationSyntax(kind.Value, amount, text, cap, "", kindSpan);
        }

        /// <summary>LIMIT [per SCOPE] [per year | cumulative], as a cap line writes it.</summary>
        private CapSyntax Cap(Cursor c)
        {
            var limit = Quantity(c, "the cap's limit (50 points)");
            var scope = CapScope.Application;
            var period = CapPeriod.Cumulative;
            var span = limit.Span;
            if (c.Take(["per year", "每年", "年度"]) is { } yearOnly)
            {
                throw new LineError(yearOnly, "a scope before the period (50 points per enterprise per year)", "a period without a scope");
            }
            if (c.Take(["per", "每"]) is not null)
            {
                var found = false;
                foreach (var (spellings, s) in ScopeWords)
                {
                    if (c.Take(spellings) is { } scopeSpan) { scope = s; span = span.Cover(scopeSpan); found = true; break; }
                }
                if (!found) throw new LineError(c.Here, "a scope: enterprise, project, certification, item, person or application", c.Found);
                if (c.Take(["per year", "每年", "年度"]) is { } year) { period = CapPeriod.PerYear; span = span.Cover(year); }
                else if (c.Take(["cumulative", "累计"]) is { } cumulative) span = span.Cover(cumulative);
                else if (c.Peek() is { Kind: LexemeKind.Word } per && per.Text is "per" or "每" && c.Peek(1) is { IsWholeNumber: true } n
                         && c.Peek(2) is { } unit && unit.Text is "years" or "year" or "年")
                {
                    // §30.2: per N years [rolling]
                    c.Next(); c.Next(); c.Next();
                    period = CapPeriod.Years;
                    span = span.Cover(unit.Span);
                    var rolling = c.Take(["rolling", "滚动"]) is { } r;
                    if (rolling) span = span.Cover(c.LastSpan);
                    return new CapSyntax(limit, scope, period, span) { Years = (int)Math.Min(n.Number, 1000m), Rolling = rolling };
                }
            }
            return new CapSyntax(limit, scope, period, span);
        }

        private void CloseApplication()
        {
            if (_application is { } a && _test is not null) _test.Applications.Add(a.Build());
            _application = null;
            _poisonedApplication = false;
        }

        private void CloseTest()
        {
            CloseApplication();
            if (_test is { } t) _tests.Add(t.Build());
            _test = null;
            _poisonedTest = false;
        }
    }

    private sealed class TestBuilder(string name, TextSpan span)
    {
        public TestName? Enterprise { get; set; }
        public List<ApplicationSyntax> Applications { get; } = new();
        public List<ExpectationSyntax> Expectations { get; } = new();

        public TestCaseSyntax Build() => new(name, span, Enterprise, Applications.ToEquatableArray(), Expectations.ToEquatableArray());
    }

    private sealed class ApplicationBuilder(TestName? id, TestName? enterprise, TestName rule, DateOnly date, TextSpan span)
    {
        public TestName? Subject { get; set; }
        public TestName? Location { get; set; }
        public TextSpan? Funded { get; set; }
        public TestQuantity? ReceivedElsewhere { get; set; }
        public List<FactSyntax> Facts { get; } = new();
        public List<ExpectationSyntax> Expectations { get; } = new();

        public ApplicationSyntax Build() =>
            new(id, enterprise, rule, date, span, Subject, Location, Funded, Facts.ToEquatableArray(), Expectations.ToEquatableArray(), ReceivedElsewhere);
    }
}
