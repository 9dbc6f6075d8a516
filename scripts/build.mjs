// Builds everything that ships: the precompiled schema validator, then the bundles.
// Usage: node scripts/build.mjs [--watch]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { build, context } from 'esbuild';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema, CONFIG_GENERATED, CONFIG_SCHEMA } from './compile-schema.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
mkdirSync(join(root, 'dist'), { recursive: true });

compileSchema();
compileSchema({ schemaPath: CONFIG_SCHEMA, outFile: CONFIG_GENERATED });

/** Points the extension bundle's `./clientLoader` at `clientLoader.bundle.ts`, which requires dist/client.js. */
const lazyClient = {
  name: 'lazy-client',
  setup(b) {
    b.onResolve({ filter: /^(\.\.?\/)+clientLoader$/ }, (args) =>
      args.importer.includes(join('extension', 'src', 'vscode'))
        ? { path: join(dirname(args.importer), `${args.path}.bundle.ts`) }
        : undefined,
    );
  },
};

/** What dist/extension.js may require: the host's API and, lazily, the client bundle beside it. */
const ENTRY_REQUIRES = ['vscode', './client.js'];

/**
 * The CLI bundle is what every hook and CI step loads, so it holds the engine and the commands but
 * not what only one command needs: `./diagramLoader` becomes its lazy twin, which requires
 * dist/diagram.js (the renderer, Mermaid, the layout thread's host) when `archlint diagram` runs,
 * as `archlint lsp` requires dist/server.js; ELK itself only ever loads in dist/layoutThread.js.
 * A direct import that would pull any of them back in fails the build.
 */
const lazyCliCommands = {
  name: 'lazy-cli-commands',
  setup(b) {
    b.onResolve({ filter: /^(\.\.?\/)+diagramLoader$/ }, (args) => ({
      path: join(args.resolveDir, `${args.path}.bundle.ts`),
    }));
    b.onLoad({ filter: /[\\/](node_modules[\\/]elkjs|extension[\\/]src[\\/](diagram|server))[\\/]/ }, (args) => ({
      errors: [{ text: `dist/cli.js must not bundle ${args.path}: it is loaded on demand (dist/diagram.js, dist/server.js)` }],
    }));
  },
};

const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none', absWorkingDir: root };
const bundles = [
  // The CLI: Node, the engine and every command inlined, so `npx archlint lint` starts fast; what
  // one command alone needs is its own bundle, required when that command runs (lazyCliCommands).
  // ESM-only dependencies (fdir, under tinyglobby) read import.meta.url, which is empty in CJS: give them this file's URL.
  {
    entryPoints: ['extension/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "var __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    plugins: [lazyCliCommands],
  },
  // `archlint diagram`'s drawing: the SVG renderer, Mermaid and the host of the layout thread.
  {
    entryPoints: ['extension/src/diagram/cli.ts'],
    outfile: 'dist/diagram.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
  },
  // The language server (`archlint lsp`, and the process the VS Code client starts); it globs a
  // configuration's architectures groups with tinyglobby, so it gets the CLI's import.meta.url too.
  {
    entryPoints: ['extension/src/server/main.ts'],
    outfile: 'dist/server.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "var __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  },
  // The CLI's layout thread: ELK alone, in a worker thread the CLI can stop when its time budget runs out.
  {
    entryPoints: ['extension/src/diagram/layoutThread.ts'],
    outfile: 'dist/layoutThread.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
  },
  // The extension host entry: `vscode` is provided by the host. It loads the language client
  // (dist/client.js) on the first architecture file, not at activation: clientLoader.ts becomes its lazy twin.
  {
    entryPoints: ['extension/src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', './client.js'],
    minify: true,
    plugins: [lazyClient],
    metafile: true,
  },
  {
    entryPoints: ['extension/src/vscode/client.ts'],
    outfile: 'dist/client.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    minify: true,
  },
  // The webview (browser) and the layout worker it starts.
  {
    entryPoints: ['webview/src/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
  },
  {
    entryPoints: ['webview/src/layoutWorker.ts'],
    outfile: 'dist/layoutWorker.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
  },
].filter((b) => existsSync(join(root, b.entryPoints[0])));

if (watch) {
  for (const b of bundles) await (await context({ ...common, ...b })).watch();
  console.log(`watching ${bundles.length} bundles…`);
} else {
  const results = await Promise.all(bundles.map((b) => build({ ...common, ...b })));
  // The entry must carry neither the engine nor the client: if a direct import pulls one back in, say so at build time.
  // Nor may it require anything at load but `vscode` and its lazy client: a Node built-in such as
  // node:crypto costs tens of milliseconds of activation through the bundle's import wrapper.
  for (const [i, result] of results.entries()) {
    if (!result.metafile) continue;
    const heavy = Object.keys(result.metafile.inputs).filter((f) =>
      /node_modules\/(yaml|ajv|vscode-languageclient|vscode-languageserver[\w-]*|vscode-jsonrpc)\/|schemaValidator\.generated|engine\/|vscode\/client\.ts/.test(
        f,
      ),
    );
    if (heavy.length > 0)
      throw new Error(`${bundles[i].outfile} bundles what should load lazily: ${heavy.slice(0, 5).join(', ')}`);
    const required = Object.values(result.metafile.outputs)
      .flatMap((output) => output.imports)
      .filter((imported) => imported.external && !ENTRY_REQUIRES.includes(imported.path))
      .map((imported) => imported.path);
    if (required.length > 0)
      throw new Error(
        `${bundles[i].outfile} requires more than ${ENTRY_REQUIRES.join(' and ')}: ${[...new Set(required)].join(', ')}`,
      );
  }
}

/**
 * Marks dist/cli.js with a build id (a hash of its text) and writes V8's code cache for it, which
 * bin/archlint.js uses only for the bundle with that id: a process per hook or CI step then skips
 * compiling what a lint runs. After `--watch` rebuilds, the bundle has no id and the cache is ignored.
 */
function writeCliCodeCache() {
  const bundle = join(root, 'dist', 'cli.js');
  rmSync(`${bundle}.cache`, { force: true });
  if (!existsSync(bundle)) return;
  const text = readFileSync(bundle);
  // bin/archlint.js reads the bundle as Latin-1, which is exact for ASCII (esbuild's default charset).
  if (text.some((byte) => byte > 0x7f)) throw new Error(`${bundle} is not ASCII: keep esbuild's charset at "ascii"`);
  const id = createHash('sha256').update(text).digest('hex');
  appendFileSync(bundle, `//# archlint-build=${id}\n`);
  execFileSync(process.execPath, [join(root, 'scripts', 'cli-code-cache.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
}

if (!watch) writeCliCodeCache();
