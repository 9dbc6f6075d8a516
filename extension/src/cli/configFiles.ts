/**
 * Which configuration file applies to a file: the nearest `archlint.config.yaml` (or
 * `.archlint.yaml`) in its folder or a folder above it, up to the repository root (the folder
 * that holds `.git`) or the file system's root. They are not merged: the nearest one is the
 * whole configuration. Used by the CLI (per linted file) and by the language server (per
 * document on disk); what a configuration says is read and checked by the engine.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  CONFIG_FILE_NAMES,
  ignoreMatcher,
  LineIndex,
  readConfigText,
  type Finding,
  type IgnoreMatcher,
  type ProjectConfig,
} from '../engine';
import { ioProblem, readSourceFile } from './files';
import { terminalText } from './terminal';

/** A configuration file as read: its configuration when it has no problem, else its findings. */
export interface LoadedConfig {
  /** Absolute path of the file. */
  path: string;
  text: string;
  /** Absent when the file has problems (then `findings` says which) or cannot be read (then `error`). */
  config?: ProjectConfig;
  findings: Finding[];
  /** Why the file could not be read, in words. */
  error?: string;
  /** Whether a path (absolute) is ignored by its `ignores`, which are relative to its folder. */
  ignores: (path: string) => boolean;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Reads and checks one configuration file (never throws: an unreadable file is an `error`). */
export function loadConfig(path: string): LoadedConfig {
  let text = '';
  let read: ReturnType<typeof readConfigText>;
  try {
    const source = readSourceFile(path);
    text = source.text;
    read = source.notUtf8 ? { findings: [source.notUtf8] } : readConfigText(text);
  } catch (error) {
    return { path, text, findings: [], error: ioProblem(error), ignores: () => false };
  }
  const matcher: IgnoreMatcher = read.config ? ignoreMatcher(read.config.ignores) : () => false;
  const folder = dirname(path);
  return {
    path,
    text,
    ...(read.config && { config: read.config }),
    findings: read.findings,
    ignores: (file) => matcher(relative(folder, file)),
  };
}

/**
 * A configuration's problems as `file:line:col: error: message (id)` lines, as compilers print
 * them; names and messages are written out safe for a terminal.
 */
export function configProblemLines(loaded: LoadedConfig, shownPath: string): string {
  const shown = terminalText(shownPath);
  if (loaded.error !== undefined) return `${shown}: error: cannot read the configuration file: ${terminalText(loaded.error)}\n`;
  const lines = new LineIndex(loaded.text);
  return loaded.findings
    .map((f) => {
      const { line, character } = lines.position(f.range[0]);
      return `${shown}:${line + 1}:${character + 1}: error: ${terminalText(f.message)} (${f.ruleId})\n`;
    })
    .join('');
}

/** Whether a configuration file could not be used (unreadable, or with findings). */
export const isBad = (loaded: LoadedConfig): boolean => loaded.error !== undefined || loaded.findings.length > 0;

/**
 * Finds the configuration file for files, folder by folder upward, caching each folder's answer
 * (a run of a thousand files reads each configuration once). `reload` forgets everything (the
 * server calls it when a configuration file changes on disk).
 */
export class ConfigFinder {
  private readonly byFolder = new Map<string, string | null>();
  private readonly loaded = new Map<string, LoadedConfig>();

  /** The configuration file that applies to `file` (an absolute path), or undefined when there is none. */
  forFile(file: string): LoadedConfig | undefined {
    const path = this.pathFor(dirname(resolve(file)));
    return path === undefined ? undefined : this.load(path);
  }

  /** The configuration file at `path`, read once. */
  load(path: string): LoadedConfig {
    let loaded = this.loaded.get(path);
    if (!loaded) this.loaded.set(path, (loaded = loadConfig(path)));
    return loaded;
  }

  /** Every configuration file read so far. */
  all(): LoadedConfig[] {
    return [...this.loaded.values()];
  }

  reload(): void {
    this.byFolder.clear();
    this.loaded.clear();
  }

  /** The nearest configuration file's path from `folder` up, stopping at the repository root. */
  private pathFor(folder: string): string | undefined {
    const visited: string[] = [];
    let found: string | null = null;
    for (let current = folder; ;) {
      const known = this.byFolder.get(current);
      if (known !== undefined) {
        found = known;
        break;
      }
      visited.push(current);
      const here = CONFIG_FILE_NAMES.map((name) => join(current, name)).find(isFile);
      if (here) {
        found = here;
        break;
      }
      const parent = dirname(current);
      // `.git` is a folder in a clone and a file in a worktree or submodule: either marks the root.
      if (parent === current || existsSync(join(current, '.git'))) break;
      current = parent;
    }
    for (const f of visited) this.byFolder.set(f, found);
    return found ?? undefined;
  }
}
