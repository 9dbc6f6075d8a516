import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCollection, isPair, type Document } from 'yaml';
import { generateArchitecture } from '../../bench/generate.mjs';
import { AnalysisHost, lint, type LintResult } from '../../extension/src/engine';

const URI = 'file:///work/t.arch.yaml';

/**
 * An editor's view of the analysis host: one document, each text a new version of it, linted
 * through the host (which re-reads one component when it can). Returns that text's result.
 */
function editor(): (text: string) => LintResult {
  const host = new AnalysisHost();
  let version = 0;
  return (text) => {
    host.apply({ uri: URI, version: ++version, text });
    return host.snapshot().lint(URI)!;
  };
}

const wasIncremental = (result: LintResult): boolean => result.parse === 'component';

const samples = join(__dirname, '..', '..', 'samples');
const bases: [string, string][] = [
  ['generated-40', generateArchitecture(40)],
  ...readdirSync(samples)
    .filter((f) => f.endsWith('.arch.yaml'))
    .map((f): [string, string] => [f, readFileSync(join(samples, f), 'utf8')]),
];

/** Every node's range, by path: the document the rules read, as far as offsets go. */
function ranges(doc: Document | undefined): string[] {
  const out: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (isPair(node)) {
      visit(node.key, `${path}/key`);
      visit(node.value, `${path}/value`);
      return;
    }
    const range = (node as { range?: number[] }).range;
    out.push(`${path} ${range ? range.join(',') : '-'} ${(node as { flow?: boolean }).flow ? 'flow' : ''}`);
    if (isCollection(node)) node.items.forEach((item, i) => visit(item, `${path}/${i}`));
  };
  visit(doc?.contents, '');
  return out;
}

/** Maps and sets as lists; the file a finding names left out (the host names it, a bare lint does not). */
const replacer = (key: string, v: unknown): unknown =>
  key === 'file' ? undefined : v instanceof Map ? [...v] : v instanceof Set ? [...v] : v;

/** What a lint result says, as comparable data. */
function observable(result: LintResult): string {
  return JSON.stringify(
    {
      findings: result.findings.map((f) => ({ ...f, fixes: result.fixes(f) })),
      suppressed: result.suppressed.map((f) => ({ ...f, fixes: result.fixes(f) })),
      model: result.model,
      graph: result.graph,
      availability: result.availability,
      ranges: ranges(result.doc),
      value: result.doc?.toJS(),
    },
    replacer,
  );
}

/** Lines a person types inside a component (valid, invalid, or changing the topology). */
const LINES = [
  '    replicas: 3',
  '    replicas: 1',
  '    state: in-memory',
  '    balancing: ip-hash',
  '    health-check: { path: /healthz, interval: 5s }',
  '    depends-on: [svc-3]',
  '    depends-on: [nothing-here]',
  '    lifecycle: pet',
  '    zones: [eu-1a]',
  '    replicas: many',
  '    kind: databse',
  '    # a comment',
  '    entry: true',
  '  extra: { kind: cache }',
  '',
];

/**
 * An edit at a fraction of the components section (where the incremental path applies; with
 * `anywhere`, of the whole text): a digit changed, characters typed or deleted, a line added
 * after the line there, or that line deleted.
 */
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  anywhere: fc.boolean(),
  change: fc.oneof(
    { weight: 3, arbitrary: fc.record({ digit: fc.constantFrom('0', '1', '2', '5', '9') }) },
    {
      weight: 2,
      arbitrary: fc.record({
        line: fc.constantFrom('    # a comment', '    mtbf: 100h', '    slo: 99%', '    tls: none', '    max-connections: 5'),
      }),
    },
    fc.record({
      remove: fc.nat({ max: 6 }),
      insert: fc.string({
        unit: fc.constantFrom('a', 'b', '1', '9', ' ', ':', '-', '#', '\n', '[', ']', '{', '}', ',', '%', '"', '&', '*', 'x'),
        maxLength: 4,
      }),
    }),
    fc.record({ line: fc.constantFrom(...LINES) }),
    fc.constant({ deleteLine: true as const }),
    // A value changed and a comment line typed under it: the edit starts inside the component,
    // and the comment may be one yaml keeps in the component's mapping.
    fc.record({ digit: fc.constantFrom('3', '8'), comment: fc.constantFrom('    # below', '  # at the key', '      # deeper') }),
  ),
});

type Edit = {
  at: number;
  anywhere: boolean;
  change: { digit: string; comment?: string } | { remove: number; insert: string } | { line: string } | { deleteLine: true };
};

function apply(text: string, e: Edit): string {
  const from = e.anywhere ? 0 : Math.max(0, text.indexOf('\ncomponents:'));
  const at = from + Math.floor(e.at * (text.length - from));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
  const c = e.change;
  if ('digit' in c) {
    const digit = text.slice(at).search(/[0-9]/);
    if (digit < 0) return text;
    const changed = text.slice(0, at + digit) + c.digit + text.slice(at + digit + 1);
    if (c.comment === undefined) return changed;
    const end = changed.indexOf('\n', at + digit);
    return end < 0 ? changed : `${changed.slice(0, end)}\n${c.comment}${changed.slice(end)}`;
  }
  if ('line' in c) return `${text.slice(0, lineEnd)}\n${c.line}${text.slice(lineEnd)}`;
  if ('deleteLine' in c) return text.slice(0, lineStart) + text.slice(Math.min(text.length, lineEnd + 1));
  return text.slice(0, at) + c.insert + text.slice(Math.min(text.length, at + c.remove));
}

describe('incremental re-lint', () => {
  it('gives exactly what a full lint gives, over random chains of edits', () => {
    let reused = 0;
    let steps = 0;
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.array(edit, { minLength: 1, maxLength: 6 }), ([, base], edits) => {
        let text = base;
        const relint = editor();
        relint(text);
        for (const e of edits) {
          text = apply(text, e);
          const next = relint(text);
          steps++;
          if (wasIncremental(next)) reused++;
          expect(observable(next)).toBe(observable(lint(text)));
        }
      }),
      { numRuns: 150, seed: 20_260_522 },
    );
    // The comparison means something only if many edits took the incremental path (most random
    // edits break the YAML or touch the header, and rightly fall back).
    expect(steps).toBeGreaterThan(300);
    expect(reused).toBeGreaterThan(40);
    // Some 700 lints with every fix made: a bound for a hang, generous for a busy machine (not a speed check).
  }, 180_000);

  it('re-parses one component for an edit inside it', () => {
    const text = generateArchitecture(100);
    const relint = editor();
    relint(text);
    const at = text.indexOf('    kind: service') + '    kind: service'.length;
    const edited = `${text.slice(0, at)}\n    state: in-memory${text.slice(at)}`;
    const next = relint(edited);
    expect(wasIncremental(next)).toBe(true);
    expect(observable(next)).toBe(observable(lint(edited)));
  });

  it('never changes an earlier result: its document, ranges and fixes stay those of its own text', () => {
    // The new document shares the nodes before the edit and holds moved copies of those after it.
    const text = generateArchitecture(60);
    const relint = editor();
    const first = relint(text);
    const before = observable(first);
    const at = text.indexOf('    kind: service') + '    kind: service'.length;
    const edited = `${text.slice(0, at)}\n    state: in-memory\n    # typed above${text.slice(at)}`;
    const next = relint(edited);
    expect(wasIncremental(next)).toBe(true);
    expect(first.findings.filter((f) => first.fixes(f).length > 0).length).toBeGreaterThan(10);
    expect(observable(first)).toBe(before);
    expect(observable(first)).toBe(observable(lint(text)));
    expect(observable(next)).toBe(observable(lint(edited)));
  });

  /** Each edit of `text`, linted incrementally after a full lint of `text`, against a full lint of it. */
  const expectEditsLikeFull = (text: string, edits: string[]): void => {
    for (const edited of edits) {
      const relint = editor();
      relint(text);
      const next = relint(edited);
      expect(wasIncremental(next), JSON.stringify(edited)).toBe(true);
      expect(observable(next)).toBe(observable(lint(edited)));
    }
  };

  it('moves the right components when an id reads as a number (a value orders such keys first)', () => {
    const text =
      'archlint: 1\nname: t\ncomponents:\n  x:\n    kind: service\n    entry: true\n    depends-on: [y]\n  "7":\n    kind: service\n    depends-on: [nothing]\n  y:\n    kind: database\n';
    expectEditsLikeFull(text, [
      text.replace('  x:\n    kind: service\n', '  x:\n    kind: service\n    replicas: 2\n'),
      text.replace('    depends-on: [nothing]\n', '    replicas: 2\n    depends-on: [nothing]\n'),
    ]);
  });

  it('gives the edited component the comment lines yaml keeps at its end', () => {
    const text =
      'archlint: 1\nname: t\ncomponents:\n  a:\n    kind: service\n    entry: true\n    depends-on: [b]\n  b:\n    kind: service\n    replicas: 2\n  c:\n    kind: database\n';
    expectEditsLikeFull(text, [
      text.replace('    replicas: 2\n', '    replicas: 3\n    # x\n'),
      text.replace('    replicas: 2\n', '    replicas: # c\n    # d\n'),
    ]);
  });

  it("keeps an older result's silenced findings' fixes after later edits", () => {
    // A disable comment above the first finding that offers a fix: silenced, its fix kept.
    const base = generateArchitecture(30);
    const plain = lint(base);
    const target = plain.findings.find((f) => plain.fixes(f).length > 0 && f.range[0] > base.indexOf('\ncomponents:'))!;
    const lineStart = base.lastIndexOf('\n', target.range[0] - 1) + 1;
    const indent = /^ */.exec(base.slice(lineStart))![0];
    const text = `${base.slice(0, lineStart)}${indent}# archlint-disable-next-line ${target.ruleId}\n${base.slice(lineStart)}`;
    const relint = editor();
    const first = relint(text);
    const edit = text.indexOf('    kind: service', text.lastIndexOf('\n  svc-')) + '    kind: service'.length;
    const next = relint(`${text.slice(0, edit)}\n    state: in-memory${text.slice(edit)}`);
    expect(wasIncremental(next)).toBe(true);
    const fresh = lint(text);
    expect(fresh.suppressed.some((f) => fresh.fixes(f).length > 0)).toBe(true);
    expect(first.suppressed.map((f) => first.fixes(f).map((x) => x.title))).toEqual(
      fresh.suppressed.map((f) => fresh.fixes(f).map((x) => x.title)),
    );
  });

  it('lints in full when an edit nests a component deeper than the limit, and says so where', () => {
    const text = generateArchitecture(30);
    const at = text.indexOf('    replicas: ', Math.floor(text.length / 2));
    const deep = `${text.slice(0, at)}    meta: ${'['.repeat(130)}${']'.repeat(130)}\n${text.slice(at)}`;
    const relint = editor();
    relint(text);
    const result = relint(deep);
    expect(wasIncremental(result)).toBe(false);
    expect(observable(result)).toBe(observable(lint(deep)));
    expect(result.findings.map((f) => f.messageId)).toEqual(['tooDeep']);
  });

  it('lints in full when the edit touches the header, or renames a component to an existing id', () => {
    const text = generateArchitecture(30);
    const header = text.replace('slo: 99.9%', 'slo: 99.99%');
    const relint = editor();
    relint(text);
    const a = relint(header);
    expect(wasIncremental(a)).toBe(false);
    expect(observable(a)).toBe(observable(lint(header)));
    const duplicate = text.replace('  svc-1:\n', '  svc-2:\n');
    const relintAgain = editor();
    relintAgain(text);
    const b = relintAgain(duplicate);
    expect(wasIncremental(b)).toBe(false);
    expect(observable(b)).toBe(observable(lint(duplicate)));
  });
});
