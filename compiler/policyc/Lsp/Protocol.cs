using System.Text.Json;

namespace PolicyDsl.Cli.Lsp;

// The part of the Language Server Protocol 3.17 that policyc lsp speaks, written out (no LSP library is
// available). Serialized by System.Text.Json with camelCase names; nulls are left out.

public sealed record Position(int Line, int Character);

public sealed record Range(Position Start, Position End);

public sealed record Location(string Uri, Range Range);

public sealed record TextDocumentIdentifier(string Uri);

public sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

public sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

public sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

public sealed record TextDocumentContentChangeEvent(Range? Range, string Text);

public sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, TextDocumentContentChangeEvent[] ContentChanges);

public sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

public sealed record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);

public sealed record CodeDescription(string Href);

/// <summary>An LSP diagnostic; Data carries the suggested replacement, for the quick fix.</summary>
public sealed record LspDiagnostic(Range Range, int Severity, string Code, string Source, string Message, CodeDescription? CodeDescription, DiagnosticData? Data);

public sealed record DiagnosticData(string? Suggestion);

public sealed record PublishDiagnosticsParams(string Uri, int? Version, LspDiagnostic[] Diagnostics);

public sealed record MarkupContent(string Kind, string Value);

public sealed record Hover(MarkupContent Contents, Range? Range);

public sealed record CompletionItem(string Label, int Kind, string? Detail);

public sealed record DocumentSymbol(string Name, string? Detail, int Kind, Range Range, Range SelectionRange, DocumentSymbol[]? Children);

public sealed record DocumentFormattingParams(TextDocumentIdentifier TextDocument, JsonElement? Options);

public sealed record TextEdit(Range Range, string NewText);

public sealed record CodeActionContext(LspDiagnostic[] Diagnostics);

public sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext Context);

public sealed record WorkspaceEdit(Dictionary<string, TextEdit[]> Changes);

public sealed record CodeAction(string Title, string Kind, LspDiagnostic[] Diagnostics, WorkspaceEdit Edit, bool IsPreferred);

public sealed record ServerInfo(string Name, string? Version);

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

public sealed record TextDocumentSyncOptions(bool OpenClose, int Change);

public sealed record CompletionOptions(string[] TriggerCharacters);

public sealed record ServerCapabilities(
    TextDocumentSyncOptions TextDocumentSync,
    bool HoverProvider,
    bool DefinitionProvider,
    CompletionOptions CompletionProvider,
    bool DocumentSymbolProvider,
    bool DocumentFormattingProvider,
    bool CodeActionProvider);

/// <summary>The protocol's numbers for kinds and severities.</summary>
public static class LspKinds
{
    public const int SeverityError = 1, SeverityWarning = 2, SeverityInformation = 3, SeverityHint = 4;
    public const int SyncFull = 1, SyncIncremental = 2;
    public const int CompletionKeyword = 14, CompletionVariable = 6, CompletionClass = 7, CompletionUnit = 11, CompletionField = 5;
    public const int SymbolModule = 2, SymbolNamespace = 3, SymbolClass = 5, SymbolMethod = 6, SymbolField = 8, SymbolConstant = 14, SymbolVariable = 13;
}
