/**
 * The shipped bundle's ./engineLoader.ts: `dist/engine.js` (the engine, `yaml`, the schema
 * validator, the diagram) is loaded on first use, so activating for a plain YAML file costs
 * only the small `dist/extension.js`. scripts/build.mjs puts this file in the other's place.
 */
import type * as EngineModule from './engineModule';

let loaded: typeof EngineModule | undefined;

export function engine(): typeof EngineModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime require of the sibling bundle, on purpose
  return (loaded ??= require('./engine.js') as typeof EngineModule);
}
