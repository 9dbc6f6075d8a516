import type { Rule } from './types';

/** Every rule, sorted by id. One file per rule; the file name is the rule id. */
export const rules: readonly Rule[] = [];

export const rulesById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.meta.id, r]));
