/**
 * Keys that are not text, and ids that YAML reads as something else than the text written.
 *
 * The plain value, the schema and the model key everything by text, and `yaml`'s `toJS` makes
 * text of any key: `~`, `null` and an empty key become "", a mapping `{ replicas: 2 }` its YAML,
 * `1.50` "1.5". Unchecked, `~: { kind: service }` was a component named "" and `? { replicas: 2 }`
 * one named "{ replicas: 2 }". So: a key that is null, a mapping or a list is an error at the key,
 * and its entry is left out of the value; an empty component or zone id likewise; a component
 * or zone id that YAML reads as a number or true/false is a warning (it works, as the text
 * `toJS` makes of it, but references must then quote it, and `1.50` or `007` is not what it says).
 * Rule ids need no warning of their own: a number is no rule, and is reported as an unknown one.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Pair, type YAMLMap } from 'yaml';
import { BUILTIN_IDS, type Finding, type Offsets } from '../types';

/** What the keys of the top-level maps keyed by ids are, as messages name them. */
const ID_MAPS = { components: 'component', zones: 'zone', rules: 'rule' } as const;
type IdKind = (typeof ID_MAPS)[keyof typeof ID_MAPS];

/** A pair whose key (an alias resolved) is null, a mapping or a list, and the mapping it is in. */
export interface OddKey {
  map: YAMLMap;
  pair: Pair;
  /** What the key is, as a message says it. */
  what: string;
}

/** The id maps of the document (`components`, `zones`, `rules` at the top), by their node. */
function idMaps(doc: Document): Map<unknown, IdKind> {
  const maps = new Map<unknown, IdKind>();
  if (!isMap(doc.contents)) return maps;
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== 'string' || !Object.hasOwn(ID_MAPS, key)) continue;
    // `resolve` walks the whole document: only for these keys.
    const value = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    if (isMap(value) && !maps.has(value)) maps.set(value, ID_MAPS[key as keyof typeof ID_MAPS]);
  }
  return maps;
}

/**
 * Every pair of `doc` whose key is not a text, a number or true/false, in document order. Aliases
 * are resolved as `yaml` resolves them (the last node with that anchor before the alias); an
 * alias that resolves to nothing is left to the caller's alias check.
 */
export function oddKeys(doc: Document): OddKey[] {
  const odd: OddKey[] = [];
  const anchors = new Map<string, unknown>();
  // Depth first in document order, children pushed last to first (no recursion, though the
  // nesting limit bounds the depth anyway). A key is looked at when the walk reaches it, so
  // every anchor before it, even in its own mapping, is known.
  const stack: { node: unknown; keyOf?: { map: YAMLMap; pair: Pair } }[] = [{ node: doc.contents }];
  while (stack.length > 0) {
    const { node, keyOf } = stack.pop()!;
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, node);
    if (keyOf) {
      const key = isAlias(node) ? anchors.get(node.source) : node;
      const what =
        key === null || key === undefined || (isScalar(key) && key.value === null)
          ? isScalar(key) && key.source
            ? `null (${key.source})`
            : 'empty'
          : isMap(key)
            ? 'a mapping'
            : isSeq(key)
              ? 'a list'
              : undefined;
      if (what && (key !== undefined || !isAlias(node))) odd.push({ ...keyOf, what });
    }
    if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i] as Pair;
        stack.push({ node: pair.value }, { node: pair.key, keyOf: { map: node, pair } });
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i] });
    }
  }
  return odd;
}

/**
 * The findings for `oddKeys(doc)` of `text`: one error at each key; an empty key, which has no
 * text of its own, at the `:` after it.
 */
export function oddKeyFindings(
  doc: Document,
  text: string,
  odd: readonly OddKey[],
  range: (node: unknown) => Offsets,
): Finding[] {
  const maps = idMaps(doc);
  return odd.map(({ map, pair, what }) => {
    const kind = maps.get(map);
    let at = range(pair.key ?? pair.value);
    if (what === 'empty') {
      let colon = at[0];
      while (colon < text.length && (text[colon] === ' ' || text[colon] === '\n' || text[colon] === '\r')) colon++;
      if (text[colon] === ':') at = [colon, colon + 1];
    }
    return {
      ruleId: BUILTIN_IDS.schema,
      messageId: 'keyNotText',
      message: `${kind ? `a ${kind} id` : 'a key'} must be text, not ${what}: this entry is not read`,
      severity: 'error',
      range: at,
    };
  });
}

/**
 * The plain value of a `toJS({ mapAsMap: true })` result — what `toJS()` gives, a key made text
 * as `toJS` makes it (`String` of a number or true/false) — without the entries whose key is null
 * or a collection, which `toJS()` would have made text ("" and the key's YAML). A mapping shared
 * through aliases stays one object. Recursive, as deep as the value: within the nesting limit
 * (./nesting.ts), aliases expanded.
 */
export function plainWithoutOddKeys(value: unknown, made = new Map<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const known = made.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const list: unknown[] = [];
    made.set(value, list);
    for (const item of value) list.push(plainWithoutOddKeys(item, made));
    return list;
  }
  if (!(value instanceof Map)) return value;
  const plain: Record<string, unknown> = {};
  made.set(value, plain);
  for (const [key, item] of value) {
    if (key === null || typeof key === 'object') continue;
    // As `toJS` sets a key: an own property even for `__proto__`.
    Object.defineProperty(plain, String(key), {
      value: plainWithoutOddKeys(item, made),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return plain;
}

/**
 * Component and zone ids that are empty (an error; the entry is taken out of `value`) or that
 * YAML reads as a number or true/false (a warning). For a value made from `doc` without odd keys.
 */
export function idFindings(doc: Document, value: unknown, range: (node: unknown) => Offsets): Finding[] {
  const findings: Finding[] = [];
  const root = value as Record<string, unknown>;
  for (const [map, kind] of idMaps(doc)) {
    if (kind === 'rule') continue;
    const plain = root[kind === 'component' ? 'components' : 'zones'];
    for (const pair of (map as YAMLMap).items) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      if (!isScalar(key)) continue;
      const id = key.value;
      const written = isScalar(pair.key) && typeof pair.key.source === 'string' ? pair.key.source : String(id);
      if (id === '') {
        findings.push({
          ruleId: BUILTIN_IDS.schema,
          messageId: 'emptyId',
          message: `a ${kind} id must not be empty: this entry is not read`,
          severity: 'error',
          range: range(pair.key),
        });
        if (typeof plain === 'object' && plain !== null) delete (plain as Record<string, unknown>)[''];
      } else if (typeof id === 'number' || typeof id === 'boolean') {
        const type = typeof id === 'number' ? 'a number' : 'true/false';
        const readAs = String(id) === written ? '' : `, read as "${String(id)}"`;
        findings.push({
          ruleId: BUILTIN_IDS.schema,
          messageId: 'idNotText',
          message: `the ${kind} id ${written} is ${type} in YAML${readAs}: quote it ("${written}") so that the id is text, as written`,
          severity: 'warning',
          range: range(pair.key),
        });
      }
    }
  }
  return findings;
}
