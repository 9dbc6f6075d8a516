/**
 * A small stand-in for the `vscode` module: enough to activate the extension in vitest and
 * watch what it does with the editor (the status bar item, commands, documents, settings, the
 * URLs it opens). The language client is faked separately (see extension.test.ts); the real
 * client, server and workbench are the e2e suite's job.
 */

export class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<(value: T) => unknown>();
  readonly event = (listener: (value: T) => unknown): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
  ) {}
  static parse(value: string): Uri {
    const m = /^([\w+.-]+):(?:\/\/([^/]*))?(.*)$/.exec(value);
    return m ? new Uri(m[1]!, m[2] ?? '', m[3]!) : new Uri('file', '', value);
  }
  static file(path: string): Uri {
    return new Uri('file', '', path);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, base.authority, [base.path, ...parts].join('/'));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}`;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

export class CodeActionKind {
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(`${this.value}.${part}`);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === other.value || other.value.startsWith(`${this.value}.`);
  }
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export enum ViewColumn {
  One = 1,
  Beside = -2,
}

export class FakeDocument {
  version = 1;
  constructor(
    readonly uri: Uri,
    public text = '',
  ) {}
  getText(): string {
    return this.text;
  }
}

export class FakeStatusBarItem {
  text = '';
  tooltip: string | undefined;
  command: string | undefined;
  name: string | undefined;
  visible = false;
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.visible = false;
  }
}

/** What the extension did to the editor, and the editor's state the tests set. */
export const host = {
  documents: [] as FakeDocument[],
  statusBarItems: [] as FakeStatusBarItem[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  opened: [] as string[],
  /** The context keys the extension set (`setContext`), by key. */
  contexts: new Map<string, unknown>(),
  /** `archlint.*` settings; a test changes them and fires `configurationChanged`. */
  settings: new Map<string, unknown>(),
  workspaceFolder: '/w',
  activeTextEditor: undefined as { document: FakeDocument } | undefined,
  events: {
    open: new EventEmitter<FakeDocument>(),
    change: new EventEmitter<{ document: FakeDocument }>(),
    close: new EventEmitter<FakeDocument>(),
    activeEditor: new EventEmitter<{ document: FakeDocument } | undefined>(),
    configuration: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  },
  /** Opens a document as VS Code does: it joins the open documents, then the open event fires. */
  open(path: string, text = ''): FakeDocument {
    const document = new FakeDocument(Uri.file(path), text);
    this.documents.push(document);
    this.events.open.fire(document);
    return document;
  },
  /** Replaces a document's text as an edit does: a new version, then the change event. */
  edit(document: FakeDocument, text: string): void {
    document.text = text;
    document.version++;
    this.events.change.fire({ document });
  },
  /** Closes a document: it leaves the open documents, then the close event fires. */
  close(document: FakeDocument): void {
    this.documents = this.documents.filter((d) => d !== document);
    this.events.close.fire(document);
  },
  /** Makes `document`'s editor the active one. */
  activate(document: FakeDocument | undefined): void {
    this.activeTextEditor = document && { document };
    this.events.activeEditor.fire(this.activeTextEditor);
  },
  /** Sets `archlint.<key>` and tells the extension, as a settings change does. */
  configure(key: string, value: unknown): void {
    this.settings.set(key, value);
    this.events.configuration.fire({
      affectsConfiguration: (section) => section === 'archlint' || section === `archlint.${key}`,
    });
  },
};

const disposable = { dispose: () => undefined };
const logChannel = {
  info: () => undefined,
  error: () => undefined,
  warn: () => undefined,
  show: () => undefined,
  dispose: () => undefined,
};

export const window = {
  get activeTextEditor() {
    return host.activeTextEditor;
  },
  get visibleTextEditors() {
    return host.activeTextEditor ? [host.activeTextEditor] : [];
  },
  createOutputChannel: () => logChannel,
  createStatusBarItem: () => {
    const item = new FakeStatusBarItem();
    host.statusBarItems.push(item);
    return item;
  },
  onDidChangeActiveTextEditor: host.events.activeEditor.event,
  onDidChangeTextEditorSelection: () => disposable,
  registerWebviewPanelSerializer: () => disposable,
  showInformationMessage: () => Promise.resolve(undefined),
  showWarningMessage: () => Promise.resolve(undefined),
};

export const workspace = {
  get textDocuments() {
    return host.documents;
  },
  onDidOpenTextDocument: host.events.open.event,
  onDidChangeTextDocument: host.events.change.event,
  onDidCloseTextDocument: host.events.close.event,
  onDidChangeConfiguration: host.events.configuration.event,
  getConfiguration: (section: string) => ({
    get: <T>(key: string, fallback: T): T =>
      section === 'archlint' && host.settings.has(key) ? (host.settings.get(key) as T) : fallback,
  }),
  openTextDocument: (uri: Uri) => {
    const known = host.documents.find((d) => d.uri.toString() === uri.toString());
    return Promise.resolve(known ?? host.open(uri.path));
  },
  asRelativePath: (uri: Uri) =>
    uri.path.startsWith(`${host.workspaceFolder}/`) ? uri.path.slice(host.workspaceFolder.length + 1) : uri.path,
};

export const commands = {
  registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
    host.commands.set(id, handler);
    return { dispose: () => host.commands.delete(id) };
  },
  executeCommand: (id: string, ...args: unknown[]) => {
    if (id === 'setContext') host.contexts.set(String(args[0]), args[1]);
    return Promise.resolve(host.commands.get(id)?.(...args));
  },
};

export const env = {
  openExternal: (uri: Uri) => {
    host.opened.push(uri.toString());
    return Promise.resolve(true);
  },
  clipboard: { writeText: () => Promise.resolve() },
};
