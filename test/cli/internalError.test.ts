import { describe, expect, it } from 'vitest';
import { runCli } from '../../extension/src/cli/cli';
import type { CliIO } from '../../extension/src/cli/io';
import { ROOT } from './setup';

/** An in-process run whose stdout fails the way a broken disk or a bug would: not a user error. */
function failingIO(): CliIO & { err: string } {
  const io = {
    cwd: ROOT,
    color: false,
    err: '',
    stdout: () => {
      throw new TypeError('stdout exploded');
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

describe('unexpected failures', () => {
  it('print one `archlint: internal error:` line and exit 2, without a stack trace', async () => {
    const io = failingIO();
    const code = await runCli(['--version'], io);
    expect(code).toBe(2);
    expect(io.err).toBe('archlint: internal error: stdout exploded (please report it)\n');
  });

  it('keep usage errors apart from internal ones', async () => {
    const io = failingIO();
    expect(await runCli(['lint', '--bogus'], io)).toBe(2);
    expect(io.err).toMatch(/^archlint: unknown option "--bogus"; see "archlint lint --help"\n$/);
  });
});
