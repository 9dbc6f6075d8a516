/** The `archlint.*` settings as a client sends them: checked, with defaults for anything missing or malformed. */
import type { SeveritySetting } from '../engine';
import type { ServerSettings } from '../protocol';

export const DEFAULT_SETTINGS: ServerSettings = { enable: true, run: 'onType', rules: {}, sources: { compose: true } };

const SEVERITIES: readonly string[] = ['error', 'warning', 'info', 'off'];

/**
 * Reads a settings value of any shape (a client may send null, a string, a half-filled object):
 * what is well-formed is used, the rest falls back to the defaults, and each dropped value is
 * described through `log`.
 */
export function readSettings(raw: unknown, log: (message: string) => void): ServerSettings {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const rules: Record<string, SeveritySetting> = {};
  if (typeof value.rules === 'object' && value.rules !== null && !Array.isArray(value.rules)) {
    for (const [id, severity] of Object.entries(value.rules)) {
      if (typeof severity === 'string' && SEVERITIES.includes(severity)) rules[id] = severity as SeveritySetting;
      else log(`archlint.rules: "${id}" has ${JSON.stringify(severity)}; expected error, warning, info or off. Ignored.`);
    }
  }
  const sources = typeof value.sources === 'object' && value.sources !== null ? (value.sources as Record<string, unknown>) : {};
  if (sources.compose !== undefined && typeof sources.compose !== 'boolean')
    log(`archlint.sources.compose: ${JSON.stringify(sources.compose)} is not true or false. Ignored.`);
  return {
    enable: value.enable !== false,
    run: value.run === 'onSave' ? 'onSave' : 'onType',
    rules,
    sources: { compose: sources.compose !== false },
    ...(typeof value.yamlExtensionValidates === 'boolean' && { yamlExtensionValidates: value.yamlExtensionValidates }),
  };
}
