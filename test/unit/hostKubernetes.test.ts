/**
 * The analysis host with Kubernetes manifests: a YAML or JSON document is manifests by its
 * content (and becomes or stops being them as it is typed); a folder's manifests, open or on
 * disk, are one architecture; a configuration group (`groupOf`) takes files out of their folder
 * or project; a file that appears on disk is taken in; queries answer only for the file asked about.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import * as yaml from 'yaml';
import { LineIndex, QueryError, type AnalysisHost, type SourceGroup } from '../../extension/src/engine';
import { hostWithDisk } from './hostDisk';
import { API_DEPLOYMENT, API_HPA } from '../sources/kubernetesTexts';

// Every parse of a stream goes through this spy, so a test can say which texts were parsed (not how long it took).
vi.mock('yaml', async (importOriginal) => {
  const original = await importOriginal<typeof import('yaml')>();
  return { ...original, parseAllDocuments: vi.fn(original.parseAllDocuments) };
});
/** How many times a text holding `marker` was parsed as a stream since the last call. */
function parsedWith(marker: string): number {
  const calls = vi.mocked(yaml.parseAllDocuments).mock.calls.filter(([text]) => text.includes(marker)).length;
  vi.mocked(yaml.parseAllDocuments).mockClear();
  return calls;
}

const FIXTURES = join(__dirname, '..', 'sources', 'kubernetes');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const K8S = 'file:///w/k8s/';
const DEPLOYMENT = `${K8S}deployment.yaml`;
const SERVICE = `${K8S}service.yaml`;
const HPA = `${K8S}hpa.yaml`;
const INGRESS = `${K8S}ingress.yaml`;

/** The catalog folder of the fixtures, one object per file, on the test's disk. */
const catalogFolder = (): Record<string, string> => ({
  [DEPLOYMENT]: fixture('folder/deployment.yaml'),
  [SERVICE]: fixture('folder/service.yaml'),
  [HPA]: fixture('folder/hpa.yaml'),
  [INGRESS]: fixture('folder/ingress.yaml'),
});

const lineOf = (text: string, offset: number) => new LineIndex(text).position(offset).line;
const ruleLines = (host: AnalysisHost, uri: string) => {
  const text = host.document(uri)?.text ?? '';
  return host
    .snapshot()
    .findings(uri)
    .map((f) => `${f.ruleId}@${lineOf(text, f.range[0])}`);
};

const DEPLOYMENT_ONE = API_DEPLOYMENT;
const SERVICE_API = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  type: LoadBalancer
  selector: { app: api }
  ports: [{ port: 443, targetPort: 8080 }]
`;
const HPA_THREE = API_HPA;

describe('the analysis host with Kubernetes manifests', () => {
  it('knows manifests by their content, not their name: YAML with top-level apiVersion and kind, or a JSON object', () => {
    const { host } = hostWithDisk();
    host.apply({ uri: `${K8S}anything.yml`, version: 1, text: DEPLOYMENT_ONE });
    host.apply({ uri: `${K8S}list.json`, version: 1, text: fixture('list.json') });
    // A workflow or a values file may say `kind:` inside a mapping: that is not a manifest.
    host.apply({
      uri: 'file:///w/.github/workflows/ci.yml',
      version: 1,
      text: 'on: push\njobs:\n  a:\n    kind: x\n    apiVersion: y\n',
    });
    host.apply({ uri: 'file:///w/values.yaml', version: 1, text: 'image:\n  tag: 1\n' });
    host.apply({ uri: 'file:///w/notes.txt', version: 1, text: DEPLOYMENT_ONE });
    expect(host.document(`${K8S}anything.yml`)?.kind).toBe('kubernetes');
    expect(host.document(`${K8S}list.json`)?.kind).toBe('kubernetes');
    expect(host.document('file:///w/.github/workflows/ci.yml')?.kind).toBe('other');
    expect(host.document('file:///w/values.yaml')?.kind).toBe('other');
    expect(host.document('file:///w/notes.txt')?.kind).toBe('other');
    expect(host.snapshot().lint('file:///w/values.yaml')).toBeUndefined();
  });

  it('lints a manifest with the other manifests of its folder on disk, each file answering for its own findings', () => {
    const { host } = hostWithDisk(catalogFolder());
    host.apply({ uri: DEPLOYMENT, version: 1, text: fixture('folder/deployment.yaml') });
    // The HPA sets the count: its finding is in hpa.yaml (not open), none in deployment.yaml.
    expect(ruleLines(host, DEPLOYMENT)).toEqual([]);
    const result = host.snapshot().lint(DEPLOYMENT);
    expect([...(result?.files?.keys() ?? [])].sort()).toEqual([DEPLOYMENT, HPA, INGRESS, SERVICE]);
    expect(result?.findings.map((f) => `${f.ruleId}@${f.file}`)).toContain(`single-point-of-failure@${HPA}`);

    host.apply({ uri: HPA, version: 1, text: fixture('folder/hpa.yaml') });
    expect(host.snapshot().lint(HPA)).toBe(host.snapshot().lint(DEPLOYMENT));
    expect(ruleLines(host, HPA)).toEqual(['single-point-of-failure@7']);
    expect(host.affectedBy(HPA)).toEqual([DEPLOYMENT]);
  });

  it('takes in a manifest that appears on disk, and lets one go that is deleted', () => {
    const { host, files } = hostWithDisk({ [SERVICE]: SERVICE_API });
    host.apply({ uri: DEPLOYMENT, version: 1, text: DEPLOYMENT_ONE });
    expect(ruleLines(host, DEPLOYMENT)).toEqual(['single-point-of-failure@5']);

    files.set(HPA, HPA_THREE);
    expect(host.affectedBy(HPA)).toEqual([DEPLOYMENT]);
    host.fileChanged(HPA);
    expect(ruleLines(host, DEPLOYMENT)).toEqual([]);

    files.delete(HPA);
    host.fileChanged(HPA);
    expect(ruleLines(host, DEPLOYMENT)).toEqual(['single-point-of-failure@5']);
  });

  it('reads a manifest on disk that starts with a byte-order mark (as an editor opens it, and a named file is read)', () => {
    const { host } = hostWithDisk({ [SERVICE]: SERVICE_API, [HPA]: `\uFEFF${HPA_THREE}` });
    host.apply({ uri: DEPLOYMENT, version: 1, text: DEPLOYMENT_ONE });
    expect(ruleLines(host, DEPLOYMENT)).toEqual([]);
    expect([...(host.snapshot().lint(DEPLOYMENT)?.files?.keys() ?? [])].sort()).toEqual([DEPLOYMENT, HPA, SERVICE]);
  });

  it('reads an open manifest as it is typed, unsaved, over the disk', () => {
    const { host } = hostWithDisk({ [SERVICE]: SERVICE_API, [DEPLOYMENT]: DEPLOYMENT_ONE });
    host.apply({ uri: DEPLOYMENT, version: 1, text: DEPLOYMENT_ONE });
    expect(ruleLines(host, DEPLOYMENT)).toEqual(['single-point-of-failure@5']);
    // A new, unsaved file in the folder joins it.
    host.apply({ uri: HPA, version: 1, text: HPA_THREE });
    expect(ruleLines(host, DEPLOYMENT)).toEqual([]);
    host.apply({ uri: DEPLOYMENT, version: 2, text: DEPLOYMENT_ONE.replace('name: api\nspec', 'name: web\nspec') });
    expect(ruleLines(host, DEPLOYMENT)).toEqual(['single-point-of-failure@5']);
  });

  it('reads the disk again when a document that is no manifest as typed closes over a manifest on disk', () => {
    const { host } = hostWithDisk({ [SERVICE]: SERVICE_API, [HPA]: HPA_THREE });
    host.apply({ uri: DEPLOYMENT, version: 1, text: DEPLOYMENT_ONE });
    expect(ruleLines(host, DEPLOYMENT)).toEqual([]);
    // The HPA, open, loses its apiVersion and kind (unsaved): the folder reads it no more.
    host.apply({ uri: HPA, version: 1, text: 'minReplicas: 3\n' });
    expect(ruleLines(host, DEPLOYMENT)).toEqual(['single-point-of-failure@5']);
    // Closed without saving, it is the file on disk again: an HPA that sets api's count.
    host.close(HPA);
    expect(host.affectedBy(HPA)).toEqual([DEPLOYMENT]);
    expect(ruleLines(host, DEPLOYMENT)).toEqual([]);
  });

  it('turns a YAML document into manifests when apiVersion and kind are typed, and back when they go', () => {
    const { host } = hostWithDisk({ [SERVICE]: SERVICE_API });
    const draft = DEPLOYMENT_ONE.replace('apiVersion: apps/v1\nkind: Deployment\n', '');
    host.apply({ uri: DEPLOYMENT, version: 1, text: draft });
    expect(host.document(DEPLOYMENT)?.kind).toBe('other');
    host.apply({ uri: SERVICE, version: 1, text: SERVICE_API });
    // Its selector matches nothing yet.
    expect(ruleLines(host, SERVICE)).toEqual(['anonymous-rate-limit@1', 'source@6']);

    host.apply({ uri: DEPLOYMENT, version: 2, text: DEPLOYMENT_ONE });
    expect(host.document(DEPLOYMENT)?.kind).toBe('kubernetes');
    expect(ruleLines(host, DEPLOYMENT)).toEqual(['single-point-of-failure@5']);
    expect(ruleLines(host, SERVICE)).toEqual(['anonymous-rate-limit@1']);

    host.apply({ uri: DEPLOYMENT, version: 3, text: draft });
    expect(host.snapshot().lint(DEPLOYMENT)).toBeUndefined();
    // The service's selector matches nothing again: the open document is read as it is, not from disk.
    expect(ruleLines(host, SERVICE)).toEqual(['anonymous-rate-limit@1', 'source@6']);
  });

  it('does not parse the templated YAML beside a manifest that names no apiVersion (Ansible playbooks) at each lint', () => {
    // 1.5 MB of playbooks full of `{{ }}`: parsing them as YAML at each lint takes seconds, the check that they are no manifests far less.
    const playbook = Array.from(
      { length: 1000 },
      (_, i) =>
        `- name: task ${i}\n  ansible.builtin.template:\n    src: "{{ item }}.j2"\n    dest: "/etc/{{ item }}"\n  loop: [a, b]\n`,
    ).join('');
    const disk: Record<string, string> = { [SERVICE]: SERVICE_API };
    for (let i = 0; i < 15; i++) disk[`${K8S}play${i}.yaml`] = playbook;
    const { host } = hostWithDisk(disk);
    parsedWith('ansible.builtin');
    host.apply({ uri: DEPLOYMENT, version: 1, text: DEPLOYMENT_ONE });
    expect(ruleLines(host, DEPLOYMENT)).toEqual(['single-point-of-failure@5']);
    // A keystroke in the manifest, and one in an open playbook (told again whether it is manifests).
    host.apply({ uri: DEPLOYMENT, version: 2, text: `${DEPLOYMENT_ONE}# typed\n` });
    expect(ruleLines(host, DEPLOYMENT)).toEqual(['single-point-of-failure@5']);
    host.apply({ uri: `${K8S}play0.yaml`, version: 1, text: `${playbook}# typed\n` });
    expect(host.document(`${K8S}play0.yaml`)?.kind).toBe('other');
    // Told apart from manifests without a parse: no apiVersion in them.
    expect(parsedWith('ansible.builtin')).toBe(0);
  });

  it("takes a watcher's batch of thousands of files at once: open Compose overrides look for their bases once, not once a file", () => {
    const disk: Record<string, string> = { [SERVICE]: SERVICE_API };
    for (let i = 0; i < 4; i++) disk[`file:///w/app${i}/compose.yaml`] = 'services:\n  api:\n    image: example/api:1\n';
    const { host, reads } = hostWithDisk(disk);
    for (let i = 0; i < 4; i++)
      host.apply({
        uri: `file:///w/app${i}/compose.override.yaml`,
        version: 1,
        text: 'services:\n  api:\n    image: example/api:2\n',
      });
    host.apply({ uri: DEPLOYMENT, version: 1, text: DEPLOYMENT_ONE });
    expect(ruleLines(host, DEPLOYMENT)).toEqual(['single-point-of-failure@5']);
    reads.length = 0;
    host.fileChanged(Array.from({ length: 3000 }, (_, i) => `file:///w/coverage/tmp/coverage-${i}.json`));
    // Each override looks for its base again once (a base may have appeared), whatever the batch's size.
    expect(reads.filter((uri) => uri.endsWith('/compose.yaml')).length).toBeLessThanOrEqual(4 * 2);
    expect(ruleLines(host, DEPLOYMENT)).toEqual(['single-point-of-failure@5']);
  });

  it('lints an untitled manifest (a URI with no folder) on its own, not with every other untitled buffer', () => {
    const { host } = hostWithDisk();
    host.apply({ uri: 'untitled:a.yaml', version: 1, text: DEPLOYMENT_ONE });
    host.apply({ uri: 'untitled:b.yaml', version: 1, text: HPA_THREE });
    expect([...(host.snapshot().lint('untitled:a.yaml')?.files?.keys() ?? [])]).toEqual(['untitled:a.yaml']);
    expect(host.snapshot().lint('untitled:b.yaml')).not.toBe(host.snapshot().lint('untitled:a.yaml'));
  });

  it('names a listed file as its open document is named, however the client escapes it', () => {
    const odd = `${K8S}it's(1).yaml`;
    const { host } = hostWithDisk({ [SERVICE]: SERVICE_API, [`${K8S}it%27s%281%29.yaml`]: DEPLOYMENT_ONE });
    host.apply({ uri: odd, version: 1, text: DEPLOYMENT_ONE });
    const result = host.snapshot().lint(odd);
    // One deployment, not two (an `api` and an `api` from the same file read twice).
    expect([...(result?.files?.keys() ?? [])].sort()).toEqual([odd, SERVICE]);
    expect(ruleLines(host, odd)).toEqual(['single-point-of-failure@5']);
  });

  it("groups the files of a configuration's architectures group across folders, apart from their folders", () => {
    const base = 'file:///w/deploy/base/api.yaml';
    const prod = 'file:///w/deploy/prod/hpa.yaml';
    const beside = 'file:///w/deploy/prod/other.yaml';
    const group: SourceGroup = { key: 'file:///w/archlint.config.yaml#kubernetes:shop', kind: 'kubernetes', files: [base, prod] };
    const { host } = hostWithDisk(
      { [base]: DEPLOYMENT_ONE + '---\n' + SERVICE_API, [prod]: HPA_THREE, [beside]: DEPLOYMENT_ONE + '---\n' + SERVICE_API },
      (uri, kind) => (kind === 'kubernetes' && group.files.includes(uri) ? group : undefined),
    );
    host.apply({ uri: base, version: 1, text: DEPLOYMENT_ONE + '---\n' + SERVICE_API });
    // prod's HPA (another folder) sets api's count; other.yaml beside it is not in the group.
    expect(ruleLines(host, base)).toEqual(['anonymous-rate-limit@19']);
    expect([...(host.snapshot().lint(base)?.files?.keys() ?? [])]).toEqual([base, prod]);
    host.apply({ uri: beside, version: 1, text: DEPLOYMENT_ONE + '---\n' + SERVICE_API });
    // Its folder's architecture leaves out the HPA beside it, which the group names.
    expect([...(host.snapshot().lint(beside)?.files?.keys() ?? [])]).toEqual([beside]);
    expect(ruleLines(host, beside)).toEqual(['single-point-of-failure@5', 'anonymous-rate-limit@19']);
  });

  it('lints a group again when the configuration changes its files but not its name (regroup)', () => {
    const base = 'file:///w/deploy/base/api.yaml';
    const prod = 'file:///w/deploy/prod/hpa.yaml';
    const staging = 'file:///w/deploy/staging/hpa.yaml';
    let group: SourceGroup = { key: 'file:///w/archlint.config.yaml#kubernetes:shop', kind: 'kubernetes', files: [base] };
    const { host } = hostWithDisk(
      { [base]: DEPLOYMENT_ONE + '---\n' + SERVICE_API, [prod]: HPA_THREE, [staging]: HPA_THREE },
      (uri, kind) => (kind === 'kubernetes' && group.files.includes(uri) ? group : undefined),
    );
    host.apply({ uri: base, version: 1, text: DEPLOYMENT_ONE + '---\n' + SERVICE_API });
    expect(ruleLines(host, base)).toEqual(['single-point-of-failure@5', 'anonymous-rate-limit@19']);
    // The configuration now names prod's HPA too: same group, other files.
    group = { ...group, files: [base, prod] };
    host.regroup();
    expect([...(host.snapshot().lint(base)?.files?.keys() ?? [])]).toEqual([base, prod]);
    expect(ruleLines(host, base)).toEqual(['anonymous-rate-limit@19']);
  });

  it("groups Compose files a configuration names, in the group's order, whatever their names", () => {
    const main = 'file:///w/compose.yaml';
    const prod = 'file:///w/deploy/compose.prod.yaml';
    const group: SourceGroup = { key: 'file:///w/archlint.config.yaml#compose:prod', kind: 'compose', files: [main, prod] };
    const { host } = hostWithDisk({ [prod]: 'services:\n  api:\n    deploy:\n      replicas: 3\n' }, (uri, kind) =>
      kind === 'compose' && group.files.includes(uri) ? group : undefined,
    );
    const text = 'services:\n  api:\n    image: example/api:1\n    healthcheck:\n      test: ["CMD", "true"]\n';
    host.apply({ uri: main, version: 1, text });
    expect(host.snapshot().lint(main)?.model?.components.get('api')?.replicas).toBe(3);
    // Opened with the Docker extension's language id, the prod file is in the same architecture.
    host.apply({ uri: prod, version: 1, text: 'services:\n  api:\n    deploy:\n      replicas: 3\n', kind: 'compose' });
    expect(host.snapshot().lint(prod)).toBe(host.snapshot().lint(main));
  });

  it('leaves Kubernetes keys to the Kubernetes and YAML extensions: no key hover, no completion, no rename', () => {
    const { host } = hostWithDisk();
    host.apply({ uri: DEPLOYMENT, version: 1, text: DEPLOYMENT_ONE });
    const analysis = host.snapshot();
    expect(analysis.hover(DEPLOYMENT, DEPLOYMENT_ONE.indexOf('replicas'))).toBeUndefined();
    expect(analysis.completion(DEPLOYMENT, DEPLOYMENT_ONE.indexOf('replicas'))).toEqual([]);
    expect(() => analysis.rename(DEPLOYMENT, DEPLOYMENT_ONE.indexOf('name: api') + 6, 'web')).toThrow(QueryError);
    // Its component's hover is Archlint's: the availability of what it is.
    expect(analysis.hover(DEPLOYMENT, DEPLOYMENT_ONE.indexOf('name: api') + 7)?.markdown).toMatch(/api/);
  });

  it('fixes all safe findings of a manifest in that file only: a readinessProbe copied from the livenessProbe', () => {
    const text = fixture('liveness-only.yaml');
    const uri = `${K8S}cart.yaml`;
    const { host } = hostWithDisk();
    host.apply({ uri, version: 1, text });
    expect(ruleLines(host, uri)).toEqual(['missing-health-check@22']);
    const edit = host.snapshot().fixAll(uri);
    expect(edit?.uri).toBe(uri);
    const fixed = text.slice(0, edit!.range[0]) + edit!.text + text.slice(edit!.range[1]);
    expect(fixed).toContain('readinessProbe:');
    expect(fixed).toContain('# A livenessProbe alone');
    host.apply({ uri, version: 2, text: fixed });
    expect(ruleLines(host, uri)).toEqual([]);
  });
});
