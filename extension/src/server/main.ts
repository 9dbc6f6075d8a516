/**
 * The language server's process entry (bundled to dist/server.js): `archlint lsp` loads it only
 * when that command runs, and the VS Code client starts it over node IPC. Speaks LSP over stdio
 * unless `--node-ipc` is given (`--stdio`, which editors pass, is the default).
 */
import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

/** Starts the server on this process's stdio (or node IPC) and keeps the process alive until the client exits it. */
export function runServer(args: readonly string[] = process.argv.slice(2)): void {
  const connection = args.includes('--node-ipc')
    ? createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IPCMessageWriter(process))
    : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  startServer(connection);
}

if (require.main === module) runServer();
