/**
 * Ids that are not plain text (audit D6, D7, D8): control characters, escape sequences, bidi
 * overrides, line breaks, unpaired surrogates. Every output shows them, never obeys them: the
 * SVG stays well-formed XML and keeps each id exactly in its data attributes, the terminal gets
 * them written out as escapes, and the machine formats keep their own escaping.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { terminalText } from '../../extension/src/cli/terminal';
import {
  dataAttributes,
  escapeMermaid,
  escapeXml,
  layout,
  readDataAttribute,
  renderSvg,
  snapshotOfLint,
  snapshotToElk,
  toMermaid,
  visibleText,
  type DiagramSnapshot,
} from '../../extension/src/diagram';
import { lint } from '../../extension/src/engine';
import { archlint, buildCliOnce, tempTree } from '../cli/setup';

/** The audit's d6-d7-ctrl.arch.yaml: an ANSI colour and an OSC window title in one id, a NUL in another. */
const AUDIT_CTRL = `archlint: 1
name: t
components:
  "a\\x1b[31mRED\\x1b]0;pwned\\x07":
    kind: service
    entry: true
    depends-on: ["nul\\0x"]
  "nul\\0x": { kind: database }
`;

/** Every kind of trouble at once, in ids, a zone and the name. */
const HOSTILE = `archlint: 1
name: "sys\\x1b]0;owned\\x07"
zones: { "z\\0one": {}, plain: {} }
components:
  "a\\x1b[31mRED\\x1b]0;pwned\\x07":
    kind: service
    entry: true
    depends-on: ["nul\\0x", "multi\\nline", "tab\\tbed", "rtl\\u202eevil", "half\\ud800", "c1\\x85", "ff\\uffff", "50%u0041\\x01"]
  "nul\\0x": { kind: database, zones: ["z\\0one"] }
  "multi\\nline": { kind: service }
  "tab\\tbed": { kind: service }
  "rtl\\u202eevil": { kind: service }
  "half\\ud800": { kind: service }
  "c1\\x85": { kind: service }
  "ff\\uffff": { kind: service }
  "50%u0041\\x01": { kind: service }
`;
const IDS = [
  'a\x1b[31mRED\x1b]0;pwned\x07',
  'nul\0x',
  'multi\nline',
  'tab\tbed',
  'rtl\u202eevil',
  'half\ud800',
  'c1\x85',
  'ff\uffff',
  '50%u0041\x01',
];

/** What XML 1.0 cannot hold, even as a character reference. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** What a terminal or a picture would obey or hide rather than show. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const snapshotOf = (text: string): DiagramSnapshot => snapshotOfLint(lint(text))!;

/** An attribute value as a browser reads it back: the entities this renderer writes, undone. */
const unescapeAttribute = (raw: string) =>
  raw.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) =>
    e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e]!,
  );
/** The `data-*` attributes of one tag, as `getAttribute` would return them. */
function element(tag: string): { getAttribute(name: string): string | null } {
  const attributes = new Map([...tag.matchAll(/\s([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, unescapeAttribute(m[2]!)]));
  return { getAttribute: (name) => attributes.get(name) ?? null };
}

describe('ids in the SVG', () => {
  it('keeps the SVG well-formed: no character XML forbids, in text or attributes', async () => {
    for (const text of [AUDIT_CTRL, HOSTILE]) {
      const svg = renderSvg(await layout(snapshotToElk(snapshotOf(text))), { standalone: true });
      expect(svg).not.toMatch(NOT_XML);
    }
  });

  it('writes control and bidi characters out in every text: node titles, tooltips, zones, the caption', async () => {
    const svg = renderSvg(await layout(snapshotToElk(snapshotOf(HOSTILE))), { standalone: true });
    const texts = [...svg.replace(/<style>[^]*?<\/style>/, '').matchAll(/>([^<]+)</g)].map((m) => m[1]!);
    for (const t of texts) expect(t).not.toMatch(INVISIBLE);
    expect(svg).toContain('<title>a\\x1b[31mRED\\x1b]0;pwned\\x07</title>');
    expect(svg).toContain('<title>nul\\x00x</title>');
    expect(svg).toContain('<title>multi\\nline</title>');
    expect(svg).toContain('<title>tab\\tbed</title>');
    expect(svg).toContain('<title>rtl\\u202eevil</title>');
    expect(svg).toContain('<title>c1\\x85</title>');
    expect(svg).toContain('<title>half\ufffd</title>');
    expect(svg).toContain('<title>ff\ufffd</title>');
    expect(svg).toContain('>zone z\\x00one</text>');
    expect(svg).toContain('>sys\\x1b]0;owned\\x07 · archlint</text>');
    expect(svg).toMatch(/aria-label="a\\x1b\[31mRED\\x1b\]0;pwned\\x07, service ×1, entry point"/);
  });

  it('keeps every id exactly in data-id, data-from and data-to, for the webview to post back', async () => {
    const snapshot = snapshotOf(HOSTILE);
    expect(snapshot.nodes.map((n) => n.id).sort()).toEqual([...IDS].sort());
    const svg = renderSvg(await layout(snapshotToElk(snapshot)));
    const nodes = [...svg.matchAll(/<g class="node [^>]*>/g)].map((m) => element(m[0]));
    expect(nodes.map((n) => readDataAttribute(n, 'id')).sort()).toEqual([...IDS].sort());
    // Ids XML can hold are written as they are (line breaks and tabs as character references)…
    expect(svg).toContain('data-id="multi&#10;line"');
    expect(svg).toContain('data-id="tab&#9;bed"');
    expect(svg).toContain('data-id="rtl\u202eevil"');
    // …the others reversibly, and marked.
    expect(svg).toContain('data-id="nul%u0000x" data-encoded="id"');
    expect(svg).toContain('data-id="50%25u0041%u0001" data-encoded="id"');
    const edges = [...svg.matchAll(/<path class="edge [^>]*>/g)].map((m) => element(m[0]));
    const drawn = edges.map((e) => `${readDataAttribute(e, 'from')} -> ${readDataAttribute(e, 'to')}`).sort();
    expect(drawn).toEqual(snapshot.edges.map((e) => `${e.from} -> ${e.to}`).sort());
  });

  it('escapes and encodes any string: well-formed, shown, and read back exactly', () => {
    const anyUnit = fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 40 });
    fc.assert(
      fc.property(anyUnit, (s) => {
        expect(escapeXml(s)).not.toMatch(NOT_XML);
        expect(escapeXml(s)).not.toMatch(/[<>"'\t\n\r]|&(?!(amp|lt|gt|quot|apos|#\d+);)/);
        expect(visibleText(s)).not.toMatch(INVISIBLE);
        expect(visibleText(s)).not.toMatch(NOT_XML);
        const tag = `<g${dataAttributes({ id: s, from: `${s}!` })}>`;
        expect(tag).not.toMatch(NOT_XML);
        expect(readDataAttribute(element(tag), 'id')).toBe(s);
        expect(readDataAttribute(element(tag), 'from')).toBe(`${s}!`);
        expect(escapeMermaid(s)).not.toMatch(INVISIBLE);
        expect(terminalText(s)).not.toMatch(INVISIBLE);
      }),
      { numRuns: 2000 },
    );
  });

  it('cuts a long name by characters, never through a surrogate pair', () => {
    const name = `a${'😀'.repeat(45)}`;
    const svg = renderSvg(snapshotToElk(snapshotOf(`archlint: 1\ncomponents:\n  "${name}": { kind: service, entry: true }\n`)));
    expect(svg).not.toMatch(NOT_XML);
    expect(svg).toContain(`>a${'😀'.repeat(38)}…</text>`);
  });
});

describe('ids in Mermaid', () => {
  it('writes control and bidi characters out in labels; no line carries one', () => {
    const text = toMermaid(snapshotOf(HOSTILE));
    for (const line of text.trimEnd().split('\n')) expect(line).not.toMatch(INVISIBLE);
    expect(text).toContain('"a\\x1b[31mRED\\x1b]0;pwned\\x07<br/>service · ×1');
    expect(text).toContain('"multi\\nline<br/>');
    expect(text).toContain('["zone z\\x00one"]');
  });
});

describe('ids printed for people (the CLI as a real process)', { timeout: 120_000 }, () => {
  beforeAll(buildCliOnce, 120_000);
  const ESCAPED = 'a\\x1b[31mRED\\x1b]0;pwned\\x07';

  it('lint (stylish) writes escape sequences out; with colour, every ESC is one of its own SGR codes', () => {
    const dir = tempTree({ 'ctrl.arch.yaml': AUDIT_CTRL, 'evil\x1b[2J.arch.yaml': AUDIT_CTRL });
    const r = archlint(['lint'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout.replace(/\n/g, '')).not.toMatch(INVISIBLE);
    expect(r.stdout).toContain(`${ESCAPED} is a single point of failure`);
    expect(r.stdout).toContain('nul\\x00x is a single point of failure');
    expect(r.stdout).toContain('\nevil\\x1b[2J.arch.yaml\n');
    const colour = archlint(['lint', 'ctrl.arch.yaml'], dir, { FORCE_COLOR: '1' });
    expect(colour.stdout).toContain('\x1b[31m'); // its own: the severity
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    expect(colour.stdout.replace(/\x1b\[\d+m/g, '').replace(/\n/g, '')).not.toMatch(INVISIBLE);
  });

  it('lint writes a bidi override out instead of letting it reverse the line', () => {
    const dir = tempTree({
      'rtl.arch.yaml': 'archlint: 1\ncomponents:\n  "rtl\\u202egnp.exe": { kind: service, entry: true }\n',
    });
    const r = archlint(['lint'], dir);
    expect(r.stdout).toContain('rtl\\u202egnp.exe is a single point of failure');
    expect(r.stdout).not.toContain('\u202e');
  });

  it('leaves the machine formats their own escaping: JSON carries the id exactly', () => {
    const dir = tempTree({ 'ctrl.arch.yaml': AUDIT_CTRL });
    const r = archlint(['lint', '--format', 'json'], dir);
    const [result] = JSON.parse(r.stdout) as { messages: { message: string }[] }[];
    expect(result!.messages.map((m) => m.message)).toContain(
      'a\x1b[31mRED\x1b]0;pwned\x07 is a single point of failure: one instance, no failover; its loss takes down a\x1b[31mRED\x1b]0;pwned\x07 (itself an entry point)',
    );
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('availability writes ids out in the table and in its error messages', () => {
    const dir = tempTree({ 'ctrl.arch.yaml': AUDIT_CTRL });
    const table = archlint(['availability', 'ctrl.arch.yaml'], dir);
    expect(table.code).toBe(0);
    expect(table.stdout.replace(/\n/g, '')).not.toMatch(INVISIBLE);
    expect(table.stdout).toMatch(new RegExp(`^${ESCAPED.replace(/[\\[\]]/g, '\\$&')} +99\\.\\d+%`, 'm'));
    expect(table.stdout).toContain(`  ${ESCAPED}: ${ESCAPED} → `);
    const wrong = archlint(['availability', 'ctrl.arch.yaml', '--fail', 'x\x1b[31m\u202e'], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--fail: no component "x\\x1b[31m\\u202e" in ctrl.arch.yaml');
    expect(wrong.stderr.replace(/\n/g, '')).not.toMatch(INVISIBLE);
    const missing = archlint(['lint', 'no\x1b]0;such\x07.arch.yaml'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('archlint: no such file: no\\x1b]0;such\\x07.arch.yaml\n');
  });

  it('diagram writes a well-formed SVG and clean Mermaid for the same file', () => {
    const dir = tempTree({
      'ctrl.arch.yaml': AUDIT_CTRL,
      'newline.arch.yaml': 'archlint: 1\nname: t\ncomponents:\n  "multi\\nline": { kind: service, entry: true, replicas: 2 }\n',
    });
    const svg = archlint(['diagram', 'ctrl.arch.yaml'], dir);
    expect(svg.code).toBe(0);
    expect(svg.stdout).not.toMatch(NOT_XML);
    expect(svg.stdout).toContain(`<title>${ESCAPED}</title>`);
    const mermaid = archlint(['diagram', 'ctrl.arch.yaml', '--format', 'mermaid'], dir);
    for (const line of mermaid.stdout.trimEnd().split('\n')) expect(line).not.toMatch(INVISIBLE);
    expect(archlint(['diagram', 'newline.arch.yaml'], dir).stdout).toContain('data-id="multi&#10;line"');
  });
});
