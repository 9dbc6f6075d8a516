/**
 * The configuration file's pure parts: its schema (kept in step with the architecture schema's
 * shared definitions, compiled, ready for SchemaStore), and the `ignores` matcher.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ignoreMatcher, readConfigText } from '../../extension/src/engine';
import { compileSchema, CONFIG_GENERATED, CONFIG_SCHEMA, SCHEMA } from '../../scripts/compile-schema.mjs';

type Schema = Record<string, unknown> & { definitions: Record<string, unknown>; properties: Record<string, Schema> };
const config = JSON.parse(readFileSync(CONFIG_SCHEMA, 'utf8')) as Schema;
const architecture = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Schema;

describe('schemas/archlint-config.schema.json', () => {
  it('shares the architecture schema’s severity, percentage and zone, word for word', () => {
    for (const name of ['severity', 'percent', 'zone']) {
      const { description: _ours, ...ours } = config.definitions[name] as Record<string, unknown>;
      const { description: _theirs, ...theirs } = architecture.definitions[name] as Record<string, unknown>;
      expect({ name, ...ours }).toEqual({ name, ...theirs });
    }
  });

  it('has an $id, a title and a description on every property (ready for SchemaStore)', () => {
    expect(config.$id).toBe('https://archlint.dev/schemas/archlint-config.schema.json');
    expect(config.title).toBeTruthy();
    const visit = (node: Schema, path: string) => {
      for (const [key, value] of Object.entries(node.properties ?? {})) {
        expect({ path: `${path}.${key}`, described: typeof value.description === 'string' }).toEqual({
          path: `${path}.${key}`,
          described: true,
        });
        visit(value, `${path}.${key}`);
      }
    };
    visit(config, '');
  });

  it('the generated validator is up to date (run `npm run build` when this fails)', () => {
    const fresh = compileSchema({
      schemaPath: CONFIG_SCHEMA,
      outFile: join(mkdtempSync(join(tmpdir(), 'archlint-config-schema-')), 'validator.js'),
    });
    expect(readFileSync(CONFIG_GENERATED, 'utf8') === fresh).toBe(true);
  });

  it('reads a full configuration into its typed form', () => {
    const { config: read, findings } = readConfigText(
      [
        'rules: { sticky-sessions: off }',
        'ignores: [fixtures/]',
        'defaults: { slo: 99.9%, availability: 0.995, zones: { eu-1a: {}, eu-1b: { availability: 99.99% } } }',
        'sources: { compose: true, kubernetes: false }',
        'architectures: [{ name: shop, kubernetes: ["deploy/**/*.yaml"] }]',
      ].join('\n'),
    );
    expect(findings).toEqual([]);
    expect(read).toEqual({
      rules: { 'sticky-sessions': 'off' },
      ignores: ['fixtures/'],
      defaults: {
        slo: 0.999,
        availability: 0.995,
        zones: new Map([
          ['eu-1a', {}],
          ['eu-1b', { availability: 0.9999 }],
        ]),
      },
      sources: { compose: true, kubernetes: false },
      architectures: [{ name: 'shop', compose: [], kubernetes: ['deploy/**/*.yaml'] }],
    });
  });

  it('a duplicate key, or a rule id that is a built-in diagnostic, is a problem', () => {
    expect(readConfigText('rules: {}\nrules: {}\n').findings.map((f) => f.ruleId)).toEqual(['duplicate-key']);
    expect(readConfigText('rules: { yaml-syntax: off }\n').findings.map((f) => f.message)).toEqual([
      'unknown rule "yaml-syntax"',
    ]);
  });
});

describe('ignores', () => {
  const cases: [patterns: string[], path: string, ignored: boolean][] = [
    [['fixtures/'], 'fixtures/a.arch.yaml', true],
    [['fixtures/'], 'test/fixtures/deep/a.arch.yaml', true],
    [['fixtures/'], 'fixtures.arch.yaml', false],
    [['fixtures'], 'fixtures/a.arch.yaml', true],
    [['/fixtures/'], 'test/fixtures/a.arch.yaml', false],
    [['test/fixtures/**'], 'test/fixtures/x/a.arch.yaml', true],
    [['test/*.arch.yaml'], 'test/x/a.arch.yaml', false],
    [['test/**/*.arch.yaml'], 'test/a.arch.yaml', true],
    [['*.draft.arch.yaml'], 'a/b/c.draft.arch.yaml', true],
    [['fixtures/', '!fixtures/keep.arch.yaml'], 'fixtures/keep.arch.yaml', false],
    [['fixtures/', '!fixtures/keep.arch.yaml'], 'fixtures/other.arch.yaml', true],
    [['!a.arch.yaml', 'a.arch.yaml'], 'a.arch.yaml', true],
    [['{a,b}.arch.yaml'], 'b.arch.yaml', true],
    [['[ab].arch.yaml'], 'c.arch.yaml', false],
    [['[!ab].arch.yaml'], 'c.arch.yaml', true],
    [['?.arch.yaml'], 'ab.arch.yaml', false],
    [['a+(b).arch.yaml'], 'a+(b).arch.yaml', true],
    [['{unclosed'], '{unclosed', true],
    [['**'], '../outside.arch.yaml', false],
    [[''], 'a.arch.yaml', false],
  ];
  it.each(cases)('%j on %s → %s', (patterns, path, ignored) => {
    expect(ignoreMatcher(patterns)(path)).toBe(ignored);
  });
});
