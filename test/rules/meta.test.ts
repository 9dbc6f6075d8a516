/**
 * Every rule in the registry is complete: metadata, example files, fixtures,
 * a docs page, and its place in the sorted registry.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeOption, lint, optionProblems, rules } from '../../extension/src/engine';
import { expectedMarkers, markedPairs } from '../expectations';
import { fixtureFiles, fixtureFolders, RULES_DIR } from './fixtures';

const ROOT = join(RULES_DIR, '..', '..');

describe('the rule registry', () => {
  it('is sorted by id, without duplicates', () => {
    const ids = rules.map((r) => r.meta.id);
    expect(ids).toEqual([...new Set(ids)].sort());
  });

  it('has a rule for every fixture folder and a fixture folder for every rule', () => {
    expect(fixtureFolders()).toEqual(rules.map((r) => r.meta.id));
  });
});

for (const rule of rules) {
  const { meta } = rule;
  describe(meta.id, () => {
    it('has complete metadata', () => {
      expect(meta.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(existsSync(join(ROOT, 'extension/src/engine/rules', `${meta.id}.ts`)), 'file name = rule id').toBe(true);
      expect(['error', 'warning', 'info']).toContain(meta.severity);
      expect(meta.summary.length).toBeGreaterThan(10);
      expect(meta.summary, 'summary: one line, lower-case start, no full stop').toMatch(/^[a-z`][^\n]*[^.\n]$/);
      expect(meta.rationale.length, 'rationale: a paragraph').toBeGreaterThan(120);
      expect([undefined, 'safe', 'unsafe', 'mixed']).toContain(meta.fix);
      expect(Object.keys(meta.messages).length).toBeGreaterThan(0);
      for (const [id, text] of Object.entries(meta.messages)) {
        expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
        expect(text.trim().length).toBeGreaterThan(0);
      }
    });

    it('has a bad and a good example file beside its fixtures (the harness holds them to their markers)', () => {
      const files = existsSync(join(RULES_DIR, meta.id)) ? fixtureFiles(meta.id) : [];
      expect(files).toContain('bad-example.arch.yaml');
      expect(files).toContain('good-example.arch.yaml');
      const bad = readFileSync(join(RULES_DIR, meta.id, 'bad-example.arch.yaml'), 'utf8');
      expect(markedPairs(bad, meta.id).length, 'the bad example marks what it shows').toBeGreaterThan(0);
    });

    it('has at least 3 flagged lines and 3 clean-* files as fixtures', () => {
      const files = existsSync(join(RULES_DIR, meta.id)) ? fixtureFiles(meta.id) : [];
      const clean = files.filter((f) => f.startsWith('clean-'));
      const marked = files
        .filter((f) => !f.startsWith('clean-'))
        .flatMap((f) => [...expectedMarkers(readFileSync(join(RULES_DIR, meta.id, f), 'utf8')).values()])
        .filter((ids) => ids.has(meta.id)).length;
      expect(marked, `# expect: ${meta.id} markers in test/rules/${meta.id}/`).toBeGreaterThanOrEqual(3);
      expect(clean.length, `clean-*.arch.yaml files in test/rules/${meta.id}/`).toBeGreaterThanOrEqual(3);
    });

    it('declares options with a default each accepts, in kebab-case, each listed on its docs page', () => {
      const page = readFileSync(join(ROOT, 'docs/rules', `${meta.id}.md`), 'utf8');
      for (const [name, schema] of Object.entries(meta.options ?? {})) {
        expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        expect(optionProblems(meta.id, meta.options, { [name]: schema.default }), `${name}'s default`).toEqual([]);
        expect(schema.description.length).toBeGreaterThan(20);
        expect(page).toContain(`| \`${name}\` | ${describeOption(schema)} | \`${schema.default}\` |`);
      }
    });

    it('has a docs page and hand-written prose', () => {
      expect(existsSync(join(ROOT, 'docs/rules', `${meta.id}.md`)), `docs/rules/${meta.id}.md (run npm run docs)`).toBe(true);
      expect(existsSync(join(ROOT, 'docs/rules/prose', `${meta.id}.md`)), `docs/rules/prose/${meta.id}.md`).toBe(true);
    });

    it('is flagged by at least one sample', () => {
      const samples = join(ROOT, 'samples');
      const hit = readdirSync(samples)
        .filter((f) => /\.arch\.ya?ml$/.test(f))
        .some((f) => lint(readFileSync(join(samples, f), 'utf8')).findings.some((x) => x.ruleId === meta.id));
      expect(hit, `no file in samples/ triggers ${meta.id}`).toBe(true);
    });
  });
}
