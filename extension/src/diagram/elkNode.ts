import ELK from 'elkjs/lib/elk.bundled.js';
import type { DiagramElkGraph } from './elkGraph';
import { layoutWith, type ElkLike } from './layout';

let shared: ElkLike | undefined;

/**
 * Lays out in this thread with the bundled ELK (Node: the CLI, tests, the benchmark).
 * The webview never uses this: it runs ELK in a worker (webview/src/layoutWorker.ts).
 */
export function layout(graph: DiagramElkGraph): Promise<DiagramElkGraph> {
  shared ??= new ELK();
  return layoutWith(shared, graph);
}
