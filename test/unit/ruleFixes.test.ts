import { describe, expect, it } from 'vitest';
import { lint } from '../../extension/src/engine';
import { lintWithFixes } from '../expectations';
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
    const before = lintWithFixes(text);
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

describe('one problem, one finding', () => {
  it('an empty rate-limit is the schema’s finding only, not also a missing anonymous limit', () => {
    const text =
      'archlint: 1\ncomponents:\n  edge:\n    kind: load-balancer\n    entry: true\n    public: true\n    tls: terminate\n    replicas: 2\n    rate-limit:\n';
    const ids = lint(text).findings.map((f) => f.ruleId);
    expect(ids).toContain('schema');
    expect(ids).not.toContain('anonymous-rate-limit');
  });

  it('a cold standby on an entry point says it takes down itself, not "takes down lb"', () => {
    const text =
      'archlint: 1\ncomponents:\n  lb: { kind: load-balancer, replicas: 1, health-check: { path: /h }, failover: { mode: automatic, standby: cold, takeover: 5m } }\n';
    const cold = lint(text).findings.find((f) => f.ruleId === 'cold-standby');
    expect(cold?.message).toMatch(/takes down lb \(itself an entry point\)/);
  });
});
