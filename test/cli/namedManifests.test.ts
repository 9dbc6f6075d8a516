/**
 * A Kubernetes manifest named on the command line (or matched by a glob, or handed over by the
 * pre-commit hook) is linted with the other manifests of its folder, as one architecture: the
 * manifests a search of that folder finds, under its configuration (sources, ignores, groups). A
 * Deployment whose `replicas` drops to 1 is a single point of failure only behind the Service in
 * another file beside it.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, archlintWithInput, buildCliOnce, tempTree } from './setup';
import { apiDeployment, API_LOAD_BALANCER } from '../sources/kubernetesTexts';

beforeAll(buildCliOnce);

const DEPLOYMENT = apiDeployment(1);
const SERVICE = API_LOAD_BALANCER;
const SPOF = 'k8s/deployment.yaml single-point-of-failure api';

interface JsonResult {
  filePath: string;
  messages: { ruleId: string; component?: string; line: number }[];
}

/** The files of a JSON report, relative to `dir`. */
const reported = (dir: string, stdout: string) =>
  (JSON.parse(stdout) as JsonResult[]).map((r) => r.filePath.slice(dir.length + 1));
/** Each finding of a JSON report as `file rule component`, files relative to `dir`. */
const findings = (dir: string, stdout: string) =>
  (JSON.parse(stdout) as JsonResult[]).flatMap((r) =>
    r.messages.map((m) => `${r.filePath.slice(dir.length + 1)} ${m.ruleId} ${m.component ?? ''}`.trim()),
  );

/** A repository with the Deployment and its Service in two files of one folder. */
const repository = (more: Record<string, string> = {}) =>
  tempTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'k8s/deployment.yaml': DEPLOYMENT, 'k8s/service.yaml': SERVICE, ...more });

describe('a manifest named on the command line is linted with its folder’s manifests', () => {
  it('named, matched by a glob, or passed by the hook, the Deployment gets the finding its Service beside it makes, and every file of the folder is reported', () => {
    const dir = repository({
      // Beside it but none of its manifests: a values file (a nested kind), an architecture, a compose file.
      'k8s/values.yaml': 'image:\n  repository: shop\n  kind: web\n',
      'k8s/notes.arch.yaml': 'archlint: 1\nname: notes\ncomponents: {}\n',
      'k8s/compose.yaml': 'services:\n  web:\n    image: nginx\n',
    });
    for (const args of [['k8s/deployment.yaml'], ['--ignore-unknown', 'k8s/deployment.yaml'], ['k8s/dep*.yaml']]) {
      const r = archlint(['lint', '--format', 'json', ...args], dir);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toBe('');
      // The folder's manifests in a search's order; the other files beside them are not read.
      expect(reported(dir, r.stdout)).toEqual(['k8s/deployment.yaml', 'k8s/service.yaml']);
      expect(findings(dir, r.stdout)).toEqual([
        SPOF,
        'k8s/service.yaml anonymous-rate-limit api-service',
        'k8s/service.yaml plaintext-ingress api-service',
      ]);
      const spof = (JSON.parse(r.stdout) as JsonResult[])[0]!.messages[0]!;
      expect(DEPLOYMENT.split('\n')[spof.line - 1]).toBe('  replicas: 1');
    }
    // As a search of the folder lints them.
    const folder = archlint(['lint', '--format', 'json', 'k8s'], dir);
    expect(findings(dir, folder.stdout)).toEqual(
      expect.arrayContaining([SPOF, 'k8s/service.yaml anonymous-rate-limit api-service']),
    );
    // Standard input is one input with no folder: alone, nothing reaches the Deployment.
    const piped = archlintWithInput(
      ['lint', '--format', 'json', '--stdin-filename', 'k8s/deployment.yaml', '-'],
      DEPLOYMENT,
      dir,
    );
    expect(piped.code, piped.stderr).toBe(0);
    expect(findings(dir, piped.stdout.toString())).toEqual([]);
  });

  it('leaves out a manifest beside it that the configuration ignores, and all of them when its sources turn Kubernetes off', () => {
    const dir = repository({ 'archlint.config.yaml': 'ignores: [k8s/service.yaml]\n' });
    const run = () => archlint(['lint', '--format', 'json', 'k8s/deployment.yaml'], dir);
    expect(reported(dir, run().stdout)).toEqual(['k8s/deployment.yaml']);
    expect(findings(dir, run().stdout)).toEqual([]);
    // Named, an ignored file is still linted (a file asked for by name is), with the folder's others.
    const named = archlint(['lint', '--format', 'json', 'k8s/service.yaml'], dir);
    expect(findings(dir, named.stdout)).toContain(SPOF);

    writeFileSync(join(dir, 'archlint.config.yaml'), 'sources: { kubernetes: false }\n');
    // The file named is linted all the same; nothing is found beside it.
    expect(reported(dir, run().stdout)).toEqual(['k8s/deployment.yaml']);
    // ...and the hook's --ignore-unknown skips it, as a search would.
    expect(archlint(['lint', '--ignore-unknown', 'k8s/deployment.yaml'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('finds a manifest beside it that starts with a byte-order mark, as a named one is read, and so does a search', () => {
    const dir = repository({ 'k8s/service.yaml': `\uFEFF${SERVICE}` });
    for (const args of [['k8s/deployment.yaml'], ['k8s']]) {
      const r = archlint(['lint', '--format', 'json', ...args], dir);
      expect(reported(dir, r.stdout)).toEqual(['k8s/deployment.yaml', 'k8s/service.yaml']);
      expect(findings(dir, r.stdout)).toContain(SPOF);
    }
  });

  it('does not pull the manifests of a subfolder, nor a file it already has under another name', () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'k8s/deployment.yaml': DEPLOYMENT,
      'k8s/edge/service.yaml': SERVICE,
    });
    symlinkSync('deployment.yaml', join(dir, 'k8s/deployment-link.yaml'));
    const r = archlint(['lint', '--format', 'json', 'k8s/deployment.yaml'], dir);
    expect(r.code, r.stderr).toBe(0);
    // One file, once: the subfolder is an architecture of its own, the link the same file.
    expect(reported(dir, r.stdout)).toEqual(['k8s/deployment.yaml']);
    expect(findings(dir, r.stdout)).toEqual([]);
  });

  it("leaves a file a configuration group names in its group, and lints a named file's group instead of its folder", () => {
    const dir = repository({
      'archlint.config.yaml': 'architectures:\n  - { name: edge, kubernetes: [k8s/service.yaml, edge/*.yaml] }\n',
      'edge/ingress.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: edge }\n',
    });
    // The Service is the edge group's: the Deployment named is linted without it.
    const alone = archlint(['lint', '--format', 'json', 'k8s/deployment.yaml'], dir);
    expect(reported(dir, alone.stdout)).toEqual(['k8s/deployment.yaml']);
    expect(findings(dir, alone.stdout)).toEqual([]);
    // The Service named is linted in its group, and the Deployment beside it is not pulled in.
    const group = archlint(['lint', '--format', 'json', 'k8s/service.yaml'], dir);
    expect(reported(dir, group.stdout)).toEqual(['k8s/service.yaml', 'edge/ingress.yaml']);

    // With both in the group, naming one lints the group: the finding is back.
    writeFileSync(join(dir, 'archlint.config.yaml'), 'architectures:\n  - { name: api, kubernetes: ["k8s/*.yaml"] }\n');
    expect(findings(dir, archlint(['lint', '--format', 'json', 'k8s/deployment.yaml'], dir).stdout)).toContain(SPOF);
  });

  it('availability, model and diagram read a manifest file on disk with its folder’s manifests, as lint does; not standard input', () => {
    const dir = repository({ 'k8s/edge/ingress.yaml': SERVICE.replace('name: api', 'name: other') });
    const availability = archlint(['availability', '--format', 'json', 'k8s/deployment.yaml'], dir);
    expect(availability.code, availability.stderr).toBe(0);
    const entries = (JSON.parse(availability.stdout) as { entries: { component: string }[] }).entries;
    expect(entries.map((e) => e.component)).toEqual(['api-service']);

    const model = archlint(['model', 'k8s/deployment.yaml'], dir);
    expect(model.code, model.stderr).toBe(0);
    expect(model.stdout).toContain(
      '# The architecture Archlint read from k8s/deployment.yaml, k8s/service.yaml (archlint model).',
    );
    expect(model.stdout).toMatch(/^ {2}api-service:$/m);

    const diagram = archlint(['diagram', '--format', 'mermaid', 'k8s/deployment.yaml'], dir);
    expect(diagram.code, diagram.stderr).toBe(0);
    expect(diagram.stdout).toContain('n_api_service --> n_api');

    // The configuration decides which, as for lint: an ignored Service leaves no entry point.
    writeFileSync(join(dir, 'archlint.config.yaml'), 'ignores: [k8s/service.yaml]\n');
    const ignored = archlint(['availability', '--format', 'json', 'k8s/deployment.yaml'], dir);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect((JSON.parse(ignored.stdout) as { entries: unknown[] }).entries).toEqual([]);
    expect(archlint(['model', 'k8s/deployment.yaml'], dir).stdout).not.toContain('api-service');
    // A bad configuration stops the diagram of a manifest, as it stops availability and model.
    writeFileSync(join(dir, 'archlint.config.yaml'), 'ignores: 3\n');
    const bad = archlint(['diagram', '--format', 'mermaid', 'k8s/deployment.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/archlint: the configuration file has problems: nothing drawn\n$/);
    writeFileSync(join(dir, 'archlint.config.yaml'), '{}\n');

    // Standard input is one input: named like the file, it is read alone.
    const piped = archlintWithInput(
      ['availability', '--format', 'json', '--stdin-filename', 'k8s/deployment.yaml', '-'],
      DEPLOYMENT,
      dir,
    );
    expect(piped.code, piped.stderr).toBe(0);
    expect((JSON.parse(piped.stdout.toString()) as { entries: unknown[] }).entries).toEqual([]);
  });

  it('says where a problem in a manifest beside the named one is, by that file’s path', () => {
    const dir = repository({ 'k8s/broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata: [\n' });
    const r = archlint(['availability', 'k8s/deployment.yaml'], dir);
    // Each problem with its own severity (a syntax error is an error), and the summary says they are not all the named file's.
    expect(r.stderr).toMatch(/^k8s\/broken\.yaml:\d+:\d+: error: /m);
    expect(r.stderr).not.toMatch(/^k8s\/deployment\.yaml:/m);
    expect(r.stderr).toContain(
      'archlint: k8s/deployment.yaml and the files read with it have 1 problem: the numbers use what could be read\n',
    );
  });
});
