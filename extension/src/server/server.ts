/**
 * The language server (`archlint lsp`): LSP requests → analysis host queries, nothing else.
 *
 * Documents arrive by incremental sync and go into one {@link AnalysisHost}; every request
 * takes a snapshot and asks it. Diagnostics are pushed to clients that cannot pull them
 * (`textDocument/publishDiagnostics` after a pause in typing) and answered to clients that pull
 * (`textDocument/diagnostic`). Settings come from `workspace/configuration` per document and are
 * read again on `workspace/didChangeConfiguration`. No handler lets an error escape: a failure
 * is logged to the client's output and answered with an empty result.
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
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
import { renderTable } from '../cli/commands/availability';
import {
  AnalysisHost,
  Cancelled,
  QueryError,
  ruleDocsUrl,
  statusBarText,
  withoutYamlExtensionDoubles,
  type Analysis,
  type AvailabilityReport,
  type Finding,
  type LineIndex,
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
import { DEFAULT_SETTINGS, readSettings } from './settings';

/** A pause in typing this long starts a push client's lint (long enough to skip keystrokes, short enough to feel live). */
export const DEFAULT_LINT_DELAY_MS = 150;

/** Wires the server to a connection and starts listening. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const host = new AnalysisHost();
  const settings = new Map<string, Promise<ServerSettings>>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** What onSave mode shows between saves: the diagnostics of the last saved (or opened) text. */
  const shown = new Map<string, Diagnostic[]>();
  let options: ServerInitializationOptions = {};
  let pull = false;
  let canConfigure = false;
  let canRefreshLenses = false;
  let shuttingDown = false;

  const log = (message: string) => connection.console.log(message);
  // Anything written to stdout that is not the protocol breaks a stdio client: logs go to the client.
  console.log = (...args: unknown[]) => log(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));

  /** Runs a handler: a cancelled request or snapshot answers as LSP says, any other failure is logged and answered empty. */
  function guarded<P, R>(name: string, empty: R, handler: (params: P, token?: CancellationToken) => R | Promise<R>) {
    return async (params: P, token?: CancellationToken): Promise<R | ResponseError<void>> => {
      if (shuttingDown) return new ResponseError(ErrorCodes.InvalidRequest, 'the server is shutting down');
      if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      try {
        return await handler(params, token);
      } catch (error) {
        if (error instanceof Cancelled) return new ResponseError(LSPErrorCodes.ContentModified, error.message);
        if (error instanceof QueryError) return new ResponseError(ErrorCodes.InvalidRequest, error.message);
        log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
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
        : Promise.resolve(DEFAULT_SETTINGS);
      settings.set(uri, known);
      void known.then((s) => host.configure({ rules: s.rules }, uri));
    }
    return known;
  }

  const linesOf =
    (analysis: Analysis) =>
    (uri: string): LineIndex | undefined =>
      analysis.lint(uri)?.lines;

  /** The diagnostics of a document now, as the user's settings show them. */
  async function diagnosticsOf(uri: string): Promise<Diagnostic[]> {
    const s = await settingsFor(uri);
    if (!s.enable) return [];
    const analysis = host.snapshot();
    const result = analysis.lint(uri);
    if (!result) return [];
    const findings = s.yamlExtensionValidates ? withoutYamlExtensionDoubles(analysis.findings(uri)) : analysis.findings(uri);
    const diagnostics = findings.map((f) => toDiagnostic(f, result.lines, uri, linesOf(analysis)));
    void notifyLinted(uri, analysis, findings);
    return diagnostics;
  }

  async function notifyLinted(uri: string, analysis: Analysis, findings: readonly Finding[]): Promise<void> {
    const document = analysis.document(uri);
    if (!document) return;
    let report: AvailabilityReport | undefined;
    try {
      report = analysis.availability(uri);
    } catch {
      report = undefined;
    }
    const params: LintedParams = { uri, version: document.version, status: statusBarText(findings, report) };
    await connection.sendNotification(LintedNotification.method, params);
    if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  /**
   * Lints a document now and shows the result: published to a push client; kept for a pull
   * client, which is told to ask again (it pulls by itself as the user types).
   */
  async function publish(uri: string): Promise<void> {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    try {
      const version = documents.get(uri)?.version;
      const diagnostics = await diagnosticsOf(uri);
      if (!documents.get(uri)) return;
      shown.set(uri, diagnostics);
      if (pull) connection.languages.diagnostics.refresh().catch(() => undefined);
      else await connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (error) {
      if (!(error instanceof Cancelled)) log(`lint of ${uri} failed: ${String(error)}`);
    }
  }

  function schedule(uri: string): void {
    clearTimeout(timers.get(uri));
    const delay = options.lintDelay ?? DEFAULT_LINT_DELAY_MS;
    timers.set(
      uri,
      setTimeout(() => void publish(uri), Math.max(0, delay)),
    );
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    options = (params.initializationOptions ?? {}) as ServerInitializationOptions;
    pull = params.capabilities.textDocument?.diagnostic !== undefined;
    canConfigure = params.capabilities.workspace?.configuration === true;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
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
        ...(pull && {
          diagnosticProvider: { identifier: 'archlint', interFileDependencies: false, workspaceDiagnostics: false },
        }),
      },
      serverInfo: { name: 'archlint' },
    };
  });

  connection.onInitialized(() => {
    if (canConfigure) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'archlint' });
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.arch.{yaml,yml}' }] })
      .catch(() => undefined);
  });

  connection.onShutdown(() => {
    shuttingDown = true;
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  });

  // A pull client asks for diagnostics when it wants them; a push client is sent them after a pause in typing.
  documents.onDidOpen(({ document }) => {
    host.apply({ uri: document.uri, version: document.version, text: document.getText() });
    void settingsFor(document.uri).then(() => (pull ? undefined : publish(document.uri)));
  });
  documents.onDidChangeContent(({ document }) => {
    // The open itself comes here too, right after onDidOpen: nothing new to lint then.
    if (host.document(document.uri)?.version === document.version) return;
    host.apply({ uri: document.uri, version: document.version, text: document.getText() });
    if (pull) return;
    void settingsFor(document.uri).then((s) => {
      if (s.run === 'onType') schedule(document.uri);
    });
  });
  documents.onDidSave(({ document }) => {
    void settingsFor(document.uri).then((s) => (pull && s.run === 'onType' ? undefined : publish(document.uri)));
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.delete(document.uri);
    host.close(document.uri);
    settings.delete(document.uri);
    shown.delete(document.uri);
    if (!pull) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onDidChangeConfiguration(() => {
    settings.clear();
    shown.clear();
    if (pull) {
      void Promise.all(documents.all().map((d) => settingsFor(d.uri))).then(() =>
        connection.languages.diagnostics.refresh().catch(() => undefined),
      );
    } else {
      for (const document of documents.all()) void settingsFor(document.uri).then(() => publish(document.uri));
    }
  });

  // A file that changed on disk: the editor's buffer is the truth for open files; a deleted file loses its diagnostics.
  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      if (documents.get(change.uri) || pull) continue;
      if (change.type === 3 /* deleted */) void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
    }
  });

  const pullDiagnostics = guarded(
    'diagnostics',
    { kind: DocumentDiagnosticReportKind.Full, items: [] as Diagnostic[] },
    async ({ textDocument }: DocumentDiagnosticParams) => {
      const uri = textDocument.uri;
      // onSave: what the text was when last opened or saved, until the next save.
      if ((await settingsFor(uri)).run === 'onSave' && !shown.has(uri)) shown.set(uri, await diagnosticsOf(uri));
      const items = (await settingsFor(uri)).run === 'onSave' ? shown.get(uri)! : await diagnosticsOf(uri);
      return { kind: DocumentDiagnosticReportKind.Full, items };
    },
  );
  connection.languages.diagnostics.on((params, token) => pullDiagnostics(params, token) as Promise<DocumentDiagnosticReport>);

  /** The snapshot and the line index of an enabled architecture document, or undefined. */
  async function analysisOf(uri: string): Promise<{ analysis: Analysis; lines: LineIndex } | undefined> {
    if (!(await settingsFor(uri)).enable) return undefined;
    const analysis = host.snapshot();
    const lines = analysis.lint(uri)?.lines;
    return lines && { analysis, lines };
  }

  connection.onCompletion(
    guarded('completion', [], async ({ textDocument, position, context }) => {
      const at = await analysisOf(textDocument.uri);
      if (!at) return [];
      const typed = context?.triggerKind === 2; /* TriggerCharacter */
      return at.analysis
        .completion(textDocument.uri, toOffset(at.lines, position), typed)
        .map((item, i) => toCompletionItem(item, i, at.lines, options.retriggerCommand));
    }),
  );

  connection.onHover(
    guarded('hover', null, async ({ textDocument, position }) => {
      const at = await analysisOf(textDocument.uri);
      const hover = at?.analysis.hover(textDocument.uri, toOffset(at.lines, position));
      return hover && at
        ? { contents: { kind: 'markdown' as const, value: hover.markdown }, range: toRange(at.lines, hover.range) }
        : null;
    }),
  );

  connection.onDefinition(
    guarded('definition', null, async ({ textDocument, position }) => {
      const at = await analysisOf(textDocument.uri);
      const target = at?.analysis.definition(textDocument.uri, toOffset(at.lines, position));
      const lines = target && at && linesOf(at.analysis)(target.uri);
      return target && lines ? { uri: target.uri, range: toRange(lines, target.range) } : null;
    }),
  );

  connection.onReferences(
    guarded('references', [], async ({ textDocument, position, context }) => {
      const at = await analysisOf(textDocument.uri);
      if (!at) return [];
      return at.analysis.references(textDocument.uri, toOffset(at.lines, position), context.includeDeclaration).flatMap((l) => {
        const lines = linesOf(at.analysis)(l.uri);
        return lines ? [{ uri: l.uri, range: toRange(lines, l.range) }] : [];
      });
    }),
  );

  connection.onPrepareRename(
    guarded('prepareRename', null, async ({ textDocument, position }) => {
      const at = await analysisOf(textDocument.uri);
      if (!at) return null;
      const { range, placeholder } = at.analysis.prepareRename(textDocument.uri, toOffset(at.lines, position));
      return { range: toRange(at.lines, range), placeholder };
    }),
  );

  connection.onRenameRequest(
    guarded('rename', null, async ({ textDocument, position, newName }) => {
      const at = await analysisOf(textDocument.uri);
      if (!at) return null;
      return toWorkspaceEdit(at.analysis.rename(textDocument.uri, toOffset(at.lines, position), newName), linesOf(at.analysis));
    }),
  );

  connection.onDocumentSymbol(
    guarded('documentSymbol', [], async ({ textDocument }) => {
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

  connection.onCodeLens(
    guarded('codeLens', [], async ({ textDocument }) => {
      const at = await analysisOf(textDocument.uri);
      if (!at) return [];
      return at.analysis.codeLenses(textDocument.uri).map((lens) => ({
        range: toRange(at.lines, lens.range),
        command: {
          title: lens.title,
          tooltip: `Availability of entry point ${lens.entry.component}: click for the full report`,
          command: options.availabilityCommand ?? '',
          arguments: [textDocument.uri],
        },
      }));
    }),
  );

  connection.onCodeAction(
    guarded('codeAction', [], async ({ textDocument, context }) => {
      const uri = textDocument.uri;
      const at = await analysisOf(uri);
      if (!at) return [];
      const { analysis, lines } = at;
      const actions: CodeAction[] = [];
      const only = context.only;
      const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
      // Fix-all re-lints the file several times: only when asked for (on save, or the Source Action menu).
      if (only && wants(FIX_ALL_KIND)) {
        const edit = analysis.fixAll(uri);
        if (edit)
          actions.push({
            title: 'Fix all safe Archlint findings',
            kind: FIX_ALL_KIND,
            edit: toWorkspaceEdit([edit], linesOf(analysis)),
          });
      }
      if (!wants(CodeActionKind.QuickFix)) return actions;
      // Diagnostics come back as copies: matched to this snapshot's findings by rule id and range.
      const byKey = new Map(analysis.findings(uri).map((f) => [diagnosticKey(f.ruleId, toRange(lines, f.range)), f]));
      const ours = context.diagnostics.filter((d) => d.source === 'archlint');
      for (const diagnostic of ours) {
        const finding = byKey.get(diagnosticKey(diagnostic.code, diagnostic.range));
        if (!finding) continue;
        for (const action of analysis.codeActions(uri, [finding]))
          actions.push(toCodeAction(action, diagnostic, linesOf(analysis)));
      }
      if (options.documentationCommand) {
        for (const ruleId of new Set(ours.map((d) => String(d.code)))) {
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
    connection.onRequest(request.method, guarded(request.method, null, handler));

  onRequest(DiagramRequest, async ({ uri, failed }) => {
    const at = await analysisOf(uri);
    const snapshot = at?.analysis.diagram(uri, Array.isArray(failed) ? failed.filter((f) => typeof f === 'string') : []);
    return snapshot ? { snapshot, title: snapshot.name ?? uri.replace(/^.*\//, '') } : null;
  });

  onRequest(AvailabilityRequest, async ({ uri, name: given }) => {
    const at = await analysisOf(uri);
    const report = at?.analysis.availability(uri);
    if (!report) return null;
    const name = typeof given === 'string' && given !== '' ? given : decodeURIComponent(uri.replace(/^.*\//, ''));
    return { report: plainAvailability(report), table: renderTable(name, report) };
  });

  onRequest(LintRequest, async ({ uri }): Promise<ApiLintResult | null> => {
    // With the user's settings (`archlint.rules`), even when this request overtakes the first lint of the document.
    await settingsFor(uri);
    const analysis = host.snapshot();
    const result = analysis.lint(uri);
    if (!result) return null;
    return {
      findings: analysis.findings(uri).map((f) => ({
        ruleId: f.ruleId,
        messageId: f.messageId,
        message: f.message,
        severity: f.severity,
        range: toRange(result.lines, f.range),
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

/** The report as plain JSON: maps as records, and no Infinity (an entry that never fails), which JSON cannot carry. */
function plainAvailability(report: AvailabilityReport): ApiAvailability {
  return JSON.parse(
    JSON.stringify(
      { entries: report.entries, components: Object.fromEntries(report.components), notes: report.notes },
      (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    ),
  ) as ApiAvailability;
}
