/**
 * Where an architecture's values are written. Rules and fixes speak the architecture format's
 * paths (`components.db.autoscale.min`); a source answers where such a path is written in its
 * own files (a compose service's `deploy.replicas`, its `x-archlint` map) and makes the edits
 * there. The `*.arch.yaml` format answers from its one document, path for path.
 */
import type { Document } from 'yaml';
import { nodeAt, pairOf, rangeAt, type YamlPath } from '../parse/parse';
import { spanningEdit } from '../fix/apply';
import type { Offsets, TextEdit } from '../types';

/** The edits a fix is made of, addressed by architecture path (see ../fix/yamlEdits.ts for what each does). */
export interface SourceEdits {
  replaceValue(path: YamlPath, value: unknown): TextEdit;
  insertEntries(mapPath: YamlPath, entries: ReadonlyArray<readonly [string, unknown]>): TextEdit;
  appendItems(path: YamlPath, items: readonly unknown[]): TextEdit;
  removeEntry(mapPath: YamlPath, key: string): TextEdit;
  /** Replaces the scalar written at `range` (a reference's name) by `value`. */
  replaceScalarAt(range: Offsets, value: string): TextEdit;
}

/** What rules read about where things are written. */
export interface Written {
  /**
   * The range of the key or value at an architecture path; where the exact thing is not written,
   * the nearest written ancestor's (so a finding still points at something real).
   */
  rangeAt(path: YamlPath, part?: 'key' | 'value'): Offsets;
  /** The node at an architecture path and the document that holds it, when written. */
  nodeAt(path: YamlPath): { doc: Document; node: unknown } | undefined;
  /** Whether the mapping at `mapPath` writes `key`, with any value (even one the schema rejects). */
  writes(mapPath: YamlPath, key: string): boolean;
  /**
   * Where a value that is not written would go, when the source knows a more specific place than
   * the component (a Kubernetes container, for its `readinessProbe`): a finding about the missing
   * value points there. Undefined: the component's id.
   */
  missingAt?(path: YamlPath): Offsets | undefined;
}

/** The `*.arch.yaml` format: every path is written where it says, in the one document. */
export function archWritten(doc: Document): Written {
  return {
    rangeAt: (path, part = 'value') => rangeAt(doc, path, part),
    nodeAt(path) {
      const node = nodeAt(doc, path);
      return node === undefined ? undefined : { doc, node };
    },
    writes: (mapPath, key) => pairOf(doc, nodeAt(doc, mapPath), key) !== undefined,
  };
}

/**
 * A source's edits of one file as the one edit the fix helpers return (a new key goes to several
 * places of a service or an object): the text between them kept as it is, their cautions and
 * `cautions` joined. Throws when there is nothing to edit, the edits are in different files or
 * overlap, or the file's text is unknown: the fix is then not offered.
 */
export function oneEdit(
  parts: readonly TextEdit[],
  textOf: (file: string | undefined) => string | undefined,
  cautions: readonly string[] = [],
): TextEdit {
  const all = [...new Set([...parts.flatMap((p) => (p.caution ? [p.caution] : [])), ...cautions])];
  const caution = all.length > 0 ? all.join('; ') : undefined;
  if (parts.length === 0) throw new Error('nothing to insert');
  const file = parts[0]!.file;
  if (parts.some((p) => p.file !== file)) throw new Error('the keys belong in different files');
  if (parts.length === 1) return { ...parts[0]!, ...(caution && { caution }) };
  const text = textOf(file);
  const span = text === undefined ? undefined : spanningEdit(text, parts);
  if (!span) throw new Error(text === undefined ? `no text for ${file}` : 'overlapping edits');
  return { range: [span.range[0], span.range[1], file!], text: span.text, file, ...(caution && { caution }) };
}
