import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { lint } from '../../extension/src/engine/lint';
import { LineIndex } from '../../extension/src/engine/lineIndex';
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
