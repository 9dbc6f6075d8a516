// Keystroke to diagnostics through `archlint lsp`, as an editor without pull diagnostics sees it:
// the server (dist/server.js, stdio) runs as its own process; a JSON-RPC client opens a generated
// architecture, then sends one-character `didChange` edits inside one component (at a digit of its
// `replicas`: typed and deleted, or overtyped) and times each until the `publishDiagnostics` for
// that version arrives. The typing
// pause is 0 (initializationOptions.lintDelay), so the work is measured, not the wait.
// Also the server's own CPU time per keystroke (/proc/<pid>/stat, user + system), and, in this
// process, a full lint of the same text with the engine the server bundles, for the ratio.
// Prints one line per size and kind: n  kind  median_ms  p90_ms  server_cpu_ms  full_lint_ms  runs
// Usage: node bench/lsp.mjs N...   (run by bench/run.mjs)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateArchitecture } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
} = require('vscode-languageserver-protocol/node');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** The process's CPU time (user + system) in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // After the command's ")": state is field 3, so utime (14) and stime (15) are at 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The position of offset `at` in `text`. */
function position(text, at) {
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}

async function measure(n, kind, runs) {
  const text = generateArchitecture(n);
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      process.env.BENCH_SERVER ?? join(root, 'dist/server.js'),
      '--stdio',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    waiting.get(params.version)?.(params);
    waiting.delete(params.version);
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
    initializationOptions: { lintDelay: 0 },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const uri = 'file:///bench/generated.arch.yaml';
  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));

  let version = 1;
  const opened = published(version);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'yaml', version, text },
  });
  await opened;

  // Keystrokes inside one component in the middle of the file, at the digit of its `replicas`:
  // typing, a digit typed after it and then deleted (2 → 20 → 2, the text moving by one character
  // each time), or overtyping, the digit replaced (2 → 3 → 2, nothing after it moving).
  const at = text.indexOf('    replicas: ', Math.floor(text.length / 2)) + '    replicas: '.length;
  const start = position(text, at);
  const digit = { start, end: { line: start.line, character: start.character + 1 } };
  const after = { line: start.line, character: start.character + 1 };
  const change = (r) =>
    kind === 'overtype'
      ? { range: digit, text: String(2 + (r % 2)) }
      : r % 2 === 0
        ? { range: { start: after, end: after }, text: '0' }
        : { range: { start: after, end: { line: after.line, character: after.character + 1 } }, text: '' };
  const times = [];
  const warmUp = 4;
  const cpuBefore = { ms: 0 };
  for (let r = 0; r < warmUp + runs; r++) {
    if (r === warmUp) cpuBefore.ms = cpuMs(child.pid);
    version++;
    const done = published(version);
    const sent = performance.now();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [change(r)],
    });
    const params = await done;
    if (r >= warmUp) times.push(performance.now() - sent);
    if (!Array.isArray(params.diagnostics)) throw new Error('publishDiagnostics without diagnostics');
  }
  const serverCpu = (cpuMs(child.pid) - cpuBefore.ms) / runs;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  await exited;
  connection.dispose();

  // A full lint of the edited text, in this process, by the engine as the server bundles it.
  const engine = require(join(root, '.cache/bench-engine.cjs'));
  const edited = text.slice(0, at + 1) + '0' + text.slice(at + 1);
  const full = [];
  for (let r = 0; r < Math.max(3, Math.min(runs, 9)); r++) {
    const t = performance.now();
    void engine.lint(edited).availability;
    full.push(performance.now() - t);
  }
  return { median: median(times), p90: percentile(times, 0.9), serverCpu, full: median(full), runs };
}

console.log('n kind median_ms p90_ms server_cpu_ms full_lint_ms runs');
for (const arg of process.argv.slice(2)) {
  const n = Number(arg);
  for (const kind of ['type', 'overtype']) {
    const r = await measure(n, kind, n >= 10_000 ? 16 : 40);
    console.log(
      `${n} ${kind} ${r.median.toFixed(2)} ${r.p90.toFixed(2)} ${r.serverCpu.toFixed(2)} ${r.full.toFixed(2)} ${r.runs}`,
    );
  }
}
