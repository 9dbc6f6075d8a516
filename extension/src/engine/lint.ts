import type { Document } from 'yaml';
import { computeAvailability } from './availability';
import type { AvailabilityReport } from './availability/types';
import { resolveSeverity, type SeverityOptions } from './config';
import { LineIndex } from './lineIndex';
import { buildArchitecture } from './model/build';
import { adoptStructure, buildGraph, type Graph } from './model/graph';
import type { Architecture } from './model/model';
import { validateArchitecture } from './model/validate';
import { parseArchitectureText, type ParsedArchitectureText } from './parse/parse';
import { rules as registry } from './rules';
import { formatMessage, type Rule, type RuleContext } from './rules/types';
import { didYouMean } from './suggest';
import { findSuppressions, suppressionOf } from './suppress';
import { BUILTIN_IDS, type Finding, type Fix } from './types';

/** A finding silenced by a comment; `justification` is the text after ` -- ` (empty when none). */
export type SuppressedFinding = Finding & { justification: string };

export type LintOptions = SeverityOptions & {
  /** The rules to run; the full registry by default (tests pass one). */
  rules?: readonly Rule[];
};

export interface LintResult {
  text: string;
  lines: LineIndex;
  /** Sorted by position. */
  findings: Finding[];
  /** Findings an `archlint-disable` comment silenced, with the reason it gave (sorted by position). */
  suppressed?: SuppressedFinding[];
  /** Absent when the text is not a readable architecture (see the findings for why). */
  doc?: Document.Parsed;
  model?: Architecture;
  graph?: Graph;
  /** Computed on first access, once. */
  readonly availability?: AvailabilityReport;
}

/**
 * The one entry point of the engine: text in, findings, model and numbers out.
 * Never throws: whatever the text, the result is findings with valid ranges.
 */
export function lint(text: string, options: LintOptions = {}): LintResult {
  return lintParsed(parseArchitectureText(text), options);
}

/**
 * Everything after parsing: schema, model, graph, rules. Shared by {@link lint} and the
 * incremental path (./incremental.ts), which hands in a document it assembled from a previous one.
 */
export function lintParsed(parsed: ParsedArchitectureText, options: LintOptions = {}, previous?: LintResult): LintResult {
  const { text } = parsed;
  const lines = new LineIndex(text);
  const findings = [...parsed.findings];
  const done = (extra: Partial<LintResult> = {}): LintResult => ({ text, lines, findings: sortFindings(findings), ...extra });
  if (!parsed.doc || parsed.value === undefined) return done({ doc: parsed.doc });
  const doc = parsed.doc;

  findings.push(...schemaFindings(parsed, previous));
  const model = buildArchitecture(doc, parsed.value, parsed.reuse);
  const graph = buildGraph(model);
  if (previous?.graph) adoptStructure(graph, previous.graph);
  let availability: AvailabilityReport | undefined;
  // An earlier result's figures lend every entry point the edit did not reach (availability/index.ts).
  const lender = previous ? availabilityOf.get(previous)?.() : undefined;
  const getAvailability = (): AvailabilityReport => (availability ??= computeAvailability(model, graph, {}, lender));

  const ruleList = options.rules ?? registry;
  const lifetime: DocumentLifetime = { handedOver: false };
  const known = new Set(registry.map((r) => r.meta.id));
  for (const [id, setting] of model.rules) {
    if (known.has(id)) continue;
    const suggestion = didYouMean(id, known);
    findings.push({
      ruleId: BUILTIN_IDS.schema,
      messageId: 'unknownRule',
      message: `unknown rule "${id}"${suggestion ? ` — did you mean "${suggestion}"?` : ''}`,
      severity: 'error',
      range: [setting.idRange[0], setting.idRange[1]],
    });
  }

  // Most files have no disable comment: then there are no lines to split.
  const suppressions = findSuppressions(text.includes('archlint-disable') ? text.split(/\r\n|\r|\n/) : []);
  const suppressed: SuppressedFinding[] = [];
  const silencing = suppressions.file.size > 0 || suppressions.nextLine.size > 0;
  // A comment that names no rule silences nothing: say so, or the typo looks like a fix.
  for (const { id, line, start, end } of suppressions.named) {
    if (known.has(id)) continue;
    const suggestion = didYouMean(id, known);
    const builtIn = (Object.values(BUILTIN_IDS) as string[]).includes(id);
    const offset = lines.lineStart(line);
    findings.push({
      ruleId: BUILTIN_IDS.schema,
      messageId: builtIn ? 'builtInInComment' : 'unknownRuleInComment',
      message: builtIn
        ? `"${id}" is built in and cannot be disabled: fix the file instead`
        : `unknown rule "${id}" in an archlint-disable comment${suggestion ? ` — did you mean "${suggestion}"?` : ''}`,
      severity: 'error',
      range: [offset + start, offset + end],
    });
  }
  for (const rule of ruleList) {
    const severity = resolveSeverity(rule.meta.id, rule.meta.severity, model.rules, options);
    if (severity === 'off') continue;
    const ctx: RuleContext = {
      text,
      doc,
      model,
      graph,
      get availability() {
        return getAvailability();
      },
      component: (id) => model.components.get(id),
      report(r) {
        const suppression = silencing ? suppressionOf(suppressions, rule.meta.id, lines.position(r.range[0]).line) : undefined;
        const template = rule.meta.messages[r.messageId];
        const finding: Finding = {
          ...(suppression && { justification: suppression.justification }),
          ruleId: rule.meta.id,
          messageId: r.messageId,
          message: template ? formatMessage(template, r.data) : r.messageId,
          severity,
          range: r.range,
          ...(r.component !== undefined && { component: r.component }),
          ...(Array.isArray(r.fixes) && r.fixes.length > 0 && { fixes: r.fixes }),
          ...(r.related?.length && { related: r.related }),
        };
        if (typeof r.fixes === 'function') attachLazyFixes(finding, r.fixes, lifetime, text, options);
        (suppression ? suppressed : findings).push(finding as SuppressedFinding);
      },
    };
    try {
      rule.check(ctx);
    } catch (error) {
      // A bug in one rule must not hide the others' findings, nor crash the editor.
      findings.push({
        ruleId: rule.meta.id,
        messageId: 'internalError',
        message: `internal error in rule ${rule.meta.id}: ${error instanceof Error ? error.message : String(error)} (please report it)`,
        severity: 'error',
        range: [0, Math.min(1, text.length)],
      });
    }
  }
  const result: LintResult = {
    ...done({ doc, model, graph, suppressed: sortFindings(suppressed) }),
    get availability() {
      return getAvailability();
    },
  };
  lifetime.findings = result.findings;
  lifetime.suppressed = result.suppressed ?? [];
  lifetimes.set(result, lifetime);
  if (!findings.some((f) => f.ruleId === BUILTIN_IDS.schema || f.ruleId === BUILTIN_IDS.yamlSyntax)) schemaClean.add(result);
  availabilityOf.set(result, () => availability);
  return result;
}

/** A result's availability report if it has been computed (a later result may reuse one, never compute it). */
const availabilityOf = new WeakMap<LintResult, () => AvailabilityReport | undefined>();

/** Results whose value the schema found nothing wrong with. */
const schemaClean = new WeakSet<LintResult>();

/**
 * The schema's findings. After an edit inside one component of a file the schema had nothing
 * against, only that component can be wrong (the schema has no constraint across components):
 * it is checked with the header alone, and only when it is wrong is the whole value checked,
 * for the findings in full.
 */
function schemaFindings(parsed: ParsedArchitectureText, previous: LintResult | undefined): Finding[] {
  const value = parsed.value as Record<string, unknown>;
  const changed = parsed.reuse?.changed;
  if (changed !== undefined && previous && schemaClean.has(previous)) {
    const components = value.components as Record<string, unknown>;
    const alone = { ...value, components: { [changed]: components[changed] } };
    if (validateArchitecture(parsed.doc!, alone).length === 0) return [];
  }
  return validateArchitecture(parsed.doc!, value);
}

/**
 * Whether a result's document still is what its findings' fixes were made from, and once it is
 * not, the fresh lint of the result's text that makes them instead (one for all its findings).
 */
interface DocumentLifetime {
  handedOver: boolean;
  findings?: readonly Finding[];
  suppressed?: readonly Finding[];
  fresh?: LintResult;
}
const lifetimes = new WeakMap<LintResult, DocumentLifetime>();

/**
 * Says that `result`'s document has been handed to a newer result and changed in place (the
 * incremental path moves its nodes): fixes not made yet are then made from a fresh lint of the
 * result's own text, never from the changed document.
 */
export function handOverDocument(result: LintResult): void {
  const lifetime = lifetimes.get(result);
  if (lifetime) lifetime.handedOver = true;
}

/**
 * Gives `finding` a `fixes` property made by `make` on first read and kept. A fix that throws
 * (a shape the edit helpers do not handle) is left out: the finding stands without it.
 */
function attachLazyFixes(
  finding: Finding,
  make: () => readonly (Fix | undefined)[],
  lifetime: DocumentLifetime,
  text: string,
  options: LintOptions,
): void {
  const settle = (fixes: Fix[] | undefined): Fix[] | undefined => {
    Object.defineProperty(finding, 'fixes', { value: fixes, enumerable: true, writable: true, configurable: true });
    return fixes;
  };
  Object.defineProperty(finding, 'fixes', {
    enumerable: true,
    configurable: true,
    get(): Fix[] | undefined {
      if (lifetime.handedOver) {
        // The same text lints to the same findings in the same order: the one at this finding's place.
        const fresh = (lifetime.fresh ??= lint(text, options));
        const at = lifetime.findings?.indexOf(finding) ?? -1;
        const same = at >= 0 ? fresh.findings[at] : fresh.suppressed?.[lifetime.suppressed?.indexOf(finding) ?? -1];
        return settle(same?.fixes);
      }
      let fixes: Fix[];
      try {
        fixes = make().filter((f): f is Fix => f !== undefined);
      } catch {
        fixes = [];
      }
      return settle(fixes.length > 0 ? fixes : undefined);
    },
    set(value: Fix[] | undefined) {
      settle(value);
    },
  });
}

function sortFindings<T extends Finding>(findings: T[]): T[] {
  return findings.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1] || a.ruleId.localeCompare(b.ruleId));
}
