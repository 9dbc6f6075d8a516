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
import type { TestContext } from 'vitest';

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
  return run(process.execPath, [BIN, ...args], cwd, env);
}

/** {@link archlint} with `input` on its standard input; standard output comes back as bytes. */
export function archlintWithInput(
  args: readonly string[],
  input: string | Uint8Array,
  cwd: string = ROOT,
): { code: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, input, env: plainEnv(), timeout: 60_000 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** The environment without colour settings. */
function plainEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  return { ...base, ...env };
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): RunResult {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: plainEnv(env),
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Skips a test and says why on stderr (the default reporter does not show a skip's note). */
export function skipBecause(ctx: TestContext, reason: string): never {
  console.warn(`skipped "${ctx.task.name}": ${reason}`);
  ctx.skip(reason);
  throw new Error('unreachable: ctx.skip() ends the test');
}

/** The unprivileged user the permission tests run archlint as, when the tests run as root (as in CI). */
const UNPRIVILEGED = 'nobody';

/**
 * How to run archlint as a user whom file permissions bind (root's are not checked), or why that
 * is impossible here. As root: as `nobody`, through `runuser`; as anyone else: as themselves.
 * `uid`/`gid` are that user's, for giving it files; `otherUid` is someone else's (only as root).
 */
export type Unprivileged =
  { run: (args: readonly string[], cwd: string) => RunResult; uid: number; gid: number; otherUid?: number } | { skip: string };

let unprivilegedCache: Unprivileged | undefined;

export function unprivileged(): Unprivileged {
  unprivilegedCache ??= findUnprivileged();
  return unprivilegedCache;
}

function findUnprivileged(): Unprivileged {
  if (process.platform === 'win32' || !process.getuid || !process.getgid) return { skip: 'POSIX permissions are needed' };
  if (process.getuid() !== 0) {
    return { run: (args, cwd) => archlint(args, cwd), uid: process.getuid(), gid: process.getgid() };
  }
  const ids = spawnSync('id', ['-u', UNPRIVILEGED], { encoding: 'utf8' });
  const gids = spawnSync('id', ['-g', UNPRIVILEGED], { encoding: 'utf8' });
  if (ids.status !== 0 || gids.status !== 0) return { skip: `running as root and there is no user "${UNPRIVILEGED}"` };
  const runAs = (args: readonly string[], cwd: string) =>
    run('runuser', ['-u', UNPRIVILEGED, '--', process.execPath, BIN, ...args], cwd);
  // The checkout must be readable by that user (it is not under /root, for example).
  let probe: RunResult;
  try {
    probe = runAs(['--version'], tmpdir());
  } catch (error) {
    return { skip: `running as root and runuser cannot be started: ${String(error)}` };
  }
  if (probe.code !== 0) {
    return { skip: `running as root and "runuser -u ${UNPRIVILEGED}" cannot run archlint: ${probe.stderr.trim()}` };
  }
  return { run: runAs, uid: Number(ids.stdout.trim()), gid: Number(gids.stdout.trim()), otherUid: 0 };
}

/** A fresh temp folder holding `files` (relative path → text, or bytes). */
export function tempTree(files: Record<string, string | Uint8Array>): string {
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
