import { addSessionCache, newSessionCacheId, sessionStoreCandidates, setSessionStore } from '../fix/sessions';
import { replaceValue } from '../fix/yamlEdits';
import type { Component } from '../model/model';
import { AFFINITY, balancedRoutes, isPool, keepsStateInInstance } from '../model/pools';
import type { Fix, RelatedLocation, TextEdit } from '../types';
import type { Rule, RuleContext } from './types';

/**
 * Switch to round-robin and, for every pool that would then lose its users' state, keep that state
 * in the first existing cache (else a new `sessions` cache). Unsafe: it changes how traffic and state move.
 */
function switchFix(ctx: RuleContext, balancer: Component, pools: readonly Component[]): Fix | undefined {
  try {
    const edits: TextEdit[] = [replaceValue(ctx, ['components', balancer.id, 'balancing'], 'round-robin')];
    const stateful = pools.filter(keepsStateInInstance);
    let note = '';
    if (stateful.length > 0) {
      const cache = sessionStoreCandidates(ctx).find((c) => c.kind === 'cache' && !pools.includes(c));
      const store = cache?.id ?? newSessionCacheId(ctx);
      edits.push(...stateful.map((p) => setSessionStore(ctx, p, store)));
      // Added last: when a pool is the last component, its new key goes in before the new component.
      if (!cache) edits.push(addSessionCache(ctx, store, stateful[0]!));
      note = cache ? ` and keep sessions in ${store}` : ` and keep sessions in a new ${store} cache`;
    }
    return { title: `Switch ${balancer.id} to round-robin${note}`, edits, applicability: 'unsafe' };
  } catch {
    return undefined; // A shape the edit helpers cannot handle: the finding stands without a fix.
  }
}

export const stickySessions: Rule = {
  meta: {
    id: 'sticky-sessions',
    severity: 'warning',
    summary: 'a balancer that pins users to one instance of a pool (`ip-hash` or `cookie`)',
    rationale:
      'Sticky sessions hide state in instances instead of removing it. When a pinned instance dies, is redeployed ' +
      'or is scaled in, every user pinned to it loses their session at once; until then load is uneven, because a ' +
      'few heavy users or one office behind a NAT (`ip-hash`) stay on one instance while new instances get only new ' +
      'users. The pool looks redundant but each user depends on exactly one instance. Balance without affinity and ' +
      'keep sessions in a shared store, and any instance can serve any request.',
    examples: {
      bad: [
        'archlint: 1',
        'components:',
        '  edge:',
        '    kind: load-balancer',
        '    replicas: 2',
        '    balancing: cookie      # pins each user to one web instance',
        '    routes-to: [web]',
        '  web:',
        '    kind: service',
        '    replicas: 3',
        '    health-check: { path: /healthz, interval: 10s }',
      ].join('\n'),
      good: [
        'archlint: 1',
        'components:',
        '  edge:',
        '    kind: load-balancer',
        '    replicas: 2',
        '    balancing: round-robin',
        '    routes-to: [web]',
        '  web:',
        '    kind: service',
        '    replicas: 3',
        '    state: in-memory',
        '    session-store: sessions',
        '    health-check: { path: /healthz, interval: 10s }',
        '  sessions:',
        '    kind: cache',
        '    replicas: 2',
      ].join('\n'),
    },
    fix: 'unsafe',
    messages: {
      sticky:
        '{{balancer}} balances with {{balancing}} affinity to {{pools}}: losing one instance loses its users’ sessions, ' +
        'and load is uneven; balance round-robin and keep sessions in a session-store',
    },
  },
  check(ctx) {
    const byBalancer = new Map<string, { balancer: Component; pools: Component[]; related: RelatedLocation[] }>();
    for (const { balancer, pool, route } of balancedRoutes(ctx.model)) {
      if (!balancer.balancing || !AFFINITY.includes(balancer.balancing) || !isPool(pool)) continue;
      const entry = byBalancer.get(balancer.id) ?? { balancer, pools: [], related: [] };
      if (entry.pools.includes(pool)) continue;
      entry.pools.push(pool);
      entry.related.push({
        range: route.range,
        message: `${pool.id} has ${pool.replicas > 1 ? pool.replicas : 'up to ' + pool.autoscale?.max} instances`,
      });
      byBalancer.set(balancer.id, entry);
    }
    for (const { balancer, pools, related } of byBalancer.values()) {
      ctx.report({
        messageId: 'sticky',
        data: { balancer: balancer.id, balancing: balancer.balancing!, pools: pools.map((p) => p.id).join(', ') },
        range: balancer.keys.balancing?.value ?? balancer.idRange,
        component: balancer.id,
        related,
        fixes: () => [switchFix(ctx, balancer, pools)],
      });
    }
  },
};
