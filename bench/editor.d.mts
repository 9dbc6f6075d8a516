// Types for editor.mjs, so the unit tests can check the bench's editor rows.

/** What test/e2e/suite/keystroke.e2e.ts writes, as far as the bench reads it. */
export interface EditorFigures {
  date: string;
  editor: { appName: string; version: string };
  machine: { loadAverage: number[] };
  file: { components: number; diagnostics: number };
  edits: { perFile: number };
  archlintUs: { mean: number; median: number };
  plainUs: { mean: number; median: number };
  clientShareUs: { mean: number; median: number };
}
export interface KeystrokeRun {
  startedAt: number;
  status: number | string | undefined;
}
export interface EditorRow {
  section: 'editor';
  name: string;
  ms: number;
  meanUs: number;
  medianUs: number;
  measured: string;
}

export const KEYSTROKE_TEST: string;
export function figuresFileOf(root: string): string;
export function runKeystrokeTest(root: string): KeystrokeRun;
export function readFigures(file: string): { figures?: EditorFigures; problem?: string };
export function editorRows(
  read: { figures?: EditorFigures; problem?: string },
  run?: KeystrokeRun,
): { lines: string[]; rows: EditorRow[]; failed: boolean };
