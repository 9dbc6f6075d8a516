// Hostile shapes, in-process: deep nesting, long dependency chains, numbers past every edge, alias
// bombs, and incremental re-lint of files with CR and CRLF line breaks, astral characters and
// hostile names. The engine never throws and never reports its own crash as a finding.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalysisHost, lint, type LintResult } from '../../extension/src/engine';
import {
  aliasBomb,
  chainArchitecture,
  deepNesting,
  HOSTILE_IDS,
  hugeCountsArchitecture,
  prng,
  withLineEndings,
  yamlQuoted,
} from '../../scripts/fuzz/generators.mjs';
import { hostileIdsFile, rangeProblems } from './hostileCorpus';

/** The engine's own failures, as findings: a rule that threw, a parser that overflowed its stack. */
const crashFindings = (result: LintResult) =>
  result.findings
    .filter((f) => f.messageId === 'internalError' || /internal error|call stack/i.test(f.message))
    .map((f) => f.message);

/** Every entry point's figures are numbers in range. */
function expectSaneAvailability(result: LintResult): void {
  for (const e of result.availability?.entries ?? []) {
    expect(e.availability).toBeGreaterThanOrEqual(0);
    expect(e.availability).toBeLessThanOrEqual(1);
    expect(e.unavailability).toBeGreaterThanOrEqual(0);
    expect(Math.abs(e.availability + e.unavailability - 1)).toBeLessThan(1e-9);
    for (const v of Object.values(e.downtime)) expect(Number.isFinite(v) && v >= 0, `downtime ${v}`).toBe(true);
    expect(Number.isNaN(e.nines)).toBe(false);
  }
}

describe('hostile shapes', () => {
  // Known defect D12 of the audit: from ~880 levels, "YAML syntax error: Maximum call stack size exceeded".
  it('legal YAML nested up to 5,000 levels is read, or refused with a finding that is not a stack overflow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom('flow-seq', 'flow-map', 'block-map', 'block-seq') as fc.Arbitrary<
          'flow-seq' | 'flow-map' | 'block-map' | 'block-seq'
        >,
        fc.constantFrom('root', 'component', 'depends-on') as fc.Arbitrary<'root' | 'component' | 'depends-on'>,
        (depth, form, where) => {
          const text = deepNesting(depth, form, where);
          const result = lint(text);
          expect(crashFindings(result)).toEqual([]);
          for (const f of result.findings) expect(rangeProblems(text, f)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  // Known defect D5 of the audit: the availability signatures recurse along the chain.
  it.each(['depends-on', 'routes-to'] as const)(
    'a %s chain of 2,500 components: every entry point computed, no crash',
    (style) => {
      const result = lint(chainArchitecture(2500, style));
      expect(crashFindings(result)).toEqual([]);
      expect(result.availability!.entries.length).toBeGreaterThan(0);
      expectSaneAvailability(result);
    },
  );

  it('numbers past every edge (huge, tiny, negative, not a number) give findings and figures in range, never a crash', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const text = hugeCountsArchitecture(prng(seed));
        const result = lint(text);
        expect(crashFindings(result)).toEqual([]);
        for (const f of result.findings) expect(rangeProblems(text, f)).toEqual([]);
        expectSaneAvailability(result);
      }),
      { numRuns: 100 },
    );
  });

  it('alias bombs of every size, in a component or at the root, never crash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 2, max: 10 }), fc.boolean(), (levels, width, atRoot) => {
        const result = lint(aliasBomb(levels, width, atRoot ? 'root' : 'component'));
        expect(crashFindings(result)).toEqual([]);
        expectSaneAvailability(result);
      }),
      { numRuns: 60 },
    );
  });
});

const samplesDir = join(__dirname, '..', '..', 'samples');
const samples = readdirSync(samplesDir)
  .filter((f) => f.endsWith('.arch.yaml'))
  .map((f) => readFileSync(join(samplesDir, f), 'utf8'));

/** Maps and sets as lists; the file a finding names left out (the host names it, a bare lint does not). */
const replacer = (key: string, v: unknown): unknown =>
  key === 'file' ? undefined : v instanceof Map ? [...v] : v instanceof Set ? [...v] : v;
/** What a lint result says, as comparable data. */
const observable = (r: LintResult) =>
  JSON.stringify(
    { findings: r.findings, suppressed: r.suppressed, model: r.model, availability: r.availability?.entries },
    replacer,
  );

/** Lines typed inside a component: astral characters, bidi controls, escapes, hostile references. */
const LINES = [
  '    # 🚀 a comment with an astral character',
  '    # \u202e reversed \u2066 isolate',
  '    depends-on: ["🚀"]',
  `    depends-on: [${yamlQuoted('a\x1b[31mRED')}]`,
  '    x-note: "\u001b]0;title\u0007"',
  '    replicas: 3',
  '    kind: 🚀',
];

/** A hostile edit at a fraction of the components section: a digit changed, a line typed (with the file's own line break), or characters typed. */
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  change: fc.oneof(
    { weight: 3, arbitrary: fc.record({ digit: fc.constantFrom('0', '2', '9') }) },
    { weight: 2, arbitrary: fc.record({ line: fc.constantFrom(...LINES) }) },
    fc.record({ line: fc.constantFrom(...HOSTILE_IDS).map((id) => `  ${yamlQuoted(id)}: { kind: cache }`) }),
    fc.record({ insert: fc.constantFrom('🚀', '\t', '\r', '\u202e', '\u00a0', ' # 🚀'), remove: fc.nat({ max: 2 }) }),
  ),
});

function apply(
  text: string,
  { at: fraction, change }: { at: number; change: { digit?: string; line?: string; insert?: string; remove?: number } },
): string {
  const from = Math.max(0, text.indexOf('components:'));
  const at = from + Math.floor(fraction * (text.length - from));
  if (change.digit !== undefined) {
    const d = text.slice(at).search(/[0-9]/);
    return d < 0 ? text : text.slice(0, at + d) + change.digit + text.slice(at + d + 1);
  }
  if (change.line !== undefined) {
    const eol = /\r\n|\r|\n/.exec(text)?.[0] ?? '\n';
    const end = text.slice(at).search(/\r\n|\r|\n/);
    const lineEnd = end < 0 ? text.length : at + end;
    return `${text.slice(0, lineEnd)}${eol}${change.line}${text.slice(lineEnd)}`;
  }
  return text.slice(0, at) + change.insert! + text.slice(Math.min(text.length, at + change.remove!));
}

describe('incremental re-lint of hostile files', () => {
  it('gives exactly what a full lint gives, on CR and CRLF files and files with hostile names', () => {
    let reused = 0;
    // CRLF files take the incremental path; CR-only and mixed ones and most hostile-name files
    // rightly fall back to a full lint, which must agree all the same.
    const base = fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .record({
            text: fc.constantFrom(...samples),
            eol: fc.constantFrom('crlf', 'crlf', 'cr', 'mixed') as fc.Arbitrary<'crlf' | 'cr' | 'mixed'>,
          })
          .map(({ text, eol }) => withLineEndings(text, eol)),
      },
      { weight: 1, arbitrary: hostileIdsFile.map((f) => f.text) },
    );
    fc.assert(
      fc.property(base, fc.array(edit, { minLength: 1, maxLength: 4 }), (start, edits) => {
        let text = start;
        // Through the analysis host, as an editor drives it: each text a new version of one document.
        const host = new AnalysisHost();
        let version = 0;
        const relint = (t: string) => {
          host.apply({ uri: 'file:///h.arch.yaml', version: ++version, text: t });
          return host.snapshot().lint('file:///h.arch.yaml')!;
        };
        relint(text);
        for (const e of edits) {
          text = apply(text, e);
          const next = relint(text);
          if (next.parse === 'component') reused++;
          expect(observable(next)).toBe(observable(lint(text)));
        }
      }),
      { numRuns: 80, seed: 20_261_202 },
    );
    // Meaningful only if some edits took the incremental path.
    expect(reused).toBeGreaterThan(20);
  });
});
