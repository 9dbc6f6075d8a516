// Writes V8's code cache for dist/cli.js (run by scripts/build.mjs in a child process, with the
// Node that built it): a `lint` of a sample runs in this process with its output discarded, so
// the cache holds the bytecode of everything a lint compiles, not just the bundle's top level;
// then dist/cli.js.cache is the bundle's build id followed by V8's data. bin/archlint.js uses it
// only when the id matches the one at the end of dist/cli.js, and V8 only when it was made by
// the same V8 with the same flags; otherwise the bundle is compiled as usual.
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli.js');
const source = readFileSync(bundle, 'latin1');
const id = /\n\/\/# archlint-build=([0-9a-f]{64})\n$/.exec(source)?.[1];
if (!id) throw new Error(`${bundle} has no build id: run scripts/build.mjs`);

// Compiled exactly as bin/archlint.js compiles it: the same wrapper, the same file name.
const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, { filename: bundle });
process.on('beforeExit', () => {
  writeFileSync(`${bundle}.cache`, Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()]));
  process.exitCode = 0;
});
process.stdout.write = () => true;
process.argv = [process.argv[0], bundle, 'lint', join(root, 'samples', 'shop.arch.yaml')];
const mod = { exports: {}, filename: bundle, id: bundle, loaded: false };
script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
