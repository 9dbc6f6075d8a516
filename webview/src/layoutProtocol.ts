import type { DiagramElkGraph } from '../../extension/src/diagram/elkGraph';

/** A layout job for the worker; `id` pairs it with its answer. */
export interface LayoutRequest {
  id: number;
  graph: DiagramElkGraph;
}

/** The worker's answer: the laid-out graph, or why it could not be laid out. */
export type LayoutResponse = { id: number; graph: DiagramElkGraph } | { id: number; error: string };
