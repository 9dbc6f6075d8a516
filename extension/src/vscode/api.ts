/**
 * The extension's API: what `activate()` returns, for integration tests and other extensions
 * (`vscode.extensions.getExtension('archlint.archlint').exports`). Types only; the answers come
 * from the language server (`archlint/lint`, `archlint/availability`), as plain JSON.
 */
import type { ApiAvailability, ApiLintResult } from '../protocol';

export type { ApiAvailability, ApiFinding, ApiLintResult } from '../protocol';

export interface ArchlintApi {
  /** Lints the document at `uri` (opening it if needed) with the user's settings: its current text, as the server has it. */
  lint(uri: string | { toString(): string }): Promise<ApiLintResult>;
  /** The availability of every entry point of the document at `uri`; `undefined` when it has no model. */
  availability(uri: string | { toString(): string }): Promise<ApiAvailability | undefined>;
}
