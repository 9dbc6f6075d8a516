import { isScalar, isSeq } from 'yaml';
import { replaceScalarAt } from '../fix/yamlEdits';
import type { Component, Reference } from '../model/model';
import { nodeRange, pairOf } from '../parse/parse';
import { didYouMean, editDistance } from '../suggest';
import type { FixBuilder, RuleContext } from './types';
import { defineRule } from './define';

type Where = 'routes-to' | 'depends-on' | 'session-store' | 'owner';

/** Calls `visit` with every component id a component names, and the key it is named under. */
function forEachComponentRef(c: Component, visit: (where: Where, ref: Reference) => void): void {
  for (const r of c.routesTo) visit('routes-to', r);
  for (const d of c.dependsOn) {
    if (d.type === 'component') visit('depends-on', d.target);
    else for (const m of d.members) visit('depends-on', m);
  }
  if (c.sessionStore) visit('session-store', c.sessionStore);
  if (c.owner) visit('owner', c.owner);
}

/** Zones a component names: its `zones`, and each explicit instance's `zone`. */
function zoneRefs(ctx: RuleContext, c: Component): Reference[] {
  const refs = [...c.zones];
  if (c.instances.length === 0) return refs;
  const written = ctx.written.nodeAt(['components', c.id, 'instances']);
  if (written && isSeq(written.node)) {
    const file = c.idRange[2];
    for (const item of written.node.items) {
      const zone = pairOf(written.doc, item, 'zone')?.value;
      if (isScalar(zone) && typeof zone.value === 'string') {
        const [start, end] = nodeRange(zone);
        refs.push({ id: zone.value, range: file === undefined ? [start, end] : [start, end, file] });
      }
    }
  }
  return refs;
}

/** The likely intended names: every candidate as close as the closest one (a tie is not a typo's obvious fix). */
function suggestionsFor(word: string, candidates: readonly string[]): string[] {
  const best = didYouMean(word, candidates);
  if (best === undefined) return [];
  const distance = (c: string) => (c.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word, c));
  return candidates.filter((c) => c !== word && distance(c) === distance(best));
}

/**
 * Safe only for one clear suggestion: the name the user almost wrote, which exists. Several equally
 * close names are each offered as an unsafe quick fix: which one was meant is the user's call.
 */
function renameFixes(ctx: RuleContext, ref: Reference, suggestions: readonly string[]): FixBuilder[] {
  return suggestions.map((s) => () => ({
    title: `Change "${ref.id}" to "${s}"`,
    edits: [replaceScalarAt(ctx, ref.range, s)],
    applicability: suggestions.length === 1 ? ('safe' as const) : ('unsafe' as const),
  }));
}

const hintOf = (suggestions: readonly string[]) =>
  suggestions.length > 0 ? ` — did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';

export const unknownReference = defineRule({
  meta: {
    id: 'unknown-reference',
    severity: 'error',
    summary: 'a reference to a component or zone that the file does not declare',
    rationale:
      'Every arrow of the topology is a name: `routes-to`, `depends-on`, `session-store` and `zones` (and a ' +
      'database’s `owner`). A name that ' +
      'matches nothing is almost always a typo or a component that was renamed, and it silently drops that arrow: ' +
      'the dependency is not counted in the availability, a session store that does not exist looks like one that ' +
      'does, and a zone that is not declared is never failed. So the file would look healthier than the system it ' +
      'describes. Zones are checked against the top-level `zones:` map; a file that lists zones on components but ' +
      'declares none is reported too, because its zone failures are not modelled.',
    fix: 'mixed',
    messages: {
      unknownComponent: '{{where}} of {{component}} names "{{id}}", which is not a component of this file{{hint}}',
      unknownZone: 'zone "{{id}}" of {{component}} is not declared under the top-level zones{{hint}}',
      zonesNotDeclared:
        '{{component}} lists zones, but the file declares none: declare them under a top-level `zones:` map so that a zone failure is counted',
    },
  },
  check(ctx) {
    const componentIds = [...ctx.model.components.keys()];
    const zoneIds = [...ctx.model.zones.keys()];
    const zonesDeclared = ctx.model.zonesRange !== undefined;
    for (const c of ctx.model.components.values()) {
      forEachComponentRef(c, (where, ref) => {
        if (ctx.model.components.has(ref.id)) return;
        const suggestions = suggestionsFor(ref.id, componentIds);
        ctx.report({
          messageId: 'unknownComponent',
          data: { where, component: c.id, id: ref.id, hint: hintOf(suggestions) },
          range: ref.range,
          component: c.id,
          fixes: renameFixes(ctx, ref, suggestions),
        });
      });
      const zones = zoneRefs(ctx, c);
      if (!zonesDeclared && zones.length > 0) {
        ctx.report({
          messageId: 'zonesNotDeclared',
          data: { component: c.id },
          range: c.keys.zones?.value ?? zones[0]!.range,
          component: c.id,
        });
        continue;
      }
      for (const ref of zones) {
        if (ctx.model.zones.has(ref.id)) continue;
        const suggestions = suggestionsFor(ref.id, zoneIds);
        ctx.report({
          messageId: 'unknownZone',
          data: { component: c.id, id: ref.id, hint: hintOf(suggestions) },
          range: ref.range,
          component: c.id,
          fixes: renameFixes(ctx, ref, suggestions),
        });
      }
    }
  },
});
