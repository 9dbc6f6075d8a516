/**
 * Shared by the CLI tests: builds dist/cli.js once when it is missing or older than its sources
 * (under `npm test` the `pretest` build has already run, so this is a no-op), and runs the real
 * `archlint` executable as a child process.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'archlint.js');
const CLI = join(ROOT, 'dist', 'cli.js');
const SOURCES = ['extension/src', 'scripts', 'schemas', 'package.json'];
const LOCK = join(ROOT, '.cache', 'cli-test-build.lock');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function isStale(): boolean {
  return !existsSync(CLI) || statSync(CLI).mtimeMs < Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds the bundles if dist/cli.js is stale. Test files run in parallel: a lock folder makes one of them build. */
export async function buildCliOnce(): Promise<void> {
  if (!isStale()) return;
  mkdirSync(dirname(LOCK), { recursive: true });
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a killed run must not block forever.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (waited > 110_000) throw new Error(`timed out waiting for ${LOCK}`);
      await sleep(250);
    }
  }
  try {
    if (!isStale()) return;
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/archlint.js …args` in `cwd`, with colour settings removed from the environment. */
export function archlint(args: readonly string[], cwd: string = ROOT, env: NodeJS.ProcessEnv = {}): RunResult {
  const base = { ...process.env };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...base, ...env },
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temp folder holding `files` (relative path → content). */
export function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'archlint-cli-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** A small architecture with no findings from the built-in checks. */
export const CLEAN = `archlint: 1
name: clean
components:
  edge:
    kind: load-balancer
    entry: true
    replicas: 2
    balancing: round-robin
    health-check: { path: /healthz, interval: 10s }
    routes-to: [web]
  web:
    kind: service
    replicas: 3
    health-check: { path: /healthz, interval: 10s }
`;

/** Not YAML: an unclosed flow mapping. One yaml-syntax error. */
export const BROKEN = `archlint: 1
components:
  web: { kind: service, replicas: 2
`;

/** The same key twice: one duplicate-key error, at line 5 column 5. */
export const DUPLICATE = `archlint: 1
components:
  web:
    kind: service
    kind: worker
    replicas: 2
`;
