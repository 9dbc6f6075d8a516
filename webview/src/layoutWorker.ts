/**
 * The layout worker: ELK (the bundled build, which runs in this thread) behind a one-message
 * protocol, so a large layout never blocks the webview's page, and one that runs past its
 * budget can be stopped (layoutClient.ts terminates this worker).
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import { layoutWith } from '../../extension/src/diagram/layout';
import { clipText, type LayoutRequest, type LayoutResponse } from '../../extension/src/protocol';

interface WorkerScope {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: LayoutResponse): void;
}

const elk = new ELK();
const scope = self as unknown as WorkerScope;

// Set after ELK is loaded: its own worker glue claims `onmessage` when it finds itself in a worker.
scope.onmessage = (event) => {
  const request = event.data as Partial<LayoutRequest>;
  if (typeof request?.id !== 'number' || typeof request.graph !== 'object' || request.graph === null) return;
  const id = request.id;
  layoutWith(elk, request.graph).then(
    (graph) => scope.postMessage({ id, graph }),
    (error: unknown) => scope.postMessage({ id, error: clipText(error instanceof Error ? error.message : String(error)) }),
  );
};
