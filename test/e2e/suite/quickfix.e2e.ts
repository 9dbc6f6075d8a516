// Every quick fix the editor offers on the samples applies, removes its finding and keeps the
// file's comments; "disable for this line" silences exactly that finding; fix-all runs on save
// (`source.fixAll.archlint` in editor.codeActionsOnSave) and gives what `archlint lint --fix` gives.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  activateArchlint,
  cliKey,
  closeAllEditors,
  codeActionsAt,
  codeOf,
  currentDiagnostics,
  diagnosticKey,
  expected,
  freshCopy,
  isEditingQuickFix,
  lostComments,
  openWithDiagnostics,
  sampleNames,
  waitFor,
  type CliMessage,
} from './helpers';

/** How many fixes the CLI's report carries for a finding: its safe `fix` plus its `suggestions`. */
function cliFixCount(m: CliMessage): number {
  return (m.fix ? 1 : 0) + (m.suggestions?.length ?? 0);
}

function cliFixes(m: CliMessage): { range: [number, number]; text: string }[] {
  return [...(m.fix ? [m.fix] : []), ...(m.suggestions ?? []).map((x) => x.fix)];
}

function cliFixTitles(m: CliMessage): string {
  return JSON.stringify([...(m.fix ? ['(safe fix)'] : []), ...(m.suggestions ?? []).map((x) => x.desc)]);
}

/** The lines of `after` that differ from `before` (enough to read a wrong fix in a failure). */
function changedLines(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA > start && endB > start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  return `- ${a.slice(start, endA + 1).join('\n- ')}\n+ ${b.slice(start, endB + 1).join('\n+ ')}`;
}

/** Opens a fresh copy of `sample` and returns it with its diagnostics and the one for the CLI finding `m`. */
async function openCopyAt(sample: string, m: CliMessage, tag: string) {
  const uri = await freshCopy(sample, tag);
  const want = cliKey(m);
  const opened = await openWithDiagnostics(uri);
  const diagnostic = opened.diagnostics.find((d) => diagnosticKey(d) === want);
  assert.ok(
    diagnostic,
    `the editor shows the CLI's finding ${want}; it shows ${JSON.stringify(opened.diagnostics.map(diagnosticKey))}`,
  );
  return { uri, document: opened.document, diagnostic, diagnostics: opened.diagnostics };
}

function identity(d: vscode.Diagnostic): string {
  return `${codeOf(d)}: ${d.message}`;
}

async function quickFixesFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = await codeActionsAt(uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  // When an action names the diagnostics it fixes, keep the ones for this finding (the command that
  // returns actions to tests drops that list in some VS Code versions: then all at this range count).
  return actions.filter(
    (a) =>
      isEditingQuickFix(a) &&
      (!a.diagnostics?.length ||
        a.diagnostics.some((d) => diagnosticKey(d) === diagnosticKey(diagnostic) && d.message === diagnostic.message)),
  );
}

suite('quick fixes on the samples', () => {
  suiteSetup(async () => {
    await activateArchlint();
  });
  teardown(closeAllEditors);

  for (const sample of sampleNames) {
    for (const m of expected.samples[sample]!.messages.filter((x) => cliFixCount(x) > 0)) {
      test(`${sample}:${m.line} ${m.ruleId}: each of its ${cliFixCount(m)} fix(es) applies, removes the finding, keeps comments`, async () => {
        const first = await openCopyAt(sample, m, 'offered');
        const offered = await quickFixesFor(first.uri, first.diagnostic);
        const titles = offered.map((a) => a.title);
        assert.ok(
          offered.length >= cliFixCount(m),
          `the CLI knows ${cliFixCount(m)} fix(es), the editor offers: ${JSON.stringify(titles)}`,
        );
        await closeAllEditors();

        // Other findings on the same line (a component's key can carry several): when the editor
        // does not say which diagnostic an action fixes, their fixes are offered here too.
        const neighbours = expected.samples[sample]!.messages.filter((x) => x !== m && x.line === m.line);
        let matched = 0;
        for (const title of titles) {
          // Each fix on its own fresh copy: fixes are alternatives, not a sequence.
          const { uri, document, diagnostic } = await openCopyAt(sample, m, 'fix');
          const before = document.getText();
          const action = (await quickFixesFor(uri, diagnostic)).find((a) => a.title === title);
          assert.ok(action?.edit, `fix "${title}" is offered again on a fresh copy`);
          assert.equal(await vscode.workspace.applyEdit(action.edit), true, `fix "${title}" applies`);
          assert.notEqual(document.getText(), before, `fix "${title}" changes the text`);
          // Same engine, same edit: the result is what one of the CLI's fixes for this finding makes.
          const resultsOf = (x: CliMessage) =>
            cliFixes(x).map((f) => before.slice(0, f.range[0]) + f.text + before.slice(f.range[1]));
          const cliResults = resultsOf(m);
          if (!cliResults.includes(document.getText()) && neighbours.some((x) => resultsOf(x).includes(document.getText()))) {
            // A fix of another finding on this line, exactly as the CLI makes it: that finding's test checks it.
            await closeAllEditors();
            continue;
          }
          matched++;
          assert.ok(
            cliResults.includes(document.getText()),
            `fix "${title}" gives the text one of the CLI's fixes gives (${cliFixTitles(m)}); got:\n${changedLines(before, document.getText())}`,
          );
          const after = await currentDiagnostics(uri);
          assert.ok(
            !after.some((d) => identity(d) === identity(diagnostic)),
            `"${title}" removes its finding; the editor shows ${JSON.stringify(after.map(identity))}`,
          );
          assert.deepEqual(lostComments(before, document.getText()), [], `fix "${title}" keeps every comment`);
          await closeAllEditors();
        }
        assert.ok(matched >= cliFixCount(m), `the editor offers all ${cliFixCount(m)} of the CLI's fixes; ${matched} matched`);
      });
    }
  }
});

suite('disable for this line', () => {
  suiteSetup(async () => {
    await activateArchlint();
  });
  teardown(closeAllEditors);

  for (const sample of sampleNames) {
    const m = expected.samples[sample]!.messages[0];
    if (!m) continue;
    test(`${sample}:${m.line} ${m.ruleId}: "Disable ${m.ruleId} for this line" silences that finding only`, async () => {
      const { uri, document, diagnostic, diagnostics: all } = await openCopyAt(sample, m, 'disable');
      const before = document.getText();
      const actions = await codeActionsAt(uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      const disable = actions.find((a) => a.title.toLowerCase().includes('disable') && a.title.includes(m.ruleId) && a.edit);
      assert.ok(disable, `a disable action is offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(await vscode.workspace.applyEdit(disable.edit!), true);
      const text = document.getText();
      assert.match(
        text,
        new RegExp(`#\\s*archlint-disable-next-line\\b[^\\n]*\\b${m.ruleId}\\b`),
        'a disable comment is inserted',
      );
      // The comment covers the finding's line: findings of that rule on that line go, all others stay.
      const silenced = (d: vscode.Diagnostic) => codeOf(d) === m.ruleId && d.range.start.line === diagnostic.range.start.line;
      const wanted = all
        .filter((d) => !silenced(d))
        .map(identity)
        .sort();
      const after = await currentDiagnostics(uri);
      assert.ok(
        !after.some((d) => identity(d) === identity(diagnostic)),
        `the finding goes away; the editor shows ${JSON.stringify(after.map(identity))}`,
      );
      assert.deepEqual(after.map(identity).sort(), wanted);
      assert.deepEqual(lostComments(before, text), []);
    });
  }
});

suite('fix-all on save', () => {
  suiteSetup(async () => {
    await activateArchlint();
    await vscode.workspace
      .getConfiguration('editor')
      .update('codeActionsOnSave', { 'source.fixAll.archlint': 'explicit' }, vscode.ConfigurationTarget.Workspace);
  });
  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('editor')
      .update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
  });
  teardown(closeAllEditors);

  const withSafeFixes = sampleNames.filter((s) => expected.samples[s]!.messages.some((m) => m.fix));
  test('some sample has a safe fix (else this suite proves nothing)', () => {
    assert.ok(withSafeFixes.length > 0, 'no sample has a finding with a safe fix');
  });
  for (const sample of withSafeFixes) {
    test(`${sample}: saving applies every safe fix, as archlint lint --fix does`, async () => {
      const wanted = expected.samples[sample]!.fixedAfterEdit;
      assert.ok(wanted !== null, 'archlint lint --fix could not fix this sample');
      const uri = await freshCopy(sample, 'fixall');
      const { document, editor, diagnostics } = await openWithDiagnostics(uri);
      assert.ok(diagnostics.length > 0, `${sample} has findings in the editor`);
      const end = document.lineAt(document.lineCount - 1).range.end;
      // The CLI's expectation was computed for the sample plus exactly this edit.
      const input = document.getText() + expected.fixAllEdit;
      await editor.edit((b) => b.insert(end, expected.fixAllEdit));
      assert.equal(document.getText(), input);
      await vscode.commands.executeCommand('workbench.action.files.save');
      await waitFor('the save to finish', () => (document.isDirty ? undefined : true));
      assert.equal(document.getText(), wanted, 'the saved text is what archlint lint --fix makes');
      const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      assert.equal(onDisk, wanted, 'and it is on disk');
      const safeLeft = (await currentDiagnostics(uri)).filter((d) =>
        expected.samples[sample]!.messages.some((m) => m.fix && `${m.ruleId}: ${m.message}` === identity(d)),
      );
      assert.deepEqual(safeLeft.map(identity), [], 'no finding with a safe fix is left');
    });
  }
});
