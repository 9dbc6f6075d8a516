/**
 * Fix pieces shared by the rules about sessions (`stateful-round-robin`, `sticky-sessions`):
 * keep a pool's state in a shared store, choosing an existing one or adding a `sessions` cache.
 */
import type { Component } from '../model/model';
import type { RuleContext } from '../rules/types';
import type { TextEdit } from '../types';
import { addComponent, flow, insertEntries, replaceValue } from './yamlEdits';

/** Components that can hold sessions, caches first (the usual home of sessions), then databases. */
export function sessionStoreCandidates(ctx: RuleContext): Component[] {
  const all = [...ctx.model.components.values()];
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
