using System.Text.Json;
using System.Threading.Channels;
using Nerdbank.Streams;
using PolicyDsl.Cli.Lsp;
using StreamJsonRpc;
using LspRange = PolicyDsl.Cli.Lsp.Range;

namespace PolicyDsl.Compiler.Tests;

/// <summary>
/// Drives policyc lsp over in-process streams with the LSP base protocol (Content-Length headers,
/// JSON-RPC), as an editor would: initialize, open, change, hover, definition, completion, outline,
/// formatting and the quick fix.
/// </summary>
public sealed class LanguageServerTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("pdsl-lsp-");
    private readonly Channel<PublishDiagnosticsParams> _published = Channel.CreateUnbounded<PublishDiagnosticsParams>();
    private JsonRpc _client = null!;
    private Task _server = null!;
    private string _policyPath = null!;
    private string _rulesPath = null!;

    private string PolicyUri => Workspace.UriOf(_policyPath);

    private string RulesUri => Workspace.UriOf(_rulesPath);

    /// <summary>What the client listens to: the server's diagnostics.</summary>
    private sealed class Client(Channel<PublishDiagnosticsParams> published)
    {
        [JsonRpcMethod("textDocument/publishDiagnostics", UseSingleObjectParameterDeserialization = true)]
        public void Publish(PublishDiagnosticsParams p) => published.Writer.TryWrite(p);
    }

    public Task InitializeAsync()
    {
        _policyPath = Path.Combine(_dir.FullName, "tongzhou-2026.policy");
        _rulesPath = Path.Combine(_dir.FullName, "tongzhou-2026.rules");
        File.WriteAllText(_policyPath, TestFiles.SamplePolicy);
        File.WriteAllText(_rulesPath, TestFiles.SampleRules);

        var (clientStream, serverStream) = FullDuplexStream.CreatePair();
        _server = Task.Run(() => LanguageServer.RunAsync(serverStream, serverStream));
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = LanguageServer.SerializerOptions };
        _client = new JsonRpc(new HeaderDelimitedMessageHandler(clientStream, clientStream, formatter));
        _client.AddLocalRpcTarget(new Client(_published));
        _client.StartListening();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _client.InvokeWithParameterObjectAsync<object?>("shutdown");
        await _client.NotifyAsync("exit");
        await _server.WaitAsync(TimeSpan.FromSeconds(30));
        _client.Dispose();
        _dir.Delete(recursive: true);
    }

    private Task<T> Call<T>(string method, object parameters) => _client.InvokeWithParameterObjectAsync<T>(method, parameters);

    private async Task<PublishDiagnosticsParams> NextDiagnosticsFor(string uri)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var p = await _published.Reader.ReadAsync(timeout.Token);
            if (p.Uri == uri) return p;
        }
    }

    private static object At(string uri, int line, int character) => new { textDocument = new { uri }, position = new { line, character } };

    private static (int Line, int Character) Find(string text, string what, int within = 0)
    {
        var offset = text.IndexOf(what, StringComparison.Ordinal) + within;
        var before = text[..offset];
        var line = before.Count(c => c == '\n');
        return (line, offset - (before.LastIndexOf('\n') + 1));
    }

    [Fact]
    public async Task A_typo_is_diagnosed_at_its_range_and_the_fix_clears_it_hover_and_definition_answer()
    {
        var init = await Call<JsonElement>("initialize", new { processId = (int?)null, rootUri = (string?)null, capabilities = new { } });
        Assert.True(init.GetProperty("capabilities").GetProperty("hoverProvider").GetBoolean());
        await _client.NotifyWithParameterObjectAsync("initialized", new { });

        // didOpen the Tongzhou policy with one typo: one diagnostic, at the typo's range, with its quick fix.
        var first = TestFiles.SamplePolicy.IndexOf("      requires recognized\n", StringComparison.Ordinal);
        var typo = TestFiles.SamplePolicy[..first] + "      requries" + TestFiles.SamplePolicy[(first + "      requires".Length)..];
        Assert.NotEqual(TestFiles.SamplePolicy, typo);
        await _client.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri = PolicyUri, languageId = "policy", version = 1, text = typo } });
        var opened = await NextDiagnosticsFor(PolicyUri);
        var diagnostic = Assert.Single(opened.Diagnostics);
        Assert.Equal("PDSL0001", diagnostic.Code);
        var (line, character) = Find(typo, "requries");
        Assert.Equal(new LspRange(new Position(line, character), new Position(line, character + "requries".Length)), diagnostic.Range);
        Assert.Equal("requires", diagnostic.Data?.Suggestion);
        Assert.StartsWith("https://", diagnostic.CodeDescription!.Href);

        var actions = await Call<CodeAction[]>("textDocument/codeAction", new { textDocument = new { uri = PolicyUri }, range = diagnostic.Range, context = new { diagnostics = new[] { diagnostic } } });
        var edit = Assert.Single(Assert.Single(actions).Edit.Changes[PolicyUri]);
        Assert.Equal("requires", edit.NewText);

        // didChange (an incremental edit that applies the fix): the empty list.
        await _client.NotifyWithParameterObjectAsync("textDocument/didChange", new
        {
            textDocument = new { uri = PolicyUri, version = 2 },
            contentChanges = new[] { new { range = diagnostic.Range, text = "requires" } },
        });
        Assert.Empty((await NextDiagnosticsFor(PolicyUri)).Diagnostics);

        // Hover over a rule: its source sentence and proven maximum.
        var (ruleLine, ruleChar) = Find(TestFiles.SamplePolicy, "rule cmmm_maturity", within: 6);
        var hover = await Call<Hover>("textDocument/hover", At(PolicyUri, ruleLine, ruleChar));
        Assert.Contains("对获得国家智能制造成熟度（CMMM）评估五级", hover.Contents.Value);
        Assert.Contains("proven maximum: 30 points", hover.Contents.Value);
        Assert.Contains("money ceiling: 300000 yuan", hover.Contents.Value);
        Assert.Contains("cap: ", hover.Contents.Value);

        // Hover over a fact: its unit and bounds.
        var (factLine, factChar) = Find(TestFiles.SamplePolicy, "fact implementation_period", within: 6);
        var factHover = await Call<Hover>("textDocument/hover", At(PolicyUri, factLine, factChar));
        Assert.Contains("unit: years", factHover.Contents.Value);
        Assert.Contains("bounds: at least 0", factHover.Contents.Value);

        // Definition from the rules file lands on the parameter in the policy.
        await _client.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri = RulesUri, languageId = "policy-rules", version = 1, text = TestFiles.SampleRules } });
        Assert.Empty((await NextDiagnosticsFor(RulesUri)).Diagnostics);
        var (setLine, setChar) = Find(TestFiles.SampleRules, "set cmmm_maturity.amount", within: "set cmmm_maturity.".Length + 1);
        var location = await Call<Location>("textDocument/definition", At(RulesUri, setLine, setChar));
        Assert.Equal(PolicyUri, location.Uri);
        var (paramLine, paramChar) = Find(TestFiles.SamplePolicy, "param amount", within: 6);
        Assert.Equal(new Position(paramLine, paramChar), location.Range.Start);

        // Relative cap → rule: the cap of leased_protection names protection_equipment.
        var (capLine, capChar) = Find(TestFiles.SamplePolicy, "cap 50% of protection_equipment(", within: "cap 50% of ".Length + 2);
        var toRule = await Call<Location>("textDocument/definition", At(PolicyUri, capLine, capChar));
        Assert.Equal(Find(TestFiles.SamplePolicy, "rule protection_equipment", within: 5).Line, toRule.Range.Start.Line);

        // Completion: keywords, names in scope and units.
        var completion = await Call<CompletionItem[]>("textDocument/completion", At(PolicyUri, ruleLine + 3, 6));
        Assert.Contains(completion, c => c.Label == "requires");
        Assert.Contains(completion, c => c.Label == "cmmm_level");
        Assert.Contains(completion, c => c.Label == "wan-yuan");

        // The outline, and formatting (the formatter's edit).
        var symbols = await Call<DocumentSymbol[]>("textDocument/documentSymbol", new { textDocument = new { uri = PolicyUri } });
        var policy = Assert.Single(symbols);
        Assert.Equal("Tongzhou2026", policy.Name);
        Assert.Contains(policy.Children!.SelectMany(s => s.Children!).SelectMany(c => c.Children!), r => r.Name == "cmmm_maturity");
        var edits = await Call<TextEdit[]>("textDocument/formatting", new { textDocument = new { uri = PolicyUri }, options = new { tabSize = 2, insertSpaces = true } });
        Assert.Equal(Formatting.PolicyFormatter.Format(TestFiles.SamplePolicy) == TestFiles.SamplePolicy, edits.Length == 0);
    }

    [Fact]
    public async Task Formatting_leaves_a_test_file_as_it_is()
    {
        await Call<JsonElement>("initialize", new { processId = (int?)null, rootUri = (string?)null, capabilities = new { } });
        var uri = Workspace.UriOf(Path.Combine(_dir.FullName, "tongzhou-2026.tests"));
        const string text = "tests for Tongzhou2026 \"t\"\n\ntest \"A\"\n  application A by E under cmmm_maturity on 2026-03-01\n    fact cmmm_level = 5\n    expect award 30 points\n";
        await _client.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "policy-tests", version = 1, text } });
        var edits = await Call<TextEdit[]>("textDocument/formatting", new { textDocument = new { uri }, options = new { tabSize = 2, insertSpaces = true } });
        Assert.Empty(edits);
        // The same text is not in the clause layout: formatting it as a policy would have changed it.
        Assert.NotEqual(text, Formatting.PolicyFormatter.Format(text));
    }
}
