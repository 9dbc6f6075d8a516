import { roundRobinFix } from '../fix/sessions';
import type { Component } from '../model/model';
import { AFFINITY, balancedRoutes, isPool } from '../model/pools';
import type { RelatedLocation } from '../types';
import { defineRule } from './define';

export const stickySessions = defineRule({
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
    fix: 'unsafe',
    messages: {
      sticky:
        '{{balancer}} balances with {{balancing}} affinity to {{pools}}: losing one instance loses its users’ sessions, ' +
        'and load is uneven; balance round-robin and keep sessions in a session-store',
    },
  },
  check(ctx) {
    // By the balancer itself: a platform's (kube-proxy) is one per pool, and all have the platform's name.
    const byBalancer = new Map<Component, { balancer: Component; pools: Component[]; related: RelatedLocation[] }>();
    for (const { balancer, pool, route } of balancedRoutes(ctx.model)) {
      if (!balancer.balancing || !AFFINITY.includes(balancer.balancing) || !isPool(pool)) continue;
      const entry = byBalancer.get(balancer) ?? { balancer, pools: [], related: [] };
      if (entry.pools.includes(pool)) continue;
      entry.pools.push(pool);
      entry.related.push({
        range: route.range,
        message: `${pool.id} has ${pool.replicas > 1 ? pool.replicas : 'up to ' + pool.autoscale?.max} instances`,
      });
      byBalancer.set(balancer, entry);
    }
    for (const { balancer, pools, related } of byBalancer.values()) {
      ctx.report({
        messageId: 'sticky',
        data: { balancer: balancer.id, balancing: balancer.balancing!, pools: pools.map((p) => p.id).join(', ') },
        range: balancer.keys.balancing?.value ?? balancer.idRange,
        // A platform balancer is no component: the finding is the pool's.
        component: ctx.model.components.get(balancer.id) === balancer ? balancer.id : pools[0]!.id,
        related,
        fixes: [() => roundRobinFix(ctx, balancer, pools)],
      });
    }
  },
});
