/**
 * A source fixture's findings as a reviewed snapshot, as the rule fixtures have (test/rules/snapshot.ts),
 * for a project of several files: each finding in the file it is in, with its exact range, message and
 * component, and each fix with its applicability, title and the lines it changes in each file it edits.
 */
import { isAbsolute, relative as relativeTo } from 'node:path';
import { applyEdits, type LintResult, type TextEdit } from '../../extension/src/engine';
import { lineDiff } from '../rules/snapshot';

export function projectSnapshot(name: string, dir: string, result: LintResult): string {
  // Files are named as the fixture's test gave them: absolute (shown relative to `dir`) or already relative.
  const relative = (from: string, file: string) => (isAbsolute(file) ? relativeTo(from, file) : file);
  const files = result.files!;
  const at = (file: string, offset: number) => {
    const p = files.get(file)!.lines.position(offset);
    return `${p.line + 1}:${p.character + 1}`;
  };
  const out = [`# ${name}: ${result.findings.length === 1 ? '1 finding' : `${result.findings.length} findings`}`];
  for (const f of result.findings) {
    const file = f.file!;
    out.push(
      '',
      `${f.severity}[${f.ruleId}/${f.messageId}] at ${relative(dir, file)} ${at(file, f.range[0])}-${at(file, f.range[1])}${f.component ? ` (${f.component})` : ''}`,
      `  ${f.message}`,
    );
    for (const r of f.related ?? []) out.push(`  related ${relative(dir, r.file!)} ${at(r.file!, r.range[0])}: ${r.message}`);
    for (const fix of result.fixes(f)) {
      out.push(`  fix (${fix.applicability}): ${fix.title}`);
      const byFile = new Map<string, TextEdit[]>();
      for (const e of fix.edits) byFile.set(e.file!, [...(byFile.get(e.file!) ?? []), e]);
      for (const [file, edits] of byFile) {
        const text = files.get(file)!.text;
        out.push(`    ${relative(dir, file)}`, ...lineDiff(text, applyEdits(text, edits)).map((l) => `    ${l}`));
      }
    }
  }
  return `${out.join('\n')}\n`;
}
