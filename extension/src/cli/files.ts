import { statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UsageError } from './io';

/** What a folder contributes: every architecture file under it. */
const ARCH_FILES = '**/*.arch.{yaml,yml}';
/** Never searched: installed packages and version control, as ESLint skips them. */
const IGNORED = ['**/node_modules/**', '**/.git/**'];
/** A glob picks the YAML files it matches (`samples/*` must not lint a README). */
const YAML_FILE = /\.ya?ml$/i;

function kindOf(path: string): 'file' | 'directory' | 'missing' {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

/**
 * Turns `archlint lint`'s arguments into absolute file paths, sorted and without duplicates:
 * - no arguments: every `*.arch.yaml`/`*.arch.yml` under `cwd`;
 * - a folder: the same under it;
 * - an existing file: that file, whatever its name (it was asked for by name);
 * - a glob: the YAML files it matches, outside node_modules and .git.
 * A path that does not exist, or a glob or folder that yields nothing, is a usage error
 * (exit 2): a CI job that lints nothing must not pass as clean.
 */
export async function resolveTargets(args: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  const targets = args.length > 0 ? args : ['.'];
  for (const arg of targets) {
    const absolute = resolve(cwd, arg);
    const kind = kindOf(absolute);
    if (kind === 'file') {
      found.add(absolute);
      continue;
    }
    if (kind === 'directory') {
      const files = await glob(ARCH_FILES, { cwd: absolute, ignore: IGNORED, absolute: true, dot: true });
      if (files.length === 0) {
        throw new UsageError(
          `no *.arch.yaml or *.arch.yml files found in ${arg === '.' && args.length === 0 ? 'the current folder' : `"${arg}"`}`,
        );
      }
      files.forEach((f) => found.add(resolve(f)));
      continue;
    }
    // Backslashes are path separators on Windows, escapes in a glob elsewhere.
    const pattern = process.platform === 'win32' ? arg.split('\\').join('/') : arg;
    if (!isDynamicPattern(pattern)) throw new UsageError(`no such file: ${arg}`);
    const files = (await glob(pattern, { cwd, ignore: IGNORED, absolute: true, dot: true })).filter((f) => YAML_FILE.test(f));
    if (files.length === 0) throw new UsageError(`no files matching the pattern "${arg}" were found`);
    files.forEach((f) => found.add(resolve(f)));
  }
  return [...found].sort();
}

/** Why a file could not be read or written, in words (not `ENOENT`). */
export function ioProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a folder',
    ENOENT: 'no such file or folder',
    ENOTDIR: 'a part of the path is not a folder',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
  };
  return (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
}

/** Reads one named input file; a missing or unreadable file is a usage error (exit 2). */
export async function readInput(cwd: string, given: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, given), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such file: ${given}` : `cannot read ${given}: ${ioProblem(error)}`);
  }
}

/** Writes an output file; failure is a usage error (exit 2). */
export async function writeOutput(cwd: string, given: string, text: string): Promise<void> {
  try {
    await writeFile(resolve(cwd, given), text);
  } catch (error) {
    throw new UsageError(`cannot write ${given}: ${ioProblem(error)}`);
  }
}
