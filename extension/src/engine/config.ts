import type { SeveritySetting } from './types';

/**
 * Where a rule's severity comes from, lowest precedence first:
 * 1. the rule's default;
 * 2. `settings` — the workspace's (VS Code `archlint.rules`);
 * 3. `config` — the `rules:` of the configuration file that applies (archlint.config.yaml);
 * 4. the file's own `rules:` map — the architecture knows best about itself;
 * 5. `overrides` — the CLI's `--rule id=severity`, an explicit order for this one run.
 */
export interface SeverityOptions {
  settings?: Readonly<Record<string, SeveritySetting>>;
  config?: Readonly<Record<string, SeveritySetting>>;
  overrides?: Readonly<Record<string, SeveritySetting>>;
}

export function resolveSeverity(
  ruleId: string,
  ruleDefault: SeveritySetting,
  fileRules: ReadonlyMap<string, { severity: SeveritySetting }>,
  options: SeverityOptions,
): SeveritySetting {
  return (
    own(options.overrides, ruleId) ??
    fileRules.get(ruleId)?.severity ??
    own(options.config, ruleId) ??
    own(options.settings, ruleId) ??
    ruleDefault
  );
}

/** A rule's entry in a map of severities; never one the map inherits (a rule id could be `constructor`). */
function own(map: Readonly<Record<string, SeveritySetting>> | undefined, ruleId: string): SeveritySetting | undefined {
  return map && Object.hasOwn(map, ruleId) ? map[ruleId] : undefined;
}
