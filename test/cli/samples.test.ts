import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { markedPairs } from '../expectations';
import { archlint, buildCliOnce, ROOT } from './setup';

beforeAll(buildCliOnce);

const SAMPLES = join(ROOT, 'samples');

/** The acceptance check, through the real executable: `archlint lint samples` flags exactly the marked lines. */
describe('archlint lint samples', () => {
  it('exits 1 and reports every "# expect:" marker of every sample, and nothing else', () => {
    const r = archlint(['lint', 'samples', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[];
    // The architecture files, and the compose project in its folder.
    const files = [...readdirSync(SAMPLES).filter((f) => /\.arch\.ya?ml$/.test(f)), 'compose-shop/compose.yaml'];
    expect(results.map((x) => x.filePath).sort()).toEqual(files.map((f) => join(SAMPLES, f)).sort());
    for (const result of results) {
      const flagged = [...new Set(result.messages.map((m) => `${m.line}:${m.ruleId}`))].sort();
      expect(flagged, result.filePath).toEqual(markedPairs(readFileSync(result.filePath, 'utf8')));
    }
  });

  it('agrees across formats: stylish, github and SARIF report as many findings as JSON', () => {
    const json = JSON.parse(archlint(['lint', 'samples', '-f', 'json']).stdout) as { messages: unknown[] }[];
    const total = json.reduce((n, r) => n + r.messages.length, 0);
    const github = archlint(['lint', 'samples', '-f', 'github']).stdout.trimEnd().split('\n');
    expect(github).toHaveLength(total);
    const sarif = JSON.parse(archlint(['lint', 'samples', '-f', 'sarif']).stdout) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]!.results).toHaveLength(total);
    expect(archlint(['lint', 'samples']).stdout).toMatch(new RegExp(`\u2716 ${total} problems? \\(`));
  });
});
