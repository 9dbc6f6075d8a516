// Runs the real CLI (bin/archlint.js) as a process with a time budget, as a user would.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'archlint.js');

/** Output kept per stream; past it a run is cut short (a runaway output is a failure of its own). */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** The uid and gid of `nobody`, when this process may act as it (it runs as root), else `undefined`. */
export function nobody() {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Runs `node bin/archlint.js ...args` in `cwd`; kills its process group when it runs past
 * `timeoutMs`. Resolves with the exit code or signal, standard output as bytes, standard error
 * as text, and the wall time.
 */
export function runCli(args, { cwd, timeoutMs, user } = {}) {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.ARCHLINT_DEBUG;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user && { uid: user.uid, gid: user.gid }),
    });
    const out = [];
    const err = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let overflow = false;
    const kill = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT_BYTES) {
        overflow = true;
        kill();
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk) => {
      errBytes += chunk.length;
      if (errBytes > MAX_OUTPUT_BYTES) {
        overflow = true;
        kill();
      } else err.push(chunk);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({
        args,
        code: null,
        signal: null,
        stdout: Buffer.alloc(0),
        stderr: String(error),
        ms: 0,
        timeoutMs,
        timedOut,
        overflow,
        spawnError: true,
      });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        args,
        code,
        signal: timedOut ? null : signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - started,
        timeoutMs,
        timedOut,
        overflow,
      });
    });
  });
}

/** A command line as a shell would take it, for `command.sh` (arguments quoted, the CLI by absolute path). */
export function shellCommand(args, user) {
  const quote = (s) => (/^[\w./=,:@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const cmd = ['node', quote(BIN), ...args.map(quote)].join(' ');
  return user ? `runuser -u nobody -- ${cmd}` : cmd;
}
