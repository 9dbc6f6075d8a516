// The bench's `editor` rows: the extension host's CPU per edit, which only a real VS Code can
// measure. test/e2e/suite/keystroke.e2e.ts measures it in code-server and writes
// test-output/e2e-keystroke.json; the bench prints the last such figures with their date, or runs
// that one test first (`npm run bench -- --editor`). It never makes a number up: without figures
// the row says where they come from.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The keystroke test's title, or enough of it for the e2e runner's `--grep`. */
export const KEYSTROKE_TEST = 'extension host CPU per keystroke';

/** Where the test writes its figures (test/e2e/prepare.mjs's `keystrokeFiguresFile`). */
export const figuresFileOf = (root) => join(root, 'test-output', 'e2e-keystroke.json');

const SECTION = 'editor'.padEnd(14);

/**
 * Runs the keystroke test alone in code-server (`npm run test:e2e -- --grep … --no-ui`), its
 * output on this terminal. Returns when it started (figures written since are this run's) and
 * how it ended.
 */
export function runKeystrokeTest(root) {
  const startedAt = Date.now();
  const run = spawnSync(process.execPath, [join(root, 'test/e2e/run.mjs'), '--grep', KEYSTROKE_TEST, '--no-ui'], {
    cwd: root,
    stdio: 'inherit',
  });
  return { startedAt, status: run.status ?? run.signal ?? run.error?.message };
}

/** The figures in `file`: `{ figures }`, `{}` when there is no file, `{ problem }` when it is not one the bench reads. */
export function readFigures(file) {
  if (!existsSync(file)) return {};
  let figures;
  try {
    figures = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    figures = undefined;
  }
  const complete =
    typeof figures?.date === 'string' &&
    !Number.isNaN(Date.parse(figures.date)) &&
    [figures.archlintUs, figures.plainUs, figures.clientShareUs].every(
      (x) => typeof x?.mean === 'number' && typeof x.median === 'number',
    ) &&
    typeof figures.editor?.appName === 'string' &&
    typeof figures.editor.version === 'string' &&
    typeof figures.file?.components === 'number' &&
    typeof figures.file.diagnostics === 'number' &&
    typeof figures.edits?.perFile === 'number' &&
    Array.isArray(figures.machine?.loadAverage) &&
    figures.machine.loadAverage.length > 0;
  return complete ? { figures } : { problem: `${file} is not a figures file this bench reads` };
}

/**
 * The section's lines and result rows. `run` is `runKeystrokeTest`'s answer when the bench ran
 * the test (figures older than it are then the last run's, and the run counts as failed).
 */
export function editorRows({ figures, problem }, run) {
  const lines = [];
  const rows = [];
  const fresh = !!figures && !!run && Date.parse(figures.date) >= run.startedAt;
  const failed = !!run && !fresh;
  if (failed)
    lines.push(`${SECTION}the e2e run (exit ${run.status}) wrote no figures: see its output above and test/e2e/output/`);
  if (problem) lines.push(`${SECTION}${problem}: ignored`);
  if (!figures) {
    lines.push(`${SECTION}no figures: this row needs an e2e run (npm run bench -- --editor, or npm run test:e2e)`);
    return { lines, rows, failed };
  }
  const { editor, file, edits, machine } = figures;
  const when = figures.date.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  const command = editor.appName === 'code-server' ? 'npm run test:e2e' : 'npm run test:vscode';
  const load = `load average ${Math.min(...machine.loadAverage)}–${Math.max(...machine.loadAverage)}`;
  lines.push(
    `${SECTION}${fresh ? 'from the e2e run just now' : `from the last ${command}`}, ${when} ` +
      `(${editor.appName} ${editor.version}, ${load}; ${edits.perFile} edits each, ${file.diagnostics} diagnostics)`,
  );
  const row = (name, { mean, median }) => {
    rows.push({
      section: 'editor',
      name,
      ms: Number((mean / 1000).toFixed(3)),
      meanUs: mean,
      medianUs: median,
      measured: figures.date,
    });
    lines.push(`${SECTION}${name.padEnd(58)} ${String(mean).padStart(9)} µs  mean; median ${median} µs`);
  };
  row(`extension host CPU per edit, ${file.components}-comp *.arch.yaml`, figures.archlintUs);
  row("the same edit in plain YAML (VS Code's own cost)", figures.plainUs);
  row("Archlint's client share (the difference)", figures.clientShareUs);
  return { lines, rows, failed };
}
