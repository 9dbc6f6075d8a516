/** What the editors show of findings, apart from where: counts, and what another YAML tool already shows. */
import { BUILTIN_IDS, type Finding, type Severity } from '../types';

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

/** Counts per severity, for the status bar. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
