import { flow, insertEntries } from '../fix/yamlEdits';
import type { Component, Kind } from '../model/model';
import { balancedRoutes, type BalancedRoute } from '../model/pools';
import type { Fix, RelatedLocation } from '../types';
import { noteOn, type RuleContext } from './types';
import { defineRule } from './define';

/** Kinds that answer HTTP, so a probe path means something; the others get a liveness interval only. */
const HTTP_KINDS: readonly Kind[] = ['service', 'load-balancer'];

/** Why a component needs a health check: who would keep sending it traffic, or acting on it, blind. */
function reasons(
  c: Component,
  allRoutes: readonly BalancedRoute[],
): { messageId: string; data: Record<string, string>; related: RelatedLocation[] } | undefined {
  const routes = allRoutes.filter((r) => r.pool.id === c.id);
  if (routes.length > 0) {
    return {
      messageId: 'routed',
      data: { id: c.id, balancer: routes[0]!.balancer.id, note: noteOn(c, 'health-check') },
      related: routes.map((r) => ({ range: r.route.range, message: `${r.balancer.id} routes here` })),
    };
  }
  if (c.autoscale && c.keys.autoscale) {
    return {
      messageId: 'autoscaled',
      data: { id: c.id },
      related: [{ range: c.keys.autoscale.key, message: `${c.id} autoscales` }],
    };
  }
  if (c.failover && c.keys.failover) {
    return {
      messageId: 'failover',
      data: { id: c.id },
      related: [{ range: c.keys.failover.key, message: `${c.id} fails over` }],
    };
  }
  return undefined;
}

/** Safe: adding a probe changes no other setting, and every balancer and orchestrator wants one. */
function insertFix(ctx: RuleContext, c: Component): Fix {
  const check = HTTP_KINDS.includes(c.kind) ? { path: '/healthz', interval: '10s' } : { interval: '10s' };
  const edit = insertEntries(ctx, ['components', c.id], [['health-check', flow(check)]]);
  return { title: `Add a health check to ${c.id}`, edits: [edit], applicability: 'safe' };
}

export const missingHealthCheck = defineRule({
  meta: {
    id: 'missing-health-check',
    severity: 'warning',
    summary: 'a balanced, autoscaled or failing-over component without a `health-check`',
    rationale:
      'Redundancy only helps if something notices the failure. A load balancer keeps sending a share of requests ' +
      'to an instance that hangs or returns errors unless a health check takes it out of rotation; an autoscaler ' +
      'cannot replace an instance it believes is fine; a failover never triggers for a primary that is up but not ' +
      'serving. Without a health check, N replicas fail like one: every dead instance turns into errors for the ' +
      'users routed to it until a person intervenes.',
    fix: 'safe',
    messages: {
      routed: '{{id}} has no health-check: {{balancer}} keeps sending requests to an instance that is down{{note}}',
      autoscaled: '{{id}} has no health-check: its autoscaler cannot replace an instance that is down',
      failover: '{{id}} has no health-check: its failover cannot tell when to take over',
    },
  },
  check(ctx) {
    const routes = balancedRoutes(ctx.model);
    for (const c of ctx.model.components.values()) {
      if (c.keys['health-check']) continue;
      const why = reasons(c, routes);
      if (!why) continue;
      const range = ctx.written.missingAt?.(['components', c.id, 'health-check']) ?? c.idRange;
      ctx.report({ ...why, range, component: c.id, fixes: [() => insertFix(ctx, c)] });
    }
  },
});
