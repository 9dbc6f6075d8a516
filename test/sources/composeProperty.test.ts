/**
 * lintCompose over arbitrary text and over generated compose-shaped projects (services with
 * ports, environment, depends_on, deploy, extends, x-archlint … of the right and the wrong
 * types, an override file, a file that `extends.file` and `include` name): it never throws,
 * every finding, related location and fix edit lies inside its own file, and two runs agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { lintCompose, type LintResult, type Offsets } from '../../extension/src/engine';

const RUNS = 200;

/** What is wrong with a range, for a file of the result (empty when nothing is). */
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

/** A lint as comparable data: findings with their fixes, suppressed findings. */
function snapshot(result: LintResult): string {
  return JSON.stringify({
    findings: result.findings.map((f) => ({ ...f, fixes: result.fixes(f) })),
    suppressed: result.suppressed,
  });
}

// --- generated values --------------------------------------------------------------------------

const NAMES = ['web', 'api', 'db', 'cache', 'worker', 'queue', 'info', 'Web', 'a.b', '<<', 'x-archlint', ''];
const name = fc.constantFrom(...NAMES);
/** Anything YAML can hold: what a wrong type looks like. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 100_000 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxKeys: 3 }),
);
const maybe = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: junk });

const hostValue = fc.oneof(
  name,
  name.map((n) => `${n}:5432`),
  name.map((n) => `postgres://u:p@${n}:5432/x`),
  name.map((n) => `\${HOST:-${n}}`),
  fc.constantFrom('${UNSET}', '${A:?required}', '$$literal', '${', 'info', 'wordpress'),
  fc.string({ maxLength: 16 }),
);
const envKey = fc.constantFrom('DB_HOST', 'REDIS_URL', 'LOG_LEVEL', 'MYSQL_USER', 'API_ENDPOINT', 'ES_HOSTS', 'IMAGE', 'X');
const environment = fc.oneof(
  fc.dictionary(envKey, maybe(hostValue), { maxKeys: 4 }),
  fc.array(
    fc.tuple(envKey, hostValue).map(([k, v]) => `${k}=${v}`),
    { maxLength: 4 },
  ),
);
const port = fc.oneof(
  fc.constantFrom(
    '80',
    '8080:80',
    '127.0.0.1:8080:80',
    '[::1]:443:443',
    '8000-8010:8000-8010',
    '53:53/udp',
    ':',
    '::',
    'a:b:c:d',
  ),
  fc.integer({ min: 0, max: 70_000 }),
  fc.record(
    {
      target: maybe(fc.integer({ min: 0, max: 65_535 })),
      published: maybe(fc.string({ maxLength: 5 })),
      host_ip: maybe(fc.constantFrom('127.0.0.1', '0.0.0.0')),
    },
    { requiredKeys: [] },
  ),
);
const dependsOn = fc.oneof(
  fc.array(name, { maxLength: 3 }),
  fc.dictionary(
    name,
    fc.record(
      { condition: maybe(fc.constantFrom('service_healthy', 'service_started')), required: maybe(fc.boolean()) },
      { requiredKeys: [] },
    ),
    { maxKeys: 3 },
  ),
);
const deploy = fc.record(
  {
    replicas: maybe(fc.oneof(fc.integer({ min: -1, max: 20_000 }), fc.constantFrom('${N:-2}', '2', 'two'))),
    mode: maybe(fc.constantFrom('global', 'replicated', 'replicated-job')),
    placement: maybe(
      fc.record(
        {
          constraints: maybe(
            fc.array(fc.constantFrom('node.labels.zone == eu-1', 'node.role == worker', 'node.labels.az==b', '=='), {
              maxLength: 2,
            }),
          ),
          preferences: maybe(
            fc.array(fc.record({ spread: maybe(fc.constantFrom('node.labels.zone', 'node.labels.rack')) }), { maxLength: 2 }),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    resources: maybe(fc.record({ limits: fc.record({ memory: fc.constantFrom('512M', '1G') }) })),
  },
  { requiredKeys: [] },
);
const xArchlint = fc.record(
  {
    kind: maybe(fc.constantFrom('service', 'database', 'cache', 'load-balancer', 'bogus')),
    replicas: maybe(fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant('per-node'))),
    state: maybe(fc.constantFrom('in-memory', 'local-disk', 'stateless', 'x')),
    'depends-on': maybe(fc.array(fc.oneof(name, fc.record({ component: name, optional: fc.boolean() })), { maxLength: 3 })),
    tls: maybe(fc.constantFrom('terminate', 'passthrough', 'none')),
    'rate-limit': maybe(fc.record({ anonymous: maybe(fc.constantFrom('60/min', '10/s', 'lots')) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const healthcheck = fc.record(
  {
    test: maybe(fc.oneof(fc.constant(['NONE']), fc.constant(['CMD', 'true']), fc.constant('curl -f http://localhost/'))),
    disable: maybe(fc.boolean()),
    interval: maybe(fc.constantFrom('10s', '1m30s', 'soon')),
  },
  { requiredKeys: [] },
);
const volume = fc.oneof(
  fc.constantFrom('data:/var/lib/data', './src:/app', './conf:/etc/conf:ro', '/tmp', 'a:b:c:d'),
  fc.record(
    {
      type: maybe(fc.constantFrom('volume', 'bind', 'tmpfs')),
      source: fc.constantFrom('data', './x'),
      target: fc.constantFrom('/d', '/x'),
      read_only: maybe(fc.boolean()),
    },
    { requiredKeys: [] },
  ),
);
const service = fc.record(
  {
    image: maybe(
      fc.constantFrom(
        'postgres:16',
        'redis@sha256:abc',
        'registry:5000/team/rabbitmq:3',
        'oliver006/redis_exporter',
        'nginx',
        '${IMG:-mysql}',
      ),
    ),
    ports: maybe(fc.array(port, { maxLength: 3 })),
    environment: maybe(environment),
    depends_on: maybe(dependsOn),
    links: maybe(
      fc.array(
        fc.oneof(
          name,
          name.map((n) => `${n}:alias`),
        ),
        { maxLength: 2 },
      ),
    ),
    network_mode: maybe(
      fc.oneof(
        name.map((n) => `service:${n}`),
        fc.constant('host'),
      ),
    ),
    command: maybe(
      fc.oneof(
        fc.constantFrom('sh -c "pg_isready -h db"', '--host=cache', ''),
        fc.array(fc.constantFrom('-h', 'db', '--host=api', 'http://web:80'), { maxLength: 4 }),
      ),
    ),
    entrypoint: maybe(fc.array(fc.constantFrom('/bin/app', '--redis-host', 'cache'), { maxLength: 3 })),
    container_name: maybe(name),
    hostname: maybe(name),
    networks: maybe(
      fc.oneof(
        fc.array(name, { maxLength: 2 }),
        fc.dictionary(name, fc.record({ aliases: maybe(fc.array(name, { maxLength: 2 })) }), { maxKeys: 2 }),
      ),
    ),
    deploy: maybe(deploy),
    scale: maybe(fc.integer({ min: -1, max: 5 })),
    healthcheck: maybe(healthcheck),
    volumes: maybe(fc.array(volume, { maxLength: 3 })),
    profiles: maybe(fc.array(fc.constantFrom('debug', 'load', '*'), { maxLength: 2 })),
    extends: maybe(
      fc.oneof(
        name,
        fc.record(
          { service: maybe(name), file: maybe(fc.constantFrom('base.yaml', 'missing.yaml', 'compose.yaml')) },
          { requiredKeys: [] },
        ),
      ),
    ),
    'x-archlint': maybe(xArchlint),
  },
  { requiredKeys: [] },
);
const project = fc.record(
  {
    services: maybe(fc.dictionary(name, maybe(service), { maxKeys: 5 })),
    'x-archlint': maybe(
      fc.record(
        {
          slo: maybe(fc.constantFrom('99.9%', 0.999, 'high')),
          zones: maybe(fc.oneof(fc.constant({ 'eu-1': {}, 'eu-2': {} }), fc.constant(['eu-1']))),
          rules: maybe(
            fc.dictionary(fc.constantFrom('single-point-of-failure', 'nope'), fc.constantFrom('off', 'warning', 'loud'), {
              maxKeys: 2,
            }),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    include: maybe(
      fc.array(
        fc.oneof(
          fc.constantFrom('base.yaml', 'missing.yaml', 'compose.yaml'),
          fc.record({ path: fc.constantFrom('base.yaml', 'x.yaml') }),
        ),
        { maxLength: 2 },
      ),
    ),
  },
  { requiredKeys: [] },
);

/** A comment line here and there, and the odd disable comment. */
const decorated = (text: string, comments: readonly string[]) => {
  const lines = text.split('\n');
  comments.forEach((c, i) => lines.splice((i * 7) % (lines.length + 1), 0, c));
  return lines.join('\n');
};
const comment = fc.constantFrom(
  '# a comment',
  '# archlint-disable-next-line single-point-of-failure',
  '  # archlint-disable-line',
  '# expect: x',
);

const yamlOf = (value: unknown, comments: readonly string[]) => {
  let text: string;
  try {
    text = stringify(value, { aliasDuplicateObjects: true });
  } catch {
    text = String(value);
  }
  return decorated(text, comments);
};

const files = fc.record({
  main: fc.tuple(project, fc.array(comment, { maxLength: 3 })),
  override: fc.option(fc.tuple(project, fc.array(comment, { maxLength: 2 })), { nil: undefined }),
  base: fc.option(project, { nil: undefined }),
  profiles: fc.option(fc.array(fc.constantFrom('debug', 'load', '*'), { maxLength: 2 }), { nil: undefined }),
});

function lintProject(input: { main: string; override?: string; base?: string; profiles?: string[] }): LintResult {
  const given = [{ file: '/p/compose.yaml', text: input.main }];
  if (input.override !== undefined) given.push({ file: '/p/compose.override.yaml', text: input.override });
  const readFile = (file: string) => (file === '/p/base.yaml' ? input.base : file === '/p/compose.yaml' ? input.main : undefined);
  return lintCompose({ files: given, readFile, profiles: input.profiles });
}

describe('lintCompose on generated input', () => {
  it('arbitrary text: never throws, ranges inside their file, deterministic', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc
        .array(
          fc.constantFrom(
            'services:\n',
            '  web:\n',
            '    image: redis\n',
            '    ports: ["80:80"]\n',
            '  - a\n',
            ': :\n',
            '\t',
            '&a ',
            '*a\n',
            '<<: *a\n',
            '{',
            '"',
            '\r\n',
            '\u2028',
          ),
          { maxLength: 20 },
        )
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, fc.option(text, { nil: undefined }), (main, override) => {
        const first = lintProject({ main, override });
        expect(problems(first)).toEqual([]);
        expect(snapshot(lintProject({ main, override }))).toBe(snapshot(first));
      }),
      { numRuns: RUNS },
    );
  });

  it('compose-shaped projects with right and wrong types: never throws, ranges inside their file, deterministic', () => {
    let withFindings = 0;
    fc.assert(
      fc.property(files, ({ main, override, base, profiles }) => {
        const input = {
          main: yamlOf(main[0], main[1]),
          override: override && yamlOf(override[0], override[1]),
          base: base && yamlOf(base, []),
          profiles,
        };
        const first = lintProject(input);
        if (first.findings.length > 0) withFindings++;
        expect(problems(first)).toEqual([]);
        expect(snapshot(lintProject(input))).toBe(snapshot(first));
      }),
      { numRuns: RUNS },
    );
    // The property means something only if the projects were read far enough to be flagged.
    expect(withFindings).toBeGreaterThan(RUNS / 4);
  });
});
