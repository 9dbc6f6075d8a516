import { BUILTIN_IDS, type LintResult } from '../../engine';
import { computeAvailability, didYouMean, renderTable, shardRows, type AvailabilityReport, type ShardRow } from '../../engine';
import { resolve } from 'node:path';
import { ArgumentError, hasFlag, lastValue, parseArgs } from '../args';
import { ConfigFinder, configProblemLines, isBad } from '../configFiles';
import { notUtf8Lines, readInput, stdinName, writeOutput } from '../files';
import { displayPath } from '../formats/types';
import { EXIT, STDIN_PATH, type CliIO } from '../io';
import { configGroups, lintInput, manifestArchitectureOf, sourceOf } from '../sources';
import { terminalText } from '../terminal';

export const AVAILABILITY_HELP = `Usage: archlint availability FILE [--format table|json] [--fail id,id] [-o OUT]

The exact availability of every entry point of one architecture file, Docker Compose project
(a compose.yaml is read with its compose.override.yaml beside it) or set of Kubernetes manifests
(a manifest file with the others of its folder, as archlint lint reads it): k-of-n pools, shared
dependencies counted once, correlated zone failures. Per entry point: availability, nines,
downtime per year/month/week/day (a year of 365.2425 days), its SLO and whether it is met, and
the weakest links (what the entry point would reach if that component never failed).
FILE "-" reads the architecture from standard input. The nearest configuration file's
defaults.slo applies where the file sets no slo (see archlint lint --help).

Options:
  -f, --format table|json   output format (default: table)
      --fail id,id          what-if: compute with these components down (repeatable)
  -o, --output OUT          write to OUT instead of standard output
      --stdin-filename NAME what messages call standard input (default: <stdin>)
      --profile NAME        activate a compose profile (repeatable)
  -h, --help                show this help

Exit codes: 0 computed (warnings about the file go to standard error), 1 the file is not a
readable architecture, 2 usage or I/O error.
`;

const FORMATS = ['table', 'json'] as const;

/** The JSON contract of `archlint availability --format json` (tests pin it). */
export interface AvailabilityJson {
  file: string;
  entries: {
    component: string;
    availability: number;
    unavailability: number;
    /** −log10(unavailability); null when the entry point never fails (JSON has no Infinity). */
    nines: number | null;
    /** Seconds. */
    downtime: { year: number; month: number; week: number; day: number };
    slo: number | null;
    meetsSlo: boolean | null;
    contributors: { component: string; gain: number }[];
  }[];
  /** Present when the file has sharded components: one shard's pool, and every shard up at once. */
  shards?: ShardRow[];
}

/** The sharded components of a report, by id. */

/** Full precision: rounding is the table's business, not the contract's. */
export function toAvailabilityJson(file: string, report: AvailabilityReport): AvailabilityJson {
  return {
    file,
    entries: report.entries.map((e) => ({
      component: e.component,
      availability: e.availability,
      unavailability: e.unavailability,
      nines: Number.isFinite(e.nines) ? e.nines : null,
      downtime: { year: e.downtime.year, month: e.downtime.month, week: e.downtime.week, day: e.downtime.day },
      // The SLO as written: `99.9%` parses to 0.9990000000000001; fifteen digits give the 0.999 the file meant.
      slo: e.slo === undefined ? null : Number(e.slo.toPrecision(15)),
      meetsSlo: e.meetsSlo ?? null,
      contributors: e.contributors.map((c) => ({ component: c.component, gain: c.gain })),
    })),
    ...(shardRows(report).length > 0 && { shards: shardRows(report) }),
  };
}

/** `archlint availability FILE`: the numbers behind `availability-below-slo`, as a downtime table or JSON. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const command = 'archlint availability';
  const parsed = parseArgs(
    args,
    [
      { name: 'format', short: 'f', value: true },
      { name: 'fail', value: true },
      { name: 'output', short: 'o', value: true, aliases: ['output-file'] },
      { name: 'stdin-filename', value: true },
      { name: 'profile', value: true },
      { name: 'help', short: 'h' },
    ],
    command,
  );
  if (hasFlag(parsed, 'help')) {
    io.stdout(AVAILABILITY_HELP);
    return EXIT.clean;
  }
  if (parsed.positionals.length !== 1) {
    throw new ArgumentError(parsed.positionals.length === 0 ? 'missing FILE' : 'one FILE at a time', command);
  }
  const format = lastValue(parsed, 'format') ?? 'table';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new ArgumentError(`unknown format "${format}" (expected ${FORMATS.join(' or ')})`, command);
  }
  const output = lastValue(parsed, 'output');
  const stdinFilename = lastValue(parsed, 'stdin-filename');
  stdinName(parsed.positionals, stdinFilename, command);
  // `-` reads standard input; messages call it by --stdin-filename, or `<stdin>`.
  const { name: given, source } = await readInput(io, parsed.positionals[0]!, stdinFilename);
  if (source.notUtf8) {
    io.stderr(notUtf8Lines(given, source));
    io.stderr(`archlint: ${given} is not a readable architecture: no availability computed\n`);
    return EXIT.findings;
  }
  const text = source.text;

  // The nearest configuration file's defaults.slo applies, as in `archlint lint` (its rules do not
  // matter here: none runs). Standard input is placed where --stdin-filename says, else here.
  const located = parsed.positionals[0] === STDIN_PATH ? (stdinFilename ?? 'stdin') : parsed.positionals[0]!;
  const config = new ConfigFinder().forFile(resolve(io.cwd, located));
  if (config && isBad(config)) {
    io.stderr(configProblemLines(config, displayPath(io.cwd, config.path)));
    io.stderr('archlint: the configuration file has problems: no availability computed\n');
    return EXIT.usage;
  }
  const defaultSlo = config?.config?.defaults.slo;
  // No rules: only the file's readability matters here, and the numbers.
  const config_ = config?.config;
  const path = resolve(io.cwd, located);
  const onDisk = parsed.positionals[0] !== STDIN_PATH;
  // A manifest on disk is read with the other files of its architecture, as archlint lint reads it.
  const groups = onDisk && sourceOf(path, text) === 'kubernetes' ? await configGroups(config) : [];
  const result = lintInput(path, text, {
    rules: [],
    ...(defaultSlo !== undefined && { defaultSlo }),
    sourceDefaults: { availability: config_?.defaults.availability, zones: config_?.defaults.zones },
    profiles: (parsed.options.get('profile') ?? []).flatMap((p) => p.split(',')).filter(Boolean),
    onDisk,
    architectureOf: (file) => manifestArchitectureOf(file, config, groups),
  });
  const problems = result.findings.filter((f) => (Object.values(BUILTIN_IDS) as string[]).includes(f.ruleId));
  if (!result.model || !result.graph) {
    printFindings(io, given, path, result, problems);
    io.stderr(`archlint: ${terminalText(given)} is not a readable architecture: no availability computed\n`);
    return EXIT.findings;
  }
  // YAML that is no architecture (`foo: 1`) reads to no components: nothing to compute, as diagram draws nothing.
  if (result.model.components.size === 0) {
    printFindings(io, given, path, result, problems);
    io.stderr(`archlint: ${terminalText(given)} has no components: no availability computed\n`);
    return EXIT.findings;
  }
  // A file with schema errors still has a model: compute on what could be read, and say so.
  if (problems.length > 0) {
    printFindings(io, given, path, result, problems);
    // Problems may be in the other files read with it (a manifest's folder): say whose they are.
    const elsewhere = problems.some((f) => f.range[2] !== undefined && f.range[2] !== path);
    const whose = elsewhere ? `${terminalText(given)} and the files read with it have` : `${terminalText(given)} has`;
    io.stderr(
      `archlint: ${whose} ${problems.length} problem${problems.length === 1 ? '' : 's'}: the numbers use what could be read\n`,
    );
  }

  const failed = new Set<string>();
  for (const list of parsed.options.get('fail') ?? []) {
    for (const id of list.split(',').map((s) => s.trim())) {
      if (id === '') continue;
      if (!result.model.components.has(id)) {
        const suggestion = didYouMean(id, result.model.components.keys());
        throw new ArgumentError(
          `--fail: no component "${id}" in ${given}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
          command,
        );
      }
      failed.add(id);
    }
  }
  const report = failed.size > 0 ? computeAvailability(result.model, result.graph, { failed }) : result.availability!;

  const rendered =
    format === 'json'
      ? `${JSON.stringify(toAvailabilityJson(given, report), null, 2)}\n`
      : renderTable(given, report, output === undefined && io.color);
  if (format === 'json') for (const note of report.notes) io.stderr(`archlint: note: ${terminalText(note)}\n`);
  if (output !== undefined) await writeOutput(io.cwd, output, rendered);
  else io.stdout(rendered);
  return EXIT.clean;
}

/** Prints findings as `file:line:col: severity:`: the input by the name it was given, another file of its architecture by its path. */
function printFindings(io: CliIO, given: string, path: string, result: LintResult, findings: LintResult['findings']): void {
  for (const f of findings) {
    const { line, character } = (result.files?.get(f.range[2] ?? '')?.lines ?? result.lines).position(f.range[0]);
    const file = f.range[2] === undefined || f.range[2] === path ? given : displayPath(io.cwd, f.range[2]);
    io.stderr(`${terminalText(file)}:${line + 1}:${character + 1}: ${f.severity}: ${terminalText(f.message)} (${f.ruleId})\n`);
  }
}
