import { replaceValue } from '../fix/yamlEdits';
import type { Component, Replication } from '../model/model';
import type { Fix } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/** Kinds whose instances hold data that exists nowhere else: losing a write loses it for good. */
const STATEFUL_KINDS: readonly Component['kind'][] = ['database', 'queue', 'storage'];

/**
 * Whether losing recent writes of `c` loses data: a database, queue or storage, or a cache that
 * some component keeps its sessions in (a cache of data stored elsewhere can be refilled).
 */
function holdsState(c: Component, sessionStores: ReadonlySet<string>): boolean {
  return STATEFUL_KINDS.includes(c.kind) || (c.kind === 'cache' && sessionStores.has(c.id));
}

/** The ids named as some component's `session-store`, computed once per lint. */
function sessionStoresOf(ctx: RuleContext): Set<string> {
  const ids = new Set<string>();
  for (const c of ctx.model.components.values()) if (c.sessionStore) ids.add(c.sessionStore.id);
  return ids;
}

/**
 * `replication: <to>`. Unsafe: a synchronous or quorum write waits for a replica, so every write
 * gets slower, and under `quorum` a majority of the instances must be up to write at all.
 */
function replicationFix(ctx: RuleContext, c: Component, to: Replication): Fix | undefined {
  const edits = [replaceValue(ctx, ['components', c.id, 'replication'], to)];
  const how = to === 'quorum' ? 'by majority' : 'synchronously';
  return { title: `Replicate ${c.id} ${how} (replication: ${to})`, edits, applicability: 'unsafe' };
}

export const asyncFailoverDataLoss = defineRule({
  meta: {
    id: 'async-failover-data-loss',
    severity: 'warning',
    summary: 'a stateful component that fails over automatically to a replica fed by asynchronous replication',
    rationale:
      'With `replication: async` the primary acknowledges a write before any replica has it. When the primary ' +
      'fails and a replica is promoted automatically, the writes it had acknowledged but not yet copied are gone: ' +
      'orders, payments or messages the users were told were saved. This is the active–passive trade-off of CAP, ' +
      'taken silently — the failover keeps the component available by giving up the writes in flight, on every ' +
      'failover, with nobody deciding it. Replicate synchronously (`sync`) or by majority (`quorum`) so a promoted ' +
      'replica has every acknowledged write, or fail over by hand after reconciling.',
    fix: 'unsafe',
    messages: {
      dataLoss:
        '{{id}} fails over automatically{{standby}} to a replica fed by replication: async: every failover loses the ' +
        'writes {{id}} acknowledged but had not yet copied; replicate with sync or quorum',
    },
  },
  check(ctx) {
    let sessionStores: Set<string> | undefined;
    for (const c of ctx.model.components.values()) {
      if (c.replication !== 'async' || c.failover?.mode !== 'automatic' || c.kind === 'external') continue;
      // Something to fail over to: a second instance, or a standby. One instance alone is single-point-of-failure's.
      if (c.replicas < 2 && c.failover.standby === undefined && c.replicasSource !== 'per-node') continue;
      if (!holdsState(c, (sessionStores ??= sessionStoresOf(ctx)))) continue;
      const standby = c.failover.standby;
      ctx.report({
        messageId: 'dataLoss',
        data: { id: c.id, standby: standby ? ` (failover: automatic, ${standby} standby)` : ' (failover: automatic)' },
        range: c.keys.replication?.value ?? c.idRange,
        component: c.id,
        related: c.keys.failover ? [{ range: c.keys.failover.value, message: `${c.id} promotes a replica by itself` }] : [],
        fixes: [
          () => replicationFix(ctx, c, 'sync'),
          // A majority of two is both: quorum only where it leaves an instance to lose.
          () => (c.replicas >= 3 ? replicationFix(ctx, c, 'quorum') : undefined),
        ],
      });
    }
  },
});
