/**
 * Text edits for fixes, computed from the `yaml` document's node ranges. Values are written by
 * the `yaml` stringifier (so quoting is always right); the edit touches only the bytes it must,
 * so every comment, blank line and the indentation of everything else survive unchanged.
 */
import { Document, isCollection, isMap, isPair, isScalar, isSeq, Scalar, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import { nodeAt, pairOf, type YamlPath } from '../parse/parse';
import type { SourceEdits } from '../sources/written';
import type { Offsets, TextEdit } from '../types';

/** What the helpers read: the parsed document and the exact text it was parsed from (a RuleContext fits). */
export interface EditContext {
  doc: Document;
  text: string;
  /**
   * A source's own edits (a compose project's): when set, every helper below hands its
   * architecture path to it, and it writes the change where that source keeps the value.
   */
  edits?: SourceEdits;
  /** The file's indentation step, once found (a memo on the context: fixes ask for every finding). */
  indentStep?: number;
}

const FLOW = Symbol('flow');

/** A value to be written in flow style (`{ path: /healthz, interval: 10s }`) even inside a block mapping. */
export interface FlowValue {
  [FLOW]: true;
  value: unknown;
}

/** Marks `value` to be written in flow style by {@link insertEntries}, {@link addComponent} and {@link replaceValue}. */
export function flow(value: unknown): FlowValue {
  return { [FLOW]: true, value };
}

const isFlowValue = (v: unknown): v is FlowValue => typeof v === 'object' && v !== null && FLOW in v;
const unwrap = (v: unknown): unknown => (isFlowValue(v) ? v.value : v);
/** `yaml` would write a FlowValue wrapper as a map; replace wrappers nested anywhere by their value. */
const plain = (v: unknown): unknown =>
  isFlowValue(v)
    ? plain(v.value)
    : Array.isArray(v)
      ? v.map(plain)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
        : v;

type Ranged = Node & { range: [number, number, number] };
const rangeOf = (node: unknown): [number, number, number] | undefined => (node as Partial<Ranged> | null)?.range ?? undefined;

/** The line break the file uses (new lines are written with the same). */
export function lineBreak(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function lineStartOf(text: string, offset: number): number {
  // A backward scan to the nearest break: `lastIndexOf('\r')` would scan the whole text when it has none.
  // Starts where `lastIndexOf(_, offset - 1)` would (clamped into the text), so results are unchanged.
  let i = Math.max(0, Math.min(offset - 1, text.length - 1));
  while (i >= 0) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */ || ch === 13 /* \r */) break;
    i--;
  }
  return i + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** The offset just after the line break that ends the line containing `offset - 1` (or the text's end). */
function afterLineOf(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

/** The end of the last thing a pair writes: its value, or its key when the value is empty. */
function pairEnd(pair: Pair): number {
  const value = rangeOf(pair.value);
  const key = rangeOf(pair.key);
  return Math.max(value?.[1] ?? 0, key?.[1] ?? 0);
}

/**
 * The file's indentation step: how much deeper a nested block mapping sits than its parent key.
 * Taken from the first nested block mapping in the file; 2 when there is none.
 */
export function indentStep(ctx: EditContext): number {
  return (ctx.indentStep ??= findIndentStep(ctx));
}

function findIndentStep(ctx: EditContext): number {
  let found: number | undefined;
  const visit = (node: unknown, depth: number): void => {
    if (found !== undefined || depth > 50) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = rangeOf(pair.key);
        const value = pair.value;
        if (key && isMap(value) && !value.flow && value.items.length > 0) {
          const child = rangeOf(value)!;
          const step = columnOf(ctx.text, child[0]) - columnOf(ctx.text, key[0]);
          if (step > 0) {
            found = step;
            return;
          }
        }
        visit(value, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item) => visit(item, depth + 1));
    }
  };
  visit(ctx.doc.contents, 0);
  return found ?? 2;
}

/** One scalar or collection written on one line, as it would appear after `key: `. */
export function inlineText(value: unknown): string {
  // The common cases (a count, an id, a flag) need no Document: yaml writes them as they are.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && PLAIN_WORD.test(value) && !YAML_WORDS.has(value.toLowerCase())) return value;
  if (Array.isArray(value) && value.length > 0 && value.every(isPlainAtom)) return `[ ${value.map(inlineText).join(', ')} ]`;
  // A string with a line break would be written as a plain scalar folded over lines, which breaks
  // the one-line flow text this is spliced into: it is written double-quoted, `\n` escaped, instead.
  const doc = new Document(plain(value));
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && /[\n\r]/.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ collectionStyle: 'flow', lineWidth: 0, doubleQuotedMinMultiLineLength: Infinity }).trimEnd();
}

const isPlainAtom = (v: unknown): boolean =>
  (typeof v === 'number' && Number.isSafeInteger(v)) ||
  typeof v === 'boolean' ||
  (typeof v === 'string' && PLAIN_WORD.test(v) && !YAML_WORDS.has(v.toLowerCase()));

/** A string yaml writes unquoted: a word of letters, digits, `-`, `_` and `.`, starting with a letter. */
const PLAIN_WORD = /^[A-Za-z][A-Za-z0-9_.-]*$/;
/** Words that a YAML reader (1.1 or 1.2) may take for something other than a string. */
const YAML_WORDS = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);

/** Block-style lines (without indentation) of a value, keeping the parts wrapped in {@link flow} on one line. */
function blockLines(value: unknown, step: number): string[] {
  const doc = new Document(plain(value));
  const markFlow = (node: unknown, v: unknown): void => {
    if (isFlowValue(v)) {
      if (isCollection(node)) node.flow = true;
    } else if (isMap(node) && typeof v === 'object' && v !== null) {
      for (const pair of node.items)
        markFlow(pair.value, (v as Record<string, unknown>)[String((pair.key as { value?: unknown })?.value)]);
    } else if (isSeq(node) && Array.isArray(v)) {
      node.items.forEach((item, i) => markFlow(item, v[i]));
    }
  };
  markFlow(doc.contents, value);
  return doc.toString({ indent: step, lineWidth: 0 }).replace(/\n$/, '').split('\n');
}

/** `key: value` lines (without indentation) for a block mapping. */
function blockEntryLines(key: string, value: unknown, step: number): string[] {
  if (isFlowValue(value)) return [`${inlineText(key)}: ${inlineText(value.value)}`];
  if (value !== null && typeof value === 'object') return blockLines({ [key]: value }, step);
  // A scalar entry (`session-store: cache-3`) is asked for once per candidate and finding, and
  // the stringifier is slow: remember the lines (a pure function of these three values).
  const memoKey = `${step}\u0000${typeof value}\u0000${String(value)}\u0000${key}`;
  let lines = scalarEntryLines.get(memoKey);
  if (!lines) {
    if (scalarEntryLines.size >= 10_000) scalarEntryLines.clear();
    lines = blockLines({ [key]: value }, step);
    scalarEntryLines.set(memoKey, lines);
  }
  return [...lines];
}
const scalarEntryLines = new Map<string, readonly string[]>();

function indentLines(lines: readonly string[], column: number): string[] {
  const pad = ' '.repeat(column);
  return lines.map((l) => (l.length > 0 ? pad + l : l));
}

function requireNode(ctx: EditContext, path: YamlPath): Ranged {
  const node = nodeAt(ctx.doc, path);
  if (!rangeOf(node)) throw new Error(`no YAML node at ${path.join('.') || '(root)'}`);
  return node as Ranged;
}

/**
 * Replaces the value at `path`. A scalar or flow value is replaced in place, so a comment after
 * it on the same line stays; a block collection is replaced by a block collection at its indentation.
 */
export function replaceValue(ctx: EditContext, path: YamlPath, value: unknown): TextEdit {
  if (ctx.edits) return ctx.edits.replaceValue(path, value);
  const node = requireNode(ctx, path);
  const [start, end] = node.range;
  const eol = lineBreak(ctx.text);
  const raw = unwrap(value);
  const isBlockCollection = (isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0;
  if (isBlockCollection && !isFlowValue(value) && typeof raw === 'object' && raw !== null) {
    const column = columnOf(ctx.text, start);
    const lines = blockLines(raw, indentStep(ctx));
    const [first = '', ...rest] = lines;
    const body = [first, ...indentLines(rest, column)].join(eol);
    // A block collection's range runs to the start of the line after it.
    const endsWithBreak = ctx.text[end - 1] === '\n';
    return { range: [start, end], text: endsWithBreak ? body + eol : body };
  }
  // An empty value (`key:`) has a zero-width range right after the colon: keep a space before the value.
  const needsSpace = start === end && ctx.text[start - 1] === ':';
  return { range: [start, end], text: (needsSpace ? ' ' : '') + inlineText(raw) };
}

/**
 * Adds `entries` to the mapping at `mapPath`. A block mapping gets new lines after its last
 * entry (after that entry's nested block and any comment on its last line), at the mapping's
 * indentation, nested values in block style at the file's indent step (wrap a value in
 * {@link flow} to keep it on one line). A flow mapping gets `, key: value` before its `}`.
 * An empty value (`components:` with nothing after it) becomes a block mapping.
 */
export function insertEntries(ctx: EditContext, mapPath: YamlPath, entries: ReadonlyArray<readonly [string, unknown]>): TextEdit {
  if (ctx.edits) return ctx.edits.insertEntries(mapPath, entries);
  const { text } = ctx;
  const eol = lineBreak(text);
  const step = indentStep(ctx);
  const node = nodeAt(ctx.doc, mapPath);

  if (isMap(node) && node.flow) {
    const [start, end] = rangeOf(node)!;
    const inline = entries.map(([k, v]) => `${inlineText(k)}: ${inlineText(v)}`);
    const last = node.items[node.items.length - 1];
    if (!last) return { range: [start, end], text: `{ ${inline.join(', ')} }` };
    const at = pairEnd(last as Pair);
    return { range: [at, at], text: inline.map((s) => `, ${s}`).join('') };
  }

  if (isMap(node) && node.items.length > 0) {
    const map = node as YAMLMap;
    const column = columnOf(text, rangeOf(map)![0]);
    const at = afterLineOf(text, pairEnd(map.items[map.items.length - 1] as Pair));
    const lines = indentLines(
      entries.flatMap(([k, v]) => blockEntryLines(k, v, step)),
      column,
    );
    const atEnd = at === text.length && !text.endsWith('\n');
    return { range: [at, at], text: atEnd ? eol + lines.join(eol) : lines.join(eol) + eol };
  }

  // `key:` with an empty value: the mapping starts on the next line, one step deeper than the key.
  const parentPath = mapPath.slice(0, -1);
  const lastKey = mapPath[mapPath.length - 1];
  const pair =
    typeof lastKey === 'string' ? pairOf(ctx.doc, nodeAt(ctx.doc, parentPath) ?? ctx.doc.contents, lastKey) : undefined;
  const valueRange = rangeOf(pair?.value);
  const emptyValue = pair && (pair.value === null || (isScalar(pair.value) && valueRange && valueRange[0] === valueRange[1]));
  if (!pair || !emptyValue || !rangeOf(pair.key)) {
    throw new Error(`no mapping at ${mapPath.join('.') || '(root)'}`);
  }
  const keyStart = rangeOf(pair.key)![0];
  const lineEnd = afterLineOf(text, pairEnd(pair));
  const at = text[lineEnd - 1] === '\n' ? lineEnd - (text[lineEnd - 2] === '\r' ? 2 : 1) : lineEnd;
  const lines = indentLines(
    entries.flatMap(([k, v]) => blockEntryLines(k, v, step)),
    columnOf(text, keyStart) + step,
  );
  return { range: [at, at], text: eol + lines.join(eol) };
}

/**
 * Adds `items` at the end of the non-empty list at `path`, leaving every item already there (and
 * any comment between them) untouched: a block list gets `- item` lines after its last item's
 * line, at its indentation; a flow list gets `, item` after its last item.
 */
export function appendItems(ctx: EditContext, path: YamlPath, items: readonly unknown[]): TextEdit {
  if (ctx.edits) return ctx.edits.appendItems(path, items);
  const { text } = ctx;
  const list = nodeAt(ctx.doc, path);
  const last = isSeq(list) ? rangeOf(list.items[list.items.length - 1]) : undefined;
  if (!isSeq(list) || !last) throw new Error(`no non-empty list at ${path.join('.') || '(root)'}`);
  if (list.flow) return { range: [last[1], last[1]], text: items.map((i) => `, ${inlineText(i)}`).join('') };
  const eol = lineBreak(text);
  const at = afterLineOf(text, last[1]);
  const lines = indentLines(
    items.map((i) => `- ${inlineText(i)}`),
    columnOf(text, rangeOf(list)![0]),
  );
  const atEnd = at === text.length && !text.endsWith('\n');
  return { range: [at, at], text: atEnd ? eol + lines.join(eol) : lines.join(eol) + eol };
}

/**
 * The path of the scalar that starts at `offset` (e.g. a model {@link Reference}'s range), so a
 * value known only by its range can be edited with {@link replaceValue}. `undefined` if there is none.
 */
export function pathOfScalarAt(doc: Document, offset: number): YamlPath | undefined {
  const visit = (node: unknown, path: (string | number)[], depth: number): YamlPath | undefined => {
    if (depth > 100) return undefined;
    if (isScalar(node)) return rangeOf(node)?.[0] === offset ? path : undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        const r = rangeOf(pair.value);
        if (!isScalar(pair.key) || (r && (offset < r[0] || offset >= Math.max(r[1], r[0] + 1)))) continue;
        const found = visit(pair.value, [...path, String(pair.key.value)], depth + 1);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const found = visit(node.items[i], [...path, i], depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(doc.contents, [], 0);
}

/**
 * Replaces the scalar written at `range` (a reference to a component, known by its range) by
 * `value`. Throws when no scalar starts there.
 */
export function replaceScalarAt(ctx: EditContext, range: Offsets, value: string): TextEdit {
  if (ctx.edits) return ctx.edits.replaceScalarAt(range, value);
  const path = pathOfScalarAt(ctx.doc, range[0]);
  if (!path) throw new Error(`no scalar at ${range[0]}`);
  return replaceValue(ctx, path, value);
}

/** A new component at the end of `components:`, at the indentation of its siblings. */
export function addComponent(ctx: EditContext, id: string, body: Record<string, unknown>): TextEdit {
  const edit = insertEntries(ctx, ['components'], [[id, body]]);
  // Where the last two components are separated by a blank line, the new one is too.
  const components = nodeAt(ctx.doc, ['components']);
  if (!isMap(components) || components.flow || components.items.length < 2) return edit;
  const lastKey = rangeOf(components.items[components.items.length - 1]!.key);
  if (!lastKey) return edit;
  const lineStart = lineStartOf(ctx.text, lastKey[0]);
  const previousLine = ctx.text.slice(lineStartOf(ctx.text, lineStart - 1), lineStart);
  if (lineStart === 0 || previousLine.trim() !== '') return edit;
  return { range: edit.range, text: lineBreak(ctx.text) + edit.text };
}

const COMMENT = /(?:^|\s)(#.*)$/;

/**
 * Deletes `key` from the mapping at `mapPath`. In a block mapping its whole lines go (with its
 * nested block); comments written on those lines are kept, as comment lines at the key's
 * indentation, because they are the author's words. In a flow mapping the entry and one comma go.
 */
export function removeEntry(ctx: EditContext, mapPath: YamlPath, key: string): TextEdit {
  if (ctx.edits) return ctx.edits.removeEntry(mapPath, key);
  const { text } = ctx;
  const map = nodeAt(ctx.doc, mapPath);
  if (!isMap(map)) throw new Error(`no mapping at ${mapPath.join('.') || '(root)'}`);
  const index = map.items.findIndex((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
  if (index === -1) throw new Error(`no key "${key}" in ${mapPath.join('.') || '(root)'}`);
  const pair = map.items[index] as Pair;
  const keyStart = rangeOf(pair.key)![0];
  const next = map.items[index + 1] as Pair | undefined;
  const prev = map.items[index - 1] as Pair | undefined;
  const [mapStart, mapEnd] = rangeOf(map)!;

  if (map.flow) {
    if (next) return { range: [keyStart, rangeOf(next.key)![0]], text: '' };
    if (prev) return { range: [pairEnd(prev), pairEnd(pair)], text: '' };
    return { range: [mapStart, mapEnd], text: '{}' };
  }

  const lineStart = lineStartOf(text, keyStart);
  const ownsLine = text.slice(lineStart, keyStart).trim() === '';
  if (!ownsLine) {
    // The key shares its line with a `- ` of a sequence item: keep that prefix.
    if (next) return { range: [keyStart, rangeOf(next.key)![0]], text: '' };
    return { range: [keyStart, mapEnd], text: '{}' };
  }
  let start = lineStart;
  const end = afterLineOf(text, pairEnd(pair));
  const eol = lineBreak(text);
  const kept = text
    .slice(start, end)
    .split(/\r?\n/)
    .flatMap((line) => {
      const m = COMMENT.exec(line);
      return m ? [' '.repeat(columnOf(text, keyStart)) + m[1]!.trimEnd()] : [];
    });
  const replacement = kept.map((l) => l + eol).join('');
  if (end === text.length && !text.endsWith('\n') && start > 0) {
    // Without a final newline the previous line's break goes instead, so the file still ends without one.
    start -= text[start - 2] === '\r' ? 2 : 1;
    return { range: [start, end], text: kept.length ? eol + kept.join(eol) : '' };
  }
  return { range: [start, end], text: replacement };
}
