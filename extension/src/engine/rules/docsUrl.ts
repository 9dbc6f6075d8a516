/** Where the rule pages live; the generator writes them to `docs/rules/` in this repository. */
export const RULE_DOCS_BASE = 'https://github.com/archlint/archlint/blob/main/docs/rules/';

/**
 * The stable documentation link of a rule or built-in diagnostic (`yaml-syntax`, `duplicate-key`,
 * `schema` have pages too). SARIF's `helpUri` and the editor's diagnostic code link use it.
 */
export function ruleDocsUrl(id: string): string {
  return `${RULE_DOCS_BASE}${encodeURIComponent(id)}.md`;
}
