// The extension host's own CPU per keystroke. Archlint is a language client: an edit in an
// architecture file should cost the extension host only the change it forwards to the server
// and the diagnostics it gets back and shows, never a lint (the server lints, in its own
// process). The test makes the same one-character edits in a generated 1000-component
// `*.arch.yaml` and in an identical `plain.yaml` that Archlint does not handle (VS Code's own
// cost of an edit in the extension host: the baseline), in alternating blocks, and writes what
// each took to test-output/e2e-keystroke.json, which `npm run bench` prints (docs/performance.md,
// "In the editor"). It asserts behaviour only: every edit applied, and the diagnostics of every
// version arrived and are what Archlint's API lints. Timings are never asserted.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { generateArchitecture } from '../../../bench/generate.mjs';
import {
  activateArchlint,
  archlintDiagnostics,
  closeAllEditors,
  currentDiagnostics,
  openWithDiagnostics,
  scratchFile,
  WAIT_MS,
} from './helpers';

/** The size bench/run.mjs's rows compare at (`1000 comps`). */
const COMPONENTS = 1000;
/** Measured edits per document. */
const EDITS = 40;
/** Edits in a row on one document before the other's turn: machine speed changes hit both. */
const BLOCK = 5;

/**
 * What the workbench asks for when typing pauses (lenses, the outline behind breadcrumbs and
 * sticky scroll, the light bulb's code actions), each after its own debounce of 250 ms or more.
 * With them on, that work for the architecture file would run during the next block, which is
 * the plain file's, and be counted there; so they are off while the test types: the figures
 * are what every keystroke costs, the change and the diagnostics.
 */
const PAUSE_FEATURES_OFF: [section: string, key: string, value: unknown][] = [
  ['editor', 'codeLens', false],
  ['breadcrumbs', 'enabled', false],
  ['editor', 'stickyScroll.enabled', false],
  ['editor', 'lightbulb.enabled', 'off'],
];

/** One document the test types into. */
interface Typed {
  name: string;
  document: vscode.TextDocument;
  editor: vscode.TextEditor;
  /** Offset of the `replicas` digit the edits replace. */
  at: number;
  /** The two digits the edits alternate between (neither is the original, so every edit changes the text). */
  digits: [string, string];
  edits: number;
  /** Resolves when what this document's edit (to `version`) must bring about is there. */
  settle: (version: number) => Promise<void>;
  /** The state check that follows, outside the measured time (undefined: none). */
  verify?: () => Promise<void>;
  samples: Sample[];
}

/** Offset of a `replicas` digit in the middle of the file: inside one component, as bench/run.mjs edits it. */
function digitOffset(text: string): number {
  const at = text.indexOf('    replicas: ', Math.floor(text.length / 2)) + '    replicas: '.length;
  assert.match(text[at] ?? '', /\d/, 'the generated file has a replicas digit past its middle');
  return at;
}

function otherDigits(original: string): [string, string] {
  const [a, b] = [...'789'].filter((d) => d !== original);
  return [a!, b!];
}

/** Resolves on the first `event` that `accept` takes, bounded by WAIT_MS (an event: no polling, no sleep). */
function nextEvent<T>(event: vscode.Event<T>, accept: (e: T) => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = event((e) => {
      if (!accept(e)) return;
      done();
      resolve();
    });
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`));
    }, WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      listener.dispose();
    };
  });
}

/** Whether the diagnostics of `uri` are no longer the objects `before` holds (a collection's set makes new ones). */
function replaced(before: readonly vscode.Diagnostic[], uri: vscode.Uri): boolean {
  const now = vscode.languages.getDiagnostics(uri);
  return now.length !== before.length || now.some((d, i) => d !== before[i]);
}

/** One measured edit: its window (performance.now()) and the extension host's CPU in it. */
interface Sample {
  cpuUs: number;
  start: number;
  end: number;
}

/**
 * One edit: the digit replaced, measured until the state it must bring about is there (the
 * edit applied in the extension host; for Archlint, also the new diagnostics shown), then that
 * state checked, outside the measured time.
 */
async function type(typed: Typed): Promise<Sample> {
  const { document, editor, at } = typed;
  const digit = typed.digits[typed.edits % 2]!;
  const range = new vscode.Range(document.positionAt(at), document.positionAt(at + 1));
  const version = document.version + 1;
  const settled = typed.settle(version);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const [applied] = await Promise.all([editor.edit((b) => b.replace(range, digit)), settled]);
  const used = process.cpuUsage(cpu);
  const end = performance.now();
  assert.equal(applied, true, `edit ${typed.edits + 1} of ${typed.name} applies`);
  typed.edits++;
  assert.equal(document.version, version, `${typed.name} is at the edit's version`);
  assert.equal(document.getText(range), digit, `${typed.name} has the edited digit`);
  await typed.verify?.();
  return { cpuUs: used.user + used.system, start, end };
}

/** Mean, median and range, rounded to `digits` decimals. */
function stats(values: number[], digits = 0): { mean: number; median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number) => Number(v.toFixed(digits));
  return {
    mean: round(values.reduce((s, v) => s + v, 0) / values.length),
    median: round(sorted[Math.floor(sorted.length / 2)]!),
    min: round(sorted[0]!),
    max: round(sorted.at(-1)!),
  };
}

/** Where test/e2e/prepare.mjs says the figures go (options.json beside the bundled suite). */
function figuresFile(): string | undefined {
  const options = join(__dirname, '..', 'options.json');
  if (!existsSync(options)) return undefined;
  const file = (JSON.parse(readFileSync(options, 'utf8')) as { keystrokeFigures?: unknown }).keystrokeFigures;
  return typeof file === 'string' ? file : undefined;
}

suite('keystroke cost', () => {
  const before = new Map<string, unknown>();
  suiteSetup(async () => {
    await activateArchlint();
    for (const [section, key, value] of PAUSE_FEATURES_OFF) {
      const config = vscode.workspace.getConfiguration(section);
      before.set(`${section}.${key}`, config.inspect(key)?.workspaceValue);
      await config.update(key, value, vscode.ConfigurationTarget.Workspace);
    }
  });
  suiteTeardown(async () => {
    for (const [section, key] of PAUSE_FEATURES_OFF)
      await vscode.workspace
        .getConfiguration(section)
        .update(key, before.get(`${section}.${key}`), vscode.ConfigurationTarget.Workspace);
  });
  teardown(async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
  });

  test('extension host CPU per keystroke: a 1000-component architecture file against the same edits in plain YAML', async function () {
    // A bound for a hang on a loaded machine (each of the 90 edits waits for a lint), not an estimate.
    this.timeout(15 * 60_000);
    const text = generateArchitecture(COMPONENTS);
    const at = digitOffset(text);
    const digits = otherDigits(text[at]!);
    const archUri = await scratchFile('keystroke.arch.yaml', text);
    const plainUri = await scratchFile('keystroke-plain.yaml', text);

    const arch = await openWithDiagnostics(archUri);
    assert.ok(arch.diagnostics.length > 0, 'the generated architecture has findings in the editor');
    const plainDocument = await vscode.workspace.openTextDocument(plainUri);
    const plainEditor = await vscode.window.showTextDocument(plainDocument, {
      viewColumn: vscode.ViewColumn.Two,
      preview: false,
      preserveFocus: true,
    });
    // The same language: what differs is only whether Archlint handles the file.
    assert.equal(arch.document.languageId, 'yaml');
    assert.equal(plainDocument.languageId, 'yaml');
    assert.equal(plainDocument.getText(), arch.document.getText());

    const archTyped: Typed = {
      name: 'the architecture file',
      document: arch.document,
      editor: arch.editor,
      at,
      digits,
      edits: 0,
      // The client set the diagnostics the server answered for the edit: the file's diagnostics
      // are new objects. Not any change event for the file: the workbench echoes every set back
      // (its markers of other owners, none here), after a round trip through the browser, which
      // can arrive during the next edit.
      settle: () => {
        const before = vscode.languages.getDiagnostics(archUri);
        return nextEvent(
          vscode.languages.onDidChangeDiagnostics,
          (e) => e.uris.some((u) => u.toString() === archUri.toString()) && replaced(before, archUri),
          "the architecture file's new diagnostics",
        );
      },
      // The diagnostics shown are those of the edited text, as the API lints it (outside the measured time).
      verify: async () => void (await currentDiagnostics(archUri)),
      samples: [],
    };
    const plainTyped: Typed = {
      name: 'the plain YAML file',
      document: plainDocument,
      editor: plainEditor,
      at,
      digits,
      edits: 0,
      settle: (version) =>
        nextEvent(
          vscode.workspace.onDidChangeTextDocument,
          (e) => e.document === plainDocument && plainDocument.version === version,
          'the edit of the plain YAML file to apply',
        ),
      samples: [],
    };

    // Garbage collection inside the measured windows, to read the spread of the figures by.
    const pauses: { start: number; duration: number }[] = [];
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, duration: entry.duration });
    });
    gc.observe({ entryTypes: ['gc'] });
    const load = [loadavg()[0]!];
    // A first block of each, not counted: it compiles the code paths the others run.
    for (const typed of [archTyped, plainTyped]) for (let i = 0; i < BLOCK; i++) await type(typed);
    for (let block = 0; block < EDITS / BLOCK; block++) {
      for (const typed of [archTyped, plainTyped]) {
        for (let i = 0; i < BLOCK; i++) typed.samples.push(await type(typed));
      }
      load.push(loadavg()[0]!);
    }
    for (const entry of gc.takeRecords()) pauses.push({ start: entry.startTime, duration: entry.duration });
    gc.disconnect();

    // Behaviour: both files hold exactly the edits made, Archlint shows the last version's
    // diagnostics, and none on the file it does not handle.
    const total = EDITS + BLOCK;
    const finalText = text.slice(0, at) + digits[(total - 1) % 2]! + text.slice(at + 1);
    for (const typed of [archTyped, plainTyped]) {
      assert.equal(typed.edits, total);
      assert.equal(typed.document.getText(), finalText, `${typed.name} holds the edits`);
      assert.equal(typed.document.isDirty, true);
    }
    const shown = await currentDiagnostics(archUri);
    assert.ok(shown.length > 0, 'the edited architecture file has findings in the editor');
    assert.deepEqual(archlintDiagnostics(plainUri), [], 'Archlint shows nothing on a file it does not handle');

    const cpuOf = (typed: Typed) => stats(typed.samples.map((x) => x.cpuUs));
    const wallOf = (typed: Typed) =>
      stats(
        typed.samples.map((x) => x.end - x.start),
        1,
      );
    const gcOf = (typed: Typed) =>
      stats(
        typed.samples.map((x) =>
          pauses.filter((p) => p.start >= x.start && p.start < x.end).reduce((sum, p) => sum + p.duration, 0),
        ),
        2,
      );
    const archlint = cpuOf(archTyped);
    const plain = cpuOf(plainTyped);
    const figures = {
      date: new Date().toISOString(),
      editor: {
        appName: vscode.env.appName,
        appHost: vscode.env.appHost,
        version: vscode.version,
        node: process.version,
      },
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? null, loadAverage: load.map((l) => Number(l.toFixed(2))) },
      file: { components: COMPONENTS, bytes: Buffer.byteLength(text), diagnostics: shown.length },
      edits: { perFile: EDITS, block: BLOCK, warmUp: BLOCK },
      measured:
        'process.cpuUsage() (user + system) of the extension host, from before each edit until it applied ' +
        "(plain YAML) or until the client had set the architecture file's new diagnostics (VS Code's change event)",
      archlintUs: archlint,
      plainUs: plain,
      clientShareUs: { mean: archlint.mean - plain.mean, median: archlint.median - plain.median },
      wallMs: { archlint: wallOf(archTyped), plain: wallOf(plainTyped) },
      gcPauseMs: { archlint: gcOf(archTyped), plain: gcOf(plainTyped) },
      samplesUs: { archlint: archTyped.samples.map((x) => x.cpuUs), plain: plainTyped.samples.map((x) => x.cpuUs) },
    };
    const file = figuresFile();
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
    }
    console.log(`keystroke: ${JSON.stringify({ archlintUs: archlint, plainUs: plain, clientShareUs: figures.clientShareUs })}`);
  });
});
