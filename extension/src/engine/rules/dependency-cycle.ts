import { stronglyConnectedComponents, type Edge } from '../model/graph';
import { defineRule } from './define';

/**
 * The shortest cycle from `start` back to itself, as the edges taken, using only edges that
 * `usable` accepts and that stay inside `members`. Breadth-first, so the message stays short;
 * linear in the edges, so a cycle through thousands of components is found as fast as a short one.
 */
function shortestCycle(
  edges: readonly Edge[],
  start: string,
  members: ReadonlySet<string>,
  usable: (e: Edge) => boolean,
): Edge[] | undefined {
  const outgoing = new Map<string, Edge[]>();
  for (const e of edges) {
    if (!members.has(e.from) || !members.has(e.to) || !usable(e)) continue;
    const list = outgoing.get(e.from);
    if (list) list.push(e);
    else outgoing.set(e.from, [e]);
  }
  const closing = outgoing.get(start)?.find((e) => e.to === start);
  if (closing) return [closing];
  const cameBy = new Map<string, Edge>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const e of outgoing.get(id) ?? []) {
      if (e.to === start) {
        const path = [e];
        for (let at = id; at !== start; at = cameBy.get(at)!.from) path.push(cameBy.get(at)!);
        return path.reverse();
      }
      if (!cameBy.has(e.to)) {
        cameBy.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  return undefined;
}

const describe = (e: Edge): string =>
  e.type === 'route' ? 'routes to' : e.type === 'session-store' ? 'keeps sessions in' : 'depends on';

export const dependencyCycle = defineRule({
  meta: {
    id: 'dependency-cycle',
    severity: 'error',
    summary: 'components that route to or depend on each other in a circle',
    rationale:
      'When components need each other in a circle, none of them can start first and none can be restarted alone: ' +
      'after an outage the whole loop has to come up at once, one slow member backs up every other, and retries ' +
      'amplify around the loop. A required cycle also makes availability meaningless — each member is up only if the ' +
      'others are. Even a cycle through an optional dependency can deadlock at start-up and feed retry storms, so ' +
      'every route, dependency and session store counts; the message says which links are optional.',
    messages: {
      cycle: 'dependency cycle: {{path}}',
      cycleWithOptional: 'dependency cycle: {{path}} (through the optional dependency {{optional}})',
    },
  },
  check(ctx) {
    const components = stronglyConnectedComponents(ctx.graph, [...ctx.model.components.keys()]);
    // Each strongly connected component's own edges (in graph order), so the search for its cycle
    // reads those instead of every edge of the file: linear, not quadratic, in the file's size.
    const componentOf = new Map<string, number>();
    components.forEach((members, i) => members.forEach((id) => componentOf.set(id, i)));
    const edgesOf = new Map<number, Edge[]>();
    for (const e of ctx.graph.edges) {
      const from = componentOf.get(e.from);
      if (from === undefined || from !== componentOf.get(e.to)) continue;
      const list = edgesOf.get(from);
      if (list) list.push(e);
      else edgesOf.set(from, [e]);
    }
    components.forEach((members, i) => {
      const edges = edgesOf.get(i);
      if (!edges) return;
      const start = members[0]!;
      const inCycle = new Set(members);
      // A cycle of required links is the stronger claim, so it is the one reported when there is one.
      const cycle = shortestCycle(edges, start, inCycle, (e) => !e.optional) ?? shortestCycle(edges, start, inCycle, () => true);
      if (!cycle) return;
      const closing = cycle[cycle.length - 1]!;
      const path = [start, ...cycle.map((e) => e.to)].join(' → ');
      const optional = cycle.filter((e) => e.optional).map((e) => `${e.from} → ${e.to}`);
      ctx.report({
        messageId: optional.length > 0 ? 'cycleWithOptional' : 'cycle',
        data: { path, optional: optional.join(', ') },
        range: closing.range,
        component: closing.from,
        related: cycle.slice(0, -1).map((e) => ({ range: e.range, message: `${e.from} ${describe(e)} ${e.to}` })),
      });
    });
  },
});
