import { describe, expect, it } from 'vitest';
import schemaJson from '../../schemas/architecture.schema.json';
import { lint, rules } from '../../extension/src/engine';
import { applyEdits } from '../../extension/src/engine/fix/apply';
import { completionItems, referenceSlot } from '../../extension/src/engine/language/completion';
import { componentHover, keyHover } from '../../extension/src/engine/language/hover';
import { SchemaNavigator, type JsonSchema } from '../../extension/src/engine/language/schemaNavigator';
import {
  componentDetail,
  definitionOf,
  occurrencesOf,
  pathAt,
  RenameError,
  renameEdits,
  symbolAt,
} from '../../extension/src/engine/language/symbols';
import { cursorContext } from '../../extension/src/engine/language/yamlContext';

const schema = new SchemaNavigator(schemaJson as unknown as JsonSchema);

const SHOP = `archlint: 1
name: shop
slo: 99.9%
zones:
  eu-1a: {}
  eu-1b: {}
components:
  edge:
    kind: load-balancer
    entry: true
    replicas: 2
    balancing: round-robin
    routes-to: [web]
  web:
    kind: service
    replicas: 3
    zones: [eu-1a, eu-1b]
    health-check: { path: /healthz, interval: 10s }
    session-store: "sessions"
    depends-on:
      - db
      - { component: recommendations, optional: true }
      - { any-of: [db, sessions] }
  sessions: { kind: cache, replicas: 2, zones: [eu-1a, eu-1b] }
  db:
    kind: database
    replicas: 2
    zones: [eu-1a, eu-1b]
  recommendations: { kind: service, replicas: 2 }
`;

/** Text with `|` at the cursor → completion labels there. */
function complete(marked: string): string[] {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const ctx = cursorContext(text, offset);
  if (!ctx) return [];
  return completionItems(ctx, lint(SHOP).model, schema, rules).map((i) => i.label);
}

describe('schema navigation', () => {
  it('lists a component’s keys with descriptions, following $ref and additionalProperties', () => {
    const keys = schema.keys(['components', 'anything']);
    const names = keys.map((k) => k.key);
    expect(names).toEqual(
      expect.arrayContaining(['kind', 'replicas', 'routes-to', 'depends-on', 'session-store', 'health-check']),
    );
    expect(keys.find((k) => k.key === 'kind')).toMatchObject({ required: true });
    expect(keys.find((k) => k.key === 'replicas')!.description).toMatch(/instances/);
  });

  it('offers enum values with their descriptions, and the keys of every anyOf branch', () => {
    const kinds = schema.values(['components', 'x', 'kind']);
    expect(kinds.map((v) => v.value)).toEqual([
      'load-balancer',
      'service',
      'worker',
      'database',
      'cache',
      'queue',
      'storage',
      'external',
    ]);
    expect(kinds[0]!.description).toBeTruthy();
    expect(schema.values(['components', 'x', 'entry']).map((v) => v.value)).toEqual([true, false]);
    expect(
      schema
        .keys(['components', 'x', 'depends-on', '[]'])
        .map((k) => k.key)
        .sort(),
    ).toEqual(['access', 'any-of', 'component', 'optional']);
    expect(schema.values(['rules', 'cold-standby']).map((v) => v.value)).toEqual(['error', 'warning', 'info', 'off']);
  });
});

describe('completion', () => {
  it('offers component ids (not the component itself) wherever a reference goes', () => {
    const others = ['edge', 'sessions', 'db', 'recommendations'];
    expect(complete(SHOP.replace('      - db\n', '      - db\n      - |\n'))).toEqual(expect.arrayContaining(others));
    expect(complete(SHOP.replace('      - db\n', '      - |\n'))).not.toContain('web');
    expect(complete(SHOP.replace('session-store: "sessions"', 'session-store: s|'))).toEqual(others);
    expect(complete(SHOP.replace('any-of: [db, sessions]', 'any-of: [db, |]'))).toEqual(others);
    expect(complete(SHOP.replace('{ component: recommendations,', '{ component: r|,'))).toEqual(others);
    expect(complete(SHOP.replace('routes-to: [web]', 'routes-to: [|]'))).toEqual(['web', 'sessions', 'db', 'recommendations']);
    expect(complete(SHOP.replace('    kind: database\n', '    kind: database\n    owner: |\n'))).toEqual([
      'edge',
      'web',
      'sessions',
      'recommendations',
    ]);
  });

  it('offers zone ids in zones', () => {
    expect(complete(SHOP.replace('zones: [eu-1a, eu-1b]\n    health', 'zones: [eu-1a, |]\n    health'))).toEqual([
      'eu-1a',
      'eu-1b',
    ]);
  });

  it('offers keys from the schema that the mapping does not have yet', () => {
    const keys = complete(SHOP.replace('    replicas: 3\n', '    replicas: 3\n    |\n'));
    expect(keys).toEqual(expect.arrayContaining(['balancing', 'state', 'retry', 'capacity', 'owner', 'deploy']));
    expect(keys).not.toContain('kind');
    expect(keys).not.toContain('replicas');
    expect(keys).not.toContain('depends-on');
    expect(complete(SHOP.replace('{ path: /healthz, interval: 10s }', '{ path: /healthz, | }'))).toEqual(['interval', 'timeout']);
  });

  it('offers enum values and rule ids', () => {
    expect(complete(SHOP.replace('balancing: round-robin', 'balancing: |'))).toEqual([
      'round-robin',
      'least-connections',
      'random',
      'ip-hash',
      'cookie',
    ]);
    const ruleIds = complete(SHOP.replace('components:\n', 'rules:\n  |\ncomponents:\n'));
    expect(ruleIds).toEqual(rules.map((r) => r.meta.id));
    expect(ruleIds.length).toBeGreaterThan(0);
    expect(complete(SHOP.replace('components:\n', 'rules:\n  cold-standby: |\ncomponents:\n'))).toEqual([
      'error',
      'warning',
      'info',
      'off',
    ]);
  });

  it('knows which paths hold references', () => {
    expect(referenceSlot(['components', 'web', 'depends-on', '[]', 'any-of', '[]'])).toBe('component');
    expect(referenceSlot(['components', 'web', 'zones', '[]'])).toBe('zone');
    expect(referenceSlot(['components', 'web', 'kind'])).toBeUndefined();
  });
});

describe('definition, references, rename', () => {
  const result = lint(SHOP);
  const model = result.model!;
  const at = (needle: string, nth = 0) => {
    let i = -1;
    for (let n = 0; n <= nth; n++) i = SHOP.indexOf(needle, i + 1);
    return i + 1;
  };

  it('finds the symbol under the cursor: a component key, a reference, a zone', () => {
    expect(symbolAt(model, at('  db:\n') + 1)).toMatchObject({ type: 'component', id: 'db', role: 'definition' });
    expect(symbolAt(model, at('- db') + 2)).toMatchObject({ type: 'component', id: 'db', role: 'reference' });
    expect(symbolAt(model, at('eu-1b]'))).toMatchObject({ type: 'zone', id: 'eu-1b', role: 'reference' });
    expect(symbolAt(model, at('kind: service'))).toBeUndefined();
  });

  it('goes to the definition and lists every reference', () => {
    const def = definitionOf(model, { type: 'component', id: 'sessions' })!;
    expect(SHOP.slice(def[0], def[1])).toBe('sessions');
    expect(SHOP.slice(0, def[0]).endsWith('\n  ')).toBe(true);
    const refs = occurrencesOf(model, { type: 'component', id: 'sessions' }, false).map((r) => SHOP.slice(r[0], r[1]));
    expect(refs).toEqual(['"sessions"', 'sessions']);
    expect(occurrencesOf(model, { type: 'component', id: 'db' }, true)).toHaveLength(3);
  });

  it('renames a component everywhere, keeps quotes and comments, and the file still lints the same', () => {
    const renamed = applyEdits(SHOP, renameEdits(SHOP, model, 'sessions', 'session-cache'));
    expect(renamed).toContain('session-store: "session-cache"');
    expect(renamed).toContain('any-of: [db, session-cache]');
    expect(renamed).toContain('  session-cache: { kind: cache');
    expect(renamed).not.toMatch(/\bsessions\b/);
    const after = lint(renamed);
    expect(after.findings.map((f) => f.ruleId)).toEqual(result.findings.map((f) => f.ruleId));
    expect([...after.model!.components.keys()]).toContain('session-cache');
  });

  it('refuses a rename to an id that is taken or is not a plain id', () => {
    expect(() => renameEdits(SHOP, model, 'db', 'web')).toThrow(RenameError);
    expect(() => renameEdits(SHOP, model, 'db', 'a: b')).toThrow(RenameError);
    expect(() => renameEdits(SHOP, model, 'nope', 'x')).toThrow(RenameError);
  });

  it('describes components for the outline', () => {
    expect(componentDetail(model.components.get('web')!)).toBe('service · ×3');
    expect(componentDetail(model.components.get('sessions')!)).toBe('cache · ×2');
  });
});

describe('hover', () => {
  const result = lint(SHOP);

  it('tells what a component is, what needs it and its findings', () => {
    const text = componentHover(result, 'db');
    expect(text).toContain('database');
    expect(text).toContain('2 instances');
    expect(text).toContain('zones eu\\-1a, eu\\-1b');
    expect(text).toContain('Needed by entry points: `edge`');
    expect(text).toContain('Used by: `web`');
  });

  it('says when a reference names no component', () => {
    expect(componentHover(result, 'ghost')).toContain('not a component');
  });

  it('shows the schema description of a key under the cursor', () => {
    const at = pathAt(result.doc!, SHOP.indexOf('balancing') + 2)!;
    expect(at).toMatchObject({ path: ['components', 'edge', 'balancing'], part: 'key' });
    expect(keyHover(schema, at.path)).toMatch(/^\*\*balancing\*\*\n\nHow a load balancer picks an instance/);
    const inList = pathAt(result.doc!, SHOP.indexOf('optional: true') + 1)!;
    expect(inList.path).toEqual(['components', 'web', 'depends-on', 1, 'optional']);
    expect(keyHover(schema, inList.path)).toMatch(/degraded/);
  });
});
