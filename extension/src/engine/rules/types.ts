import type { Document } from 'yaml';
import type { AvailabilityReport } from '../availability/types';
import type { Graph } from '../model/graph';
import type { Architecture, Component } from '../model/model';
import type { SourceEdits, Written } from '../sources/written';
import type { OptionValues, OptionsSchema } from './options';
import type { Fix, Offsets, RelatedLocation, Severity } from '../types';

/**
 * Everything a rule states about itself. Docs, SARIF rule metadata and the README table are
 * generated from it; its examples are files beside its fixtures (`test/rules/<id>/bad-example.arch.yaml`
 * and `good-example.arch.yaml`), which the docs show and the fixture tests run.
 */
export interface RuleMeta {
  /** kebab-case; equals the rule's file name. */
  id: string;
  severity: Severity;
  /** One line, starting lower-case, no full stop: "a stateful pool behind a round-robin balancer". */
  summary: string;
  /** One paragraph: why it hurts scaling or availability. */
  rationale: string;
  /**
   * Whether the rule offers fixes, and of which kind: only `safe` ones, only `unsafe` ones, or
   * `mixed` (safe where a fix only adds what the file leaves unsaid, unsafe where it overwrites a
   * choice or guesses). The fixture tests hold every rule to it.
   */
  fix?: 'safe' | 'unsafe' | 'mixed';
  /**
   * What a project may tune, by option name: a JSON Schema and a default each. Set as
   * `rule-id: [severity, { name: value }]`; the check reads them from `ctx.options`.
   */
  options?: OptionsSchema;
  /** Message templates by id; `{{name}}` is filled from the report's data. */
  messages: Record<string, string>;
}

/**
 * Makes a fix (or several, or none) when someone asks for a finding's fixes. It may throw when an
 * edit cannot be made (an alias, a shape the edit helpers do not handle): then it makes no fix.
 */
export type FixBuilder = () => Fix | readonly Fix[] | undefined;

export interface Report {
  messageId: string;
  data?: Record<string, string | number>;
  range: Offsets;
  /** The component the finding is about. */
  component?: string;
  /**
   * The finding's fix builders: fixes are made when someone reads them (a quick fix, `--fix`,
   * JSON), not on every keystroke. {@link defineRule} guards each: one that throws makes no fix.
   */
  fixes?: readonly FixBuilder[];
  related?: RelatedLocation[];
}

/** What a rule reads. Everything is computed once per lint; rules never re-parse or recompute. */
export interface RuleContext {
  /** The text of the architecture's main file (an `*.arch.yaml`, a compose project's first file). */
  text: string;
  doc: Document.Parsed;
  /**
   * Where values are written, by architecture path: read ranges through it, never from `doc`
   * directly, so a rule works on every source.
   */
  written: Written;
  /** Set when the model came from a source other than the format: its fixes edit the source's files (../fix/yamlEdits.ts delegates). */
  edits?: SourceEdits;
  model: Architecture;
  graph: Graph;
  /** The rule's options: each it declares, as set where the rule's severity is set, else its default. */
  options: OptionValues;
  /** Exact availability of every entry point (computed lazily, once, on first use). */
  readonly availability: AvailabilityReport;
  /** The component at `id`, if it exists. */
  component(id: string): Component | undefined;
  report(report: Report): void;
  /** The file's indentation step, once a fix has found it (the fix helpers keep it here). */
  indentStep?: number;
}

/** What a rule file writes: its metadata and its check. {@link defineRule} makes the {@link Rule} of it. */
export interface RuleDefinition {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** A rule as the engine runs it: made by {@link defineRule}, never by hand. */
export interface Rule {
  meta: RuleMeta & {
    /** The rule's documentation page. */
    url: string;
  };
  check(ctx: RuleContext): void;
}

/** A component's note on `key` as a message suffix (` (note)`), or nothing: see {@link Component.notes}. */
export function noteOn(c: Component, key: string): string {
  const note = c.notes?.[key];
  return note ? ` (${note})` : '';
}

/** Fills `{{name}}` placeholders. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => (key in data ? String(data[key]) : `{{${key}}}`));
}
