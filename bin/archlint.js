#!/usr/bin/env node
'use strict';
// The CLI is bundled into dist/ by `npm run build` (run on install by `prepare`). Every commit hook
// and CI step is a new process, so the bundle is compiled with the V8 code cache the build wrote
// beside it (scripts/cli-code-cache.mjs) when that cache was made from this very bundle; when it
// was not, or V8 rejects it (another Node), the bundle is simply compiled.
const { readFileSync } = require('fs');
const { dirname, join } = require('path');

const bundle = join(__dirname, '..', 'dist', 'cli.js');
/** The build id at the end of the bundle and at the start of its cache: 64 hex digits. */
const ID_LENGTH = 64;

/** `ARCHLINT_DEBUG=1` says on standard error how the bundle was loaded. */
const debug = (message) => process.env.ARCHLINT_DEBUG && process.stderr.write(`archlint: debug: ${message}\n`);

function cachedBundle() {
  let cache;
  try {
    cache = readFileSync(`${bundle}.cache`);
  } catch {
    return (debug('dist/cli.js has no code cache'), undefined);
  }
  // The bundle is ASCII (esbuild escapes the rest), so Latin-1 reads it unchanged, and fastest.
  const source = readFileSync(bundle, 'latin1');
  const id = source.slice(-ID_LENGTH - 1, -1);
  if (!source.endsWith(`\n//# archlint-build=${id}\n`) || cache.toString('latin1', 0, ID_LENGTH) !== id) {
    return (debug('dist/cli.js.cache belongs to another build of dist/cli.js'), undefined);
  }
  return { source, data: cache.subarray(ID_LENGTH) };
}

const cached = cachedBundle();
if (cached) {
  // What require() would do, with the cache: the same wrapper as Node's, so the same code. The
  // bundle requires only Node's modules and files by absolute path, so this file's require serves.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${cached.source}\n});`;
  const script = new (require('vm').Script)(wrapped, { filename: bundle, cachedData: cached.data });
  debug(script.cachedDataRejected ? 'V8 rejected dist/cli.js.cache (another Node?)' : 'dist/cli.js compiled from its code cache');
  const mod = { exports: {}, filename: bundle, id: bundle, loaded: false };
  script.runInThisContext()(mod.exports, require, mod, bundle, dirname(bundle));
} else {
  require(bundle);
}
