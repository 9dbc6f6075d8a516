// Fixes over hostile and randomly edited files, in-process: what the editor's quick fixes and the
// CLI's --fix (the same applyFixes) may never do. The fuzz script (npm run fuzz) holds the CLI
// process to the same rules, byte for byte on disk.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, applyFixes, lint, MAX_FIX_PASSES } from '../../extension/src/engine';
import { lineEndingProblem, lostComments } from '../../scripts/fuzz/oracles.mjs';
import { lintWithFixes } from '../expectations';
import { hostileText, isBrokenFile, rangeProblems } from './hostileCorpus';

describe('fixes on hostile and edited files', () => {
  it('every fix offered (safe or not), applied alone as the editor does, keeps a readable file readable, its comments and its line breaks', () => {
    let offered = 0;
    fc.assert(
      fc.property(hostileText, (text) => {
        const { findings } = lintWithFixes(text);
        const readable = !isBrokenFile(findings);
        for (const f of findings) {
          expect(rangeProblems(text, f)).toEqual([]);
          for (const fix of f.fixes ?? []) {
            offered++;
            const after = applyEdits(text, fix.edits);
            if (readable) expect(isBrokenFile(lint(after).findings), `${fix.title} broke the file:\n${after}`).toBe(false);
            expect(lostComments(text, after), fix.title).toEqual([]);
            expect(lineEndingProblem(text, after), fix.title).toBeUndefined();
          }
        }
      }),
      { numRuns: 120 },
    );
    // The property means something only if fixes were offered.
    expect(offered).toBeGreaterThan(200);
  });

  it('--fix converges, is idempotent, leaves no safe fix behind, and keeps a readable file readable, its comments and its line breaks', () => {
    let changed = 0;
    fc.assert(
      fc.property(hostileText, (text) => {
        const readable = !isBrokenFile(lint(text).findings);
        const fixed = applyFixes(text, lint, { safeOnly: true });
        if (fixed.text !== text) changed++;
        expect(fixed.passes).toBeLessThan(MAX_FIX_PASSES);
        if (readable) expect(isBrokenFile(fixed.remaining)).toBe(false);
        expect(lostComments(text, fixed.text)).toEqual([]);
        expect(lineEndingProblem(text, fixed.text)).toBeUndefined();
        const last = lintWithFixes(fixed.text);
        expect(last.findings.filter((f) => f.fixes?.some((x) => x.applicability === 'safe')).map((f) => f.message)).toEqual([]);
        expect(applyFixes(fixed.text, lint, { safeOnly: true }).text).toBe(fixed.text);
      }),
      { numRuns: 120 },
    );
    expect(changed).toBeGreaterThan(20);
  });
});

describe('a fix that writes a name with a line break', () => {
  // Found by the property above: inlineText wrote `zones: [eu\n\n    west, eu-east]` (a plain
  // scalar folded over lines) into a one-line flow mapping, and the file no longer parsed.
  it('writes it quoted on one line, and the file stays readable', () => {
    const text = 'archlint: 1\nzones:\n  "eu\\nwest": {}\n  eu-east: {}\ncomponents:\n  web: { kind: service, entry: true }\n';
    const spof = lintWithFixes(text).findings.find((f) => f.ruleId === 'single-point-of-failure')!;
    const fix = spof.fixes!.find((x) => x.title.includes('zones'))!;
    const after = applyEdits(text, fix.edits);
    expect(after).toBe(
      'archlint: 1\nzones:\n  "eu\\nwest": {}\n  eu-east: {}\ncomponents:\n  web: { kind: service, entry: true, replicas: 2, zones: [ "eu\\nwest", eu-east ] }\n',
    );
    expect(isBrokenFile(lint(after).findings)).toBe(false);
  });
});
