import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, YAMLParseError } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { ModelReuse } from '../model/build';
import { BUILTIN_IDS, type Finding, type Offsets } from '../types';
import { idFindings, oddKeyFindings, oddKeys, plainWithoutOddKeys } from './keys';
import { aliasProblem, MAX_NESTING, nestingOfCst } from './nesting';
import { parseSimpleYaml } from './simpleYaml';

/** A path into the YAML value: map keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/** Most aliases a file may resolve: far above any real architecture, far below a "billion laughs". */
export const MAX_ALIAS_COUNT = 200;

/**
 * How every architecture text is parsed (the incremental path parses a component's slice the same
 * way). `logLevel: 'error'`: `yaml` would otherwise print its warnings (a mapping used as a key) to
 * the process's stderr; the engine reports what it finds as findings, and writes nothing itself.
 */
export const YAML_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' } as const;

export interface ParsedArchitectureText {
  text: string;
  /** The `yaml` document, kept so fixes can be made through its API. Absent when the text is not YAML. */
  doc?: Document.Parsed;
  /** The plain value, for schema validation; `undefined` when the file could not be read. */
  value?: unknown;
  /** Syntax-level findings: YAML errors, duplicate keys, alias bombs, a root that is not a mapping. */
  findings: Finding[];
  /**
   * Set by the incremental path: the document is the previous one with only component
   * `changed` re-parsed and everything from `movedFrom` (an offset of the previous text) on moved
   * by `delta`, so the rest of the previous model holds.
   */
  reuse?: ModelReuse;
  /** Read by the fast path (./simpleYaml.ts) rather than by `yaml` (for tests and the bench). */
  fastPath?: boolean;
}

function finding(messageId: string, message: string, range: Offsets, ruleId: string = BUILTIN_IDS.yamlSyntax): Finding {
  return { ruleId, messageId, message, severity: 'error', range };
}

/** First line of a `yaml` error message, without its code-frame. */
function plainMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function clampRange(pos: readonly [number, number] | undefined, length: number): Offsets {
  // An error at the very end of the text points at its last character, so it stays visible.
  const start = Math.max(0, Math.min(pos?.[0] ?? 0, length > 0 ? length - 1 : 0));
  const end = Math.max(start, Math.min(pos?.[1] ?? start, length));
  // An empty range at the end of the text still has to point at something visible.
  return [start, end === start ? Math.min(start + 1, length) : end];
}

/**
 * The YAML document of `text`, as `parseDocument(text, YAML_OPTIONS)` makes it, or, when the text
 * nests mappings and lists deeper than `limit`, where it first does so (it is then not composed:
 * `yaml`'s composer recurses once per level). `aliases` says whether the text has any.
 */
export function parseYaml(
  text: string,
  limit: number = MAX_NESTING,
): { doc: Document.Parsed; aliases: boolean } | { tooDeepAt: number } {
  const tokens = [...new Parser().parse(text)];
  const nesting = nestingOfCst(tokens, limit);
  if (nesting.tooDeepAt !== undefined) return { tooDeepAt: nesting.tooDeepAt };
  // What `parseDocument` does with the tokens: the first document, and an error for a second one.
  let doc: Document.Parsed | undefined;
  for (const next of new Composer(YAML_OPTIONS).compose(tokens, true, text.length)) {
    if (doc) {
      const message = 'Source contains multiple documents; please use YAML.parseAllDocuments()';
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', message));
      break;
    }
    doc = next;
  }
  return { doc: doc!, aliases: nesting.aliases };
}

/** The range a "nested too deep" finding covers: the collection's first character, or its first key. */
function tooDeepRange(text: string, at: number): Offsets {
  const ch = text[at];
  let end = at + 1;
  if (ch !== '[' && ch !== '{') while (end < text.length && !/[\s:,]/.test(text[end]!)) end++;
  return clampRange([at, end], text.length);
}

const TOO_DEEP = `nested deeper than ${MAX_NESTING} levels (mappings and lists inside each other)`;
const NOT_READ = 'the file is not read further';

/**
 * Parses architecture text. Never throws: YAML that cannot be read yields exactly one
 * diagnostic at the first error; duplicate keys are reported at each duplicate and the
 * document is still used (the first occurrence wins, as in most YAML tools).
 */
export function parseArchitectureText(text: string, options: { plainValue?: boolean } = {}): ParsedArchitectureText {
  // The common case, ~10× faster than `yaml` and node for node the same (./simpleYaml.ts);
  // whatever it declines — errors, duplicates, aliases, a root that is not a mapping — is `yaml`'s.
  const simple = parseSimpleYaml(text, YAML_OPTIONS);
  const range = (node: unknown) => nodeRange(node, text.length);
  if (simple)
    return { text, doc: simple.doc, value: simple.value, findings: idFindings(simple.doc, simple.value, range), fastPath: true };
  let doc: Document.Parsed;
  let aliases: boolean;
  try {
    const parsed = parseYaml(text);
    if ('tooDeepAt' in parsed) {
      return { text, findings: [finding('tooDeep', `${TOO_DEEP}: ${NOT_READ}`, tooDeepRange(text, parsed.tooDeepAt))] };
    }
    ({ doc, aliases } = parsed);
  } catch (error) {
    return {
      text,
      findings: [finding('unreadable', `the file could not be read as YAML: ${String(error)}`, [0, Math.min(1, text.length)])],
    };
  }
  const findings: Finding[] = [];
  const duplicateErrors = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const otherErrors = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  if (otherErrors.length > 0) {
    const first = otherErrors[0]!;
    findings.push(finding('syntax', `YAML syntax error: ${plainMessage(first.message)}`, clampRange(first.pos, text.length)));
    return { text, findings };
  }
  if (duplicateErrors.length > 0) {
    for (const pair of removeDuplicateKeys(doc.contents)) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      findings.push(
        finding(
          'duplicateKey',
          `duplicate key "${key}": only the first one counts`,
          nodeRange(pair.key, text.length),
          BUILTIN_IDS.duplicateKey,
        ),
      );
    }
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    findings.push(
      finding(
        'empty',
        'the file is empty: an architecture starts with `archlint: 1` and a `components:` mapping',
        [0, Math.min(1, text.length)],
        BUILTIN_IDS.schema,
      ),
    );
    return { text, doc, findings };
  }
  if (!isMap(doc.contents)) {
    const kind = isSeq(doc.contents) ? 'a list' : 'a single value';
    findings.push(
      finding(
        'rootNotMapping',
        `the file must be a mapping of keys (archlint, name, components, …), not ${kind}`,
        nodeRange(doc.contents, text.length),
        BUILTIN_IDS.schema,
      ),
    );
    return { text, doc, findings };
  }
  // An alias can nest a deep anchor deeper still, or name no anchor (which `yaml` only finds in `toJS`).
  const problem = aliases ? aliasProblem(doc, MAX_NESTING) : undefined;
  if (problem) {
    const name = problem.alias.source;
    const [messageId, message] =
      problem.reason === 'unresolved'
        ? // Not `syntax`: yaml's parser does not flag it, so an editor's YAML extension does not either.
          ['unresolvedAlias', `YAML syntax error: the alias *${name} names no anchor &${name} before it`]
        : problem.reason === 'recursive'
          ? ['tooDeep', `the alias *${name} is inside its own anchor &${name}, so it nests without end: ${NOT_READ}`]
          : ['tooDeep', `with the alias *${name} expanded, ${TOO_DEEP}: ${NOT_READ}`];
    findings.push(finding(messageId, message, nodeRange(problem.alias, text.length)));
    return { text, doc, findings };
  }
  // A key that is null, a mapping or a list is reported where it is, and its entry left out of the value
  // (`toJS` would make text of it).
  const odd = oddKeys(doc);
  findings.push(...oddKeyFindings(doc, text, odd, range));
  // A source that reads the document's nodes itself (a compose file) needs no plain value: nor the
  // cost of making one, nor `toJS`'s limit on alias expansions, which a file that merges one
  // anchor into hundreds of services passes by design (the nesting check above still bounds them).
  if (options.plainValue === false) return { text, doc, findings };
  let value: unknown;
  try {
    value =
      odd.length > 0
        ? plainWithoutOddKeys(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true }))
        : doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const alias = firstAlias(doc.contents);
    findings.push(
      finding(
        'aliasBomb',
        `too many YAML alias expansions (more than ${MAX_ALIAS_COUNT}): the file is not read further (${plainMessage(String((error as Error).message ?? error))})`,
        alias ? nodeRange(alias, text.length) : [0, Math.min(1, text.length)],
      ),
    );
    return { text, doc, findings };
  }
  findings.push(...idFindings(doc, value, range));
  return { text, doc, value, findings };
}

/**
 * Removes every later occurrence of a key from its mapping (everywhere in the tree) so that the
 * first one counts, and returns the removed pairs. Offsets of the remaining nodes are unchanged.
 */
function removeDuplicateKeys(node: unknown): Pair[] {
  const removed: Pair[] = [];
  const visit = (n: unknown, depth: number) => {
    if (depth > 200) return;
    if (isMap(n)) {
      const seen = new Set<string>();
      n.items = n.items.filter((pair) => {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) {
          removed.push(pair as Pair);
          return false;
        }
        seen.add(key);
        visit(pair.value, depth + 1);
        return true;
      });
    } else if (isSeq(n)) {
      n.items.forEach((item) => visit(item, depth + 1));
    }
  };
  visit(node, 0);
  return removed;
}

function firstAlias(node: unknown): Node | undefined {
  if (isAlias(node)) return node;
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      const found = isPair(item) ? (firstAlias(item.key) ?? firstAlias(item.value)) : firstAlias(item);
      if (found) return found;
    }
  }
  return undefined;
}

/** The range of a node's value, without trailing comments. */
export function nodeRange(node: unknown, textLength = Number.MAX_SAFE_INTEGER): Offsets {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  if (!r) return [0, Math.min(1, textLength)];
  return clampRange([r[0], r[1]], textLength);
}

function resolve(doc: Document, node: unknown): unknown {
  // One level is enough: `yaml` rejects aliases to aliases.
  return isAlias(node) ? node.resolve(doc) : node;
}

interface KeyIndex {
  items: readonly unknown[];
  length: number;
  pairs: Map<string, Pair>;
}

/**
 * Each mapping's pairs by key, built on first lookup and kept on the mapping itself (a memo of
 * its items, under a symbol): a model of n components asks for each of them by id, and a linear
 * scan per lookup made that quadratic. Rebuilt when the mapping's items differ from those it was
 * built from (a copy of the mapping with other items), so a lookup always sees the current items.
 */
const KEY_INDEX = Symbol('archlint.keyIndex');
const SCAN_LIMIT = 6;

/** A mapping key as the plain value names it. */
function keyName(doc: Document, key: unknown): string {
  const k = resolve(doc, key);
  return isScalar(k) ? String(k.value) : String(k);
}

/** The pair of a mapping whose key is `key` (first one wins, as for `toJS`). */
export function pairOf(doc: Document, mapNode: unknown, key: string): Pair | undefined {
  const map = resolve(doc, mapNode);
  if (!isMap(map)) return undefined;
  // A small mapping (`{ component: db, optional: true }`) is quicker to scan than to index.
  if (map.items.length <= SCAN_LIMIT) {
    for (const item of map.items) if (keyName(doc, item.key) === key) return item as Pair;
    return undefined;
  }
  const indexed = map as typeof map & { [KEY_INDEX]?: KeyIndex };
  let index = indexed[KEY_INDEX];
  if (!index || index.items !== map.items || index.length !== map.items.length) {
    const pairs = new Map<string, Pair>();
    for (const item of map.items) {
      const name = keyName(doc, item.key);
      if (!pairs.has(name)) pairs.set(name, item as Pair);
    }
    index = { items: map.items, length: map.items.length, pairs };
    Object.defineProperty(map, KEY_INDEX, { value: index, enumerable: false, writable: true, configurable: true });
  }
  return index.pairs.get(key);
}

/** The node at `path`, following aliases; `undefined` when the path does not exist. */
export function nodeAt(doc: Document, path: YamlPath): unknown {
  let node: unknown = doc.contents;
  for (const segment of path) {
    node = resolve(doc, node);
    if (typeof segment === 'number') {
      if (!isSeq(node)) return undefined;
      node = node.items[segment];
    } else {
      node = pairOf(doc, node, segment)?.value;
    }
    if (node === undefined || node === null) return undefined;
  }
  return node;
}

/**
 * The source range of the key (`part: 'key'`) or value at `path`. Where the exact thing does
 * not exist (a missing value, a path through a wrong type) the nearest existing ancestor's
 * range is returned, so every diagnostic still points at something real.
 */
export function rangeAt(doc: Document, path: YamlPath, part: 'key' | 'value' = 'value'): Offsets {
  return rangeFrom(doc, { node: doc.contents, best: nodeRange(doc.contents) }, path, part);
}

/** Where a walk down a path stands: the node reached, and the range to fall back on. */
export interface RangeCursor {
  node: unknown;
  best: Offsets;
  /** Set when the walk ended early (the path does not exist): every longer path gives this. */
  final?: Offsets;
}

/**
 * The cursor after walking `prefix` (values only), so that many lookups under one node (a
 * component's keys) do not each walk from the root: `rangeFrom(doc, cursorAt(doc, p), rest)`
 * equals `rangeAt(doc, [...p, ...rest])` for any non-empty `rest`.
 */
export function cursorAt(doc: Document, prefix: YamlPath): RangeCursor {
  let cursor: RangeCursor = { node: doc.contents, best: nodeRange(doc.contents) };
  for (const segment of prefix) {
    cursor = step(doc, cursor, segment);
    if (cursor.final) return cursor;
  }
  return cursor;
}

function step(doc: Document, cursor: RangeCursor, segment: string | number): RangeCursor {
  const node = resolve(doc, cursor.node);
  if (typeof segment === 'number') {
    if (!isSeq(node) || !node.items[segment]) return { ...cursor, final: cursor.best };
    const next = node.items[segment];
    return { node: next, best: nodeRange(next) };
  }
  const pair = pairOf(doc, node, segment);
  if (!pair) return { ...cursor, final: cursor.best };
  if (pair.value === null || pair.value === undefined || (pair.value as { range?: unknown }).range === undefined) {
    return { ...cursor, final: nodeRange(pair.key) };
  }
  // An empty value (`key:` with nothing) has a zero-width range: point at the key instead. Judged
  // on the node's own range: widened to one character it would lie past the end of a text that
  // ends right there.
  const raw = (pair.value as { range: [number, number] }).range;
  return { node: pair.value, best: raw[1] > raw[0] ? nodeRange(pair.value) : nodeRange(pair.key) };
}

/** {@link rangeAt} for `path` below a cursor from {@link cursorAt}. */
export function rangeFrom(doc: Document, start: RangeCursor, path: YamlPath, part: 'key' | 'value' = 'value'): Offsets {
  if (start.final) return start.final;
  let cursor = start;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (i === path.length - 1 && part === 'key' && typeof segment === 'string') {
      const pair = pairOf(doc, resolve(doc, cursor.node), segment);
      return pair ? nodeRange(pair.key) : cursor.best;
    }
    cursor = step(doc, cursor, segment);
    if (cursor.final) return cursor.final;
  }
  return cursor.best;
}
