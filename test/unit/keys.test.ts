// Keys that are not text, and ids YAML reads as something else (the audit's D9): an error at the
// key for `~`, `null`, empty and complex keys, whose entries are not read; a warning for a component
// or zone id that is a number or true/false; nothing printed by `yaml` on the way.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnalysisHost, lint, LineIndex, type Finding, type LintResult } from '../../extension/src/engine';
import { withoutFiles } from '../expectations';
import { parseArchitectureText } from '../../extension/src/engine/parse/parse';
import { generateArchitecture } from '../../bench/generate.mjs';
import { archlint, buildCliOnce, tempTree } from '../cli/setup';

/** `edited` linted through the analysis host right after `text`, as an editor would. */
function relintAfter(text: string, edited: string): LintResult {
  const host = new AnalysisHost();
  host.apply({ uri: 'file:///k.arch.yaml', version: 1, text });
  host.snapshot().lint('file:///k.arch.yaml');
  host.apply({ uri: 'file:///k.arch.yaml', version: 2, text: edited });
  return host.snapshot().lint('file:///k.arch.yaml')!;
}

/** A finding as a reader sees it: 1-based line:column, severity, message, and the text it covers. */
function seen(text: string, f: Finding): string {
  const { line, character } = new LineIndex(text).position(f.range[0]);
  return `${line + 1}:${character + 1} ${f.severity} ${f.ruleId}: ${f.message} [${text.slice(f.range[0], f.range[1])}]`;
}
const seenAll = (text: string) => lint(text).findings.map((f) => seen(text, f));

/** The audit's d9-odd-keys.arch.yaml. */
const D9 = `archlint: 1
name: t
components:
  web:
    kind: service
    replicas: 2
    depends-on: [db]
  db: { kind: database, replicas: 2 }
  ~: { kind: service, depends-on: [nope] }
  ? { replicas: 2 }
  : { kind: service }
`;

describe('keys that are not text', () => {
  it('the audit file: an error at `~` and at the complex key, and neither becomes a component', () => {
    const result = lint(D9);
    expect(result.findings.map((f) => seen(D9, f))).toEqual([
      '9:3 error schema: a component id must be text, not null (~): this entry is not read [~]',
      '10:5 error schema: a component id must be text, not a mapping: this entry is not read [{ replicas: 2 }]',
    ]);
    expect([...result.model!.components.keys()]).toEqual(['web', 'db']);
    expect(result.availability!.entries.map((e) => e.component)).toEqual(['web']);
  });

  it('null, empty and complex keys in zones, rules, a component and at the top', () => {
    const text = [
      'archlint: 1', // 1
      'zones: { null: {}, eu: {} }', // 2
      'rules:', // 3
      '  ? [sticky-sessions]', // 4
      '  : off', // 5
      'components:', // 6
      '  web: { kind: service, replicas: 2, ~: 1, [a, b]: 2, zones: [eu] }', // 7
      '  : { kind: worker }', // 8
      '? { top: 1 }', // 9
      ': 2', // 10
      '',
    ].join('\n');
    expect(seenAll(text)).toEqual([
      '2:10 error schema: a zone id must be text, not null (null): this entry is not read [null]',
      '4:5 error schema: a rule id must be text, not a list: this entry is not read [[sticky-sessions]]',
      '7:38 error schema: a key must be text, not null (~): this entry is not read [~]',
      '7:44 error schema: a key must be text, not a list: this entry is not read [[a, b]]',
      '8:3 error schema: a component id must be text, not empty: this entry is not read [:]',
      '9:3 error schema: a key must be text, not a mapping: this entry is not read [{ top: 1 }]',
    ]);
    const model = lint(text).model!;
    expect([...model.components.keys()]).toEqual(['web']);
    expect([...model.zones.keys()]).toEqual(['eu']);
    expect([...model.rules.keys()]).toEqual([]);
  });

  it('an alias as a key, to a mapping anchored earlier in the same mapping', () => {
    const text = 'archlint: 1\ncomponents:\n  web: &k { kind: service, replicas: 2 }\n  *k : { kind: worker }\n';
    expect(seenAll(text)).toEqual(['4:3 error schema: a component id must be text, not a mapping: this entry is not read [*k]']);
    expect([...lint(text).model!.components.keys()]).toEqual(['web']);
  });

  it('an anchor inside an entry that is not read still serves the aliases to it', () => {
    const text = [
      'archlint: 1',
      'components:',
      '  ~: &v { kind: service, replicas: 2 }',
      '  web: *v',
      '  ? &k [web]',
      '  : { kind: worker }',
      '  api: { kind: load-balancer, replicas: 2, routes-to: *k }',
      '',
    ].join('\n');
    const result = lint(text);
    const builtIn = result.findings.filter((f) => f.ruleId === 'schema' || f.ruleId === 'yaml-syntax');
    expect(builtIn.map((f) => `${f.messageId} ${text.slice(f.range[0], f.range[1])}`)).toEqual([
      'keyNotText ~',
      'keyNotText [web]',
    ]);
    expect(result.model!.components.get('web')!.replicas).toBe(2);
    expect(result.model!.components.get('api')!.routesTo.map((r) => r.id)).toEqual(['web']);
  });

  it('a list as a key at the top: one error at it, and the schema finds nothing else', () => {
    // Formerly a case of schema.test.ts, where yaml's warning for it leaked into the test log.
    const text = '? [a, b]\n: 1\narchlint: 1\ncomponents: {}\n';
    expect(seenAll(text)).toEqual(['1:3 error schema: a key must be text, not a list: this entry is not read [[a, b]]']);
  });

  it('an empty id written as text is an error, on the fast path too, and its entry is not read', () => {
    const text = 'archlint: 1\nzones:\n  "": {}\ncomponents:\n  "":\n    kind: service\n  web: { kind: service, replicas: 2 }\n';
    expect(parseArchitectureText(text).fastPath).toBe(true);
    expect(seenAll(text)).toEqual([
      '3:3 error schema: a zone id must not be empty: this entry is not read [""]',
      '5:3 error schema: a component id must not be empty: this entry is not read [""]',
    ]);
    expect([...lint(text).model!.components.keys()]).toEqual(['web']);
  });

  it('a component or zone id that is a number or true/false is a warning, and the component is read', () => {
    const text = [
      'archlint: 1',
      'zones: { 1: {}, eu: {} }',
      'components:',
      '  1.50: { kind: service, replicas: 2, zones: ["1", eu] }',
      '  007: { kind: database, replicas: 2 }',
      '  true: { kind: service, replicas: 2, entry: true, depends-on: ["1.5", "7"] }',
      '',
    ].join('\n');
    expect(seenAll(text)).toEqual([
      '2:10 warning schema: the zone id 1 is a number in YAML: quote it ("1") so that the id is text, as written [1]',
      '4:3 warning schema: the component id 1.50 is a number in YAML, read as "1.5": quote it ("1.50") so that the id is text, as written [1.50]',
      '5:3 warning schema: the component id 007 is a number in YAML, read as "7": quote it ("007") so that the id is text, as written [007]',
      '6:3 warning schema: the component id true is true/false in YAML: quote it ("true") so that the id is text, as written [true]',
    ]);
    expect([...lint(text).model!.components.keys()].sort()).toEqual(['1.5', '7', 'true']);
  });

  it('a number as a rule id is an unknown rule (an error), not a second finding', () => {
    const text = 'archlint: 1\nrules: { 1: off }\ncomponents:\n  web: { kind: service, replicas: 2 }\n';
    expect(seenAll(text)).toEqual(['2:10 error schema: unknown rule "1" [1]']);
  });

  it('an edit that writes such a key lints in full, with the same findings', () => {
    const text = generateArchitecture(30);
    const at = text.indexOf('    replicas: ', Math.floor(text.length / 2));
    for (const line of ['    ~: 1\n', '    ? [a]\n    : 1\n']) {
      const edited = text.slice(0, at) + line + text.slice(at);
      const result = relintAfter(text, edited);
      expect(result.parse === 'component').toBe(false);
      expect(withoutFiles(result.findings)).toEqual(withoutFiles(lint(edited).findings));
      expect(result.findings.filter((f) => f.messageId === 'keyNotText')).toHaveLength(1);
    }
    const renamed = text.replace('\n  svc-1:\n', '\n  "":\n');
    const result = relintAfter(text, renamed);
    expect(result.parse === 'component').toBe(false);
    expect(result.findings.filter((f) => f.messageId === 'emptyId')).toHaveLength(1);
  });
});

describe('nothing printed on the way', () => {
  afterEach(() => vi.restoreAllMocks());

  it('yaml warns of nothing through the process or the console', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning');
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    for (const text of [D9, '? [a, b]\n: 1\narchlint: 1\ncomponents: {}\n', 'a: &k { x: 1 }\n*k : 1\n']) lint(text);
    expect(emitWarning).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  describe('the CLI, as a process', () => {
    beforeAll(buildCliOnce);

    it('writes the findings to stdout and nothing to stderr', () => {
      const dir = tempTree({ 'odd.arch.yaml': D9 });
      const r = archlint(['lint', 'odd.arch.yaml', '--no-color'], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('9:3  error  a component id must be text, not null (~): this entry is not read');
      expect(r.stdout).not.toContain('{ replicas: 2 } is a single point of failure');
    });
  });
});
