/**
 * The engine, as the extension reaches it. In the sources (and the tests) it is the module
 * itself; the shipped bundle replaces this file with ./engineLoader.bundle.ts, which loads
 * `dist/engine.js` on first use (scripts/build.mjs).
 */
import * as engineModule from './engineModule';

export function engine(): typeof engineModule {
  return engineModule;
}
