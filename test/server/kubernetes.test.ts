/**
 * Kubernetes manifests over the protocol: a YAML or JSON document with top-level `apiVersion` and
 * `kind` is linted by its content, with the other manifests of its folder read from disk (or the
 * configuration's `architectures` group); a file that appears on disk joins; typing `kind:` makes
 * a file manifests and deleting it clears them; `archlint.sources.kubernetes` and the
 * configuration's `sources.kubernetes` turn it off; fixes, hover and lenses answer, completion does not.
 */
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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
import { LintRequest } from '../../extension/src/protocol';
import { tempTree } from '../cli/setup';
import { API_DEPLOYMENT, API_HPA } from '../sources/kubernetesTexts';
import { clientStarter } from './lspClient';

const FIXTURES = join(__dirname, '..', 'sources', 'kubernetes');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const DEPLOYMENT = API_DEPLOYMENT;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: { app: api }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations:
    nginx.ingress.kubernetes.io/limit-rps: "20"
spec:
  tls: [{ hosts: [api.example.com] }]
  rules:
    - host: api.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: api, port: { number: 80 } } } }
`;
const HPA_OBJECT = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'api-dump' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 6 },
};
const HPA = API_HPA;

const PROD = 'services:\n  api:\n    deploy:\n      replicas: 3\n';

const start = clientStarter();

/** `rule@line` of each diagnostic (lines from 0, as LSP counts them). */
const onLines = (ds: Diagnostic[]) => ds.map((d) => `${String(d.code)}@${d.range.start.line}`);
const uriOf = (dir: string, path: string) => pathToFileURL(join(dir, path)).href;
const WATCHING = { capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } } };

describe('Kubernetes manifests in the editor', () => {
  it('are linted by content with the manifests of their folder on disk, each file showing its own findings', async () => {
    const dir = tempTree({
      'k8s/deployment.yaml': fixture('folder/deployment.yaml'),
      'k8s/hpa.yaml': fixture('folder/hpa.yaml'),
      'k8s/service.yaml': fixture('folder/service.yaml'),
      'k8s/ingress.yaml': fixture('folder/ingress.yaml'),
    });
    const client = await start();
    const deployment = uriOf(dir, 'k8s/deployment.yaml');
    await client.open(deployment, fixture('folder/deployment.yaml'));
    // The HPA (on disk, not open) sets catalog's count: its finding is in hpa.yaml, none here.
    expect(await client.diagnostics(deployment, 1)).toEqual([]);
    const hpa = uriOf(dir, 'k8s/hpa.yaml');
    await client.open(hpa, fixture('folder/hpa.yaml'));
    const found = await client.diagnostics(hpa, 1);
    expect(onLines(found)).toEqual(['single-point-of-failure@7']);
    expect(found[0]!.message).toMatch(/^catalog is a single point of failure/);
    // Pulled as VS Code pulls them, the same.
    const pulled = await start({ pull: true });
    await pulled.open(hpa, fixture('folder/hpa.yaml'));
    expect(onLines(await pulled.pull(hpa))).toEqual(['single-point-of-failure@7']);
  });

  it('reads a JSON manifest (kind: List) and leaves other YAML and JSON alone', async () => {
    const client = await start();
    const list = 'file:///w/list.json';
    await client.open(list, fixture('list.json'), 1, 'json');
    expect((await client.diagnostics(list, 1)).length).toBeGreaterThan(0);
    await client.open('file:///w/package.json', '{ "name": "x", "kind": "y" }', 1, 'json');
    await client.open('file:///w/.github/workflows/ci.yml', 'on: push\njobs:\n  a:\n    runs-on: x\n');
    // A document after them is published; they never were.
    await client.open('file:///w/other.arch.yaml', 'archlint: 1\ncomponents:\n  web: { kind: service }\n');
    await client.diagnostics('file:///w/other.arch.yaml', 1);
    expect(client.publishesOf('file:///w/package.json')).toEqual([]);
    expect(client.publishesOf('file:///w/.github/workflows/ci.yml')).toEqual([]);
  });

  it('become manifests as apiVersion and kind are typed, and are cleared when kind goes', async () => {
    const client = await start();
    const uri = 'file:///w/new.yaml';
    const draft = DEPLOYMENT.replace('kind: Deployment\n', '');
    await client.open(uri, draft);
    await client.open('file:///w/service.yaml', SERVICE);
    await client.diagnostics('file:///w/service.yaml', 1);
    expect(client.publishesOf(uri)).toEqual([]);
    await client.change(uri, 2, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'kind: Deployment\n' },
    ]);
    expect(onLines(await client.diagnostics(uri, 2))).toEqual(['single-point-of-failure@5']);
    await client.change(uri, 3, [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' }]);
    expect(await client.diagnostics(uri, undefined, 1)).toEqual([]);
  });

  it('take in a manifest that appears on disk (the server watches YAML and JSON files)', async () => {
    const dir = tempTree({ 'k8s/service.yaml': SERVICE });
    const client = await start(WATCHING);
    const deployment = uriOf(dir, 'k8s/deployment.yaml');
    await client.open(deployment, DEPLOYMENT);
    expect(onLines(await client.diagnostics(deployment, 1))).toEqual(['single-point-of-failure@5']);
    const registrations = client.registrations.flatMap((r) => JSON.stringify(r.registerOptions ?? {}));
    expect(registrations.join()).toContain('**/*.{yaml,yml,json}');

    writeFileSync(join(dir, 'k8s', 'hpa.yaml'), HPA);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(dir, 'k8s/hpa.yaml'), type: 1 }],
    });
    expect(await client.diagnostics(deployment, 1, 1)).toEqual([]);
  });

  it("take a watcher's batch of thousands of JSON files (a test run's coverage) in at once, not a file at a time", async () => {
    // Open Compose overrides find their base files again when files come or go: once for the batch, not once a file.
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++) {
      files[`app${i}/compose.yaml`] = `services:\n  api:\n    image: example/api:1\n${'#'.repeat(400_000)}\n`;
      files[`app${i}/compose.override.yaml`] = 'services:\n  api:\n    image: example/api:2\n';
    }
    const dir = tempTree({ ...files, 'k8s/service.yaml': SERVICE });
    const client = await start(WATCHING);
    for (let i = 0; i < 4; i++)
      await client.open(uriOf(dir, `app${i}/compose.override.yaml`), files[`app${i}/compose.override.yaml`]!);
    const deployment = uriOf(dir, 'k8s/deployment.yaml');
    await client.open(deployment, DEPLOYMENT);
    await client.diagnostics(deployment, 1);
    const changes = Array.from({ length: 3000 }, (_, i) => ({
      uri: uriOf(dir, `coverage/tmp/coverage-${i}.json`),
      type: 1 as const,
    }));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
    // The batch is taken (the host counts the reads it costs: test/unit/hostKubernetes.test.ts) and the server answers after it.
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: deployment },
      position: { line: 3, character: 9 },
    });
    expect(JSON.stringify(hover?.contents)).toMatch(/api/);
    expect(onLines(client.publishesOf(deployment).at(-1)!.diagnostics)).toEqual(['single-point-of-failure@5']);
  });

  it('are not read with archlint.sources.kubernetes off, nor where the configuration file says sources.kubernetes: false', async () => {
    const client = await start({ settings: { sources: { kubernetes: false } } });
    const uri = 'file:///w/api.yaml';
    await client.open(uri, DEPLOYMENT + '---\n' + SERVICE);
    expect(await client.diagnostics(uri, 1)).toEqual([]);
    expect(await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })).toEqual([]);
    await client.configure({ sources: { kubernetes: true } });
    expect(onLines(await client.diagnostics(uri, 1, 1))).toEqual(['single-point-of-failure@5']);

    const dir = tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'archlint.config.yaml': 'sources: { kubernetes: false }\n' });
    const off = uriOf(dir, 'api.yaml');
    await client.open(off, DEPLOYMENT + '---\n' + SERVICE);
    expect(await client.diagnostics(off, 1)).toEqual([]);
  });

  it("leave out the folder's files the configuration ignores (found, not named) and files over 4 MB, but lint an ignored file opened", async () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'archlint.config.yaml': 'ignores: [k8s/hpa.yaml]\n',
      'k8s/service.yaml': SERVICE,
      'k8s/hpa.yaml': HPA,
      // Over 4 MB: not opened, as a search does not open it (a lockfile, a data dump).
      'k8s/hpa-dump.json': JSON.stringify({ ...HPA_OBJECT, padding: 'x'.repeat(4 * 1024 * 1024) }),
    });
    const client = await start();
    const deployment = uriOf(dir, 'k8s/deployment.yaml');
    await client.open(deployment, DEPLOYMENT);
    // The HPAs that would give api three pods are ignored, and too large to open.
    expect(onLines(await client.diagnostics(deployment, 1))).toEqual(['single-point-of-failure@5']);
    // Opened, it is a file named: linted with its folder, and it joins.
    await client.open(uriOf(dir, 'k8s/hpa.yaml'), HPA);
    expect(await client.diagnostics(uriOf(dir, 'k8s/hpa.yaml'), 1)).toEqual([]);
    expect(await client.diagnostics(deployment, 1, 1)).toEqual([]);
  });

  it('read a link in their folder to a manifest elsewhere, as a search of the folder does, and a file and a link to it beside it once', async () => {
    const dir = tempTree({ 'shared/hpa.yaml': HPA, 'k8s/service.yaml': SERVICE, 'k8s/deployment.yaml': DEPLOYMENT });
    // The HPA the folder shares with another, linked (kustomize's habit); a second name for the Deployment.
    symlinkSync(join(dir, 'shared', 'hpa.yaml'), join(dir, 'k8s', 'hpa.yaml'));
    symlinkSync(join(dir, 'k8s', 'deployment.yaml'), join(dir, 'k8s', 'api.yaml'));
    const client = await start();
    const deployment = uriOf(dir, 'k8s/deployment.yaml');
    await client.open(deployment, DEPLOYMENT);
    // The linked HPA sets api's count to three: no single point of failure.
    expect(await client.diagnostics(deployment, 1)).toEqual([]);
    // One Deployment, not an api and an api-deployment.
    expect((await client.request(LintRequest, { uri: deployment }))?.components).toEqual(['api', 'api-ingress']);
  });

  it("group the manifests a configuration's architectures group names, across folders", async () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'archlint.config.yaml': 'architectures:\n  - name: api\n    kubernetes: ["deploy/base/*.yaml", "deploy/prod/*.yaml"]\n',
      'deploy/base/api.yaml': DEPLOYMENT + '---\n' + SERVICE,
      'deploy/prod/hpa.yaml': HPA,
    });
    const client = await start();
    const api = uriOf(dir, 'deploy/base/api.yaml');
    await client.open(api, DEPLOYMENT + '---\n' + SERVICE);
    // prod's HPA, in another folder, sets api's count to three.
    expect(await client.diagnostics(api, 1)).toEqual([]);
  });

  it('lint a configuration group again when one of its files that is not open changes on disk, however the client spells its URI', async () => {
    // The client escapes the @ (VS Code does: %40); the group's files are found on disk, and named as Node names them.
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'archlint.config.yaml': 'architectures:\n  - name: shop\n    compose: ["base@v1/compose.yaml", "prod/compose.prod.yaml"]\n',
      'base@v1/compose.yaml': 'services:\n  api:\n    image: example/api:1\n',
      'prod/compose.prod.yaml': PROD,
    });
    const client = await start(WATCHING);
    const prod = uriOf(dir, 'prod/compose.prod.yaml');
    await client.open(prod, PROD, 1, 'dockercompose');
    await client.diagnostics(prod, 1);
    expect((await client.request(LintRequest, { uri: prod }))?.components).toEqual(['api']);
    writeFileSync(
      join(dir, 'base@v1', 'compose.yaml'),
      'services:\n  api:\n    image: example/api:1\n  db:\n    image: postgres:16\n',
    );
    const base = uriOf(dir, 'base@v1/compose.yaml').replace('@', '%40');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: base, type: 2 }] });
    expect((await client.request(LintRequest, { uri: prod }))?.components).toEqual(['api', 'db']);
  });

  it('offer the safe readinessProbe fix, hover a workload, lens the entry point, and complete nothing', async () => {
    const client = await start();
    const uri = 'file:///w/cart.yaml';
    const text = fixture('liveness-only.yaml');
    await client.open(uri, text);
    const [missing] = await client.diagnostics(uri, 1);
    expect(missing?.code).toBe('missing-health-check');
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: missing!.range,
      context: { diagnostics: [missing!] },
    })) as CodeAction[];
    expect(actions[0]!.title).toBe('Add a health check to cart');
    expect(actions[0]!.isPreferred).toBe(true);
    expect(actions[0]!.edit!.changes![uri]!.map((e) => e.newText).join('')).toMatch(/readinessProbe:\n\s+httpGet/);

    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 12, character: 9 },
    });
    expect(JSON.stringify(hover?.contents)).toMatch(/cart/);
    const completion = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 14, character: 2 },
    });
    expect(completion).toEqual([]);

    await client.open('file:///w/api.yaml', DEPLOYMENT + '---\n' + SERVICE);
    await client.diagnostics('file:///w/api.yaml', 1);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: 'file:///w/api.yaml' } });
    expect(lenses?.map((l) => l.command?.title)).toEqual([expect.stringMatching(/^\d+\.\d+% available · /)]);
  });
});
