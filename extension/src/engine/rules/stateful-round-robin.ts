import { addSessionCache, newSessionCacheId, sessionStoreCandidates, setSessionStore } from '../fix/sessions';
import type { Component } from '../model/model';
import { balancedRoutes, balancingOf, isPool, keepsStateInInstance, NON_AFFINITY } from '../model/pools';
import type { Fix, RelatedLocation } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/**
 * Every fix changes where the state lives, which only the user can confirm, so all are unsafe:
 * one per existing cache or database, and a new `sessions` cache when there is no cache at all.
 * Each is its own builder: one that cannot be made (a source that cannot add a component) leaves the others.
 */
function fixesFor(ctx: RuleContext, pool: Component): (() => Fix)[] {
  const stores = sessionStoreCandidates(ctx).filter((s) => s.id !== pool.id);
  const builders = stores.map((store) => (): Fix => ({
    title: `Set session-store: ${store.id} on ${pool.id} (keep its sessions in that ${store.kind})`,
    edits: [setSessionStore(ctx, pool, store.id)],
    applicability: 'unsafe',
  }));
  if (!stores.some((s) => s.kind === 'cache')) {
    builders.push((): Fix => {
      const id = newSessionCacheId(ctx);
      return {
        title: `Add a ${id} cache component and keep ${pool.id}'s sessions there`,
        // Same offset when the pool is the last component: the pool's new key must come first.
        edits: [setSessionStore(ctx, pool, id), addSessionCache(ctx, id, pool)],
        applicability: 'unsafe',
      };
    });
  }
  return builders;
}

export const statefulRoundRobin = defineRule({
  meta: {
    id: 'stateful-round-robin',
    severity: 'error',
    summary: 'a pool that keeps state in its instances behind a balancer without affinity',
    rationale:
      'A balancer without affinity (round-robin, least-connections, random) sends each request to whichever ' +
      'instance it picks, so a user whose session, upload or cart sits in one instance’s memory or disk lands on ' +
      'another instance next time and finds it gone: logged out, an empty cart, a failed upload. It gets worse as ' +
      'the pool grows, and every deploy or autoscaling step loses state outright. Keeping the state in a shared ' +
      'store (`session-store`) makes every instance able to serve every request again, which is what lets the pool ' +
      'scale out and lose an instance without anyone noticing.',
    fix: 'unsafe',
    messages: {
      statefulPool:
        '{{pool}} keeps state {{state}} on each of its {{instances}} instances, but {{balancer}} balances {{balancing}}: ' +
        'a user’s next request lands where their state is not; set a session-store',
    },
  },
  check(ctx) {
    const byPool = new Map<
      string,
      { pool: Component; related: RelatedLocation[]; first: { balancer: string; balancing: string } }
    >();
    for (const { balancer, pool, route } of balancedRoutes(ctx.model)) {
      const balancing = balancingOf(balancer);
      if (!NON_AFFINITY.includes(balancing) || !isPool(pool) || !keepsStateInInstance(pool) || !pool.keys.state) continue;
      const entry = byPool.get(pool.id) ?? { pool, related: [], first: { balancer: balancer.id, balancing } };
      const how = balancer.balancing ? balancing : 'round-robin (the default)';
      entry.related.push({ range: route.range, message: `${balancer.id} routes here ${how}, without affinity` });
      byPool.set(pool.id, entry);
    }
    for (const { pool, related, first } of byPool.values()) {
      ctx.report({
        messageId: 'statefulPool',
        data: {
          pool: pool.id,
          state: pool.state === 'in-memory' ? 'in memory' : 'on local disk',
          instances: pool.autoscale && pool.autoscale.max > pool.replicas ? `up to ${pool.autoscale.max}` : pool.replicas,
          balancer: first.balancer,
          balancing: first.balancing,
        },
        range: pool.keys.state!.value,
        component: pool.id,
        related,
        fixes: fixesFor(ctx, pool),
      });
    }
  },
});
