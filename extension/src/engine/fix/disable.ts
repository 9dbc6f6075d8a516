/** Edits an editor offers beside a rule's own fixes: silencing one line, and one minimal replacement. */
import type { LineIndex } from '../lineIndex';
import type { Offsets } from '../types';

const DISABLE_NEXT_LINE = /^(\s*#\s*archlint-disable-next-line\b)([^\r\n]*)$/;

/**
 * The edit that silences `ruleId` on `line`: a `# archlint-disable-next-line <id>` comment
 * above it, indented like the line. When the line above already is such a comment the id is
 * added to it, so repeated use does not stack comments.
 */
export function disableNextLineEdit(
  text: string,
  lines: LineIndex,
  line: number,
  ruleId: string,
): { range: Offsets; text: string } {
  const lineStart = lines.lineStart(line);
  const lineText = lineAt(text, lines, line);
  if (line > 0) {
    const prevStart = lines.lineStart(line - 1);
    const prevText = lineAt(text, lines, line - 1);
    const m = DISABLE_NEXT_LINE.exec(prevText);
    if (m) {
      const [ids, reason] = splitReason(m[2]!);
      const list = ids.split(/[\s,]+/).filter(Boolean);
      // An empty list silences every rule already: nothing to add.
      if (list.length === 0 || list.includes(ruleId)) return { range: [prevStart, prevStart], text: '' };
      const updated = `${m[1]} ${[...list, ruleId].join(', ')}${reason}`;
      return { range: [prevStart, prevStart + prevText.length], text: updated };
    }
  }
  const indent = /^[ \t]*/.exec(lineText)![0];
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  return { range: [lineStart, lineStart], text: `${indent}# archlint-disable-next-line ${ruleId}${eol}` };
}

function splitReason(rest: string): [ids: string, reason: string] {
  const i = rest.search(/\s--\s/);
  return i < 0 ? [rest, ''] : [rest.slice(0, i), rest.slice(i)];
}

/** The text of a line without its line break. */
export function lineAt(text: string, lines: LineIndex, line: number): string {
  const start = lines.lineStart(line);
  const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : text.length;
  return text.slice(start, end).replace(/\r?\n$|\r$/, '');
}

/**
 * The smallest single replacement that turns `before` into `after` (common prefix and suffix
 * kept), so fix-all on save does not move the cursor or the undo stack more than it must.
 */
export function minimalEdit(before: string, after: string): { range: Offsets; text: string } | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { range: [start, before.length - end], text: after.slice(start, after.length - end) };
}
