import type { ElkNode } from 'elkjs/lib/elk-api';
import type { DiagramElkGraph } from './elkGraph';

/** The part of ELK's API the diagram uses: the bundled ELK in Node, the worker-backed one in a browser. */
export interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/**
 * Lays out a diagram graph with `elk`. The options travel inside the graph
 * ({@link layoutOptions}), so Node and the webview's worker produce the same picture.
 */
export async function layoutWith(elk: ElkLike, graph: DiagramElkGraph): Promise<DiagramElkGraph> {
  // ELK annotates its input in place; a copy keeps the caller's graph reusable.
  return (await elk.layout(structuredClone(graph))) as DiagramElkGraph;
}
