import { dependencyCycle } from './dependency-cycle';
import { petInCattlePool } from './pet-in-cattle-pool';
import { singlePointOfFailure } from './single-point-of-failure';
import type { Rule } from './types';

/** Every rule, sorted by id, one a line (so adding a rule is a one-line change). One file per rule; the file name is the rule id. */
// prettier-ignore
export const rules: readonly Rule[] = [
  dependencyCycle,
  petInCattlePool,
  singlePointOfFailure,
];

export const rulesById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.meta.id, r]));
