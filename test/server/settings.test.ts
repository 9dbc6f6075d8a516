/**
 * The `archlint.*` settings over the protocol: read per document through
 * `workspace/configuration`, read again on `workspace/didChangeConfiguration`, and what each
 * one does to pushed and pulled diagnostics.
 */
import { describe, expect, it } from 'vitest';
import { CodeLensRequest, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { BROKEN } from '../cli/setup';
import { clientStarter, type LspClient } from './lspClient';
import { SHOP } from './texts';

const start = clientStarter();

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();
const BOTH = ['missing-health-check', 'unknown-reference'];

/** Opens a throw-away document and waits for its diagnostics: everything the server was sent before is handled. */
let barriers = 0;
async function barrier(client: LspClient): Promise<void> {
  const uri = `file:///w/barrier-${++barriers}.arch.yaml`;
  await client.open(uri, SHOP);
  await client.diagnostics(uri, 1);
}

describe('archlint.rules', () => {
  it('are asked for per document (workspace/configuration, section archlint); a malformed severity is logged and ignored', async () => {
    const client = await start({ settings: { rules: { 'missing-health-check': 'off', bogus: 'loud' } } });
    const uri = 'file:///w/rules.arch.yaml';
    await client.open(uri, SHOP);
    expect(codes(await client.diagnostics(uri, 1))).toEqual(['unknown-reference']);
    expect(client.configurationRequests).toContain(uri);
    expect(client.logs.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/archlint\.rules: "bogus" has "loud"; expected error, warning, info or off/),
    );
  });

  it('set severities; a file’s own rules: map wins over them', async () => {
    const client = await start({ settings: { rules: { 'unknown-reference': 'warning', 'missing-health-check': 'info' } } });
    const uri = 'file:///w/severities.arch.yaml';
    await client.open(uri, SHOP);
    const severities = Object.fromEntries((await client.diagnostics(uri, 1)).map((d) => [d.code, d.severity]));
    expect(severities).toEqual({ 'unknown-reference': 2, 'missing-health-check': 3 });
    const own = 'file:///w/own-rules.arch.yaml';
    await client.open(own, SHOP.replace('components:', 'rules: { unknown-reference: error }\ncomponents:'));
    const ownSeverities = Object.fromEntries((await client.diagnostics(own, 1)).map((d) => [d.code, d.severity]));
    expect(ownSeverities).toEqual({ 'unknown-reference': 1, 'missing-health-check': 3 });
  });

  it('may differ per document (the scope URI)', async () => {
    const client = await start();
    const quiet = 'file:///w/quiet.arch.yaml';
    client.settingsByUri.set(quiet, { rules: { 'unknown-reference': 'off' } });
    await client.open(quiet, SHOP);
    await client.open('file:///w/loud.arch.yaml', SHOP);
    expect(codes(await client.diagnostics(quiet, 1))).toEqual(['missing-health-check']);
    expect(codes(await client.diagnostics('file:///w/loud.arch.yaml', 1))).toEqual(BOTH);
  });

  it('are read again on workspace/didChangeConfiguration (push): a rule turned off loses its diagnostics, and back', async () => {
    const client = await start();
    const uri = 'file:///w/reconfigured.arch.yaml';
    await client.open(uri, SHOP);
    expect(codes(await client.diagnostics(uri, 1))).toEqual(BOTH);
    await client.configure({ rules: { 'missing-health-check': 'off' } });
    expect(codes(await client.diagnostics(uri, 1, 1))).toEqual(['unknown-reference']);
    await client.configure({});
    expect(codes(await client.diagnostics(uri, 1, 2))).toEqual(BOTH);
  });

  it('are read again on workspace/didChangeConfiguration (pull): the client is asked to pull again', async () => {
    const client = await start({ pull: true });
    const uri = 'file:///w/reconfigured-pull.arch.yaml';
    await client.open(uri, SHOP);
    expect(codes(await client.pull(uri))).toEqual(BOTH);
    const refreshes = client.diagnosticRefreshes;
    await client.configure({ rules: { 'missing-health-check': 'off' } });
    await client.waitFor('workspace/diagnostic/refresh', () => client.diagnosticRefreshes > refreshes);
    expect(codes(await client.pull(uri))).toEqual(['unknown-reference']);
    expect(client.publishes).toEqual([]);
  });
});

describe('archlint.enable', () => {
  it('false: no diagnostics and no language features; true again: all back', async () => {
    const client = await start({ settings: { enable: true } });
    const uri = 'file:///w/enable.arch.yaml';
    await client.open(uri, SHOP);
    expect(codes(await client.diagnostics(uri, 1))).toEqual(BOTH);
    const textDocument = { uri };
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument });
    expect(lenses!.length).toBeGreaterThan(0);
    await client.configure({ enable: false });
    expect(await client.diagnostics(uri, 1, 1)).toEqual([]);
    expect(await client.connection.sendRequest(CodeLensRequest.type, { textDocument })).toEqual([]);
    expect(
      await client.connection.sendRequest(HoverRequest.type, { textDocument, position: { line: 2, character: 3 } }),
    ).toBeNull();
    // A document opened while disabled gets an empty publish too (clearing what a client may show).
    await client.open('file:///w/enable-2.arch.yaml', SHOP);
    expect(await client.diagnostics('file:///w/enable-2.arch.yaml', 1)).toEqual([]);
    await client.configure({ enable: true });
    expect(codes(await client.diagnostics(uri, 1, 2))).toEqual(BOTH);
    expect(await client.connection.sendRequest(CodeLensRequest.type, { textDocument })).toEqual(lenses);
  });

  it('false in pull mode answers empty reports', async () => {
    const client = await start({ pull: true, settings: { enable: false } });
    const uri = 'file:///w/enable-pull.arch.yaml';
    await client.open(uri, SHOP);
    expect(await client.pull(uri)).toEqual([]);
  });
});

describe('archlint.run', () => {
  it('onSave (push): a change is not linted until the document is saved', async () => {
    const client = await start({ settings: { run: 'onSave' } });
    const uri = 'file:///w/on-save.arch.yaml';
    await client.open(uri, SHOP);
    expect(codes(await client.diagnostics(uri, 1))).toEqual(BOTH);
    await client.change(uri, 2, [
      { range: { start: { line: 11, character: 17 }, end: { line: 11, character: 20 } }, text: 'db' },
    ]);
    await barrier(client);
    expect(client.publishesOf(uri).map((p) => p.version)).toEqual([1]);
    await client.save(uri);
    expect(codes(await client.diagnostics(uri, 2))).toEqual(['missing-health-check']);
  });

  it('onSave (pull): pulls answer what the text was when opened or last saved; a save asks the client to pull again', async () => {
    const client = await start({ pull: true, settings: { run: 'onSave' } });
    const uri = 'file:///w/on-save-pull.arch.yaml';
    await client.open(uri, SHOP);
    const opened = await client.pull(uri);
    expect(codes(opened)).toEqual(BOTH);
    await client.change(uri, 2, [
      { range: { start: { line: 11, character: 17 }, end: { line: 11, character: 20 } }, text: 'db' },
    ]);
    expect(await client.pull(uri)).toEqual(opened);
    const refreshes = client.diagnosticRefreshes;
    await client.save(uri);
    await client.waitFor('workspace/diagnostic/refresh', () => client.diagnosticRefreshes > refreshes);
    expect(codes(await client.pull(uri))).toEqual(['missing-health-check']);
  });

  it('onSave (pull) with a client that cannot be asked to pull again: no refresh, and its next pull is of the saved text', async () => {
    const client = await start({ pull: true, settings: { run: 'onSave' }, capabilities: { workspace: { configuration: true } } });
    const uri = 'file:///w/on-save-no-refresh.arch.yaml';
    await client.open(uri, SHOP);
    expect(codes(await client.pull(uri))).toEqual(BOTH);
    await client.change(uri, 2, [
      { range: { start: { line: 11, character: 17 }, end: { line: 11, character: 20 } }, text: 'db' },
    ]);
    await client.save(uri);
    expect(codes(await client.pull(uri))).toEqual(['missing-health-check']);
    expect(client.diagnosticRefreshes).toBe(0);
  });

  it('onType (pull): a save does not make the client pull again, every pull is of the text now', async () => {
    const client = await start({ pull: true });
    const uri = 'file:///w/on-type-pull.arch.yaml';
    await client.open(uri, SHOP);
    expect(codes(await client.pull(uri))).toEqual(BOTH);
    await client.change(uri, 2, [
      { range: { start: { line: 11, character: 17 }, end: { line: 11, character: 20 } }, text: 'db' },
    ]);
    expect(codes(await client.pull(uri))).toEqual(['missing-health-check']);
    await client.save(uri);
    expect(codes(await client.pull(uri))).toEqual(['missing-health-check']);
    expect(client.diagnosticRefreshes).toBe(0);
  });
});

describe('settings from elsewhere', () => {
  it('yamlExtensionValidates (added by the VS Code client) leaves YAML syntax errors to the YAML extension', async () => {
    const client = await start({ settings: { yamlExtensionValidates: true } });
    await client.open('file:///w/broken.arch.yaml', BROKEN);
    expect(await client.diagnostics('file:///w/broken.arch.yaml', 1)).toEqual([]);
    await client.configure({ yamlExtensionValidates: false });
    expect(codes(await client.diagnostics('file:///w/broken.arch.yaml', 1, 1))).toEqual(['yaml-syntax']);
  });

  it('of any shape fall back to the defaults for what is malformed', async () => {
    for (const settings of [null, 'onSave', [], { enable: 'no', run: 42, rules: ['off'] }]) {
      const client = await start({ settings: settings as never });
      const uri = 'file:///w/malformed-settings.arch.yaml';
      await client.open(uri, SHOP);
      expect(codes(await client.diagnostics(uri, 1)), JSON.stringify(settings)).toEqual(BOTH);
    }
  });

  it('for a client without workspace/configuration: the defaults, or the archlint section it sends in didChangeConfiguration', async () => {
    const client = await start({ configuration: false });
    const uri = 'file:///w/no-configuration.arch.yaml';
    await client.open(uri, SHOP);
    expect(codes(await client.diagnostics(uri, 1))).toEqual(BOTH);
    expect(client.configurationRequests).toEqual([]);
    // Only a client that can answer workspace/configuration is asked to register for its changes.
    expect(client.registrations.map((r) => r.method)).not.toContain('workspace/didChangeConfiguration');
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { archlint: { rules: { 'unknown-reference': 'off' } } },
    });
    expect(codes(await client.diagnostics(uri, 1, 1))).toEqual(['missing-health-check']);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { other: {} } });
    expect(codes(await client.diagnostics(uri, 1, 2))).toEqual(BOTH);
  });
});
