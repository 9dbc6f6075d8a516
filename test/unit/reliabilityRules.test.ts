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

describe('quorum-zone-loss', () => {
  const zones = 'zones: { a: {}, b: {}, c: {} }';
  const quorum = (replicas: number, over: string) =>
    [
      'archlint: 1',
      zones,
      'components:',
      `  db: { kind: database, replicas: ${replicas}, replication: quorum, zones: [${over}] }`,
      '',
    ].join('\n');

  it('fires for 3, 4 and 5 over two zones, and 4 over three; not for 3 or 5 over three, 4 over four', () => {
    const fires = (replicas: number, over: string) => ids(quorum(replicas, over)).includes('quorum-zone-loss');
    expect([3, 4, 5].map((n) => fires(n, 'a, b'))).toEqual([true, true, true]);
    expect(fires(4, 'a, b, c')).toBe(true);
    expect(fires(3, 'a, b, c')).toBe(false);
    expect(fires(5, 'a, b, c')).toBe(false);
    const four = ['archlint: 1', 'zones: { a: {}, b: {}, c: {}, d: {} }', 'components:'];
    expect(
      ids([...four, '  db: { kind: database, replicas: 4, replication: quorum, zones: [a, b, c, d] }', ''].join('\n')),
    ).not.toContain('quorum-zone-loss');
  });

  it('names the zone and the count at the zones value; the fix appends the missing zone', () => {
    const text = quorum(3, 'b, a');
    expect(findingsOf(text, 'quorum-zone-loss')).toEqual([
      {
        message:
          'db needs a majority of 2 of its 3 instances, but zone b holds 2 of them: losing that zone loses the majority, ' +
          'so db must refuse writes until it is back; spread it over 3 or more zones with no zone holding half',
        at: '[b, a]',
        fixes: [
          {
            title: 'Spread db so that no zone holds half of it (zones: [b, a, c])',
            applicability: 'unsafe',
            text: text.replace('zones: [b, a]', 'zones: [b, a, c]'),
          },
        ],
      },
    ]);
  });

  it('adds instances where no spread over the declared zones is enough, and keeps a block list’s comments', () => {
    const text = file(
      '  db:',
      '    kind: database',
      '    replicas: 4',
      '    replication: quorum',
      '    zones:',
      '      - a # the old rack',
      '      - b',
      '  other: { kind: service, zones: [c] }',
    ).replace('archlint: 1', `archlint: 1\n${zones}`);
    const [finding] = findingsOf(text, 'quorum-zone-loss');
    expect(finding!.fixes).toEqual([
      {
        title: 'Spread db so that no zone holds half of it (replicas: 5, zones: [a, b, c])',
        applicability: 'unsafe',
        text: text.replace('replicas: 4', 'replicas: 5').replace('      - b\n', '      - b\n      - c\n'),
      },
    ]);
  });

  it('offers no fix when the file declares fewer than three zones', () => {
    const text = quorum(3, 'a, b').replace(zones, 'zones: { a: {}, b: {} }');
    expect(findingsOf(text, 'quorum-zone-loss')[0]!.fixes).toEqual([]);
  });
});

describe('connection-exhaustion', () => {
  it('offers no fix whose numbers the file could not hold (figures near the float limit gave .nan and .inf)', () => {
    const huge = file(
      '  api: { kind: service, entry: true, autoscale: { min: 2, max: 10000 }, connection-pool: 1.0e+305, depends-on: [big] }',
      '  api2: { kind: service, entry: true, replicas: 2, connection-pool: 1.7e+308, depends-on: [big] }',
      '  big: { kind: database, replicas: 2, max-connections: 1.0e+308 }',
    );
    const [finding] = findingsOf(huge, 'connection-exhaustion');
    expect(finding).toBeDefined();
    for (const fix of finding!.fixes) {
      expect(fix.title).not.toMatch(/NaN|Infinity/);
      expect(fix.text).not.toMatch(/\.nan|\.inf/i);
    }
  });

  const text = file(
    '  api: { kind: service, autoscale: { min: 3, max: 30 }, connection-pool: 10, depends-on: [db] }',
    '  reports: { kind: worker, replicas: 2, connection-pool: 20, depends-on: [{ component: db, optional: true }] }',
    '  admin: { kind: service, replicas: 9, depends-on: [db] }',
    '  db: { kind: database, replicas: 2, max-connections: 200 }',
  );

  it('adds up instances at their largest × pool, names the callers it did not count, at max-connections', () => {
    const [finding] = findingsOf(text, 'connection-exhaustion');
    expect(finding!.message).toBe(
      'db accepts 200 connections, but its callers can open 340 at their largest (api 30 × 10, reports 2 × 20): ' +
        'past 200 new connections are refused; lower the pools, cap autoscale.max, or put a pooler in between ' +
        '(not counted, no connection-pool: admin)',
    );
    expect(finding!.at).toBe('200');
    expect(finding!.fixes).toEqual([
      {
        title: "Lower the connection pools of db's callers (connection-pool api: 5, reports: 11)",
        applicability: 'unsafe',
        text: text.replace('connection-pool: 10', 'connection-pool: 5').replace('connection-pool: 20', 'connection-pool: 11'),
      },
      {
        title: "Cap the autoscaling of db's callers (autoscale.max api: 16)",
        applicability: 'unsafe',
        text: text.replace('max: 30', 'max: 16'),
      },
    ]);
  });

  it('does not fire when only callers without a pool would exceed, nor at exactly the limit', () => {
    expect(ids(text.replace('max-connections: 200', 'max-connections: 340'))).not.toContain('connection-exhaustion');
    const unstated = text.replace(', connection-pool: 10', '').replace(', connection-pool: 20', '');
    expect(ids(unstated)).not.toContain('connection-exhaustion');
  });
});

describe('shared-database', () => {
  const text = file(
    '  orders: { kind: service, depends-on: [db] }',
    '  billing: { kind: service, depends-on: [{ component: db, access: read }] }',
    '  db:',
    '    kind: database # the shop’s',
    '    replicas: 2',
  );

  it('a database with callers and no owner: at its name; the one writer is the fix', () => {
    expect(findingsOf(text, 'shared-database')).toEqual([
      {
        message:
          'db is shared by orders and billing, and has no owner: services coupled through one schema cannot change or ' +
          'scale apart; name its owner (owner: <service>) and let the others read (access: read) or call the owner',
        at: 'db',
        fixes: [
          {
            title: 'Make orders the owner of db (owner: orders)',
            applicability: 'unsafe',
            text: text.replace('    replicas: 2\n', '    replicas: 2\n    owner: orders\n'),
          },
        ],
      },
    ]);
  });

  it('an owner with another writer: at the owner value, no fix (only the author knows who merely reads)', () => {
    const owned = text.replace('    replicas: 2\n', '    replicas: 2\n    owner: billing\n');
    expect(findingsOf(owned, 'shared-database')).toEqual([
      {
        message:
          'db is owned by billing, but orders also writes to it (no access: read): services coupled through one ' +
          'schema cannot change or scale apart; let them read only, or call billing',
        at: 'billing',
        fixes: [],
      },
    ]);
    expect(ids(text.replace('    replicas: 2\n', '    replicas: 2\n    owner: orders\n'))).not.toContain('shared-database');
  });
});

describe('the new keys (owner, access, deploy)', () => {
  it('are in the model and leave the availability exactly as it was', () => {
    const plain = file(
      '  edge: { kind: load-balancer, entry: true, replicas: 2, routes-to: [api] }',
      '  api: { kind: service, replicas: 3, depends-on: [db, { component: search, optional: true }] }',
      '  search: { kind: database, replicas: 1 }',
      '  db: { kind: database, replicas: 2, availability: 99% }',
    );
    const keyed = plain
      .replace(
        'replicas: 3, depends-on: [db,',
        'replicas: 3, deploy: { strategy: recreate }, depends-on: [{ component: db, access: read },',
      )
      .replace('{ component: search, optional: true }', '{ component: search, optional: true, access: read-write }')
      .replace('availability: 99% }', 'availability: 99%, owner: api, deploy: { strategy: rolling, max-unavailable: 2 } }');
    const before = lint(plain);
    const after = lint(keyed);
    expect(after.findings.filter((f) => f.ruleId === 'schema')).toEqual([]);
    const api = after.model!.components.get('api')!;
    expect(api.deploy).toEqual({ strategy: 'recreate', maxUnavailable: undefined });
    expect(api.dependsOn.map((d) => d.access)).toEqual(['read', 'read-write']);
    const db = after.model!.components.get('db')!;
    expect(db.owner?.id).toBe('api');
    expect(db.deploy).toEqual({ strategy: 'rolling', maxUnavailable: 2 });
    expect(after.availability).toEqual(before.availability);
  });
});

describe('ip-hash-behind-proxy', () => {
  const text = file(
    '  cdn: { kind: cache, entry: true, replicas: 2, routes-to: [lb] }',
    '  lb: { kind: load-balancer, replicas: 2, balancing: ip-hash, routes-to: [web] } # hashes',
    '  web: { kind: service, replicas: 8, state: in-memory }',
    '  sessions: { kind: cache, replicas: 2 }',
  );

  it('counts the proxy addresses against the pool, at the balancing value; the fix balances round-robin', () => {
    expect(findingsOf(text, 'ip-hash-behind-proxy')).toEqual([
      {
        message:
          'lb balances by ip-hash, but cdn sends its requests to it directly: every request arrives from 2 proxy ' +
          'addresses, so the hash sends all users to at most 2 of web’s 8 instances; balance without affinity and ' +
          'keep sessions in a session-store',
        at: 'ip-hash',
        fixes: [
          {
            title: 'Switch lb to round-robin and keep sessions in sessions',
            applicability: 'unsafe',
            text: text
              .replace('balancing: ip-hash', 'balancing: round-robin')
              .replace('state: in-memory }', 'state: in-memory, session-store: sessions }'),
          },
        ],
      },
    ]);
  });

  it('never offers a CDN (a cache that routes requests on) as the session store, here or in sticky-sessions', () => {
    const noStore = text.replace('  sessions: { kind: cache, replicas: 2 }\n', '');
    for (const rule of ['ip-hash-behind-proxy', 'sticky-sessions']) {
      expect(findingsOf(noStore, rule)[0]!.fixes.map((f) => f.title)).toEqual([
        'Switch lb to round-robin and keep sessions in a new sessions cache',
      ]);
    }
  });
});

describe('disruptive-deploy', () => {
  it('recreate: at the strategy value, names the entry points; the fix adds max-unavailable', () => {
    const text = file(
      '  edge: { kind: load-balancer, entry: true, replicas: 2, routes-to: [web] }',
      '  web:',
      '    kind: service',
      '    replicas: 3',
      '    deploy:',
      '      strategy: recreate # the old way',
    );
    expect(findingsOf(text, 'disruptive-deploy')).toEqual([
      {
        message:
          'web is released with strategy: recreate: every release stops all 3 of its instances before new ones start, ' +
          'an outage of edge; roll out with strategy: rolling and max-unavailable: 1',
        at: 'recreate',
        fixes: [
          {
            title: 'Release web one instance at a time (strategy: rolling, max-unavailable: 1)',
            applicability: 'unsafe',
            text: text.replace(
              'strategy: recreate # the old way\n',
              'strategy: rolling # the old way\n      max-unavailable: 1\n',
            ),
          },
        ],
      },
    ]);
  });

  it('max-unavailable ≥ autoscale.min: at the value; an entry point is on its own path; one instance gets 0', () => {
    const scaled = file('  web: { kind: service, autoscale: { min: 2, max: 9 }, deploy: { max-unavailable: 2 } }');
    expect(findingsOf(scaled, 'disruptive-deploy')).toEqual([
      {
        message:
          'web is released with max-unavailable: 2 but runs 2 instances: every release stops all of them together, ' +
          'an outage of web (itself an entry point); roll out with max-unavailable: 1',
        at: '2',
        fixes: [
          {
            title: 'Release web one instance at a time (strategy: rolling, max-unavailable: 1)',
            applicability: 'unsafe',
            text: scaled.replace('deploy: { max-unavailable: 2 }', 'deploy: { max-unavailable: 1, strategy: rolling }'),
          },
        ],
      },
    ]);
    const single = file('  web: { kind: service, replicas: 1, deploy: { strategy: rolling, max-unavailable: 1 } }');
    expect(findingsOf(single, 'disruptive-deploy')[0]!.fixes[0]!.text).toContain('max-unavailable: 0');
    expect(ids(scaled.replace('max-unavailable: 2', 'max-unavailable: 1'))).not.toContain('disruptive-deploy');
  });
});
