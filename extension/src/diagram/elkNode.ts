import ELK from 'elkjs/lib/elk.bundled.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { isLayoutResponse, type LayoutRequest } from '../protocol';
import { simpleLayoutNote, snapshotToElk, type DiagramElkGraph, type Direction } from './elkGraph';
import { adoptLayout, layoutWith, type ElkLike } from './layout';
import { simpleLayout } from './simpleLayout';
import type { DiagramSnapshot } from './snapshot';

let shared: ElkLike | undefined;

/**
 * Lays out in this thread with the bundled ELK (tests, the benchmark), with no time limit: ELK
 * runs synchronously, so nothing can stop it once it starts. The CLI uses {@link layoutSnapshot};
 * the webview runs ELK in a worker (webview/src/layoutWorker.ts).
 */
export function layout(graph: DiagramElkGraph): Promise<DiagramElkGraph> {
  if (graph.archlint.mode === 'simple') return Promise.resolve(simpleLayout(graph));
  shared ??= new ELK();
  return layoutWith(shared, graph);
}

/** The layout thread's heap: a tangled graph can make ELK take gigabytes; past this it is stopped like a late one. */
const LAYOUT_HEAP_MB = 1024;

export interface LayoutBudget {
  /** Milliseconds ELK may take, its start included; then the simplest layout is drawn, with a note saying so. */
  budgetMs: number;
  /** The layout thread's script; by default dist/layoutThread.js beside the running bundle. */
  script?: string;
}

/**
 * The laid-out graph of `snapshot`, in the mode its size calls for, never taking much longer
 * than `budgetMs`: ELK runs in a worker thread that is terminated when the budget runs out (or
 * its heap limit is reached, or it fails), and the picture is then drawn with the simplest
 * layout and a note saying why. A graph too large for ELK gets the simplest layout at once.
 */
export async function layoutSnapshot(
  snapshot: DiagramSnapshot,
  direction: Direction,
  { budgetMs, script = besideThisBundle('layoutThread.js') }: LayoutBudget,
): Promise<DiagramElkGraph> {
  const graph = snapshotToElk(snapshot, direction);
  if (graph.archlint.mode === 'simple') return simpleLayout(graph);
  // Running from source (the in-process tests), there is no thread script: lay out here, unbounded.
  if (script === undefined || !existsSync(script)) return layout(graph);
  const outcome = await inThread(graph, script, budgetMs);
  if (typeof outcome !== 'string') return outcome;
  return simpleLayout(snapshotToElk(snapshot, direction, { mode: 'simple', note: outcome }));
}

/** The laid-out graph, or the note to draw the simplest layout with. */
function inThread(graph: DiagramElkGraph, script: string, budgetMs: number): Promise<DiagramElkGraph | string> {
  return new Promise((resolve) => {
    const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: LAYOUT_HEAP_MB } });
    let settled = false;
    const settle = (outcome: DiagramElkGraph | string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle(simpleLayoutNote({ budgetMs })), budgetMs);
    worker.on('message', (message: unknown) => {
      if (!isLayoutResponse(message) || message.id !== 1) return settle(simpleLayoutNote({ failed: 'its answer was malformed' }));
      if ('error' in message) return settle(simpleLayoutNote({ failed: message.error }));
      settle(adoptLayout(graph, message.graph) ?? simpleLayoutNote({ failed: 'its answer was malformed' }));
    });
    worker.on('error', (error: NodeJS.ErrnoException) =>
      settle(
        simpleLayoutNote(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { failed: `it needed more than ${LAYOUT_HEAP_MB} MB` }
            : { failed: error.message },
        ),
      ),
    );
    worker.on('exit', () => settle(simpleLayoutNote({ failed: 'its thread stopped' })));
    worker.postMessage({ id: 1, graph } satisfies LayoutRequest);
  });
}

/** `name` in the folder of the running bundle (dist/), when this module runs bundled as CommonJS. */
function besideThisBundle(name: string): string | undefined {
  return typeof __dirname === 'string' ? join(__dirname, name) : undefined;
}
