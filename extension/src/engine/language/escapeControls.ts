/**
 * Names, ids and messages from a file are untrusted text. Shown to a person — in a terminal, an
 * editor's output, a picture — they are shown, never obeyed: an ESC or a C1 control starts an
 * ANSI/OSC sequence (colours, window titles, hyperlinks, clearing the screen), a bidi override
 * reorders the rest of the line, a line break forges a new row. Machine formats (JSON, SARIF,
 * GitHub workflow commands, LSP) escape by their own rules and do not use this.
 */

/**
 * C0 and C1 controls and DEL; the Arabic letter mark, LRM and RLM; the line and paragraph
 * separators; the bidi embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * `text` with every control and bidi control written out as an escape: `\n`, `\t`, `\r`, `\x1b`
 * (up to U+00FF), `\u202e` (beyond). Everything else, right-to-left scripts included, is unchanged.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}
