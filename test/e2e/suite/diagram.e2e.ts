// "Open Diagram to the Side": the webview renders (it posts `rendered` with its counts, which the
// host keeps per panel and `archlint.diagram.lastRender` returns), with one node per component and
// the edges of the ELK graph the pure diagram module builds. The node click (the webview's
// `reveal` message) is a real click in Chromium: see test/e2e/ui-checks.mjs.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { lint } from '../../../extension/src/engine';
import { snapshotOfLint } from '../../../extension/src/engine';
import { snapshotToElk } from '../../../extension/src/diagram/elkGraph';
import {
  activateArchlint,
  closeAllEditors,
  freshCopy,
  openWithDiagnostics,
  sampleNames,
  waitFor,
  workspaceRoot,
} from './helpers';

const OPEN = 'archlint.openDiagramToSide';
const LAST_RENDER = 'archlint.diagram.lastRender';

interface RenderCounts {
  nodes: number;
  edges: number;
}

interface ElkLike {
  children?: ElkLike[];
  edges?: unknown[];
}

/** Edges the webview draws: those of the ELK graph it lays out (any-of junctions split a dependency in two). */
function elkEdgeCount(graph: ElkLike): number {
  return (graph.edges?.length ?? 0) + (graph.children ?? []).reduce((sum, child) => sum + elkEdgeCount(child), 0);
}

function countOf(v: unknown): number | undefined {
  return typeof v === 'number' ? v : Array.isArray(v) ? v.length : undefined;
}

async function lastRender(uri: vscode.Uri): Promise<RenderCounts | undefined> {
  const r = await vscode.commands.executeCommand<unknown>(LAST_RENDER, uri);
  if (!r || typeof r !== 'object') return undefined;
  const nodes = countOf((r as Record<string, unknown>).nodes);
  const edges = countOf((r as Record<string, unknown>).edges);
  return nodes === undefined || edges === undefined ? undefined : { nodes, edges };
}

/** What the webview must report for `text`: one node per component, the ELK graph's edges. */
function countsOf(text: string): RenderCounts {
  const snapshot = snapshotOfLint(lint(text));
  assert.ok(snapshot, 'the text is a readable architecture');
  return { nodes: snapshot.nodes.length, edges: elkEdgeCount(snapshotToElk(snapshot) as ElkLike) };
}

/** Waits until the webview of `uri` reports a render of `wanted` (an earlier render of other text does not count). */
async function renderOf(uri: vscode.Uri, wanted: RenderCounts, what: string): Promise<RenderCounts> {
  return waitFor(what, async () => {
    const r = await lastRender(uri);
    return r && r.nodes === wanted.nodes && r.edges === wanted.edges ? r : undefined;
  }).catch(async (error: Error) => {
    const seen = await lastRender(uri).catch((e: Error) => e.message);
    throw new Error(`${error.message}\nwanted ${JSON.stringify(wanted)}, last render: ${JSON.stringify(seen)}`);
  });
}

suite('diagram', () => {
  suiteSetup(async () => {
    await activateArchlint();
  });
  teardown(closeAllEditors);

  test('the diagram commands are registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(OPEN), `${OPEN} is registered`);
    assert.ok(commands.includes(LAST_RENDER), `${LAST_RENDER} is registered`);
  });

  for (const sample of sampleNames) {
    test(`${sample}: Open Diagram to the Side renders one node per component and every edge`, async () => {
      const uri = vscode.Uri.joinPath(workspaceRoot(), sample);
      const { document } = await openWithDiagnostics(uri);
      const wanted = countsOf(document.getText());
      await vscode.commands.executeCommand(OPEN);
      const rendered = await renderOf(uri, wanted, 'the webview to report a render');
      assert.deepEqual(rendered, wanted);
    });
  }

  test('the diagram follows typing: a new component is a new node', async () => {
    const uri = await freshCopy('shop.arch.yaml', 'diagram-live');
    const { document, editor, diagnostics } = await openWithDiagnostics(uri);
    assert.ok(diagnostics.length > 0, 'shop has findings in the editor');
    await vscode.commands.executeCommand(OPEN);
    // The render of the text as opened, not whichever render comes first.
    const first = await renderOf(uri, countsOf(document.getText()), 'a first render');
    await vscode.window.showTextDocument(document, { viewColumn: editor.viewColumn, preserveFocus: false });
    await editor.edit((b) =>
      b.insert(document.lineAt(document.lineCount - 1).range.end, '\n  audit: { kind: storage, replicas: 2 }\n'),
    );
    // The render of the edited text (the lint after the edit is debounced, the layout takes its time).
    const second = await renderOf(uri, countsOf(document.getText()), 'a render of the edited text');
    assert.equal(second.nodes, first.nodes + 1);
  });
});
