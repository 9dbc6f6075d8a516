// What the VS Code extension ships and loads: the .vsix allow-list holds every bundle the
// extension reads at run time and nothing that is not built, and activating it (the require of
// dist/extension.js) loads no module but `vscode`: the language client, the server and
// everything heavy come later, on the first architecture file.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCliOnce, ROOT } from '../cli/setup';

/** The bundles the extension reads at run time: its entry, the client it requires, the server the client starts, the webview's page scripts. */
const LOADED_AT_RUN_TIME = ['dist/extension.js', 'dist/client.js', 'dist/server.js', 'dist/webview.js', 'dist/layoutWorker.js'];

/** The files `.vscodeignore` lets into the .vsix (an allow-list: `**`, then `!path` lines). */
function allowList(): string[] {
  return readFileSync(join(ROOT, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1));
}

/**
 * Requires dist/extension.js in a fresh Node process with `vscode` stubbed (any property is a
 * no-op stand-in), and returns every module specifier required while it loads.
 */
function modulesRequiredAtLoad(): string[] {
  const script = `
    const Module = require('module');
    const stub = new Proxy(function () {}, { get: (t, k) => (k === Symbol.toPrimitive ? () => '' : stub), getPrototypeOf: () => stub, apply: () => stub, construct: () => stub });
    const load = Module._load;
    const seen = [];
    Module._load = function (request, parent, ...rest) {
      if (parent && parent.filename === ${JSON.stringify(join(ROOT, 'dist', 'extension.js'))}) seen.push(request);
      return request === 'vscode' ? stub : load.call(this, request, parent, ...rest);
    };
    require(${JSON.stringify(join(ROOT, 'dist', 'extension.js'))});
    process.stdout.write(JSON.stringify([...new Set(seen)]));
  `;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`requiring dist/extension.js failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

describe('the VS Code extension bundles', () => {
  beforeAll(() => buildCliOnce(), 120_000);

  it('the .vsix allow-list ships every bundle the extension loads at run time', () => {
    const allowed = allowList();
    expect(LOADED_AT_RUN_TIME.filter((file) => !allowed.includes(file))).toEqual([]);
  });

  it('every file the .vsix allow-list names under dist/ is built', () => {
    const missing = allowList().filter((file) => file.startsWith('dist/') && !existsSync(join(ROOT, file)));
    expect(missing).toEqual([]);
  });

  it('activation requires nothing but vscode (the client is loaded on the first architecture file)', () => {
    expect(modulesRequiredAtLoad()).toEqual(['vscode']);
  });

  it('the entry lets the client load later, by its bundle name', () => {
    // The lazy loader (clientLoader.bundle.ts) requires the sibling bundle the allow-list ships.
    expect(readFileSync(join(ROOT, 'dist', 'extension.js'), 'utf8')).toContain('require("./client.js")');
  });
});
