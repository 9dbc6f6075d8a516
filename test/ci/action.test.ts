import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCliOnce, CLEAN, ROOT, tempTree } from '../cli/setup';
import { readAction, runAction, type ActionStep } from './actionRunner';

beforeAll(buildCliOnce);

/** Warnings only: web is balanced but has no health check. */
const WARNINGS = `archlint: 1
components:
  edge:
    kind: load-balancer
    entry: true
    replicas: 2
    health-check: { path: /healthz, interval: 10s }
    routes-to: [web]
  web:
    kind: service
    replicas: 3
`;

/**
 * The action's folder as the build cache restores it: the checkout's action.yml, bin shim and
 * lockfile, and the dist/ files the cache holds (the install step is skipped on a cache hit, which
 * the stand-in for actions/cache reports).
 */
function restoredAction(): string {
  const dir = tempTree({});
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  for (const file of ['action.yml', 'package.json', 'package-lock.json', 'bin/archlint.js']) {
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  for (const file of ['cli.js', 'cli.js.cache', 'diagram.js', 'layoutThread.js', 'server.js'])
    copyFileSync(join(ROOT, 'dist', file), join(dir, 'dist', file));
  return dir;
}

/** A repository with an architecture that has an error, one with warnings only, and a clean one. */
function fixtureRepository(extra: Record<string, string> = {}): string {
  return tempTree({
    'services/shop.arch.yaml': readFileSync(join(ROOT, 'samples/shop.arch.yaml')),
    'services/warn.arch.yaml': WARNINGS,
    'docs/clean.arch.yaml': CLEAN,
    ...extra,
  });
}

/** Runs the action on a fresh fixture, standing in for its `uses:` steps; returns the run and what was uploaded. */
function run(inputs: Record<string, string> = {}, files: Record<string, string> = {}) {
  const workspace = fixtureRepository(files);
  const uploads: Record<string, string>[] = [];
  const result = runAction({
    actionPath: restoredAction(),
    workspace,
    inputs,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    uses: (step: ActionStep, withValues): Record<string, string> => {
      if (step.uses!.startsWith('actions/setup-node@')) return {};
      if (step.uses!.startsWith('actions/cache@'))
        return { 'cache-hit': withValues.key!.startsWith('archlint-dist-') ? 'true' : 'false' };
      if (step.uses!.startsWith('github/codeql-action/upload-sarif@')) {
        uploads.push(withValues);
        return {};
      }
      throw new Error(`no stand-in for ${step.uses}`);
    },
  });
  const lint = result.steps.find((s) => s.step.id === 'lint')!;
  const install = result.steps.find((s) => s.step.name === 'Install and build Archlint')!;
  return { workspace, result, lint, install, uploads };
}

describe('action.yml', () => {
  it('is valid action metadata (SchemaStore’s schema, through action-validator)', () => {
    expect(validateAction(readFileSync(join(ROOT, 'action.yml'), 'utf8')).errors).toEqual([]);
    // The check is live: a composite step that runs a script without naming its shell is refused.
    const noShell = 'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n';
    expect(validateAction(noShell).errors).not.toEqual([]);
  });

  it('pastes no expression into a script: inputs reach the shell through the environment', () => {
    const steps = readAction(join(ROOT, 'action.yml')).runs.steps.filter((s) => s.run !== undefined);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.run).not.toContain('${{');
      expect(step.shell).toBe('bash');
    }
  });

  it('is used as the README shows, in workflows GitHub accepts', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const workflows = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((text) => /^on:/m.test(text) && text.includes('uses: archlint/archlint@'));
    expect(workflows.length).toBeGreaterThan(0);
    for (const text of workflows) {
      expect(parseAllDocuments(text).every((d) => d.errors.length === 0)).toBe(true);
      expect(validateWorkflow(text).errors).toEqual([]);
    }
  });
});

describe('the action’s steps, run as GitHub runs them (on a fixture repository)', () => {
  it('lints every architecture file by default, annotates, writes SARIF, uploads it, and fails on errors', () => {
    const { workspace, result, lint, install, uploads } = run();
    expect(install.skipped).toBe(true);
    expect(lint.status).toBe(1);
    expect(result.failed).toBe(true);
    expect(result.outputs).toEqual({ 'sarif-file': 'archlint.sarif', 'exit-code': '1' });
    // Annotations: workflow commands on standard output.
    expect(lint.stdout).toMatch(/^::error file=services\/shop\.arch\.yaml,line=31,col=12,/m);
    expect(lint.stdout).toMatch(/^::warning file=services\/warn\.arch\.yaml,line=9,/m);
    // SARIF for code scanning, paths relative to the repository root.
    const log = JSON.parse(readFileSync(join(workspace, 'archlint.sarif'), 'utf8'));
    const results = log.runs[0].results as {
      ruleId: string;
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
    }[];
    expect(results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([
      ['stateful-round-robin', 'services/shop.arch.yaml'],
      ['missing-health-check', 'services/warn.arch.yaml'],
    ]);
    // Uploaded although the lint failed, so code scanning shows what failed it.
    expect(uploads).toEqual([{ sarif_file: 'archlint.sarif', category: 'archlint' }]);
  });

  it('fails on warnings with fail-on: warning or a max-warnings they exceed, and never with fail-on: never', () => {
    const paths = 'services/warn.arch.yaml\n  docs/*.arch.yaml';
    expect(run({ paths }).result.failed).toBe(false);
    expect(run({ paths, 'fail-on': 'warning' }).result).toMatchObject({ failed: true, outputs: { 'exit-code': '1' } });
    expect(run({ paths, 'max-warnings': '0' }).result.failed).toBe(true);
    expect(run({ paths, 'max-warnings': '1' }).result.failed).toBe(false);
    const never = run({ 'fail-on': 'never' });
    expect(never.result).toMatchObject({ failed: false, outputs: { 'exit-code': '1' } });
    expect(never.lint.stdout).toContain('archlint found problems; fail-on: never lets the step pass');
    expect(never.uploads).toHaveLength(1);
  });

  it('lints only the paths given, globs expanded by Archlint', () => {
    const { workspace, result, lint } = run({ paths: 'docs/*.arch.yaml services/warn.arch.yaml' });
    expect(result.failed).toBe(false);
    expect(lint.stdout).not.toContain('shop.arch.yaml');
    const log = JSON.parse(readFileSync(join(workspace, 'archlint.sarif'), 'utf8'));
    expect(log.runs[0].results).toHaveLength(1);
  });

  it('fails on a usage error whatever fail-on says, and uploads no report then', () => {
    const missing = run({ paths: 'services/nothing-here.arch.yaml', 'fail-on': 'never' });
    expect(missing.result).toMatchObject({ failed: true, outputs: { 'exit-code': '2', 'sarif-file': '' } });
    expect(missing.lint.stderr).toContain('archlint: no such file: services/nothing-here.arch.yaml');
    expect(missing.uploads).toEqual([]);
    expect(existsSync(join(missing.workspace, 'archlint.sarif'))).toBe(false);
    const badFailOn = run({ 'fail-on': 'warnings' });
    expect(badFailOn.result.failed).toBe(true);
    expect(badFailOn.lint.stdout).toBe('::error title=archlint::fail-on is error, warning or never, not "warnings"\n');
  });

  it('prints the format asked for in the log, and uploads nothing with upload-sarif: false', () => {
    const { lint, uploads } = run({ format: 'stylish', 'upload-sarif': 'false', 'sarif-file': 'reports/archlint.sarif' });
    expect(lint.stdout).toContain('\nservices/shop.arch.yaml\n  31:12  error  ');
    expect(lint.stdout).not.toContain('::error');
    expect(lint.outputs['sarif-file']).toBe('reports/archlint.sarif');
    expect(uploads).toEqual([]);
  });

  it('passes config on as --config: that configuration file applies', () => {
    const { result, lint } = run(
      { config: 'ci/archlint.yaml' },
      { 'ci/archlint.yaml': 'rules: { stateful-round-robin: off }\n' },
    );
    expect(result).toMatchObject({ failed: false, outputs: { 'exit-code': '0' } });
    expect(lint.stdout).not.toContain('stateful-round-robin');
    const missing = run({ config: 'none.yaml' });
    expect(missing.result).toMatchObject({ failed: true, outputs: { 'exit-code': '2' } });
    expect(missing.lint.stderr).toContain('archlint: no such configuration file: none.yaml');
  });
});
