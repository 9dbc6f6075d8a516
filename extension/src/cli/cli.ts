import { didYouMean } from '../engine';
import { ArgumentError } from './args';
import * as availability from './commands/availability';
import * as diagram from './commands/diagram';
import * as init from './commands/init';
import * as lint from './commands/lint';
import * as lsp from './commands/lsp';
import * as model from './commands/model';
import { EXIT, UsageError, type CliIO, type Command } from './io';
import { terminalText } from './terminal';
import { ARCHLINT_VERSION } from './version';

const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ['lint', lint.run],
  ['availability', availability.run],
  ['diagram', diagram.run],
  ['init', init.run],
  ['model', model.run],
  ['lsp', lsp.run],
]);

export const MAIN_HELP = `Usage: archlint <command> [options]

Checks service-architecture files (*.arch.yaml), Docker Compose projects and Kubernetes
manifests for what stops a system from scaling and staying up.

Commands:
  lint [paths|globs...]            check architecture files, compose projects and manifests
                                   (default: all under the current folder)
  availability FILE                the availability of every entry point, in nines and downtime
  diagram FILE [--format svg|mermaid] [-o OUT]
                                   draw the topology
  model FILE [--format yaml|json]  print the architecture read from a source, as *.arch.yaml
  (a FILE, or lint's one path, of "-" is standard input)
  init [--force]                   write a commented starter archlint.config.yaml here
  lsp [--stdio]                    the language server, for any editor

Options:
  -h, --help                       show this help ("archlint <command> --help" for a command's)
  -v, --version                    print the version

Configuration: the nearest archlint.config.yaml (or .archlint.yaml) above each file, up to
the repository root: rules, ignores, defaults (see "archlint lint --help" for --config).

Exit codes: 0 clean, 1 findings at error severity (or over --max-warnings), 2 usage or I/O error.
`;

/**
 * Runs one command line (without `node` and the script) and returns the exit code. Every
 * failure ends here as a one-line message: usage and I/O errors as themselves, anything else
 * as an internal error, never a stack trace (set ARCHLINT_DEBUG=1 to see one).
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  try {
    const [first, ...rest] = args;
    if (first === undefined) {
      io.stderr(MAIN_HELP);
      return EXIT.usage;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' && rest[0] !== undefined ? COMMANDS.get(rest[0]) : undefined;
      if (topic) return await topic(['--help'], io);
      io.stdout(MAIN_HELP);
      return EXIT.clean;
    }
    if (first === '--version' || first === '-v') {
      io.stdout(`${ARCHLINT_VERSION}\n`);
      return EXIT.clean;
    }
    const command = COMMANDS.get(first);
    if (!command) {
      const suggestion = didYouMean(first, COMMANDS.keys());
      const what = first.startsWith('-') ? 'option' : 'command';
      throw new ArgumentError(`unknown ${what} "${first}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, 'archlint');
    }
    return await command([...rest], io);
  } catch (error) {
    // Messages quote paths, ids and arguments as given: written out, never obeyed by the terminal.
    if (error instanceof UsageError) {
      io.stderr(`archlint: ${terminalText(error.message)}\n`);
      return EXIT.usage;
    }
    const detail = process.env.ARCHLINT_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
    io.stderr(
      `archlint: internal error: ${terminalText(error instanceof Error ? error.message : String(error))} (please report it)${detail}\n`,
    );
    return EXIT.usage;
  }
}
