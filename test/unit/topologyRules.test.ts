/**
 * What the single-point-of-failure, pet-in-cattle-pool and dependency-cycle findings say and point
 * at (the fixture harness checks lines; this checks message ids, wording data and related locations).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesById, type FindingWithFixes } from '../../extension/src/engine';
import { lintWithFixes } from '../expectations';

const fixture = (rule: string, file: string) => readFileSync(join(__dirname, '..', 'rules', rule, `${file}.arch.yaml`), 'utf8');

function findingsOf(rule: string, text: string): FindingWithFixes[] {
  return lintWithFixes(text, { rules: [rulesById.get(rule)!] }).findings.filter((f) => f.ruleId === rule);
}

const textAt = (text: string, f: { range: readonly [number, number, string?] }) => text.slice(f.range[0], f.range[1]);

describe('single-point-of-failure', () => {
  it('names every entry point a lone database takes down, and points at them', () => {
    const text = fixture('single-point-of-failure', 'single-database');
    const [db, ...rest] = findingsOf('single-point-of-failure', text);
    expect(rest).toEqual([]);
    expect(db!.messageId).toBe('singleInstance');
    expect(db!.message).toBe('db is a single point of failure: one instance, no failover; its loss takes down edge, admin');
    expect(textAt(text, db!)).toBe('1');
    expect(db!.related!.map((r) => textAt(text, r))).toEqual(['edge', 'admin']);
    expect(db!.fixes![0]!.applicability).toBe('unsafe');
  });

  it('tells a one-replica balancer, a switched-off component and a one-zone pool apart', () => {
    const ids = (file: string) =>
      findingsOf('single-point-of-failure', fixture('single-point-of-failure', file)).map((f) => f.messageId);
    expect(ids('one-balancer')).toEqual(['singleBalancer', 'alwaysDown', 'singleInstance']);
    expect(ids('one-zone')).toEqual(['singleZone', 'singleZone']);
  });

  it('fixes a lone component in a zoned file with two replicas over two declared zones, in one edit', () => {
    const text = ['archlint: 1', 'zones: { a: {}, b: {} }', 'components:', '  solo:', '    kind: worker # nightly'].join('\n');
    const [f] = findingsOf('single-point-of-failure', text);
    expect(f!.fixes![0]!.edits).toHaveLength(1);
    expect(f!.fixes![0]!.edits[0]!.text).toContain('replicas: 2');
    expect(f!.fixes![0]!.edits[0]!.text).toContain('zones: [ a, b ]');
  });

  it('does not flag external components, and offers no fix for hand-placed instances', () => {
    const external = [
      'archlint: 1',
      'components:',
      '  api: { kind: service, replicas: 2, depends-on: [psp] }',
      '  psp: { kind: external }',
    ];
    expect(findingsOf('single-point-of-failure', external.join('\n'))).toEqual([]);
    const [pinned] = findingsOf('single-point-of-failure', fixture('single-point-of-failure', 'one-zone')).slice(1);
    expect(pinned!.component).toBe('bookings-db');
    expect(pinned!.fixes).toBeUndefined();
  });
});

describe('pet-in-cattle-pool', () => {
  it('reports the odd instance and names what makes the component a pool', () => {
    const text = fixture('pet-in-cattle-pool', 'odd-instance');
    const found = findingsOf('pet-in-cattle-pool', text);
    expect(found.map((f) => [f.messageId, f.message])).toEqual([
      [
        'differentInstance',
        'instance api-3 of api is configured unlike its siblings, so it is a pet in a pool of interchangeable ones',
      ],
      [
        'differentInstance',
        'instance search-2 of search is configured unlike its siblings, so it is a pet in a pool of interchangeable ones',
      ],
    ]);
    expect(found[0]!.related!.map((r) => textAt(text, r))).toEqual(['api']);
  });

  it('points at an autoscaler as the reason when nothing routes to the pool', () => {
    const text = fixture('pet-in-cattle-pool', 'pet-instance-autoscaled');
    const [f] = findingsOf('pet-in-cattle-pool', text);
    expect(f!.messageId).toBe('petInstance');
    expect(textAt(text, f!)).toBe('{ name: tc-gpu, lifecycle: pet }');
    expect(f!.related!.map((r) => textAt(text, r))).toEqual(['autoscale']);
  });
});

describe('dependency-cycle', () => {
  it('writes the cycle from its first component in the file, reported at the edge that closes it', () => {
    const text = fixture('dependency-cycle', 'three-cycle');
    const [f] = findingsOf('dependency-cycle', text);
    expect(f!.message).toBe('dependency cycle: orders → billing → ledger → orders');
    expect(f!.component).toBe('ledger');
    expect(f!.related!.map((r) => r.message)).toEqual(['orders depends on billing', 'billing depends on ledger']);
  });

  it('reports a self-dependency, and says which links of a cycle are optional', () => {
    expect(findingsOf('dependency-cycle', fixture('dependency-cycle', 'self-cycle')).map((f) => f.message)).toEqual([
      'dependency cycle: search → search',
    ]);
    expect(findingsOf('dependency-cycle', fixture('dependency-cycle', 'optional-cycle')).map((f) => f.message)).toEqual([
      'dependency cycle: web → sessions → web',
      'dependency cycle: profiles → feeds → profiles (through the optional dependency feeds → profiles)',
    ]);
  });

  it('reports one finding per cycle even when the loop has several ways round', () => {
    const text = [
      'archlint: 1',
      'components:',
      '  a: { kind: service, depends-on: [b, c] }',
      '  b: { kind: service, depends-on: [c] }',
      '  c: { kind: service, depends-on: [a] }',
    ].join('\n');
    expect(findingsOf('dependency-cycle', text).map((f) => f.message)).toEqual(['dependency cycle: a → c → a']);
  });
});
