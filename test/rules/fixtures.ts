import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** test/rules: one folder of `*.arch.yaml` fixtures per rule, named by the rule's id. */
export const RULES_DIR = __dirname;

/** Fixture folders, sorted: every directory under test/rules. */
export function fixtureFolders(): string[] {
  return readdirSync(RULES_DIR)
    .filter((name) => statSync(join(RULES_DIR, name)).isDirectory())
    .sort();
}

/** The `*.arch.yaml` fixtures of one rule, sorted; `clean-*` ones must not be flagged. */
export function fixtureFiles(ruleId: string): string[] {
  return readdirSync(join(RULES_DIR, ruleId))
    .filter((f) => f.endsWith('.arch.yaml'))
    .sort();
}
