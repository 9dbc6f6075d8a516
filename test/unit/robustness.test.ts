import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lint, type LintResult } from '../../extension/src/engine';

const samplesDir = join(__dirname, '..', '..', 'samples');
const samples = readdirSync(samplesDir)
  .filter((f) => f.endsWith('.arch.yaml'))
  .map((f) => readFileSync(join(samplesDir, f), 'utf8'));

/** Everything a consumer relies on: valid ranges, a message, no rule crashed, the lazy numbers compute. */
function assertWellFormed(text: string, result: LintResult): void {
  for (const f of result.findings) {
    expect(f.range[0]).toBeGreaterThanOrEqual(0);
    expect(f.range[1]).toBeGreaterThanOrEqual(f.range[0]);
    expect(f.range[1]).toBeLessThanOrEqual(text.length);
    expect(f.message.length).toBeGreaterThan(0);
    expect(['error', 'warning', 'info']).toContain(f.severity);
    expect(f.messageId).not.toBe('internalError');
    for (const fix of result.fixes(f)) {
      for (const e of fix.edits) {
        expect(e.range[0]).toBeGreaterThanOrEqual(0);
        expect(e.range[1]).toBeLessThanOrEqual(text.length);
        expect(e.range[1]).toBeGreaterThanOrEqual(e.range[0]);
      }
    }
  }
  // The availability of whatever could be read is computed without throwing.
  if (result.model) {
    for (const entry of result.availability?.entries ?? []) {
      expect(entry.availability).toBeGreaterThanOrEqual(0);
      expect(entry.availability).toBeLessThanOrEqual(1);
    }
  }
}

/** A mutation of a sample: delete, duplicate or replace a slice, or insert YAML-ish noise. */
const mutatedSample = fc
  .tuple(
    fc.constantFrom(...samples),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.oneof(
          fc.constantFrom(
            '',
            ':',
            '- ',
            '{',
            '}',
            '[',
            ']',
            '&a ',
            '*a',
            '\n',
            '\n  ',
            '  ',
            '#',
            '"',
            "'",
            '!!str ',
            '? ',
            '|',
            '>',
            'null',
            '~',
            '0',
            '-1',
            '1e400',
            'replicas: x',
            'depends-on: [web, {any-of: [db]}]',
            'state: in-memory',
            'balancing: cookie',
            '%',
            '\t',
            '\r\n',
            '\u00a0',
            '\ufeff',
          ),
          fc.string({ maxLength: 12 }),
        ),
      ),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([base, edits]) => {
    let text = base;
    for (const [pos, len, insert] of edits) {
      const at = pos % (text.length + 1);
      text = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + len));
    }
    return text;
  });

describe('the linter never throws, whatever the text', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => assertWellFormed(text, lint(text))),
      { numRuns: 400 },
    );
  });

  it('on mutated samples', () => {
    expect(samples.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(mutatedSample, (text) => assertWellFormed(text, lint(text))),
      { numRuns: 400 },
    );
  });

  it('on structurally random architectures (wrong types in every key)', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    const keys = [
      'kind',
      'replicas',
      'autoscale',
      'balancing',
      'routes-to',
      'depends-on',
      'state',
      'session-store',
      'zones',
      'instances',
      'lifecycle',
      'failover',
      'sharding',
      'health-check',
      'load',
      'capacity',
      'entry',
      'slo',
      'availability',
      'replication',
    ];
    const component = fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 8 });
    const arch = fc.record({
      archlint: fc.oneof(fc.constant(1), value),
      zones: fc.oneof(fc.dictionary(fc.constantFrom('z1', 'z2', 'z3'), value), value),
      components: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), component, { maxKeys: 5 }),
    });
    fc.assert(
      fc.property(arch, (a) => {
        const text = JSON.stringify(a, null, 1);
        assertWellFormed(text, lint(text));
      }),
      { numRuns: 300 },
    );
  });

  it('on an alias bomb, quickly and with a finding', () => {
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 9; i++) {
      const n = String.fromCharCode(98 + i);
      const p = String.fromCharCode(97 + i);
      bomb.push(`${n}: &${n} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]`);
    }
    const result = lint(bomb.join('\n'));
    expect(result.findings.length).toBeGreaterThan(0);
    assertWellFormed(bomb.join('\n'), result);
  });
});
