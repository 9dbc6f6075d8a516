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
 * Documents are grouped into architectures. Each architecture file (`*.arch.yaml`, or a
 * document opened as one) is one architecture. A Compose file belongs to its project, keyed by
 * the project's main file (the file itself, or for an override file the base file beside it):
 * the project is the main file and its override, and whatever they `include` or `extend`, read
 * from the open documents first and else through the host's `readFile` (the server reads the
 * disk; the host itself never does). A reverse index from every file a project read (or looked
 * for) to the project makes a change to any of them, open or on disk, invalidate its result.
 * Kubernetes manifests (a YAML or JSON document whose objects have `apiVersion` and `kind` at
 * the top level, recognised by content, so a document can become one as it is typed) are one
 * architecture per folder: the folder's manifests, open or on disk (the host lists the folder
 * through `listFolder`), keyed by the folder. A configuration's `architectures` group (`groupOf`,
 * answered by the server from the configuration file) takes a Compose file or a manifest out of its
 * default grouping: the group's files, in its order, are one architecture, keyed by the group.
 * Every result names the file it is in.
 *
 * Every reuse cache (the incremental parse, the model, the graph's derived answers, the
 * availability signatures) lives in an architecture's state here, and nowhere else: the
 * engine's modules keep no state tied to documents.
 */
import { lintCompose, lintKubernetes, runPipeline, type LintCache, type LintOptions, type LintResult } from '../lint';
import type { Architecture } from '../model/model';
import type { ProjectConfig } from '../project/config';
import { baseCandidatesOf, isComposeOverridePath, isComposePath, overrideCandidatesOf } from '../sources/compose/files';
import { isManifestName, isManifestText } from '../sources/kubernetes/manifests';
import type { SourceText } from '../sources/compose/project';
import type { RuleConfig } from '../types';
import { isArchPath } from './files';
import { Analysis } from './analysis';

/** A document's identity: a URI as the client sends it (the CLI uses file paths). */
export type Uri = string;

/**
 * What kind of file a document is: an architecture file, a Compose file (a project's base or
 * override file, or any file an editor says is Compose), Kubernetes manifests, or `other`, held
 * but not analysed.
 */
export type DocumentKind = 'architecture' | 'compose' | 'kubernetes' | 'other';

/** The sources whose files group into one architecture. */
export type SourceKind = 'compose' | 'kubernetes';

/** A configuration's `architectures` group: files of one source that form one architecture. */
export interface SourceGroup {
  /** Names the group, unlike any file (for example the configuration file's URI and the group's name). */
  key: string;
  kind: SourceKind;
  /** Its files, in the order the group gives (a Compose project's merge order). */
  files: readonly Uri[];
}

/** A document's whole new text (an open, or a full-text change). */
export interface DocumentChange {
  uri: Uri;
  version: number;
  text: string;
  /**
   * How to read it, when the client knows (a `dockercompose` document); by default an
   * `*.arch.yaml` / `*.arch.yml` name is an architecture file, a Compose name (`compose.yaml`,
   * `docker-compose.override.yml`, …) a Compose file, a `.yaml`, `.yml` or `.json` file whose text
   * holds manifests Kubernetes (decided again at each change), anything else `other`.
   */
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

/** How the host reaches files that are not open. */
export interface HostOptions {
  /**
   * The text of a file that is not open (a Compose project's base or override file, an
   * `include` or `extends.file` target), or `undefined` when there is none. The server reads
   * `file:` URIs from disk; without it, only open documents are read.
   */
  readFile?: (uri: Uri) => string | undefined;
  /**
   * The files of a folder (a URI ending in `/`), not its subfolders, for the manifests beside an
   * open one; without it, a folder's manifests are its open documents.
   */
  listFolder?: (folder: Uri) => readonly Uri[];
  /** The configuration's `architectures` group a Compose file or a manifest is in, if any. */
  groupOf?: (uri: Uri, kind: SourceKind) => SourceGroup | undefined;
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
  /** The kind the client said it is, which its text does not change. */
  declared?: DocumentKind;
}

/** One architecture: its files, what its last lint lends the next, and that lint's result. */
export interface ArchitectureState {
  /** The architecture file, the Compose project's main file, the manifests' folder, or a configuration group's key. */
  key: string;
  kind: 'architecture' | SourceKind;
  /** Every file its last lint read or looked for (a Compose project's missing override or include too, a folder's other files): a change to any invalidates it. */
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
  /** The architecture each open, analysed document belongs to. */
  private readonly keys = new Map<Uri, string>();
  /** The open documents of each architecture (the inverse of `keys`). */
  private readonly members = new Map<string, Set<Uri>>();
  /** The reverse index: each file an architecture read or looked for → the architectures. */
  private readonly dependents = new Map<Uri, Set<string>>();
  private readonly settingsByUri = new Map<Uri, AnalysisSettings>();
  private readonly readFromDisk: (uri: Uri) => string | undefined;
  private readonly listFolder: (folder: Uri) => readonly Uri[];
  private readonly groupOf: (uri: Uri, kind: SourceKind) => SourceGroup | undefined;
  private defaultSettings: AnalysisSettings = {};
  private revisionCount = 0;

  constructor(options: HostOptions = {}) {
    this.readFromDisk = options.readFile ?? (() => undefined);
    this.listFolder = options.listFolder ?? (() => []);
    this.groupOf = options.groupOf ?? (() => undefined);
  }

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
    const declared = ('kind' in change && change.kind) || current?.declared;
    const kind = declared || kindOf(change.uri, text);
    if (current && current.text === text && current.kind === kind) {
      current.version = change.version;
      return;
    }
    this.revisionCount++;
    this.documents.set(change.uri, { uri: change.uri, version: change.version, text, kind, ...(declared && { declared }) });
    this.changed(change.uri);
    if (!current || current.kind !== kind) {
      // A manifest that stops being one leaves its folder's architecture, which reads it no more.
      if (current?.kind === 'kubernetes') this.changedFolder(change.uri);
      this.place(change.uri);
      // A new Compose document may be a project's base file: every Compose document's project is looked up again.
      if (kind === 'compose' || current?.kind === 'compose') this.placeSources();
    } else {
      const key = this.keys.get(change.uri);
      if (key !== undefined) this.invalidate(key);
    }
  }

  /** Forgets a document and, with it, the caches of the architectures no open document belongs to any more. */
  close(uri: Uri): void {
    if (!this.documents.delete(uri)) return;
    this.revisionCount++;
    this.settingsByUri.delete(uri);
    // A project that reads it reads the disk now.
    this.changed(uri);
    // Its folder's manifests too: the file on disk may be manifests where the open text (left out, unread) was not.
    this.changedFolder(uri);
    const key = this.keys.get(uri);
    if (key !== undefined) this.leave(uri, key);
    this.placeSources();
  }

  /**
   * Tells the host that files changed on disk (created, changed or deleted): the architectures
   * that read them or looked for them are linted again, as is the manifests' architecture of their
   * folder or group (a new file may be a manifest), and Compose documents and manifests find their
   * architectures again (an override's base file may have appeared). An open document's own text still wins.
   * A watcher's batch is told at once: a build or a test run writes thousands of JSON files.
   */
  fileChanged(uris: Uri | readonly Uri[]): void {
    this.revisionCount++;
    for (const uri of typeof uris === 'string' ? [uris] : uris) {
      this.changed(uri);
      this.changedFolder(uri);
    }
    this.placeSources();
  }

  /** Sets the settings of one document, or (without `uri`) the default of every document. */
  configure(settings: AnalysisSettings, uri?: Uri): void {
    this.revisionCount++;
    if (uri === undefined) this.defaultSettings = settings;
    else this.settingsByUri.set(uri, settings);
    for (const state of this.architectures.values()) {
      if (uri !== undefined && state.key !== uri && !state.files.includes(uri)) continue;
      this.invalidate(state.key);
    }
  }

  /**
   * After the configuration's `architectures` changed (what `groupOf` answers): every open Compose
   * file and manifest finds its architecture again, and every such architecture is linted again (a
   * group that keeps its name may have other files now).
   */
  regroup(): void {
    this.placeSources();
    for (const state of this.architectures.values()) if (state.kind !== 'architecture') this.invalidate(state.key);
  }

  /** Looks up the architecture of every open Compose file and manifest again (a file appeared, or went). */
  private placeSources(): void {
    for (const [uri, open] of this.documents) if (open.kind === 'compose' || open.kind === 'kubernetes') this.place(uri);
  }

  /** The analysis of everything as it is now. */
  snapshot(): Analysis {
    return new Analysis(this, this.revisionCount);
  }

  /** The open documents. */
  openDocuments(): HostDocument[] {
    return [...this.documents.values()];
  }

  /**
   * The other open documents whose results a change to `uri` changes: those of its Compose
   * project or manifests' architecture, and those of every architecture that reads it (an
   * `include` target, a manifest on disk). Empty for an architecture file, which is an architecture of its own.
   */
  affectedBy(uri: Uri): Uri[] {
    const keys = new Set(this.dependents.get(uri));
    const own = this.keys.get(uri);
    if (own !== undefined) keys.add(own);
    // A file that appears in a folder (or a group) of manifests may be one.
    for (const key of this.sourcesAround(uri)) keys.add(key);
    return [...keys].flatMap((key) => [...(this.members.get(key) ?? [])]).filter((doc) => doc !== uri);
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
    const key = this.keys.get(uri);
    const state = open && key !== undefined ? this.architectures.get(key) : undefined;
    if (!open || !state) return undefined;
    if (state.changedAt > revision) throw new Cancelled();
    if (!state.result) {
      if (state.kind !== 'architecture') {
        const { result, read } = this.lintProject(state);
        state.result = result;
        this.index(state, [...new Set([state.key, ...read, ...(result.files?.keys() ?? [])])]);
      } else {
        state.result = runPipeline(open.text, this.optionsFor(uri), state.cache, uri);
      }
      if (state.result.model && state.result.model.components.size > 0) state.lastModel = state.result.model;
    }
    return state;
  }

  /**
   * @internal Lints a Compose project or a set of manifests as it is, or with `replaced` (one
   * file's new text: what fix-all's passes try). Reads open documents first, then the disk; `read`
   * is every file it asked for.
   */
  lintProject(state: ArchitectureState, replaced?: SourceText): { result: LintResult; read: Set<Uri> } {
    const read = new Set<Uri>();
    const readFile = (file: Uri): string | undefined => {
      read.add(file);
      if (replaced?.file === file) return replaced.text;
      return this.documents.get(file)?.text ?? this.readFromDisk(file);
    };
    const options = this.optionsOfArchitecture(state);
    if (state.kind === 'kubernetes') {
      // The files read at the last lint are kept: a keystroke in one manifest parses that file alone.
      const files = this.manifestsOf(state, readFile);
      return { result: lintKubernetes({ files, cache: (state.cache.manifests ??= new Map()) }, options), read };
    }
    const group = this.groupOfState(state);
    if (group) {
      const files = group.files.flatMap((file) => {
        const text = readFile(file);
        return text === undefined ? [] : [{ file, text }];
      });
      return { result: lintCompose({ files, readFile }, options), read };
    }
    const files: SourceText[] = [{ file: state.key, text: readFile(state.key) ?? '' }];
    // An override file of its own (no base beside it) is a project of one file, as is a Compose file by another name.
    if (!isComposeOverridePath(state.key)) {
      for (const candidate of overrideCandidatesOf(state.key)) {
        const text = readFile(candidate);
        if (text === undefined) continue;
        files.push({ file: candidate, text });
        break;
      }
    }
    return { result: lintCompose({ files, readFile }, options), read };
  }

  /**
   * The manifests of a Kubernetes architecture, sorted by URI: its group's files, or its folder's
   * `.yaml`, `.yml` and `.json` files (on disk, and open ones not yet saved) that hold manifests
   * and that no group names.
   */
  private manifestsOf(state: ArchitectureState, readFile: (file: Uri) => string | undefined): SourceText[] {
    const group = this.groupOfState(state);
    const members = [...(this.members.get(state.key) ?? [])];
    // A listed file is named as the open document of it is (clients escape a name's characters differently).
    const named = new Map(members.map((uri) => [decoded(uri), uri]));
    const listed = group ? group.files : this.listFolder(state.key).filter(mayBeManifest);
    const candidates = new Set<Uri>(listed.map((uri) => named.get(decoded(uri)) ?? uri));
    if (!group) for (const uri of members) candidates.add(uri);
    const files: SourceText[] = [];
    for (const file of [...candidates].sort()) {
      const open = this.documents.get(file);
      // An open document is read as it is now: one the user turned into something else is left out
      // (and not read, so typing in it does not lint the folder again: becoming a manifest does).
      if (!group && open && open.kind !== 'kubernetes') continue;
      // A file a configuration group names is linted there, not with its folder (as the CLI does).
      if (!group && this.groupOf(file, 'kubernetes') !== undefined) continue;
      const text = readFile(file);
      if (text !== undefined && (group || open || isManifestText(file, text))) files.push({ file, text });
    }
    return files;
  }

  /** The configuration group of a source architecture keyed by one (asked of an open member: the group may have changed). */
  private groupOfState(state: ArchitectureState): SourceGroup | undefined {
    if (state.kind === 'architecture') return undefined;
    for (const uri of this.members.get(state.key) ?? []) {
      const group = this.groupOf(uri, state.kind);
      if (group?.key === state.key) return group;
    }
    return undefined;
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
      // For sources whose files cannot state them (a Compose project).
      ...(config && { sourceDefaults: { availability: config.defaults.availability, zones: config.defaults.zones } }),
    };
  }

  /** The options of a project: those of its main file when it has its own, else of its first open document that has. */
  private optionsOfArchitecture(state: ArchitectureState): LintOptions {
    const members = [state.key, ...(this.members.get(state.key) ?? [])];
    return this.optionsFor(members.find((doc) => this.settingsByUri.has(doc)) ?? state.key);
  }

  /** A file's text changed (open or on disk): every architecture that read it, or is keyed by it, is linted again. */
  private changed(uri: Uri): void {
    for (const key of this.dependents.get(uri) ?? []) this.invalidate(key);
    if (this.architectures.has(uri)) this.invalidate(uri);
  }

  private invalidate(key: string): void {
    const state = this.architectures.get(key);
    if (!state) return;
    state.changedAt = this.revisionCount;
    state.result = undefined;
  }

  /** A file of a folder appeared, went, or changed what it is: the manifests' architecture of its folder, or of its group, is linted again. */
  private changedFolder(uri: Uri): void {
    for (const key of this.sourcesAround(uri)) this.invalidate(key);
  }

  /**
   * The architectures a file in its place would join: its folder's manifests (if it may be one),
   * and its configuration groups, asked by its place on disk (a group names its files as the
   * server finds them, which a client may spell otherwise).
   */
  private sourcesAround(uri: Uri): string[] {
    const keys: string[] = [];
    if (mayBeManifest(uri) && this.architectures.get(folderOf(uri))?.kind === 'kubernetes') keys.push(folderOf(uri));
    for (const kind of ['kubernetes', 'compose'] as const) {
      const key = this.groupOf(uri, kind)?.key;
      if (key !== undefined && this.architectures.get(key)?.kind === kind) keys.push(key);
    }
    return keys;
  }

  /**
   * Puts an open document in its architecture, creating the architecture when it is new and
   * dropping the one it leaves when no open document is left in it.
   */
  private place(uri: Uri): void {
    const open = this.documents.get(uri);
    const key = open && this.architectureKey(uri, open.kind);
    const old = this.keys.get(uri);
    if (key === old) return;
    if (old !== undefined) this.leave(uri, old);
    if (key === undefined || !open) return;
    this.keys.set(uri, key);
    let members = this.members.get(key);
    if (!members) this.members.set(key, (members = new Set()));
    members.add(uri);
    const kind = open.kind === 'compose' || open.kind === 'kubernetes' ? open.kind : 'architecture';
    const state = this.architectures.get(key);
    if (state && state.kind === kind) {
      this.invalidate(key);
      return;
    }
    if (state) this.drop(state);
    const created: ArchitectureState = { key, kind, files: [], changedAt: this.revisionCount, cache: {} };
    this.architectures.set(key, created);
    this.index(created, [...new Set([key, uri])]);
  }

  /** Takes a document out of an architecture, dropping the architecture when it was the last one open in it. */
  private leave(uri: Uri, key: string): void {
    this.keys.delete(uri);
    const members = this.members.get(key);
    members?.delete(uri);
    if (members && members.size > 0) return;
    this.members.delete(key);
    const state = this.architectures.get(key);
    if (state) this.drop(state);
  }

  /**
   * The architecture a document belongs to: its own for an architecture file; the configuration
   * group that names it; else its project's main file for a Compose file, its folder for a manifest.
   */
  private architectureKey(uri: Uri, kind: DocumentKind): string | undefined {
    if (kind === 'architecture') return uri;
    if (kind !== 'compose' && kind !== 'kubernetes') return undefined;
    const group = this.groupOf(uri, kind);
    if (group && group.kind === kind && group.files.includes(uri)) return group.key;
    if (kind === 'kubernetes') return folderOf(uri);
    if (!isComposeOverridePath(uri)) return uri;
    return baseCandidatesOf(uri).find((base) => this.documents.has(base) || this.readFromDisk(base) !== undefined) ?? uri;
  }

  /** Records the files an architecture reads, in the reverse index. */
  private index(state: ArchitectureState, files: Uri[]): void {
    for (const file of state.files) this.dependents.get(file)?.delete(state.key);
    state.files = files;
    for (const file of files) {
      let keys = this.dependents.get(file);
      if (!keys) this.dependents.set(file, (keys = new Set()));
      keys.add(state.key);
    }
  }

  private drop(state: ArchitectureState): void {
    const files = state.files;
    this.index(state, []);
    this.architectures.delete(state.key);
    for (const file of files) if (this.dependents.get(file)?.size === 0) this.dependents.delete(file);
  }
}

const clamp = (offset: number, length: number): number => Math.max(0, Math.min(offset, length));

/** Whether a file's name lets it hold manifests: a YAML or JSON file that is no architecture or Compose file by name. */
function mayBeManifest(uri: Uri): boolean {
  const path = uri.replace(/[?#].*$/, '');
  return isManifestName(path) && !isArchPath(path) && !isComposePath(path) && !isComposeOverridePath(path);
}

/** A URI with its escapes decoded, to compare two spellings of one file. */
function decoded(uri: Uri): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

/** What a document is, by its name and then (for a YAML or JSON file) its text. */
function kindOf(uri: Uri, text: string): DocumentKind {
  const path = uri.replace(/[?#].*$/, '');
  if (isArchPath(path)) return 'architecture';
  if (isComposePath(path) || isComposeOverridePath(path)) return 'compose';
  return isManifestName(path) && isManifestText(path, text) ? 'kubernetes' : 'other';
}

/** The folder a file is in, as a URI ending in `/` (the key of its manifests' architecture). */
export function folderOf(uri: Uri): Uri {
  const path = uri.replace(/[?#].*$/, '');
  const slash = path.lastIndexOf('/');
  // A URI with no folder (`untitled:a.yaml`) is an architecture of its own, not one with every other such buffer.
  return slash < 0 ? uri : path.slice(0, slash + 1);
}
