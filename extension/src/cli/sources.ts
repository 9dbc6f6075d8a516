/**
 * What each file a run names or finds is: an architecture file, one file of a Compose project, or
 * Kubernetes manifests. A project is linted as one architecture: its base file and its override
 * (as `docker compose` in that folder reads them), or exactly the files given with `--compose`, in
 * order. So are a folder's manifests: a manifest named brings the others a search of its folder
 * finds, as a base file brings its override, unless a configuration group names it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import {
  baseCandidatesOf,
  isArchPath,
  isComposeOverridePath,
  isComposePath,
  isHelmTemplate,
  isJsonManifest,
  isManifestName,
  isManifestText,
  lint,
  lintCompose,
  lintKubernetes,
  looksLikeCompose,
  looksLikeManifest,
  type LintOptions,
  type LintResult,
  type SourceText,
  overrideCandidatesOf,
} from '../engine';
import type { LoadedConfig } from './configFiles';
import { realPathOf } from './files';

/**
 * One thing to lint: an architecture file, a Compose project (its files in merge order), or a
 * folder's Kubernetes manifests (one architecture, across namespaces).
 */
export type LintUnit =
  { kind: 'architecture'; file: string } | { kind: 'compose'; files: string[] } | { kind: 'kubernetes'; files: string[] };

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * Groups files into units, each file in one unit: a standard compose name (`compose.yaml`,
 * `docker-compose.yml`) with its override file beside it; an override with its base beside it
 * (or alone when there is none); a `*.arch.yaml` as itself; any other file by its content
 * (a top-level `services:` map makes a project of one file, as `docker-stack.yml`; manifests
 * make one architecture with the other manifests of their folder), else as an architecture file,
 * so its errors show. `readText` gives a file's text (for the content check); `beside` the
 * manifests of a folder that join the ones given there (see {@link manifestsBeside}), as a base
 * file brings its override: a manifest named alone is linted with the Service in front of it.
 */
export function groupUnits(
  files: readonly string[],
  readText: (file: string) => string | undefined,
  beside: (folder: string) => readonly string[] = () => [],
): LintUnit[] {
  const units: LintUnit[] = [];
  const manifests: string[] = [];
  const projects = new Map<string, string[]>();
  const project = (base: string, members: string[]) => {
    const known = projects.get(base);
    if (known) {
      for (const m of members) if (!known.includes(m)) known.push(m);
      return;
    }
    const unit: LintUnit = { kind: 'compose', files: members };
    projects.set(base, unit.files);
    units.push(unit);
  };
  for (const file of files) {
    if (isArchPath(file)) units.push({ kind: 'architecture', file });
    else if (isComposeOverridePath(file)) {
      const base = baseCandidatesOf(file).find(isFile);
      if (base) project(base, [base, file]);
      else project(file, [file]);
    } else if (isComposePath(file)) {
      const override = overrideCandidatesOf(file).find(isFile);
      project(file, override ? [file, override] : [file]);
    } else {
      const kind = sourceOf(file, readText(file) ?? '');
      if (kind === 'compose') project(file, [file]);
      else if (kind === 'kubernetes') manifests.push(file);
      else units.push({ kind: 'architecture', file });
    }
  }
  // Each folder's manifests are one architecture (across namespaces), as the editor groups them:
  // those given and the others a search of the folder finds, in a search's order.
  const byFolder = new Map<string, string[]>();
  for (const file of manifests) {
    const folder = dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  for (const [folder, given] of byFolder) {
    units.push({ kind: 'kubernetes', files: [...new Set([...given, ...beside(folder)])].sort() });
  }
  // A base whose override was named separately got it above; keep each project's base first.
  return units;
}

/** Whether a path exists (for `--compose` files, which must). */
export const exists = (path: string): boolean => existsSync(path);

/**
 * What one named input is, by its name and then its content: an `*.arch.yaml` is an architecture;
 * a compose name or a top-level `services:` map, a compose file; objects with `apiVersion` and
 * `kind` (YAML or JSON, or a Helm template), manifests; anything else an architecture file, so its
 * errors show.
 */
export function sourceOf(path: string, text: string): 'architecture' | 'compose' | 'kubernetes' {
  if (isArchPath(path)) return 'architecture';
  if (isComposePath(path) || isComposeOverridePath(path) || looksLikeCompose(text)) return 'compose';
  if (looksLikeManifest(text) || isHelmTemplate(text) || isJsonManifest(text)) return 'kubernetes';
  return 'architecture';
}

/**
 * Lints the one input `availability`, `diagram` and `model` take, as {@link sourceOf} says it is:
 * a compose file as its project — with its override beside it, when it is a base file on disk —
 * manifests — with the other files of their architecture when they are on disk (`architectureOf`
 * lists them, the input included, in the order `archlint lint` reads them: see
 * {@link manifestArchitectureOf}) — or an architecture file. `path` is where the input is
 * (absolute; standard input is placed by `--stdin-filename`), `text` its text.
 */
export function lintInput(
  path: string,
  text: string,
  options: LintOptions & {
    profiles?: readonly string[];
    onDisk: boolean;
    architectureOf?: (file: string) => readonly string[];
  },
): LintResult {
  const source = sourceOf(path, text);
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  if (source === 'kubernetes') {
    const unit = (options.onDisk && options.architectureOf?.(path)) || [path];
    const files: SourceText[] = [];
    for (const file of unit.includes(path) ? unit : [path, ...unit]) {
      // The input as it was read; the others from disk (one that cannot be read is left out).
      const fileText = file === path ? text : read(file);
      if (fileText !== undefined) files.push({ file, text: fileText });
    }
    return lintKubernetes({ files }, options);
  }
  if (source === 'architecture') return lint(text, options);
  const files: SourceText[] = [{ file: path, text }];
  if (options.onDisk && isComposePath(path)) {
    const override = overrideCandidatesOf(path).find(isFile);
    const overrideText = override && read(override);
    if (override && overrideText !== undefined) files.push({ file: override, text: overrideText });
  }
  return lintCompose({ files, readFile: read, profiles: options.profiles }, options);
}

/** A synchronous glob (tinyglobby's `globSync`, loaded by whoever needs it: the CLI only when a configuration has groups). */
export type GlobSync = (pattern: string, options: { cwd: string; absolute: true; ignore: string[] }) => string[];

/**
 * The files of a configuration's `architectures` group (`compose: [globs]` or `kubernetes:
 * [globs]`), relative to the configuration's folder: each glob's matches in order, sorted within
 * a glob, each file once. The CLI and the language server group files alike through it.
 */
export function groupFiles(folder: string, globs: readonly string[], globSync: GlobSync): string[] {
  const out: string[] = [];
  for (const pattern of globs) {
    const found = globSync(pattern, { cwd: folder, absolute: true, ignore: ['**/node_modules/**', '**/.git/**'] });
    for (const file of found.map((f) => resolve(f)).sort()) if (!out.includes(file)) out.push(file);
  }
  return out;
}

/** Larger files than this are not opened to look for a manifest (a lockfile, a data dump): by a search, nor by the editor. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * Whether a file holds Kubernetes manifests by its content (the engine's `isManifestText`, as the
 * editor decides). A file larger than 4 MB is not opened, and is not one. Throws when the file
 * cannot be read.
 */
function readsAsManifest(file: string): boolean {
  const stat = statSync(file);
  // Only a regular file is opened: reading a named pipe would wait for a writer forever.
  if (!stat.isFile()) throw new Error('not a regular file');
  if (stat.size > MAX_MANIFEST_BYTES) return false;
  return isManifestText(file, readFileSync(file, 'utf8'));
}

/**
 * Whether a file found by searching a folder is a Kubernetes manifest ({@link readsAsManifest}).
 * A file that cannot be read is not.
 */
export function isManifestFile(file: string): boolean {
  try {
    return readsAsManifest(file);
  } catch {
    return false;
  }
}

/** Folders a search never enters (as `resolveTargets` skips them): installed packages and version control. */
const NEVER_SEARCHED = new Set(['node_modules', '.git']);

/**
 * The Kubernetes manifests a search of `folder` finds in it, not in its subfolders (each is an
 * architecture of its own): every `.yaml`, `.yml` and `.json` file (a symlink to one too) that is
 * not an `*.arch.yaml` nor, with `compose` on, a compose file by its standard name, and whose
 * content is manifests ({@link isManifestFile}); absolute, sorted. A file `leaveOut` names is not
 * opened. A folder that cannot be listed, or one inside node_modules or .git, has none.
 */
export function folderManifests(folder: string, options: { compose: boolean; leaveOut?: (file: string) => boolean }): string[] {
  const parts = resolve(folder).split(sep);
  if (parts.some((part) => NEVER_SEARCHED.has(part))) return [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .map((name) => join(folder, name))
    .filter(
      (file) =>
        isManifestName(file) &&
        !isArchPath(file) &&
        !(options.compose && (isComposePath(file) || isComposeOverridePath(file))) &&
        !options.leaveOut?.(file) &&
        isManifestFile(file),
    )
    .sort();
}

/**
 * The manifests of a folder that are linted with the ones named there, picked as a search of the
 * folder picks them ({@link folderManifests}) under its configuration: none when its `sources`
 * turn Kubernetes off, and not a file its `ignores` name, nor one `leaveOut` names (a file a
 * configuration group names is linted in its group; a file the run has is where the run put it).
 */
export function manifestsBeside(folder: string, loaded: LoadedConfig | undefined, leaveOut: (file: string) => boolean): string[] {
  const sources = loaded?.config?.sources;
  if (sources?.kubernetes === false) return [];
  return folderManifests(folder, {
    compose: sources?.compose !== false,
    leaveOut: (file) => leaveOut(file) || (loaded?.ignores(file) ?? false),
  });
}

/**
 * The files a configuration's `architectures` groups name, by source (their globs matched now,
 * as {@link groupFiles} does; the globber is loaded only for a configuration that has groups);
 * none without a configuration.
 */
export async function configGroups(
  loaded: LoadedConfig | undefined,
): Promise<{ source: 'compose' | 'kubernetes'; files: string[] }[]> {
  const groups = loaded?.config?.architectures ?? [];
  if (groups.length === 0) return [];
  const { globSync } = await import('tinyglobby');
  return groups.flatMap((group) =>
    (['compose', 'kubernetes'] as const)
      .filter((source) => group[source].length > 0)
      .map((source) => ({ source, files: groupFiles(dirname(loaded!.path), group[source], globSync) })),
  );
}

/**
 * The files of the architecture a manifest file on disk is part of, itself included, as
 * `archlint lint` reads them when it is named: its configuration group's files (in the group's
 * order) when a `kubernetes` group names it, else it and the manifests beside it
 * ({@link manifestsBeside}) that no group names, sorted. `groups` are the configuration's
 * ({@link configGroups}).
 */
export function manifestArchitectureOf(
  file: string,
  loaded: LoadedConfig | undefined,
  groups: readonly { source: 'compose' | 'kubernetes'; files: readonly string[] }[],
): string[] {
  const group = groups.find((g) => g.source === 'kubernetes' && g.files.includes(file));
  if (group) return [...group.files];
  const real = realPathOf(file);
  const beside = manifestsBeside(dirname(file), loaded, (f) => realPathOf(f) === real || groups.some((g) => g.files.includes(f)));
  return [file, ...beside].sort();
}

/**
 * Whether a file is one a folder search would lint, for `archlint lint --ignore-unknown`: an
 * `*.arch.yaml`/`*.arch.yml`; a compose file by its standard name (`sources.compose` on); or
 * Kubernetes manifests by their content (`sources.kubernetes` on). A file that cannot be read is
 * kept, so that its error shows: what it holds cannot be told, and it was asked for by name.
 */
export function isKnownFile(file: string, sources: { compose: boolean; kubernetes: boolean }): boolean {
  if (isArchPath(file)) return true;
  if (isComposePath(file) || isComposeOverridePath(file)) return sources.compose;
  if (!sources.kubernetes) return false;
  try {
    return readsAsManifest(file);
  } catch {
    return true;
  }
}
