/**
 * A small reduced ordered binary decision diagram (BDD) for monotone structure functions.
 *
 * Why a BDD: a component that several paths share is one random variable, so the naive product
 * of paths is wrong. A BDD represents the exact structure function with each variable tested at
 * most once on every path, so its probability is one linear pass, the gain of making each
 * component perfect (Birnbaum importance) is a second pass, and both repeat cheaply for every
 * zone state. Variables are ordered by first visit in a depth-first walk from the entry point,
 * which keeps a component next to what it needs: series chains and any-of groups stay linear.
 */

/** Node ids: 0 is the constant "down", 1 the constant "up". */
export const FALSE = 0;
export const TRUE = 1;

/** Node ids stay below 2^26 so two of them pack into one exact double key. */
const KEY = 2 ** 26;

/** Numbers per frame of {@link Bdd.apply}'s stack. */
const FRAME = 5;

/** Thrown when building a diagram takes more steps than its budget (see {@link Bdd.budget}). */
export class BddBudgetExceeded extends Error {}

export class Bdd {
  /**
   * Most apply steps allowed before {@link BddBudgetExceeded}: a pathological structure must not
   * freeze the editor. Real architectures use a tiny fraction of it. Reset `steps` to start over.
   */
  budget = 300_000;
  steps = 0;
  /** Variable of each node (Infinity for the constants). */
  readonly level: number[] = [Infinity, Infinity];
  readonly low: number[] = [FALSE, TRUE];
  readonly high: number[] = [FALSE, TRUE];
  private readonly unique: Map<number, number>[] = [];
  private readonly andCache = new Map<number, number>();
  private readonly orCache = new Map<number, number>();

  get size(): number {
    return this.level.length;
  }

  /** The node testing `level`: `high` when it is up, `low` when it is down. */
  node(level: number, low: number, high: number): number {
    if (low === high) return low;
    const table = (this.unique[level] ??= new Map());
    const key = low * KEY + high;
    const known = table.get(key);
    if (known !== undefined) return known;
    const id = this.level.length;
    if (id >= KEY) throw new Error('availability: structure too large for an exact BDD');
    this.level.push(level);
    this.low.push(low);
    this.high.push(high);
    table.set(key, id);
    return id;
  }

  /** The function "variable `level` is up". */
  variable(level: number): number {
    return this.node(level, FALSE, TRUE);
  }

  and(a: number, b: number): number {
    return this.apply(a, b, true);
  }

  or(a: number, b: number): number {
    return this.apply(a, b, false);
  }

  /** The result of `a` and/or `b` when a constant or equal operands decide it, else −1. */
  private static decided(a: number, b: number, and: boolean): number {
    if (and) {
      if (a === FALSE || b === FALSE) return FALSE;
      if (a === TRUE) return b;
      if (b === TRUE || a === b) return a;
    } else {
      if (a === TRUE || b === TRUE) return TRUE;
      if (a === FALSE) return b;
      if (b === FALSE || a === b) return a;
    }
    return -1;
  }

  /**
   * Shannon expansion on the top variable, low branch then high branch, as the textbook recursion
   * does (the same steps, cache entries and nodes, in the same order), with an explicit stack: the
   * depth is the number of variables below, which a long chain of any-of groups makes larger than
   * a call stack allows.
   */
  private apply(a: number, b: number, and: boolean): number {
    const cache = and ? this.andCache : this.orCache;
    // One frame per pair being expanded: its cache key, top level, high pair, and low result (−1 until known).
    const stack: number[] = [];
    let x = a;
    let y = b;
    for (;;) {
      // The value of the pair (x, y), or a new frame to expand it.
      let value = Bdd.decided(x, y, and);
      if (value < 0) {
        if (++this.steps > this.budget) throw new BddBudgetExceeded(`more than ${this.budget} steps`);
        if (x > y) [x, y] = [y, x]; // both operations commute: one cache entry per pair
        const key = x * KEY + y;
        value = cache.get(key) ?? -1;
        if (value < 0) {
          const lx = this.level[x]!;
          const ly = this.level[y]!;
          const top = Math.min(lx, ly);
          const x0 = lx === top ? this.low[x]! : x;
          const y0 = ly === top ? this.low[y]! : y;
          stack.push(key, top, lx === top ? this.high[x]! : x, ly === top ? this.high[y]! : y, -1);
          x = x0;
          y = y0;
          continue;
        }
      }
      // Hand the value to the frames waiting for it: a low result sends the frame on to its high
      // pair; a high result completes the frame's node, which is in turn a value for the one below.
      for (;;) {
        const at = stack.length - FRAME;
        if (at < 0) return value;
        if (stack[at + 4]! < 0) {
          stack[at + 4] = value;
          x = stack[at + 2]!;
          y = stack[at + 3]!;
          break;
        }
        const node = this.node(stack[at + 1]!, stack[at + 4]!, value);
        cache.set(stack[at]!, node);
        stack.length = at;
        value = node;
      }
    }
  }

  /**
   * The nodes reachable from `root`, children before parents (node ids grow as nodes are made,
   * and a node is always made after its children), as flat arrays for the probability passes.
   */
  compile(root: number): CompiledBdd {
    const seen = new Set<number>();
    const stack = [root];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id <= TRUE || seen.has(id)) continue;
      seen.add(id);
      stack.push(this.low[id]!, this.high[id]!);
    }
    const ids = [...seen].sort((x, y) => x - y);
    // Positions 0 and 1 are the constants; internal nodes follow in id order.
    const position = new Map<number, number>([
      [FALSE, 0],
      [TRUE, 1],
    ]);
    ids.forEach((id, i) => position.set(id, i + 2));
    const n = ids.length + 2;
    const level = new Int32Array(n);
    const low = new Int32Array(n);
    const high = new Int32Array(n);
    ids.forEach((id, i) => {
      level[i + 2] = this.level[id]!;
      low[i + 2] = position.get(this.low[id]!)!;
      high[i + 2] = position.get(this.high[id]!)!;
    });
    return { level, low, high, root: position.get(root)! };
  }
}

/** A BDD reachable from one root, in flat arrays; position 0 is "down", 1 is "up". */
export interface CompiledBdd {
  level: Int32Array;
  low: Int32Array;
  high: Int32Array;
  root: number;
}

/** Numbers by index: plain arrays or typed ones (the results are the same doubles). */
export type Numbers = number[] | Float64Array;

/** Scratch space for {@link evaluate}, reused across zone states. */
export interface BddScratch {
  up: Numbers;
  down: Numbers;
  reach: Numbers;
}

export function scratchFor(bdd: CompiledBdd): BddScratch {
  const n = bdd.level.length;
  const zeros = () => new Array<number>(n).fill(0);
  return { up: zeros(), down: zeros(), reach: zeros() };
}

/**
 * One probability pass and one importance pass. `p[level]` / `q[level]` are each variable's
 * probabilities of being up / down (both given, so neither is 1 minus the other). Returns the
 * root's up and down probabilities, both sums of positive terms; adds to `gain[level]` the
 * weight × q × ∂P(up)/∂p, i.e. the weighted gain of making that variable never fail.
 */
export function evaluate(
  bdd: CompiledBdd,
  p: Numbers,
  q: Numbers,
  scratch: BddScratch,
  weight: number,
  gain: Numbers | undefined,
): { up: number; down: number } {
  const { level, low, high, root } = bdd;
  const { up, down, reach } = scratch;
  up[0] = 0;
  down[0] = 1;
  up[1] = 1;
  down[1] = 0;
  for (let v = 2; v <= root; v++) {
    const l = level[v]!;
    const lo = low[v]!;
    const hi = high[v]!;
    up[v] = p[l]! * up[hi]! + q[l]! * up[lo]!;
    down[v] = p[l]! * down[hi]! + q[l]! * down[lo]!;
  }
  if (gain && root >= 2) {
    reach.fill(0, 0, root + 1);
    reach[root] = 1;
    for (let v = root; v >= 2; v--) {
      const r = reach[v]!;
      if (r === 0) continue;
      const l = level[v]!;
      const lo = low[v]!;
      const hi = high[v]!;
      reach[hi]! += r * p[l]!;
      reach[lo]! += r * q[l]!;
      // The structure is monotone, so the low branch is never more available than the high one.
      gain[l]! += weight * q[l]! * r * (down[lo]! - down[hi]!);
    }
  }
  return { up: up[root]!, down: down[root]! };
}
