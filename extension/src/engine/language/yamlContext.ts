import type { Offsets } from '../types';

/**
 * Where the cursor is in the YAML structure, worked out from the text alone. Completion runs
 * while the user types, when the file is usually not valid YAML (`    rou` is not a key yet),
 * so this reads indentation and flow brackets instead of relying on a parse.
 *
 * Paths are keys, and `[]` for "an item of a sequence": `['components', 'web', 'depends-on', '[]']`.
 */
export interface CursorContext {
  /** A key of the mapping at this path is being typed. */
  keyOf?: string[];
  /** The value at this path is being typed (a scalar, or a sequence item when it ends in `[]`). */
  valueAt?: string[];
  /** What is typed so far (without an opening quote). */
  prefix: string;
  /** The word the completion replaces: from the start of the prefix to the end of the word at the cursor. */
  range: Offsets;
  /** Keys already present in the mapping at `keyOf` (not offered again). */
  siblings: string[];
}

/** A structural piece of a line: a `- ` sequence item or a `key:`. */
type Frame = { col: number; type: 'item' } | { col: number; type: 'key'; key: string; hasValue: boolean; valueCol: number };

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{}[\],][^#]*?))[ \t]*:(?=[ \t]|$)/;
const WORD_CHAR = /[\w.\-/]/;

/** The frames of one line: its leading `- ` items, then its key if it has one. */
export function framesOf(line: string): Frame[] {
  const frames: Frame[] = [];
  let i = /^[ \t]*/.exec(line)![0].length;
  while (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
    frames.push({ col: i, type: 'item' });
    i++;
    while (line[i] === ' ' || line[i] === '\t') i++;
  }
  const m = KEY.exec(line.slice(i));
  if (m) {
    const key = m[1] ?? m[2]?.replace(/''/g, "'") ?? m[3]!;
    const valueCol = i + m[0].length;
    const after = line.slice(valueCol);
    const hasValue = after.trim() !== '' && !/^\s*#/.test(after);
    frames.push({ col: i, type: 'key', key, hasValue, valueCol });
  }
  return frames;
}

function isBlankOrComment(line: string): boolean {
  return /^\s*(#.*)?$/.test(line);
}

/**
 * The path of the mapping or sequence an item at column `col` on line `lineNo` belongs to:
 * the chain of less-indented `key:` lines (with no value on the line) and `- ` items above it.
 * Also returns the keys at exactly `col` met above on the way (siblings of the cursor's key).
 */
function ancestorsOf(
  lines: readonly string[],
  lineNo: number,
  col: number,
  siblingsAbove: boolean,
): { path: string[]; siblings: string[] } {
  const path: string[] = [];
  const siblings: string[] = [];
  let c = col;
  let collecting = siblingsAbove;
  for (let n = lineNo - 1; n >= 0 && (c > 0 || collecting); n--) {
    const line = lines[n]!;
    if (isBlankOrComment(line)) continue;
    const frames = framesOf(line);
    if (frames.length === 0) {
      // A continuation line (multi-line flow or block scalar) or free text: only its indentation counts.
      continue;
    }
    for (let f = frames.length - 1; f >= 0; f--) {
      const frame = frames[f]!;
      if (collecting && frame.col === c && frame.type === 'key') siblings.push(frame.key);
      if (frame.col >= c) continue;
      if (frame.type === 'key' && frame.hasValue) continue;
      path.unshift(frame.type === 'item' ? '[]' : frame.key);
      c = frame.col;
      collecting = false;
    }
  }
  return { path, siblings };
}

/** Keys at exactly `col` below the cursor line, until the mapping ends. */
function siblingsBelow(lines: readonly string[], lineNo: number, col: number): string[] {
  const keys: string[] = [];
  for (let n = lineNo + 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (isBlankOrComment(line)) continue;
    const frames = framesOf(line);
    const first = frames[0];
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (!first) {
      if (indent < col) break;
      continue;
    }
    if (first.col < col) break;
    if (first.col === col && first.type === 'key') keys.push(first.key);
  }
  return keys;
}

interface FlowScan {
  /** Path inside the flow collection, relative to where it starts. */
  path: string[];
  position: 'key' | 'value';
  /** Column (in the scanned string) where the typed token starts. */
  tokenStart: number;
  /** Keys already written in the innermost flow mapping. */
  siblings: string[];
}

/** Reads an unclosed flow collection (`[web, ap` / `{ any-of: [a, ` / `{ comp`) up to its end. */
function scanFlow(s: string): FlowScan | undefined {
  type Level = { type: 'seq' } | { type: 'map'; key?: string; afterColon: boolean; keys: string[] };
  const stack: Level[] = [];
  let tokenStart = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const top = stack[stack.length - 1];
    if (ch === '"' || ch === "'") {
      const close = s.indexOf(ch, i + 1);
      if (close < 0) break; // an open quote: the cursor is inside it
      i = close;
    } else if (ch === '[') {
      stack.push({ type: 'seq' });
      tokenStart = i + 1;
    } else if (ch === '{') {
      stack.push({ type: 'map', afterColon: false, keys: [] });
      tokenStart = i + 1;
    } else if (ch === ']' || ch === '}') {
      stack.pop();
      tokenStart = i + 1;
      if (stack.length === 0) return undefined;
    } else if (ch === ',') {
      if (top?.type === 'map') {
        top.key = undefined;
        top.afterColon = false;
      }
      tokenStart = i + 1;
    } else if (ch === ':' && top?.type === 'map' && !top.afterColon && (i + 1 === s.length || /\s/.test(s[i + 1]!))) {
      top.key = unquote(s.slice(tokenStart, i).trim());
      top.keys.push(top.key);
      top.afterColon = true;
      tokenStart = i + 1;
    } else if (ch === '#' && i > 0 && /\s/.test(s[i - 1]!)) {
      return undefined; // the cursor is in a comment
    }
  }
  if (stack.length === 0) return undefined;
  const path: string[] = [];
  stack.forEach((level, i) => {
    const last = i === stack.length - 1;
    if (level.type === 'seq') path.push('[]');
    else if (level.afterColon && level.key !== undefined) path.push(level.key);
    else if (!last) path.push('?');
  });
  const top = stack[stack.length - 1]!;
  const position = top.type === 'map' && !top.afterColon ? 'key' : 'value';
  const siblings = top.type === 'map' ? top.keys.filter((k) => k !== top.key || position === 'value') : [];
  while (tokenStart < s.length && /\s/.test(s[tokenStart]!)) tokenStart++;
  return { path, position, tokenStart, siblings: position === 'key' ? siblings : [] };
}

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/, '$2');
}

/**
 * The completion context at `offset` in `text`: which mapping's keys or which value is being
 * typed. `undefined` inside comments, block scalars' text and other places nothing is offered.
 */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  // (lastIndexOf clamps a negative start to 0 and would find a break at offset 0 itself.)
  const lineStart = offset === 0 ? 0 : Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const lines = text.split(/\r\n|\r|\n/);
  const lineNo = text.slice(0, lineStart).split(/\r\n|\r|\n/).length - 1;
  const line = lines[lineNo] ?? '';
  const cursorCol = offset - lineStart;
  const prefixText = line.slice(0, cursorCol);
  if (/(^|\s)#/.test(prefixText.replace(/"[^"]*"|'[^']*'/g, ''))) return undefined;

  let wordEnd = cursorCol;
  while (wordEnd < line.length && WORD_CHAR.test(line[wordEnd]!)) wordEnd++;
  const make = (tokenCol: number, rest: Omit<CursorContext, 'prefix' | 'range'>): CursorContext => {
    const raw = line.slice(tokenCol, cursorCol);
    const quoted = /^["']/.test(raw);
    return {
      ...rest,
      prefix: quoted ? raw.slice(1) : raw,
      range: [lineStart + tokenCol + (quoted ? 1 : 0), lineStart + wordEnd],
    };
  };

  // Leading `- ` items on the cursor line.
  let i = /^[ \t]*/.exec(prefixText)![0].length;
  let items = 0;
  while (prefixText[i] === '-' && (prefixText[i + 1] === ' ' || prefixText[i + 1] === '\t')) {
    items++;
    i++;
    while (prefixText[i] === ' ' || prefixText[i] === '\t') i++;
  }
  const itemCols: number[] = [];
  {
    let j = /^[ \t]*/.exec(prefixText)![0].length;
    for (let k = 0; k < items; k++) {
      itemCols.push(j);
      j++;
      while (prefixText[j] === ' ' || prefixText[j] === '\t') j++;
    }
  }
  // The path of the structure the first thing on this line belongs to.
  const firstCol = itemCols[0] ?? i;
  const outer = ancestorsOf(lines, lineNo, firstCol, items === 0);
  const base = [...outer.path, ...itemCols.map(() => '[]')];
  const rest = prefixText.slice(i);

  if (rest.startsWith('[') || rest.startsWith('{')) {
    const flow = scanFlow(rest);
    if (!flow) return undefined;
    const path = [...base, ...flow.path];
    return flow.position === 'key'
      ? make(i + flow.tokenStart, { keyOf: path, siblings: flow.siblings })
      : make(i + flow.tokenStart, { valueAt: path, siblings: [] });
  }
  const key = KEY.exec(rest);
  if (key) {
    const keyName = key[1] ?? key[2] ?? key[3]!;
    const valueCol = i + key[0].length;
    const valueText = line.slice(valueCol, cursorCol);
    const trimmed = valueText.trimStart();
    const valueStart = valueCol + (valueText.length - trimmed.length);
    const path = [...base, keyName];
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
      const flow = scanFlow(trimmed);
      if (!flow) return undefined;
      const inner = [...path, ...flow.path];
      return flow.position === 'key'
        ? make(valueStart + flow.tokenStart, { keyOf: inner, siblings: flow.siblings })
        : make(valueStart + flow.tokenStart, { valueAt: inner, siblings: [] });
    }
    if (/^[|>&*!]/.test(trimmed)) return undefined;
    return make(valueStart, { valueAt: path, siblings: [] });
  }
  // A bare word: a key being typed, or (after `- `) possibly a scalar item.
  if (/[:]\s/.test(rest)) return undefined;
  const col = i;
  const siblings = [...(items === 0 ? outer.siblings : []), ...siblingsBelow(lines, lineNo, col)];
  return make(col, { keyOf: base, ...(items > 0 && { valueAt: base }), siblings });
}
