import * as vscode from 'vscode';
import type { SeveritySetting } from '../engine';

/** The extension's settings for one document (settings can differ per workspace folder). */
export interface ArchlintSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  rules: Record<string, SeveritySetting>;
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'info', 'off'];

/** Reads `archlint.*` for a document; values of the wrong shape are dropped, with a log line. */
export function readSettings(scope: vscode.Uri | undefined, log: (message: string) => void): ArchlintSettings {
  const config = vscode.workspace.getConfiguration('archlint', scope);
  const rawRules = config.get<unknown>('rules', {});
  const rules: Record<string, SeveritySetting> = {};
  if (typeof rawRules === 'object' && rawRules !== null) {
    for (const [id, severity] of Object.entries(rawRules)) {
      if (typeof severity === 'string' && SEVERITIES.includes(severity)) rules[id] = severity as SeveritySetting;
      else log(`archlint.rules: "${id}" has ${JSON.stringify(severity)}; expected error, warning, info or off. Ignored.`);
    }
  }
  return {
    enable: config.get<boolean>('enable', true) !== false,
    run: config.get<string>('run', 'onType') === 'onSave' ? 'onSave' : 'onType',
    rules,
  };
}
