/**
 * Restoring a diagram panel after a reload (audit D12): the saved state comes back from disk,
 * and one that is corrupted must close the panel quietly, never throw while VS Code restores
 * the window. VS Code's own URI parser (vscode-uri, strict as the serializer calls it) decides
 * what parses.
 */
import { URI } from 'vscode-uri';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as fake from '../vscode/fakeVscode';

interface Serializer {
  deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void>;
}
const captured: { serializer?: Serializer } = {};

vi.mock('vscode', async () => {
  const base = await import('../vscode/fakeVscode');
  /** The fake's Uri, with VS Code's strict parsing in front of it. */
  const Uri = new Proxy(base.Uri, {
    get: (target, key, receiver) =>
      key === 'parse'
        ? (value: string, strict = false) => {
            URI.parse(value, strict); // throws UriError as VS Code does
            return target.parse(value);
          }
        : Reflect.get(target, key, receiver),
  });
  return {
    ...base,
    Uri,
    window: {
      ...base.window,
      registerWebviewPanelSerializer: (_type: string, serializer: Serializer) => {
        captured.serializer = serializer;
        return new base.Disposable();
      },
    },
  };
});

const { registerDiagramPanel } = await import('../../extension/src/vscode/diagramPanel');

/** A webview panel as the serializer receives it; records whether it was disposed or given a page. */
function panel() {
  const state = { disposed: false, html: '' };
  return {
    state,
    title: 'Diagram: shop.arch.yaml',
    webview: {
      options: {},
      cspSource: 'vscode-resource:',
      set html(v: string) {
        state.html = v;
      },
      asWebviewUri: (u: fake.Uri) => u,
      onDidReceiveMessage: () => new fake.Disposable(),
      postMessage: async () => true,
    },
    onDidDispose: () => new fake.Disposable(),
    reveal: () => undefined,
    dispose: () => (state.disposed = true),
  };
}

beforeAll(() => {
  const context = { subscriptions: [] as { dispose(): void }[], extensionUri: fake.Uri.file('/ext') };
  registerDiagramPanel(
    context as never,
    () => Promise.reject(new Error('no server in this test')),
    new fake.EventEmitter<never>().event,
  );
  expect(captured.serializer).toBeDefined();
});

describe('restoring the diagram panel', () => {
  it('closes a panel whose saved document URI does not parse, or is not an architecture file, without throwing', async () => {
    for (const documentUri of ['not a uri', '', '%%%', 'file://host//no-slash', 'file:///etc/passwd', 'untitled:notes.txt']) {
      const p = panel();
      await expect(captured.serializer!.deserializeWebviewPanel(p, { direction: 'RIGHT', documentUri })).resolves.toBeUndefined();
      expect(p.state.disposed, documentUri).toBe(true);
      expect(p.state.html).toBe('');
    }
    for (const state of [undefined, null, 'x', { direction: 'UP', documentUri: 'file:///a.arch.yaml' }, { direction: 'RIGHT' }]) {
      const p = panel();
      await captured.serializer!.deserializeWebviewPanel(p, state);
      expect(p.state.disposed).toBe(true);
    }
  });

  it('restores a panel whose saved state names an architecture file', async () => {
    const p = panel();
    await captured.serializer!.deserializeWebviewPanel(p, { direction: 'RIGHT', documentUri: 'file:///w/shop.arch.yaml' });
    expect(p.state.disposed).toBe(false);
    expect(p.state.html).toMatch(/^<!DOCTYPE html>/);
  });
});
