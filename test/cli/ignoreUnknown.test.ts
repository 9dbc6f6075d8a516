/**
 * `archlint lint --ignore-unknown`, as the pre-commit hook runs it: every staged YAML or JSON file
 * is named, and those a folder search would not lint (a workflow, package.json, the hook's own
 * configuration) are skipped without a word, while architectures, compose files and manifests
 * are linted as ever.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, archlintWithInput, buildCliOnce, CLEAN, skipBecause, tempTree, unprivileged } from './setup';
import { API_LOAD_BALANCER } from '../sources/kubernetesTexts';

beforeAll(buildCliOnce);

const WORKFLOW = `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:16
    steps:
      - uses: actions/checkout@v4
`;
const PACKAGE_JSON = '{\n  "name": "shop",\n  "version": "1.0.0",\n  "scripts": { "test": "vitest" }\n}\n';
const PRE_COMMIT_CONFIG =
  'repos:\n  - repo: https://github.com/archlint/archlint\n    rev: main\n    hooks:\n      - id: archlint\n';
/** One nginx: a single point of failure. */
const COMPOSE = 'services:\n  web:\n    image: nginx\n';
/** A Deployment of one replica, in JSON as `kubectl get -o json` writes it; its Service is in another file. */
const DEPLOYMENT_JSON = `${JSON.stringify(
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'shop/api:1' }] } },
    },
  },
  null,
  2,
)}\n`;
const SERVICE = API_LOAD_BALANCER;

/** The files of a pre-commit run: three that are none of Archlint's, and one of each kind it reads. */
const STAGED = {
  '.git/HEAD': 'ref: refs/heads/main\n',
  '.github/workflows/ci.yml': WORKFLOW,
  'package.json': PACKAGE_JSON,
  '.pre-commit-config.yaml': PRE_COMMIT_CONFIG,
  'shop.arch.yaml': CLEAN,
  'compose.yaml': COMPOSE,
  'deploy/api.json': DEPLOYMENT_JSON,
  'deploy/api-service.yaml': SERVICE,
};
const NAMED = Object.keys(STAGED).filter((f) => !f.startsWith('.git/'));

interface JsonResult {
  filePath: string;
  messages: { ruleId: string; component?: string; line: number }[];
}

/** Each finding of a JSON report as `file rule component`, files relative to `dir`. */
const findings = (dir: string, stdout: string) =>
  (JSON.parse(stdout) as JsonResult[]).flatMap((r) =>
    r.messages.map((m) => `${r.filePath.slice(dir.length + 1)} ${m.ruleId} ${m.component ?? ''}`.trim()),
  );

describe('archlint lint --ignore-unknown', () => {
  it('skips the named files a folder search would not lint, and lints an architecture, a compose file and manifests named with them', () => {
    const dir = tempTree(STAGED);
    const r = archlint(['lint', '--ignore-unknown', '--format', 'json', ...NAMED], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    const results = JSON.parse(r.stdout) as JsonResult[];
    expect(results.map((x) => x.filePath.slice(dir.length + 1))).toEqual([
      'compose.yaml',
      'shop.arch.yaml',
      'deploy/api-service.yaml',
      'deploy/api.json',
    ]);
    expect(findings(dir, r.stdout)).toEqual([
      'compose.yaml single-point-of-failure web',
      'deploy/api-service.yaml anonymous-rate-limit api-service',
      'deploy/api-service.yaml plaintext-ingress api-service',
      'deploy/api.json single-point-of-failure api',
      'deploy/api.json missing-health-check api',
    ]);
    // The two manifests are one architecture: the JSON Deployment is what the YAML Service's
    // entry point reaches, and its finding is on its own `"replicas": 1`.
    const api = results
      .find((x) => x.filePath.endsWith('api.json'))!
      .messages.find((m) => m.ruleId === 'single-point-of-failure')!;
    expect(DEPLOYMENT_JSON.split('\n')[api.line - 1]).toMatch(/"replicas": 1/);

    // Without the option each named file is linted, the others as architecture files with their errors.
    const plain = archlint(['lint', '--format', 'json', ...NAMED], dir);
    expect(plain.code).toBe(1);
    const schema = findings(dir, plain.stdout).filter((f) => f.includes(' schema'));
    for (const file of ['.github/workflows/ci.yml', 'package.json', '.pre-commit-config.yaml']) {
      expect(schema.some((f) => f.startsWith(`${file} `))).toBe(true);
    }
  });

  it('a run whose every file is skipped lints nothing and exits 0, in every format', () => {
    const dir = tempTree(STAGED);
    const skipped = ['.github/workflows/ci.yml', 'package.json', '.pre-commit-config.yaml'];
    const stylish = archlint(['lint', '--ignore-unknown', ...skipped], dir);
    expect(stylish).toEqual({ code: 0, stdout: '', stderr: '' });
    const json = archlint(['lint', '--ignore-unknown', '--format', 'json', ...skipped], dir);
    expect(json).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    const sarif = archlint(['lint', '--ignore-unknown', '--format', 'sarif', ...skipped], dir);
    expect(sarif.code, sarif.stderr).toBe(0);
    const run = (JSON.parse(sarif.stdout) as { runs: { results: unknown[]; tool: { driver: { name: string } } }[] }).runs[0]!;
    expect(run.tool.driver.name).toBe('archlint');
    expect(run.results).toEqual([]);
    // A glob's matches are read the same way: none of these is Archlint's.
    expect(archlint(['lint', '--ignore-unknown', '.github/**/*.yml'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
    // Named without the option, the workflow is linted as an architecture file and fails.
    expect(archlint(['lint', '.github/workflows/ci.yml'], dir).code).toBe(1);
  });

  it("skips what the configuration's sources turn off, and compose files of other names unless its architectures claim them, as a folder search does", () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'compose.yaml': COMPOSE,
      'docker-stack.yml': COMPOSE,
      'deploy/api.json': DEPLOYMENT_JSON,
      'deploy/api-service.yaml': SERVICE,
    });
    const files = ['compose.yaml', 'docker-stack.yml', 'deploy/api.json', 'deploy/api-service.yaml'];
    const linted = () => {
      const r = archlint(['lint', '--ignore-unknown', '--format', 'json', ...files], dir);
      expect(r.stderr).toBe('');
      return (JSON.parse(r.stdout) as JsonResult[]).map((x) => x.filePath.slice(dir.length + 1));
    };
    // docker-stack.yml is a compose file by its content, but no folder search finds it by that name.
    expect(linted()).toEqual(['compose.yaml', 'deploy/api-service.yaml', 'deploy/api.json']);
    writeFileSync(join(dir, 'archlint.config.yaml'), 'architectures:\n  - { name: stack, compose: [docker-stack.yml] }\n');
    expect(linted()).toEqual(['docker-stack.yml', 'compose.yaml', 'deploy/api-service.yaml', 'deploy/api.json']);
    writeFileSync(join(dir, 'archlint.config.yaml'), 'sources: { compose: false, kubernetes: false }\n');
    expect(linted()).toEqual([]);
    // Named without the option, each is linted whatever the configuration's sources say.
    const plain = archlint(['lint', '--format', 'json', ...files], dir);
    expect((JSON.parse(plain.stdout) as JsonResult[]).map((x) => x.filePath.slice(dir.length + 1)).sort()).toEqual(
      [...files].sort(),
    );
  });

  it('a manifest staged alone is linted with the other manifests of its folder, and with its configuration group when one names it', () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'deploy/api.json': DEPLOYMENT_JSON,
      'deploy/api-service.yaml': SERVICE,
    });
    const run = () => archlint(['lint', '--ignore-unknown', '--format', 'json', 'deploy/api.json'], dir);
    // A commit that changes only the Deployment: the Service in front of it, unchanged in another
    // file of the folder, is read with it, and its findings are reported too (the README's
    // pre-commit section says why).
    const alone = run();
    expect(alone.code, alone.stderr).toBe(1);
    const all = [
      'deploy/api-service.yaml anonymous-rate-limit api-service',
      'deploy/api-service.yaml plaintext-ingress api-service',
      'deploy/api.json single-point-of-failure api',
      'deploy/api.json missing-health-check api',
    ];
    expect(findings(dir, alone.stdout)).toEqual(all);
    writeFileSync(join(dir, 'archlint.config.yaml'), 'architectures:\n  - { name: api, kubernetes: ["deploy/*"] }\n');
    expect(findings(dir, run().stdout)).toEqual(all);
  });

  it('reports a named file it cannot read (what it holds cannot be told), and refuses standard input', (ctx) => {
    const input = archlintWithInput(['lint', '--ignore-unknown', '-'], WORKFLOW);
    expect(input.code).toBe(2);
    expect(input.stderr).toBe('archlint: --ignore-unknown skips files, not standard input; see "archlint lint --help"\n');

    const user = unprivileged();
    if ('skip' in user) return skipBecause(ctx, user.skip);
    const dir = tempTree({ 'shop.arch.yaml': CLEAN, 'deploy/secret.yaml': SERVICE, 'package.json': PACKAGE_JSON });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'deploy'), 0o755);
    for (const f of ['shop.arch.yaml', 'package.json']) chmodSync(join(dir, f), 0o644);
    chmodSync(join(dir, 'deploy/secret.yaml'), 0o000);
    const r = user.run(
      ['lint', '--ignore-unknown', '--format', 'json', 'shop.arch.yaml', 'deploy/secret.yaml', 'package.json'],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('archlint: cannot read deploy/secret.yaml: permission denied\n');
    expect((JSON.parse(r.stdout) as JsonResult[]).map((x) => x.filePath.slice(dir.length + 1))).toEqual(['shop.arch.yaml']);
  });

  it('is in lint --help', () => {
    const help = archlint(['lint', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {6}--ignore-unknown {6}skip, without a word, a file named/m);
  });
});
