import { computeAvailability } from '../availability';
import type { LintResult } from '../lint';
import { blastRadius, isUp, type Graph } from '../model/graph';
import type { Architecture, Component } from '../model/model';
import type { AvailabilityReport } from '../availability/types';
import type { Finding, Severity } from '../types';

/**
 * The diagram's view of an architecture, in plain JSON: what the extension host sends to the
 * webview and what the CLI renders. Everything the picture shows is decided here, from the
 * engine's results; the layers after it only place and draw.
 */
export interface DiagramSnapshot {
  /** The architecture's `name`, when it has one. */
  name?: string;
  /** Declared zones, in file order (empty when the file declares none). */
  zones: string[];
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  /** Components failed on purpose (what-if). */
  failed: string[];
  /** Entry points that are down because of {@link failed}. */
  blastRadius: string[];
}

export interface DiagramNode {
  /** The component id, as written: untrusted text, always escaped when drawn. */
  id: string;
  kind: string;
  /** How many instances, for the label: `×3`, `2–10` (autoscale), `8 shards ×3`. */
  replicas: string;
  /** The zones its instances are spread over, as written. */
  zones: string[];
  /** Whether the graph counts it as an entry point. */
  entry: boolean;
  /** Worst severity among the findings about it. */
  severity?: Severity;
  /** How many findings are about it. */
  findings: number;
  /** Availability of its own pool (instances and zones, dependencies not included), 0..1. */
  pool?: number;
  /** For entry points: availability of the whole entry point, 0..1. */
  availability?: number;
  slo?: number;
  meetsSlo?: boolean;
  /** Failed on purpose (what-if). */
  failed: boolean;
  /** Cannot serve because something it needs failed (what-if). */
  down: boolean;
}

export interface DiagramEdge {
  from: string;
  to: string;
  type: 'route' | 'depends' | 'session-store';
  optional: boolean;
  /** Index of the `any-of` group of `from` this edge belongs to. */
  anyOf?: number;
}

/** What {@link buildSnapshot} needs: the engine's results for one file. */
export interface SnapshotInput {
  model: Architecture;
  graph: Graph;
  findings: readonly Finding[];
  /** Computed with {@link failed} down, when a what-if is active. */
  availability?: AvailabilityReport;
  failed?: ReadonlySet<string>;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Worst of two severities (`undefined` is below every severity). */
export function worseSeverity(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

/** `×3`, `2–10` for an autoscaled pool, `8 shards ×3` for a sharded one. */
export function replicasLabel(c: Component): string {
  const pool = c.autoscale ? `${c.autoscale.min}–${c.autoscale.max}` : `×${c.replicas}`;
  return c.sharding ? `${c.sharding.shards} shards ${pool}` : pool;
}

/** Turns the engine's results into the plain-JSON snapshot the diagram draws. Pure. */
export function buildSnapshot(input: SnapshotInput): DiagramSnapshot {
  const { model, graph, findings, availability } = input;
  const failed = new Set([...(input.failed ?? [])].filter((id) => model.components.has(id)));
  const entries = new Set(graph.entryPoints);
  const severity = new Map<string, Severity>();
  const findingCount = new Map<string, number>();
  for (const f of findings) {
    if (f.component === undefined) continue;
    severity.set(f.component, worseSeverity(severity.get(f.component), f.severity)!);
    findingCount.set(f.component, (findingCount.get(f.component) ?? 0) + 1);
  }
  const entryAvailability = new Map((availability?.entries ?? []).map((e) => [e.component, e]));
  const nodes: DiagramNode[] = [...model.components.values()].map((c) => {
    const entry = entryAvailability.get(c.id);
    const node: DiagramNode = {
      id: c.id,
      kind: c.kind,
      replicas: replicasLabel(c),
      zones: c.zones.map((z) => z.id).filter((z) => model.zones.has(z)),
      entry: entries.has(c.id),
      findings: findingCount.get(c.id) ?? 0,
      failed: failed.has(c.id),
      down: failed.size > 0 && !failed.has(c.id) && !isUp(graph, c.id, failed),
    };
    const sev = severity.get(c.id);
    if (sev) node.severity = sev;
    const pool = availability?.components.get(c.id)?.pool;
    if (pool !== undefined) node.pool = pool;
    if (entry) {
      node.availability = entry.availability;
      if (entry.slo !== undefined) node.slo = entry.slo;
      if (entry.meetsSlo !== undefined) node.meetsSlo = entry.meetsSlo;
    }
    return node;
  });
  const edges: DiagramEdge[] = graph.edges.map((e) => ({
    from: e.from,
    to: e.to,
    type: e.type,
    optional: e.optional,
    ...(e.anyOf !== undefined && { anyOf: e.anyOf }),
  }));
  return {
    ...(model.name !== undefined && { name: model.name }),
    zones: [...model.zones.keys()],
    nodes,
    edges,
    failed: [...failed],
    blastRadius: failed.size > 0 ? blastRadius(graph, failed) : [],
  };
}

/**
 * The snapshot of a lint result, with `failed` down when a what-if is active: the engine
 * recomputes availability with them failed (the lint result's own numbers have nothing down).
 * Undefined when the text is not a readable architecture.
 */
export function snapshotOfLint(result: LintResult, failed: ReadonlySet<string> = new Set()): DiagramSnapshot | undefined {
  const { model, graph } = result;
  if (!model || !graph) return undefined;
  const down = new Set([...failed].filter((id) => model.components.has(id)));
  const availability = down.size > 0 ? computeAvailability(model, graph, { failed: down }) : result.availability;
  return buildSnapshot({ model, graph, findings: result.findings, availability, failed: down });
}
