import { SEVERITY_SETTINGS, type Architecture } from '../model/model';
import type { RuleMeta } from '../rules/types';
import type { Offsets } from '../types';
import type { SchemaNavigator, SchemaValue } from './schemaNavigator';
import type { CursorContext } from './yamlContext';

/** One completion item, without `vscode`. */
export interface CompletionData {
  label: string;
  kind: 'component' | 'zone' | 'key' | 'value' | 'rule';
  insertText: string;
  range: Offsets;
  detail?: string;
  documentation?: string;
  /** Offer the value completions right after the key is inserted. */
  retrigger?: boolean;
}

/**
 * What a path's value refers to: a component id (`routes-to`, `depends-on`, `any-of`,
 * `session-store`, `owner`), a zone id (`zones`), or nothing.
 */
export function referenceSlot(path: readonly string[]): 'component' | 'zone' | undefined {
  if (path[0] !== 'components' || path.length < 3) return undefined;
  const rel = path.slice(2).join('/');
  switch (rel) {
    case 'routes-to':
    case 'routes-to/[]':
    case 'session-store':
    case 'owner':
    case 'depends-on/[]':
    case 'depends-on/[]/component':
    case 'depends-on/[]/any-of/[]':
      return 'component';
    case 'zones':
    case 'zones/[]':
    case 'instances/[]/zone':
      return 'zone';
    default:
      return undefined;
  }
}

/**
 * The completion items for a cursor context: component or zone ids where a reference goes,
 * rule ids under `rules:`, otherwise the schema's keys (minus those present) and enum values.
 */
export function completionItems(
  ctx: CursorContext,
  model: Architecture | undefined,
  schema: SchemaNavigator,
  rules: readonly RuleLike[],
): CompletionData[] {
  const items: CompletionData[] = [];
  const seen = new Set<string>();
  const push = (item: CompletionData) => {
    if (seen.has(item.label)) return;
    seen.add(item.label);
    items.push(item);
  };

  if (ctx.valueAt) {
    const slot = referenceSlot(ctx.valueAt);
    const self = ctx.valueAt[1];
    if (slot === 'component' && model) {
      for (const c of model.components.values()) {
        if (c.id === self) continue;
        push({ label: c.id, kind: 'component', insertText: c.id, range: ctx.range, detail: c.kind });
      }
    } else if (slot === 'zone' && model) {
      for (const z of model.zones.values())
        push({ label: z.id, kind: 'zone', insertText: z.id, range: ctx.range, detail: 'zone' });
    } else if (!slot) {
      const values = schema.values(ctx.valueAt);
      const fallback: SchemaValue[] =
        ctx.valueAt[0] === 'rules' && ctx.valueAt.length === 2 && values.length === 0
          ? SEVERITY_SETTINGS.map((v) => ({ value: v }))
          : [];
      for (const v of [...values, ...fallback]) {
        const text = String(v.value);
        push({
          label: text,
          kind: 'value',
          insertText: text,
          range: ctx.range,
          ...(v.description && { documentation: v.description }),
        });
      }
    }
  }

  if (ctx.keyOf) {
    const present = new Set(ctx.siblings);
    if (ctx.keyOf.length === 1 && ctx.keyOf[0] === 'rules') {
      for (const r of rules) {
        if (present.has(r.meta.id)) continue;
        push({
          label: r.meta.id,
          kind: 'rule',
          insertText: `${r.meta.id}: `,
          range: ctx.range,
          detail: `default: ${r.meta.severity}`,
          documentation: r.meta.summary,
          retrigger: true,
        });
      }
    } else if (!(ctx.keyOf.length === 1 && (ctx.keyOf[0] === 'components' || ctx.keyOf[0] === 'zones'))) {
      for (const k of schema.keys(ctx.keyOf)) {
        if (present.has(k.key) || k.deprecated) continue;
        const valuePath = [...ctx.keyOf, k.key];
        const enumerated = schema.values(valuePath).length > 0 || referenceSlot(valuePath) !== undefined;
        push({
          label: k.key,
          kind: 'key',
          insertText: `${k.key}: `,
          range: ctx.range,
          ...(k.types.length > 0 && { detail: k.types.join(' | ') }),
          ...(k.description && { documentation: k.description }),
          retrigger: enumerated,
        });
      }
    }
  }
  return items;
}

/** The rules' metadata as completion needs it. */
export type RuleLike = { meta: Pick<RuleMeta, 'id' | 'severity' | 'summary'> };
