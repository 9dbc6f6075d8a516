/**
 * Engine data → LSP data: offsets become positions here and only here (the engine speaks in
 * offsets; LSP and editors count lines and UTF-16 columns from 0, as {@link LineIndex} does).
 */
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  SymbolKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import {
  ruleDocsUrl,
  type ActionData,
  type CompletionData,
  type FileEdit,
  type Finding,
  type Kind,
  type LineIndex,
  type Offsets,
} from '../engine';

/** The `source` of every diagnostic Archlint publishes. */
export const DIAGNOSTIC_SOURCE = 'archlint';

/** The code action kind `editor.codeActionsOnSave` asks for: `"source.fixAll.archlint": "explicit"`. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.archlint`;

export function toRange(lines: LineIndex, range: Offsets): Range {
  return { start: lines.position(range[0]), end: lines.position(Math.max(range[0], range[1])) };
}

/**
 * Position → offset, as LSP defines it: a character past its line's end means the line's end
 * (before its line break, never the next line's start), a line past the text's end means the
 * text's end, and negative values mean 0. Anything else a client sends (a fraction, a string)
 * is read as the nearest position it could mean.
 */
export function toOffset(lines: LineIndex, position: { line: number; character: number }): number {
  const line = Math.trunc(Number(position.line)) || 0;
  const character = Math.max(0, Math.trunc(Number(position.character)) || 0);
  const text = lines.text;
  if (line >= lines.lineCount) return text.length;
  if (line < 0) return 0;
  const start = lines.lineStart(line);
  const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : text.length;
  let offset = Math.min(start + character, end);
  // Back over the line break (`\n`, `\r\n` or a lone `\r`), as vscode-languageserver-textdocument does.
  while (offset > start && isLineBreak(text.charCodeAt(offset - 1))) offset--;
  return offset;
}

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const isLineBreak = (code: number): boolean => code === LINE_FEED || code === CARRIAGE_RETURN;

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/**
 * A finding as a diagnostic: its rule id as the code, linking to the rule's page; related
 * locations (the entry points a finding takes down) with their file.
 */
export function toDiagnostic(
  finding: Finding,
  lines: LineIndex,
  uri: string,
  linesOf: (uri: string) => LineIndex | undefined,
): Diagnostic {
  const related = (finding.related ?? []).flatMap((r) => {
    const file = r.file ?? uri;
    const fileLines = file === uri ? lines : linesOf(file);
    return fileLines ? [{ location: { uri: file, range: toRange(fileLines, r.range) }, message: r.message }] : [];
  });
  return {
    range: toRange(lines, finding.range),
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: ruleDocsUrl(finding.ruleId) },
    message: finding.message,
    ...(related.length > 0 && { relatedInformation: related }),
    data: { ruleId: finding.ruleId, offsets: [finding.range[0], finding.range[1]] },
  };
}

/**
 * The key a diagnostic's `data` (which LSP promises comes back unchanged with a code action
 * request) is matched to its finding by, or undefined when `data` is not ours. Some clients send
 * the range back changed: Neovim (0.7 to at least 0.10) sends its columns as bytes, not UTF-16 units
 * (neovim/neovim#29500).
 */
export function dataKey(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { ruleId, offsets } = data as { ruleId?: unknown; offsets?: unknown };
  if (typeof ruleId !== 'string' || !Array.isArray(offsets) || offsets.length !== 2) return undefined;
  if (!offsets.every((o) => Number.isSafeInteger(o))) return undefined;
  return `${ruleId}@${String(offsets[0])}-${String(offsets[1])}`;
}

/** The key a diagnostic a client sends back is matched to its finding by. */
export function diagnosticKey(ruleId: string | number | undefined, range: Range): string {
  return `${String(ruleId)}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Edits of several files as a workspace edit, each file's edits converted with its own line index. */
export function toWorkspaceEdit(edits: readonly FileEdit[], linesOf: (uri: string) => LineIndex | undefined): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const edit of edits) {
    const lines = linesOf(edit.uri);
    if (!lines) continue;
    (changes[edit.uri] ??= []).push({ range: toRange(lines, edit.range), newText: edit.text });
  }
  return { changes };
}

export function toCodeAction(
  action: ActionData,
  diagnostic: Diagnostic | undefined,
  linesOf: (uri: string) => LineIndex | undefined,
): CodeAction {
  return {
    title: action.title,
    kind: CodeActionKind.QuickFix,
    ...(diagnostic && { diagnostics: [diagnostic] }),
    ...(action.preferred && { isPreferred: true }),
    edit: toWorkspaceEdit(action.edits, linesOf),
  };
}

const COMPLETION_KIND: Record<CompletionData['kind'], CompletionItemKind> = {
  component: CompletionItemKind.Reference,
  zone: CompletionItemKind.Reference,
  key: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  rule: CompletionItemKind.Property,
};

export function toCompletionItem(
  data: CompletionData,
  index: number,
  lines: LineIndex,
  retriggerCommand?: string,
): CompletionItem {
  return {
    label: data.label,
    kind: COMPLETION_KIND[data.kind],
    textEdit: { range: toRange(lines, data.range), newText: data.insertText },
    sortText: String(index).padStart(4, '0'),
    ...(data.detail && { detail: data.detail }),
    ...(data.documentation && { documentation: { kind: 'markdown', value: data.documentation } }),
    ...(data.retrigger && retriggerCommand && { command: { title: 'Suggest values', command: retriggerCommand } }),
  };
}

export const SYMBOL_KIND: Record<Kind, SymbolKind> = {
  'load-balancer': SymbolKind.Interface,
  service: SymbolKind.Class,
  worker: SymbolKind.Function,
  database: SymbolKind.Struct,
  cache: SymbolKind.Field,
  queue: SymbolKind.Event,
  storage: SymbolKind.File,
  external: SymbolKind.Package,
};
