/**
 * A fixture's findings as a reviewed snapshot (Ruff's `.snap` files): each finding of the rule with
 * its exact range, severity, message id and message, the source it points at, and each fix with its
 * applicability, title and the lines it changes. Written by the harness beside the fixture, in
 * `__snapshots__/<fixture>.snap`; a changed message, range or fix is a visible diff in review.
 */
import { applyEdits, LineIndex, type Finding, type LintResult } from '../../extension/src/engine';

/** Lines of context kept around a fix's change. */
const CONTEXT = 1;

const pad = (n: number, width: number) => String(n).padStart(width);

/** `16:15-16:16`, 1-based lines and columns, end exclusive (as the editor and the CLI number them). */
function rangeText(lines: LineIndex, range: readonly [number, number, ...unknown[]]): string {
  const start = lines.position(range[0]);
  const end = lines.position(range[1]);
  return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;
}

/** The finding's first line with carets under what it covers (to the line's end when it goes on). */
function excerpt(text: string, lines: LineIndex, finding: Finding): string[] {
  const start = lines.position(finding.range[0]);
  const end = lines.position(finding.range[1]);
  const source = text.split(/\r\n|\r|\n/)[start.line] ?? '';
  const width = String(start.line + 1).length;
  const last = end.line === start.line ? end.character : source.length;
  const carets = '^'.repeat(Math.max(1, last - start.character)) + (end.line > start.line ? ' …' : '');
  return [`  ${pad(start.line + 1, width)} | ${source}`, `  ${' '.repeat(width)} | ${' '.repeat(start.character)}${carets}`];
}

/** The lines a fix changes, with a line of context, as a unified diff hunk with line numbers. */
export function lineDiff(before: string, after: string): string[] {
  // A final line break ends the last line; it does not start another.
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const from = Math.max(0, head - CONTEXT);
  const width = String(Math.max(a.length, b.length)).length;
  const out: string[] = [`@@ line ${head + 1} @@`];
  for (let i = from; i < head; i++) out.push(`  ${pad(i + 1, width)}   ${a[i]}`);
  for (let i = head; i < a.length - tail; i++) out.push(`  ${pad(i + 1, width)} - ${a[i]}`);
  for (let i = head; i < b.length - tail; i++) out.push(`  ${pad(i + 1, width)} + ${b[i]}`);
  for (let i = b.length - tail; i < Math.min(b.length, b.length - tail + CONTEXT); i++)
    out.push(`  ${pad(i + 1, width)}   ${b[i]}`);
  return out;
}

/** The snapshot of one fixture: every finding of `ruleId`, its place, its message and its fixes. */
export function findingsSnapshot(file: string, text: string, result: LintResult, ruleId: string): string {
  const own = result.findings.filter((f) => f.ruleId === ruleId);
  const out = [
    `# ${ruleId}/${file}: ${own.length === 0 ? 'no finding' : own.length === 1 ? '1 finding' : `${own.length} findings`}`,
  ];
  for (const finding of own) {
    out.push(
      '',
      `${finding.severity}[${ruleId}/${finding.messageId}] at ${rangeText(result.lines, finding.range)}${finding.component ? ` (${finding.component})` : ''}`,
      `  ${finding.message}`,
      ...excerpt(text, result.lines, finding),
    );
    for (const r of finding.related ?? []) out.push(`  related ${rangeText(result.lines, r.range)}: ${r.message}`);
    for (const fix of result.fixes(finding)) {
      out.push(
        `  fix (${fix.applicability}): ${fix.title}`,
        ...lineDiff(text, applyEdits(text, fix.edits)).map((l) => `    ${l}`),
      );
    }
  }
  return `${out.join('\n')}\n`;
}
