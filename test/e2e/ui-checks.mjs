export async function runUiChecks() {
  return { checks: [] };
}
