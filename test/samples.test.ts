import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, lintCompose, rules } from '../extension/src/engine';
import { flaggedPairs, markedPairs } from './expectations';

const dir = join(__dirname, '..', 'samples');
const samples = readdirSync(dir).filter((f) => /\.arch\.ya?ml$/.test(f));

describe('samples', () => {
  it('there are at least six, one of them clean', () => {
    expect(samples.length).toBeGreaterThanOrEqual(6);
    expect(samples).toContain('payments-platform.arch.yaml');
  });

  for (const file of samples) {
    it(`${file}: findings start exactly on the lines marked "# expect:"`, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(flaggedPairs(lint(text))).toEqual(markedPairs(text));
    });
  }

  it('the clean sample has no findings at all', () => {
    const result = lint(readFileSync(join(dir, 'payments-platform.arch.yaml'), 'utf8'));
    expect(result.findings).toEqual([]);
  });

  // Compose projects kept as samples: each folder's compose.yaml, linted as its project.
  const composeSamples = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(join(dir, d.name)).includes('compose.yaml'))
    .map((d) => join(d.name, 'compose.yaml'));
  it('there is a compose project among them', () => expect(composeSamples).toContain('compose-shop/compose.yaml'));
  for (const file of composeSamples) {
    it(`${file}: findings start exactly on the lines marked "# expect:"`, () => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      expect(flaggedPairs(lintCompose({ files: [{ file: path, text }] }))).toEqual(markedPairs(text));
    });
  }

  it('together the samples trigger every rule in the registry', () => {
    const seen = new Set(samples.flatMap((f) => lint(readFileSync(join(dir, f), 'utf8')).findings.map((x) => x.ruleId)));
    const missing = rules.map((r) => r.meta.id).filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
  });
});
