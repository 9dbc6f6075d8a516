import * as vscode from 'vscode';
import type { LintResult } from '../engine';
import { entryLensTitle, statusBarText } from './adapters/availabilityView';
import { safeAvailability } from './adapters/hover';
import { offsetsToRange } from './convert';
import { engine } from './engineLoader';
import { shownFindings } from './diagnostics';
import { ARCH_SELECTOR } from './languageFeatures';
import { isArchDocument, type LintService } from './lintService';

export const SHOW_AVAILABILITY_COMMAND = 'archlint.showAvailability';

/** A CodeLens over each entry point: its availability, yearly downtime, and whether it meets its SLO. */
export class AvailabilityCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly lints: LintService) {}

  /** Asks VS Code to read the lenses again (after a lint). */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!isArchDocument(document) || !this.lints.settingsFor(document).enable) return [];
    const result = this.lints.get(document);
    const report = safeAvailability(result);
    if (!report || !result.model) return [];
    return report.entries.flatMap((entry) => {
      const component = result.model!.components.get(entry.component);
      if (!component) return [];
      return [
        new vscode.CodeLens(offsetsToRange(result.lines, component.idRange), {
          title: entryLensTitle(entry),
          tooltip: `Availability of entry point ${entry.component}: click for the full report`,
          command: SHOW_AVAILABILITY_COMMAND,
          arguments: [document.uri],
        }),
      ];
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The availability report as text: the very table `archlint availability FILE` prints. */
export function availabilityReportText(name: string, result: LintResult): string {
  const report = safeAvailability(result);
  if (!report || !result.model)
    return `${name}: no availability (the file is not a readable architecture; see the Problems panel)`;
  return engine().renderTable(name, report);
}

/** The status bar item: problems and the weakest entry point's availability of the active architecture file. */
export function registerStatusBar(context: vscode.ExtensionContext, lints: LintService): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('archlint.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Archlint';
  item.command = 'workbench.actions.view.problems';
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    if (!document || !isArchDocument(document) || !lints.settingsFor(document).enable) {
      item.hide();
      return;
    }
    const result = lints.get(document);
    const status = statusBarText(shownFindings(result, document.uri), safeAvailability(result));
    item.text = status.text;
    item.tooltip = status.tooltip;
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    lints.onDidLint(({ document }) => {
      if (vscode.window.activeTextEditor?.document === document) update();
    }),
    lints.onDidForget(update),
  );
  update();
  return item;
}

export function registerCodeLens(context: vscode.ExtensionContext, lints: LintService): AvailabilityCodeLens {
  const lenses = new AvailabilityCodeLens(lints);
  context.subscriptions.push(
    lenses,
    vscode.languages.registerCodeLensProvider(ARCH_SELECTOR, lenses),
    lints.onDidLint(() => lenses.refresh()),
  );
  return lenses;
}
