import { flow, insertEntries } from '../fix/yamlEdits';
import type { Component } from '../model/model';
import type { Fix, Offsets } from '../types';
import { noteOn, type RuleContext } from './types';
import { defineRule } from './define';

/** The limit the fix writes: the product's example, a starting point to tune, not a measured value. */
const DEFAULT_ANONYMOUS_LIMIT = '60/min';

/**
 * Adds `anonymous: 60/min` to the existing `rate-limit`, or a `rate-limit` block. Unsafe: it
 * starts rejecting callers, at a number someone has to choose.
 */
function limitFix(ctx: RuleContext, c: Component): Fix | undefined {
  const path = ['components', c.id];
  const edit = c.keys['rate-limit']
    ? insertEntries(ctx, [...path, 'rate-limit'], [['anonymous', DEFAULT_ANONYMOUS_LIMIT]])
    : insertEntries(ctx, path, [['rate-limit', flow({ anonymous: DEFAULT_ANONYMOUS_LIMIT })]]);
  return {
    title: `Limit anonymous callers of ${c.id} (anonymous: ${DEFAULT_ANONYMOUS_LIMIT})`,
    edits: [edit],
    applicability: 'unsafe',
  };
}

export const anonymousRateLimit = defineRule({
  meta: {
    id: 'anonymous-rate-limit',
    severity: 'warning',
    summary: 'a public entry point without a rate limit for anonymous callers',
    rationale:
      'Whatever reaches a public entry point can be called by anyone, as often as they like: a scraper, a ' +
      'misbehaving client in a retry loop, a credential-stuffing script or a small denial of service. Without a ' +
      'limit per anonymous caller the only limit is the capacity of the system, so one caller can use it up and ' +
      'every other user sees the outage; autoscaling only makes that outage more expensive. A limit per caller ' +
      '(per IP address) sheds the abuse at the edge and keeps the capacity for everyone else.',
    fix: 'unsafe',
    messages: {
      noLimit:
        '{{id}} is a public entry point without a rate limit: one anonymous caller can use up its capacity; set rate-limit.anonymous{{note}}',
      noAnonymousLimit:
        '{{id}} sets no rate limit for anonymous callers: one of them can use up its capacity; set rate-limit.anonymous{{note}}',
    },
  },
  check(ctx) {
    for (const id of ctx.graph.entryPoints) {
      const c = ctx.component(id);
      if (!c || !c.public || c.kind === 'external') continue;
      // A written `anonymous` with a value the schema rejects is the schema's finding, not a missing limit.
      if (ctx.written.writes(['components', c.id, 'rate-limit'], 'anonymous')) continue;
      // A `rate-limit` written with no mapping under it is the schema's finding, not a second one here.
      if (c.keys['rate-limit'] && !c.rateLimit) continue;
      const limits = c.keys['rate-limit'];
      // At the `rate-limit` that leaves anonymous callers out, else at `public: true`, which is what makes one necessary.
      const range: Offsets = limits?.key ?? c.keys.public?.value ?? c.idRange;
      ctx.report({
        messageId: limits ? 'noAnonymousLimit' : 'noLimit',
        data: { id: c.id, note: noteOn(c, 'rate-limit') },
        range,
        component: c.id,
        fixes: [() => limitFix(ctx, c)],
      });
    }
  },
});
