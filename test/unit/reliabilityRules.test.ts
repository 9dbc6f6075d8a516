/**
 * The reliability rules of issue 15, pinned exactly: message text, the range it is reported at,
 * each fix's title and applicability and the text after it. The fixture folders check the lines;
 * this checks the words and the edits.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../extension/src/engine';
import { applyEdits } from '../../extension/src/engine/fix/apply';
import { lintWithFixes } from '../expectations';

const file = (...lines: string[]) => ['archlint: 1', 'components:', ...lines, ''].join('\n');

/** The findings of one rule: message, the text under the range, and the fixes with the text they make. */
function findingsOf(text: string, ruleId: string) {
  return lintWithFixes(text)
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => ({
      message: f.message,
      at: text.slice(f.range[0], f.range[1]),
      fixes: (f.fixes ?? []).map((x) => ({ title: x.title, applicability: x.applicability, text: applyEdits(text, x.edits) })),
    }));
}

const ids = (text: string) => lint(text).findings.map((f) => f.ruleId);

describe('async-failover-data-loss', () => {
  const text = file(
    '  api: { kind: service, replicas: 2, depends-on: [orders] }',
    '  orders:',
    '    kind: database',
    '    replicas: 3',
    '    replication: async # lags a little',
    '    failover: { mode: automatic, standby: hot }',
    '    health-check: { interval: 5s }',
  );

  it('says what a failover loses, with the failover mode, at the replication value; fixes are sync and quorum, unsafe', () => {
    expect(findingsOf(text, 'async-failover-data-loss')).toEqual([
      {
        message:
          'orders fails over automatically (failover: automatic, hot standby) to a replica fed by replication: async: ' +
          'every failover loses the writes orders acknowledged but had not yet copied; replicate with sync or quorum',
        at: 'async',
        fixes: [
          {
            title: 'Replicate orders synchronously (replication: sync)',
            applicability: 'unsafe',
            text: text.replace('replication: async # lags', 'replication: sync # lags'),
          },
          {
            title: 'Replicate orders by majority (replication: quorum)',
            applicability: 'unsafe',
            text: text.replace('replication: async # lags', 'replication: quorum # lags'),
          },
        ],
      },
    ]);
  });

  it('offers no quorum to two instances (a majority of two is both)', () => {
    const two = text.replace('replicas: 3', 'replicas: 2');
    expect(findingsOf(two, 'async-failover-data-loss')[0]!.fixes.map((f) => f.title)).toEqual([
      'Replicate orders synchronously (replication: sync)',
    ]);
  });

  it('counts a cache only when it holds sessions', () => {
    const cache = file(
      '  web: { kind: service, replicas: 2, state: in-memory }',
      '  c: { kind: cache, replicas: 2, replication: async, failover: { mode: automatic } }',
    );
    expect(ids(cache)).not.toContain('async-failover-data-loss');
    expect(ids(cache.replace('state: in-memory', 'state: in-memory, session-store: c'))).toContain('async-failover-data-loss');
  });
});
