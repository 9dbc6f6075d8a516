import type { Offsets } from '../types';
import type { Architecture, Component } from './model';

/** One arrow of the topology. `anyOf` numbers the group an edge belongs to within its source. */
export interface Edge {
  from: string;
  to: string;
  type: 'route' | 'depends' | 'session-store';
  optional: boolean;
  anyOf?: number;
  range: Offsets;
}

/**
 * What a component needs to serve: every `all` member up, and in each `anyOf` group at
 * least one member up. Optional dependencies are not here: they degrade, they do not take down.
 * References to components that do not exist are left out (`unknown-reference` reports them).
 */
export interface Requirements {
  all: string[];
  anyOf: string[][];
}

export interface Graph {
  edges: Edge[];
  requirements: Map<string, Requirements>;
  /** Entry points in file order: `entry: true`, else components nothing routes to or depends on. */
  entryPoints: string[];
  /** Components that route to or depend on each component (any edge type). */
  dependents: Map<string, string[]>;
  /**
   * What is worked out from the arrows, on first use: a memo that belongs to the graph (not
   * enumerable, so the graph's data is only its arrows). A later graph of the same structure
   * takes it over ({@link adoptStructure}), so an edit that changes no arrow re-derives nothing.
   */
  readonly derived: GraphDerived;
}

/** The answers derived from a graph's arrows, each computed once per structure. */
export interface GraphDerived {
  singleFailures?: Map<string, string[]>;
  closures?: Map<string, Set<string>>;
  scc?: { nodes: string[]; result: string[][] };
  /** Each component's any-of groups as keys: groups with the same members are one condition, whatever their order. */
  anyOfKeys?: Map<string, string[]>;
  /** The indexes in `edges` of the route edges into each component (edges' order is part of the structure; their ranges are not). */
  routesByTarget?: Map<string, number[]>;
}

/** Gives `graph` its derived answers (`from` another graph's, or none yet). */
function withDerived<T extends Omit<Graph, 'derived'>>(graph: T, derived: GraphDerived = {}): T & Graph {
  return Object.defineProperty(graph, 'derived', { value: derived, enumerable: false, writable: true, configurable: true }) as T &
    Graph;
}

/**
 * The topology of a model. With `previous` (the graph of an earlier version of the same
 * architecture) of the same structure — the same components in the same order, requirements,
 * entry points, dependents and edges, all but where they are written — the new graph takes over
 * what was derived from it: an edit that changes no arrow, the common case, re-derives nothing.
 */
export function buildGraph(model: Architecture, previous?: Graph): Graph {
  const edges: Edge[] = [];
  const requirements = new Map<string, Requirements>();
  const exists = (id: string) => model.components.has(id);
  for (const c of model.components.values()) {
    // A component requires a handful of others: a list is cheaper than a set, in order all the same.
    const all: string[] = [];
    let self = false; // the component names itself: not a requirement, but it counts as listed
    const add = (id: string) => {
      if (id === c.id) self = true;
      else if (!all.includes(id)) all.push(id);
    };
    const anyOf: string[][] = [];
    for (const r of c.routesTo) {
      if (!exists(r.id)) continue;
      edges.push({ from: c.id, to: r.id, type: 'route', optional: false, range: r.range });
      add(r.id);
    }
    let group = 0;
    for (const d of c.dependsOn) {
      if (d.type === 'component') {
        if (!exists(d.target.id)) continue;
        edges.push({ from: c.id, to: d.target.id, type: 'depends', optional: d.optional, range: d.target.range });
        if (!d.optional) add(d.target.id);
      } else {
        const members = d.members.filter((m) => exists(m.id));
        for (const m of members) {
          edges.push({ from: c.id, to: m.id, type: 'depends', optional: d.optional, anyOf: group, range: m.range });
        }
        group++;
        if (!d.optional && members.length > 0) anyOf.push([...new Set(members.map((m) => m.id))]);
      }
    }
    // State kept in a shared store makes that store required, whether or not it is also listed.
    const listedStore = c.sessionStore && (c.sessionStore.id === c.id ? self : all.includes(c.sessionStore.id));
    if (c.sessionStore && exists(c.sessionStore.id) && !listedStore) {
      const listed = edges.some((e) => e.from === c.id && e.to === c.sessionStore!.id);
      if (!listed)
        edges.push({ from: c.id, to: c.sessionStore.id, type: 'session-store', optional: false, range: c.sessionStore.range });
      add(c.sessionStore.id);
    }
    requirements.set(c.id, { all, anyOf });
  }
  const dependents = new Map<string, string[]>();
  for (const id of model.components.keys()) dependents.set(id, []);
  for (const e of edges) {
    const list = dependents.get(e.to)!;
    if (!list.includes(e.from)) list.push(e.from);
  }
  const entryPoints = [...model.components.values()]
    .filter((c: Component) => c.entry === true || (c.entry === undefined && dependents.get(c.id)!.every((d) => d === c.id)))
    .map((c) => c.id);
  const graph = { edges, requirements, entryPoints, dependents };
  return withDerived(graph, previous && sameStructure(graph, previous) ? previous.derived : {});
}

/**
 * Whether `entry` serves when exactly the components in `down` are down and all others up.
 * A component met again on the current path (a cycle) counts as up unless it is itself down, so
 * evaluation always ends; `dependency-cycle` reports the cycle itself.
 */
export function isUp(graph: Graph, entry: string, down: ReadonlySet<string>): boolean {
  // Every requirement is visited, never short-circuited: inside a cycle the memoised values then
  // do not depend on which components are down, so this is one fixed boolean function of `down`,
  // the very one whose probability the availability engine computes.
  return foldRequirements(graph, entry, new Map<string, boolean>(), {
    onCycle: (id) => !down.has(id),
    leave(id, values) {
      let result = !down.has(id);
      const req = graph.requirements.get(id);
      if (!req) return result;
      let k = 0;
      for (let i = 0; i < req.all.length; i++) result = values[k++]! && result;
      for (const group of req.anyOf) {
        let any = false;
        for (let i = 0; i < group.length; i++) any = values[k++]! || any;
        result = any && result;
      }
      return result;
    },
  });
}

/** How {@link foldRequirements} combines what a component requires into its own value. */
export interface RequirementFold<T> {
  /** Called when a component is entered, before any of its requirements. */
  enter?(id: string): void;
  /** The value of a component met again on the current path (a cycle); not memoised. */
  onCycle(id: string): T;
  /** A component's value from its requirements' values: `all` in order, then each any-of group's members in order. */
  leave(id: string, values: readonly T[]): T;
}

const NO_REQUIREMENTS: readonly string[] = [];

/**
 * The value of `start` folded bottom-up over what it requires, exactly as a memoised depth-first
 * recursion would compute it — each requirement in order, each finished before the next begins,
 * `memo` read before the path — but with an explicit stack: a chain of components as long as the
 * file allows must not overflow the call stack. `memo` may be shared by several calls.
 */
export function foldRequirements<T>(graph: Graph, start: string, memo: Map<string, T>, fold: RequirementFold<T>): T {
  if (memo.has(start)) return memo.get(start)!;
  const onPath = new Set<string>();
  const frames: { id: string; children: readonly string[]; values: T[] }[] = [];
  const open = (id: string) => {
    onPath.add(id);
    fold.enter?.(id);
    const req = graph.requirements.get(id);
    const children = !req ? NO_REQUIREMENTS : req.anyOf.length === 0 ? req.all : [...req.all, ...req.anyOf.flat()];
    frames.push({ id, children, values: [] });
  };
  open(start);
  for (;;) {
    const frame = frames[frames.length - 1]!;
    if (frame.values.length < frame.children.length) {
      const child = frame.children[frame.values.length]!;
      if (memo.has(child)) frame.values.push(memo.get(child)!);
      else if (onPath.has(child)) frame.values.push(fold.onCycle(child));
      else open(child);
      continue;
    }
    frames.pop();
    onPath.delete(frame.id);
    const value = fold.leave(frame.id, frame.values);
    memo.set(frame.id, value);
    const parent = frames[frames.length - 1];
    if (!parent) return value;
    parent.values.push(value);
  }
}

/** Entry points that go down when `component` alone is down (its blast radius). */
export function blastRadius(graph: Graph, components: ReadonlySet<string> | string): string[] {
  if (typeof components === 'string') return [...(singleFailures(graph).get(components) ?? [])];
  if (components.size === 1) return [...(singleFailures(graph).get([...components][0]!) ?? [])];
  const down = components;
  // An entry point whose required closure holds none of the failed components stays up (`isUp`
  // only visits that closure): skip the evaluation.
  const closures = closuresOf(graph);
  return graph.entryPoints.filter((e) => {
    const closure = closures.get(e) ?? requiredClosure(graph, e);
    for (const id of down) if (closure.has(id)) return !isUp(graph, e, down);
    return false;
  });
}

/**
 * For every component, the entry points that its failure alone takes down, in entry-point
 * order: computed once per graph, since three rules and the hover ask it of every component.
 * Exactly {@link isUp}'s answer (a property test compares the two on random graphs), in time
 * linear in what each entry point reaches, however long its chains or cycles.
 */
function singleFailures(graph: Graph): Map<string, string[]> {
  const cached = graph.derived.singleFailures;
  if (cached) return cached;
  // Whether a component's required closure holds a cycle: a walk that meets a component still on
  // its path has found one, and the finding travels up to every caller.
  const cycleBelow = new Map<string, boolean>();
  const hasCycle = (id: string): boolean =>
    foldRequirements(graph, id, cycleBelow, { onCycle: () => true, leave: (_, below) => below.includes(true) });

  const radius = new Map<string, string[]>();
  const add = (component: string, entry: string) => {
    const list = radius.get(component);
    if (list) list.push(entry);
    else radius.set(component, [entry]);
  };
  // Without a cycle every entry point's walk reads the same circuit; with one, each has its own.
  const shared = criticalSets(graph);
  for (const entry of graph.entryPoints) {
    const critical = hasCycle(entry) ? criticalSets(graph) : shared;
    for (const id of critical(entry)) add(id, entry);
  }
  graph.derived.singleFailures = radius;
  return radius;
}

/**
 * The components whose failure alone takes an entry point down, by the circuit {@link isUp}
 * evaluates. Its walk reads the same requirements in the same order whatever is down, so it is
 * one acyclic circuit: a requirement met again on the path is an input (that component's own
 * state), any other is a gate (everything that component requires). critical(gate x) is then
 * exactly: x, each required input, each required gate's critical set, and the intersection of
 * the critical sets of each any-of group's members. A gate's set is walked from the entry point
 * when asked, never kept for every component (along a chain each would hold everything below
 * it: quadratic in the chain's length); only the groups' intersections are kept.
 */
function criticalSets(graph: Graph): (entry: string) => Set<string> {
  interface Read {
    id: string;
    input: boolean;
  }
  const gates = new Map<string, { all: readonly Read[]; groups: readonly Set<string>[] }>();
  const reads = new Map<string, Read>();
  const critical = (id: string): Set<string> => {
    const set = new Set<string>([id]);
    const walked = new Set<string>([id]);
    const queue = [id];
    for (let i = 0; i < queue.length; i++) {
      const gate = gates.get(queue[i]!)!;
      for (const read of gate.all) {
        set.add(read.id);
        if (read.input || walked.has(read.id)) continue;
        walked.add(read.id);
        queue.push(read.id);
      }
      for (const common of gate.groups) for (const x of common) set.add(x);
    }
    return set;
  };
  return (entry) => {
    // Leaving a gate, every gate below it is known: its groups' intersections can be made.
    foldRequirements(graph, entry, reads, {
      onCycle: (id) => ({ id, input: true }),
      leave(id, values) {
        const req = graph.requirements.get(id);
        const all = values.slice(0, req?.all.length ?? 0);
        let k = all.length;
        const groups = (req?.anyOf ?? []).map((group) => {
          const sets = values
            .slice(k, (k += group.length))
            .map((read) => (read.input ? new Set([read.id]) : critical(read.id)))
            .sort((a, b) => a.size - b.size);
          const common = new Set<string>();
          for (const x of sets[0] ?? []) if (sets.every((s) => s.has(x))) common.add(x);
          return common;
        });
        gates.set(id, { all, groups });
        return { id, input: false };
      },
    });
    return critical(entry);
  };
}

/** Each entry point's required closure, computed once per graph. */
function closuresOf(graph: Graph): Map<string, Set<string>> {
  let closures = graph.derived.closures;
  if (!closures) {
    closures = new Map(graph.entryPoints.map((e) => [e, requiredClosure(graph, e)]));
    graph.derived.closures = closures;
  }
  return closures;
}

/** Every component an entry point can need (required, any-of members; not optional ones), in depth-first order. */
export function requiredClosure(graph: Graph, entry: string): Set<string> {
  const seen = new Set<string>();
  // Depth first with an explicit stack (children pushed last to first), in the order a recursion would visit.
  const stack = [entry];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const req = graph.requirements.get(id);
    if (!req) continue;
    for (let g = req.anyOf.length - 1; g >= 0; g--) {
      const group = req.anyOf[g]!;
      for (let m = group.length - 1; m >= 0; m--) if (!seen.has(group[m]!)) stack.push(group[m]!);
    }
    for (let d = req.all.length - 1; d >= 0; d--) if (!seen.has(req.all[d]!)) stack.push(req.all[d]!);
  }
  return seen;
}

/**
 * The strongly connected components of the graph (Tarjan), over every edge type, optional ones
 * included. Each component lists its members in file order; the components come in file order of
 * their first member. A single node is its own component; it is a cycle only with a self-edge.
 */
export function stronglyConnectedComponents(graph: Graph, nodes: readonly string[]): string[][] {
  // Asked once per lint with every component: kept per structure, for those nodes.
  const cached = graph.derived.scc;
  if (cached && cached.nodes.length === nodes.length && cached.nodes.every((id, i) => id === nodes[i])) {
    return cached.result.map((members) => [...members]);
  }
  const result = computeStronglyConnected(graph, nodes);
  graph.derived.scc = { nodes: [...nodes], result: result.map((members) => [...members]) };
  return result;
}

function computeStronglyConnected(graph: Graph, nodes: readonly string[]): string[][] {
  const order = new Map(nodes.map((id, i) => [id, i]));
  const successors = new Map<string, string[]>(nodes.map((id) => [id, []]));
  for (const e of graph.edges) {
    const next = successors.get(e.from);
    if (next && order.has(e.to) && !next.includes(e.to)) next.push(e.to);
  }
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  // Iterative, so a long chain of components cannot overflow the call stack.
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, index.size);
    lowLink.set(root, index.get(root)!);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const next = successors.get(frame.id)!;
      if (frame.next < next.length) {
        const to = next[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, index.size);
          lowLink.set(to, index.get(to)!);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          lowLink.set(frame.id, Math.min(lowLink.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink.set(parent.id, Math.min(lowLink.get(parent.id)!, lowLink.get(frame.id)!));
      if (lowLink.get(frame.id) === index.get(frame.id)) {
        const members: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          members.push(member);
        } while (member !== frame.id);
        result.push(members.sort((a, b) => order.get(a)! - order.get(b)!));
      }
    }
  }
  return result.sort((a, b) => order.get(a[0]!)! - order.get(b[0]!)!);
}

function sameStructure(a: Omit<Graph, 'derived'>, b: Graph): boolean {
  const sameList = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  if (!sameList(a.entryPoints, b.entryPoints) || a.edges.length !== b.edges.length) return false;
  for (let i = 0; i < a.edges.length; i++) {
    const e = a.edges[i]!;
    const f = b.edges[i]!;
    if (e.from !== f.from || e.to !== f.to || e.type !== f.type || e.optional !== f.optional || e.anyOf !== f.anyOf) return false;
  }
  if (a.dependents.size !== b.dependents.size || a.requirements.size !== b.requirements.size) return false;
  const bDependents = b.dependents.entries();
  for (const [id, list] of a.dependents) {
    const [otherId, other] = bDependents.next().value as [string, string[]];
    if (id !== otherId || !sameList(list, other)) return false;
  }
  for (const [id, req] of a.requirements) {
    const other = b.requirements.get(id);
    if (!other || !sameList(req.all, other.all) || req.anyOf.length !== other.anyOf.length) return false;
    if (!req.anyOf.every((g, j) => sameList(g, other.anyOf[j]!))) return false;
  }
  return true;
}

/** The route edges into `id`, in graph order; indexed once per structure (a scan per component is quadratic). */
export function routesInto(graph: Graph, id: string): Edge[] {
  let index = graph.derived.routesByTarget;
  if (!index) {
    index = new Map();
    graph.edges.forEach((e, i) => {
      if (e.type !== 'route') return;
      const list = index!.get(e.to);
      if (list) list.push(i);
      else index!.set(e.to, [i]);
    });
    graph.derived.routesByTarget = index;
  }
  return (index.get(id) ?? []).map((i) => graph.edges[i]!);
}

/** The keys of `id`'s any-of groups (members sorted), in order; the same for groups with the same members. */
export function anyOfKeys(graph: Graph, id: string): string[] {
  const memo = (graph.derived.anyOfKeys ??= new Map());
  let keys = memo.get(id);
  if (!keys) memo.set(id, (keys = (graph.requirements.get(id)?.anyOf ?? []).map((g) => [...g].sort().join('\u0000'))));
  return keys;
}
