using System.CommandLine;
using System.Text;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Cli;

/// <summary>
/// policyc schema POLICY [--rules RULES] [-o OUT]: the JSON Schema of the policy's applications file (facts per
/// rule with their JSON types, units, bounds and members), the rules `policyc eval` reads JSON by.
/// Exit 1 (with the diagnostics) if the policy has errors, 2 on a usage error.
/// </summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var policy = new Argument<string>("policy") { Description = "The .policy file." }.RejectingOptions();
        var rules = new Option<string?>("--rules") { Description = "The implementation-rules (.rules) file." };
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (default: standard output)." };
        var command = new Command("schema", "Write the JSON Schema of the policy's applications file (what `policyc eval` reads).") { policy, rules, output };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(policy), parseResult.GetValue(rules), parseResult.GetValue(output),
            CommandHelpers.Output(parseResult), CommandHelpers.Error(parseResult)));
        return command;
    }

    internal static int Run(string policyPath, string? rulesPath, string? outPath, TextWriter output, TextWriter error)
    {
        if (ReportCommand.LoadPolicy(policyPath, rulesPath, error, out var policy) is { } code) return code;
        var schema = ApplicationSchema.Write(policy!);
        if (outPath is null) output.Write(schema);
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            File.WriteAllText(outPath, schema, new UTF8Encoding(false));
            error.WriteLine($"policyc: wrote {outPath}");
        }
        return ExitCodes.Success;
    }
}
