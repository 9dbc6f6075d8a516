import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, BROKEN, buildCliOnce, CLEAN, DUPLICATE, ROOT, tempTree } from './setup';

beforeAll(buildCliOnce);

/** A balancer with one replica in front of a healthy pool: single-point-of-failure, an error by default. */
const SPOF = `archlint: 1
components:
  edge:
    kind: load-balancer
    entry: true
    replicas: 1
    health-check: { path: /healthz, interval: 10s }
    routes-to: [web]
  web:
    kind: service
    replicas: 3
    health-check: { path: /healthz, interval: 10s }
`;

/** A user error is one `archlint: …` line on stderr: no stack trace, no noise. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(pattern);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^archlint: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('archlint dispatch', () => {
  it('prints the version from package.json', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = archlint(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('lists every command in its help', () => {
    const r = archlint(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['lint', 'availability', 'diagram']) expect(r.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('explains lint options in `lint --help` and `help lint`', () => {
    for (const args of [
      ['lint', '--help'],
      ['help', 'lint'],
    ]) {
      const r = archlint(args);
      expect(r.code).toBe(0);
      for (const option of ['--format', '--max-warnings', '--rule', '--fix', '--quiet', '--output-file', '--no-color'])
        expect(r.stdout).toContain(option);
    }
  });

  it('exits 2 with the help on stderr when no command is given', () => {
    const r = archlint([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: archlint');
  });

  it('suggests the command a typo meant', () => {
    const r = archlint(['lnit']);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /unknown command "lnit" \(did you mean "lint"\?\).*archlint --help/);
  });
});

describe('archlint lint exit codes', () => {
  it('exits 0 and prints nothing for a clean file', () => {
    const dir = tempTree({ 'clean.arch.yaml': CLEAN });
    expect(archlint(['lint', 'clean.arch.yaml'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 for a file that is not YAML, with the error at its position', () => {
    const dir = tempTree({ 'broken.arch.yaml': BROKEN });
    const r = archlint(['lint', 'broken.arch.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}3:\d+ {2}error {2}YAML syntax error: .* {2}yaml-syntax$/m);
  });

  it('exits 1 for a duplicate key, at the second key', () => {
    const dir = tempTree({ 'dup.arch.yaml': DUPLICATE });
    const r = archlint(['lint', 'dup.arch.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}5:5 {2}error {2}duplicate key "kind".* {2}duplicate-key$/m);
  });

  it('exits 2 with one clear line for a file that does not exist', () => {
    const dir = tempTree({ 'clean.arch.yaml': CLEAN });
    const r = archlint(['lint', 'clean.arch.yaml', 'missing.arch.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('archlint: no such file: missing.arch.yaml\n');
  });

  it('exits 2 when a glob matches nothing', () => {
    const dir = tempTree({ 'clean.arch.yaml': CLEAN });
    const r = archlint(['lint', 'services/**/*.arch.yaml'], dir);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /no files matching the pattern "services\/\*\*\/\*\.arch\.yaml" were found/);
  });

  it('exits 2 for an unknown option, suggesting the right one and pointing at --help', () => {
    const r = archlint(['lint', '--frmat', 'json']);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /unknown option "--frmat" \(did you mean "--format"\?\).*"archlint lint --help"/);
  });

  it('exits 2 for an unknown format or a missing option value', () => {
    expectOneLineError(archlint(['lint', '--format', 'jsno']).stderr, /unknown format "jsno" \(did you mean "json"\?\)/);
    expectOneLineError(archlint(['lint', '--format']).stderr, /option "--format" needs a value/);
    expect(archlint(['lint', '--format', 'xml']).code).toBe(2);
  });

  it('exits 2 for --rule with an unknown rule, suggesting the real one', () => {
    const r = archlint(['lint', '--rule', 'single-point-of-falure=off']);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /unknown rule "single-point-of-falure" \(did you mean "single-point-of-failure"\?\)/);
  });

  it('exits 2 for --rule with a bad severity or shape, or a built-in id', () => {
    expectOneLineError(
      archlint(['lint', '--rule', 'single-point-of-failure=warn']).stderr,
      /invalid severity "warn".*did you mean "warning"/,
    );
    expectOneLineError(archlint(['lint', '--rule', 'single-point-of-failure']).stderr, /--rule expects id=severity/);
    expectOneLineError(archlint(['lint', '--rule', 'schema=off']).stderr, /"schema" is a built-in diagnostic/);
  });

  it('exits 2 for --max-warnings that is not a whole number', () => {
    expectOneLineError(archlint(['lint', '--max-warnings', 'many']).stderr, /--max-warnings expects a whole number/);
    expect(archlint(['lint', '--max-warnings=-1']).code).toBe(2);
  });

  it('exits 1 for a rule finding at error severity, 0 when --rule turns it off', () => {
    const dir = tempTree({ 'spof.arch.yaml': SPOF });
    const r = archlint(['lint', 'spof.arch.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}6:\d+ {2}error {2}.* {2}single-point-of-failure$/m);
    expect(archlint(['lint', 'spof.arch.yaml', '--rule', 'single-point-of-failure=off'], dir)).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('exits 0 for warnings, 1 when they exceed --max-warnings', () => {
    const dir = tempTree({ 'spof.arch.yaml': SPOF });
    const asWarning = ['lint', 'spof.arch.yaml', '--rule=single-point-of-failure=warning'];
    const warned = archlint(asWarning, dir);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/ {2}warning {2}.* {2}single-point-of-failure$/m);
    expect(archlint([...asWarning, '--max-warnings', '1'], dir).code).toBe(0);
    const over = archlint([...asWarning, '--max-warnings', '0'], dir);
    expect(over.code).toBe(1);
    expectOneLineError(over.stderr, /too many warnings \(1\); the maximum is 0/);
  });

  it('hides warnings under --quiet but still counts them for --max-warnings', () => {
    const dir = tempTree({ 'spof.arch.yaml': SPOF });
    const args = ['lint', 'spof.arch.yaml', '--rule', 'single-point-of-failure=warning', '--quiet'];
    expect(archlint(args, dir)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(archlint([...args, '--max-warnings', '0'], dir).code).toBe(1);
  });

  it('writes the report to --output-file instead of stdout', () => {
    const dir = tempTree({ 'dup.arch.yaml': DUPLICATE });
    const r = archlint(['lint', '-f', 'json', '-o', 'reports/archlint.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const results = JSON.parse(readFileSync(join(dir, 'reports/archlint.json'), 'utf8')) as { errorCount: number }[];
    expect(results).toHaveLength(1);
    expect(results[0]!.errorCount).toBe(1);
  });

  it('colours stylish output only when asked or on a terminal', () => {
    const dir = tempTree({ 'dup.arch.yaml': DUPLICATE });
    expect(archlint(['lint'], dir).stdout).not.toContain('\x1b[');
    expect(archlint(['lint', '--color'], dir).stdout).toContain('\x1b[4mdup.arch.yaml\x1b[24m');
    expect(archlint(['lint'], dir, { FORCE_COLOR: '1' }).stdout).toContain('\x1b[31merror\x1b[39m');
    expect(archlint(['lint', '--no-color'], dir, { FORCE_COLOR: '1' }).stdout).not.toContain('\x1b[');
  });
});
