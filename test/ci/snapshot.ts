/**
 * This checkout as the repository a user would point pre-commit or a workflow at: its files
 * (tracked, and new ones not ignored: what the next commit would hold), without node_modules or
 * dist, committed in a git repository of their own. The commit's author and dates are fixed, so
 * the same files give the same commit, and pre-commit's environment for it (kept under .cache)
 * is installed once rather than on every run.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../cli/setup';

/** Where the integration tests keep what they may reuse across runs (ignored by git). */
export const CI_CACHE = join(ROOT, '.cache', 'ci');

const FIXED_IDENTITY = {
  GIT_AUTHOR_NAME: 'archlint tests',
  GIT_AUTHOR_EMAIL: 'tests@archlint.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'archlint tests',
  GIT_COMMITTER_EMAIL: 'tests@archlint.invalid',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

/** git with a fixed identity and no user or system configuration. */
export function git(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...FIXED_IDENTITY, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...env },
  });
}

/** The checkout's files copied to `target` (replacing what was there). */
export function copyCheckout(target: string): void {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const files = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    // A tracked file deleted in the working tree is not part of what would be committed.
    try {
      cpSync(join(ROOT, file), join(target, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** The checkout as a git repository at `target`; returns its one commit. */
export function snapshotRepository(target: string): string {
  copyCheckout(target);
  git(['init', '-q', '-b', 'main'], target);
  git(['add', '-A'], target);
  git(['commit', '-q', '-m', 'archlint, as checked out'], target);
  return git(['rev-parse', 'HEAD'], target).trim();
}
