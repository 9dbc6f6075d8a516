import * as vscode from 'vscode';
import type { Finding, LintOptions } from '../engine';
import { ruleDocsUrl } from '../engine/rules/docsUrl';
import { engine } from './engineLoader';
import { diagnosticKey, DIAGNOSTIC_SOURCE, isBuiltinId, toDiagnosticData } from './adapters/diagnostics';
import { disableNextLineEdit, minimalEdit, quickFixesOf } from './adapters/fixes';
import { offsetsToRange, toRange } from './convert';
import { isArchDocument, type LintService } from './lintService';

/** The code action kind `editor.codeActionsOnSave` asks for: `"source.fixAll.archlint": "explicit"`. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('archlint');

export const SHOW_DOCS_COMMAND = 'archlint.showRuleDocumentation';

/**
 * The text of a document with every safe fix applied (re-linting between passes, exactly as
 * `archlint lint --fix` does), as one minimal edit; `undefined` when nothing changes.
 */
export function fixAllEdit(document: vscode.TextDocument, options: LintOptions): vscode.TextEdit | undefined {
  const text = document.getText();
  const { applyFixes, lint } = engine();
  const fixed = applyFixes(text, (t) => lint(t, options).findings, { safeOnly: true });
  const edit = minimalEdit(text, fixed.text);
  if (!edit) return undefined;
  return new vscode.TextEdit(new vscode.Range(document.positionAt(edit.range[0]), document.positionAt(edit.range[1])), edit.text);
}

/** Quick fixes, "disable for this line", "show documentation" and fix-all. */
export class ArchlintCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly lints: LintService) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isArchDocument(document) || !this.lints.settingsFor(document).enable) return [];
    const result = this.lints.get(document);
    const actions: vscode.CodeAction[] = [];

    // Fix-all re-lints the file several times: only when asked for (on save, or the Source Action menu),
    // never for the light bulb that asks on every cursor move.
    if (context.only) {
      if (context.only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(context.only)) {
        const fixAll = this.fixAll(document);
        if (fixAll) actions.push(fixAll);
      }
      if (!context.only.contains(vscode.CodeActionKind.QuickFix)) return actions;
    }

    // Diagnostics reach here as copies: match them to findings by rule id and range.
    const byKey = new Map<string, Finding>();
    for (const f of result.findings) byKey.set(diagnosticKey(f.ruleId, toDiagnosticData(f, result.lines).range), f);
    const seenRules = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const ruleId = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
      const r = diagnostic.range;
      const finding = byKey.get(
        diagnosticKey(ruleId, {
          start: { line: r.start.line, character: r.start.character },
          end: { line: r.end.line, character: r.end.character },
        }),
      );
      if (finding) {
        for (const fix of quickFixesOf(finding, result.lines)) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits) action.edit.replace(document.uri, toRange(e.range), e.text);
          action.diagnostics = [diagnostic];
          action.isPreferred = fix.isPreferred;
          actions.push(action);
        }
      }
      if (isBuiltinId(ruleId) || seenRules.has(`${ruleId}:${r.start.line}`)) continue;
      seenRules.add(`${ruleId}:${r.start.line}`);
      const disable = disableNextLineEdit(result.text, result.lines, r.start.line, ruleId);
      if (disable.text !== '' || disable.range[0] !== disable.range[1]) {
        const action = new vscode.CodeAction(`Disable ${ruleId} for this line`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, offsetsToRange(result.lines, disable.range), disable.text);
        action.diagnostics = [diagnostic];
        actions.push(action);
      }
    }
    for (const ruleId of new Set(context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE).map((d) => codeOf(d)))) {
      if (!ruleId) continue;
      const docs = new vscode.CodeAction(`Show documentation for ${ruleId}`, vscode.CodeActionKind.QuickFix);
      docs.command = { title: docs.title, command: SHOW_DOCS_COMMAND, arguments: [ruleId] };
      actions.push(docs);
    }
    return actions;
  }

  private fixAll(document: vscode.TextDocument): vscode.CodeAction | undefined {
    const edit = fixAllEdit(document, { settings: this.lints.settingsFor(document).rules });
    if (!edit) return undefined;
    const action = new vscode.CodeAction('Fix all safe Archlint findings', FIX_ALL_KIND);
    action.edit = new vscode.WorkspaceEdit();
    action.edit.set(document.uri, [edit]);
    return action;
  }
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Opens a rule's documentation page. */
export function showRuleDocumentation(ruleId: string): Thenable<boolean> {
  return vscode.env.openExternal(vscode.Uri.parse(ruleDocsUrl(ruleId)));
}
