import type { DiagramElkGraph } from '../../extension/src/diagram/elkGraph';
import type { LayoutRequest, LayoutResponse } from './layoutProtocol';

interface Pending {
  resolve: (graph: DiagramElkGraph) => void;
  reject: (error: Error) => void;
  graph: DiagramElkGraph;
}

/**
 * Runs ELK in the layout worker. In VS Code the worker script's URI is on another origin than
 * the page, where `new Worker(uri)` throws: then the script is fetched and started from a blob.
 * A same-origin page (the browser tests) can start it directly; `mode: 'blob'` forces the
 * VS Code path anywhere.
 */
export class LayoutClient {
  private worker: Promise<Worker> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private triedBlob = false;

  constructor(
    private readonly workerUri: string,
    private mode: 'auto' | 'blob' = 'auto',
  ) {}

  /** Lays out `graph`; rejects when the worker cannot start or ELK fails. */
  layout(graph: DiagramElkGraph): Promise<DiagramElkGraph> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, graph });
      this.start().then(
        (worker) => worker.postMessage({ id, graph } satisfies LayoutRequest),
        (error: unknown) => this.fail(id, error),
      );
    });
  }

  /** How the worker was started, for diagnostics and tests. */
  startedFrom: 'url' | 'blob' | undefined;

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
    const response = await fetch(this.workerUri);
    if (!response.ok) throw new Error(`cannot load the layout worker (${response.status})`);
    const source = await response.text();
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    this.startedFrom = 'blob';
    return this.wire(new Worker(url));
  }

  private wire(worker: Worker): Worker {
    worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
      const pending = this.pending.get(event.data.id);
      if (!pending) return;
      this.pending.delete(event.data.id);
      if ('error' in event.data) pending.reject(new Error(event.data.error));
      else pending.resolve(event.data.graph);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      if (!this.triedBlob) {
        // The URL constructed but did not load (some hosts refuse worker scripts by URL): retry from a blob.
        this.mode = 'blob';
        this.worker = undefined;
        for (const [id, p] of this.pending)
          this.start().then(
            (w) => w.postMessage({ id, graph: p.graph } satisfies LayoutRequest),
            (e: unknown) => this.fail(id, e),
          );
        return;
      }
      for (const id of [...this.pending.keys()]) this.fail(id, new Error(event.message || 'the layout worker failed'));
      this.worker = undefined;
    };
    return worker;
  }

  private fail(id: number, error: unknown): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
