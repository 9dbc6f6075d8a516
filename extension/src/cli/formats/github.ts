import type { Severity } from '../../engine';
import { displayPath, regionOf, type Formatter } from './types';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escapes a workflow command's message, as GitHub's toolkit does (`escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (`escapeProperty`): also `:` and `,`, which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow commands: one `::error file=…,line=…::message` line per finding, shown
 * as annotations on the pull request. Paths are relative to the working directory (the
 * checkout root in a workflow), with forward slashes.
 */
export const github: Formatter = (reports, { cwd }) => {
  let out = '';
  for (const report of reports) {
    const file = displayPath(cwd, report.filePath);
    for (const f of report.findings) {
      const r = regionOf(report.lines, f.range);
      const props = [
        `file=${escapeProperty(file)}`,
        `line=${r.line}`,
        `col=${r.column}`,
        `endLine=${r.endLine}`,
        `endColumn=${r.endColumn}`,
        `title=${escapeProperty(`archlint(${f.ruleId})`)}`,
      ];
      out += `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}\n`;
    }
  }
  return out;
};
