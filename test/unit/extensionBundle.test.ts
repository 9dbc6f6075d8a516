// What the VS Code extension ships: the .vsix allow-list holds every bundle the extension reads
// at run time and nothing that is not built.
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

  it('the entry lets the client load later, by its bundle name', () => {
    // The lazy loader (clientLoader.bundle.ts) requires the sibling bundle the allow-list ships.
    expect(readFileSync(join(ROOT, 'dist', 'extension.js'), 'utf8')).toContain('require("./client.js")');
  });
});
