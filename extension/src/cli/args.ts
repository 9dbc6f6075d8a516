import { didYouMean } from '../engine';
import { UsageError } from './io';

/** One option a command accepts. */
export interface OptionSpec {
  /** Long name without dashes: `format`, `no-color`. */
  name: string;
  short?: string;
  /** Other long names for the same option (`--output` and `--output-file` are one option). */
  aliases?: readonly string[];
  /** Whether the option takes a value (`--format json`, `--format=json`, `-f json`). */
  value?: boolean;
}

/**
 * A usage error about the command line itself: the message ends with a hint to the command's
 * `--help`, so a person who mistyped sees where to look, on one line.
 */
export class ArgumentError extends UsageError {
  constructor(message: string, helpCommand: string) {
    super(`${message}; see "${helpCommand} --help"`);
  }
}

export interface ParsedArgs {
  /** Values by long name, in order of appearance; a flag has one empty-string entry per use. */
  options: Map<string, string[]>;
  positionals: string[];
}

/**
 * A deliberately small parser: long and short options, `--name=value`, `--` to end options.
 * Node's `util.parseArgs` would do, but its messages talk about JavaScript, not about archlint,
 * and it cannot suggest the option a person meant.
 */
export function parseArgs(args: readonly string[], specs: readonly OptionSpec[], command: string): ParsedArgs {
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  const byLong = new Map(specs.flatMap((s) => [s.name, ...(s.aliases ?? [])].map((name) => [name, s] as const)));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const add = (name: string, value: string): void => {
    options.set(name, [...(options.get(name) ?? []), value]);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = long ? arg.indexOf('=') : -1;
    const name = long ? arg.slice(2, eq === -1 ? undefined : eq) : arg.slice(1);
    const spec = long ? byLong.get(name) : byShort.get(name);
    if (!spec) {
      const suggestion = long ? didYouMean(name, byLong.keys()) : undefined;
      throw new ArgumentError(`unknown option "${arg}"${suggestion ? ` (did you mean "--${suggestion}"?)` : ''}`, command);
    }
    if (!spec.value) {
      if (eq !== -1) throw new ArgumentError(`option "--${spec.name}" takes no value`, command);
      add(spec.name, '');
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < args.length && !(args[i + 1]!.startsWith('-') && args[i + 1] !== '-')) value = args[++i];
    if (value === undefined || value === '') throw new ArgumentError(`option "--${spec.name}" needs a value`, command);
    add(spec.name, value);
  }
  return { options, positionals };
}

/** The last value given for an option (a later one overrides an earlier one, as in most CLIs). */
export function lastValue(parsed: ParsedArgs, name: string): string | undefined {
  return parsed.options.get(name)?.at(-1);
}

export function hasFlag(parsed: ParsedArgs, name: string): boolean {
  return parsed.options.has(name);
}
