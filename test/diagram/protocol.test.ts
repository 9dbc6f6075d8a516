import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { snapshotOfLint } from '../../extension/src/engine';
import { diagramHtml } from '../../extension/src/diagram/html';
import { lint } from '../../extension/src/engine';
import {
  isDiagramSnapshot,
  isHostToWebview,
  isWebviewState,
  isWebviewToHost,
  MAX_TEXT_PAYLOAD,
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
