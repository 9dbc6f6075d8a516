import { replaceValue } from '../fix/yamlEdits';
import { MAX_INSTANCES } from '../model/build';
import type { Component } from '../model/model';
import { countUnknown, maxInstances } from '../model/pools';
import type { Fix, RelatedLocation, TextEdit } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/** A caller whose pool size is stated, and what it can open at its largest. */
interface Caller {
  component: Component;
  /** Instances at the largest: `replicas` or `autoscale.max`, times the shards. */
  instances: number;
  pool: number;
}

const shardsOf = (c: Component) => c.sharding?.shards ?? 1;

/**
 * For every component, those that name it in `depends-on` (required, optional or in an any-of
 * group), each once, in file order: one pass over the model.
 */
function callersByTarget(ctx: RuleContext): Map<string, Component[]> {
  const out = new Map<string, Component[]>();
  for (const c of ctx.model.components.values()) {
    const named = new Set<string>();
    for (const d of c.dependsOn) for (const r of d.type === 'component' ? [d.target] : d.members) named.add(r.id);
    named.delete(c.id);
    for (const id of named) {
      const list = out.get(id);
      if (list) list.push(c);
      else out.set(id, [c]);
    }
  }
  return out;
}

const connections = (c: Caller) => c.instances * c.pool;

/**
 * Every counted pool lowered in proportion, so that together they fit (at least one connection
 * each). Unsafe: a smaller pool queues requests in the caller at peak. None when even that is too many.
 */
function lowerPoolsFix(ctx: RuleContext, target: Component, callers: readonly Caller[], total: number): Fix | undefined {
  const limit = target.maxConnections!;
  const lowered = callers.map((c) => ({ ...c, pool: Math.max(1, Math.floor((c.pool * limit) / total)) }));
  // Figures past what a file can state exactly (1e308 pools) give no pool to write.
  if (!lowered.every((c) => Number.isSafeInteger(c.pool))) return undefined;
  if (lowered.reduce((sum, c) => sum + connections(c), 0) > limit) return undefined;
  const changed = lowered.filter((c, i) => c.pool < callers[i]!.pool);
  const edits = changed.map((c) => replaceValue(ctx, ['components', c.component.id, 'connection-pool'], c.pool));
  const what = changed.map((c) => `${c.component.id}: ${c.pool}`).join(', ');
  return {
    title: `Lower the connection pools of ${target.id}'s callers (connection-pool ${what})`,
    edits,
    applicability: 'unsafe',
  };
}

/**
 * `autoscale.max` of the autoscaled callers capped (in proportion to what they open now) so that
 * everything fits, never below what they run at least. Unsafe: a capped pool cannot scale out to its peak.
 */
function capAutoscaleFix(ctx: RuleContext, target: Component, callers: readonly Caller[]): Fix | undefined {
  const limit = target.maxConnections!;
  const scaled = callers.filter((c) => c.component.autoscale && c.component.autoscale.max > c.component.replicas);
  if (scaled.length === 0) return undefined;
  const fixed = callers.filter((c) => !scaled.includes(c)).reduce((sum, c) => sum + connections(c), 0);
  const budget = limit - fixed;
  const wanted = scaled.reduce((sum, c) => sum + connections(c), 0);
  const caps = scaled.map((c) => ({
    caller: c,
    max: Math.floor((budget * connections(c)) / wanted / c.pool / shardsOf(c.component)),
  }));
  // A cap must be a count the schema takes (a whole number up to 10,000) and at least what runs now.
  if (caps.some(({ caller, max }) => !Number.isSafeInteger(max) || max > MAX_INSTANCES || max < caller.component.replicas))
    return undefined;
  const edits: TextEdit[] = caps.map(({ caller, max }) =>
    replaceValue(ctx, ['components', caller.component.id, 'autoscale', 'max'], max),
  );
  const what = caps.map(({ caller, max }) => `${caller.component.id}: ${max}`).join(', ');
  return { title: `Cap the autoscaling of ${target.id}'s callers (autoscale.max ${what})`, edits, applicability: 'unsafe' };
}

export const connectionExhaustion = defineRule({
  meta: {
    id: 'connection-exhaustion',
    severity: 'warning',
    summary: 'callers whose connection pools, at their largest, open more connections than the target accepts',
    rationale:
      'Every instance of a caller opens its own pool of connections to each database it depends on, so the ' +
      'connections a database must accept grow with the callers’ instances: an autoscaler that adds instances at peak adds connections exactly when the database is ' +
      'busiest. Past `max-connections` new connections are refused, and the instances that started last — the ' +
      'ones added for the peak — fail their requests or their health checks, which an autoscaler answers with ' +
      'more instances. Size the pools for the largest fleet, cap the fleet, or put a connection pooler in between.',
    fix: 'unsafe',
    messages: {
      exhausted:
        '{{id}} accepts {{max}} connections, but its callers can open {{total}} at their largest ({{breakdown}}): ' +
        'past {{max}} new connections are refused; lower the pools, cap autoscale.max, or put a pooler in between{{uncounted}}',
    },
  },
  check(ctx) {
    let callersOf: Map<string, Component[]> | undefined;
    for (const target of ctx.model.components.values()) {
      if (target.maxConnections === undefined) continue;
      const all = (callersOf ??= callersByTarget(ctx)).get(target.id) ?? [];
      const callers: Caller[] = all.flatMap((c) =>
        c.connectionPool === undefined
          ? []
          : countUnknown(c)
            ? []
            : [{ component: c, instances: maxInstances(c) * shardsOf(c), pool: c.connectionPool }],
      );
      const total = callers.reduce((sum, c) => sum + connections(c), 0);
      if (total <= target.maxConnections) continue;
      // A caller that states no pool size is not counted (unstated is unknown); the message says which.
      const uncounted = all.filter((c) => c.connectionPool === undefined).map((c) => c.id);
      const related: RelatedLocation[] = callers.map((c) => ({
        range: c.component.keys['connection-pool']?.value ?? c.component.idRange,
        message: `${c.component.id} can open ${c.instances} × ${c.pool} = ${connections(c)} connections`,
      }));
      ctx.report({
        messageId: 'exhausted',
        data: {
          id: target.id,
          max: target.maxConnections,
          total,
          breakdown: callers.map((c) => `${c.component.id} ${c.instances} × ${c.pool}`).join(', '),
          uncounted: uncounted.length > 0 ? ` (not counted, no connection-pool: ${uncounted.join(', ')})` : '',
        },
        range: target.keys['max-connections']?.value ?? target.idRange,
        component: target.id,
        related,
        fixes: [() => lowerPoolsFix(ctx, target, callers, total), () => capAutoscaleFix(ctx, target, callers)],
      });
    }
  },
});
