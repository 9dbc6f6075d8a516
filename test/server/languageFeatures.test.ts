/**
 * The language features over the protocol: completion in reference slots, hover, definition,
 * references, prepare-rename and rename, document symbols, code lenses (equal to `archlint
 * availability`), and Archlint's own requests answering plain JSON equal to the CLI's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  ResponseError,
  type CodeLens,
  type CompletionItem,
  type DocumentSymbol,
  type Hover,
  type Location,
  type MarkupContent,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatAvailability } from '../../extension/src/engine';
import { AvailabilityRequest, DiagramRequest, isDiagramSnapshot, LintRequest } from '../../extension/src/protocol';
import { archlint } from '../cli/setup';
import { LspClient, repoUri, SLOW } from './lspClient';
import { applyWorkspaceEdit, cliJson, readRepoFile, SAMPLES } from './oracle';
import { SHOP } from './texts';

const LANG = SHOP.replace('[dbb]', '[db]');
const LANG_URI = 'file:///w/lang.arch.yaml';
const doc = TextDocument.create(LANG_URI, 'yaml', 1, LANG);
/** The position of `needle` in LANG, moved by `delta` characters. */
const at = (needle: string, delta = 0): Position => doc.positionAt(LANG.indexOf(needle) + delta);
const textDocument = { uri: LANG_URI };

/** `archlint availability` of a sample, run once per format and file. */
const cliRuns = new Map<string, string>();
function availabilityCli(path: string, format: 'table' | 'json'): string {
  const key = `${format} ${path}`;
  if (!cliRuns.has(key)) {
    const run = archlint(['availability', '--format', format, path]);
    if (run.code !== 0) throw new Error(`archlint availability ${path}: ${run.stderr}`);
    cliRuns.set(key, run.stdout);
  }
  return cliRuns.get(key)!;
}

let client: LspClient;
beforeAll(async () => {
  ({ client } = await LspClient.start({
    initializationOptions: { availabilityCommand: 'archlint.showAvailability', retriggerCommand: 'editor.action.triggerSuggest' },
  }));
  await client.open(LANG_URI, LANG);
  await client.diagnostics(LANG_URI, 1);
});
afterAll(async () => {
  client.expectClean();
  expect(await client.stop()).toBe(0);
});

const send = <P, R>(type: { method: string } & object, params: P) =>
  client.connection.sendRequest(type.method, params) as Promise<R>;
const complete = (position: Position, triggerCharacter?: string) =>
  send<object, CompletionItem[]>(CompletionRequest.type, {
    textDocument,
    position,
    context: triggerCharacter ? { triggerKind: 2, triggerCharacter } : { triggerKind: 1 },
  });

describe('completion', () => {
  it('offers the other components in depends-on, routes-to, any-of and session-store', async () => {
    expect((await complete(at('[db]', 1))).map((i) => i.label)).toEqual(['edge', 'db']);
    const routes = await complete(at('[web]', 1));
    expect(routes.map((i) => i.label)).toContain('web');
    expect(routes.map((i) => i.label)).not.toContain('edge');
    expect(routes.every((i) => i.kind === 18 /* Reference */)).toBe(true);
    // The item replaces the id under the cursor.
    expect(routes.find((i) => i.label === 'web')!.textEdit).toEqual({
      range: { start: at('[web]', 1), end: at('[web]', 4) },
      newText: 'web',
    });

    const uri = 'file:///w/slots.arch.yaml';
    const text = `archlint: 1
components:
  web:
    kind: service
    depends-on: [{ any-of: [] }]
    session-store:${' '}
  cache: { kind: cache }
  db: { kind: database }
`;
    await client.open(uri, text);
    const slots = TextDocument.create(uri, 'yaml', 1, text);
    const labels = async (offset: number, trigger?: string) =>
      (
        await send<object, CompletionItem[]>(CompletionRequest.type, {
          textDocument: { uri },
          position: slots.positionAt(offset),
          context: trigger ? { triggerKind: 2, triggerCharacter: trigger } : { triggerKind: 1 },
        })
      ).map((i) => i.label);
    expect(await labels(text.indexOf('any-of: [') + 'any-of: ['.length, '[')).toEqual(['cache', 'db']);
    expect(await labels(text.indexOf('session-store: ') + 'session-store: '.length, ' ')).toEqual(
      expect.arrayContaining(['cache', 'db']),
    );
  });

  it('offers the schema’s keys where a key goes, but only values after a trigger character, and the retrigger command', async () => {
    const position = at('    replicas: 3', 4);
    const keys = await complete(position);
    expect(keys.map((i) => i.label)).toEqual(expect.arrayContaining(['health-check', 'session-store', 'autoscale']));
    expect(keys.filter((i) => i.kind === 10 /* Property */).length).toBeGreaterThan(5);
    expect(await complete(position, ' ')).toEqual([]);
    const kinds = await complete(at('kind: service', 'kind: '.length));
    expect(kinds.map((i) => i.label)).toEqual(expect.arrayContaining(['service', 'worker', 'database']));
    const withRetrigger = keys.filter((i) => i.command);
    for (const item of withRetrigger) expect(item.command!.command).toBe('editor.action.triggerSuggest');
  });
});

describe('hover', () => {
  it('on a component names its kind and its pool availability, the figure archlint/availability reports', async () => {
    const hover = await send<object, Hover>(HoverRequest.type, { textDocument, position: at('  db:', 3) });
    const value = (hover.contents as MarkupContent).value;
    expect((hover.contents as MarkupContent).kind).toBe('markdown');
    expect(value).toMatch(/database/);
    const report = (await client.request(AvailabilityRequest, { uri: LANG_URI }))!.report;
    const db = report.components.db!;
    expect(value).toContain(`Pool availability: **${formatAvailability(db.pool, db.unavailability)}**`);
    expect(hover.range).toEqual({ start: at('  db:', 2), end: at('  db:', 4) });
    expect(await send(HoverRequest.type, { textDocument, position: at('archlint: 1', 0) })).not.toBeNull();
    expect(await send(HoverRequest.type, { textDocument, position: { line: 0, character: 11 } })).toBeNull();
  });

  it('reads a position past a line’s end as the line’s end (LSP), never as the next line', async () => {
    const uri = 'file:///w/past-the-end.arch.yaml';
    await client.open(uri, 'archlint: 1\nname: past\ncomponents:\n  web: { kind: service }\n');
    const hover = (position: Position) => send<object, Hover | null>(HoverRequest.type, { textDocument: { uri }, position });
    // The next line starts with a key that has a hover: the old mapping answered it.
    const name = await hover({ line: 1, character: 0 });
    expect((name!.contents as MarkupContent).value).toMatch(/^\*\*name\*\*/);
    expect(await hover({ line: 0, character: 500 })).toEqual(await hover({ line: 0, character: 'archlint: 1'.length }));
    expect(await hover({ line: 0, character: 500 })).not.toEqual(name);
    // Past the last line: the end of the text; negative: its start.
    expect(await hover({ line: 99, character: 0 })).toEqual(await hover({ line: 4, character: 0 }));
    expect(await hover({ line: -1, character: -5 })).toEqual(await hover({ line: 0, character: 0 }));
  });
});

describe('navigation and rename', () => {
  it('goes to the definition and finds the references of a component', async () => {
    const definition = await send<object, Location>(DefinitionRequest.type, { textDocument, position: at('[db]', 1) });
    expect(definition).toEqual({ uri: LANG_URI, range: { start: at('  db:', 2), end: at('  db:', 4) } });
    const position = at('  db:', 2);
    const all = await send<object, Location[]>(ReferencesRequest.type, {
      textDocument,
      position,
      context: { includeDeclaration: true },
    });
    expect(all.map((l) => l.range.start).sort((a, b) => a.line - b.line)).toEqual([at('[db]', 1), at('  db:', 2)]);
    const uses = await send<object, Location[]>(ReferencesRequest.type, {
      textDocument,
      position,
      context: { includeDeclaration: false },
    });
    expect(uses.map((l) => l.range.start)).toEqual([at('[db]', 1)]);
    expect(await send(DefinitionRequest.type, { textDocument, position: at('kind: service', 1) })).toBeNull();
  });

  it('prepares a rename only on a component id, and renames its key and every reference', async () => {
    const error = await send(PrepareRenameRequest.type, { textDocument, position: at('kind: service', 1) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: -32600, message: 'Only a component id can be renamed here.' });
    expect(await send(PrepareRenameRequest.type, { textDocument, position: at('[db]', 2) })).toEqual({
      range: { start: at('[db]', 1), end: at('[db]', 3) },
      placeholder: 'db',
    });
    const edit = await send(RenameRequest.type, { textDocument, position: at('[db]', 1), newName: 'main-db' });
    const renamed = applyWorkspaceEdit(LANG, edit as never, LANG_URI);
    expect(renamed).toContain('depends-on: [main-db]');
    expect(renamed).toContain('  main-db: { kind: database');
    expect(renamed.replace(/main-db/g, 'db')).toBe(LANG);
    const clash = await send(RenameRequest.type, { textDocument, position: at('[db]', 1), newName: 'web' }).catch(
      (e: unknown) => e,
    );
    expect(clash).toMatchObject({ code: -32600 });
  });
});

describe('outline and lenses', () => {
  it('lists the components as document symbols', async () => {
    const symbols = await send<object, DocumentSymbol[]>(DocumentSymbolRequest.type, { textDocument });
    expect(symbols.map((s) => [s.name, s.detail])).toEqual([
      ['edge', 'load-balancer · ×2'],
      ['web', 'service · ×3'],
      ['db', 'database · ×2'],
    ]);
    expect(symbols.map((s) => s.kind)).toEqual([11 /* Interface */, 5 /* Class */, 23 /* Struct */]);
    expect(symbols[2]!.selectionRange).toEqual({ start: at('  db:', 2), end: at('  db:', 4) });
  });

  it(
    'puts a lens over each entry point of every sample whose title is the figures `archlint availability` prints',
    async () => {
      let lensCount = 0;
      for (const path of SAMPLES) {
        const uri = repoUri(path);
        await client.open(uri, readRepoFile(path));
        const lenses = await send<object, CodeLens[]>(CodeLensRequest.type, { textDocument: { uri } });
        // The table: "entry  availability  nines  per year  per month  per week  per day  SLO  met", columns two spaces apart.
        const lines = availabilityCli(path, 'table').split('\n');
        const header = lines.findIndex((l) => l.startsWith('entry '));
        const rows = lines.slice(header + 1, lines.indexOf('', header)).map((l) => l.split(/ {2,}/));
        const expected = rows.map(([entry, availability, , year, , , , slo, met]) => ({
          entry,
          title: `${availability} available · ${year} down/year${slo === '—' ? '' : ` · SLO ${slo} ${met === 'yes' ? '✓' : '✗'}`}`,
        }));
        expect(
          lenses.map((l) => l.command!.title),
          path,
        ).toEqual(expected.map((e) => e.title));
        const source = TextDocument.create(uri, 'yaml', 1, readRepoFile(path));
        expect(
          lenses.map((l) => source.getText(l.range)),
          path,
        ).toEqual(expected.map((e) => e.entry));
        for (const lens of lenses) expect(lens.command).toMatchObject({ command: 'archlint.showAvailability', arguments: [uri] });
        lensCount += lenses.length;
      }
      expect(lensCount).toBeGreaterThan(SAMPLES.length);
    },
    SLOW,
  );

  it('run a command the server itself carries out when the client names none (an empty command is not runnable)', async () => {
    const { client: plain, initialized } = await LspClient.start();
    try {
      expect(initialized.capabilities.executeCommandProvider).toEqual({ commands: ['archlint.availabilityReport'] });
      await plain.open(LANG_URI, LANG);
      const [lens] = (await plain.connection.sendRequest(CodeLensRequest.type, { textDocument }))!;
      expect(lens!.command).toEqual({
        title: expect.stringMatching(/ available · /),
        tooltip: 'Availability of entry point edge: click for the full report',
        command: 'archlint.availabilityReport',
        arguments: [LANG_URI],
      });
      const answer = await plain.connection.sendRequest(ExecuteCommandRequest.type, lens!.command!);
      const table = (answer as { table: string }).table;
      expect(table).toMatch(/^lang\.arch\.yaml\n\nentry +availability/);
      const shown = await plain.waitFor('the table shown', () => plain.shown.find((m) => m.message === table));
      expect(shown.type).toBe(3 /* Info */);
      const unknown = await plain.connection
        .sendRequest(ExecuteCommandRequest.type, { command: 'nope' })
        .catch((e: unknown) => e);
      expect(unknown).toMatchObject({ code: -32600 });
      plain.expectClean();
      expect(await plain.stop()).toBe(0);
    } finally {
      await plain.dispose();
    }
  });
});

describe("Archlint's own requests", () => {
  it(
    'archlint/lint answers plain JSON: the findings the CLI reports, at editor positions, with components and entry points',
    async () => {
      const lint = (await client.request(LintRequest, { uri: LANG_URI }))!;
      expect(JSON.parse(JSON.stringify(lint))).toEqual(lint);
      expect(lint.findings.map((f) => f.ruleId)).toEqual(['missing-health-check']);
      expect(lint.components).toEqual(['edge', 'web', 'db']);
      expect(lint.entryPoints).toEqual(['edge']);
      const json = cliJson(SAMPLES);
      for (const path of SAMPLES) {
        const result = (await client.request(LintRequest, { uri: repoUri(path) }))!;
        const text = TextDocument.create('file:///x', 'yaml', 1, readRepoFile(path));
        expect(
          result.findings.map((f) => [f.ruleId, f.range.start.line + 1, f.range.start.character + 1, f.message]),
          path,
        ).toEqual(
          json.get(path)!.messages.map((m) => [m.ruleId, m.line, m.column, (m as unknown as { message: string }).message]),
        );
        for (const f of result.findings) expect(text.positionAt(f.offsets[0])).toEqual(f.range.start);
      }
      expect(await client.request(LintRequest, { uri: 'file:///w/never-opened.arch.yaml' })).toBeNull();
    },
    SLOW,
  );

  it(
    'archlint/availability answers the report the CLI computes, to full precision, and its table',
    async () => {
      for (const path of SAMPLES) {
        const answer = (await client.request(AvailabilityRequest, { uri: repoUri(path) }))!;
        const cli = JSON.parse(availabilityCli(path, 'json')) as { entries: unknown[] };
        // The fields of the CLI's JSON contract (its SLO is the one written, to fifteen digits).
        const asCli = answer.report.entries.map((e) => ({
          component: e.component,
          availability: e.availability,
          unavailability: e.unavailability,
          nines: e.nines,
          downtime: e.downtime,
          slo: e.slo === undefined ? null : Number(e.slo.toPrecision(15)),
          meetsSlo: e.meetsSlo ?? null,
          contributors: e.contributors.map((c) => ({ component: c.component, gain: c.gain })),
        }));
        expect(asCli, path).toEqual(cli.entries);
        expect(JSON.parse(JSON.stringify(answer.report))).toEqual(answer.report);
        const table = availabilityCli(path, 'table');
        // The same table but for its first line, the file's name (the server knows only the URI).
        expect(answer.table.split('\n').slice(1).join('\n').trimEnd(), path).toBe(
          table.split('\n').slice(1).join('\n').trimEnd(),
        );
      }
      const report = (await client.request(AvailabilityRequest, { uri: LANG_URI }))!.report;
      expect(Object.keys(report.components).sort()).toEqual(['db', 'edge', 'web']);
      expect(report.entries.map((e) => e.component)).toEqual(['edge']);
    },
    SLOW,
  );

  it('archlint/diagram answers a well-formed snapshot, and a what-if with failed components', async () => {
    const answer = (await client.request(DiagramRequest, { uri: LANG_URI }))!;
    expect(isDiagramSnapshot(answer.snapshot)).toBe(true);
    expect(answer.title).toBe('lang.arch.yaml');
    expect(answer.snapshot.nodes.map((n) => n.id)).toEqual(['edge', 'web', 'db']);
    expect(answer.snapshot.blastRadius).toEqual([]);
    const failed = (await client.request(DiagramRequest, { uri: LANG_URI, failed: ['web', 42 as never, 'nope'] }))!;
    expect(isDiagramSnapshot(failed.snapshot)).toBe(true);
    expect(failed.snapshot.failed).toEqual(['web']);
    expect(failed.snapshot.blastRadius).toEqual(['edge']);
  });
});
