/* global setTimeout, clearTimeout, fetch, AbortSignal */
// `npm run test:e2e`: the extension inside a real VS Code on this machine, offline.
//
// 1. installs Node 24 + code-server (VS Code's web build) into .cache/ (cached),
// 2. builds and packages the extension, installs the .vsix into a throw-away extensions folder,
// 3. starts code-server on 127.0.0.1 (a free port) with a temp user-data-dir and a copy of samples/,
// 4. opens the workbench in Chromium with a `payload` that makes the extension host run the mocha
//    suite (test/e2e/suite) and report its exit code through `codeAutomationExit`,
// 5. runs the UI checks (squiggles, Problems panel, diagram SVG) in a second window,
// 6. stops code-server (its whole process group), prints `e2e: N passed, N failed` and writes
//    test-output/e2e.json for scripts/test-summary.mjs. Exits 1 on any failure. The keystroke test
//    (suite/keystroke.e2e.ts) also writes the extension host's CPU per edit to
//    test-output/e2e-keystroke.json, which this run and `npm run bench` print.
//
// Options: --grep TEXT (only suite tests whose title matches), --no-ui (skip the Chromium UI checks),
// --no-package (load the working tree, not the .vsix), --readme-screenshot (also write
// docs/images/workbench.png), --keep (leave the temp folders for inspection).
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { cleanEnv, ensureCodeServer, ensureSystemPackages } from './install-code-server.mjs';
import {
  buildExtension,
  bundleSuite,
  computeExpectations,
  keystrokeFiguresFile,
  makeWorkspace,
  outputDir,
  root,
  writeSummary,
} from './prepare.mjs';
import { runUiChecks } from './ui-checks.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

// Hard stops for a run that hangs, not estimates: a run that works ends as soon as it is done.
// They hold on a loaded machine (2 cores shared with other work). Beside two busy loops a warm
// run took 9.5 min (build and package 1.4, installing the .vsix 1.2, the 50-test suite 5.2, the
// UI checks 1.3); with the machine's load average near 19 it took 16 min (suite 9.2, UI checks
// 3.3). A cold install of code-server adds 4 min idle, more under load.
/** The whole run, cold install included; .ci/run's outer `timeout` must stay above it. */
const RUN_TIMEOUT_MS = 40 * 60_000;
/** The mocha suite in the extension host (about twice its slowest run). */
const SUITE_TIMEOUT_MS = 20 * 60_000;
/** The Chromium UI checks, a fresh window and extension host included. */
const UI_TIMEOUT_MS = 10 * 60_000;
/** `npm run package` (it builds again) and installing the .vsix with code-server (161 s once, loaded). */
const PACKAGE_TIMEOUT_MS = 10 * 60_000;
const summaryFile = join(root, 'test-output', 'e2e.json');
export const CHROMIUM = process.env.ARCHLINT_E2E_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * User settings for a quiet, deterministic workbench: nothing opens, phones home, or asks.
 * Each value must be one the workbench takes as it is: it migrates a former value in its last
 * start-up phase (when the window is idle: seconds after the suite starts, later under load) by
 * rewriting User/settings.json through a text model, which the extension host sees as an open,
 * dirty document for as long as the write takes. The run checks that the file is left as written
 * (checkUserSettings).
 */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  // "on" | "off": the workbench migrates the former `false` to "off" (and rewrites the file).
  'extensions.autoUpdate': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'chat.agent.enabled': false,
  // The remote extension host would scan the machine's processes for ports to forward, again and
  // again (a scan's time × 20, at least every 2 s; tens of ms of its CPU each), noise in any figure
  // measured there. code-server has a tunnel provider, which keeps the scans on unless the source
  // of ports is the terminal's output.
  'remote.autoForwardPorts': false,
  'remote.autoForwardPortsSource': 'output',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'files.exclude': { '.e2e': true, '.vscode': true },
  'window.restoreWindows': 'none',
  'workbench.editor.restoreViewState': false,
};

const startedAt = Date.now();
/** What has been counted so far: the hard stop reports it too. */
const counts = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const cleanups = [];
let codeServer;

function log(message) {
  console.log(`[e2e ${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]);
}

/** The .vsix `npm run package` made (when the project has that script), else undefined. */
function packageExtension() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (!pkg.scripts?.package || flag('--no-package')) return undefined;
  const before = Date.now();
  const result = spawnSync('npm', ['run', 'package', '--silent'], { cwd: root, stdio: 'inherit', timeout: PACKAGE_TIMEOUT_MS });
  if (result.status !== 0) throw new Error(`npm run package failed (${result.status ?? result.error?.message})`);
  // vsce writes where the script says: look in dist/ and the project folder for one made just now.
  const fresh = [join(root, 'dist'), root]
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.vsix'))
        .map((f) => join(dir, f)),
    )
    .map((file) => ({ file, t: statSync(file).mtimeMs }))
    .filter(({ t }) => t >= before - 1000)
    .sort((a, b) => b.t - a.t);
  if (fresh.length === 0) throw new Error('npm run package made no .vsix (looked in dist/ and the project folder)');
  return fresh[0].file;
}

/**
 * Installs the .vsix the way a user would (code-server --install-extension) into `extensionsDir`
 * and returns the installed folder: the suite then runs against exactly what was packaged.
 */
function installVsix(install, vsix, extensionsDir, userDataDir) {
  const result = spawnSync(
    install.node,
    [
      install.codeServerEntry,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { encoding: 'utf8', timeout: PACKAGE_TIMEOUT_MS },
  );
  if (result.status !== 0) throw new Error(`installing ${vsix} failed: ${result.stdout}${result.stderr}`);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const folder = readdirSync(extensionsDir).find((f) =>
    f.toLowerCase().startsWith(`${pkg.publisher}.${pkg.name}-`.toLowerCase()),
  );
  if (!folder) throw new Error(`the .vsix installed no ${pkg.publisher}.${pkg.name} folder in ${extensionsDir}`);
  return join(extensionsDir, folder);
}

async function startCodeServer(install, { userDataDir, extensionsDir, workspace }) {
  const port = await freePort();
  const logFile = join(outputDir, 'code-server.log');
  const out = createWriteStream(logFile);
  const child = spawn(
    install.node,
    [
      install.codeServerEntry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      // A safety net: should this runner die without stopping it, the server ends itself when unused.
      '--idle-timeout-seconds',
      '900',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--vscode-option',
      'enable-smoke-test-driver',
      workspace,
    ],
    // Its own process group, so stopping it also stops the extension hosts and watchers it forks.
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv({ PATH: `${install.nodeBinDir}:${process.env.PATH ?? ''}` }),
    },
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  codeServer = child;
  // A watchdog outside this process: if the runner itself is killed (CI's own timeout, a dead
  // terminal), the server's process group still goes away once the run's time is up.
  const watchdog = spawn(
    'sh',
    ['-c', `sleep ${Math.ceil(RUN_TIMEOUT_MS / 1000) + 30}; kill -KILL -- -${child.pid} 2>/dev/null`],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  watchdog.unref();
  cleanups.push(() => {
    try {
      process.kill(-watchdog.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server exited at start (see ${logFile}):\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { url, port, logFile };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer /healthz within 60 s (see ${logFile})`);
}

/** Stops code-server and everything it started: the process group, politely then firmly. */
async function stopCodeServer() {
  const child = codeServer;
  codeServer = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  killGroup('SIGTERM');
  const gone = await Promise.race([
    new Promise((r) => child.once('exit', () => r(true))),
    new Promise((r) => setTimeout(() => r(false), 5000)),
  ]);
  if (!gone) killGroup('SIGKILL');
  // Children of the group that outlived the server (extension hosts) go too.
  killGroup('SIGKILL');
}

/**
 * Opens the workbench with the test payload: code-server serves the workbench with the
 * smoke-test driver enabled, which makes it honour `extensionDevelopmentPath` and
 * `extensionTestsPath`; the extension host requires the suite, awaits `run()`, and the exit code
 * comes back through `codeAutomationExit`.
 */
async function runSuiteInWorkbench(browser, server, { extensionPath, suiteIndex, workspace }) {
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(suiteIndex)],
  ];
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const consoleLog = createWriteStream(join(outputDir, 'suite-workbench-console.log'));
  page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.message}\n`));
  let resolveExit;
  const exited = new Promise((resolve) => {
    resolveExit = resolve;
  });
  await page.exposeFunction('codeAutomationLog', (type, args) =>
    consoleLog.write(`[host ${type}] ${Array.isArray(args) ? args.join(' ') : String(args)}\n`),
  );
  await page.exposeFunction('codeAutomationExit', (code) => {
    resolveExit(typeof code === 'number' ? code : Number(code));
  });
  await page.goto(url, { timeout: 60_000 });
  try {
    return await withTimeout(exited, SUITE_TIMEOUT_MS, 'the suite in the extension host');
  } finally {
    await page.screenshot({ path: join(outputDir, 'suite-end.png') }).catch(() => undefined);
    consoleLog.end();
    await context.close().catch(() => undefined);
  }
}

function readSuiteResults(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function main() {
  mkdirSync(outputDir, { recursive: true });
  rmSync(summaryFile, { force: true });
  ensureSystemPackages([{ name: 'chromium', executable: CHROMIUM }]);
  const install = ensureCodeServer();
  log(`code-server ${install.version} ready`);

  buildExtension();
  if (!existsSync(join(root, 'dist', 'extension.js')))
    log('warning: npm run build made no dist/extension.js (the extension entry is missing)');
  let vsix;
  try {
    vsix = packageExtension();
    if (vsix) counts.passed++; // packaging is a check of its own: a .vsix that cannot be made cannot ship
  } catch (error) {
    // Still run the suite (against the working tree) so one packaging slip does not hide everything else.
    failures.push(`package: ${error.message}`);
  }
  log(
    vsix
      ? `packaged ${vsix}`
      : 'no .vsix (no `npm run package`, --no-package, or it failed): loading the working tree as the extension',
  );

  const expectations = computeExpectations(join(root, 'samples'));
  const suite = await bundleSuite({ expectations, grep: option('--grep') });
  const workspace = makeWorkspace();
  const scratch = mkdtempSync(join(tmpdir(), 'archlint-e2e-'));
  if (!flag('--keep'))
    cleanups.push(
      () => rmSync(workspace, { recursive: true, force: true }),
      () => rmSync(scratch, { recursive: true, force: true }),
    );
  const userDataDir = join(scratch, 'user-data');
  const extensionsDir = join(scratch, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const userSettingsFile = join(userDataDir, 'User', 'settings.json');
  const userSettingsText = JSON.stringify(USER_SETTINGS, null, 2);
  writeFileSync(userSettingsFile, userSettingsText);
  const extensionPath = vsix ? installVsix(install, vsix, extensionsDir, userDataDir) : root;
  log(`extension under test: ${extensionPath}`);

  const server = await startCodeServer(install, { userDataDir, extensionsDir, workspace });
  log(`code-server listening on ${server.url}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  cleanups.push(() => browser.close().catch(() => undefined));

  log('running the mocha suite inside the extension host');
  let exitCode;
  try {
    exitCode = await runSuiteInWorkbench(browser, server, { extensionPath, suiteIndex: suite.index, workspace });
  } catch (error) {
    failures.push(`suite: ${error.message}`);
  }
  const results = readSuiteResults(suite.results);
  const suiteLog = existsSync(suite.log) ? readFileSync(suite.log, 'utf8').split('\n') : [];
  console.log(suiteLog.filter((line) => !line.startsWith('  … ')).join('\n'));
  if (results) {
    counts.passed += results.passed;
    counts.failed += results.failed;
    counts.skipped += results.skipped;
    if (exitCode !== undefined && (exitCode !== 0) !== results.failed > 0)
      failures.push(`suite: exit code ${exitCode} disagrees with ${results.failed} failure(s)`);
  } else {
    // The suite did not finish: count what its log shows, and name the test it stopped in.
    counts.passed += suiteLog.filter((line) => line.startsWith('  ✓ ')).length;
    counts.failed += suiteLog.filter((line) => line.startsWith('  ✗ ')).length;
    const stalledIn = suiteLog
      .filter((line) => line.startsWith('  … '))
      .pop()
      ?.slice(4);
    failures.push(
      `suite: did not finish (exit code ${exitCode ?? 'none'})${stalledIn ? `; last test started: ${stalledIn}` : ''}; see test/e2e/output/`,
    );
  }

  reportKeystrokeFigures();

  if (!flag('--no-ui')) {
    log('UI checks in Chromium');
    const ui = await withTimeout(
      runUiChecks(browser, server, {
        workspace,
        outputDir,
        expectations,
        readmeScreenshot: flag('--readme-screenshot'),
        // Without a .vsix the extension is not installed: the UI window loads the working tree instead.
        extensionDevelopmentPath: vsix ? undefined : `vscode-remote://127.0.0.1:${server.port}${extensionPath}`,
      }),
      UI_TIMEOUT_MS,
      'the UI checks',
    ).catch((error) => ({ checks: [{ name: 'UI checks ran', ok: false, detail: error.message }] }));
    for (const check of ui.checks) {
      console.log(`  ${check.ok ? '✓' : '✗'} ui: ${check.name}${check.ok ? '' : `\n      ${check.detail}`}`);
      if (check.ok) counts.passed++;
      else counts.failed++;
    }
  }
  checkUserSettings(userSettingsFile, userSettingsText);
}

/** The keystroke test's figures, when this run wrote them (`npm run bench` prints them too). */
function reportKeystrokeFigures() {
  if (!existsSync(keystrokeFiguresFile) || statSync(keystrokeFiguresFile).mtimeMs < startedAt) return;
  try {
    const { archlintUs, plainUs, clientShareUs } = JSON.parse(readFileSync(keystrokeFiguresFile, 'utf8'));
    log(
      `extension host CPU per edit: ${archlintUs.mean} µs in the architecture file, ${plainUs.mean} µs in plain YAML, ` +
        `Archlint's share ${clientShareUs.mean} µs (means; medians ${archlintUs.median} / ${plainUs.median} / ` +
        `${clientShareUs.median} µs) in ${keystrokeFiguresFile}`,
    );
  } catch (error) {
    log(`the keystroke figures in ${keystrokeFiguresFile} are unreadable: ${error.message}`);
  }
}

/**
 * Counts one check: User/settings.json is byte for byte what the runner wrote. The workbench
 * rewrites it only to migrate a value; such a write during the suite puts the workbench's own
 * dirty model of the file among the extension host's documents (see USER_SETTINGS). As a check
 * of its own, a code-server that migrates one of the settings fails every run, not one in many.
 */
function checkUserSettings(file, written) {
  const name = 'runner: the workbench left User/settings.json as written (no setting migrated)';
  const now = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (now === written) {
    console.log(`  ✓ ${name}`);
    counts.passed++;
    return;
  }
  const before = written.split('\n').map((line) => line.trim());
  const after = now.split('\n').map((line) => line.trim());
  const changed = [
    ...before.filter((line) => !after.includes(line)).map((line) => `- ${line}`),
    ...after.filter((line) => !before.includes(line)).map((line) => `+ ${line}`),
  ];
  failures.push(`${name}: ${changed.join('  ') || 'the file is gone'}`);
}

function reportFailures() {
  counts.failed += failures.length;
  for (const failure of failures) console.log(`  ✗ ${failure}`);
  failures.length = 0;
}

async function cleanup() {
  await stopCodeServer();
  for (const fn of cleanups.reverse()) await fn();
}

const hardStop = setTimeout(async () => {
  console.error(`[e2e] the run exceeded ${RUN_TIMEOUT_MS / 60_000} minutes: stopping`);
  failures.push(`the run exceeded ${RUN_TIMEOUT_MS / 60_000} minutes`);
  reportFailures();
  writeSummary(summaryFile, counts);
  console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  await stopCodeServer();
  process.exit(1);
}, RUN_TIMEOUT_MS);
hardStop.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopCodeServer();
    process.exit(130);
  });
}

try {
  await main();
} catch (error) {
  console.error(`[e2e] ${error instanceof Error ? error.stack : String(error)}`);
  failures.push(`the run stopped: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await cleanup();
}
reportFailures();
writeSummary(summaryFile, counts);
log(`done; summary in ${summaryFile}; screenshots and logs in ${outputDir}`);
console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
process.exit(counts.failed > 0 || counts.passed === 0 ? 1 : 0);
