/**
 * Compose files over the protocol: a compose.yaml (or a file the client opens as
 * `dockercompose`) is linted with its project (the override beside it read from disk), its
 * diagnostics on the service lines; a change to one file of the project shows in the others;
 * `archlint.sources.compose: false` clears it; the light bulb offers the Compose fixes with their
 * caution, hover a service's availability, and no completion is offered in Compose files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DidChangeWatchedFilesNotification,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { tempTree } from '../cli/setup';
import { clientStarter } from './lspClient';

const WEB_API_DB = `services:
  web:
    image: nginx:1.27
    ports:
      - "80:80"
    depends_on:
      - api
  api:
    image: example/api:1.4
    environment:
      DATABASE_URL: postgres://db:5432/app
  db:
    image: postgres:16
`;
const OVERRIDE_TEXT = `services:
  api:
    deploy:
      replicas: 2
`;

const start = clientStarter();

/** `rule@line` of each diagnostic (lines from 0, as LSP counts them). */
const onLines = (ds: Diagnostic[]) => ds.map((d) => `${String(d.code)}@${d.range.start.line}`);

const ALL = [
  'single-point-of-failure@1',
  'anonymous-rate-limit@4',
  'plaintext-ingress@4',
  'single-point-of-failure@7',
  'single-point-of-failure@11',
];

describe('Compose files in the editor', () => {
  it('are linted by their standard names: diagnostics on the service lines, the service key exactly', async () => {
    const client = await start();
    const uri = 'file:///w/compose.yaml';
    await client.open(uri, WEB_API_DB);
    const diagnostics = await client.diagnostics(uri, 1);
    expect(onLines(diagnostics)).toEqual(ALL);
    expect(diagnostics[0]!.range).toEqual({ start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
    expect(diagnostics[0]!.source).toBe('archlint');
    expect(client.linted.map((l) => l.uri)).toEqual([uri]);
  });

  it('are linted when the client says a file is Compose (language id dockercompose), whatever its name', async () => {
    const client = await start();
    const uri = 'file:///w/docker-compose.prod.yml';
    await client.open(uri, WEB_API_DB, 1, 'dockercompose');
    expect(onLines(await client.diagnostics(uri, 1))).toEqual(ALL);
    const pulled = await start({ pull: true });
    await pulled.open(uri, WEB_API_DB, 1, 'dockercompose');
    expect(onLines(await pulled.pull(uri))).toEqual(ALL);
  });

  it('read the override beside them from disk, and show a change to one file of the project in the others', async () => {
    const dir = tempTree({ 'app/compose.yaml': WEB_API_DB, 'app/compose.override.yaml': OVERRIDE_TEXT });
    const base = pathToFileURL(join(dir, 'app', 'compose.yaml')).href;
    const override = pathToFileURL(join(dir, 'app', 'compose.override.yaml')).href;
    const client = await start({
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    await client.open(base, WEB_API_DB);
    // api runs two replicas (the override on disk says so): it needs a health check, and is no single point of failure.
    const withOverride = [
      'single-point-of-failure@1',
      'anonymous-rate-limit@4',
      'plaintext-ingress@4',
      'missing-health-check@7',
      'single-point-of-failure@11',
    ];
    expect(onLines(await client.diagnostics(base, 1))).toEqual(withOverride);

    // The override, opened and edited: the base's diagnostics follow (each publish of the base is its second, third… of version 1).
    await client.open(override, OVERRIDE_TEXT);
    expect(onLines(await client.diagnostics(override, 1))).toEqual([]);
    expect(onLines(await client.diagnostics(base, 1, 1))).toEqual(withOverride);
    await client.change(override, 2, [
      { range: { start: { line: 3, character: 16 }, end: { line: 3, character: 17 } }, text: '1' },
    ]);
    expect(onLines(await client.diagnostics(override, 2))).toEqual(['single-point-of-failure@3']);
    expect(onLines(await client.diagnostics(base, 1, 2))).toEqual([
      'single-point-of-failure@1',
      'anonymous-rate-limit@4',
      'plaintext-ingress@4',
      'single-point-of-failure@11',
    ]);

    // Closed, the override is read from disk again (two replicas).
    await client.close(override);
    expect(onLines(await client.diagnostics(base, 1, 3))).toEqual(withOverride);

    // Changed on disk and announced: read again.
    const registrations = client.registrations.flatMap((r) => JSON.stringify(r.registerOptions ?? {}));
    expect(registrations.join()).toContain('**/*.{yaml,yml,json}');
    writeFileSync(join(dir, 'app', 'compose.override.yaml'), 'services: {}\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: override, type: 2 }],
    });
    expect(onLines(await client.diagnostics(base, 1, 4))).toEqual(ALL);
    expect(client.publishesOf(base)).toHaveLength(5);
  });

  it('are not read with archlint.sources.compose off: empty diagnostics and no features; on again, all back', async () => {
    const client = await start({ settings: { sources: { compose: false } } });
    const uri = 'file:///w/compose.yaml';
    await client.open(uri, WEB_API_DB);
    expect(await client.diagnostics(uri, 1)).toEqual([]);
    const web = { textDocument: { uri }, position: { line: 1, character: 3 } };
    expect(await client.connection.sendRequest(HoverRequest.type, web)).toBeNull();
    expect(await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })).toEqual([]);
    // An architecture file is still linted.
    await client.open('file:///w/other.arch.yaml', 'archlint: 1\ncomponents:\n  web: { kind: service }\n');
    expect((await client.diagnostics('file:///w/other.arch.yaml', 1)).length).toBeGreaterThan(0);

    await client.configure({ sources: { compose: true } });
    expect(onLines(await client.diagnostics(uri, 1, 1))).toEqual(ALL);
    await client.configure({ sources: { compose: false } });
    expect(await client.diagnostics(uri, 1, 2)).toEqual([]);
  });

  it("follow the configuration file's sources.compose over the setting, and its defaults.availability", async () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'off/archlint.config.yaml': 'sources: { compose: false }\n',
      'off/compose.yaml': WEB_API_DB,
      'slo/archlint.config.yaml': 'defaults: { slo: 99.99%, availability: 99% }\n',
      'slo/compose.yaml': WEB_API_DB,
    });
    const client = await start();
    const off = pathToFileURL(join(dir, 'off', 'compose.yaml')).href;
    await client.open(off, WEB_API_DB);
    expect(await client.diagnostics(off, 1)).toEqual([]);
    const slo = pathToFileURL(join(dir, 'slo', 'compose.yaml')).href;
    await client.open(slo, WEB_API_DB);
    const below = (await client.diagnostics(slo, 1)).filter((d) => d.code === 'availability-below-slo');
    // Three single instances at 99% each, in series: about 97%, far below the configuration's 99.99%.
    expect(below).toHaveLength(1);
    expect(below[0]!.message).toMatch(/^web is 97\.\d+% available, below its SLO of 99\.99%/);
  });

  it('offer the Compose fixes with their caution in the title, hover a service, lens its entry point, complete nothing', async () => {
    const client = await start();
    const uri = 'file:///w/compose.yaml';
    await client.open(uri, WEB_API_DB);
    const diagnostics = await client.diagnostics(uri, 1);
    const web = diagnostics[0]!;
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: web.range,
      context: { diagnostics: [web] },
    })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual([
      'Make web redundant (replicas: 2) — review: the fixed host port 80 must become a range or go: two replicas cannot publish one host port',
      'Disable single-point-of-failure for this line',
    ]);
    // Unsafe: never the preferred action.
    expect(actions[0]!.isPreferred).toBeUndefined();
    const edits = actions[0]!.edit!.changes![uri]!;
    expect(edits.map((e) => e.newText).join('')).toMatch(/replicas: 2/);

    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 11, character: 3 },
    });
    expect(JSON.stringify(hover?.contents)).toMatch(/db`\*\* — database.*Pool availability.*Needed by entry points: `web`/);

    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    expect(lenses?.map((l) => [l.range.start.line, l.command?.title])).toEqual([
      [1, expect.stringMatching(/^\d+\.\d+% available · /)],
    ]);

    const completion = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 2, character: 4 },
    });
    expect(completion).toEqual([]);
  });
});
