import { countUnknown } from '../model/pools';
import { instanceCountEdits } from '../fix/instanceCount';
import { instancesForLoad } from '../availability/pool';
import { requiredClosure } from '../model/graph';
import type { Component } from '../model/model';
import type { Fix, Offsets } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/** The heaviest demand any entry point puts on a component: that entry, and the instances its load needs. */
interface Demand {
  entry: Component;
  needed: number;
}

/** For every component with a `capacity`, the entry point with a `load` that needs most of its instances. */
function demands(ctx: RuleContext): Map<string, Demand> {
  const out = new Map<string, Demand>();
  for (const id of ctx.graph.entryPoints) {
    const entry = ctx.component(id);
    if (entry?.load === undefined) continue;
    for (const member of requiredClosure(ctx.graph, id)) {
      const c = ctx.component(member);
      const needed = c && instancesForLoad(c, entry.load);
      if (needed === undefined) continue;
      if (needed > (out.get(member)?.needed ?? -1)) out.set(member, { entry, needed });
    }
  }
  return out;
}

/** Where the instance count is written: `replicas`, `autoscale.min`, else the component's name. */
function countRange(ctx: RuleContext, c: Component): Offsets {
  if (c.keys.replicas) return c.keys.replicas.value;
  if (c.replicasSource === 'autoscale') return ctx.written.rangeAt(['components', c.id, 'autoscale', 'min']);
  return c.idRange;
}

/** N+spare: enough instances that `spare` can be lost. Unsafe: it adds instances, which cost. None for listed instances. */
function headroomFix(ctx: RuleContext, c: Component, count: number, spare: number): Fix | undefined {
  const set = instanceCountEdits(ctx, c, count);
  const room = spare === 1 ? 'an instance' : `${spare} instances`;
  return set && { title: `Give ${c.id} room to lose ${room} (${set.change})`, edits: set.edits, applicability: 'unsafe' };
}

/** How many instances a pool loses, in words: `one`, `two`, `3`. */
const lost = (n: number) => (n === 1 ? 'one' : n === 2 ? 'two' : String(n));

export const noHeadroom = defineRule({
  meta: {
    id: 'no-headroom',
    severity: 'warning',
    summary: 'a pool whose capacity is below its load once one instance is lost',
    rationale:
      'Redundancy that is needed to carry the load is not redundancy. When a pool of N instances needs all N for ' +
      'the peak, losing one — a crash, a deploy, a host drained for maintenance — leaves the rest over capacity: ' +
      'latency climbs, requests time out, clients retry, and the overload can take the survivors down one after ' +
      'another. Sizing for N+1 keeps one instance in reserve, so a single loss costs nothing users can see.',
    fix: 'unsafe',
    options: {
      spare: {
        type: 'integer',
        minimum: 0,
        maximum: 100,
        default: 1,
        description:
          'How many instances a pool must be able to lose at the peak and still carry it: 1 is N+1, 2 is N+2 ' +
          '(one lost while another is being deployed); 0 flags only pools that cannot carry the load at all.',
      },
    },
    messages: {
      noHeadroom:
        '{{id}} has no headroom: {{entry}}’s load of {{load}} needs {{needed}} of its {{instances}} instances{{perShard}} ' +
        'at {{capacity}} each, so losing {{lost}} overloads the rest; run {{target}}',
      belowLoad:
        '{{id}} cannot carry {{entry}}’s load of {{load}}: it needs {{needed}} instances{{perShard}} at {{capacity}} ' +
        'each but runs {{instances}}; run {{target}}',
    },
  },
  check(ctx) {
    const source = (range: Offsets | undefined) => (range ? ctx.text.slice(range[0], range[1]) : '');
    const spare = ctx.options.spare!;
    for (const [id, { entry, needed }] of demands(ctx)) {
      const c = ctx.component(id)!;
      // `replicas: 0` and `capacity: 0` are always down, which the availability reports; external pools are not ours to size.
      if (c.kind === 'external' || c.replicas === 0 || needed === Infinity || countUnknown(c)) continue;
      // A standby serves nothing until it replaces a lost instance: it is a spare (one of them), not capacity.
      const standby = c.failover?.standby !== undefined ? Math.min(1, spare) : 0;
      if (c.replicas + standby - spare >= needed) continue;
      // One instance that carries the load alone: its loss is single-point-of-failure's (or
      // unreplicated-shard's) finding, not a matter of headroom.
      if (needed === 1 && c.replicas + (c.failover?.standby !== undefined ? 1 : 0) === 1) continue;
      const count = Math.max(needed, needed + spare - standby);
      ctx.report({
        messageId: c.replicas >= needed ? 'noHeadroom' : 'belowLoad',
        data: {
          id: c.id,
          entry: entry.id,
          load: source(entry.keys.load?.value),
          capacity: source(c.keys.capacity?.value),
          needed,
          instances: c.replicas,
          target: standby ? `${count} instances besides the standby` : `${count} instances`,
          lost: lost(Math.max(1, spare)),
          perShard: c.sharding && c.sharding.shards > 1 ? ` per shard (${c.sharding.shards} shards)` : '',
        },
        range: countRange(ctx, c),
        component: c.id,
        related: [
          ...(entry.keys.load
            ? [{ range: entry.keys.load.value, message: `${entry.id} receives ${source(entry.keys.load.value)}` }]
            : []),
          ...(c.keys.capacity
            ? [{ range: c.keys.capacity.value, message: `one ${c.id} instance serves ${source(c.keys.capacity.value)}` }]
            : []),
        ],
        fixes: [() => headroomFix(ctx, c, count, spare)],
      });
    }
  },
});
