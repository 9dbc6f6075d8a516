// What the fuzz script (and the property tests) hold Archlint's outputs to: XML that a strict
// parser accepts, terminal text without escapes, GitHub workflow commands one per line, fixes
// that change nothing but what they say, and no trace of a crash.
import { TextDecoder } from 'node:util';
import { Lexer } from 'yaml';

// ---------------------------------------------------------------------------------------------
// XML well-formedness (XML 1.0, the rules an SVG without a DTD can break)

// Names: ASCII only, stricter than XML (every element and attribute the SVG writes is ASCII).
const NAME_START = /[A-Za-z_:]/;
const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const PREDEFINED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Whether a code point is an XML 1.0 `Char`. */
export function isXmlChar(cp) {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

class XmlError extends Error {
  constructor(message, offset) {
    super(`${message} at offset ${offset}`);
    this.offset = offset;
  }
}

/**
 * Parses `text` as a well-formed XML document (no DTD) and returns its elements in document
 * order, each with its attributes as an XML processor reports them (references resolved, literal
 * tabs and line breaks normalised to spaces) and its direct text. Throws an `XmlError` naming the
 * first rule broken: a character that is not an XML Char, `<` or a bare `&` in text or an
 * attribute, an unknown entity, an unbalanced or misnested tag, a repeated attribute, anything
 * but one root element.
 */
export function parseXml(text) {
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i);
    if (cp > 0xffff) i++;
    else if (cp >= 0xd800 && cp <= 0xdfff) throw new XmlError('a lone surrogate', i);
    if (!isXmlChar(cp)) throw new XmlError(`character U+${cp.toString(16).padStart(4, '0')} is not allowed in XML`, i);
  }
  const elements = [];
  const stack = [];
  let roots = 0;
  let i = 0;
  const resolve = (raw, at) =>
    raw.replace(/&([^;&]*);?/g, (match, ref, offset) => {
      if (!match.endsWith(';')) throw new XmlError('a bare "&"', at + offset);
      if (ref.startsWith('#')) {
        const cp = /^#x[0-9a-fA-F]+$/.test(ref)
          ? parseInt(ref.slice(2), 16)
          : /^#[0-9]+$/.test(ref)
            ? parseInt(ref.slice(1), 10)
            : NaN;
        if (!isXmlChar(cp)) throw new XmlError(`character reference &${ref}; is not an XML Char`, at + offset);
        return String.fromCodePoint(cp);
      }
      if (!Object.hasOwn(PREDEFINED, ref)) throw new XmlError(`undeclared entity &${ref};`, at + offset);
      return PREDEFINED[ref];
    });
  const addText = (raw, at) => {
    if (raw.includes(']]>')) throw new XmlError('"]]>" in text', at + raw.indexOf(']]>'));
    const value = resolve(raw, at);
    if (stack.length > 0) stack.at(-1).text += value;
    else if (/[^ \t\r\n]/.test(value)) throw new XmlError('text outside the root element', at);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt === -1) {
      addText(text.slice(i), i);
      break;
    }
    if (lt > i) addText(text.slice(i, lt), i);
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) throw new XmlError('an unterminated comment', i);
      if (text.slice(i + 4, end).includes('--') || text[end - 1] === '-') throw new XmlError('"--" inside a comment', i);
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) throw new XmlError('CDATA outside the root element', i);
      const end = text.indexOf(']]>', i);
      if (end === -1) throw new XmlError('an unterminated CDATA section', i);
      stack.at(-1).text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end === -1) throw new XmlError('an unterminated processing instruction', i);
      const target = NAME.exec(text.slice(i + 2))?.[0];
      if (!target) throw new XmlError('a processing instruction without a target', i);
      if (target.toLowerCase() === 'xml' && (i !== 0 || target !== 'xml'))
        throw new XmlError('an XML declaration not at the start', i);
      i = end + 2;
    } else if (text.startsWith('<!', i)) {
      throw new XmlError('a DOCTYPE or declaration (not expected in this SVG)', i);
    } else if (text.startsWith('</', i)) {
      const name = NAME.exec(text.slice(i + 2))?.[0];
      if (!name) throw new XmlError('an end tag without a name', i);
      let j = i + 2 + name.length;
      while (/[ \t\r\n]/.test(text[j] ?? '')) j++;
      if (text[j] !== '>') throw new XmlError(`a malformed end tag </${name}`, i);
      const open = stack.pop();
      if (!open || open.name !== name) throw new XmlError(`</${name}> closes ${open ? `<${open.name}>` : 'nothing'}`, i);
      i = j + 1;
    } else {
      if (!NAME_START.test(text[i + 1] ?? '')) throw new XmlError('"<" that starts no tag', i);
      const name = NAME.exec(text.slice(i + 1))[0];
      let j = i + 1 + name.length;
      const attrs = new Map();
      for (;;) {
        const spaceStart = j;
        while (/[ \t\r\n]/.test(text[j] ?? '')) j++;
        if (text[j] === '>' || text.startsWith('/>', j)) break;
        if (j === spaceStart) throw new XmlError(`no space before an attribute of <${name}>`, j);
        const attr = NAME.exec(text.slice(j))?.[0];
        if (!attr) throw new XmlError(`a malformed attribute in <${name}>`, j);
        j += attr.length;
        while (/[ \t\r\n]/.test(text[j] ?? '')) j++;
        if (text[j] !== '=') throw new XmlError(`attribute ${attr} without a value`, j);
        j++;
        while (/[ \t\r\n]/.test(text[j] ?? '')) j++;
        const quote = text[j];
        if (quote !== '"' && quote !== "'") throw new XmlError(`attribute ${attr} is not quoted`, j);
        const end = text.indexOf(quote, j + 1);
        if (end === -1) throw new XmlError(`attribute ${attr} is not closed`, j);
        const raw = text.slice(j + 1, end);
        if (raw.includes('<')) throw new XmlError(`"<" in attribute ${attr}`, j + 1 + raw.indexOf('<'));
        if (attrs.has(attr)) throw new XmlError(`attribute ${attr} twice in <${name}>`, j);
        // Attribute-value normalisation: a literal tab or line break is read as a space.
        attrs.set(attr, resolve(raw.replace(/\r\n|[\t\n\r]/g, ' '), j + 1));
        j = end + 1;
      }
      const element = { name, attrs, text: '', depth: stack.length };
      if (stack.length === 0) {
        if (++roots > 1) throw new XmlError('a second root element', i);
      }
      elements.push(element);
      if (text.startsWith('/>', j)) i = j + 2;
      else {
        stack.push(element);
        i = j + 1;
      }
    }
  }
  if (stack.length > 0) throw new XmlError(`<${stack.at(-1).name}> is never closed`, text.length);
  if (roots === 0) throw new XmlError('no root element', 0);
  return elements;
}

/** `undefined` when `text` is well-formed XML, else why not. */
export function xmlProblem(text) {
  try {
    parseXml(text);
    return undefined;
  } catch (error) {
    if (error instanceof XmlError) return error.message;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Terminal output

/**
 * Characters that must not reach a terminal raw: C0 controls but tab and line feed (ESC starts
 * colour, title and hyperlink sequences; CR and BS overwrite what was printed), DEL, C1 controls
 * (0x9B is an 8-bit CSI), and the bidi embeddings, overrides and isolates of Trojan Source.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
export const TERMINAL_UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/u;

/** `undefined` when `text` is safe to print to a terminal, else the first unsafe character and its context. */
export function terminalProblem(text) {
  const m = TERMINAL_UNSAFE.exec(text);
  if (!m) return undefined;
  const cp = m[0].codePointAt(0).toString(16).padStart(4, '0');
  return `U+${cp} printed raw at offset ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 30))}`;
}

/** `undefined` when every line of `text` is one GitHub workflow command (`::error …::message`), else the first line that is not. */
export function githubProblem(text) {
  if (text === '') return undefined;
  if (!text.endsWith('\n')) return 'the output does not end with a line break';
  const bad = text
    .slice(0, -1)
    .split('\n')
    .find(
      (line) =>
        !/^::(error|warning|notice) file=[^\r\n,:]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[^\r\n,:]*::[^\r\n]*$/.test(
          line,
        ),
    );
  return bad === undefined ? undefined : `a line that is not one workflow command: ${JSON.stringify(bad.slice(0, 120))}`;
}

/** The signs of a crash, each with the short name a failure class takes from it. */
const CRASH_SIGNS = [
  [/^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m, 'stack trace'],
  [/internal error/i, 'internal error'],
  [/Maximum call stack|RangeError|TypeError|ReferenceError/, 'JavaScript error'],
  [/^\(node:\d+\) \w*Warning/m, 'Node warning'],
  [/FATAL ERROR|JavaScript heap out of memory|Segmentation fault/, 'fatal error'],
];

/**
 * Signs of a crash in a text (standard error, or a finding's message): a stack trace, an internal
 * error, a JavaScript error, a Node warning, a fatal V8 error. `sign` names which, `excerpt`
 * shows it in context.
 */
export function crashProblem(text) {
  for (const [pattern, sign] of CRASH_SIGNS) {
    const m = pattern.exec(text);
    if (m) return { sign, excerpt: JSON.stringify(text.slice(Math.max(0, m.index - 80), m.index + 160)) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Files and fixes

/** Whether bytes are valid UTF-8 (no replacement needed to read them). */
export function isUtf8(bytes) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Every comment of a YAML text, as the `yaml` lexer reads them (also in text that is not valid YAML). */
export function commentsOf(text) {
  const out = [];
  for (const token of new Lexer().lex(text)) if (token.startsWith('#')) out.push(token.trimEnd());
  return out;
}

/** The comments of `before` that `after` no longer has (as a multiset). */
export function lostComments(before, after) {
  const left = commentsOf(after);
  const lost = [];
  for (const c of commentsOf(before)) {
    const i = left.indexOf(c);
    if (i === -1) lost.push(c);
    else left.splice(i, 1);
  }
  return lost;
}

/** How many line breaks of each kind a text has. */
export function lineEndings(text) {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  return { crlf, lf: (text.match(/\n/g) ?? []).length - crlf, cr: (text.match(/\r/g) ?? []).length - crlf };
}

/** `undefined` when `after` writes no kind of line break that `before` did not use, else which one appeared. */
export function lineEndingProblem(before, after) {
  const a = lineEndings(before);
  const b = lineEndings(after);
  if (a.crlf + a.lf + a.cr === 0) return undefined; // one line: any break the fix adds is the fix's choice
  for (const kind of ['crlf', 'lf', 'cr'])
    if (a[kind] === 0 && b[kind] > 0) return `${b[kind]} ${kind.toUpperCase()} line break(s) added to a file that had none`;
  return undefined;
}

/** Whether two edits conflict, as `applyFixes` decides (two insertions at one offset conflict too). */
function conflicts(a, b) {
  if (a.range[0] === b.range[0]) return true;
  return a.range[0] < b.range[1] && b.range[0] < a.range[1];
}

/**
 * One `--fix` pass as the CLI makes it, from the messages of `lint --format json` (each safe fix
 * as one edit): one fix per message in order, skipping fixes that conflict with one taken earlier.
 * Returns the text after the pass (the same text when no fix applies).
 */
export function applyFixPass(text, messages) {
  const taken = [];
  for (const m of messages) {
    if (!m.fix) continue;
    if (taken.some((t) => conflicts(m.fix, t))) continue;
    taken.push(m.fix);
  }
  taken.sort((a, b) => a.range[0] - b.range[0]);
  let out = '';
  let cursor = 0;
  for (const e of taken) {
    out += text.slice(cursor, e.range[0]) + e.text;
    cursor = e.range[1];
  }
  return out + text.slice(cursor);
}

/** Whether lint messages say the file is not readable YAML (what `--fix` must never cause). */
export const isBroken = (messages) => messages.some((m) => m.ruleId === 'yaml-syntax' || m.ruleId === 'duplicate-key');

/** The first offset where two strings differ, with context from both. */
export function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const around = (s) => JSON.stringify(s.slice(Math.max(0, i - 20), i + 40));
  return `offset ${i}: expected ${around(a)}, got ${around(b)}`;
}
