import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, BROKEN, buildCliOnce, CLEAN, DUPLICATE, tempTree } from './setup';

beforeAll(buildCliOnce);

/** `web` is balanced but has no health check (missing-health-check, a warning with a safe fix); `edge` has one replica (single-point-of-failure, an error with an unsafe fix). */
const FINDINGS = `archlint: 1
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
`;

interface EslintMessage {
  ruleId: string;
  severity: number;
  message: string;
  messageId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fatal?: boolean;
  fix?: { range: [number, number]; text: string };
  suggestions?: { desc: string; fix: { range: [number, number]; text: string } }[];
}
interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  suppressedMessages: unknown[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  output?: string;
  usedDeprecatedRules: unknown[];
}

const lintJson = (dir: string, ...args: string[]) =>
  JSON.parse(archlint(['lint', '--format', 'json', ...args], dir).stdout) as EslintResult[];
const applyEdit = (text: string, e: { range: [number, number]; text: string }) =>
  text.slice(0, e.range[0]) + e.text + text.slice(e.range[1]);

describe('--format json (ESLint result shape)', () => {
  it('has one result per file, clean files included, with absolute paths and ESLint fields', () => {
    const dir = tempTree({ 'a/clean.arch.yaml': CLEAN, 'b/dup.arch.yaml': DUPLICATE, 'c/broken.arch.yaml': BROKEN });
    const results = lintJson(dir);
    expect(results.map((r) => r.filePath)).toEqual([
      join(dir, 'a/clean.arch.yaml'),
      join(dir, 'b/dup.arch.yaml'),
      join(dir, 'c/broken.arch.yaml'),
    ]);
    for (const r of results) {
      expect(Object.keys(r).sort()).toEqual(
        expect.arrayContaining([
          'errorCount',
          'fatalErrorCount',
          'filePath',
          'fixableErrorCount',
          'fixableWarningCount',
          'messages',
          'suppressedMessages',
          'usedDeprecatedRules',
          'warningCount',
        ]),
      );
    }
    expect(results[0]).toMatchObject({ messages: [], errorCount: 0, warningCount: 0 });
    expect(results[1]!.messages).toEqual([
      {
        ruleId: 'duplicate-key',
        severity: 2,
        message: expect.stringContaining('"kind"'),
        messageId: 'duplicateKey',
        line: 5,
        column: 5,
        endLine: 5,
        endColumn: 9,
      },
    ]);
    expect(results[1]).toMatchObject({ errorCount: 1, fatalErrorCount: 0, warningCount: 0 });
    expect(results[2]!.messages[0]).toMatchObject({ ruleId: 'yaml-syntax', severity: 2, fatal: true, line: 3 });
    expect(results[2]).toMatchObject({ errorCount: 1, fatalErrorCount: 1 });
  });

  it('maps warnings (and info) to severity 1 and errors to 2, with fix and suggestions over the file text', () => {
    const dir = tempTree({ 'f.arch.yaml': FINDINGS });
    const [result] = lintJson(dir);
    const byRule = new Map(result!.messages.map((m) => [m.ruleId, m]));
    const health = byRule.get('missing-health-check')!;
    const spof = byRule.get('single-point-of-failure')!;
    expect(health).toMatchObject({ severity: 1, line: 9, column: 3, endLine: 9, endColumn: 6 });
    expect(spof).toMatchObject({ severity: 2, line: 6 });
    expect(result).toMatchObject({ errorCount: 1, warningCount: 1, fixableErrorCount: 0, fixableWarningCount: 1 });
    expect(archlint(['lint', '--format', 'json', '--rule', 'missing-health-check=info'], dir).stdout).toContain('"severity":1');

    // ESLint semantics: `fix` is one edit over the original text, and applying it removes the finding.
    const text = readFileSync(join(dir, 'f.arch.yaml'), 'utf8');
    writeFileSync(join(dir, 'f.arch.yaml'), applyEdit(text, health.fix!));
    expect(lintJson(dir)[0]!.messages.map((m) => m.ruleId)).not.toContain('missing-health-check');

    // An unsafe fix is a suggestion, never a `fix`; it too is one edit that works.
    expect(spof.fix).toBeUndefined();
    expect(spof.suggestions?.length).toBeGreaterThan(0);
    writeFileSync(join(dir, 'f.arch.yaml'), applyEdit(text, spof.suggestions![0]!.fix));
    expect(lintJson(dir)[0]!.messages.map((m) => m.ruleId)).not.toContain('single-point-of-failure');
  });

  it('is read by ESLint itself: its own formatters render our results', async () => {
    const dir = tempTree({ 'f.arch.yaml': FINDINGS });
    const results = lintJson(dir) as unknown as ESLint.LintResult[];
    const ours = archlint(['lint'], dir).stdout;
    const eslintStylish = await (await new ESLint().loadFormatter('stylish')).format(results);
    // Same rows, same summary: ours only prints the path relative to the working directory.
    expect(eslintStylish.replace(`${dir}/`, '')).toBe(ours);
  });

  it('prints valid JSON with only errors under --quiet', () => {
    const dir = tempTree({ 'f.arch.yaml': FINDINGS });
    const quiet = lintJson(dir, '--quiet');
    expect(quiet[0]!.messages.every((m) => m.severity === 2)).toBe(true);
    expect(quiet[0]!.warningCount).toBe(0);
  });
});

/** GitHub's workflow-command grammar: `::level key=value,…::message`, values and message escaped, one line each. */
const WORKFLOW_COMMAND =
  /^::(error|warning|notice) file=[^,:\r\n]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[^,:\r\n]+::[^\r\n]*$/;

describe('--format github', () => {
  it('prints one workflow command per finding, with the level by severity', () => {
    const dir = tempTree({ 'f.arch.yaml': FINDINGS, 'dup.arch.yaml': DUPLICATE });
    const r = archlint(['lint', '--format', 'github'], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(WORKFLOW_COMMAND);
    expect(lines).toContain(
      '::error file=dup.arch.yaml,line=5,col=5,endLine=5,endColumn=9,title=archlint(duplicate-key)::duplicate key "kind": only the first one counts',
    );
    expect(lines.find((l) => l.includes('missing-health-check'))).toMatch(
      /^::warning file=f\.arch\.yaml,line=9,col=3,endLine=9,endColumn=6,/,
    );
    const info = archlint(['lint', '--format', 'github', '--rule', 'missing-health-check=info', 'f.arch.yaml'], dir).stdout;
    expect(info).toMatch(/^::notice file=f\.arch\.yaml,line=9,/m);
  });

  it('escapes %, CR, LF in messages and also , and : in properties', () => {
    // An unknown rule id with a % and a line break is echoed in the message; the file name has , and :.
    const dir = tempTree({ 'a,b:c.arch.yaml': `archlint: 1\nrules:\n  "50%\\nx": off\ncomponents: {}\n` });
    const r = archlint(['lint', '--format', 'github'], dir);
    const line = r.stdout
      .trimEnd()
      .split('\n')
      .find((l) => l.includes('unknown rule'));
    expect(line).toBeDefined();
    expect(line).toMatch(WORKFLOW_COMMAND);
    expect(line).toContain('file=a%2Cb%3Ac.arch.yaml,');
    expect(line).toContain('unknown rule "50%25%0Ax"');
  });
});

describe('--format stylish', () => {
  it('underlines nothing without colour, aligns line:col, and ends with a summary and the fixable count', () => {
    const dir = tempTree({ 'f.arch.yaml': FINDINGS });
    const r = archlint(['lint'], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1]).toBe('f.arch.yaml');
    expect(lines[2]).toMatch(/^ {2}6:\d+ +error {4}.+ {2}single-point-of-failure$/);
    expect(lines[3]).toMatch(/^ {2}9:3 +warning {2}web .+ {2}missing-health-check$/);
    // The message column starts at the same place on every row.
    expect(lines[2]!.indexOf('error') + 'warning'.length + 2).toBe(lines[3]!.search(/web /));
    expect(r.stdout).toContain('\u2716 2 problems (1 error, 1 warning)\n');
    expect(r.stdout).toContain('  0 errors and 1 warning potentially fixable with the `--fix` option.\n');
  });

  it('counts info separately and prints nothing for clean files', () => {
    const dir = tempTree({ 'f.arch.yaml': FINDINGS, 'clean.arch.yaml': CLEAN });
    const r = archlint(['lint', '--rule', 'missing-health-check=info', '--rule', 'single-point-of-failure=off'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('clean.arch.yaml');
    expect(r.stdout).toMatch(/^ {2}9:3 {2}info {2}/m);
    expect(r.stdout).toContain('\u2716 1 problem (0 errors, 0 warnings, 1 info)');
  });
});

describe('findings silenced by a comment', () => {
  it('are still listed after --fix changed the file (the fixed text is the one reported)', () => {
    const text = [
      'archlint: 1',
      'components:',
      '  edge: { kind: load-balancer, replicas: 2, routes-to: [web] }',
      '  # archlint-disable-next-line single-point-of-failure -- a lab box',
      '  web: { kind: service }',
      '',
    ].join('\n');
    const dir = tempTree({ 'lab.arch.yaml': text });
    const r = archlint(['lint', '--fix', '--format', 'json'], dir);
    const [result] = JSON.parse(r.stdout) as { output?: string; suppressedMessages: { ruleId: string }[] }[];
    expect(readFileSync(join(dir, 'lab.arch.yaml'), 'utf8')).not.toBe(text);
    expect(result!.suppressedMessages.map((m) => m.ruleId)).toEqual(['single-point-of-failure']);
  });

  it('are listed as ESLint lists them (suppressedMessages, with the reason), not as messages', () => {
    const text =
      'archlint: 1\ncomponents:\n  # archlint-disable-next-line single-point-of-failure -- a lab box\n  web: { kind: service }\n';
    const dir = tempTree({ 'lab.arch.yaml': text });
    const r = archlint(['lint', '--format', 'json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const [result] = JSON.parse(r.stdout) as { messages: unknown[]; suppressedMessages: Record<string, unknown>[] }[];
    expect(result!.messages).toEqual([]);
    expect(result!.suppressedMessages).toMatchObject([
      {
        ruleId: 'single-point-of-failure',
        line: 4,
        column: 3,
        suppressions: [{ kind: 'directive', justification: 'a lab box' }],
      },
    ]);
  });
});
