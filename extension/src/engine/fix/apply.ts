/**
 * Applying fixes: the CLI's `--fix` and the editor's fix-all both come here, so they agree.
 * As in ESLint, one fix per finding per pass, overlapping fixes wait for the next pass, and the
 * text is linted again between passes (a fix can make or resolve other findings).
 */
import { BUILTIN_IDS, type Finding, type Fix, type TextEdit } from '../types';

/** Passes before giving up; fixes that keep undoing each other must not loop forever. */
export const MAX_FIX_PASSES = 10;

/** Applies non-overlapping edits to `text` (offsets of the original). Throws on overlapping edits. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // Stable sort: two insertions at one offset keep the order they were given in.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.range[0] - b.e.range[0] || a.i - b.i);
  let out = '';
  let cursor = 0;
  for (const { e } of sorted) {
    const [start, end] = e.range;
    if (start < cursor) throw new Error(`overlapping edits at offset ${start}`);
    if (start > end || end > text.length) throw new Error(`edit range [${start}, ${end}) is outside the text`);
    out += text.slice(cursor, start) + e.text;
    cursor = end;
  }
  return out + text.slice(cursor);
}

/**
 * Several edits of one text as one edit that spans them, the text between them kept as it was
 * (ESLint merges a fix's edits the same way); `undefined` for no edits, or edits that overlap.
 */
export function spanningEdit(text: string, edits: readonly TextEdit[]): { range: [number, number]; text: string } | undefined {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  if (sorted.length === 0) return undefined;
  const start = sorted[0]!.range[0];
  let end = start;
  let out = '';
  for (const edit of sorted) {
    if (edit.range[0] < end) return undefined; // overlapping edits have no single-edit form
    out += text.slice(end, edit.range[0]) + edit.text;
    end = edit.range[1];
  }
  return { range: [start, end], text: out };
}

/** Whether two edits touch the same text. Two insertions at one offset conflict too: their order would be a guess. */
function conflicts(a: TextEdit, b: TextEdit): boolean {
  if (a.range[0] === b.range[0]) return true;
  return a.range[0] < b.range[1] && b.range[0] < a.range[1];
}

export interface ApplyFixesOptions {
  /** Only `safe` fixes (`--fix`, fix-all-on-save). Otherwise each finding's first fix, whatever its kind. */
  safeOnly: boolean;
  /** Restricts which findings are fixed (e.g. one rule for "fix all of this kind"). */
  filter?: (finding: Finding) => boolean;
}

export interface ApplyFixesResult {
  text: string;
  /** How many fixes were applied, over all passes. */
  applied: number;
  /** The findings of the final text. */
  remaining: Finding[];
  passes: number;
}

/** What a pass reads of a lint: its findings, and the fixes each offers (a LintResult fits). */
export interface FixableLint {
  findings: readonly Finding[];
  fixes(finding: Finding): readonly Fix[];
}

/** The fix that a finding contributes to a pass, if any. */
function chosenFix(lint: FixableLint, finding: Finding, options: ApplyFixesOptions): Fix | undefined {
  if (options.filter && !options.filter(finding)) return undefined;
  return lint.fixes(finding).find((f) => !options.safeOnly || f.applicability === 'safe');
}

const brokenFile = (findings: readonly Finding[]) =>
  findings.some((f) => f.ruleId === BUILTIN_IDS.yamlSyntax || f.ruleId === BUILTIN_IDS.duplicateKey);

/**
 * Applies fixes until nothing changes: one fix per finding per pass, skipping fixes that overlap
 * one taken earlier in the pass, then lints the new text and repeats (at most {@link MAX_FIX_PASSES}).
 * A pass that would turn a readable file into a broken one is dropped: a fix must never break a file.
 */
export function applyFixes(text: string, lintFn: (text: string) => FixableLint, options: ApplyFixesOptions): ApplyFixesResult {
  let current = text;
  let linted = lintFn(current);
  let applied = 0;
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    const taken: TextEdit[] = [];
    let count = 0;
    for (const finding of linted.findings) {
      const fix = chosenFix(linted, finding, options);
      if (!fix || fix.edits.length === 0) continue;
      if (fix.edits.some((e) => taken.some((t) => conflicts(e, t)))) continue;
      taken.push(...fix.edits);
      count++;
    }
    if (count === 0) break;
    let next: string;
    try {
      next = applyEdits(current, taken);
    } catch {
      break; // A fix whose own edits overlap is a rule bug; stop rather than write garbage.
    }
    if (next === current) break;
    const nextLint = lintFn(next);
    if (brokenFile(nextLint.findings) && !brokenFile(linted.findings)) break;
    passes++;
    applied += count;
    current = next;
    linted = nextLint;
  }
  return { text: current, applied, remaining: [...linted.findings], passes };
}

/**
 * {@link applyFixes} for an architecture whose files are fixed together (a Compose project, a set
 * of manifests): a fix may edit several files, each pass applies the fixes taken to every file
 * they edit, and the files are linted again together. Only fixes whose every edit names one of
 * `texts`' files are taken. Returns the texts as they end, the files a fix changed, and the last lint.
 */
export function applyFixesToFiles<L extends FixableLint>(
  texts: ReadonlyMap<string, string>,
  lintFn: (texts: ReadonlyMap<string, string>) => L,
  options: ApplyFixesOptions,
): { texts: Map<string, string>; changed: Set<string>; lint: L; applied: number; passes: number } {
  let current = new Map(texts);
  let linted = lintFn(current);
  const changed = new Set<string>();
  let applied = 0;
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    const taken = new Map<string, TextEdit[]>();
    let count = 0;
    for (const finding of linted.findings) {
      const fix = chosenFix(linted, finding, options);
      if (!fix || fix.edits.length === 0) continue;
      if (fix.edits.some((e) => e.file === undefined || !current.has(e.file))) continue;
      if (fix.edits.some((e) => (taken.get(e.file!) ?? []).some((t) => conflicts(e, t)))) continue;
      for (const e of fix.edits) taken.set(e.file!, [...(taken.get(e.file!) ?? []), e]);
      count++;
    }
    if (count === 0) break;
    const next = new Map(current);
    try {
      for (const [file, edits] of taken) next.set(file, applyEdits(current.get(file)!, edits));
    } catch {
      break; // A fix whose own edits overlap is a rule bug; stop rather than write garbage.
    }
    const edited = [...taken.keys()].filter((file) => next.get(file) !== current.get(file));
    if (edited.length === 0) break;
    const nextLint = lintFn(next);
    if (brokenFile(nextLint.findings) && !brokenFile(linted.findings)) break;
    passes++;
    applied += count;
    for (const file of edited) changed.add(file);
    current = next;
    linted = nextLint;
  }
  return { texts: current, changed, lint: linted, applied, passes };
}
