/**
 * Shared engine types. Everything inside the engine speaks in character offsets into the
 * source text; line/column positions are made only at the edges (CLI, VS Code) with {@link LineIndex}.
 */

/**
 * A half-open character range `[start, end)` in the text of one file. An architecture may span
 * several files (a Compose project, a folder of manifests): a source that reads more than one
 * file gives each range the file it lies in as its third element; without one, a range lies in
 * the architecture's own file. The host names the file of every finding, related location and
 * fix edit from it ({@link Finding.file}).
 */
export type Offsets = readonly [start: number, end: number, file?: string];

/** The file a range lies in: its own, else `fallback` (the architecture's file). */
export function fileOf(range: Offsets, fallback: string): string {
  return range[2] ?? fallback;
}

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/**
 * How a rule is set, in a file's `rules:`, the configuration file, the editor's settings or on the
 * CLI: a severity, or ESLint's `[severity, { option: value }]` (each option the rule declares).
 */
export type RuleConfig =
  SeveritySetting | readonly [SeveritySetting] | readonly [SeveritySetting, Readonly<Record<string, unknown>>];

/** One replacement of `range` in the original text by `text`. */
export interface TextEdit {
  range: Offsets;
  text: string;
  /**
   * The file the edit is in, when the text was linted as a file (the host sets it on every
   * edit): a fix may edit another file of the architecture than its finding's.
   */
  file?: string;
  /**
   * Why the edit needs a person's review (a guessed health-check command, a `container_name`
   * that two replicas cannot share): its fix is made unsafe, and its title says why.
   */
  caution?: string;
}

/**
 * A fix attached to a finding. `safe` fixes are applied by `--fix` and fix-all-on-save;
 * `unsafe` ones (they change meaning, e.g. invent a component) only as explicit quick fixes.
 */
export interface Fix {
  title: string;
  edits: TextEdit[];
  applicability: 'safe' | 'unsafe';
}

/** Another place that explains a finding (e.g. the balancer behind a stateful pool). */
export interface RelatedLocation {
  range: Offsets;
  message: string;
  /** The file `range` is in (set with the finding's). */
  file?: string;
}

export interface Finding {
  /** Rule id, or one of the built-in diagnostic ids ({@link BUILTIN_IDS}). */
  ruleId: string;
  messageId: string;
  message: string;
  severity: Severity;
  range: Offsets;
  /** The file `range` is in, when the text was linted as a file (an architecture may span several). */
  file?: string;
  /** Component the finding is about, when there is one (the diagram marks its node). */
  component?: string;
  related?: RelatedLocation[];
}

/** A finding with its fixes made: what a report (JSON, SARIF) or `--fix` reads. */
export type FindingWithFixes = Finding & { fixes?: Fix[] };

/**
 * Diagnostics that are not rules: the file could not be read as an architecture.
 * They cannot be turned off (a broken file must never look clean); all are errors but `source`'s notes.
 */
export const BUILTIN_IDS = {
  yamlSyntax: 'yaml-syntax',
  duplicateKey: 'duplicate-key',
  /** The file's bytes are not UTF-8 (reported by the CLI, which reads files; editors decode for themselves). */
  encoding: 'encoding',
  schema: 'schema',
  /**
   * What a source's files (a Compose project, manifests) hold that Archlint must read and cannot:
   * an `extends` naming no service, an include it cannot read, a required variable no environment
   * gives. Its severity is the finding's own (an info for what is only skipped).
   */
  source: 'source',
} as const;
