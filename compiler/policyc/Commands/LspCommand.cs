using System.CommandLine;
using PolicyDsl.Cli.Lsp;

namespace PolicyDsl.Cli;

/// <summary>policyc lsp: the language server on standard input and output (what editors start).</summary>
internal static class LspCommand
{
    public static Command Create()
    {
        var helpBase = CheckCommand.HelpBaseOption();
        var stdio = new Option<bool>("--stdio") { Description = "Talk over standard input and output (the default and only transport)." };
        var command = new Command("lsp", "Run the language server (JSON-RPC over stdio) for .policy and .rules files.") { helpBase, stdio };
        command.SetAction(parseResult =>
        {
            LanguageServer.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput(), parseResult.GetValue(helpBase)).GetAwaiter().GetResult();
            return ExitCodes.Success;
        });
        return command;
    }
}
