// Types for generators.mjs, so the property tests use the fuzz script's generators.

export type Random = () => number;
export interface Chooser {
  rand: Random;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  weighted<T>(pairs: readonly (readonly [number, T])[]): T;
  chance(p: number): boolean;
}
export function prng(seed: number): Random;
export function chooser(rand: Random): Chooser;
export const HOSTILE_IDS: readonly string[];
export const ODD_PLAIN_KEYS: readonly string[];
export function yamlQuoted(s: string): string;
export function yamlSingleQuoted(s: string): string;
export function writeId(c: Chooser, id: string): string;
export function hostileIdsArchitecture(rand: Random): { text: string; ids: string[] };
export function oddKeysArchitecture(rand: Random): string;
export function chainArchitecture(n: number, style?: 'depends-on' | 'routes-to' | 'optional' | 'any-of'): string;
export function junctionsArchitecture(entries: number, groups: number): string;
export function deepNesting(
  depth: number,
  form: 'flow-seq' | 'flow-map' | 'block-map' | 'block-seq',
  where: 'root' | 'component' | 'depends-on',
): string;
export function aliasBomb(levels: number, width: number, where?: 'component' | 'root'): string;
export const HUGE_VALUES: readonly string[];
export function hugeCountsArchitecture(rand: Random): string;
export const ODD_ROOTS: readonly string[];
export function withLineEndings(text: string, style: 'lf' | 'crlf' | 'cr' | 'mixed'): string;
export const INVALID_UTF8: readonly (readonly number[])[];
export function withInvalidUtf8(rand: Random, text: string): Buffer;
export const NOISE: readonly string[];
export function mutate(rand: Random, text: string, edits?: number): string;
export function randomText(rand: Random, maxLength?: number): string;
export function randomBytes(rand: Random, maxLength?: number): Buffer;
export function structuralArchitecture(rand: Random): string;
