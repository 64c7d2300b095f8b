using System.Text.Json;
using System.Text.Json.Serialization;
using PolicyDsl.Checking;
using PolicyDsl.Diagnostics;
using PolicyDsl.Formatting;
using StreamJsonRpc;

namespace PolicyDsl.Cli.Lsp;

/// <summary>
/// policyc lsp: a language server for .policy and .rules files over JSON-RPC (StreamJsonRpc, LSP base
/// protocol headers). Diagnostics are published on open and on every change, for the changed file and
/// its partner (the policy and its rules file are checked together); hover, definition, completion,
/// the outline, formatting and quick fixes answer from the same cached parse and check.
/// Test files of other formats plug in at <see cref="Diagnose"/> (one checker per file extension).
/// </summary>
public sealed class LanguageServer
{
    private readonly Workspace _workspace = new();
    private readonly object _gate = new();
    private JsonRpc? _rpc;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? HelpBaseUrl { get; init; }

    internal static JsonSerializerOptions SerializerOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Serves one client on a pair of streams until it sends "exit" or closes them.</summary>
    public static async Task RunAsync(Stream input, Stream output, string? helpBaseUrl = null)
    {
        var server = new LanguageServer { HelpBaseUrl = helpBaseUrl };
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = SerializerOptions };
        using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, input, formatter));
        server._rpc = rpc;
        rpc.AddLocalRpcTarget(server, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        rpc.StartListening();
        await Task.WhenAny(rpc.Completion, server._exited.Task).ConfigureAwait(false);
    }

    // ---------- lifecycle ----------

    [JsonRpcMethod("initialize")]
    public InitializeResult Initialize(JsonElement parameters) => new(
        new ServerCapabilities(
            new TextDocumentSyncOptions(true, LspKinds.SyncIncremental),
            HoverProvider: true,
            DefinitionProvider: true,
            new CompletionOptions([".", "[", " "]),
            DocumentSymbolProvider: true,
            DocumentFormattingProvider: true,
            CodeActionProvider: true),
        new ServerInfo("policyc", typeof(LanguageServer).Assembly.GetName().Version?.ToString()));

    [JsonRpcMethod("initialized")]
    public void Initialized(JsonElement parameters)
    {
    }

    [JsonRpcMethod("shutdown")]
    public object? Shutdown() => null;

    [JsonRpcMethod("exit")]
    public void Exit() => _exited.TrySetResult();

    // ---------- documents ----------

    [JsonRpcMethod("textDocument/didOpen")]
    public Task DidOpen(DidOpenTextDocumentParams p)
    {
        lock (_gate) _workspace.Set(p.TextDocument.Uri, p.TextDocument.Version, p.TextDocument.Text);
        return PublishAsync(p.TextDocument.Uri);
    }

    [JsonRpcMethod("textDocument/didChange")]
    public Task DidChange(DidChangeTextDocumentParams p)
    {
        lock (_gate)
        {
            var text = _workspace.Find(p.TextDocument.Uri)?.Text ?? "";
            foreach (var change in p.ContentChanges) text = Apply(text, change);
            _workspace.Set(p.TextDocument.Uri, p.TextDocument.Version, text);
        }
        return PublishAsync(p.TextDocument.Uri);
    }

    [JsonRpcMethod("textDocument/didClose")]
    public Task DidClose(DidCloseTextDocumentParams p)
    {
        lock (_gate) _workspace.Close(p.TextDocument.Uri);
        return Notify(new PublishDiagnosticsParams(p.TextDocument.Uri, null, []));
    }

    [JsonRpcMethod("textDocument/didSave")]
    public void DidSave(JsonElement parameters)
    {
    }

    private static string Apply(string text, TextDocumentContentChangeEvent change)
    {
        if (change.Range is null) return change.Text;
        var d = new Document("", "", 0, text);
        var start = d.Offset(change.Range.Start);
        var end = Math.Max(start, d.Offset(change.Range.End));
        return string.Concat(text.AsSpan(0, start), change.Text, text.AsSpan(end));
    }

    /// <summary>The diagnostics of one document's unit, by document.</summary>
    internal IReadOnlyDictionary<string, LspDiagnostic[]> Diagnose(string uri)
    {
        lock (_gate)
        {
            var result = new Dictionary<string, LspDiagnostic[]>(StringComparer.Ordinal);
            if (_workspace.Find(uri) is not { } document) return result;
            // One checker per kind of file. A test file is loaded with its policy and rules as they are on disk.
            if (document.Path.EndsWith(Testing.TestLoader.Extension, StringComparison.OrdinalIgnoreCase))
            {
                var loaded = new Testing.TestLoader().Load(document.Path, document.Text);
                result[document.Uri] = loaded.Diagnostics.Where(x => x.FilePath == document.Path).Select(x => ToLsp(x, document)).ToArray();
                return result;
            }
            // .policy and .rules are checked as a unit.
            var (policy, rules) = _workspace.UnitOf(document);
            var compilation = _workspace.Check(policy, rules);
            foreach (var d in new[] { policy, rules })
            {
                if (d is null || _workspace.Find(d.Uri) is null) continue;
                result[d.Uri] = compilation.Diagnostics.Where(x => x.FilePath == d.Path).Select(x => ToLsp(x, d)).ToArray();
            }
            return result;
        }
    }

    private LspDiagnostic ToLsp(Diagnostic d, Document document) => new(
        document.RangeOf(d.Span),
        d.Severity switch { Severity.Error => LspKinds.SeverityError, Severity.Warning => LspKinds.SeverityWarning, Severity.Info => LspKinds.SeverityInformation, _ => LspKinds.SeverityHint },
        d.Id, "policyc", d.Message, new CodeDescription(HelpLinks.For(d.Id, HelpBaseUrl)),
        d.Suggestion is null ? null : new DiagnosticData(d.Suggestion));

    private async Task PublishAsync(string uri)
    {
        foreach (var (documentUri, diagnostics) in Diagnose(uri))
        {
            int? version;
            lock (_gate) version = _workspace.Find(documentUri)?.Version;
            await Notify(new PublishDiagnosticsParams(documentUri, version, diagnostics)).ConfigureAwait(false);
        }
    }

    private Task Notify(PublishDiagnosticsParams p) =>
        _rpc is null ? Task.CompletedTask : _rpc.NotifyWithParameterObjectAsync("textDocument/publishDiagnostics", p);

    // ---------- features ----------

    private (Document Document, Document? Policy, Compilation Compilation)? Context(string uri)
    {
        if (_workspace.Find(uri) is not { } document) return null;
        var (policy, rules) = _workspace.UnitOf(document);
        return (document, policy, _workspace.Check(policy, rules));
    }

    [JsonRpcMethod("textDocument/hover")]
    public Hover? Hover(TextDocumentPositionParams p)
    {
        lock (_gate)
        {
            if (Context(p.TextDocument.Uri) is not { } c) return null;
            return LanguageFeatures.Hover(c.Document, c.Policy, c.Compilation, c.Document.Offset(p.Position));
        }
    }

    [JsonRpcMethod("textDocument/definition")]
    public Location? Definition(TextDocumentPositionParams p)
    {
        lock (_gate)
        {
            if (Context(p.TextDocument.Uri) is not { } c) return null;
            return LanguageFeatures.Definition(c.Document, c.Policy, c.Document.Offset(p.Position));
        }
    }

    [JsonRpcMethod("textDocument/completion")]
    public CompletionItem[] Completion(TextDocumentPositionParams p)
    {
        lock (_gate)
        {
            if (Context(p.TextDocument.Uri) is not { } c) return [];
            return LanguageFeatures.Completion(c.Document, c.Policy, c.Compilation, c.Document.Offset(p.Position));
        }
    }

    [JsonRpcMethod("textDocument/documentSymbol")]
    public DocumentSymbol[] DocumentSymbols(JsonElement p)
    {
        lock (_gate)
        {
            var uri = p.GetProperty("textDocument").GetProperty("uri").GetString() ?? "";
            return _workspace.Find(uri) is { } d ? LanguageFeatures.Symbols(d) : [];
        }
    }

    [JsonRpcMethod("textDocument/formatting")]
    public TextEdit[] Formatting(DocumentFormattingParams p)
    {
        lock (_gate)
        {
            // Only the clause language has a canonical layout; a .tests file keeps its own (FormatCommand.IsFormattable).
            if (_workspace.Find(p.TextDocument.Uri) is not { } d) return [];
            if (!FormatCommand.IsFormattable(d.Path)) return [];
            var formatted = PolicyFormatter.Format(d.Text);
            if (formatted == d.Text) return [];
            return [new TextEdit(d.RangeOf(new Text.TextSpan(0, d.Text.Length)), formatted)];
        }
    }

    [JsonRpcMethod("textDocument/codeAction")]
    public CodeAction[] CodeActions(CodeActionParams p) => p.Context.Diagnostics
        .Where(d => d.Data?.Suggestion is not null)
        .Select(d => new CodeAction($"Replace with '{d.Data!.Suggestion}'", "quickfix", [d],
            new WorkspaceEdit(new Dictionary<string, TextEdit[]> { [p.TextDocument.Uri] = [new TextEdit(d.Range, d.Data.Suggestion!)] }), true))
        .ToArray();
}
