// Kubernetes manifests in the editor: the workspace's k8s-shop/ folder (storefront → checkout →
// payments, one Deployment and Service per file, an Ingress, a kustomization.yaml; from
// test/e2e/fixtures/) is one architecture. payments.yaml, opened, shows the finding the folder
// gives (one pod, which the storefront's Ingress needs through checkout), exactly as the engine
// finds it over the folder's files; its quick fixes edit the manifest (two replicas, then a
// readinessProbe copied from the livenessProbe); storefront.yaml's CodeLens follows the edit in
// another file; "Open Diagram to the Side" draws the folder's components; an archlint.config.yaml
// written beside them (and deleted) is read again at once.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { lintKubernetes, LineIndex } from '../../../extension/src/engine';
import {
  activateArchlint,
  archlintDiagnostics,
  closeAllEditors,
  codeActionsAt,
  codeOf,
  currentDiagnostics,
  isEditingQuickFix,
  lostComments,
  openWithDiagnostics,
  waitFor,
  workspaceRoot,
} from './helpers';

const OPEN = 'archlint.openDiagramToSide';
const LAST_RENDER = 'archlint.diagram.lastRender';
const FILES = ['checkout.yaml', 'kustomization.yaml', 'payments.yaml', 'storefront.yaml'];

const shopUri = (name: string) => vscode.Uri.joinPath(workspaceRoot(), 'k8s-shop', name);

/** `rule@line` (from 0), sorted. */
const onLines = (items: { rule: string; line: number }[]) => items.map((i) => `${i.rule}@${i.line}`).sort();

/** What the engine finds over the folder as it is on disk. */
async function engineLint() {
  const files = await Promise.all(
    FILES.map(async (name) => ({
      file: shopUri(name).toString(),
      text: new TextDecoder().decode(await vscode.workspace.fs.readFile(shopUri(name))),
    })),
  );
  return { result: lintKubernetes({ files }), files };
}

/** The CodeLens titles of a document, once the server has them. */
async function lensTitles(uri: vscode.Uri, differentFrom?: string): Promise<string[]> {
  return waitFor(`the lenses of ${uri.path.split('/').pop()}`, async () => {
    const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
    const titles = found?.every((l) => l.command) ? found.map((l) => l.command!.title) : [];
    return titles.length > 0 && JSON.stringify(titles) !== differentFrom ? titles : undefined;
  });
}

suite('kubernetes', () => {
  suiteSetup(async () => {
    await activateArchlint();
  });
  teardown(closeAllEditors);

  test('payments.yaml shows what its folder gives: one pod the storefront needs, on spec.replicas, as the engine finds it', async () => {
    const uri = shopUri('payments.yaml');
    const { document, diagnostics } = await openWithDiagnostics(uri);
    const shown = onLines(diagnostics.map((d) => ({ rule: codeOf(d), line: d.range.start.line })));
    assert.deepEqual(shown, ['single-point-of-failure@7']);
    assert.equal(document.getText(diagnostics[0]!.range), '1');
    assert.match(diagnostics[0]!.message, /^payments is a single point of failure: .* takes down storefront-ingress/);

    const { result, files } = await engineLint();
    const lines = new LineIndex(files.find((f) => f.file === uri.toString())!.text);
    const engine = result.findings.filter((f) => f.file === uri.toString());
    assert.deepEqual(shown, onLines(engine.map((f) => ({ rule: f.ruleId, line: lines.position(f.range[0]).line }))));
    // The other manifests of the folder, kustomization.yaml included, are read and have nothing to say.
    assert.deepEqual(
      result.findings.filter((f) => f.file !== uri.toString()),
      [],
    );
  });

  test("quick fixes edit the manifest, and storefront.yaml's lens follows: two replicas, then a readinessProbe", async () => {
    const storefront = shopUri('storefront.yaml');
    await openWithDiagnostics(storefront);
    const before = await lensTitles(storefront);
    assert.equal(before.length, 1);
    assert.match(before[0]!, /% available/);

    const uri = shopUri('payments.yaml');
    const { document, diagnostics } = await openWithDiagnostics(uri);
    const original = document.getText();
    const single = diagnostics.find((d) => codeOf(d) === 'single-point-of-failure')!;
    const replicas = (await codeActionsAt(uri, single.range, vscode.CodeActionKind.QuickFix.value)).filter(isEditingQuickFix);
    assert.ok(replicas.length > 0, 'a fix for the single pod');
    assert.ok(await vscode.workspace.applyEdit(replicas[0]!.edit!));
    assert.match(document.getText(), /replicas: 2/);

    // Two pods behind a Service with only a livenessProbe: now the missing readiness probe matters.
    const pooled = await currentDiagnostics(uri);
    assert.deepEqual(
      pooled.map((d) => codeOf(d)),
      ['missing-health-check'],
    );
    assert.equal(document.getText(pooled[0]!.range), 'payments');
    const probe = (await codeActionsAt(uri, pooled[0]!.range, vscode.CodeActionKind.QuickFix.value)).filter(isEditingQuickFix);
    assert.equal(probe[0]!.isPreferred, true, 'the readinessProbe copy is safe');
    assert.ok(await vscode.workspace.applyEdit(probe[0]!.edit!));
    assert.match(document.getText(), /readinessProbe:\n\s+httpGet:\n\s+path: \/healthz\n\s+port: 8080/);
    assert.deepEqual(await currentDiagnostics(uri), []);
    assert.deepEqual(lostComments(original, document.getText()), []);

    // The storefront's entry point reaches payments: its availability changed with an edit in another file.
    const after = await lensTitles(storefront, JSON.stringify(before));
    assert.notDeepEqual(after, before);
  });

  test('Open Diagram to the Side on a manifest draws every component of the folder', async () => {
    const uri = shopUri('checkout.yaml');
    await openWithDiagnostics(uri);
    const { result } = await engineLint();
    const expected = result.model!.components.size;
    // A Service is kube-proxy's pool, not a component: the three workloads and the Ingress.
    assert.deepEqual([...result.model!.components.keys()].sort(), ['checkout', 'payments', 'storefront', 'storefront-ingress']);
    assert.ok(await vscode.commands.executeCommand(OPEN), 'the command takes the active manifest');
    const rendered = await waitFor('the webview of checkout.yaml to report a render', async () => {
      const r = await vscode.commands.executeCommand<{ nodes?: unknown } | undefined>(LAST_RENDER, uri);
      const nodes = r && (typeof r.nodes === 'number' ? r.nodes : Array.isArray(r.nodes) ? r.nodes.length : undefined);
      return nodes === expected ? nodes : undefined;
    });
    assert.equal(rendered, expected);
  });

  test('an archlint.config.yaml written beside the manifests is read at once: its sources.kubernetes: false clears them, deleted they are back', async () => {
    const uri = shopUri('payments.yaml');
    const { diagnostics } = await openWithDiagnostics(uri);
    assert.deepEqual(
      diagnostics.map((d) => codeOf(d)),
      ['single-point-of-failure'],
    );
    const config = shopUri('archlint.config.yaml');
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode('sources: { kubernetes: false }\n'));
    try {
      await waitFor('the configuration to turn the Kubernetes source off', () =>
        archlintDiagnostics(uri).length === 0 ? true : undefined,
      );
    } finally {
      await vscode.workspace.fs.delete(config);
    }
    await waitFor('the finding to be back once the configuration is deleted', () =>
      archlintDiagnostics(uri)
        .map((d) => codeOf(d))
        .join() === 'single-point-of-failure'
        ? true
        : undefined,
    );
  });

  test('a shop as helm template prints it shows, opened, the findings its # expect: markers name, on their lines', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'helm-shop', 'shop.yaml');
    const { document, diagnostics } = await openWithDiagnostics(uri);
    const expected: string[] = [];
    document
      .getText()
      .split('\n')
      .forEach((line, i) => {
        for (const rule of /# expect: (.+)$/.exec(line)?.[1]?.split(/,\s*/) ?? []) expected.push(`${rule.trim()}@${i}`);
      });
    assert.ok(expected.length >= 4, `markers: ${expected.join(', ')}`);
    assert.deepEqual(onLines(diagnostics.map((d) => ({ rule: codeOf(d), line: d.range.start.line }))), expected.sort());
  });
});
