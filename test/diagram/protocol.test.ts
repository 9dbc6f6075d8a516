import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adoptLayout, layout, renderSvg, snapshotToElk, type DiagramElkGraph } from '../../extension/src/diagram';
import { snapshotOfLint } from '../../extension/src/engine';
import { diagramHtml } from '../../extension/src/diagram/html';
import { lint } from '../../extension/src/engine';
import {
  clipText,
  isDiagramSnapshot,
  isHostToWebview,
  isLayoutResponse,
  isWebviewState,
  isWebviewToHost,
  MAX_ERROR_TEXT,
  MAX_TEXT_PAYLOAD,
  MAX_URI_LENGTH,
} from '../../extension/src/protocol';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const snapshot = snapshotOfLint(lint(readFileSync(join(ROOT, 'samples/shop.arch.yaml'), 'utf8')), new Set(['db']))!;

describe('protocol validators', () => {
  it('accept every message the two sides send', () => {
    expect(isDiagramSnapshot(JSON.parse(JSON.stringify(snapshot)))).toBe(true);
    expect(isHostToWebview({ type: 'update', documentUri: 'file:///a.arch.yaml', title: 'Diagram', snapshot })).toBe(true);
    expect(isHostToWebview({ type: 'highlight', component: 'db' })).toBe(true);
    expect(isHostToWebview({ type: 'highlight', component: null })).toBe(true);
    for (const m of [
      { type: 'ready' },
      { type: 'reveal', component: 'db' },
      { type: 'toggleFail', component: 'db' },
      { type: 'resetFailures' },
      { type: 'rendered', nodes: 9, edges: 10 },
      { type: 'exportSvg', svg: '<svg/>' },
      { type: 'copyMermaid', text: 'flowchart LR' },
      { type: 'error', message: 'x' },
    ]) {
      expect(isWebviewToHost(m), JSON.stringify(m)).toBe(true);
    }
  });

  it('reject malformed, unknown and oversized messages', () => {
    for (const m of [
      null,
      'reveal',
      [],
      {},
      { type: 'reveal' },
      { type: 'reveal', component: 7 },
      { type: 'toggleFail', component: { id: 'db' } },
      { type: 'rendered', nodes: -1, edges: 0 },
      { type: 'rendered', nodes: 1.5, edges: 0 },
      { type: 'exportSvg', svg: 'x'.repeat(MAX_TEXT_PAYLOAD + 1) },
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
    ]) {
      expect(isWebviewToHost(m), JSON.stringify(m)?.slice(0, 80)).toBe(false);
    }
    expect(
      isHostToWebview({ type: 'update', documentUri: 'x', title: 't', snapshot: { ...snapshot, nodes: [{ id: 'a' }] } }),
    ).toBe(false);
    expect(
      isHostToWebview({
        type: 'update',
        documentUri: 'x',
        title: 't',
        snapshot: { ...snapshot, edges: [{ from: 'a', to: 'b', type: 'calls', optional: false }] },
      }),
    ).toBe(false);
    const badPool = { ...snapshot, nodes: [{ ...snapshot.nodes[0]!, pool: 2 }] };
    expect(isDiagramSnapshot(badPool)).toBe(false);
    expect(isHostToWebview({ type: 'highlight' })).toBe(false);
  });

  it('check saved state before it is trusted after a reload', () => {
    expect(isWebviewState({ direction: 'RIGHT' })).toBe(true);
    expect(
      isWebviewState({ direction: 'DOWN', documentUri: 'file:///a', view: { x: 1, y: -2, scale: 0.5 }, selected: 'db' }),
    ).toBe(true);
    expect(isWebviewState({ direction: 'LEFT' })).toBe(false);
    expect(isWebviewState({ direction: 'RIGHT', view: { x: 0, y: 0, scale: 0 } })).toBe(false);
    expect(isWebviewState(undefined)).toBe(false);
  });
});

describe('bounds on what the webview and its layout worker send (audit D12)', () => {
  it('error text is bounded; clipText makes any text fit, never splitting a surrogate pair', () => {
    expect(isWebviewToHost({ type: 'error', message: 'x'.repeat(MAX_ERROR_TEXT) })).toBe(true);
    expect(isWebviewToHost({ type: 'error', message: 'x'.repeat(MAX_ERROR_TEXT + 1) })).toBe(false);
    const long = `layout failed: ${'😀'.repeat(MAX_ERROR_TEXT)}`;
    const clipped = clipText(long);
    expect(clipped.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
    expect(clipped.endsWith('…')).toBe(true);
    expect(clipped).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(isWebviewToHost({ type: 'error', message: clipped })).toBe(true);
    expect(clipText('short')).toBe('short');
  });

  it('a layout worker’s answer is an id with a graph, or an id with a bounded error', () => {
    expect(isLayoutResponse({ id: 1, graph: { id: 'root', children: [] } })).toBe(true);
    expect(isLayoutResponse({ id: 1, error: 'ELK failed' })).toBe(true);
    for (const reply of [
      null,
      'graph',
      { graph: {} },
      { id: -1, graph: {} },
      { id: 1.5, graph: {} },
      { id: '1', graph: {} },
      { id: 1 },
      { id: 1, graph: [] },
      { id: 1, graph: 'svg' },
      { id: 1, error: 42 },
      { id: 1, error: 'x'.repeat(MAX_ERROR_TEXT + 1) },
      { id: 1, error: 'x', graph: {} },
    ]) {
      expect(isLayoutResponse(reply), JSON.stringify(reply)?.slice(0, 80)).toBe(false);
    }
  });

  it('saved state with an absurd document URI is not believed', () => {
    expect(isWebviewState({ direction: 'RIGHT', documentUri: `file:///${'a'.repeat(100)}.arch.yaml` })).toBe(true);
    expect(isWebviewState({ direction: 'RIGHT', documentUri: `file:///${'a'.repeat(MAX_URI_LENGTH)}` })).toBe(false);
    expect(isWebviewState({ direction: 'RIGHT', documentUri: 42 })).toBe(false);
  });
});

describe('a layout worker’s answer (audit D12)', () => {
  it('lends only its geometry: names, text and classes come from the graph that was sent', async () => {
    const sent = snapshotToElk(snapshot);
    const reply = structuredClone(await layout(sent)) as DiagramElkGraph;
    for (const c of reply.children) {
      if (c.archlint.role === 'component') c.archlint.node.id = '<script>alert(1)</script>';
    }
    const adopted = adoptLayout(sent, reply)!;
    expect(adopted).toBeDefined();
    expect(renderSvg(adopted)).not.toContain('<script>');
    expect(renderSvg(adopted)).toBe(renderSvg(await layout(sent)));
  });

  it('is refused when a node or edge is missing or a coordinate is not a finite number', async () => {
    const sent = snapshotToElk(snapshot);
    const good = await layout(sent);
    const broken = (change: (g: DiagramElkGraph) => void) => {
      const g = structuredClone(good);
      change(g);
      return adoptLayout(sent, g);
    };
    expect(broken(() => undefined)).toBeDefined();
    expect(broken((g) => g.children.pop())).toBeUndefined();
    expect(broken((g) => (g.children.at(-1)!.x = Number.NaN))).toBeUndefined();
    expect(broken((g) => ((g.children.at(-1) as unknown as { y: string }).y = '1'))).toBeUndefined();
    expect(broken((g) => (g.edges[0]!.sections = undefined))).toBeUndefined();
    expect(broken((g) => (g.edges[0]!.sections![0]!.endPoint = { x: Infinity, y: 0 }))).toBeUndefined();
    expect(broken((g) => (g.edges[0]!.sections![0]!.bendPoints = Array(20_000).fill({ x: 0, y: 0 })))).toBeUndefined();
    expect(broken((g) => ((g as unknown as { width: unknown }).width = 'wide'))).toBeUndefined();
    for (const reply of [null, 'x', [], {}, { width: 1, height: 1, children: 'no' }])
      expect(adoptLayout(sent, reply)).toBeUndefined();
  });
});

describe('diagram page', () => {
  it('has a CSP that allows nothing by default and scripts only with the nonce', () => {
    const html = diagramHtml({
      cspSource: 'https://x.vscode-cdn.net',
      nonce: 'abc123',
      scriptUri: 'https://x/webview.js',
      workerUri: 'https://x/w.js',
      title: '<Diagram>',
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      "script-src 'nonce-abc123'",
      'style-src https://x.vscode-cdn.net',
      'img-src https://x.vscode-cdn.net data:',
      'font-src https://x.vscode-cdn.net',
      'worker-src https://x.vscode-cdn.net blob:',
      'connect-src https://x.vscode-cdn.net',
    ]);
    expect(csp).not.toContain('unsafe');
    expect(html.match(/<script /g)).toHaveLength(1);
    expect(html).toContain('<script nonce="abc123" src="https://x/webview.js"></script>');
    expect(html).toContain('data-worker-uri="https://x/w.js"');
    expect(html).toContain('<title>&lt;Diagram&gt;</title>');
  });
});
