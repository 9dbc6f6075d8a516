/**
 * The VS Code extension: a client of Archlint's language server. Diagnostics, quick fixes,
 * completion, hover, definitions, references, rename, the outline and the CodeLens come from the
 * server through the language client; this side keeps the diagram panel, the status bar item,
 * the commands and the availability report, each asking the server for what it shows.
 *
 * Activated when a workspace contains an `*.arch.yaml`/`*.arch.yml` or a Compose file, or a YAML,
 * JSON or Compose file is opened; the client (and with it the server process) starts on the first
 * architecture file, Compose file or manifest (`archlint.sources.compose` and
 * `archlint.sources.kubernetes` decide, in the server, whether those are read). Manifests have no
 * name for menus to match: the context key `archlint.manifests` lists the open ones.
 * Runs no code from the workspace, so it is safe in untrusted and virtual workspaces: the server
 * reads only the text the client sends it.
 */
import * as vscode from 'vscode';
import { AvailabilityRequest, LintRequest, type LintedParams } from '../protocol';
import type { ArchlintApi } from './api';
import type { ArchlintClient } from './client';
import { client as clientModule } from './clientLoader';
import { registerDiagramPanel } from './diagramPanel';
import { isArchDocument, isArchUri, isManifestDocument, MANIFESTS_CONTEXT_KEY } from './documents';

export type { ArchlintApi } from './api';

export const SHOW_AVAILABILITY_COMMAND = 'archlint.showAvailability';
export const SHOW_DOCS_COMMAND = 'archlint.showRuleDocumentation';
export const FIX_ALL_COMMAND = 'archlint.fixAll';
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('archlint');

/** Stops the language client and its server process; set once the client runs. */
let stopClient: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): ArchlintApi {
  const output = vscode.window.createOutputChannel('Archlint', { log: true });
  context.subscriptions.push(output);

  const linted = new vscode.EventEmitter<LintedParams>();
  context.subscriptions.push(linted);
  let starting: Promise<ArchlintClient> | undefined;
  /** The client, started on first use: the server process runs only once an architecture file is open. */
  const client = (): Promise<ArchlintClient> =>
    (starting ??= clientModule()
      .startClient(context, output, { documentation: SHOW_DOCS_COMMAND, availability: SHOW_AVAILABILITY_COMMAND })
      .then((c) => {
        stopClient = () => c.stop().catch((error: unknown) => output.error(`stopping the language server: ${String(error)}`));
        context.subscriptions.push(
          c.onLinted((params) => linted.fire(params)),
          { dispose: () => void stopClient?.() },
        );
        return c;
      }));
  const startFor = (document: vscode.TextDocument) => {
    if (isArchDocument(document))
      void client().catch((error: unknown) => output.error(`the language server did not start: ${String(error)}`));
  };
  vscode.workspace.textDocuments.forEach(startFor);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(startFor));
  registerManifestsContext(context, startFor, () => starting !== undefined);

  registerStatusBar(context, linted.event);
  registerDiagramPanel(context, client, linted.event);

  const documentOf = async (uri: string | { toString(): string }): Promise<vscode.TextDocument> =>
    vscode.workspace.openTextDocument(typeof uri === 'string' ? vscode.Uri.parse(uri) : (uri as vscode.Uri));

  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_DOCS_COMMAND, (ruleId: unknown, url: unknown) => {
      if (typeof url === 'string' && /^https:\/\//.test(url)) return vscode.env.openExternal(vscode.Uri.parse(url));
      return undefined;
    }),
    vscode.commands.registerCommand(SHOW_AVAILABILITY_COMMAND, async (uri?: vscode.Uri | string) => {
      const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : (uri ?? vscode.window.activeTextEditor?.document.uri);
      if (!target || !isArchUri(target)) {
        void vscode.window.showInformationMessage(
          'Archlint: open an *.arch.yaml, a Compose file or Kubernetes manifests to see their availability.',
        );
        return undefined;
      }
      await vscode.workspace.openTextDocument(target);
      const name = vscode.workspace.asRelativePath(target);
      const answer = await (await client()).request(AvailabilityRequest, { uri: target.toString(), name });
      const text = answer?.table ?? `${name}: no availability (the file is not a readable architecture; see the Problems panel)`;
      output.info(`availability\n${text}`);
      output.show(true);
      return text;
    }),
    vscode.commands.registerCommand(FIX_ALL_COMMAND, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isArchDocument(editor.document)) return false;
      const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        editor.document.uri,
        whole,
        FIX_ALL_KIND.value,
      );
      const edit = actions?.find((a) => a.kind && FIX_ALL_KIND.contains(a.kind))?.edit;
      return edit ? vscode.workspace.applyEdit(edit) : false;
    }),
  );

  output.info(`Archlint ${String(context.extension.packageJSON.version ?? '')} active`);
  return {
    async lint(uri) {
      const document = await documentOf(uri);
      const result = await (await client()).request(LintRequest, { uri: document.uri.toString() });
      return result ?? { findings: [], components: [], entryPoints: [] };
    },
    async availability(uri) {
      const document = await documentOf(uri);
      return (await (await client()).request(AvailabilityRequest, { uri: document.uri.toString() }))?.report;
    },
  };
}

/** The status bar item: problems and the weakest entry point's availability of the active architecture file. */
function registerStatusBar(context: vscode.ExtensionContext, onLinted: vscode.Event<LintedParams>): void {
  const item = vscode.window.createStatusBarItem('archlint.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Archlint';
  item.command = 'workbench.actions.view.problems';
  const status = new Map<string, LintedParams['status']>();
  const update = () => {
    const document = vscode.window.activeTextEditor?.document;
    const shown = document && isArchDocument(document) ? status.get(document.uri.toString()) : undefined;
    if (!shown || !vscode.workspace.getConfiguration('archlint', document?.uri).get<boolean>('enable', true)) {
      item.hide();
      return;
    }
    item.text = shown.text;
    item.tooltip = shown.tooltip;
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    // Turning Archlint (or a source) off hides the item at once; turned on, it shows again with the next lint (the server lints every open file again).
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('archlint.enable') && !e.affectsConfiguration('archlint.sources')) return;
      status.clear();
      update();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      status.delete(d.uri.toString());
      update();
    }),
    onLinted((params) => {
      status.set(params.uri, params.status);
      if (vscode.window.activeTextEditor?.document.uri.toString() === params.uri) update();
    }),
  );
  update();
}

/**
 * Keeps the context key `archlint.manifests` (the open documents that hold manifests) as documents
 * open, change and close, for the menus' `resource in archlint.manifests`; a YAML file that becomes
 * manifests as it is typed starts the client when nothing else has.
 */
function registerManifestsContext(
  context: vscode.ExtensionContext,
  startFor: (document: vscode.TextDocument) => void,
  started: () => boolean,
): void {
  const manifests = new Set<string>();
  const publish = () => void vscode.commands.executeCommand('setContext', MANIFESTS_CONTEXT_KEY, [...manifests]);
  const check = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    const is = isManifestDocument(document);
    if (is === manifests.has(key)) return;
    if (is) manifests.add(key);
    else manifests.delete(key);
    publish();
    if (is && !started()) startFor(document);
  };
  vscode.workspace.textDocuments.forEach(check);
  publish();
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (manifests.delete(document.uri.toString())) publish();
    }),
  );
}

/** VS Code waits for the promise, so the server is shut down (not killed) when the window closes or reloads. */
export function deactivate(): Promise<void> | undefined {
  return stopClient?.();
}
