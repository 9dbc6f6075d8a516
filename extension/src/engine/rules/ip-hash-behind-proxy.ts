import { roundRobinFix } from '../fix/sessions';
import type { Edge } from '../model/graph';
import type { Component } from '../model/model';
import { isBalancer, isPool, maxInstances } from '../model/pools';
import { defineRule } from './define';

/** Kinds that forward requests from their own addresses: a load balancer, and a cache (a CDN is one). */
const PROXY_KINDS: readonly Component['kind'][] = ['load-balancer', 'cache'];

/** How the hash spreads the proxies' addresses over one pool, in words. */
function spreadOver(pool: Component, addresses: number): string {
  const instances = maxInstances(pool);
  return addresses < instances
    ? `at most ${addresses} of ${pool.id}’s ${instances} instances`
    : `a few of ${pool.id}’s instances, unevenly`;
}

export const ipHashBehindProxy = defineRule({
  meta: {
    id: 'ip-hash-behind-proxy',
    severity: 'warning',
    summary: 'a balancer that hashes client addresses (`ip-hash`) but receives its requests from a proxy',
    rationale:
      '`ip-hash` picks an instance from the client’s IP address, assuming many clients with many addresses. ' +
      'Behind another load balancer or a CDN the only clients are the proxy’s own instances: every request ' +
      'arrives from a handful of addresses, so the hash sends all users to a handful of instances — the rest of ' +
      'the pool idles, the busy ones overload, and scaling out adds instances that get no traffic. When a proxy ' +
      'instance is replaced, its share of the users moves at once. Balance without affinity, and keep sessions ' +
      'in a session-store so any instance can serve any request.',
    fix: 'unsafe',
    messages: {
      proxied:
        '{{id}} balances by ip-hash, but {{proxies}} {{verb}} to it directly: every request arrives from ' +
        '{{addresses}} proxy address{{plural}}, so the hash sends all users to {{spread}}; balance without ' +
        'affinity and keep sessions in a session-store',
    },
  },
  check(ctx) {
    let edgesInto: Map<string, Edge[]> | undefined;
    const indexEdges = () => {
      const out = new Map<string, Edge[]>();
      for (const e of ctx.graph.edges) {
        const list = out.get(e.to);
        if (list) list.push(e);
        else out.set(e.to, [e]);
      }
      return out;
    };
    for (const balancer of ctx.model.components.values()) {
      if (balancer.balancing !== 'ip-hash' || !isBalancer(balancer)) continue;
      const pools = balancer.routesTo.flatMap((r) => {
        const pool = ctx.component(r.id);
        return pool && pool.id !== balancer.id && isPool(pool) ? [pool] : [];
      });
      const uniquePools = [...new Set(pools)];
      if (uniquePools.length === 0) continue;
      // Routed to, or depended on (a CDN pulling from its origin): either way the requests come from the proxy.
      const edges = ((edgesInto ??= indexEdges()).get(balancer.id) ?? []).filter(
        (e) => e.from !== balancer.id && PROXY_KINDS.includes(ctx.component(e.from)!.kind),
      );
      if (edges.length === 0) continue;
      const proxies = [...new Set(edges.map((e) => e.from))].map((id) => ctx.component(id)!);
      const addresses = proxies.reduce((sum, p) => sum + maxInstances(p), 0);
      ctx.report({
        messageId: 'proxied',
        data: {
          id: balancer.id,
          proxies: proxies.map((p) => p.id).join(', '),
          verb: proxies.length === 1 ? 'sends its requests' : 'send their requests',
          addresses,
          plural: addresses === 1 ? '' : 'es',
          spread: uniquePools.map((p) => spreadOver(p, addresses)).join(' and '),
        },
        range: balancer.keys.balancing?.value ?? balancer.idRange,
        component: balancer.id,
        related: edges.map((e) => ({ range: e.range, message: `${e.from} forwards every request to ${balancer.id}` })),
        fixes: [() => roundRobinFix(ctx, balancer, uniquePools)],
      });
    }
  },
});
