import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { AnalysisHost } from '../../extension/src/engine';
import { withoutFiles } from '../expectations';
import { lint } from '../../extension/src/engine/lint';
import { LineIndex } from '../../extension/src/engine/lineIndex';
import { MAX_NESTING } from '../../extension/src/engine/parse/nesting';
import { cursorAt, parseArchitectureText, rangeAt, rangeFrom } from '../../extension/src/engine/parse/parse';
import type { Finding } from '../../extension/src/engine/types';

/** A finding as a reader sees it: 0-based line:column of start and end, and the text it covers. */
function where(text: string, f: Finding) {
  const lines = new LineIndex(text);
  const s = lines.position(f.range[0]);
  const e = lines.position(f.range[1]);
  return {
    ruleId: f.ruleId,
    messageId: f.messageId,
    start: `${s.line}:${s.character}`,
    end: `${e.line}:${e.character}`,
    covers: text.slice(f.range[0], f.range[1]),
  };
}

describe('text that is not YAML', () => {
  const cases: { name: string; text: string; start: string; end: string; message: string }[] = [
    {
      name: 'a flow mapping that is never closed',
      text: 'archlint: 1\ncomponents: {\n  web: { kind: service }\n',
      start: '2:24',
      end: '3:0',
      message: 'Flow map',
    },
    {
      name: 'a key indented one space less than its siblings',
      text: 'archlint: 1\ncomponents:\n  web:\n    kind: service\n   replicas: 2\n',
      start: '4:0',
      end: '4:1',
      message: 'same column',
    },
    {
      name: 'prose with colons',
      text: 'This is just a sentence: with a colon: and more\n',
      start: '0:25',
      end: '0:26',
      message: 'Nested mappings',
    },
    { name: 'an unclosed quote', text: 'archlint: 1\nname: "shop\n', start: '1:11', end: '2:0', message: 'closing "quote' },
  ];
  it.each(cases)('$name gives exactly one yaml-syntax finding at the error', ({ text, start, end, message }) => {
    const { findings, value } = parseArchitectureText(text);
    expect(findings).toHaveLength(1);
    expect(where(text, findings[0]!)).toMatchObject({ ruleId: 'yaml-syntax', messageId: 'syntax', start, end });
    expect(findings[0]!.message).toContain(message);
    expect(findings[0]!.message).not.toMatch(/\n/); // no code frame in a diagnostic
    expect(value).toBeUndefined();
    // lint() adds nothing on top of the syntax error: no schema noise from a half-read file.
    expect(lint(text, { rules: [] }).findings).toHaveLength(1);
  });
});

describe('duplicate keys', () => {
  const text = [
    'archlint: 1', // 0
    'name: first', // 1
    'components:', // 2
    '  web:', // 3
    '    kind: service', // 4
    '    replicas: 2', // 5
    '    replicas: 5', // 6
    'name: second', // 7
    '',
  ].join('\n');

  it('are reported at the second key, top-level and inside a component', () => {
    const { findings } = parseArchitectureText(text);
    expect(findings.map((f) => where(text, f))).toEqual([
      { ruleId: 'duplicate-key', messageId: 'duplicateKey', start: '6:4', end: '6:12', covers: 'replicas' },
      { ruleId: 'duplicate-key', messageId: 'duplicateKey', start: '7:0', end: '7:4', covers: 'name' },
    ]);
    expect(findings[0]!.message).toContain('"replicas"');
  });

  it('keep the first occurrence in the model', () => {
    const result = lint(text, { rules: [] });
    expect(result.model?.name).toBe('first');
    expect(result.model?.components.get('web')?.replicas).toBe(2);
    // The duplicates are the only findings: the schema does not complain about the surviving keys.
    expect(result.findings.map((f) => f.ruleId)).toEqual(['duplicate-key', 'duplicate-key']);
  });
});

describe('alias bombs', () => {
  // "Billion laughs": nine levels of nine aliases each expand to 9^9 ≈ 387 million strings.
  const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
  const bomb = levels
    .map((name, i) =>
      i === 0
        ? `${name}: &${name} [${Array(9).fill('"lol"').join(',')}]`
        : `${name}: &${name} [${Array(9)
            .fill(`*${levels[i - 1]}`)
            .join(',')}]`,
    )
    .join('\n');

  it('give one clear finding, fast, and no crash', () => {
    const started = performance.now();
    const result = lint(bomb, { rules: [] });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(where(bomb, f)).toMatchObject({
      ruleId: 'yaml-syntax',
      messageId: 'aliasBomb',
      start: '1:7',
      end: '1:9',
      covers: '*a',
    });
    expect(f.message).toContain('too many YAML alias expansions');
    expect(result.model).toBeUndefined();
  });

  it('do not stop a file that uses a few aliases legitimately', () => {
    const text = 'archlint: 1\ncomponents:\n  web: &svc { kind: service, replicas: 2 }\n  api: *svc\n';
    const result = lint(text, { rules: [] });
    expect(result.findings).toEqual([]);
    expect(result.model?.components.get('api')?.replicas).toBe(2);
  });
});

describe('nesting deeper than the limit', () => {
  // `meta` of an instance is free-form: its value sits inside the root, `components`, the
  // component, `instances` and the instance, so it is the 6th collection in.
  const head = 'archlint: 1\ncomponents:\n  a:\n    kind: service\n    instances:\n      - name: x\n        meta:';
  const AROUND = 5;
  const shapes: { name: string; text: (levels: number) => string; at: string }[] = [
    {
      name: 'block mappings',
      text: (n) =>
        `${head}\n${Array.from({ length: n - 1 }, (_, i) => `${' '.repeat(10 + 2 * i)}k${i}:\n`).join('')}${' '.repeat(8 + 2 * n)}v: 1\n`,
      at: 'k',
    },
    { name: 'flow lists', text: (n) => `${head} ${'['.repeat(n)}${']'.repeat(n)}\n`, at: '[' },
    { name: 'block lists', text: (n) => `${head}\n          ${'- '.repeat(n)}x\n`, at: '-' },
    {
      name: 'pairs in flow lists (a list and a mapping each)',
      text: (n) => `${head} ${'[a: '.repeat(n / 2)}1${']'.repeat(n / 2)}\n`,
      at: 'a',
    },
  ];

  it.each(shapes)('$name: read up to the limit, one clear finding one level beyond it, never a throw', ({ text, at }) => {
    const deepest = text(MAX_NESTING - AROUND);
    const read = lint(deepest);
    expect(read.findings.filter((f) => f.ruleId === 'yaml-syntax')).toEqual([]);
    expect(read.findings.filter((f) => f.messageId === 'internalError')).toEqual([]);
    expect(read.model?.components.get('a')?.instances).toHaveLength(1);
    for (const levels of [MAX_NESTING - AROUND + 2, 5000]) {
      const beyond = text(levels);
      const result = lint(beyond);
      expect(result.findings).toHaveLength(1);
      const f = result.findings[0]!;
      expect(f).toMatchObject({ ruleId: 'yaml-syntax', messageId: 'tooDeep', severity: 'error' });
      expect(f.message).toBe(
        'nested deeper than 128 levels (mappings and lists inside each other): the file is not read further',
      );
      // At the first collection beyond the limit: the 129th one in.
      expect(beyond.slice(f.range[0], f.range[1]).startsWith(at)).toBe(true);
      expect(result.model).toBeUndefined();
    }
  });

  it('points at the line of the first mapping beyond the limit', () => {
    const text = shapes[0]!.text(MAX_NESTING - AROUND + 1);
    const f = lint(text).findings[0]!;
    // Lines: 7 of head, then k0 … : the mapping at depth 129 starts on the last line.
    expect(where(text, f)).toMatchObject({
      messageId: 'tooDeep',
      start: `${text.split('\n').length - 2}:${8 + 2 * (MAX_NESTING - AROUND + 1)}`,
      covers: 'v',
    });
  });

  it('counts what an alias expands to, once, at the alias', () => {
    const levels = (n: number, inner: string) => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
    // The anchored list is 64 deep, the alias sits inside 1 + 64 collections: 129 once expanded.
    const text = `archlint: 1\nx: &deep ${levels(64, '')}\ny: ${levels(64, '*deep')}\n`;
    const [f, ...rest] = lint(text).findings;
    expect(rest).toEqual([]);
    expect(where(text, f!)).toMatchObject({ ruleId: 'yaml-syntax', messageId: 'tooDeep', covers: '*deep' });
    expect(f!.message).toContain('with the alias *deep expanded, nested deeper than 128 levels');
    // One level less is read (and the schema has its say about the unknown keys).
    const within = `archlint: 1\nx: &deep ${levels(63, '')}\ny: ${levels(64, '*deep')}\n`;
    expect(lint(within).findings.map((g) => g.ruleId)).toEqual(['schema', 'schema', 'schema']);
  });

  it('refuses an alias inside its own anchor, and names an alias with no anchor as what it is', () => {
    const recursive = 'archlint: 1\ncomponents:\n  web:\n    kind: service\n    instances:\n      - { name: a, meta: &m [*m] }\n';
    const [r] = lint(recursive).findings;
    expect(where(recursive, r!)).toMatchObject({ ruleId: 'yaml-syntax', messageId: 'tooDeep', covers: '*m' });
    expect(r!.message).toBe('the alias *m is inside its own anchor &m, so it nests without end: the file is not read further');
    const unresolved = 'archlint: 1\ncomponents:\n  web: { kind: service, depends-on: [*nope] }\n';
    const findings = lint(unresolved).findings;
    expect(findings).toHaveLength(1);
    expect(where(unresolved, findings[0]!)).toMatchObject({
      ruleId: 'yaml-syntax',
      messageId: 'unresolvedAlias',
      covers: '*nope',
    });
    expect(findings[0]!.message).toBe('YAML syntax error: the alias *nope names no anchor &nope before it');
  });

  it('lints, fixes and re-lints a file nested to the limit everywhere, without running out of stack', () => {
    const deep = (n: number) => `${'{ a: '.repeat(n)}1${' }'.repeat(n)}`;
    // depends-on entries, instance properties and unknown keys, each as deep as the limit allows.
    const text = [
      'archlint: 1',
      'components:',
      '  web:',
      '    kind: service',
      `    depends-on: [db, ${deep(MAX_NESTING - 5)}]`,
      `    instances: [{ name: a, meta: ${deep(MAX_NESTING - 5)} }, { name: b, lifecycle: pet }]`,
      `    extra: ${deep(MAX_NESTING - 3)}`,
      '  db: { kind: database }',
      '',
    ].join('\n');
    const result = lint(text);
    expect(result.findings.filter((f) => f.ruleId === 'yaml-syntax' || f.messageId === 'internalError')).toEqual([]);
    expect(result.findings.length).toBeGreaterThan(2);
    for (const f of result.findings) expect(() => result.fixes(f)).not.toThrow();
    expect(result.availability?.entries.map((e) => e.component)).toEqual(['web']);
    // An edit inside the deep component re-parses it alone and moves every node after it.
    const edited = text.replace('kind: service', 'kind: worker');
    const host = new AnalysisHost();
    host.apply({ uri: 'file:///p.arch.yaml', version: 1, text });
    host.snapshot().lint('file:///p.arch.yaml');
    host.apply({ uri: 'file:///p.arch.yaml', version: 2, text: edited });
    const again = host.snapshot().lint('file:///p.arch.yaml')!;
    expect(again.parse).toBe('component');
    expect(withoutFiles(again.findings)).toEqual(withoutFiles(lint(edited).findings));
  });
});

describe('a root that is not a mapping', () => {
  it.each([
    { name: 'a list', text: '- web\n- db\n', kind: 'a list', covers: '- web\n- db\n' },
    { name: 'a scalar', text: 'hello world\n', kind: 'a single value', covers: 'hello world' },
  ])('$name gives one clear finding on the whole root', ({ text, kind, covers }) => {
    const result = lint(text, { rules: [] });
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(where(text, f)).toMatchObject({ ruleId: 'schema', messageId: 'rootNotMapping', start: '0:0', covers });
    expect(f.message).toContain(`not ${kind}`);
    expect(result.model).toBeUndefined();
  });
});

describe('an empty file', () => {
  it.each([
    { name: 'no text at all', text: '' },
    { name: 'only a comment', text: '# nothing here yet\n' },
    { name: 'only blank lines', text: '\n\n  \n' },
  ])('$name gives one finding that says what a file starts with', ({ text }) => {
    const result = lint(text, { rules: [] });
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    expect(f.messageId).toBe('empty');
    expect(f.message).toContain('archlint: 1');
    expect(f.range[0]).toBe(0);
    expect(f.range[1]).toBeLessThanOrEqual(text.length);
  });
});

describe('rangeFrom a cursor', () => {
  it('gives what rangeAt gives for the whole path (property)', () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(1, 'x', null, ''),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(key, tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    const segment = fc.oneof(key, fc.integer({ min: 0, max: 2 }));
    fc.assert(
      fc.property(
        value,
        fc.array(segment, { maxLength: 3 }),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (v, prefix, rest, keyPart) => {
          const doc = parseDocument(stringify(v));
          const part = keyPart ? 'key' : 'value';
          expect(rangeFrom(doc, cursorAt(doc, prefix), rest, part)).toEqual(rangeAt(doc, [...prefix, ...rest], part));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
