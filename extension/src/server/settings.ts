/** The `archlint.*` settings as a client sends them: checked, with defaults for anything missing or malformed. */
import { optionProblems, rulesById, type RuleConfig, type SeveritySetting } from '../engine';
import type { ServerSettings } from '../protocol';

export const DEFAULT_SETTINGS: ServerSettings = {
  enable: true,
  run: 'onType',
  rules: {},
  sources: { compose: true, kubernetes: true },
};

const SEVERITIES: readonly string[] = ['error', 'warning', 'info', 'off'];

/**
 * Reads a settings value of any shape (a client may send null, a string, a half-filled object):
 * what is well-formed is used, the rest falls back to the defaults, and each dropped value is
 * described through `log`.
 */
export function readSettings(raw: unknown, log: (message: string) => void): ServerSettings {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const rules: Record<string, RuleConfig> = {};
  if (typeof value.rules === 'object' && value.rules !== null && !Array.isArray(value.rules)) {
    for (const [id, setting] of Object.entries(value.rules)) {
      const severity: unknown = Array.isArray(setting) && setting.length <= 2 ? setting[0] : setting;
      if (typeof severity !== 'string' || !SEVERITIES.includes(severity)) {
        log(
          `archlint.rules: "${id}" has ${JSON.stringify(setting)}; expected error, warning, info or off, or [severity, { options }]. Ignored.`,
        );
        continue;
      }
      const options: unknown = Array.isArray(setting) ? setting[1] : undefined;
      // Options a rule does not take are left out (the engine reads only valid ones); say which.
      const rule = rulesById.get(id);
      for (const problem of rule ? optionProblems(id, rule.meta.options, options) : [])
        log(`archlint.rules: ${problem.message}. Ignored.`);
      rules[id] =
        options === undefined ? (severity as SeveritySetting) : [severity as SeveritySetting, options as Record<string, unknown>];
    }
  }
  const sources = typeof value.sources === 'object' && value.sources !== null ? (value.sources as Record<string, unknown>) : {};
  for (const source of ['compose', 'kubernetes'] as const)
    if (sources[source] !== undefined && typeof sources[source] !== 'boolean')
      log(`archlint.sources.${source}: ${JSON.stringify(sources[source])} is not true or false. Ignored.`);
  return {
    enable: value.enable !== false,
    run: value.run === 'onSave' ? 'onSave' : 'onType',
    rules,
    sources: { compose: sources.compose !== false, kubernetes: sources.kubernetes !== false },
    ...(typeof value.yamlExtensionValidates === 'boolean' && { yamlExtensionValidates: value.yamlExtensionValidates }),
  };
}
