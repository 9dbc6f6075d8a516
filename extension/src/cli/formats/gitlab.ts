import type { Severity } from '../../engine';
import { displayPath, regionOf, type Formatter } from './types';

/** GitLab's scale is info, minor, major, critical, blocker: an error is major, a warning minor. */
const SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', info: 'info' };

/** One entry of a GitLab Code Quality report: the fields GitLab reads of the Code Climate format. */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'major' | 'minor' | 'info';
  location: { path: string; lines: { begin: number; end: number } };
}

/**
 * GitLab Code Quality (`artifacts: reports: codequality:`): a JSON array with one issue per
 * finding. The fingerprint is an MD5 of the rule, the file, the component and the message, and no
 * position, so a finding keeps it when lines above it move and the merge request widget shows it
 * as unchanged rather than fixed and new. GitLab keeps one issue per fingerprint, so a second
 * finding with all four equal gets the next occurrence number mixed in. Paths are relative to the
 * working folder, with no `./` (the repository root in a CI job).
 */
export const gitlab: Formatter = (reports, { cwd }) => {
  // Required here: node:crypto costs every run a few milliseconds to load, and only this format needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const issues: CodeQualityIssue[] = [];
  const seen = new Map<string, number>();
  for (const report of reports) {
    const path = displayPath(cwd, report.filePath);
    for (const f of report.findings) {
      const identity = [f.ruleId, path, f.component ?? '', f.message].join('\0');
      const occurrence = seen.get(identity) ?? 0;
      seen.set(identity, occurrence + 1);
      const region = regionOf(report.lines, f.range);
      // A range that ends where a line starts ends on the line before.
      const end = region.endColumn === 1 && region.endLine > region.line ? region.endLine - 1 : region.endLine;
      issues.push({
        description: f.message,
        check_name: f.ruleId,
        fingerprint: createHash('md5')
          .update(occurrence === 0 ? identity : `${identity}\0${occurrence}`)
          .digest('hex'),
        severity: SEVERITY[f.severity],
        location: { path, lines: { begin: region.line, end } },
      });
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
};
