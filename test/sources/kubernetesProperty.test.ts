/**
 * lintKubernetes over arbitrary text and over generated manifest-shaped streams (workloads,
 * Services, Ingresses, HPAs, PVCs, ConfigMaps, Lists, with values of the right and the wrong
 * types and `archlint.dev` annotations good and bad, split over files, as YAML or JSON): it
 * never throws, every finding, related location and fix edit lies inside its own file, and two
 * runs agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { lintKubernetes, type LintResult, type Offsets } from '../../extension/src/engine';

const RUNS = 150;

function rangeProblem(result: LintResult, range: Offsets, file: string | undefined, what: string): string[] {
  if (file === undefined) return [`${what}: no file`];
  if (range[2] !== undefined && range[2] !== file) return [`${what}: range in ${range[2]}, file ${file}`];
  const text = result.files?.get(file)?.text;
  if (text === undefined) return [`${what}: ${file} is not a file of the result`];
  const [start, end] = range;
  const ok = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length;
  return ok ? [] : [`${what}: [${start}, ${end}] outside ${file} (${text.length})`];
}

function problems(result: LintResult): string[] {
  const out: string[] = [];
  for (const f of [...result.findings, ...result.suppressed]) {
    out.push(...rangeProblem(result, f.range, f.file, f.ruleId));
    for (const r of f.related ?? []) out.push(...rangeProblem(result, r.range, r.file, `${f.ruleId} related`));
    for (const fix of result.fixes(f))
      for (const e of fix.edits) out.push(...rangeProblem(result, e.range, e.file, `${f.ruleId} fix "${fix.title}"`));
  }
  return out;
}

const snapshot = (result: LintResult) =>
  JSON.stringify({ findings: result.findings.map((f) => ({ ...f, fixes: result.fixes(f) })), suppressed: result.suppressed });

// --- generated values --------------------------------------------------------------------------

const NAMES = ['web', 'api', 'db', 'cache', 'info', 'Web', 'a.b', 'api.other', ''];
const name = fc.constantFrom(...NAMES);
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 100_000 }),
  fc.string({ maxLength: 10 }),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxKeys: 3 }),
);
const maybe = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: junk });
const labels = fc.dictionary(fc.constantFrom('app', 'tier'), name, { maxKeys: 2 });
const namespace = fc.constantFrom(undefined, 'default', 'shop', 'other');
const annotations = fc.dictionary(
  fc.constantFrom(
    'archlint.dev/kind',
    'archlint.dev/replicas',
    'archlint.dev/depends-on',
    'archlint.dev/state',
    'archlint.dev/zones',
    'archlint.dev/availability',
    'archlint.dev/bogus',
    'nginx.ingress.kubernetes.io/limit-rps',
    'nginx.ingress.kubernetes.io/affinity',
    'service.beta.kubernetes.io/aws-load-balancer-ssl-cert',
  ),
  fc.oneof(
    fc.constantFrom(
      'cache',
      '3',
      'api, db?, web|info',
      'in-memory',
      'eu-1, eu-2',
      '99.9%',
      '200%',
      'cookie',
      '{min: 2}',
      '[',
      '{',
    ),
    fc.string({ maxLength: 8 }),
  ),
  { maxKeys: 3 },
);
const metadata = fc.record(
  { name: maybe(name), namespace, labels: maybe(labels), annotations: maybe(annotations) },
  { requiredKeys: ['name'] },
);
const hostValue = fc.oneof(
  name,
  name.map((n) => `${n}:5432`),
  name.map((n) => `http://${n}.shop.svc.cluster.local:80/x`),
  fc.string({ maxLength: 12 }),
);
const probe = fc.oneof(
  fc.record({ httpGet: fc.record({ path: fc.constantFrom('/ready', '/'), port: fc.integer({ min: 0, max: 9000 }) }) }),
  junk,
);
const container = fc.record(
  {
    name: fc.constantFrom('main', 'side'),
    image: maybe(fc.constantFrom('redis:7', 'postgres:16', 'example/app:1', 'bitnami/kafka', '')),
    ports: maybe(fc.array(fc.record({ containerPort: maybe(fc.integer({ min: 0, max: 9000 })) }), { maxLength: 2 })),
    env: maybe(
      fc.array(fc.record({ name: fc.constantFrom('DB_HOST', 'LOG_LEVEL', 'API_URL', 'X'), value: maybe(hostValue) }), {
        maxLength: 3,
      }),
    ),
    envFrom: maybe(fc.array(fc.record({ configMapRef: fc.record({ name }) }), { maxLength: 1 })),
    command: maybe(
      fc.array(fc.oneof(fc.constantFrom('-h', '--host', 'sh -c "redis-cli -h cache"'), hostValue), { maxLength: 3 }),
    ),
    readinessProbe: fc.option(probe, { nil: undefined }),
    livenessProbe: fc.option(probe, { nil: undefined }),
    volumeMounts: maybe(
      fc.array(fc.record({ name: fc.constantFrom('data', 'tmp'), readOnly: maybe(fc.boolean()) }), { maxLength: 2 }),
    ),
  },
  { requiredKeys: ['name'] },
);
const podSpec = fc.record(
  {
    containers: maybe(fc.array(container, { maxLength: 2 })),
    volumes: maybe(
      fc.array(
        fc.oneof(
          fc.record({ name: fc.constant('data'), persistentVolumeClaim: fc.record({ claimName: name }) }),
          fc.record({ name: fc.constant('data'), hostPath: fc.record({ path: fc.constant('/x') }) }),
          fc.record({ name: fc.constant('tmp'), emptyDir: fc.constant({}) }),
        ),
        { maxLength: 2 },
      ),
    ),
    nodeName: fc.option(fc.constant('node-1'), { nil: undefined }),
    nodeSelector: fc.option(fc.record({ 'topology.kubernetes.io/zone': fc.constantFrom('eu-1', 'eu-2') }), { nil: undefined }),
    topologySpreadConstraints: fc.option(
      fc.array(fc.record({ topologyKey: fc.constantFrom('topology.kubernetes.io/zone', 'x') })),
      {
        nil: undefined,
      },
    ),
  },
  { requiredKeys: [] },
);
const workload = fc.record({
  apiVersion: fc.constant('apps/v1'),
  kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'),
  metadata,
  spec: fc.record(
    {
      replicas: maybe(fc.integer({ min: 0, max: 20_000 })),
      selector: maybe(fc.record({ matchLabels: labels })),
      strategy: maybe(fc.record({ type: fc.constantFrom('Recreate', 'RollingUpdate') })),
      template: maybe(fc.record({ metadata: fc.record({ labels: maybe(labels) }), spec: podSpec })),
      jobTemplate: maybe(fc.record({ spec: fc.record({ template: fc.record({ spec: podSpec }) }) })),
    },
    { requiredKeys: [] },
  ),
});
const pod = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata, spec: podSpec });
const service = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Service'),
  metadata,
  spec: fc.record(
    {
      type: maybe(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer')),
      selector: maybe(labels),
      sessionAffinity: maybe(fc.constantFrom('ClientIP', 'None')),
      ports: maybe(fc.array(fc.record({ port: maybe(fc.constantFrom(80, 443)) }), { maxLength: 2 })),
    },
    { requiredKeys: [] },
  ),
});
const ingress = fc.record({
  apiVersion: fc.constant('networking.k8s.io/v1'),
  kind: fc.constant('Ingress'),
  metadata,
  spec: fc.record(
    {
      tls: maybe(fc.array(fc.record({ hosts: maybe(fc.array(fc.constantFrom('a.example', '*.example'))) }), { maxLength: 1 })),
      defaultBackend: maybe(fc.record({ service: fc.record({ name }) })),
      rules: maybe(
        fc.array(
          fc.record({
            host: maybe(fc.constantFrom('a.example', 'b.example')),
            http: fc.record({
              paths: fc.array(fc.record({ backend: maybe(fc.record({ service: fc.record({ name }) })) }), { maxLength: 2 }),
            }),
          }),
          { maxLength: 2 },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
});
const hpa = fc.record({
  apiVersion: fc.constant('autoscaling/v2'),
  kind: fc.constant('HorizontalPodAutoscaler'),
  metadata,
  spec: fc.record(
    {
      scaleTargetRef: maybe(fc.record({ kind: fc.constantFrom('Deployment', 'StatefulSet'), name })),
      minReplicas: maybe(fc.integer({ min: 0, max: 5 })),
      maxReplicas: maybe(fc.integer({ min: 0, max: 50 })),
    },
    { requiredKeys: [] },
  ),
});
const others = fc.oneof(
  fc.record({
    apiVersion: fc.constant('v1'),
    kind: fc.constant('PersistentVolumeClaim'),
    metadata,
    spec: fc.record({ accessModes: maybe(fc.array(fc.constantFrom('ReadWriteOnce', 'ReadWriteMany'))) }),
  }),
  fc.record({
    apiVersion: fc.constant('v1'),
    kind: fc.constant('ConfigMap'),
    metadata,
    data: maybe(fc.dictionary(fc.constantFrom('DB_HOST', 'X'), hostValue)),
  }),
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Namespace'), metadata }),
  junk,
);
const object = fc.oneof(workload, pod, service, ingress, hpa, others);
const stream = fc.array(object, { maxLength: 8 });

/** Objects as files: multi-document YAML, a List, or JSON; split over one or two files. */
const files = fc
  .tuple(stream, fc.constantFrom('yaml', 'list', 'json'), fc.integer({ min: 1, max: 2 }))
  .map(([objects, form, count]) => {
    const out: { file: string; text: string }[] = [];
    for (let i = 0; i < count; i++) {
      const part = objects.filter((_, j) => j % count === i);
      const text =
        form === 'json'
          ? JSON.stringify({ apiVersion: 'v1', kind: 'List', items: part }, null, 2)
          : form === 'list'
            ? stringify({ apiVersion: 'v1', kind: 'List', items: part })
            : part.map((o) => `# Source: chart/templates/x.yaml\n${stringify(o)}`).join('---\n');
      out.push({ file: `m${i}.${form === 'json' ? 'json' : 'yaml'}`, text });
    }
    return out;
  });

describe('lintKubernetes on any input', () => {
  it('never throws on any text, and keeps ranges inside the file', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = lintKubernetes({ files: [{ file: 'x.yaml', text }] });
        expect(problems(result)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on manifest-shaped streams, keeps every range in its file, and is deterministic', () => {
    let withComponents = 0;
    let withFixes = 0;
    fc.assert(
      fc.property(files, (input) => {
        const result = lintKubernetes({ files: input });
        if ((result.model?.components.size ?? 0) > 0) withComponents++;
        if (result.findings.some((f) => result.fixes(f).length > 0)) withFixes++;
        expect(problems(result)).toEqual([]);
        expect(snapshot(lintKubernetes({ files: input }))).toBe(snapshot(result));
      }),
      { numRuns: RUNS },
    );
    // The generator reaches the adapter and the fixes, not only the reader's early exits.
    expect(withComponents).toBeGreaterThan(RUNS / 4);
    expect(withFixes).toBeGreaterThan(0);
  });
});
