// The same e2e suite in desktop VS Code, through @vscode/test-electron, for machines that can
// download VS Code (this project's CI cannot: it uses code-server, test/e2e/run.mjs). On Linux
// without a display, run it under xvfb-run. VSCODE_VERSION picks the build (default: stable).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildExtension, bundleSuite, computeExpectations, makeWorkspace, root, writeSummary } from './prepare.mjs';

const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const summaryFile = join(root, 'test-output', 'e2e-vscode.json');

buildExtension();
const expectations = computeExpectations(join(root, 'samples'));
const suite = await bundleSuite({ expectations, grep: grepAt >= 0 ? args[grepAt + 1] : undefined });
const workspace = makeWorkspace();
const userDataDir = mkdtempSync(join(tmpdir(), 'archlint-e2e-vscode-'));

let exitCode = 1;
try {
  exitCode = await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: suite.index,
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      userDataDir,
    ],
  });
} catch (error) {
  console.error(`[e2e:vscode] ${error instanceof Error ? error.message : String(error)}`);
} finally {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(userDataDir, { recursive: true, force: true });
}

let counts = { passed: 0, failed: 1, skipped: 0 };
try {
  const results = JSON.parse(readFileSync(suite.results, 'utf8'));
  counts = { passed: results.passed, failed: results.failed, skipped: results.skipped };
} catch {
  console.error('[e2e:vscode] the suite wrote no results (VS Code did not start, or the suite did not load)');
}
writeSummary(summaryFile, counts);
console.log(`e2e-vscode: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
process.exit(counts.failed > 0 || counts.passed === 0 || exitCode !== 0 ? 1 : 0);
