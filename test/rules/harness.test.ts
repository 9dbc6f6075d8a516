/**
 * The rule fixture harness (markdownlint-style inline expectations):
 * for every `test/rules/<rule-id>/*.arch.yaml`, the lines where that rule's findings start must be
 * exactly the lines marked `# expect: <rule-id>`; `clean-*.arch.yaml` files and the docs' good example
 * (`good-example.arch.yaml`) carry no marker and get no finding of the rule; the bad example
 * (`bad-example.arch.yaml`) is a fixture like the others. The exact findings — range, message, the
 * text after each fix — are pinned in `<rule-id>/__snapshots__/<fixture>.snap` (see ./snapshot.ts). Every fix, alone and through `applyFixes`, must leave a readable file
 * without the finding it fixes and with every comment still in it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits, applyFixes } from '../../extension/src/engine/fix/apply';
import {
  BUILTIN_IDS,
  LineIndex,
  lint,
  rulesById,
  type Finding,
  type Fix,
  type RuleMeta,
  type TextEdit,
} from '../../extension/src/engine';
import { expectedMarkers, flaggedPairs, markedPairs } from '../expectations';
import { fixtureFiles, fixtureFolders, RULES_DIR } from './fixtures';
import { findingsSnapshot } from './snapshot';

const BUILTIN = new Set<string>(Object.values(BUILTIN_IDS));

/** `clean-*` fixtures and the good example the docs show: no finding of the rule. */
const isClean = (file: string) => file.startsWith('clean-') || file === 'good-example.arch.yaml';

/** The applicability of the fixes each `meta.fix` allows. */
const ALLOWED: Record<NonNullable<RuleMeta['fix']> | 'none', readonly Fix['applicability'][]> = {
  none: [],
  safe: ['safe'],
  unsafe: ['unsafe'],
  mixed: ['safe', 'unsafe'],
};

/** Comments of a text (`# …` to the end of a line), except `# expect:` markers, which may move or go with the line they mark. */
function comments(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .flatMap((line) => /(?:^|\s)(#.*)$/.exec(line)?.[1]?.trimEnd() ?? [])
    .filter((c) => !/^#\s*expect:/.test(c));
}

function expectCommentsKept(before: string, after: string, what: string) {
  const left = comments(after);
  for (const c of comments(before)) {
    const i = left.indexOf(c);
    expect(i, `${what} lost the comment "${c}"`).toBeGreaterThanOrEqual(0);
    left.splice(i, 1);
  }
}

/** Diagnostics that mean the file is not a readable architecture. */
const brokenFindings = (findings: readonly Finding[]) =>
  findings.filter((f) => BUILTIN.has(f.ruleId)).map((f) => `${f.ruleId}: ${f.message}`);

/** Where an offset of the original text lands after the edits (inside a replaced range: at its start). */
function mapOffset(offset: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const e of [...edits].sort((a, b) => a.range[0] - b.range[0])) {
    if (e.range[1] <= offset) delta += e.text.length - (e.range[1] - e.range[0]);
    else if (e.range[0] <= offset && offset < e.range[1]) return e.range[0] + delta;
  }
  return offset + delta;
}

for (const ruleId of fixtureFolders()) {
  describe(ruleId, () => {
    it('is a rule in the registry', () => {
      expect(rulesById.has(ruleId), `test/rules/${ruleId}/ has no rule of that id`).toBe(true);
    });
    const rule = rulesById.get(ruleId);
    if (!rule) return;
    const kindsOffered = new Set<Fix['applicability']>();

    for (const file of fixtureFiles(ruleId)) {
      const path = join(RULES_DIR, ruleId, file);
      const text = readFileSync(path, 'utf8');
      const result = lint(text);
      const own = result.findings.filter((f) => f.ruleId === ruleId);

      describe(file, () => {
        it('is a readable architecture', () => {
          expect(brokenFindings(result.findings)).toEqual([]);
        });

        // A clean fixture has nothing to pin beyond "no finding", which the test below says.
        if (!isClean(file)) {
          it('gives exactly the findings and fixes of its reviewed snapshot', async () => {
            await expect(findingsSnapshot(file, text, result, ruleId)).toMatchFileSnapshot(
              join(RULES_DIR, ruleId, '__snapshots__', `${file}.snap`),
            );
          });
        }

        if (isClean(file)) {
          it('has no expect markers and no finding of the rule', () => {
            expect(expectedMarkers(text).size, 'a clean-* fixture carries no `# expect:` marker').toBe(0);
            expect(flaggedPairs(result, ruleId)).toEqual([]);
          });
        } else {
          it('flags exactly the lines marked `# expect:`', () => {
            expect(markedPairs(text, ruleId).length, 'a flagged fixture marks at least one line').toBeGreaterThan(0);
            expect(flaggedPairs(result, ruleId)).toEqual(markedPairs(text, ruleId));
          });
        }

        it(`offers only the fixes its meta.fix (${rule.meta.fix ?? 'none'}) allows`, () => {
          const offered = own.flatMap((f) => result.fixes(f));
          offered.forEach((x) => kindsOffered.add(x.applicability));
          // ESLint's meta.fixable check: a rule that says it fixes nothing offers nothing, a safe one nothing unsafe.
          const allowed = ALLOWED[rule.meta.fix ?? 'none'];
          expect(offered.filter((x) => !allowed.includes(x.applicability)).map((x) => `${x.applicability}: ${x.title}`)).toEqual(
            [],
          );
        });

        own.forEach((finding) => {
          const line = result.lines.position(finding.range[0]).line + 1;
          result.fixes(finding).forEach((fix) => {
            it(`line ${line}: "${fix.title}" (${fix.applicability}) removes the finding and keeps the file`, () => {
              const fixed = applyEdits(text, fix.edits);
              expect(fixed).not.toBe(text);
              const after = lint(fixed);
              expect(brokenFindings(after.findings)).toEqual([]);
              const newLine = new LineIndex(fixed).position(mapOffset(finding.range[0], fix.edits)).line + 1;
              // The finding it fixes is gone; what the fix leaves to do (an owner's co-writer) may be a new finding there.
              const same = after.findings.filter(
                (f) =>
                  f.ruleId === ruleId &&
                  f.messageId === finding.messageId &&
                  after.lines.position(f.range[0]).line + 1 === newLine,
              );
              expect(
                same.map((f) => f.message),
                `still flagged at line ${newLine} after the fix`,
              ).toEqual([]);
              expectCommentsKept(text, fixed, `"${fix.title}"`);
            });
          });
        });

        for (const safeOnly of [true, false]) {
          const fixable = own.some((f) => result.fixes(f).some((x) => !safeOnly || x.applicability === 'safe'));
          if (!fixable) continue;
          it(`applyFixes (${safeOnly ? 'safe only' : 'all'}) converges to a readable file`, () => {
            const out = applyFixes(text, (t) => lint(t), { safeOnly });
            const last = lint(out.text);
            expect(out.applied).toBeGreaterThan(0);
            expect(brokenFindings(out.remaining)).toEqual([]);
            const stillFixable = last.findings.filter(
              (f) => f.ruleId === ruleId && last.fixes(f).some((x) => !safeOnly || x.applicability === 'safe'),
            );
            expect(stillFixable.map((f) => f.message)).toEqual([]);
            expectCommentsKept(text, out.text, 'applyFixes');
          });
        }
      });
    }

    // Declared fixes are real: across its fixtures the rule offers every kind its meta.fix names.
    it(`offers, across its fixtures, the fixes its meta.fix (${rule.meta.fix ?? 'none'}) names`, () => {
      expect([...kindsOffered].sort()).toEqual([...ALLOWED[rule.meta.fix ?? 'none']].sort());
    });
  });
}
