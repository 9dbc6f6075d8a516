// Benchmark of the diagram layout: ELK (layered, the diagram's own options) on generated
// architectures of 50, 200, 500 and 1000 components, and on the audit's any-of tangle (D4: 100
// components with 400 junctions, and 280 with 4,000), in Node — the same ELK build and options
// the webview's worker runs; each in the mode its real size (junctions included) calls for,
// `simple` being the ELK-free fallback. Prints medians; asserts nothing (no unit test times).
// Usage: node bench/layout.mjs [--mode=full|fast|large|simple] [sizes… | tangle | tangle-280]
//   e.g. node bench/layout.mjs 200 1000 tangle; --mode forces a mode (how the limits were chosen).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache', 'bench-diagram.mjs');
mkdirSync(dirname(out), { recursive: true });
await build({
  stdin: {
    contents: `export { snapshotToElk, layout, renderSvg, graphSize } from './extension/src/diagram';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'warning',
  // elkjs is CommonJS: give it a require in the ESM bundle.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});
const { snapshotToElk, layout, renderSvg, graphSize } = await import(pathToFileURL(out).href);

/** A deterministic pseudo-random generator, so every run lays out the same graphs. */
function random(seed) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const KINDS = ['service', 'service', 'service', 'worker', 'database', 'cache', 'queue', 'external'];

/** A layered architecture of `n` components: balancers on top, each component needing 1–3 deeper ones. */
function generate(n, seed = 42) {
  const rand = random(seed);
  const zones = ['eu-1a', 'eu-1b', 'eu-1c'];
  const nodes = [];
  const edges = [];
  const tiers = Math.max(3, Math.round(Math.sqrt(n) / 2));
  for (let i = 0; i < n; i++) {
    const tier = Math.min(tiers - 1, Math.floor((i / n) * tiers));
    const kind = tier === 0 ? 'load-balancer' : KINDS[Math.floor(rand() * KINDS.length)];
    const zoneCount = 1 + Math.floor(rand() * 2);
    nodes.push({
      id: `${kind}-${i}`,
      kind,
      replicas: `×${1 + Math.floor(rand() * 4)}`,
      zones: zones.slice(0, zoneCount),
      entry: tier === 0,
      findings: rand() < 0.1 ? 1 : 0,
      ...(rand() < 0.1 && { severity: 'warning' }),
      pool: 0.99 + rand() * 0.0099,
      ...(tier === 0 && { availability: 0.999 }),
      failed: false,
      down: false,
      tier,
    });
  }
  const deeper = (tier) => nodes.filter((x) => x.tier > tier);
  for (const node of nodes) {
    const candidates = deeper(node.tier);
    if (candidates.length === 0) continue;
    const count = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < count; k++) {
      const target = candidates[Math.floor(rand() * Math.min(candidates.length, 40))];
      const roll = rand();
      if (roll < 0.1 && k === 0) {
        const other = candidates[Math.floor(rand() * candidates.length)];
        edges.push({ from: node.id, to: target.id, type: 'depends', optional: false, anyOf: 0 });
        if (other.id !== target.id) edges.push({ from: node.id, to: other.id, type: 'depends', optional: false, anyOf: 0 });
      } else {
        edges.push({ from: node.id, to: target.id, type: node.tier === 0 ? 'route' : 'depends', optional: roll > 0.85 });
      }
    }
  }
  return {
    name: `generated-${n}`,
    zones,
    nodes: nodes.map(({ tier: _tier, ...rest }) => rest),
    edges,
    failed: [],
    blastRadius: [],
  };
}

/**
 * The audit's D4 reproducer (d4-layout.py) as a snapshot: `entries` entry points, each with
 * `groups` any-of groups of three over 80 shared services — few components, many junctions.
 */
function tangle(entries, groups) {
  const node = (id, entry) => ({
    id,
    kind: 'service',
    replicas: '×1',
    zones: [],
    entry,
    findings: 0,
    failed: false,
    down: false,
  });
  const nodes = [];
  const edges = [];
  for (let i = 0; i < entries; i++) {
    nodes.push(node(`e${i}`, true));
    for (let j = 0; j < groups; j++) {
      for (const to of [`g${(i + j) % 40}a`, `g${(i + j) % 40}b`, `g${(i + j + 7) % 40}a`])
        edges.push({ from: `e${i}`, to, type: 'depends', optional: false, anyOf: j });
    }
  }
  for (let g = 0; g < 40; g++) nodes.push(node(`g${g}a`, false), node(`g${g}b`, false));
  return { name: `tangle-${entries}x${groups}`, zones: [], nodes, edges, failed: [], blastRadius: [] };
}

const SPECS = { tangle: () => tangle(20, 20), 'tangle-280': () => tangle(200, 20) };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sizes = process.argv.slice(2).filter((x) => x in SPECS || Number(x) > 0);
const forced = /^--mode=(full|fast|large|simple)$/.exec(process.argv.find((a) => a.startsWith('--mode=')) ?? '')?.[1];
const options = forced ? { mode: forced } : {};
const runsFor = (n) => (n <= 200 ? 7 : n <= 500 ? 3 : 1);

console.log('components  nodes  edges  layout median (ms)  render (ms)  runs  mode');
for (const spec of sizes.length ? sizes : [50, 200, 500, 1000, 'tangle', 'tangle-280']) {
  const snapshot = spec in SPECS ? SPECS[spec]() : generate(Number(spec));
  const n = snapshot.nodes.length;
  const size = graphSize(snapshot);
  const times = [];
  let renderMs = 0;
  // A warm-up run: the first layout also pays for ELK's start-up, which the worker pays once.
  await layout(snapshotToElk(generate(20), 'RIGHT', options));
  for (let r = 0; r < runsFor(size.nodes); r++) {
    const graph = snapshotToElk(snapshot, 'RIGHT', options);
    const start = performance.now();
    const laid = await layout(graph);
    times.push(performance.now() - start);
    const t = performance.now();
    renderSvg(laid);
    renderMs = performance.now() - t;
  }
  const mode = snapshotToElk(snapshot, 'RIGHT', options).archlint.mode;
  console.log(
    `${String(n).padStart(10)}  ${String(size.nodes).padStart(5)}  ${String(size.edges).padStart(5)}  ${median(times).toFixed(0).padStart(18)}  ${renderMs.toFixed(0).padStart(11)}  ${String(times.length).padStart(4)}  ${mode}`,
  );
}
