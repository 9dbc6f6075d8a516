import type { DiagramElkGraph } from '../../extension/src/diagram/elkGraph';
import { adoptLayout } from '../../extension/src/diagram/layout';
import { isLayoutResponse, type LayoutRequest } from '../../extension/src/protocol';

/** A layout ran past its budget; its worker was stopped. */
export class LayoutTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super(`the layout did not finish within ${budgetMs} ms`);
  }
}

interface Pending {
  resolve: (graph: DiagramElkGraph) => void;
  reject: (error: Error) => void;
  graph: DiagramElkGraph;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Runs ELK in the layout worker. In VS Code the worker script's URI is on another origin than
 * the page, where `new Worker(uri)` throws: then the script is fetched and started from a blob.
 * A same-origin page (the browser tests) can start it directly; `mode: 'blob'` forces the
 * VS Code path anywhere. ELK cannot be interrupted inside the worker, so a layout past its
 * budget stops the worker; the next layout starts a fresh one.
 */
export class LayoutClient {
  private worker: Promise<Worker> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private triedBlob = false;
  private blobUrl: string | undefined;

  constructor(
    private readonly workerUri: string,
    private mode: 'auto' | 'blob' = 'auto',
  ) {}

  /**
   * Lays out `graph`; rejects when the worker cannot start, ELK fails, the worker's answer is
   * malformed, or (with {@link LayoutTimeout}) `budgetMs` passes first. Only the geometry of
   * the answer is taken; everything else comes from `graph`.
   */
  layout(graph: DiagramElkGraph, budgetMs = Number.POSITIVE_INFINITY): Promise<DiagramElkGraph> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject, graph };
      this.pending.set(id, pending);
      if (Number.isFinite(budgetMs)) pending.timer = setTimeout(() => this.timeOut(id, budgetMs), budgetMs);
      this.send(id, graph);
    });
  }

  /** How the worker was started, for diagnostics and tests. */
  startedFrom: 'url' | 'blob' | undefined;

  private send(id: number, graph: DiagramElkGraph): void {
    this.start().then(
      (worker) => worker.postMessage({ id, graph } satisfies LayoutRequest),
      (error: unknown) => this.fail(id, error),
    );
  }

  private start(): Promise<Worker> {
    this.worker ??= this.create();
    return this.worker;
  }

  private async create(): Promise<Worker> {
    if (this.mode === 'auto') {
      try {
        const worker = new Worker(this.workerUri);
        this.startedFrom = 'url';
        return this.wire(worker);
      } catch {
        // Cross-origin (a VS Code webview): fall through to the blob.
      }
    }
    this.triedBlob = true;
    if (this.blobUrl === undefined) {
      const response = await fetch(this.workerUri);
      if (!response.ok) throw new Error(`cannot load the layout worker (${response.status})`);
      const source = await response.text();
      this.blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    }
    this.startedFrom = 'blob';
    return this.wire(new Worker(this.blobUrl));
  }

  private wire(worker: Worker): Worker {
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const reply = event.data;
      // The worker's answer is checked like any message: a malformed one fails its layout, an unknown one is dropped.
      const id = typeof (reply as { id?: unknown } | null)?.id === 'number' ? (reply as { id: number }).id : undefined;
      const pending = id === undefined ? undefined : this.pending.get(id);
      if (id === undefined || !pending) return;
      if (!isLayoutResponse(reply)) return this.fail(id, new Error('the layout worker sent a malformed answer'));
      if ('error' in reply) return this.fail(id, new Error(reply.error));
      const laidOut = adoptLayout(pending.graph, reply.graph);
      if (!laidOut) return this.fail(id, new Error('the layout worker sent a malformed answer'));
      this.settle(id);
      pending.resolve(laidOut);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      this.worker = undefined;
      if (!this.triedBlob) {
        // The URL constructed but did not load (some hosts refuse worker scripts by URL): retry from a blob.
        this.mode = 'blob';
        for (const [id, p] of this.pending) this.send(id, p.graph);
        return;
      }
      for (const id of [...this.pending.keys()]) this.fail(id, new Error(event.message || 'the layout worker failed'));
    };
    return worker;
  }

  private timeOut(id: number, budgetMs: number): void {
    if (!this.pending.has(id)) return;
    const stopped = this.worker;
    this.worker = undefined;
    void stopped?.then(
      (w) => w.terminate(),
      () => undefined,
    );
    this.fail(id, new LayoutTimeout(budgetMs));
    // Layouts queued behind it were on the stopped worker: a fresh one takes them.
    for (const [other, p] of this.pending) this.send(other, p.graph);
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.pending.delete(id);
    return pending;
  }

  private fail(id: number, error: unknown): void {
    this.settle(id)?.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
