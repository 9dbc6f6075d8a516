// A Compose project in the editor: the workspace's compose-web/compose.yaml (web, api and
// PostgreSQL, from test/e2e/fixtures/) is linted as it is opened, whatever language the workbench
// gives it (`yaml`, or `dockercompose`), with its findings on the service lines, a CodeLens on its
// entry point, and "Open Diagram to the Side" drawing its services.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { lintCompose, LineIndex } from '../../../extension/src/engine';
import { activateArchlint, closeAllEditors, codeOf, openWithDiagnostics, waitFor, workspaceRoot } from './helpers';

const OPEN = 'archlint.openDiagramToSide';
const LAST_RENDER = 'archlint.diagram.lastRender';

const composeUri = () => vscode.Uri.joinPath(workspaceRoot(), 'compose-web', 'compose.yaml');

/** `rule@line` (from 0), sorted. */
const onLines = (items: { rule: string; line: number }[]) => items.map((i) => `${i.rule}@${i.line}`).sort();

suite('compose', () => {
  suiteSetup(async () => {
    await activateArchlint();
  });
  teardown(closeAllEditors);

  test('compose.yaml of web, api and postgres: diagnostics on the service lines, as the engine finds them', async () => {
    const uri = composeUri();
    const { document, diagnostics } = await openWithDiagnostics(uri);
    assert.ok(['yaml', 'dockercompose'].includes(document.languageId), `language ${document.languageId}`);
    const shown = onLines(diagnostics.map((d) => ({ rule: codeOf(d), line: d.range.start.line })));
    // web's key (a single point of failure), its published port (public without a rate limit or TLS), api's and db's keys.
    assert.deepEqual(shown, [
      'anonymous-rate-limit@5',
      'plaintext-ingress@5',
      'single-point-of-failure@12',
      'single-point-of-failure@2',
      'single-point-of-failure@8',
    ]);
    const text = document.getText();
    const lines = new LineIndex(text);
    const engine = lintCompose({ files: [{ file: uri.toString(), text }] }).findings;
    assert.deepEqual(shown, onLines(engine.map((f) => ({ rule: f.ruleId, line: lines.position(f.range[0]).line }))));
    const web = diagnostics.find((d) => d.range.start.line === 2)!;
    assert.equal(document.getText(web.range), 'web');
  });

  test('a CodeLens over the entry point (web) with its availability', async () => {
    const uri = composeUri();
    await openWithDiagnostics(uri);
    const lenses = await waitFor('the lenses of compose.yaml', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return found && found.length > 0 && found.every((l) => l.command) ? found : undefined;
    });
    assert.deepEqual(
      lenses.map((l) => l.range.start.line),
      [2],
    );
    assert.match(lenses[0]!.command!.title, /% available/);
  });

  test('Open Diagram to the Side draws its three services', async () => {
    const uri = composeUri();
    await openWithDiagnostics(uri);
    await vscode.commands.executeCommand(OPEN);
    const rendered = await waitFor('the webview of compose.yaml to report a render', async () => {
      const r = await vscode.commands.executeCommand<{ nodes?: unknown } | undefined>(LAST_RENDER, uri);
      const nodes = r && (typeof r.nodes === 'number' ? r.nodes : Array.isArray(r.nodes) ? r.nodes.length : undefined);
      return nodes === 3 ? nodes : undefined;
    });
    assert.equal(rendered, 3);
    const panel = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview);
    assert.ok(panel, 'the diagram is open in a tab');
  });
});
