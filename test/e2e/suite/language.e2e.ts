// The language features on component references, as a user meets them: completion of ids in
// `depends-on`, rename, hover with availability, and a CodeLens per entry point that shows the
// same availability as `archlint availability FILE --format json`.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import {
  activateArchlint,
  closeAllEditors,
  codeOf,
  currentDiagnostics,
  expected,
  freshCopy,
  openWithDiagnostics,
  sampleNames,
  waitFor,
} from './helpers';

interface ParsedArchitecture {
  components?: Record<string, { 'depends-on'?: unknown[]; entry?: boolean } | null>;
}

function componentsOf(text: string): string[] {
  return Object.keys((parse(text) as ParsedArchitecture).components ?? {});
}

/** The 0-based position of the first match of `pattern` in `text`, shifted by `delta` characters. */
function positionOf(document: vscode.TextDocument, pattern: RegExp, delta = 0): vscode.Position {
  const match = pattern.exec(document.getText());
  assert.ok(match, `pattern ${pattern} is in ${document.uri.path}`);
  return document.positionAt(match.index + delta);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

/** Every percentage in a text, as numbers ("99.9712%" → 99.9712; ">99.9999%" counts as its figure). */
function percentagesIn(text: string): number[] {
  return [...text.matchAll(/(\d{1,3}(?:\.\d+)?)\\?%/g)].map((m) => Number(m[1]));
}

/** Whether `shown` (a rounded percentage) is `probability` written with that many decimals. */
function showsProbability(shown: number, shownText: string, probability: number): boolean {
  const decimals = (shownText.split('.')[1] ?? '').length;
  return Math.abs(shown - probability * 100) <= 0.5 * 10 ** -decimals + 1e-9;
}

interface CliEntry {
  component: string;
  availability: number;
}

/** The entry points of `archlint availability --format json`, whatever its exact envelope. */
function cliEntries(report: unknown): CliEntry[] {
  const found: CliEntry[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.entries)) {
        for (const e of o.entries as Record<string, unknown>[]) {
          if (typeof e.component === 'string' && typeof e.availability === 'number')
            found.push({ component: e.component, availability: e.availability });
        }
      } else Object.values(o).forEach(visit);
    }
  };
  visit(report);
  return found;
}

suite('language features', () => {
  suiteSetup(async () => {
    await activateArchlint();
  });
  teardown(closeAllEditors);

  test('completion in a block depends-on list offers the component ids', async () => {
    const uri = await freshCopy('shop.arch.yaml', 'completion');
    const { document, editor, diagnostics } = await openWithDiagnostics(uri);
    assert.ok(diagnostics.length > 0, 'shop has findings in the editor');
    const after = positionOf(document, /\n {6}- checkout\n/, '\n      - checkout'.length);
    await editor.edit((b) => b.insert(after, '\n      - '));
    const at = after.translate(1, 0).with({ character: '      - '.length });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    // Not yet used by web, and not web itself: these must be offered.
    for (const id of ['edge', 'cache', 'db', 'payments-eu', 'payments-us'])
      assert.ok(labels.includes(id), `${id} is offered; got ${JSON.stringify(labels)}`);
  });

  test('completion in a flow list (an any-of in depends-on) offers the component ids', async () => {
    const uri = await freshCopy('shop.arch.yaml', 'completion-flow');
    const { document, editor, diagnostics } = await openWithDiagnostics(uri);
    assert.ok(diagnostics.length > 0, 'shop has findings in the editor');
    // checkout's `- { any-of: [payments-eu, payments-us] }`: a reference typed after the last id.
    const at = positionOf(document, /any-of: \[payments-eu, payments-us\]/, 'any-of: [payments-eu, payments-us'.length);
    await editor.edit((b) => b.insert(at, ', '));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      at.translate(0, 2),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const id of ['cache', 'recommendations', 'catalog'])
      assert.ok(labels.includes(id), `${id} is offered; got ${JSON.stringify(labels)}`);
    assert.ok(!labels.includes('checkout'), `checkout (the list's own component) is not offered; got ${JSON.stringify(labels)}`);
  });

  test('renaming a component from a reference renames its key and every reference', async () => {
    const uri = await freshCopy('shop.arch.yaml', 'rename');
    const { document, diagnostics } = await openWithDiagnostics(uri);
    assert.ok(diagnostics.length > 0, 'shop has findings in the editor');
    const before = document.getText();
    // From checkout's reference `- db`, not from the key: both must find each other.
    const at = positionOf(document, /- db$/m, '- d'.length);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      uri,
      at,
      'main-db',
    );
    assert.ok(edit, 'a rename edit is returned');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    // Every whole-word `db` (the key and both references; no comment in shop mentions db) is now main-db.
    const wanted = before.replace(/(?<![\w-])db(?![\w-])/g, 'main-db');
    assert.equal(document.getText(), wanted);
    // The diagnostics of the renamed text, not those from before the rename (which had none either).
    const after = await currentDiagnostics(uri);
    assert.ok(
      !after.some((d) => codeOf(d) === 'unknown-reference'),
      `no unknown-reference after the rename; the editor shows ${JSON.stringify(after.map((d) => `${codeOf(d)}: ${d.message}`))}`,
    );
    assert.deepEqual(
      componentsOf(document.getText()).sort(),
      componentsOf(before)
        .map((c) => (c === 'db' ? 'main-db' : c))
        .sort(),
    );
  });

  test('hover on a component shows its availability', async () => {
    const uri = await freshCopy('shop.arch.yaml', 'hover');
    const { document, diagnostics } = await openWithDiagnostics(uri);
    assert.ok(diagnostics.length > 0, 'shop has findings in the editor');
    const at = positionOf(document, /\n {2}db:\n/, 3);
    const hovers = await waitFor('a hover on db', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
      return h && h.length > 0 ? h : undefined;
    });
    const text = hoverText(hovers);
    assert.match(text, /availab/i, `the hover talks about availability: ${text}`);
    assert.ok(
      percentagesIn(text).some((p) => p > 90 && p <= 100),
      `the hover shows an availability figure: ${text}`,
    );
  });

  for (const sample of sampleNames) {
    test(`${sample}: CodeLens shows each entry point's availability as archlint availability does`, async () => {
      const cli = expected.samples[sample]!;
      assert.ok(cli.availability !== null, `archlint availability --format json gave no report: ${cli.availabilityError}`);
      const entries = cliEntries(cli.availability);
      assert.ok(
        entries.length > 0,
        `archlint availability reports no entry point: ${JSON.stringify(cli.availability).slice(0, 300)}`,
      );
      const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, sample);
      const { document } = await openWithDiagnostics(uri);
      const lenses = await waitFor('code lenses', async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
        return l && l.length > 0 ? l : undefined;
      });
      for (const entry of entries) {
        const keyLine = positionOf(
          document,
          new RegExp(`\\n {2}${entry.component.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`),
          1,
        ).line;
        const onLine = lenses.filter((l) => l.range.start.line === keyLine && l.command);
        const titles = onLine.map((l) => l.command!.title);
        const shows = titles.some((t) =>
          [...t.matchAll(/(\d{1,3}(?:\.\d+)?)%/g)].some((p) => showsProbability(Number(p[1]), p[1]!, entry.availability)),
        );
        assert.ok(
          shows,
          `lens on ${entry.component} (line ${keyLine + 1}) shows ${(entry.availability * 100).toFixed(6)}%; lenses there: ${JSON.stringify(titles)}`,
        );
      }
    });
  }
});
