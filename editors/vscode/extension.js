// Starts `policyc lsp` (JSON-RPC over stdio) for .policy and .rules files.
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

async function activate(context) {
  const config = vscode.workspace.getConfiguration("policydsl");
  const command = config.get("server.path", "policyc");
  const args = config.get("server.args", ["lsp"]);
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "policy" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{policy,rules}") },
  };
  client = new LanguageClient("policydsl", "PolicyDsl", serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
