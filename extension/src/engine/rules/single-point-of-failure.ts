import type { Document } from 'yaml';
import { blastRadius } from '../model/graph';
import type { Component } from '../model/model';
import { rangeAt } from '../parse/parse';
import type { Offsets } from '../types';
import type { Rule } from './types';

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
  doc: Document,
  c: Component,
  declaredZones: number,
): { messageId: string; range: Offsets; zone?: string } | undefined {
  const replicasRange = c.keys.replicas?.value;
  if (c.replicas === 0) return { messageId: 'alwaysDown', range: replicasRange ?? c.idRange };
  const standby = c.failover?.standby !== undefined;
  if (c.replicas <= 1 && !standby && !(c.sharding && c.sharding.shards > 1)) {
    // For an autoscaled pool the "one" is written at `autoscale.min` (or its key, when min is left at 1).
    const range =
      replicasRange ?? (c.replicasSource === 'autoscale' ? rangeAt(doc, ['components', c.id, 'autoscale', 'min']) : c.idRange);
    return { messageId: c.kind === 'load-balancer' ? 'singleBalancer' : 'singleInstance', range };
  }
  // With fewer than two declared zones there is nowhere else to go: the zone is the file's, not the component's, problem.
  const zones = zonesOf(c);
  if (declaredZones >= 2 && zones.length === 1)
    return { messageId: 'singleZone', range: c.keys.zones?.value ?? c.idRange, zone: zones[0]! };
  return undefined;
}

export const singlePointOfFailure: Rule = {
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
    examples: {
      bad: [
        'components:',
        '  edge:',
        '    kind: load-balancer',
        '    replicas: 2',
        '    routes-to: [web]',
        '  web:',
        '    kind: service',
        '    replicas: 3',
        '    depends-on: [db]',
        '  db:',
        '    kind: database',
        '    replicas: 1   # one instance, no failover',
      ].join('\n'),
      good: [
        'components:',
        '  edge:',
        '    kind: load-balancer',
        '    replicas: 2',
        '    routes-to: [web]',
        '  web:',
        '    kind: service',
        '    replicas: 3',
        '    depends-on: [db]',
        '  db:',
        '    kind: database',
        '    replicas: 2',
        '    replication: sync',
        '    failover: { mode: automatic, standby: hot }',
      ].join('\n'),
    },
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
      const why = failsAlone(ctx.doc, c, declaredZones.length);
      if (!why) continue;
      const entries = blastRadius(ctx.graph, c.id);
      if (entries.length === 0) continue;
      ctx.report({
        messageId: why.messageId,
        data: { id: c.id, entries: entries.join(', '), zone: why.zone ?? '' },
        range: why.range,
        component: c.id,
        related: entries.map((e) => ({ range: ctx.component(e)!.idRange, message: `entry point ${e} goes down with ${c.id}` })),
      });
    }
  },
};
