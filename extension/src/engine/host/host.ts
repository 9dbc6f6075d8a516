/**
 * The analysis host: the one place that holds documents and caches and takes changes.
 *
 * Shaped after rust-analyzer's `AnalysisHost` / `Analysis`: changes go in here ({@link
 * AnalysisHost.apply}, {@link AnalysisHost.close}, {@link AnalysisHost.configure}); queries go
 * to a snapshot ({@link AnalysisHost.snapshot}), an {@link Analysis} whose answers are pure
 * functions of the documents as they were when it was taken. A snapshot whose architecture has
 * changed since answers no more: its queries throw {@link Cancelled}, as rust-analyzer's do, so
 * a server drops the request instead of answering for text the user no longer has.
 *
 * Documents are grouped into architectures. Today each architecture file (`*.arch.yaml`, or a
 * document opened as one) is one architecture; a source that spans files (a Compose project, a
 * folder of manifests) groups several, so every result names the file it is in.
 *
 * Every reuse cache (the incremental parse, the model, the graph's derived answers, the
 * availability signatures) lives in an architecture's state here, and nowhere else: the
 * engine's modules keep no state tied to documents.
 */
import { runPipeline, type LintCache, type LintOptions, type LintResult } from '../lint';
import type { Architecture } from '../model/model';
import type { ProjectConfig } from '../project/config';
import type { RuleConfig } from '../types';
import { isArchPath } from './files';
import { Analysis } from './analysis';

/** A document's identity: a URI as the client sends it (the CLI uses file paths). */
export type Uri = string;

/** What kind of file a document is: today only architecture files; `other` is held but not analysed. */
export type DocumentKind = 'architecture' | 'other';

/** A document's whole new text (an open, or a full-text change). */
export interface DocumentChange {
  uri: Uri;
  version: number;
  text: string;
  /** How to read it; by default an `*.arch.yaml` / `*.arch.yml` name is an architecture file, anything else `other`. */
  kind?: DocumentKind;
}

/** Edits to a document's text, applied in order, each to the text the ones before it left (as LSP sends them). */
export interface DocumentEdits {
  uri: Uri;
  version: number;
  edits: readonly { range: readonly [start: number, end: number]; text: string }[];
}

/** Settings that change results: severities by rule id (a workspace's, or a run's), and the configuration file that applies. */
export interface AnalysisSettings {
  /** The workspace's severities (`archlint.rules`): below the configuration file's. */
  rules?: Readonly<Record<string, RuleConfig>>;
  /** The configuration file that applies (the nearest `archlint.config.yaml`): its `rules` and `defaults.slo`. */
  config?: ProjectConfig;
  /** A run's severities (`--rule`): above a file's own `rules:`. */
  overrides?: Readonly<Record<string, RuleConfig>>;
}

/** Thrown by a query of a snapshot whose architecture changed after the snapshot was taken. */
export class Cancelled extends Error {
  constructor() {
    super('the document changed: the request was cancelled');
    this.name = 'Cancelled';
  }
}

/** One open document. */
export interface HostDocument {
  uri: Uri;
  version: number;
  text: string;
  kind: DocumentKind;
}

/** One architecture: its files, what its last lint lends the next, and that lint's result. */
export interface ArchitectureState {
  key: string;
  files: Uri[];
  /** The host revision at its last change (text or settings). */
  changedAt: number;
  cache: LintCache;
  result?: LintResult;
  /** The last model with components: completion offers its ids while the text is mid-edit and unreadable. */
  lastModel?: Architecture;
}

export class AnalysisHost {
  private readonly documents = new Map<Uri, HostDocument>();
  private readonly architectures = new Map<string, ArchitectureState>();
  private readonly settingsByUri = new Map<Uri, AnalysisSettings>();
  private defaultSettings: AnalysisSettings = {};
  private revisionCount = 0;

  /** Bumped by every change; a snapshot remembers the one it was taken at. */
  get revision(): number {
    return this.revisionCount;
  }

  /** Opens a document or changes its text. A version older than the one held is ignored (a late message). */
  apply(change: DocumentChange | DocumentEdits): void {
    const current = this.documents.get(change.uri);
    if (current && change.version < current.version) return;
    let text: string;
    if ('text' in change) {
      text = change.text;
    } else {
      if (!current) throw new Error(`edits for ${change.uri}, which is not open`);
      text = current.text;
      for (const edit of change.edits) {
        const start = clamp(edit.range[0], text.length);
        const end = clamp(Math.max(edit.range[0], edit.range[1]), text.length);
        text = text.slice(0, start) + edit.text + text.slice(end);
      }
    }
    const kind = ('kind' in change && change.kind) || current?.kind || kindOf(change.uri);
    if (current && current.text === text && current.kind === kind) {
      current.version = change.version;
      return;
    }
    this.revisionCount++;
    this.documents.set(change.uri, { uri: change.uri, version: change.version, text, kind });
    const key = architectureKey(change.uri, kind);
    if (key === undefined) {
      this.architectures.delete(change.uri);
      return;
    }
    const state = this.architectures.get(key);
    if (state) {
      state.changedAt = this.revisionCount;
      state.result = undefined;
    } else {
      this.architectures.set(key, { key, files: [change.uri], changedAt: this.revisionCount, cache: {} });
    }
  }

  /** Forgets a document and, with it, its architecture's caches. */
  close(uri: Uri): void {
    if (!this.documents.delete(uri)) return;
    this.revisionCount++;
    this.architectures.delete(uri);
    this.settingsByUri.delete(uri);
  }

  /** Sets the settings of one document, or (without `uri`) the default of every document. */
  configure(settings: AnalysisSettings, uri?: Uri): void {
    this.revisionCount++;
    if (uri === undefined) this.defaultSettings = settings;
    else this.settingsByUri.set(uri, settings);
    for (const state of this.architectures.values()) {
      if (uri !== undefined && !state.files.includes(uri)) continue;
      state.changedAt = this.revisionCount;
      state.result = undefined;
    }
  }

  /** The analysis of everything as it is now. */
  snapshot(): Analysis {
    return new Analysis(this, this.revisionCount);
  }

  /** The open documents. */
  openDocuments(): HostDocument[] {
    return [...this.documents.values()];
  }

  /** @internal The document at `uri`, if open. */
  document(uri: Uri): HostDocument | undefined {
    return this.documents.get(uri);
  }

  /**
   * @internal The state of the architecture `uri` belongs to, linted if it is not yet;
   * `Cancelled` when it changed after `revision`; `undefined` when `uri` is no architecture's file.
   */
  analysed(uri: Uri, revision: number): ArchitectureState | undefined {
    const open = this.documents.get(uri);
    if (!open) return undefined;
    const key = architectureKey(uri, open.kind);
    const state = key === undefined ? undefined : this.architectures.get(key);
    if (!state) return undefined;
    if (state.changedAt > revision) throw new Cancelled();
    if (!state.result) {
      state.result = runPipeline(open.text, this.optionsFor(uri), state.cache, uri);
      if (state.result.model && state.result.model.components.size > 0) state.lastModel = state.result.model;
    }
    return state;
  }

  /** @internal The lint options of a document: its settings over the defaults. */
  optionsFor(uri: Uri): LintOptions {
    const own = this.settingsByUri.get(uri);
    const config = own?.config ?? this.defaultSettings.config;
    return {
      settings: own?.rules ?? this.defaultSettings.rules,
      config: config?.rules,
      overrides: own?.overrides ?? this.defaultSettings.overrides,
      ...(config?.defaults.slo !== undefined && { defaultSlo: config.defaults.slo }),
    };
  }
}

const clamp = (offset: number, length: number): number => Math.max(0, Math.min(offset, length));

function kindOf(uri: Uri): DocumentKind {
  return isArchPath(uri.replace(/[?#].*$/, '')) ? 'architecture' : 'other';
}

/** The architecture a document belongs to: today its own, when it is an architecture file. */
function architectureKey(uri: Uri, kind: DocumentKind): string | undefined {
  return kind === 'architecture' ? uri : undefined;
}
