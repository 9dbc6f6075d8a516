/**
 * The language client: starts the bundled server (`dist/server.js`, node IPC) and is the
 * extension's one way to Archlint's results. Bundled on its own (`dist/client.js`) and loaded
 * on the first architecture or Compose file, so activating for a plain YAML file costs only the entry.
 */
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { LintedParams, ServerInitializationOptions, ServerRequest } from '../protocol';
import { LintedNotification } from '../protocol';
import { ARCHLINT_SELECTOR, isForeignScheme } from './documents';

/** What the rest of the extension uses of the client. */
export interface ArchlintClient {
  request<P, R>(request: ServerRequest<P, R>, params: P): Promise<R>;
  onLinted(listener: (params: LintedParams) => void): vscode.Disposable;
  /** Tells the server the settings it reads (or what it derives from them) changed. */
  settingsChanged(): void;
  stop(): Promise<void>;
}

export interface ClientCommands {
  documentation: string;
  availability: string;
}

const YAML_EXTENSION_ID = 'redhat.vscode-yaml';

/**
 * Whether the Red Hat YAML extension validates this document: then it already shows YAML
 * syntax errors and duplicate keys, and Archlint leaves those to it (no double squiggles).
 */
function yamlExtensionValidates(scope: vscode.Uri | undefined): boolean {
  if (!vscode.extensions.getExtension(YAML_EXTENSION_ID)) return false;
  return vscode.workspace.getConfiguration('yaml', scope).get<boolean>('validate', true) !== false;
}

export async function startClient(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  commands: ClientCommands,
): Promise<ArchlintClient> {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const initializationOptions: ServerInitializationOptions = {
    documentationCommand: commands.documentation,
    availabilityCommand: commands.availability,
    retriggerCommand: 'editor.action.triggerSuggest',
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ARCHLINT_SELECTOR,
    outputChannel: output,
    initializationOptions,
    diagnosticPullOptions: { onChange: true, onSave: true },
    middleware: {
      // Read-only copies other tools open (git's HEAD version, diffs) are not the user's file.
      didOpen: (document, next) => (isForeignScheme(document.uri) ? Promise.resolve() : next(document)),
      workspace: {
        // The server reads `archlint.*`; what only the editor knows (the YAML extension) is added here.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value: unknown, i) => {
            const item = params.items[i];
            if (item?.section !== 'archlint' || typeof value !== 'object' || value === null) return value;
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            return { ...value, yamlExtensionValidates: yamlExtensionValidates(scope) };
          });
        },
      },
    },
  };
  const client = new LanguageClient('archlint', 'Archlint', serverOptions, clientOptions);
  await client.start();
  const settingsChanged = () => void client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  context.subscriptions.push(
    vscode.extensions.onDidChange(settingsChanged),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('yaml.validate')) settingsChanged();
    }),
  );
  return {
    request: <P, R>(request: ServerRequest<P, R>, params: P) => client.sendRequest<R>(request.method, params),
    onLinted: (listener) => client.onNotification(LintedNotification.method, listener),
    settingsChanged,
    stop: () => client.stop(),
  };
}
