using System.CommandLine;
using System.Globalization;
using PolicyDsl.Syntax;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc outline FILE: the structure of a file, one node per line, indented two spaces a level.
/// Syntax errors go to stderr (stdout stays a clean outline) and make the exit code 1.
/// </summary>
internal static class OutlineCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The .policy or .rules file to outline." }.RejectingOptions();
        var command = new Command("outline", "Print the sections, clauses, rules and provisions of a policy file.") { file };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(file), CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult)));
        return command;
    }

    internal static int Run(string path, TextWriter output, TextWriter error)
    {
        if (!CommandHelpers.AllFilesExist([path], error)) return ExitCodes.Usage;

        if (CommandHelpers.TryRead(path, error) is not { } source) return ExitCodes.Usage;
        foreach (var line in Outline(source.Syntax)) output.WriteLine(line);

        CommandHelpers.WriteDiagnostics(source.Diagnostics, error);
        if (!source.HasErrors) return ExitCodes.Success;
        error.WriteLine(CommandHelpers.Summary(1, source.Diagnostics.AsImmutableArray()));
        return ExitCodes.Errors;
    }

    /// <summary>The outline's lines, whatever part of the tree was built.</summary>
    internal static IEnumerable<string> Outline(SourceFileSyntax syntax)
    {
        if (syntax.Policy is { } policy)
        {
            // The chapters in the document's order (§29): sections, and chapters of general provisions where they stand.
            foreach (var chapter in policy.Chapters)
            {
                if (chapter is SectionSyntax section)
                {
                    yield return Node(0, "section", Number(section.Number), section.Title);
                    foreach (var clause in section.Clauses)
                    {
                        yield return Node(1, "clause", Number(clause.Number), clause.Title);
                        foreach (var rule in clause.Rules) yield return Node(2, "rule", rule.Name.Text, rule.Title);
                    }
                }
                else if (chapter is GeneralSyntax general)
                {
                    yield return Node(0, "general", general.Number is { } number ? Number(number) : null, general.Title);
                    foreach (var provision in general.Provisions) yield return Node(1, "provision", Number(provision.Number), provision.Title);
                }
            }
        }
        if (syntax.Implementation is { } implementation)
        {
            yield return Node(0, "implementation", implementation.Policy.Text, implementation.Title);
        }
    }

    private static string Number(IntegerLiteral n) => n.Value.ToString(CultureInfo.InvariantCulture);

    private static string Node(int level, string kind, string? name, StringLiteral? title)
    {
        var parts = new List<string> { new string(' ', level * 2) + kind };
        if (name is not null) parts.Add(name);
        if (title is not null) parts.Add(title.Value);
        return string.Join(" ", parts);
    }
}
