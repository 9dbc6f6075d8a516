import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, BIN, buildCliOnce, ROOT, tempTree } from './setup';

beforeAll(buildCliOnce);

/** Runs archlint with a preload that prints, at exit, every module file the process required. */
function loadedFiles(args: readonly string[], bin = BIN): { code: number | null; files: string[] } {
  const dir = tempTree({
    'preload.cjs': `process.on('exit', () => require('fs').writeSync(2, '\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));\n`,
  });
  const r = spawnSync(process.execPath, ['-r', join(dir, 'preload.cjs'), bin, ...args], { cwd: ROOT, encoding: 'utf8' });
  const files = JSON.parse(/\nLOADED (.*)\n$/.exec(r.stderr)?.[1] ?? 'null') as string[] | null;
  if (!files) throw new Error(`no module list: ${r.stderr}`);
  return { code: r.status, files };
}

describe('the CLI bundles', () => {
  it('lint and availability load neither the diagram (ELK) nor the language server; diagram loads its own bundle', () => {
    const heavy = (files: string[]) =>
      files.filter((f) => /[\\/](diagram|server)\.js$|elkjs/.test(f)).map((f) => f.slice(ROOT.length));
    const lint = loadedFiles(['lint', 'samples/shop.arch.yaml']);
    expect(lint.code).toBe(1);
    expect(heavy(lint.files)).toEqual([]);
    expect(heavy(loadedFiles(['availability', 'samples/shop.arch.yaml']).files)).toEqual([]);
    expect(heavy(loadedFiles(['--help']).files)).toEqual([]);
    const diagram = loadedFiles(['diagram', '--format', 'mermaid', 'samples/shop.arch.yaml']);
    expect(diagram.code).toBe(0);
    expect(heavy(diagram.files)).toEqual(['dist/diagram.js']);
  });

  it('compile the CLI from the code cache the build wrote for it', () => {
    const r = archlint(['--version'], ROOT, { ARCHLINT_DEBUG: '1' });
    expect(r.stderr).toBe('archlint: debug: dist/cli.js compiled from its code cache\n');
    const bundle = readFileSync(join(ROOT, 'dist/cli.js'), 'latin1');
    const id = /\n\/\/# archlint-build=([0-9a-f]{64})\n$/.exec(bundle)?.[1];
    expect(readFileSync(join(ROOT, 'dist/cli.js.cache')).toString('latin1', 0, 64)).toBe(id);
  });

  it('ignore a code cache made for another build, and one V8 rejects, and run all the same', () => {
    // A copy of the installed layout: bin/ beside dist/.
    const copy = tempTree({});
    mkdirSync(join(copy, 'bin'));
    mkdirSync(join(copy, 'dist'));
    copyFileSync(BIN, join(copy, 'bin/archlint.js'));
    for (const f of ['cli.js', 'cli.js.cache']) copyFileSync(join(ROOT, 'dist', f), join(copy, 'dist', f));
    const run = () =>
      spawnSync(process.execPath, [join(copy, 'bin/archlint.js'), 'lint', 'samples/shop.arch.yaml'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, ARCHLINT_DEBUG: '1', NO_COLOR: '1' },
      });
    const expected = archlint(['lint', 'samples/shop.arch.yaml'], ROOT, { NO_COLOR: '1' }).stdout;
    // The same build id, but bytes V8 did not write: V8 refuses them and compiles the bundle.
    const cache = readFileSync(join(copy, 'dist/cli.js.cache'));
    writeFileSync(join(copy, 'dist/cli.js.cache'), Buffer.concat([cache.subarray(0, 64), Buffer.alloc(cache.length - 64, 7)]));
    const rejected = run();
    expect(rejected.stderr).toBe('archlint: debug: V8 rejected dist/cli.js.cache (another Node?)\n');
    expect([rejected.status, rejected.stdout]).toEqual([1, expected]);
    // A rebuilt bundle (here: changed after its id) is not matched with the old cache at all.
    appendFileSync(join(copy, 'dist/cli.js'), '// changed\n');
    const stale = run();
    expect(stale.stderr).toBe('archlint: debug: dist/cli.js.cache belongs to another build of dist/cli.js\n');
    expect([stale.status, stale.stdout]).toEqual([1, expected]);
  });
});
