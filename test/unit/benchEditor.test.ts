// The bench's editor rows (bench/editor.mjs) print only figures an e2e run measured, labelled with
// that run's date, and say so when there are none: never a number the bench made up.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editorRows, readFigures, type EditorFigures } from '../../bench/editor.mjs';

const measured: EditorFigures = {
  date: '2026-12-02T08:42:10.123Z',
  editor: { appName: 'code-server', version: '1.139.1' },
  machine: { loadAverage: [10.45, 12.23] },
  file: { components: 1000, diagnostics: 494 },
  edits: { perFile: 40 },
  archlintUs: { mean: 53940, median: 46361 },
  plainUs: { mean: 5865, median: 3872 },
  clientShareUs: { mean: 48075, median: 42489 },
};

describe("the bench's editor rows", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'archlint-bench-editor-'));
    file = join(dir, 'e2e-keystroke.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('without figures, say the row needs an e2e run and give no number', () => {
    const { lines, rows, failed } = editorRows(readFigures(file));
    expect(rows).toEqual([]);
    expect(failed).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no figures: this row needs an e2e run \(npm run bench -- --editor, or npm run test:e2e\)/);
    expect(lines[0]).not.toMatch(/\d+ µs/);
  });

  it("print the last e2e run's figures, labelled with its date", () => {
    writeFileSync(file, JSON.stringify(measured));
    const { lines, rows, failed } = editorRows(readFigures(file));
    expect(failed).toBe(false);
    expect(lines[0]).toContain('from the last npm run test:e2e, 2026-12-02 08:42 UTC (code-server 1.139.1');
    expect(rows.map((r) => [r.meanUs, r.medianUs, r.measured])).toEqual([
      [53940, 46361, measured.date],
      [5865, 3872, measured.date],
      [48075, 42489, measured.date],
    ]);
    expect(lines.slice(1).map((l) => /(\d+) µs {2}mean; median (\d+) µs$/.exec(l)?.slice(1))).toEqual([
      ['53940', '46361'],
      ['5865', '3872'],
      ['48075', '42489'],
    ]);
  });

  it('with --editor, figures the run wrote are labelled as its own', () => {
    writeFileSync(file, JSON.stringify(measured));
    const { lines, failed } = editorRows(readFigures(file), { startedAt: Date.parse(measured.date) - 60_000, status: 0 });
    expect(failed).toBe(false);
    expect(lines[0]).toContain('from the e2e run just now, 2026-12-02 08:42 UTC');
  });

  it('with --editor, a run that wrote nothing fails, and older figures keep their own date', () => {
    writeFileSync(file, JSON.stringify(measured));
    const { lines, failed } = editorRows(readFigures(file), { startedAt: Date.parse(measured.date) + 60_000, status: 1 });
    expect(failed).toBe(true);
    expect(lines[0]).toMatch(/the e2e run \(exit 1\) wrote no figures/);
    expect(lines[1]).toContain('from the last npm run test:e2e, 2026-12-02 08:42 UTC');
  });

  it('a file of another shape is ignored, not printed', () => {
    for (const text of [
      '{',
      JSON.stringify({ ...measured, clientShareUs: undefined }),
      JSON.stringify({ ...measured, date: 'yesterday' }),
    ]) {
      writeFileSync(file, text);
      const { lines, rows } = editorRows(readFigures(file));
      expect(rows).toEqual([]);
      expect(lines[0]).toBe(`${'editor'.padEnd(14)}${file} is not a figures file this bench reads: ignored`);
      expect(lines[1]).toMatch(/no figures: this row needs an e2e run/);
    }
  });
});
