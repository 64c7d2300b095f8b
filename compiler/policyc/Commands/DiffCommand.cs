using System.CommandLine;
using System.Globalization;
using System.Net;
using PolicyDsl.Checking;
using PolicyDsl.Model;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc diff OLD.policy NEW.policy [--format text|markdown|html]: what changed between two versions of a policy,
/// clause by clause (rules added, removed and changed: facts, conditions, rates and amounts, award, caps and scopes),
/// and the change in worst-case exposure that <c>policyc bounds</c> computes. Exit 1 if either version has errors.
/// </summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "OLD.policy NEW.policy; or NEW.policy alone, whose supersedes line names the earlier version's .policy file.",
            Arity = new ArgumentArity(1, 2),
        };
        var format = new Option<string>("--format") { Description = "text (default), markdown or html.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "markdown", "html");
        var command = new Command("diff", "Compare two versions of a policy clause by clause, with the change in worst-case exposure.")
        {
            files, format,
        };
        command.SetAction(parseResult =>
        {
            var paths = parseResult.GetRequiredValue(files);
            var output = CommandHelpers.Output(parseResult);
            var error = CommandHelpers.Error(parseResult);
            var fmt = parseResult.GetValue(format) ?? "text";
            if (paths.Length == 2) return Run(paths[0], paths[1], fmt, output, error);
            return SupersededFile(paths[0], error) is { } old ? Run(old, paths[0], fmt, output, error) : ExitCodes.Usage;
        });
        return command;
    }

    /// <summary>The earlier version a policy names in its supersedes line (a value ending in .policy, relative to the
    /// policy's folder); null, with a message, when it names none or the policy does not compile.</summary>
    internal static string? SupersededFile(string path, TextWriter error)
    {
        if (!CommandHelpers.AllFilesExist([path], error) || CommandHelpers.TryRead(path, error) is not { } source) return null;
        var compilation = PolicyCompiler.Compile(source, null);
        var named = compilation.Policy?.Supersedes.FirstOrDefault(s => s.EndsWith(".policy", StringComparison.Ordinal));
        if (named is null)
        {
            error.WriteLine($"policyc: {path} names no earlier .policy file in its supersedes line; give OLD.policy NEW.policy");
            return null;
        }
        return Path.Combine(Path.GetDirectoryName(path) ?? "", named);
    }

    internal static int Run(string oldPath, string newPath, string format, TextWriter output, TextWriter error)
    {
        var paths = new[] { oldPath, newPath };
        if (!CommandHelpers.AllFilesExist(paths, error)) return ExitCodes.Usage;
        var policies = new List<CheckedPolicy>();
        foreach (var path in paths)
        {
            if (CommandHelpers.TryRead(path, error) is not { } source) return ExitCodes.Usage;
            var compilation = PolicyCompiler.Compile(source, null);
            if (compilation.HasErrors || compilation.Policy is null)
            {
                CommandHelpers.WriteDiagnostics(compilation.Diagnostics, output);
                error.WriteLine(CommandHelpers.Summary(1, compilation.Diagnostics.AsImmutableArray()));
                return ExitCodes.Errors;
            }
            policies.Add(compilation.Policy);
        }
        var diff = PolicyDiff.Compare(policies[0], policies[1]);
        var lines = Lines(diff, Path.GetFileName(oldPath), Path.GetFileName(newPath));
        var document = format == "text" ? output : CommandHelpers.Document(output);
        switch (format)
        {
            case "markdown": WriteMarkdown(lines, document); break;
            case "html": WriteHtml(lines, document); break;
            default: WriteText(lines, document); break;
        }
        return ExitCodes.Success;
    }

    // The report as (depth, kind, text): depth 0 headings, 1 clause headings, 2 rule lines, 3 details.
    private enum Kind { Title, Heading, Clause, Rule, Old, New, Note }

    private static List<(Kind Kind, string Text)> Lines(PolicyDiffResult d, string oldName, string newName)
    {
        var lines = new List<(Kind, string)>
        {
            (Kind.Title, $"diff {oldName} ({d.Old.Name}) → {newName} ({d.New.Name})"),
        };
        if (d.Header.Count > 0)
        {
            lines.Add((Kind.Heading, "policy"));
            Aspects(d.Header, lines);
        }
        lines.Add((Kind.Heading, $"clauses: {d.Clauses.Count(c => c.Kind == DiffKind.Added)} added, {d.Clauses.Count(c => c.Kind == DiffKind.Removed)} removed, {d.Clauses.Count(c => c.Kind == DiffKind.Changed)} changed"));
        foreach (var c in d.Clauses)
        {
            var label = c.Kind switch
            {
                DiffKind.Added => "added " + Label(c.New!),
                DiffKind.Removed => "removed " + Label(c.Old!),
                _ => "changed " + Label(c.New!) + (c.Old!.Number != c.New!.Number || c.Old.Title != c.New.Title ? " (was " + Label(c.Old) + ")" : ""),
            };
            lines.Add((Kind.Clause, label));
            if (c.TextChanged) lines.Add((Kind.Note, "original text changed"));
            foreach (var r in c.Rules)
            {
                var kind = r.Kind switch { DiffKind.Added => "added", DiffKind.Removed => "removed", _ => "changed" };
                var max = r.Kind == DiffKind.Changed && r.OldMaximum != r.NewMaximum ? $" (maximum {Max(r.OldMaximum, d.OldBounds)} → {Max(r.NewMaximum, d.NewBounds)})" : "";
                lines.Add((Kind.Rule, $"{kind} rule {r.Rule}{max}"));
                if (r.Kind == DiffKind.Changed) Aspects(r.Changes, lines);
                else foreach (var a in r.Changes.Where(a => a.Category is "condition" or "award" or "cap and scope" or "rate or amount"))
                    foreach (var t in a.Old.Concat(a.New)) lines.Add((Kind.Note, a.Category + ": " + t));
            }
        }
        lines.Add((Kind.Heading, "worst case for one enterprise in one year"));
        lines.Add((Kind.Note, $"one maximal application under every rule: {Amount(d.OldBounds.OneApplicationEach, d.OldBounds)} → {Amount(d.NewBounds.OneApplicationEach, d.NewBounds)}{Change(d.OldBounds.OneApplicationEach, d.NewBounds.OneApplicationEach, d)}"));
        lines.Add((Kind.Note, $"the rules capped per enterprise, at their caps: {Amount(d.OldBounds.CappedPerEnterprise, d.OldBounds)} → {Amount(d.NewBounds.CappedPerEnterprise, d.NewBounds)}{Change(d.OldBounds.CappedPerEnterprise, d.NewBounds.CappedPerEnterprise, d)}"));
        static int Unbounded(PolicyBoundsSummary b) => b.Rules.Count(r => !r.CaseByCase && r.Maximum is null);
        lines.Add((Kind.Note, $"rules with no finite maximum per application: {Unbounded(d.OldBounds)} → {Unbounded(d.NewBounds)}"));
        lines.Add((Kind.Note, $"rules not capped per enterprise: {d.OldBounds.NotCappedPerEnterprise.Count} → {d.NewBounds.NotCappedPerEnterprise.Count}"));
        return lines;
    }

    private static void Aspects(IEnumerable<AspectChange> changes, List<(Kind, string)> lines)
    {
        foreach (var a in changes)
        {
            if (a.Old.Count == 1 && a.New.Count == 1) { lines.Add((Kind.Note, $"{a.Category}: {a.Old[0]} → {a.New[0]}")); continue; }
            foreach (var t in a.Old) lines.Add((Kind.Old, $"{a.Category}: {t}"));
            foreach (var t in a.New) lines.Add((Kind.New, $"{a.Category}: {t}"));
        }
    }

    private static string Label(Clause c) => $"clause {c.Number.ToString(CultureInfo.InvariantCulture)} {c.Title}";

    private static string Max(decimal? m, PolicyBoundsSummary s) => m is { } v ? Quantity.Format(v, s.AwardUnit) : "unbounded";

    private static string Amount(decimal? a, PolicyBoundsSummary s) => s.ToMoney(a) is { } m ? Money(m) : "unbounded";

    private static string Change(decimal? old, decimal? @new, PolicyDiffResult d) =>
        d.OldBounds.ToMoney(old) is { } o && d.NewBounds.ToMoney(@new) is { } n && o != n ? $" ({(n > o ? "+" : "-")}{Money(Math.Abs(n - o))})" : "";

    private static string Money(decimal yuan) => yuan.ToString("#,0.##", CultureInfo.InvariantCulture) + " yuan";

    private static void WriteText(List<(Kind Kind, string Text)> lines, TextWriter w)
    {
        foreach (var (kind, text) in lines)
            w.WriteLine(kind switch
            {
                Kind.Title => text,
                Kind.Heading => "\n" + text + ":",
                Kind.Clause => "  " + text,
                Kind.Rule => "    " + text,
                Kind.Old => "      - " + text,
                Kind.New => "      + " + text,
                _ => "      " + text,
            });
    }

    private static string Md(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace("#", "\\#", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

    private static void WriteMarkdown(List<(Kind Kind, string Text)> lines, TextWriter w)
    {
        foreach (var (kind, text) in lines)
            w.WriteLine(kind switch
            {
                Kind.Title => "# " + Md(text) + "\n",
                Kind.Heading => "\n## " + Md(text) + "\n",
                Kind.Clause => "\n### " + Md(text) + "\n",
                Kind.Rule => "- **" + Md(text) + "**",
                Kind.Old => "  - − " + Md(text),
                Kind.New => "  - + " + Md(text),
                _ => "  - " + Md(text),
            });
    }

    private static void WriteHtml(List<(Kind Kind, string Text)> lines, TextWriter w)
    {
        w.WriteLine("<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(lines[0].Text) + "</title>");
        w.WriteLine("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}.old{color:#a00}.new{color:#070}li{margin:.2em 0}</style></head><body>");
        var open = false;
        foreach (var (kind, text) in lines)
        {
            var t = WebUtility.HtmlEncode(text);
            if (kind is Kind.Title or Kind.Heading or Kind.Clause && open) { w.WriteLine("</ul>"); open = false; }
            if (kind is not (Kind.Title or Kind.Heading or Kind.Clause) && !open) { w.WriteLine("<ul>"); open = true; }
            w.WriteLine(kind switch
            {
                Kind.Title => $"<h1>{t}</h1>",
                Kind.Heading => $"<h2>{t}</h2>",
                Kind.Clause => $"<h3>{t}</h3>",
                Kind.Rule => $"<li><strong>{t}</strong></li>",
                Kind.Old => $"<li class=\"old\">− {t}</li>",
                Kind.New => $"<li class=\"new\">+ {t}</li>",
                _ => $"<li>{t}</li>",
            });
        }
        if (open) w.WriteLine("</ul>");
        w.WriteLine("</body></html>");
    }
}
