import * as vscode from 'vscode';

/** The language id the Docker extension gives Compose files (by its own patterns: `docker-compose.prod.yml` too). */
export const COMPOSE_LANGUAGE_ID = 'dockercompose';

/** Compose's standard names and their override files (the engine's `COMPOSE_GLOBS`; the entry bundle stays free of the engine). */
const COMPOSE_PATTERNS = ['**/{compose,docker-compose}.{yaml,yml}', '**/{compose,docker-compose}.override.{yaml,yml}'];

/**
 * The documents Archlint reads: architecture files by name (they keep the `yaml` language, so
 * highlighting and other YAML tools still work), Compose files by their standard names, and any
 * document the Docker extension marks as Compose.
 */
export const ARCHLINT_SELECTOR = [
  { language: 'yaml', pattern: '**/*.arch.yaml' },
  { language: 'yaml', pattern: '**/*.arch.yml' },
  ...COMPOSE_PATTERNS.map((pattern) => ({ language: 'yaml', pattern })),
  { language: COMPOSE_LANGUAGE_ID },
];

const ARCH_FILE = /\.arch\.ya?ml$/i;
const COMPOSE_FILE = /(?:^|\/)(?:docker-)?compose(?:\.override)?\.ya?ml$/i;

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

/** Whether a document is one Archlint reads (any scheme the user edits, virtual ones included). */
export function isArchDocument(document: vscode.TextDocument): boolean {
  return (isArchUri(document.uri) || document.languageId === COMPOSE_LANGUAGE_ID) && !isForeignScheme(document.uri);
}

/**
 * Whether a URI names a file Archlint reads: an architecture file or a Compose file by name, or
 * an open document the Docker extension marks as Compose.
 */
export function isArchUri(uri: vscode.Uri): boolean {
  if (isForeignScheme(uri)) return false;
  if (ARCH_FILE.test(uri.path) || COMPOSE_FILE.test(uri.path)) return true;
  const key = uri.toString();
  return vscode.workspace.textDocuments.some((d) => d.languageId === COMPOSE_LANGUAGE_ID && d.uri.toString() === key);
}
