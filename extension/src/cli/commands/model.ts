import { resolve } from 'node:path';
import { architectureObject, architectureYaml, BUILTIN_IDS } from '../../engine';
import { ArgumentError, hasFlag, lastValue, parseArgs } from '../args';
import { ConfigFinder, configProblemLines, isBad } from '../configFiles';
import { notUtf8Lines, readInput, stdinName, writeOutput } from '../files';
import { displayPath } from '../formats/types';
import { EXIT, STDIN_PATH, type CliIO } from '../io';
import { configGroups, lintInput, manifestArchitectureOf, sourceOf } from '../sources';
import { terminalText } from '../terminal';

export const MODEL_HELP = `Usage: archlint model FILE [--format yaml|json] [-o OUT] [--profile NAME]

Prints the architecture Archlint read from FILE — a Docker Compose file (read with its
compose.override.yaml beside it), Kubernetes manifests (read with the others of their folder, as
archlint lint reads them) or an *.arch.yaml — as an *.arch.yaml. Each value read from
a source has a comment saying where it came from ("# from compose.yaml:12 depends_on",
"# inferred: DB_HOST=db"). Linting the output gives the same findings (rule and component) as
linting FILE, so it is also a way to start a hand-kept architecture file. FILE "-" reads
standard input.

Options:
  -f, --format yaml|json    output format (default: yaml; json has no comments)
  -o, --output OUT          write to OUT instead of standard output
      --profile NAME        activate a compose profile (repeatable)
      --stdin-filename NAME what messages call standard input (default: <stdin>)
  -h, --help                show this help

Exit codes: 0 printed (problems in FILE go to standard error), 1 FILE is not readable,
2 usage or I/O error.
`;

const FORMATS = ['yaml', 'json'] as const;

/** `archlint model FILE`: the model a source gives, as the format. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const command = 'archlint model';
  const parsed = parseArgs(
    args,
    [
      { name: 'format', short: 'f', value: true },
      { name: 'output', short: 'o', value: true, aliases: ['output-file'] },
      { name: 'profile', value: true },
      { name: 'stdin-filename', value: true },
      { name: 'help', short: 'h' },
    ],
    command,
  );
  if (hasFlag(parsed, 'help')) {
    io.stdout(MODEL_HELP);
    return EXIT.clean;
  }
  if (parsed.positionals.length !== 1) {
    throw new ArgumentError(parsed.positionals.length === 0 ? 'missing FILE' : 'one FILE at a time', command);
  }
  const format = lastValue(parsed, 'format') ?? 'yaml';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new ArgumentError(`unknown format "${format}" (expected ${FORMATS.join(' or ')})`, command);
  }
  const stdinFilename = lastValue(parsed, 'stdin-filename');
  stdinName(parsed.positionals, stdinFilename, command);
  const { name: given, source } = await readInput(io, parsed.positionals[0]!, stdinFilename);
  if (source.notUtf8) {
    io.stderr(notUtf8Lines(given, source));
    io.stderr(`archlint: ${given} is not readable: no model printed\n`);
    return EXIT.findings;
  }
  const located = parsed.positionals[0] === STDIN_PATH ? (stdinFilename ?? 'stdin') : parsed.positionals[0]!;
  const path = resolve(io.cwd, located);
  const loaded = new ConfigFinder().forFile(path);
  if (loaded && isBad(loaded)) {
    io.stderr(configProblemLines(loaded, displayPath(io.cwd, loaded.path)));
    io.stderr('archlint: the configuration file has problems: no model printed\n');
    return EXIT.usage;
  }
  const config = loaded?.config;
  const onDisk = parsed.positionals[0] !== STDIN_PATH;
  // A manifest on disk is read with the other files of its architecture, as archlint lint reads it.
  const groups = onDisk && sourceOf(path, source.text) === 'kubernetes' ? await configGroups(loaded) : [];
  const result = lintInput(path, source.text, {
    rules: [],
    ...(config?.defaults.slo !== undefined && { defaultSlo: config.defaults.slo }),
    sourceDefaults: { availability: config?.defaults.availability, zones: config?.defaults.zones },
    profiles: (parsed.options.get('profile') ?? []).flatMap((p) => p.split(',')).filter(Boolean),
    onDisk,
    architectureOf: (file) => manifestArchitectureOf(file, loaded, groups),
  });
  // What could not be read is said, where it is; the model is what could.
  const problems = result.findings.filter((f) => (Object.values(BUILTIN_IDS) as string[]).includes(f.ruleId));
  for (const f of problems) {
    const file = f.range[2] ?? path;
    const { line, character } = (result.files?.get(file)?.lines ?? result.lines).position(f.range[0]);
    io.stderr(
      `${terminalText(displayPath(io.cwd, file))}:${line + 1}:${character + 1}: ${f.severity}: ${terminalText(f.message)} (${f.ruleId})\n`,
    );
  }
  if (!result.model) {
    io.stderr(`archlint: ${terminalText(given)} is not readable: no model printed\n`);
    return EXIT.findings;
  }
  const files = [...(result.files?.keys() ?? [path])].map((f) => displayPath(io.cwd, f));
  const text =
    format === 'json'
      ? `${JSON.stringify(architectureObject(result.model), null, 2)}\n`
      : architectureYaml(result.model, result.origins ?? new Map(), [
          `The architecture Archlint read from ${files.join(', ')} (archlint model).`,
          'Each comment says where a value came from; linting this file gives the same findings.',
        ]);
  const output = lastValue(parsed, 'output');
  if (output !== undefined) await writeOutput(io.cwd, output, text);
  else io.stdout(text);
  return EXIT.clean;
}
