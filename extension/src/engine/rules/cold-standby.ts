import { countUnknown } from '../model/pools';
import { removeEntry, replaceValue } from '../fix/yamlEdits';
import { blastRadius } from '../model/graph';
import type { Component } from '../model/model';
import type { Fix, TextEdit } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/** A duration in seconds as people write it back: `45m`, `2h`, `30s`. */
function formatDuration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * `standby: hot`, and the `takeover` time goes with the cold standby it described. Unsafe: a hot
 * standby is a second machine running (and replicating) all the time.
 */
function hotStandbyFix(ctx: RuleContext, c: Component): Fix | undefined {
  const path = ['components', c.id, 'failover'];
  const edits: TextEdit[] = [replaceValue(ctx, [...path, 'standby'], 'hot')];
  if (c.failover?.takeover !== undefined) edits.push(removeEntry(ctx, path, 'takeover'));
  return { title: `Use a hot standby for ${c.id} (standby: hot)`, edits, applicability: 'unsafe' };
}

export const coldStandby = defineRule({
  meta: {
    id: 'cold-standby',
    severity: 'warning',
    summary: 'a component on a required path that fails over to a standby that must be started first',
    rationale:
      'A cold standby is a machine (or a backup) that has to be started, restored or promoted before it serves: ' +
      'until it has, the component is down, and so is every entry point that requires it. Every failure of the ' +
      'serving instance costs the whole takeover time — minutes to an hour, often at night and by hand — so the ' +
      'standby buys recovery, not availability. A hot standby runs and stays in sync, and takes over in seconds; ' +
      'spare serving instances make a failover unnecessary in the first place.',
    fix: 'unsafe',
    messages: {
      cold: '{{id}} fails over to a cold standby{{takeover}}: every failure of a serving instance takes down {{entries}} until the standby is up; use a hot standby',
    },
  },
  check(ctx) {
    for (const c of ctx.model.components.values()) {
      if (c.failover?.standby !== 'cold' || c.kind === 'external' || c.replicas === 0 || countUnknown(c)) continue;
      // With more serving instances than it needs, a failure leaves the others serving while the standby starts.
      const needed = ctx.availability.components.get(c.id)?.needed ?? 1;
      if (c.replicas > needed) continue;
      const entries = blastRadius(ctx.graph, c.id);
      if (entries.length === 0) continue;
      const takeover = c.failover.takeover;
      ctx.report({
        messageId: 'cold',
        data: {
          id: c.id,
          takeover: takeover === undefined ? '' : ` (takeover ${formatDuration(takeover)})`,
          // A component that is itself an entry point takes down at least itself: say so.
          entries: entries.map((e) => (e === c.id ? `${e} (itself an entry point)` : e)).join(', '),
        },
        range: ctx.written.rangeAt(['components', c.id, 'failover', 'standby']),
        component: c.id,
        related: entries.map((e) => ({ range: ctx.component(e)!.idRange, message: `entry point ${e} requires ${c.id}` })),
        fixes: [() => hotStandbyFix(ctx, c)],
      });
    }
  },
});
