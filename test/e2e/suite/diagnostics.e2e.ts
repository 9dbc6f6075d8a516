// Opening a file in the editor gives the findings the CLI gives: same rules, same severities, same
// ranges. The CLI's JSON report was computed before VS Code started (test/e2e/prepare.mjs).
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  activateArchlint,
  cliKey,
  closeAllEditors,
  diagnosticKey,
  expected,
  openWithDiagnostics,
  sampleNames,
  sortedKeys,
  workspaceRoot,
} from './helpers';

suite('activation', () => {
  test('Archlint activates and is contributed for *.arch.yaml', async () => {
    await activateArchlint();
    const extension = vscode.extensions.getExtension('archlint.archlint')!;
    assert.equal(extension.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('archlint.openDiagramToSide'), 'command archlint.openDiagramToSide is registered');
  });
});

suite('diagnostics match the CLI', () => {
  suiteSetup(async () => {
    await activateArchlint();
  });
  teardown(closeAllEditors);

  for (const sample of sampleNames) {
    const wanted = sortedKeys(expected.samples[sample]!.messages.map(cliKey));
    test(`${sample}: ${wanted.length} finding(s) as archlint lint reports them`, async () => {
      const uri = vscode.Uri.joinPath(workspaceRoot(), sample);
      // The diagnostics of the file's text once they are shown (whatever they are): the assertion shows the difference.
      const { diagnostics: shown } = await openWithDiagnostics(uri);
      assert.deepEqual(sortedKeys(shown.map(diagnosticKey)), wanted);
      // Messages too: the editor and the CLI use the same engine, so the words are the same.
      const cliMessages = expected.samples[sample]!.messages.map((m) => m.message).sort();
      assert.deepEqual(shown.map((d) => d.message).sort(), cliMessages);
    });
  }
});
