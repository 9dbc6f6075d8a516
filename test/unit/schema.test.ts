import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../extension/src/engine/lineIndex';
import validateSchema from '../../extension/src/engine/model/schemaValidator.generated';
import { parseDuration, parsePercent, parseRate, UNIT_PATTERNS } from '../../extension/src/engine/model/units';
import { validateArchitecture } from '../../extension/src/engine/model/validate';
import { parseArchitectureText } from '../../extension/src/engine/parse/parse';
import { compileSchema, GENERATED, SCHEMA } from '../../scripts/compile-schema.mjs';

const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));

/** Schema findings of a text, each with 0-based `line:column` of start and end and the text it covers. */
function schemaFindings(text: string) {
  const parsed = parseArchitectureText(text);
  expect(parsed.findings).toEqual([]); // the cases below are valid YAML: only the schema speaks
  const lines = new LineIndex(text);
  return validateArchitecture(parsed.doc!, parsed.value).map((f) => {
    const s = lines.position(f.range[0]);
    const e = lines.position(f.range[1]);
    return {
      ...f,
      start: `${s.line}:${s.character}`,
      end: `${e.line}:${e.character}`,
      covers: text.slice(f.range[0], f.range[1]),
    };
  });
}

const component = (...lines: string[]) => ['archlint: 1', 'components:', '  web:', '    kind: service', ...lines, ''].join('\n');

describe('schema findings read like a person wrote them, at the exact key or value', () => {
  const cases: { name: string; text: string; messageId: string; start: string; end: string; covers: string; message: string }[] =
    [
      {
        name: 'misspelled component key',
        text: component('    replica: 3'),
        messageId: 'unknownKey',
        start: '4:4',
        end: '4:11',
        covers: 'replica',
        message: 'unknown key "replica" — did you mean "replicas"?',
      },
      {
        name: 'misspelled top-level key (and nothing else wrong)',
        text: 'archlint: 1\nnmae: shop\ncomponents: {}\n',
        messageId: 'unknownKey',
        start: '1:0',
        end: '1:4',
        covers: 'nmae',
        message: 'unknown key "nmae" — did you mean "name"?',
      },
      {
        name: 'bad enum close to a value',
        text: component('    balancing: round-robbin'),
        messageId: 'enum',
        start: '4:15',
        end: '4:27',
        covers: 'round-robbin',
        message: 'balancing must be one of round-robin, least-connections, random, ip-hash, cookie — did you mean "round-robin"?',
      },
      {
        name: 'bad enum far from any value',
        text: component('    tls: yes-please'),
        messageId: 'enum',
        start: '4:9',
        end: '4:19',
        covers: 'yes-please',
        message: 'tls must be one of terminate, passthrough, none, not "yes-please"',
      },
      {
        name: 'wrong type: words for a number',
        text: component('    replicas: three'),
        messageId: 'type',
        start: '4:14',
        end: '4:19',
        covers: 'three',
        message: 'replicas must be a whole number from 0 to 10000 or per-node, not "three"',
      },
      {
        name: 'wrong type: a string for a mapping',
        text: component('    health-check: /healthz'),
        messageId: 'type',
        start: '4:18',
        end: '4:26',
        covers: '/healthz',
        message: 'health-check must be a mapping (key: value), not "/healthz"',
      },
      {
        name: 'negative count',
        text: component('    autoscale: { min: -1, max: 4 }'),
        messageId: 'range',
        start: '4:22',
        end: '4:24',
        covers: '-1',
        message: 'min must be a whole number from 0 to 10000, not -1',
      },
      {
        name: 'more instances than any pool has (and more than memory could count)',
        text: component('    replicas: 2105857324698790'),
        messageId: 'range',
        start: '4:14',
        end: '4:30',
        covers: '2105857324698790',
        message: 'replicas must be a whole number from 0 to 10000, not 2105857324698790',
      },
      {
        name: 'percent without the % sign',
        text: component('    availability: "99.9"'),
        messageId: 'pattern',
        start: '4:18',
        end: '4:24',
        covers: '"99.9"',
        message: 'availability must be a percentage like 99.9% or a fraction like 0.999, not "99.9"',
      },
      {
        name: 'percent as a number above 1',
        text: component('    availability: 99.9'),
        messageId: 'range',
        start: '4:18',
        end: '4:22',
        covers: '99.9',
        message: 'availability must be a percentage like 99.9% or a fraction like 0.999',
      },
      {
        name: 'percent above 100%',
        text: 'archlint: 1\nslo: 150%\ncomponents: {}\n',
        messageId: 'pattern',
        start: '1:5',
        end: '1:9',
        covers: '150%',
        message: 'slo must be a percentage like 99.9% or a fraction like 0.999, not "150%"',
      },
      {
        name: 'rate with an unknown unit',
        text: component('    capacity: 12/days'),
        messageId: 'pattern',
        start: '4:14',
        end: '4:21',
        covers: '12/days',
        message: 'capacity must be a rate like 1200/s',
      },
      {
        name: 'missing kind',
        text: 'archlint: 1\ncomponents:\n  db:\n    replicas: 2\n',
        messageId: 'required',
        start: '2:2',
        end: '2:4',
        covers: 'db',
        message: 'missing required key "kind"',
      },
      {
        name: 'unknown key inside health-check, close to a known one',
        text: component('    health-check:', '      path: /healthz', '      intervall: 10s'),
        messageId: 'unknownKey',
        start: '6:6',
        end: '6:15',
        covers: 'intervall',
        message: 'unknown key "intervall" — did you mean "interval"?',
      },
      {
        name: 'unknown key inside health-check, like nothing known',
        text: component('    health-check: { path: /healthz, method: GET }'),
        messageId: 'unknownKey',
        start: '4:36',
        end: '4:42',
        covers: 'method',
        message: 'unknown key "method" in health-check; the keys here are path, interval, timeout',
      },
      {
        name: 'depends-on entry of neither shape',
        text: component('    depends-on:', '      - db', '      - { service: db }'),
        messageId: 'shape',
        start: '6:8',
        end: '6:23',
        covers: '{ service: db }',
        message: 'depends-on entries are a component id, { component: id }, or { any-of: [ids] }',
      },
      {
        name: 'depends-on entry that is a number',
        text: component('    depends-on: [db, 5]'),
        messageId: 'shape',
        start: '4:21',
        end: '4:22',
        covers: '5',
        message: 'depends-on entries are a component id, { component: id }, or { any-of: [ids] }, not 5',
      },
      {
        name: 'depends-on entry with both shapes at once',
        text: component('    depends-on:', '      - { component: db, any-of: [a, b] }'),
        messageId: 'shape',
        start: '5:8',
        end: '5:41',
        covers: '{ component: db, any-of: [a, b] }',
        message: 'not both "component" and "any-of"',
      },
      {
        name: 'depends-on entry with its shape key misspelled',
        text: component('    depends-on:', '      - { componnet: db }'),
        messageId: 'unknownKey',
        start: '5:10',
        end: '5:19',
        covers: 'componnet',
        message: 'unknown key "componnet" — did you mean "component"?',
      },
      {
        name: 'depends-on entry of the component shape with a typo inside (the specific branch wins)',
        text: component('    depends-on:', '      - { component: db, optionl: true }'),
        messageId: 'unknownKey',
        start: '5:25',
        end: '5:32',
        covers: 'optionl',
        message: 'unknown key "optionl" — did you mean "optional"?',
      },
      {
        name: 'any-of that is not a list',
        text: component('    depends-on:', '      - { any-of: payments }'),
        messageId: 'type',
        start: '5:18',
        end: '5:26',
        covers: 'payments',
        message: 'any-of must be a list of component ids, not "payments"',
      },
      {
        name: 'wrong format version',
        text: 'archlint: 2\ncomponents: {}\n',
        messageId: 'version',
        start: '0:10',
        end: '0:11',
        covers: '2',
        message: 'archlint must be 1',
      },
      {
        name: 'missing format version, at the first key',
        text: 'name: shop\ncomponents: {}\n',
        messageId: 'required',
        start: '0:0',
        end: '0:4',
        covers: 'name',
        message: 'missing required key "archlint"',
      },
      {
        name: 'misspelled rule severity',
        text: 'archlint: 1\nrules: { cold-standby: of }\ncomponents: {}\n',
        messageId: 'enum',
        start: '1:23',
        end: '1:25',
        covers: 'of',
        message: 'the severity of rule "cold-standby" must be one of error, warning, info, off — did you mean "off"?',
      },
      {
        name: 'instance property that is not a scalar',
        text: component('    instances:', '      - { name: a, size: { cpu: 4 } }'),
        messageId: 'type',
        start: '5:25',
        end: '5:35',
        covers: '{ cpu: 4 }',
        message: 'size must be text, a number or true/false, not a mapping',
      },
      {
        name: 'shards below one',
        text: component('    sharding: { key: room_id, shards: 0 }'),
        messageId: 'range',
        start: '4:38',
        end: '4:39',
        covers: '0',
        message: 'shards must be a whole number from 1 to 10000, not 0',
      },
    ];

  it.each(cases)('$name', ({ text, messageId, start, end, covers, message }) => {
    const findings = schemaFindings(text);
    // Exactly one finding: unions and duplicates collapse into one message per place.
    expect(findings.map((f) => f.message)).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'schema', severity: 'error', messageId, start, end, covers });
    expect(findings[0]!.message).toContain(message);
    expect(findings[0]!.message).not.toMatch(/must NOT|must match|allowed values|anyOf|#\//); // no ajv jargon
  });

  it('names the component a finding is about', () => {
    expect(schemaFindings(component('    replica: 3'))[0]!.component).toBe('web');
  });

  it('merges several missing keys of one mapping into one finding', () => {
    const findings = schemaFindings('name: shop\n');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ messageId: 'required', start: '0:0', end: '0:4' });
    expect(findings[0]!.message).toBe('missing required keys "archlint" and "components"');
  });

  it('gives one finding per place and message on a file full of mistakes, and never ajv jargon', () => {
    const text = [
      'archlint: 1',
      'bogus: 1',
      'zones: { a: null, b: { availability: 200% } }',
      'components:',
      '  edge: { kind: load-balancer, balancing: rr, replica: 2, routes-to: 5 }',
      '  web:',
      '    kind: servce',
      '    replicas: three',
      '    depends-on: [db, { component: db, optionl: true }, { foo: 1 }, { any-of: db }, 5, ""]',
      '    load: 12/days',
      '  db: {}',
      '',
    ].join('\n');
    const findings = schemaFindings(text);
    const keys = findings.map((f) => `${f.range[0]}:${f.range[1]}:${f.message}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(findings.map((f) => `${f.range[0]}:${f.range[1]}`)).size).toBe(findings.length);
    expect(findings.map((f) => f.covers).sort()).toEqual(
      [
        'bogus',
        '200%',
        'rr',
        'replica',
        '5',
        'servce',
        'three',
        'optionl',
        '{ foo: 1 }',
        'db',
        '5',
        '""',
        '12/days',
        'db',
      ].sort(),
    );
    for (const f of findings) expect(f.message).not.toMatch(/must NOT|must match|allowed values|anyOf/);
  });

  it('never throws, whatever the shapes, and keeps every range inside the text', () => {
    const texts = [
      'archlint: 1\ncomponents: [web, db]\n',
      'archlint: 1\ncomponents:\n',
      'archlint: 1\ncomponents: { web: 5, db: [1], c: null }\nzones: 5\nrules: [a]\ndefaults: off\n',
      'archlint: [1]\ncomponents: { "a/b~c": { kind: service, replica: 1 } }\n',
      'archlint: 1\ncomponents:\n  web: { kind: service, depends-on: { a: b }, instances: [1, [2], { zone: 3 }] }\n',
      // A list as a key ('? [a, b]\n: 1\n…') is the parser's to report, in keys.test.ts.
    ];
    for (const text of texts) {
      const findings = schemaFindings(text);
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(f.range[0]).toBeGreaterThanOrEqual(0);
        expect(f.range[1]).toBeGreaterThan(f.range[0]);
        expect(f.range[1]).toBeLessThanOrEqual(text.length);
      }
    }
  });

  it('points into keys that JSON pointers escape (~1 for /, ~0 for ~)', () => {
    const findings = schemaFindings('archlint: 1\ncomponents:\n  "a/b~c": { kind: service, replica: 1 }\n');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ messageId: 'unknownKey', covers: 'replica', component: 'a/b~c' });
  });
});

describe('valid files', () => {
  it('the example in PRODUCT.md has no schema findings', () => {
    const text = readFileSync(join(__dirname, '../fixtures/product-example.arch.yaml'), 'utf8');
    expect(text).toContain('any-of: [payments-eu, payments-us]'); // it is the real example
    expect(schemaFindings(text)).toEqual([]);
  });

  it('accepts every key of the format, with each alternative spelling', () => {
    const text = [
      'archlint: 1',
      'name: everything',
      'slo: 0.999',
      'zones: { z1: { availability: 99.99% }, z2: {}, z3: }',
      'defaults: { availability: 0.995, zone-availability: 99.99% }',
      'rules: { single-point-of-failure: warning, cold-standby: off }',
      'components:',
      '  lb:',
      '    kind: load-balancer',
      '    description: the edge',
      '    entry: true',
      '    public: true',
      '    load: 1200',
      '    autoscale: { min: 2, max: 4 }',
      '    balancing: least-connections',
      '    routes-to: app',
      '    tls: passthrough',
      '    rate-limit: { anonymous: 60/min, authenticated: 10/s }',
      '    health-check: { path: /healthz, interval: 10, timeout: 250ms }',
      '    slo: 99.9%',
      '  app:',
      '    kind: service',
      '    replicas: 0',
      '    zones: [z1, z2]',
      '    state: local-disk',
      '    session-store: db',
      '    capacity: 100/h',
      '    depends-on: [db, { component: q, optional: true, access: read }, { any-of: [db, q], optional: false, access: read-write }]',
      '    deploy: { strategy: rolling, max-unavailable: 1 }',
      '    retry: { attempts: 3, backoff: linear, jitter: false }',
      '    connection-pool: 10',
      '    lifecycle: pet',
      '    instances:',
      '      - { name: app-1, lifecycle: cattle, zone: z1, availability: 99.5%, size: large, cpus: 4, spot: true }',
      '  db:',
      '    kind: database',
      '    replication: quorum',
      '    failover: { mode: manual, standby: cold, takeover: 5m }',
      '    mtbf: 1d',
      '    max-connections: 200',
      '    owner: app',
      '    deploy: { strategy: blue-green }',
      '    sharding: { key: user_id, shards: 1 }',
      '    availability: 1',
      '  q: { kind: queue }',
      '',
    ].join('\n');
    expect(schemaFindings(text)).toEqual([]);
  });

  it.each(['99.9%', 0.999, '100%', '0%', ' 99.95 % ', 0, 1, 0.5])('percent accepts %j', (availability) => {
    expect(validateSchema({ archlint: 1, components: { web: { kind: 'service', availability } } })).toBe(true);
  });

  it.each(['99.9', '101%', '-1%', '1e2%', 'high', 1.01, -0.1, true])('percent rejects %j', (availability) => {
    expect(validateSchema({ archlint: 1, components: { web: { kind: 'service', availability } } })).toBe(false);
  });
});

describe('percentages', () => {
  it('are the same double whether written 99.9% or 0.999', () => {
    expect(parsePercent('99.9%')).toBe(0.999);
    expect(parsePercent('99.99%')).toBe(0.9999);
    expect(parsePercent('99.95%')).toBe(0.9995);
    expect(parsePercent('100%')).toBe(1);
    expect(parsePercent('0%')).toBe(0);
  });
});

describe('schema and unit parsers agree', () => {
  const definitions = schema.definitions as Record<string, { anyOf: { type: string; pattern?: string }[] }>;
  const units = [
    { name: 'percent', parse: parsePercent },
    { name: 'rate', parse: parseRate },
    { name: 'duration', parse: parseDuration },
  ] as const;
  /** Whether the schema accepts `v` where a value of this unit is expected. */
  const accepts = (unit: string, v: unknown): boolean => {
    const web: Record<string, unknown> = { kind: 'service' };
    if (unit === 'percent') web.availability = v;
    if (unit === 'rate') web.capacity = v;
    if (unit === 'duration') web.mtbf = v;
    return validateSchema({ archlint: 1, components: { web } });
  };

  it.each(units)('the $name definition uses UNIT_PATTERNS.$name', ({ name }) => {
    const strings = definitions[name]!.anyOf.filter((b) => b.type === 'string');
    expect(strings.map((b) => b.pattern)).toEqual([UNIT_PATTERNS[name]]);
  });

  it.each(units)('every string the $name pattern matches, the parser reads (property)', ({ name, parse }) => {
    fc.assert(
      fc.property(fc.stringMatching(new RegExp(UNIT_PATTERNS[name])), (s) => {
        expect(accepts(name, s)).toBe(true);
        expect(parse(s)).toBeTypeOf('number');
      }),
      { numRuns: 300 },
    );
  });

  const samples: Record<(typeof units)[number]['name'], unknown[]> = {
    percent: ['99.9%', '0.5 %', '100%', '100.0%', '100.5%', '101%', '99.9', '.9%', '1,5%', 0.999, 1, 0, 2, -0.5, '', null],
    rate: ['1200/s', '60/min', '100/h', '5 / sec', '3/second', '2/minute', '1/hour', '1/d', '1200', '/s', '-5/s', 12, 0, -1],
    duration: ['10s', '5m', '2000h', '250ms', '1d', '1.5h', '10 s', '1w', '10', 's', '-1s', 30, 0, -3],
  };
  it.each(units)('the schema accepts exactly the $name values the parser reads', ({ name, parse }) => {
    for (const v of samples[name]) expect({ v, accepted: accepts(name, v) }).toEqual({ v, accepted: parse(v) !== undefined });
  });
});

describe('the generated validator', () => {
  it('is up to date with the schema (run `npm run build` when this fails)', () => {
    const fresh = compileSchema({ outFile: join(mkdtempSync(join(tmpdir(), 'archlint-schema-')), 'validator.js') });
    expect(readFileSync(GENERATED, 'utf8') === fresh).toBe(true);
  });

  it('the schema has an $id, a title, and a description on every property', () => {
    expect(schema.$id).toMatch(/^https:\/\//);
    expect(schema.title).toBeTruthy();
    const missing: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n.properties) {
        for (const [key, sub] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          // A `$ref` to a described definition is described too.
          const described =
            sub.description ?? (sub.$ref ? schema.definitions[String(sub.$ref).split('/').pop()!]?.description : undefined);
          if (!described) missing.push(`${where}/properties/${key}`);
        }
      }
      for (const [key, sub] of Object.entries(n)) visit(sub, `${where}/${key}`);
    };
    visit(schema, '#');
    expect(missing).toEqual([]);
  });
});

describe('the schema in the YAML extension', () => {
  // The YAML extension's language service, loaded as the extension loads it; the text-document
  // package is its own dependency, so it is resolved from there.
  const require = createRequire(import.meta.url);
  const lsPath = require.resolve('yaml-language-server/lib/umd/languageservice/yamlLanguageService.js');
  const { getLanguageService } = require(lsPath);
  const { TextDocument } = createRequire(lsPath)('vscode-languageserver-textdocument');
  const service = getLanguageService({
    schemaRequestService: async () => JSON.stringify(schema),
    workspaceContext: { resolveRelativePath: (p: string) => p },
  });
  service.configure({
    validate: true,
    hover: true,
    completion: true,
    schemas: [{ uri: schema.$id, fileMatch: ['*.arch.yaml'], schema }],
  });
  let opened = 0;
  // A fresh URI each time: the service caches parsed documents by URI and version.
  const open = (text: string) => TextDocument.create(`file:///w/doc${++opened}.arch.yaml`, 'yaml', 1, text);

  it('finds nothing wrong with the PRODUCT.md example, and flags an unknown key', async () => {
    const example = readFileSync(join(__dirname, '../fixtures/product-example.arch.yaml'), 'utf8');
    expect(await service.doValidation(open(example), false)).toEqual([]);
    const bad = await service.doValidation(open(component('    replica: 2')), false);
    expect(bad).toHaveLength(1);
    expect(bad[0].range.start).toEqual({ line: 4, character: 4 });
  });

  it('shows descriptions on hover, also where a property refers to a definition', async () => {
    const doc = open(component('    replicas: 2', '    availability: 99.9%'));
    const hover = async (line: number, character: number) =>
      String((await service.doHover(doc, { line, character }))?.contents?.value);
    expect(await hover(4, 6)).toContain('Number of identical instances');
    expect(await hover(5, 6)).toContain('Availability of one instance');
  });
});
