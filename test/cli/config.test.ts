/**
 * The configuration file (archlint.config.yaml, .archlint.yaml) through the CLI as a process:
 * which one applies (the nearest, up to the repository root), what `rules`, `ignores` and
 * `defaults.slo` do, the precedence of severities end to end, `--config` and `--no-config`, a
 * configuration with problems (exit 2, `file:line:col` lines), and `archlint init`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityJson } from '../../extension/src/cli/commands/availability';
import { readConfigText } from '../../extension/src/engine';
import { archlint, archlintWithInput, buildCliOnce, CLEAN, tempTree } from './setup';

beforeAll(buildCliOnce);

/** A warning (missing-health-check on web) and an error (unknown-reference: dbb). */
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
    replicas: 3
    depends-on: [dbb]
  db: { kind: database, replicas: 2, health-check: { path: /h }, failover: { mode: automatic, standby: hot } }
`;

interface Message {
  ruleId: string;
  severity: number;
  message: string;
}
/** Each linted file (relative to `dir`) with its findings as `rule:severity`, from the JSON report. */
function report(dir: string, ...args: string[]): Record<string, string[]> {
  const r = archlint(['lint', '--format', 'json', ...args], dir);
  expect(r.code, r.stderr).not.toBe(2);
  return Object.fromEntries(
    (JSON.parse(r.stdout) as { filePath: string; messages: Message[] }[]).map((f) => [
      f.filePath.slice(dir.length + 1),
      f.messages.map((m) => `${m.ruleId}:${m.severity}`).sort(),
    ]),
  );
}
const BOTH = ['missing-health-check:1', 'unknown-reference:2'];

describe('which configuration file applies', () => {
  it('the nearest above each file, whole (no merging), either name', () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'archlint.config.yaml': 'rules: { missing-health-check: off, unknown-reference: warning }\n',
      'a.arch.yaml': SHOP,
      'svc/.archlint.yaml': 'rules: { unknown-reference: off }\n',
      'svc/deep/b.arch.yaml': SHOP,
      'other/c.arch.yaml': SHOP,
    });
    expect(report(dir)).toEqual({
      'a.arch.yaml': ['unknown-reference:1'],
      // svc/.archlint.yaml is the whole configuration there: missing-health-check is back to its default.
      'svc/deep/b.arch.yaml': ['missing-health-check:1'],
      'other/c.arch.yaml': ['unknown-reference:1'],
    });
  });

  it('archlint.config.yaml over .archlint.yaml in one folder', () => {
    const dir = tempTree({
      '.git/HEAD': '',
      'archlint.config.yaml': 'rules: { missing-health-check: off }\n',
      '.archlint.yaml': 'rules: { unknown-reference: off }\n',
      'a.arch.yaml': SHOP,
    });
    expect(report(dir)).toEqual({ 'a.arch.yaml': ['unknown-reference:2'] });
  });

  it('stops at the repository root: a configuration above the folder with .git does not apply (a .git file, as in a worktree, counts)', () => {
    const dir = tempTree({
      'archlint.config.yaml': 'rules: { unknown-reference: off }\n',
      'repo/.git/HEAD': '',
      'repo/a.arch.yaml': SHOP,
      'worktree/.git': 'gitdir: /elsewhere\n',
      'worktree/b.arch.yaml': SHOP,
      'plain/c.arch.yaml': SHOP,
    });
    expect(report(join(dir, 'repo'))).toEqual({ 'a.arch.yaml': BOTH });
    expect(report(join(dir, 'worktree'))).toEqual({ 'b.arch.yaml': BOTH });
    // Without a .git, up to the file system's root.
    expect(report(join(dir, 'plain'))).toEqual({ 'c.arch.yaml': ['missing-health-check:1'] });
  });
});

describe('ignores', () => {
  const tree = () =>
    tempTree({
      '.git/HEAD': '',
      'archlint.config.yaml': 'ignores:\n  - test/fixtures/\n  - "!test/fixtures/keep.arch.yaml"\n  - "*.draft.arch.yaml"\n',
      'a.arch.yaml': CLEAN,
      'b.draft.arch.yaml': SHOP,
      'svc/c.draft.arch.yaml': SHOP,
      'test/fixtures/bad.arch.yaml': SHOP,
      'test/fixtures/deep/worse.arch.yaml': SHOP,
      'test/fixtures/keep.arch.yaml': CLEAN,
    });

  it('skip files found by walking, with negation taking one back and a name without / matching at any depth', () => {
    expect(Object.keys(report(tree())).sort()).toEqual(['a.arch.yaml', 'test/fixtures/keep.arch.yaml']);
  });

  it('apply to what a glob finds, never to a file named on the command line (ESLint’s behaviour)', () => {
    const dir = tree();
    expect(Object.keys(report(dir, 'test/**/*.arch.yaml'))).toEqual(['test/fixtures/keep.arch.yaml']);
    expect(Object.keys(report(dir, 'test/fixtures/bad.arch.yaml', 'b.draft.arch.yaml')).sort()).toEqual([
      'b.draft.arch.yaml',
      'test/fixtures/bad.arch.yaml',
    ]);
  });

  it('a folder whose every file is ignored is a usage error (exit 2), as a folder with none is', () => {
    const r = archlint(['lint', 'test/fixtures/deep'], tree());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /every \*\.arch\.yaml, \*\.arch\.yml, compose and Kubernetes manifest file in "test\/fixtures\/deep" is ignored/,
    );
  });

  it('are relative to the configuration file’s folder', () => {
    const dir = tempTree({
      '.git/HEAD': '',
      'svc/archlint.config.yaml': 'ignores: [/old/]\n',
      'svc/old/a.arch.yaml': SHOP,
      'svc/new/old/b.arch.yaml': CLEAN,
      'old/c.arch.yaml': CLEAN,
    });
    expect(Object.keys(report(dir)).sort()).toEqual(['old/c.arch.yaml', 'svc/new/old/b.arch.yaml']);
  });
});

describe('precedence of severities, end to end', () => {
  it('rule default < configuration file < the file’s own rules: < --rule', () => {
    const dir = tempTree({
      '.git/HEAD': '',
      'archlint.config.yaml': 'rules: { missing-health-check: error, unknown-reference: warning }\n',
      'plain.arch.yaml': SHOP,
      'own.arch.yaml': SHOP.replace('components:', 'rules: { missing-health-check: info }\ncomponents:'),
    });
    expect(report(dir)).toEqual({
      'plain.arch.yaml': ['missing-health-check:2', 'unknown-reference:1'],
      // info is severity 1 in ESLint's JSON (it has no third level).
      'own.arch.yaml': ['missing-health-check:1', 'unknown-reference:1'],
    });
    expect(report(dir, '--rule', 'missing-health-check=off,unknown-reference=error')).toEqual({
      'plain.arch.yaml': ['unknown-reference:2'],
      'own.arch.yaml': ['unknown-reference:2'],
    });
  });

  it('options: the configuration’s < the file’s own < --rule’s (JSON after a colon, commas and all); a bad one is a problem at it', () => {
    // web needs 3 of its 4 instances at the peak: N+1 holds, N+2 does not.
    const headroom = `archlint: 1
components:
  edge: { kind: load-balancer, entry: true, load: 1200/s, replicas: 2, routes-to: [web], health-check: { path: /h } }
  web: { kind: service, replicas: 4, capacity: 500/s, health-check: { path: /h } }
`;
    const dir = tempTree({
      '.git/HEAD': '',
      'archlint.config.yaml': 'rules:\n  no-headroom: [error, { spare: 2 }]\n',
      'plain.arch.yaml': headroom,
      'own.arch.yaml': headroom.replace('components:', 'rules: { no-headroom: [warning, { spare: 1 }] }\ncomponents:'),
    });
    expect(report(dir)).toEqual({ 'plain.arch.yaml': ['no-headroom:2'], 'own.arch.yaml': [] });
    expect(report(dir, '--rule', 'sticky-sessions=off,no-headroom=warning:{"spare":2,"spare":3}')).toEqual({
      'plain.arch.yaml': ['no-headroom:1'],
      'own.arch.yaml': ['no-headroom:1'],
    });
    writeFileSync(join(dir, 'archlint.config.yaml'), 'rules:\n  no-headroom: [error, { spare: two }]\n');
    const bad = archlint(['lint'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr + bad.stdout).toContain('archlint.config.yaml:2:33: error: option spare of no-headroom must be');
    const badFlag = archlint(['lint', '--rule', 'no-headroom=warning:{"spaer":2}'], dir);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('unknown option "spaer" of no-headroom — did you mean "spare"?');
  });
});

describe('defaults.slo', () => {
  it('applies to entry points of files that set no slo, at the entry point, and says where it is from', () => {
    const dir = tempTree({
      '.git/HEAD': '',
      'archlint.config.yaml': 'defaults: { slo: 99.999% }\n',
      'none.arch.yaml': CLEAN,
      'own.arch.yaml': CLEAN.replace('name: clean', 'name: clean\nslo: 99.9%'),
    });
    const r = archlint(['lint', '--format', 'json'], dir);
    const files = JSON.parse(r.stdout) as { filePath: string; messages: (Message & { line: number; column: number })[] }[];
    const none = files.find((f) => f.filePath.endsWith('none.arch.yaml'))!;
    expect(none.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['availability-below-slo', 4, 3]]);
    expect(none.messages[0]!.message).toMatch(/below its SLO of 99\.999% \(defaults\.slo of the configuration file\)/);
    expect(files.find((f) => f.filePath.endsWith('own.arch.yaml'))!.messages).toEqual([]);
    // Without the configuration the file has no SLO at all.
    expect(report(dir, '--no-config')).toEqual({ 'none.arch.yaml': [], 'own.arch.yaml': [] });
  });

  it('is the SLO archlint availability shows, as lint reports it; a bad configuration stops it with exit 2', () => {
    const dir = tempTree({
      '.git/HEAD': '',
      'archlint.config.yaml': 'defaults: { slo: 99.999% }\n',
      'none.arch.yaml': CLEAN,
      'own.arch.yaml': CLEAN.replace('name: clean', 'name: clean\nslo: 99.9%'),
    });
    const slos = (file: string) => {
      const r = archlint(['availability', file, '--format', 'json'], dir);
      expect(r.code).toBe(0);
      return (JSON.parse(r.stdout) as AvailabilityJson).entries.map((e) => [e.slo, e.meetsSlo]);
    };
    expect(slos('none.arch.yaml')).toEqual([[0.99999, false]]);
    expect(slos('own.arch.yaml')).toEqual([[0.999, true]]);
    writeFileSync(join(dir, 'archlint.config.yaml'), 'defaults: { slo: 120% }\n');
    const bad = archlint(['availability', 'none.arch.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^archlint\.config\.yaml:1:\d+: error: /);
  });
});

describe('a configuration file with problems', () => {
  it('exits 2 with each problem as file:line:col, and lints nothing', () => {
    const dir = tempTree({
      '.git/HEAD': '',
      'archlint.config.yaml':
        'rules:\n  sticky-sesions: off\n  missing-health-check: loud\nignore: [x]\ndefaults: { slo: 120% }\nsources: { compose: yes please }\n',
      'a.arch.yaml': SHOP,
    });
    const r = archlint(['lint'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'archlint.config.yaml:2:3: error: unknown rule "sticky-sesions" — did you mean "sticky-sessions"? (schema)',
      'archlint.config.yaml:3:25: error: the severity of rule "missing-health-check" must be one of error, warning, info, off, or [severity, { option: value }], not "loud" (schema)',
      'archlint.config.yaml:4:1: error: unknown key "ignore" — did you mean "ignores"? (schema)',
      'archlint.config.yaml:5:18: error: slo must be a percentage like 99.9% or a fraction like 0.999, not "120%" (schema)',
      'archlint.config.yaml:6:21: error: compose must be true or false, not "yes please" (schema)',
      'archlint: the configuration file has problems: nothing was linted',
      '',
    ]);
  });

  it('not YAML, or not a mapping, is one problem at its place; an empty file is a configuration that changes nothing', () => {
    const broken = tempTree({ '.git/HEAD': '', 'archlint.config.yaml': 'rules: { a: b\n', 'a.arch.yaml': CLEAN });
    const r = archlint(['lint'], broken);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^archlint\.config\.yaml:\d+:\d+: error: YAML syntax error: .* \(yaml-syntax\)\n/);
    const list = tempTree({ '.git/HEAD': '', '.archlint.yaml': '- rules\n', 'a.arch.yaml': CLEAN });
    expect(archlint(['lint'], list).stderr).toMatch(
      /^\.archlint\.yaml:1:1: error: the configuration must be a mapping of keys \(rules, ignores, defaults, sources, architectures\)/,
    );
    const empty = tempTree({ '.git/HEAD': '', 'archlint.config.yaml': '# nothing yet\n', 'a.arch.yaml': CLEAN });
    expect(archlint(['lint'], empty).code).toBe(0);
  });

  it('the schema keys for sources to come are checked too (architectures, sources, defaults.zones)', () => {
    const dir = tempTree({
      '.git/HEAD': '',
      'archlint.config.yaml':
        'architectures:\n  - { compose: [compose.yaml] }\n  - { name: shop, kubernets: [] }\ndefaults: { zones: { eu-1a: { availability: 2 } }, availability: 99.5% }\nsources: { docker: true }\n',
      'a.arch.yaml': CLEAN,
    });
    const r = archlint(['lint'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/archlint\.config\.yaml:2:5: error: missing required key "name"/);
    expect(r.stderr).toMatch(/archlint\.config\.yaml:3:19: error: unknown key "kubernets" — did you mean "kubernetes"\?/);
    expect(r.stderr).toMatch(/archlint\.config\.yaml:4:45: error: availability must be a percentage/);
    expect(r.stderr).toMatch(/archlint\.config\.yaml:5:12: error: unknown key "docker"/);
  });

  it('a bad configuration that applies to no linted file does not matter', () => {
    const dir = tempTree({ '.git/HEAD': '', 'a.arch.yaml': CLEAN, 'elsewhere/archlint.config.yaml': 'rules: 3\n' });
    expect(archlint(['lint', 'a.arch.yaml'], dir).code).toBe(0);
  });
});

describe('--config and --no-config', () => {
  it('--config FILE applies that file to every file (its ignores relative to its folder), over discovery', () => {
    const dir = tempTree({
      '.git/HEAD': '',
      'archlint.config.yaml': 'rules: { unknown-reference: off }\n',
      'ci/strict.yaml': 'rules: { missing-health-check: error }\nignores: [../skip/]\n',
      'a.arch.yaml': SHOP,
      'skip/b.arch.yaml': SHOP,
      'sub/archlint.config.yaml': 'rules: { missing-health-check: off }\n',
      'sub/c.arch.yaml': SHOP,
    });
    // `../skip/` leaves the configuration's folder: ignores never reach outside it.
    expect(report(dir, '--config', 'ci/strict.yaml')).toEqual({
      'a.arch.yaml': ['missing-health-check:2', 'unknown-reference:2'],
      'skip/b.arch.yaml': ['missing-health-check:2', 'unknown-reference:2'],
      'sub/c.arch.yaml': ['missing-health-check:2', 'unknown-reference:2'],
    });
    expect(report(dir, '--no-config')).toEqual({ 'a.arch.yaml': BOTH, 'skip/b.arch.yaml': BOTH, 'sub/c.arch.yaml': BOTH });
  });

  it('a missing --config file, or both options, is a usage error; a bad --config file exits 2 with its problems', () => {
    const dir = tempTree({ '.git/HEAD': '', 'a.arch.yaml': CLEAN, 'bad.yaml': 'rules: { nope: off }\n' });
    const missing = archlint(['lint', '--config', 'none.yaml'], dir);
    expect([missing.code, missing.stderr]).toEqual([2, 'archlint: no such configuration file: none.yaml\n']);
    const both = archlint(['lint', '--config', 'bad.yaml', '--no-config'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--config and --no-config cannot be used together/);
    const bad = archlint(['lint', '-c', 'bad.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^bad\.yaml:1:10: error: unknown rule "nope" \(schema\)\n/);
  });

  it('standard input takes the configuration of the file --stdin-filename names', () => {
    const dir = tempTree({ '.git/HEAD': '', 'svc/archlint.config.yaml': 'rules: { unknown-reference: off }\n' });
    const named = archlintWithInput(['lint', '--format', 'json', '--stdin-filename', 'svc/a.arch.yaml', '-'], SHOP, dir);
    expect((JSON.parse(named.stdout.toString()) as { messages: Message[] }[])[0]!.messages.map((m) => m.ruleId)).toEqual([
      'missing-health-check',
    ]);
    const unnamed = archlintWithInput(['lint', '--format', 'json', '-'], SHOP, dir);
    expect((JSON.parse(unnamed.stdout.toString()) as { messages: Message[] }[])[0]!.messages).toHaveLength(2);
  });
});

describe('archlint init', () => {
  it('writes a commented starter configuration that is valid as it is, and refuses to overwrite it (exit 2) unless --force', () => {
    const dir = tempTree({ '.git/HEAD': '', 'a.arch.yaml': SHOP });
    const first = archlint(['init'], dir);
    expect([first.code, first.stdout, first.stderr]).toEqual([0, 'wrote archlint.config.yaml\n', '']);
    const text = readFileSync(join(dir, 'archlint.config.yaml'), 'utf8');
    expect(readConfigText(text).findings).toEqual([]);
    expect(text).toMatch(/^# Archlint configuration/);
    // Every key is shown, commented out as a block, so that uncommenting a block's lines gives a valid configuration.
    for (const key of ['# rules:', '# ignores:', '# defaults:', '# sources:', '# architectures:'])
      expect(text).toContain(`\n${key}\n`);
    const uncommented = text.replace(/^# ((?: *[\w-]+:| *- ).*)$/gm, '$1');
    for (const key of ['rules:', 'ignores:', 'defaults:', 'sources:', 'architectures:'])
      expect(uncommented).toContain(`\n${key}\n`);
    expect(readConfigText(uncommented).findings).toEqual([]);
    expect(archlint(['lint'], dir).code).toBe(1);

    writeFileSync(join(dir, 'archlint.config.yaml'), 'rules: { unknown-reference: off }\n');
    const again = archlint(['init'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('archlint: archlint.config.yaml already exists here: not overwritten (--force replaces it)\n');
    expect(readFileSync(join(dir, 'archlint.config.yaml'), 'utf8')).toBe('rules: { unknown-reference: off }\n');
    expect(archlint(['init', '--force'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'archlint.config.yaml'), 'utf8')).toBe(text);
  });

  it('will not shadow an .archlint.yaml without --force', () => {
    const dir = tempTree({ '.archlint.yaml': 'rules: {}\n' });
    const refused = archlint(['init'], dir);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      'archlint: .archlint.yaml already exists here: nothing written (--force writes archlint.config.yaml beside it, which then takes precedence over it)\n',
    ]);
    expect(existsSync(join(dir, 'archlint.config.yaml'))).toBe(false);
    const forced = archlint(['init', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/\.archlint\.yaml is still here; archlint\.config\.yaml takes precedence over it/);
  });

  it('names the Compose files and Kubernetes manifests it finds in the architectures example', () => {
    const dir = tempTree({
      'compose.yaml': 'services: { web: { image: nginx } }\n',
      'ops/docker-compose.override.yml': 'services: {}\n',
      'deploy/k8s/web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n',
      'deploy/k8s/values.yaml': 'replicas: 3\n',
      'shop.arch.yaml': CLEAN,
      'node_modules/x/compose.yaml': 'services: {}\n',
    });
    const r = archlint(['init'], dir);
    expect(r.stdout).toBe(
      'wrote archlint.config.yaml (its architectures example names 2 Compose files and 1 Kubernetes manifest found here)\n',
    );
    const text = readFileSync(join(dir, 'archlint.config.yaml'), 'utf8');
    expect(text).toContain('#     compose: ["compose.yaml", "ops/docker-compose.override.yml"]\n');
    expect(text).toContain('#     kubernetes: ["deploy/k8s/web.yaml"]\n');
    expect(readConfigText(text).findings).toEqual([]);
  });

  it('takes no paths, and says so', () => {
    const dir = tempTree({});
    mkdirSync(join(dir, 'x'));
    const r = archlint(['init', 'x'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/archlint init takes no paths/);
  });
});

describe('help', () => {
  it('archlint --help names init and the configuration; lint --help names --config, --no-config and the precedence', () => {
    const main = archlint(['--help']).stdout;
    expect(main).toMatch(/init \[--force\] +write a commented starter archlint\.config\.yaml here/);
    expect(main).toMatch(/archlint\.config\.yaml \(or \.archlint\.yaml\)/);
    const lint = archlint(['lint', '--help']).stdout;
    expect(lint).toMatch(/-c, --config <file>/);
    expect(lint).toMatch(/--no-config/);
    expect(lint).toMatch(
      /the rule's default, the configuration file's\nrules:, the architecture file's own rules:, --rule \(options option by option\)/,
    );
    expect(archlint(['init', '--help']).stdout).toMatch(/^Usage: archlint init \[--force\]/);
  });
});
