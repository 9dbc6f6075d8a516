import { statSync } from 'node:fs';
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
