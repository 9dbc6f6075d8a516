import type { Direction } from '../../diagram/elkGraph';
import { resolve } from 'node:path';
import { buildSnapshot } from '../../engine';
import { ArgumentError, hasFlag, lastValue, parseArgs } from '../args';
import { notUtf8Lines, readInput, stdinName, writeOutput } from '../files';
import { loadDiagram } from '../diagramLoader';
import { ConfigFinder, configProblemLines, isBad } from '../configFiles';
import { displayPath } from '../formats/types';
import { EXIT, STDIN_PATH, type CliIO } from '../io';
import { configGroups, lintInput, manifestArchitectureOf, sourceOf } from '../sources';
import { terminalText } from '../terminal';

export const DIAGRAM_HELP = `Usage: archlint diagram FILE [--format svg|mermaid] [-o OUT] [--direction right|down]

Draws the topology of one architecture file, Docker Compose project or set of Kubernetes
manifests (a manifest file with the others of its folder, as archlint lint reads it):
components (name, kind, replicas, availability), routes and dependencies (optional ones dashed,
any-of groups through a junction), zones, entry points (thick border) and the worst finding on
each component. A graph too large or tangled
for the layered layout, or one it does not finish within 30 s (ARCHLINT_LAYOUT_BUDGET_MS), is
drawn with the simplest layout, with a note on the picture saying so. FILE "-" reads the
architecture from standard input.

Options:
  -f, --format svg|mermaid   output format (default: svg, or mermaid when OUT ends in .mmd or .md)
  -o, --output OUT           write to OUT instead of standard output
  -d, --direction right|down layout direction (default: right)
      --stdin-filename NAME  what messages call standard input (default: <stdin>)
      --profile NAME         activate a compose profile (repeatable)
  -h, --help                 show this help
`;

const FORMATS = ['svg', 'mermaid'] as const;
const DIRECTIONS: Record<string, Direction> = { right: 'RIGHT', down: 'DOWN' };

/** `archlint diagram`: the same picture as the editor's diagram, headless, for docs and CI artifacts. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const command = 'archlint diagram';
  const parsed = parseArgs(
    args,
    [
      { name: 'format', short: 'f', value: true },
      { name: 'output', short: 'o', value: true, aliases: ['output-file'] },
      { name: 'direction', short: 'd', value: true },
      { name: 'stdin-filename', value: true },
      { name: 'profile', value: true },
      { name: 'help', short: 'h' },
    ],
    command,
  );
  if (hasFlag(parsed, 'help')) {
    io.stdout(DIAGRAM_HELP);
    return EXIT.clean;
  }
  if (parsed.positionals.length !== 1) {
    throw new ArgumentError(parsed.positionals.length === 0 ? 'missing FILE' : 'one FILE at a time', command);
  }
  const output = lastValue(parsed, 'output');
  const format = lastValue(parsed, 'format') ?? (output && /\.(mmd|md)$/i.test(output) ? 'mermaid' : 'svg');
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new ArgumentError(`unknown format "${format}" (expected ${FORMATS.join(' or ')})`, command);
  }
  const directionArg = (lastValue(parsed, 'direction') ?? 'right').toLowerCase();
  const direction = DIRECTIONS[directionArg];
  if (!direction) throw new ArgumentError(`unknown direction "${directionArg}" (expected right or down)`, command);

  const stdinFilename = lastValue(parsed, 'stdin-filename');
  stdinName(parsed.positionals, stdinFilename, command);
  const { LAYOUT_BUDGET_MS, LayoutThread, layoutSnapshot, renderSvg, toMermaid } = loadDiagram();
  // ELK loads in its own thread while the file is read and linted; every way out stops it.
  const thread = format === 'svg' ? LayoutThread.start() : undefined;
  // `-` reads standard input; messages call it by --stdin-filename, or `<stdin>`.
  const { name: given, source } = await readInput(io, parsed.positionals[0]!, stdinFilename).catch((error: unknown) => {
    thread?.stop();
    throw error;
  });
  if (source.notUtf8) {
    thread?.stop();
    io.stderr(notUtf8Lines(given, source));
    io.stderr(`archlint: ${terminalText(given)} is not a readable architecture: nothing drawn\n`);
    return EXIT.findings;
  }
  const text = source.text;
  const path = resolve(io.cwd, parsed.positionals[0] === STDIN_PATH ? (stdinFilename ?? 'stdin') : parsed.positionals[0]!);
  const onDisk = parsed.positionals[0] !== STDIN_PATH;
  // A manifest on disk is drawn with the other files of its architecture, as archlint lint reads
  // it: its configuration (sources, ignores, architectures) says which.
  const manifestOnDisk = onDisk && sourceOf(path, text) === 'kubernetes';
  const loaded = manifestOnDisk ? new ConfigFinder().forFile(path) : undefined;
  if (loaded && isBad(loaded)) {
    thread?.stop();
    io.stderr(configProblemLines(loaded, displayPath(io.cwd, loaded.path)));
    io.stderr('archlint: the configuration file has problems: nothing drawn\n');
    return EXIT.usage;
  }
  const groups = manifestOnDisk ? await configGroups(loaded) : [];
  const result = lintInput(path, text, {
    profiles: (parsed.options.get('profile') ?? []).flatMap((p) => p.split(',')).filter(Boolean),
    onDisk,
    architectureOf: (file) => manifestArchitectureOf(file, loaded, groups),
  });
  if (!result.model || !result.graph) {
    thread?.stop();
    for (const f of result.findings) {
      const { line, character } = (result.files?.get(f.range[2] ?? '')?.lines ?? result.lines).position(f.range[0]);
      const file = f.range[2] === undefined || f.range[2] === path ? given : displayPath(io.cwd, f.range[2]);
      io.stderr(`${terminalText(file)}:${line + 1}:${character + 1}: ${f.severity}: ${terminalText(f.message)} (${f.ruleId})\n`);
    }
    io.stderr(`archlint: ${terminalText(given)} is not a readable architecture: nothing drawn\n`);
    return EXIT.findings;
  }
  if (result.model.components.size === 0) {
    thread?.stop();
    io.stderr(`archlint: ${terminalText(given)} has no components to draw\n`);
    return EXIT.findings;
  }
  const snapshot = buildSnapshot({
    model: result.model,
    graph: result.graph,
    findings: result.findings,
    availability: result.availability,
  });
  // Into a Markdown file, Mermaid goes inside a fence so the page renders it.
  const markdown = output !== undefined && /\.md$/i.test(output);
  let rendered: string;
  if (format === 'mermaid') {
    rendered = markdown ? `\`\`\`mermaid\n${toMermaid(snapshot, direction).trimEnd()}\n\`\`\`\n` : toMermaid(snapshot, direction);
  } else {
    const laidOut = await layoutSnapshot(snapshot, direction, { budgetMs: layoutBudgetMs(LAYOUT_BUDGET_MS), thread });
    // The note is on the picture; said here too, for the CI log.
    if (laidOut.archlint.note) io.stderr(`archlint: note: ${terminalText(laidOut.archlint.note)}\n`);
    rendered = `${renderSvg(laidOut, { standalone: true })}\n`;
  }
  if (output) {
    await writeOutput(io.cwd, output, rendered);
  } else {
    io.stdout(rendered);
  }
  return EXIT.clean;
}

/** The layout's time budget: `fallback`, or ARCHLINT_LAYOUT_BUDGET_MS when it is a positive number. */
function layoutBudgetMs(fallback: number): number {
  const given = Number(process.env.ARCHLINT_LAYOUT_BUDGET_MS);
  return Number.isFinite(given) && given > 0 ? given : fallback;
}
