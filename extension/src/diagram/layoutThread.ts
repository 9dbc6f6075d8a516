/**
 * The CLI's layout thread (bundled to dist/layoutThread.js): ELK behind the same one-message
 * protocol as the webview's worker. ELK runs synchronously, so a layout can only be stopped
 * from outside: here, by terminating this thread when its budget runs out (elkNode.ts).
 */
import { parentPort } from 'node:worker_threads';
import ELK from 'elkjs/lib/elk.bundled.js';
import { clipText, type LayoutRequest, type LayoutResponse } from '../protocol';
import { layoutWith } from './layout';

const elk = new ELK();
const port = parentPort;

port?.on('message', (request: LayoutRequest) => {
  const reply = (message: LayoutResponse) => port.postMessage(message);
  layoutWith(elk, request.graph).then(
    (graph) => reply({ id: request.id, graph }),
    (error: unknown) => reply({ id: request.id, error: clipText(error instanceof Error ? error.message : String(error)) }),
  );
});
