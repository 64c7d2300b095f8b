using System.Globalization;
using PolicyDsl.Model;

namespace PolicyDsl.Checking;

public enum DiffKind { Added, Removed, Changed }

/// <summary>One aspect of a rule that differs: its category (condition, award, cap, ...), the old and the new statements
/// (empty when the aspect was added or removed).</summary>
public sealed record AspectChange(string Category, IReadOnlyList<string> Old, IReadOnlyList<string> New);

/// <summary>A rule added, removed or changed between two versions (rules are matched by name).</summary>
public sealed record RuleDiff(string Rule, DiffKind Kind, decimal? OldMaximum, decimal? NewMaximum, IReadOnlyList<AspectChange> Changes);

/// <summary>A clause of the new version (or a removed clause of the old) with what changed in it. Clauses are matched
/// through the rules they share, else by title; <see cref="TextChanged"/> says the original sentences differ.</summary>
public sealed record ClauseDiff(DiffKind Kind, Clause? Old, Clause? New, bool TextChanged, IReadOnlyList<RuleDiff> Rules);

/// <summary>The difference between two checked versions of a policy, clause by clause, with both worst cases
/// (<see cref="PolicyBounds"/>, computed once per version).</summary>
public sealed record PolicyDiffResult(CheckedPolicy Old, CheckedPolicy New, IReadOnlyList<AspectChange> Header,
    IReadOnlyList<ClauseDiff> Clauses, PolicyBoundsSummary OldBounds, PolicyBoundsSummary NewBounds);

public static class PolicyDiff
{
    public static PolicyDiffResult Compare(CheckedPolicy old, CheckedPolicy @new)
    {
        var oldClauses = old.Sections.SelectMany(s => s.Clauses).ToList();
        var newClauses = @new.Sections.SelectMany(s => s.Clauses).ToList();
        var matched = new Dictionary<Clause, Clause>();
        var taken = new HashSet<Clause>();
        foreach (var n in newClauses)
        {
            var names = n.Rules.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            var o = oldClauses.Where(c => !taken.Contains(c)).FirstOrDefault(c => c.Rules.Any(r => names.Contains(r.Name)))
                ?? oldClauses.Where(c => !taken.Contains(c)).FirstOrDefault(c => c.Title == n.Title);
            if (o is null) continue;
            matched[n] = o;
            taken.Add(o);
        }
        // Clauses left over (renamed, rewritten): pair those whose original sentences are most alike, best pair first.
        var pairs = (from n in newClauses where !matched.ContainsKey(n)
                     from o in oldClauses where !taken.Contains(o)
                     let score = Similarity(o.Source, n.Source)
                     where score >= MinSimilarity
                     orderby score descending, n.Number, o.Number
                     select (n, o)).ToList();
        foreach (var (n, o) in pairs)
        {
            if (matched.ContainsKey(n) || taken.Contains(o)) continue;
            matched[n] = o;
            taken.Add(o);
        }

        var newRuleNames = @new.Rules.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var oldRuleNames = old.Rules.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var oldBounds = PolicyBounds.Summarize(old);
        var newBounds = PolicyBounds.Summarize(@new);
        var clauses = new List<ClauseDiff>();
        foreach (var n in newClauses)
        {
            var o = matched.GetValueOrDefault(n);
            var rules = new List<RuleDiff>();
            foreach (var r in n.Rules)
            {
                var before = old.FindRule(r.Name);
                if (before is null) rules.Add(new RuleDiff(r.Name, DiffKind.Added, null, r.ProvenMaximum, Aspects(null, r, @new)));
                else if (Aspects(before, r, @new, old) is { Count: > 0 } changes)
                    rules.Add(new RuleDiff(r.Name, DiffKind.Changed, before.ProvenMaximum, r.ProvenMaximum, changes));
            }
            // A rule of the matched old clause that no longer exists anywhere is removed here.
            if (o is not null)
                rules.AddRange(o.Rules.Where(r => !newRuleNames.Contains(r.Name))
                    .Select(r => new RuleDiff(r.Name, DiffKind.Removed, r.ProvenMaximum, null, Aspects(r, null, old))));
            var textChanged = o is not null && !o.Sources.SequenceEqual(n.Sources);
            if (o is null) clauses.Add(new ClauseDiff(DiffKind.Added, null, n, false, rules));
            else if (rules.Count > 0 || textChanged || o.Title != n.Title) clauses.Add(new ClauseDiff(DiffKind.Changed, o, n, textChanged, rules));
        }
        foreach (var o in oldClauses.Where(c => !taken.Contains(c)))
            clauses.Add(new ClauseDiff(DiffKind.Removed, o, null, false, o.Rules.Where(r => !newRuleNames.Contains(r.Name))
                .Select(r => new RuleDiff(r.Name, DiffKind.Removed, r.ProvenMaximum, null, Aspects(r, null, old))).ToList()));

        return new PolicyDiffResult(old, @new, Header(old, @new), clauses, oldBounds, newBounds);
    }

    /// <summary>Two clauses with no rule and no title in common are the same clause when the character pairs of their
    /// original sentences overlap at least this much (Jaccard).</summary>
    public const double MinSimilarity = 0.3;

    private static double Similarity(string a, string b)
    {
        static HashSet<string> Pairs(string s)
        {
            var t = new string(s.Where(c => !char.IsWhiteSpace(c)).ToArray());
            var set = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < t.Length; i++) set.Add(t.Substring(i, 2));
            return set;
        }
        var x = Pairs(a);
        var y = Pairs(b);
        if (x.Count == 0 || y.Count == 0) return 0;
        var common = x.Count(y.Contains);
        return (double)common / (x.Count + y.Count - common);
    }

    private static IReadOnlyList<AspectChange> Header(CheckedPolicy old, CheckedPolicy @new)
    {
        static IEnumerable<(string, string)> Of(CheckedPolicy p)
        {
            yield return ("title", p.Title);
            yield return ("validity", p.Validity is { } v ? Dates(v) : "none stated");
            if (!p.YearStart.IsCalendar) yield return ("year starts", p.YearStart.ToString()); // §30.1
            yield return ("award unit", p.AwardUnit.ToString());
            foreach (var s in p.Supersedes) yield return ("supersedes", s);
            foreach (var s in p.General.HighestWithOtherPolicies) yield return ("highest with other policies", s);
            foreach (var s in p.General.NoStacking) yield return ("no stacking", s);
            foreach (var g in p.General.HighestOnly) yield return ("highest only", string.Join(", ", g.Rules));
            // §29: each chapter of general provisions, with its number, where it stands and its provisions.
            foreach (var c in p.General.Chapters) yield return ("general chapter", GeneralChapterText(p, c));
        }
        return Changes(Of(old).ToList(), Of(@new).ToList());
    }

    /// <summary>3 "组织保障" after section 2: provisions 20 — a general chapter as the diff compares it (§29).</summary>
    internal static string GeneralChapterText(CheckedPolicy p, GeneralChapter c) =>
        string.Create(CultureInfo.InvariantCulture, $"{(c.Number is { } n ? n + " " : "")}\"{c.Title}\" ") +
        (c.SectionsBefore == 0 || c.SectionsBefore > p.Sections.Count ? "before the first section" : string.Create(CultureInfo.InvariantCulture, $"after section {p.Sections[c.SectionsBefore - 1].Number}")) +
        (c.Provisions.IsEmpty ? ": no provisions" : ": provisions " + string.Join(", ", c.Provisions.Select(x => x.Number.ToString(CultureInfo.InvariantCulture))));

    // A rule as a list of (category, statement); two versions differ in the statements one has and the other lacks.
    private static IReadOnlyList<AspectChange> Aspects(Rule? old, Rule? @new, CheckedPolicy newPolicy, CheckedPolicy? oldPolicy = null) =>
        Changes(old is null ? [] : Statements(old, (oldPolicy ?? newPolicy).AwardUnit).ToList(),
            @new is null ? [] : Statements(@new, newPolicy.AwardUnit).ToList());

    private static IReadOnlyList<AspectChange> Changes(IReadOnlyList<(string Category, string Text)> old, IReadOnlyList<(string Category, string Text)> @new)
    {
        var result = new List<AspectChange>();
        foreach (var category in old.Concat(@new).Select(s => s.Category).Distinct())
        {
            var o = old.Where(s => s.Category == category).Select(s => s.Text).ToList();
            var n = @new.Where(s => s.Category == category).Select(s => s.Text).ToList();
            var gone = o.Where(t => !n.Contains(t)).ToList();
            var come = n.Where(t => !o.Contains(t)).ToList();
            if (gone.Count > 0 || come.Count > 0) result.Add(new AspectChange(category, gone, come));
        }
        return result;
    }

    private static IEnumerable<(string, string)> Statements(Rule r, Unit awardUnit)
    {
        if (r.Title is { } title) yield return ("title", title);
        foreach (var f in r.Facts) yield return ("fact", Fact(f));
        foreach (var q in r.Requirements) yield return ("condition", q.Text);
        foreach (var p in r.Parameters)
            yield return ("rate or amount", $"{p.Name}:" + (p.AtLeast is { } lo ? " at least " + Value(lo, p.Unit) : "")
                + (p.AtMost is { } hi ? " at most " + Value(hi, p.Unit) : "") + (p.AtLeast is null && p.AtMost is null ? " " + p.Unit : ""));
        foreach (var t in r.Tables)
            foreach (var c in t.Cells) yield return ("rate or amount", $"{t.Name}[{string.Join(", ", c.Keys)}] = {Value(c.Value, t.Unit)}");
        foreach (var b in r.Bands)
            foreach (var c in b.Cases) yield return ("rate or amount", $"{b.Name}({b.Fact}) {Case(c, r.FindFact(b.Fact)?.Unit)} = {Value(c.Value, b.Unit)}");
        foreach (var l in r.Lets) yield return ("let", $"{l.Name} = {ExprText.Of(l.Value)}");
        yield return ("award", r.Award.Formula is { } formula ? ExprText.Of(formula) : Plan.PlanTexts.CaseByCaseStep(r.Award)
            + (r.Award.CaseByCaseBase is { } cb ? " (based on " + ExprText.Of(cb) + ")" : ""));
        foreach (var c in r.Caps) yield return ("cap and scope", c.Describe());
        if (r.UncappedReason is not null) yield return ("cap and scope", "uncapped");
        if (r.Schedule is { } schedule) yield return ("instalments", schedule.Describe(chinese: false));
        else if (!r.Instalments.IsEmpty) yield return ("instalments", string.Join(", ", r.Instalments.Select(i => Quantity.Format(i, Unit.Percent))));
        if (r.Validity is { } v) yield return ("validity", Dates(v));
        if (r.OwnYearStart) yield return ("year starts", r.YearStart.ToString()); // §30.1
        if (r.Window is { } w)
            yield return ("window", w.Years.ToString(CultureInfo.InvariantCulture) + (w.Consecutive ? " consecutive" : "") + " years from " +
                (w.Start switch { Runtime.WindowStart.YearOf => "the year of ", Runtime.WindowStart.YearAfter => "the year after ", _ => "" }) + w.Event);
        yield return ("maximum", r.Award.IsCaseByCase ? "case by case" : r.ProvenMaximum is { } m ? Quantity.Format(m, awardUnit) : "unbounded");
    }

    private static string Dates(DateRange v) => v.Open ? v.ToString() :
        v.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " through " + v.Through.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) +
        (v.Years is { } y ? " (" + (v.Provisional ? "provisional, " : "") + y.ToString(CultureInfo.InvariantCulture) + " years)" : "");

    private static string Fact(Fact f) => f.Name + ": " + f.Kind switch
    {
        FactKind.Quantity => f.Unit?.ToString() ?? "number",
        FactKind.YesNo => "yes/no",
        FactKind.Date => "date",
        _ => (f.Kind == FactKind.Level ? "level " : "one of ") + string.Join(", ", f.Members.Select(m => m.Key)),
    };

    // A base-unit value in its declared unit; a rate (no unit) as a percentage.
    private static string Value(decimal v, Unit unit) => unit.IsDimensionless ? Quantity.Format(v * 100m, Unit.Percent) : Quantity.FormatIn(v, unit);

    private static string Case(BandCase c, Unit? unit)
    {
        string N(decimal v) => unit is { } u ? Value(v, u) : v.ToString("0.############", CultureInfo.InvariantCulture);
        var lower = c.Lower is { } l ? (l.Inclusive ? ">= " : "> ") + N(l.Value) : "";
        var upper = c.Upper is { } u ? (u.Inclusive ? "<= " : "< ") + N(u.Value) : "";
        return string.Join(" and ", new[] { lower, upper }.Where(s => s.Length > 0));
    }
}
