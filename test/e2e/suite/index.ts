// The `extensionTestsPath` module: VS Code's extension host requires it and awaits `run()`; a
// rejection is the run's non-zero exit code. Used unchanged by code-server (test/e2e/run.mjs) and
// by desktop VS Code (test/e2e/run-vscode.mjs). Results go to files beside this bundle, because the
// runners cannot read the extension host's console in every setup.
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
}

/** Runs every bundled `*.e2e.js` file and resolves when all passed. */
export async function run(): Promise<void> {
  const here = __dirname;
  const logFile = join(here, 'suite.log');
  writeFileSync(logFile, '');
  const log = (line: string) => {
    appendFileSync(logFile, line + '\n');
    console.log(line);
  };
  const options = existsSync(join(here, 'options.json'))
    ? (JSON.parse(readFileSync(join(here, 'options.json'), 'utf8')) as { grep?: string | null })
    : {};

  // A test's bound is a hard stop, above its own waits' (helpers' WAIT_MS each, which fail with
  // what they saw): the slowest test took 49 s with the machine's load average near 20.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 5 * 60_000, slow: 5_000, reporter: 'base' });
  if (options.grep) mocha.grep(options.grep);
  const testsDir = join(here, 'tests');
  for (const file of readdirSync(testsDir)
    .filter((f) => f.endsWith('.js'))
    .sort())
    mocha.addFile(join(testsDir, file));

  const records: TestRecord[] = [];
  const started = Date.now();
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    const { EVENT_TEST_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    // Only in the file: when the extension host stalls, the log's last line names the test it stalled in.
    runner.on(EVENT_TEST_BEGIN, (test) => appendFileSync(logFile, `  … ${test.fullTitle()}\n`));
    runner.on(EVENT_TEST_PASS, (test) => {
      records.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      log(`  ✓ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_FAIL, (test, error: Error) => {
      // A failing hook is reported here too: it counts as one failure, under the hook's title.
      const message = `${error?.message ?? String(error)}`.split('\n').slice(0, 12).join('\n');
      records.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: message });
      log(`  ✗ ${test.fullTitle()}\n      ${message.replace(/\n/g, '\n      ')}`);
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      records.push({ title: test.fullTitle(), state: 'skipped', durationMs: 0 });
      log(`  - ${test.fullTitle()} (skipped)`);
    });
  });

  const count = (state: TestRecord['state']) => records.filter((r) => r.state === state).length;
  const summary = {
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    durationMs: Date.now() - started,
    tests: records,
  };
  writeFileSync(join(here, 'results.json'), JSON.stringify(summary, null, 2));
  log(`suite: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  if (summary.failed > 0) throw new Error(`${summary.failed} e2e test(s) failed`);
}
