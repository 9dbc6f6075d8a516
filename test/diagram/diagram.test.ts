import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  escapeMermaid,
  escapeXml,
  layout,
  renderSvg,
  snapshotOfLint,
  snapshotToElk,
  toElkGraph,
  toMermaid,
  type DiagramElkNode,
  type DiagramSnapshot,
} from '../../extension/src/diagram';
import { lint } from '../../extension/src/engine';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sample = (name: string) => readFileSync(join(ROOT, 'samples', `${name}.arch.yaml`), 'utf8');

function snapshotOf(text: string, failed: string[] = []): DiagramSnapshot {
  const snapshot = snapshotOfLint(lint(text), new Set(failed));
  if (!snapshot) throw new Error('not a readable architecture');
  return snapshot;
}

const ZONED = `archlint: 1
name: zoned
zones:
  eu-1a: {}
  eu-1b: {}
  eu-1c: {}
components:
  lb: { kind: load-balancer, entry: true, replicas: 2, zones: [eu-1a, eu-1b], routes-to: [api] }
  api:
    kind: service
    autoscale: { min: 2, max: 10 }
    zones: [eu-1a, eu-1b]
    health-check: { path: /healthz }
    state: in-memory
    session-store: sessions
    depends-on:
      - db
      - { component: search, optional: true }
      - { any-of: [mail-a, mail-b] }
  db: { kind: database, replicas: 1, zones: [eu-1a] }
  sessions: { kind: cache, replicas: 2, zones: [eu-1b] }
  search: { kind: service, replicas: 1 }
  mail-a: { kind: external }
  mail-b: { kind: external }
`;

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE = `archlint: 1
name: "</title><script>alert(1)</script>"
components:
  "${HOSTILE_NAME}": { kind: load-balancer, entry: true, replicas: 2, routes-to: ['a"b#c&d\`e'] }
  'a"b#c&d\`e': { kind: service, replicas: 2, depends-on: [end] }
  end: { kind: database, replicas: 2 }
`;

const componentNodes = (children: DiagramElkNode[]): DiagramElkNode[] =>
  children.flatMap((c) =>
    c.archlint.role === 'component' ? [c] : c.archlint.role === 'zone' ? componentNodes(c.children ?? []) : [],
  );

describe('snapshot', () => {
  it('has one node per component and one edge per graph edge, with kind, replicas and entry', () => {
    const s = snapshotOf(sample('shop'));
    expect(s.nodes.map((n) => n.id)).toEqual([
      'edge',
      'web',
      'catalog',
      'checkout',
      'recommendations',
      'cache',
      'db',
      'payments-eu',
      'payments-us',
    ]);
    expect(s.edges).toHaveLength(9);
    const edge = s.nodes.find((n) => n.id === 'edge')!;
    expect(edge).toMatchObject({ kind: 'load-balancer', replicas: '×2', entry: true, failed: false, down: false });
    expect(s.nodes.filter((n) => n.entry).map((n) => n.id)).toEqual(['edge']);
    expect(s.edges.find((e) => e.to === 'recommendations')).toEqual({
      from: 'web',
      to: 'recommendations',
      type: 'depends',
      optional: true,
    });
    expect(s.edges.filter((e) => e.anyOf === 0).map((e) => e.to)).toEqual(['payments-eu', 'payments-us']);
  });

  it('labels autoscaled and sharded pools', () => {
    expect(snapshotOf(ZONED).nodes.find((n) => n.id === 'api')!.replicas).toBe('2–10');
    expect(snapshotOf(sample('chat')).nodes.find((n) => n.id === 'messages')!.replicas).toBe('8 shards ×3');
  });

  it('marks each component by its worst finding', () => {
    const result = lint(ZONED);
    const findings = [
      { ruleId: 'x', messageId: 'x', message: 'x', severity: 'info' as const, range: [0, 1] as const, component: 'db' },
      { ruleId: 'y', messageId: 'y', message: 'y', severity: 'error' as const, range: [0, 1] as const, component: 'db' },
      { ruleId: 'z', messageId: 'z', message: 'z', severity: 'warning' as const, range: [0, 1] as const, component: 'api' },
    ];
    const s = buildSnapshot({ model: result.model!, graph: result.graph!, findings });
    expect(s.nodes.find((n) => n.id === 'db')).toMatchObject({ severity: 'error', findings: 2 });
    expect(s.nodes.find((n) => n.id === 'api')).toMatchObject({ severity: 'warning', findings: 1 });
    expect(s.nodes.find((n) => n.id === 'lb')!.severity).toBeUndefined();
  });

  it('carries the engine’s availability: entry points and every pool', () => {
    const result = lint(sample('shop'));
    const s = snapshotOf(sample('shop'));
    const entry = result.availability!.entries.find((e) => e.component === 'edge')!;
    expect(s.nodes.find((n) => n.id === 'edge')!.availability).toBe(entry.availability);
    expect(s.nodes.find((n) => n.id === 'db')!.pool).toBe(result.availability!.components.get('db')!.pool);
    expect(s.nodes.every((n) => n.pool !== undefined && n.pool > 0.9)).toBe(true);
  });

  it('what-if: a failed required component takes its entry points down; an any-of member does not', () => {
    const healthy = snapshotOf(sample('shop')).nodes.find((n) => n.id === 'edge')!.availability!;
    const db = snapshotOf(sample('shop'), ['db']);
    expect(db.failed).toEqual(['db']);
    expect(db.blastRadius).toEqual(['edge']);
    expect(db.nodes.find((n) => n.id === 'edge')).toMatchObject({ down: true, availability: 0 });
    expect(db.nodes.find((n) => n.id === 'db')).toMatchObject({ failed: true, down: false });
    expect(db.nodes.find((n) => n.id === 'cache')!.down).toBe(false);

    const payments = snapshotOf(sample('shop'), ['payments-eu']);
    expect(payments.blastRadius).toEqual([]);
    const degraded = payments.nodes.find((n) => n.id === 'edge')!.availability!;
    expect(degraded).toBeLessThan(healthy);
    expect(degraded).toBeGreaterThan(0.99);

    // An optional dependency down changes nothing an entry point needs.
    const optional = snapshotOf(sample('shop'), ['recommendations']);
    expect(optional.blastRadius).toEqual([]);
    expect(optional.nodes.find((n) => n.id === 'edge')!.availability).toBe(healthy);
    expect(snapshotOf(sample('shop'), ['no-such-component']).failed).toEqual([]);
  });
});

describe('ELK graph', () => {
  it('sizes nodes to their text: a longer name makes a wider node', () => {
    const g = snapshotToElk(snapshotOf(sample('shop')));
    const byId = new Map(componentNodes(g.children).map((n) => [n.archlint.role === 'component' ? n.archlint.node.id : '', n]));
    expect(byId.get('recommendations')!.width).toBeGreaterThan(byId.get('db')!.width!);
    expect(byId.get('edge')!.height).toBeGreaterThan(byId.get('recommendations')!.height!); // entry line
    const meta = byId.get('edge')!.archlint;
    const labels: string[] = meta.role === 'component' ? meta.lines.map((l) => l.text) : [];
    expect(labels[0]).toBe('edge');
    expect(labels[1]).toBe('load-balancer · ×2');
    expect(labels).toContain('zones eu-1a · eu-1b');
    expect(labels.some((l) => /^pool \d+\.\d+%$/.test(l))).toBe(true);
    expect(labels.some((l) => /^entry \d+\.\d+% · SLO 99\.90% [✓✗]$/.test(l))).toBe(true);
  });

  it('puts single-zone components in zone containers and draws any-of through a junction', () => {
    const g = toElkGraph({
      ...(() => {
        const r = lint(ZONED);
        return { model: r.model!, graph: r.graph!, findings: r.findings, availability: r.availability };
      })(),
      direction: 'DOWN',
    });
    expect(g.layoutOptions!['elk.direction']).toBe('DOWN');
    const zones = g.children.filter((c) => c.archlint.role === 'zone');
    expect(zones.map((z) => (z.archlint.role === 'zone' ? z.archlint.zone : ''))).toEqual(['eu-1a', 'eu-1b']); // eu-1c is empty: not drawn
    const inZone = (z: DiagramElkNode) =>
      (z.children ?? []).map((c) => (c.archlint.role === 'component' ? c.archlint.node.id : ''));
    expect(inZone(zones[0]!)).toEqual(['db']);
    expect(inZone(zones[1]!)).toEqual(['sessions']);
    const junctions = g.children.filter((c) => c.archlint.role === 'junction');
    expect(junctions).toHaveLength(1);
    const viaJunction = g.edges.filter((e) => e.archlint.anyOf !== undefined);
    expect(viaJunction.map((e) => e.archlint.junction)).toEqual(['in', 'out', 'out']);
    expect(g.edges.filter((e) => e.archlint.type === 'session-store').map((e) => e.archlint.to)).toEqual(['sessions']);
    // ELK ids are generated: nothing from the file becomes an id.
    expect([...g.children, ...componentNodes(g.children)].every((n) => /^[czj][\d_]+$/.test(n.id))).toBe(true);
  });
});

describe('layout modes by size', () => {
  const many = (n: number) =>
    `archlint: 1\nzones: { eu-1a: {} }\ncomponents:\n  lb: { kind: load-balancer, entry: true, replicas: 2, routes-to: [s0] }\n` +
    Array.from(
      { length: n - 1 },
      (_, i) => `  s${i}: { kind: service, replicas: 2, zones: [eu-1a]${i + 1 < n - 1 ? `, depends-on: [s${i + 1}]` : ''} }\n`,
    ).join('');

  it('keeps zone containers and model order up to 100 components, then writes the zone on the node', () => {
    const small = snapshotToElk(snapshotOf(many(100)));
    expect(small.archlint.mode).toBe('full');
    expect(small.layoutOptions!['elk.layered.considerModelOrder.strategy']).toBe('NODES_AND_EDGES');
    expect(small.children.filter((c) => c.archlint.role === 'zone')).toHaveLength(1);

    const fast = snapshotToElk(snapshotOf(many(101)));
    expect(fast.archlint.mode).toBe('fast');
    expect(fast.layoutOptions!['elk.layered.considerModelOrder.strategy']).toBeUndefined();
    expect(fast.children.filter((c) => c.archlint.role === 'zone')).toHaveLength(0);
    const s0 = fast.children.find((c) => c.archlint.role === 'component' && c.archlint.node.id === 's0')!;
    expect(s0.archlint.role === 'component' && s0.archlint.lines.map((l) => l.text)).toContain('zone eu-1a');

    const large = snapshotToElk(snapshotOf(many(501)));
    expect(large.archlint.mode).toBe('large');
    expect(large.layoutOptions!['elk.edgeRouting']).toBe('POLYLINE');
  });
});

describe('SVG', () => {
  it('draws every node, edge, junction and zone, optional edges dashed, entry points marked', async () => {
    const svg = renderSvg(await layout(snapshotToElk(snapshotOf(ZONED))), { standalone: true });
    const count = (re: RegExp) => (svg.match(re) ?? []).length;
    expect(count(/<g class="node /g)).toBe(7);
    expect(count(/<path class="edge /g)).toBe(7); // 6 graph edges + the one into the junction
    expect(count(/<g class="junction( optional)?"/g)).toBe(1);
    expect(count(/<g class="zone"/g)).toBe(2);
    expect(svg).toMatch(/<path class="edge type-depends optional" data-from="api" data-to="search"/);
    expect(svg).toMatch(/<path class="edge type-session-store" data-from="api" data-to="sessions"/);
    expect(svg).toMatch(/<g class="node component kind-load-balancer entry[^"]*" data-id="lb"/);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="archlint-diagram" viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('<style>');
    expect(renderSvg(await layout(snapshotToElk(snapshotOf(ZONED))))).not.toContain('<style>');
  });

  it('places every node inside the picture and every edge between its ends', async () => {
    const laid = await layout(snapshotToElk(snapshotOf(ZONED)));
    const svg = renderSvg(laid);
    const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
    for (const m of svg.matchAll(/<g class="node[^"]*" data-id="([^"]*)" transform="translate\(([\d.]+) ([\d.]+)\)"/g)) {
      expect(Number(m[2])).toBeLessThan(w!);
      expect(Number(m[3])).toBeLessThan(h!);
    }
    // Edges inside a zone container are offset by the container: the db edge must end at db's box.
    const box = (id: string) => {
      const m = new RegExp(
        `data-id="${id}" transform="translate\\(([\\d.]+) ([\\d.]+)\\)"[^]*?<rect class="box" width="([\\d.]+)" height="([\\d.]+)"`,
      ).exec(svg)!;
      return { x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]) };
    };
    const db = box('db');
    const d = /data-from="api" data-to="db" d="([^"]+)"/.exec(svg)![1]!;
    const nums = d.match(/-?[\d.]+/g)!.map(Number);
    const [ex, ey] = nums.slice(-2) as [number, number];
    expect(ex).toBeGreaterThanOrEqual(db.x - 1);
    expect(ex).toBeLessThanOrEqual(db.x + db.w + 1);
    expect(ey).toBeGreaterThanOrEqual(db.y - 1);
    expect(ey).toBeLessThanOrEqual(db.y + db.h + 1);
  });

  it('escapes every name: a component called <img …> is text', async () => {
    const svg = renderSvg(await layout(snapshotToElk(snapshotOf(HOSTILE))), { standalone: true });
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<script');
    // Every tag is one of ours and carries only quoted attributes of ours: nothing from the file became markup.
    const TAGS = new Set(['svg', 'style', 'defs', 'marker', 'path', 'rect', 'g', 'text', 'title', 'circle']);
    const ATTRIBUTES =
      /^(xmlns|class|viewBox|width|height|role|aria-label|id|refX|refY|markerWidth|markerHeight|markerUnits|orient|d|x|y|rx|cx|cy|r|data-[a-z]+|transform|tabindex|marker-end|text-anchor)$/;
    for (const [tag] of svg.replace(/<style>[^]*?<\/style>/, '<style>').matchAll(/<[^!/][^>]*>/g)) {
      const name = /^<([\w-]+)/.exec(tag)![1]!;
      expect(TAGS.has(name), tag).toBe(true);
      const rest = tag.slice(name.length + 1).replace(/\s([\w:-]+)="[^"<>]*"/g, (_, attr: string) => {
        expect(attr, tag).toMatch(ATTRIBUTES);
        return '';
      });
      expect(rest, tag).toMatch(/^\/?>$/);
    }
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg).toContain('data-id="a&quot;b#c&amp;d`e"');
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('draws the what-if: failed node crossed out, blast radius marked, edges into the failure red', async () => {
    const svg = renderSvg(await layout(snapshotToElk(snapshotOf(sample('shop'), ['db']))));
    expect(svg).toMatch(/<g class="node [^"]*failed[^"]*" data-id="db"[^]*?<path class="cross"/);
    expect(svg).toMatch(/<g class="node [^"]*\bblast\b[^"]*" data-id="edge"/);
    expect(svg).toMatch(/<g class="node [^"]*\bdown\b[^"]*" data-id="catalog"/);
    expect((svg.match(/class="edge [^"]*to-failed[^"]*"[^>]*data-to="db"/g) ?? []).length).toBe(2);
    expect(svg).toContain('entry 0%');
  });
});

describe('Mermaid', () => {
  it('is a flowchart with one node per component, zones as subgraphs, any-of through a junction', () => {
    const text = toMermaid(snapshotOf(ZONED), 'DOWN');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(text).toMatch(/^ {2}subgraph z_eu_1a\["zone eu-1a"\]\n {4}n_db\[\("db<br\/>database · ×1/m);
    expect(text).toMatch(/^ {2}n_lb\{\{"lb<br\/>load-balancer · ×2/m);
    expect(text).toContain('  n_api -.-> n_search');
    expect(text).toContain('  n_api -->|session| n_sessions');
    expect(text).toMatch(/^ {2}j_n_api_0\(\("any of"\)\)$/m);
    expect(text).toContain('  n_api --- j_n_api_0');
    expect(text).toContain('  j_n_api_0 --> n_mail_a');
    expect(text).toMatch(/^ {2}class n_lb entry$/m);
    expect(lines.filter((l) => /^ {2,4}n_[\w]+[[({>]/.test(l))).toHaveLength(7);
  });

  it('right is LR, and ids are safe and unique even when names collide after sanitising', () => {
    const text = toMermaid(
      snapshotOf(`archlint: 1
components:
  a-b: { kind: service, entry: true, depends-on: [a_b, end] }
  a_b: { kind: service }
  end: { kind: service }
`),
    );
    expect(text.split('\n')[0]).toBe('flowchart LR');
    expect(text).toContain('n_a_b[');
    expect(text).toContain('n_a_b_2[');
    expect(text).toContain('n_a_b --> n_a_b_2');
    expect(text).toContain('n_a_b --> n_end');
  });

  it('encodes names with Mermaid entity codes: quotes, brackets, ampersands and # never break out', () => {
    const text = toMermaid(snapshotOf(HOSTILE));
    expect(text).toContain('#lt;img src=x onerror=alert(1)#gt;');
    expect(text).toContain('a#quot;b#35;c#amp;d#96;e');
    expect(text).not.toContain('<img');
    // Inside every quoted label, the only raw markup is our own line break.
    for (const m of text.matchAll(/"([^"]*)"/g)) expect(m[1]!.replace(/<br\/>/g, '')).not.toMatch(/[<>"&`]/);
    expect(escapeMermaid('#quot;')).toBe('#35;quot;');
  });
});
