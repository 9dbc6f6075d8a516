/**
 * Archlint's configuration file (`archlint.config.yaml`, `.archlint.yaml`): its text read and
 * checked against schemas/archlint-config.schema.json, with every problem a finding at its key
 * or value in that file, as an architecture file's are. Pure: which file applies to which
 * architecture (the nearest one up to the repository root) is found by the CLI and the server.
 */
import { isMap, type Document } from 'yaml';
import { parsePercent } from '../model/units';
import { validateWith } from '../model/validate';
import { parseArchitectureText, rangeAt } from '../parse/parse';
import { rulesById } from '../rules';
import { didYouMean } from '../suggest';
import { BUILTIN_IDS, type Finding, type RuleConfig } from '../types';
import { optionProblems, optionsOf } from '../rules/options';
import validateConfigSchema from './configValidator.generated';

/** The names a configuration file may have, in the order they are looked for in one folder. */
export const CONFIG_FILE_NAMES = ['archlint.config.yaml', '.archlint.yaml'] as const;

/** Glob patterns for the same files, for file watchers. */
export const CONFIG_GLOBS = ['**/archlint.config.yaml', '**/.archlint.yaml'] as const;

/** Whether a path or URI path ends in a configuration file's name. */
export function isConfigPath(path: string): boolean {
  const name = path.replace(/[?#].*$/, '').replace(/^.*[\\/]/, '');
  return (CONFIG_FILE_NAMES as readonly string[]).includes(name);
}

/** One named group of source files that form one architecture (read when the Compose and Kubernetes sources land). */
export interface ArchitectureGroup {
  name: string;
  compose: string[];
  kubernetes: string[];
}

/** A configuration file's content, checked. Keys it leaves out are absent (or empty lists). */
export interface ProjectConfig {
  /** Severities (and options) by rule id: above the editor's settings, below a file's own `rules:`. */
  rules: Readonly<Record<string, RuleConfig>>;
  /** Ignore patterns, relative to the configuration file's folder (see ./ignores.ts). */
  ignores: readonly string[];
  defaults: {
    /** The SLO of every entry point of a file that sets none (0..1). */
    slo?: number;
    /** Per-instance availability for the Compose and Kubernetes sources (0..1). */
    availability?: number;
    /** Zones for the Compose and Kubernetes sources, by id, with their availability when stated. */
    zones?: ReadonlyMap<string, { availability?: number }>;
  };
  sources: { compose?: boolean; kubernetes?: boolean };
  architectures: readonly ArchitectureGroup[];
}

/** What reading a configuration text gives: the configuration when it has no problem, and its problems. */
export interface ConfigReadResult {
  /** Absent when there is any finding: a configuration is used whole or not at all. */
  config?: ProjectConfig;
  /** Sorted by position, every one an error, each at its place in the configuration text. */
  findings: Finding[];
}

/** The configuration of a file that holds nothing (an empty file is a valid configuration that changes nothing). */
export const EMPTY_CONFIG: ProjectConfig = { rules: {}, ignores: [], defaults: {}, sources: {}, architectures: [] };

/**
 * Reads a configuration file's text. Never throws: YAML that cannot be read, a value of the wrong
 * type, an unknown key or an unknown rule id is a finding with its range in `text`.
 */
export function readConfigText(text: string): ConfigReadResult {
  const parsed = parseArchitectureText(text);
  // The architecture parser's words for an empty file or another root are about architectures.
  const findings = parsed.findings.flatMap((f): Finding[] => {
    if (f.messageId === 'empty') return [];
    if (f.messageId === 'rootNotMapping')
      return [
        { ...f, message: 'the configuration must be a mapping of keys (rules, ignores, defaults, sources, architectures)' },
      ];
    return [f];
  });
  if (findings.length > 0) return { findings: sorted(findings) };
  const value = parsed.value;
  // Empty, or comments only.
  if (!parsed.doc || value === undefined || value === null || !isMap(parsed.doc.contents))
    return { config: EMPTY_CONFIG, findings: [] };
  findings.push(...validateWith(validateConfigSchema, parsed.doc, value), ...unknownRules(parsed.doc, value));
  if (findings.length > 0) return { findings: sorted(findings) };
  return { config: configOf(value as RawConfig), findings: [] };
}

interface RawConfig {
  rules?: Record<string, RuleConfig>;
  ignores?: string[];
  defaults?: { slo?: unknown; availability?: unknown; zones?: Record<string, { availability?: unknown } | null> };
  sources?: { compose?: boolean; kubernetes?: boolean };
  architectures?: { name: string; compose?: string[]; kubernetes?: string[] }[];
}

/** The checked value as a {@link ProjectConfig} (the schema has vouched for every type). */
function configOf(raw: RawConfig): ProjectConfig {
  const defaults: ProjectConfig['defaults'] = {};
  const slo = parsePercent(raw.defaults?.slo);
  if (slo !== undefined) defaults.slo = slo;
  const availability = parsePercent(raw.defaults?.availability);
  if (availability !== undefined) defaults.availability = availability;
  if (raw.defaults?.zones) {
    defaults.zones = new Map(
      Object.entries(raw.defaults.zones).map(([id, zone]) => {
        const a = parsePercent(zone?.availability);
        return [id, a === undefined ? {} : { availability: a }];
      }),
    );
  }
  return {
    rules: { ...raw.rules },
    ignores: [...(raw.ignores ?? [])],
    defaults,
    sources: { ...raw.sources },
    architectures: (raw.architectures ?? []).map((a) => ({
      name: a.name,
      compose: [...(a.compose ?? [])],
      kubernetes: [...(a.kubernetes ?? [])],
    })),
  };
}

/** A rule id under `rules:` that no rule has, with a did-you-mean, at the id; options a rule does not take, at them. */
function unknownRules(doc: Document, value: unknown): Finding[] {
  const rules = (value as RawConfig).rules;
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) return [];
  const findings: Finding[] = [];
  for (const [id, setting] of Object.entries(rules)) {
    const rule = rulesById.get(id);
    if (rule) {
      // Options the rule does not take: at the option (its name when it is no option), else at the options.
      for (const problem of optionProblems(id, rule.meta.options, optionsOf(setting))) {
        const path = ['rules', id, 1, ...(problem.key === undefined ? [] : [problem.key])];
        findings.push({
          ruleId: BUILTIN_IDS.schema,
          messageId: 'invalidRuleOption',
          message: problem.message,
          severity: 'error',
          range: rangeAt(doc, path, problem.atKey ? 'key' : 'value'),
        });
      }
      continue;
    }
    const suggestion = didYouMean(id, rulesById.keys());
    findings.push({
      ruleId: BUILTIN_IDS.schema,
      messageId: 'unknownRule',
      message: `unknown rule "${id}"${suggestion ? ` — did you mean "${suggestion}"?` : ''}`,
      severity: 'error',
      range: rangeAt(doc, ['rules', id], 'key'),
    });
  }
  return findings;
}

function sorted(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
}
