import { countUnknown } from '../model/pools';
import { instanceCountChange } from '../fix/instanceCount';
import { zonesEdit } from '../fix/zones';
import { blastRadius } from '../model/graph';
import type { Component } from '../model/model';
import { flow, insertEntries } from '../fix/yamlEdits';
import type { Written } from '../sources/written';
import type { Fix, Offsets, TextEdit } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/** The distinct zones a component's instances run in: its `zones`, plus any explicit instance's `zone`. */
function zonesOf(c: Component): string[] {
  const zones = new Set(c.zones.map((z) => z.id));
  for (const inst of c.instances) if (typeof inst.properties.zone === 'string') zones.add(inst.properties.zone);
  return [...zones];
}

/**
 * Why the component can fail alone, or `undefined` when it cannot. A failover with a standby is a
 * second instance; sharded pools are left to `unreplicated-shard`, which knows a shard is only part of the traffic.
 */
function failsAlone(
  written: Written,
  c: Component,
  declaredZones: number,
): { messageId: string; range: Offsets; zone?: string } | undefined {
  const replicasRange = c.keys.replicas?.value;
  // Scale-to-zero (`autoscale.min: 0`) is not "always down": it is one instance when there is traffic.
  if (c.replicas === 0 && c.replicasSource === 'replicas') return { messageId: 'alwaysDown', range: replicasRange ?? c.idRange };
  // One per node: how many nodes there are is not written, so neither is whether it can fail alone.
  if (countUnknown(c)) return undefined;
  const standby = c.failover?.standby !== undefined;
  if (c.replicas <= 1 && !standby && !(c.sharding && c.sharding.shards > 1)) {
    // For an autoscaled pool the "one" is written at `autoscale.min` (or its key, when min is left at 1).
    const range =
      replicasRange ?? (c.replicasSource === 'autoscale' ? written.rangeAt(['components', c.id, 'autoscale', 'min']) : c.idRange);
    return { messageId: c.kind === 'load-balancer' ? 'singleBalancer' : 'singleInstance', range };
  }
  // With fewer than two declared zones there is nowhere else to go: the zone is the file's, not the component's, problem.
  const zones = zonesOf(c);
  if (declaredZones >= 2 && zones.length === 1)
    return { messageId: 'singleZone', range: c.keys.zones?.value ?? c.idRange, zone: zones[0]! };
  return undefined;
}

/**
 * Two instances, and — when the file declares zones — two zones: the component's own zone plus the
 * first other declared one. Unsafe: it doubles what the component costs. No fix where the instances
 * are listed one by one (`instances`, or an instance's own `zone`): those have to be written by hand.
 */
function redundancyFix(ctx: RuleContext, c: Component, declaredZones: readonly string[], onlyZones: boolean): Fix | undefined {
  const path = ['components', c.id];
  const edits: TextEdit[] = [];
  const inserts: [string, unknown][] = [];
  const changes: string[] = [];
  const placedByHand = c.instances.some((i) => i.properties.zone !== undefined);
  if (onlyZones) {
    // Enough instances already (a standby counts as the second): they only need somewhere else to run.
  } else if (c.replicas < 2) {
    const set = instanceCountChange(ctx, c, 2);
    if (!set) return undefined;
    edits.push(...set.edits);
    if (set.insert) inserts.push(set.insert);
    changes.push(set.change);
  }
  const zones = zonesOf(c);
  if (declaredZones.length >= 2 && zones.length < 2 && !placedByHand) {
    const spread = [...new Set([...zones, ...declaredZones])].slice(0, 2);
    // A written list keeps its comments and layout: the missing zone is appended to it.
    if (c.keys.zones) edits.push(zonesEdit(ctx, c, spread));
    else inserts.push(['zones', flow(spread)]);
    changes.push(`zones: [${spread.join(', ')}]`);
  }
  if (inserts.length > 0) edits.push(insertEntries(ctx, path, inserts));
  if (edits.length === 0) return undefined;
  return { title: `Make ${c.id} redundant (${changes.join(', ')})`, edits, applicability: 'unsafe' };
}

export const singlePointOfFailure = defineRule({
  meta: {
    id: 'single-point-of-failure',
    severity: 'error',
    summary: 'a component whose failure alone takes an entry point down',
    rationale:
      'An entry point is only as available as the least redundant thing on its required path. One instance without ' +
      'a standby, a load balancer with one replica, or a pool whose instances all sit in one zone turns a routine ' +
      'event — a deploy, a host reboot, a zone outage — into an outage for every user behind it, and no amount of ' +
      'redundancy elsewhere makes up for it. The check follows the graph: a component reached only through optional ' +
      'dependencies, or inside an any-of group whose other member is up, does not take the entry point down.',
    fix: 'unsafe',
    messages: {
      singleInstance: '{{id}} is a single point of failure: one instance, no failover; its loss takes down {{entries}}',
      singleBalancer: '{{id}} is a single point of failure: a load balancer with one replica; its loss takes down {{entries}}',
      singleZone: '{{id}} is a single point of failure: every instance is in zone {{zone}}; that zone takes down {{entries}}',
      alwaysDown: '{{id}} has replicas: 0, so it is always down; this takes down {{entries}}',
    },
  },
  check(ctx) {
    const declaredZones = [...ctx.model.zones.keys()];
    for (const c of ctx.model.components.values()) {
      // External services are outside the user's control; availability still counts them.
      if (c.kind === 'external') continue;
      const why = failsAlone(ctx.written, c, declaredZones.length);
      if (!why) continue;
      const entries = blastRadius(ctx.graph, c.id);
      if (entries.length === 0) continue;
      ctx.report({
        messageId: why.messageId,
        data: {
          id: c.id,
          // A component that is itself an entry point takes down at least itself: say so.
          entries: entries.map((e) => (e === c.id ? `${e} (itself an entry point)` : e)).join(', '),
          zone: why.zone ?? '',
        },
        range: why.range,
        component: c.id,
        related: entries.map((e) => ({ range: ctx.component(e)!.idRange, message: `entry point ${e} goes down with ${c.id}` })),
        fixes: [() => redundancyFix(ctx, c, declaredZones, why.messageId === 'singleZone')],
      });
    }
  },
});
