// Shared by the e2e test files: expectations the runner computed with the CLI, waiting on the
// editor (every wait is bounded), fresh copies of samples so tests never see each other's edits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ApiFinding, ArchlintApi } from '../../../extension/src/vscode/api';

export const EXTENSION_ID = 'archlint.archlint';
export const DIAGNOSTIC_SOURCE = 'archlint';

/** One finding as `archlint lint --format json` prints it (ESLint's shape, 1-based lines and columns). */
export interface CliMessage {
  ruleId: string;
  severity: 1 | 2;
  message: string;
  messageId?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: { range: [number, number]; text: string };
  suggestions?: { desc: string; fix: { range: [number, number]; text: string } }[];
}

export interface SampleExpectation {
  messages: CliMessage[];
  /** `archlint lint --fix` applied to the sample plus `fixAllEdit`; null when the CLI could not. */
  fixedAfterEdit: string | null;
  /** `archlint availability FILE --format json`, or null with the reason in availabilityError. */
  availability: unknown;
  availabilityError: string | null;
}

export interface Expectations {
  fixAllEdit: string;
  samples: Record<string, SampleExpectation>;
}

/** Written by test/e2e/prepare.mjs next to the bundled suite (this code runs from .cache/e2e-suite/tests/). */
export const expected: Expectations = JSON.parse(readFileSync(join(__dirname, '..', 'expected.json'), 'utf8')) as Expectations;

export const sampleNames = Object.keys(expected.samples).sort();

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e run opens a copy of samples/ as its workspace, but no folder is open');
  return folder.uri;
}

/**
 * How long a wait may take before it fails. A bound, not a delay: every wait ends as soon as the
 * state it waits for is there. It only decides how long a broken run takes to say so, and must
 * hold on a loaded machine (2 cores shared with other work): with the load average near 20 a
 * diagram's first render took up to 39 s (5 to 8 s with little load).
 */
export const WAIT_MS = 120_000;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls until `probe` returns something other than undefined, or throws after `timeoutMs` with
 * `describe()` saying what was last seen (so a failure reads as a diff, not as "timeout").
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = WAIT_MS,
  describe?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = describe ? `\nlast seen: ${describe()}` : '';
      const err = lastError ? `\nlast error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}${err}`);
    }
    await sleep(100);
  }
}

/** Activates Archlint (it may already be active through its activation events) and returns its exports. */
export async function activateArchlint(): Promise<ArchlintApi> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    const ids = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(`extension ${EXTENSION_ID} is not installed (non-builtin extensions: ${ids.join(', ') || 'none'})`);
  }
  return (extension.isActive ? extension.exports : await extension.activate()) as ArchlintApi;
}

let copyCounter = 0;

/** Every document the tests opened or copied (by URI): the only ones `closeAllEditors` reverts. */
const testDocuments = new Set<string>();

/** A copy of a sample under `<workspace>/.e2e/`, unique per call: the test may edit and save it freely. */
export async function freshCopy(sample: string, tag: string): Promise<vscode.Uri> {
  const source = vscode.Uri.joinPath(workspaceRoot(), sample);
  const name = `${tag.replace(/[^a-z0-9-]+/gi, '-')}-${++copyCounter}-${sample}`;
  const target = vscode.Uri.joinPath(workspaceRoot(), '.e2e', name);
  await vscode.workspace.fs.copy(source, target, { overwrite: true });
  testDocuments.add(target.toString());
  return target;
}

/** A new file under `<workspace>/.e2e/` with `text` (a generated input), reverted like a copy when a test ends. */
export async function scratchFile(name: string, text: string): Promise<vscode.Uri> {
  const target = vscode.Uri.joinPath(workspaceRoot(), '.e2e', `${++copyCounter}-${name}`);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  testDocuments.add(target.toString());
  return target;
}

export function archlintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

/** A comparable key of a diagnostic: rule, severity and exact range (0-based, like VS Code). */
export function diagnosticKey(d: vscode.Diagnostic): string {
  const severity =
    d.severity === vscode.DiagnosticSeverity.Error
      ? 'error'
      : d.severity === vscode.DiagnosticSeverity.Warning
        ? 'warning'
        : 'info';
  return `${codeOf(d)} ${severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
}

/** The same key for a CLI finding (the CLI counts lines and columns from 1). */
export function cliKey(m: CliMessage): string {
  const severity = m.severity === 2 ? 'error' : 'warning';
  return `${m.ruleId} ${severity} ${m.line - 1}:${m.column - 1}-${m.endLine - 1}:${m.endColumn - 1}`;
}

export function sortedKeys(keys: string[]): string[] {
  return [...keys].sort();
}

/** A diagnostic's comparable text: its key and its message. */
function shownAs(d: vscode.Diagnostic): string {
  return `${diagnosticKey(d)} ${d.message}`;
}

/** The same for a finding of the extension's API (`ArchlintApi.lint`). */
function apiShownAs(f: ApiFinding): string {
  const { start, end } = f.range;
  return `${f.ruleId} ${f.severity} ${start.line}:${start.character}-${end.line}:${end.character} ${f.message}`;
}

/**
 * Waits until the diagnostics Archlint shows for `uri` are those of the document's current text,
 * and returns them. "Current" is what the extension's own API lints for the document's current
 * version (the lint service caches one result per version, and that result is what it publishes),
 * so this waits for exactly the lint an edit, a save or an open triggered, however long the
 * debounce and the machine take, and never returns the previous version's findings.
 */
export async function currentDiagnostics(uri: vscode.Uri, timeoutMs = WAIT_MS): Promise<vscode.Diagnostic[]> {
  const api = await activateArchlint();
  let wanted: string[] = [];
  return waitFor(
    `Archlint's diagnostics on ${uri.path.split('/').pop()} for its current text`,
    async () => {
      wanted = sortedKeys((await api.lint(uri)).findings.map(apiShownAs));
      const shown = archlintDiagnostics(uri);
      return JSON.stringify(sortedKeys(shown.map(shownAs))) === JSON.stringify(wanted) ? shown : undefined;
    },
    timeoutMs,
    () => `shown ${JSON.stringify(sortedKeys(archlintDiagnostics(uri).map(shownAs)))}, linted ${JSON.stringify(wanted)}`,
  );
}

/**
 * Opens a document in the active editor and returns it with the diagnostics Archlint shows for
 * its text. Commands without a file argument (the diagram's, save) act on the active editor.
 */
export async function openWithDiagnostics(
  uri: vscode.Uri,
): Promise<{ document: vscode.TextDocument; editor: vscode.TextEditor; diagnostics: vscode.Diagnostic[] }> {
  const document = await vscode.workspace.openTextDocument(uri);
  testDocuments.add(uri.toString());
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  await waitFor(`the editor of ${uri.path.split('/').pop()} to be the active one`, () =>
    vscode.window.activeTextEditor?.document === document ? true : undefined,
  );
  return { document, editor, diagnostics: await currentDiagnostics(uri) };
}

/** Every YAML comment of a text (from `#` at a line start or after a blank to the line end), trimmed. */
export function commentsOf(text: string): string[] {
  const comments: string[] = [];
  for (const line of text.split('\n')) {
    const match = /(?:^|\s)(#.*)$/.exec(line);
    if (match) comments.push(match[1]!.trim());
  }
  return comments;
}

/** The comments of `before` that `after` lost (a multiset difference). */
export function lostComments(before: string, after: string): string[] {
  const remaining = commentsOf(after);
  const lost: string[] = [];
  for (const comment of commentsOf(before)) {
    const index = remaining.indexOf(comment);
    if (index === -1) lost.push(comment);
    else remaining.splice(index, 1);
  }
  return lost;
}

/**
 * Closes every editor without saving, so the next test starts from a clean window.
 *
 * Only the documents the tests opened are reverted. `workspace.textDocuments` also holds the
 * workbench's own models: writing a setting (a `configuration.update`, or a settings migration
 * at start-up) loads `settings.json` as a model, edits it (dirty), saves it and drops it. Showing
 * such a model to revert it opens an editor on the user's settings, reverts the workbench's
 * write, and fails with "another editor opened in the meantime" when the workbench drops the
 * model between the editor opening and the extension host looking it up.
 */
export async function closeAllEditors(): Promise<void> {
  // A dirty editor would ask "Save changes?" and block the run: revert each one first.
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && testDocuments.has(d.uri.toString()))) {
    const name = document.uri.path.split('/').pop();
    await vscode.window.showTextDocument(document, { preview: false });
    // The revert command reverts the active editor: it must be this document's, nothing else's.
    await waitFor(`the editor of ${name} to be the active one`, () =>
      vscode.window.activeTextEditor?.document === document ? true : undefined,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(`${name} to be reverted`, () => (document.isDirty ? undefined : true));
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor(
    'every editor to close',
    () => (vscode.window.tabGroups.all.every((group) => group.tabs.length === 0) ? true : undefined),
    WAIT_MS,
    () => JSON.stringify(vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tab.label))),
  );
}

/** Is this a quick fix that edits the YAML (not "disable for this line", not "show documentation")? */
export function isEditingQuickFix(action: vscode.CodeAction): boolean {
  return (
    !!action.edit &&
    !!action.kind &&
    vscode.CodeActionKind.QuickFix.contains(action.kind) &&
    !/^disable .* for this line/i.test(action.title) &&
    !/documentation/i.test(action.title)
  );
}

export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    kind,
  );
  return (actions ?? []).filter(
    (a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'),
  );
}
