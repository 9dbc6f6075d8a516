/**
 * What each file a run names or finds is: an architecture file, or one file of a Compose project.
 * A project is linted as one architecture: its base file and its override (as `docker compose`
 * in that folder reads them), or exactly the files given with `--compose`, in order.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  baseCandidatesOf,
  isArchPath,
  isComposeOverridePath,
  isComposePath,
  isHelmTemplate,
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
 * (a top-level `services:` map makes a project of one file, as `docker-stack.yml`), else as an
 * architecture file, so its errors show. `readText` gives a file's text (for the content check).
 */
export function groupUnits(files: readonly string[], readText: (file: string) => string | undefined): LintUnit[] {
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
  // Each folder's manifests are one architecture (across namespaces), as the editor groups them.
  const byFolder = new Map<string, string[]>();
  for (const file of manifests) {
    const folder = dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  for (const files of byFolder.values()) units.push({ kind: 'kubernetes', files });
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
  if (looksLikeManifest(text) || isHelmTemplate(text) || isManifestText('.json', text)) return 'kubernetes';
  return 'architecture';
}

/**
 * Lints the one input `availability`, `diagram` and `model` take, as {@link sourceOf} says it is:
 * a compose file as its project — with its override beside it, when it is a base file on disk —
 * manifests, or an architecture file. `path` is where the input is (absolute; standard input is
 * placed by `--stdin-filename`), `text` its text.
 */
export function lintInput(
  path: string,
  text: string,
  options: LintOptions & { profiles?: readonly string[]; onDisk: boolean },
): LintResult {
  const source = sourceOf(path, text);
  if (source === 'kubernetes') return lintKubernetes({ files: [{ file: path, text }] }, options);
  if (source === 'architecture') return lint(text, options);
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
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

/** Larger files than this are not opened to look for a manifest (a lockfile, a data dump). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

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
