import * as vscode from 'vscode';
import { diagramHtml } from '../diagram/html';
import {
  DiagramRequest,
  isWebviewState,
  isWebviewToHost,
  type HostToWebview,
  type LintedParams,
  type ServerRequest,
  type WebviewToHost,
} from '../protocol';
import type { ArchlintClient } from './client';
import { isArchUri, mayBeManifestUri } from './documents';

export const OPEN_DIAGRAM_COMMAND = 'archlint.openDiagramToSide';
/** For tests: the last `rendered` report (`{ nodes, edges }`) of a document's panel, or of the last panel that rendered. */
export const LAST_RENDER_COMMAND = 'archlint.diagram.lastRender';
export const DIAGRAM_VIEW_TYPE = 'archlint.diagram';

/** The extension an exported diagram's default name replaces (`shop.arch.yaml` → `shop.svg`, `compose.yaml` → `compose.svg`). */
const YAML_EXTENSION = /(?:\.arch)?\.ya?ml$/i;

/**
 * A fresh nonce for the page's CSP: 16 random bytes. From Web Crypto, not `node:crypto`: the
 * bundle's import wrapper walks that module's exports when the extension loads (tens of
 * milliseconds of cold activation), for one call when a panel opens.
 */
function newNonce(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

interface RenderReport {
  nodes: number;
  edges: number;
}

/** One diagram panel, showing one architecture document. */
class DiagramPanel implements vscode.Disposable {
  /** Components failed on purpose (what-if); kept across edits, dropped when they disappear. */
  private readonly failed = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private highlighted: string | null = null;
  lastRender: RenderReport | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly client: () => Promise<ArchlintClient>,
    extensionUri: vscode.Uri,
    private readonly onRendered: (panel: DiagramPanel) => void,
    onDispose: () => void,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = diagramHtml({
      cspSource: panel.webview.cspSource,
      nonce: newNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      workerUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'layoutWorker.js')).toString(),
      title: panel.title,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        // The webview is a web page: whatever it posts is checked before it is believed.
        if (isWebviewToHost(raw)) void this.receive(raw);
      }),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  /** Sends the picture of the document as the server has it now, with the what-if applied. */
  async refresh(): Promise<void> {
    await vscode.workspace.openTextDocument(this.uri);
    const answer = await (await this.client()).request(DiagramRequest, { uri: this.uri.toString(), failed: [...this.failed] });
    // Not readable right now (mid-edit): keep showing the last good picture.
    if (!answer) return;
    const known = new Set(answer.snapshot.nodes.map((n) => n.id));
    for (const id of [...this.failed]) if (!known.has(id)) this.failed.delete(id);
    this.post({ type: 'update', documentUri: this.uri.toString(), title: this.panel.title, snapshot: answer.snapshot });
  }

  highlight(component: string | null): void {
    if (component === this.highlighted) return;
    this.highlighted = component;
    this.post({ type: 'highlight', component });
  }

  private async receive(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.highlighted = null;
        await this.refresh();
        break;
      case 'reveal':
        await this.reveal(message.component);
        break;
      case 'toggleFail':
        if (!this.failed.delete(message.component)) this.failed.add(message.component);
        await this.refresh();
        break;
      case 'resetFailures':
        this.failed.clear();
        await this.refresh();
        break;
      case 'rendered':
        this.lastRender = { nodes: message.nodes, edges: message.edges };
        this.onRendered(this);
        break;
      case 'exportSvg':
        await this.save(message.svg);
        break;
      case 'copyMermaid':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage('Archlint: diagram copied as Mermaid', 3000);
        break;
      case 'error':
        void vscode.window.showWarningMessage(`Archlint diagram: ${message.message}`);
        break;
    }
  }

  private async reveal(component: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(this.uri);
    const symbol = (await componentSymbols(await this.client(), this.uri)).find((s) => s.name === component);
    if (!symbol) return;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
    const selection = toRange(symbol.selectionRange);
    await vscode.window.showTextDocument(document, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      selection,
      preserveFocus: false,
    });
  }

  private async save(svg: string): Promise<void> {
    const defaultUri = this.uri.with({ path: this.uri.path.replace(YAML_EXTENSION, '.svg') });
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: { SVG: ['svg'] }, saveLabel: 'Export Diagram' });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg));
    vscode.window.setStatusBarMessage(`Archlint: diagram saved to ${vscode.workspace.asRelativePath(target)}`, 3000);
  }

  dispose(): void {
    this.disposables.splice(0).forEach((d) => d.dispose());
  }
}

/** A component as the server's outline gives it (an LSP `DocumentSymbol`: lines and UTF-16 columns from 0). */
interface ComponentSymbol {
  name: string;
  /** Its key through the end of its value. */
  range: LspRange;
  /** Its key. */
  selectionRange: LspRange;
}
interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/**
 * Archlint's own outline of a document. Asked of Archlint's server directly, not through
 * `vscode.executeDocumentSymbolProvider`: that merges every provider's symbols, and the YAML
 * extension outlines every key of the file (`name`, `zones`, `components`, …), which are no components.
 */
const DocumentSymbolRequest: ServerRequest<{ textDocument: { uri: string } }, ComponentSymbol[] | null> = {
  method: 'textDocument/documentSymbol',
};

async function componentSymbols(client: ArchlintClient, uri: vscode.Uri): Promise<ComponentSymbol[]> {
  const symbols = await client.request(DocumentSymbolRequest, { textDocument: { uri: uri.toString() } });
  return Array.isArray(symbols) ? symbols.filter((s) => typeof s?.name === 'string' && s.range && s.selectionRange) : [];
}

const toPosition = (p: LspRange['start']) => new vscode.Position(p.line, p.character);
const toRange = (r: LspRange) => new vscode.Range(toPosition(r.start), toPosition(r.end));

/** The component whose text contains `position` (the smallest, when several do). */
function componentAt(symbols: readonly ComponentSymbol[], position: vscode.Position): string | null {
  let best: vscode.Range | undefined;
  let name: string | null = null;
  for (const s of symbols) {
    const range = toRange(s.range);
    if (!range.contains(position)) continue;
    if (!best || best.contains(range)) {
      best = range;
      name = s.name;
    }
  }
  return name;
}

/**
 * The architecture document a saved panel showed, or undefined when its state is not one this
 * extension saved: the state comes back from disk, and a corrupted URI must close the panel, not
 * throw while VS Code restores the window.
 */
function restoredDocument(state: unknown): vscode.Uri | undefined {
  if (!isWebviewState(state) || state.documentUri === undefined) return undefined;
  try {
    const uri = vscode.Uri.parse(state.documentUri, true);
    // A manifest's document is not open yet while the window is restored: its name is enough, the server tells the rest.
    return isArchUri(uri) || mayBeManifestUri(uri) ? uri : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Archlint: Open Diagram to the Side": a webview beside the editor, one per document, live as
 * the document is linted, restored after a reload. Registers the commands
 * {@link OPEN_DIAGRAM_COMMAND} and {@link LAST_RENDER_COMMAND} and the panel serializer.
 */
export function registerDiagramPanel(
  context: vscode.ExtensionContext,
  client: () => Promise<ArchlintClient>,
  onLinted: vscode.Event<LintedParams>,
): void {
  const panels = new Map<string, DiagramPanel>();
  let lastRendered: DiagramPanel | undefined;
  let cursorMoves = 0;

  const attach = (webviewPanel: vscode.WebviewPanel, uri: vscode.Uri): DiagramPanel => {
    const key = uri.toString();
    const panel = new DiagramPanel(
      webviewPanel,
      uri,
      client,
      context.extensionUri,
      (p) => (lastRendered = p),
      () => {
        if (panels.get(key) === panel) panels.delete(key);
        if (lastRendered === panel) lastRendered = undefined;
      },
    );
    panels.set(key, panel);
    return panel;
  };
  const titleOf = (uri: vscode.Uri) => `Diagram: ${uri.path.split('/').pop() ?? uri.path}`;

  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_DIAGRAM_COMMAND, async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target || !isArchUri(target)) {
        void vscode.window.showInformationMessage(
          'Archlint: open an *.arch.yaml, a Compose file or Kubernetes manifests to see their diagram.',
        );
        return false;
      }
      const existing = panels.get(target.toString());
      if (existing) {
        existing.panel.reveal(vscode.ViewColumn.Beside, true);
        return true;
      }
      const webviewPanel = vscode.window.createWebviewPanel(
        DIAGRAM_VIEW_TYPE,
        titleOf(target),
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')] },
      );
      attach(webviewPanel, target);
      return true;
    }),
    vscode.commands.registerCommand(LAST_RENDER_COMMAND, (uri?: vscode.Uri | string): RenderReport | undefined => {
      if (uri === undefined) return lastRendered?.lastRender;
      return panels.get(uri.toString())?.lastRender;
    }),
    vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        const uri = restoredDocument(state);
        if (!uri) {
          webviewPanel.dispose();
          return;
        }
        const existing = panels.get(uri.toString());
        if (existing) existing.panel.dispose();
        // The page itself restores its view from the same state; the host only needs to feed it.
        attach(webviewPanel, uri);
      },
    }),
    onLinted(({ uri }) => void panels.get(uri)?.refresh()),
    vscode.window.onDidChangeTextEditorSelection(async ({ textEditor, selections }) => {
      const panel = panels.get(textEditor.document.uri.toString());
      const active = selections[0]?.active;
      if (!panel || !active) return;
      // Answers may arrive out of order: only the latest cursor move highlights.
      const move = ++cursorMoves;
      const symbols = await componentSymbols(await client(), textEditor.document.uri).catch(() => undefined);
      if (symbols && move === cursorMoves) panel.highlight(componentAt(symbols, active));
    }),
    { dispose: () => [...panels.values()].forEach((p) => p.panel.dispose()) },
  );
}
