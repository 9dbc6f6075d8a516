// Prepares one end-to-end run, the same for code-server (`npm run test:e2e`) and desktop VS Code
// (`npm run test:vscode`): the expectations the suite compares the editor with (computed by the CLI,
// which is the same engine headless), a throw-away copy of samples/ as the workspace, and the mocha
// suite bundled for the extension host.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the bundled suite, its inputs and its results live (git-ignored). */
export const suiteDir = join(root, '.cache', 'e2e-suite');
/** Screenshots and logs CI keeps as artifacts (git-ignored). */
export const outputDir = join(root, 'test', 'e2e', 'output');
/**
 * Where the keystroke test (suite/keystroke.e2e.ts) writes the extension host's CPU per keystroke;
 * `npm run bench` prints it. Kept across runs (a run that does not include the test leaves it).
 */
export const keystrokeFiguresFile = join(root, 'test-output', 'e2e-keystroke.json');
/** What the fix-all-on-save test appends before saving, so the save has something to do; must match the suite. */
export const FIX_ALL_EDIT = '\n# edited by the e2e suite before saving\n';

const cli = join(root, 'bin', 'archlint.js');

function runCli(args, cwd = root) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: (result.stderr ?? '') + (result.error?.message ?? '') };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * What the CLI says about every sample: findings (`lint --format json`), the text `lint --fix`
 * makes of the sample with FIX_ALL_EDIT appended, and `availability --format json` (or why not).
 */
export function computeExpectations(samplesDir) {
  const files = readdirSync(samplesDir)
    .filter((f) => /\.arch\.ya?ml$/.test(f))
    .sort();
  const lint = runCli(['lint', samplesDir, '--format', 'json']);
  const lintReport = parseJson(lint.stdout);
  if (!Array.isArray(lintReport))
    throw new Error(`archlint lint --format json gave no report (exit ${lint.status}): ${lint.stderr}`);

  const scratch = mkdtempSync(join(tmpdir(), 'archlint-e2e-fix-'));
  const samples = {};
  try {
    for (const file of files) {
      const text = readFileSync(join(samplesDir, file), 'utf8');
      const report = lintReport.find((r) => basename(r.filePath) === file);
      const fixInput = join(scratch, file);
      writeFileSync(fixInput, text + FIX_ALL_EDIT);
      const fixRun = runCli(['lint', fixInput, '--fix', '--format', 'json']);
      const availability = runCli(['availability', join(samplesDir, file), '--format', 'json']);
      samples[file] = {
        messages: report?.messages ?? [],
        fixedAfterEdit: fixRun.status === 2 ? null : readFileSync(fixInput, 'utf8'),
        availability: parseJson(availability.stdout) ?? null,
        availabilityError: parseJson(availability.stdout) ? null : `exit ${availability.status}: ${availability.stderr.trim()}`,
      };
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { fixAllEdit: FIX_ALL_EDIT, samples };
}

/** A fresh copy of samples/ (and test/e2e/fixtures/) to open as the workspace: tests edit and save files without touching the repo. */
export function makeWorkspace() {
  const workspace = mkdtempSync(join(tmpdir(), 'archlint-e2e-ws-'));
  cpSync(join(root, 'samples'), workspace, { recursive: true });
  // Projects in other sources' files (a Compose project in its folder), beside the samples.
  cpSync(join(root, 'test', 'e2e', 'fixtures'), workspace, { recursive: true });
  // A shop as `helm template` prints it (the Kubernetes fixtures' shop.yaml, its findings marked `# expect:`).
  mkdirSync(join(workspace, 'helm-shop'));
  cpSync(join(root, 'test', 'sources', 'kubernetes', 'shop.yaml'), join(workspace, 'helm-shop', 'shop.yaml'));
  return workspace;
}

/**
 * Bundles the mocha suite (test/e2e/suite) into `.cache/e2e-suite/`: index.js is the
 * `extensionTestsPath`, each `*.e2e.ts` becomes one file mocha loads. `vscode` comes from the
 * extension host and mocha from the project's node_modules, so both stay external.
 */
export async function bundleSuite({ expectations, grep }) {
  rmSync(suiteDir, { recursive: true, force: true });
  mkdirSync(join(suiteDir, 'tests'), { recursive: true });
  const sourceDir = join(root, 'test', 'e2e', 'suite');
  const testFiles = readdirSync(sourceDir).filter((f) => f.endsWith('.e2e.ts'));
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
    absWorkingDir: root,
  };
  await build({ ...common, entryPoints: [join(sourceDir, 'index.ts')], outfile: join(suiteDir, 'index.js') });
  await build({ ...common, entryPoints: testFiles.map((f) => join(sourceDir, f)), outdir: join(suiteDir, 'tests') });
  writeFileSync(join(suiteDir, 'expected.json'), JSON.stringify(expectations, null, 2));
  writeFileSync(
    join(suiteDir, 'options.json'),
    JSON.stringify({ grep: grep ?? null, keystrokeFigures: keystrokeFiguresFile }, null, 2),
  );
  return { index: join(suiteDir, 'index.js'), results: join(suiteDir, 'results.json'), log: join(suiteDir, 'suite.log') };
}

/** `npm run build`, bounded: a hung build must not hang CI. */
export function buildExtension() {
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', timeout: 5 * 60_000 });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.status ?? result.error?.message})`);
}

/** The `{ passed, failed, skipped }` file scripts/test-summary.mjs adds up. */
export function writeSummary(file, counts) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(counts, null, 2) + '\n');
}
