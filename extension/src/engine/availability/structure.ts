/**
 * An entry point's structure function, split for speed without giving up exactness.
 *
 * Unfolding the required (`all`) edges, an acyclic entry point is up exactly when every
 * component in R — the entry and all it requires through required edges — is up, and every
 * any-of group met in R has a member up. So
 *
 *   P(up) = P(all of R up) · P(every group satisfied | all of R up)
 *
 * The first factor is a product (R's pools are independent given the zones); only the groups
 * need the BDD, with R's components fixed up (they drop out of it). In real architectures the
 * groups are small, so the BDD stays small even with a thousand components.
 *
 * With a cycle the unfolding is not valid; then the whole function is built as one BDD,
 * mirroring `isUp` (a component met again on its own path counts as its own variable only).
 */
import { Bdd, FALSE, TRUE } from './bdd';
import { anyOfKeys, type Graph, type Requirements } from '../model/graph';

export interface EntryStructure {
  /** Components known up in the residual: R, all required through required edges (empty with a cycle). */
  required: string[];
  /** BDD root of what remains, over components outside `required`. */
  residual: number;
  /** Every component the entry can need, in first-visit order (required first). */
  closure: string[];
  /** A component where a cycle was met, if any. */
  cycleAt?: string;
}

/** Cycle search state shared by the entry points of one computation: 1 on the current path, 2 explored without a cycle. */
export type CycleState = Map<string, 1 | 2>;

export function entryStructure(
  graph: Graph,
  bdd: Bdd,
  levelOf: (id: string) => number,
  entry: string,
  cycleState: CycleState = new Map(),
): EntryStructure {
  const cycleAt = findCycle(graph, entry, cycleState);
  if (cycleAt !== undefined) return { ...wholeFunction(graph, bdd, levelOf, entry), required: [], cycleAt };

  const requiredFrom = (start: string): string[] => {
    const seen = new Set<string>([start]);
    const order = [start];
    for (let i = 0; i < order.length; i++) {
      for (const dep of graph.requirements.get(order[i]!)?.all ?? []) {
        if (!seen.has(dep)) {
          seen.add(dep);
          order.push(dep);
        }
      }
    }
    return order;
  };

  const required = requiredFrom(entry);
  const known = new Set(required);
  const closure = [...required];
  const inClosure = new Set(required);
  required.forEach(levelOf);

  // conj(m): m's own function with the components of R fixed up: its literals (what m requires
  // through required edges, outside R) and, below them, all of its groups, each the `or` of its
  // members' conj. Made bottom-up with an explicit stack of the groups being built (a chain of
  // any-of groups as long as the file allows must not overflow the call stack), in exactly the
  // order a recursion would: each member's conj finished before the next member's begins.
  const memo = new Map<string, number>();
  /** A conjunction of groups under construction: the group and member being read, the parts so far. */
  interface Groups {
    groups: readonly string[][];
    group: number;
    members: number[];
    parts: number[];
    /** Set for a conj(start) (not for R's own groups): its literals, put above the groups when they are done. */
    conj?: { start: string; levels: number[] };
  }
  const enterConj = (start: string): Groups => {
    const reach = requiredFrom(start);
    for (const id of reach) {
      if (!inClosure.has(id)) {
        inClosure.add(id);
        closure.push(id);
      }
      levelOf(id);
    }
    const levels = reach
      .filter((id) => !known.has(id))
      .map(levelOf)
      .sort((a, b) => b - a);
    return { groups: groupsOf(graph, reach), group: 0, members: [], parts: [], conj: { start, levels } };
  };
  const finish = (frame: Groups): number => {
    // Built first to last (so earlier groups get the earlier variables), folded last to first (so
    // each step puts a small diagram above the accumulated one instead of walking through it).
    let result = TRUE;
    for (let i = frame.parts.length - 1; i >= 0 && result !== FALSE; i--) result = bdd.and(frame.parts[i]!, result);
    if (!frame.conj) return result;
    const { start, levels } = frame.conj;
    // The literals: straight on top when they all come before the groups' variables (the usual
    // case, as levels follow first visit), else through apply.
    if (levels.length > 0 && levels[0]! < bdd.level[result]!) {
      for (const level of levels) result = bdd.node(level, FALSE, result);
    } else {
      let chain = TRUE;
      for (const level of levels) chain = bdd.node(level, FALSE, chain);
      result = bdd.and(chain, result);
    }
    memo.set(start, result);
    return result;
  };
  const allOf = (groups: readonly string[][]): number => {
    const stack: Groups[] = [{ groups, group: 0, members: [], parts: [] }];
    for (;;) {
      const frame = stack[stack.length - 1]!;
      const group = frame.groups[frame.group];
      if (group && frame.members.length < group.length) {
        const member = group[frame.members.length]!;
        const cached = memo.get(member);
        if (cached !== undefined) frame.members.push(cached);
        else stack.push(enterConj(member));
        continue;
      }
      if (group) {
        let any = FALSE;
        for (let i = frame.members.length - 1; i >= 0 && any !== TRUE; i--) any = bdd.or(frame.members[i]!, any);
        frame.parts.push(any);
        frame.members = [];
        frame.group++;
        continue;
      }
      stack.pop();
      const result = finish(frame);
      const parent = stack[stack.length - 1];
      if (!parent) return result;
      parent.members.push(result);
    }
  };

  return { required, residual: allOf(groupsOf(graph, required)), closure };
}

/** The any-of groups of a set of components, each once. */
function groupsOf(graph: Graph, ids: readonly string[]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const id of ids) {
    const groups = graph.requirements.get(id)?.anyOf ?? [];
    const keys = anyOfKeys(graph, id);
    groups.forEach((group, j) => {
      if (seen.has(keys[j]!)) return;
      seen.add(keys[j]!);
      out.push(group);
    });
  }
  return out;
}

/**
 * A component on a cycle reachable from `entry` through requirements, or undefined. Components
 * explored without finding a cycle stay marked in `state`, so the entry points share one walk.
 */
function findCycle(graph: Graph, entry: string, state: CycleState): string | undefined {
  if (state.get(entry) === 2) return undefined;
  const stack: { id: string; next: string[]; i: number }[] = [];
  const push = (id: string) => {
    const req = graph.requirements.get(id);
    state.set(id, 1);
    stack.push({ id, next: req ? [...req.all, ...req.anyOf.flat()] : [], i: 0 });
  };
  push(entry);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.next.length) {
      state.set(top.id, 2);
      stack.pop();
      continue;
    }
    const next = top.next[top.i++]!;
    const s = state.get(next);
    if (s === 1) {
      // Only "explored without a cycle" is kept for the next entry: this path's marks go.
      for (const frame of stack) state.delete(frame.id);
      return next;
    }
    if (s === undefined) push(next);
  }
  return undefined;
}

/** The whole structure function as one BDD, exactly as `isUp` evaluates it (used when there is a cycle). */
function wholeFunction(
  graph: Graph,
  bdd: Bdd,
  levelOf: (id: string) => number,
  entry: string,
): { residual: number; closure: string[] } {
  const memo = new Map<string, number>();
  const onPath = new Set<string>();
  const closure: string[] = [];
  // up(id) = own ∧ each required term ∧ (each group: ∨ of its members), made with an explicit
  // stack in exactly the order a recursion makes it (each group's `or` as soon as its members are
  // done), so a long chain cannot overflow the call stack and the diagram is the same node for node.
  interface Frame {
    id: string;
    own: number;
    req: Requirements | undefined;
    /** Required terms read so far; then each group's position and its members so far. */
    terms: number[];
    group: number;
    members: number[];
  }
  const frames: Frame[] = [];
  const open = (id: string) => {
    onPath.add(id);
    closure.push(id);
    frames.push({ id, own: bdd.variable(levelOf(id)), req: graph.requirements.get(id), terms: [], group: 0, members: [] });
  };
  /** The value of `id` if known without walking below it, else `undefined` (it is to be opened). */
  const known = (id: string): number | undefined => memo.get(id) ?? (onPath.has(id) ? bdd.variable(levelOf(id)) : undefined);
  open(entry);
  for (;;) {
    const frame = frames[frames.length - 1]!;
    const { req } = frame;
    const all = req?.all ?? [];
    if (frame.terms.length < all.length) {
      const value = known(all[frame.terms.length]!);
      if (value !== undefined) frame.terms.push(value);
      else open(all[frame.terms.length]!);
      continue;
    }
    const group = req?.anyOf[frame.group];
    if (group && frame.members.length < group.length) {
      const value = known(group[frame.members.length]!);
      if (value !== undefined) frame.members.push(value);
      else open(group[frame.members.length]!);
      continue;
    }
    if (group) {
      let any = FALSE;
      for (let i = frame.members.length - 1; i >= 0; i--) any = bdd.or(frame.members[i]!, any);
      frame.terms.push(any);
      frame.members = [];
      frame.group++;
      continue;
    }
    let result = TRUE;
    for (let i = frame.terms.length - 1; i >= 0; i--) result = bdd.and(frame.terms[i]!, result);
    result = bdd.and(frame.own, result);
    frames.pop();
    onPath.delete(frame.id);
    memo.set(frame.id, result);
    const parent = frames[frames.length - 1];
    if (!parent) return { residual: result, closure };
    if (parent.terms.length < (parent.req?.all.length ?? 0)) parent.terms.push(result);
    else parent.members.push(result);
  }
}
