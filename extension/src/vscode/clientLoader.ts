/**
 * The language client, as the extension reaches it. In the sources (and the tests) it is the
 * module itself; the shipped bundle replaces this file with ./clientLoader.bundle.ts, which
 * loads `dist/client.js` on first use (scripts/build.mjs).
 */
import * as clientModule from './client';

export function client(): typeof clientModule {
  return clientModule;
}
