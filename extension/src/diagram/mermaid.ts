import type { Direction } from './elkGraph';
import { visibleText } from './escape';
import { nodeLines } from './elkGraph';
import type { DiagramNode, DiagramSnapshot } from '../engine';

/**
 * Text made safe inside a quoted Mermaid label: control characters written out (`\n`, `\x1b`,
 * as in the SVG), then `#` (the entity codes start with it), then the characters that would end
 * the label or become markup.
 */
export function escapeMermaid(text: string): string {
  return visibleText(text)
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/&/g, '#amp;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;');
}

/** A Mermaid identifier: letters, digits and `_` only, never a keyword, unique within `taken`. */
function mermaidId(prefix: string, name: string, taken: Set<string>): string {
  const base = `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
  taken.add(id);
  return id;
}

/** The opening and closing brackets of a node's shape, by kind. */
const SHAPES: Record<string, [string, string]> = {
  'load-balancer': ['{{', '}}'],
  database: ['[(', ')]'],
  storage: ['[(', ')]'],
  cache: ['[(', ')]'],
  queue: ['[/', '/]'],
  worker: ['[[', ']]'],
  external: ['>', ']'],
};

function label(node: DiagramNode, zonesDeclared: boolean): string {
  return nodeLines(node, zonesDeclared)
    .map((l) => escapeMermaid(l.text))
    .join('<br/>');
}

/**
 * A Mermaid flowchart of a snapshot, for Markdown docs: the same nodes, edges, zones and
 * `any-of` junctions as the SVG. Optional dependencies are dotted arrows, session stores are
 * labelled `session`, entry points get the `entry` class (thick border), findings a class per
 * severity, what-if failures `failed`/`down`.
 */
export function toMermaid(snapshot: DiagramSnapshot, direction: Direction = 'RIGHT'): string {
  const zonesDeclared = snapshot.zones.length > 0;
  const taken = new Set<string>();
  const ids = new Map<string, string>();
  for (const n of snapshot.nodes) ids.set(n.id, mermaidId('n', n.id, taken));
  const out: string[] = [`flowchart ${direction === 'DOWN' ? 'TD' : 'LR'}`];
  const nodeLine = (n: DiagramNode, indent: string) => {
    const [open, close] = SHAPES[n.kind] ?? ['[', ']'];
    return `${indent}${ids.get(n.id)}${open}"${label(n, zonesDeclared)}"${close}`;
  };

  const inZone = new Map<string, DiagramNode[]>();
  for (const n of snapshot.nodes) {
    const zone = n.zones.length === 1 ? n.zones[0]! : undefined;
    if (zone !== undefined && snapshot.zones.includes(zone)) inZone.set(zone, [...(inZone.get(zone) ?? []), n]);
  }
  for (const zone of snapshot.zones) {
    const members = inZone.get(zone);
    if (!members) continue;
    out.push(`  subgraph ${mermaidId('z', zone, taken)}["zone ${escapeMermaid(zone)}"]`);
    members.forEach((n) => out.push(nodeLine(n, '    ')));
    out.push('  end');
  }
  const zoned = new Set([...inZone.values()].flat());
  for (const n of snapshot.nodes) if (!zoned.has(n)) out.push(nodeLine(n, '  '));

  const junctions = new Map<string, string>();
  for (const e of snapshot.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (!from || !to) continue;
    const arrow = e.optional ? '-.->' : e.type === 'session-store' ? '-->|session|' : '-->';
    if (e.anyOf === undefined) {
      out.push(`  ${from} ${arrow} ${to}`);
      continue;
    }
    const key = `${from}#${e.anyOf}`;
    let junction = junctions.get(key);
    if (!junction) {
      junction = mermaidId('j', `${from}_${e.anyOf}`, taken);
      junctions.set(key, junction);
      out.push(`  ${junction}(("any of"))`, `  ${from} ${e.optional ? '-.-' : '---'} ${junction}`);
    }
    out.push(`  ${junction} ${arrow} ${to}`);
  }

  out.push(
    '  classDef entry stroke-width:3px,stroke:#0969da',
    '  classDef error stroke:#cf222e,stroke-width:2px',
    '  classDef warning stroke:#bf8700,stroke-width:2px',
    '  classDef info stroke:#0969da',
    '  classDef failed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:5 3',
    '  classDef down fill:#fff5f4,stroke:#cf222e',
  );
  const byClass = new Map<string, string[]>();
  const add = (cls: string, id: string) => byClass.set(cls, [...(byClass.get(cls) ?? []), id]);
  for (const n of snapshot.nodes) {
    const id = ids.get(n.id)!;
    if (n.severity) add(n.severity, id);
    if (n.entry) add('entry', id);
    if (n.failed) add('failed', id);
    else if (n.down) add('down', id);
  }
  // Later classes win in Mermaid, so entry (the thick border) comes after severity.
  for (const cls of ['info', 'warning', 'error', 'entry', 'down', 'failed']) {
    const members = byClass.get(cls);
    if (members) out.push(`  class ${members.join(',')} ${cls}`);
  }
  return `${out.join('\n')}\n`;
}
