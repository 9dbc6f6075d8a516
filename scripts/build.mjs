// Builds everything that ships: the precompiled schema validator, then the bundles.
// Usage: node scripts/build.mjs [--watch]
import { build, context } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema } from './compile-schema.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
mkdirSync(join(root, 'dist'), { recursive: true });

compileSchema();

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

const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none', absWorkingDir: root };
const bundles = [
  // The CLI: Node, one file, everything inlined so `npx archlint` starts fast. `archlint lsp`
  // requires the server's own bundle (dist/server.js) when it runs, so no other command loads it.
  // ESM-only dependencies (fdir, under tinyglobby) read import.meta.url, which is empty in CJS: give them this file's URL.
  {
    entryPoints: ['extension/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "var __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  },
  // The language server (`archlint lsp`, and the process the VS Code client starts).
  {
    entryPoints: ['extension/src/server/main.ts'],
    outfile: 'dist/server.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
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
