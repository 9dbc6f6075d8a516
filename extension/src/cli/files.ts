/**
 * The CLI's edge with the file system: which files a `lint` run means, how a file is read (UTF-8 or
 * an `encoding` finding), how `--fix` writes one back, and how a report is written with `-o`.
 */
import {
  accessSync,
  chmodSync,
  chownSync,
  closeSync,
  fstatSync,
  constants,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdir,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { FileSystemAdapter } from 'tinyglobby';
import { BUILTIN_IDS, LineIndex, type Finding } from '../engine';
import { displayPath } from './formats/types';
import { STDIN_PATH, UsageError, type CliIO } from './io';

/** What a folder contributes: every architecture file under it, and (unless turned off) every compose file by its standard names. */
const ARCH_FILES = '**/*.arch.{yaml,yml}';
/** Every YAML or JSON file, for finding Kubernetes manifests by their content. */
const ANY_YAML_OR_JSON = '**/*.{yaml,yml,json}';
const ARCH_AND_COMPOSE_FILES =
  '**/{*.arch.yaml,*.arch.yml,compose.yaml,compose.yml,docker-compose.yaml,docker-compose.yml,compose.override.yaml,compose.override.yml,docker-compose.override.yaml,docker-compose.override.yml}';
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

/** A path with its symlinks resolved, or the path itself when it cannot be resolved. */
export function realPathOf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/**
 * Which of several paths to one file a report shows: the one named on the command line, then one
 * reached from where the walk started without passing through a symlink, then any other.
 */
const RANK = { named: 0, direct: 1, throughLink: 2 } as const;

/**
 * tinyglobby's file system with `readdir` watched: the crawler skips a folder it cannot read
 * without a word, so its errors are kept here for the caller to report.
 */
function watchedFs(unreadable: Map<string, NodeJS.ErrnoException>): FileSystemAdapter {
  const watched = (
    path: string,
    options: { withFileTypes: true },
    callback: (error: NodeJS.ErrnoException | null, entries: unknown) => void,
  ) =>
    readdir(path, options, (error, entries) => {
      // A folder deleted during the walk is not worth a warning.
      if (error && error.code !== 'ENOENT') unreadable.set(resolve(path), error);
      callback(error, entries);
    });
  return { readdir: watched as unknown as FileSystemAdapter['readdir'] };
}

/**
 * Turns `archlint lint`'s arguments into absolute file paths, sorted, each file once:
 * - no arguments: every `*.arch.yaml`/`*.arch.yml` under `cwd`;
 * - a folder: the same under it;
 * - an existing file: that file, whatever its name (it was asked for by name);
 * - a glob: the YAML files it matches, outside node_modules and .git.
 * Symlinks are followed (a cycle is walked once); a file reached by several paths (a symlinked
 * folder, a symlink to a file) is linted once, under the path named on the command line or else
 * the one that passes through no symlink. A folder that cannot be read is reported through `warn`
 * and skipped. A path that does not exist, or a glob or folder that yields nothing, is a usage
 * error (exit 2): a CI job that lints nothing must not pass as clean. `ignored` (the configuration
 * files' `ignores`) is asked about each file a folder or a glob finds, never about a file named;
 * a folder or glob whose every file is ignored is a usage error too, as in ESLint.
 */
export async function resolveTargets(
  args: readonly string[],
  cwd: string,
  warn: (message: string) => void,
  ignored: (file: string) => boolean = () => false,
  /** Whether a folder's compose files are linted (the configuration's `sources.compose`, on by default). */
  compose: (folder: string) => boolean = () => true,
  /**
   * Whether a folder's Kubernetes manifests are linted (the configuration's `sources.kubernetes`,
   * on by default), and how to tell one: any YAML or JSON file under the folder whose content is one.
   */
  kubernetes: { enabled: (folder: string) => boolean; isManifest: (file: string) => boolean } = {
    enabled: () => false,
    isManifest: () => false,
  },
): Promise<string[]> {
  const found = new Map<string, { path: string; rank: number }>();
  const add = (path: string, real: string, rank: number) => {
    const seen = found.get(real);
    if (!seen || rank < seen.rank) found.set(real, { path, rank });
  };
  const addWalked = (root: string, files: readonly string[]) => {
    const realRoot = realPathOf(root);
    for (const file of files) {
      const real = realPathOf(file);
      add(file, real, real === join(realRoot, relative(root, file)) ? RANK.direct : RANK.throughLink);
    }
  };
  const unreadable = new Map<string, NodeJS.ErrnoException>();
  const warned = new Set<string>();
  const walk = async (pattern: string, root: string): Promise<string[]> => {
    const { glob } = await import('tinyglobby');
    const files = await glob(pattern, { cwd: root, ignore: IGNORED, absolute: true, dot: true, fs: watchedFs(unreadable) });
    for (const [folder, error] of unreadable) {
      if (warned.has(folder)) continue;
      warned.add(folder);
      warn(`cannot read the folder ${displayPath(cwd, folder)}: ${ioProblem(error)}; the files in it were not linted`);
    }
    // Sorted, so that of two equally ranked paths to one file the first in the report wins.
    return files.map((f) => resolve(f)).sort();
  };
  const targets = args.length > 0 ? args : ['.'];
  for (const arg of targets) {
    const absolute = resolve(cwd, arg);
    const kind = kindOf(absolute);
    if (kind === 'file') {
      add(absolute, realPathOf(absolute), RANK.named);
      continue;
    }
    if (kind === 'directory') {
      const withCompose = compose(absolute);
      const withManifests = kubernetes.enabled(absolute);
      const named = await walk(withCompose ? ARCH_AND_COMPOSE_FILES : ARCH_FILES, absolute);
      // Manifests have no name of their own: any other YAML or JSON file whose content is one.
      const manifests = withManifests
        ? (await walk(ANY_YAML_OR_JSON, absolute)).filter((f) => !named.includes(f) && kubernetes.isManifest(f))
        : [];
      const files = [...named, ...manifests].sort();
      const where = arg === '.' && args.length === 0 ? 'the current folder' : `"${arg}"`;
      const kinds = [
        '*.arch.yaml',
        '*.arch.yml',
        ...(withCompose ? ['compose'] : []),
        ...(withManifests ? ['Kubernetes manifest'] : []),
      ];
      const list = (last: string) => `${kinds.slice(0, -1).join(', ')} ${last} ${kinds.at(-1)}`;
      const what = list('or');
      if (files.length === 0) throw new UsageError(`no ${what} files found in ${where}`);
      const kept = files.filter((f) => !ignored(f));
      if (kept.length === 0)
        throw new UsageError(`every ${list('and')} file in ${where} is ignored (ignores in the configuration file)`);
      addWalked(absolute, kept);
      continue;
    }
    // Backslashes are path separators on Windows, escapes in a glob elsewhere.
    const pattern = process.platform === 'win32' ? arg.split('\\').join('/') : arg;
    // Loaded here, not at start: a hook names its files, and then the globber is never needed.
    const { isDynamicPattern } = await import('tinyglobby');
    if (!isDynamicPattern(pattern)) throw new UsageError(`no such file: ${arg}`);
    const files = (await walk(pattern, cwd)).filter((f) => YAML_FILE.test(f));
    if (files.length === 0) throw new UsageError(`no files matching the pattern "${arg}" were found`);
    const kept = files.filter((f) => !ignored(f));
    if (kept.length === 0)
      throw new UsageError(`every file matching the pattern "${arg}" is ignored (ignores in the configuration file)`);
    addWalked(cwd, kept);
  }
  return [...found.values()].map((f) => f.path).sort();
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
    ELOOP: 'too many levels of symbolic links',
  };
  if (code === 'ENOTREGULAR' || code === 'ETOOBIG') return (error as Error).message;
  return (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
}

/** A file as read: its text, and what writing it back needs. */
export interface SourceFile {
  /**
   * The text without a byte-order mark. For a file that is not UTF-8, the bytes decoded with
   * replacement characters: good for showing where the problem is, never for writing back.
   */
  text: string;
  /** The byte-order mark the file starts with (`''` or `'\uFEFF'`), kept aside so positions match what editors show. */
  bom: string;
  /** The bytes as read: a failed in-place write puts them back. */
  bytes: Uint8Array;
  /** Set when the bytes are not UTF-8: the one finding to report for the file, which is then neither linted nor fixed. */
  notUtf8?: Finding;
}

const BOM = '\uFEFF';
const REPLACEMENT = '\uFFFD';
/** U+FFFD as UTF-8: a replacement character that was in the file, not one the decoder made. */
const REPLACEMENT_BYTES = [0xef, 0xbf, 0xbd] as const;
const UTF16_BOMS = [
  [0xff, 0xfe],
  [0xfe, 0xff],
] as const;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Decodes a file's bytes as UTF-8. Bytes that are not UTF-8 give an `encoding` finding at the
 * first of them (the text before it decodes the same either way, so its offset is exact).
 */
export function decodeSource(bytes: Uint8Array): Omit<SourceFile, 'bytes'> {
  const withoutBom = (raw: string) => (raw.startsWith(BOM) ? { text: raw.slice(1), bom: BOM } : { text: raw, bom: '' });
  try {
    return withoutBom(strictUtf8.decode(bytes));
  } catch {
    // Not UTF-8: find the first replacement character the decoder made (a U+FFFD written in the file is three valid bytes).
    const { text, bom } = withoutBom(lossyUtf8.decode(bytes));
    let byteAt = bom === '' ? 0 : Buffer.byteLength(BOM);
    let charAt = 0;
    let at = text.indexOf(REPLACEMENT);
    for (; at !== -1; at = text.indexOf(REPLACEMENT, at + 1)) {
      byteAt += Buffer.byteLength(text.slice(charAt, at));
      charAt = at;
      if (!REPLACEMENT_BYTES.every((b, i) => bytes[byteAt + i] === b)) break;
      byteAt += REPLACEMENT_BYTES.length;
      charAt = at + 1;
    }
    // The decoder always marks an invalid byte, so `at` is found; the guard keeps the range inside the text.
    const offset = Math.max(0, Math.min(at, text.length - 1));
    const utf16 = UTF16_BOMS.some((b) => b.every((byte, i) => bytes[i] === byte));
    const message = utf16
      ? 'not UTF-8: the file starts with a UTF-16 byte-order mark; save it as UTF-8 (nothing else in it was checked)'
      : `not UTF-8: the byte 0x${(bytes[byteAt] ?? 0).toString(16).toUpperCase().padStart(2, '0')} here is not part of a UTF-8 character; save the file as UTF-8 (nothing else in it was checked)`;
    const notUtf8: Finding = {
      ruleId: BUILTIN_IDS.encoding,
      messageId: utf16 ? 'utf16' : 'invalidByte',
      message,
      severity: 'error',
      range: [offset, Math.min(offset + 1, text.length)],
    };
    return { text, bom, notUtf8 };
  }
}

/** The largest file read: far above any architecture (the bench's 10,000 components are 2 MB), far below what exhausts memory. */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/** An error with a code of our own, worded by {@link ioProblem}. */
function refusal(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * Reads a file's bytes and decodes them ({@link decodeSource}); an unreadable file throws the file
 * system's error. Only a regular file is read, and only up to {@link MAX_SOURCE_BYTES}: a pipe, a
 * device (a link to /dev/zero) or a socket named like an architecture file would never end.
 */
export function readSourceFile(filePath: string): SourceFile {
  const fd = openSync(filePath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    // A folder opens read-only on Linux: it is named as one, not as "not a regular file".
    if (stat.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
    if (!stat.isFile()) throw refusal('ENOTREGULAR', 'not a regular file (a pipe, a device or a socket)');
    if (stat.size > MAX_SOURCE_BYTES) throw refusal('ETOOBIG', `larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MB`);
    const bytes = readFileSync(fd);
    return { ...decodeSource(bytes), bytes };
  } finally {
    closeSync(fd);
  }
}

/** How a report names standard input when `--stdin-filename` gives it no name (ESLint says `<text>`). */
export const STDIN_NAME = '<stdin>';

/** Reads all of standard input as a source file; where there is none to read, or it fails, a usage error (exit 2). */
export async function readStdinSource(io: CliIO): Promise<SourceFile> {
  if (!io.readStdin) throw new UsageError('standard input cannot be read here');
  let bytes: Uint8Array;
  try {
    bytes = await io.readStdin();
  } catch (error) {
    throw new UsageError(`cannot read standard input: ${ioProblem(error)}`);
  }
  return { ...decodeSource(bytes), bytes };
}

/**
 * `--stdin-filename` checked against the paths: it names standard input, so it comes with `-`.
 * Returns the name standard input goes by (`<stdin>` without the option).
 */
export function stdinName(paths: readonly string[], stdinFilename: string | undefined, command: string): string {
  if (stdinFilename !== undefined && !paths.includes(STDIN_PATH)) {
    throw new UsageError(`--stdin-filename names standard input: give "-" as the path; see "${command} --help"`);
  }
  return stdinFilename ?? STDIN_NAME;
}

/**
 * Reads the one input `availability` and `diagram` take: a file, or standard input for `-`. A
 * missing or unreadable file is a usage error (exit 2). `name` is what messages call it.
 */
export async function readInput(io: CliIO, given: string, stdinFilename?: string): Promise<{ name: string; source: SourceFile }> {
  if (given === STDIN_PATH) return { name: stdinFilename ?? STDIN_NAME, source: await readStdinSource(io) };
  try {
    return { name: given, source: readSourceFile(resolve(io.cwd, given)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`no such file: ${given}`);
    // availability, diagram and model read one input; a manifest named brings its folder's manifests.
    if (code === 'EISDIR')
      throw new UsageError(
        `${given} is a folder: name one file (an architecture, a compose file, or one manifest of the folder, which is read with the others)`,
      );
    throw new UsageError(`cannot read ${given}: ${ioProblem(error)}`);
  }
}

/** What `availability` and `diagram` print for a file that is not UTF-8, in the form they print its other problems. */
export function notUtf8Lines(given: string, source: SourceFile): string {
  if (!source.notUtf8) return '';
  const { line, character } = new LineIndex(source.text).position(source.notUtf8.range[0]);
  return `${given}:${line + 1}:${character + 1}: error: ${source.notUtf8.message} (${source.notUtf8.ruleId})\n`;
}

/** Writes a report with `-o`, making the folders it goes into; failure is a usage error (exit 2). */
export async function writeOutput(cwd: string, given: string, text: string): Promise<void> {
  const target = resolve(cwd, given);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  } catch (error) {
    // mkdir's EEXIST: a part of the path is a file.
    const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? ioProblem({ code: 'ENOTDIR' }) : ioProblem(error);
    throw new UsageError(`cannot write ${given}: ${reason}`);
  }
}

/** Errors that mean "not this way": a folder the user may not write, an owner the user may not give. */
const NOT_PERMITTED = new Set(['EACCES', 'EPERM']);

/**
 * Writes `--fix`'s result over a file the way its user could have: never more.
 * - Only a file the user may write: write permission on the file itself (a writable folder is not
 *   enough, as it would be for a rename); otherwise the file system's error (EACCES) is thrown.
 * - Through a symlink, into its target; the link stays a link.
 * - A file with one link is replaced atomically: a temp file beside it, given its mode, owner and
 *   group, renamed over it (a reader never sees half a file; a crash leaves the original).
 * - A file with several hard links, or in a folder the user may not write, or whose owner the temp
 *   file cannot take, is rewritten in place, so every link sees the fix and the file keeps its
 *   inode and owner; if that write fails part-way, the original bytes are put back.
 */
export function writeFixed(filePath: string, text: string, original: Uint8Array): void {
  const target = realpathSync(filePath);
  accessSync(target, constants.W_OK);
  const stat = statSync(target);
  if (stat.nlink === 1 && replaceAtomically(target, text, stat)) return;
  writeInPlace(target, Buffer.from(text, 'utf8'), original);
}

/** The rename half of {@link writeFixed}; `false` when the file system does not permit it (nothing was changed). */
function replaceAtomically(target: string, text: string, stat: Stats): boolean {
  // Required here: node:crypto costs every run a few milliseconds to load, and only --fix needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // Private until it has the original's mode: the content is the user's, not the world's.
    writeFileSync(temp, text, { encoding: 'utf8', flag: 'wx', mode: 0o600 });
    const made = statSync(temp);
    // Owner first: chown clears set-id bits, which the mode then restores.
    if (made.uid !== stat.uid || made.gid !== stat.gid) chownSync(temp, stat.uid, stat.gid);
    chmodSync(temp, stat.mode & 0o7777);
    renameSync(temp, target);
    return true;
  } catch (error) {
    rmSync(temp, { force: true });
    if (NOT_PERMITTED.has((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, done);
  ftruncateSync(fd, bytes.length);
}

/** The in-place half of {@link writeFixed}: same inode, so hard links and the owner stay. */
function writeInPlace(target: string, bytes: Uint8Array, original: Uint8Array): void {
  const fd = openSync(target, 'r+');
  try {
    writeAll(fd, bytes);
  } catch (error) {
    try {
      // The original bytes fit in the blocks they came from.
      writeAll(fd, original);
    } catch {
      // Nothing more can be done; the first error is the one to report.
    }
    throw error;
  } finally {
    closeSync(fd);
  }
}
