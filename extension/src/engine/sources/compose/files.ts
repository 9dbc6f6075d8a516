/**
 * Which files are Compose files, and which files form one Compose project.
 *
 * Paths here are the caller's (file paths in the CLI, URIs in the editor): the engine never
 * touches a file system, so it splits and joins them by `/` (and `\` for Windows paths).
 */

/** The names `docker compose` looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

const COMPOSE_NAME = /^(?:docker-)?compose\.ya?ml$/i;
const OVERRIDE_NAME = /^(?:docker-)?compose\.override\.ya?ml$/i;

/** Glob patterns for the standard names and their override files, for finding and watching them. */
export const COMPOSE_GLOBS = [
  '**/compose.yaml',
  '**/compose.yml',
  '**/docker-compose.yaml',
  '**/docker-compose.yml',
  '**/compose.override.yaml',
  '**/compose.override.yml',
  '**/docker-compose.override.yaml',
  '**/docker-compose.override.yml',
] as const;

/** The last segment of a path or URI (without a query or fragment). */
export function baseName(path: string): string {
  const clean = path.replace(/[?#].*$/, '');
  return clean.slice(Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\')) + 1);
}

/** Everything before the last segment, with its separator (`a/b/` for `a/b/c.yaml`; empty for a bare name). */
export function dirName(path: string): string {
  const clean = path.replace(/[?#].*$/, '');
  return clean.slice(0, Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\')) + 1);
}

/** Whether a path names a Compose file by one of the standard names (`compose.yaml`, `docker-compose.yml`, …). */
export function isComposePath(path: string): boolean {
  return COMPOSE_NAME.test(baseName(path));
}

/** Whether a path names a Compose override file (`compose.override.yaml`, …). */
export function isComposeOverridePath(path: string): boolean {
  return OVERRIDE_NAME.test(baseName(path));
}

/** The base file an override file belongs to, by Compose's naming: candidates in its folder, in order. */
export function baseCandidatesOf(overridePath: string): string[] {
  const dir = dirName(overridePath);
  const docker = baseName(overridePath).toLowerCase().startsWith('docker-');
  const names = COMPOSE_FILE_NAMES.filter((n) => n.startsWith('docker-') === docker);
  return names.map((n) => dir + n);
}

/** The override file candidates of a base file (`compose.override.yaml` / `.yml` beside `compose.yaml`). */
export function overrideCandidatesOf(basePath: string): string[] {
  const name = baseName(basePath);
  const m = /^((?:docker-)?compose)\.ya?ml$/i.exec(name);
  if (!m) return [];
  const dir = dirName(basePath);
  return [`${dir}${m[1]}.override.yaml`, `${dir}${m[1]}.override.yml`];
}

/**
 * A path relative to the file `from` is in (`include:` and `extends.file` name files so), or
 * `to` itself when absolute. Keeps URIs URIs (`file:///a/b` + `../c.yaml` → `file:///a/c.yaml`).
 */
export function resolvePath(from: string, to: string): string {
  if (/^(?:[a-z][a-z0-9+.-]*:|\/|[A-Za-z]:[\\/]|\\\\)/i.test(to)) return to;
  const dir = dirName(from);
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(dir)?.[0] ?? '';
  const rest = dir.slice(scheme.length);
  const absolute = rest.startsWith('/') || rest.startsWith('\\');
  const drive = /^[A-Za-z]:/.exec(rest)?.[0] ?? '';
  const parts = rest
    .slice(drive.length)
    .split(/[\\/]/)
    .filter((p) => p !== '' && p !== '.');
  for (const part of to.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute && !drive) parts.push('..');
    } else parts.push(part);
  }
  return scheme + drive + (absolute || drive ? sep : '') + parts.join(sep);
}

/** A cheap look at a text: whether its top level has a `services:` key (what makes a YAML file a Compose file). */
export function looksLikeCompose(text: string): boolean {
  return /^services[ \t]*:/m.test(text) && !/^(?:archlint|components)[ \t]*:/m.test(text);
}
