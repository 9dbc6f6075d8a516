/**
 * Incremental re-parse: after an edit inside one top-level component, parse only that
 * component's text and reuse the rest of the previous document. Parsing is most of a full lint
 * (yaml's parser is the floor), so this is where a keystroke's cost goes from the whole file to
 * one component.
 *
 * The result is the document and value `parseArchitectureText(text)` gives (a property test
 * compares whole lints over random edits). Whenever the reuse cannot be shown safe — the edit
 * touches the header, the last component or a boundary between components, the component's
 * new text is not exactly one well-formed entry at the same indentation, the file uses anchors
 * or aliases, has duplicate keys or does not parse — the caller parses in full.
 *
 * The previous document is never changed: the new one shares the nodes before the edit (nothing
 * writes to a parsed document) and holds moved copies of the nodes after it.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, Pair, Scalar, YAMLMap, YAMLSeq, type Document } from 'yaml';
import type { ModelReuse } from '../model/build';
import type { Architecture } from '../model/model';
import { oddKeys } from './keys';
import { MAX_NESTING } from './nesting';
import { MAX_ALIAS_COUNT, parseYaml, YAML_OPTIONS, type ParsedArchitectureText } from './parse';
import { parseSimpleYaml } from './simpleYaml';

type Json = Record<string, unknown>;

/**
 * Whether the next edit may reuse a full parse: clean, a block `components:` mapping, no
 * anchors or aliases (a re-read component could change what an alias elsewhere means).
 */
export function isReusable(parsed: ParsedArchitectureText): boolean {
  const { doc, value, text } = parsed;
  if (!doc || parsed.findings.length > 0 || !isObject(value) || !isMap(doc.contents)) return false;
  // Without `&` or `*` anywhere there can be no anchor or alias; with them (`path: /api/*`) look.
  return (!text.includes('&') && !text.includes('*')) || !hasAnchorOrAlias(doc.contents);
}

/**
 * `text` parsed with one component re-read and the rest of `previous` reused, or `undefined`
 * to parse in full. `previous` must be {@link isReusable}; `model` is the model built from it,
 * which the result's `reuse` lends to the next model.
 */
export function reparseOneComponent(
  previous: ParsedArchitectureText,
  model: Architecture | undefined,
  text: string,
): ParsedArchitectureText | undefined {
  const { doc, value } = previous;
  if (!isObject(value) || !doc || !isMap(doc.contents)) return undefined;
  const old = previous.text;
  if (old === text) return { text, doc, value, findings: [], fastPath: previous.fastPath };

  // The edit: what differs between the common prefix and the common suffix.
  const shortest = Math.min(old.length, text.length);
  let start = 0;
  while (start < shortest && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let oldEnd = old.length;
  let newEnd = text.length;
  while (oldEnd > start && newEnd > start && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  const delta = text.length - old.length;

  const root = doc.contents as YAMLMap;
  const componentsPair = root.items.find((p) => isScalar(p.key) && p.key.value === 'components') as Pair | undefined;
  const components = componentsPair?.value;
  if (!componentsPair || !isMap(components) || components.flow || !isObject(value.components)) return undefined;
  const items = components.items as Pair[];

  // The component whose slice holds the edit's start. A slice runs from the start of its key's
  // line to the start of the next key's line; the last component's runs on into whatever follows
  // `components:`, so an edit there is parsed in full.
  const keyStart = (pair: Pair | undefined): number => (isScalar(pair?.key) ? (pair.key.range?.[0] ?? -1) : -1);
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (keyStart(items[mid]) <= start) lo = mid;
    else hi = mid - 1;
  }
  const i = lo;
  if (i >= items.length - 1) return undefined;
  const sliceStart = keyLineStart(old, keyStart(items[i]));
  const sliceEnd = keyLineStart(old, keyStart(items[i + 1]));
  // From the component's key on: comment lines before it may belong to the component above (yaml
  // keeps trailing comments indented as deep as a mapping's keys in that mapping).
  if (sliceStart < 0 || sliceEnd < 0 || start < keyStart(items[i]) || oldEnd > sliceEnd) return undefined;
  // The next key must still start its line (an insertion at that line's start belongs to it, not to this slice).
  if (keyLineStart(text, keyStart(items[i + 1]) + delta) !== sliceEnd + delta) return undefined;
  const column = keyStart(items[i]) - sliceStart;

  // The component's new text, parsed alone: it must be one entry, keyed at the same column. It
  // runs on over the next key's indentation, which yaml counts into a mapping's trailing comments.
  const sliceText = text.slice(sliceStart, keyStart(items[i + 1]) + delta);
  const simple = parseSimpleYaml(sliceText, YAML_OPTIONS);
  // The slice sits one level below the file's root: deeper than that allows is the full parse's to report.
  const parsed = simple ?? parseYaml(sliceText, MAX_NESTING - 1);
  if ('tooDeepAt' in parsed) return undefined;
  const slice = parsed.doc;
  if (slice.errors.length > 0 || slice.warnings.length > 0) return undefined;
  // A key that is not text (only `yaml` reads one) is the full parse's to report.
  if (!simple && oddKeys(slice).length > 0) return undefined;
  const sliceRoot = slice.contents;
  if (!isMap(sliceRoot) || sliceRoot.flow || sliceRoot.items.length !== 1) return undefined;
  const pair = sliceRoot.items[0] as Pair;
  if (!isScalar(pair.key) || typeof pair.key.value !== 'string' || pair.key.range?.[0] !== column) return undefined;
  const id = pair.key.value;
  if (id === '__proto__' || id === '' || hasAnchorOrAlias(pair)) return undefined;
  const ids: string[] = [];
  for (let j = 0; j < items.length; j++) {
    const key = items[j]!.key;
    if (!isScalar(key) || typeof key.value !== 'string' || key.value === '__proto__') return undefined;
    if (j !== i && key.value === id) return undefined; // a duplicate id: the full parse reports it
    ids.push(j === i ? id : key.value);
  }
  let sliceValue: unknown;
  try {
    sliceValue = ((simple?.value ?? slice.toJS({ maxAliasCount: MAX_ALIAS_COUNT })) as Json)[id];
  } catch {
    return undefined;
  }

  // Splice into a new document: the nodes before the edit shared, the new entry at its place,
  // moved copies of everything after it (shared too when the edit kept the length: nothing moved).
  shiftNode(pair, sliceStart); // the slice's own nodes: nobody else holds them
  const moved = (p: Pair): Pair => (delta === 0 ? p : movedCopy(p, delta));
  const nextComponents = copyOf(components, sliceEnd, delta);
  nextComponents.items = [...items.slice(0, i), pair, ...items.slice(i + 1).map(moved)];
  const nextRoot = copyOf(root, sliceEnd, delta);
  nextRoot.items = root.items.map((top) =>
    top === componentsPair
      ? withValue(componentsPair, nextComponents)
      : keyStart(top as Pair) >= sliceEnd
        ? moved(top as Pair)
        : top,
  );
  const nextDoc = copyOf(doc, sliceEnd, delta) as Document.Parsed;
  nextDoc.contents = nextRoot as unknown as Document.Parsed['contents'];

  // The plain value likewise: the previous one with this component's value replaced, in file order.
  const previousComponents = value.components;
  const nextComponentsValue: Json = {};
  ids.forEach((key, j) => (nextComponentsValue[key] = j === i ? sliceValue : previousComponents[key]));
  const reuse: ModelReuse | undefined = model && { previous: model, changed: id, delta, movedFrom: sliceEnd };
  return {
    text,
    doc: nextDoc,
    value: { ...value, components: nextComponentsValue },
    findings: [],
    fastPath: previous.fastPath,
    ...(reuse && { reuse }),
  };
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The start of the line `offset` is on, when only spaces precede it there; else −1. */
function keyLineStart(text: string, offset: number): number {
  if (offset < 0) return -1;
  let i = offset;
  while (i > 0 && text.charCodeAt(i - 1) === 32 /* space */) i--;
  return i === 0 || text.charCodeAt(i - 1) === 10 || text.charCodeAt(i - 1) === 13 ? i : -1;
}

/**
 * A shallow copy of a document or collection (same prototype and own properties, the node type
 * included) whose range ends past `from` move by `by`; the caller gives it its items.
 */
function copyOf<T extends object>(node: T, from: number, by: number): T {
  const copy = Object.create(Object.getPrototypeOf(node) as object, Object.getOwnPropertyDescriptors(node)) as T;
  const range = (node as { range?: number[] | null }).range;
  if (range) (copy as { range?: number[] }).range = range.map((offset) => (offset >= from ? offset + by : offset));
  return copy;
}

/** A pair like `pair` with another value (its key shared: it lies before the edit). */
function withValue(pair: Pair, value: unknown): Pair {
  const copy = copyOf(pair, Infinity, 0);
  copy.value = value;
  return copy;
}

/** yaml's mark of what a node is (a registered symbol, as `isScalar` and the others read it). */
const NODE_TYPE = Symbol.for('yaml.node.type');

type AnyNode = Record<string | symbol, unknown> & { range?: number[]; items?: unknown[]; key?: unknown; value?: unknown };

/**
 * A deep copy of a pair with every range moved by `by` characters: each node a new object of the
 * same class with the same fields (yaml's own `clone` reads every property descriptor, several
 * times slower, and the copy runs for every node after the edit). Iterative: depth is unbounded.
 */
function movedCopy(pair: Pair, by: number): Pair {
  const copyOne = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const source = node as AnyNode;
    const copy = emptyLike(source);
    for (const field in source) copy[field] = source[field];
    const range = source.range;
    if (range) copy.range = range.length === 3 ? [range[0]! + by, range[1]! + by, range[2]! + by] : range.map((o) => o + by);
    return copy;
  };
  const root = copyOne(pair) as AnyNode;
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const copy = stack.pop()!;
    if (isPair(copy)) {
      copy.key = copyOne(copy.key);
      copy.value = copyOne(copy.value);
      for (const child of [copy.key, copy.value]) if (child !== null && typeof child === 'object') stack.push(child as AnyNode);
    } else if (isCollection(copy)) {
      const items = (copy.items as unknown[]).map(copyOne);
      copy.items = items;
      for (const child of items) if (child !== null && typeof child === 'object') stack.push(child as AnyNode);
    }
  }
  return root as unknown as Pair;
}

/**
 * yaml's node classes, each with a prototype under its own that carries the class's type mark, so
 * `isScalar` and the others (which read `node[NODE_TYPE]`) and `instanceof` see a copy made from
 * it as the original, without defining the mark on every copy (the copy's slowest step). Built
 * once from the classes: constant, nothing of a document in it.
 */
const TYPED_PROTOTYPES: readonly (readonly [object, object])[] = [
  new Scalar(null),
  new YAMLMap(),
  new YAMLSeq(),
  new Pair(null),
].map((node) => {
  const proto = Object.getPrototypeOf(node) as object;
  const typed = Object.create(proto) as object;
  Object.defineProperty(typed, NODE_TYPE, { value: (node as unknown as AnyNode)[NODE_TYPE] });
  return [proto, typed] as const;
});

/** A new, empty node of `node`'s class and type mark: a copy of a copy takes its prototype as it is. */
function emptyLike(node: AnyNode): AnyNode {
  const proto = Object.getPrototypeOf(node) as object;
  if (!Object.prototype.hasOwnProperty.call(node, NODE_TYPE)) return Object.create(proto) as AnyNode;
  const typed = TYPED_PROTOTYPES.find(([of]) => of === proto)?.[1];
  if (typed) return Object.create(typed) as AnyNode;
  const copy = Object.create(proto) as AnyNode; // another class (a subclass): the mark defined on the copy
  Object.defineProperty(copy, NODE_TYPE, { value: node[NODE_TYPE] });
  return copy;
}

/** Moves a node the caller owns, and everything under it, by `by` characters. Iterative: nesting depth is unbounded. */
function shiftNode(node: unknown, by: number): void {
  if (by === 0) return;
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === null || typeof next !== 'object') continue;
    if (isPair(next)) {
      stack.push(next.key, next.value);
      continue;
    }
    const range = (next as { range?: number[] }).range;
    if (range) for (let k = 0; k < range.length; k++) range[k]! += by;
    if (isCollection(next)) for (const item of next.items) stack.push(item);
  }
}

/** Whether an anchor or alias appears anywhere under `node`. Iterative: nesting depth is unbounded. */
function hasAnchorOrAlias(node: unknown): boolean {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === null || typeof next !== 'object') continue;
    if (isAlias(next)) return true;
    if (isPair(next)) {
      stack.push(next.key, next.value);
      continue;
    }
    if ((next as { anchor?: string }).anchor) return true;
    if (isCollection(next)) for (const item of next.items) stack.push(item);
  }
  return false;
}
