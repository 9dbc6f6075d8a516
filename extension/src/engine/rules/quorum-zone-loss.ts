import { countUnknown } from '../model/pools';
import { poolSpec } from '../availability/pool';
import { instanceCountChange } from '../fix/instanceCount';
import { zonesEdit } from '../fix/zones';
import { insertEntries } from '../fix/yamlEdits';
import type { Component } from '../model/model';
import type { Fix, TextEdit } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/** Fewest zones a quorum can be spread over so that no zone holds half of it. */
const MIN_QUORUM_ZONES = 3;
/** How many instances beyond the current count the fix looks at before it gives up. */
const MAX_ADDED_INSTANCES = 4;

/** The majority a quorum of `replicas` needs (as the availability math counts it). */
const majority = (replicas: number) => Math.floor(replicas / 2) + 1;

/** Whether `instances` spread round robin over `zones` survive the loss of the fullest zone with `needed` up. */
const survivesZoneLoss = (instances: number, zones: number, needed: number) => instances - Math.ceil(instances / zones) >= needed;

/**
 * Spread over enough declared zones (its own first) that no zone holds half, and — when no
 * spread over the declared zones can do that with its instances (two, or four over three zones)
 * — the fewest more instances that can. Unsafe: quorum writes then cross more zones (latency,
 * traffic cost), and added instances cost. None when the file declares fewer than three zones.
 */
function spreadFix(ctx: RuleContext, c: Component, standby: number): Fix | undefined {
  const declared = [...ctx.model.zones.keys()];
  if (declared.length < MIN_QUORUM_ZONES) return undefined;
  const own = c.zones.map((z) => z.id).filter((z) => declared.includes(z));
  const order = [...new Set([...own, ...declared])];
  for (let replicas = c.replicas; replicas <= c.replicas + MAX_ADDED_INSTANCES; replicas++) {
    for (let zones = MIN_QUORUM_ZONES; zones <= order.length; zones++) {
      if (!survivesZoneLoss(replicas + standby, zones, majority(replicas))) continue;
      const spread = order.slice(0, zones);
      const same = spread.length === c.zones.length && c.zones.every((z, i) => z.id === spread[i]);
      const path = ['components', c.id];
      const edits: TextEdit[] = [];
      const changes: string[] = [];
      if (replicas !== c.replicas) {
        const set = instanceCountChange(ctx, c, replicas);
        if (!set) return undefined; // instances listed one by one: adding one is the author's call
        edits.push(...set.edits);
        if (set.insert) edits.push(insertEntries(ctx, path, [set.insert]));
        changes.push(set.change);
      }
      if (!same) edits.push(zonesEdit(ctx, c, spread));
      if (!same) changes.push(`zones: [${spread.join(', ')}]`);
      return { title: `Spread ${c.id} so that no zone holds half of it (${changes.join(', ')})`, edits, applicability: 'unsafe' };
    }
  }
  return undefined;
}

export const quorumZoneLoss = defineRule({
  meta: {
    id: 'quorum-zone-loss',
    severity: 'warning',
    summary: 'a quorum whose instances leave one zone holding half of them or more',
    rationale:
      'A quorum (`replication: quorum`) writes only while a majority of its instances is up: it chose consistency ' +
      'over availability. Spread round robin over two zones, one zone always holds half of the instances or more ' +
      '(two of three, two of four, three of five), so when that zone fails the rest are no majority and the ' +
      'component refuses writes until the zone is back — the zones bought nothing for the very failure they are ' +
      'declared for. Spread a quorum over three or more zones so that no zone holds half: then a zone outage ' +
      'leaves a majority standing.',
    fix: 'unsafe',
    messages: {
      zoneHoldsHalf:
        '{{id}} needs a majority of {{needed}} of its {{instances}} instances{{perShard}}, but zone {{zone}} holds ' +
        '{{held}} of them: losing that zone loses the majority, so {{id}} must refuse writes until it is back; ' +
        'spread it over 3 or more zones with no zone holding half',
    },
  },
  check(ctx) {
    for (const c of ctx.model.components.values()) {
      if (c.replication !== 'quorum' || c.kind === 'external' || c.replicas < 2 || countUnknown(c)) continue;
      // Placed exactly as the availability math places them: round robin over the distinct zones, a standby included.
      const spec = poolSpec(ctx.model, c, undefined);
      // In one zone every instance goes with it: single-point-of-failure's finding, not a quorum's.
      if (spec.zones.length < 2) continue;
      const held = spec.perZone.reduce((most, n) => Math.max(most, n), 0);
      if (spec.instances - held >= spec.needed) continue;
      const zone = spec.zones[spec.perZone.indexOf(held)]!;
      const zoneRef = c.zones.find((z) => z.id === zone);
      ctx.report({
        messageId: 'zoneHoldsHalf',
        data: {
          id: c.id,
          needed: spec.needed,
          instances: spec.instances,
          zone,
          held,
          perShard: c.sharding && c.sharding.shards > 1 ? ' per shard' : '',
        },
        range: c.keys.zones?.value ?? c.idRange,
        component: c.id,
        related: [
          ...(zoneRef
            ? [{ range: zoneRef.range, message: `${held} of ${c.id}'s ${spec.instances} instances run in ${zone}` }]
            : []),
          ...(c.keys.replication ? [{ range: c.keys.replication.value, message: `${c.id} writes only with a majority up` }] : []),
        ],
        fixes: [() => spreadFix(ctx, c, spec.instances - c.replicas)],
      });
    }
  },
});
