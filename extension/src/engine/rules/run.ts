/**
 * The rules stage: every enabled rule over the model, graph and (on demand) availability, and
 * the comments that silence some of what they report.
 */
import type { Document } from 'yaml';
import type { AvailabilityReport } from '../availability/types';
import { resolveOptions, resolveSeverity, type SeverityOptions } from '../config';
import type { LineIndex } from '../lineIndex';
import type { Graph } from '../model/graph';
import type { Architecture } from '../model/model';
import { didYouMean } from '../suggest';
import { archWritten, type SourceEdits, type Written } from '../sources/written';
import { findSuppressions, suppressionOf, type Suppressions } from '../suppress';
import { BUILTIN_IDS, type Finding, type Fix, type Offsets } from '../types';
import { rules as registry, rulesById } from './index';
import { optionProblems } from './options';
import { formatMessage, type Rule, type RuleContext } from './types';

/** What makes a finding's fixes when someone asks for them. */
export type FixMaker = () => readonly Fix[];

export interface RuleInput {
  text: string;
  doc: Document.Parsed;
  /** Where values are written; the `*.arch.yaml` document's own paths by default. */
  written?: Written;
  /** A source's own edits (see RuleContext.edits). */
  edits?: SourceEdits;
  /**
   * The other files of an architecture that spans several (a compose project's override), by
   * name as ranges carry it: their disable comments silence findings in them.
   */
  otherFiles?: ReadonlyMap<string, { text: string; lines: LineIndex }>;
  model: Architecture;
  graph: Graph;
  lines: LineIndex;
  options: SeverityOptions & { rules?: readonly Rule[] };
  availability: () => AvailabilityReport;
}

export interface RuleOutput {
  findings: Finding[];
  /** What comments silenced, with their reason. */
  suppressed: (Finding & { justification: string })[];
  /** The fix builder of each finding (and silenced finding) that offers fixes. */
  fixMakers: Map<Finding, FixMaker>;
}

const known = new Set(registry.map((r) => r.meta.id));
const builtinIds: readonly string[] = Object.values(BUILTIN_IDS);

/** Runs the rules. A rule that throws costs its own findings only, reported as an internal error. */
export function runRules(input: RuleInput): RuleOutput {
  const { text, doc, model, graph, lines, options } = input;
  const findings: Finding[] = [];
  const suppressed: RuleOutput['suppressed'] = [];
  const fixMakers = new Map<Finding, FixMaker>();

  // Each file's disable comments silence findings in that file.
  const byFile = new Map<string | undefined, { suppressions: Suppressions; lines: LineIndex; silencing: boolean }>();
  const addFile = (file: string | undefined, fileText: string, fileLines: LineIndex) => {
    // Most files have no disable comment: then there are no lines to split.
    const suppressions = findSuppressions(fileText.includes('archlint-disable') ? fileText.split(/\r\n|\r|\n/) : []);
    byFile.set(file, { suppressions, lines: fileLines, silencing: suppressions.file.size > 0 || suppressions.nextLine.size > 0 });
    unknownInComments(file, suppressions, fileLines);
  };
  const suppressionFor = (ruleId: string, range: Offsets) => {
    const entry = byFile.get(range[2]) ?? byFile.get(undefined)!;
    return entry.silencing ? suppressionOf(entry.suppressions, ruleId, entry.lines.position(range[0]).line) : undefined;
  };
  // A comment that names no rule silences nothing: say so, or the typo looks like a fix.
  const unknownInComments = (file: string | undefined, suppressions: Suppressions, lines: LineIndex) => {
    for (const { id, line, start, end } of suppressions.named) {
      if (known.has(id)) continue;
      const suggestion = didYouMean(id, known);
      const builtIn = builtinIds.includes(id);
      const offset = lines.lineStart(line);
      findings.push({
        ruleId: BUILTIN_IDS.schema,
        messageId: builtIn ? 'builtInInComment' : 'unknownRuleInComment',
        message: builtIn
          ? `"${id}" is built in and cannot be disabled: fix the file instead`
          : `unknown rule "${id}" in an archlint-disable comment${suggestion ? ` — did you mean "${suggestion}"?` : ''}`,
        severity: 'error',
        range: file === undefined ? [offset + start, offset + end] : [offset + start, offset + end, file],
      });
    }
  };
  addFile(undefined, text, lines);
  for (const [file, other] of input.otherFiles ?? []) addFile(file, other.text, other.lines);
  const written = input.written ?? archWritten(doc);

  for (const rule of options.rules ?? registry) {
    const severity = resolveSeverity(rule.meta.id, rule.meta.severity, model.rules, options);
    if (severity === 'off') continue;
    const ctx: RuleContext = {
      text,
      doc,
      model,
      graph,
      options: resolveOptions(rule.meta.id, rule.meta.options, model.rules, options),
      written,
      ...(input.edits && { edits: input.edits }),
      get availability() {
        return input.availability();
      },
      component: (id) => model.components.get(id),
      report(r) {
        const suppression = suppressionFor(rule.meta.id, r.range);
        const template = rule.meta.messages[r.messageId];
        const finding: Finding = {
          ruleId: rule.meta.id,
          messageId: r.messageId,
          message: template ? formatMessage(template, r.data) : r.messageId,
          severity,
          range: r.range,
          ...(r.component !== undefined && { component: r.component }),
          ...(r.related?.length && { related: r.related }),
        };
        const builders = r.fixes;
        const maker: FixMaker | undefined =
          builders && builders.length > 0 ? () => builders.flatMap((build) => build() ?? []) : undefined;
        if (suppression) {
          const silenced = { ...finding, justification: suppression.justification };
          suppressed.push(silenced);
          if (maker) fixMakers.set(silenced, maker);
        } else {
          findings.push(finding);
          if (maker) fixMakers.set(finding, maker);
        }
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
  return { findings, suppressed, fixMakers };
}

/**
 * What the file's `rules:` map sets wrongly: an id that is no rule (at the id, with a
 * did-you-mean), and options the rule does not take (at the option, or at the options).
 */
export function unknownRuleFindings(model: Architecture): Finding[] {
  const findings: Finding[] = [];
  for (const [id, setting] of model.rules) {
    const rule = rulesById.get(id);
    if (rule) {
      for (const problem of optionProblems(id, rule.meta.options, setting.options)) {
        const at = problem.key === undefined ? undefined : setting.optionRanges?.[problem.key];
        findings.push({
          ruleId: BUILTIN_IDS.schema,
          messageId: 'invalidRuleOption',
          message: problem.message,
          severity: 'error',
          range: (at ? (problem.atKey ? at.key : at.value) : setting.optionsRange) ?? setting.range,
        });
      }
    }
    if (known.has(id)) continue;
    const suggestion = didYouMean(id, known);
    findings.push({
      ruleId: BUILTIN_IDS.schema,
      messageId: 'unknownRule',
      message: `unknown rule "${id}"${suggestion ? ` — did you mean "${suggestion}"?` : ''}`,
      severity: 'error',
      // The id's range as it is, with its file: a Compose project's `rules:` may be in an override file.
      range: setting.idRange,
    });
  }
  return findings;
}
