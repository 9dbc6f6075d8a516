import { readFileSync } from 'node:fs';
import { lint, type Finding, type FindingWithFixes, type LintOptions, type LintResult } from '../extension/src/engine';

/** `# expect: a, b` markers of a file: 1-based line → rule ids expected to start a finding there. */
export function expectedMarkers(text: string): Map<number, Set<string>> {
  const marks = new Map<number, Set<string>>();
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    const m = /#\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/.exec(line);
    if (m) marks.set(i + 1, new Set(m[1]!.split(',').map((s) => s.trim())));
  });
  return marks;
}

/** `line:rule` strings for the findings of a lint result (optionally of one rule), sorted. */
export function flaggedPairs(result: LintResult, ruleId?: string): string[] {
  return [
    ...new Set(
      result.findings
        .filter((f) => ruleId === undefined || f.ruleId === ruleId)
        .map((f) => `${result.lines.position(f.range[0]).line + 1}:${f.ruleId}`),
    ),
  ].sort();
}

export function markedPairs(text: string, ruleId?: string): string[] {
  const out: string[] = [];
  for (const [line, ids] of expectedMarkers(text)) {
    for (const id of ids) if (ruleId === undefined || id === ruleId) out.push(`${line}:${id}`);
  }
  return out.sort();
}

export function lintFile(path: string, options?: LintOptions): LintResult {
  return lint(readFileSync(path, 'utf8'), options);
}

/** A lint whose findings carry their fixes, made: what reports and most fix tests read. */
export function lintWithFixes(
  text: string,
  options?: LintOptions,
): Omit<LintResult, 'findings'> & { findings: FindingWithFixes[] } {
  const result = lint(text, options);
  return { ...result, findings: result.findings.map((f) => ({ ...f, fixes: nonEmpty(result.fixes(f)) })) };
}

const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);

/**
 * Findings as comparable data without the file each names: the analysis host names it, a bare
 * `lint(text)` does not, and the rest must be equal.
 */
export function withoutFiles(findings: readonly Finding[]): unknown {
  return JSON.parse(JSON.stringify(findings, (key, v: unknown) => (key === 'file' ? undefined : v)));
}
