import type { ElkEdgeSection } from 'elkjs/lib/elk-api';
import type { DiagramElkEdge, DiagramElkGraph, DiagramElkNode } from './elkGraph';

/** Spacing of the simplest layout: the same gaps as the layered options. */
const PADDING = 20;
const NODE_GAP = 28;
const LAYER_GAP = 56;
/** A layer longer than this is wrapped into several columns (rows), so the picture stays roughly square. */
const MIN_NODES_PER_COLUMN = 20;
/** How far an edge between two nodes of one column runs out beside it. */
const SIDE_LOOP = 20;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Lays out a diagram graph without ELK, in time linear in its size (plus one sort per layer):
 * each node goes one layer after the deepest node it is reached from (the longest path; a cycle
 * is broken at its first node in file order), nodes of a layer are ordered by where the nodes
 * they are reached from sit, long layers wrap into several columns, and every edge is a straight
 * line. The fallback of `simple` mode: too large or too tangled for ELK, or out of time. Pure,
 * so Node and the webview draw the same picture; zone containers are dropped (the `simple`
 * graph has none, its nodes name their zone).
 */
export function simpleLayout(graph: DiagramElkGraph): DiagramElkGraph {
  const nodes: DiagramElkNode[] = [];
  const collect = (list: readonly DiagramElkNode[]) => {
    for (const node of list) {
      if (node.archlint.role === 'zone') collect(node.children ?? []);
      else nodes.push({ ...node, children: undefined });
    }
  };
  collect(graph.children);
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const n = nodes.length;

  // Longest-path layers, Kahn's order; when only cycles are left, the first node left (file order) goes next.
  const successors: number[][] = nodes.map(() => []);
  const predecessors: number[][] = nodes.map(() => []);
  const waitingFor = new Int32Array(n);
  for (const edge of graph.edges) {
    const s = index.get(edge.sources[0] ?? '');
    const t = index.get(edge.targets[0] ?? '');
    if (s === undefined || t === undefined || s === t) continue;
    successors[s]!.push(t);
    predecessors[t]!.push(s);
    waitingFor[t]!++;
  }
  const layer = new Int32Array(n);
  const placed = new Uint8Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (waitingFor[i] === 0) queue.push(i);
  let head = 0;
  let firstLeft = 0;
  for (let done = 0; done < n;) {
    if (head === queue.length) {
      while (placed[firstLeft]) firstLeft++;
      queue.push(firstLeft);
    }
    const v = queue[head++]!;
    if (placed[v]) continue;
    placed[v] = 1;
    done++;
    for (const w of successors[v]!) {
      if (placed[w]) continue;
      layer[w] = Math.max(layer[w]!, layer[v]! + 1);
      if (--waitingFor[w]! === 0) queue.push(w);
    }
  }

  // Within a layer: by the mean position of the nodes one comes from (file order breaks ties).
  const layers: number[][] = [];
  for (let i = 0; i < n; i++) (layers[layer[i]!] ??= []).push(i);
  const order = new Float64Array(n);
  for (const members of layers) {
    if (!members) continue;
    const key = new Map<number, number>();
    for (const v of members) {
      let sum = 0;
      let count = 0;
      for (const p of predecessors[v]!) {
        if (layer[p]! >= layer[v]!) continue;
        sum += order[p]!;
        count++;
      }
      key.set(v, count > 0 ? sum / count : Number.POSITIVE_INFINITY);
    }
    members.sort((a, b) => key.get(a)! - key.get(b)! || a - b);
    members.forEach((v, i) => (order[v] = i));
  }

  // Columns (rows when drawn downwards), each layer wrapped into as many as it needs.
  const perColumn = Math.max(MIN_NODES_PER_COLUMN, Math.ceil(Math.sqrt(n)));
  const down = graph.archlint.direction === 'DOWN';
  const column = new Int32Array(n);
  const boxes: Box[] = nodes.map((node) => ({ x: 0, y: 0, width: node.width ?? 0, height: node.height ?? 0 }));
  let across = PADDING; // where the next column starts, along the flow
  let extent = 0; // the longest column, across the flow
  let columns = 0;
  for (const members of layers) {
    if (!members) continue;
    for (let start = 0; start < members.length; start += perColumn) {
      const slice = members.slice(start, start + perColumn);
      let along = PADDING;
      let thickness = 0;
      for (const v of slice) {
        const box = boxes[v]!;
        column[v] = columns;
        if (down) {
          box.x = along;
          box.y = across;
          along += box.width + NODE_GAP;
          thickness = Math.max(thickness, box.height);
        } else {
          box.x = across;
          box.y = along;
          along += box.height + NODE_GAP;
          thickness = Math.max(thickness, box.width);
        }
      }
      extent = Math.max(extent, along - NODE_GAP);
      across += thickness + LAYER_GAP;
      columns++;
    }
  }
  const size = { along: Math.max(across - LAYER_GAP, PADDING) + PADDING, across: Math.max(extent, PADDING) + PADDING };

  const edges: DiagramElkEdge[] = graph.edges.map((edge) => {
    const s = index.get(edge.sources[0] ?? '');
    const t = index.get(edge.targets[0] ?? '');
    if (s === undefined || t === undefined) return { ...edge, sections: [] };
    return { ...edge, sections: [straightSection(edge.id, boxes[s]!, boxes[t]!, column[t]! - column[s]!, down)] };
  });
  const children = nodes.map((node, i) => ({ ...node, x: boxes[i]!.x, y: boxes[i]!.y }));
  return {
    ...graph,
    x: 0,
    y: 0,
    width: down ? size.across : size.along,
    height: down ? size.along : size.across,
    children,
    edges,
    archlint: { ...graph.archlint, mode: 'simple' },
  };
}

/** From the side of `from` that faces `to` to the side of `to` that faces `from`; beside the column when both share it. */
function straightSection(id: string, from: Box, to: Box, columnsAhead: number, down: boolean): ElkEdgeSection {
  // Written for left-to-right flow; a downward picture swaps the axes on the way in and out.
  const flip = (b: Box): Box => (down ? { x: b.y, y: b.x, width: b.height, height: b.width } : b);
  const point = (x: number, y: number) => (down ? { x: y, y: x } : { x, y });
  const a = flip(from);
  const b = flip(to);
  const midA = a.y + a.height / 2;
  const midB = b.y + b.height / 2;
  if (columnsAhead > 0) {
    return { id: `${id}_s0`, startPoint: point(a.x + a.width, midA), endPoint: point(b.x, midB) };
  }
  if (columnsAhead < 0) {
    return { id: `${id}_s0`, startPoint: point(a.x, midA), endPoint: point(b.x + b.width, midB) };
  }
  const beside = Math.max(a.x + a.width, b.x + b.width) + SIDE_LOOP;
  return {
    id: `${id}_s0`,
    startPoint: point(a.x + a.width, midA),
    bendPoints: [point(beside, midA), point(beside, midB)],
    endPoint: point(b.x + b.width, midB),
  };
}
