import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api';
import { formatAvailability as formatPercent } from '../engine';
import type { DiagramEdge, DiagramNode, DiagramSnapshot } from '../engine';
import { clipText } from '../protocol';
import { visibleText } from './escape';

export type Direction = 'RIGHT' | 'DOWN';

/** One line of text inside a node; `role` picks its font and colour. */
export interface TextLine {
  text: string;
  role: 'title' | 'detail' | 'zones' | 'pool' | 'entry' | 'findings' | 'whatIf';
}

/** What a node of the ELK graph stands for; carried through the layout unchanged. */
export type NodeMeta =
  | { role: 'component'; node: DiagramNode; lines: TextLine[] }
  /** Where the edges of one `any-of` group meet: one of the members suffices. */
  | { role: 'junction'; from: string; group: number; optional: boolean }
  | { role: 'zone'; zone: string };

export interface EdgeMeta {
  /** Component ids; `to` is empty on the edge into a junction (it ends at no component). */
  from: string;
  to: string;
  type: DiagramEdge['type'];
  optional: boolean;
  /** Set on the edge into a junction and the edges out of it. */
  anyOf?: number;
  /** The edge ends at (`in`) or starts at (`out`) a junction node. */
  junction?: 'in' | 'out';
}

export interface DiagramElkNode extends ElkNode {
  archlint: NodeMeta;
  children?: DiagramElkNode[];
}

export interface DiagramElkEdge extends ElkExtendedEdge {
  archlint: EdgeMeta;
}

/** The ELK input (and, once laid out, output) graph of a diagram. */
export interface DiagramElkGraph extends ElkNode {
  children: DiagramElkNode[];
  edges: DiagramElkEdge[];
  archlint: {
    role: 'root';
    name?: string;
    direction: Direction;
    failed: string[];
    blastRadius: string[];
    mode: LayoutMode;
    /** Shown on the picture: why it was drawn with the `simple` layout. */
    note?: string;
  };
}

/**
 * Text metrics, estimated per character so sizing is the same in Node, in the worker and in
 * the browser, with no font measuring. The renderer uses the same font sizes; the widths
 * are generous so proportional fonts fit.
 */
export const METRICS = {
  title: { fontSize: 13, charWidth: 8.6, lineHeight: 18 },
  detail: { fontSize: 11, charWidth: 6.6, lineHeight: 15 },
  padX: 12,
  padY: 8,
  minWidth: 96,
  /** Longer names are cut with an ellipsis on the node; the full name is in its tooltip. */
  maxTitleChars: 40,
  junctionSize: 14,
  zoneTitleHeight: 26,
} as const;

/**
 * How much the layout may spend, chosen by the real size of the graph ELK lays out (components
 * and `any-of` junctions, and the edges between them; measured with bench/layout.mjs; README,
 * "Large and tangled diagrams"):
 * - `full`: zones as containers, the file's order breaks ties (the picture stays put while the
 *   file is edited), orthogonal edges;
 * - `fast`: no containers (the zone is written on the node) and no model order, which together
 *   cost ELK 5-10x on a few hundred nodes;
 * - `large`: also the simplest node placement and straight polyline edges;
 * - `simple`: no ELK at all ({@link simpleLayout}): layers from the longest path, straight
 *   edges, linear in the size of the graph. Chosen up front beyond {@link LAYOUT_LIMITS}.large,
 *   and the fallback when a layout runs past its time budget; the picture says so.
 */
export type LayoutMode = 'full' | 'fast' | 'large' | 'simple';

/** What ELK is given: components and junctions (zone containers not counted), and edges. */
export interface GraphSize {
  nodes: number;
  edges: number;
}

/** The largest graph each ELK mode is given; larger graphs get the next mode. */
export const LAYOUT_LIMITS: Readonly<Record<Exclude<LayoutMode, 'simple'>, GraphSize>> = {
  full: { nodes: 100, edges: 200 },
  fast: { nodes: 500, edges: 1000 },
  large: { nodes: 3000, edges: 4000 },
};

/** The size of the ELK graph {@link snapshotToElk} builds for `snapshot`, without building it. */
export function graphSize(snapshot: Pick<DiagramSnapshot, 'nodes' | 'edges'>): GraphSize {
  const ids = new Set(snapshot.nodes.map((n) => n.id));
  const junctions = new Set<string>();
  let edges = 0;
  for (const e of snapshot.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    edges++;
    if (e.anyOf === undefined) continue;
    const key = `${e.anyOf} ${e.from}`;
    if (!junctions.has(key)) {
      junctions.add(key);
      edges++; // the edge into the junction
    }
  }
  return { nodes: snapshot.nodes.length + junctions.size, edges };
}

export function layoutModeFor(size: GraphSize): LayoutMode {
  const within = (limit: GraphSize) => size.nodes <= limit.nodes && size.edges <= limit.edges;
  if (within(LAYOUT_LIMITS.full)) return 'full';
  if (within(LAYOUT_LIMITS.fast)) return 'fast';
  return within(LAYOUT_LIMITS.large) ? 'large' : 'simple';
}

/**
 * How long ELK may run, in the CLI's thread and in the webview's worker, before the picture is
 * drawn with the simplest layout instead. The size limits keep ELK to a few seconds; this is
 * the net under them, generous so that a slow or busy machine does not lose a layout it would
 * have finished (README, "Large and tangled diagrams").
 */
export const LAYOUT_BUDGET_MS = 30_000;

const MAX_NOTE_REASON = 200;

/** The note a picture drawn with the `simple` layout carries: why it was. */
export function simpleLayoutNote(reason: { size: GraphSize } | { budgetMs: number } | { failed: string }): string {
  if ('size' in reason) {
    const { nodes, edges } = reason.size;
    return `Simplest layout: ${nodes} nodes and ${edges} edges (any-of junctions included) are more than the layered layout draws in a few seconds`;
  }
  if ('budgetMs' in reason) {
    const budget = reason.budgetMs >= 1000 ? `${reason.budgetMs / 1000} s` : `${reason.budgetMs} ms`;
    return `Simplest layout: the layered layout did not finish within ${budget}`;
  }
  // ELK's own messages can list every node of the graph: the picture gets the start of one.
  return `Simplest layout: the layered layout failed (${clipText(reason.failed, MAX_NOTE_REASON)})`;
}

/** The layered options, the same in Node (CLI) and in the webview's worker. */
export function layoutOptions(direction: Direction, mode: LayoutMode = 'full'): LayoutOptions {
  const options: LayoutOptions = {
    'elk.algorithm': 'layered',
    'elk.direction': direction,
    'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
    'elk.edgeRouting': 'ORTHOGONAL',
    'elk.spacing.nodeNode': '28',
    'elk.spacing.edgeNode': '18',
    'elk.spacing.edgeEdge': '10',
    'elk.layered.spacing.nodeNodeBetweenLayers': '56',
    'elk.layered.spacing.edgeNodeBetweenLayers': '20',
    'elk.padding': '[top=20,left=20,bottom=20,right=20]',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  };
  if (mode === 'full') {
    // Keeps the picture stable while the file is edited: the file's order breaks ties.
    options['elk.layered.considerModelOrder.strategy'] = 'NODES_AND_EDGES';
  } else {
    options['elk.layered.thoroughness'] = '3';
  }
  if (mode === 'large') {
    options['elk.layered.nodePlacement.strategy'] = 'SIMPLE';
    options['elk.layered.thoroughness'] = '1';
    options['elk.edgeRouting'] = 'POLYLINE';
  }
  return options;
}

/** The lines a component node shows, in order; names from the file with their control characters written out. */
export function nodeLines(node: DiagramNode, zonesDeclared: boolean, zoneContainers = true): TextLine[] {
  // Cut by code points, so a character outside the BMP is never split into half a surrogate pair.
  const name = [...visibleText(node.id)];
  const title = name.length > METRICS.maxTitleChars ? `${name.slice(0, METRICS.maxTitleChars - 1).join('')}…` : name.join('');
  const lines: TextLine[] = [
    { text: title, role: 'title' },
    { text: `${visibleText(node.kind)} · ${node.replicas}`, role: 'detail' },
  ];
  // A node inside its zone's container needs no zone line; one spread over zones (or drawn without containers) does.
  if (zonesDeclared && (node.zones.length > 1 || (!zoneContainers && node.zones.length === 1))) {
    const zones = node.zones.map(visibleText).join(' · ');
    lines.push({ text: `${node.zones.length > 1 ? 'zones' : 'zone'} ${zones}`, role: 'zones' });
  }
  if (node.pool !== undefined) lines.push({ text: `pool ${formatPercent(node.pool)}`, role: 'pool' });
  if (node.availability !== undefined) {
    const slo = node.slo !== undefined ? ` · SLO ${formatPercent(node.slo)} ${node.meetsSlo === false ? '✗' : '✓'}` : '';
    lines.push({ text: `entry ${formatPercent(node.availability)}${slo}`, role: 'entry' });
  }
  if (node.findings > 0) lines.push({ text: `${node.findings} finding${node.findings === 1 ? '' : 's'}`, role: 'findings' });
  if (node.failed) lines.push({ text: 'failed (what-if)', role: 'whatIf' });
  else if (node.down) lines.push({ text: node.entry ? 'down: in blast radius' : 'down (what-if)', role: 'whatIf' });
  return lines;
}

/** Width and height of a node showing `lines`, from the per-character estimate. */
export function measureLines(lines: readonly TextLine[]): { width: number; height: number } {
  let width = 0;
  let height = 0;
  for (const line of lines) {
    const m = line.role === 'title' ? METRICS.title : METRICS.detail;
    width = Math.max(width, [...line.text].length * m.charWidth);
    height += m.lineHeight;
  }
  return { width: Math.ceil(Math.max(METRICS.minWidth, width + 2 * METRICS.padX)), height: Math.ceil(height + 2 * METRICS.padY) };
}

/**
 * The ELK graph of a snapshot. Components become nodes sized to their text; a component whose
 * instances all sit in one declared zone goes inside that zone's container (in `full` mode), one
 * spread over several zones stays outside with its zones listed on it; each `any-of` group becomes a small
 * junction node the alternatives hang from. ELK ids are generated (`c0`, `j0_1`, `z0`), so
 * no name from the file ever becomes an id.
 */
export function snapshotToElk(
  snapshot: DiagramSnapshot,
  direction: Direction = 'RIGHT',
  options: { mode?: LayoutMode; note?: string } = {},
): DiagramElkGraph {
  const size = graphSize(snapshot);
  const chosen = layoutModeFor(size);
  const mode = options.mode ?? chosen;
  const note = options.note ?? (mode === 'simple' && chosen === 'simple' ? simpleLayoutNote({ size }) : undefined);
  const useContainers = mode === 'full';
  const zonesDeclared = snapshot.zones.length > 0;
  const elkId = new Map<string, string>();
  snapshot.nodes.forEach((n, i) => elkId.set(n.id, `c${i}`));

  const zoneContainers = new Map<string, DiagramElkNode>();
  snapshot.zones.forEach((zone, i) => {
    zoneContainers.set(zone, {
      id: `z${i}`,
      archlint: { role: 'zone', zone },
      layoutOptions: { 'elk.padding': `[top=${METRICS.zoneTitleHeight + 8},left=14,bottom=14,right=14]` },
      children: [],
    });
  });

  const top: DiagramElkNode[] = [];
  for (const node of snapshot.nodes) {
    const lines = nodeLines(node, zonesDeclared, useContainers);
    const elkNode: DiagramElkNode = {
      id: elkId.get(node.id)!,
      ...measureLines(lines),
      archlint: { role: 'component', node, lines },
    };
    const only = useContainers && node.zones.length === 1 ? zoneContainers.get(node.zones[0]!) : undefined;
    (only ? only.children! : top).push(elkNode);
  }

  const edges: DiagramElkEdge[] = [];
  const junctions = new Map<string, string>();
  let edgeCount = 0;
  const addEdge = (source: string, target: string, meta: EdgeMeta) =>
    edges.push({ id: `e${edgeCount++}`, sources: [source], targets: [target], archlint: meta });
  for (const e of snapshot.edges) {
    const from = elkId.get(e.from);
    const to = elkId.get(e.to);
    if (!from || !to) continue;
    const base = { from: e.from, to: e.to, type: e.type, optional: e.optional };
    if (e.anyOf === undefined) {
      addEdge(from, to, base);
      continue;
    }
    const key = `${from}_${e.anyOf}`;
    let junction = junctions.get(key);
    if (!junction) {
      junction = `j${key.slice(1)}`;
      junctions.set(key, junction);
      top.push({
        id: junction,
        width: METRICS.junctionSize,
        height: METRICS.junctionSize,
        archlint: { role: 'junction', from: e.from, group: e.anyOf, optional: e.optional },
      });
      addEdge(from, junction, { ...base, to: '', anyOf: e.anyOf, junction: 'in' });
    }
    addEdge(junction, to, { ...base, anyOf: e.anyOf, junction: 'out' });
  }

  const containers = [...zoneContainers.values()].filter((z) => z.children!.length > 0);
  return {
    id: 'root',
    layoutOptions: layoutOptions(direction, mode),
    children: [...containers, ...top],
    edges,
    archlint: {
      role: 'root',
      ...(snapshot.name !== undefined && { name: snapshot.name }),
      direction,
      failed: snapshot.failed,
      blastRadius: snapshot.blastRadius,
      mode,
      ...(note !== undefined && { note }),
    },
  };
}
