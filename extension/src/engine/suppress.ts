/**
 * Inline suppression comments:
 * - `# archlint-disable-next-line rule-a, rule-b` silences those rules on the next line
 *   (no ids: every rule);
 * - `# archlint-disable rule-a` anywhere silences the rule for the whole file (no ids: every rule).
 * A comment silences findings whose range *starts* on the line it names.
 */
export interface Suppressions {
  /** 0-based line → rule ids (`*` for all). */
  nextLine: Map<number, Set<string>>;
  file: Set<string>;
  /** The reason written after ` -- `, by the line a next-line comment applies to (-1: file-level, by id). */
  reasons: Map<string, string>;
  /** Every rule id a comment names, with where it is written (0-based line, columns). */
  named: { id: string; line: number; start: number; end: number }[];
}

const DIRECTIVE = /#\s*archlint-(disable-next-line|disable)\b([^\n\r]*)/;

export function findSuppressions(lines: readonly string[]): Suppressions {
  const nextLine = new Map<number, Set<string>>();
  const file = new Set<string>();
  const named: Suppressions['named'] = [];
  const reasons = new Map<string, string>();
  lines.forEach((line, i) => {
    if (!line.includes('archlint-disable')) return;
    const m = DIRECTIVE.exec(line);
    if (!m) return;
    // Text after ` -- ` is a reason, as in ESLint: `# archlint-disable-next-line x -- legacy`.
    const list = m[2]!.split(/\s--\s/)[0]!;
    const listStart = m.index + m[0].length - m[2]!.length;
    for (const word of list.matchAll(/[^\s,]+/g)) {
      named.push({ id: word[0], line: i, start: listStart + word.index!, end: listStart + word.index! + word[0].length });
    }
    const ids = list.split(/[\s,]+/).filter(Boolean);
    const set = ids.length > 0 ? new Set(ids) : new Set(['*']);
    const reason = m[2]!
      .split(/\s--\s/)
      .slice(1)
      .join(' -- ')
      .trim();
    const target = m[1] === 'disable' ? -1 : i + 1;
    for (const id of set) if (!reasons.has(`${target}:${id}`)) reasons.set(`${target}:${id}`, reason);
    if (m[1] === 'disable') set.forEach((id) => file.add(id));
    else nextLine.set(i + 1, new Set([...(nextLine.get(i + 1) ?? []), ...set]));
  });
  return { nextLine, file, named, reasons };
}

/** The comment that silences `ruleId` on `line`, with the reason it gives (empty when none), or undefined. */
export function suppressionOf(s: Suppressions, ruleId: string, line: number): { justification: string } | undefined {
  for (const [target, id] of [
    [-1, ruleId],
    [-1, '*'],
    [line, ruleId],
    [line, '*'],
  ] as const) {
    const applies = target === -1 ? s.file.has(id) : !!s.nextLine.get(line)?.has(id);
    if (applies) return { justification: s.reasons.get(`${target}:${id}`) ?? '' };
  }
  return undefined;
}
