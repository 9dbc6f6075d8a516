/**
 * Fix pieces shared by the rules about sessions (`stateful-round-robin`, `sticky-sessions`,
 * `ip-hash-behind-proxy`): keep a pool's state in a shared store, choosing an existing one or
 * adding a `sessions` cache, and balance without affinity.
 */
import type { Component } from '../model/model';
import { keepsStateInInstance } from '../model/pools';
import type { RuleContext } from '../rules/types';
import type { Fix, TextEdit } from '../types';
import { addComponent, flow, insertEntries, replaceValue } from './yamlEdits';

/**
 * Components that can hold sessions, caches first (the usual home of sessions), then databases.
 * A component that routes requests on (a CDN is a cache in front of the system) is a proxy, not a store.
 */
export function sessionStoreCandidates(ctx: RuleContext): Component[] {
  const all = [...ctx.model.components.values()].filter((c) => c.routesTo.length === 0);
  return [...all.filter((c) => c.kind === 'cache'), ...all.filter((c) => c.kind === 'database')];
}

/** `session-store: <store>` on the pool (replacing a value that is there, e.g. one naming nothing). */
export function setSessionStore(ctx: RuleContext, pool: Component, store: string): TextEdit {
  const path = ['components', pool.id];
  return pool.keys['session-store']
    ? replaceValue(ctx, [...path, 'session-store'], store)
    : insertEntries(ctx, path, [['session-store', store]]);
}

/** A free id for a new sessions cache: `sessions`, else `sessions-cache`, `sessions-2`, … */
export function newSessionCacheId(ctx: RuleContext): string {
  const taken = (id: string) => ctx.model.components.has(id);
  if (!taken('sessions')) return 'sessions';
  if (!taken('sessions-cache')) return 'sessions-cache';
  let n = 2;
  while (taken(`sessions-${n}`)) n++;
  return `sessions-${n}`;
}

/**
 * A new cache for sessions: two replicas (one would be a single point of failure the fix itself
 * made), spread over two declared zones when the file declares zones (the pool's own first).
 */
export function addSessionCache(ctx: RuleContext, id: string, near: Component): TextEdit {
  const declared = [...ctx.model.zones.keys()];
  const zones = [...new Set([...near.zones.map((z) => z.id).filter((z) => declared.includes(z)), ...declared])].slice(0, 2);
  const body: Record<string, unknown> = { kind: 'cache', replicas: 2 };
  if (zones.length >= 2) body.zones = flow(zones);
  return addComponent(ctx, id, body);
}

/**
 * Switch to round-robin and, for every pool that would then lose its users' state, keep that state
 * in the first existing cache (else a new `sessions` cache). Unsafe: it changes how traffic and state move.
 */
export function roundRobinFix(ctx: RuleContext, balancer: Component, pools: readonly Component[]): Fix | undefined {
  try {
    // A platform's balancer (kube-proxy) is no component: its affinity is written as its pool's `balancing`.
    const platform = ctx.model.components.get(balancer.id) !== balancer;
    const owner = platform ? pools[0]!.id : balancer.id;
    const edits: TextEdit[] = [replaceValue(ctx, ['components', owner, 'balancing'], 'round-robin')];
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
    const which = platform ? ` for ${owner}` : '';
    return { title: `Switch ${balancer.id}${which} to round-robin${note}`, edits, applicability: 'unsafe' };
  } catch {
    return undefined; // A shape the edit helpers cannot handle: the finding stands without a fix.
  }
}
