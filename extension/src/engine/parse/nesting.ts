/**
 * How deep a file may nest mappings and lists, checked before anything recursive reads it.
 *
 * `yaml`'s composer and `toJS`, the schema check and the engine's walks over the YAML tree
 * (shifting ranges, looking for aliases, finding a scalar for a fix) recurse once per level of
 * nesting; some hundreds of levels exhaust the call stack (fewer when the engine is called from
 * deep inside an editor). So a text is measured first — on `yaml`'s CST, whose parser keeps its
 * own stack, and, when it has aliases, on the document with each alias expanded — and one deeper
 * than {@link MAX_NESTING} is refused with one diagnostic where it first goes too deep. Every
 * recursion over the YAML tree in the engine is then bounded by this limit.
 */
import { isAlias, isMap, isSeq, type Alias, type CST, type Document } from 'yaml';

/**
 * The most mappings and lists a file may nest inside each other, aliases expanded. Real
 * architectures use about six; `yaml` alone runs out of stack at several hundred.
 */
export const MAX_NESTING = 128;

/**
 * Where `tokens` (a CST from `yaml`'s `Parser`) first nest collections deeper than `limit` (the
 * offset of that collection, in document order), and whether they hold an alias. A `key: value`
 * inside a flow sequence is a mapping of its own there, so it counts as one more level.
 */
export function nestingOfCst(tokens: readonly CST.Token[], limit: number): { tooDeepAt?: number; aliases: boolean } {
  let aliases = false;
  // Depth first in document order: children pushed last to first. `depth` counts the collections around a token.
  const stack: { token: CST.Token | null | undefined; depth: number }[] = [];
  for (let t = tokens.length - 1; t >= 0; t--) stack.push({ token: tokens[t], depth: 0 });
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if (token.type === 'alias') aliases = true;
    else if (token.type === 'document') stack.push({ token: token.value, depth });
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      const inside = depth + 1;
      if (inside > limit) return { tooDeepAt: token.offset, aliases };
      const flowSeq = token.type === 'flow-collection' && token.start.source === '[';
      for (let i = token.items.length - 1; i >= 0; i--) {
        const item = token.items[i]!;
        const pair = flowSeq && (item.key != null || (item.sep ?? []).some((s) => s.type === 'map-value-ind'));
        if (pair && inside + 1 > limit) return { tooDeepAt: item.key?.offset ?? item.value?.offset ?? token.offset, aliases };
        stack.push({ token: item.value, depth: pair ? inside + 1 : inside });
        stack.push({ token: item.key, depth: pair ? inside + 1 : inside });
      }
    }
  }
  return { aliases };
}

/** An alias that cannot be read: it names no anchor before it, or what it expands to nests deeper than the limit. */
export interface AliasProblem {
  alias: Alias;
  reason: 'unresolved' | 'recursive' | 'tooDeep';
}

/**
 * The first alias of `doc` (in document order) that names no anchor before it, or that nests
 * deeper than `limit` once expanded (the collections around it plus what its anchor's node holds;
 * an alias inside its own anchor's node expands without end). Resolved as `yaml` resolves it: the
 * last node with that anchor before the alias. For a document already within `limit` itself.
 */
export function aliasProblem(doc: Document, limit: number): AliasProblem | undefined {
  /** Collections below each finished node, aliases expanded. */
  const heights = new Map<unknown, number>();
  const anchors = new Map<string, unknown>();
  interface Frame {
    children: unknown[];
    next: number;
    depth: number;
    node: unknown;
    height: number;
  }
  const frames: Frame[] = [];
  /** Enters `node` at `depth`: its height when it has no children to walk, else a frame is pushed. */
  const enter = (node: unknown, depth: number): number | AliasProblem | undefined => {
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, node);
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) return { alias: node, reason: 'unresolved' };
      const height = heights.get(target); // unknown while its node is still being walked: it holds this alias
      if (height === undefined) return { alias: node, reason: 'recursive' };
      if (depth + height > limit) return { alias: node, reason: 'tooDeep' };
      return height;
    }
    if (isMap(node) || isSeq(node)) {
      const children = isMap(node) ? node.items.flatMap((pair) => [pair.key, pair.value]) : [...node.items];
      frames.push({ children, next: 0, depth: depth + 1, node, height: 1 });
      return undefined;
    }
    if (anchor) heights.set(node, 0); // an anchored scalar
    return 0;
  };
  const first = enter(doc.contents, 0);
  if (typeof first === 'object') return first;
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    if (frame.next < frame.children.length) {
      const child = enter(frame.children[frame.next++], frame.depth);
      if (typeof child === 'object') return child;
      if (child !== undefined) frame.height = Math.max(frame.height, 1 + child);
      continue;
    }
    frames.pop();
    heights.set(frame.node, frame.height);
    const parent = frames[frames.length - 1];
    if (parent) parent.height = Math.max(parent.height, 1 + frame.height);
  }
  return undefined;
}
