// Regenerates docs/rules/*.md and the README's rule table from rule metadata (see scripts/docs.ts).
// Usage: npm run docs
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'archlint-docs-'));
try {
  const outfile = join(dir, 'docs.cjs');
  await build({
    entryPoints: [join(root, 'scripts/docs.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
  const { writeDocs } = createRequire(import.meta.url)(outfile);
  const changed = writeDocs(root);
  console.log(changed.length ? `updated ${changed.join(', ')}` : 'docs are up to date');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
