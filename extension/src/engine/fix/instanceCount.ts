import type { Component } from '../model/model';
import type { RuleContext } from '../rules/types';
import type { TextEdit } from '../types';
import { insertEntries, replaceValue } from './yamlEdits';

/** How to make a component run `n` instances: the edits, a key to insert, and the change in words. */
export interface InstanceCountChange {
  edits: TextEdit[];
  /** `replicas: n` when the component writes no `replicas`: the caller inserts it (with its other new keys). */
  insert?: [string, number];
  /** `replicas: n` or `autoscale.min: n`, for the fix's title. */
  change: string;
}

/**
 * Edits that make a component run `n` instances: `autoscale.min: n` (and `max: n` when a written
 * `max` is below it) for an autoscaled pool, else `replicas: n`. Undefined for instances listed one
 * by one: adding a machine by hand is the author's decision. Throws what the edit helpers throw on
 * a shape they cannot handle (an alias); the caller's finding then stands without a fix.
 */
export function instanceCountChange(ctx: RuleContext, c: Component, n: number): InstanceCountChange | undefined {
  const path = ['components', c.id];
  if (c.replicasSource === 'instances') return undefined;
  if (c.replicasSource === 'autoscale') {
    const written = (key: string) => ctx.written.writes([...path, 'autoscale'], key);
    const scale: [string, number][] = [['min', n]];
    if (c.autoscale!.max < n && written('max')) scale.push(['max', n]);
    const edits = scale
      .filter(([key]) => written(key))
      .map(([key, value]) => replaceValue(ctx, [...path, 'autoscale', key], value));
    const missing = scale.filter(([key]) => !written(key));
    if (missing.length > 0) edits.push(insertEntries(ctx, [...path, 'autoscale'], missing));
    return { edits, change: `autoscale.min: ${n}` };
  }
  if (c.keys.replicas) return { edits: [replaceValue(ctx, [...path, 'replicas'], n)], change: `replicas: ${n}` };
  return { edits: [], insert: ['replicas', n], change: `replicas: ${n}` };
}

/** {@link instanceCountChange} with `replicas` inserted at once, for a fix that adds no other key. */
export function instanceCountEdits(ctx: RuleContext, c: Component, n: number): { edits: TextEdit[]; change: string } | undefined {
  const set = instanceCountChange(ctx, c, n);
  if (!set) return undefined;
  const edits = set.insert ? [...set.edits, insertEntries(ctx, ['components', c.id], [set.insert])] : set.edits;
  return { edits, change: set.change };
}
