import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, buildCliOnce, DUPLICATE, tempTree } from './setup';

beforeAll(buildCliOnce);

/**
 * GitLab's Code Quality report format (docs.gitlab.com, "Code Quality report format"), as a
 * schema: a single JSON array; each object has a `description`, a `check_name`, a unique
 * `fingerprint`, a `severity` among info, minor, major, critical and blocker, and a `location`
 * with the file's path relative to the repository (no `./`) and the line, as `lines.begin` or
 * `positions.begin.line`. GitLab reads no other field, and refuses a byte-order mark.
 */
const CODE_QUALITY_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path'],
        properties: {
          path: { type: 'string', minLength: 1, not: { pattern: '^(\\./|/)' } },
          lines: {
            type: 'object',
            required: ['begin'],
            properties: { begin: { type: 'integer', minimum: 1 }, end: { type: 'integer', minimum: 1 } },
          },
          positions: {
            type: 'object',
            required: ['begin'],
            properties: { begin: { type: 'object', required: ['line'], properties: { line: { type: 'integer', minimum: 1 } } } },
          },
        },
        oneOf: [{ required: ['lines'] }, { required: ['positions'] }],
      },
    },
  },
};

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end: number } };
}

function report(text: string): Issue[] {
  expect(text.charCodeAt(0)).not.toBe(0xfeff);
  const issues = JSON.parse(text) as Issue[];
  const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(CODE_QUALITY_SCHEMA);
  expect(validate(issues), JSON.stringify(validate.errors, null, 2)).toBe(true);
  expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
  return issues;
}

/** Three findings: edge has no rate limit (a warning, turned to info below) and one replica (an error); web has no health check (a warning). */
const SHOP = `archlint: 1
components:
  edge:
    kind: load-balancer
    entry: true
    public: true
    tls: terminate
    replicas: 1
    health-check: { path: /healthz, interval: 10s }
    routes-to: [web]
  web:
    kind: service
    replicas: 3
`;

describe('--format gitlab (GitLab Code Quality)', () => {
  it('writes a report GitLab reads: one issue per finding, error → major, warning → minor, info → info', () => {
    const dir = tempTree({ 'deploy/shop.arch.yaml': SHOP });
    const r = archlint(['lint', '--format', 'gitlab', '--rule', 'anonymous-rate-limit=info'], dir);
    expect(r.code).toBe(1);
    const issues = report(r.stdout);
    const json = JSON.parse(archlint(['lint', '--format', 'json', '--rule', 'anonymous-rate-limit=info'], dir).stdout)[0]
      .messages as { ruleId: string; message: string; line: number; endLine: number }[];
    expect(issues.map((i) => [i.check_name, i.severity])).toEqual([
      ['anonymous-rate-limit', 'info'],
      ['single-point-of-failure', 'major'],
      ['missing-health-check', 'minor'],
    ]);
    expect(issues.map((i) => [i.check_name, i.description, i.location])).toEqual(
      json.map((m) => [m.ruleId, m.message, { path: 'deploy/shop.arch.yaml', lines: { begin: m.line, end: m.endLine } }]),
    );
  });

  it('keeps each fingerprint when lines move, and changes it with the rule, file, component or message', () => {
    const dir = tempTree({ 'shop.arch.yaml': SHOP });
    const before = report(archlint(['lint', '-f', 'gitlab'], dir).stdout);
    // Lines inserted above every finding: the same findings, each on another line, with the same fingerprint.
    writeFileSync(join(dir, 'shop.arch.yaml'), SHOP.replace('components:\n', '# a comment\n\ncomponents:\n'));
    const moved = report(archlint(['lint', '-f', 'gitlab'], dir).stdout);
    expect(moved.map((i) => i.location.lines.begin)).toEqual(before.map((i) => i.location.lines.begin + 2));
    expect(moved.map((i) => i.fingerprint)).toEqual(before.map((i) => i.fingerprint));
    // Another file: other fingerprints.
    writeFileSync(join(dir, 'other.arch.yaml'), SHOP);
    const both = report(archlint(['lint', '-f', 'gitlab', 'shop.arch.yaml', 'other.arch.yaml'], dir).stdout);
    expect(both).toHaveLength(2 * before.length);
    // Another component (web renamed api): the finding about it changes, the one about edge does not.
    writeFileSync(join(dir, 'shop.arch.yaml'), SHOP.replace('[web]', '[api]').replace('  web:', '  api:'));
    const renamed = report(archlint(['lint', '-f', 'gitlab', 'shop.arch.yaml'], dir).stdout);
    expect(renamed.map((i) => i.fingerprint === before[renamed.indexOf(i)]!.fingerprint)).toEqual([true, true, false]);
  });

  it('gives findings that agree in rule, file, component and message distinct fingerprints', () => {
    // Two duplicate keys with the same name and message in one file.
    const text = `${DUPLICATE}  db:\n    kind: database\n    kind: cache\n`;
    const dir = tempTree({ 'dup.arch.yaml': text });
    const issues = report(archlint(['lint', '-f', 'gitlab'], dir).stdout);
    const duplicates = issues.filter((i) => i.check_name === 'duplicate-key');
    expect(duplicates).toHaveLength(2);
    expect(duplicates[0]!.description).toBe(duplicates[1]!.description);
    expect(duplicates[0]!.fingerprint).not.toBe(duplicates[1]!.fingerprint);
  });

  it('writes an empty array for clean files, and to --output-file', () => {
    const dir = tempTree({ 'shop.arch.yaml': SHOP });
    const r = archlint(
      ['lint', '-f', 'gitlab', '-o', 'gl-code-quality-report.json', '--rule', 'single-point-of-failure=off'],
      dir,
    );
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(report(readFileSync(join(dir, 'gl-code-quality-report.json'), 'utf8'))).toHaveLength(2);
    const clean = archlint(
      ['lint', '-f', 'gitlab', '--rule', 'single-point-of-failure=off,missing-health-check=off,anonymous-rate-limit=off'],
      dir,
    );
    expect(clean).toMatchObject({ code: 0, stdout: '[]\n' });
  });
});
