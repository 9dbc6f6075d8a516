/**
 * What the CLI says, as the protocol tests expect the server to say it: `archlint lint --format
 * sarif` run in `cwd` (rule, level, exact region, related locations, help link) turned into LSP diagnostics,
 * and `archlint lint --format json` fixes applied to a text.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { archlint, ROOT } from '../cli/setup';

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string }; region: SarifRegion };
  message?: { text: string };
}
interface SarifResult {
  ruleId: string;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  suppressions?: unknown[];
}
interface SarifLog {
  runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: SarifResult[] }[];
}

/** The architecture files under samples/, as paths relative to the repository. */
export const SAMPLES = readdirSync(join(ROOT, 'samples'))
  .filter((name) => name.endsWith('.arch.yaml'))
  .sort()
  .map((name) => `samples/${name}`);

export const readRepoFile = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

const LEVEL_TO_SEVERITY = { error: 1, warning: 2, note: 3 } as const;

const toRange = (r: SarifRegion): Range => ({
  start: { line: r.startLine - 1, character: r.startColumn - 1 },
  end: { line: r.endLine - 1, character: r.endColumn - 1 },
});

/**
 * The diagnostics the server must publish for each of `paths`, from one `archlint lint --format
 * sarif` run: keyed by the path as given, in the CLI's order.
 */
export function cliDiagnostics(paths: readonly string[], uriOf: (path: string) => string, cwd = ROOT): Map<string, Diagnostic[]> {
  // Through a file: the SARIF of a large file is more than a pipe's buffer in spawnSync holds.
  const out = join(mkdtempSync(join(tmpdir(), 'archlint-sarif-')), 'out.sarif');
  const run = archlint(['lint', '--format', 'sarif', '-o', out, ...paths], cwd);
  if (run.code !== 0 && run.code !== 1) throw new Error(`archlint lint failed (${run.code}): ${run.stderr}`);
  const sarif = JSON.parse(readFileSync(out, 'utf8')) as SarifLog;
  const help = new Map(sarif.runs[0]!.tool.driver.rules.map((r) => [r.id, r.helpUri]));
  const byPath = new Map<string, Diagnostic[]>(paths.map((p) => [p, []]));
  // Findings a comment silenced are SARIF results too (with a suppression); an editor does not show them.
  for (const result of sarif.runs[0]!.results.filter((r) => !r.suppressions)) {
    const location = result.locations[0]!.physicalLocation;
    const path = decodeURIComponent(location.artifactLocation.uri);
    const uri = uriOf(path);
    byPath.get(path)!.push({
      range: toRange(location.region),
      severity: LEVEL_TO_SEVERITY[result.level],
      source: 'archlint',
      code: result.ruleId,
      codeDescription: { href: help.get(result.ruleId)! },
      message: result.message.text,
      ...(result.relatedLocations && {
        relatedInformation: result.relatedLocations.map((r) => ({
          location: { uri, range: toRange(r.physicalLocation.region) },
          message: r.message!.text,
        })),
      }),
    });
  }
  return byPath;
}

/** SARIF's messages are sentences: a final period is added where none ends them. */
const terminated = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * A diagnostic as the CLI's SARIF states it, for comparing: without the server's private
 * `data`, and with its messages ending as SARIF's sentences do.
 */
export function publicPart(d: Diagnostic): Diagnostic {
  const { data: _data, ...rest } = d;
  return {
    ...rest,
    message: typeof d.message === 'string' ? terminated(d.message) : d.message,
    ...(d.relatedInformation && {
      relatedInformation: d.relatedInformation.map((r) => ({ ...r, message: terminated(r.message) })),
    }),
  };
}

/** One fix of `archlint lint --format json`: an edit over the file's text in UTF-16 offsets. */
export interface JsonFix {
  range: [number, number];
  text: string;
}
export interface JsonMessage {
  ruleId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: JsonFix;
  suggestions?: { desc: string; fix: JsonFix }[];
}

/** `archlint lint --format json` of `paths` (run in `cwd`, with more arguments if given): each file's messages and fixed text. */
export function cliJson(
  paths: readonly string[],
  cwd = ROOT,
  args: readonly string[] = [],
): Map<string, { messages: JsonMessage[]; output?: string }> {
  const run = archlint(['lint', '--format', 'json', ...args, ...paths], cwd);
  if (run.code !== 0 && run.code !== 1) throw new Error(`archlint lint failed (${run.code}): ${run.stderr}`);
  const results = JSON.parse(run.stdout) as { filePath: string; messages: JsonMessage[]; output?: string }[];
  return new Map(results.map((r) => [relative(cwd, r.filePath), r]));
}

export const applyJsonFix = (text: string, fix: JsonFix): string =>
  text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);

/** `text` with the edits a workspace edit makes to `uri` (the other files' edits must be absent). */
export function applyWorkspaceEdit(text: string, edit: WorkspaceEdit | null | undefined, uri: string): string {
  const changes = edit?.changes ?? {};
  const others = Object.keys(changes).filter((u) => u !== uri);
  if (others.length > 0) throw new Error(`the edit also changes ${others.join(', ')}`);
  return applyTextEdits(text, changes[uri] ?? []);
}

export const applyTextEdits = (text: string, edits: TextEdit[]): string =>
  TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 0, text), edits);
