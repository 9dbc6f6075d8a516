/** What a CLI command may touch, so tests can run commands in-process as well as as a real process. */
export interface CliIO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a colour terminal. */
  color: boolean;
}

/** Wrong arguments, a missing file, an unreadable path: exit code 2 with this message, no stack trace. */
export class UsageError extends Error {}

export const EXIT = { clean: 0, findings: 1, usage: 2 } as const;

/** A subcommand: parses its own arguments, returns the exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;
