import { isAbsolute, relative } from 'node:path';
import {
  spanningEdit,
  type FindingWithFixes,
  type Fix,
  type LineIndex,
  type Offsets,
  type Rule,
  type SuppressedFinding,
} from '../../engine';

/** Everything a format needs to know about one linted file. */
export interface FileReport {
  /** Absolute path; or, for standard input named by no `--stdin-filename`, the name `<stdin>`. */
  filePath: string;
  /** The text that was linted (after `--fix`, the fixed text), without a byte-order mark. */
  text: string;
  lines: LineIndex;
  /** The findings to show (`--quiet` has already removed what it hides), sorted by position. */
  findings: FindingWithFixes[];
  /** Findings an `archlint-disable` comment silenced (json and sarif list them as suppressed). */
  suppressed?: (SuppressedFinding & FindingWithFixes)[];
  /** Set when `--fix` changed the file: the text now on disk. */
  fixed?: boolean;
  /**
   * Every file of the architecture this file is part of (a Compose project), by path: a related
   * location or a fix edit may lie in another of them (they name it).
   */
  files?: ReadonlyMap<string, { text: string; lines: LineIndex }>;
}

/** The lines of the file a related location or an edit names (the report's own when it names none, or one the report does not know). */
export function linesOf(report: FileReport, file: string | undefined): LineIndex {
  return (file !== undefined && file !== report.filePath && report.files?.get(file)?.lines) || report.lines;
}

export interface FormatContext {
  cwd: string;
  /** Colour escapes are allowed (stylish only). */
  color: boolean;
  version: string;
  /** The rule registry, for SARIF's rule metadata. */
  rules: readonly Rule[];
}

/** An output format: all results in, the whole report out (ends with a newline, or is empty). */
export type Formatter = (reports: readonly FileReport[], ctx: FormatContext) => string;

/** 1-based line and column, end exclusive, as ESLint, SARIF and GitHub count them. */
export interface Region {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function regionOf(lines: LineIndex, range: Offsets): Region {
  const start = lines.position(range[0]);
  const end = lines.position(Math.max(range[0], range[1]));
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** The first safe fix of a finding: what `--fix` would apply. */
export function safeFix(finding: FindingWithFixes): Fix | undefined {
  return finding.fixes?.find((f) => f.applicability === 'safe');
}

/**
 * Forward-slash path relative to `cwd`; `undefined` when the file lies outside it. A name that is
 * no path (`<stdin>`) is itself.
 */
export function relativePath(cwd: string, filePath: string): string | undefined {
  if (!isAbsolute(filePath)) return filePath;
  const rel = relative(cwd, filePath);
  if (rel === '' || rel === '..' || rel.startsWith('..' + '/') || rel.startsWith('..\\') || isAbsolute(rel)) return undefined;
  return rel.split('\\').join('/');
}

/** What a person reads: the path relative to `cwd` when inside it, else the absolute path. */
export function displayPath(cwd: string, filePath: string): string {
  return relativePath(cwd, filePath) ?? filePath.split('\\').join('/');
}

/**
 * A fix as one edit over the original text, as ESLint's JSON expects: several edits merge into
 * one that spans them, the text between them kept as it was (ESLint merges fixes the same way).
 */
export function mergedEdit(text: string, fix: Fix): { range: [number, number]; text: string } | undefined {
  return spanningEdit(text, fix.edits);
}
