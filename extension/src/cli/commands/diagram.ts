import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildSnapshot, layout, renderSvg, snapshotToElk, toMermaid, type Direction } from '../../diagram';
import { lint } from '../../engine';
import { ArgumentError, hasFlag, lastValue, parseArgs } from '../args';
import { EXIT, UsageError, type CliIO } from '../io';

export const DIAGRAM_HELP = `Usage: archlint diagram FILE [--format svg|mermaid] [-o OUT] [--direction right|down]

Draws the topology of one architecture file: components (name, kind, replicas, availability),
routes and dependencies (optional ones dashed, any-of groups through a junction), zones, entry
points (thick border) and the worst finding on each component.

Options:
  -f, --format svg|mermaid   output format (default: svg, or mermaid when OUT ends in .mmd or .md)
  -o, --output OUT           write to OUT instead of standard output
  -d, --direction right|down layout direction (default: right)
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
      { name: 'output', short: 'o', value: true },
      { name: 'direction', short: 'd', value: true },
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

  const file = resolve(io.cwd, parsed.positionals[0]!);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${parsed.positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const result = lint(text);
  if (!result.model || !result.graph) {
    const first = result.findings[0];
    const where = first ? result.lines.position(first.range[0]) : undefined;
    throw new UsageError(
      `${parsed.positionals[0]}${where ? `:${where.line + 1}:${where.character + 1}` : ''}: not a readable architecture` +
        (first ? ` (${first.message})` : ''),
    );
  }
  if (result.model.components.size === 0) throw new UsageError(`${parsed.positionals[0]}: no components to draw`);
  const snapshot = buildSnapshot({
    model: result.model,
    graph: result.graph,
    findings: result.findings,
    availability: result.availability,
  });
  const rendered =
    format === 'mermaid'
      ? toMermaid(snapshot, direction)
      : `${renderSvg(await layout(snapshotToElk(snapshot, direction)), { standalone: true })}\n`;
  if (output) {
    try {
      await writeFile(resolve(io.cwd, output), rendered);
    } catch (error) {
      throw new UsageError(`cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  } else {
    io.stdout(rendered);
  }
  return EXIT.clean;
}
