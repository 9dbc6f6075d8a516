import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, archlintWithInput, BROKEN, buildCliOnce, CLEAN, tempTree } from './setup';

beforeAll(buildCliOnce);

/** `web` is balanced without a health check: one warning whose safe fix inserts `health-check`. */
const FIXABLE = `archlint: 1
components:
  edge:
    kind: load-balancer
    entry: true
    replicas: 2
    health-check: { path: /healthz, interval: 10s }
    routes-to: [web]
  web:
    kind: service
    replicas: 3 # keep this comment
`;
const FIXED = `${FIXABLE}    health-check: { path: /healthz, interval: 10s }\n`;

describe('archlint lint - (standard input)', () => {
  it('lints standard input, reported as <stdin>, with the exit code of a file', () => {
    const broken = archlintWithInput(['lint', '-'], BROKEN);
    expect(broken.code).toBe(1);
    expect(broken.stdout.toString()).toMatch(/^\n<stdin>\n {2}3:\d+ {2}error {2}YAML syntax error/);
    const clean = archlintWithInput(['lint', '-'], CLEAN);
    expect(clean).toMatchObject({ code: 0, stderr: '' });
    expect(clean.stdout.toString()).toBe('');
  });

  it('names standard input by --stdin-filename, relative to the working folder, in every format', () => {
    const dir = tempTree({});
    const stylish = archlintWithInput(['lint', '--stdin-filename', 'deploy/shop.arch.yaml', '-'], BROKEN, dir);
    expect(stylish.stdout.toString().split('\n')[1]).toBe('deploy/shop.arch.yaml');
    const json = archlintWithInput(['lint', '-f', 'json', '--stdin-filename', 'deploy/shop.arch.yaml', '-'], BROKEN, dir);
    expect(JSON.parse(json.stdout.toString())[0].filePath).toBe(join(dir, 'deploy/shop.arch.yaml'));
    const sarif = archlintWithInput(['lint', '-f', 'sarif', '--stdin-filename=deploy/shop.arch.yaml', '-'], BROKEN, dir);
    const location = JSON.parse(sarif.stdout.toString()).runs[0].results[0].locations[0].physicalLocation;
    expect(location.artifactLocation).toEqual({ uri: 'deploy/shop.arch.yaml', uriBaseId: '%SRCROOT%' });
    const github = archlintWithInput(['lint', '-f', 'github', '--stdin-filename', 'deploy/shop.arch.yaml', '-'], BROKEN, dir);
    expect(github.stdout.toString()).toMatch(/^::error file=deploy\/shop\.arch\.yaml,line=3,/);
  });

  it('with --fix prints the whole fixed text on standard output and the report on standard error, writing no file', () => {
    const dir = tempTree({ 'shop.arch.yaml': FIXABLE });
    const r = archlintWithInput(['lint', '--fix', '--stdin-filename', 'shop.arch.yaml', '-'], FIXABLE, dir);
    expect(r.code).toBe(0);
    const fixed = r.stdout.toString('utf8');
    expect(fixed).toBe(FIXED);
    // Nothing is left to report: the report (stylish says nothing then) is not mixed into the text.
    expect(r.stderr).toBe('');
    // --stdin-filename only names the text: the file of that name is not touched.
    expect(readFileSync(join(dir, 'shop.arch.yaml'), 'utf8')).toBe(FIXABLE);
    // Fixed text linted again is clean: the fix was the whole fix.
    expect(archlintWithInput(['lint', '-'], fixed)).toMatchObject({ code: 0 });
  });

  it('with --fix keeps a byte-order mark and CRLF line endings, and prints a text it cannot fix unchanged', () => {
    const crlf = `\uFEFF${FIXABLE.replace(/\n/g, '\r\n')}`;
    const r = archlintWithInput(['lint', '--fix', '-'], crlf);
    expect(r.stdout.toString('utf8')).toBe(`\uFEFF${FIXED.replace(/\n/g, '\r\n')}`);
    // A finding with no safe fix: the text comes back byte for byte, the finding on standard error.
    const broken = archlintWithInput(['lint', '--fix', '-'], BROKEN);
    expect(broken.code).toBe(1);
    expect(broken.stdout.toString('utf8')).toBe(BROKEN);
    expect(broken.stderr).toMatch(/^\n<stdin>\n {2}3:\d+ {2}error {2}YAML syntax error/);
  });

  it('with --fix passes text that is not UTF-8 through unchanged, byte for byte, with the encoding error', () => {
    const latin1 = Buffer.concat([Buffer.from('archlint: 1\n# caf'), Buffer.from([0xe9]), Buffer.from('\ncomponents: {}\n')]);
    const r = archlintWithInput(['lint', '--fix', '-'], latin1);
    expect(r.code).toBe(1);
    expect(Buffer.compare(r.stdout, latin1)).toBe(0);
    expect(r.stderr).toMatch(/2:6 {2}error {2}not UTF-8: the byte 0xE9/);
  });

  it('with --fix and -o writes the report to the file and only the text to standard output', () => {
    const dir = tempTree({});
    const r = archlintWithInput(['lint', '--fix', '-f', 'json', '-o', 'report.json', '-'], BROKEN, dir);
    expect(r.stdout.toString('utf8')).toBe(BROKEN);
    expect(r.stderr).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))[0]).toMatchObject({ filePath: '<stdin>', errorCount: 1 });
  });

  it('refuses "-" beside other paths, and --stdin-filename without "-" (exit 2)', () => {
    const dir = tempTree({ 'a.arch.yaml': CLEAN });
    const mixed = archlintWithInput(['lint', '-', 'a.arch.yaml'], CLEAN, dir);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toBe(
      'archlint: "-" (standard input) is one file: name no other paths with it; see "archlint lint --help"\n',
    );
    const named = archlint(['lint', '--stdin-filename', 'x.arch.yaml', 'a.arch.yaml'], dir);
    expect(named.code).toBe(2);
    expect(named.stderr).toBe(
      'archlint: --stdin-filename names standard input: give "-" as the path; see "archlint lint --help"\n',
    );
  });
});

describe('availability - and diagram - (standard input)', () => {
  it('compute and draw from standard input, named by --stdin-filename', () => {
    const shop = readFileSync(join(__dirname, '../../samples/shop.arch.yaml'));
    const table = archlintWithInput(['availability', '-'], shop);
    expect(table.code).toBe(0);
    expect(table.stdout.toString().split('\n')[0]).toBe('<stdin>');
    const json = archlintWithInput(['availability', '-f', 'json', '--stdin-filename', 'shop.arch.yaml', '-'], shop);
    expect(JSON.parse(json.stdout.toString())).toMatchObject({ file: 'shop.arch.yaml' });
    const fromFile = archlint(['availability', '-f', 'json', 'samples/shop.arch.yaml']);
    expect(JSON.parse(json.stdout.toString()).entries).toEqual(JSON.parse(fromFile.stdout).entries);
    const mermaid = archlintWithInput(['diagram', '--format', 'mermaid', '-'], shop);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.toString()).toBe(archlint(['diagram', '--format', 'mermaid', 'samples/shop.arch.yaml']).stdout);
  });

  it('name standard input in their messages', () => {
    const dir = tempTree({});
    const r = archlintWithInput(['availability', '--stdin-filename', 'broken.arch.yaml', '-'], BROKEN, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^broken\.arch\.yaml:3:\d+: error: YAML syntax error/);
    expect(r.stderr).toContain('archlint: broken.arch.yaml is not a readable architecture: no availability computed\n');
    const d = archlintWithInput(['diagram', '-'], BROKEN, dir);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('archlint: <stdin> is not a readable architecture: nothing drawn\n');
  });
});
