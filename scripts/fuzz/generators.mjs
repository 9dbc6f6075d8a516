// Hostile inputs for Archlint, shared by the fuzz script (scripts/fuzz/fuzz.mjs) and the property
// tests (test/unit/hostile*.test.ts): the audit's generators (/work/shared/audit) made standing.
// Every generator is a pure function of a seeded random source, so a seed reproduces a file.
import { Buffer } from 'node:buffer';

/** A seeded pseudo-random source in [0, 1) (mulberry32: small, fast, good enough for fuzzing). */
export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Helpers over one random source. */
export function chooser(rand) {
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  /** Picks by weight from `[weight, value]` pairs. */
  const weighted = (pairs) => {
    let r = rand() * pairs.reduce((sum, [w]) => sum + w, 0);
    for (const [w, v] of pairs) if ((r -= w) < 0) return v;
    return pairs.at(-1)[1];
  };
  const chance = (p) => rand() < p;
  return { rand, int, pick, weighted, chance };
}

/**
 * Component ids a hostile user could write, as the strings the parser should read: control
 * characters, terminal escapes, bidi overrides, line breaks, NUL, very long, unicode, markup,
 * names that mean something to YAML, Mermaid or JavaScript objects.
 */
export const HOSTILE_IDS = [
  // C0, DEL and C1 controls, and the line breaks YAML and Unicode know.
  'nul\0x',
  'bell\x07',
  'back\bspace',
  'vt\x0bff\x0c',
  'del\x7f',
  'c1\x85\x9b',
  'cr\rhere',
  'multi\nline',
  'tab\tbed',
  'ls\u2028ps\u2029',
  // Terminal escapes: colour, window title (OSC), hyperlink, clear screen, the 8-bit CSI.
  'a\x1b[31mRED\x1b[0m',
  'osc\x1b]0;pwned\x07',
  '\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\',
  'clear\x1b[2J\x1b[H',
  'csi\x9b31m',
  // Bidi overrides and isolates (Trojan Source), marks.
  'admin\u202e\u2066nimda\u2069\u2066',
  '\u202bembedded\u202c',
  'rlm\u200f\u061c',
  // Unicode: accents, CJK, an astral emoji (a surrogate pair), combining marks, odd spaces, BOM.
  'ünïcødé',
  '数据库',
  '🚀-svc',
  'e\u0301\u0301\u0301',
  'nb\u00a0sp\u3000',
  '\ufeffbom',
  'zero\u200bwidth',
  // Markup for the SVG, Mermaid and Markdown.
  '<script>alert(1)</script>',
  'a&b&amp;c&#0;',
  '"double" \'single\'',
  ']]>',
  '<!-- x -->',
  'end',
  'subgraph',
  'A["x"] --> B',
  'click A call alert()',
  '|label|;style',
  '`code` *em* [l](x)',
  // What YAML or a JavaScript object reads specially.
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'a: b',
  '- x',
  '# hash',
  '*alias',
  '&anchor',
  '!tag',
  '{flow}',
  '[seq]',
  '%percent',
  '@at',
  ' leading',
  'trailing ',
  '',
  // Long.
  'x'.repeat(2000),
  'a-'.repeat(300),
];

/** Keys that YAML reads as something other than a string (written as plain scalars). */
export const ODD_PLAIN_KEYS = ['7', '0x1F', '1e3', '.inf', '-.nan', '007', 'true', 'yes', 'on', 'null', '~', '-1', '1.0'];

/** A string as a YAML double-quoted scalar with escapes: what the parser reads is exactly `s`. */
export function yamlQuoted(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff)
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A string as a YAML single-quoted scalar (only `'` is escaped; control characters go in raw). */
export function yamlSingleQuoted(s) {
  return `'${s.replace(/'/g, "''")}'`;
}

/** One way of writing an id as a YAML key or flow value, chosen at random; plain when it reads back the same. */
export function writeId(c, id) {
  const plainSafe = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(id) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(id);
  if (plainSafe && c.chance(0.7)) return id;
  return c.chance(0.75) || /[\n\r]/.test(id) ? yamlQuoted(id) : yamlSingleQuoted(id);
}

const KINDS = ['load-balancer', 'service', 'worker', 'database', 'cache', 'queue', 'storage', 'external'];

/**
 * An architecture whose component (and zone, and name) ids are hostile, with references between
 * them so they reach edges, junctions, findings, the availability table and the diagram.
 * Returns the text and the ids the file declares (as the parser reads them).
 */
export function hostileIdsArchitecture(rand) {
  const c = chooser(rand);
  const count = c.int(2, 7);
  const ids = [];
  while (ids.length < count) {
    const id = c.chance(0.7) ? c.pick(HOSTILE_IDS) : `${c.pick(HOSTILE_IDS)}${c.pick(HOSTILE_IDS)}`.slice(0, 300);
    if (!ids.includes(id)) ids.push(id);
  }
  const zones = c.chance(0.6)
    ? Array.from({ length: c.int(2, 3) }, () => (c.chance(0.8) ? c.pick(HOSTILE_IDS) : 'z-2')).filter(
        (z, i, all) => all.indexOf(z) === i,
      )
    : [];
  const lines = ['archlint: 1', `name: ${writeId(c, c.pick(HOSTILE_IDS))}`];
  if (c.chance(0.3)) lines.push(`# ${c.pick(HOSTILE_IDS).replace(/[\r\n]/g, ' ')} comment`);
  if (zones.length > 0) lines.push('zones:', ...zones.map((z) => `  ${writeId(c, z)}: {}`));
  if (c.chance(0.2)) lines.push('rules:', `  ${writeId(c, c.pick(HOSTILE_IDS))}: off`);
  lines.push('components:');
  ids.forEach((id, i) => {
    const others = ids.filter((o) => o !== id);
    const ref = () => writeId(c, c.pick(others.length > 0 ? others : [id]));
    const props = [`kind: ${i === 0 ? 'load-balancer' : c.pick(KINDS)}`];
    if (i === 0 || c.chance(0.2)) props.push('entry: true');
    if (c.chance(0.4)) props.push(`replicas: ${c.int(1, 3)}`);
    if (c.chance(0.3)) props.push('state: in-memory');
    if (i === 0 && others.length > 0) props.push(`routes-to: [${ref()}]`);
    else if (others.length > 0 && c.chance(0.6)) {
      const deps = [ref()];
      if (others.length > 1 && c.chance(0.5)) deps.push(`{ any-of: [${ref()}, ${ref()}] }`);
      if (c.chance(0.3)) deps.push(`{ component: ${ref()}, optional: true }`);
      if (c.chance(0.2)) deps.push(writeId(c, c.pick(HOSTILE_IDS)));
      props.push(`depends-on: [${deps.join(', ')}]`);
    }
    if (zones.length > 0 && c.chance(0.5)) props.push(`zones: [${writeId(c, c.pick(zones))}]`);
    if (c.chance(0.2)) props.push(`retry: { attempts: 3 }`);
    if (c.chance(0.15)) lines.push(`  # archlint-disable-next-line ${c.pick(HOSTILE_IDS).replace(/[\r\n]/g, '')}`);
    if (c.chance(0.5)) lines.push(`  ${writeId(c, id)}: { ${props.join(', ')} }`);
    else lines.push(`  ${writeId(c, id)}:`, ...props.map((p) => `    ${p}`));
  });
  return { text: `${lines.join('\n')}\n`, ids };
}

/** Component keys YAML reads as numbers, booleans, null or collections (the audit's D9). */
export function oddKeysArchitecture(rand) {
  const c = chooser(rand);
  const lines = ['archlint: 1', 'name: t', 'components:', '  web: { kind: service, entry: true, replicas: 2, depends-on: [db] }'];
  lines.push('  db: { kind: database, replicas: 2 }');
  for (let i = c.int(1, 3); i > 0; i--) {
    lines.push(
      c.weighted([
        [4, `  ${c.pick(ODD_PLAIN_KEYS)}: { kind: service, depends-on: [${c.pick(['db', 'nope', '7', 'true'])}] }`],
        [1, `  ? { replicas: ${c.int(1, 3)} }\n  : { kind: service }`],
        [1, `  ? [a, b]\n  : { kind: cache }`],
        [1, `  ? |\n    block\n  : { kind: queue }`],
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A dependency chain of `n` components (the audit's D5 overflows at 2,000): `depends-on`,
 * `routes-to`, optional links or any-of pairs, in block or flow style.
 */
export function chainArchitecture(n, style = 'depends-on') {
  const out = ['archlint: 1', 'name: chain', 'components:'];
  for (let i = 0; i < n - 1; i++) {
    const entry = i === 0 ? ', entry: true' : '';
    const next = `c${i + 1}`;
    const link = {
      'depends-on': `depends-on: [${next}]`,
      'routes-to': `kind: load-balancer, routes-to: [${next}]`,
      optional: `depends-on: [{ component: ${next}, optional: ${i % 2 === 0} }]`,
      'any-of': `depends-on: [{ any-of: [${next}, x${i}] }]`,
    }[style];
    out.push(`  c${i}: { ${link.startsWith('kind') ? '' : 'kind: service, '}replicas: 2${entry}, ${link} }`);
    if (style === 'any-of') out.push(`  x${i}: { kind: cache }`);
  }
  out.push(`  c${n - 1}: { kind: database, replicas: 2 }`);
  return `${out.join('\n')}\n`;
}

/**
 * `entries` entry points, each depending on `groups` any-of junctions over shared pairs: the
 * audit's D4 (20 × 20 = 100 components and 400 junctions took a minute to lay out).
 */
export function junctionsArchitecture(entries, groups) {
  const pools = Math.max(2, entries + groups);
  let s = 'archlint: 1\nname: junctions\ncomponents:\n';
  for (let i = 0; i < entries; i++) {
    s += `  e${i}:\n    kind: service\n    entry: true\n    depends-on:\n`;
    for (let j = 0; j < groups; j++) {
      s += `      - { any-of: [g${(i + j) % pools}a, g${(i + j) % pools}b, g${(i + j + 7) % pools}a] }\n`;
    }
  }
  for (let g = 0; g < pools; g++) {
    s += `  g${g}a: {kind: service, zones: [z${g % 3}]}\n  g${g}b: {kind: service, zones: [z${(g + 1) % 3}]}\n`;
  }
  return `${s}zones: {z0: {}, z1: {}, z2: {}}\n`;
}

/** Legal YAML nested `depth` levels deep (the audit's D12 refused ~880), in one of four forms and places. */
export function deepNesting(depth, form, where) {
  const nested = {
    'flow-seq': () => `${'['.repeat(depth)}x${']'.repeat(depth)}`,
    'flow-map': () => `${'{a: '.repeat(depth)}x${'}'.repeat(depth)}`,
    'block-map': (indent) => Array.from({ length: depth }, (_, i) => `\n${' '.repeat(indent + i)}k${i}:`).join('') + ' x',
    'block-seq': (indent) => `${indent > 0 ? `\n${' '.repeat(indent)}` : ''}${'- '.repeat(depth)}x`,
  }[form];
  if (where === 'root') return form.startsWith('block') ? `${nested(0).trimStart()}\n` : `${nested(0)}\n`;
  const head = 'archlint: 1\nname: deep\ncomponents:\n  web:\n    kind: service\n    entry: true\n';
  const value = form.startsWith('block') ? nested(6) : ` ${nested(6)}`;
  return `${head}    ${where === 'component' ? 'extra' : 'depends-on'}:${value}\n`;
}

/** Billion laughs: `levels` anchors each `width` aliases of the one before, placed in a component. */
export function aliasBomb(levels, width, where = 'component') {
  const out = [`a0: &a0 [${Array(width).fill('"lol"').join(',')}]`];
  for (let i = 1; i < levels; i++)
    out.push(
      `a${i}: &a${i} [${Array(width)
        .fill(`*a${i - 1}`)
        .join(',')}]`,
    );
  if (where === 'root') return `${out.join('\n')}\n`;
  return `archlint: 1\nname: bomb\nx-anchors:\n${out.map((l) => `  ${l}`).join('\n')}\ncomponents:\n  web: { kind: service, entry: true, depends-on: *a${levels - 1} }\n  db: &db { kind: database, replicas: 2 }\n  db2: *db\n`;
}

/** Numbers at and past the edges, for every numeric key. */
export const HUGE_VALUES = [
  '0',
  '-1',
  '1e308',
  '1e309',
  '-1e308',
  '99999999999999999999999',
  '9007199254740993',
  '2147483648',
  '.nan',
  '.inf',
  '-.inf',
  '0.0000001',
  '1e-320',
  '0x7fffffff',
  '0o777',
  '1_000',
  '"1e400%"',
  '100.0000000000001%',
  '1e-300%',
  '99.99999999999999999%',
  '0%',
  '1e300/s',
  '1e-300/s',
  '999999999h',
  '0ms',
  '1e300ms',
];

/** An architecture whose counts, rates, durations and percentages are huge, tiny, negative or not numbers. */
export function hugeCountsArchitecture(rand) {
  const c = chooser(rand);
  const v = () => c.pick(HUGE_VALUES);
  return `archlint: 1
name: huge
slo: ${v()}
defaults: { availability: ${v()} }
zones: { z1: { availability: ${v()} }, z2: {} }
components:
  edge: { kind: load-balancer, entry: true, replicas: ${v()}, routes-to: [web], load: ${v()}, slo: ${v()} }
  web:
    kind: service
    autoscale: { min: ${v()}, max: ${v()} }
    capacity: ${v()}
    zones: [z1, z2]
    depends-on: [db, { any-of: [a, b] }]
    retry: { attempts: ${v()} }
  db: { kind: database, replicas: ${v()}, replication: quorum, sharding: { key: k, shards: ${v()} }, availability: ${v()} }
  a: { kind: external, availability: ${v()}, mtbf: ${v()}, mttr: ${v()} }
  b: { kind: external, failover: { mode: automatic, standby: cold, takeover: ${v()} }, replicas: ${v()} }
`;
}

/** Roots that are not a mapping, empty files, several documents, directives. */
export const ODD_ROOTS = [
  '',
  '\n',
  ' ',
  '---',
  '---\n...\n',
  'null',
  '~',
  '[]',
  '{}',
  '42',
  '"string"',
  '- a\n- b\n',
  '--- |\n  text\n',
  '---\narchlint: 1\n---\narchlint: 1\ncomponents: {}\n',
  '%YAML 1.2\n---\narchlint: 1\n',
  '%TAG ! tag:x,2000:\n--- !x\narchlint: 1\n',
  'archlint: 1\ncomponents: []\n',
  'archlint: 1\ncomponents: ~\n',
  'archlint: 1\ncomponents: "x"\n',
  'archlint: 1\ncomponents:\n  web: 7\n',
  'archlint: 1\ncomponents:\n  web: [a, b]\n',
  '!!binary aGVsbG8=\n',
  '? a\n',
  '&a [*a]\n',
  '*undefined\n',
  'archlint: 1\ncomponents: { <<: { web: { kind: service } } }\n',
  '\t\tarchlint: 1\n',
  '#!/bin/sh\n# only comments\n',
];

/** Ways a line break can be written, and a byte-order mark. */
export function withLineEndings(text, style) {
  const lf = text.replace(/\r\n?/g, '\n');
  if (style === 'crlf') return lf.replace(/\n/g, '\r\n');
  if (style === 'cr') return lf.replace(/\n/g, '\r');
  if (style === 'mixed') {
    let i = 0;
    return lf.replace(/\n/g, () => ['\n', '\r\n', '\n', '\r\n', '\r'][i++ % 5]);
  }
  return lf;
}

/** Byte sequences that are not UTF-8: Latin-1, overlong, lone continuation, surrogate, truncated, UTF-16. */
export const INVALID_UTF8 = [
  [0xe9],
  [0xff],
  [0xc0, 0xaf],
  [0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xfe, 0xff],
];

/** Text with invalid UTF-8 bytes spliced in: in a comment (where no fix should look), in a value, or at the end. */
export function withInvalidUtf8(rand, text) {
  const c = chooser(rand);
  const bytes = Buffer.from(c.pick(INVALID_UTF8));
  const where = c.pick(['comment', 'value', 'end', 'anywhere']);
  const buf = Buffer.from(text, 'utf8');
  if (where === 'end') return Buffer.concat([buf, bytes]);
  if (where === 'comment') {
    const nl = text.indexOf('\n');
    const at = nl < 0 ? text.length : nl + 1;
    return Buffer.concat([
      Buffer.from(text.slice(0, at), 'utf8'),
      Buffer.from('# caf'),
      bytes,
      Buffer.from('\n'),
      Buffer.from(text.slice(at), 'utf8'),
    ]);
  }
  const colon = where === 'value' ? text.indexOf(': ', c.int(0, text.length)) : -1;
  const at = colon >= 0 ? Buffer.byteLength(text.slice(0, colon + 2)) : c.int(0, buf.length);
  // Never inside a UTF-8 sequence of the original: move to a character boundary.
  let b = Math.min(at, buf.length);
  while (b < buf.length && (buf[b] & 0xc0) === 0x80) b++;
  return Buffer.concat([buf.subarray(0, b), bytes, buf.subarray(b)]);
}

/** Tokens a person (or a broken tool) types into YAML. */
export const NOISE = [
  '',
  ':',
  '- ',
  '{',
  '}',
  '[',
  ']',
  '&a ',
  '*a',
  '<<: *a',
  '\n',
  '\n  ',
  '  ',
  '#',
  ' # c',
  '"',
  "'",
  '!!str ',
  '!!map ',
  '? ',
  '|',
  '>-',
  'null',
  '~',
  '0',
  '-1',
  '1e400',
  'replicas: x',
  'replicas: 1',
  'depends-on: [web, {any-of: [db]}]',
  'state: in-memory',
  'balancing: cookie',
  'public: true',
  'retry: { attempts: 3 }',
  '%',
  '\t',
  '\r\n',
  '\r',
  '\u00a0',
  '\ufeff',
  '\0',
  '\x1b[31m',
  '\u202e',
  '🚀',
  '---\n',
  '...\n',
];

/** A random edit of a text: delete, duplicate or replace a slice, insert noise or a hostile id, swap two lines, re-indent. */
export function mutate(rand, text, edits = 1 + Math.floor(rand() * 5)) {
  const c = chooser(rand);
  let out = text;
  for (let k = 0; k < edits; k++) {
    const at = c.int(0, out.length);
    const len = c.weighted([
      [4, c.int(0, 3)],
      [2, c.int(0, 40)],
      [1, c.int(0, 400)],
    ]);
    const op = c.weighted([
      [5, 'insert'],
      [2, 'delete'],
      [2, 'duplicate'],
      [2, 'hostile'],
      [1, 'swap-lines'],
      [1, 'indent'],
    ]);
    if (op === 'insert') out = out.slice(0, at) + c.pick(NOISE) + out.slice(Math.min(out.length, at + (c.chance(0.5) ? 0 : len)));
    else if (op === 'delete') out = out.slice(0, at) + out.slice(Math.min(out.length, at + len));
    else if (op === 'duplicate') out = out.slice(0, at + len) + out.slice(at, at + len) + out.slice(at + len);
    else if (op === 'hostile') out = out.slice(0, at) + yamlQuoted(c.pick(HOSTILE_IDS)) + out.slice(at);
    else if (op === 'swap-lines') {
      const lines = out.split('\n');
      const i = c.int(0, lines.length - 1);
      const j = c.int(0, lines.length - 1);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      out = lines.join('\n');
    } else {
      const lines = out.split('\n');
      const i = c.int(0, lines.length - 1);
      lines[i] = c.chance(0.5) ? ` ${lines[i]}` : lines[i].replace(/^ /, '');
      out = lines.join('\n');
    }
  }
  return out;
}

/** Random text over an alphabet that looks like YAML, with some characters from anywhere. */
export function randomText(rand, maxLength = 400) {
  const c = chooser(rand);
  const alphabet = 'ab:- \n\n  {}[],#"\'&*!|>?%@`~\t\r0123456789.';
  const length = c.int(0, maxLength);
  let s = '';
  while (s.length < length) {
    s += c.weighted([
      [8, alphabet[c.int(0, alphabet.length - 1)]],
      [2, c.pick(NOISE)],
      [1, String.fromCodePoint(c.int(0, 0x10ffff) & (c.chance(0.5) ? 0xff : 0x10ffff))],
    ]);
  }
  return s.replace(/[\ud800-\udfff]/g, 'x');
}

/** Random bytes: noise, or a known binary header followed by noise. */
export function randomBytes(rand, maxLength = 4096) {
  const c = chooser(rand);
  const length = c.int(0, maxLength);
  const buf = Buffer.alloc(length);
  for (let i = 0; i < length; i++) buf[i] = c.int(0, 255);
  const header = c.pick([[], [0x1f, 0x8b, 0x08], [0x89, 0x50, 0x4e, 0x47], [0x7f, 0x45, 0x4c, 0x46], [0xff, 0xfe], [0, 0, 0, 0]]);
  return Buffer.concat([Buffer.from(header), buf]);
}

/**
 * A random architecture of random shape: known keys with values of every type, some valid,
 * some not, and ids from the hostile list (what a schema-aware fuzzer would write).
 */
export function structuralArchitecture(rand) {
  const c = chooser(rand);
  const scalar = () =>
    c.pick([
      () => c.pick(['web', 'db', 'cache', 'service', 'in-memory', 'round-robin', 'cookie', 'quorum', '99.9%', '10s', '5/s']),
      () => String(c.int(-3, 5)),
      () => c.pick(HUGE_VALUES),
      () => c.pick(['true', 'false', 'null', '~', '""', "''"]),
      () => yamlQuoted(c.pick(HOSTILE_IDS)),
    ])();
  const value = (depth) =>
    depth > 2 || c.chance(0.6)
      ? scalar()
      : c.chance(0.5)
        ? `[${Array.from({ length: c.int(0, 3) }, () => value(depth + 1)).join(', ')}]`
        : `{ ${Array.from({ length: c.int(0, 3) }, () => `${c.pick(KEYS)}: ${value(depth + 1)}`).join(', ')} }`;
  const ids = Array.from({ length: c.int(1, 6) }, (_, i) => (c.chance(0.3) ? c.pick(HOSTILE_IDS) : `c${i}`));
  const lines = ['archlint: 1', 'name: structural', 'components:'];
  for (const id of new Set(ids)) {
    lines.push(`  ${writeId(c, id)}:`);
    for (let k = c.int(0, 7); k > 0; k--) lines.push(`    ${c.pick(KEYS)}: ${value(0)}`);
    if (c.chance(0.7)) lines.push(`    kind: ${c.pick(KINDS)}`);
  }
  return `${lines.join('\n')}\n`;
}

const KEYS = [
  'kind',
  'entry',
  'public',
  'tls',
  'replicas',
  'autoscale',
  'balancing',
  'routes-to',
  'depends-on',
  'state',
  'session-store',
  'zones',
  'instances',
  'lifecycle',
  'failover',
  'sharding',
  'health-check',
  'retry',
  'rate-limit',
  'load',
  'capacity',
  'slo',
  'availability',
  'replication',
  'any-of',
  'optional',
  'component',
];
