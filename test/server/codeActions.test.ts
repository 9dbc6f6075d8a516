/**
 * Code actions over the protocol: every quick fix of every sample gives the text the CLI's fix
 * gives, "disable for this line" silences the finding, and `source.fixAll.archlint` gives what
 * `archlint lint --fix` writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { tempTree } from '../cli/setup';
import { LspClient, repoUri } from './lspClient';
import { applyJsonFix, applyWorkspaceEdit, cliJson, readRepoFile, SAMPLES } from './oracle';
import { SHOP } from './texts';

let client: LspClient;
beforeAll(async () => {
  ({ client } = await LspClient.start({
    initializationOptions: { lintDelay: 0, documentationCommand: 'archlint.showRuleDocumentation' },
  }));
});
afterAll(async () => {
  client.expectClean();
  expect(await client.stop()).toBe(0);
});

const actionsFor = (uri: string, range: Diagnostic['range'], diagnostics: Diagnostic[], only?: string[]) =>
  client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range,
    context: { diagnostics, ...(only && { only }) },
  }) as Promise<CodeAction[]>;

const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

describe('quick fixes', () => {
  it('of every finding of every sample give the texts of the CLI fixes, with "disable for this line" beside them', async () => {
    const json = cliJson(SAMPLES);
    let checked = 0;
    for (const path of SAMPLES) {
      const uri = repoUri(path);
      const text = readRepoFile(path);
      await client.open(uri, text);
      const diagnostics = await client.diagnostics(uri, 1);
      const messages = json.get(path)!.messages;
      expect(diagnostics.length, path).toBe(messages.length);
      for (const d of diagnostics) {
        const m = messages.find(
          (x) =>
            x.ruleId === d.code &&
            x.line - 1 === d.range.start.line &&
            x.column - 1 === d.range.start.character &&
            x.endLine - 1 === d.range.end.line &&
            x.endColumn - 1 === d.range.end.character,
        );
        expect(m, `${path}: ${d.code as string} at ${JSON.stringify(d.range)}`).toBeDefined();
        const actions = await actionsFor(uri, d.range, [d]);
        const fixes = actions.filter((a) => a.edit && !a.title.startsWith('Disable '));
        const expectedTexts = [...(m!.fix ? [m!.fix] : []), ...(m!.suggestions ?? []).map((s) => s.fix)].map((f) =>
          applyJsonFix(text, f),
        );
        expect(fixes.map((a) => applyWorkspaceEdit(text, a.edit, uri)).sort(), `${path}: ${d.code as string}`).toEqual(
          expectedTexts.sort(),
        );
        for (const s of m!.suggestions ?? []) expect(fixes.map((a) => a.title)).toContain(s.desc);
        for (const a of fixes) {
          expect(a.kind).toBe('quickfix');
          expect(a.diagnostics).toEqual([d]);
        }
        const disable = actions.filter((a) => a.title === `Disable ${d.code as string} for this line`);
        expect(disable, `${path}: ${d.code as string}`).toHaveLength(1);
        expect(applyWorkspaceEdit(text, disable[0]!.edit, uri)).toContain(`# archlint-disable-next-line ${d.code as string}`);
        checked += fixes.length;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('of the former extension-host shop: the engine fix (preferred), disable-for-this-line and the docs, and they work', async () => {
    const uri = 'file:///w/actions.arch.yaml';
    await client.open(uri, SHOP);
    const diagnostic = (await client.diagnostics(uri, 1)).find((d) => d.code === 'unknown-reference')!;
    const actions = await actionsFor(uri, diagnostic.range, [diagnostic]);
    expect(actions.map((a) => a.title)).toEqual([
      'Change "dbb" to "db"',
      'Disable unknown-reference for this line',
      'Show documentation for unknown-reference',
    ]);
    expect(actions[0]!.isPreferred).toBe(true);
    expect(actions[1]!.isPreferred).toBeUndefined();
    expect(actions[2]!.command).toEqual({
      title: 'Show documentation for unknown-reference',
      command: 'archlint.showRuleDocumentation',
      arguments: ['unknown-reference', expect.stringMatching(/^https:\/\/github\.com\/.*\/docs\/rules\/unknown-reference\.md$/)],
    });

    const disabled = applyWorkspaceEdit(SHOP, actions[1]!.edit, uri);
    expect(disabled).toContain('    # archlint-disable-next-line unknown-reference\n    depends-on: [dbb]');
    const fixed = applyWorkspaceEdit(SHOP, actions[0]!.edit, uri);
    expect(fixed).toContain('depends-on: [db]\n');
    expect(fixed).toContain('replicas: 3 # three of them');

    // Applied as a client applies an edit: the finding is gone, the other stays.
    await client.change(uri, 2, [{ text: disabled }]);
    expect((await client.diagnostics(uri, 2)).map((d) => d.code)).toEqual(['missing-health-check']);
    await client.change(uri, 3, [{ text: fixed }]);
    expect((await client.diagnostics(uri, 3)).map((d) => d.code)).toEqual(['missing-health-check']);
  });

  it('are none for a diagnostic the file no longer has, or one that is not Archlint’s', async () => {
    const uri = 'file:///w/stale.arch.yaml';
    await client.open(uri, SHOP);
    const diagnostic = (await client.diagnostics(uri, 1)).find((d) => d.code === 'unknown-reference')!;
    const moved = { ...diagnostic, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } } };
    expect(await actionsFor(uri, moved.range, [moved])).toEqual([]);
    expect(await actionsFor(uri, diagnostic.range, [{ ...diagnostic, source: 'yaml' }])).toEqual([]);
  });
});

describe('fix-all (source.fixAll.archlint)', () => {
  let fixedByCli: Map<string, { output?: string }>;
  beforeAll(() => {
    const dir = tempTree(Object.fromEntries(SAMPLES.map((p) => [p, readRepoFile(p)])));
    fixedByCli = cliJson(SAMPLES, dir, ['--fix']);
    // --fix wrote the files; the report's `output` is what it wrote.
    for (const path of SAMPLES) {
      const output = fixedByCli.get(path)!.output;
      if (output !== undefined) expect(readFileSync(join(dir, path), 'utf8')).toBe(output);
    }
  });

  it('gives, for every sample, exactly what `archlint lint --fix` writes', async () => {
    let fixedFiles = 0;
    for (const path of SAMPLES) {
      const uri = repoUri(path);
      const text = readRepoFile(path);
      await client.open(uri, text, 10);
      const actions = await actionsFor(uri, START, [], ['source.fixAll']);
      const output = fixedByCli.get(path)!.output;
      if (output === undefined) {
        expect(actions, path).toEqual([]);
        continue;
      }
      fixedFiles++;
      expect(actions.map((a) => a.kind)).toEqual(['source.fixAll.archlint']);
      expect(applyWorkspaceEdit(text, actions[0]!.edit, uri), path).toBe(output);
    }
    expect(fixedFiles).toBeGreaterThan(0);
  });

  it('is offered for `source.fixAll.archlint` and `source`, never for the light bulb or quick fixes alone; applied, the shop is clean', async () => {
    const uri = 'file:///w/fixall.arch.yaml';
    await client.open(uri, SHOP);
    const diagnostics = await client.diagnostics(uri, 1);
    for (const only of [['source.fixAll.archlint'], ['source'], ['source.fixAll']]) {
      expect(
        (await actionsFor(uri, START, [], only)).map((a) => a.kind),
        only[0],
      ).toEqual(['source.fixAll.archlint']);
    }
    expect(await actionsFor(uri, START, [])).toEqual([]);
    expect((await actionsFor(uri, diagnostics[0]!.range, diagnostics, ['quickfix'])).map((a) => a.kind)).not.toContain(
      'source.fixAll.archlint',
    );
    expect(await actionsFor(uri, START, [], ['source.organizeImports'])).toEqual([]);
    const [fixAll] = await actionsFor(uri, START, [], ['source.fixAll.archlint']);
    const fixed = applyWorkspaceEdit(SHOP, fixAll!.edit, uri);
    expect(fixed).toContain('replicas: 3 # three of them');
    await client.change(uri, 2, [{ text: fixed }]);
    await client.save(uri);
    expect(await client.diagnostics(uri, 2)).toEqual([]);
  });
});
