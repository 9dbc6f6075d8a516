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
  openAndWaitForDiagnostics,
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
      const { document } = await openAndWaitForDiagnostics(uri, () => true);
      const snapshot = snapshotOfLint(lint(document.getText()));
      assert.ok(snapshot, 'the sample is a readable architecture');
      await vscode.commands.executeCommand(OPEN);
      const wanted = { nodes: snapshot.nodes.length, edges: elkEdgeCount(snapshotToElk(snapshot) as ElkLike) };
      const rendered = await waitFor(
        'the webview to report a render',
        async () => {
          const r = await lastRender(uri);
          return r && r.nodes === wanted.nodes && r.edges === wanted.edges ? r : undefined;
        },
        20_000,
      ).catch(async (error: Error) => {
        const seen = await lastRender(uri).catch((e: Error) => e.message);
        throw new Error(`${error.message}\nwanted ${JSON.stringify(wanted)}, last render: ${JSON.stringify(seen)}`);
      });
      assert.deepEqual(rendered, wanted);
    });
  }

  test('the diagram follows typing: a new component is a new node', async () => {
    const uri = await freshCopy('shop.arch.yaml', 'diagram-live');
    const { document, editor } = await openAndWaitForDiagnostics(uri, (ds) => ds.length > 0);
    await vscode.commands.executeCommand(OPEN);
    const first = await waitFor('a first render', () => lastRender(uri), 20_000);
    await vscode.window.showTextDocument(document, { viewColumn: editor.viewColumn, preserveFocus: false });
    await editor.edit((b) =>
      b.insert(document.lineAt(document.lineCount - 1).range.end, '\n  audit: { kind: storage, replicas: 2 }\n'),
    );
    const second = await waitFor(
      'a render with one more node',
      async () => {
        const r = await lastRender(uri);
        return r && r.nodes === first.nodes + 1 ? r : undefined;
      },
      20_000,
    );
    assert.equal(second.nodes, first.nodes + 1);
  });
});
