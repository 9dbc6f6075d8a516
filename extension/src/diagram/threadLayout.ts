import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { isLayoutResponse, type LayoutRequest } from '../protocol';
import { simpleLayoutNote, snapshotToElk, type DiagramElkGraph, type Direction } from './elkGraph';
import { adoptLayout } from './layout';
import { simpleLayout } from './simpleLayout';
import type { DiagramSnapshot } from '../engine';

/** The layout thread's heap: a tangled graph can make ELK take gigabytes; past this it is stopped like a late one. */
const LAYOUT_HEAP_MB = 1024;

export interface LayoutBudget {
  /** Milliseconds ELK may take once asked; then the simplest layout is drawn, with a note saying so. */
  budgetMs: number;
  /** A thread started ahead ({@link LayoutThread.start}); by default one is started now. */
  thread?: LayoutThread;
}

/**
 * The laid-out graph of `snapshot`, as the CLI draws it: in the mode its size calls for, never
 * taking much longer than `budgetMs`. ELK runs synchronously, so it runs in a worker thread
 * that is terminated when the budget runs out (or its heap limit is reached, or it fails); the
 * picture is then drawn with the simplest layout and a note saying why. A graph too large for
 * ELK gets the simplest layout at once. The thread is stopped before this returns.
 */
export async function layoutSnapshot(
  snapshot: DiagramSnapshot,
  direction: Direction,
  { budgetMs, thread }: LayoutBudget,
): Promise<DiagramElkGraph> {
  const graph = snapshotToElk(snapshot, direction);
  if (graph.archlint.mode === 'simple') {
    thread?.stop();
    return simpleLayout(graph);
  }
  const outcome = await (thread ?? LayoutThread.start()).layout(graph, budgetMs);
  if (typeof outcome !== 'string') return outcome;
  return simpleLayout(snapshotToElk(snapshot, direction, { mode: 'simple', note: outcome }));
}

/**
 * ELK in a worker thread, for one layout. Started ahead of its graph, it loads ELK while the
 * CLI reads and lints the file. ELK is not in the CLI's own bundle: every other command would
 * pay for loading it.
 */
export class LayoutThread {
  private stopped = false;
  /** Why the thread cannot lay out, once something went wrong before it was asked to. */
  private failure: string | undefined;
  /** Takes the thread's outcome while a layout waits for it. */
  private waiting: ((outcome: DiagramElkGraph | string) => void) | undefined;
  private answer: ((message: unknown) => void) | undefined;

  private constructor(private readonly worker: Worker) {
    // Never the reason the process stays up: an unused or forgotten thread dies with it.
    worker.unref();
    // Listened to from the start: a thread that fails while the file is still being linted must
    // not be an unhandled 'error' event.
    worker.on('message', (message: unknown) => this.answer?.(message));
    worker.on('error', (error: NodeJS.ErrnoException) =>
      this.fail(
        simpleLayoutNote(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { failed: `it needed more than ${LAYOUT_HEAP_MB} MB` }
            : { failed: error.message },
        ),
      ),
    );
    worker.on('exit', () => this.fail(simpleLayoutNote({ failed: 'its thread stopped' })));
  }

  /** Starts the thread (dist/layoutThread.js unless `script` says otherwise). */
  static start(script: string = threadScript()): LayoutThread {
    return new LayoutThread(new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: LAYOUT_HEAP_MB } }));
  }

  /** The laid-out graph, or the note to draw the simplest layout with; the thread is stopped after it. */
  layout(graph: DiagramElkGraph, budgetMs: number): Promise<DiagramElkGraph | string> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(simpleLayoutNote({ budgetMs })), budgetMs);
      const settle = (outcome: DiagramElkGraph | string) => {
        if (this.waiting !== settle) return;
        this.waiting = this.answer = undefined;
        clearTimeout(timer);
        this.stop();
        resolve(outcome);
      };
      this.waiting = settle;
      if (this.stopped || this.failure !== undefined)
        return settle(this.failure ?? simpleLayoutNote({ failed: 'its thread stopped' }));
      this.answer = (message) => {
        if (!isLayoutResponse(message) || message.id !== 1)
          return settle(simpleLayoutNote({ failed: 'its answer was malformed' }));
        if ('error' in message) return settle(simpleLayoutNote({ failed: message.error }));
        settle(adoptLayout(graph, message.graph) ?? simpleLayoutNote({ failed: 'its answer was malformed' }));
      };
      this.worker.postMessage({ id: 1, graph } satisfies LayoutRequest);
    });
  }

  /** Stops the thread, wherever it is. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.worker.terminate();
  }

  private fail(note: string): void {
    this.failure ??= note;
    this.waiting?.(note);
  }
}

/**
 * dist/layoutThread.js: beside the running bundle (dist/cli.js), or, running from the sources
 * (the in-process tests), in the checkout's dist/ that `npm run build` made.
 */
function threadScript(): string {
  const candidates = [join(__dirname, 'layoutThread.js'), join(__dirname, '..', '..', '..', 'dist', 'layoutThread.js')];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`the layout thread is missing (${candidates[0]}); run npm run build`);
  return found;
}
