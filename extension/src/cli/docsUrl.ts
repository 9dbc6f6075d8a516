/** Where a rule's documentation lives. (Local until the engine's `ruleDocsUrl` lands; then this re-exports it.) */
export function ruleDocsUrl(id: string): string {
  return `https://github.com/archlint/archlint/blob/main/docs/rules/${id}.md`;
}
