import { optionDefaults, optionsOf, severityOf, validOptions, type OptionsSchema, type OptionValues } from './rules/options';
import type { RuleConfig, SeveritySetting } from './types';

/**
 * Where a rule's severity and options come from, lowest precedence first:
 * 1. the rule's default;
 * 2. `settings` — the workspace's (VS Code `archlint.rules`);
 * 3. `config` — the `rules:` of the configuration file that applies (archlint.config.yaml);
 * 4. the file's own `rules:` map — the architecture knows best about itself;
 * 5. `overrides` — the CLI's `--rule id=severity`, an explicit order for this one run.
 * Each is a severity or `[severity, options]`; options are taken option by option, in the same order.
 */
export interface SeverityOptions {
  settings?: Readonly<Record<string, RuleConfig>>;
  config?: Readonly<Record<string, RuleConfig>>;
  overrides?: Readonly<Record<string, RuleConfig>>;
}

/** A file's `rules:` entry as the engine reads it. */
export interface FileRuleSetting {
  severity: SeveritySetting;
  options?: unknown;
}

export function resolveSeverity(
  ruleId: string,
  ruleDefault: SeveritySetting,
  fileRules: ReadonlyMap<string, FileRuleSetting>,
  options: SeverityOptions,
): SeveritySetting {
  const set = (config: RuleConfig | undefined) => (config === undefined ? undefined : severityOf(config));
  return (
    set(own(options.overrides, ruleId)) ??
    fileRules.get(ruleId)?.severity ??
    set(own(options.config, ruleId)) ??
    set(own(options.settings, ruleId)) ??
    ruleDefault
  );
}

/**
 * A rule's options: its defaults, then each place that sets some, lowest precedence first, option
 * by option. A value the rule does not take is left out here (and reported where it is written).
 */
export function resolveOptions(
  ruleId: string,
  schema: OptionsSchema | undefined,
  fileRules: ReadonlyMap<string, FileRuleSetting>,
  options: SeverityOptions,
): OptionValues {
  if (!schema) return {};
  const of = (config: RuleConfig | undefined) => (config === undefined ? {} : validOptions(schema, optionsOf(config)));
  return {
    ...optionDefaults(schema),
    ...of(own(options.settings, ruleId)),
    ...of(own(options.config, ruleId)),
    ...validOptions(schema, fileRules.get(ruleId)?.options),
    ...of(own(options.overrides, ruleId)),
  };
}

/** A rule's entry in a map of settings; never one the map inherits (a rule id could be `constructor`). */
function own(map: Readonly<Record<string, RuleConfig>> | undefined, ruleId: string): RuleConfig | undefined {
  return map && Object.hasOwn(map, ruleId) ? map[ruleId] : undefined;
}
