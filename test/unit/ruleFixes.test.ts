import { describe, expect, it } from 'vitest';
import { lint } from '../../extension/src/engine';
import { applyEdits } from '../../extension/src/engine/fix/apply';

describe('unreplicated-shard fix', () => {
  it('gives a quorum shard three replicas (a majority of two is both), and the availability rises', () => {
    const text = [
      'archlint: 1',
      'components:',
      '  api: { kind: service, entry: true, replicas: 2, depends-on: [ledger] }',
      '  ledger: { kind: database, sharding: { key: k, shards: 4 }, replication: quorum, replicas: 1 }',
      '',
    ].join('\n');
    const before = lint(text);
    const finding = before.findings.find((f) => f.ruleId === 'unreplicated-shard')!;
    expect(finding.fixes![0]!.title).toContain('replicas: 3');
    const after = lint(applyEdits(text, finding.fixes![0]!.edits));
    expect(after.findings.filter((f) => f.ruleId === 'unreplicated-shard')).toEqual([]);
    expect(after.text).toContain('replicas: 3');
    expect(after.availability!.entries[0]!.availability).toBeGreaterThan(before.availability!.entries[0]!.availability);
  });
});

describe('autoscale min 0', () => {
  it('counts as the one instance the pool runs when it serves, not as switched off', () => {
    const text = 'archlint: 1\ncomponents:\n  web: { kind: service, autoscale: { min: 0, max: 3 }, availability: 99% }\n';
    const result = lint(text);
    expect(result.availability!.entries[0]!.availability).toBeCloseTo(0.99, 12);
    expect(result.findings.map((f) => f.ruleId)).toContain('single-point-of-failure');
  });
});
