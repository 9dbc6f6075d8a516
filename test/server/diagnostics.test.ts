/**
 * Diagnostics over the protocol, against the CLI's own answers: pushed to a client without
 * `textDocument.diagnostic`, pulled by one with it; rule ids as codes linking to the rule's page;
 * related locations; incremental sync; one publish per lint; other YAML left alone.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentSymbolRequest, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { LintedNotification } from '../../extension/src/protocol';
import { tempTree } from '../cli/setup';
import { random } from '../../bench/generate.mjs';
import { LspClient, repoUri, SLOW, type StartOptions } from './lspClient';
import { cliDiagnostics, publicPart, readRepoFile, SAMPLES } from './oracle';
import { SHOP } from './texts';

const clients: LspClient[] = [];
async function start(options: StartOptions = {}) {
  const started = await LspClient.start(options);
  clients.push(started.client);
  return started;
}
afterEach(async () => {
  const done = clients.splice(0);
  await Promise.all(done.map((client) => client.dispose()));
  for (const client of done) client.expectClean();
});

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

describe('diagnostics pushed to a client that cannot pull them', () => {
  it('are, for every sample, exactly the CLI findings: rule, severity, range, message, docs link, related locations', async () => {
    const { client, initialized } = await start();
    expect(initialized.capabilities.diagnosticProvider).toBeUndefined();
    expect(initialized.capabilities.textDocumentSync).toMatchObject({ openClose: true, change: 2 /* incremental */ });
    const expected = cliDiagnostics(SAMPLES, repoUri);
    for (const path of SAMPLES) await client.open(repoUri(path), readRepoFile(path));
    for (const path of SAMPLES) {
      const diagnostics = await client.diagnostics(repoUri(path), 1);
      expect(diagnostics.map(publicPart), path).toEqual(expected.get(path));
      for (const d of diagnostics) expect(d.codeDescription!.href).toMatch(new RegExp(`/docs/rules/${d.code as string}\\.md$`));
    }
    // payments-platform is clean: published empty, so a client clears what it showed.
    expect(expected.get('samples/payments-platform.arch.yaml')).toEqual([]);
    // One lint, one publish (and one archlint/linted) per opened document.
    for (const path of SAMPLES) {
      expect(client.publishesOf(repoUri(path)), path).toHaveLength(1);
      expect(
        client.linted.filter((l) => l.uri === repoUri(path)),
        path,
      ).toHaveLength(1);
    }
  });

  it('publish the former extension-host shop on open: unknown-reference at 12:18, linking to its docs', async () => {
    const { client } = await start();
    const uri = 'file:///w/shop.arch.yaml';
    await client.open(uri, SHOP);
    const diagnostics = await client.diagnostics(uri, 1);
    expect(codes(diagnostics).sort()).toEqual(['missing-health-check', 'unknown-reference']);
    const unknown = diagnostics.find((d) => d.code === 'unknown-reference')!;
    expect(unknown.source).toBe('archlint');
    expect(unknown.range).toEqual({ start: { line: 11, character: 17 }, end: { line: 11, character: 20 } });
    expect(unknown.codeDescription!.href).toMatch(/^https:\/\/.*\/docs\/rules\/unknown-reference\.md$/);
  });

  it('never go to a YAML file that is not an architecture file, nor do the language features', async () => {
    const { client } = await start();
    // A Compose file by another name than Compose's own (opened as YAML) is any YAML file to the editor.
    const compose = 'file:///w/docker-stack.yml';
    await client.open(compose, 'services: {}\n');
    await client.open('file:///w/notes.yaml', 'not: [valid\n');
    await client.open('file:///w/shop.arch.yaml', SHOP);
    await client.diagnostics('file:///w/shop.arch.yaml', 1);
    await client.close(compose);
    // A later document's publish is the barrier: the server handles documents in order.
    await client.open('file:///w/after.arch.yaml', SHOP);
    await client.diagnostics('file:///w/after.arch.yaml', 1);
    expect(client.publishes.map((p) => p.uri)).toEqual(['file:///w/shop.arch.yaml', 'file:///w/after.arch.yaml']);
    expect(client.linted.map((l) => l.uri)).toEqual(['file:///w/shop.arch.yaml', 'file:///w/after.arch.yaml']);
    expect(client.configurationRequests).toEqual(['file:///w/shop.arch.yaml', 'file:///w/after.arch.yaml']);
    const notes = { textDocument: { uri: 'file:///w/notes.yaml' } };
    expect(await client.connection.sendRequest(DocumentSymbolRequest.type, notes)).toEqual([]);
    expect(await client.connection.sendRequest(HoverRequest.type, { ...notes, position: { line: 0, character: 1 } })).toBeNull();
  });

  it('follow incremental edits (several in one change, CRLF text) and carry the version they are for', async () => {
    const { client } = await start({ initializationOptions: { lintDelay: 0 } });
    const uri = 'file:///w/crlf.arch.yaml';
    const crlf = SHOP.replace(/\n/g, '\r\n');
    await client.open(uri, crlf);
    expect(codes(await client.diagnostics(uri, 1)).sort()).toEqual(['missing-health-check', 'unknown-reference']);
    // The same edits the client makes to its own copy: `dbb` → `db`, and a health check for web.
    const mirror = TextDocument.create(uri, 'yaml', 1, crlf);
    const changes = [
      { range: { start: { line: 11, character: 17 }, end: { line: 11, character: 20 } }, text: 'db' },
      // A character past the line's end means the line's end (LSP), not the next line.
      {
        range: { start: { line: 10, character: 999 }, end: { line: 10, character: 999 } },
        text: '\r\n    health-check: { path: /h }',
      },
    ];
    TextDocument.update(mirror, changes, 2);
    await client.change(uri, 2, changes);
    expect(await client.diagnostics(uri, 2)).toEqual([]);
    expect(mirror.getText()).toContain(
      'replicas: 3 # three of them\r\n    health-check: { path: /h }\r\n    depends-on: [db]\r\n',
    );
    // A full-text change (no range) replaces everything.
    await client.change(uri, 3, [{ text: SHOP }]);
    expect(codes(await client.diagnostics(uri, 3)).sort()).toEqual(['missing-health-check', 'unknown-reference']);
  });

  it(
    'after 40 random incremental edits (several per change, requests between them) equal the CLI findings on the edited text',
    async () => {
      const { client } = await start({ initializationOptions: { lintDelay: 0 } });
      const path = 'samples/saas-api.arch.yaml';
      const dir = tempTree({ 'edited.arch.yaml': '' });
      const uri = `file://${dir}/edited.arch.yaml`;
      const mirror = TextDocument.create(uri, 'yaml', 1, readRepoFile(path));
      await client.open(uri, mirror.getText());
      const next = random(2026);
      const pieces = ['', ' ', 'x', '\n', '\n  ', ': ', '- ', '[', ']', '{', '}', ',', '#', 'replicas: 2', 'db', '"'];
      for (let version = 2; version <= 41; version++) {
        const changes = Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
          const text = mirror.getText();
          const start = Math.floor(next() * (text.length + 1));
          const end = Math.min(text.length, start + Math.floor(next() * 6));
          const change = {
            range: { start: mirror.positionAt(start), end: mirror.positionAt(end) },
            text: pieces[Math.floor(next() * pieces.length)]!,
          };
          TextDocument.update(mirror, [change], mirror.version);
          return change;
        });
        await client.change(uri, version, changes);
        if (version % 5 === 0) {
          const position = mirror.positionAt(Math.floor(next() * mirror.getText().length));
          await client.connection
            .sendRequest(HoverRequest.type, { textDocument: { uri }, position })
            .catch((e: { code: number }) => {
              if (e.code !== -32801) throw e;
            });
        }
      }
      await client.save(uri);
      writeFileSync(`${dir}/edited.arch.yaml`, mirror.getText());
      const expected = cliDiagnostics(['edited.arch.yaml'], () => uri, dir).get('edited.arch.yaml');
      expect((await client.diagnostics(uri, 41)).map(publicPart)).toEqual(expected);
      // Every publish names a version that was sent, in order.
      const versions = client.publishesOf(uri).map((p) => p.version!);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    },
    SLOW,
  );

  it('wait for a pause in typing: changes in quick succession give one lint, and a save lints at once', async () => {
    // A pause longer than any test: only the save can make the server lint the changes.
    const { client } = await start({ initializationOptions: { lintDelay: 600_000 } });
    const uri = 'file:///w/typing.arch.yaml';
    await client.open(uri, SHOP);
    await client.diagnostics(uri, 1);
    const at = { line: 11, character: 20 };
    for (const [version, text] of [
      [2, ', x'],
      [3, ', y'],
      [4, ', z'],
    ] as const) {
      await client.change(uri, version, [{ range: { start: at, end: at }, text }]);
      at.character += text.length;
    }
    await client.save(uri);
    const diagnostics = await client.diagnostics(uri, 4);
    expect(client.publishesOf(uri).map((p) => p.version)).toEqual([1, 4]);
    expect(diagnostics.filter((d) => d.code === 'unknown-reference').map((d) => d.message)).toHaveLength(4);
  });

  it('come after the default typing pause by themselves', async () => {
    const { client } = await start();
    const uri = 'file:///w/pause.arch.yaml';
    await client.open(uri, SHOP);
    await client.diagnostics(uri, 1);
    await client.change(uri, 2, [
      { range: { start: { line: 11, character: 17 }, end: { line: 11, character: 20 } }, text: 'db' },
    ]);
    expect(codes(await client.diagnostics(uri, 2))).toEqual(['missing-health-check']);
  });

  it('are cleared when the document closes', async () => {
    const { client } = await start();
    const uri = 'file:///w/closing.arch.yaml';
    await client.open(uri, SHOP);
    await client.diagnostics(uri, 1);
    await client.close(uri);
    await client.waitFor('the clearing publish', () => client.publishesOf(uri).length === 2);
    expect(client.publishesOf(uri)[1]!.diagnostics).toEqual([]);
  });

  it('are followed by archlint/linted with the status bar text of the file (problems and the weakest entry)', async () => {
    const { client } = await start();
    const uri = 'file:///w/status.arch.yaml';
    await client.open(uri, SHOP.replace('[dbb]', '[db]'));
    await client.diagnostics(uri, 1);
    const linted = await client.waitFor('archlint/linted', () => client.linted.find((l) => l.uri === uri));
    expect(LintedNotification.method).toBe('archlint/linted');
    expect(linted.version).toBe(1);
    expect(linted.status.text).toMatch(/^Archlint: \$\(warning\) 1 · \d+\.\d+%$/);
    expect(linted.status.tooltip).toMatch(/^Archlint: 0 errors, 1 warning, 0 infos\nedge: \d+\.\d+% \(.+ down\/year\)$/);
  });
});

describe('diagnostics pulled by a client that can', () => {
  it('are answered to textDocument/diagnostic, equal to the CLI for every sample, and never pushed', async () => {
    const { client, initialized } = await start({ pull: true });
    expect(initialized.capabilities.diagnosticProvider).toMatchObject({
      interFileDependencies: false,
      workspaceDiagnostics: false,
    });
    const expected = cliDiagnostics(SAMPLES, repoUri);
    for (const path of SAMPLES) {
      await client.open(repoUri(path), readRepoFile(path));
      expect((await client.pull(repoUri(path))).map(publicPart), path).toEqual(expected.get(path));
    }
    const uri = 'file:///w/pulled.arch.yaml';
    await client.open(uri, SHOP);
    expect(codes(await client.pull(uri)).sort()).toEqual(['missing-health-check', 'unknown-reference']);
    await client.change(uri, 2, [
      { range: { start: { line: 11, character: 17 }, end: { line: 11, character: 20 } }, text: 'db' },
    ]);
    expect(codes(await client.pull(uri))).toEqual(['missing-health-check']);
    // Another YAML file answers an empty report.
    await client.open('file:///w/docker-stack.yml', 'services: {}\n');
    expect(await client.pull('file:///w/docker-stack.yml')).toEqual([]);
    await client.close(uri);
    expect(client.publishes).toEqual([]);
  });

  it('of files on disk are the same as the CLI gives for them, with a file: URI and spaces in the path', async () => {
    const dir = tempTree({ 'my arch/shop.arch.yaml': SHOP });
    const { client } = await start({ pull: true });
    const path = `${dir}/my arch/shop.arch.yaml`;
    const uri = new URL(`file://${path}`).href;
    expect(uri).toContain('my%20arch');
    await client.open(uri, SHOP);
    const expected = cliDiagnostics(['my arch/shop.arch.yaml'], () => uri, dir).get('my arch/shop.arch.yaml');
    expect(expected!.length).toBe(2);
    expect((await client.pull(uri)).map(publicPart)).toEqual(expected);
  });
});
