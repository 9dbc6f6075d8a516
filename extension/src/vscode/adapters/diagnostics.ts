import type { Finding, LineIndex, Severity } from '../../engine';
import { ruleDocsUrl } from '../../engine/rules/docsUrl';
import { BUILTIN_IDS } from '../../engine/types';
import { toPositionRange, type PositionRange } from './positions';

/** Everything a `vscode.Diagnostic` is made of, without `vscode`. */
export interface DiagnosticData {
  range: PositionRange;
  message: string;
  severity: Severity;
  /** The rule id, linking to the rule's documentation page. */
  code: { value: string; target: string };
  related: { range: PositionRange; message: string }[];
  finding: Finding;
}

export const DIAGNOSTIC_SOURCE = 'archlint';

export function toDiagnosticData(finding: Finding, lines: LineIndex): DiagnosticData {
  return {
    range: toPositionRange(lines, finding.range),
    message: finding.message,
    severity: finding.severity,
    code: { value: finding.ruleId, target: ruleDocsUrl(finding.ruleId) },
    related: (finding.related ?? []).map((r) => ({ range: toPositionRange(lines, r.range), message: r.message })),
    finding,
  };
}

/** Ids that are not rules: they have no "disable" action (a broken file must never look clean). */
export function isBuiltinId(ruleId: string): boolean {
  return (Object.values(BUILTIN_IDS) as string[]).includes(ruleId);
}

/**
 * Drops the findings the Red Hat YAML extension already shows when it validates the file:
 * YAML syntax errors (it reports every one, where Archlint stops at the first) and duplicate
 * keys. Everything else — schema and rules — only Archlint reports, so nothing appears twice.
 */
export function withoutYamlExtensionDoubles(findings: readonly Finding[]): Finding[] {
  return findings.filter(
    (f) => !(f.ruleId === BUILTIN_IDS.duplicateKey || (f.ruleId === BUILTIN_IDS.yamlSyntax && f.messageId === 'syntax')),
  );
}

/** The key a diagnostic is matched back to its finding by (code actions get copies of diagnostics). */
export function diagnosticKey(ruleId: string, range: PositionRange): string {
  return `${ruleId}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Counts per severity, for the status bar. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
