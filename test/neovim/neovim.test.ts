/**
 * Neovim as a client of `archlint lsp`, tested for real: a headless Neovim (Debian's 0.7.2 in CI)
 * runs test/neovim/archlint-lsp.lua, which starts its built-in LSP client on the server, opens a
 * copy of a sample, and reports what the client received; it then asks for a code action through
 * Neovim's own code action path, applies it with Neovim's own workspace-edit code, and writes the
 * file. The diagnostics must be exactly `archlint lint`'s, and the written file exactly the CLI's
 * fix. Without `nvim` on the PATH these tests are skipped, and say so (in CI, where .ci/run
 * installs Neovim, they fail instead).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archlint, BIN, buildCliOnce, ROOT } from '../cli/setup';

const SCRIPT = join(ROOT, 'test', 'neovim', 'archlint-lsp.lua');
/** The oldest Neovim the script is written for: vim.lsp.start_client, vim.diagnostic, vim.ui.select. */
const MIN_NVIM: readonly [number, number] = [0, 7];
/** Each wait inside Neovim (server start, diagnostics, code actions); the whole run gets a hard stop above it. */
const STEP_MS = 15_000;
const RUN_TIMEOUT_MS = 60_000;
/** A test waits for its Neovim run and up to two CLI runs (each bounded by 60 s in test/cli/setup.ts). */
const TEST_TIMEOUT_MS = 180_000;
/** Why Neovim exited as it did: the script's FAILED codes. */
const EXIT_STAGES: Record<number, string> = {
  1: 'a Lua error',
  2: 'the server did not start',
  3: 'no diagnostics',
  4: 'no such code action',
  5: 'the edit changed nothing',
  6: 'no diagnostics after the fix',
};

/** `nvim --version`'s first line when Neovim is here and new enough, else why these tests skip. */
function findNeovim(): { version: string } | { skip: string } {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return { skip: `nvim is not installed (${probe.error.message}); apt-get install neovim` };
  const match = /NVIM v(\d+)\.(\d+)\.(\d+)/.exec(probe.stdout);
  if (!match) return { skip: `nvim --version printed no version: ${probe.stdout.slice(0, 80)}` };
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MIN_NVIM[0] || (major === MIN_NVIM[0] && minor < MIN_NVIM[1])) {
    return { skip: `nvim ${match[0]} is older than ${MIN_NVIM.join('.')}` };
  }
  return { version: match[0] };
}

const neovim = findNeovim();
const skip = 'skip' in neovim ? neovim.skip : undefined;
if (skip) console.warn(`test/neovim: skipped: ${skip}`);

// Without Neovim these tests skip, except in CI (.ci/run installs it): there that is a failure.
if (skip !== undefined && process.env.CI) {
  it('Neovim is installed, as CI requires', () => {
    throw new Error(`${skip}; CI is set, so the Neovim tests must run`);
  });
}

interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
/** A diagnostic as the server published it (LSP: 0-based, UTF-16 columns). */
interface Published {
  range: LspRange;
  severity: number;
  message: string;
  source: string;
  code: string;
}
/** A diagnostic as Neovim holds it (vim.diagnostic: 0-based lines, byte columns). */
interface Shown {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: number;
  message: string;
  source: string;
  code: string;
}
interface Report {
  stage: string;
  error?: string;
  nvim: string;
  log_path: string;
  offset_encoding?: string;
  published?: Published[];
  shown?: Shown[];
  offered?: { title: string; kind: string; isPreferred: boolean }[];
  applied?: string;
  published_after?: Published[];
  shown_after?: Shown[];
}

interface NeovimRun {
  code: number | null;
  report: Report;
  /** The file as Neovim left it on disk. */
  text: string;
  /** Neovim's LSP log: what its client found wrong. */
  log: string;
  output: string;
}

/** What to ask Neovim for: the preferred quick fix of one rule, or source.fixAll.archlint; and the client's settings. */
type Action = ({ fix: string } | { fixAll: true }) & { settings?: unknown };

/** Temp folders made by these tests, removed at the end. */
const made: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Runs the script in a headless Neovim on `text` (as `name` in a temp folder), with a hard stop. */
function runNeovim(name: string, text: string, action: Action): Promise<NeovimRun> {
  const dir = tempDir('archlint-nvim-');
  const file = join(dir, name);
  writeFileSync(file, text);
  const reportPath = join(dir, 'report.json');
  // Neovim's state, cache and logs stay in the temp folder, never in the user's home.
  const xdg = join(dir, 'xdg');
  mkdirSync(xdg);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: xdg,
    XDG_DATA_HOME: xdg,
    XDG_STATE_HOME: xdg,
    XDG_CACHE_HOME: xdg,
    NVIM_LOG_FILE: join(xdg, 'nvim.log'),
    ARCHLINT_NVIM_CMD: JSON.stringify([process.execPath, BIN, 'lsp', '--stdio']),
    ARCHLINT_NVIM_FILE: file,
    ARCHLINT_NVIM_REPORT: reportPath,
    ARCHLINT_NVIM_STEP_MS: String(STEP_MS),
    ...('fix' in action && { ARCHLINT_NVIM_FIX: action.fix }),
    ...('fixAll' in action && { ARCHLINT_NVIM_FIX_ALL: '1' }),
    ...(action.settings !== undefined && { ARCHLINT_NVIM_SETTINGS: JSON.stringify(action.settings) }),
  };
  const luafile = `luafile ${SCRIPT.replace(/[\\ ]/g, '\\$&')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '-c', luafile], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: RUN_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (!existsSync(reportPath)) {
        reject(new Error(`nvim wrote no report (exit ${String(code)}, signal ${String(signal)}):\n${output}`));
        return;
      }
      const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
      const log = existsSync(report.log_path) ? readFileSync(report.log_path, 'utf8') : '';
      resolve({ code, report, text: readFileSync(file, 'utf8'), log, output });
    });
  });
}

/** What Neovim said, for a failure's message. */
function said(run: NeovimRun): string {
  const why = run.code !== null ? (EXIT_STAGES[run.code] ?? `exit ${run.code}`) : 'killed at the time limit';
  return `Neovim: ${why} (stage ${run.report.stage}: ${run.report.error ?? 'no error'})\n${run.output}\n${run.log}`;
}

/** Fails with what Neovim said when the run did not end well. */
function expectDone(run: NeovimRun): void {
  expect({ code: run.code, stage: run.report.stage, error: run.report.error }, said(run)).toEqual({
    code: 0,
    stage: 'done',
    error: undefined,
  });
}

interface EslintMessage {
  ruleId: string;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: { range: [number, number]; text: string };
}

interface Linted {
  /** `archlint lint --format json`'s messages. */
  messages: EslintMessage[];
  /** The diagnostics an LSP client must receive for the text. */
  expected: Published[];
}

const linted = new Map<string, Linted>();

/**
 * `archlint lint --format json` of a text saved as `name` (with `args`, such as `--rule`), and
 * the diagnostics it means for an LSP client: rule id as code, 1-based lines and columns made
 * 0-based. ESLint's JSON has no third severity (info is 1, as a warning), so SARIF's level,
 * result for result in the same order, tells info (`note`) from warning.
 */
function lint(text: string, name: string, args: readonly string[] = []): Linted {
  const key = `${name}\0${args.join(' ')}\0${text}`;
  const known = linted.get(key);
  if (known) return known;
  const dir = tempDir('archlint-nvim-cli-');
  writeFileSync(join(dir, name), text);
  const json = archlint(['lint', '--format', 'json', ...args, name], dir);
  const messages = (JSON.parse(json.stdout) as { messages: EslintMessage[] }[])[0]!.messages;
  const sarif = JSON.parse(archlint(['lint', '--format', 'sarif', ...args, name], dir).stdout) as {
    runs: { results: { ruleId: string; level: string }[] }[];
  };
  const levels = sarif.runs[0]!.results;
  expect(levels.map((r) => r.ruleId)).toEqual(messages.map((m) => m.ruleId));
  const expected = messages.map((m, i) => ({
    range: { start: { line: m.line - 1, character: m.column - 1 }, end: { line: m.endLine - 1, character: m.endColumn - 1 } },
    severity: m.severity === 2 ? 1 : levels[i]!.level === 'note' ? 3 : 2,
    message: m.message,
    source: 'archlint',
    code: m.ruleId,
  }));
  const result = { messages, expected };
  linted.set(key, result);
  return result;
}

/** A UTF-16 column of a line as Neovim counts columns: bytes of UTF-8. */
function byteColumn(text: string, line: number, character: number): number {
  return Buffer.byteLength((text.split('\n')[line] ?? '').slice(0, character), 'utf8');
}

/** What Neovim must show for these LSP diagnostics of `text`: the same, with byte columns. */
function asShown(text: string, diagnostics: readonly Published[]): Shown[] {
  return diagnostics.map((d) => ({
    lnum: d.range.start.line,
    col: byteColumn(text, d.range.start.line, d.range.start.character),
    end_lnum: d.range.end.line,
    end_col: byteColumn(text, d.range.end.line, d.range.end.character),
    severity: d.severity,
    message: d.message,
    source: d.source,
    code: d.code,
  }));
}

const sortedPublished = (ds: readonly Published[] = []) =>
  [...ds].sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
const sortedShown = (ds: readonly Shown[] = []) =>
  [...ds].sort((a, b) => a.lnum - b.lnum || a.col - b.col || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));

/** Every comment of a text (the `#…` tails of its lines), in order. */
function comments(text: string): string[] {
  return text.split('\n').flatMap((line) => /(?:^|\s)(#.*)$/.exec(line)?.[1] ?? []);
}

/** The lines (0-based) the findings of `ruleId` start on. */
const linesOf = (messages: readonly EslintMessage[], ruleId: string) =>
  messages.filter((m) => m.ruleId === ruleId).map((m) => m.line - 1);

const sample = (name: string) => readFileSync(join(ROOT, 'samples', name), 'utf8');

/**
 * ride-sharing with text before a finding that UTF-8 and UTF-16 count differently (an `ü` and an
 * emoji, a surrogate pair, on the unknown-reference's line), and a rule set to info.
 */
function nonAscii(): string {
  const text = sample('ride-sharing.arch.yaml')
    .replace('name: ride-sharing\n', 'name: ride-sharing\nrules: { sticky-sessions: info }\n')
    .replace('depends-on: [surge-model]', 'depends-on: [zürich-🚕, surge-model]')
    .replace('  maps-primary:', '  zürich-🚕: { kind: external, availability: 99.99% }\n  maps-primary:');
  expect(text).toContain('zürich-🚕, surge-model]');
  return text;
}

/**
 * A shop as `helm template` prints it (the Kubernetes fixtures' shop.yaml), its checkout probed
 * for liveness only: a plain YAML name, read by its content, with a safe fix (the readinessProbe
 * copied from the livenessProbe).
 */
function manifests(): string {
  const text = readFileSync(join(ROOT, 'test', 'sources', 'kubernetes', 'shop.yaml'), 'utf8').replace(
    '              value: postgres://shop:secret@postgres:5432/shop\n          readinessProbe:',
    '              value: postgres://shop:secret@postgres:5432/shop\n          livenessProbe:',
  );
  expect(text).toContain('shop\n          livenessProbe:');
  return text;
}

interface Case {
  name: string;
  file: string;
  text: () => string;
  /** The rule whose safe fix is asked for at its finding (the file has one finding of it). */
  fix: string;
  /** Neovim's `settings` for the server, and the CLI options that mean the same. */
  settings?: { archlint: { rules: Record<string, string> } };
  cliArgs?: string[];
}

const CASES: Case[] = [
  {
    name: 'legacy-monolith',
    file: 'legacy-monolith.arch.yaml',
    text: () => sample('legacy-monolith.arch.yaml'),
    fix: 'missing-health-check',
  },
  {
    name: 'ride-sharing',
    file: 'ride-sharing.arch.yaml',
    text: () => sample('ride-sharing.arch.yaml'),
    fix: 'unknown-reference',
  },
  {
    name: "ride-sharing with rule severities from Neovim's settings (workspace/configuration)",
    file: 'ride-sharing.arch.yaml',
    text: () => sample('ride-sharing.arch.yaml'),
    fix: 'unknown-reference',
    settings: { archlint: { rules: { 'sticky-sessions': 'off', 'no-headroom': 'info', 'single-point-of-failure': 'warning' } } },
    cliArgs: ['--rule', 'sticky-sessions=off', '--rule', 'no-headroom=info', '--rule', 'single-point-of-failure=warning'],
  },
  {
    name: 'ride-sharing with non-ASCII text and an info rule',
    file: 'unicode.arch.yaml',
    text: nonAscii,
    fix: 'unknown-reference',
  },
  {
    name: 'Kubernetes manifests as helm template prints them, read by their content',
    file: 'shop.yaml',
    text: manifests,
    fix: 'missing-health-check',
  },
];

describe.skipIf(skip !== undefined)(
  `Neovim (${'version' in neovim ? neovim.version : 'absent'}) as a client of archlint lsp`,
  () => {
    beforeAll(buildCliOnce);
    afterAll(() => {
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    });

    const runs = new Map<string, Promise<NeovimRun>>();
    /** One Neovim run per case, shared by its tests. */
    const runOf = (c: Case) => {
      let run = runs.get(c.name);
      if (!run) {
        run = runNeovim(c.file, c.text(), { fix: c.fix, settings: c.settings });
        runs.set(c.name, run);
      }
      return run;
    };

    for (const c of CASES) {
      describe(c.name, () => {
        it('Neovim receives and shows exactly the diagnostics of archlint lint', { timeout: TEST_TIMEOUT_MS }, async () => {
          const run = await runOf(c);
          // The diagnostics come before the code action: they are checked even if the action failed.
          expect(run.report.published, said(run)).toBeDefined();
          const text = c.text();
          const { expected } = lint(text, c.file, c.cliArgs);
          expect(expected.length).toBeGreaterThan(1);
          expect(run.report.offset_encoding).toBe('utf-16');
          // What came over the wire, and what Neovim made of it (byte columns in its buffer).
          expect(sortedPublished(run.report.published)).toEqual(sortedPublished(expected));
          expect(sortedShown(run.report.shown)).toEqual(sortedShown(asShown(text, expected)));
          // Neovim's client logs a warning for anything the server does that it did not agree to.
          expect(run.log.split('\n').filter((l) => /^\[(WARN|ERROR)\]/.test(l))).toEqual([]);
        });

        it(
          `the ${c.fix} quick fix, applied by Neovim, fixes the file and changes nothing else`,
          { timeout: TEST_TIMEOUT_MS },
          async () => {
            const run = await runOf(c);
            expectDone(run);
            const text = c.text();
            const before = lint(text, c.file, c.cliArgs).messages;
            expect(linesOf(before, c.fix)).toHaveLength(1);
            const fix = before.find((m) => m.ruleId === c.fix)?.fix;
            expect(fix, `${c.fix} has a safe fix in ${c.file}`).toBeDefined();
            expect(run.report.offered?.find((a) => a.isPreferred)?.title).toBe(run.report.applied);
            // Exactly the CLI's edit for that finding: every other byte, and so every comment, stays.
            expect(run.text).toBe(text.slice(0, fix!.range[0]) + fix!.text + text.slice(fix!.range[1]));
            expect(comments(run.text)).toEqual(comments(text));
            // The finding is gone, for the CLI reading the written file and for Neovim's client.
            const after = lint(run.text, c.file, c.cliArgs);
            expect(linesOf(after.messages, c.fix)).toEqual([]);
            expect(sortedPublished(run.report.published_after)).toEqual(sortedPublished(after.expected));
            expect(sortedShown(run.report.shown_after)).toEqual(sortedShown(asShown(run.text, after.expected)));
          },
        );
      });
    }

    it('source.fixAll.archlint through Neovim writes what archlint lint --fix writes', { timeout: TEST_TIMEOUT_MS }, async () => {
      // Two safe fixes: the unknown reference after the emoji, and sockets' missing health check.
      const text = nonAscii().replace('    health-check: { path: /ready, interval: 5s }\n', '');
      expect(
        lint(text, 'unicode.arch.yaml')
          .messages.filter((m) => m.fix)
          .map((m) => m.ruleId),
      ).toEqual(['missing-health-check', 'unknown-reference']);
      const run = await runNeovim('unicode.arch.yaml', text, { fixAll: true });
      expectDone(run);
      expect(run.report.applied).toBe('Fix all safe Archlint findings');
      const dir = tempDir('archlint-nvim-cli-');
      writeFileSync(join(dir, 'unicode.arch.yaml'), text);
      archlint(['lint', '--fix', 'unicode.arch.yaml'], dir);
      const file = join(dir, 'unicode.arch.yaml');
      expect(run.text).not.toBe(text);
      expect(run.text).toBe(readFileSync(file, 'utf8'));
    });
  },
);
