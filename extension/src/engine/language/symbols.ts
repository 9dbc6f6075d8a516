import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { Architecture, Component } from '../model/model';
import type { Offsets } from '../types';
import { touches } from './offsets';

/** A component or zone id at a place in the text: where it is defined, or a reference to it. */
export interface SymbolAt {
  type: 'component' | 'zone';
  id: string;
  role: 'definition' | 'reference';
  range: Offsets;
}

/** Every place a component id is referenced (routes-to, depends-on, any-of, session-store, owner). */
export function componentReferences(model: Architecture, id?: string): { from: string; id: string; range: Offsets }[] {
  const out: { from: string; id: string; range: Offsets }[] = [];
  for (const c of model.components.values()) {
    const refs = [
      ...c.routesTo,
      ...(c.sessionStore ? [c.sessionStore] : []),
      ...(c.owner ? [c.owner] : []),
      ...c.dependsOn.flatMap((d) => (d.type === 'component' ? [d.target] : d.members)),
    ];
    for (const r of refs) if (id === undefined || r.id === id) out.push({ from: c.id, id: r.id, range: r.range });
  }
  return out.sort((a, b) => a.range[0] - b.range[0]);
}

/** Every place a zone id is referenced (a component's `zones`). */
export function zoneReferences(model: Architecture, id?: string): { from: string; id: string; range: Offsets }[] {
  return [...model.components.values()]
    .flatMap((c) => c.zones.filter((z) => id === undefined || z.id === id).map((z) => ({ from: c.id, id: z.id, range: z.range })))
    .sort((a, b) => a.range[0] - b.range[0]);
}

/**
 * The component or zone id under `offset`, if any. `inFile` keeps only ranges in the file the
 * offset is in, for an architecture that spans files (a Compose project).
 */
export function symbolAt(
  model: Architecture,
  offset: number,
  inFile: (range: Offsets) => boolean = () => true,
): SymbolAt | undefined {
  const at = (range: Offsets) => inFile(range) && touches(range, offset);
  for (const c of model.components.values()) {
    if (at(c.idRange)) return { type: 'component', id: c.id, role: 'definition', range: c.idRange };
  }
  for (const z of model.zones.values()) {
    if (at(z.range)) return { type: 'zone', id: z.id, role: 'definition', range: z.range };
  }
  const ref = componentReferences(model).find((r) => at(r.range));
  if (ref) return { type: 'component', id: ref.id, role: 'reference', range: ref.range };
  const zone = zoneReferences(model).find((r) => at(r.range));
  if (zone) return { type: 'zone', id: zone.id, role: 'reference', range: zone.range };
  return undefined;
}

/** Where a symbol is defined, if it is. */
export function definitionOf(model: Architecture, symbol: Pick<SymbolAt, 'type' | 'id'>): Offsets | undefined {
  return symbol.type === 'component' ? model.components.get(symbol.id)?.idRange : model.zones.get(symbol.id)?.range;
}

/** Every occurrence of a symbol: its definition (when asked for and present) and its references. */
export function occurrencesOf(model: Architecture, symbol: Pick<SymbolAt, 'type' | 'id'>, includeDefinition: boolean): Offsets[] {
  const refs = (symbol.type === 'component' ? componentReferences(model, symbol.id) : zoneReferences(model, symbol.id)).map(
    (r) => r.range,
  );
  const definition = includeDefinition ? definitionOf(model, symbol) : undefined;
  return definition ? [definition, ...refs] : refs;
}

/** A name that can be written as a plain YAML scalar, key or flow item alike, without quotes. */
const PLAIN_ID = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/;

export class RenameError extends Error {}

/**
 * The edits that rename component `id` to `newId`: its key and every reference. A quoted
 * occurrence keeps its quotes; only the text between them changes.
 * Throws {@link RenameError} when the new name is not a plain id or is taken.
 */
export function renameEdits(text: string, model: Architecture, id: string, newId: string): { range: Offsets; text: string }[] {
  if (!model.components.has(id)) throw new RenameError(`"${id}" is not a component of this file`);
  if (!PLAIN_ID.test(newId))
    throw new RenameError(`"${newId}" is not a valid component id: use letters, digits, "-", "_" and "."`);
  if (newId !== id && model.components.has(newId)) throw new RenameError(`a component "${newId}" exists already`);
  return occurrencesOf(model, { type: 'component', id }, true).map((range) => ({ range: innerRange(text, range), text: newId }));
}

/** The range without surrounding quotes, so a rename keeps a quoted scalar quoted. */
export function innerRange(text: string, range: Offsets): Offsets {
  const first = text[range[0]];
  if ((first === '"' || first === "'") && range[1] - range[0] >= 2 && text[range[1] - 1] === first)
    return [range[0] + 1, range[1] - 1];
  return range;
}

/** What the outline shows for a component: its kind, and its replicas when more than one. */
export function componentDetail(c: Component): string {
  const count =
    c.replicasSource === 'autoscale' && c.autoscale
      ? ` · ${c.autoscale.min}–${c.autoscale.max} (autoscale)`
      : c.replicas !== 1
        ? ` · ×${c.replicas}`
        : '';
  return `${c.kind}${count}`;
}

/** The path of keys and indexes to the node at `offset`, and whether the offset is on a key or a value. */
export function pathAt(
  doc: Document,
  offset: number,
): { path: (string | number)[]; part: 'key' | 'value'; range: Offsets } | undefined {
  let node: unknown = doc.contents;
  const path: (string | number)[] = [];
  for (let depth = 0; depth < 100; depth++) {
    if (isMap(node)) {
      let next: unknown;
      for (const pair of node.items) {
        const key = pair.key;
        const keyRange = rangeOf(key);
        if (isScalar(key) && keyRange && touches(keyRange, offset)) {
          return { path: [...path, String(key.value)], part: 'key', range: keyRange };
        }
        const valueRange = rangeOf(pair.value);
        if (valueRange && touches(valueRange, offset) && isScalar(key)) {
          path.push(String(key.value));
          next = pair.value;
          break;
        }
      }
      if (next === undefined) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const r = rangeOf(item);
        return r !== undefined && touches(r, offset);
      });
      if (index < 0) return undefined;
      path.push(index);
      node = node.items[index];
    } else if (isScalar(node)) {
      const r = rangeOf(node);
      return r ? { path, part: 'value', range: r } : undefined;
    } else {
      return undefined;
    }
  }
  return undefined;
}

function rangeOf(node: unknown): Offsets | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}
