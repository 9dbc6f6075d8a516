/**
 * The language server (`archlint lsp`): LSP requests → analysis host queries, nothing else.
 *
 * Documents arrive by incremental sync and go into one {@link AnalysisHost}; every request
 * takes a snapshot and asks it. Diagnostics are pushed to clients that cannot pull them
 * (`textDocument/publishDiagnostics` after a pause in typing) and answered to clients that pull
 * (`textDocument/diagnostic`). Settings come from `workspace/configuration` per document and are
 * read again on `workspace/didChangeConfiguration`. No handler lets an error escape: malformed
 * parameters are answered `InvalidParams`, any other failure is logged to the client's output
 * and answered with an empty result. Architecture files (`*.arch.yaml`, `*.arch.yml`), Compose
 * files (by their standard names, or opened with the language id `dockercompose`) and Kubernetes
 * manifests (`.yaml`, `.yml` or `.json` documents with top-level `apiVersion` and `kind`, by
 * content) are analysed, a Compose file with its project's other files and a manifest with the
 * other manifests of its folder (read from disk when they are not open), or either with the
 * configuration's `architectures` group that names it; any other document a client sends is
 * held, never linted or published.
 * docs/lsp.md describes all of it for editor integrators.
 */
import {
  CodeActionKind,
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentDiagnosticRequest,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { globSync } from 'tinyglobby';
import { ConfigFinder, isBad, type LoadedConfig } from '../cli/configFiles';
import { realPathOf } from '../cli/files';
import { groupFiles, MAX_MANIFEST_BYTES } from '../cli/sources';
import { ARCHLINT_VERSION } from '../cli/version';
import {
  AnalysisHost,
  Cancelled,
  isConfigPath,
  isManifestName,
  QueryError,
  renderTable,
  ruleDocsUrl,
  statusBarText,
  withoutYamlExtensionDoubles,
  type Analysis,
  type AvailabilityReport,
  type Finding,
  LineIndex,
  type ProjectConfig,
  type SourceGroup,
  type SourceKind,
} from '../engine';
import {
  AvailabilityRequest,
  DiagramRequest,
  LintedNotification,
  LintRequest,
  type ApiAvailability,
  type ApiLintResult,
  type LintedParams,
  type ServerInitializationOptions,
  type ServerRequest,
  type ServerSettings,
} from '../protocol';
import {
  dataKey,
  diagnosticKey,
  FIX_ALL_KIND,
  SYMBOL_KIND,
  toCodeAction,
  toCompletionItem,
  toDiagnostic,
  toOffset,
  toRange,
  toWorkspaceEdit,
} from './convert';
import { paramsProblem, type ParamsShape } from './params';
import { DEFAULT_SETTINGS, readSettings } from './settings';

/** A pause in typing this long starts a push client's lint (long enough to skip keystrokes, short enough to feel live). */
export const DEFAULT_LINT_DELAY_MS = 150;

/**
 * The command of the availability lenses when the client names none of its own
 * (`availabilityCommand`): the server runs it (`workspace/executeCommand`), showing the
 * availability table as `archlint availability` prints it.
 */
export const SHOW_AVAILABILITY_COMMAND = 'archlint.availabilityReport';

/** The language id the Docker extension gives Compose files (`docker-compose.prod.yml` too). */
export const COMPOSE_LANGUAGE_ID = 'dockercompose';

/** A project file that is not open, read from disk (`file:` URIs only); `undefined` when it cannot be read. */
function readFromDisk(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return readFileSync(fileURLToPath(uri), 'utf8');
  } catch {
    return undefined;
  }
}

/** Wires the server to a connection and starts listening. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  /** The files of each configuration group, by configuration file, source and group name: globbed once until files come or go. */
  const groupFilesCache = new Map<string, string[]>();
  const host = new AnalysisHost({
    readFile: readFromDisk,
    listFolder: (folder) => listFolder(folder),
    groupOf: (uri, kind) => groupOf(uri, kind),
  });
  const settings = new Map<string, Promise<ServerSettings>>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The configuration files (archlint.config.yaml) of documents on disk, read once each until one changes. */
  const configs = new ConfigFinder();
  /** The configuration files whose problems are published (as diagnostics at the file), by URI. */
  const reportedConfigs = new Set<string>();
  /** What onSave mode shows between saves: the diagnostics of the last saved (or opened) text. */
  const shown = new Map<string, Diagnostic[]>();
  let options: ServerInitializationOptions = {};
  let pull = false;
  let canConfigure = false;
  let canRegisterConfiguration = false;
  let canRegisterWatchers = false;
  let canRefreshLenses = false;
  let canRefreshDiagnostics = false;
  /** Settings sent in `workspace/didChangeConfiguration` by a client that cannot answer `workspace/configuration`. */
  let pushedSettings: ServerSettings | undefined;
  let shuttingDown = false;
  /** The document whose didOpen is being handled: TextDocuments reports the open as a content change too. */
  let opening: string | undefined;

  const log = (message: string) => connection.console.log(message);
  const logError = (message: string) => connection.console.error(message);
  // Anything written to stdout that is not the protocol breaks a stdio client: every console
  // method goes to the client's output instead (Node writes log, info and debug to stdout).
  const text = (args: unknown[]) => args.map(String).join(' ');
  console.log = console.info = console.debug = (...args: unknown[]) => log(text(args));
  console.warn = console.error = console.trace = (...args: unknown[]) => logError(text(args));
  /** A message the client may no longer take (it went away): nothing to do but note it. */
  const unsent = (what: string) => (error: unknown) => {
    if (!shuttingDown) log(`${what} was not sent: ${String(error)}`);
  };

  /**
   * Runs a request handler: parameters of the wrong shape are answered InvalidParams; a
   * request after shutdown InvalidRequest; a cancelled one RequestCancelled; a snapshot that
   * went stale ContentModified; any other failure is logged and answered `empty`.
   */
  function guarded<P, R>(
    method: string,
    shape: ParamsShape,
    empty: R,
    handler: (params: P, token?: CancellationToken) => R | Promise<R>,
  ) {
    return async (params: P, token?: CancellationToken): Promise<R | ResponseError<void>> => {
      if (shuttingDown) return new ResponseError(ErrorCodes.InvalidRequest, 'the server is shutting down');
      if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      const problem = paramsProblem(method, params, shape);
      if (problem) return new ResponseError(ErrorCodes.InvalidParams, problem);
      try {
        return await handler(params, token);
      } catch (error) {
        if (error instanceof Cancelled) return new ResponseError(LSPErrorCodes.ContentModified, error.message);
        if (error instanceof QueryError) return new ResponseError(ErrorCodes.InvalidRequest, error.message);
        logError(`internal error in ${method}: ${describe(error)}`);
        return empty;
      }
    };
  }

  function settingsFor(uri: string): Promise<ServerSettings> {
    let known = settings.get(uri);
    if (!known) {
      known = canConfigure
        ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'archlint' }).then(
            (raw: unknown) => readSettings(raw, log),
            () => DEFAULT_SETTINGS,
          )
        : Promise.resolve(pushedSettings ?? DEFAULT_SETTINGS);
      settings.set(uri, known);
      void known.then((s) => host.configure({ rules: s.rules, config: configFor(uri) }, uri));
    }
    return known;
  }

  /**
   * The configuration of a document that is a file on disk: the nearest configuration file above
   * it, when it has no problems. A configuration with problems is not applied; its problems are
   * published at the configuration file (and logged) instead.
   */
  function configFor(uri: string): ProjectConfig | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let loaded: LoadedConfig | undefined;
    try {
      loaded = configs.forFile(fileURLToPath(uri));
    } catch (error) {
      log(`the configuration file of ${uri} could not be found: ${describe(error)}`);
      return undefined;
    }
    if (!loaded) return undefined;
    if (isBad(loaded)) reportConfig(loaded);
    return loaded.config;
  }

  /**
   * The YAML and JSON files of a folder on disk (`file:` URIs only), as URIs, that a search would
   * open: links to files too, each file once (a file beside a link to it is read, not the link),
   * not those its configuration's `ignores` leave out (they are found, not named), nor those over
   * 4 MB (a lockfile, a data dump). Empty when the folder cannot be listed.
   */
  function listFolder(folder: string): string[] {
    if (!folder.startsWith('file:')) return [];
    try {
      const path = fileURLToPath(folder);
      const seen = new Set<string>();
      return readdirSync(path, { withFileTypes: true })
        .filter((entry) => isManifestName(entry.name))
        .sort((a, b) => Number(a.isSymbolicLink()) - Number(b.isSymbolicLink()))
        .filter((entry) => {
          const file = join(path, entry.name);
          if (configs.forFile(file)?.ignores(file) || !isSmallFile(file)) return false;
          const real = realPathOf(file);
          if (seen.has(real)) return false;
          seen.add(real);
          return true;
        })
        .map((entry) => folder + encodeURIComponent(entry.name));
    } catch {
      return [];
    }
  }

  /**
   * The configuration's `architectures` group that names a Compose file or a manifest on disk
   * (the first group whose `compose` or `kubernetes` globs match it), with its files as URIs.
   */
  function groupOf(uri: string, kind: SourceKind): SourceGroup | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let loaded: LoadedConfig | undefined;
    let path: string;
    try {
      path = fileURLToPath(uri);
      loaded = configs.forFile(path);
    } catch {
      return undefined;
    }
    if (!loaded?.config) return undefined;
    for (const group of loaded.config.architectures) {
      if (group[kind].length === 0) continue;
      const cacheKey = JSON.stringify([loaded.path, kind, group.name]);
      let files = groupFilesCache.get(cacheKey);
      if (!files) groupFilesCache.set(cacheKey, (files = groupFiles(dirname(loaded.path), group[kind], globSync)));
      if (!files.includes(path)) continue;
      // Open documents keep the URI the client gave them: a file on disk is named as the client names it.
      const byPath = new Map(host.openDocuments().map((d) => [safePath(d.uri), d.uri]));
      return {
        key: `${pathToFileURL(loaded.path).href}#${kind}:${encodeURIComponent(group.name)}`,
        kind,
        files: files.map((file) => byPath.get(file) ?? pathToFileURL(file).href),
      };
    }
    return undefined;
  }

  /** Publishes a bad configuration file's problems at it, once per reading of it. */
  function reportConfig(loaded: LoadedConfig): void {
    const uri = pathToFileURL(loaded.path).href;
    if (reportedConfigs.has(uri)) return;
    reportedConfigs.add(uri);
    const lines = new LineIndex(loaded.text);
    const diagnostics =
      loaded.error !== undefined
        ? [
            {
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              severity: 1,
              source: 'archlint',
              message: `cannot read the configuration file: ${loaded.error}`,
            } satisfies Diagnostic,
          ]
        : loaded.findings.map((f) => toDiagnostic(f, lines, uri, () => undefined));
    log(
      `${loaded.path} has problems, so it is not applied: ${diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('; ')}`,
    );
    connection.sendDiagnostics({ uri, diagnostics }).catch(unsent(`the diagnostics of ${uri}`));
  }

  /** Reads the settings and configuration files again and shows every open architecture's diagnostics anew. */
  function relintAll(): void {
    settings.clear();
    shown.clear();
    const open = documents.all().filter((d) => isArchitecture(d.uri));
    if (pull) {
      void Promise.all(open.map((d) => settingsFor(d.uri))).then(refreshDiagnostics);
    } else {
      for (const document of open) void settingsFor(document.uri).then(() => publishOne(document.uri));
    }
  }

  /**
   * Whether the document at `uri` is open as a file Archlint reads (an architecture file, a
   * Compose file or manifests): any other document is never linted nor published.
   */
  const isArchitecture = (uri: string): boolean => {
    const kind = host.document(uri)?.kind;
    return kind === 'architecture' || kind === 'compose' || kind === 'kubernetes';
  };

  /**
   * Whether the settings let Archlint analyse `uri`: `enable`, and for a Compose file or a manifest
   * the configuration file's `sources.compose` / `sources.kubernetes` when it says, else the
   * `archlint.sources.*` setting: off, the file is read as any YAML file is (not at all).
   */
  const enabledFor = (uri: string, s: ServerSettings): boolean => {
    const kind = host.document(uri)?.kind;
    if (!s.enable) return false;
    if (kind !== 'compose' && kind !== 'kubernetes') return true;
    return configFor(uri)?.sources[kind] ?? s.sources[kind];
  };

  /** Line indexes of the files `from`'s results name (a Compose project's other files, open or not). */
  const linesOf =
    (analysis: Analysis, from: string) =>
    (uri: string): LineIndex | undefined =>
      analysis.lines(uri, from);

  /** The diagnostics of a document now, as the user's settings show them, and the version of the text they are for. */
  async function diagnosticsOf(uri: string): Promise<{ diagnostics: Diagnostic[]; version?: number }> {
    const s = await settingsFor(uri);
    const analysis = host.snapshot();
    const version = analysis.document(uri)?.version;
    if (!enabledFor(uri, s)) return { diagnostics: [], version };
    const lines = analysis.lines(uri);
    if (!lines) return { diagnostics: [], version };
    const findings = s.yamlExtensionValidates ? withoutYamlExtensionDoubles(analysis.findings(uri)) : analysis.findings(uri);
    const diagnostics = findings.map((f) => toDiagnostic(f, lines, uri, linesOf(analysis, uri)));
    notifyLinted(uri, analysis, findings);
    return { diagnostics, version };
  }

  function notifyLinted(uri: string, analysis: Analysis, findings: readonly Finding[]): void {
    const document = analysis.document(uri);
    if (!document) return;
    let report: AvailabilityReport | undefined;
    try {
      report = analysis.availability(uri);
    } catch {
      report = undefined;
    }
    const params: LintedParams = { uri, version: document.version, status: statusBarText(findings, report) };
    connection.sendNotification(LintedNotification.method, params).catch(unsent(LintedNotification.method));
    if (canRefreshLenses) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  /**
   * Lints an architecture document now and shows the result, and the results of the other open
   * files of its Compose project (a change to one file changes the others' findings).
   */
  async function publish(uri: string): Promise<void> {
    const others = host.affectedBy(uri);
    await publishOne(uri);
    for (const other of others) await publishOne(other);
  }

  /**
   * Lints one document now and shows the result: published to a push client (with the version
   * of the text it is for); kept for a pull client, which is told to ask again.
   */
  async function publishOne(uri: string): Promise<void> {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    if (!isArchitecture(uri)) return;
    let linted: { diagnostics: Diagnostic[]; version?: number };
    try {
      linted = await diagnosticsOf(uri);
    } catch (error) {
      if (!(error instanceof Cancelled)) logError(`internal error linting ${uri}: ${describe(error)}`);
      return;
    }
    if (!documents.get(uri)) return;
    shown.set(uri, linted.diagnostics);
    if (pull) refreshDiagnostics();
    else connection.sendDiagnostics({ uri, ...linted }).catch(unsent(`the diagnostics of ${uri}`));
  }

  /** Asks a pull client to pull again (when it said it can be asked). */
  function refreshDiagnostics(): void {
    if (canRefreshDiagnostics) connection.languages.diagnostics.refresh().catch(unsent('workspace/diagnostic/refresh'));
  }

  function schedule(uri: string): void {
    clearTimeout(timers.get(uri));
    const delay = Number(options.lintDelay ?? DEFAULT_LINT_DELAY_MS);
    timers.set(
      uri,
      setTimeout(() => void publish(uri), Number.isFinite(delay) ? Math.max(0, delay) : DEFAULT_LINT_DELAY_MS),
    );
  }

  /** Forgets everything about a document but its text (a close, or a second open). */
  function forget(uri: string): void {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    host.close(uri);
    settings.delete(uri);
    shown.delete(uri);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const given: unknown = params.initializationOptions;
    options = typeof given === 'object' && given !== null ? (given as ServerInitializationOptions) : {};
    const workspace = params.capabilities.workspace;
    pull = params.capabilities.textDocument?.diagnostic !== undefined;
    canConfigure = workspace?.configuration === true;
    // A client that does not say it takes registrations must not be sent them (Neovim 0.7 logs a warning).
    canRegisterConfiguration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    canRegisterWatchers = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canRefreshLenses = workspace?.codeLens?.refreshSupport === true;
    canRefreshDiagnostics = workspace?.diagnostics?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: [' ', '[', ','] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'Archlint' },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        // The lenses' command when the client has none of its own: the server runs it.
        ...(!options.availabilityCommand && { executeCommandProvider: { commands: [SHOW_AVAILABILITY_COMMAND] } }),
        ...(pull && {
          diagnosticProvider: { identifier: 'archlint', interFileDependencies: false, workspaceDiagnostics: false },
        }),
      },
      serverInfo: { name: 'archlint', version: ARCHLINT_VERSION },
    };
  });

  connection.onInitialized(() => {
    log(
      `Archlint ${ARCHLINT_VERSION} language server (Node ${process.version}): diagnostics ${pull ? 'pulled by the client' : 'pushed'}, ` +
        `settings ${canConfigure ? 'from workspace/configuration' : 'from workspace/didChangeConfiguration or the defaults'}`,
    );
    // Only what the client said it can register dynamically; a client that refuses is not an error worth more than a line.
    if (canConfigure && canRegisterConfiguration)
      connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'archlint' })
        .catch(unsent('the registration of workspace/didChangeConfiguration'));
    if (canRegisterWatchers)
      connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          // Every YAML and JSON file: architecture files, Compose files, configuration files, and
          // manifests, which have no name of their own (a new one joins its folder's architecture).
          watchers: [{ globPattern: '**/*.{yaml,yml,json}' }],
        })
        .catch(unsent('the registration of the file watcher'));
  });

  connection.onShutdown(() => {
    shuttingDown = true;
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  });

  // A pull client asks for diagnostics when it wants them; a push client is sent them after a pause in typing.
  documents.onDidOpen(({ document }) => {
    opening = document.uri;
    // A second open without a close starts afresh, whatever version it carries.
    forget(document.uri);
    const text: unknown = document.getText();
    if (typeof text !== 'string' || typeof document.version !== 'number') {
      log(`textDocument/didOpen of ${document.uri} without a text and a version: ignored`);
      return;
    }
    const kind = document.languageId === COMPOSE_LANGUAGE_ID ? 'compose' : undefined;
    host.apply({ uri: document.uri, version: document.version, text, ...(kind && { kind }) });
    if (!isArchitecture(document.uri)) return;
    if (!pull) void settingsFor(document.uri).then(() => publish(document.uri));
    else if (host.affectedBy(document.uri).length > 0) refreshDiagnostics();
  });
  documents.onDidChangeContent(({ document }) => {
    if (opening === document.uri) {
      opening = undefined;
      return;
    }
    if (!host.document(document.uri)) return;
    // A YAML file becomes manifests as `apiVersion` and `kind` are typed, and stops being them as they go.
    const was = isArchitecture(document.uri);
    const before = host.affectedBy(document.uri);
    host.apply({ uri: document.uri, version: document.version, text: document.getText() });
    if (!isArchitecture(document.uri)) {
      if (!was) return;
      shown.delete(document.uri);
      if (pull) refreshDiagnostics();
      else connection.sendDiagnostics({ uri: document.uri, diagnostics: [] }).catch(unsent('the clearing of diagnostics'));
      showAgain(before);
      return;
    }
    // A pull client pulls the changed document; the other files of its project must be pulled again too.
    if (pull) {
      if (host.affectedBy(document.uri).length > 0) refreshDiagnostics();
      return;
    }
    void settingsFor(document.uri).then((s) => {
      if (s.run === 'onType') schedule(document.uri);
    });
  });
  documents.onDidSave(({ document }) => {
    if (!isArchitecture(document.uri)) return;
    void settingsFor(document.uri).then((s) => (pull && s.run === 'onType' ? undefined : publish(document.uri)));
  });
  documents.onDidClose(({ document }) => {
    const published = !pull && isArchitecture(document.uri);
    // The rest of its project reads it from disk now.
    const others = host.affectedBy(document.uri);
    forget(document.uri);
    if (published)
      connection.sendDiagnostics({ uri: document.uri, diagnostics: [] }).catch(unsent('the clearing of diagnostics'));
    showAgain(others);
  });

  /** Shows the diagnostics of `uris` anew: published (push), or pulled again (pull). */
  function showAgain(uris: readonly string[]): void {
    if (uris.length === 0) return;
    if (pull) refreshDiagnostics();
    else for (const uri of uris) void settingsFor(uri).then(() => publishOne(uri));
  }

  connection.onDidChangeConfiguration((params) => {
    // A client without workspace/configuration (Neovim 0.7) can only send its settings here.
    if (!canConfigure) {
      const pushed: unknown = (params as { settings?: unknown } | undefined)?.settings;
      const section = typeof pushed === 'object' && pushed !== null ? (pushed as Record<string, unknown>).archlint : undefined;
      pushedSettings = section === undefined ? undefined : readSettings(section, log);
    }
    relintAll();
  });

  // A file that changed on disk: the editor's buffer is the truth for open files; a file a Compose
  // project reads (or looks for: an override, an include) makes the project's open files linted
  // again; a deleted file loses its diagnostics; a configuration file that was created, changed or
  // deleted is read again, and every open architecture linted again under it.
  connection.onDidChangeWatchedFiles((params) => {
    const changes: unknown = (params as { changes?: unknown } | undefined)?.changes;
    if (!Array.isArray(changes)) return;
    let configChanged = false;
    const onDisk: string[] = [];
    // A file that came or went may join a configuration group: the groups are globbed again (once per batch).
    if ((changes as { type?: unknown }[]).some((c) => c?.type === 1 || c?.type === 3)) groupFilesCache.clear();
    for (const change of changes as { uri?: unknown; type?: unknown }[]) {
      if (typeof change?.uri !== 'string') continue;
      if (isConfigPath(change.uri)) {
        configChanged = true;
        continue;
      }
      if (documents.get(change.uri)) continue;
      onDisk.push(change.uri);
      if (!pull && change.type === 3 /* deleted */)
        connection.sendDiagnostics({ uri: change.uri, diagnostics: [] }).catch(unsent('the clearing of diagnostics'));
    }
    // Before and after: a deleted base file leaves its override a project of its own.
    const affected = new Set(onDisk.flatMap((uri) => host.affectedBy(uri)));
    if (onDisk.length > 0) host.fileChanged(onDisk);
    for (const uri of onDisk) for (const other of host.affectedBy(uri)) affected.add(other);
    if (!configChanged) {
      showAgain([...affected]);
      return;
    }
    configs.reload();
    groupFilesCache.clear();
    // Its `architectures` may group the open Compose files and manifests otherwise.
    host.regroup();
    // Problems are published again as the configuration files are read again; the fixed or deleted ones are cleared.
    for (const uri of reportedConfigs)
      connection.sendDiagnostics({ uri, diagnostics: [] }).catch(unsent('the clearing of diagnostics'));
    reportedConfigs.clear();
    relintAll();
  });

  const pullDiagnostics = guarded(
    'textDocument/diagnostic',
    'document',
    { kind: DocumentDiagnosticReportKind.Full, items: [] as Diagnostic[] },
    async ({ textDocument }: DocumentDiagnosticParams) => {
      const uri = textDocument.uri;
      if (!isArchitecture(uri)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      // onSave: what the text was when last opened or saved, until the next save.
      if ((await settingsFor(uri)).run === 'onSave') {
        let kept = shown.get(uri);
        if (!kept) shown.set(uri, (kept = (await diagnosticsOf(uri)).diagnostics));
        return { kind: DocumentDiagnosticReportKind.Full, items: kept };
      }
      return { kind: DocumentDiagnosticReportKind.Full, items: (await diagnosticsOf(uri)).diagnostics };
    },
  );
  // Every request is registered as it is (not through `connection.onHover` and the like, which read
  // progress tokens from the parameters before a handler can check them), so malformed
  // parameters reach `guarded` and are answered InvalidParams.
  connection.onRequest(
    DocumentDiagnosticRequest.type,
    (params, token) => pullDiagnostics(params, token) as Promise<DocumentDiagnosticReport>,
  );

  /**
   * The snapshot and the line index of an enabled architecture document, or undefined. With
   * `at` (a request that names a position or range), a change that arrived while the settings
   * were read is `Cancelled` (ContentModified): the positions are in the text the request was
   * sent for, and answering them in a newer text would point at the wrong place.
   */
  async function analysisOf(uri: string, at?: 'positions'): Promise<{ analysis: Analysis; lines: LineIndex } | undefined> {
    if (!isArchitecture(uri)) return undefined;
    const sent = host.document(uri);
    const sentVersion = sent?.version;
    if (!enabledFor(uri, await settingsFor(uri))) return undefined;
    if (at && (host.document(uri) !== sent || sent?.version !== sentVersion)) throw new Cancelled();
    const analysis = host.snapshot();
    const lines = analysis.lines(uri);
    return lines && { analysis, lines };
  }

  connection.onRequest(
    CompletionRequest.type,
    guarded('textDocument/completion', 'position', [], async ({ textDocument, position, context }) => {
      const at = await analysisOf(textDocument.uri, 'positions');
      if (!at) return [];
      const typed = context?.triggerKind === 2; /* TriggerCharacter */
      return at.analysis
        .completion(textDocument.uri, toOffset(at.lines, position), typed)
        .map((item, i) => toCompletionItem(item, i, at.lines, options.retriggerCommand));
    }),
  );

  connection.onRequest(
    HoverRequest.type,
    guarded('textDocument/hover', 'position', null, async ({ textDocument, position }) => {
      const at = await analysisOf(textDocument.uri, 'positions');
      const hover = at?.analysis.hover(textDocument.uri, toOffset(at.lines, position));
      return hover && at
        ? { contents: { kind: 'markdown' as const, value: hover.markdown }, range: toRange(at.lines, hover.range) }
        : null;
    }),
  );

  connection.onRequest(
    DefinitionRequest.type,
    guarded('textDocument/definition', 'position', null, async ({ textDocument, position }) => {
      const at = await analysisOf(textDocument.uri, 'positions');
      const target = at?.analysis.definition(textDocument.uri, toOffset(at.lines, position));
      const lines = target && at && linesOf(at.analysis, textDocument.uri)(target.uri);
      return target && lines ? { uri: target.uri, range: toRange(lines, target.range) } : null;
    }),
  );

  connection.onRequest(
    ReferencesRequest.type,
    guarded('textDocument/references', 'position', [], async ({ textDocument, position, context }) => {
      const at = await analysisOf(textDocument.uri, 'positions');
      if (!at) return [];
      const withDeclaration = context?.includeDeclaration === true;
      return at.analysis.references(textDocument.uri, toOffset(at.lines, position), withDeclaration).flatMap((l) => {
        const lines = linesOf(at.analysis, textDocument.uri)(l.uri);
        return lines ? [{ uri: l.uri, range: toRange(lines, l.range) }] : [];
      });
    }),
  );

  connection.onRequest(
    PrepareRenameRequest.type,
    guarded('textDocument/prepareRename', 'position', null, async ({ textDocument, position }) => {
      const at = await analysisOf(textDocument.uri, 'positions');
      if (!at) return null;
      const { range, placeholder } = at.analysis.prepareRename(textDocument.uri, toOffset(at.lines, position));
      return { range: toRange(at.lines, range), placeholder };
    }),
  );

  connection.onRequest(
    RenameRequest.type,
    guarded('textDocument/rename', 'rename', null, async ({ textDocument, position, newName }) => {
      const at = await analysisOf(textDocument.uri, 'positions');
      if (!at) return null;
      return toWorkspaceEdit(
        at.analysis.rename(textDocument.uri, toOffset(at.lines, position), newName),
        linesOf(at.analysis, textDocument.uri),
      );
    }),
  );

  connection.onRequest(
    DocumentSymbolRequest.type,
    guarded('textDocument/documentSymbol', 'document', [], async ({ textDocument }) => {
      const at = await analysisOf(textDocument.uri);
      if (!at) return [];
      return at.analysis.symbols(textDocument.uri).map((s) => ({
        name: s.name,
        detail: s.detail,
        kind: SYMBOL_KIND[s.kind],
        range: toRange(at.lines, s.range),
        selectionRange: toRange(at.lines, s.selectionRange),
      }));
    }),
  );

  connection.onRequest(
    CodeLensRequest.type,
    guarded('textDocument/codeLens', 'document', [], async ({ textDocument }) => {
      const at = await analysisOf(textDocument.uri);
      if (!at) return [];
      return at.analysis.codeLenses(textDocument.uri).map((lens) => ({
        range: toRange(at.lines, lens.range),
        command: {
          title: lens.title,
          tooltip: `Availability of entry point ${lens.entry.component}: click for the full report`,
          command: options.availabilityCommand || SHOW_AVAILABILITY_COMMAND,
          arguments: [textDocument.uri],
        },
      }));
    }),
  );

  connection.onRequest(
    ExecuteCommandRequest.type,
    guarded('workspace/executeCommand', 'command', null, async ({ command, arguments: args }) => {
      if (command !== SHOW_AVAILABILITY_COMMAND) throw new QueryError(`unknown command ${command}`);
      const uri: unknown = args?.[0];
      const answer = typeof uri === 'string' ? await availabilityOf(uri) : null;
      const message = answer?.table ?? 'Archlint: no availability (the file is not a readable architecture, or it is not open)';
      log(message);
      // A notification: `window.showInformationMessage` would be a request, which a client may refuse.
      connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message }).catch(unsent('a message'));
      return answer;
    }),
  );

  connection.onRequest(
    CodeActionRequest.type,
    guarded('textDocument/codeAction', 'codeAction', [], async ({ textDocument, context }) => {
      const uri = textDocument.uri;
      const at = await analysisOf(uri, 'positions');
      if (!at) return [];
      const { analysis, lines } = at;
      const actions: CodeAction[] = [];
      const only = Array.isArray(context.only) ? context.only : undefined;
      const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
      // Fix-all re-lints the file several times: only when asked for (on save, or the Source Action menu).
      if (only && wants(FIX_ALL_KIND)) {
        const edit = analysis.fixAll(uri);
        if (edit)
          actions.push({
            title: 'Fix all safe Archlint findings',
            kind: FIX_ALL_KIND,
            edit: toWorkspaceEdit([edit], linesOf(analysis, uri)),
          });
      }
      if (!wants(CodeActionKind.QuickFix)) return actions;
      // Diagnostics come back as copies: matched to this snapshot's findings by rule id and range,
      // or else by the rule id and offsets in their `data` on the same lines: Neovim sends a
      // range back in its own byte columns (neovim/neovim#29500), never on another line. A
      // diagnostic whose lines moved is one the file no longer has, shown until the next lint.
      const findings = analysis.findings(uri);
      const byKey = new Map(findings.map((f) => [diagnosticKey(f.ruleId, toRange(lines, f.range)), f]));
      const byData = new Map(findings.map((f) => [dataKey({ ruleId: f.ruleId, offsets: f.range }), f]));
      const ours = context.diagnostics.filter(
        (d): d is Diagnostic => typeof d === 'object' && d !== null && d.source === 'archlint' && isRange(d.range),
      );
      // A diagnostic the file no longer has (the client shows it until the next lint) gets no action.
      const matched = new Set<string>();
      for (const diagnostic of ours) {
        const byLines = byData.get(dataKey(diagnostic.data));
        const sameLines =
          byLines !== undefined &&
          toRange(lines, byLines.range).start.line === diagnostic.range.start.line &&
          toRange(lines, byLines.range).end.line === diagnostic.range.end.line;
        const finding = byKey.get(diagnosticKey(diagnostic.code, diagnostic.range)) ?? (sameLines ? byLines : undefined);
        if (!finding) continue;
        matched.add(finding.ruleId);
        for (const action of analysis.codeActions(uri, [finding]))
          actions.push(toCodeAction(action, diagnostic, linesOf(analysis, uri)));
      }
      if (options.documentationCommand) {
        for (const ruleId of matched) {
          actions.push({
            title: `Show documentation for ${ruleId}`,
            kind: CodeActionKind.QuickFix,
            command: {
              title: `Show documentation for ${ruleId}`,
              command: options.documentationCommand,
              arguments: [ruleId, ruleDocsUrl(ruleId)],
            },
          });
        }
      }
      return actions;
    }),
  );

  const onRequest = <P, R>(request: ServerRequest<P, R>, handler: (params: P) => Promise<R>) =>
    connection.onRequest(request.method, guarded(request.method, 'uri', null, handler));

  onRequest(DiagramRequest, async ({ uri, failed }) => {
    const at = await analysisOf(uri);
    const snapshot = at?.analysis.diagram(uri, Array.isArray(failed) ? failed.filter((f) => typeof f === 'string') : []);
    return snapshot ? { snapshot, title: snapshot.name ?? fileName(uri) } : null;
  });

  /** The availability report of an architecture document as plain JSON, and the table `archlint availability` prints under `name`. */
  async function availabilityOf(uri: string, name?: unknown): Promise<{ report: ApiAvailability; table: string } | null> {
    const at = await analysisOf(uri);
    const report = at?.analysis.availability(uri);
    const title = typeof name === 'string' && name !== '' ? name : fileName(uri);
    return report ? { report: plainAvailability(report), table: renderTable(title, report) } : null;
  }

  onRequest(AvailabilityRequest, async ({ uri, name }) => availabilityOf(uri, name));

  onRequest(LintRequest, async ({ uri }): Promise<ApiLintResult | null> => {
    if (!isArchitecture(uri)) return null;
    // With the user's settings (`archlint.rules`), even when this request overtakes the first lint of the document.
    const s = await settingsFor(uri);
    // A Compose file or a manifest whose source is off is not read: as if it were any YAML file.
    if (!enabledFor(uri, s)) return null;
    const analysis = host.snapshot();
    const result = analysis.lint(uri);
    const lines = analysis.lines(uri);
    if (!result || !lines) return null;
    return {
      findings: analysis.findings(uri).map((f) => ({
        ruleId: f.ruleId,
        messageId: f.messageId,
        message: f.message,
        severity: f.severity,
        range: toRange(lines, f.range),
        offsets: [f.range[0], f.range[1]],
        ...(f.component !== undefined && { component: f.component }),
        fixes: analysis.fixes(f).map((x) => ({ title: x.title, applicability: x.applicability })),
      })),
      components: result.model ? [...result.model.components.keys()] : [],
      entryPoints: result.graph ? [...result.graph.entryPoints] : [],
    };
  });

  documents.listen(connection);
  connection.listen();
}

const isPosition = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { line?: unknown }).line === 'number' &&
  typeof (v as { character?: unknown }).character === 'number';
const isRange = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && isPosition((v as { start?: unknown }).start) && isPosition((v as { end?: unknown }).end);

const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** Whether a file (or the file a link leads to) is no larger than a search opens (`MAX_MANIFEST_BYTES`); not when it cannot be read. */
function isSmallFile(file: string): boolean {
  try {
    const stat = statSync(file);
    // Only a regular file: reading a named pipe would wait for a writer forever.
    return stat.isFile() && stat.size <= MAX_MANIFEST_BYTES;
  } catch {
    return false;
  }
}

/** The path of a `file:` URI, or the URI itself when it is not one. */
function safePath(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

/** The last segment of a URI, decoded where it can be (a malformed escape stays as it is). */
function fileName(uri: string): string {
  const last = uri.replace(/[?#].*$/, '').replace(/^.*\//, '');
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** The report as plain JSON: maps as records, and no Infinity (an entry that never fails), which JSON cannot carry. */
function plainAvailability(report: AvailabilityReport): ApiAvailability {
  return JSON.parse(
    JSON.stringify(
      { entries: report.entries, components: Object.fromEntries(report.components), notes: report.notes },
      (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    ),
  ) as ApiAvailability;
}
