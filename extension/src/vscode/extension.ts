import * as vscode from 'vscode';
import { toApiAvailability, toApiLintResult, type ArchlintApi } from './api';
import { availabilityReportText, registerCodeLens, registerStatusBar, SHOW_AVAILABILITY_COMMAND } from './availabilityUi';
import { ArchlintCodeActions, fixAllEdit, SHOW_DOCS_COMMAND, showRuleDocumentation } from './codeActions';
import { registerDiagnostics } from './diagnostics';
import { registerDiagramPanel } from './diagramPanel';
import { ARCH_SELECTOR, registerLanguageFeatures } from './languageFeatures';
import { isArchDocument, LintService } from './lintService';

/**
 * Activated when a workspace contains an `*.arch.yaml`/`*.arch.yml` file or a YAML file is opened
 * (files keep the `yaml` language; everything here filters them by name). Runs no code from the
 * workspace, so it is safe in untrusted and virtual workspaces.
 */
export function activate(context: vscode.ExtensionContext): ArchlintApi {
  const output = vscode.window.createOutputChannel('Archlint', { log: true });
  context.subscriptions.push(output);
  const log = (message: string) => output.info(message);

  const lints = new LintService(log);
  context.subscriptions.push(lints);
  registerDiagnostics(context, lints);
  registerLanguageFeatures(context, lints);
  registerCodeLens(context, lints);
  registerStatusBar(context, lints);
  registerDiagramPanel(context, lints);
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(ARCH_SELECTOR, new ArchlintCodeActions(lints), ArchlintCodeActions.metadata),
    vscode.commands.registerCommand(SHOW_DOCS_COMMAND, (ruleId: unknown) => {
      if (typeof ruleId === 'string') return showRuleDocumentation(ruleId);
      return undefined;
    }),
    vscode.commands.registerCommand(SHOW_AVAILABILITY_COMMAND, async (uri?: vscode.Uri) => {
      const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!document || !isArchDocument(document)) {
        void vscode.window.showInformationMessage('Archlint: open an *.arch.yaml file to see its availability.');
        return undefined;
      }
      const text = availabilityReportText(vscode.workspace.asRelativePath(document.uri), lints.get(document));
      output.info(`availability\n${text}`);
      output.show(true);
      return text;
    }),
    vscode.commands.registerCommand('archlint.fixAll', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isArchDocument(editor.document)) return false;
      const edit = fixAllEdit(editor.document, { settings: lints.settingsFor(editor.document).rules });
      if (!edit) return false;
      return editor.edit((builder) => builder.replace(edit.range, edit.newText));
    }),
  );

  lints.relintAll();
  log(`Archlint ${String(context.extension.packageJSON.version ?? '')} active`);

  const documentOf = async (uri: string | { toString(): string }) =>
    vscode.workspace.openTextDocument(typeof uri === 'string' ? vscode.Uri.parse(uri) : (uri as vscode.Uri));
  return {
    async lint(uri) {
      return toApiLintResult(lints.get(await documentOf(uri)));
    },
    async availability(uri) {
      return toApiAvailability(lints.get(await documentOf(uri)));
    },
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
