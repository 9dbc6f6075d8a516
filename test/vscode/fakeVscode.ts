/**
 * A small, behaving stand-in for the `vscode` module, enough to activate the extension in vitest
 * and drive its providers the way VS Code does: documents with versions, configuration, events,
 * registered providers and commands. Integration in a real VS Code is the e2e suite's job.
 */
import { LineIndex } from '../../extension/src/engine';

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly authority = '',
  ) {}
  static parse(value: string): Uri {
    const m = /^([\w-]+):(?:\/\/([^/]*))?(.*)$/.exec(value);
    return m ? new Uri(m[1]!, m[3]!, m[2] ?? '') : new Uri('file', value);
  }
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...parts].join('/'), base.authority);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}`;
  }
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class Diagnostic {
  source?: string;
  code?: string | { value: string; target: Uri };
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: DiagnosticSeverity,
  ) {}
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === other.value || other.value.startsWith(`${this.value}.`);
  }
}

export class TextEdit {
  constructor(
    readonly range: Range,
    readonly newText: string,
  ) {}
}

export class WorkspaceEdit {
  readonly edits: { uri: Uri; edit: TextEdit }[] = [];
  replace(uri: Uri, range: Range, newText: string): void {
    this.edits.push({ uri, edit: new TextEdit(range, newText) });
  }
  set(uri: Uri, edits: TextEdit[]): void {
    for (const edit of edits) this.edits.push({ uri, edit });
  }
}

export class CodeAction {
  edit?: WorkspaceEdit;
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  command?: { title: string; command: string; arguments?: unknown[] };
  constructor(
    readonly title: string,
    readonly kind?: CodeActionKind,
  ) {}
}

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (listener: (e: T) => void): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== listener)));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class MarkdownString {
  constructor(readonly value = '') {}
}
export class Hover {
  constructor(
    readonly contents: MarkdownString,
    readonly range?: Range,
  ) {}
}
export class CompletionItem {
  insertText?: string;
  range?: Range;
  detail?: string;
  documentation?: MarkdownString;
  sortText?: string;
  command?: unknown;
  constructor(
    readonly label: string,
    readonly kind?: number,
  ) {}
}
export enum CompletionItemKind {
  Property = 9,
  Reference = 17,
  EnumMember = 19,
}
export enum CompletionTriggerKind {
  Invoke = 0,
  TriggerCharacter = 1,
}
export enum SymbolKind {
  File = 0,
  Package = 3,
  Class = 4,
  Field = 7,
  Interface = 10,
  Function = 11,
  Struct = 22,
  Event = 23,
}
export class DocumentSymbol {
  constructor(
    readonly name: string,
    readonly detail: string,
    readonly kind: SymbolKind,
    readonly range: Range,
    readonly selectionRange: Range,
  ) {}
}
export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: { title: string; command: string; arguments?: unknown[] },
  ) {}
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ViewColumn {
  Beside = -2,
  One = 1,
}

/** A text document whose text the test sets; every change bumps its version, as in VS Code. */
export class FakeDocument {
  version = 1;
  isClosed = false;
  readonly languageId = 'yaml';
  constructor(
    readonly uri: Uri,
    private text: string,
  ) {}
  get fileName(): string {
    return this.uri.path;
  }
  get isUntitled(): boolean {
    return this.uri.scheme === 'untitled';
  }
  getText(): string {
    return this.text;
  }
  setText(text: string): void {
    this.text = text;
    this.version++;
  }
  positionAt(offset: number): Position {
    const p = new LineIndex(this.text).position(offset);
    return new Position(p.line, p.character);
  }
  offsetAt(position: Position): number {
    return new LineIndex(this.text).offset(position);
  }
  /** Applies a workspace edit's text edits for `target` (this document by default) to this document's text. */
  apply(edit: WorkspaceEdit, target: Uri = this.uri): void {
    const mine = edit.edits.filter((e) => e.uri.toString() === target.toString()).map((e) => e.edit);
    const sorted = [...mine].sort((a, b) => this.offsetAt(b.range.start) - this.offsetAt(a.range.start));
    let text = this.text;
    for (const e of sorted)
      text = text.slice(0, this.offsetAt(e.range.start)) + e.newText + text.slice(this.offsetAt(e.range.end));
    this.setText(text);
  }
}

type Provider = Record<string, (...args: never[]) => unknown>;

/** What the extension registered, for the test to call. */
export const registry = {
  providers: new Map<string, Provider>(),
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  diagnostics: new Map<string, Diagnostic[]>(),
  settings: {} as Record<string, unknown>,
  opened: [] as string[],
  documents: [] as FakeDocument[],
  statusBar: { text: '', tooltip: '', visible: false },
  extensions: new Set<string>(),
};

export const events = {
  open: new EventEmitter<FakeDocument>(),
  change: new EventEmitter<{ document: FakeDocument; contentChanges: unknown[] }>(),
  save: new EventEmitter<FakeDocument>(),
  close: new EventEmitter<FakeDocument>(),
  deleteFiles: new EventEmitter<{ files: Uri[] }>(),
  renameFiles: new EventEmitter<{ files: { oldUri: Uri; newUri: Uri }[] }>(),
  configuration: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  activeEditor: new EventEmitter<unknown>(),
  extensionsChanged: new EventEmitter<void>(),
};

const provider = (kind: string) => (_selector: unknown, p: Provider) => {
  registry.providers.set(kind, p);
  return new Disposable();
};

export const languages = {
  createDiagnosticCollection: () => ({
    set: (uri: Uri, diagnostics: Diagnostic[]) => registry.diagnostics.set(uri.toString(), diagnostics),
    delete: (uri: Uri) => registry.diagnostics.delete(uri.toString()),
    forEach: (fn: (uri: Uri) => void) => [...registry.diagnostics.keys()].forEach((k) => fn(Uri.parse(k))),
    dispose: () => undefined,
  }),
  registerCompletionItemProvider: provider('completion'),
  registerHoverProvider: provider('hover'),
  registerDefinitionProvider: provider('definition'),
  registerReferenceProvider: provider('references'),
  registerRenameProvider: provider('rename'),
  registerDocumentSymbolProvider: provider('symbols'),
  registerCodeLensProvider: provider('codeLens'),
  registerCodeActionsProvider: provider('codeActions'),
};

export const workspace = {
  get textDocuments() {
    return registry.documents;
  },
  getConfiguration: (section: string) => ({
    get: <T>(key: string, fallback?: T): T =>
      `${section}.${key}` in registry.settings ? (registry.settings[`${section}.${key}`] as T) : (fallback as T),
  }),
  onDidOpenTextDocument: events.open.event,
  onDidChangeTextDocument: events.change.event,
  onDidSaveTextDocument: events.save.event,
  onDidCloseTextDocument: events.close.event,
  onDidDeleteFiles: events.deleteFiles.event,
  onDidRenameFiles: events.renameFiles.event,
  onDidChangeConfiguration: events.configuration.event,
  openTextDocument: async (uri: Uri) => {
    const doc = registry.documents.find((d) => d.uri.toString() === uri.toString());
    if (!doc) throw new Error(`no document ${uri.toString()}`);
    return doc;
  },
  asRelativePath: (uri: Uri) => uri.path.split('/').pop(),
};

export const window = {
  activeTextEditor: undefined as { document: FakeDocument } | undefined,
  createOutputChannel: () => ({ info: () => undefined, show: () => undefined, dispose: () => undefined }),
  createStatusBarItem: () => ({
    set text(v: string) {
      registry.statusBar.text = v;
    },
    set tooltip(v: string) {
      registry.statusBar.tooltip = v;
    },
    show: () => (registry.statusBar.visible = true),
    hide: () => (registry.statusBar.visible = false),
    dispose: () => undefined,
  }),
  onDidChangeActiveTextEditor: events.activeEditor.event,
  onDidChangeTextEditorSelection: new EventEmitter<unknown>().event,
  visibleTextEditors: [] as unknown[],
  registerWebviewPanelSerializer: () => new Disposable(),
  showInformationMessage: async () => undefined,
};

export const commands = {
  registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
    registry.commands.set(id, fn);
    return new Disposable();
  },
  executeCommand: async (id: string, ...args: unknown[]) => registry.commands.get(id)?.(...args),
};

export const extensions = {
  getExtension: (id: string) => (registry.extensions.has(id) ? { id } : undefined),
  onDidChange: events.extensionsChanged.event,
};

export const env = {
  openExternal: async (uri: Uri) => {
    registry.opened.push(uri.toString());
    return true;
  },
};
