import * as vscode from 'vscode';

/** Architecture files by name; they keep the `yaml` language (so highlighting and other YAML tools still work). */
export const ARCH_SELECTOR = [
  { language: 'yaml', pattern: '**/*.arch.yaml' },
  { language: 'yaml', pattern: '**/*.arch.yml' },
];

const ARCH_FILE = /\.arch\.ya?ml$/i;

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

export function isForeignScheme(uri: vscode.Uri): boolean {
  return FOREIGN_SCHEMES.has(uri.scheme);
}

/** Whether a document is an architecture file Archlint handles (any scheme the user edits, virtual ones included). */
export function isArchDocument(document: vscode.TextDocument): boolean {
  return isArchUri(document.uri);
}

export function isArchUri(uri: vscode.Uri): boolean {
  return ARCH_FILE.test(uri.path) && !isForeignScheme(uri);
}
