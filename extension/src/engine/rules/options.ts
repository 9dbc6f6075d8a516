/**
 * Rule options: what a rule lets a project tune, each declared in its meta as a small JSON Schema
 * (a number or whole number, with bounds) and a default. Values come from the same places as
 * severities and take the same precedence, option by option.
 */
import { didYouMean } from '../suggest';
import type { RuleConfig, SeveritySetting } from '../types';

/** One option: a JSON Schema for a number, with its default and what it means. */
export interface OptionSchema {
  type: 'integer' | 'number';
  minimum?: number;
  maximum?: number;
  default: number;
  /** One sentence: what the option changes. */
  description: string;
}

/** A rule's options by name (kebab-case, as the file format's keys). */
export type OptionsSchema = Readonly<Record<string, OptionSchema>>;

/** The values a rule's check reads: every declared option, set or defaulted. */
export type OptionValues = Readonly<Record<string, number>>;

/** What is wrong with one option, or with the options as a whole (no `key`). */
export interface OptionProblem {
  /** The option's name, when the problem is one option's. */
  key?: string;
  /** Whether the problem is the name (an unknown option) rather than the value. */
  atKey?: boolean;
  message: string;
}

/** The severity of a setting, in either form. */
export function severityOf(config: RuleConfig): SeveritySetting {
  return typeof config === 'string' ? config : config[0];
}

/** The options of a setting as written (`undefined` for a bare severity). */
export function optionsOf(config: RuleConfig): unknown {
  return typeof config === 'string' ? undefined : config[1];
}

/** Every declared option at its default. */
export function optionDefaults(schema: OptionsSchema | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(schema ?? {}).map(([name, s]) => [name, s.default]));
}

/** The JSON Schema of a rule's options object, as the docs show it. */
export function optionsJsonSchema(schema: OptionsSchema): object {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(schema).map(([name, s]) => [name, { ...s }])),
    additionalProperties: false,
  };
}

/** `a whole number from 1 to 100`, `a number of at least 0`: what an option takes, in words. */
export function describeOption(s: OptionSchema): string {
  const what = s.type === 'integer' ? 'a whole number' : 'a number';
  if (s.minimum !== undefined && s.maximum !== undefined) return `${what} from ${s.minimum} to ${s.maximum}`;
  if (s.minimum !== undefined) return `${what} of at least ${s.minimum}`;
  if (s.maximum !== undefined) return `${what} of at most ${s.maximum}`;
  return what;
}

/** Whether `value` is what `s` takes. */
function fits(s: OptionSchema, value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (s.type === 'integer' && !Number.isInteger(value)) return false;
  return (s.minimum === undefined || value >= s.minimum) && (s.maximum === undefined || value <= s.maximum);
}

/** What is wrong with `value` as the options of rule `id`; none when every option is one it declares, with a value it takes. */
export function optionProblems(id: string, schema: OptionsSchema | undefined, value: unknown): OptionProblem[] {
  if (value === undefined) return [];
  const names = Object.keys(schema ?? {});
  if (names.length === 0) return [{ message: `${id} takes no options` }];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ message: `the options of ${id} must be a mapping of ${names.join(', ')}` }];
  const problems: OptionProblem[] = [];
  for (const [key, v] of Object.entries(value)) {
    const s = Object.hasOwn(schema!, key) ? schema![key] : undefined;
    if (!s) {
      const suggestion = didYouMean(key, names);
      problems.push({
        key,
        atKey: true,
        message: `unknown option "${key}" of ${id}${suggestion ? ` — did you mean "${suggestion}"?` : `: it takes ${names.join(', ')}`}`,
      });
    } else if (!fits(s, v)) {
      problems.push({
        key,
        message: `option ${key} of ${id} must be ${describeOption(s)}, not ${JSON.stringify(v) ?? String(v)}`,
      });
    }
  }
  return problems;
}

/** The options in `value` that are declared and valid; the rest is left out (and reported where it is written). */
export function validOptions(schema: OptionsSchema | undefined, value: unknown): Record<string, number> {
  if (!schema || typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(value)) {
    const s = Object.hasOwn(schema, key) ? schema[key] : undefined;
    if (s && fits(s, v)) out[key] = v;
  }
  return out;
}
