import type { ElkNode } from 'elkjs/lib/elk-api';
import type { DiagramElkEdge, DiagramElkGraph, DiagramElkNode } from './elkGraph';

/** The part of ELK's API the diagram uses: the bundled ELK in Node, the worker-backed one in a browser. */
export interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** More bend points than any ELK route has; a reply with more is not believed. */
const MAX_BEND_POINTS = 10_000;
const MAX_SECTIONS = 100;

/**
 * Lays out a diagram graph with `elk`. The options travel inside the graph
 * ({@link layoutOptions}), so Node and the webview's worker produce the same picture.
 */
export async function layoutWith(elk: ElkLike, graph: DiagramElkGraph): Promise<DiagramElkGraph> {
  // ELK annotates its input in place; a copy keeps the caller's graph reusable.
  return (await elk.layout(structuredClone(graph))) as DiagramElkGraph;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPoint = (v: unknown): v is { x: number; y: number } => isObject(v) && isFinite(v.x) && isFinite(v.y);

/**
 * `sent` with the geometry of `reply`, a layout worker's answer to it: the position and size of
 * every node and the route of every edge, each checked to be finite numbers. Nothing else of the
 * reply is believed (names, classes and text all come from `sent`, which this side built), so a
 * broken or hostile worker can at worst misplace boxes. Undefined when `reply` lacks a node or
 * edge of `sent` or holds something that is not geometry.
 */
export function adoptLayout(sent: DiagramElkGraph, reply: unknown): DiagramElkGraph | undefined {
  if (!isObject(reply) || !isFinite(reply.width) || !isFinite(reply.height)) return undefined;
  const nodes = new Map<string, Json>();
  const edges = new Map<string, Json>();
  const ids = new Set<string>(['root']);
  const collect = (node: Json, depth: number): boolean => {
    if (depth > 2) return false; // the root, zone containers, their members: nothing deeper is ours
    for (const child of Array.isArray(node.children) ? node.children : []) {
      if (!isObject(child) || typeof child.id !== 'string') return false;
      nodes.set(child.id, child);
      if (!collect(child, depth + 1)) return false;
    }
    for (const edge of Array.isArray(node.edges) ? node.edges : []) {
      if (!isObject(edge) || typeof edge.id !== 'string') return false;
      edges.set(edge.id, edge);
    }
    return true;
  };
  if (!collect(reply, 0)) return undefined;

  const adoptNode = (node: DiagramElkNode): DiagramElkNode | undefined => {
    const r = nodes.get(node.id);
    if (!r || !isFinite(r.x) || !isFinite(r.y) || !isFinite(r.width) || !isFinite(r.height)) return undefined;
    ids.add(node.id);
    const children = node.children?.map(adoptNode);
    if (children?.some((c) => c === undefined)) return undefined;
    return {
      ...node,
      x: r.x,
      y: r.y,
      width: r.width,
      height: r.height,
      ...(children && { children: children as DiagramElkNode[] }),
    };
  };
  const children = sent.children.map(adoptNode);
  if (children.some((c) => c === undefined)) return undefined;

  const adoptEdge = (edge: DiagramElkEdge): DiagramElkEdge | undefined => {
    const r = edges.get(edge.id);
    const sections = r?.sections;
    if (!Array.isArray(sections) || sections.length > MAX_SECTIONS) return undefined;
    const adopted = [];
    for (const s of sections) {
      if (!isObject(s) || !isPoint(s.startPoint) || !isPoint(s.endPoint)) return undefined;
      const bends = s.bendPoints ?? [];
      if (!Array.isArray(bends) || bends.length > MAX_BEND_POINTS || !bends.every(isPoint)) return undefined;
      adopted.push({
        id: typeof s.id === 'string' ? s.id : `${edge.id}_s${adopted.length}`,
        startPoint: { x: s.startPoint.x, y: s.startPoint.y },
        endPoint: { x: s.endPoint.x, y: s.endPoint.y },
        ...(bends.length > 0 && { bendPoints: bends.map((p) => ({ x: p.x, y: p.y })) }),
      });
    }
    // Section coordinates are relative to the container ELK names; only a node of ours may be one.
    const container = typeof r!.container === 'string' && ids.has(r!.container) ? { container: r!.container } : {};
    return { ...edge, sections: adopted, ...container };
  };
  const adoptedEdges = sent.edges.map(adoptEdge);
  if (adoptedEdges.some((e) => e === undefined)) return undefined;

  return {
    ...sent,
    x: isFinite(reply.x) ? reply.x : 0,
    y: isFinite(reply.y) ? reply.y : 0,
    width: reply.width,
    height: reply.height,
    children: children as DiagramElkNode[],
    edges: adoptedEdges as DiagramElkEdge[],
  };
}
