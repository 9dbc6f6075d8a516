/**
 * The pre-commit hook as a user adds it: a throw-away repository whose .pre-commit-config.yaml
 * names this checkout (as a git repository, see snapshot.ts) and the `archlint` hook; `pre-commit
 * install`, then real `git commit`s. pre-commit (Debian's 3.0.4 here) installs the hook with the
 * system's Node and npm: `npm install` in its clone (which builds), `npm pack`, `npm install -g`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLEAN, ROOT, skipBecause } from '../cli/setup';
import { apiDeployment } from '../sources/kubernetesTexts';
import { CI_CACHE, git, snapshotRepository } from './snapshot';

const PRE_COMMIT = '/usr/bin/pre-commit';
/** pre-commit's own store: environments are kept per repository and commit, so an unchanged checkout installs once. */
const PRE_COMMIT_HOME = join(CI_CACHE, 'pre-commit-home');
const HOOK_REPOSITORY = join(CI_CACHE, 'hook-repository');

const DEPLOYMENT = apiDeployment;
/** The load balancer in front of it, in JSON as `kubectl get -o json` gives it. */
const SERVICE_JSON = `${JSON.stringify(
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api' },
    spec: { type: 'LoadBalancer', selector: { app: 'api' }, ports: [{ port: 80 }] },
  },
  null,
  2,
)}\n`;

let user: string;
let install: { status: number | null; output: string; seconds: number };

/** `git commit` in the user's repository, with the hook pre-commit installed. */
function commit(message: string) {
  const r = spawnSync('git', ['commit', '-m', message], {
    cwd: user,
    encoding: 'utf8',
    env: { ...process.env, PRE_COMMIT_HOME, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1' },
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

beforeAll(() => {
  if (spawnSync(PRE_COMMIT, ['--version']).status !== 0) return;
  const rev = snapshotRepository(HOOK_REPOSITORY);
  user = mkdtempSync(join(tmpdir(), 'archlint-pre-commit-'));
  git(['init', '-q', '-b', 'main'], user);
  git(['config', 'user.name', 'someone'], user);
  git(['config', 'user.email', 'someone@example.invalid'], user);
  writeFileSync(
    join(user, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${HOOK_REPOSITORY}\n    rev: ${rev}\n    hooks:\n      - id: archlint\n`,
  );
  const env = { ...process.env, PRE_COMMIT_HOME };
  expect(spawnSync(PRE_COMMIT, ['install'], { cwd: user, env, encoding: 'utf8' }).status).toBe(0);
  // Installing the hook's environment is what takes long; timed apart from the commits.
  const start = Date.now();
  const r = spawnSync(PRE_COMMIT, ['install-hooks'], { cwd: user, env, encoding: 'utf8' });
  install = { status: r.status, output: r.stdout + r.stderr, seconds: (Date.now() - start) / 1000 };
  console.log(`pre-commit installed the archlint hook in ${install.seconds.toFixed(0)} s`);
});

describe('the pre-commit hook (.pre-commit-hooks.yaml)', () => {
  it('installs with pre-commit’s node support: the system Node and npm', (ctx) => {
    if (!user) skipBecause(ctx, `${PRE_COMMIT} is not installed (apt-get install pre-commit)`);
    expect(install.status, install.output).toBe(0);
  });

  it('fails a commit of a broken architecture, compose file or manifest with the finding, passes a clean one, and skips other files', (ctx) => {
    if (!user) skipBecause(ctx, `${PRE_COMMIT} is not installed (apt-get install pre-commit)`);
    git(['add', '.pre-commit-config.yaml'], user);
    expect(commit('pre-commit').status).toBe(0);

    writeFileSync(join(user, 'shop.arch.yaml'), readFileSync(join(ROOT, 'samples/shop.arch.yaml')));
    git(['add', 'shop.arch.yaml'], user);
    const broken = commit('a broken architecture');
    expect(broken.status).toBe(1);
    expect(broken.output).toMatch(/^archlint\.+Failed$/m);
    expect(broken.output).toContain('shop.arch.yaml\n  31:12  error  web keeps state in memory');
    expect(broken.output).toContain('stateful-round-robin');
    expect(git(['log', '--oneline'], user).trim().split('\n')).toHaveLength(1);

    writeFileSync(join(user, 'shop.arch.yaml'), CLEAN);
    git(['add', 'shop.arch.yaml'], user);
    const clean = commit('a clean architecture');
    expect(clean.status, clean.output).toBe(0);
    expect(clean.output).toMatch(/^archlint\.+Passed$/m);

    // A compose file is checked too: one nginx is a single point of failure, two with a healthcheck are not.
    writeFileSync(join(user, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx\n');
    git(['add', 'docker-compose.yml'], user);
    const compose = commit('a compose file');
    expect(compose.status).toBe(1);
    expect(compose.output).toContain('docker-compose.yml\n  2:3  error  web is a single point of failure');
    writeFileSync(
      join(user, 'docker-compose.yml'),
      'services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 2\n    healthcheck:\n      test: ["CMD", "true"]\n',
    );
    git(['add', 'docker-compose.yml'], user);
    const fixedCompose = commit('a redundant compose file');
    expect(fixedCompose.status, fixedCompose.output).toBe(0);

    // Kubernetes manifests have no name to match: every staged YAML and JSON file reaches the
    // hook, which lints the manifests among them by their content, each with its folder's others.
    mkdirSync(join(user, 'k8s'), { recursive: true });
    writeFileSync(join(user, 'k8s', 'api.yaml'), DEPLOYMENT(1));
    writeFileSync(join(user, 'k8s', 'api-service.json'), SERVICE_JSON);
    git(['add', 'k8s'], user);
    const manifests = commit('a deployment of one replica behind a load balancer');
    expect(manifests.status).toBe(1);
    expect(manifests.output).toMatch(/^archlint\.+Failed$/m);
    expect(manifests.output).toContain(
      'k8s/api.yaml\n  6:13  error  api is a single point of failure: one instance, no failover; its loss takes down api-service',
    );
    writeFileSync(join(user, 'k8s', 'api.yaml'), DEPLOYMENT(2));
    git(['add', 'k8s'], user);
    const redundant = commit('two replicas');
    expect(redundant.status, redundant.output).toBe(0);
    expect(redundant.output).toMatch(/^archlint\.+Passed$/m);
    // A commit of the Deployment alone: the hook is handed api.yaml only, and reads the Service
    // committed beside it, so the one replica behind it fails the commit again.
    writeFileSync(join(user, 'k8s', 'api.yaml'), DEPLOYMENT(1));
    git(['add', 'k8s/api.yaml'], user);
    const alone = commit('back to one replica');
    expect(alone.status, alone.output).toBe(1);
    expect(alone.output).toContain(
      'k8s/api.yaml\n  6:13  error  api is a single point of failure: one instance, no failover; its loss takes down api-service',
    );
    writeFileSync(join(user, 'k8s', 'api.yaml'), DEPLOYMENT(2));
    git(['add', 'k8s/api.yaml'], user);
    expect(git(['status', '--porcelain'], user)).toBe('');

    // Files that are none of those are skipped: a workflow, package.json, and a file whose
    // content is Compose's but whose name is not (as a search of the repository skips it).
    mkdirSync(join(user, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(user, '.github', 'workflows', 'ci.yml'),
      'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
    );
    writeFileSync(join(user, 'package.json'), '{ "name": "shop", "version": "1.0.0" }\n');
    mkdirSync(join(user, 'ci'), { recursive: true });
    writeFileSync(join(user, 'ci', 'pipeline.yml'), 'services:\n  web:\n    image: nginx\n');
    git(['add', '.github', 'package.json', 'ci/pipeline.yml'], user);
    const other = commit('not an architecture');
    expect(other.status, other.output).toBe(0);
    expect(other.output).toMatch(/^archlint\.+Passed$/m);
    // A file that is not YAML or JSON does not reach the hook at all.
    writeFileSync(join(user, 'README.md'), '# shop\n');
    git(['add', 'README.md'], user);
    const readme = commit('a readme');
    expect(readme.status, readme.output).toBe(0);
    expect(readme.output).toMatch(/^archlint\.+\(no files to check\)Skipped$/m);
  });
});
