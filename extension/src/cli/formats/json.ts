import { BUILTIN_IDS, type FindingWithFixes } from '../../engine';
import { mergedEdit, regionOf, safeFix, type FileReport, type Formatter } from './types';

/** ESLint's `LintMessage`, as tools that read `eslint --format json` expect it. */
export interface EslintMessage {
  ruleId: string;
  /** 2 for error; 1 for warning and for info (ESLint has no third level: info is reported as a warning). */
  severity: 1 | 2;
  message: string;
  messageId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The component the finding is about, when there is one (not in ESLint's format; readers ignore what they do not know). */
  component?: string;
  /** Set on YAML syntax and encoding errors: the file could not be read at all (ESLint's parse errors). */
  fatal?: true;
  /** The safe fix `--fix` would apply, as one edit over the file's text (UTF-16 offsets). */
  fix?: { range: [number, number]; text: string };
  /** Fixes that change meaning: offered, never applied by `--fix`. */
  suggestions?: { desc: string; fix: { range: [number, number]; text: string } }[];
}

/** ESLint's `LintResult`. */
export interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  /** Findings a comment silenced, as ESLint lists them: with `suppressions: [{ kind: 'directive', justification }]`. */
  suppressedMessages: (EslintMessage & { suppressions: { kind: 'directive'; justification: string }[] })[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  /** The fixed text, present when `--fix` changed the file (as in ESLint). */
  output?: string;
  usedDeprecatedRules: never[];
}

export function toEslintMessage(report: FileReport, f: FindingWithFixes): EslintMessage {
  const r = regionOf(report.lines, f.range);
  // ESLint's fix is an edit of this file: a fix that edits another file of a compose project is left out here (SARIF carries it).
  const here = (x: { edits: { file?: string }[] }) => x.edits.every((e) => e.file === undefined || e.file === report.filePath);
  const fix = safeFix(f);
  const edit = fix && here(fix) ? mergedEdit(report.text, fix) : undefined;
  const suggestions = (f.fixes ?? [])
    .filter((x) => x !== fix && here(x))
    .flatMap((x) => {
      const e = mergedEdit(report.text, x);
      return e ? [{ desc: x.title, fix: e }] : [];
    });
  return {
    ruleId: f.ruleId,
    severity: f.severity === 'error' ? 2 : 1,
    message: f.message,
    messageId: f.messageId,
    line: r.line,
    column: r.column,
    endLine: r.endLine,
    endColumn: r.endColumn,
    ...(f.component !== undefined && { component: f.component }),
    ...((f.ruleId === BUILTIN_IDS.yamlSyntax || f.ruleId === BUILTIN_IDS.encoding) && { fatal: true as const }),
    ...(edit && { fix: edit }),
    ...(suggestions.length > 0 && { suggestions }),
  };
}

export function toEslintResult(report: FileReport): EslintResult {
  const messages = report.findings.map((f) => toEslintMessage(report, f));
  const count = (pred: (m: EslintMessage) => boolean) => messages.filter(pred).length;
  return {
    filePath: report.filePath,
    messages,
    suppressedMessages: (report.suppressed ?? []).map((f) => ({
      ...toEslintMessage(report, f),
      suppressions: [{ kind: 'directive' as const, justification: f.justification }],
    })),
    errorCount: count((m) => m.severity === 2),
    fatalErrorCount: count((m) => m.fatal === true),
    warningCount: count((m) => m.severity === 1),
    fixableErrorCount: count((m) => m.severity === 2 && m.fix !== undefined),
    fixableWarningCount: count((m) => m.severity === 1 && m.fix !== undefined),
    ...(report.fixed && { output: report.text }),
    usedDeprecatedRules: [],
  };
}

/** ESLint's JSON format: an array with one result per file, clean files included. */
export const json: Formatter = (reports) => `${JSON.stringify(reports.map(toEslintResult))}\n`;
