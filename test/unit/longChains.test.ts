// No recursion that a long chain can overflow: a dependency chain, a cycle or a chain of any-of
// groups as long as a file may be goes through lint, availability and blast radius without
// throwing, and the BDD stays linear on them (the audit's D5: 2,000 components overflowed the
// stack in the availability signatures).
import { describe, expect, it } from 'vitest';
import { blastRadius, isUp, lint, type LintResult } from '../../extension/src/engine';
import { Bdd, FALSE, evaluate, scratchFor } from '../../extension/src/engine/availability/bdd';
import { entryStructure } from '../../extension/src/engine/availability/structure';
import { requiredClosure } from '../../extension/src/engine/model/graph';

/** Far longer than any call stack allows a recursion to go (about 10,000 frames in Node). */
const LENGTH = 20_000;
/** Generous: the limit on a slow shared machine, not an assertion about speed. */
const SLOW = 180_000;

/** c0 → c1 → … → c(n−1), every component 2 instances; `closed`: c(n−1) depends on c0 again. */
function chain(n: number, { closed = false, anyOf = false } = {}): string {
  const lines = ['archlint: 1', 'name: chain', 'components:'];
  for (let i = 0; i < n - 1; i++) {
    const next = anyOf ? `{ any-of: [c${i + 1}, b${i}] }` : `c${i + 1}`;
    lines.push(`  c${i}: { kind: service, replicas: 2${i === 0 ? ', entry: true' : ''}, depends-on: [${next}] }`);
    if (anyOf) lines.push(`  b${i}: { kind: service, replicas: 2 }`);
  }
  lines.push(`  c${n - 1}: { kind: database, replicas: 2${closed ? ', depends-on: [c0]' : ''} }`);
  return `${lines.join('\n')}\n`;
}

/** One pool of 2 instances at the default 99.5%, one needed. */
const POOL = 1 - 0.005 ** 2;

/** Each long file is linted once (seconds each), the first test that needs it pays. */
const linted = new Map<string, LintResult>();
const lintOnce = (text: string): LintResult => linted.get(text) ?? linted.set(text, lint(text)).get(text)!;
const OPEN = chain(LENGTH);
const CLOSED = chain(LENGTH, { closed: true });

describe(`a chain of ${LENGTH.toLocaleString('en')} components`, () => {
  it(
    'lints, gives the series availability and the blast radius, without an internal error',
    () => {
      const result = lintOnce(OPEN);
      expect(result.findings.filter((f) => f.messageId === 'internalError')).toEqual([]);
      expect(result.findings).toEqual([]);
      const [entry] = result.availability!.entries;
      expect(entry!.component).toBe('c0');
      expect(entry!.exact).toBe(true);
      // A series of n equal pools: POOLⁿ (a last-bit difference in POOL grows n-fold: 10 digits).
      expect(entry!.availability).toBeCloseTo(POOL ** LENGTH, 10);
      expect(blastRadius(result.graph!, `c${LENGTH - 1}`)).toEqual(['c0']);
      expect(blastRadius(result.graph!, new Set([`c${LENGTH / 2}`, `c${LENGTH - 1}`]))).toEqual(['c0']);
      expect(isUp(result.graph!, 'c0', new Set([`c${LENGTH - 1}`]))).toBe(false);
      expect(isUp(result.graph!, 'c0', new Set())).toBe(true);
      expect(requiredClosure(result.graph!, 'c0').size).toBe(LENGTH);
    },
    SLOW,
  );

  it(
    'closed into a cycle: one dependency-cycle finding, availability with its note, and the blast radius',
    () => {
      const result = lintOnce(CLOSED);
      expect(result.findings.map((f) => f.ruleId)).toEqual(['dependency-cycle']);
      expect(result.findings[0]!.message).toMatch(/^dependency cycle: c0 → c1 → c2 → .* → c19999 → c0$/);
      const report = result.availability!;
      expect(report.entries.map((e) => e.component)).toEqual(['c0']);
      expect(report.notes).toEqual([expect.stringContaining('its dependencies form a cycle through c0')]);
      // Every member required, the one met again counts by its own state: still the series.
      expect(report.entries[0]!.availability).toBeCloseTo(POOL ** LENGTH, 10);
      expect(blastRadius(result.graph!, `c${LENGTH / 2}`)).toEqual(['c0']);
    },
    SLOW,
  );

  it(
    'of any-of groups: computed, approximately once the BDD budget is spent, with no internal error',
    () => {
      const result = lint(chain(LENGTH / 2, { anyOf: true }));
      expect(result.findings.filter((f) => f.messageId === 'internalError')).toEqual([]);
      const [entry] = result.availability!.entries;
      expect(entry!.component).toBe('c0');
      expect(entry!.availability).toBeGreaterThan(0.99);
      // c1's failure alone is covered by b0, so nothing below c0 takes it down.
      expect(blastRadius(result.graph!, 'c1')).toEqual([]);
      expect(blastRadius(result.graph!, 'c0')).toEqual(['c0']);
    },
    SLOW,
  );
});

describe('the BDD on long chains', () => {
  it('a series chain is a product, not a diagram: no BDD step at all', () => {
    const result = lintOnce(OPEN);
    const bdd = new Bdd();
    const levels = new Map<string, number>();
    const structure = entryStructure(result.graph!, bdd, (id) => levels.get(id) ?? levels.set(id, levels.size).size - 1, 'c0');
    expect(structure.required).toHaveLength(LENGTH);
    expect(structure.closure).toHaveLength(LENGTH);
    expect(bdd.steps).toBe(0);
    expect(bdd.size).toBe(2); // the two constants
  });

  it('a cycle through the whole chain builds the whole function in linear steps', () => {
    const result = lintOnce(CLOSED);
    const bdd = new Bdd();
    bdd.budget = Infinity;
    const levels = new Map<string, number>();
    const structure = entryStructure(result.graph!, bdd, (id) => levels.get(id) ?? levels.set(id, levels.size).size - 1, 'c0');
    expect(structure.cycleAt).toBe('c0');
    // Per component: its variable, and the node putting it above what it requires.
    expect(bdd.steps).toBeLessThanOrEqual(3 * LENGTH);
    expect(bdd.size).toBeLessThanOrEqual(3 * LENGTH + 2);
  });

  it('applies an operation deeper than a call stack: (x0 ∧ … ∧ x(n−1)) ∨ xn over 100,000 variables', () => {
    const n = 100_000;
    const bdd = new Bdd();
    bdd.budget = Infinity;
    let all = bdd.variable(n - 1);
    for (let level = n - 2; level >= 0; level--) all = bdd.node(level, FALSE, all);
    // xn sits below every variable of the conjunction: the expansion walks all n levels down to it.
    const root = bdd.or(all, bdd.variable(n));
    const compiled = bdd.compile(root);
    const p = new Array<number>(n + 1).fill(0.9999);
    const q = p.map((x) => 1 - x);
    const { up } = evaluate(compiled, p, q, scratchFor(compiled), 1, undefined);
    const conjunction = 0.9999 ** n;
    expect(up).toBeCloseTo(conjunction + (1 - conjunction) * 0.9999, 12);
    expect(bdd.steps).toBe(n);
  });
});
