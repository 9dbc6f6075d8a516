import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { applyEdits, applyFixes } from '../../extension/src/engine/fix/apply';
import {
  addComponent,
  flow,
  indentStep,
  inlineText,
  insertEntries,
  pathOfScalarAt,
  removeEntry,
  replaceValue,
} from '../../extension/src/engine/fix/yamlEdits';
import type { FindingWithFixes, TextEdit } from '../../extension/src/engine/types';
import type { FixableLint } from '../../extension/src/engine/fix/apply';

const ctxOf = (text: string) => ({ text, doc: parseDocument(text) });
const edit = (text: string, make: (ctx: ReturnType<typeof ctxOf>) => TextEdit) => applyEdits(text, [make(ctxOf(text))]);

/** Every comment of `before` is still in `after`, as many times. */
function expectCommentsKept(before: string, after: string) {
  const comments = (t: string) => t.split(/\r?\n/).flatMap((l) => /(?:^|\s)(#.*)$/.exec(l)?.[1]?.trimEnd() ?? []);
  const left = comments(after);
  for (const c of comments(before)) {
    const i = left.indexOf(c);
    expect(i, `comment lost: ${c}`).toBeGreaterThanOrEqual(0);
    left.splice(i, 1);
  }
}

function expectValid(text: string) {
  const doc = parseDocument(text, { uniqueKeys: true });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  return doc.toJS() as Record<string, unknown>;
}

const BLOCK = `# shop architecture
archlint: 1 # format version
components: # everything
  edge: # the balancer
    kind: load-balancer # kind
    balancing: round-robin # default anyway
    routes-to: [web] # one pool

  web:
    kind: service # the app
    replicas: 3 # three
    depends-on: # what it needs
      - db # the database
      - sessions # the cache
  # trailing comment of web
  db: { kind: database, replicas: 1 } # flow
`;

describe('replaceValue', () => {
  it('replaces a scalar and keeps the comment on its line', () => {
    const out = edit(BLOCK, (c) => replaceValue(c, ['components', 'edge', 'balancing'], 'least-connections'));
    expect(out).toBe(BLOCK.replace('balancing: round-robin # default', 'balancing: least-connections # default'));
    expectCommentsKept(BLOCK, out);
  });

  it('quotes what YAML would read differently', () => {
    const out = edit(BLOCK, (c) => replaceValue(c, ['components', 'web', 'replicas'], '10'));
    expect(expectValid(out).components).toMatchObject({ web: { replicas: '10' } });
  });

  it('replaces a sequence item and a value inside a flow mapping', () => {
    let out = edit(BLOCK, (c) => replaceValue(c, ['components', 'web', 'depends-on', 1], 'cache'));
    expect(out).toContain('      - cache # the cache\n');
    out = edit(out, (c) => replaceValue(c, ['components', 'db', 'replicas'], 2));
    expect(out).toContain('  db: { kind: database, replicas: 2 } # flow\n');
    expectCommentsKept(BLOCK, out);
  });

  it('writes a collection in flow style where a scalar or flow value was', () => {
    const out = edit(BLOCK, (c) => replaceValue(c, ['components', 'edge', 'routes-to'], ['web', 'api']));
    expect(out).toContain('    routes-to: [ web, api ] # one pool\n');
  });

  it('writes a block collection where a block collection was', () => {
    const out = edit(BLOCK, (c) => replaceValue(c, ['components', 'web', 'depends-on'], ['db', 'cache']));
    expect(out).toContain('    depends-on: # what it needs\n      - db\n      - cache\n  # trailing comment of web\n');
    expect(expectValid(out).components).toMatchObject({ web: { 'depends-on': ['db', 'cache'] } });
  });

  it('fills an empty value', () => {
    const text = 'a:\nb: 1\n';
    expect(edit(text, (c) => replaceValue(c, ['a'], 'x'))).toBe('a: x\nb: 1\n');
  });

  it('throws for a path that does not exist', () => {
    expect(() => replaceValue(ctxOf(BLOCK), ['components', 'nope', 'kind'], 'x')).toThrow(/no YAML node/);
  });
});

describe('insertEntries', () => {
  it('adds lines after the last entry of a block map, past its nested block and comment', () => {
    const out = edit(BLOCK, (c) => insertEntries(c, ['components', 'web'], [['state', 'in-memory']]));
    expect(out).toContain('      - sessions # the cache\n    state: in-memory\n  # trailing comment of web\n');
    expect(expectValid(out).components).toMatchObject({ web: { state: 'in-memory', replicas: 3 } });
    expectCommentsKept(BLOCK, out);
  });

  it('writes nested values in block style at the file indent step, or in flow when asked', () => {
    const out = edit(BLOCK, (c) =>
      insertEntries(
        c,
        ['components', 'edge'],
        [
          ['health-check', { path: '/healthz', interval: '10s' }],
          ['rate-limit', flow({ anonymous: '60/min' })],
        ],
      ),
    );
    expect(out).toContain(
      '    routes-to: [web] # one pool\n    health-check:\n      path: /healthz\n      interval: 10s\n    rate-limit: { anonymous: 60/min }\n\n  web:',
    );
    expectValid(out);
  });

  it('uses a four-space indent step when the file does', () => {
    const text = 'components:\n    web:\n        kind: service\n';
    expect(indentStep(ctxOf(text))).toBe(4);
    const out = edit(text, (c) => insertEntries(c, ['components', 'web'], [['health-check', { interval: '10s' }]]));
    expect(out).toBe('components:\n    web:\n        kind: service\n        health-check:\n            interval: 10s\n');
  });

  it('adds `, key: value` before the closing brace of a flow map', () => {
    const out = edit(BLOCK, (c) => insertEntries(c, ['components', 'db'], [['failover', { mode: 'automatic' }]]));
    expect(out).toContain('  db: { kind: database, replicas: 1, failover: { mode: automatic } } # flow\n');
    expectValid(out);
  });

  it('fills an empty flow map', () => {
    const text = 'zones:\n  a: {} # empty\n';
    expect(edit(text, (c) => insertEntries(c, ['zones', 'a'], [['availability', '99.9%']]))).toBe(
      'zones:\n  a: { availability: 99.9% } # empty\n',
    );
  });

  it('turns an empty value into a block map', () => {
    const text = 'archlint: 1\ncomponents: # none yet\nname: x\n';
    const out = edit(text, (c) => insertEntries(c, ['components'], [['web', { kind: 'service' }]]));
    expect(out).toBe('archlint: 1\ncomponents: # none yet\n  web:\n    kind: service\nname: x\n');
  });

  it('keeps CRLF line endings', () => {
    const text = BLOCK.replace(/\n/g, '\r\n');
    const out = edit(text, (c) => insertEntries(c, ['components', 'web'], [['health-check', { path: '/healthz' }]]));
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out).toContain('      - sessions # the cache\r\n    health-check:\r\n      path: /healthz\r\n  # trailing');
    expectValid(out);
    expectCommentsKept(text, out);
  });

  it('keeps a file without final newline without one', () => {
    const text = 'components:\n  web:\n    kind: service\n    replicas: 2 # two';
    const out = edit(text, (c) => insertEntries(c, ['components', 'web'], [['state', 'in-memory']]));
    expect(out).toBe(`${text}\n    state: in-memory`);
  });

  it('inserts after a nested block that ends the file without newline', () => {
    const text = 'components:\n  web:\n    depends-on:\n      - db # last';
    const out = edit(text, (c) => insertEntries(c, ['components', 'web'], [['replicas', 2]]));
    expect(out).toBe(`${text}\n    replicas: 2`);
    expect(expectValid(out)).toEqual({ components: { web: { 'depends-on': ['db'], replicas: 2 } } });
  });

  it('adds to a map inside a sequence item at the item key column', () => {
    const text = 'instances:\n  - name: a # first\n    zone: z1\n  - name: b\n';
    const out = edit(text, (c) => insertEntries(c, ['instances', 0], [['lifecycle', 'cattle']]));
    expect(out).toBe('instances:\n  - name: a # first\n    zone: z1\n    lifecycle: cattle\n  - name: b\n');
  });
});

describe('addComponent', () => {
  it('adds a component at the end of components, at its siblings indentation', () => {
    const out = edit(BLOCK, (c) => addComponent(c, 'sessions', { kind: 'cache', replicas: 2 }));
    expect(out).toBe(`${BLOCK}  sessions:\n    kind: cache\n    replicas: 2\n`);
    expect(expectValid(out).components).toMatchObject({ sessions: { kind: 'cache', replicas: 2 } });
  });

  it('separates the new component by a blank line where components are, and keeps flow parts on one line', () => {
    const text = 'components:\n  a:\n    kind: service\n\n  b: { kind: cache } # b\n';
    const out = edit(text, (c) => addComponent(c, 'sessions', { kind: 'cache', zones: flow(['z1', 'z2']) }));
    expect(out).toBe(`${text}\n  sessions:\n    kind: cache\n    zones: [ z1, z2 ]\n`);
  });

  it('works with CRLF and no final newline', () => {
    const text = 'archlint: 1\r\ncomponents:\r\n  web: { kind: service } # w';
    const out = edit(text, (c) => addComponent(c, 'sessions', { kind: 'cache' }));
    expect(out).toBe(`${text}\r\n  sessions:\r\n    kind: cache`);
  });
});

describe('removeEntry', () => {
  it('deletes a block entry with its nested block and keeps the comments as comment lines', () => {
    const out = edit(BLOCK, (c) => removeEntry(c, ['components', 'web'], 'depends-on'));
    expect(out).toContain(
      '    replicas: 3 # three\n    # what it needs\n    # the database\n    # the cache\n  # trailing comment of web\n',
    );
    const value = expectValid(out);
    expect(value.components).toMatchObject({ web: { kind: 'service', replicas: 3 } });
    expect((value.components as Record<string, object>).web).not.toHaveProperty('depends-on');
    expectCommentsKept(BLOCK, out);
  });

  it('deletes a line without a comment entirely', () => {
    const text = 'a:\n  b: 1\n  c: 2\n  d: 3\n';
    expect(edit(text, (c) => removeEntry(c, ['a'], 'c'))).toBe('a:\n  b: 1\n  d: 3\n');
  });

  it('deletes from flow maps: first, middle, last, only', () => {
    const text = 'x: { a: 1, b: 2, c: 3 } # f\ny: { only: 1 }\n';
    expect(edit(text, (c) => removeEntry(c, ['x'], 'a'))).toBe('x: { b: 2, c: 3 } # f\ny: { only: 1 }\n');
    expect(edit(text, (c) => removeEntry(c, ['x'], 'b'))).toBe('x: { a: 1, c: 3 } # f\ny: { only: 1 }\n');
    expect(edit(text, (c) => removeEntry(c, ['x'], 'c'))).toBe('x: { a: 1, b: 2 } # f\ny: { only: 1 }\n');
    expect(edit(text, (c) => removeEntry(c, ['y'], 'only'))).toBe('x: { a: 1, b: 2, c: 3 } # f\ny: {}\n');
  });

  it('keeps CRLF and a missing final newline', () => {
    const text = 'a:\r\n  b: 1\r\n  c: 2';
    expect(edit(text, (c) => removeEntry(c, ['a'], 'c'))).toBe('a:\r\n  b: 1');
    const crlf = 'a:\r\n  b: 1 # one\r\n  c: 2\r\n';
    expect(edit(crlf, (c) => removeEntry(c, ['a'], 'b'))).toBe('a:\r\n  # one\r\n  c: 2\r\n');
  });

  it('keeps the `- ` of a sequence item', () => {
    const text = 'i:\n  - name: a\n    lifecycle: pet\n';
    const out = edit(text, (c) => removeEntry(c, ['i', 0], 'name'));
    expect(out).toBe('i:\n  - lifecycle: pet\n');
  });
});

describe('pathOfScalarAt', () => {
  it('finds the path of a scalar known only by its offset, in block and flow collections', () => {
    const { doc } = ctxOf(BLOCK);
    expect(pathOfScalarAt(doc, BLOCK.indexOf('sessions # the cache'))).toEqual(['components', 'web', 'depends-on', 1]);
    expect(pathOfScalarAt(doc, BLOCK.indexOf('web] # one pool'))).toEqual(['components', 'edge', 'routes-to', 0]);
    expect(pathOfScalarAt(doc, BLOCK.indexOf('database,'))).toEqual(['components', 'db', 'kind']);
    expect(pathOfScalarAt(doc, BLOCK.indexOf('# the database'))).toBeUndefined();
  });
});

describe('applyEdits', () => {
  it('applies edits in offset order regardless of the order given', () => {
    expect(
      applyEdits('abcdef', [
        { range: [4, 5], text: 'E' },
        { range: [0, 1], text: 'A' },
      ]),
    ).toBe('AbcdEf');
  });

  it('rejects overlapping edits', () => {
    expect(() =>
      applyEdits('abcdef', [
        { range: [0, 3], text: 'x' },
        { range: [2, 4], text: 'y' },
      ]),
    ).toThrow(/overlapping/);
  });
});

describe('applyFixes', () => {
  // A toy linter: every `x` is a finding whose safe fix makes it `y`, and whose unsafe fix makes it `z`;
  // every `yy` is a finding whose safe fix makes it `w` (only visible after the first pass).
  /** A lint of findings that carry their fixes, as applyFixes reads one. */
  const fixable =
    (lintFn: (text: string) => FindingWithFixes[]) =>
    (text: string): FixableLint => {
      const findings = lintFn(text);
      return { findings, fixes: (f) => (f as FindingWithFixes).fixes ?? [] };
    };

  const toyLint = (text: string): FindingWithFixes[] => {
    const out: FindingWithFixes[] = [];
    for (let i = text.indexOf('x'); i !== -1; i = text.indexOf('x', i + 1)) {
      out.push({
        ruleId: 'toy',
        messageId: 'x',
        message: 'x',
        severity: 'error',
        range: [i, i + 1],
        fixes: [
          { title: 'to y', applicability: 'safe', edits: [{ range: [i, i + 1], text: 'y' }] },
          { title: 'to z', applicability: 'unsafe', edits: [{ range: [i, i + 1], text: 'z' }] },
        ],
      });
    }
    for (let i = text.indexOf('yy'); i !== -1; i = text.indexOf('yy', i + 2)) {
      out.push({
        ruleId: 'toy',
        messageId: 'yy',
        message: 'yy',
        severity: 'error',
        range: [i, i + 2],
        fixes: [{ title: 'to w', applicability: 'safe', edits: [{ range: [i, i + 2], text: 'w' }] }],
      });
    }
    return out.sort((a, b) => a.range[0] - b.range[0]);
  };

  it('applies one fix per finding and re-lints until nothing changes', () => {
    const result = applyFixes('a x x b', fixable(toyLint), { safeOnly: true });
    expect(result.text).toBe('a y y b');
    expect(result.applied).toBe(2);
    expect(result.remaining).toEqual([]);
    const chained = applyFixes('xx', fixable(toyLint), { safeOnly: true });
    expect(chained.text).toBe('w');
    expect(chained.passes).toBe(2);
  });

  it('with safeOnly false takes the first fix even when unsafe', () => {
    const unsafeFirst = (text: string) => toyLint(text).map((f) => ({ ...f, fixes: [...(f.fixes ?? [])].reverse() }));
    expect(applyFixes('x', fixable(unsafeFirst), { safeOnly: false }).text).toBe('z');
    expect(applyFixes('x', fixable(unsafeFirst), { safeOnly: true }).text).toBe('y');
  });

  it('drops a pass that would turn a readable file into a broken one', () => {
    const breaking = (text: string): FindingWithFixes[] =>
      text.includes('[')
        ? [{ ruleId: 'yaml-syntax', messageId: 's', message: 's', severity: 'error', range: [0, 1] }]
        : [
            {
              ruleId: 't',
              messageId: 'm',
              message: 'm',
              severity: 'error',
              range: [0, 1],
              fixes: [{ title: 'break it', applicability: 'safe', edits: [{ range: [0, 0], text: '[' }] }],
            },
          ];
    const result = applyFixes('a', fixable(breaking), { safeOnly: true });
    expect(result).toMatchObject({ text: 'a', applied: 0, passes: 0 });
    expect(result.remaining.map((f) => f.ruleId)).toEqual(['t']);
  });

  it('defers overlapping fixes to the next pass and stops after 10 passes', () => {
    const overlapping = (text: string): FindingWithFixes[] =>
      text.startsWith('a')
        ? [0, 1].map((n) => ({
            ruleId: 't',
            messageId: 'm',
            message: 'm',
            severity: 'error' as const,
            range: [0, 1] as const,
            fixes: [{ title: 't', applicability: 'safe' as const, edits: [{ range: [0, 1] as const, text: `a${n}` }] }],
          }))
        : [];
    const result = applyFixes('a', fixable(overlapping), { safeOnly: true });
    expect(result.passes).toBe(10);
    expect(result.applied).toBe(10);
    expect(result.text).toBe(`a${'0'.repeat(10)}`);
  });
});

describe('inlineText fast path', () => {
  it('writes a value exactly as yaml would (property)', () => {
    const write = (v: unknown) => stringify(v, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.boolean(),
          fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,12}$/),
          fc.constantFrom('yes', 'No', 'ON', 'off', 'Y', 'n', 'True', 'NULL', 'x', 'e3', 'web.v2'),
          fc.string(),
          fc.array(
            fc.oneof(fc.integer(), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,8}$/), fc.constantFrom('yes', 'off', 'a b')),
          ),
        ),
        (v) => {
          expect(inlineText(v)).toBe(write(v));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
