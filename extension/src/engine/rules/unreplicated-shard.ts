import { countUnknown } from '../model/pools';
import { instanceCountEdits } from '../fix/instanceCount';
import { blastRadius } from '../model/graph';
import type { Component } from '../model/model';
import type { Fix, Offsets } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/** Where the "one per shard" is written: `replicas`, `autoscale.min` (or its key), else the component's name. */
function countRange(ctx: RuleContext, c: Component): Offsets {
  if (c.keys.replicas) return c.keys.replicas.value;
  if (c.replicasSource === 'autoscale') return ctx.written.rangeAt(['components', c.id, 'autoscale', 'min']);
  return c.idRange;
}

/**
 * Two instances per shard (three under `replication: quorum`, where a majority must stay up):
 * `replicas: 2`, or `autoscale.min: 2` (and `max` when it was below).
 * Unsafe: it doubles what every shard costs. None where the instances are listed one by one.
 */
function replicaFix(ctx: RuleContext, c: Component): Fix | undefined {
  // Under `replication: quorum` a majority must be up: two of two cannot lose one, three can.
  const n = c.replication === 'quorum' ? 3 : 2;
  const set = instanceCountEdits(ctx, c, n);
  return set && { title: `Give every shard of ${c.id} a replica (${set.change})`, edits: set.edits, applicability: 'unsafe' };
}

export const unreplicatedShard = defineRule({
  meta: {
    id: 'unreplicated-shard',
    severity: 'error',
    summary: 'a sharded component that runs one instance per shard',
    rationale:
      'Sharding spreads data and load, not risk: each shard is its own pool, and a request can only be served by ' +
      'the shard that holds its key. With one instance per shard every instance is a single point of failure for ' +
      'its share of the users — their requests fail, and their data has no second copy, while the instance is ' +
      'down — and with more shards there are more instances to lose, so some shard is down more often. Per ' +
      'request, the component is exactly as available as one machine. Give every shard a replica.',
    fix: 'unsafe',
    messages: {
      oneReplica:
        '{{id}} runs one instance per shard: the loss of any of its {{shards}} instances fails that shard’s ' +
        'requests (1/{{shards}} of them) for {{entries}}; give every shard a replica',
    },
  },
  check(ctx) {
    for (const c of ctx.model.components.values()) {
      if (!c.sharding || c.sharding.shards <= 1 || c.kind === 'external') continue;
      // A standby is a second instance per shard; `replicas: 0` is always down, which single-point-of-failure reports.
      if (c.replicas !== 1 || c.failover?.standby !== undefined || countUnknown(c)) continue;
      const entries = blastRadius(ctx.graph, c.id);
      if (entries.length === 0) continue;
      ctx.report({
        messageId: 'oneReplica',
        data: { id: c.id, shards: c.sharding.shards, entries: entries.join(', ') },
        range: countRange(ctx, c),
        component: c.id,
        related: [
          ...(c.keys.sharding
            ? [{ range: c.keys.sharding.value, message: `${c.id} is split into ${c.sharding.shards} shards` }]
            : []),
          ...entries.map((e) => ({ range: ctx.component(e)!.idRange, message: `entry point ${e} requires ${c.id}` })),
        ],
        fixes: [() => replicaFix(ctx, c)],
      });
    }
  },
});
