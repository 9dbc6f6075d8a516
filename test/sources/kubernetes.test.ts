/**
 * Kubernetes fixtures (test/sources/kubernetes/): every file is a set of manifests of its own.
 * Each must be flagged exactly on the lines marked `# expect: <rule-id>` (a JSON manifest, which
 * has no comments, pins its findings here), every fix must leave YAML with every comment kept,
 * and the model must say what docs/SOURCES.md's "Kubernetes → the model" table says.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyEdits, lintKubernetes, type Component, type LintResult } from '../../extension/src/engine';
import { expectedMarkers } from '../expectations';
import { projectSnapshot } from './snapshot';

const DIR = join(__dirname, 'kubernetes');
const MANIFEST = /\.(ya?ml|json)$/;
/** Each fixture: a file of its own, or a folder whose files are linted together. */
const FIXTURES: { name: string; files: string[] }[] = readdirSync(DIR)
  .sort()
  .filter((name) => name !== '__snapshots__')
  .flatMap((name) =>
    statSync(join(DIR, name)).isDirectory()
      ? [
          {
            name,
            files: readdirSync(join(DIR, name))
              .filter((f) => MANIFEST.test(f))
              .sort()
              .map((f) => `${name}/${f}`),
          },
        ]
      : MANIFEST.test(name)
        ? [{ name, files: [name] }]
        : [],
  );

function lintFiles(...names: string[]): LintResult {
  return lintKubernetes({ files: names.map((name) => ({ file: name, text: readFileSync(join(DIR, name), 'utf8') })) });
}

function lineOf(result: LintResult, file: string, offset: number): number {
  return result.files!.get(file)!.lines.position(offset).line + 1;
}

/** `file:line:rule` for each finding. */
function flagged(result: LintResult): string[] {
  return [...new Set(result.findings.map((f) => `${f.file}:${lineOf(result, f.file!, f.range[0])}:${f.ruleId}`))].sort();
}

function marked(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of files)
    for (const [line, ids] of expectedMarkers(readFileSync(join(DIR, name), 'utf8')))
      for (const id of ids) out.push(`${name}:${line}:${id}`);
  return out.sort();
}

/** What a JSON manifest's findings are (it cannot hold `# expect:` markers). */
const PINNED: Record<string, string[]> = {
  'list.json': ['list.json:16:single-point-of-failure', 'list.json:7:anonymous-rate-limit'],
};

const comments = (text: string) =>
  text
    .split('\n')
    .flatMap((line) => /(?:^|\s)(#.*)$/.exec(line)?.[1]?.trimEnd() ?? [])
    .filter((c) => !c.startsWith('# expect:'));

function inside(result: LintResult, range: readonly [number, number, string?], file: string | undefined) {
  expect(file).toBeDefined();
  expect(range[2] ?? file).toBe(file);
  const text = result.files!.get(file!)!.text;
  expect(range[0]).toBeGreaterThanOrEqual(0);
  expect(range[0]).toBeLessThanOrEqual(range[1]);
  expect(range[1]).toBeLessThanOrEqual(text.length);
}

describe('kubernetes fixtures', () => {
  for (const { name, files } of FIXTURES) {
    describe(name, () => {
      const result = lintFiles(...files);
      it('flags exactly the lines marked `# expect:` (or pinned, for JSON)', () => {
        expect(flagged(result)).toEqual(PINNED[name] ?? marked(files));
      });
      it('keeps every range, related location and fix edit inside its file', () => {
        for (const f of result.findings) {
          inside(result, f.range, f.file);
          for (const r of f.related ?? []) inside(result, r.range, r.file);
          for (const fix of result.fixes(f)) for (const e of fix.edits) inside(result, e.range, e.file);
        }
      });
      it('makes fixes that leave YAML with every comment kept', () => {
        for (const f of result.findings)
          for (const fix of result.fixes(f))
            for (const file of new Set(fix.edits.map((e) => e.file!))) {
              const text = result.files!.get(file)!.text;
              const after = applyEdits(
                text,
                fix.edits.filter((e) => e.file === file),
              );
              expect(
                parseAllDocuments(after).flatMap((d) => ('errors' in d ? d.errors : [])),
                fix.title,
              ).toEqual([]);
              expect(comments(after), fix.title).toEqual(comments(text));
            }
      });
    });
  }
});

const component = (result: LintResult, id: string): Component => {
  const c = result.model?.components.get(id);
  if (!c) throw new Error(`no component ${id}: ${[...(result.model?.components.keys() ?? [])].join(', ')}`);
  return c;
};
const deps = (c: Component) =>
  c.dependsOn.map((d) => (d.type === 'component' ? d.target.id : d.members.map((m) => m.id).join('|')));
const textAt = (result: LintResult, r: readonly [number, number, string?]) => result.files!.get(r[2]!)!.text.slice(r[0], r[1]);

describe('kubernetes → the model', () => {
  it('reads a helm template stream of a shop: kinds, counts, pools, balancers, zones, dependencies', () => {
    const r = lintFiles('shop.yaml');
    expect([...r.model!.components.keys()]).toEqual([
      'frontend',
      'checkout',
      'payments',
      'redis',
      'postgres',
      'frontend-service',
      'shop',
    ]);
    expect(component(r, 'redis').kind).toBe('cache');
    expect(component(r, 'postgres').kind).toBe('database');
    expect(component(r, 'payments').replicas).toBe(1);
    expect(deps(component(r, 'checkout'))).toEqual(['payments', 'redis', 'postgres']);
    expect(deps(component(r, 'frontend'))).toEqual(['checkout']);
    expect(component(r, 'checkout').balancedBy).toBe('kube-proxy');
    expect(component(r, 'frontend').zones.map((z) => z.id)).toEqual(['eu-1a', 'eu-1b']);
    const ingress = component(r, 'shop');
    expect([ingress.kind, ingress.public, ingress.entry, ingress.replicas, ingress.tls]).toEqual([
      'load-balancer',
      true,
      true,
      2,
      'terminate',
    ]);
    expect(ingress.routesTo.map((x) => x.id)).toEqual(['frontend']);
    expect(ingress.rateLimit).toEqual({ anonymous: 20 });
    expect(component(r, 'frontend-service').tls).toBe('none');
    expect(component(r, 'checkout').entry).toBe(false);
    expect(r.origins!.get('redis')!.get('kind')).toMatch(/shop\.yaml:\d+ Deployment redis image: redis:7.2-alpine is a cache/);
  });

  it('fixes a single replica at spec.replicas and adds one where none is written', () => {
    const r = lintFiles('shop.yaml');
    const payments = r.findings.find((f) => f.component === 'payments')!;
    const [fix] = r.fixes(payments);
    expect(fix!.edits.some((e) => e.text === '2' && textAt(r, e.range) === '1')).toBe(true);
    const redis = r.findings.find((f) => f.component === 'redis')!;
    expect(applyEdits(r.files!.get('shop.yaml')!.text, r.fixes(redis)[0]!.edits)).toContain('  replicas: 2\n');
  });

  it('makes a Service over two Deployments one pool, and a dependency on it an any-of', () => {
    const r = lintFiles('service-two-deployments.yaml');
    expect(deps(component(r, 'web'))).toEqual(['api-blue|api-green']);
    expect(component(r, 'api-blue').balancedBy).toBe('kube-proxy');
    expect(component(r, 'web').public).toBe(true);
  });

  it('reports a selector that matches nothing at the selector, as a source finding', () => {
    const r = lintFiles('selector-matches-nothing.yaml');
    const f = r.findings.find((x) => x.messageId === 'selectorMatchesNothing')!;
    expect(f.ruleId).toBe('source');
    expect(f.message).toContain('app=order');
  });

  it('reads a bare pod as a pet, and a pod a ReplicaSet adopts as none', () => {
    const r = lintFiles('bare-pod.yaml');
    expect(component(r, 'web-debug').lifecycle).toBe('pet');
    expect(r.model!.components.has('worker-7f9c')).toBe(false);
    // The Ingress's backend Service pools both: any of them serves, so the pet alone is no single point of failure.
    expect(component(r, 'web-ingress').routesTo).toEqual([]);
    expect(deps(component(r, 'web-ingress'))).toEqual(['web|web-debug']);
    expect(component(r, 'web-debug').balancedBy).toBe('kube-proxy');
    expect(component(r, 'web-ingress').rateLimit).toEqual({ anonymous: 10 });
  });

  it('reads an HPA as autoscale, with and without minReplicas, and fixes minReplicas in the HPA', () => {
    const r = lintFiles('hpa.yaml');
    expect(component(r, 'api').autoscale).toEqual({ min: 1, max: 10 });
    expect(component(r, 'search').autoscale).toEqual({ min: 1, max: 4 });
    const api = r.findings.find((f) => f.component === 'api' && f.ruleId === 'single-point-of-failure')!;
    const after = applyEdits(r.files!.get('hpa.yaml')!.text, r.fixes(api)[0]!.edits);
    expect(after).toContain('minReplicas: 2 # expect: single-point-of-failure');
    const search = r.findings.find((f) => f.component === 'search' && f.ruleId === 'single-point-of-failure')!;
    expect(applyEdits(r.files!.get('hpa.yaml')!.text, r.fixes(search)[0]!.edits)).toMatch(/minReplicas: 2/);
  });

  it('says in Kubernetes words why a livenessProbe is no health check, and copies it as a readinessProbe (safe)', () => {
    const r = lintFiles('liveness-only.yaml');
    const f = r.findings.find((x) => x.ruleId === 'missing-health-check')!;
    expect(f.message).toContain('never takes it out of a Service’s endpoints');
    const [fix] = r.fixes(f);
    expect(fix!.applicability).toBe('safe');
    const after = applyEdits(r.files!.get('liveness-only.yaml')!.text, fix!.edits);
    expect(after).toMatch(/readinessProbe:\n\s+httpGet:/);
    expect(lintKubernetes({ files: [{ file: 'liveness-only.yaml', text: after }] }).findings).toEqual([]);
  });

  it('makes no edge from LOG_LEVEL=info to a Service called info, but one from a host flag', () => {
    const r = lintFiles('log-level.yaml');
    expect(deps(component(r, 'report'))).toEqual([]);
    expect(deps(component(r, 'backfill'))).toEqual(['info']);
    expect(component(r, 'report').kind).toBe('worker');
  });

  it('qualifies ids shared by two namespaces and resolves names in their own namespace', () => {
    const r = lintFiles('namespaces.yaml');
    expect([...r.model!.components.keys()]).toEqual(['team-a/api', 'team-b/api', 'client', 'cache']);
    // The env entry's value comes from a ConfigMap key (valueFrom.configMapKeyRef).
    expect(deps(component(r, 'client'))).toEqual(['cache', 'team-a/api', 'team-b/api']);
    expect(component(r, 'cache').kind).toBe('cache');
  });

  it('skips a Helm template with an info', () => {
    const r = lintFiles('helm-template.yaml');
    expect(r.findings.map((f) => [f.ruleId, f.severity])).toEqual([['source', 'info']]);
    expect(r.model).toBeUndefined();
  });

  it('reads JSON and kind: List; sessionAffinity: ClientIP is a sticky kube-proxy', () => {
    const json = lintFiles('list.json');
    expect(component(json, 'gateway').tls).toBe('passthrough');
    const list = lintFiles('kind-list.yaml');
    const session = component(list, 'session');
    expect([session.balancedBy, session.platformBalancing, session.deploy?.strategy]).toEqual([
      'kube-proxy',
      'ip-hash',
      'recreate',
    ]);
    const sticky = list.findings.find((f) => f.ruleId === 'sticky-sessions')!;
    expect(textAt(list, sticky.range)).toBe('ClientIP');
    const [fix] = list.fixes(sticky);
    expect(fix!.applicability).toBe('unsafe');
    const after = applyEdits(list.files!.get('kind-list.yaml')!.text, fix!.edits);
    expect(after).not.toContain('sessionAffinity');
    expect(
      component(lintKubernetes({ files: [{ file: 'kind-list.yaml', text: after }] }), 'session').platformBalancing,
    ).toBeUndefined();
  });

  it('reads archlint.dev annotations with the format syntax, and a bad value is an error at the value', () => {
    const r = lintFiles('annotations.yaml');
    const ledger = component(r, 'ledger');
    expect([ledger.kind, ledger.replication, ledger.failover?.mode, ledger.availability]).toEqual([
      'database',
      'async',
      'automatic',
      undefined,
    ]);
    expect(deps(component(r, 'billing'))).toEqual(['ledger', 'mailer']);
    expect(component(r, 'billing').dependsOn[1]!.optional).toBe(true);
    const bad = r.findings.filter((f) => f.ruleId === 'schema').map((f) => [f.severity, textAt(r, f.range)]);
    expect(bad).toEqual([
      ['error', '200%'],
      ['error', 'archlint.dev/replica'],
      ['error', 'sometimes'],
    ]);
  });

  it('reads a Gateway with its HTTPRoutes, claims and hostPaths as state, zones spread and pinned, a DaemonSet per node', () => {
    const r = lintFiles('gateway-state-zones.yaml');
    const gateway = component(r, 'public');
    expect([gateway.kind, gateway.entry, gateway.tls, gateway.rateLimit]).toEqual([
      'load-balancer',
      true,
      'terminate',
      { anonymous: 100 },
    ]);
    expect(gateway.routesTo.map((x) => x.id)).toEqual(['uploads']);
    expect(component(r, 'uploads').state).toBe('local-disk');
    expect(component(r, 'uploads').zones.map((z) => z.id)).toEqual(['eu-1a', 'eu-1b', 'eu-1c']);
    expect(component(r, 'thumbnails').zones.map((z) => z.id)).toEqual(['eu-1a']);
    expect(deps(component(r, 'thumbnails'))).toEqual(['uploads']);
    const shipper = component(r, 'log-shipper');
    expect([shipper.replicasSource, shipper.state, shipper.kind]).toEqual(['per-node', 'local-disk', 'worker']);
  });

  it("spreads over the configuration's zones when the manifests declare none, and pins nowhere without zones", () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: spread }',
      'spec:',
      '  replicas: 2',
      '  template:',
      '    spec:',
      '      topologySpreadConstraints: [{ topologyKey: topology.kubernetes.io/zone }]',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: pinned }',
      'spec:',
      '  template:',
      '    spec:',
      '      nodeSelector: { topology.kubernetes.io/zone: eu-1a }',
      '',
    ].join('\n');
    const files = [{ file: 'z.yaml', text }];
    const bare = lintKubernetes({ files });
    expect([component(bare, 'spread').zones, component(bare, 'pinned').zones]).toEqual([[], []]);
    expect(bare.findings.filter((f) => f.ruleId === 'unknown-reference')).toEqual([]);
    const zones = new Map([
      ['eu-1a', {}],
      ['eu-1b', {}],
    ]);
    const configured = lintKubernetes({ files }, { sourceDefaults: { zones } });
    expect(component(configured, 'spread').zones.map((z) => z.id)).toEqual(['eu-1a', 'eu-1b']);
    expect(component(configured, 'pinned').zones.map((z) => z.id)).toEqual(['eu-1a']);
  });

  it('honours a disable comment in a manifest, with its reason', () => {
    const r = lintFiles('disable-comment.yaml');
    expect(r.suppressed.map((f) => [f.ruleId, f.component, f.justification])).toEqual([
      ['single-point-of-failure', 'reports', "internal reports, an hour's downtime is fine"],
    ]);
  });

  it("reads one object per file as one architecture, and fixes the count in the HPA's own file", () => {
    const r = lintFiles('folder/deployment.yaml', 'folder/service.yaml', 'folder/hpa.yaml', 'folder/ingress.yaml');
    const f = r.findings.find((x) => x.ruleId === 'single-point-of-failure')!;
    expect([f.file, f.component]).toEqual(['folder/hpa.yaml', 'catalog']);
    const [fix] = r.fixes(f);
    expect(fix!.edits.map((e) => [e.file, e.text])).toEqual([['folder/hpa.yaml', '2']]);
  });

  it('lints several files as one architecture', () => {
    const r = lintFiles('shop.yaml', 'log-level.yaml');
    expect(r.model!.components.has('payments') && r.model!.components.has('backfill')).toBe(true);
  });

  it('gives the same findings and fixes when the files it read last time are reused (the editor keeps them between keystrokes)', () => {
    const names = FIXTURES.flatMap((f) => f.files);
    const texts = names.map((file) => ({ file, text: readFileSync(join(DIR, file), 'utf8') }));
    const fresh = projectSnapshot('all', DIR, lintKubernetes({ files: texts }));
    const cache = new Map() as NonNullable<Parameters<typeof lintKubernetes>[0]['cache']>;
    expect(projectSnapshot('all', DIR, lintKubernetes({ files: texts, cache }))).toBe(fresh);
    // Every file read comes from the cache now, and all of it again after one file changes and changes back.
    expect([...cache.keys()]).toEqual(names);
    expect(projectSnapshot('all', DIR, lintKubernetes({ files: texts, cache }))).toBe(fresh);
    const edited = texts.map((t) =>
      t.file === 'shop.yaml' ? { ...t, text: t.text.replace('replicas: 1 #', 'replicas: 2 #') } : t,
    );
    expect(projectSnapshot('all', DIR, lintKubernetes({ files: edited, cache }))).toBe(
      projectSnapshot('all', DIR, lintKubernetes({ files: edited })),
    );
    expect(projectSnapshot('all', DIR, lintKubernetes({ files: texts, cache }))).toBe(fresh);
    // A file left out of the set is forgotten.
    lintKubernetes({ files: texts.slice(1), cache });
    expect(cache.has(names[0]!)).toBe(false);
  });
});

describe('exact expectations: every fixture pinned in a reviewed snapshot (test/sources/kubernetes/__snapshots__)', () => {
  for (const fixture of FIXTURES) {
    it(fixture.name, async () => {
      const result = lintFiles(...fixture.files);
      await expect(projectSnapshot(fixture.name, DIR, result)).toMatchFileSnapshot(
        join(DIR, '__snapshots__', `${fixture.name.replace(/\.(ya?ml|json)$/, '')}.snap`),
      );
    });
  }
});
