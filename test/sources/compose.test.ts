/**
 * Compose fixtures (test/sources/compose/): every `*.yaml` file is a project of one file, every
 * folder a project of its `compose.yaml` and override file, with what they name (`include`,
 * `extends.file`) read from disk. Each must be flagged exactly on the lines marked
 * `# expect: <rule-id>` in the file the marker is in (`clean-*` ones nowhere), every fix must
 * leave YAML that Compose can read with every comment kept and the new key where Compose
 * expects it, and the model must say what docs/SOURCES.md's "Compose → the model" table says.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import {
  applyEdits,
  BUILTIN_IDS,
  lintCompose,
  overrideCandidatesOf,
  type Component,
  type Finding,
  type Fix,
  type LintResult,
  type TextEdit,
} from '../../extension/src/engine';
import { expectedMarkers } from '../expectations';
import { projectSnapshot } from './snapshot';

const DIR = join(__dirname, 'compose');
const BUILTIN = new Set<string>(Object.values(BUILTIN_IDS));

/** A fixture: the files given to lintCompose, and every YAML file of it on disk (what markers may be in). */
interface Fixture {
  name: string;
  given: string[];
  onDisk: string[];
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? yamlFilesUnder(path) : /\.ya?ml$/.test(name) ? [path] : [];
    })
    .sort();
}

function fixtures(): Fixture[] {
  return readdirSync(DIR)
    .sort()
    .flatMap((name): Fixture[] => {
      const path = join(DIR, name);
      if (name === '__snapshots__') return [];
      if (statSync(path).isDirectory()) {
        const main = join(path, 'compose.yaml');
        return [
          { name, given: [main, ...overrideCandidatesOf(main).filter((f) => existsSync(f))], onDisk: yamlFilesUnder(path) },
        ];
      }
      return /\.ya?ml$/.test(name) ? [{ name, given: [path], onDisk: [path] }] : [];
    });
}

const readFile = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

function lintFixture(name: string, profiles?: string[]): LintResult {
  const fixture = fixtures().find((f) => f.name === name);
  if (!fixture) throw new Error(`no fixture ${name}`);
  return lintCompose({ files: fixture.given.map((file) => ({ file, text: readFile(file)! })), readFile, profiles });
}

const rel = (file: string) => relative(DIR, file);

/** 1-based line of an offset in the file a finding names. */
function lineOf(result: LintResult, file: string, offset: number): number {
  const entry = result.files?.get(file);
  if (!entry) throw new Error(`${file} is not a file of the result`);
  return entry.lines.position(offset).line + 1;
}

/** `file:line:rule` for each finding. */
function flagged(result: LintResult): string[] {
  return [...new Set(result.findings.map((f) => `${rel(f.file!)}:${lineOf(result, f.file!, f.range[0])}:${f.ruleId}`))].sort();
}

function marked(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files)
    for (const [line, ids] of expectedMarkers(readFileSync(file, 'utf8')))
      for (const id of ids) out.push(`${rel(file)}:${line}:${id}`);
  return out.sort();
}

/** Comments of a text, except `# expect:` markers (which may go with the value they mark). */
function comments(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .flatMap((line) => /(?:^|\s)(#.*)$/.exec(line)?.[1]?.trimEnd() ?? [])
    .filter((c) => !/^#\s*expect:/.test(c));
}

/** Each file's text after a fix, for the files it edits. */
function applyFix(result: LintResult, fix: Fix): Map<string, string> {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of fix.edits) {
    expect(edit.file, `an edit of "${fix.title}" names its file`).toBeDefined();
    byFile.set(edit.file!, [...(byFile.get(edit.file!) ?? []), edit]);
  }
  return new Map([...byFile].map(([file, edits]) => [file, applyEdits(result.files!.get(file)!.text, edits)]));
}

/** The project linted again with some files' texts replaced. */
function relint(fixture: Fixture, texts: ReadonlyMap<string, string>, profiles?: string[]): LintResult {
  const read = (file: string) => texts.get(file) ?? readFile(file);
  return lintCompose({ files: fixture.given.map((file) => ({ file, text: read(file)! })), readFile: read, profiles });
}

function inside(result: LintResult, range: readonly [number, number, string?], file: string | undefined, what: string) {
  expect(file, `${what} names its file`).toBeDefined();
  expect(range[2] ?? file, `${what}: the range and the file agree`).toBe(file);
  const text = result.files!.get(file!)?.text;
  expect(text, `${what}: ${file} is a file of the result`).toBeDefined();
  expect(range[0], what).toBeGreaterThanOrEqual(0);
  expect(range[0], what).toBeLessThanOrEqual(range[1]);
  expect(range[1], what).toBeLessThanOrEqual(text!.length);
}

describe('compose fixtures', () => {
  for (const fixture of fixtures()) {
    describe(fixture.name, () => {
      const result = lintFixture(fixture.name);

      it('is read without a source, schema or YAML diagnostic', () => {
        expect(result.findings.filter((f) => BUILTIN.has(f.ruleId)).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
        expect(result.model).toBeDefined();
      });

      if (fixture.name.startsWith('clean-')) {
        it('has no expect markers and no finding', () => {
          expect(marked(fixture.onDisk)).toEqual([]);
          expect(flagged(result)).toEqual([]);
        });
      } else {
        it('flags exactly the lines marked `# expect:`, in the file of each marker', () => {
          expect(marked(fixture.onDisk).length, 'a flagged fixture marks at least one line').toBeGreaterThan(0);
          expect(flagged(result)).toEqual(marked(fixture.onDisk));
        });
      }

      it('names the component of every rule finding, and every range lies inside its own file', () => {
        for (const f of [...result.findings, ...result.suppressed]) {
          const what = `${f.ruleId} "${f.message}"`;
          if (!BUILTIN.has(f.ruleId)) expect(f.component, `${what} names its component`).toBeTruthy();
          if (f.component) expect(result.model!.components.has(f.component), what).toBe(true);
          inside(result, f.range, f.file, what);
          for (const r of f.related ?? []) inside(result, r.range, r.file, `${what}, related "${r.message}"`);
          for (const fix of result.fixes(f))
            for (const e of fix.edits) inside(result, e.range, e.file, `${what}, fix "${fix.title}"`);
        }
      });

      for (const finding of result.findings) {
        const at = `${rel(finding.file!)}:${lineOf(result, finding.file!, finding.range[0])} ${finding.ruleId}`;
        for (const fix of result.fixes(finding)) {
          it(`${at}: "${fix.title}" (${fix.applicability}) leaves readable YAML with every comment, and removes the finding`, () => {
            const fixed = applyFix(result, fix);
            expect(fixed.size).toBeGreaterThan(0);
            for (const [file, text] of fixed) {
              const before = result.files!.get(file)!.text;
              expect(text, `${rel(file)} changed`).not.toBe(before);
              expect(parseDocument(text).errors.map((e) => e.message)).toEqual([]);
              const left = comments(text);
              for (const c of comments(before)) {
                const i = left.indexOf(c);
                expect(i, `"${fix.title}" lost the comment "${c}" in ${rel(file)}`).toBeGreaterThanOrEqual(0);
                left.splice(i, 1);
              }
            }
            const after = relint(fixture, fixed);
            expect(after.findings.filter((f) => BUILTIN.has(f.ruleId)).map((f) => f.message)).toEqual([]);
            const same = (f: Finding) =>
              f.ruleId === finding.ruleId && f.component === finding.component && f.messageId === finding.messageId;
            expect(after.findings.filter(same).map((f) => f.message)).toEqual([]);
            // A fix that must be reviewed says why in its title, and is never applied by --fix.
            if (fix.title.includes(' — review: ')) expect(fix.applicability).toBe('unsafe');
          });
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The model, row by row of "Compose → the model".

const component = (result: LintResult, id: string): Component => {
  const c = result.model!.components.get(id);
  if (!c) throw new Error(`no component ${id}`);
  return c;
};
const deps = (c: Component) =>
  c.dependsOn.map((d) =>
    d.type === 'component' ? `${d.target.id}${d.optional ? '?' : ''}` : d.members.map((m) => m.id).join('|'),
  );
const textAt = (result: LintResult, range: readonly [number, number, string?]) =>
  result.files!.get(range[2]!)!.text.slice(range[0], range[1]);

describe('kind', () => {
  const r = lintFixture('kind-from-image.yaml');
  it('comes from the image, whatever its registry, tag or digest', () => {
    const kinds = Object.fromEntries([...r.model!.components.values()].map((c) => [c.id, c.kind]));
    expect(kinds).toEqual({
      api: 'service',
      db: 'database',
      cache: 'cache',
      broker: 'queue',
      objects: 'storage',
      'redis-exporter': 'service',
      'mq-ui': 'service',
    });
    expect(r.origins?.get('cache')?.get('kind')).toMatch(/redis/);
  });
  it('an exporter is not the store it watches, and depends on it', () => {
    expect(deps(component(r, 'redis-exporter'))).toEqual(['cache']);
  });
  it('x-archlint.kind wins over the image', () => {
    expect(component(lintFixture('x-archlint-service.yaml'), 'edge').kind).toBe('load-balancer');
  });
});

describe('replicas', () => {
  const r = lintFixture('replicas.yaml');
  it('deploy.replicas, scale, default 1, and deploy.mode: global as one per node', () => {
    const of = (id: string) => [component(r, id).replicas, component(r, id).replicasSource];
    expect(of('storefront')).toEqual([3, 'replicas']);
    expect(of('catalog')).toEqual([2, 'replicas']);
    expect(of('search')).toEqual([1, 'replicas']);
    expect(of('datadog')).toEqual([1, 'per-node']);
    expect(textAt(r, component(r, 'catalog').keys.replicas!.value)).toBe('2');
  });
  it('rules that need a count stay quiet for a global service', () => {
    expect(r.findings.filter((f) => f.component === 'datadog')).toEqual([]);
  });
  it('a value of a variable with a default is read', () => {
    expect(component(lintFixture('variables.yaml'), 'survey').replicas).toBe(2);
  });
});

describe('entry and public', () => {
  const r = lintFixture('ports.yaml');
  it('published ports make a public entry point, unless bound to loopback', () => {
    const publicOnes = [...r.model!.components.values()].filter((c) => c.public).map((c) => c.id);
    expect(publicOnes).toEqual(['site', 'mailpit', 'docs']);
    const entries = [...r.model!.components.values()].filter((c) => c.entry).map((c) => c.id);
    expect(entries).toEqual(['site', 'mailpit', 'docs']);
    expect(r.graph!.entryPoints).toEqual(expect.arrayContaining(['site', 'mailpit', 'docs']));
    expect(r.graph!.entryPoints).not.toContain('grafana');
    expect(r.graph!.entryPoints).not.toContain('adminer');
  });
  it('with nothing published, what nothing depends on is the entry point', () => {
    const p = lintFixture('profiles.yaml');
    expect(component(p, 'api').public).toBe(false);
    expect(p.graph!.entryPoints).toEqual(['api']);
  });
});

describe('depends-on', () => {
  it('depends_on as a list and a map; required: false is optional, so no single point of failure through it', () => {
    const r = lintFixture('depends-on.yaml');
    expect(deps(component(r, 'web'))).toEqual(['api']);
    expect(deps(component(r, 'api'))).toEqual(['db', 'search?']);
    expect(r.findings.filter((f) => f.component === 'search')).toEqual([]);
  });
  it('links (an alias included) and network_mode: service:x', () => {
    const r = lintFixture('links-network-mode.yaml');
    expect(deps(component(r, 'app'))).toEqual(['db', 'smtp']);
    expect(deps(component(r, 'downloader'))).toEqual(['vpn']);
    const dep = component(r, 'downloader').dependsOn[0]!;
    expect(textAt(r, dep.range)).toBe('service:vpn');
  });
  it('hosts in environment values, map and list forms; LOG_LEVEL=info and MYSQL_USER=wordpress name no host', () => {
    const r = lintFixture('environment-hosts.yaml');
    expect(deps(component(r, 'web'))).toEqual(['api']);
    expect(deps(component(r, 'api'))).toEqual(['db', 'cache']);
    expect(deps(component(r, 'worker'))).toEqual(['db', 'rabbitmq']);
    const api = component(r, 'api');
    expect(textAt(r, api.dependsOn[1]!.range)).toBe('REDIS_HOST=cache');
    const w = lintFixture('wordpress.yaml');
    expect(deps(component(w, 'wordpress'))).toEqual(['mysql']);
    expect(deps(component(w, 'mysql'))).toEqual([]);
  });
  it('hosts in command and entrypoint words: -h cache, --host=db, a URL, a shell script', () => {
    const r = lintFixture('command-hosts.yaml');
    expect(deps(component(r, 'gateway'))).toEqual(['api']);
    expect(deps(component(r, 'api'))).toEqual(['db', 'cache']);
    expect(deps(component(r, 'migrate'))).toEqual(['db']);
  });
  it('a container_name, a hostname and a network alias name their service', () => {
    const r = lintFixture('service-names.yaml');
    expect(deps(component(r, 'portal'))).toEqual(['postgres', 'search', 'nats']);
  });
  it('${VAR:-default} makes an edge to the default; an unset variable names nothing', () => {
    const r = lintFixture('variables.yaml');
    expect(deps(component(r, 'survey'))).toEqual(['db']);
    expect(component(r, 'db').kind).toBe('database');
  });
  it('an x-archlint depends-on replaces the inferred ones', () => {
    const r = lintFixture('x-archlint-service.yaml');
    expect(deps(component(r, 'chat'))).toEqual(['presence', 'statsd?']);
    expect(deps(component(r, 'edge'))).toEqual(['chat']);
  });
});

describe('balancing', () => {
  it('a replicated service is balanced by the routing mesh when published, by Docker DNS when called, and not at all when nothing reaches it', () => {
    const r = lintFixture('replicas.yaml');
    expect(component(r, 'storefront').balancedBy).toBe('routing-mesh');
    expect(component(r, 'catalog').balancedBy).toBe('docker-dns');
    expect(component(r, 'search').balancedBy).toBeUndefined();
    const o = lintFixture('override');
    expect(component(o, 'worker').replicas).toBe(2);
    expect(component(o, 'worker').balancedBy).toBeUndefined();
  });
});

describe('health-check', () => {
  const r = lintFixture('healthcheck.yaml');
  it('a healthcheck with a test, not disable: true, not ["NONE"]', () => {
    expect(component(r, 'gateway').healthCheck).toEqual({ interval: 10 });
    expect(component(r, 'ledger').healthCheck).toEqual({ interval: 30 });
    expect(component(r, 'fraud').healthCheck).toBeUndefined();
    expect(component(r, 'notify').healthCheck).toBeUndefined();
    expect(component(r, 'reports').healthCheck).toBeUndefined();
  });
  it('the message says what Docker does without one', () => {
    const f = r.findings.find((x) => x.component === 'fraud')!;
    expect(f.message).toMatch(/a compose healthcheck is how Docker tells that a replica is failing/);
  });
});

describe('state', () => {
  const r = lintFixture('state-volumes.yaml');
  it('a read-write named volume or bind mount of a replicated service; not :ro, tmpfs, or one instance', () => {
    expect(component(r, 'wiki').state).toBe('local-disk');
    expect(textAt(r, component(r, 'wiki').keys.state!.value)).toBe('uploads:/app/data/uploads');
    expect(component(r, 'thumbnailer').state).toBe('local-disk');
    expect(component(r, 'renderer').state).toBe('stateless');
    expect(component(r, 'db').state).toBe('stateless');
  });
  it('x-archlint states in-memory state', () => {
    expect(component(lintFixture('x-archlint-service.yaml'), 'chat').state).toBe('in-memory');
  });
});

describe('zones', () => {
  const r = lintFixture('zones.yaml');
  it('the top-level x-archlint declares them; a spread preference spreads over them; a constraint pins to one', () => {
    expect([...r.model!.zones.keys()]).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(component(r, 'booking').zones.map((z) => z.id)).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(component(r, 'db').zones.map((z) => z.id)).toEqual(['eu-west-1a']);
    expect(textAt(r, component(r, 'db').zones[0]!.range)).toBe('node.labels.zone == eu-west-1a');
  });
});

describe('x-archlint', () => {
  it('on a service: kind, replicas, state, depends-on, tls and rate-limit', () => {
    const r = lintFixture('x-archlint-service.yaml');
    const edge = component(r, 'edge');
    expect(edge.tls).toBe('terminate');
    expect(edge.rateLimit).toEqual({ anonymous: 50, authenticated: 500 });
    expect(component(r, 'chat').replicas).toBe(3);
    expect(component(r, 'chat').replicasSource).toBe('replicas');
  });
  it('at the top: slo, zones and rules', () => {
    const r = lintFixture('x-archlint-top.yaml');
    expect(r.model!.slo).toBeCloseTo(0.9995, 10);
    expect([...r.model!.zones.keys()]).toEqual(['us-east-1a', 'us-east-1b']);
    expect(r.findings.some((f) => f.ruleId === 'anonymous-rate-limit')).toBe(false);
    expect(r.findings.find((f) => f.ruleId === 'availability-below-slo')?.component).toBe('frontend');
  });
});

describe('x-archlint, read as the format reads a component', () => {
  it('needs no kind: the image gives it, or it is a service', () => {
    const text = 'services:\n  api:\n    image: redis:7\n    x-archlint:\n      tls: terminate\n';
    const r = lintCompose({ files: [{ file: 'compose.yaml', text }] });
    expect(r.findings.filter((f) => BUILTIN.has(f.ruleId)).map((f) => f.message)).toEqual([]);
    expect(component(r, 'api').kind).toBe('cache');
  });
  it('an unknown rule in an override file`s x-archlint is flagged in that file, at the id', () => {
    const r = lintCompose({
      files: [
        { file: 'compose.yaml', text: 'services:\n  api:\n    image: acme/api\n' },
        { file: 'compose.override.yaml', text: 'x-archlint:\n  rules:\n    single-point-of-faliure: off\n' },
      ],
    });
    const [f] = r.findings.filter((x) => x.messageId === 'unknownRule');
    expect(f?.file).toBe('compose.override.yaml');
    expect(textAt(r, f!.range)).toBe('single-point-of-faliure');
    expect(f?.message).toContain('did you mean "single-point-of-failure"');
  });
});

describe('anchors and merge keys', () => {
  const r = lintFixture('anchors.yaml');
  it('merged keys count as the service`s own, its own keys win', () => {
    const collector = component(r, 'collector');
    expect(collector.replicas).toBe(3);
    expect(collector.healthCheck).toBeDefined();
    expect(deps(collector)).toEqual(['kafka', 'schema-registry']);
    expect(deps(component(r, 'enricher'))).toEqual(['geoip', 'kafka', 'schema-registry']);
    // kafka's own environment replaces the merged one (a merge key is shallow).
    expect(deps(component(r, 'kafka'))).toEqual([]);
    expect(deps(component(r, 'schema-registry'))).toEqual(['kafka']);
    expect(component(r, 'kafka').kind).toBe('queue');
  });
});

describe('extends', () => {
  it('in the same file: the base`s keys, the service`s own on top', () => {
    const r = lintFixture('extends.yaml');
    const mailer = component(r, 'mailer');
    expect(mailer.replicas).toBe(2);
    expect(mailer.healthCheck).toBeDefined();
    expect(deps(mailer)).toEqual(['db', 'queue']);
    expect(mailer.balancedBy).toBeUndefined();
  });
  it('from another file (extends.file), whose values keep their file', () => {
    const r = lintFixture('extends-file');
    const transcoder = component(r, 'transcoder');
    expect(deps(transcoder)).toEqual(['minio', 'nats']);
    expect(transcoder.healthCheck).toEqual({ interval: 20 });
    expect(transcoder.keys['health-check']!.value[2]).toBe(join(DIR, 'extends-file/shared/base.yaml'));
    expect(component(r, 'uploader').replicas).toBe(2);
    expect(r.model!.components.has('media-base')).toBe(false);
  });
});

describe('override files', () => {
  const r = lintFixture('override');
  const override = join(DIR, 'override/compose.override.yaml');
  it('replicas raised in the override, read from there', () => {
    const api = component(r, 'api');
    expect(api.replicas).toBe(3);
    expect(api.keys.replicas!.value[2]).toBe(override);
    expect(component(r, 'cache').replicas).toBe(1);
  });
  it('environment merged by variable across the files', () => {
    const api = component(r, 'api');
    expect(deps(api)).toEqual(['db', 'cache']);
    expect(api.dependsOn[0]!.range[2]).toBe(join(DIR, 'override/compose.yaml'));
    expect(api.dependsOn[1]!.range[2]).toBe(override);
  });
  it('the replicas fix edits the override, where the count is written', () => {
    const f = r.findings.find((x) => x.component === 'cache' && x.ruleId === 'single-point-of-failure')!;
    const [fix] = r.fixes(f);
    expect(fix!.edits.map((e) => [e.file, e.text])).toEqual([[override, '2']]);
  });
});

describe('include', () => {
  it('an included file`s services are the project`s, their findings in that file', () => {
    const r = lintFixture('include');
    const stores = join(DIR, 'include/infra/stores.yaml');
    expect([...r.model!.components.keys()].sort()).toEqual(['forum', 'postgres', 'redis', 'search']);
    expect(component(r, 'postgres').idRange[2]).toBe(stores);
    expect(deps(component(r, 'forum'))).toEqual(['postgres', 'redis', 'search']);
    expect([...r.files!.keys()]).toContain(stores);
  });
});

describe('profiles', () => {
  it('a service in a profile is left out unless the profile is active', () => {
    expect([...lintFixture('profiles.yaml').model!.components.keys()]).toEqual(['api', 'db']);
    const debug = lintFixture('profiles.yaml', ['debug']);
    expect([...debug.model!.components.keys()]).toEqual(['api', 'db', 'pgadmin']);
    expect(component(debug, 'pgadmin').public).toBe(true);
    expect(deps(component(debug, 'pgadmin'))).toEqual(['db']);
    const load = lintFixture('profiles.yaml', ['load']);
    expect(deps(component(load, 'loadgen'))).toEqual(['api']);
  });
});

describe('disable comments', () => {
  it('silence a finding in a compose file, with the reason given', () => {
    const r = lintFixture('disable-comment.yaml');
    expect(r.suppressed.map((f) => [f.ruleId, f.component, f.justification])).toEqual([
      ['single-point-of-failure', 'mariadb', "nightly backups, a day's downtime is acceptable"],
    ]);
  });
  it('silence a finding in an override file', () => {
    const r = lintFixture('disable-in-override');
    expect(r.suppressed.map((f) => [rel(f.file!), f.component, f.justification])).toEqual([
      ['disable-in-override/compose.override.yaml', 'status', 'a laptop runs one'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Fixes: where the new key goes, and what makes one unsafe.

/** A service's mapping in the one file a fix edits, after the fix, parsed. */
function serviceAfter(result: LintResult, fix: Fix, id: string): Record<string, unknown> {
  const fixed = applyFix(result, fix);
  expect(fixed.size).toBe(1);
  const value = parseDocument([...fixed.values()][0]!).toJS({ maxAliasCount: 100 }) as {
    services: Record<string, Record<string, unknown>>;
  };
  return value.services[id]!;
}
const guessedTest = { test: ['CMD-SHELL', expect.stringContaining('curl -fsS http://localhost')] };

function fixOf(result: LintResult, ruleId: string, id: string, index = 0): Fix {
  const f = result.findings.find((x) => x.ruleId === ruleId && x.component === id);
  if (!f) throw new Error(`no ${ruleId} on ${id}`);
  const fix = result.fixes(f)[index];
  if (!fix) throw new Error(`no fix for ${ruleId} on ${id}`);
  return fix;
}

describe('fixes', () => {
  it('replicas go to deploy.replicas under the service', () => {
    const r = lintFixture('depends-on.yaml');
    const fix = fixOf(r, 'single-point-of-failure', 'db');
    expect(fix.applicability).toBe('unsafe');
    const db = serviceAfter(r, fix, 'db');
    expect(db.deploy).toEqual({ replicas: 2 });
    expect(db.image).toBe('postgres:16');
  });

  it('replicas go into a deploy block the service already has', () => {
    const r = lintFixture('replicas.yaml');
    expect(serviceAfter(r, fixOf(r, 'single-point-of-failure', 'search'), 'search').deploy).toEqual({ replicas: 2 });
  });

  it('a container_name and a fixed host port make the replicas fix unsafe, and its title says why', () => {
    const r = lintFixture('container-name-port.yaml');
    const fix = fixOf(r, 'single-point-of-failure', 'nextcloud');
    expect(fix.applicability).toBe('unsafe');
    expect(fix.title).toContain(' — review: ');
    expect(fix.title).toContain('container_name nextcloud must go: two replicas cannot share one container name');
    expect(fix.title).toContain('the fixed host port 8080 must become a range or go');
    expect(fix.edits.every((e) => e.caution === undefined)).toBe(true);
    expect(fixOf(r, 'single-point-of-failure', 'postgres').title).toContain('container_name nextcloud-db must go');
    expect(fixOf(r, 'single-point-of-failure', 'redis').title).not.toContain('review');
  });

  it('a health check is a healthcheck block under the service, unsafe because its command is a guess', () => {
    const r = lintFixture('healthcheck.yaml');
    const fix = fixOf(r, 'missing-health-check', 'reports');
    expect(fix.applicability).toBe('unsafe');
    expect(fix.title).toMatch(/ — review: the test command is a guess/);
    expect(serviceAfter(r, fix, 'reports').healthcheck).toEqual({ ...guessedTest, interval: '10s', timeout: '5s', retries: 3 });
  });

  it('a disabled healthcheck gets its test in place: no second healthcheck key, disable removed', () => {
    const r = lintFixture('healthcheck.yaml');
    const fraud = serviceAfter(r, fixOf(r, 'missing-health-check', 'fraud'), 'fraud').healthcheck;
    expect(fraud).toEqual({ ...guessedTest, interval: '10s', timeout: '5s', retries: 3 });
    const notify = serviceAfter(r, fixOf(r, 'missing-health-check', 'notify'), 'notify').healthcheck;
    expect(notify).toEqual({ ...guessedTest, interval: '10s', timeout: '5s', retries: 3 });
  });

  it('a store`s health check uses its own client', () => {
    const r = lintFixture('x-archlint-service.yaml');
    // presence has a healthcheck; make one for a replicated redis that has none.
    const text = readFileSync(join(DIR, 'x-archlint-service.yaml'), 'utf8').replace(
      '    healthcheck:\n      test: ["CMD", "redis-cli", "ping"]\n',
      '',
    );
    const again = lintCompose({ files: [{ file: join(DIR, 'x-archlint-service.yaml'), text }] });
    const fix = fixOf(again, 'missing-health-check', 'presence');
    expect(fix.title).toContain('check that redis-cli runs in redis:7.2');
    expect(serviceAfter(again, fix, 'presence').healthcheck).toMatchObject({ test: ['CMD', 'redis-cli', 'ping'] });
    expect(r.findings.some((f) => f.component === 'presence')).toBe(false);
  });

  it('what Compose cannot say goes to the service`s x-archlint, unsafe: it only states it', () => {
    const r = lintFixture('wordpress.yaml');
    const tls = fixOf(r, 'plaintext-ingress', 'wordpress');
    expect(tls.applicability).toBe('unsafe');
    expect(tls.title).toContain('x-archlint only states it');
    expect(serviceAfter(r, tls, 'wordpress')['x-archlint']).toEqual({ tls: 'terminate' });
    const limit = serviceAfter(r, fixOf(r, 'anonymous-rate-limit', 'wordpress'), 'wordpress');
    expect(limit['x-archlint']).toEqual({ 'rate-limit': { anonymous: '60/min' } });
  });

  it('an existing x-archlint map takes the new key', () => {
    const r = lintFixture('extends.yaml');
    expect(serviceAfter(r, fixOf(r, 'shared-database', 'db'), 'db')['x-archlint']).toEqual({ owner: 'api' });
    const s = lintFixture('state-volumes.yaml');
    const fixes = s.fixes(s.findings.find((f) => f.ruleId === 'stateful-round-robin' && f.component === 'wiki')!);
    expect(fixes.length).toBeGreaterThan(0);
    for (const fix of fixes) expect(fix.applicability).toBe('unsafe');
  });

  it('never edits an anchor other services share, nor hides a merged deploy', () => {
    const text = [
      'x-common: &common',
      '  restart: always',
      '  deploy:',
      '    resources:',
      '      limits: { memory: 512M }',
      'x-one: &one',
      '  deploy:',
      '    replicas: 1',
      '',
      'services:',
      '  web:',
      '    image: nginx',
      '    ports: ["80:80"]',
      '    deploy: { replicas: 2 }',
      '    healthcheck: { test: [CMD, "true"] }',
      '    x-archlint: { tls: terminate, rate-limit: { anonymous: 1/s } }',
      '    depends_on: [db, cache]',
      '  db:',
      '    <<: *common',
      '    image: postgres',
      '  cache:',
      '    <<: *one',
      '    image: redis',
      '',
    ].join('\n');
    const r = lintCompose({ files: [{ file: 'compose.yaml', text }] });
    const spof = r.findings.filter((f) => f.ruleId === 'single-point-of-failure');
    expect(spof.map((f) => f.component).sort()).toEqual(['cache', 'db']);
    for (const f of spof) expect(r.fixes(f), `no fix for ${f.component}`).toEqual([]);
  });

  it('a deploy written in the override takes the replicas, not a second deploy key in the base', () => {
    const base =
      'services:\n  api:\n    image: acme/api\n    ports: ["80:80"]\n    deploy:\n      resources: { limits: { cpus: "1" } }\n';
    const over = 'services:\n  api:\n    deploy:\n      restart_policy: { condition: on-failure }\n';
    const r = lintCompose({
      files: [
        { file: 'compose.yaml', text: base },
        { file: 'compose.override.yaml', text: over },
      ],
    });
    const fix = fixOf(r, 'single-point-of-failure', 'api');
    expect(fix.edits.map((e) => e.file)).toEqual(['compose.override.yaml']);
    expect(serviceAfter(r, fix, 'api').deploy).toEqual({ restart_policy: { condition: 'on-failure' }, replicas: 2 });
  });
});

describe('exact expectations: every fixture pinned in a reviewed snapshot (test/sources/compose/__snapshots__)', () => {
  for (const fixture of fixtures()) {
    it(fixture.name, async () => {
      const result = lintFixture(fixture.name);
      await expect(projectSnapshot(fixture.name, DIR, result)).toMatchFileSnapshot(
        join(DIR, '__snapshots__', `${fixture.name.replace(/\.ya?ml$/, '')}.snap`),
      );
    });
  }
});
