/**
 * Fixes across the files of one architecture (a Compose project, manifests): each pass takes one
 * safe fix per finding, edits every file it names, and never keeps a pass that breaks a file.
 */
import { describe, expect, it } from 'vitest';
import { applyFixesToFiles, type Finding, type Fix } from '../../extension/src/engine';

/** A lint where every `TODO` in a file is a finding whose safe fix writes `done` there (and `x` breaks YAML). */
function lintOf(replacement: string) {
  return (texts: ReadonlyMap<string, string>) => {
    const findings: Finding[] = [];
    const fixes = new Map<Finding, Fix[]>();
    for (const [file, text] of texts) {
      if (text.includes('{{'))
        findings.push({
          ruleId: 'yaml-syntax',
          messageId: 'syntax',
          message: 'broken',
          severity: 'error',
          range: [0, 1, file],
          file,
        });
      for (let at = text.indexOf('TODO'); at !== -1; at = text.indexOf('TODO', at + 1)) {
        const f: Finding = { ruleId: 'r', messageId: 'm', message: 'todo', severity: 'warning', range: [at, at + 4, file], file };
        findings.push(f);
        fixes.set(f, [
          { title: 'do it', applicability: 'safe', edits: [{ range: [at, at + 4, file], text: replacement, file }] },
        ]);
      }
    }
    return { findings, fixes: (f: Finding) => fixes.get(f) ?? [] };
  };
}

describe('applyFixesToFiles', () => {
  it('applies each safe fix in the file it edits, over passes, and says which files changed', () => {
    const texts = new Map([
      ['a.yaml', 'x: TODO\ny: TODO\n'],
      ['b.yaml', 'z: 1\n'],
      ['c.yaml', 'w: TODO\n'],
    ]);
    const out = applyFixesToFiles(texts, lintOf('done'), { safeOnly: true });
    expect(out.texts.get('a.yaml')).toBe('x: done\ny: done\n');
    expect(out.texts.get('b.yaml')).toBe('z: 1\n');
    expect(out.texts.get('c.yaml')).toBe('w: done\n');
    expect([...out.changed].sort()).toEqual(['a.yaml', 'c.yaml']);
    expect(out.applied).toBe(3);
    expect(out.lint.findings).toEqual([]);
  });

  it('drops a pass that would break a readable file, and leaves the texts as they were', () => {
    const texts = new Map([['a.yaml', 'x: TODO\n']]);
    const out = applyFixesToFiles(texts, lintOf('{{'), { safeOnly: true });
    expect(out.texts.get('a.yaml')).toBe('x: TODO\n');
    expect(out.changed.size).toBe(0);
    expect(out.passes).toBe(0);
  });
});
