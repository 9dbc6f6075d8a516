/**
 * Which documents Archlint handles. Files keep the `yaml` language (so highlighting and other
 * YAML tools still work); Archlint picks its own out by name.
 */
const ARCH_FILE = /\.arch\.ya?ml$/i;

/** Whether a path or URI path names an architecture file (`*.arch.yaml` / `*.arch.yml`). */
export function isArchPath(path: string): boolean {
  return ARCH_FILE.test(path);
}

/** Glob patterns for the same files, for document selectors and file watchers. */
export const ARCH_GLOBS = ['**/*.arch.yaml', '**/*.arch.yml'] as const;
