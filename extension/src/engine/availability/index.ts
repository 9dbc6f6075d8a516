import type { Graph } from '../model/graph';
import type { Architecture } from '../model/model';
import type { AvailabilityReport } from './types';

/** Exact availability of every entry point. (Implemented by the availability work.) */
export function computeAvailability(_model: Architecture, _graph: Graph): AvailabilityReport {
  return { entries: [], components: new Map(), notes: [] };
}
