/**
 * How large and tangled graphs are laid out (audit D4): the mode follows the real size of the
 * ELK graph, any-of junctions included; past the largest mode, and when ELK runs past its time
 * budget, the picture is drawn with the simplest layout and says so. No timed assertion: the
 * budget path is driven with a budget no layout can meet.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  graphSize,
  layout,
  layoutSnapshot,
  LayoutThread,
  LAYOUT_LIMITS,
  renderSvg,
  simpleLayout,
  simpleLayoutNote,
  snapshotOfLint,
  snapshotToElk,
  type DiagramElkGraph,
  type DiagramSnapshot,
} from '../../extension/src/diagram';
import { lint } from '../../extension/src/engine';
import { buildCliOnce, ROOT } from '../cli/setup';
import { anyOfTangle } from './tangle';

const snapshotOf = (text: string): DiagramSnapshot => snapshotOfLint(lint(text))!;
const SHOP = readFileSync(join(ROOT, 'samples/shop.arch.yaml'), 'utf8');

/** Every node inside the picture and no two boxes overlapping; every edge with a route. */
function expectDrawable(laidOut: DiagramElkGraph): void {
  const boxes = laidOut.children.map((n) => ({ x: n.x!, y: n.y!, w: n.width!, h: n.height! }));
  for (const b of boxes) {
    expect(Number.isFinite(b.x) && Number.isFinite(b.y)).toBe(true);
    expect(b.x + b.w).toBeLessThanOrEqual(laidOut.width!);
    expect(b.y + b.h).toBeLessThanOrEqual(laidOut.height!);
  }
  const sorted = [...boxes].sort((a, b) => a.x - b.x || a.y - b.y);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.x < sorted[i]!.x + sorted[i]!.w; j++) {
      const [a, b] = [sorted[i]!, sorted[j]!];
      expect(a.y + a.h <= b.y || b.y + b.h <= a.y, 'boxes overlap').toBe(true);
    }
  }
  for (const e of laidOut.edges) expect(e.sections?.length).toBe(1);
}

describe('the layout mode follows the real size of the graph', () => {
  it('counts any-of junctions and their edges: 100 components with 400 junctions are no longer laid out in full', () => {
    const d4 = snapshotOf(anyOfTangle(20, 20));
    expect(d4.nodes).toHaveLength(100);
    expect(graphSize(d4)).toEqual({ nodes: 500, edges: 1600 });
    const graph = snapshotToElk(d4);
    expect(graph.children.filter((c) => c.archlint.role === 'junction')).toHaveLength(400);
    expect(graph.edges).toHaveLength(1600);
    // Full mode (zone containers, model order) took ELK about a minute on this file; large mode takes about a second.
    expect(graph.archlint.mode).toBe('large');
    expect(graph.children.some((c) => c.archlint.role === 'zone')).toBe(false);
    expect(graph.archlint.note).toBeUndefined();
  });

  it('draws a graph beyond every ELK mode with the simplest layout, and says so on the picture', async () => {
    // The audit's "280 components with 4,000 junctions", which ELK never finished (1.5 GB).
    const snapshot = snapshotOf(anyOfTangle(200, 20));
    expect(snapshot.nodes).toHaveLength(280);
    const size = graphSize(snapshot);
    expect(size).toEqual({ nodes: 4280, edges: 16000 });
    expect(size.nodes > LAYOUT_LIMITS.large.nodes || size.edges > LAYOUT_LIMITS.large.edges).toBe(true);
    const graph = snapshotToElk(snapshot);
    expect(graph.archlint.mode).toBe('simple');
    expect(graph.archlint.note).toBe(
      'Simplest layout: 4280 nodes and 16000 edges (any-of junctions included) are more than the layered layout draws in a few seconds',
    );
    const laidOut = await layout(graph); // never ELK in simple mode
    expect(laidOut.archlint.mode).toBe('simple');
    expectDrawable(laidOut);
    const svg = renderSvg(laidOut, { standalone: true });
    expect(svg).toContain(`<text class="layout-note" x="12" y="18">${graph.archlint.note}</text>`);
    expect(svg.match(/<g class="node /g)).toHaveLength(280);
    expect(svg.match(/<path class="edge /g)).toHaveLength(16000);
  }, 120_000);

  it('keeps a note short, whatever ELK said when it failed', () => {
    const note = simpleLayoutNote({ failed: `UnsupportedGraphException: ${'n_root.z2.c23, '.repeat(1000)}` });
    expect(note.length).toBeLessThan(300);
    expect(note).toMatch(/^Simplest layout: the layered layout failed \(UnsupportedGraphException: n_root/);
  });

  it('keeps the limits in order, each mode cheaper than the one before', () => {
    expect(LAYOUT_LIMITS.full.nodes).toBeLessThan(LAYOUT_LIMITS.fast.nodes);
    expect(LAYOUT_LIMITS.fast.nodes).toBeLessThan(LAYOUT_LIMITS.large.nodes);
    expect(LAYOUT_LIMITS.full.edges).toBeLessThan(LAYOUT_LIMITS.fast.edges);
    expect(LAYOUT_LIMITS.fast.edges).toBeLessThan(LAYOUT_LIMITS.large.edges);
  });
});

describe('the simplest layout', () => {
  it('puts every node one column after the deepest node it is reached from, edges pointing forwards', () => {
    const graph = snapshotToElk(snapshotOf(SHOP), 'RIGHT', { mode: 'simple', note: 'n' });
    const laidOut = simpleLayout(graph);
    expectDrawable(laidOut);
    const x = new Map(laidOut.children.map((n) => [n.id, n.x!]));
    for (const e of laidOut.edges) expect(x.get(e.targets[0]!)!).toBeGreaterThan(x.get(e.sources[0]!)!);
    const byName = new Map(
      laidOut.children.flatMap((n) => (n.archlint.role === 'component' ? [[n.archlint.node.id, n.x!] as const] : [])),
    );
    expect(byName.get('edge')).toBeLessThan(byName.get('web')!);
    expect(byName.get('web')).toBeLessThan(byName.get('db')!);
    // Drawn downwards, the layers are rows.
    const down = simpleLayout(snapshotToElk(snapshotOf(SHOP), 'DOWN', { mode: 'simple' }));
    expectDrawable(down);
    const y = new Map(down.children.map((n) => [n.id, n.y!]));
    for (const e of down.edges) expect(y.get(e.targets[0]!)!).toBeGreaterThan(y.get(e.sources[0]!)!);
  });

  it('breaks cycles and lays out a long chain without recursion', () => {
    const cycle = snapshotOf(
      'archlint: 1\ncomponents:\n  a: { kind: service, entry: true, depends-on: [b] }\n  b: { kind: service, depends-on: [c] }\n  c: { kind: service, depends-on: [b] }\n',
    );
    expectDrawable(simpleLayout(snapshotToElk(cycle, 'RIGHT', { mode: 'simple' })));
    const n = 5000;
    const chain: DiagramSnapshot = {
      zones: [],
      nodes: Array.from({ length: n }, (_, i) => ({
        id: `s${i}`,
        kind: 'service',
        replicas: '×2',
        zones: [],
        entry: i === 0,
        findings: 0,
        failed: false,
        down: false,
      })),
      edges: Array.from({ length: n - 1 }, (_, i) => ({ from: `s${i}`, to: `s${i + 1}`, type: 'depends', optional: false })),
      failed: [],
      blastRadius: [],
    };
    const laidOut = simpleLayout(snapshotToElk(chain));
    expect(laidOut.children).toHaveLength(n);
    expect(new Set(laidOut.children.map((c) => c.x)).size).toBe(n); // one column per link of the chain
  });
});

describe('a time budget for the layered layout (the CLI runs ELK in a worker thread)', () => {
  const script = join(ROOT, 'dist', 'layoutThread.js');
  beforeAll(buildCliOnce, 120_000);

  it('draws the simplest layout with a note when the budget runs out', async () => {
    const snapshot = snapshotOf(SHOP);
    expect(snapshotToElk(snapshot).archlint.mode).toBe('full');
    // No thread starts, loads ELK and lays out within a millisecond: the budget always runs out.
    const laidOut = await layoutSnapshot(snapshot, 'RIGHT', { budgetMs: 1, thread: LayoutThread.start(script) });
    expect(laidOut.archlint.mode).toBe('simple');
    expect(laidOut.archlint.note).toBe('Simplest layout: the layered layout did not finish within 1 ms');
    expect(laidOut.children.filter((c) => c.archlint.role === 'component')).toHaveLength(9);
    expectDrawable(laidOut);
  });

  it('answers at once, with a note, from a thread that was stopped (never waits on it)', async () => {
    const thread = LayoutThread.start(script);
    thread.stop();
    expect(await thread.layout(snapshotToElk(snapshotOf(SHOP)), 600_000)).toBe(
      'Simplest layout: the layered layout failed (its thread stopped)',
    );
  });

  it('turns a thread that fails before it is asked into a note, never an unhandled error', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'archlint-thread-')), 'broken.js');
    writeFileSync(broken, "throw new Error('no ELK here');\n");
    const thread = LayoutThread.start(broken);
    // Let it fail while nobody waits on it, as it would while the CLI lints (no timing is asserted).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await thread.layout(snapshotToElk(snapshotOf(SHOP)), 600_000)).toBe(
      'Simplest layout: the layered layout failed (no ELK here)',
    );
  });

  it('within the budget, draws what ELK draws in this thread', async () => {
    const snapshot = snapshotOf(SHOP);
    const inThread = await layout(snapshotToElk(snapshot));
    const threaded = await layoutSnapshot(snapshot, 'RIGHT', { budgetMs: 600_000, thread: LayoutThread.start(script) });
    expect(threaded.archlint.mode).toBe('full');
    expect(threaded.archlint.note).toBeUndefined();
    expect(renderSvg(threaded)).toBe(renderSvg(inThread));
  }, 120_000);
});
