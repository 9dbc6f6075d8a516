/**
 * The language server's process entry (bundled to dist/server.js): `archlint lsp` loads it only
 * when that command runs, and the VS Code client starts it over node IPC. Speaks LSP over stdio
 * unless `--node-ipc` is given (`--stdio`, which editors pass, is the default).
 */
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  LSPErrorCodes,
  Message,
  ProposedFeatures,
  ResponseError,
  type ConnectionStrategy,
  type ResponseMessage,
} from 'vscode-languageserver/node';
import { startServer } from './server';

/** Requests a client may not take back: the session's lifecycle. */
const LIFECYCLE = new Set(['initialize', 'shutdown']);

/**
 * A request the client cancels while it still waits in the connection's queue is answered
 * `RequestCancelled` there and never runs (vscode-jsonrpc would otherwise run its handler with
 * a cancelled token): a burst of cancelled completions or a cancelled fix-all costs nothing.
 */
export const CANCEL_QUEUED: ConnectionStrategy = {
  cancelUndispatched(message: Message): ResponseMessage | undefined {
    if (!Message.isRequest(message) || LIFECYCLE.has(message.method)) return undefined;
    const error = new ResponseError(LSPErrorCodes.RequestCancelled, `${message.method} was cancelled before it ran`);
    return { jsonrpc: '2.0', id: message.id, error: error.toJson() };
  },
};

/** Starts the server on this process's stdio (or node IPC) and keeps the process alive until the client exits it. */
export function runServer(args: readonly string[] = process.argv.slice(2)): void {
  const connection = args.includes('--node-ipc')
    ? createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IPCMessageWriter(process), CANCEL_QUEUED)
    : createConnection(ProposedFeatures.all, process.stdin, process.stdout, CANCEL_QUEUED);
  // A promise nobody awaited must not end the session (Node's default for an unhandled rejection): it goes to the client's output.
  process.on('unhandledRejection', (reason: unknown) => {
    connection.console.error(`internal error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
  startServer(connection);
}

if (require.main === module) runServer();
