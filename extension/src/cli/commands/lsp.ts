/**
 * `archlint lsp`: the language server over stdio, for any editor. The server's bundle
 * (dist/server.js) is loaded only when this command runs, so the other commands never pay for it.
 */
import { join } from 'node:path';
import { hasFlag, parseArgs, type OptionSpec } from '../args';
import { EXIT, type CliIO } from '../io';

const COMMAND = 'archlint lsp';

const LSP_OPTIONS: readonly OptionSpec[] = [{ name: 'stdio' }, { name: 'node-ipc' }, { name: 'help', short: 'h' }];

export const LSP_HELP = `Usage: archlint lsp [--stdio]

Runs Archlint's language server: diagnostics, quick fixes, completion, hover, definitions,
references, rename, symbols and code lenses for *.arch.yaml files, over the Language Server
Protocol on standard input and output (--stdio, which editors pass, is the default).
Editor setups (VS Code, Neovim, Helix, Zed): see the README.
`;

/** The server module's one export (extension/src/server/main.ts). */
interface ServerModule {
  runServer(args: readonly string[]): void;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, LSP_OPTIONS, COMMAND);
  if (hasFlag(parsed, 'help')) {
    io.stdout(LSP_HELP);
    return EXIT.clean;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the server bundle beside this one, loaded on demand
  const server = require(join(__dirname, 'server.js')) as ServerModule;
  server.runServer(hasFlag(parsed, 'node-ipc') ? ['--node-ipc'] : ['--stdio']);
  // The connection ends the process when the client sends `exit` (or goes away).
  return new Promise<number>(() => undefined);
}
