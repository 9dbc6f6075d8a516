// `npm run bench`: Archlint's engine against the parse floor and yaml-language-server, on
// generated architectures of 100, 1000 and 10,000 components (bench/generate.mjs); cold loads of
// the bundles; availability alone; keystroke to diagnostics through `archlint lsp`
// (bench/lsp.mjs); `archlint lint` of 10,000 components as a process (wall time, peak RSS); ELK
// layout (bench/layout.mjs); `archlint diagram` end to end. Prints a table and writes
// bench/results.json (gitignored). Medians over repeated runs; asserts nothing. The `editor` rows
// (the extension host's CPU per edit) are the e2e suite's, measured in code-server
// (bench/editor.mjs): its last figures, or with --editor a run of that one test first.
// Usage: node bench/run.mjs [--quick] [--editor]   (--quick: fewer repetitions, no 10,000 rows;
// --editor: a few minutes more, it builds, packages and starts code-server)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { editorRows, figuresFileOf, KEYSTROKE_TEST, readFigures, runKeystrokeTest } from './editor.mjs';
import { generateArchitecture, generateCompose, generateManifests } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const quick = process.argv.includes('--quick');
const freshEditorFigures = process.argv.includes('--editor');
const cache = join(root, '.cache');
mkdirSync(cache, { recursive: true });

// The engine as the bundles ship it (esbuild, one file), plus the availability entry point.
const engineFile = join(cache, 'bench-engine.cjs');
await build({
  stdin: {
    contents: `export * from './extension/src/engine'; export { computeAvailability } from './extension/src/engine/availability'; export { parseArchitectureText } from './extension/src/engine/parse/parse';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: engineFile,
  logLevel: 'warning',
});
const engine = require(engineFile);

/** With --editor: how the e2e run of the keystroke test went, before anything here is timed. */
let editorRun;
if (freshEditorFigures) {
  console.log(`running the e2e test "${KEYSTROKE_TEST}" for the editor rows (npm run test:e2e, a few minutes)…\n`);
  editorRun = runKeystrokeTest(root);
  console.log('');
}

const { parseDocument } = require('yaml');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Median wall time of `fn` over `runs` runs, after one warm-up run. */
function time(fn, runs, warmUp = true) {
  if (warmUp) fn();
  const times = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}
const runsFor = (n) => (quick ? (n >= 10_000 ? 0 : n >= 1000 ? 3 : 5) : n >= 10_000 ? 1 : n >= 1000 ? 9 : 21);
const sizes = [100, 1000, 10_000].filter((n) => runsFor(n) > 0);

const rows = [];
const row = (section, name, ms, extra = {}) => {
  rows.push({ section, name, ms: Number(ms.toFixed(2)), ...extra });
  const ratio = extra.ratio !== undefined ? `  ${extra.ratio.toFixed(2)}×${extra.of ? ` ${extra.of}` : ''}` : '';
  console.log(`${section.padEnd(14)} ${name.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms${ratio}`);
};

// yaml-language-server's validation, configured with our schema, the way an editor runs it.
const { getLanguageService } = require('yaml-language-server');
const { TextDocument } = require('vscode-languageserver-textdocument');
const schema = JSON.parse(readFileSync(join(root, 'schemas/architecture.schema.json'), 'utf8'));
const schemaUri = 'file:///archlint/architecture.schema.json';
const yamlService = getLanguageService({
  schemaRequestService: async (uri) => (uri === schemaUri ? JSON.stringify(schema) : ''),
  workspaceContext: { resolveRelativePath: (path, resource) => new URL(path, resource).href },
});
yamlService.configure({
  validate: true,
  completion: false,
  hover: false,
  schemas: [{ uri: schemaUri, fileMatch: ['*.arch.yaml'], schema }],
});

{
  // The schema must be in force, or the comparison is with a bare YAML parse.
  const probe = await yamlService.doValidation(
    TextDocument.create(
      'file:///bench/probe.arch.yaml',
      'yaml',
      1,
      'archlint: 1\ncomponents:\n  a: { kind: servce, replicas: many }\n',
    ),
    false,
  );
  if (probe.length < 2)
    throw new Error(`yaml-language-server did not apply the schema (${probe.length} diagnostics on an invalid file)`);
}
console.log(
  `Archlint bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}${quick ? ' (quick)' : ''}\n`,
);
for (const n of sizes) {
  const text = generateArchitecture(n);
  const runs = runsFor(n);
  const section = `${n} comps`;
  const kb = `${(text.length / 1024).toFixed(0)} KB`;
  const warm = n < 10_000; // 10,000 components: one run each, or the bench would not finish in five minutes
  const withYls = n <= 1000 || !quick;

  // An edit inside one component in the middle of the file: a digit of its `replicas` changed.
  const at = text.indexOf('    replicas: ', Math.floor(text.length / 2)) + '    replicas: '.length;
  const edited = text.slice(0, at) + '7' + text.slice(at + 1);

  // A new version each run: the service caches the parsed YAML per document version.
  let version = 0;
  const validate = (t) =>
    yamlService.doValidation(TextDocument.create('file:///bench/generated.arch.yaml', 'yaml', ++version, t), false);
  const diagnostics = withYls ? (await validate(text)).length : 0;

  // What a ratio compares is timed in alternating blocks — three runs of one, three of the next,
  // and again — so a change in the machine's speed during the run (a shared VM's neighbours,
  // frequency) hits both sides, while each run still follows its own kind (the first of a block,
  // which would pay for the previous block's garbage, is not counted).
  const times = { parse: [], own: [], lint: [], relint: [], incremental: [], yls: [] };
  const BLOCK = warm ? 3 : 1;
  const block = (name, fn) => {
    for (let b = 0; b < BLOCK; b++) {
      const start = performance.now();
      fn();
      if (b > 0 || !warm) times[name].push(performance.now() - start);
    }
  };
  let incrementalHits = 0;
  let incrementalRuns = 0;
  const blocks = warm ? Math.max(2, Math.ceil(runs / 2)) : 1;
  for (let r = 0; r < blocks; r++) {
    block('parse', () => parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true }));
    block('own', () => engine.parseArchitectureText(text));
    block('lint', () => engine.lint(text).availability);
    block('relint', () => engine.lint(edited).availability);
    // The incremental path, as an editor drives it: the analysis host holds the text before the
    // edit, linted (untimed); the edit is applied and the new version linted.
    for (let b = 0; b < BLOCK; b++) {
      const host = new engine.AnalysisHost();
      host.apply({ uri: 'bench.arch.yaml', version: 1, text });
      void host.snapshot().lint('bench.arch.yaml').availability;
      const start = performance.now();
      host.apply({ uri: 'bench.arch.yaml', version: 2, text: edited });
      const after = host.snapshot().lint('bench.arch.yaml');
      void after.availability;
      if (b > 0 || !warm) {
        times.incremental.push(performance.now() - start);
        incrementalRuns++;
        if (after.parse === 'component') incrementalHits++;
      }
    }
    if (withYls) {
      for (let b = 0; b < BLOCK; b++) {
        const start = performance.now();
        await validate(text);
        if (b > 0 || !warm) times.yls.push(performance.now() - start);
      }
    }
  }
  const parse = median(times.parse);
  const own = median(times.own);
  const lintMs = median(times.lint);
  const relint = median(times.relint);
  const incremental = median(times.incremental);
  row(section, `yaml.parseDocument (the floor), ${kb}`, parse);
  row(section, "Archlint's parse (its fast path, yaml's own Document)", own, { ratio: own / parse, of: 'parse' });
  row(section, 'full lint (parse + schema + rules + availability)', lintMs, { ratio: lintMs / parse, of: 'parse' });
  row(section, 'full re-lint after an edit inside one component', relint);
  row(section, `incremental re-lint of that edit (${incrementalHits}/${incrementalRuns} took the path)`, incremental, {
    ratio: incremental / relint,
    of: 'full',
  });
  if (withYls) {
    const yls = median(times.yls);
    row(section, `yaml-language-server doValidation (${diagnostics} diagnostics)`, yls, { ratio: yls / lintMs, of: 'lint' });
  }
}

/**
 * A source's full lint against the parse of the same text, timed in alternating blocks of three
 * (the first of each block not counted), `runs` blocks each: two rows, the second with its ratio.
 */
function sourceRows(section, floor, lintLabel, parseFn, lintFn, runs) {
  const times = { parse: [], lint: [] };
  for (let r = 0; r < runs; r++) {
    for (const [name, fn] of [
      ['parse', parseFn],
      ['lint', lintFn],
    ]) {
      for (let b = 0; b < 3; b++) {
        const start = performance.now();
        fn();
        if (b > 0) times[name].push(performance.now() - start);
      }
    }
  }
  const parse = median(times.parse);
  const lintMs = median(times.lint);
  row(section, floor, parse);
  row(section, lintLabel, lintMs, { ratio: lintMs / parse, of: 'parse' });
}

const YAML_PARSE = { uniqueKeys: true, prettyErrors: false, strict: true };

// A Compose project of 500 services (two files): the full lint (read, merge, model, rules,
// availability) against yaml.parseDocument of the same two files, in alternating blocks.
{
  const { base, override } = generateCompose(500);
  const files = [
    { file: '/bench/compose.yaml', text: base },
    { file: '/bench/compose.override.yaml', text: override },
  ];
  const findings = engine.lintCompose({ files }).findings.length;
  sourceRows(
    'compose 500',
    `yaml.parseDocument of its two files (the floor), ${((base.length + override.length) / 1024).toFixed(0)} KB`,
    `full lint (read, merge, model, rules, availability; ${findings} findings)`,
    () => files.forEach((f) => parseDocument(f.text, YAML_PARSE)),
    () => engine.lintCompose({ files }).availability,
    quick ? 3 : 9,
  );
}

// Kubernetes: a `helm template`-style stream of 1,000 workloads with their Services, HPAs and
// Ingresses, the full lint against yaml.parseAllDocuments of the same text, in alternating blocks.
{
  const { parseAllDocuments } = require('yaml');
  const text = generateManifests(1000);
  const files = [{ file: '/bench/platform.yaml', text }];
  const findings = engine.lintKubernetes({ files }).findings.length;
  sourceRows(
    'k8s 1000',
    `yaml.parseAllDocuments of the stream (the floor), ${(text.length / 1024).toFixed(0)} KB`,
    `full lint (read, model, rules, availability; ${findings} findings)`,
    () => parseAllDocuments(text, YAML_PARSE),
    () => engine.lintKubernetes({ files }).availability,
    quick ? 3 : 7,
  );
}

// A keystroke in one manifest of a folder of 40 (each a shop as helm template prints it, 215 KB):
// the editor re-lints the folder; with the files it read last time kept (the host's cache), only
// the edited one is parsed again. Alternating blocks, each lint after an edit to the first file.
{
  const shop = readFileSync(join(root, 'test/sources/kubernetes/shop.yaml'), 'utf8');
  const names = /\b(frontend|checkout|payments|redis|postgres|shop)\b/g;
  const files = Array.from({ length: 40 }, (_, i) => ({ file: `/bench/k8s/f${i}.yaml`, text: shop.replace(names, `$1-${i}`) }));
  const cache = new Map();
  let edits = 0;
  const keystroke = (withCache) => {
    files[0] = { ...files[0], text: `${files[0].text}# ${edits++}\n` };
    return engine.lintKubernetes({ files, ...(withCache && { cache }) }).availability;
  };
  const times = { fresh: [], cached: [] };
  for (let r = 0; r < (quick ? 3 : 9); r++)
    for (const name of ['fresh', 'cached'])
      for (let b = 0; b < 3; b++) {
        const start = performance.now();
        keystroke(name === 'cached');
        if (b > 0) times[name].push(performance.now() - start);
      }
  const fresh = median(times.fresh);
  row('k8s folder', '40 files, one edited: every file parsed again', fresh);
  row('k8s folder', "40 files, one edited: the others' reads kept (the editor)", median(times.cached), {
    ratio: median(times.cached) / fresh,
    of: 'parsed again',
  });
}

// Availability alone: 1000 components whose services share 50 any-of groups.
{
  const text = generateArchitecture(1000, { anyOfGroups: 50 });
  const result = engine.lint(text);
  const ms = time(() => engine.computeAvailability(result.model, result.graph), quick ? 3 : 9);
  const groups = new Set(
    [...result.model.components.values()].flatMap((c) =>
      c.dependsOn.filter((d) => d.type === 'any-of').map((d) => d.members.map((m) => m.id).join('|')),
    ),
  ).size;
  row('availability', `1000 comps, ${groups} shared any-of groups, ${result.graph.entryPoints.length} entry points`, ms);
}

// `archlint lint` of 10,000 components as a user runs it: a CLI process, its wall time (node's
// start-up, parse, rules, availability, the stylish report) and its peak RSS, which the
// in-process rows cannot show (the audit measured 4.8–6.5 s and 200–570 MB). Not in --quick.
if (!quick) {
  const n = 10_000;
  const text = generateArchitecture(n);
  const file = join(cache, `bench-generated-${n}.arch.yaml`);
  writeFileSync(file, text);
  // Loaded before the CLI: on exit, the process's own peak RSS (kB) into a file (stderr is the CLI's).
  const probe = join(cache, 'bench-peak-rss.cjs');
  const rssFile = join(cache, 'bench-peak-rss.txt');
  writeFileSync(
    probe,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const walls = [];
  const peaks = [];
  for (let r = 0; r < 3; r++) {
    writeFileSync(rssFile, '');
    const start = performance.now();
    try {
      execFileSync(process.execPath, ['--require', probe, join(root, 'bin/archlint.js'), 'lint', file], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      if (error.status !== 1) throw error; // 1: the file has findings, as generated files do
    }
    walls.push(performance.now() - start);
    const peakKb = Number(readFileSync(rssFile, 'utf8'));
    if (!(peakKb > 0)) throw new Error('archlint lint exited without reporting its peak RSS');
    peaks.push(peakKb / 1024);
  }
  const peakRssMb = Math.round(median(peaks));
  const kb = `${(text.length / 1024).toFixed(0)} KB`;
  row('CLI process', `archlint lint, ${n} components (${kb}), median of 3`, median(walls), { peakRssMb });
  console.log(`${'CLI process'.padEnd(14)} ${'  its peak RSS (median of 3)'.padEnd(58)} ${String(peakRssMb).padStart(9)} MB`);
}

// Cold loads: a fresh process per sample, timing only the `require` of the bundle.
{
  const stub = join(cache, 'vscode-stub.cjs');
  // `vscode` is the host's: any property is a no-op stand-in, so only the bundle's own load is measured.
  writeFileSync(
    stub,
    `const any = new Proxy(function () {}, { get: (t, k) => (k === Symbol.toPrimitive ? () => '' : any), getPrototypeOf: () => any, apply: () => any, construct: () => any });\nmodule.exports = any;\n`,
  );
  const loader = (file, argv) => `
    const Module = require('module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      return request === 'vscode' ? ${JSON.stringify(stub)} : resolve.call(this, request, ...rest);
    };
    process.argv = [process.argv[0], 'archlint', ...${JSON.stringify(argv)}];
    const { performance } = require('perf_hooks');
    const start = performance.now();
    require(${JSON.stringify(file)});
    const ms = performance.now() - start;
    process.on('exit', () => require('fs').writeSync(1, '\\nLOAD_MS=' + ms + '\\n'));
  `;
  const coldLoad = (file, argv) => {
    const samples = [];
    for (let r = 0; r < (quick ? 3 : 9); r++) {
      const out = execFileSync(process.execPath, ['-e', loader(file, argv)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      samples.push(Number(/LOAD_MS=([\d.]+)/.exec(out)?.[1] ?? NaN));
    }
    return median(samples);
  };
  row('cold load', 'dist/extension.js (require, vscode stubbed)', coldLoad(join(root, 'dist/extension.js'), []));
  row(
    'cold load',
    'dist/client.js (the language client, loaded on the first architecture file)',
    coldLoad(join(root, 'dist/client.js'), []),
  );
  row('cold load', 'dist/cli.js (require, `--version`)', coldLoad(join(root, 'dist/cli.js'), ['--version']));
}

// A CLI run as a commit hook or a CI step makes one: a whole process, `archlint lint` of one
// small file (bin/archlint.js, as npx runs it), against `node -e 0` on the same machine. Both
// are timed as processes, in alternating blocks (the first of each block not counted).
{
  const processes = {
    node: ['-e', '0'],
    lint: [join(root, 'bin/archlint.js'), 'lint', join(root, 'samples/shop.arch.yaml')],
  };
  const times = { node: [], lint: [] };
  const BLOCK = 3;
  for (let r = 0; r < (quick ? 5 : 15); r++) {
    for (const [name, args] of Object.entries(processes)) {
      for (let b = 0; b < BLOCK; b++) {
        const start = performance.now();
        const run = spawnSync(process.execPath, args, { cwd: root });
        const ms = performance.now() - start;
        // shop.arch.yaml has one error: exit 1 is the lint working, anything else is not.
        if (run.status !== (name === 'lint' ? 1 : 0)) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
        if (b > 0) times[name].push(ms);
      }
    }
  }
  const floor = median(times.node);
  row('process', '`node -e 0` (the floor of any Node CLI)', floor);
  row('process', '`archlint lint` of one small file, the whole process', median(times.lint), {
    ratio: median(times.lint) / floor,
    of: 'node -e 0',
  });
}

// ELK layout, the webview's options, in Node: bench/layout.mjs in a child process. `tangle` is
// the audit's D4 file (100 components, 400 any-of junctions), which full mode took a minute over.
{
  const out = execFileSync(process.execPath, [join(root, 'bench/layout.mjs'), '50', '200', '1000', 'tangle'], {
    encoding: 'utf8',
  });
  for (const line of out.split('\n').slice(1)) {
    const [n, nodes, edges, ms, , runs, mode] = line.trim().split(/\s+/);
    if (!n || Number.isNaN(Number(ms))) continue;
    row('ELK layout', `${n} components: ${nodes} nodes, ${edges} edges (${mode} mode, median of ${runs})`, Number(ms));
  }
}

// Keystroke to diagnostics through `archlint lsp` (bench/lsp.mjs): a `didChange` inside one component
// to the `publishDiagnostics` for that version, typing pause 0, against a full lint of the same text.
{
  const out = execFileSync(process.execPath, [join(root, 'bench/lsp.mjs'), ...(quick ? ['1000'] : ['1000', '10000'])], {
    encoding: 'utf8',
  });
  for (const line of out.split('\n').slice(1)) {
    const [n, kind, ms, p90, cpu, full, runs] = line
      .trim()
      .split(/\s+/)
      .map((x, i) => (i === 1 ? x : Number(x)));
    if (!n || Number.isNaN(ms)) continue;
    const what = kind === 'type' ? 'a digit typed or deleted' : 'a digit overtyped';
    row('LSP', `keystroke → publishDiagnostics, ${n} components, ${what} (p90 ${p90.toFixed(0)} ms, ${runs} edits)`, ms, {
      ratio: ms / full,
      of: 'full lint',
      fullLintMs: full,
    });
    row('LSP', `  the server's CPU time per keystroke`, cpu);
  }
}

// `archlint diagram` as a user runs it: a fresh process reads, lints, lays out (ELK in its thread,
// or the simplest layout past ELK's limits) and writes the SVG. Peak memory is the process's
// maximum resident set (worker thread included), read from `process.resourceUsage()` at exit.
{
  const probe = join(cache, 'bench-maxrss.cjs');
  writeFileSync(
    probe,
    "process.on('exit', () => require('fs').writeSync(2, '\\nMAXRSS_KB=' + process.resourceUsage().maxRSS + '\\n'));\n",
  );
  for (const n of quick ? [1000] : [1000, 10_000]) {
    const file = join(cache, `bench-diagram-${n}.arch.yaml`);
    writeFileSync(file, generateArchitecture(n));
    const samples = [];
    let mode = '';
    for (let r = 0; r < 3; r++) {
      const start = performance.now();
      const run = spawnSync(
        process.execPath,
        ['-r', probe, join(root, 'bin/archlint.js'), 'diagram', file, '-o', `${file}.svg`],
        {
          encoding: 'utf8',
        },
      );
      const ms = performance.now() - start;
      if (run.status !== 0) throw new Error(`archlint diagram exited ${run.status}: ${run.stderr}`);
      samples.push({ ms, peakMB: Number(/MAXRSS_KB=(\d+)/.exec(run.stderr)?.[1]) / 1024 });
      mode = /did not finish/.test(run.stderr)
        ? 'ELK ran out of time: simplest layout'
        : /Simplest layout/.test(run.stderr)
          ? 'simplest layout, past ELK’s limits'
          : 'ELK';
    }
    const ms = median(samples.map((x) => x.ms));
    const peakMB = median(samples.map((x) => x.peakMB));
    row('diagram', `archlint diagram, ${n} components (${mode}), peak ${peakMB.toFixed(0)} MB, median of 3`, ms, {
      peakMB: Number(peakMB.toFixed(0)),
    });
  }
}

// The extension host's CPU per edit, as the e2e suite measured it in code-server (bench/editor.mjs).
{
  const editor = editorRows(readFigures(figuresFileOf(root)), editorRun);
  for (const line of editor.lines) console.log(line);
  rows.push(...editor.rows);
  if (editor.failed) process.exitCode = 1;
}

// The issue's targets, from this run's rows (ratios within one run; absolute times are the machine's).
const find = (section, start) => rows.find((r) => r.section === section && r.name.startsWith(start));
const targets = [];
{
  const parse = find('1000 comps', 'yaml.parseDocument');
  const full = find('1000 comps', 'full lint');
  const relint = find('1000 comps', 'full re-lint');
  const incremental = find('1000 comps', 'incremental re-lint');
  const yls = find('1000 comps', 'yaml-language-server');
  const cold = find('cold load', 'dist/extension.js');
  const cliProcess = find('process', '`archlint lint`');
  const keystroke = (n) => find('LSP', `keystroke → publishDiagnostics, ${n} components, a digit typed`);
  const target = (name, value, limit, met) => targets.push({ name, value: Number(value.toFixed(3)), limit, met });
  if (parse && full)
    target('full lint / parseDocument at 1000 components', full.ms / parse.ms, '≤ 1.1', full.ms / parse.ms <= 1.1);
  if (relint && incremental)
    target(
      'incremental / full re-lint at 1000 components',
      incremental.ms / relint.ms,
      '≤ 0.2',
      incremental.ms / relint.ms <= 0.2,
    );
  if (yls && full) target('yaml-language-server / full lint at 1000 components', yls.ms / full.ms, '≥ 2', yls.ms / full.ms >= 2);
  if (cold) target('dist/extension.js cold load, ms', cold.ms, '≤ 20', cold.ms <= 20);
  if (cliProcess) target('archlint lint process / node -e 0', cliProcess.ratio, '≤ 1.5', cliProcess.ratio <= 1.5);
  for (const [n, limit] of [
    [1000, 16],
    [10_000, 60],
  ]) {
    const k = keystroke(n);
    if (k) target(`keystroke → diagnostics (server) at ${n} components, ms`, k.ms, `≤ ${limit}`, k.ms <= limit);
  }
  console.log('\ntargets (issues 7, 12 and 16)');
  for (const t of targets)
    console.log(`  ${t.met ? 'met    ' : 'NOT MET'}  ${t.name.padEnd(52)} ${String(t.value).padStart(8)}  (${t.limit})`);
}

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  quick,
  rows,
  targets,
};
writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote bench/results.json (${pathToFileURL(join(root, 'bench/results.json')).pathname})`);
