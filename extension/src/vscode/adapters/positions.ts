import type { LineIndex, Offsets, Position } from '../../engine';

/** A line/column range, as VS Code and LSP count them (0-based, UTF-16). */
export interface PositionRange {
  start: Position;
  end: Position;
}

/** Offsets → positions: the only place the adapters turn engine ranges into editor ranges. */
export function toPositionRange(lines: LineIndex, range: Offsets): PositionRange {
  return { start: lines.position(range[0]), end: lines.position(range[1]) };
}

/** Whether `offset` is inside `range` or touches its end (a cursor right after a word is on it). */
export function touches(range: Offsets, offset: number): boolean {
  return range[0] <= offset && offset <= range[1];
}
