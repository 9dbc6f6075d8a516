/**
 * Bad input and the session's edges over the protocol: text that is not YAML, binary-ish text,
 * a 5 MB document, changes and requests for documents never opened, malformed parameters,
 * requests after shutdown, cancellation, registrations a client may refuse, watched files, and
 * nothing but the protocol on stdout (checked after every test).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  ShutdownRequest,
  type Diagnostic,
  type DocumentSymbol,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateArchitecture, random } from '../../bench/generate.mjs';
import { AvailabilityRequest, DiagramRequest, LintRequest } from '../../extension/src/protocol';
import { BROKEN, DUPLICATE, tempTree } from '../cli/setup';
import { LspClient, SLOW, type RawMessage, type StartOptions } from './lspClient';
import { cliDiagnostics, publicPart } from './oracle';
import { SHOP } from './texts';

const clients: LspClient[] = [];
async function start(options: StartOptions = {}) {
  const started = await LspClient.start({
    ...options,
    initializationOptions: { lintDelay: 0, ...options.initializationOptions },
  });
  clients.push(started.client);
  return started.client;
}
afterEach(async () => {
  const done = clients.splice(0);
  await Promise.all(done.map((client) => client.dispose()));
  for (const client of done) client.expectClean();
});

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();

/** Every position request the server answers, at `position`: none may fail but with the errors LSP allows. */
async function askEverything(client: LspClient, uri: string, position: { line: number; character: number }): Promise<void> {
  const textDocument = { uri };
  const c = client.connection;
  const range = { start: position, end: position };
  await Promise.all([
    c.sendRequest(HoverRequest.type, { textDocument, position }),
    c.sendRequest(CompletionRequest.type, { textDocument, position }),
    c.sendRequest(DefinitionRequest.type, { textDocument, position }),
    c.sendRequest(ReferencesRequest.type, { textDocument, position, context: { includeDeclaration: true } }),
    c.sendRequest(PrepareRenameRequest.type, { textDocument, position }).catch((e: { code: number }) => {
      if (e.code !== -32600) throw e;
    }),
    c.sendRequest(RenameRequest.type, { textDocument, position, newName: 'renamed' }).catch((e: { code: number }) => {
      if (e.code !== -32600) throw e;
    }),
    c.sendRequest(CodeActionRequest.type, { textDocument, range, context: { diagnostics: [] } }),
    c.sendRequest(CodeActionRequest.type, { textDocument, range, context: { diagnostics: [], only: ['source.fixAll'] } }),
  ]);
}

describe('bad text', () => {
  it('not YAML, or with a duplicate key, gets the diagnostic the CLI gives, and every request still answers', async () => {
    const dir = tempTree({ 'broken.arch.yaml': BROKEN, 'duplicate.arch.yaml': DUPLICATE });
    const uriOf = (path: string) => `file://${join(dir, path)}`;
    const expected = cliDiagnostics(['broken.arch.yaml', 'duplicate.arch.yaml'], uriOf, dir);
    const client = await start();
    for (const [path, text] of [
      ['broken.arch.yaml', BROKEN],
      ['duplicate.arch.yaml', DUPLICATE],
    ] as const) {
      await client.open(uriOf(path), text);
      const diagnostics = await client.diagnostics(uriOf(path), 1);
      expect(diagnostics.map(publicPart), path).toEqual(expected.get(path));
      const lines = text.split('\n');
      for (let line = 0; line <= lines.length; line++)
        for (const character of [0, 2, 5, 100]) await askEverything(client, uriOf(path), { line, character });
    }
    expect(codes(await client.diagnostics(uriOf('broken.arch.yaml'), 1))).toEqual(['yaml-syntax']);
  });

  it('binary-ish (NUL, control characters, lone surrogates, a BOM, bidi overrides) is linted and answered, never thrown on', async () => {
    const client = await start();
    const next = random(12);
    const specials = [
      '\u0000',
      '\u0007',
      '\u001b[31m',
      '\ud800',
      '\udfff',
      '\ufeff',
      '\u202e',
      '\uffff',
      '\t',
      '\r',
      '\n',
      ': ',
      '- ',
      '{',
      '[',
    ];
    const texts = [
      Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join(''),
      '\ufeff' + SHOP.replace('web:', 'w\u0000e\ud800b:').replace('edge', 'ed\u202ege'),
      Array.from({ length: 400 }, () =>
        next() < 0.3 ? specials[Math.floor(next() * specials.length)] : String.fromCharCode(32 + Math.floor(next() * 95)),
      ).join(''),
    ];
    for (const [i, text] of texts.entries()) {
      const uri = `file:///w/binary-${i}.arch.yaml`;
      await client.open(uri, text);
      await client.diagnostics(uri, 1);
      const doc = TextDocument.create(uri, 'yaml', 1, text);
      for (let offset = 0; offset <= text.length; offset += 17) await askEverything(client, uri, doc.positionAt(offset));
      expect(await client.request(LintRequest, { uri })).not.toBeNull();
    }
    // The text that kept its architecture still has one: its components, NUL and all.
    const lint = (await client.request(LintRequest, { uri: 'file:///w/binary-1.arch.yaml' }))!;
    expect(lint.components).toContain('w\u0000e\ud800b');
  });

  it(
    'of 5 MB (a generated architecture, then comments) arrives in one message, is linted as the CLI lints it, and edited',
    async () => {
      // 5 MB of generated components takes minutes to lint on a busy machine (bench/ measures that);
      // the 1000 generated components and 4.8 MB of comments test the transport, the sync and the edits.
      const core = generateArchitecture(1000);
      const filler = '# filler so the document reaches five megabytes ...................................................\n';
      const text = core + filler.repeat(Math.ceil((5_000_000 - core.length) / filler.length));
      expect(text.length).toBeGreaterThanOrEqual(5_000_000);
      const dir = tempTree({ 'big.arch.yaml': text });
      const uri = `file://${join(dir, 'big.arch.yaml')}`;
      const expected = cliDiagnostics(['big.arch.yaml'], () => uri, dir).get('big.arch.yaml')!;
      expect(expected.length).toBeGreaterThan(10);

      const client = await start();
      await client.open(uri, text);
      expect((await client.diagnostics(uri, 1)).map(publicPart)).toEqual(expected);
      const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, {
        textDocument: { uri },
      })) as DocumentSymbol[];
      expect(symbols).toHaveLength(1000);

      // An edit in the comments changes nothing; one in the first component adds a finding there.
      const doc = TextDocument.create(uri, 'yaml', 1, text);
      const lastLine = doc.lineCount - 2;
      await client.change(uri, 2, [
        { range: { start: { line: lastLine, character: 2 }, end: { line: lastLine, character: 8 } }, text: 'edited' },
      ]);
      expect((await client.diagnostics(uri, 2)).map(publicPart)).toEqual(expected);
      const kind = doc.positionAt(text.indexOf('kind: load-balancer'));
      await client.change(uri, 3, [
        { range: { start: kind, end: { line: kind.line, character: kind.character + 4 } }, text: 'kinb' },
      ]);
      const edited = await client.diagnostics(uri, 3);
      expect(edited.filter((d) => d.range.start.line === kind.line).map((d) => d.code)).toContain('schema');
      // Another document is still served.
      await client.open('file:///w/small.arch.yaml', SHOP);
      expect(codes(await client.diagnostics('file:///w/small.arch.yaml', 1))).toEqual([
        'missing-health-check',
        'unknown-reference',
      ]);
    },
    SLOW,
  );
});

describe('documents the server does not have', () => {
  it('a change for a document never opened is dropped; opened later, it is linted from its own text', async () => {
    const client = await start();
    const uri = 'file:///w/never-opened.arch.yaml';
    await client.change(uri, 3, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'garbage: [' },
    ]);
    await client.change(uri, 4, [{ text: BROKEN }]);
    await client.save(uri);
    await client.close(uri);
    const barrier = 'file:///w/barrier.arch.yaml';
    await client.open(barrier, SHOP);
    await client.diagnostics(barrier, 1);
    expect(client.publishesOf(uri)).toEqual([]);
    await client.open(uri, SHOP);
    expect(codes(await client.diagnostics(uri, 1))).toEqual(['missing-health-check', 'unknown-reference']);
  });

  it('every request for a URI never opened answers empty', async () => {
    const client = await start();
    const uri = 'file:///w/unknown.arch.yaml';
    const textDocument = { uri };
    const position = { line: 1, character: 1 };
    const c = client.connection;
    expect(await c.sendRequest(HoverRequest.type, { textDocument, position })).toBeNull();
    expect(await c.sendRequest(CompletionRequest.type, { textDocument, position })).toEqual([]);
    expect(await c.sendRequest(DefinitionRequest.type, { textDocument, position })).toBeNull();
    expect(
      await c.sendRequest(ReferencesRequest.type, { textDocument, position, context: { includeDeclaration: true } }),
    ).toEqual([]);
    expect(await c.sendRequest(PrepareRenameRequest.type, { textDocument, position })).toBeNull();
    expect(await c.sendRequest(RenameRequest.type, { textDocument, position, newName: 'x' })).toBeNull();
    expect(await c.sendRequest(DocumentSymbolRequest.type, { textDocument })).toEqual([]);
    expect(await c.sendRequest(CodeLensRequest.type, { textDocument })).toEqual([]);
    expect(
      await c.sendRequest(CodeActionRequest.type, {
        textDocument,
        range: { start: position, end: position },
        context: { diagnostics: [] },
      }),
    ).toEqual([]);
    expect(await client.request(LintRequest, { uri })).toBeNull();
    expect(await client.request(AvailabilityRequest, { uri })).toBeNull();
    expect(await client.request(DiagramRequest, { uri })).toBeNull();
    const { client: puller } = await LspClient.start({ pull: true });
    clients.push(puller);
    expect(await puller.pull(uri)).toEqual([]);
  });

  it('a second open without a close (any version) replaces the text', async () => {
    const client = await start();
    const uri = 'file:///w/reopened.arch.yaml';
    await client.open(uri, SHOP, 5);
    expect(codes(await client.diagnostics(uri, 5))).toEqual(['missing-health-check', 'unknown-reference']);
    await client.open(uri, SHOP.replace('[dbb]', '[db]'), 1);
    expect(codes(await client.diagnostics(uri, 1))).toEqual(['missing-health-check']);
    await client.change(uri, 2, [{ text: BROKEN }]);
    expect(codes(await client.diagnostics(uri, 2))).toEqual(['yaml-syntax']);
  });
});

describe('malformed messages', () => {
  it('a request with parameters of the wrong shape is answered InvalidParams, and the server goes on', async () => {
    const client = await start();
    const uri = 'file:///w/params.arch.yaml';
    await client.open(uri, SHOP);
    await client.diagnostics(uri, 1);
    const bad: [string, unknown][] = [
      ['textDocument/hover', null],
      ['textDocument/hover', {}],
      ['textDocument/hover', { textDocument: 42, position: { line: 1, character: 1 } }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: '1', character: 1 } }],
      ['textDocument/completion', { textDocument: { uri } }],
      ['textDocument/definition', { textDocument: { uri }, position: null }],
      ['textDocument/references', { textDocument: { uri: 7 }, position: { line: 0, character: 0 } }],
      ['textDocument/prepareRename', [uri]],
      ['textDocument/rename', { textDocument: { uri }, position: { line: 2, character: 3 } }],
      ['textDocument/documentSymbol', { textDocument: null }],
      ['textDocument/codeLens', 'x'],
      [
        'textDocument/codeAction',
        { textDocument: { uri }, range: { start: { line: 0, character: 0 } }, context: { diagnostics: [] } },
      ],
      [
        'textDocument/codeAction',
        { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
      ],
      ['workspace/executeCommand', { arguments: [] }],
      ['archlint/lint', { document: uri }],
      ['archlint/availability', null],
      ['archlint/diagram', { uri: 5 }],
    ];
    const answers = await client.raw(bad.map(([method, params], i) => (id) => ({ id: id(i), method, params })));
    for (const [i, answer] of answers.entries()) {
      expect(answer.error?.code, `${bad[i]![0]} ${JSON.stringify(bad[i]![1])}`).toBe(-32602);
      // Positional parameters are refused by vscode-jsonrpc itself, with the same code.
      expect(answer.error?.message).toMatch(Array.isArray(bad[i]![1]) ? /parameters by name/ : /expected parameters/);
    }
    // Diagnostics a client sends back may be anything: the well-formed ones still get their actions.
    const diagnostic = (await client.diagnostics(uri, 1)).find((d) => d.code === 'unknown-reference')!;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [null, 42, { source: 'archlint' }, { source: 'archlint', range: 'x' }, diagnostic] as never },
    });
    expect(actions!.map((a) => a.title)).toContain('Change "dbb" to "db"');
    expect(
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 3 } }),
    ).not.toBeNull();
  });

  it('notifications with the wrong shape are dropped, and the server goes on', async () => {
    const client = await start();
    const c = client.connection;
    const uri = 'file:///w/notifications.arch.yaml';
    await c.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: 42 } });
    await c.sendNotification('textDocument/didOpen', null);
    await c.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: 'x' });
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///w/x.arch.yaml' } });
    await c.sendNotification('textDocument/didSave', {});
    await c.sendNotification('textDocument/didClose', { textDocument: 3 });
    await c.sendNotification('workspace/didChangeWatchedFiles', { changes: 'x' });
    await c.sendNotification('workspace/didChangeWatchedFiles', { changes: [null, { uri: 5, type: 3 }] });
    await c.sendNotification('workspace/didChangeConfiguration', null);
    await c.sendNotification('archlint/unknown', { x: 1 });
    expect(await client.request(LintRequest, { uri })).toBeNull();
    await client.open('file:///w/fine.arch.yaml', SHOP);
    expect(codes(await client.diagnostics('file:///w/fine.arch.yaml', 1))).toEqual(['missing-health-check', 'unknown-reference']);
    const unknown = await c.sendRequest('archlint/unknown', {}).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: -32601 });
    expect(client.logs.map((l) => l.message)).toContain(`textDocument/didOpen of ${uri} without a text and a version: ignored`);
  });
});

describe('the session', () => {
  it('logs to the client’s output (window/logMessage), never to stdout or stderr', async () => {
    const client = await start();
    const started = await client.waitFor('the start-up log', () =>
      client.logs.find((l) => /^Archlint \d+\.\d+\.\d+ language server/.test(l.message)),
    );
    expect(started.message).toMatch(/diagnostics pushed/);
  });

  it('answers a request after shutdown with InvalidRequest, and exits 0 on exit; without shutdown, exit is 1', async () => {
    const client = await start();
    const uri = 'file:///w/shutdown.arch.yaml';
    await client.open(uri, SHOP);
    await client.diagnostics(uri, 1);
    expect(await client.connection.sendRequest(ShutdownRequest.type)).toBeNull();
    const after = await client.connection
      .sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 3 } })
      .catch((e: unknown) => e);
    expect(after).toMatchObject({ code: -32600 });
    expect(await client.request(LintRequest, { uri }).catch((e: unknown) => e)).toMatchObject({ code: -32600 });
    expect(await client.exit()).toBe(0);

    const abrupt = await start();
    expect(await abrupt.exit()).toBe(1);
  });

  it('answers a request cancelled while it waits in the queue RequestCancelled at once, without running it', async () => {
    const client = await start();
    const uri = 'file:///w/cancelled.arch.yaml';
    await client.open(uri, SHOP);
    await client.diagnostics(uri, 1);
    const textDocument = { uri };
    const position = { line: 2, character: 3 };
    // One write: the fix-all, the hover, and the hover's cancellation reach the server in one read.
    const [fixAll, hover] = await client.raw([
      (id) => ({
        id: id(1),
        method: 'textDocument/codeAction',
        params: {
          textDocument,
          range: { start: position, end: position },
          context: { diagnostics: [], only: ['source.fixAll'] },
        },
      }),
      (id) => ({ id: id(2), method: 'textDocument/hover', params: { textDocument, position } }),
      (id) => ({ method: '$/cancelRequest', params: { id: id(2) } }),
    ]);
    expect(hover!.error).toEqual({ code: -32800, message: 'textDocument/hover was cancelled before it ran' });
    expect((fixAll!.result as unknown[]).length).toBe(1);
    // Answered while the fix-all was still queued before it.
    const order = (m: RawMessage) => client.messages.indexOf(m);
    expect(order(hover!)).toBeLessThan(order(fixAll!));

    // A cancellation of a request already answered, or of no request at all, changes nothing.
    const [answered] = await client.raw([
      (id) => ({ id: id(1), method: 'textDocument/hover', params: { textDocument, position } }),
    ]);
    await client.connection.sendNotification('$/cancelRequest', { id: answered!.id });
    await client.connection.sendNotification('$/cancelRequest', { id: 'no-such-request' });
    expect(await client.connection.sendRequest(HoverRequest.type, { textDocument, position })).toMatchObject({
      contents: { kind: 'markdown' },
    });
    expect(client.messages.filter((m) => m.id === answered!.id)).toHaveLength(1);
  });

  it('answers ContentModified to a request about a position when the document changed before it could be answered', async () => {
    // A pull client: the settings are first read for the hover, and the test holds their answer back.
    const client = await start({ pull: true });
    const uri = 'file:///w/modified.arch.yaml';
    await client.open(uri, SHOP);
    const release = client.holdConfiguration();
    const textDocument = { uri };
    const position = { line: 11, character: 18 };
    const hover = client.connection.sendRequest(HoverRequest.type, { textDocument, position }).catch((e: unknown) => e);
    await client.waitFor('the configuration request', () => client.configurationRequests.includes(uri));
    // The change reaches the server before the settings do: the hover's position is in the old text.
    await client.change(uri, 2, [
      { range: { start: { line: 11, character: 17 }, end: { line: 11, character: 20 } }, text: 'db' },
    ]);
    release();
    expect(await hover).toMatchObject({ code: -32801 });
    // Asked again, it is answered in the new text.
    const again = await client.connection.sendRequest(HoverRequest.type, { textDocument, position });
    expect(again).toMatchObject({ contents: { kind: 'markdown', value: expect.stringMatching(/^\*\*`db`\*\* — database/) } });
  });

  it('registers the watcher of architecture files, and for configuration changes, only with a client that can register them', async () => {
    const client = await start();
    await client.waitFor('two registrations', () => client.registrations.length === 2);
    expect(client.registrations.map((r) => [r.method, r.registerOptions])).toEqual([
      ['workspace/didChangeConfiguration', { section: 'archlint' }],
      [
        'workspace/didChangeWatchedFiles',
        {
          // Architecture, Compose and configuration files, and manifests, which have no name of their own.
          watchers: [{ globPattern: '**/*.{yaml,yml,json}' }],
        },
      ],
    ]);

    const fixed = await start({ capabilities: { workspace: { configuration: true } } });
    const uri = 'file:///w/static.arch.yaml';
    await fixed.open(uri, SHOP);
    await fixed.diagnostics(uri, 1);
    expect(fixed.registrations).toEqual([]);
  });

  it('goes on when a client refuses a registration (an error answer is no reason to stop)', async () => {
    const uri = 'file:///w/refused.arch.yaml';
    const refusing = await start();
    refusing.connection.onRequest('client/registerCapability', () => {
      throw new Error('no dynamic registration here');
    });
    await refusing.open(uri, SHOP);
    expect(codes(await refusing.diagnostics(uri, 1))).toEqual(['missing-health-check', 'unknown-reference']);
  });

  it('watched files: a deleted architecture file loses its diagnostics; an open one keeps what its buffer says', async () => {
    const client = await start();
    const open = 'file:///w/watched-open.arch.yaml';
    await client.open(open, SHOP);
    await client.diagnostics(open, 1);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: open, type: 2 },
        { uri: open, type: 3 },
        { uri: 'file:///w/closed.arch.yaml', type: 3 },
      ],
    });
    expect(await client.diagnostics('file:///w/closed.arch.yaml')).toEqual([]);
    expect(client.publishesOf(open)).toHaveLength(1);
  });
});
