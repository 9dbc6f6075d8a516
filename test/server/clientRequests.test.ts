// What the VS Code client asks of `archlint lsp` beyond the standard requests, against the real
// server process: the extension API's lint (archlint/lint) uses the user's settings even when it
// comes before the server has them, the availability report is titled as the client asks, and an
// entry point's lens says what clicking it does.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeLensRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { AvailabilityRequest, LintRequest, type ServerInitializationOptions } from '../../extension/src/protocol';
import { BIN, buildCliOnce, ROOT } from '../cli/setup';

const URI = 'file:///w/sub/shop.arch.yaml';
const SHOP = `archlint: 1
components:
  edge:
    kind: load-balancer
    entry: true
    replicas: 2
    routes-to: [web]
    health-check: { path: /h }
  web: { kind: service, replicas: 1, health-check: { path: /h } } # one instance: a single point of failure
`;

interface Server {
  connection: ProtocolConnection;
  child: ChildProcessWithoutNullStreams;
  /** Answers the server's `workspace/configuration` requests for `archlint` (held until the test resolves it). */
  settings: Promise<Record<string, unknown>>;
}

let running: Server | undefined;

/** Starts `archlint lsp --stdio` and initializes it as VS Code's client does (configuration from the client). */
async function start(
  settings: Promise<Record<string, unknown>> = Promise.resolve({}),
  initializationOptions: ServerInitializationOptions = {},
): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: ROOT, stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const server: Server = { connection, child, settings };
  connection.onRequest(ConfigurationRequest.type, async ({ items }) => {
    const archlint = await server.settings;
    return items.map((item) => (item.section === 'archlint' ? archlint : null));
  });
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: true } },
    initializationOptions,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  running = server;
  return server;
}

async function open(server: Server, text: string): Promise<void> {
  await server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: URI, languageId: 'yaml', version: 1, text },
  });
}

beforeAll(() => buildCliOnce(), 120_000);

afterEach(async () => {
  const server = running;
  running = undefined;
  if (!server) return;
  await server.connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
  await server.connection.sendNotification(ExitNotification.type).catch(() => undefined);
  server.connection.dispose();
  server.child.kill();
});

describe("the language server's requests for the VS Code client", () => {
  it('archlint/lint reports the single point of failure of the text with default settings', async () => {
    const server = await start();
    await open(server, SHOP);
    const result = (await server.connection.sendRequest(LintRequest.method, { uri: URI })) as {
      findings: { ruleId: string }[];
    } | null;
    expect(result?.findings.map((f) => f.ruleId)).toContain('single-point-of-failure');
  });

  it("archlint/lint applies the user's archlint.rules even when it comes before the server has read them", async () => {
    let answerSettings: (value: Record<string, unknown>) => void = () => undefined;
    const server = await start(new Promise((resolve) => (answerSettings = resolve)));
    await open(server, SHOP);
    // The API lints right after opening: the server is still waiting for the client's settings.
    const linted = server.connection.sendRequest(LintRequest.method, { uri: URI });
    answerSettings({ rules: { 'single-point-of-failure': 'off' } });
    const result = (await linted) as { findings: { ruleId: string }[] } | null;
    expect(result).not.toBeNull();
    expect(result!.findings.map((f) => f.ruleId)).not.toContain('single-point-of-failure');
  });

  it('archlint/availability titles the table with the name the client gives, else with the file name', async () => {
    const server = await start();
    await open(server, SHOP);
    type Answer = { table: string } | null;
    const named = (await server.connection.sendRequest(AvailabilityRequest.method, {
      uri: URI,
      name: 'sub/shop.arch.yaml',
    })) as Answer;
    expect(named?.table.split('\n')[0]).toBe('sub/shop.arch.yaml');
    const unnamed = (await server.connection.sendRequest(AvailabilityRequest.method, { uri: URI })) as Answer;
    expect(unnamed?.table.split('\n')[0]).toBe('shop.arch.yaml');
  });

  it("an entry point's lens runs the client's availability command on the file, and says so in its tooltip", async () => {
    const server = await start(Promise.resolve({}), { availabilityCommand: 'archlint.showAvailability' });
    await open(server, SHOP);
    const lenses = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: URI } });
    expect(
      lenses?.map((l) => ({ line: l.range.start.line, command: l.command?.command, arguments: l.command?.arguments })),
    ).toEqual([{ line: 2, command: 'archlint.showAvailability', arguments: [URI] }]);
    expect(lenses?.[0]?.command?.tooltip).toBe('Availability of entry point edge: click for the full report');
  });
});
