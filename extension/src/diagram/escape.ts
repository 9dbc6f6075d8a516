/**
 * Names from the file are untrusted text. In the picture they are shown, never obeyed: control
 * characters and bidi controls are written out visibly, and nothing reaches the SVG that XML 1.0
 * cannot hold (most C0 controls are forbidden there even as character references, so one of
 * them used to make the whole file malformed). Data attributes, which the webview reads back to
 * name a component, keep every id exactly, through a reversible encoding.
 */
import { escapeControls } from '../engine';

/** What XML 1.0 cannot hold at all: C0 controls but tab and line breaks, U+FFFE/U+FFFF, unpaired surrogates. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HAS_NOT_XML = new RegExp(NOT_XML.source);
const REPLACEMENT = '\ufffd';

const hex = (code: number, digits: number) => code.toString(16).padStart(digits, '0');

/**
 * `text` as it should read in a picture: `\n`, `\t`, `\r`, `\x1b` (controls up to U+00FF) and
 * `\u202e` (bidi controls and separators) in place of the characters; what XML cannot hold
 * otherwise becomes U+FFFD. Other text, right-to-left scripts included, is unchanged.
 */
export function visibleText(text: string): string {
  return escapeControls(text).replace(NOT_XML, REPLACEMENT);
}

/**
 * Escapes text for XML content and attribute values: names from the file are text, never markup.
 * Tab and line breaks become character references (an attribute keeps them exactly, where a raw
 * one would be read back as a space); a character XML cannot hold becomes U+FFFD, so the result
 * is always well-formed.
 */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, REPLACEMENT)
    .replace(
      /[&<>"'\t\n\r]/g,
      (c) =>
        ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[
          c
        ]!,
    );
}

/**
 * `data-*` attributes holding `values` (component ids, zone names) exactly. A value XML cannot
 * hold is written with `%` as `%25` and each such code unit as `%uXXXX`, and its name is listed
 * in `data-encoded`; {@link readDataAttribute} undoes it. Other values are written as they are.
 */
export function dataAttributes(values: Readonly<Record<string, string>>): string {
  let out = '';
  const encoded: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (HAS_NOT_XML.test(value)) {
      encoded.push(name);
      const safe = value.replace(/%/g, '%25').replace(NOT_XML, (c) => `%u${hex(c.charCodeAt(0), 4)}`);
      out += ` data-${name}="${escapeXml(safe)}"`;
    } else {
      out += ` data-${name}="${escapeXml(value)}"`;
    }
  }
  return encoded.length > 0 ? `${out} data-encoded="${encoded.join(' ')}"` : out;
}

/** The exact value {@link dataAttributes} wrote as `data-<name>` on `element`, or undefined. */
export function readDataAttribute(element: { getAttribute(name: string): string | null }, name: string): string | undefined {
  const raw = element.getAttribute(`data-${name}`);
  if (raw === null) return undefined;
  const encoded = (element.getAttribute('data-encoded') ?? '').split(' ').includes(name);
  return encoded
    ? raw.replace(/%(25|u[0-9a-f]{4})/g, (_, code: string) =>
        code === '25' ? '%' : String.fromCharCode(parseInt(code.slice(1), 16)),
      )
    : raw;
}
