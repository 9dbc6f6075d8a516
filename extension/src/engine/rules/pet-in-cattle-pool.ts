import { isSeq } from 'yaml';
import { removeEntry, replaceValue } from '../fix/yamlEdits';
import { routesInto } from '../model/graph';
import type { Component, Instance } from '../model/model';
import { nodeRange } from '../parse/parse';
import type { Fix, RelatedLocation, TextEdit } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/**
 * An instance's configuration as a comparable string: every key but `name` (identity) and `zone`
 * (placement — cattle are spread over zones on purpose), with keys sorted so order does not matter.
 */
function configurationOf(inst: Instance): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  const { zone: _zone, ...rest } = inst.properties;
  return JSON.stringify(canonical(rest));
}

/** The configuration most siblings share; on a tie, the one met first in the file. */
function commonConfiguration(instances: readonly Instance[]): string {
  const counts = new Map<string, number>();
  for (const inst of instances) counts.set(configurationOf(inst), (counts.get(configurationOf(inst)) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const [config, n] of counts) if (n > bestCount) [best, bestCount] = [config, n];
  return best;
}

/** What makes `c` a pool: the components that route to it, and its autoscaler. Empty when it is not one. */
function poolReasons(ctx: RuleContext, c: Component): RelatedLocation[] {
  const reasons = routesInto(ctx.graph, c.id)
    .filter((e) => e.from !== c.id)
    .map((e) => ({ range: e.range, message: `${e.from} routes to ${c.id} as to interchangeable instances` }));
  // A platform that balances the component (`balanced-by`) treats its instances as interchangeable too.
  if (c.balancedBy)
    reasons.push({
      range: c.keys['balanced-by']?.value ?? c.idRange,
      message: `${c.balancedBy} spreads requests over ${c.id} as over interchangeable instances`,
    });
  if (c.autoscale && c.keys.autoscale)
    reasons.push({ range: c.keys.autoscale.key, message: `the autoscaler adds and removes ${c.id}'s instances` });
  return reasons;
}

/** An unsafe fix of one edit. */
function fixOf(title: string, edit: () => TextEdit): Fix {
  return { title, edits: [edit()], applicability: 'unsafe' };
}

/** The position of an instance in the written `instances` list (the model skips entries that are not mappings). */
function writtenIndex(ctx: RuleContext, c: Component, inst: Instance): number {
  const list = ctx.written.nodeAt(['components', c.id, 'instances'])?.node;
  return isSeq(list) ? list.items.findIndex((item) => nodeRange(item)[0] === inst.range[0]) : -1;
}

export const petInCattlePool = defineRule({
  meta: {
    id: 'pet-in-cattle-pool',
    severity: 'warning',
    summary: 'a hand-built or one-of-a-kind instance in a pool that a balancer or autoscaler treats as interchangeable',
    rationale:
      'A balancer sends any request to any instance, and an autoscaler creates and destroys instances at will: both ' +
      'assume every instance is the same, replaceable one (cattle). A pet — hand-built, uniquely configured, or kept ' +
      'alive on purpose — breaks that promise. Requests that land on it behave differently, scaling in may destroy the ' +
      'one machine nobody can rebuild, and its loss is an incident instead of a non-event. Make it cattle, or move it ' +
      'out of the pool into a component of its own.',
    fix: 'unsafe',
    messages: {
      petComponent: '{{id}} is a pet (lifecycle: pet) but sits in a pool that treats its instances as interchangeable',
      petInstance: 'instance {{instance}} of {{id}} is a pet (lifecycle: pet) in a pool of interchangeable instances',
      differentInstance:
        'instance {{instance}} of {{id}} is configured unlike its siblings, so it is a pet in a pool of interchangeable ones',
    },
  },
  check(ctx) {
    for (const c of ctx.model.components.values()) {
      const related = poolReasons(ctx, c);
      if (related.length === 0) continue;
      if (c.lifecycle === 'pet' && c.keys.lifecycle) {
        ctx.report({
          messageId: 'petComponent',
          data: { id: c.id },
          range: c.keys.lifecycle.value,
          component: c.id,
          related,
          fixes: [() => fixOf(`Make ${c.id} cattle`, () => replaceValue(ctx, ['components', c.id, 'lifecycle'], 'cattle'))],
        });
      }
      const common = c.instances.length > 1 ? commonConfiguration(c.instances) : undefined;
      c.instances.forEach((inst, i) => {
        const instance = inst.name ?? `#${i + 1}`;
        if (inst.lifecycle === 'pet') {
          const at = writtenIndex(ctx, c, inst);
          ctx.report({
            messageId: 'petInstance',
            data: { id: c.id, instance },
            range: inst.range,
            component: c.id,
            related,
            fixes: [
              () =>
                fixOf(`Make ${instance} cattle (remove lifecycle: pet)`, () =>
                  removeEntry(ctx, ['components', c.id, 'instances', at], 'lifecycle'),
                ),
            ],
          });
        } else if (common !== undefined && configurationOf(inst) !== common) {
          ctx.report({
            messageId: 'differentInstance',
            data: { id: c.id, instance },
            range: inst.range,
            component: c.id,
            related,
          });
        }
      });
    }
  },
});
