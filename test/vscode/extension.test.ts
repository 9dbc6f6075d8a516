// The extension's own side of the client, in a fake host (fakeVscode.ts) with a fake language
// client: when the client starts, what the status bar shows, what the commands and the API ask
// the server, and that deactivation waits for the server to stop. The real client and server in
// a real VS Code are the e2e suite's (test/e2e).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ArchlintClient, ClientCommands } from '../../extension/src/vscode/client';
import type { LintedParams, ServerRequest } from '../../extension/src/protocol';
import * as fake from './fakeVscode';

vi.mock('vscode', () => import('./fakeVscode'));

/** The language client as the extension sees it: records requests, answers from `answers`, and stops when told. */
class FakeClient implements ArchlintClient {
  readonly requests: { method: string; params: unknown }[] = [];
  readonly answers = new Map<string, (params: never) => unknown>();
  readonly linted = new fake.EventEmitter<LintedParams>();
  stopCalls = 0;
  private finishStop: (() => void) | undefined;

  request<P, R>(request: ServerRequest<P, R>, params: P): Promise<R> {
    this.requests.push({ method: request.method, params });
    const answer = this.answers.get(request.method);
    return Promise.resolve((answer ? answer(params as never) : null) as R);
  }
  onLinted(listener: (params: LintedParams) => void): { dispose(): void } {
    return this.linted.event(listener);
  }
  settingsChanged(): void {}
  stop(): Promise<void> {
    this.stopCalls++;
    return new Promise((resolve) => (this.finishStop = resolve));
  }
  /** The server has shut down and exited. */
  stopped(): void {
    this.finishStop?.();
  }
}

const started: ClientCommands[] = [];
const client = new FakeClient();
vi.mock('../../extension/src/vscode/clientLoader', () => ({
  client: () => ({
    startClient: (_context: unknown, _output: unknown, commands: ClientCommands) => {
      started.push(commands);
      return Promise.resolve(client);
    },
  }),
}));

const { activate, deactivate } = await import('../../extension/src/vscode/extension');

const subscriptions: { dispose(): unknown }[] = [];
const context = {
  subscriptions,
  extensionUri: fake.Uri.file('/ext'),
  extension: { packageJSON: { version: '0.0.0-test' } },
};
let api: ReturnType<typeof activate>;

/** Lets the extension's promise chains (the client's start, a command's request) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const statusItem = () => fake.host.statusBarItems[0]!;
const linted = (document: fake.FakeDocument, text: string): LintedParams => ({
  uri: document.uri.toString(),
  version: document.version,
  status: { text, tooltip: `tooltip of ${text}` },
});

beforeAll(() => {
  api = activate(context as never);
});
afterAll(() => subscriptions.forEach((s) => void s.dispose()));

describe('the extension as a client of the language server', () => {
  it('starts the client on the first architecture or Compose file, not at activation nor for other YAML', async () => {
    fake.host.open('/w/values.yaml', 'services: {}\n');
    await settle();
    expect(started).toEqual([]);
    fake.host.open('/w/docker-compose.yaml', 'services: {}\n');
    await settle();
    expect(started).toEqual([{ documentation: 'archlint.showRuleDocumentation', availability: 'archlint.showAvailability' }]);
    fake.host.open('/w/shop.arch.yaml', 'archlint: 1\n');
    fake.host.open('/w/chat.arch.yml', 'archlint: 1\n');
    await settle();
    expect(started).toHaveLength(1);
  });

  it('lists the open Kubernetes manifests in the context key archlint.manifests, as they are opened, typed and closed', () => {
    const manifests = () => fake.host.contexts.get('archlint.manifests');
    const deployment = fake.host.open('/w/k8s/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\n');
    const list = fake.host.open('/w/k8s/list.json', '{"apiVersion":"v1","kind":"List","items":[]}');
    fake.host.open('/w/.github/workflows/ci.yml', 'jobs:\n  a:\n    kind: x\n    apiVersion: y\n');
    expect(manifests()).toEqual([deployment.uri.toString(), list.uri.toString()]);
    const draft = fake.host.open('/w/k8s/draft.yaml', 'apiVersion: v1\n');
    expect(manifests()).toHaveLength(2);
    fake.host.edit(draft, 'apiVersion: v1\nkind: Service\n');
    expect(manifests()).toEqual([deployment.uri.toString(), list.uri.toString(), draft.uri.toString()]);
    fake.host.edit(deployment, '# kind: gone\n');
    fake.host.close(list);
    expect(manifests()).toEqual([draft.uri.toString()]);
    fake.host.close(draft);
    expect(manifests()).toEqual([]);
  });

  it("shows the server's status of the active architecture file, and nothing for other files", async () => {
    const shop = fake.host.documents.find((d) => d.uri.path === '/w/shop.arch.yaml')!;
    const other = fake.host.documents.find((d) => d.uri.path === '/w/values.yaml')!;
    fake.host.activate(shop);
    expect(statusItem().visible).toBe(false);
    client.linted.fire(linted(shop, 'Archlint: $(error) 1'));
    expect(statusItem()).toMatchObject({
      visible: true,
      text: 'Archlint: $(error) 1',
      tooltip: 'tooltip of Archlint: $(error) 1',
    });
    fake.host.activate(other);
    expect(statusItem().visible).toBe(false);
    fake.host.activate(shop);
    expect(statusItem().visible).toBe(true);
  });

  it('hides the status at once when archlint.enable turns off, and shows it again with the next lint', async () => {
    const shop = fake.host.documents.find((d) => d.uri.path === '/w/shop.arch.yaml')!;
    fake.host.activate(shop);
    client.linted.fire(linted(shop, 'Archlint: $(warning) 2'));
    expect(statusItem().visible).toBe(true);
    fake.host.configure('enable', false);
    expect(statusItem().visible).toBe(false);
    // On again: what was shown before it was turned off is no longer known to be true.
    fake.host.configure('enable', true);
    expect(statusItem().visible).toBe(false);
    client.linted.fire(linted(shop, 'Archlint: $(warning) 3'));
    expect(statusItem()).toMatchObject({ visible: true, text: 'Archlint: $(warning) 3' });
  });

  it('the availability report asks the server, titled with the path in the workspace', async () => {
    client.answers.set('archlint/availability', (params: { name?: string }) => ({
      report: { entries: [], components: {}, notes: [] },
      table: `${params.name}\n\nthe table`,
    }));
    const text = await fake.commands.executeCommand('archlint.showAvailability', 'file:///w/sub/shop.arch.yaml');
    expect(client.requests.at(-1)).toEqual({
      method: 'archlint/availability',
      params: { uri: 'file:///w/sub/shop.arch.yaml', name: 'sub/shop.arch.yaml' },
    });
    expect(text).toBe('sub/shop.arch.yaml\n\nthe table');
  });

  it("the rule documentation command opens the URL the server's code action gives, and only an https one", async () => {
    await fake.commands.executeCommand(
      'archlint.showRuleDocumentation',
      'sticky-sessions',
      'https://archlint.dev/rules/sticky-sessions.md',
    );
    await fake.commands.executeCommand(
      'archlint.showRuleDocumentation',
      'sticky-sessions',
      'command:workbench.action.openSettings',
    );
    expect(fake.host.opened).toEqual(['https://archlint.dev/rules/sticky-sessions.md']);
  });

  it("the API's lint and availability are the server's answers for the document's URI", async () => {
    const result = { findings: [], components: ['web'], entryPoints: ['web'] };
    client.answers.set('archlint/lint', () => result);
    client.answers.set('archlint/availability', () => ({ report: { entries: [], components: {}, notes: [] }, table: '' }));
    expect(await api.lint('file:///w/shop.arch.yaml')).toEqual(result);
    expect(client.requests.at(-1)).toEqual({ method: 'archlint/lint', params: { uri: 'file:///w/shop.arch.yaml' } });
    expect(await api.availability(fake.Uri.file('/w/shop.arch.yaml'))).toEqual({ entries: [], components: {}, notes: [] });
    expect(client.requests.at(-1)).toMatchObject({
      method: 'archlint/availability',
      params: { uri: 'file:///w/shop.arch.yaml' },
    });
  });

  it('deactivation waits until the language server has stopped', async () => {
    let done = false;
    const stopping = deactivate();
    expect(stopping).toBeInstanceOf(Promise);
    void stopping!.then(() => (done = true));
    expect(client.stopCalls).toBe(1);
    await settle();
    expect(done).toBe(false);
    client.stopped();
    await stopping;
    expect(done).toBe(true);
  });
});
