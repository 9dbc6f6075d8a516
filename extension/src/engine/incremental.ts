/**
 * Incremental re-lint: after an edit inside one top-level component, re-parse only that
 * component's text and reuse the rest of the previous document, then run the same schema check,
 * model, graph and rules as {@link lint}. Parsing is most of a full lint (yaml's parser is the
 * floor), so this is where a keystroke's cost goes from the whole file to one component.
 *
 * The result is the one `lint(text)` gives: same findings, ranges, fixes, model and
 * availability (test/unit/incremental.test.ts compares them over random edits). Whenever the
 * reuse cannot be shown safe — the edit touches the header, the last component or a boundary
 * between components, the component's new text is not exactly one well-formed entry at the
 * same indentation, the file uses anchors or aliases, has duplicate keys or does not parse —
 * it falls back to a full lint.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, type Pair, type YAMLMap } from 'yaml';
import { handOverDocument, lintParsed, type LintOptions, type LintResult } from './lint';
import { oddKeys } from './parse/keys';
import { MAX_NESTING } from './parse/nesting';
import { MAX_ALIAS_COUNT, parseArchitectureText, parseYaml, YAML_OPTIONS, type ParsedArchitectureText } from './parse/parse';
import { parseSimpleYaml } from './parse/simpleYaml';

type Json = Record<string, unknown>;

/** What a result keeps for the next edit: the plain value its document gives (the schema check's input). */
const reusable = new WeakMap<LintResult, Json>();
/** Results made by re-parsing one component (for tests and the bench; the results themselves are the same). */
const incremental = new WeakSet<LintResult>();

/** Whether `result` was made by re-parsing one component rather than the whole text. */
export function wasIncremental(result: LintResult): boolean {
  return incremental.has(result);
}

/**
 * Lints `text`, reusing `previous` (the result for the text before the edit) where it can.
 * Returns exactly what `lint(text, options)` returns.
 *
 * `previous` is taken over: its YAML document is updated in place (node offsets after the edit
 * move) and becomes the new result's, so `previous.doc` must not be read afterwards. Its
 * findings, model and availability are plain data and stay valid for the old text.
 */
export function lintIncremental(previous: LintResult | undefined, text: string, options: LintOptions = {}): LintResult {
  const reused = previous ? reparseOneComponent(previous, text) : undefined;
  if (reused) {
    handOverDocument(previous!);
    const result = lintParsed(reused, options, previous);
    reusable.set(result, reused.value as Json);
    incremental.add(result);
    return result;
  }
  const parsed = parseArchitectureText(text);
  const result = lintParsed(parsed, options);
  if (isReusable(parsed)) reusable.set(result, parsed.value as Json);
  return result;
}

/** A full parse whose document the next edit may reuse: clean, a block `components:` mapping, no anchors or aliases. */
function isReusable(parsed: ParsedArchitectureText): boolean {
  const { doc, value, text } = parsed;
  if (!doc || parsed.findings.length > 0 || !isObject(value) || !isMap(doc.contents)) return false;
  // Without `&` or `*` anywhere there can be no anchor or alias; with them (`path: /api/*`) look.
  return (!text.includes('&') && !text.includes('*')) || !hasAnchorOrAlias(doc.contents);
}

/** The parsed text with one component re-parsed and the rest reused, or `undefined` to lint in full. */
function reparseOneComponent(previous: LintResult, text: string): ParsedArchitectureText | undefined {
  const value = reusable.get(previous);
  const doc = previous.doc;
  if (!value || !doc || !isMap(doc.contents)) return undefined;
  const old = previous.text;
  if (old === text) return { text, doc, value, findings: [] };

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
  const componentsPair = root.items.find((p) => isScalar(p.key) && p.key.value === 'components');
  const components = componentsPair?.value;
  if (!isMap(components) || components.flow || !isObject(value.components)) return undefined;
  const items = components.items as Pair[];

  // The component whose slice holds the edit's start. A slice runs from the start of its key's
  // line to the start of the next key's line; the last component's runs on into whatever follows
  // `components:`, so an edit there is linted in full.
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

  // Splice: the new entry at its place in the file, everything after it moved by the edit's length.
  shiftNode(pair, sliceStart);
  for (let j = i + 1; j < items.length; j++) shiftNode(items[j], delta);
  for (const top of root.items) if (keyStart(top as Pair) >= sliceEnd) shiftNode(top, delta);
  for (const range of [doc.range, root.range, components.range]) shiftFrom(range, sliceEnd, delta);
  components.items = [...items.slice(0, i), pair, ...items.slice(i + 1)];

  // The plain value likewise: the previous one with this component's value replaced, in file order.
  const previousComponents = value.components;
  const nextComponents: Json = {};
  ids.forEach((key, j) => (nextComponents[key] = j === i ? sliceValue : previousComponents[key]));
  const reuse = previous.model && { previous: previous.model, changed: id, delta, movedFrom: sliceEnd };
  return { text, doc, value: { ...value, components: nextComponents }, findings: [], ...(reuse && { reuse }) };
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The start of the line `offset` is on, when only spaces precede it there; else −1. */
function keyLineStart(text: string, offset: number): number {
  if (offset < 0) return -1;
  let i = offset;
  while (i > 0 && text.charCodeAt(i - 1) === 32 /* space */) i--;
  return i === 0 || text.charCodeAt(i - 1) === 10 || text.charCodeAt(i - 1) === 13 ? i : -1;
}

function shiftFrom(range: number[] | null | undefined, from: number, by: number): void {
  if (!range) return;
  for (let k = 0; k < range.length; k++) if (range[k]! >= from) range[k]! += by;
}

/**
 * Moves a node and everything under it by `by` characters. A recursion over the YAML tree, as
 * deep as it nests: at most {@link MAX_NESTING} levels, or the document would not have been made.
 */
function shiftNode(node: unknown, by: number): void {
  if (by === 0 || node === null || typeof node !== 'object') return;
  if (isPair(node)) {
    shiftNode(node.key, by);
    shiftNode(node.value, by);
    return;
  }
  const range = (node as { range?: number[] }).range;
  if (range) for (let k = 0; k < range.length; k++) range[k]! += by;
  const items = (node as { items?: unknown[] }).items;
  if (items !== undefined && isCollection(node)) for (let i = 0; i < items.length; i++) shiftNode(items[i], by);
}

/** Whether an anchor or alias is at or below `node` (a recursion as deep as the tree: see {@link shiftNode}). */
function hasAnchorOrAlias(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (isAlias(node)) return true;
  if (isPair(node)) return hasAnchorOrAlias(node.key) || hasAnchorOrAlias(node.value);
  if ((node as { anchor?: string }).anchor) return true;
  return isCollection(node) && node.items.some(hasAnchorOrAlias);
}
