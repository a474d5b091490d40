// Starts `concur lsp` for Rust files: findings as you type, quick fixes, links to rule docs.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration("concur");
  const command = config.get<string>("path", "concur");
  const args = config.get<string[]>("args", ["lsp"]);
  const server: ServerOptions = { command, args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "rust" }],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/concur.toml"),
    },
  };
  client = new LanguageClient("concur", "concur", server, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("concur.path") || event.affectsConfiguration("concur.args")) {
        await vscode.commands.executeCommand("workbench.action.restartExtensionHost");
      }
    }),
  );
  try {
    await client.start();
  } catch (err) {
    void vscode.window.showErrorMessage(
      `concur: could not start \`${command} ${args.join(" ")}\` (${err}). ` +
        "Install concur (`cargo install --path .` in its checkout) or set `concur.path`.",
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
