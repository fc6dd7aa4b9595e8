// Starts `fabricc lsp` for .fab files: the server does the work (see
// docs/editors.md); this file only tells VS Code how to run it.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("fabricc").get("path", "fabricc");
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "fabricc",
    "fabricc",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "fab" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
