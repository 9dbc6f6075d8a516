import { countUnknown } from '../model/pools';
import { insertEntries, replaceValue } from '../fix/yamlEdits';
import { blastRadius } from '../model/graph';
import type { Component } from '../model/model';
import type { Fix, TextEdit } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/**
 * `strategy: rolling` with `max-unavailable: 1` — or 0 for a single instance, which has none to
 * spare: the new one starts before the old one stops. Unsafe: a rolling release runs old and new
 * versions side by side (they must be compatible), and `0` needs room for one more instance.
 */
function rollingFix(ctx: RuleContext, c: Component): Fix | undefined {
  const path = ['components', c.id, 'deploy'];
  const max = c.replicas >= 2 ? 1 : 0;
  const edits: TextEdit[] = [];
  const inserts: [string, unknown][] = [];
  if (c.deploy?.strategy !== undefined) {
    if (c.deploy.strategy !== 'rolling') edits.push(replaceValue(ctx, [...path, 'strategy'], 'rolling'));
  } else inserts.push(['strategy', 'rolling']);
  if (c.deploy?.maxUnavailable === undefined) inserts.push(['max-unavailable', max]);
  else if (c.deploy.maxUnavailable !== max) edits.push(replaceValue(ctx, [...path, 'max-unavailable'], max));
  if (inserts.length > 0) edits.push(insertEntries(ctx, path, inserts));
  const how = max === 1 ? 'one instance at a time' : 'starting the new instance before stopping the old one';
  return {
    title: `Release ${c.id} ${how} (strategy: rolling, max-unavailable: ${max})`,
    edits,
    applicability: 'unsafe',
  };
}

export const disruptiveDeploy = defineRule({
  meta: {
    id: 'disruptive-deploy',
    severity: 'warning',
    summary: 'a component on an entry point’s required path whose release stops all its serving instances together',
    rationale:
      'Releases are the most frequent planned event in a system’s life — daily, or many times a day. A ' +
      '`recreate` release stops every old instance before the new ones start, and a rolling release allowed to ' +
      'take down as many instances as the component runs does the same: every release is an outage, of every ' +
      'entry point that requires the component, for as long as the new instances take to start and pass their ' +
      'health checks. Redundancy that a routine deploy switches off is not redundancy. Roll out a few instances ' +
      'at a time (or blue-green: start the new set beside the old), so the others keep serving.',
    fix: 'unsafe',
    messages: {
      recreate:
        '{{id}} is released with strategy: recreate: every release stops all {{instances}} of its instances before ' +
        'new ones start, an outage of {{entries}}; roll out with strategy: rolling and max-unavailable: {{target}}',
      allUnavailable:
        '{{id}} is released with max-unavailable: {{max}} but runs {{instances}} instance{{plural}}: every release ' +
        'stops all of them together, an outage of {{entries}}; roll out with max-unavailable: {{target}}',
    },
  },
  check(ctx) {
    for (const c of ctx.model.components.values()) {
      const deploy = c.deploy;
      if (!deploy || c.kind === 'external' || c.replicas === 0 || countUnknown(c)) continue;
      // Blue-green starts a whole new set beside the old one; `max-unavailable` means nothing to it.
      if (deploy.strategy === 'blue-green') continue;
      const recreate = deploy.strategy === 'recreate';
      // Unstated is unknown: a rolling release with no `max-unavailable` is not assumed to stop everything.
      if (!recreate && (deploy.maxUnavailable === undefined || deploy.maxUnavailable < c.replicas)) continue;
      // The entry points that go down while every instance is stopped (an entry point is on its own path).
      const entries = blastRadius(ctx.graph, c.id);
      if (entries.length === 0) continue;
      ctx.report({
        messageId: recreate ? 'recreate' : 'allUnavailable',
        data: {
          id: c.id,
          instances: c.replicas,
          plural: c.replicas === 1 ? '' : 's',
          max: deploy.maxUnavailable ?? '',
          target: c.replicas >= 2 ? 1 : 0,
          entries: entries.map((e) => (e === c.id ? `${e} (itself an entry point)` : e)).join(', '),
        },
        // Both keys are written: the model read the value from them.
        range: ctx.written.rangeAt(['components', c.id, 'deploy', recreate ? 'strategy' : 'max-unavailable']),
        component: c.id,
        related: entries.map((e) => ({ range: ctx.component(e)!.idRange, message: `entry point ${e} requires ${c.id}` })),
        fixes: [() => rollingFix(ctx, c)],
      });
    }
  },
});
