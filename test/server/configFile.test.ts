/**
 * The configuration file (archlint.config.yaml) in the editor: the server reads the nearest one
 * above each document on disk, applies it between the settings and the file's own `rules:`, reads
 * it again when the client reports it changed (workspace/didChangeWatchedFiles) and lints the
 * open documents again; a configuration with problems is not applied, and its problems are
 * published at it.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { clientStarter, LspClient } from './lspClient';
import { SHOP } from './texts';

const start = clientStarter();

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
/** A throw-away repository (a `.git` folder marks its root) with the given files. */
function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'archlint-lsp-config-'));
  roots.push(root);
  mkdirSync(join(root, '.git'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
const uriOf = (root: string, path: string) => pathToFileURL(join(root, path)).href;
const severities = (ds: Diagnostic[]) => Object.fromEntries(ds.map((d) => [d.code, d.severity]));
const changed = (client: LspClient, uri: string, type: 1 | 2 | 3) =>
  client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type }] });

describe('archlint.config.yaml in the language server', () => {
  it('applies the nearest configuration above a document: over the settings, under the file’s own rules:', async () => {
    const root = repository({
      'archlint.config.yaml': 'rules: { missing-health-check: off, unknown-reference: info }\n',
      'svc/.archlint.yaml': 'rules: { unknown-reference: warning }\n',
    });
    const client = await start({ settings: { rules: { 'missing-health-check': 'error' } } });
    const top = uriOf(root, 'top.arch.yaml');
    const nested = uriOf(root, 'svc/deep/nested.arch.yaml');
    const own = uriOf(root, 'own.arch.yaml');
    await client.open(top, SHOP);
    await client.open(nested, SHOP);
    await client.open(own, SHOP.replace('components:', 'rules: { unknown-reference: error }\ncomponents:'));
    // The top configuration turns missing-health-check off over the setting's error.
    expect(severities(await client.diagnostics(top, 1))).toEqual({ 'unknown-reference': 3 });
    // The nearest wins, whole: svc/.archlint.yaml says nothing of missing-health-check, so the setting holds.
    expect(severities(await client.diagnostics(nested, 1))).toEqual({ 'missing-health-check': 1, 'unknown-reference': 2 });
    expect(severities(await client.diagnostics(own, 1))).toEqual({ 'unknown-reference': 1 });
  });

  it('reads a configuration file again when it changes, is created or is deleted, and lints open documents again (push)', async () => {
    const root = repository({});
    const client = await start();
    const uri = uriOf(root, 'shop.arch.yaml');
    const config = join(root, 'archlint.config.yaml');
    const configUri = pathToFileURL(config).href;
    await client.open(uri, SHOP);
    expect(severities(await client.diagnostics(uri, 1))).toEqual({ 'missing-health-check': 2, 'unknown-reference': 1 });

    writeFileSync(config, 'rules: { unknown-reference: off }\n');
    await changed(client, configUri, 1);
    expect(severities(await client.diagnostics(uri, 1, 1))).toEqual({ 'missing-health-check': 2 });

    writeFileSync(config, 'rules: { unknown-reference: warning }\n');
    await changed(client, configUri, 2);
    expect(severities(await client.diagnostics(uri, 1, 2))).toEqual({ 'missing-health-check': 2, 'unknown-reference': 2 });

    unlinkSync(config);
    await changed(client, configUri, 3);
    expect(severities(await client.diagnostics(uri, 1, 3))).toEqual({ 'missing-health-check': 2, 'unknown-reference': 1 });
  });

  it('asks a pull client to pull again when a configuration file changes', async () => {
    const root = repository({ '.archlint.yaml': 'rules: { missing-health-check: info }\n' });
    const client = await start({ pull: true });
    const uri = uriOf(root, 'pulled.arch.yaml');
    await client.open(uri, SHOP);
    expect(severities(await client.pull(uri))).toEqual({ 'missing-health-check': 3, 'unknown-reference': 1 });
    const refreshes = client.diagnosticRefreshes;
    writeFileSync(join(root, '.archlint.yaml'), 'rules: { missing-health-check: off }\n');
    await changed(client, uriOf(root, '.archlint.yaml'), 2);
    await client.waitFor('workspace/diagnostic/refresh', () => client.diagnosticRefreshes > refreshes);
    expect(severities(await client.pull(uri))).toEqual({ 'unknown-reference': 1 });
  });

  it('a configuration with problems is not applied; its problems are published at it with their ranges, and cleared once fixed', async () => {
    const root = repository({ 'archlint.config.yaml': 'rules:\n  missing-health-check: off\n  unknown-refrence: off\n' });
    const client = await start();
    const uri = uriOf(root, 'bad.arch.yaml');
    const configUri = uriOf(root, 'archlint.config.yaml');
    await client.open(uri, SHOP);
    expect(severities(await client.diagnostics(uri, 1))).toEqual({ 'missing-health-check': 2, 'unknown-reference': 1 });
    const problems = await client.diagnostics(configUri);
    expect(problems.map((d) => [d.range, d.message, d.code])).toEqual([
      [
        { start: { line: 2, character: 2 }, end: { line: 2, character: 18 } },
        'unknown rule "unknown-refrence" — did you mean "unknown-reference"?',
        'schema',
      ],
    ]);

    writeFileSync(join(root, 'archlint.config.yaml'), 'rules:\n  missing-health-check: off\n');
    await changed(client, configUri, 2);
    expect(await client.diagnostics(configUri, undefined, 1)).toEqual([]);
    expect(severities(await client.diagnostics(uri, 1, 1))).toEqual({ 'unknown-reference': 1 });
  });

  it('a document that is no file on disk (untitled:) takes no configuration', async () => {
    const client = await start({ settings: { rules: { 'missing-health-check': 'info' } } });
    const uri = 'untitled:Untitled-1.arch.yaml';
    await client.open(uri, SHOP);
    expect(severities(await client.diagnostics(uri, 1))).toEqual({ 'missing-health-check': 3, 'unknown-reference': 1 });
  });
});
