/**
 * The shapes of the parameters the server reads, checked before a handler runs: a client's
 * malformed request is answered `InvalidParams` with what was expected, instead of failing
 * somewhere inside a handler. Only what the handlers read is checked; extra fields are fine.
 */

/** What a request's parameters must hold. */
export type ParamsShape =
  /** `{ textDocument: { uri } }` */
  | 'document'
  /** … and `position: { line, character }` */
  | 'position'
  /** … and `newName` */
  | 'rename'
  /** `{ textDocument: { uri }, range, context: { diagnostics: [] } }` */
  | 'codeAction'
  /** Archlint's own requests: `{ uri }` */
  | 'uri'
  /** `workspace/executeCommand`: `{ command, arguments? }` */
  | 'command';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPosition = (v: unknown): boolean =>
  isObject(v) &&
  typeof v.line === 'number' &&
  Number.isFinite(v.line) &&
  typeof v.character === 'number' &&
  Number.isFinite(v.character);
const isRange = (v: unknown): boolean => isObject(v) && isPosition(v.start) && isPosition(v.end);
const hasDocument = (p: Json): boolean => isObject(p.textDocument) && typeof p.textDocument.uri === 'string';

const EXPECTED: Record<ParamsShape, string> = {
  document: '{ textDocument: { uri: string } }',
  position: '{ textDocument: { uri: string }, position: { line: number, character: number } }',
  rename: '{ textDocument: { uri: string }, position: { line: number, character: number }, newName: string }',
  codeAction: '{ textDocument: { uri: string }, range: Range, context: { diagnostics: Diagnostic[] } }',
  uri: '{ uri: string }',
  command: '{ command: string, arguments?: unknown[] }',
};

function fits(p: Json, shape: ParamsShape): boolean {
  switch (shape) {
    case 'document':
      return hasDocument(p);
    case 'position':
      return hasDocument(p) && isPosition(p.position);
    case 'rename':
      return hasDocument(p) && isPosition(p.position) && typeof p.newName === 'string';
    case 'codeAction':
      return hasDocument(p) && isRange(p.range) && isObject(p.context) && Array.isArray(p.context.diagnostics);
    case 'uri':
      return typeof p.uri === 'string';
    case 'command':
      return typeof p.command === 'string' && (p.arguments === undefined || Array.isArray(p.arguments));
  }
}

/** Why `params` do not have `shape` (the message of an `InvalidParams` answer), or undefined when they do. */
export function paramsProblem(method: string, params: unknown, shape: ParamsShape): string | undefined {
  return isObject(params) && fits(params, shape) ? undefined : `${method}: expected parameters ${EXPECTED[shape]}`;
}
