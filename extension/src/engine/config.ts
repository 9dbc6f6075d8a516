import type { SeveritySetting } from './types';

/**
 * Where a rule's severity comes from, lowest precedence first:
 * 1. the rule's default;
 * 2. `settings` — the workspace (VS Code `archlint.rules`) or a config of the run;
 * 3. the file's own `rules:` map — the architecture knows best about itself;
 * 4. `overrides` — the CLI's `--rule id=severity`, an explicit order for this one run.
 */
export interface SeverityOptions {
  settings?: Readonly<Record<string, SeveritySetting>>;
  overrides?: Readonly<Record<string, SeveritySetting>>;
}

export function resolveSeverity(
  ruleId: string,
  ruleDefault: SeveritySetting,
  fileRules: ReadonlyMap<string, { severity: SeveritySetting }>,
  options: SeverityOptions,
): SeveritySetting {
  return options.overrides?.[ruleId] ?? fileRules.get(ruleId)?.severity ?? options.settings?.[ruleId] ?? ruleDefault;
}
