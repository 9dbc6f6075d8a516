// Types for generate.mjs, so TypeScript tests can lint the same generated architectures the bench does.

/** A deterministic pseudo-random generator in [0, 1). */
export function random(seed: number): () => number;
/** An architecture of `n` components as YAML text; the same `n` and options always give the same text. */
export function generateArchitecture(n: number, options?: { seed?: number; anyOfGroups?: number }): string;
/** A Compose project of `n` services as its two files; the same `n` always gives the same text. */
export function generateCompose(n: number, options?: { seed?: number }): { base: string; override: string };
/** A `helm template`-style stream of `n` workloads with Services, HPAs and Ingresses; the same `n` always gives the same text. */
export function generateManifests(n: number, options?: { seed?: number }): string;
