import * as vscode from 'vscode';
import type { Architecture, LintResult } from '../engine';
import { engine } from './engineLoader';
import { isArchPath } from './adapters/archFiles';
import { readSettings, type ArchlintSettings } from './settings';

/** What the diagram panel (and every other feature) reads lint results from. */
export interface LintSource {
  /** The result for the document's current text: cached per version, linted now if stale. */
  get(document: vscode.TextDocument): LintResult;
  /** Fires after each lint that diagnostics should show (open, typing, save, settings change). */
  onDidLint: vscode.Event<{ document: vscode.TextDocument; result: LintResult }>;
}

/** Schemes of read-only copies other tools open (git's HEAD version, diffs, output): not the user's file. */
const FOREIGN_SCHEMES = new Set([
  'git',
  'gitfs',
  'output',
  'vscode-scm',
  'review',
  'pr',
  'conflictResolution',
  'vscode-notebook-cell-output',
]);

/** Whether a document is an architecture file Archlint handles (any scheme the user edits, virtual ones included). */
export function isArchDocument(document: vscode.TextDocument): boolean {
  return isArchPath(document.uri.path) && !FOREIGN_SCHEMES.has(document.uri.scheme);
}

interface Entry {
  version: number;
  generation: number;
  result: LintResult;
}

/** Typing pauses shorter than this do not start a lint; long enough to skip keystrokes, short enough to feel live. */
export const LINT_DELAY_MS = 150;

/**
 * Lints architecture documents and caches one result per document version, so diagnostics,
 * hovers, completion, CodeLens and the diagram all read the same result: nothing is computed twice.
 * Lints on open, as you type (debounced; `archlint.run: onType`) or on save, and forgets a
 * document when it closes.
 */
export class LintService implements LintSource, vscode.Disposable {
  private readonly cache = new Map<string, Entry>();
  /** The last model that could be built per document: completion needs ids while the text is mid-edit and unreadable. */
  private readonly lastModels = new Map<string, Architecture>();
  /** Bumped when settings change, so cached results made under old settings count as stale. */
  private generation = 0;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lintEmitter = new vscode.EventEmitter<{ document: vscode.TextDocument; result: LintResult }>();
  private readonly closeEmitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.lintEmitter, this.closeEmitter];

  readonly onDidLint = this.lintEmitter.event;
  /** Fires when a document's results are dropped (closed, deleted, or Archlint disabled for it). */
  readonly onDidForget = this.closeEmitter.event;

  constructor(private readonly log: (message: string) => void) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.lintIfArch(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || !isArchDocument(e.document)) return;
        if (this.settingsFor(e.document).run === 'onType') this.schedule(e.document);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => this.lintIfArch(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.forgetUnder(uri))),
      vscode.workspace.onDidRenameFiles((e) =>
        e.files.forEach(({ oldUri }) => {
          this.forgetUnder(oldUri);
        }),
      ),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('archlint')) this.relintAll();
      }),
    );
  }

  /** Lints every open architecture document (at start-up, and after a settings change). */
  relintAll(): void {
    this.generation++;
    for (const document of vscode.workspace.textDocuments) this.lintIfArch(document);
  }

  settingsFor(document: vscode.TextDocument): ArchlintSettings {
    return readSettings(document.uri, this.log);
  }

  get(document: vscode.TextDocument): LintResult {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version && cached.generation === this.generation) return cached.result;
    return this.run(document);
  }

  /** Lints now (cancelling a pending debounced lint) and tells the listeners. */
  lintNow(document: vscode.TextDocument): LintResult {
    this.cancel(document.uri);
    const result = this.get(document);
    this.lintEmitter.fire({ document, result });
    return result;
  }

  private lintIfArch(document: vscode.TextDocument): void {
    if (!isArchDocument(document)) return;
    if (!this.settingsFor(document).enable) {
      this.forget(document.uri);
      return;
    }
    this.lintNow(document);
  }

  private run(document: vscode.TextDocument): LintResult {
    const started = Date.now();
    const settings = this.settingsFor(document);
    const key = document.uri.toString();
    // The previous result is handed over: an edit inside one component re-parses only that
    // component (engine/incremental.ts); anything else is a full lint. The result is the same.
    const result = engine().lintIncremental(this.cache.get(key)?.result, document.getText(), { settings: settings.rules });
    this.cache.set(key, { version: document.version, generation: this.generation, result });
    if (result.model && result.model.components.size > 0) this.lastModels.set(key, result.model);
    const elapsed = Date.now() - started;
    if (elapsed > 100) this.log(`linted ${document.uri.fsPath || document.uri.toString()} in ${elapsed} ms (slow)`);
    return result;
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.cancel(document.uri);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (document.isClosed) return;
        if (!this.settingsFor(document).enable) return;
        this.lintNow(document);
      }, LINT_DELAY_MS),
    );
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(key);
  }

  /** The current model, else the last one the document had (while it does not parse). */
  modelFor(document: vscode.TextDocument): Architecture | undefined {
    const model = this.get(document).model;
    return model && model.components.size > 0 ? model : (this.lastModels.get(document.uri.toString()) ?? model);
  }

  forget(uri: vscode.Uri): void {
    this.cancel(uri);
    this.cache.delete(uri.toString());
    this.lastModels.delete(uri.toString());
    this.closeEmitter.fire(uri);
  }

  /** Forgets a deleted or renamed file, or every file under a deleted folder. */
  private forgetUnder(uri: vscode.Uri): void {
    const prefix = uri.toString().replace(/\/?$/, '/');
    this.forget(uri);
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.forget(vscode.Uri.parse(key));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.cache.clear();
    this.lastModels.clear();
    this.disposables.forEach((d) => d.dispose());
  }
}
