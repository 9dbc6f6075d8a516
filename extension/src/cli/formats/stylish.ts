import type { Finding, Severity } from '../../engine';
import { terminalText } from '../terminal';
import { displayPath, regionOf, safeFix, type FileReport, type Formatter } from './types';

const ansi = (open: number, close: number) => (enabled: boolean, text: string) =>
  enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
const underline = ansi(4, 24);
const bold = ansi(1, 22);
const dim = ansi(2, 22);
const red = ansi(31, 39);
const yellow = ansi(33, 39);
const blue = ansi(34, 39);

const SEVERITY_COLOR: Record<Severity, (enabled: boolean, text: string) => string> = { error: red, warning: yellow, info: blue };

function plural(n: number, word: string): string {
  // "info" is a mass noun: "2 info", as in compilers' "2 notes" is not what people write here.
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
}

interface Counts {
  error: number;
  warning: number;
  info: number;
}

function countsText(c: Counts): string {
  const parts = [plural(c.error, 'error'), plural(c.warning, 'warning')];
  if (c.info > 0) parts.push(plural(c.info, 'info'));
  return parts.join(', ');
}

/**
 * ESLint's "stylish" look: the file path underlined, one aligned row per finding
 * (`line:col  severity  message  rule-id`), then a summary. Nothing at all when there is nothing to say.
 */
export const stylish: Formatter = (reports, { cwd, color }) => {
  let out = '';
  const total: Counts = { error: 0, warning: 0, info: 0 };
  const fixable: Counts = { error: 0, warning: 0, info: 0 };
  for (const report of reports) {
    if (report.findings.length === 0) continue;
    out += `\n${underline(color, terminalText(displayPath(cwd, report.filePath)))}\n`;
    out += table(report, report.findings, color);
    for (const f of report.findings) {
      total[f.severity]++;
      if (safeFix(f)) fixable[f.severity]++;
    }
  }
  const problems = total.error + total.warning + total.info;
  if (problems === 0) return '';
  const summaryColor = total.error > 0 ? red : total.warning > 0 ? yellow : blue;
  out += `\n${summaryColor(color, bold(color, `\u2716 ${plural(problems, 'problem')} (${countsText(total)})`))}\n`;
  if (fixable.error + fixable.warning + fixable.info > 0) {
    out += `${summaryColor(color, bold(color, `  ${countsText(fixable).replace(/, ([^,]*)$/, ' and $1')} potentially fixable with the \`--fix\` option.`))}\n`;
  }
  return out;
};

function table(report: FileReport, findings: readonly Finding[], color: boolean): string {
  const rows = findings.map((f) => {
    const r = regionOf(report.lines, f.range);
    // ESLint drops a message's final full stop. Messages are one line; a line break or an escape
    // sequence in one comes from an id it quotes and is written out, as every control character.
    return {
      line: String(r.line),
      column: String(r.column),
      severity: f.severity,
      message: terminalText(f.message).replace(/([^ ])\.$/, '$1'),
      ruleId: terminalText(f.ruleId),
    };
  });
  const width = (key: 'line' | 'column' | 'severity' | 'message') => Math.max(...rows.map((row) => row[key].length));
  const [wLine, wColumn, wSeverity, wMessage] = [width('line'), width('column'), width('severity'), width('message')];
  return rows
    .map((row) => {
      const position = dim(color, `${row.line.padStart(wLine)}:${row.column}`) + ' '.repeat(wColumn - row.column.length);
      const severity = SEVERITY_COLOR[row.severity](color, row.severity) + ' '.repeat(wSeverity - row.severity.length);
      return `  ${position}  ${severity}  ${row.message.padEnd(wMessage)}  ${dim(color, row.ruleId)}\n`;
    })
    .join('');
}
