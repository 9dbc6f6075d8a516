import * as vscode from 'vscode';
import type { Finding, LintResult } from '../engine';
import { toDiagnosticData, withoutYamlExtensionDoubles } from './adapters/diagnostics';
import { toDiagnostic } from './convert';
import type { LintService } from './lintService';

const YAML_EXTENSION_ID = 'redhat.vscode-yaml';

/**
 * Whether the Red Hat YAML extension validates this document: then it already shows YAML
 * syntax errors and duplicate keys, and Archlint leaves those to it (no double squiggles).
 */
export function yamlExtensionValidates(uri: vscode.Uri): boolean {
  if (!vscode.extensions.getExtension(YAML_EXTENSION_ID)) return false;
  return vscode.workspace.getConfiguration('yaml', uri).get<boolean>('validate', true) !== false;
}

/** The findings a document's diagnostics show. */
export function shownFindings(result: LintResult, uri: vscode.Uri): Finding[] {
  return yamlExtensionValidates(uri) ? withoutYamlExtensionDoubles(result.findings) : result.findings;
}

/** Publishes each lint result as diagnostics; clears them when a document is forgotten. */
export function registerDiagnostics(context: vscode.ExtensionContext, lints: LintService): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('archlint');
  context.subscriptions.push(
    collection,
    lints.onDidLint(({ document, result }) => {
      collection.set(
        document.uri,
        shownFindings(result, document.uri).map((f) => toDiagnostic(toDiagnosticData(f, result.lines), document.uri)),
      );
    }),
    lints.onDidForget((uri) => {
      collection.delete(uri);
      // A deleted folder: drop what was published for files under it.
      const prefix = uri.toString().replace(/\/?$/, '/');
      const under: vscode.Uri[] = [];
      collection.forEach((u) => {
        if (u.toString().startsWith(prefix)) under.push(u);
      });
      under.forEach((u) => collection.delete(u));
    }),
    vscode.extensions.onDidChange(() => lints.relintAll()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('yaml.validate')) lints.relintAll();
    }),
  );
  return collection;
}
