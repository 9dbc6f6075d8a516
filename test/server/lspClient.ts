/**
 * A real JSON-RPC client of `archlint lsp --stdio` for the protocol tests: starts the CLI as a
 * process, initializes it with the capabilities a test gives (push or pull diagnostics,
 * `workspace/configuration` answered from a settings object the test controls), records every
 * message the server sends, and waits for the state a test needs (never for a time).
 *
 * Everything the server writes to stdout is also read by a strict framer of its own, so a test
 * can check that nothing but the protocol went there, and can see responses to raw messages.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach } from 'vitest';
import {
  CodeLensRefreshRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import type { LintedParams, ServerInitializationOptions, ServerRequest } from '../../extension/src/protocol';
import { BIN, buildCliOnce, ROOT } from '../cli/setup';

/** The `archlint` settings section as a test sets it (anything, including malformed values). */
export type Settings = Record<string, unknown>;

export interface StartOptions {
  /** Declare `textDocument.diagnostic`: the client pulls diagnostics (as VS Code does). Default: push. */
  pull?: boolean;
  /** Declare `workspace.configuration` (default true): the server asks for `archlint` settings. */
  configuration?: boolean;
  /** Declare `workspace.codeLens.refreshSupport`. */
  codeLensRefresh?: boolean;
  /** The `archlint` section answered to `workspace/configuration`; the test may change it later. */
  settings?: Settings;
  initializationOptions?: ServerInitializationOptions;
  /** Capabilities merged over the ones above. */
  capabilities?: ClientCapabilities;
}

/** A message the server wrote, as framed on stdout. */
export type RawMessage = {
  jsonrpc: string;
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
};

/** A bound for tests that run the CLI several times (slow on a busy machine): a guard against hangs, not a timing. */
export const SLOW = 180_000;

/** `file://` URI of a path under the repository. */
export const repoUri = (path: string): string => pathToFileURL(`${ROOT}${path}`).href;

const HEADER_END = '\r\n\r\n';
const CONTENT_LENGTH = 'Content-Length: ';

export class LspClient {
  readonly connection: ProtocolConnection;
  /** Every message the server wrote to stdout, in order. */
  readonly messages: RawMessage[] = [];
  /** Bytes on stdout that were not a well-formed LSP message (must stay empty). */
  readonly stdoutGarbage: string[] = [];
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly shown: LogMessageParams[] = [];
  readonly linted: LintedParams[] = [];
  readonly registrations: Registration[] = [];
  /** The scope URI of every `archlint` section the server asked for. */
  readonly configurationRequests: (string | undefined)[] = [];
  diagnosticRefreshes = 0;
  codeLensRefreshes = 0;
  stderr = '';
  exitCode: number | null | undefined = undefined;
  settings: Settings;
  /** Per-document settings, over {@link settings}. */
  readonly settingsByUri = new Map<string, Settings>();

  private configurationHeld: Promise<void> | undefined;
  private pending = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();
  private readonly exited: Promise<number | null>;
  private rawId = 0;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    settings: Settings,
  ) {
    this.settings = settings;
    const toReader = new PassThrough();
    child.stdout.on('data', (chunk: Buffer) => {
      this.frame(chunk);
      toReader.write(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        this.exitCode = code;
        toReader.end();
        this.notify();
        resolve(code);
      }),
    );
    this.connection = createProtocolConnection(new StreamMessageReader(toReader), new StreamMessageWriter(child.stdin));
    const c = this.connection;
    c.onNotification(PublishDiagnosticsNotification.type, (p) => this.record(this.publishes, p));
    c.onNotification(LogMessageNotification.type, (p) => this.record(this.logs, p));
    c.onNotification(ShowMessageNotification.type, (p) => this.record(this.shown, p));
    c.onNotification('archlint/linted', (p: LintedParams) => this.record(this.linted, p));
    c.onRequest(ConfigurationRequest.type, async ({ items }) => {
      // Counted at once; answered when the test lets answers go.
      const scopes = items.filter((item) => item.section === 'archlint').map((item) => item.scopeUri);
      this.configurationRequests.push(...scopes);
      this.notify();
      await this.configurationHeld;
      return items.map((item) => {
        if (item.section !== 'archlint') return null;
        return { ...this.settings, ...(item.scopeUri ? this.settingsByUri.get(item.scopeUri) : undefined) };
      });
    });
    c.onRequest(RegistrationRequest.type, ({ registrations }) => void this.record(this.registrations, ...registrations));
    c.onRequest(UnregistrationRequest.type, () => undefined);
    c.onRequest(DiagnosticRefreshRequest.type, () => {
      this.diagnosticRefreshes++;
      this.notify();
    });
    c.onRequest(CodeLensRefreshRequest.type, () => {
      this.codeLensRefreshes++;
      this.notify();
    });
    c.listen();
  }

  /** Starts `node bin/archlint.js lsp --stdio` (building dist/ first when stale) and initializes it. */
  static async start(options: StartOptions = {}): Promise<{ client: LspClient; initialized: InitializeResult }> {
    await buildCliOnce();
    const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    const client = new LspClient(child, options.settings ?? {});
    const initialized = await client.initialize(options);
    return { client, initialized };
  }

  private async initialize(options: StartOptions): Promise<InitializeResult> {
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: options.configuration ?? true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        ...(options.codeLensRefresh && { codeLens: { refreshSupport: true } }),
        ...(options.pull && { diagnostics: { refreshSupport: true } }),
      },
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: false },
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true, versionSupport: true },
        ...(options.pull && { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } }),
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        rename: { prepareSupport: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { snippetSupport: false } },
      },
      window: { workDoneProgress: false },
      ...options.capabilities,
    };
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(ROOT).href,
      capabilities,
      initializationOptions: options.initializationOptions,
      workspaceFolders: null,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  private record<T>(list: T[], ...items: T[]): void {
    list.push(...items);
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /**
   * Reads stdout as LSP frames (`Content-Length: N`, optional `Content-Type`, blank line, N
   * bytes of JSON); anything else is recorded as garbage and the rest of the stream skipped.
   */
  private frame(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const headerEnd = this.pending.indexOf(HEADER_END);
      if (headerEnd === -1) {
        const prefix = this.pending.toString('ascii', 0, Math.min(this.pending.length, CONTENT_LENGTH.length));
        if (!CONTENT_LENGTH.startsWith(prefix)) {
          this.stdoutGarbage.push(this.pending.toString('utf8'));
          this.pending = Buffer.alloc(0);
        }
        return;
      }
      const headers = this.pending.toString('ascii', 0, headerEnd).split('\r\n');
      const length = /^Content-Length: (\d+)$/.exec(headers[0] ?? '');
      const others = headers.slice(1).every((h) => /^Content-Type: application\/vscode-jsonrpc; charset=utf-?8$/i.test(h));
      if (!length || !others) {
        this.stdoutGarbage.push(this.pending.toString('utf8'));
        this.pending = Buffer.alloc(0);
        return;
      }
      const start = headerEnd + HEADER_END.length;
      const end = start + Number(length[1]);
      if (this.pending.length < end) return;
      const body = this.pending.toString('utf8', start, end);
      this.pending = this.pending.subarray(end);
      try {
        const message = JSON.parse(body) as RawMessage;
        if (message.jsonrpc !== '2.0') throw new Error('not JSON-RPC 2.0');
        this.record(this.messages, message);
      } catch {
        this.stdoutGarbage.push(body);
      }
    }
  }

  /** Resolves with `check()`'s value once it is not undefined, re-checked after every message; fails if the server exits first. */
  waitFor<T>(what: string, check: () => T | undefined | false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter = () => {
        let value: T | undefined | false;
        try {
          value = check();
        } catch (error) {
          this.waiters.delete(waiter);
          reject(error as Error);
          return;
        }
        if (value !== undefined && value !== false) {
          this.waiters.delete(waiter);
          resolve(value);
        } else if (this.exitCode !== undefined) {
          this.waiters.delete(waiter);
          reject(new Error(`the server exited (${this.exitCode}) while waiting for ${what}; stderr: ${this.stderr}`));
        }
      };
      this.waiters.add(waiter);
      waiter();
    });
  }

  /** The publishDiagnostics of `uri` for `version` (the first one after `after` publishes of it). */
  diagnostics(uri: string, version?: number, after = 0): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics of ${uri}${version === undefined ? '' : ` v${version}`}`, () => {
      const mine = this.publishesOf(uri).slice(after);
      return mine.find((p) => version === undefined || p.version === version)?.diagnostics;
    });
  }

  publishesOf(uri: string): PublishDiagnosticsParams[] {
    return this.publishes.filter((p) => p.uri === uri);
  }

  /** Pulls a document's diagnostics (`textDocument/diagnostic`), for a client started with `pull`. */
  async pull(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    if (report.kind !== 'full') throw new Error(`expected a full report, got ${report.kind}`);
    return report.items;
  }

  open(uri: string, text: string, version = 1, languageId = 'yaml'): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version, text },
    });
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  save(uri: string): Promise<void> {
    return this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Holds back the answers to `workspace/configuration` until the returned function is called. */
  holdConfiguration(): () => void {
    let release!: () => void;
    this.configurationHeld = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.configurationHeld = undefined;
      release();
    };
  }

  /** Changes the settings the client answers with and tells the server (as VS Code does: `settings: null`, the server asks again). */
  configure(settings: Settings): Promise<void> {
    this.settings = settings;
    return this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** One of Archlint's own requests (typed in extension/src/protocol.ts). */
  request<P, R>(request: ServerRequest<P, R>, params: P): Promise<R> {
    return this.connection.sendRequest(request.method, params) as Promise<R>;
  }

  /**
   * Writes several messages to stdin in one write (the server reads them in one chunk, so a
   * `$/cancelRequest` in it finds its request still queued) and resolves with the server's
   * responses to the requests among them, which get string ids of their own.
   */
  async raw(messages: ((id: (n: number) => string) => object)[]): Promise<RawMessage[]> {
    const base = ++this.rawId;
    const id = (n: number) => `raw-${base}-${n}`;
    const bodies = messages.map((m) => JSON.stringify({ jsonrpc: '2.0', ...m(id) }));
    const bytes = Buffer.concat(
      bodies.map((body) =>
        Buffer.concat([Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`, 'ascii'), Buffer.from(body)]),
      ),
    );
    this.child.stdin.write(bytes);
    const ids = bodies
      .map((b) => JSON.parse(b) as RawMessage)
      .filter((m) => m.id !== undefined && m.method !== undefined)
      .map((m) => m.id);
    return this.waitFor(`responses to ${ids.join(', ')}`, () => {
      const responses = ids.map((i) => this.messages.find((m) => m.id === i && m.method === undefined));
      return responses.every((r) => r !== undefined) ? (responses as RawMessage[]) : undefined;
    });
  }

  /** `shutdown` then `exit`, as a client ends a session; resolves with the process's exit code. */
  async stop(): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    await this.connection.sendRequest(ShutdownRequest.type);
    return this.exit();
  }

  async exit(): Promise<number | null> {
    if (this.exitCode === undefined) await this.connection.sendNotification(ExitNotification.type);
    return this.exited;
  }

  /** Ends the process whatever its state (after a failed test). */
  async dispose(): Promise<void> {
    this.connection.dispose();
    if (this.exitCode === undefined) this.child.kill();
    await this.exited;
  }

  /** What the server logged as its own failure (a handler that threw): a bug whatever the input. */
  get internalErrors(): string[] {
    return this.logs.filter((l) => l.message.startsWith('internal error')).map((l) => l.message);
  }

  /** The checks every test makes of every session: nothing but LSP on stdout, nothing on stderr, no internal error. */
  expectClean(): void {
    if (this.stdoutGarbage.length > 0)
      throw new Error(`stdout carried more than LSP messages: ${JSON.stringify(this.stdoutGarbage)}`);
    if (this.stderr !== '') throw new Error(`the server wrote to stderr: ${this.stderr}`);
    if (this.internalErrors.length > 0) throw new Error(`the server failed inside: ${this.internalErrors.join('\n')}`);
  }
}

/**
 * The `start` of a test file's clients: each client it starts lints with no typing pause (unless
 * the options set `lintDelay`), and is disposed after its test and checked to have logged nothing
 * unexpected.
 */
export function clientStarter(): (options?: StartOptions) => Promise<LspClient> {
  const clients: LspClient[] = [];
  afterEach(async () => {
    const done = clients.splice(0);
    await Promise.all(done.map((client) => client.dispose()));
    for (const client of done) client.expectClean();
  });
  return async (options = {}) => {
    const { client } = await LspClient.start({
      ...options,
      initializationOptions: { lintDelay: 0, ...options.initializationOptions },
    });
    clients.push(client);
    return client;
  };
}
