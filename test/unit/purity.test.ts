import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

/** Module specifiers a file imports or requires. */
function importsOf(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm,
  )) {
    specs.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  }
  return specs;
}

describe('the engine and the diagram module are pure', () => {
  for (const folder of ['extension/src/engine', 'extension/src/diagram']) {
    it(`${folder} imports nothing from vscode and uses no DOM`, () => {
      let files: string[] = [];
      try {
        files = sources(join(root, folder));
      } catch {
        files = [];
      }
      if (folder === 'extension/src/engine') expect(files.length).toBeGreaterThan(10);
      const offenders: string[] = [];
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        const rel = relative(root, file);
        if (importsOf(text).some((s) => s === 'vscode' || s.startsWith('vscode/'))) offenders.push(`${rel}: imports vscode`);
        // A use of the DOM (not a mention in a comment): document./window./navigator. at an expression start.
        const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
        if (/(^|[^\w.$])(window|document|navigator|HTMLElement|localStorage)\s*[.[]/m.test(code))
          offenders.push(`${rel}: uses the DOM`);
      }
      expect(offenders).toEqual([]);
    });
  }

  it('the check itself catches an import of vscode', () => {
    expect(importsOf("import * as vscode from 'vscode';\nconst x = require('vscode');")).toEqual(['vscode', 'vscode']);
  });
});
