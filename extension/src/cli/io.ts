/** What a CLI command may touch, so tests can run commands in-process as well as as a real process. */
export interface CliIO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a colour terminal. */
  color: boolean;
  /**
   * All of standard input, as bytes (`archlint lint -`). Absent where there is none to read (an
   * in-process caller that gives no input): naming `-` is then a usage error.
   */
  readStdin?: () => Promise<Uint8Array>;
  /** Writes bytes to standard output exactly as given (`lint - --fix` prints the fixed file); defaults to `stdout`. */
  stdoutBytes?: (bytes: Uint8Array) => void;
}

/** Wrong arguments, a missing file, an unreadable path: exit code 2 with this message, no stack trace. */
export class UsageError extends Error {}

export const EXIT = { clean: 0, findings: 1, usage: 2 } as const;

/** A subcommand: parses its own arguments, returns the exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

/** The path that names standard input on a command line, as in most Unix tools. */
export const STDIN_PATH = '-';
