import ELK from 'elkjs/lib/elk.bundled.js';
import type { DiagramElkGraph } from './elkGraph';
import { layoutWith, type ElkLike } from './layout';
import { simpleLayout } from './simpleLayout';

let shared: ElkLike | undefined;

/**
 * Lays out in this thread with the bundled ELK (tests, the benchmark), with no time limit: ELK
 * runs synchronously, so nothing can stop it once it starts. The CLI lays out in a worker thread
 * (`layoutSnapshot`, ./threadLayout.ts), the webview in a web worker (webview/src/layoutWorker.ts).
 */
export function layout(graph: DiagramElkGraph): Promise<DiagramElkGraph> {
  if (graph.archlint.mode === 'simple') return Promise.resolve(simpleLayout(graph));
  shared ??= new ELK();
  return layoutWith(shared, graph);
}
