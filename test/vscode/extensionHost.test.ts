import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as fake from './fakeVscode';

vi.mock('vscode', () => import('./fakeVscode'));

const { activate } = await import('../../extension/src/vscode/extension');
const { LINT_DELAY_MS } = await import('../../extension/src/vscode/lintService');

const SHOP = `archlint: 1
components:
  edge:
    kind: load-balancer
    entry: true
    replicas: 2
    routes-to: [web]
    health-check: { path: /h }
  web:
    kind: service
    replicas: 3 # three of them
    depends-on: [dbb]
  db: { kind: database, replicas: 2, health-check: { path: /h }, failover: { mode: automatic, standby: hot } }
`;

/** Calls a method of the provider the extension registered for `kind`, as VS Code would. */
function call(kind: string, method: string, ...args: unknown[]): unknown {
  const p = fake.registry.providers.get(kind) as unknown as
    Record<string, ((...a: unknown[]) => unknown) | undefined> | undefined;
  const fn = p?.[method];
  if (!fn) throw new Error(`no ${kind} provider with ${method}`);
  return fn.apply(p, args);
}
const subscriptions: { dispose(): void }[] = [];
const context = { subscriptions, extensionUri: fake.Uri.file('/ext'), extension: { packageJSON: { version: '0.0.0-test' } } };

function open(path: string, text: string): fake.FakeDocument {
  const doc = new fake.FakeDocument(fake.Uri.file(path), text);
  fake.registry.documents.push(doc);
  fake.events.open.fire(doc);
  return doc;
}
const diagnosticsOf = (doc: fake.FakeDocument) => fake.registry.diagnostics.get(doc.uri.toString()) ?? [];
const codeOf = (d: fake.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

let api: Awaited<ReturnType<typeof activate>>;
beforeAll(() => {
  api = activate(context as never);
});
afterAll(() => subscriptions.forEach((s) => s.dispose()));

describe('the extension in a (fake) host', () => {
  it('publishes diagnostics for *.arch.yaml on open, with rule codes linking to docs, and ignores other YAML', () => {
    const doc = open('/w/shop.arch.yaml', SHOP);
    open('/w/docker-compose.yaml', 'services: {}\n');
    const ds = diagnosticsOf(doc);
    expect(ds.map(codeOf).sort()).toEqual(['missing-health-check', 'unknown-reference']);
    const unknown = ds.find((d) => codeOf(d) === 'unknown-reference')!;
    expect(unknown.source).toBe('archlint');
    expect(unknown.range.start).toEqual({ line: 11, character: 17 });
    expect((unknown.code as { target: fake.Uri }).target.toString()).toMatch(/docs\/rules\/unknown-reference\.md$/);
    expect(fake.registry.diagnostics.has(fake.Uri.file('/w/docker-compose.yaml').toString())).toBe(false);
  });

  it('offers the engine fix (preferred), disable-for-this-line and docs for a diagnostic, and they work', async () => {
    const doc = fake.registry.documents.find((d) => d.uri.path === '/w/shop.arch.yaml')!;
    const diagnostic = diagnosticsOf(doc).find((d) => codeOf(d) === 'unknown-reference')!;
    const actions = call('codeActions', 'provideCodeActions', doc, diagnostic.range, {
      diagnostics: [diagnostic],
      only: undefined,
    }) as fake.CodeAction[];
    expect(actions.map((a) => a.title)).toEqual([
      'Change "dbb" to "db"',
      'Disable unknown-reference for this line',
      'Show documentation for unknown-reference',
    ]);
    expect(actions[0]!.isPreferred).toBe(true);

    await fake.commands.executeCommand(actions[2]!.command!.command, ...(actions[2]!.command!.arguments ?? []));
    expect(fake.registry.opened.at(-1)).toMatch(/^https:\/\/github\.com\/.*unknown-reference\.md$/);

    const copy = new fake.FakeDocument(fake.Uri.file('/w/copy.arch.yaml'), doc.getText());
    copy.apply(actions[1]!.edit!, doc.uri);
    expect(copy.getText()).toContain('    # archlint-disable-next-line unknown-reference\n    depends-on: [dbb]');

    doc.apply(actions[0]!.edit!);
    expect(doc.getText()).toContain('depends-on: [db]\n');
    expect(doc.getText()).toContain('replicas: 3 # three of them');
  });

  it('re-lints after typing (debounced) and clears diagnostics when the document closes', async () => {
    const doc = fake.registry.documents.find((d) => d.uri.path === '/w/shop.arch.yaml')!;
    fake.events.change.fire({ document: doc, contentChanges: [{}] });
    expect(diagnosticsOf(doc).map(codeOf)).toContain('unknown-reference'); // not yet: debounced
    await new Promise((r) => setTimeout(r, LINT_DELAY_MS + 100));
    expect(diagnosticsOf(doc).map(codeOf)).toEqual(['missing-health-check']);
    doc.isClosed = true;
    fake.events.close.fire(doc);
    expect(fake.registry.diagnostics.has(doc.uri.toString())).toBe(false);
  });

  it('fix-all (source.fixAll.archlint) applies every safe fix, as on save', () => {
    const doc = open('/w/fixall.arch.yaml', SHOP);
    const actions = call('codeActions', 'provideCodeActions', doc, new fake.Range(0, 0, 0, 0), {
      diagnostics: [],
      only: fake.CodeActionKind.SourceFixAll,
    }) as fake.CodeAction[];
    expect(actions.map((a) => a.kind?.value)).toEqual(['source.fixAll.archlint']);
    doc.apply(actions[0]!.edit!);
    fake.events.save.fire(doc);
    expect(diagnosticsOf(doc)).toEqual([]);
    expect(doc.getText()).toContain('replicas: 3 # three of them');
    // The light bulb (no `only`) never pays for fix-all.
    const bulb = call('codeActions', 'provideCodeActions', doc, new fake.Range(0, 0, 0, 0), {
      diagnostics: [],
    }) as fake.CodeAction[];
    expect(bulb).toEqual([]);
  });

  it('honours archlint.rules and archlint.enable', () => {
    fake.registry.settings['archlint.rules'] = { 'missing-health-check': 'off', bogus: 'loud' };
    fake.events.configuration.fire({ affectsConfiguration: (s) => s === 'archlint' });
    const doc = open('/w/settings.arch.yaml', SHOP);
    expect(diagnosticsOf(doc).map(codeOf)).toEqual(['unknown-reference']);
    fake.registry.settings['archlint.enable'] = false;
    fake.events.configuration.fire({ affectsConfiguration: (s) => s === 'archlint' });
    expect(fake.registry.diagnostics.has(doc.uri.toString())).toBe(false);
    delete fake.registry.settings['archlint.enable'];
    delete fake.registry.settings['archlint.rules'];
    fake.events.configuration.fire({ affectsConfiguration: (s) => s === 'archlint' });
    expect(diagnosticsOf(doc).map(codeOf).sort()).toEqual(['missing-health-check', 'unknown-reference']);
  });

  it('leaves YAML syntax errors to the YAML extension when it validates', () => {
    const broken = 'archlint: 1\ncomponents:\n  web: [\n';
    const alone = open('/w/broken.arch.yaml', broken);
    expect(diagnosticsOf(alone).map(codeOf)).toEqual(['yaml-syntax']);
    fake.registry.extensions.add('redhat.vscode-yaml');
    fake.events.extensionsChanged.fire();
    expect(diagnosticsOf(alone)).toEqual([]);
    fake.registry.settings['yaml.validate'] = false;
    fake.events.configuration.fire({ affectsConfiguration: (s) => s === 'yaml.validate' });
    expect(diagnosticsOf(alone).map(codeOf)).toEqual(['yaml-syntax']);
    fake.registry.extensions.delete('redhat.vscode-yaml');
    delete fake.registry.settings['yaml.validate'];
  });

  it('serves completion, hover, definition, references, rename, outline and CodeLens from one lint', () => {
    const doc = open('/w/lang.arch.yaml', SHOP.replace('[dbb]', '[db]'));
    const at = (needle: string, delta = 0) => doc.positionAt(doc.getText().indexOf(needle) + delta);

    const items = call(
      'completion',
      'provideCompletionItems',
      doc,
      at('[db]', 1),
      {},
      { triggerKind: 0 },
    ) as fake.CompletionItem[];
    expect(items.map((i) => i.label)).toEqual(['edge', 'db']);

    const hover = call('hover', 'provideHover', doc, at('  db:', 3)) as fake.Hover;
    expect(hover.contents.value).toMatch(/database/);
    expect(hover.contents.value).toMatch(/Pool availability: \*\*\d+\.\d+%\*\*/);

    const def = call('definition', 'provideDefinition', doc, at('[db]', 1)) as fake.Location;
    expect(def.range.start).toEqual(at('  db:', 2));
    const refs = call('references', 'provideReferences', doc, at('  db:', 2), { includeDeclaration: true }) as fake.Location[];
    expect(refs).toHaveLength(2);

    expect(() => call('rename', 'prepareRename', doc, at('kind: service', 1))).toThrow(/Only a component id/);
    const edit = call('rename', 'provideRenameEdits', doc, at('[db]', 1), 'main-db') as fake.WorkspaceEdit;
    const renamed = new fake.FakeDocument(fake.Uri.file('/w/renamed.arch.yaml'), doc.getText());
    renamed.apply(edit, doc.uri);
    expect(renamed.getText()).toContain('depends-on: [main-db]');
    expect(renamed.getText()).toContain('  main-db: { kind: database');

    const symbols = call('symbols', 'provideDocumentSymbols', doc) as fake.DocumentSymbol[];
    expect(symbols.map((s) => [s.name, s.detail])).toEqual([
      ['edge', 'load-balancer · ×2'],
      ['web', 'service · ×3'],
      ['db', 'database · ×2'],
    ]);

    const lenses = call('codeLens', 'provideCodeLenses', doc) as fake.CodeLens[];
    expect(lenses).toHaveLength(1);
    expect(lenses[0]!.range.start).toEqual(at('  edge:', 2));
    expect(lenses[0]!.command!.title).toMatch(/^\d+\.\d+% available · .+ down\/year$/);
  });

  it('shows the active file in the status bar and exposes an API that returns plain JSON', async () => {
    const doc = fake.registry.documents.find((d) => d.uri.path === '/w/lang.arch.yaml')!;
    fake.window.activeTextEditor = { document: doc };
    fake.events.activeEditor.fire(fake.window.activeTextEditor);
    expect(fake.registry.statusBar.visible).toBe(true);
    expect(fake.registry.statusBar.text).toMatch(/^Archlint: \$\(warning\) 1 · \d+\.\d+%$/);

    const result = await api.lint(doc.uri);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['missing-health-check']);
    expect(result.entryPoints).toEqual(['edge']);
    const availability = await api.availability(doc.uri.toString());
    expect(availability!.entries[0]!.component).toBe('edge');

    const report = (await fake.commands.executeCommand('archlint.showAvailability', doc.uri)) as string;
    expect(report).toContain('edge');
  });
});
