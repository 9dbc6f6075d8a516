/**
 * `archlint lint`, `availability`, `diagram` and `model` on Docker Compose projects, as a user
 * runs them: the CLI as a process, in a folder holding only a compose file (and its override).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, archlintWithInput, buildCliOnce, tempTree } from './setup';

beforeAll(buildCliOnce);

/** A typical web + api + postgres + redis project (the README's worked example has the same shape). */
const SHOP = `# shop: web in front of an api, postgres and redis
services:
  web:
    image: nginx:1.27
    ports:
      - "80:80"
    depends_on:
      - api

  api:
    build: ./api
    deploy:
      replicas: 3
    environment:
      DATABASE_URL: postgres://app:\${DB_PASSWORD:-secret}@db:5432/app
      REDIS_HOST: cache
      LOG_LEVEL: info

  db:
    image: postgres:16-alpine
    volumes:
      - pgdata:/var/lib/postgresql/data

  cache:
    image: redis:7
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 10s

volumes:
  pgdata:
`;

/** Each line of `stylish` output that names a finding: `line:col severity … rule`. */
const findingLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => /^\s+\d+:\d+\s/.test(l))
    .map((l) => {
      const m = /^\s+(\d+):\d+\s+(\w+)\s+.*\s(\S+)$/.exec(l)!;
      return `${m[1]} ${m[2]} ${m[3]}`;
    });

describe('archlint lint on a folder holding only a compose file', () => {
  it('finds compose.yaml with no paths and reports each finding on the service it is about', () => {
    const dir = tempTree({ 'compose.yaml': SHOP });
    const r = archlint(['lint'], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('compose.yaml');
    expect(findingLines(r.stdout)).toEqual([
      '3 error single-point-of-failure', // web: one replica, and it is the entry point
      '6 warning anonymous-rate-limit', // its published port
      '6 warning plaintext-ingress',
      '10 warning missing-health-check', // api: three replicas behind Docker's DNS, no healthcheck
      '19 error single-point-of-failure', // db
      '24 error single-point-of-failure', // cache
    ]);
  });

  it("names each finding's component in JSON, and the health-check fix is a guess to review", () => {
    const dir = tempTree({ 'compose.yaml': SHOP });
    const r = archlint(['lint', '--format', 'json'], dir);
    const [result] = JSON.parse(r.stdout) as {
      messages: { ruleId: string; component?: string; fix?: unknown; suggestions?: { desc: string }[] }[];
    }[];
    expect(result!.messages.every((m) => typeof m.component === 'string')).toBe(true);
    const health = result!.messages.find((m) => m.ruleId === 'missing-health-check')!;
    expect(health.component).toBe('api');
    expect(health.fix).toBeUndefined();
    expect(health.suggestions?.[0]?.desc).toMatch(/^Add a health check to api — review: the test command is a guess/);
    const web = result!.messages.find((m) => m.ruleId === 'single-point-of-failure' && m.component === 'web')!;
    expect(web.suggestions?.[0]?.desc).toContain('the fixed host port 80 must become a range or go');
  });

  it('merges compose.override.yaml: replicas raised there silence the finding, and findings land in the file that wrote them', () => {
    const dir = tempTree({
      'compose.yaml': SHOP,
      'compose.override.yaml': 'services:\n  db:\n    deploy:\n      replicas: 2\n  cache:\n    deploy:\n      replicas: 2\n',
    });
    const r = archlint(['lint', '--format', 'json'], dir);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; component?: string }[] }[];
    expect(results.map((x) => x.filePath.split('/').pop()).sort()).toEqual(['compose.override.yaml', 'compose.yaml']);
    const all = results.flatMap((x) => x.messages.map((m) => `${m.ruleId} ${m.component}`));
    expect(all).not.toContain('single-point-of-failure db');
    expect(all).not.toContain('single-point-of-failure cache');
    expect(all).toContain('single-point-of-failure web');
  });

  it('--compose merges exactly the files given, in order; --profile activates a profile', () => {
    const dir = tempTree({
      'base.yml': SHOP.replace(
        '  cache:\n',
        '  debug:\n    image: busybox\n    profiles: [debug]\n    depends_on: [nothere]\n  cache:\n',
      ),
      'prod.yml': 'services:\n  web:\n    deploy:\n      replicas: 2\n',
    });
    const one = archlint(['lint', '--compose', 'base.yml', '--format', 'json'], dir);
    const ids = (out: string) =>
      (JSON.parse(out) as { messages: { ruleId: string; component?: string }[] }[]).flatMap((x) =>
        x.messages.map((m) => `${m.ruleId} ${m.component}`),
      );
    expect(ids(one.stdout)).toContain('single-point-of-failure web');
    expect(ids(one.stdout)).not.toContain('unknown-reference debug'); // debug's profile is not active
    const both = archlint(['lint', '--compose', 'base.yml', '--compose', 'prod.yml', '--format', 'json'], dir);
    expect(ids(both.stdout)).not.toContain('single-point-of-failure web');
    const debug = archlint(['lint', '--compose', 'base.yml', '--profile', 'debug', '--format', 'json'], dir);
    expect(ids(debug.stdout)).toContain('unknown-reference debug');
  });

  it("the configuration's architectures group compose files of other names into one project, linted once", () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'archlint.config.yaml': 'architectures:\n  - name: shop\n    compose: [deploy/compose.yaml, deploy/compose.prod.yaml]\n',
      'deploy/compose.yaml': SHOP,
      'deploy/compose.prod.yaml': 'services:\n  web:\n    deploy:\n      replicas: 2\n',
    });
    const r = archlint(['lint', '--format', 'json'], dir);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; component?: string }[] }[];
    expect(results.map((x) => x.filePath.split('/').slice(-2).join('/'))).toEqual([
      'deploy/compose.yaml',
      'deploy/compose.prod.yaml',
    ]);
    const all = results.flatMap((x) => x.messages.map((m) => `${m.ruleId} ${m.component}`));
    expect(all).not.toContain('single-point-of-failure web');
    expect(all).toContain('single-point-of-failure db');
  });

  it('a file another project includes is linted there, once; a depends_on on a service its profile leaves out makes no edge', () => {
    const dir = tempTree({
      'compose.yaml':
        'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: nginx\n    deploy: { replicas: 2 }\n    depends_on: [db, debug]\n  debug:\n    image: busybox\n    profiles: [debug]\n',
      'sub/compose.yaml': 'services:\n  db:\n    image: postgres:16\n',
    });
    const results = JSON.parse(archlint(['lint', '--format', 'json'], dir).stdout) as {
      filePath: string;
      messages: { ruleId: string; component?: string }[];
    }[];
    expect(results.map((x) => x.filePath.slice(dir.length + 1)).sort()).toEqual(['compose.yaml', 'sub/compose.yaml']);
    const all = results.flatMap((x) => x.messages.map((m) => `${m.ruleId} ${m.component}`));
    // db is linted with web, which needs it: its loss takes web down (not "db, itself an entry point").
    expect(all).toContain('single-point-of-failure db');
    expect(all).not.toContain('unknown-reference web');
    const model = archlint(['model', 'compose.yaml'], dir).stdout;
    expect(model).toContain('# from sub/compose.yaml:3 image');
    expect(model).not.toMatch(/- debug/);
  });

  it('--fix applies the safe fixes in the file each edits, the override included, keeping comments', () => {
    const base =
      'services:\n  api:\n    image: example/api:1\n    deploy: { replicas: 2 }\n    healthcheck: { test: ["CMD", "true"] }\n    depends_on: [dbb] # the database\n  db:\n    image: postgres:16\n    deploy: { replicas: 2 }\n';
    const override = 'services:\n  worker:\n    image: example/worker:1\n    depends_on: [apii] # calls the api\n';
    const dir = tempTree({ 'compose.yaml': base, 'compose.override.yaml': override });
    const r = archlint(['lint', '--fix', '--format', 'json'], dir);
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(base.replace('[dbb]', '[db]'));
    expect(readFileSync(join(dir, 'compose.override.yaml'), 'utf8')).toBe(override.replace('[apii]', '[api]'));
    const results = JSON.parse(r.stdout) as { filePath: string; output?: string; messages: { ruleId: string }[] }[];
    expect(results.flatMap((x) => x.messages.map((m) => m.ruleId))).not.toContain('unknown-reference');
    expect(results.every((x) => x.output !== undefined)).toBe(true);
  });

  it('reads standard input named like a compose file as a project of one file', () => {
    const r = archlintWithInput(['lint', '--stdin-filename', 'compose.yaml', '-'], SHOP);
    expect(r.code).toBe(1);
    expect(findingLines(r.stdout.toString())).toContain('10 warning missing-health-check');
  });
});

describe('availability, diagram and model take a compose file', () => {
  it('availability computes the entry point through what the services name', () => {
    const dir = tempTree({ 'compose.yaml': SHOP });
    const r = archlint(['availability', 'compose.yaml', '--format', 'json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as {
      entries: { component: string; availability: number; contributors: { component: string }[] }[];
    };
    expect(json.entries.map((e) => e.component)).toEqual(['web']);
    // web, db and cache in series (each one instance), api's three replicas in parallel.
    // The three single instances are the weakest links; api's three replicas barely count.
    expect(
      json.entries[0]!.contributors.slice(0, 3)
        .map((c) => c.component)
        .sort(),
    ).toEqual(['cache', 'db', 'web']);
    expect(json.entries[0]!.availability).toBeLessThan(0.99);
  });

  it('diagram draws every service and the inferred edges', () => {
    const dir = tempTree({ 'compose.yaml': SHOP });
    const r = archlint(['diagram', 'compose.yaml', '--format', 'mermaid'], dir);
    expect(r.code, r.stderr).toBe(0);
    for (const edge of ['n_web --> n_api', 'n_api --> n_db', 'n_api --> n_cache']) expect(r.stdout).toContain(edge);
  });

  it('model prints an architecture whose lint gives the same findings, with where each value came from', () => {
    const dir = tempTree({ 'compose.yaml': SHOP });
    const model = archlint(['model', 'compose.yaml', '-o', 'shop.arch.yaml'], dir);
    expect(model.code, model.stderr).toBe(0);
    const text = readFileSync(join(dir, 'shop.arch.yaml'), 'utf8');
    expect(text).toContain('replicas: 3 # from compose.yaml:13 deploy.replicas');
    expect(text).toContain('- db # inferred: DATABASE_URL=postgres://app:***@db:5432/app');
    expect(text).toContain('balanced-by: docker-dns');
    expect(text).not.toContain('secret');
    const pairs = (args: string[]) =>
      (JSON.parse(archlint(args, dir).stdout) as { messages: { ruleId: string; component?: string }[] }[])
        .flatMap((x) => x.messages.map((m) => `${m.ruleId} ${m.component}`))
        .sort();
    expect(pairs(['lint', 'shop.arch.yaml', '--format', 'json'])).toEqual(pairs(['lint', 'compose.yaml', '--format', 'json']));
    const json = archlint(['model', 'compose.yaml', '--format', 'json'], dir);
    expect(JSON.parse(json.stdout)).toMatchObject({
      archlint: 1,
      components: { api: { replicas: 3, 'balanced-by': 'docker-dns' } },
    });
  });
});

describe('Kubernetes manifests on the command line (named, or piped from helm template / kustomize build)', () => {
  const shop = readFileSync(join(__dirname, '..', 'sources', 'kubernetes', 'shop.yaml'), 'utf8');

  it('`helm template … | archlint lint --stdin-filename shop.yaml -` reports on the objects it is about', () => {
    const r = archlintWithInput(['lint', '--stdin-filename', 'shop.yaml', '--format', 'json', '-'], shop);
    expect(r.code).toBe(1);
    const [result] = JSON.parse(r.stdout.toString()) as {
      filePath: string;
      messages: { ruleId: string; component?: string; line: number }[];
    }[];
    expect(result!.filePath.endsWith('shop.yaml')).toBe(true);
    const pairs = result!.messages.map((m) => `${m.ruleId} ${m.component}`);
    expect(pairs).toContain('single-point-of-failure payments');
    // The finding lands on payments' own spec.replicas line in the stream.
    const payments = result!.messages.find((m) => m.component === 'payments')!;
    expect(shop.split('\n')[payments.line - 1]).toMatch(/replicas: 1/);
  });

  it("archlint lint with no paths finds each folder's manifests by their content, beside compose files; sources.kubernetes: false skips them", () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'compose.yaml': SHOP,
      'deploy/k8s/shop.yaml': shop,
      'package.json': '{ "name": "x", "version": "1.0.0" }\n',
      '.github/workflows/ci.yml': 'name: ci\non: push\njobs: {}\n',
      'charts/values.yaml': 'image:\n  repository: shop\n  kind: web # a nested kind is no manifest\n',
    });
    const files = (args: string[]) =>
      (JSON.parse(archlint(args, dir).stdout) as { filePath: string }[]).map((x) => x.filePath.slice(dir.length + 1)).sort();
    expect(files(['lint', '--format', 'json'])).toEqual(['compose.yaml', 'deploy/k8s/shop.yaml']);
    writeFileSync(join(dir, 'archlint.config.yaml'), 'sources: { kubernetes: false }\n');
    expect(files(['lint', '--format', 'json'])).toEqual(['compose.yaml']);
  });

  it('a JSON manifest on one line (kubectl get -o json | jq -c) is read as a manifest, named, found in a folder or piped', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      },
    };
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' } } };
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'k8s/web.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [deployment, service] }),
    });
    const findings = (stdout: string) =>
      (JSON.parse(stdout) as { filePath: string; messages: { ruleId: string; component?: string }[] }[]).flatMap((x) =>
        x.messages.map((m) => `${x.filePath.slice(dir.length + 1)} ${m.ruleId} ${m.component}`),
      );
    // Its keys are on no line of their own: before, it was linted as an architecture file (schema errors).
    const expected = ['k8s/web.json single-point-of-failure web'];
    expect(findings(archlint(['lint', 'k8s/web.json', '--format', 'json'], dir).stdout)).toEqual(expected);
    expect(findings(archlint(['lint', '--format', 'json'], dir).stdout)).toEqual(expected);
    const piped = archlintWithInput(
      ['lint', '--format', 'json', '--stdin-filename', 'k8s/web.json', '-'],
      readFileSync(join(dir, 'k8s/web.json')),
      dir,
    );
    expect(findings(piped.stdout.toString())).toEqual(expected);
  });

  it("the configuration's architectures join manifests of several folders into one architecture", () => {
    const [head, tail] = [
      shop.slice(0, shop.indexOf('# Source: shop/templates/checkout.yaml')),
      shop.slice(shop.indexOf('# Source: shop/templates/checkout.yaml')),
    ];
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'archlint.config.yaml': 'architectures:\n  - name: shop\n    kubernetes: ["deploy/front/*.yaml", "deploy/back/*.yaml"]\n',
      'deploy/front/front.yaml': head,
      'deploy/back/back.yaml': `---\n${tail}`,
    });
    const results = JSON.parse(archlint(['lint', '--format', 'json'], dir).stdout) as {
      filePath: string;
      messages: { ruleId: string; component?: string }[];
    }[];
    expect(results.map((x) => x.filePath.slice(dir.length + 1))).toEqual(['deploy/front/front.yaml', 'deploy/back/back.yaml']);
    // Linted together, payments takes down the frontend's entry point, across the two folders.
    const payments = results
      .flatMap((x) => x.messages)
      .find((m) => m.component === 'payments' && m.ruleId === 'single-point-of-failure');
    expect(payments).toBeDefined();
  });

  it('manifest files named together form one architecture; availability and model read a manifest by its content', () => {
    const dir = tempTree({ 'k8s/shop.yaml': shop });
    const lint = archlint(['lint', 'k8s/shop.yaml', '--format', 'json'], dir);
    expect(lint.code).toBe(1);
    const availability = archlint(['availability', 'k8s/shop.yaml', '--format', 'json'], dir);
    expect(availability.code, availability.stderr).toBe(0);
    expect((JSON.parse(availability.stdout) as { entries: unknown[] }).entries.length).toBeGreaterThan(0);
    const model = archlint(['model', 'k8s/shop.yaml'], dir);
    expect(model.code, model.stderr).toBe(0);
    expect(model.stdout).toContain('payments:');
  });
});
