import type { Offsets } from '../types';

/** Whether `offset` is inside `range` or touches its end (a cursor right after a word is on it). */
export function touches(range: Offsets, offset: number): boolean {
  return range[0] <= offset && offset <= range[1];
}
