import * as vscode from 'vscode';

/** The language id the Docker extension gives Compose files (by its own patterns: `docker-compose.prod.yml` too). */
export const COMPOSE_LANGUAGE_ID = 'dockercompose';

/** Compose's standard names and their override files (the engine's `COMPOSE_GLOBS`; the entry bundle stays free of the engine). */
const COMPOSE_PATTERNS = ['**/{compose,docker-compose}.{yaml,yml}', '**/{compose,docker-compose}.override.{yaml,yml}'];

/**
 * The documents the server is sent: architecture files by name (they keep the `yaml` language,
 * so highlighting and other YAML tools still work), Compose files by their standard names, any
 * document the Docker extension marks as Compose, and every other YAML and JSON document, because
 * Kubernetes manifests are told by their content (the server decides, and holds the rest unread).
 */
export const ARCHLINT_SELECTOR = [
  { language: 'yaml', pattern: '**/*.arch.yaml' },
  { language: 'yaml', pattern: '**/*.arch.yml' },
  ...COMPOSE_PATTERNS.map((pattern) => ({ language: 'yaml', pattern })),
  { language: COMPOSE_LANGUAGE_ID },
  { language: 'yaml' },
  { language: 'json' },
];

const ARCH_FILE = /\.arch\.ya?ml$/i;
const COMPOSE_FILE = /(?:^|\/)(?:docker-)?compose(?:\.override)?\.ya?ml$/i;
const MANIFEST_NAME = /\.(?:ya?ml|json)$/i;
/** A manifest's top-level keys, at the start of a line (the engine's `isManifestText`; the entry bundle stays free of the engine). */
const TOP_LEVEL_API_VERSION = /^apiVersion[ \t]*:/m;
const TOP_LEVEL_KIND = /^kind[ \t]*:/m;

/**
 * The context key menus use for manifests, which have no name to match: the URIs (as strings) of
 * the open documents that are manifests, for `resource in archlint.manifests`.
 */
export const MANIFESTS_CONTEXT_KEY = 'archlint.manifests';

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
  if (isForeignScheme(document.uri)) return false;
  return isArchUri(document.uri) || document.languageId === COMPOSE_LANGUAGE_ID || isManifestDocument(document);
}

/**
 * Whether a document holds Kubernetes manifests: a `.yaml`, `.yml` or `.json` file (not an
 * architecture or Compose file by name) whose top level has `apiVersion` and `kind`, or a JSON
 * object with both. As the engine decides, less the rare Helm template: the server has the last word.
 */
export function isManifestDocument(document: vscode.TextDocument): boolean {
  const path = document.uri.path;
  if (isForeignScheme(document.uri) || !MANIFEST_NAME.test(path) || ARCH_FILE.test(path) || COMPOSE_FILE.test(path)) return false;
  const text = document.getText();
  if (TOP_LEVEL_API_VERSION.test(text) && TOP_LEVEL_KIND.test(text)) return true;
  const trimmed = text.trimStart();
  return trimmed.startsWith('{') && trimmed.includes('"apiVersion"') && trimmed.includes('"kind"');
}

/**
 * Whether a URI names a file Archlint reads: an architecture file or a Compose file by name, or
 * an open document the Docker extension marks as Compose or that holds manifests.
 */
export function isArchUri(uri: vscode.Uri): boolean {
  if (isForeignScheme(uri)) return false;
  if (ARCH_FILE.test(uri.path) || COMPOSE_FILE.test(uri.path)) return true;
  const key = uri.toString();
  return vscode.workspace.textDocuments.some(
    (d) => d.uri.toString() === key && (d.languageId === COMPOSE_LANGUAGE_ID || isManifestDocument(d)),
  );
}

/** Whether a URI may name manifests (a YAML or JSON file): a diagram panel of one is restored, and the server tells. */
export function mayBeManifestUri(uri: vscode.Uri): boolean {
  return !isForeignScheme(uri) && MANIFEST_NAME.test(uri.path);
}
