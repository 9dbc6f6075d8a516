/**
 * The shipped bundle's ./clientLoader.ts: `dist/client.js` (the language client and its
 * dependencies) is loaded on first use, so activating for a plain YAML file costs only the small
 * `dist/extension.js`. scripts/build.mjs puts this file in the other's place.
 */
import type * as ClientModule from './client';

let loaded: typeof ClientModule | undefined;

export function client(): typeof ClientModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime require of the sibling bundle, on purpose
  return (loaded ??= require('./client.js') as typeof ClientModule);
}
