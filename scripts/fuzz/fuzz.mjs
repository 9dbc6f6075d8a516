#!/usr/bin/env node
// Hostile input as a standing test: runs the real CLI (`lint` in every format, `--fix`,
// `availability`, `diagram`) over random and hostile files, and over file-system traps, for a
// bounded time. Fails (exit 1) on a stack trace, a run past its time budget, an exit code that is
// not 0/1 (2 only for usage and I/O), an output that does not parse (JSON, SARIF against its
// schema, SVG as XML, GitHub workflow commands), terminal escapes printed raw, or a byte that
// `--fix` changed without a fix meaning to. Every failure is written to a folder with its input
// and the command that reproduces it. See docs/reliability.md.
import { Buffer } from 'node:buffer';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import { isMap, isScalar, parseDocument } from 'yaml';
import { generators, loadCorpus, makeCase } from './cases.mjs';
import {
  applyFixPass,
  crashProblem,
  firstDifference,
  githubProblem,
  isBroken,
  isUtf8,
  lineEndingProblem,
  lostComments,
  parseXml,
  terminalProblem,
} from './oracles.mjs';
import { ROOT, runCli, shellCommand } from './run.mjs';
import { SCENARIOS } from './scenarios.mjs';

const HELP = `Usage: npm run fuzz -- [options]      (or node scripts/fuzz/fuzz.mjs after npm run build)

Runs the CLI over random and hostile files until the time is up; exit 1 when anything failed,
with each failure's input, command and output under the output folder.

Options:
  --seconds N        total time budget (default 180); the run ends after the batch in progress
  --timeout N        seconds one CLI process may take before it counts as a hang (default 30)
  --seed N           the seed (default: random; printed, so any run can be repeated)
  --case N           only case N of the seed (what a failure report names), with no scenarios
  --generators a,b   only these generators (default: all, by weight)
  --batch N          files per lint run (default 8)
  --no-scenarios     skip the file-system scenarios (run once, first)
  --scenarios-only   only the file-system scenarios
  --max-saved N      failures saved per class (default 3; more are only counted)
  --out DIR          where failures go (default test-output/fuzz)
  -h, --help         this help
`;

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '180' },
    seed: { type: 'string' },
    timeout: { type: 'string', default: '30' },
    out: { type: 'string', default: join(ROOT, 'test-output', 'fuzz') },
    batch: { type: 'string', default: '8' },
    generators: { type: 'string' },
    case: { type: 'string' },
    'no-scenarios': { type: 'boolean', default: false },
    'scenarios-only': { type: 'boolean', default: false },
    'max-saved': { type: 'string', default: '3' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

/** A whole number option, or exit 2 saying which option is wrong. */
function count(name, min) {
  const value = Number(opts[name]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`fuzz: --${name} expects a whole number of at least ${min}, got "${opts[name]}"`);
    process.exit(2);
  }
  return value;
}

const seed = opts.seed !== undefined ? count('seed', 0) >>> 0 : Math.floor(Math.random() * 2 ** 32);
const budgetMs = count('seconds', 1) * 1000;
/** The time one CLI process may take before it counts as a hang. */
const timeoutMs = count('timeout', 1) * 1000;
const batchSize = count('batch', 1);
const maxSaved = count('max-saved', 1);
const caseIndex = opts.case !== undefined ? count('case', 0) : undefined;
const corpus = loadCorpus();
const gens = generators(corpus);
const only = opts.generators?.split(',');
for (const g of only ?? []) {
  if (!gens[g]) {
    console.error(`fuzz: unknown generator "${g}"; the generators are ${Object.keys(gens).join(', ')}`);
    process.exit(2);
  }
}

if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
  console.error('fuzz: dist/cli.js is missing: run `npm run build` first (`npm run fuzz` does)');
  process.exit(2);
}

const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const runDir = join(opts.out, `${new Date().toISOString().replace(/[:.]/g, '-')}-seed-${seed}`);
const work = mkdtempSync(join(tmpdir(), 'archlint-fuzz-'));
// The file-system scenarios act as `nobody` when this runs as root: it must reach their folders.
chmodSync(work, 0o755);
console.log(
  `fuzz: seed ${seed}, ${opts.seconds} s, ${opts.timeout} s per run, corpus of ${corpus.length} files; failures go to ${relative(process.cwd(), runDir) || runDir}`,
);

// ---------------------------------------------------------------------------------------------
// Figures and failures

const stats = {
  cases: 0,
  runs: 0,
  runMs: 0,
  slowest: { ms: 0, what: '' },
  byGenerator: {},
  scenarios: 0,
  fixedFiles: 0,
  fixPasses: 0,
};
/** Failure classes (oracle and command), in the order found. */
const classes = new Map();

/**
 * Records a failure: its class (`kind:command`), what broke, and what reproduces it (input files
 * and the shell lines that run the CLI on them), saved under the run's folder.
 */
function fail(kind, command, message, repro) {
  const cls = `${kind}:${command}`;
  let entry = classes.get(cls);
  if (!entry) {
    entry = { count: 0, firstAt: elapsed(), firstCase: repro.label, saved: [] };
    classes.set(cls, entry);
    console.log(`  FAIL ${cls} (${entry.firstAt.toFixed(1)} s, ${repro.label}): ${message.slice(0, 300)}`);
  }
  entry.count++;
  if (entry.saved.length >= maxSaved) return;
  const dir = join(runDir, `${String(classes.size).padStart(2, '0')}-${cls.replace(/[^\w-]+/g, '_')}-${entry.saved.length + 1}`);
  mkdirSync(dir, { recursive: true });
  for (const f of repro.files ?? []) writeFileSync(join(dir, f.name), f.bytes);
  const script = [
    '#!/bin/bash',
    `# ${cls}: ${message.replace(/\n/g, ' ').slice(0, 500)}`,
    `# seed ${seed}, ${repro.label}`,
    'cd "$(dirname "$0")"',
  ];
  if (repro.setup) script.push(repro.setup);
  script.push(...repro.commands);
  writeFileSync(join(dir, 'command.sh'), `${script.join('\n')}\n`, { mode: 0o755 });
  const detail = repro.run
    ? `\nexit ${repro.run.code}${repro.run.signal ? ` (${repro.run.signal})` : ''}, ${Math.round(repro.run.ms)} ms\n--- stdout (first 4 KB)\n${repro.run.stdout.subarray(0, 4096).toString('utf8')}\n--- stderr (first 4 KB)\n${repro.run.stderr.slice(0, 4096)}\n`
    : '';
  writeFileSync(
    join(dir, 'report.txt'),
    `${cls}\n${message}\nseed ${seed}, ${repro.label}${repro.note ? `: ${repro.note}` : ''}\n` +
      (repro.caseIndex !== undefined
        ? `the same input again: npm run fuzz -- --seed ${seed} --case ${repro.caseIndex}${only ? ` --generators ${only.join(',')}` : ''}\n`
        : '') +
      detail,
  );
  entry.saved.push(relative(process.cwd(), dir));
}

/** Counts a finished run in the figures. */
function account(run, what) {
  stats.runs++;
  stats.runMs += run.ms;
  if (run.ms > stats.slowest.ms) stats.slowest = { ms: run.ms, what };
}

/** A crash, a hang or an exit code outside `allowed`, as `[kind, message]`; `undefined` when the run ended normally. */
function abnormal(run, allowed) {
  if (run.spawnError) throw new Error(`cannot start the CLI: ${run.stderr}`);
  if (run.timedOut) return ['timeout', `ran past its budget of ${run.timeoutMs / 1000} s (killed)`];
  if (run.overflow) return ['runaway-output', 'wrote more than 64 MB (killed)'];
  if (run.signal) return ['crash', `killed by ${run.signal}`];
  const crash = crashProblem(run.stderr);
  if (crash) return [`crash (${crash.sign})`, `${crash.sign} on standard error: ${crash.excerpt}`];
  if (!allowed.includes(run.code))
    return ['exit-code', `exit ${run.code} (expected ${allowed.join(' or ')}): ${run.stderr.slice(0, 300)}`];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Runs over a batch of case files

/** A case's file name in its batch folder, and the fix folder. */
const fileOf = (c) => `case-${c.index}.arch.yaml`;
/** The share of unreadable files (YAML errors) that `availability` and `diagram` still run on. */
const UNREADABLE_SAMPLE = 0.2;

/**
 * Runs one command over several case files at once (what `lint` allows); when anything is wrong,
 * runs it again on each file alone so the failure names its input. `check(run, cases)` returns
 * problems as `{ case?, kind, message }` and may keep what it parsed on the cases.
 */
async function batchRun(command, argsFor, cases, dir, allowed, check) {
  if (deadlinePassed()) return;
  const run = await runCli(argsFor(cases.map(fileOf)), { cwd: dir, timeoutMs });
  account(run, `${command} over ${cases.length} files`);
  const bad = abnormal(run, allowed);
  const problems = bad ? [{ kind: bad[0], message: bad[1] }] : check(run, cases);
  if (problems.length === 0) return;
  if (cases.length === 1 || problems.every((p) => p.case)) {
    for (const p of problems)
      fail(p.kind, command, p.message, caseRepro(p.case ?? cases[0], argsFor([fileOf(p.case ?? cases[0])]), run));
    return;
  }
  // Finding which file did it costs a run per file: only for a class not seen yet.
  if (problems.every((p) => classes.has(`${p.kind}:${command}`))) {
    for (const p of problems) classes.get(`${p.kind}:${command}`).count++;
    return;
  }
  let attributed = false;
  for (const c of cases) {
    if (deadlinePassed()) return;
    const single = await runCli(argsFor([fileOf(c)]), { cwd: dir, timeoutMs });
    account(single, `${command} ${c.generator}`);
    const singleBad = abnormal(single, allowed);
    const singleProblems = singleBad ? [{ kind: singleBad[0], message: singleBad[1] }] : check(single, [c]);
    for (const p of singleProblems) {
      attributed = true;
      fail(p.kind, command, p.message, caseRepro(c, argsFor([fileOf(c)]), single));
    }
  }
  if (!attributed) {
    for (const p of problems) {
      fail(p.kind, command, `${p.message} (only when run over ${cases.length} files together)`, {
        label: `cases ${cases.map((c) => c.index).join(',')}`,
        files: cases.map((c) => ({ name: fileOf(c), bytes: c.bytes })),
        commands: [shellCommand(argsFor(cases.map(fileOf)))],
        run,
      });
    }
  }
}

/** What reproduces a failure on one case: its file and the command. */
function caseRepro(c, args, run) {
  return {
    caseIndex: typeof c.index === 'number' ? c.index : undefined,
    label: `case ${c.index} (${c.generator})`,
    note: c.note,
    files: [{ name: fileOf(c), bytes: c.bytes }],
    commands: [shellCommand(args)],
    run,
  };
}

/** The text of a case as the CLI reads it (UTF-8, a byte-order mark set aside). */
function decoded(bytes) {
  const raw = bytes.toString('utf8');
  return raw.startsWith('\ufeff') ? { bom: '\ufeff', text: raw.slice(1) } : { bom: '', text: raw };
}

/** Line starts as the engine counts them (`\n`, `\r\n` and a lone `\r` break a line). */
function lineCount(text) {
  return (text.match(/\r\n|\r|\n/g) ?? []).length + 1;
}

const splitsPair = (text, offset) => /[\ud800-\udbff]/.test(text[offset - 1] ?? '') && /[\udc00-\udfff]/.test(text[offset] ?? '');

/** Problems with one file's ESLint-shaped result: positions, fixes, messages that report a crash. */
function eslintResultProblems(c, result) {
  const problems = [];
  const { text } = decoded(c.bytes);
  const lines = lineCount(text);
  for (const m of [...result.messages, ...result.suppressedMessages]) {
    const where = `${m.ruleId} at ${m.line}:${m.column}`;
    if (typeof m.message !== 'string' || m.message === '')
      problems.push({ case: c, kind: 'invalid-json', message: `${where}: an empty message` });
    if (!(
      m.line >= 1 &&
      m.column >= 1 &&
      m.line <= lines &&
      (m.endLine > m.line || (m.endLine === m.line && m.endColumn >= m.column)) &&
      m.endLine <= lines
    ))
      problems.push({
        case: c,
        kind: 'invalid-range',
        message: `${where}: range ${m.line}:${m.column}-${m.endLine}:${m.endColumn} in a file of ${lines} lines`,
      });
    const crash = crashProblem(m.message);
    if (crash)
      problems.push({ case: c, kind: `finding-reports-crash (${m.ruleId})`, message: `${where}: ${m.message.slice(0, 200)}` });
    for (const fix of [m.fix, ...(m.suggestions ?? []).map((s) => s.fix)].filter(Boolean)) {
      const [s, e] = fix.range;
      if (!(Number.isInteger(s) && Number.isInteger(e) && s >= 0 && s <= e && e <= text.length))
        problems.push({
          case: c,
          kind: 'invalid-fix-range',
          message: `${where}: fix range [${s}, ${e}] in a text of ${text.length}`,
        });
      else if (splitsPair(text, s) || splitsPair(text, e) || (text[s - 1] === '\r' && text[s] === '\n'))
        problems.push({
          case: c,
          kind: 'invalid-fix-range',
          message: `${where}: fix range [${s}, ${e}] splits a character or a CRLF`,
        });
    }
  }
  return problems;
}

/** `lint --format json`: an array with one result per file, valid positions; exit 1 exactly when there are errors. */
function checkLintJson(run, cases, dir) {
  let results;
  try {
    results = JSON.parse(run.stdout.toString('utf8'));
  } catch (error) {
    return [{ kind: 'invalid-json', message: `the output is not JSON: ${error.message}` }];
  }
  if (!Array.isArray(results) || results.length !== cases.length)
    return [{ kind: 'invalid-json', message: `expected ${cases.length} results, got ${results?.length}` }];
  const problems = [];
  for (const c of cases) {
    const result = results.find((r) => r.filePath === join(dir, fileOf(c)));
    if (!result) {
      problems.push({ case: c, kind: 'invalid-json', message: `no result for ${fileOf(c)}` });
      continue;
    }
    problems.push(...eslintResultProblems(c, result));
    const said = [...result.messages.map((m) => m.message), run.stderr].join('\n');
    if (!isUtf8(c.bytes) && !/utf-?8|encod|unicode|invalid byte/i.test(said))
      problems.push({
        case: c,
        kind: 'silent-invalid-utf8',
        message: 'a file that is not UTF-8 was linted without a word about its encoding',
      });
    c.lintJson ??= result;
  }
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  if ((run.code === 1) !== errors > 0) problems.push({ kind: 'exit-code', message: `exit ${run.code} with ${errors} errors` });
  return problems;
}

let sarifValidator;
/** The official SARIF 2.1.0 schema (the one the tests use), compiled once; a shape check when it is not installed. */
function validateSarif(log) {
  const schemaPath = join(ROOT, 'node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json');
  if (sarifValidator === undefined) {
    if (existsSync(schemaPath)) {
      const ajv = new Ajv2020({ strict: false, allErrors: false });
      const parses = (s, base) => {
        try {
          new URL(s, base);
          return true;
        } catch {
          return false;
        }
      };
      ajv.addFormat('uri', (s) => parses(s));
      ajv.addFormat('uri-reference', (s) => parses(s, 'file:///') && !/\s/.test(s));
      ajv.addFormat('date-time', (s) => !Number.isNaN(Date.parse(s)));
      ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
      sarifValidator = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    } else {
      sarifValidator = (l) => l?.version === '2.1.0' && Array.isArray(l.runs) && l.runs.every((r) => Array.isArray(r.results));
    }
  }
  if (sarifValidator(log)) return undefined;
  return JSON.stringify(sarifValidator.errors?.slice(0, 3) ?? 'not SARIF 2.1.0');
}

/** `lint --format sarif`: valid against the schema, one result per finding and silenced finding. */
function checkSarif(run, cases) {
  let log;
  try {
    log = JSON.parse(run.stdout.toString('utf8'));
  } catch (error) {
    return [{ kind: 'invalid-sarif', message: `the output is not JSON: ${error.message}` }];
  }
  const invalid = validateSarif(log);
  if (invalid) return [{ kind: 'invalid-sarif', message: invalid }];
  if (cases.every((c) => c.lintJson)) {
    const expected = cases.reduce((n, c) => n + c.lintJson.messages.length + c.lintJson.suppressedMessages.length, 0);
    const got = log.runs.reduce((n, r) => n + r.results.length, 0);
    if (got !== expected) return [{ kind: 'invalid-sarif', message: `${got} results where the JSON format reports ${expected}` }];
  }
  return [];
}

/**
 * What a terminal shows must carry no escape sequence or bidi control from the file. Over several
 * files, the stylish report's file headers say which file a problem is in (no run per file needed).
 */
function checkTerminal(run, cases = []) {
  const out = run.stdout.toString('utf8');
  const problem = terminalProblem(out) ?? terminalProblem(run.stderr);
  if (!problem) return [];
  if (cases.length <= 1 || terminalProblem(run.stderr)) return [{ kind: 'terminal-unsafe', message: problem }];
  const problems = [];
  let current;
  let section = '';
  const flush = () => {
    const p = current && terminalProblem(section);
    if (p) problems.push({ case: current, kind: 'terminal-unsafe', message: p });
  };
  for (const line of out.split('\n')) {
    const header = cases.find((c) => line === fileOf(c));
    if (header) {
      flush();
      current = header;
      section = '';
    } else section += `${line}\n`;
  }
  flush();
  return problems.length > 0 ? problems : [{ kind: 'terminal-unsafe', message: problem }];
}

/** GitHub workflow commands, attributed to a file by their `file=` property. */
function checkGithub(run, cases) {
  const out = run.stdout.toString('utf8');
  if (!githubProblem(out)) return [];
  const problems = [];
  for (const c of cases) {
    const lines = out.split('\n').filter((l) => l.includes(`file=${fileOf(c)},`));
    const p = lines.length > 0 && githubProblem(`${lines.join('\n')}\n`);
    if (p) problems.push({ case: c, kind: 'invalid-github', message: p });
  }
  return problems.length > 0 ? problems : [{ kind: 'invalid-github', message: githubProblem(out) }];
}

/** `availability --format json`: every number in range, availability and unavailability summing to one. */
function checkAvailabilityJson(run) {
  if (run.code === 1)
    return run.stdout.length === 0 && run.stderr !== ''
      ? []
      : [{ kind: 'exit-code', message: 'exit 1 with output, or without a reason' }];
  let report;
  try {
    report = JSON.parse(run.stdout.toString('utf8'));
  } catch (error) {
    return [{ kind: 'invalid-json', message: `the output is not JSON: ${error.message}` }];
  }
  const problems = [];
  const inUnit = (x) => typeof x === 'number' && x >= 0 && x <= 1;
  for (const e of report.entries ?? []) {
    const bad = [];
    if (!inUnit(e.availability) || !inUnit(e.unavailability))
      bad.push(`availability ${e.availability}, unavailability ${e.unavailability}`);
    else if (Math.abs(e.availability + e.unavailability - 1) > 1e-9)
      bad.push(`availability + unavailability = ${e.availability + e.unavailability}`);
    if (e.nines !== null && !(Number.isFinite(e.nines) && e.nines >= 0)) bad.push(`nines ${e.nines}`);
    for (const [k, v] of Object.entries(e.downtime ?? {})) if (!(Number.isFinite(v) && v >= 0)) bad.push(`downtime.${k} ${v}`);
    for (const x of e.contributors ?? []) if (!Number.isFinite(x.gain)) bad.push(`gain of ${x.component} ${x.gain}`);
    if (bad.length > 0)
      problems.push({ kind: 'invalid-availability', message: `entry ${JSON.stringify(e.component)}: ${bad.join('; ')}` });
  }
  return problems;
}

/**
 * The ids a drawing may show, from the file itself: each component key as the file writes it
 * (its string value, or for a number or boolean its source). `undefined` when the file is not
 * clean YAML (the engine's reading is then the only authority).
 */
function declaredIds(c) {
  if (!isUtf8(c.bytes)) return undefined;
  let doc;
  try {
    doc = parseDocument(decoded(c.bytes).text, { uniqueKeys: true, strict: true });
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const components = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'components')?.value;
  if (!isMap(components)) return undefined;
  const ids = new Set();
  for (const pair of components.items) {
    if (!isScalar(pair.key)) continue;
    if (pair.key.value !== null) ids.add(String(pair.key.value));
    if (typeof pair.key.source === 'string') ids.add(pair.key.source);
  }
  return ids;
}

/**
 * `diagram` (SVG): well-formed XML with an `<svg>` root; every node's `data-id` reads back (after
 * XML's attribute normalisation) as its `<title>` and as a component of the file; every edge joins
 * drawn nodes.
 */
function checkSvg(run, [c]) {
  if (run.code === 1)
    return run.stdout.length === 0 && run.stderr !== ''
      ? []
      : [{ kind: 'exit-code', message: 'exit 1 with output, or without a reason' }];
  if (!isUtf8(run.stdout)) return [{ kind: 'invalid-svg', message: 'the SVG is not UTF-8' }];
  let elements;
  try {
    elements = parseXml(run.stdout.toString('utf8'));
  } catch (error) {
    return [{ kind: 'invalid-svg', message: `not well-formed XML: ${error.message}` }];
  }
  if (elements[0]?.name !== 'svg') return [{ kind: 'invalid-svg', message: `the root is <${elements[0]?.name}>` }];
  const problems = [];
  const drawn = new Set();
  const declared = declaredIds(c);
  elements.forEach((el, i) => {
    const id = el.attrs.get('data-id');
    if (id === undefined) return;
    drawn.add(id);
    const title = elements[i + 1]?.name === 'title' ? elements[i + 1].text : undefined;
    if (title !== undefined && title !== id)
      problems.push({
        kind: 'svg-id-mismatch',
        message: `data-id ${JSON.stringify(id)} reads differently from its title ${JSON.stringify(title)}`,
      });
    if (declared && !declared.has(id))
      problems.push({
        kind: 'svg-id-mismatch',
        message: `data-id ${JSON.stringify(id)} is no component key of the file (${JSON.stringify([...declared].slice(0, 8))})`,
      });
  });
  for (const el of elements) {
    for (const attr of ['data-from', 'data-to']) {
      const v = el.attrs.get(attr);
      // An edge into an any-of junction has no node at its end.
      const toJunction = attr === 'data-to' && v === '' && /\bany-of\b/.test(el.attrs.get('class') ?? '');
      if (v !== undefined && !toJunction && !drawn.has(v))
        problems.push({ kind: 'svg-id-mismatch', message: `${attr} ${JSON.stringify(v)} names no drawn node` });
    }
  }
  return problems.slice(0, 3);
}

// ---------------------------------------------------------------------------------------------
// --fix

/**
 * `lint --fix`: on copies of the batch's files, then again (nothing may change the second time).
 * What changed must be exactly what replaying the fixes `lint --format json` reports gives, pass
 * by pass; a file that is not UTF-8 must not change at all; comments, line breaks and the BOM
 * stay; a readable file stays readable; the JSON report's `output` is what is on disk.
 */
async function checkFix(cases, dir) {
  if (deadlinePassed()) return;
  const fixDir = join(dir, 'fix');
  mkdirSync(fixDir, { recursive: true });
  const ready = cases.filter((c) => c.lintJson || !isUtf8(c.bytes));
  for (const c of ready) writeFileSync(join(fixDir, fileOf(c)), c.bytes);
  const fixArgs = (names) => ['lint', '--fix', '--format', 'json', ...names];
  const fixRepro = (c, run, extra = []) => ({
    ...caseRepro(c, fixArgs([fileOf(c)]), run),
    setup: `cp ${fileOf(c)} fixed.arch.yaml`,
    commands: [shellCommand(fixArgs(['fixed.arch.yaml'])), ...extra],
  });
  // The fix run over the batch; on a crash, each file alone (on a fresh copy).
  let runs = new Map();
  const run = await runCli(fixArgs(ready.map(fileOf)), { cwd: fixDir, timeoutMs });
  account(run, `lint --fix over ${ready.length} files`);
  const bad = abnormal(run, [0, 1]);
  let results;
  if (!bad) {
    try {
      results = JSON.parse(run.stdout.toString('utf8'));
    } catch {
      results = undefined;
    }
  }
  if (!bad && Array.isArray(results)) {
    for (const c of ready) runs.set(c, { run, result: results.find((r) => r.filePath === join(fixDir, fileOf(c))) });
  } else {
    runs = new Map();
    for (const c of ready) {
      writeFileSync(join(fixDir, fileOf(c)), c.bytes);
      const single = await runCli(fixArgs([fileOf(c)]), { cwd: fixDir, timeoutMs });
      account(single, `lint --fix ${c.generator}`);
      const singleBad = abnormal(single, [0, 1]);
      if (singleBad) {
        fail(singleBad[0], 'lint --fix', singleBad[1], fixRepro(c, single));
        continue;
      }
      let parsed;
      try {
        parsed = JSON.parse(single.stdout.toString('utf8'))[0];
      } catch (error) {
        fail('invalid-json', 'lint --fix', `the output is not JSON: ${error.message}`, fixRepro(c, single));
        continue;
      }
      runs.set(c, { run: single, result: parsed });
    }
  }

  // Replay the reported fixes pass by pass: lint each intermediate text with the CLI too.
  const sims = [];
  for (const [c] of runs) {
    if (!isUtf8(c.bytes)) continue;
    const { text } = decoded(c.bytes);
    sims.push({ c, current: text, messages: c.lintJson.messages, passes: 0, done: false });
  }
  for (let pass = 1; pass <= 10 && sims.some((s) => !s.done); pass++) {
    const pending = [];
    for (const s of sims.filter((x) => !x.done)) {
      const next = applyFixPass(s.current, s.messages);
      if (next === s.current) s.done = true;
      else pending.push({ s, next });
    }
    if (pending.length === 0) break;
    const passDir = join(dir, `pass-${pass}`);
    mkdirSync(passDir, { recursive: true });
    const passCases = pending.map(({ s, next }) => ({
      index: `${s.c.index}-pass-${pass}`,
      generator: s.c.generator,
      note: `case ${s.c.index} after ${pass} fix pass(es)`,
      bytes: Buffer.from(next, 'utf8'),
    }));
    passCases.forEach((pc) => writeFileSync(join(passDir, fileOf(pc)), pc.bytes));
    await batchRun(
      'lint --format json (a fixed text)',
      (names) => ['lint', '--format', 'json', ...names],
      passCases,
      passDir,
      [0, 1],
      (r, cs) => checkLintJson(r, cs, passDir),
    );
    pending.forEach(({ s, next }, i) => {
      const result = passCases[i].lintJson;
      if (!result) {
        s.done = true;
        s.failed = true;
        return;
      }
      // A pass that would break a readable file is dropped, as the CLI does.
      if (isBroken(result.messages) && !isBroken(s.messages)) {
        s.done = true;
        return;
      }
      s.current = next;
      s.messages = result.messages;
      s.passes++;
    });
  }

  for (const [c, { run: fixRun, result }] of runs) {
    const path = join(fixDir, fileOf(c));
    const after = readFileSync(path);
    const changed = !after.equals(c.bytes);
    if (changed) stats.fixedFiles++;
    if (!isUtf8(c.bytes)) {
      if (changed)
        fail(
          'fix-rewrote-invalid-utf8',
          'lint --fix',
          `a file that is not UTF-8 was rewritten (${firstByteDifference(c.bytes, after)})`,
          fixRepro(c, fixRun),
        );
      continue;
    }
    const sim = sims.find((s) => s.c === c);
    if (!isUtf8(after)) {
      fail('fix-wrote-invalid-utf8', 'lint --fix', 'the fixed file is not UTF-8', fixRepro(c, fixRun));
      continue;
    }
    const before = decoded(c.bytes);
    const now = decoded(after);
    if (before.bom !== now.bom)
      fail(
        'fix-changed-bom',
        'lint --fix',
        before.bom ? 'the byte-order mark was dropped' : 'a byte-order mark was added',
        fixRepro(c, fixRun),
      );
    if (sim && !sim.failed) {
      stats.fixPasses += sim.passes;
      if (now.text !== sim.current)
        fail(
          'fix-unexplained-change',
          'lint --fix',
          `the fixed file differs from the reported fixes replayed (${sim.passes} passes): ${firstDifference(sim.current, now.text)}`,
          fixRepro(c, fixRun),
        );
    }
    const lost = lostComments(before.text, now.text);
    if (lost.length > 0) fail('fix-lost-comment', 'lint --fix', `lost ${JSON.stringify(lost.slice(0, 3))}`, fixRepro(c, fixRun));
    const eol = lineEndingProblem(before.text, now.text);
    if (eol) fail('fix-line-endings', 'lint --fix', eol, fixRepro(c, fixRun));
    if (result && !isBroken(c.lintJson.messages) && isBroken(result.messages))
      fail(
        'fix-broke-yaml',
        'lint --fix',
        `the fixed file is not readable: ${result.messages.find((m) => m.ruleId === 'yaml-syntax' || m.ruleId === 'duplicate-key').message}`,
        fixRepro(c, fixRun),
      );
    if (result && (changed ? result.output !== now.text : result.output !== undefined))
      fail(
        'fix-report-mismatch',
        'lint --fix',
        changed ? 'the report\'s "output" is not the text on disk' : 'an "output" for a file that was not changed',
        fixRepro(c, fixRun),
      );
  }

  // Idempotent: a second --fix changes nothing.
  const fixed = [...runs.keys()].filter((c) => isUtf8(c.bytes));
  if (fixed.length === 0) return;
  const afterFirst = new Map(fixed.map((c) => [c, readFileSync(join(fixDir, fileOf(c)))]));
  const again = await runCli(['lint', '--fix', ...fixed.map(fileOf)], { cwd: fixDir, timeoutMs });
  account(again, `lint --fix again over ${fixed.length} files`);
  const againBad = abnormal(again, [0, 1]);
  for (const c of fixed) {
    const now = readFileSync(join(fixDir, fileOf(c)));
    if (!now.equals(afterFirst.get(c))) {
      fail(
        'fix-not-idempotent',
        'lint --fix',
        `a second --fix changed the file again: ${firstDifference(afterFirst.get(c).toString('utf8'), now.toString('utf8'))}`,
        {
          ...fixRepro(c, again),
          commands: [
            shellCommand(fixArgs(['fixed.arch.yaml'])),
            'cp fixed.arch.yaml once.arch.yaml',
            shellCommand(['lint', '--fix', 'fixed.arch.yaml']),
            'cmp once.arch.yaml fixed.arch.yaml',
          ],
        },
      );
    }
  }
  if (againBad)
    fail(againBad[0], 'lint --fix (second time)', againBad[1], {
      label: `cases ${fixed.map((c) => c.index).join(',')}`,
      files: fixed.map((c) => ({ name: fileOf(c), bytes: afterFirst.get(c) })),
      commands: [shellCommand(['lint', '--fix', ...fixed.map(fileOf)])],
      run: again,
    });
}

/** Most offered fixes checked per batch (each is one more file in one lint run). */
const MAX_SUGGESTIONS = 200;

/**
 * The fixes `--fix` does not apply (`suggestions` in the JSON: the editor's quick fixes), each
 * applied alone to its file and linted in one run: a readable file stays readable and keeps its
 * comments and line breaks.
 */
async function checkSuggestions(cases, dir) {
  if (deadlinePassed()) return;
  const applied = [];
  for (const c of cases) {
    if (!c.lintJson || !isUtf8(c.bytes)) continue;
    const { text } = decoded(c.bytes);
    for (const m of c.lintJson.messages) {
      for (const s of m.suggestions ?? []) {
        if (applied.length >= MAX_SUGGESTIONS) break;
        const after = text.slice(0, s.fix.range[0]) + s.fix.text + text.slice(s.fix.range[1]);
        applied.push({
          c,
          title: s.desc,
          text,
          after,
          index: `${c.index}-fix-${applied.length}`,
          generator: c.generator,
          bytes: Buffer.from(after, 'utf8'),
        });
      }
    }
  }
  if (applied.length === 0) return;
  const fixDir = join(dir, 'suggestions');
  mkdirSync(fixDir, { recursive: true });
  for (const a of applied) writeFileSync(join(fixDir, fileOf(a)), a.bytes);
  await batchRun(
    'lint --format json (a quick fix applied)',
    (names) => ['lint', '--format', 'json', ...names],
    applied,
    fixDir,
    [0, 1],
    (run, cs) => checkLintJson(run, cs, fixDir),
  );
  for (const a of applied) {
    const repro = (message) => ({
      label: `case ${a.c.index} (${a.c.generator})`,
      note: `${a.c.note}; the quick fix "${a.title}" applied`,
      files: [
        { name: fileOf(a.c), bytes: a.c.bytes },
        { name: 'after-the-fix.arch.yaml', bytes: a.bytes },
      ],
      commands: [
        `# ${message}`,
        shellCommand(['lint', '--format', 'json', fileOf(a.c)]),
        shellCommand(['lint', '--format', 'json', 'after-the-fix.arch.yaml']),
      ],
    });
    if (a.lintJson && !isBroken(a.c.lintJson.messages) && isBroken(a.lintJson.messages)) {
      const m = a.lintJson.messages.find((x) => x.ruleId === 'yaml-syntax' || x.ruleId === 'duplicate-key');
      fail(
        'quick-fix-broke-yaml',
        'lint --format json',
        `"${a.title}" makes the file unreadable: ${m.message}`,
        repro(m.message),
      );
    }
    const lost = lostComments(a.text, a.after);
    if (lost.length > 0)
      fail(
        'quick-fix-lost-comment',
        'lint --format json',
        `"${a.title}" loses ${JSON.stringify(lost.slice(0, 3))}`,
        repro('a comment lost'),
      );
    const eol = lineEndingProblem(a.text, a.after);
    if (eol) fail('quick-fix-line-endings', 'lint --format json', `"${a.title}": ${eol}`, repro(eol));
  }
}

function firstByteDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `first difference at byte ${i}: ${a.subarray(i, i + 8).toString('hex')} became ${b.subarray(i, i + 8).toString('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// One batch

async function fuzzBatch(cases, batchIndex) {
  const dir = join(work, `batch-${batchIndex}`);
  mkdirSync(dir, { recursive: true });
  for (const c of cases) {
    writeFileSync(join(dir, fileOf(c)), c.bytes);
    stats.cases++;
    stats.byGenerator[c.generator] = (stats.byGenerator[c.generator] ?? 0) + 1;
  }
  const lint =
    (...format) =>
    (names) => ['lint', ...format, ...names];
  await batchRun('lint --format json', lint('--format', 'json'), cases, dir, [0, 1], (run, cs) => checkLintJson(run, cs, dir));
  await checkFix(cases, dir);
  await checkSuggestions(cases, dir);
  await batchRun('lint --format sarif', lint('--format', 'sarif'), cases, dir, [0, 1], checkSarif);
  await batchRun('lint (stylish)', lint('--no-color'), cases, dir, [0, 1], checkTerminal);
  await batchRun('lint --format github', lint('--format', 'github'), cases, dir, [0, 1], checkGithub);
  for (const c of cases) {
    if (deadlinePassed()) break;
    // A file the engine cannot read stops both commands early (exit 1): a few such runs are enough.
    const unreadable = c.lintJson?.messages.some((m) => m.fatal || m.ruleId === 'duplicate-key');
    if (unreadable && !c.extra.chance(UNREADABLE_SAMPLE)) continue;
    const table = c.extra.chance(0.5);
    await batchRun(
      table ? 'availability (table)' : 'availability --format json',
      (names) => ['availability', ...names, ...(table ? [] : ['--format', 'json'])],
      [c],
      dir,
      [0, 1],
      table ? (run) => checkTerminal(run) : checkAvailabilityJson,
    );
    const down = c.extra.chance(0.3) ? ['--direction', 'down'] : [];
    await batchRun(
      'diagram (svg)',
      (names) => ['diagram', ...names, ...down],
      [c],
      dir,
      [0, 1],
      (run, cs) => [...checkSvg(run, cs), ...checkTerminal({ ...run, stdout: Buffer.alloc(0) })],
    );
    if (c.extra.chance(0.25))
      await batchRun(
        'diagram --format mermaid',
        (names) => ['diagram', ...names, '--format', 'mermaid'],
        [c],
        dir,
        [0, 1],
        () => [],
      );
  }
  rmSync(dir, { recursive: true, force: true });
}

const deadlinePassed = () => performance.now() - started > budgetMs;

// ---------------------------------------------------------------------------------------------
// Main loop

// The file-system scenarios do not depend on the seed: each runs once, first.
if (!opts['no-scenarios'] && caseIndex === undefined) {
  const scenarioCtx = { work, timeoutMs, fail, account, abnormal, validateSarif };
  for (const scenario of SCENARIOS) {
    if (deadlinePassed()) break;
    stats.scenarios++;
    await scenario.run(scenarioCtx);
  }
  console.log(`  ${elapsed().toFixed(0)} s: ${stats.scenarios} file-system scenarios, ${classes.size} failure classes`);
}
let next = caseIndex ?? 0;
let batchIndex = 0;
while (!opts['scenarios-only'] && !deadlinePassed()) {
  const cases = [];
  for (let i = 0; i < (caseIndex !== undefined ? 1 : batchSize); i++) cases.push(makeCase(gens, seed, next++, only));
  await fuzzBatch(cases, batchIndex++);
  if (caseIndex !== undefined) break;
  console.log(`  ${elapsed().toFixed(0)} s: ${stats.cases} cases, ${stats.runs} runs, ${classes.size} failure classes`);
}
rmSync(work, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// Report

const total = elapsed();
console.log(
  `\nfuzz: seed ${seed}: ${stats.cases} cases and ${stats.scenarios} file-system scenarios in ${total.toFixed(0)} s; ` +
    `${stats.runs} CLI runs (mean ${Math.round(stats.runMs / Math.max(1, stats.runs))} ms, slowest ${Math.round(stats.slowest.ms)} ms: ${stats.slowest.what}); ` +
    `--fix changed ${stats.fixedFiles} files over ${stats.fixPasses} replayed passes`,
);
console.log(
  `  cases by generator: ${Object.entries(stats.byGenerator)
    .map(([g, n]) => `${g} ${n}`)
    .join(', ')}`,
);
const summary = {
  seed,
  seconds: Math.round(total),
  ...stats,
  failures: [...classes].map(([cls, e]) => ({
    class: cls,
    count: e.count,
    firstAfterSeconds: Number(e.firstAt.toFixed(1)),
    firstCase: e.firstCase,
    saved: e.saved,
  })),
};
mkdirSync(runDir, { recursive: true });
writeFileSync(join(runDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
if (classes.size > 0) {
  console.log(`\n${classes.size} failure classes (reproduce one with its command.sh; the whole run with --seed ${seed}):`);
  for (const f of summary.failures)
    console.log(`  ${f.class}: ${f.count}× (first after ${f.firstAfterSeconds} s, ${f.firstCase}) ${f.saved[0] ?? ''}`);
  process.exit(1);
}
console.log('no failures');
