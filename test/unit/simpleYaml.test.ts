// The fast path (extension/src/engine/parse/simpleYaml.ts) against `yaml`'s parseDocument, the
// authority: wherever the fast path accepts a text, its Document must be `yaml`'s node for node
// (kinds, values, the three offsets of every range, flow flags, scalar types and sources) and its
// plain value `toJS()`'s. Declining is always allowed; accepting what `yaml` reports as an error
// is not. The corpus: every sample and rule fixture, generated files, hand-picked cases of the
// comment placements that move ranges, and random edits of all of them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { generateArchitecture, random } from '../../bench/generate.mjs';
import { parseArchitectureText, YAML_OPTIONS } from '../../extension/src/engine/parse/parse';
import { parseSimpleYaml } from '../../extension/src/engine/parse/simpleYaml';

const root = join(__dirname, '..', '..');
const corpus: [string, string][] = [];
for (const dir of ['samples', ...readdirSync(join(root, 'test/rules')).map((d) => `test/rules/${d}`)]) {
  let names: string[];
  try {
    names = readdirSync(join(root, dir));
  } catch {
    continue;
  }
  for (const f of names) if (/\.arch\.ya?ml$/.test(f)) corpus.push([`${dir}/${f}`, readFileSync(join(root, dir, f), 'utf8')]);
}
corpus.push(['generated-50', generateArchitecture(50)], ['generated-300', generateArchitecture(300)]);

/** Everything a Document says apart from comments, as comparable data. */
function shape(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  if (isPair(node)) return { key: shape(node.key), value: shape(node.value) };
  if (isMap(node) || isSeq(node)) {
    return {
      kind: isMap(node) ? 'map' : 'seq',
      flow: Boolean(node.flow),
      range: node.range,
      tag: node.tag,
      items: node.items.map(shape),
    };
  }
  if (isScalar(node)) {
    const s = node as typeof node & { minFractionDigits?: number; format?: string };
    return {
      value: s.value,
      range: s.range,
      type: s.type,
      source: s.source,
      mfd: s.minFractionDigits,
      format: s.format,
      tag: s.tag,
      anchor: s.anchor,
    };
  }
  return { other: String(node) };
}

/** `undefined` when the fast path declines; else whether it gave `yaml`'s document, with the difference. */
function check(text: string): { accepted: boolean; same: boolean; yaml?: string; fast?: string } {
  const fast = parseSimpleYaml(text, YAML_OPTIONS);
  if (!fast) return { accepted: false, same: true };
  const doc = parseDocument(text, YAML_OPTIONS);
  const expected = JSON.stringify({
    errors: doc.errors.map((e) => e.code),
    warnings: doc.warnings.length,
    contents: shape(doc.contents),
    range: doc.range,
    value: doc.toJS(),
  });
  const actual = JSON.stringify({
    errors: [],
    warnings: 0,
    contents: shape(fast.doc.contents),
    range: fast.doc.range,
    value: fast.value,
  });
  return { accepted: true, same: expected === actual, yaml: expected, fast: actual };
}

function expectSame(name: string, text: string): boolean {
  const r = check(text);
  if (!r.same) expect.soft(r.fast, `${name}: ${JSON.stringify(text)}`).toBe(r.yaml);
  return r.accepted;
}

describe('the simple-YAML fast path', () => {
  it('reads every sample, fixture and generated file, exactly as yaml does', () => {
    for (const [name, text] of corpus) expect(expectSame(name, text), `${name} was declined`).toBe(true);
  });

  it('is what parseArchitectureText uses for them', () => {
    expect(parseArchitectureText(generateArchitecture(20)).fastPath).toBe(true);
    // A duplicate key is yaml's to report.
    const dup = parseArchitectureText('archlint: 1\ncomponents:\n  a: { kind: service }\n  a: { kind: cache }\n');
    expect(dup.fastPath).toBeUndefined();
    expect(dup.findings.map((f) => f.ruleId)).toEqual(['duplicate-key']);
  });

  const cases: Record<string, string> = {
    'comment indented deeper than its map joins the value': 'a:\n  b: 1\n      # deeper\n\n      # again\n  c: 2\n',
    'comment at the map indentation stays in the map': 'a:\n  b:\n    c: 1\n    # k\n  e: 2\n',
    'comment below the map indentation moves up': 'a:\n  b:\n    c: 1\n  # k\n  e: 2\n',
    'a run mixing indentations, then the end of file': 'a:\n  b:\n    c: x   \n    # in c\n\n# after c\n',
    'empty values and comments': 'a:\nb: # c\n\n  # deeper\nc:\n# same\n\nd: 1\ne:\n',
    'empty value with comments at the end': 'a:\n  - x\n  - y: 1\n    z:\n# end\n\n',
    'sequence at its key indentation': 'a:\n- p\n-   q: 1\n    r: [ ]\n  # c\nb: 2\n',
    'flow collections': "d: [1, 2 , {e: f, g: }, ]\nh: {}\ni: ['it''s', \"q\" ]   # c\nj: { k: [a, b], l: {m: n} }\n",
    scalars: 'a: ~\nb: null\nc: True\nd: -12\ne: 1.50\nf: .5\ng: 99.9%\nh: 10s\ni: 01\nj: +3\nk: 5.\nl: a b  c\nm: x#y\n',
    'CRLF line breaks': 'a: 1\r\nb: [x , y]\r\nc:\r\n  - {p: q }\r\n  # c\r\n',
    'no final newline': 'a:\n  b: 1 # c',
    'blank lines at the end after a flow value': 'a:\n  b: { c: 1 }\n\n\n',
    'blank lines at the end after a scalar': 'a: 1\n  \n\n',
    'blank lines at the end after an empty value': 'a:\n  b:\n\n\n',
    'indented root (one component alone)': '  web:\n    kind: service\n    # trailing\n',
    'empty keys written as text': 'components:\n  "": { kind: service }\nzones:\n  \'\': 1\nb: { "": 2 }\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`reads ${name} exactly as yaml does`, () => {
      expect(expectSame(name, text), 'declined').toBe(true);
    });
  }

  it('declines what is outside the subset or not valid YAML', () => {
    const outside = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: |\n  text\n',
      'a: b\n  continued\n',
      'a: "esc\\n"\n',
      'a: [1,\n  2]\n',
      '? a\n: b\n',
      'a: 1\na: 2\n',
      '1: a\n',
      '~: a\n',
      'a:\n  null: 1\n',
      'a:\n  : 1\n',
      'a: { ~: 1 }\n',
      'a: { true: 1 }\n',
      'a:\n  ? { replicas: 2 }\n  : b\n',
      'a:\n  [x]: 1\n',
      'a:\n  1.50: 1\n',
      'a: 0x1F\n',
      '---\na: 1\n',
      'a:\tb\n',
      '- a\n',
      'a: b: c\n',
      '',
      '# only a comment\n',
      `"${'k'.repeat(1030)}": 1\n`,
      `a:\n  '${'k'.repeat(1030)}': 1\n`,
      `a: ${'['.repeat(900)}${']'.repeat(900)}\n`,
      Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n',
    ];
    for (const text of outside) expect(parseSimpleYaml(text, YAML_OPTIONS), JSON.stringify(text)).toBeUndefined();
  });

  it('never throws on deep nesting, where yaml reports the file', () => {
    for (const text of [
      `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n',
    ]) {
      expect(() => parseSimpleYaml(text, YAML_OPTIONS)).not.toThrow();
      expect(parseArchitectureText(text).findings.length).toBeGreaterThan(0);
    }
  });

  it('agrees with yaml over random edits of the corpus', () => {
    const rand = random(20261202);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const pieces = [
      ' ',
      '  ',
      '\n',
      '\n  ',
      '\n    ',
      '#',
      ' # c',
      '\n# c\n',
      '\n  # c\n',
      '\n    # c\n',
      '\n      # c\n',
      '\n\n',
      ':',
      ': ',
      '-',
      '- ',
      '[',
      ']',
      '{',
      '}',
      ',',
      '"',
      "'",
      'x',
      '1',
      '1.0',
      '0.50',
      'true',
      'null',
      '~',
      '\r\n',
      'a: 1',
      '\n  k:',
      '\n  k: v',
      '\n- ',
      '  - x\n',
      '&a',
      '*a',
      '|',
      '?',
      '\\',
      '\t',
      '0x1',
      '---',
      "''",
      'key:',
      ' : ',
      ':x',
    ];
    let accepted = 0;
    const runs = 3000;
    for (let k = 0; k < runs; k++) {
      let text = pick(corpus)[1];
      for (let e = 1 + Math.floor(rand() * 3); e > 0; e--) {
        const at = Math.floor(rand() * (text.length + 1));
        const r = rand();
        if (r < 0.45) text = text.slice(0, at) + pick(pieces) + text.slice(at);
        else if (r < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 6));
        else {
          // A line moved elsewhere, at its own or another indentation.
          const start = text.lastIndexOf('\n', at - 1) + 1;
          const nl = text.indexOf('\n', at);
          const line = text.slice(start, nl === -1 ? text.length : nl + 1);
          const to = text.lastIndexOf('\n', Math.floor(rand() * text.length) - 1) + 1;
          text =
            text.slice(0, to) + (rand() < 0.5 ? line : ' '.repeat(Math.floor(rand() * 7)) + line.trimStart()) + text.slice(to);
        }
      }
      if (expectSame(`edit ${k}`, text)) accepted++;
    }
    // Most edits break the YAML or leave the subset; enough must be read for this to test anything.
    expect(accepted).toBeGreaterThan(runs / 10);
  });
});
