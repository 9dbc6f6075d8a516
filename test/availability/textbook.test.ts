import { describe, expect, it } from 'vitest';
import { computeAvailability } from '../../extension/src/engine/availability';
import type { AvailabilityReport, EntryAvailability } from '../../extension/src/engine/availability/types';
import { lint } from '../../extension/src/engine/lint';

/** The availability report of an architecture written as YAML (no rules run). */
function report(yaml: string, failed?: string[]): AvailabilityReport {
  const result = lint(`archlint: 1\n${yaml}`, { rules: [] });
  expect(result.findings).toEqual([]);
  if (!failed) return result.availability!;
  return computeAvailability(result.model!, result.graph!, { failed: new Set(failed) });
}

function entry(yaml: string, id = 'edge', failed?: string[]): EntryAvailability {
  const found = report(yaml, failed).entries.find((e) => e.component === id);
  expect(found, `entry ${id}`).toBeDefined();
  return found!;
}

/** Exact to 1e-12 absolute, and the unavailability to a relative 1e-9 (it is computed on its own). */
function expectExact(e: EntryAvailability, availability: number, unavailability = 1 - availability): void {
  expect(Math.abs(e.availability - availability)).toBeLessThan(1e-12);
  expect(Math.abs(e.unavailability - unavailability)).toBeLessThanOrEqual(1e-9 * unavailability + 1e-300);
  expect(Math.abs(e.availability + e.unavailability - 1)).toBeLessThan(1e-14);
}

/** n choose k. */
function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

describe('textbook cases', () => {
  it('two 99.9% components in series: 99.8001%', () => {
    const e = entry(`components:
  edge: { kind: service, availability: 99.9%, depends-on: [db] }
  db: { kind: database, availability: 99.9% }
`);
    expectExact(e, 0.998001, 0.001999);
  });

  it('two 99.9% components in parallel (any-of): 99.9999%', () => {
    const e = entry(`components:
  edge: { kind: load-balancer, availability: 100%, depends-on: [{ any-of: [a, b] }] }
  a: { kind: service, availability: 99.9% }
  b: { kind: service, availability: 99.9% }
`);
    expectExact(e, 0.999999, 1e-6);
  });

  it('two replicas are parallel too', () => {
    const e = entry(`components:
  edge: { kind: service, replicas: 2, availability: 99.9% }
`);
    expectExact(e, 0.999999, 1e-6);
  });

  it('2-of-3 at 0.9, from load and capacity: 0.972', () => {
    const e = entry(`components:
  edge: { kind: load-balancer, availability: 100%, load: 1200/s, routes-to: [web] }
  web: { kind: service, replicas: 3, capacity: 600/s, availability: 90% }
`);
    expectExact(e, 0.972, 0.028);
  });

  it('k rounds load / capacity up: 1000/s at 400/s per instance needs 3 of 4', () => {
    const a = 0.9;
    const e = entry(`components:
  edge: { kind: load-balancer, availability: 100%, load: 1000/s, routes-to: [web] }
  web: { kind: service, replicas: 4, capacity: 400/s, availability: 90% }
`);
    expectExact(e, a ** 4 + 4 * a ** 3 * (1 - a));
  });

  it('quorum needs a majority: 2 of 3, 3 of 5', () => {
    const three = entry(`components:
  edge: { kind: database, replicas: 3, replication: quorum, availability: 90% }
`);
    expectExact(three, 0.972, 0.028);
    const five = entry(`components:
  edge: { kind: database, replicas: 5, replication: quorum, availability: 90% }
`);
    // Σ_{i≥3} C(5,i) 0.9^i 0.1^(5−i)
    expectExact(five, 0.9 ** 5 + 5 * 0.9 ** 4 * 0.1 + 10 * 0.9 ** 3 * 0.01, 10 * 0.81 * 0.001 + 5 * 0.9 * 0.0001 + 0.00001);
  });

  it('the bridge from any-of groups over shared components: R = 2p²+2p³−5p⁴+2p⁵', () => {
    // edge needs A(C ∨ ED) ∨ B(D ∨ EC): the two-terminal bridge over A, B, C, D and the bridge E.
    for (const percent of [50, 90, 99, 99.9]) {
      const p = percent / 100;
      const e = entry(`components:
  edge: { kind: load-balancer, entry: true, availability: 100%, depends-on: [{ any-of: [a, b] }] }
  a: { kind: service, availability: ${percent}%, depends-on: [{ any-of: [c, via-e-to-d] }] }
  b: { kind: service, availability: ${percent}%, depends-on: [{ any-of: [d, via-e-to-c] }] }
  via-e-to-d: { kind: service, availability: 100%, depends-on: [e, d] }
  via-e-to-c: { kind: service, availability: 100%, depends-on: [e, c] }
  c: { kind: service, availability: ${percent}% }
  d: { kind: service, availability: ${percent}% }
  e: { kind: service, availability: ${percent}% }
`);
      expect(Math.abs(e.availability - (2 * p ** 2 + 2 * p ** 3 - 5 * p ** 4 + 2 * p ** 5))).toBeLessThan(1e-12);
      // Not the naive product of paths: shared components count once.
      expect(e.contributors.map((c) => c.component).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    }
  });

  it('six nines exact to 1e-12, and far beyond in unavailability', () => {
    // Three 99.99% replicas in parallel: U = 1e-12 exactly; 1 − A would have no digits left.
    const tiny = entry(`components:
  edge: { kind: service, replicas: 3, availability: 99.99% }
`);
    expect(Math.abs(tiny.unavailability - 1e-12) / 1e-12).toBeLessThan(1e-9);
    expect(tiny.nines).toBeCloseTo(12, 9);
    // A six-nines entry: a 99.9999% balancer in front of two 99.9% replicas.
    const e = entry(`components:
  edge: { kind: load-balancer, availability: 99.9999%, routes-to: [web] }
  web: { kind: service, replicas: 2, availability: 99.9% }
`);
    const u = 1e-6 + 1e-6 - 1e-12;
    expectExact(e, 1 - u, u);
  });

  it('zones: two zones beat one, and a zone shared by two components is one variable', () => {
    const a = 0.99;
    const z = 0.999;
    const oneZone = entry(`zones: { eu-1a: { availability: 99.9% }, eu-1b: { availability: 99.9% } }
components:
  edge: { kind: service, replicas: 2, zones: [eu-1a], availability: 99% }
`);
    expectExact(oneZone, z * (1 - (1 - a) ** 2));
    const twoZones = entry(`zones: { eu-1a: { availability: 99.9% }, eu-1b: { availability: 99.9% } }
components:
  edge: { kind: service, replicas: 2, zones: [eu-1a, eu-1b], availability: 99% }
`);
    expectExact(twoZones, 1 - (1 - z * a) ** 2);
    expect(twoZones.availability).toBeGreaterThan(oneZone.availability);

    // web and db both in eu-1a: one zone outage takes both; conditioning gives z·A_web·A_db, not (z·A_web)(z·A_db).
    const correlated = entry(`zones: { eu-1a: { availability: 99.9% } }
components:
  edge: { kind: service, zones: [eu-1a], availability: 99%, depends-on: [db] }
  db: { kind: database, zones: [eu-1a], availability: 99% }
`);
    expectExact(correlated, z * a * a);

    // Two components over two zones: sum over the four zone states by hand.
    const spread = entry(`zones: { eu-1a: { availability: 99.9% }, eu-1b: { availability: 99% } }
components:
  edge: { kind: service, replicas: 2, zones: [eu-1a, eu-1b], availability: 99%, depends-on: [db] }
  db: { kind: database, replicas: 2, zones: [eu-1a, eu-1b], availability: 99.5% }
`);
    const za = 0.999;
    const zb = 0.99;
    const pool = (inst: number, upZones: number) => 1 - (1 - inst) ** upZones;
    let expected = 0;
    for (const [wa, ua] of [
      [za, 1],
      [1 - za, 0],
    ] as const) {
      for (const [wb, ub] of [
        [zb, 1],
        [1 - zb, 0],
      ] as const) {
        expected += wa * wb * pool(0.99, ua + ub) * pool(0.995, ua + ub);
      }
    }
    expectExact(spread, expected);
  });

  it('instances are spread round robin: 3 replicas over 2 zones put 2 in the first', () => {
    const a = 0.9;
    const z = 0.99;
    const e = entry(`zones: { eu-1a: { availability: 99% }, eu-1b: { availability: 99% } }
components:
  edge: { kind: service, replicas: 3, zones: [eu-1a, eu-1b], capacity: 100/s, load: 200/s, availability: 90% }
`);
    // Needs 2 of 3: zone a holds two instances, zone b one.
    const twoOfThree = a ** 3 + 3 * a ** 2 * (1 - a);
    const bothInA = a * a;
    expectExact(e, z * z * twoOfThree + z * (1 - z) * bothInA);
  });

  it('sharded: one shard pool, with every shard at once beside it', () => {
    const r = report(`components:
  edge: { kind: service, availability: 100%, depends-on: [messages] }
  messages: { kind: database, sharding: { key: room_id, shards: 4 }, replicas: 2, availability: 90% }
`);
    expectExact(r.entries[0]!, 0.99, 0.01);
    const messages = r.components.get('messages')!;
    expect(messages.pool).toBeCloseTo(0.99, 14);
    expect(messages.allShardsUp).toBeCloseTo(0.99 ** 4, 14);
    expect(messages.shards).toBe(4);
  });

  it('hot standby is one more instance in parallel; cold adds takeover / mtbf of downtime', () => {
    const hot = entry(`components:
  edge: { kind: database, availability: 99.5%, failover: { mode: automatic, standby: hot } }
`);
    expectExact(hot, 1 - 0.005 ** 2, 0.005 ** 2);
    const cold = entry(`components:
  edge: { kind: database, availability: 99.5%, mtbf: 2000h, failover: { mode: automatic, standby: cold, takeover: 5m } }
`);
    const f = 300 / (2000 * 3600);
    const u = 0.005 ** 2;
    expectExact(cold, (1 - u) * (1 - f), u + f * (1 - u));
    const unknownRate = report(`components:
  edge: { kind: database, availability: 99.5%, failover: { standby: cold, takeover: 5m } }
`);
    expectExact(unknownRate.entries[0]!, 1 - u, u);
    expect(unknownRate.notes.join('\n')).toMatch(/edge: a cold standby without/);
  });

  it('optional dependencies do not count; session stores do', () => {
    const e = entry(`components:
  edge: { kind: service, availability: 99%, session-store: sessions, depends-on: [{ component: recs, optional: true }] }
  sessions: { kind: cache, availability: 99% }
  recs: { kind: service, availability: 50% }
`);
    expectExact(e, 0.99 * 0.99);
  });

  it('an autoscaled pool counts its min, even under a load that needs more', () => {
    const pool = (min: number) =>
      `components:\n  edge: { kind: service, load: 3000/s, capacity: 500/s, autoscale: { min: ${min}, max: 20 }, availability: 99% }\n`;
    // k = 6 of min 8.
    const a = 0.99;
    const sixOfEight = [6, 7, 8].reduce((s, i) => s + binomial(8, i) * a ** i * (1 - a) ** (8 - i), 0);
    expectExact(entry(pool(8)), sixOfEight);
    // k = 6 of min 2: never enough, always down (and a note says why).
    expectExact(entry(pool(2)), 0, 1);
  });

  it('defaults: kind, then the file, then the component; autoscale counts min; replicas 0 is down', () => {
    expectExact(entry('components:\n  edge: { kind: database }\n'), 0.995);
    expectExact(entry('components:\n  edge: { kind: queue }\n'), 0.999);
    expectExact(entry('defaults: { availability: 98% }\ncomponents:\n  edge: { kind: queue }\n'), 0.98);
    expectExact(entry('components:\n  edge: { kind: service, autoscale: { min: 2, max: 10 }, availability: 90% }\n'), 0.99, 0.01);
    expectExact(entry('components:\n  edge: { kind: service, replicas: 0 }\n'), 0, 1);
    // Zone default 99.99%, and `defaults.zone-availability` overrides it.
    expectExact(entry('zones: { z: {} }\ncomponents:\n  edge: { kind: service, zones: [z], availability: 100% }\n'), 0.9999);
    expectExact(
      entry(
        'zones: { z: {} }\ndefaults: { zone-availability: 99% }\ncomponents:\n  edge: { kind: service, zones: [z], availability: 100% }\n',
      ),
      0.99,
    );
  });

  it('a failed set forces components down (the diagram what-if)', () => {
    const yaml = `components:
  edge: { kind: load-balancer, availability: 99.9%, depends-on: [{ any-of: [a, b] }, db] }
  a: { kind: service, availability: 99% }
  b: { kind: service, availability: 98% }
  db: { kind: database, availability: 99.5% }
`;
    expectExact(entry(yaml, 'edge', ['a']), 0.999 * 0.98 * 0.995);
    expectExact(entry(yaml, 'edge', ['db']), 0, 1);
    const r = report(yaml, ['db']);
    expect(r.components.get('db')!.pool).toBe(0);
    expect(r.entries[0]!.contributors.map((c) => c.component)).not.toContain('db');
    expect(r.notes).toContain('what-if: db forced down');
  });

  it('cycles end, and agree with isUp on every down set', () => {
    const e = entry(`components:
  edge: { kind: service, entry: true, availability: 90%, depends-on: [a] }
  a: { kind: service, availability: 80%, depends-on: [b] }
  b: { kind: service, availability: 70%, depends-on: [a] }
`);
    expectExact(e, 0.9 * 0.8 * 0.7);
  });
});

describe('SLO and contributors', () => {
  it('uses the entry slo, else the file slo, and says whether it is met', () => {
    const r = report(`slo: 99.95%
components:
  edge: { kind: service, availability: 99.9%, depends-on: [db] }
  api: { kind: service, availability: 99.99%, slo: 99.9% }
  db: { kind: database, availability: 99.9% }
`);
    const edge = r.entries.find((e) => e.component === 'edge')!;
    expect(edge.slo).toBeCloseTo(0.9995, 15);
    expect(edge.sloSource).toBe('file');
    expect(edge.meetsSlo).toBe(false);
    const api = r.entries.find((e) => e.component === 'api')!;
    expect(api.slo).toBeCloseTo(0.999, 15);
    expect(api.sloSource).toBe('entry');
    expect(api.meetsSlo).toBe(true);
    const noSlo = entry('components:\n  edge: { kind: service }\n');
    expect(noSlo.slo).toBeUndefined();
    expect(noSlo.meetsSlo).toBeUndefined();
  });

  it('gain = A(component perfect) − A, largest first', () => {
    const e = entry(`components:
  edge: { kind: service, availability: 99.9%, depends-on: [db, cache] }
  db: { kind: database, availability: 99% }
  cache: { kind: cache, replicas: 2, availability: 99% }
`);
    const a = 0.999 * 0.99 * (1 - 0.01 ** 2);
    expect(e.contributors.map((c) => c.component)).toEqual(['db', 'edge', 'cache']);
    const gains = Object.fromEntries(e.contributors.map((c) => [c.component, c.gain]));
    expect(gains.db).toBeCloseTo(0.999 * 1 * (1 - 0.01 ** 2) - a, 14);
    expect(gains.edge).toBeCloseTo(1 * 0.99 * (1 - 0.01 ** 2) - a, 14);
    expect(gains.cache).toBeCloseTo(0.999 * 0.99 * 1 - a, 14);
  });

  it('gains under correlated zones match recomputing with the component perfect', () => {
    const yaml = (dbAvailability: string) => `zones: { eu-1a: { availability: 99% }, eu-1b: { availability: 99.5% } }
components:
  edge: { kind: service, replicas: 2, zones: [eu-1a, eu-1b], availability: 95%, depends-on: [{ any-of: [db, replica] }] }
  db: { kind: database, zones: [eu-1a], availability: ${dbAvailability} }
  replica: { kind: database, zones: [eu-1b], availability: 97% }
`;
    const base = entry(yaml('98%'));
    // "db perfect" means its pool never fails, its zone included: a zone-less, 100% db.
    const perfect = entry(yaml('100%').replace('db: { kind: database, zones: [eu-1a],', 'db: { kind: database,'));
    const gain = base.contributors.find((c) => c.component === 'db')!.gain;
    expect(Math.abs(gain - (perfect.availability - base.availability))).toBeLessThan(1e-14);
  });
});

describe('beyond the exact budget', () => {
  it('a pathologically entangled file gets an approximation and a note, not a frozen editor', () => {
    // Each service needs one of the next two, and one of a pair of shared backends: the exact
    // diagram must remember which backend pairs are still owed, which explodes.
    const lines = ['components:'];
    for (let i = 0; i < 100; i++) lines.push(`  b${i}: { kind: database, replicas: 2 }`);
    const services = 600;
    for (let i = 0; i < services; i++) {
      const deps = [`{ any-of: [b${(2 * i * 7) % 100}, b${(2 * i * 7 + 1) % 100}] }`];
      if (i + 2 < services) deps.push(`{ any-of: [s${i + 1}, s${i + 2}] }`);
      lines.push(`  s${i}: { kind: service, replicas: 2, entry: ${i === 0}, depends-on: [${deps.join(', ')}] }`);
    }
    const started = Date.now();
    const r = report(`${lines.join('\n')}\n`);
    const s0 = r.entries.find((e) => e.component === 's0')!;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(s0.exact).toBe(false);
    expect(r.notes.join('\n')).toMatch(/s0: its any-of groups are too entangled/);
    expect(s0.contributors).toEqual([]);
    expect(s0.availability).toBeGreaterThan(0.99);
    expect(s0.availability + s0.unavailability).toBeCloseTo(1, 12);
  });
});
