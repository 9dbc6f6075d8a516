/**
 * The Action on its first run, when no build is cached: its steps run as GitHub runs them
 * (actionRunner.ts) with the action's folder a fresh copy of this checkout, so the install step
 * really runs `npm ci` (which builds) there, and the lint that follows uses what it built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLEAN, ROOT, tempTree } from '../cli/setup';
import { runAction } from './actionRunner';
import { CI_CACHE, copyCheckout } from './snapshot';

describe('the Action without a cached build', () => {
  it('installs and builds Archlint in its own folder, then lints, writes SARIF and fails on the error', () => {
    const actionPath = join(CI_CACHE, 'action-checkout');
    copyCheckout(actionPath);
    const workspace = tempTree({ 'shop.arch.yaml': readFileSync(join(ROOT, 'samples/shop.arch.yaml')), 'ok.arch.yaml': CLEAN });
    const caches: string[] = [];
    const start = Date.now();
    const run = runAction({
      actionPath,
      workspace,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      uses: (step, withValues): Record<string, string> => {
        if (step.uses!.startsWith('actions/cache@')) {
          caches.push(`${withValues.path} ${withValues.key}`);
          return { 'cache-hit': 'false' };
        }
        return {};
      },
    });
    const seconds = (Date.now() - start) / 1000;
    console.log(`the Action's first run (npm ci, build, lint) took ${seconds.toFixed(0)} s`);
    const byName = (name: string) => run.steps.find((s) => s.step.name === name)!;
    const install = byName('Install and build Archlint');
    expect(install.skipped).toBe(false);
    expect(install.status, install.stdout + install.stderr).toBe(0);
    expect(existsSync(join(actionPath, 'dist/cli.js'))).toBe(true);
    expect(existsSync(join(actionPath, 'dist/cli.js.cache'))).toBe(true);
    // The build is cached by the checkout's files and Node; npm's cache by the lockfile.
    const dist = ['cli.js', 'cli.js.cache', 'diagram.js', 'layoutThread.js', 'server.js']
      .map((f) => `${actionPath}/dist/${f}\n`)
      .join('');
    expect(caches).toEqual([
      expect.stringMatching(new RegExp(`^${dist} archlint-dist-Linux-[0-9a-f]{64}$`)),
      expect.stringMatching(/^~\/\.npm archlint-npm-Linux-[0-9a-f]{64}$/),
    ]);
    // Everything the cache keeps is there, so a run that restores it needs nothing else.
    for (const file of dist.trim().split('\n')) expect(existsSync(file)).toBe(true);
    const lint = byName('Lint');
    expect(lint.status).toBe(1);
    expect(lint.stdout).toMatch(/^::error file=shop\.arch\.yaml,line=31,col=12,/m);
    expect(run.outputs).toEqual({ 'sarif-file': 'archlint.sarif', 'exit-code': '1' });
    const log = JSON.parse(readFileSync(join(workspace, 'archlint.sarif'), 'utf8'));
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['stateful-round-robin']);
  });
});
