/**
 * A fast path for the YAML that architecture files are made of: block mappings and sequences,
 * one-line flow collections, plain and quoted one-line scalars, comments and blank lines.
 *
 * `yaml`'s `parseDocument` is the authority, but it costs ~200 ms for a 1000-component file
 * (its lexer, CST parser and composer pass every token through chains of generators), which is
 * most of a keystroke's lint. This reads the same text in one pass and builds the *same* `yaml`
 * Document (real `Scalar`, `YAMLMap`, `YAMLSeq` and `Pair` nodes with the ranges, flow flags,
 * scalar types and sources `yaml` gives them) plus the plain value `toJS()` would return.
 *
 * It declines — returns `undefined`, and the caller uses `yaml` — on anything outside that
 * subset or any doubt: tabs, `\r` without `\n`, BOM, directives, `---`/`...`, anchors, aliases,
 * tags, block scalars, multi-line scalars or flow collections, explicit keys, escapes in
 * double quotes, keys that are not strings or longer than 1000 characters, duplicate keys,
 * hex/octal/exponent/inf/nan numbers, empty sequence items, nesting deeper than 64
 * collections, and anything `yaml` would report as an error. What it does not set is
 * comments (`comment`, `commentBefore`, `spaceBefore`): nothing in Archlint reads them from the
 * parsed document. test/unit/simpleYaml.test.ts holds it to `parseDocument`, node for node,
 * over generated files, every sample and fixture, and random edits of them.
 *
 * The subtle part is `range[2]` and a collection's `range[1]`: where `yaml` puts the comment
 * and blank lines that follow a value. The rules, from `yaml`'s parser and composer:
 * - a scalar's or flow collection's end runs to its line's end (newline included) and takes in
 *   the comment lines right after it that are indented deeper than its collection
 *   (`atIndentedComment`), each with its newline;
 * - the other lines of trivia go to the next item's start; when the collection ends there
 *   instead, they move to its parent, unless one of their comments is indented at least as deep
 *   as the collection (which is not the root): then they stay, and the collection's `range[2]`
 *   runs to their end, the next line's indentation included;
 * - a key with an empty value keeps the trivia after its `:` (up to the second newline when the
 *   next key follows at the same indentation); its null scalar sits after the `:` and its spaces,
 *   and ends there unless those tokens hold a comment;
 * - a collection's `range[1]` is its last value's `range[2]`.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

/** Thrown inside the parser to decline; never escapes {@link parseSimpleYaml}. */
const DECLINE = Symbol('decline');
type Range3 = [number, number, number];
type Json = Record<string, unknown>;

/** A token of trivia, as `yaml`'s lexer would cut it: where it ends, and for a comment its line's indentation. */
interface Trivia {
  kind: 0 /* space */ | 1 /* comment */ | 2 /* newline */;
  end: number;
  indent: number;
}
const SPACE = 0;
const COMMENT = 1;
const NEWLINE = 2;
const NO_TRIVIA: readonly Trivia[] = [];
/** Far deeper than any architecture, far below where `yaml` (or the stack) gives up. */
const MAX_DEPTH = 64;

/** The first content line after a run of trivia lines. */
interface Next {
  /** Offset of its first non-space character. */
  pos: number;
  indent: number;
}

interface Built {
  node: Scalar | YAMLMap | YAMLSeq;
  value: unknown;
}

/** A scalar or flow collection read on one line: one shape for all, so the reads stay monomorphic. */
class Read implements Built {
  constructor(
    public node: Scalar | YAMLMap | YAMLSeq,
    public value: unknown,
    /** Just after its content. */
    public end: number,
    /** Inside a flow collection: after the spaces that follow it. */
    public next: number,
  ) {}
}

/** A block collection's result: what ended it, and trivia it passes up to its parent. */
interface BlockEnd extends Built {
  next: Next | undefined;
  pending: readonly Trivia[];
}

export interface SimpleParse {
  doc: Document.Parsed;
  value: Json;
}

/** Characters outside the subset anywhere in the text: tab, control characters, BOM, NEL, LS, PS. */
// eslint-disable-next-line no-control-regex
const OUTSIDE = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]|\r(?!\n)/;

/**
 * The Document and plain value `parseDocument(text, options).toJS()` would give, or `undefined`
 * when the text is outside the subset this reads (the caller then uses `yaml`). The root must
 * be a block mapping with string keys (at any indentation). Never throws.
 */
export function parseSimpleYaml(text: string, options: object = {}): SimpleParse | undefined {
  if (OUTSIDE.test(text)) return undefined;
  try {
    return new Reader(text, options).document();
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

function decline(): never {
  throw DECLINE;
}

class Reader {
  private readonly doc: Document.Parsed;
  /** Set when the last run read without tokens reached the end of the text over some trivia. */
  private trailingTrivia = false;

  constructor(
    private readonly text: string,
    options: object,
  ) {
    this.doc = new Document(undefined, options) as Document.Parsed;
  }

  document(): SimpleParse {
    // The root may be indented (the incremental path parses one component's lines alone).
    const first = this.run(0).next;
    if (!first) decline();
    const root = this.blockMap(first.pos, first.indent);
    if (root.next) decline();
    // The root's trailing trivia goes to the document's end, never into the root's range.
    const doc = this.doc;
    doc.contents = root.node as unknown as Document.Parsed['contents'];
    const contentEnd = (root.node.range as Range3)[2];
    const trailing = root.pending[root.pending.length - 1];
    const docEnd = trailing ? trailing.end : root.pending === NO_TRIVIA && this.trailingTrivia ? this.text.length : contentEnd;
    // An indented root's document starts at its line's start (the indentation is the document's).
    doc.range = [first.pos - first.indent, contentEnd, docEnd];
    return { doc, value: root.value as Json };
  }

  // ---- lines and trivia ----

  /** Offset of the line break ending the line at `pos` (the `\r` of `\r\n`), or the text's end. */
  private eol(pos: number): number {
    const nl = this.text.indexOf('\n', pos);
    if (nl === -1) return this.text.length;
    return this.text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  }

  /** Offset after the line break at `eol` (the text's end when there is none). */
  private afterBreak(eol: number): number {
    const { text } = this;
    if (eol >= text.length) return eol;
    return text.charCodeAt(eol) === 13 ? eol + 2 : eol + 1;
  }

  /**
   * Reads whole lines of trivia from `lineStart` (a line's start) up to the next content line,
   * as tokens; the next line's indentation is the last token. Lines starting a document marker
   * or a directive are outside the subset.
   */
  private run(lineStart: number, always = false): { tokens: readonly Trivia[]; next: Next | undefined } {
    // Trivia without a comment moves no range (see the module doc): unless asked for, tokens are
    // made only once a comment shows (the lines are then read again, with them).
    const tokens: Trivia[] | undefined = always ? [] : undefined;
    const { text } = this;
    let pos = lineStart;
    while (pos < text.length) {
      let i = pos;
      while (text.charCodeAt(i) === 32) i++;
      const indent = i - pos;
      const ch = text.charCodeAt(i);
      if (indent > 0) tokens?.push({ kind: SPACE, end: i, indent });
      if (i >= text.length) break;
      if (ch === 10 || ch === 13) {
        pos = this.afterBreak(i);
        tokens?.push({ kind: NEWLINE, end: pos, indent });
        continue;
      }
      if (ch === 35 /* # */) {
        if (!tokens) return this.run(lineStart, true);
        const eol = this.eol(i);
        tokens.push({ kind: COMMENT, end: eol, indent });
        if (eol >= text.length) break;
        pos = this.afterBreak(eol);
        tokens.push({ kind: NEWLINE, end: pos, indent });
        continue;
      }
      if (indent === 0 && (ch === 37 /* % */ || text.startsWith('---', i) || text.startsWith('...', i))) decline();
      return { tokens: tokens ?? NO_TRIVIA, next: { pos: i, indent } };
    }
    // The text ends in trivia: the document's end runs over it (unless an empty value took it).
    if (!tokens) this.trailingTrivia = lineStart < text.length;
    return { tokens: tokens ?? NO_TRIVIA, next: undefined };
  }

  /**
   * The rest of a value's line from `pos`: spaces, an optional comment, the line break; anything
   * else is outside the subset. Returns where the last of them ends, whether that is the comment
   * (the text ends there), and where the next line starts; their tokens go to `tokens` if given
   * (an empty value's `sep`).
   */
  private lineRest(pos: number, indent: number, tokens?: Trivia[]): { end: number; lastIsComment: boolean; lineEnd: number } {
    const { text } = this;
    let i = pos;
    while (text.charCodeAt(i) === 32) i++;
    if (i > pos) tokens?.push({ kind: SPACE, end: i, indent });
    let end = i;
    let lastIsComment = false;
    const ch = text.charCodeAt(i);
    if (i < text.length && ch !== 10 && ch !== 13) {
      // A comment needs a space before it (`a: b#c` is a scalar; the caller has read it).
      if (ch !== 35 || i === pos) decline();
      end = i = this.eol(i);
      lastIsComment = true;
      tokens?.push({ kind: COMMENT, end: i, indent });
    }
    if (i >= text.length) return { end, lastIsComment, lineEnd: i };
    const lineEnd = this.afterBreak(i);
    tokens?.push({ kind: NEWLINE, end: lineEnd, indent });
    return { end: lineEnd, lastIsComment: false, lineEnd };
  }

  // ---- block collections ----

  /** Collections open around the reader: deep nesting is `yaml`'s to refuse (and no stack to overflow here). */
  private depth = 0;

  private enter(): void {
    if (++this.depth > MAX_DEPTH) decline();
  }

  /** A block mapping whose keys sit at column `col`; its first key starts at `keyPos`. */
  private blockMap(keyPos: number, col: number): BlockEnd {
    this.enter();
    const map = new YAMLMap(this.doc.schema);
    const value: Json = {};
    const keys = new Set<string>();
    let pos = keyPos;
    for (;;) {
      const key = this.blockKey(pos);
      if (keys.has(key.value) || key.value === '__proto__') decline();
      keys.add(key.value);
      const item = this.blockMapValue(key.end, col);
      map.items.push(new Pair(key.node, item.node));
      value[key.value] = item.value;
      const next = item.next;
      if (next && next.indent === col && this.text.charCodeAt(next.pos) !== 45 /* - */) {
        pos = next.pos;
        continue;
      }
      if (next && next.indent > col) decline();
      this.depth--;
      return closeBlock(map, value, keyPos, item, col);
    }
  }

  /** A block sequence whose `-` sit at column `col`; the first `-` is at `dashPos`. */
  private blockSeq(dashPos: number, col: number): BlockEnd {
    this.enter();
    const { text } = this;
    const seq = new YAMLSeq(this.doc.schema);
    const value: unknown[] = [];
    let pos = dashPos;
    for (;;) {
      // `-` then at least one space and something on the same line.
      let i = pos + 1;
      if (text.charCodeAt(i) !== 32) decline();
      while (text.charCodeAt(i) === 32) i++;
      const ch = text.charCodeAt(i);
      if (i >= text.length || ch === 10 || ch === 13 || ch === 35 || ch === 45 /* - */) decline();
      const item = this.isKeyAhead(i) ? this.blockMap(i, i - this.lineStartOf(i)) : this.inlineValue(i, col);
      seq.items.push(item.node);
      value.push(item.value);
      const next = item.next;
      if (next && next.indent === col && text.charCodeAt(next.pos) === 45 && this.isDash(next.pos)) {
        pos = next.pos;
        continue;
      }
      if (next && next.indent > col) decline();
      this.depth--;
      return closeBlock(seq, value, dashPos, item, col);
    }
  }

  private lineStartOf(pos: number): number {
    const { text } = this;
    let i = pos;
    while (i > 0 && text.charCodeAt(i - 1) !== 10) i--;
    return i;
  }

  /** Whether the `-` at `pos` is a sequence indicator (followed by a space or the line's end). */
  private isDash(pos: number): boolean {
    const ch = this.text.charCodeAt(pos + 1);
    return pos + 1 >= this.text.length || ch === 32 || ch === 10 || ch === 13;
  }

  /** What follows a block mapping key's `:` (at `colonEnd`, just after it), for a map at `col`. */
  private blockMapValue(colonEnd: number, col: number): BlockEnd {
    const { text } = this;
    let i = colonEnd;
    while (text.charCodeAt(i) === 32) i++;
    const ch = text.charCodeAt(i);
    if (i < text.length && ch !== 10 && ch !== 13 && ch !== 35) {
      if (i === colonEnd) decline(); // `a:b` would have been read as one scalar
      return this.inlineValue(i, col);
    }
    // Nothing on the key's line: a nested block, or an empty value.
    const restTokens: Trivia[] = [];
    const rest = this.lineRest(colonEnd, col, restTokens);
    // An empty value's end runs over the trivia after it when its own line has a comment.
    const after = this.run(
      rest.lineEnd,
      restTokens.some((t) => t.kind === COMMENT),
    );
    const next = after.next;
    if (next && next.indent > col) {
      if (text.charCodeAt(next.pos) === 45 && this.isDash(next.pos)) return this.blockSeq(next.pos, next.indent);
      if (!this.isKeyAhead(next.pos)) decline();
      return this.blockMap(next.pos, next.indent);
    }
    if (next && next.indent === col && text.charCodeAt(next.pos) === 45 && this.isDash(next.pos)) {
      return this.blockSeq(next.pos, col); // a sequence may sit at its key's indentation
    }
    // An empty value: a null scalar after the `:` and its spaces; `sep` holds the trivia.
    let sep: Trivia[] = [...restTokens, ...after.tokens];
    if (next && next.indent === col) {
      // The next key follows: from the second newline on, the trivia is that key's.
      const newlines: number[] = [];
      for (let k = 0; k < sep.length; k++) {
        const t = sep[k]!;
        if (t.kind === NEWLINE) newlines.push(k);
        else if (t.kind === COMMENT && t.indent > col) newlines.length = 0;
      }
      if (newlines.length >= 2) sep = sep.slice(0, newlines[1]);
    }
    const at = restTokens[0]?.kind === SPACE ? restTokens[0].end : colonEnd;
    const hasComment = sep.some((t) => t.kind === COMMENT);
    const node = new Scalar(null);
    node.range = [at, at, hasComment ? sep[sep.length - 1]!.end : at];
    node.source = '';
    node.type = 'PLAIN';
    return { node, value: null, next, pending: [] };
  }

  /**
   * A scalar or flow collection at `pos` that ends its line, as the value of a collection at
   * `col`; then the trivia after it: comment lines indented deeper than `col` join its end.
   */
  private inlineValue(pos: number, col: number): BlockEnd {
    const { text } = this;
    const ch = text.charCodeAt(pos);
    const built =
      ch === 91 /* [ */ || ch === 123 /* { */
        ? this.flowCollection(pos)
        : ch === 34 /* " */ || ch === 39 /* ' */
          ? this.quoted(pos)
          : this.blockPlain(pos);
    const rest = this.lineRest(built.end, col);
    let end = rest.end;
    let lastIsComment = rest.lastIsComment;
    const after = this.run(rest.lineEnd);
    const range = built.node.range as Range3;
    if (after.tokens === NO_TRIVIA) {
      // Unread trivia (no comment in it) moves nothing, and passes up as such: the document's end may run over it.
      range[2] = end;
      return { node: built.node, value: built.value, next: after.next, pending: NO_TRIVIA };
    }
    // `yaml`'s blockMap/blockSequence on trivia after a value with an end (see the module doc).
    const pending: Trivia[] = [];
    let hasValue = true; // the collection's last item is this value (no start-only item yet)
    let startOnlyTrivial = true;
    for (const t of after.tokens) {
      if (hasValue) {
        if (t.kind === NEWLINE && lastIsComment) {
          end = t.end;
          lastIsComment = false;
          continue;
        }
        hasValue = false;
        pending.push(t);
        startOnlyTrivial = t.kind !== COMMENT;
        continue;
      }
      if (t.kind === COMMENT && startOnlyTrivial && t.indent > col) {
        end = t.end;
        lastIsComment = true;
        hasValue = true;
        pending.length = 0;
        continue;
      }
      if (t.kind === COMMENT) startOnlyTrivial = false;
      pending.push(t);
    }
    range[2] = end;
    return { node: built.node, value: built.value, next: after.next, pending };
  }

  /** Whether a block mapping key (plain or quoted, then `:` and a space or the line's end) starts at `pos`. */
  private isKeyAhead(pos: number): boolean {
    const { text } = this;
    const ch = text.charCodeAt(pos);
    if (ch === 34 || ch === 39) {
      const close = this.quoteEnd(pos);
      return close !== -1 && text.charCodeAt(close) === 58 && this.endsToken(close + 1);
    }
    if (isIndicator(ch)) return false;
    const eol = this.eol(pos);
    for (let i = pos; i < eol; i++) {
      const c = text.charCodeAt(i);
      if (c === 58 /* : */ && this.endsToken(i + 1)) return true;
      if (c === 35 && text.charCodeAt(i - 1) === 32) return false;
    }
    return false;
  }

  /** Whether `pos` is a space, a line break or the text's end. */
  private endsToken(pos: number): boolean {
    const ch = this.text.charCodeAt(pos);
    return pos >= this.text.length || ch === 32 || ch === 10 || ch === 13;
  }

  /** A block mapping key at `pos`; `end` is just after its `:`. */
  private blockKey(pos: number): { node: Scalar; value: string; end: number } {
    const { text } = this;
    const ch = text.charCodeAt(pos);
    if (ch === 34 || ch === 39) {
      const q = this.quoted(pos);
      // `yaml` (strict) wants the `:` at most 1024 characters after an implicit key's start.
      if (text.charCodeAt(q.end) !== 58 || !this.endsToken(q.end + 1) || q.end - pos > 1000) decline();
      return { node: q.node as Scalar, value: q.value as string, end: q.end + 1 };
    }
    if (isIndicator(ch) || ch === 45 || ch === 58 || ch === 63) decline();
    const eol = this.eol(pos);
    let i = pos;
    while (i < eol) {
      const c = text.charCodeAt(i);
      if (c === 58 && this.endsToken(i + 1)) break;
      if (c === 35 && text.charCodeAt(i - 1) === 32) decline();
      i++;
    }
    if (i >= eol || text.charCodeAt(i - 1) === 32 || i - pos > 1000) decline();
    const source = text.slice(pos, i);
    if (typeof resolvePlain(source) !== 'string') decline();
    const node = plainScalar(source, source, [pos, i, i]);
    return { node, value: source, end: i + 1 };
  }

  // ---- scalars ----

  /** A plain scalar in block context, up to ` #` or the line's end, trailing spaces trimmed. */
  private blockPlain(pos: number): Read {
    const { text } = this;
    const ch = text.charCodeAt(pos);
    if (isIndicator(ch) || ch === 63 /* ? */ || ch === 58) decline();
    if (ch === 45 && this.isDash(pos)) decline();
    const eol = this.eol(pos);
    let i = pos;
    let end = pos;
    while (i < eol) {
      const c = text.charCodeAt(i);
      if (c === 35 && text.charCodeAt(i - 1) === 32) break;
      if (c === 58 && this.endsToken(i + 1)) decline(); // `a: b: c`, a nested mapping on one line
      if (c !== 32) end = i + 1;
      i++;
    }
    const source = text.slice(pos, end);
    const value = resolvePlain(source);
    return new Read(plainScalar(source, value, [pos, end, end]), value, end, end);
  }

  /** Offset just after the closing quote of the one-line quoted scalar at `pos`, or −1. */
  private quoteEnd(pos: number): number {
    const { text } = this;
    const quote = text.charCodeAt(pos);
    const eol = this.eol(pos);
    for (let i = pos + 1; i < eol; i++) {
      const c = text.charCodeAt(i);
      if (quote === 34 && c === 92 /* \ */) return -1;
      if (c === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) {
          i++;
          continue;
        }
        return i + 1;
      }
    }
    return -1;
  }

  private quoted(pos: number): Read {
    const end = this.quoteEnd(pos);
    if (end === -1) decline();
    const inner = this.text.slice(pos + 1, end - 1);
    const single = this.text.charCodeAt(pos) === 39;
    const value = single ? inner.replaceAll("''", "'") : inner;
    const node = new Scalar(value);
    node.range = [pos, end, end];
    node.source = value;
    node.type = single ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE';
    return new Read(node, value, end, end);
  }

  // ---- flow collections (on one line) ----

  private flowCollection(pos: number): Read {
    this.enter();
    const { text } = this;
    const isMap = text.charCodeAt(pos) === 123;
    const close = isMap ? 125 /* } */ : 93; /* ] */
    const coll = isMap ? new YAMLMap(this.doc.schema) : new YAMLSeq(this.doc.schema);
    coll.flow = true;
    const value: unknown = isMap ? {} : [];
    const keys = isMap ? new Set<string>() : undefined;
    let i = pos + 1;
    for (;;) {
      i = this.skipSpaces(i);
      if (text.charCodeAt(i) === close) break;
      if (isMap) {
        const key = this.flowItem(i, true);
        if (typeof key.value !== 'string' || keys!.has(key.value) || key.value === '__proto__') decline();
        keys!.add(key.value);
        let j = key.end;
        if (text.charCodeAt(j) !== 58 || text.charCodeAt(j + 1) !== 32) decline();
        (key.node.range as Range3)[2] = j;
        j = this.skipSpaces(j + 1);
        let item: Read;
        const c = text.charCodeAt(j);
        if (c === 44 /* , */ || c === close) {
          const empty = new Scalar(null);
          empty.range = [j, j, j];
          empty.source = '';
          empty.type = 'PLAIN';
          item = new Read(empty, null, j, j);
        } else {
          item = this.flowItem(j, false);
        }
        (coll as YAMLMap).items.push(new Pair(key.node, item.node));
        (value as Json)[key.value] = item.value;
        i = item.next;
      } else {
        const item = this.flowItem(i, false);
        (coll as YAMLSeq).items.push(item.node);
        (value as unknown[]).push(item.value);
        i = item.next;
      }
      const c = text.charCodeAt(i);
      if (c === 44) {
        i++;
        continue;
      }
      if (c !== close) decline();
      break;
    }
    const end = i + 1;
    coll.range = [pos, end, end];
    this.depth--;
    return new Read(coll, value, end, end);
  }

  private skipSpaces(pos: number): number {
    let i = pos;
    while (this.text.charCodeAt(i) === 32) i++;
    return i;
  }

  /**
   * An item inside a flow collection at `pos`: its node (range[2] after the spaces that follow
   * it), value, content end, and `next`, the offset of what follows those spaces.
   */
  private flowItem(pos: number, asKey: boolean): Read {
    const { text } = this;
    const ch = text.charCodeAt(pos);
    let built: Read;
    if (ch === 91 || ch === 123) {
      if (asKey) decline();
      built = this.flowCollection(pos);
    } else if (ch === 34 || ch === 39) {
      built = this.quoted(pos);
    } else {
      if (isIndicator(ch) || ch === 63 || ch === 58 || ch === 45) decline();
      let i = pos;
      let end = pos;
      for (;;) {
        const c = text.charCodeAt(i);
        if (i >= text.length || c === 10 || c === 13) decline(); // the collection must close on this line
        if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125) break;
        if (c === 58) {
          if (asKey && text.charCodeAt(i + 1) === 32) break;
          decline();
        }
        if (c === 35 && text.charCodeAt(i - 1) === 32) decline();
        if (c !== 32) end = i + 1;
        i++;
      }
      if (end === pos) decline();
      const source = text.slice(pos, end);
      const value = resolvePlain(source);
      built = new Read(plainScalar(source, value, [pos, end, end]), value, end, end);
    }
    built.next = this.skipSpaces(built.end);
    if (!asKey) (built.node.range as Range3)[2] = built.next;
    return built;
  }
}

/**
 * The end of a block collection at column `col` that starts at `start`, after its `last` item:
 * its `range[1]` is that item's `range[2]`; the trivia pending after it stays in it (its
 * `range[2]` then runs to the trivia's end) when one of their comments is indented at least as
 * deep and the collection is not at column 0, and else passes up to the parent.
 */
function closeBlock(node: YAMLMap | YAMLSeq, value: unknown, start: number, last: BlockEnd, col: number): BlockEnd {
  const end = (last.node.range as Range3)[2];
  node.range = [start, end, end];
  const stays = col > 0 && last.pending.some((t) => t.kind === COMMENT && t.indent >= col);
  if (stays) node.range[2] = last.pending[last.pending.length - 1]!.end;
  return { node, value, next: last.next, pending: stays ? [] : last.pending };
}

/** `[ ] { } , # & * ! | > ' " % @ \``: characters a plain scalar may not start with. */
function isIndicator(ch: number): boolean {
  return (
    ch === 91 ||
    ch === 93 ||
    ch === 123 ||
    ch === 125 ||
    ch === 44 ||
    ch === 35 ||
    ch === 38 ||
    ch === 42 ||
    ch === 33 ||
    ch === 124 ||
    ch === 62 ||
    ch === 39 ||
    ch === 34 ||
    ch === 37 ||
    ch === 64 ||
    ch === 96
  );
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** The YAML 1.2 core schema's other number forms, which `yaml` writes back with a format: outside the subset. */
const OTHER_NUMBER =
  /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** A plain scalar's value under the YAML 1.2 core schema, as `yaml` resolves it. */
function resolvePlain(source: string): string | number | boolean | null {
  const first = source.charCodeAt(0);
  // Only strings that start like a number, `~`, n/N, t/T or f/F can be anything but a string.
  if (!(
    first <= 57 ||
    first === 126 ||
    first === 110 ||
    first === 78 ||
    first === 116 ||
    first === 84 ||
    first === 102 ||
    first === 70
  ))
    return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === 't' || source[0] === 'T';
  if (INT.test(source)) return parseInt(source, 10);
  if (FLOAT.test(source)) return parseFloat(source);
  if (OTHER_NUMBER.test(source)) decline();
  return source;
}

function plainScalar(source: string, value: string | number | boolean | null, range: Range3): Scalar {
  const node = new Scalar(value);
  node.range = range;
  node.source = source;
  node.type = 'PLAIN';
  // `yaml`'s float tag keeps the digits of `1.50`; a number with a dot was a float (an exponent declines).
  if (typeof value === 'number' && source.endsWith('0')) {
    const dot = source.indexOf('.');
    if (dot !== -1) node.minFractionDigits = source.length - dot - 1;
  }
  return node;
}
