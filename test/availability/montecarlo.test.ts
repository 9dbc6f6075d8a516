import { describe, expect, it } from 'vitest';
import { computeAvailability } from '../../extension/src/engine/availability';
import { lint } from '../../extension/src/engine/lint';
import { isUp } from '../../extension/src/engine/model/graph';

/**
 * Monte Carlo cross-check: random topologies (shared dependencies, any-of groups, optional
 * dependencies, session stores, zones, k-of-n from quorum and load/capacity, standbys, shards,
 * the odd cycle and a forced failure) are simulated instance by instance and zone by zone, and
 * judged by `isUp`. The exact engine must agree within 4 standard errors on every one.
 */

const TOPOLOGIES = 200;
const SAMPLES = 10_000;

/** mulberry32: small, seeded, good enough for sampling. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Dep = { type: 'required'; id: string } | { type: 'optional'; id: string } | { type: 'any-of'; ids: string[] };

interface Spec {
  id: string;
  availability: number; // percent
  replicas: number;
  zones: string[];
  quorum: boolean;
  capacity?: number;
  standby?: 'hot' | 'cold';
  shards?: number;
  deps: Dep[];
  sessionStore?: string;
}

interface Topology {
  zones: Map<string, number>; // percent
  load?: number;
  components: Spec[];
  failed: string[];
}

const TAKEOVER = 600; // 10m
const MTBF = 36_000; // 10h

function randomTopology(random: () => number): Topology {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const zones = new Map<string, number>();
  const zoneCount = pick([0, 1, 2, 3, 3]);
  for (let z = 0; z < zoneCount; z++) zones.set(`z${z}`, 80 + Math.floor(random() * 20));
  const n = 3 + Math.floor(random() * 7);
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  const load = random() < 0.4 ? 300 : undefined;
  const components: Spec[] = ids.map((id, i) => {
    const later = ids.slice(i + 1);
    const deps: Dep[] = [];
    const depCount = later.length === 0 ? 0 : Math.floor(random() * 4);
    for (let d = 0; d < depCount; d++) {
      const r = random();
      if (r < 0.45) deps.push({ type: 'required', id: pick(later) });
      else if (r < 0.6) deps.push({ type: 'optional', id: pick(later) });
      else if (later.length >= 2) {
        const members = [...new Set([pick(later), pick(later), pick(later)])];
        if (members.length >= 2) deps.push({ type: 'any-of', ids: members });
      }
    }
    const zoneIds = [...zones.keys()].filter(() => random() < 0.6);
    const r = random();
    return {
      id,
      availability: 60 + Math.floor(random() * 40),
      replicas: random() < 0.03 ? 0 : 1 + Math.floor(random() * 4),
      zones: zoneIds,
      quorum: random() < 0.15,
      ...(load !== undefined && random() < 0.4 && { capacity: pick([100, 150, 200, 300]) }),
      ...(r < 0.1 ? { standby: 'hot' as const } : r < 0.2 ? { standby: 'cold' as const } : {}),
      ...(random() < 0.1 && { shards: pick([2, 3]) }),
      deps,
      ...(later.length > 0 && random() < 0.1 && { sessionStore: pick(later) }),
    };
  });
  // Now and then a back edge: a cycle, which both the engine and isUp must end on the same way.
  if (n >= 3 && random() < 0.1) components[n - 1]!.deps.push({ type: 'required', id: ids[1 + Math.floor(random() * (n - 2))]! });
  const failed = random() < 0.2 ? [pick(ids.slice(1))] : [];
  return { zones, load, components, failed };
}

function toYaml(t: Topology): string {
  const lines = ['archlint: 1', 'name: random'];
  if (t.zones.size > 0) {
    lines.push('zones:');
    for (const [z, a] of t.zones) lines.push(`  ${z}: { availability: ${a}% }`);
  }
  lines.push('components:');
  t.components.forEach((c, i) => {
    lines.push(
      `  ${c.id}:`,
      '    kind: service',
      `    entry: ${i === 0}`,
      `    availability: ${c.availability}%`,
      `    replicas: ${c.replicas}`,
    );
    if (i === 0 && t.load !== undefined) lines.push(`    load: ${t.load}/s`);
    if (c.zones.length > 0) lines.push(`    zones: [${c.zones.join(', ')}]`);
    if (c.quorum) lines.push('    replication: quorum');
    if (c.capacity !== undefined) lines.push(`    capacity: ${c.capacity}/s`);
    if (c.standby === 'hot') lines.push('    failover: { mode: automatic, standby: hot }');
    if (c.standby === 'cold') lines.push('    failover: { mode: automatic, standby: cold, takeover: 10m }', '    mtbf: 10h');
    if (c.shards !== undefined) lines.push(`    sharding: { key: id, shards: ${c.shards} }`);
    if (c.sessionStore !== undefined) lines.push(`    session-store: ${c.sessionStore}`);
    if (c.deps.length > 0) {
      lines.push('    depends-on:');
      for (const d of c.deps) {
        if (d.type === 'required') lines.push(`      - ${d.id}`);
        else if (d.type === 'optional') lines.push(`      - { component: ${d.id}, optional: true }`);
        else lines.push(`      - { any-of: [${d.ids.join(', ')}] }`);
      }
    }
  });
  return `${lines.join('\n')}\n`;
}

/** The sampler's own reading of the format, written independently of the engine's pool code. */
function simulate(t: Topology, random: () => number, samples: number, up: (down: ReadonlySet<string>) => boolean): number {
  const pools = t.components.map((c) => {
    const instances = c.replicas === 0 ? 0 : c.replicas + (c.standby ? 1 : 0);
    let needed = 1;
    if (c.quorum) needed = Math.max(needed, Math.floor(c.replicas / 2) + 1);
    if (t.load !== undefined && c.capacity !== undefined)
      needed = Math.max(needed, Math.ceil(t.load / (c.shards ?? 1) / c.capacity));
    const takeover = c.standby === 'cold' && c.replicas > 0 && c.replicas <= needed ? (c.replicas * TAKEOVER) / MTBF : 0;
    const placement = Array.from({ length: instances }, (_, i) => (c.zones.length > 0 ? c.zones[i % c.zones.length] : undefined));
    return { id: c.id, a: c.availability / 100, needed, takeover, placement };
  });
  const zoneIds = [...t.zones.keys()];
  let upCount = 0;
  for (let s = 0; s < samples; s++) {
    const zoneUp = new Map(zoneIds.map((z) => [z, random() < t.zones.get(z)! / 100]));
    const down = new Set<string>(t.failed);
    for (const p of pools) {
      let count = 0;
      for (const zone of p.placement) if ((zone === undefined || zoneUp.get(zone)) && random() < p.a) count++;
      const takingOver = p.takeover > 0 && random() < p.takeover;
      if (count < p.needed || takingOver) down.add(p.id);
    }
    if (up(down)) upCount++;
  }
  return upCount / samples;
}

describe('Monte Carlo cross-check', () => {
  it(`agrees within 4 standard errors on ${TOPOLOGIES} random topologies`, () => {
    const random = rng(20_240_601);
    let checked = 0;
    let nontrivial = 0;
    for (let i = 0; i < TOPOLOGIES; i++) {
      const topology = randomTopology(random);
      const yaml = toYaml(topology);
      const result = lint(yaml, { rules: [] });
      expect(result.findings, yaml).toEqual([]);
      const report = computeAvailability(result.model!, result.graph!, { failed: new Set(topology.failed) });
      const exact = report.entries.find((e) => e.component === 'c0')!;
      const estimate = simulate(topology, random, SAMPLES, (down) => isUp(result.graph!, 'c0', down));
      const standardError = Math.sqrt((exact.availability * exact.unavailability) / SAMPLES);
      const message = `topology ${i}: exact ${exact.availability}, simulated ${estimate}\n${yaml}`;
      expect(Math.abs(estimate - exact.availability), message).toBeLessThanOrEqual(4 * standardError + 1e-12);
      expect(exact.availability + exact.unavailability).toBeCloseTo(1, 12);
      checked++;
      if (exact.availability > 0.05 && exact.availability < 0.95) nontrivial++;
    }
    expect(checked).toBe(TOPOLOGIES);
    // The check only means something if many topologies sit far from 0 and 1.
    expect(nontrivial).toBeGreaterThan(TOPOLOGIES / 4);
  });
});
