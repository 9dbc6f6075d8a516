/**
 * Reads the architecture JSON Schema for key completion, enum completion and key hovers.
 * Key completion and hover must work without the YAML extension, so Archlint answers them
 * itself from the same schema the engine validates with.
 */
export type JsonSchema = { [keyword: string]: unknown };

/** A key the mapping at a path accepts. */
export interface SchemaKey {
  key: string;
  description?: string;
  /** The JSON types the key's value may have (`object`, `array`, `string`, …). */
  types: string[];
  required: boolean;
  deprecated: boolean;
}

/** A value the schema allows at a path. */
export interface SchemaValue {
  value: string | number | boolean;
  description?: string;
}

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

export class SchemaNavigator {
  constructor(private readonly root: JsonSchema) {}

  /** Follows a local `$ref` (`#/$defs/x`, `#/definitions/x`). */
  private deref(schema: JsonSchema, depth = 0): JsonSchema {
    const ref = schema.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#') || depth > 20) return schema;
    let target: unknown = this.root;
    for (const part of ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'));
      target = isSchema(target) ? target[key] : undefined;
    }
    if (!isSchema(target)) return schema;
    // Keywords beside a `$ref` (a description, say) still apply.
    const { $ref: _ref, ...siblings } = schema;
    return { ...this.deref(target, depth + 1), ...siblings };
  }

  /** A schema and every alternative it offers (`allOf`/`anyOf`/`oneOf`, `if`/`then`/`else`), refs followed. */
  private expand(schema: unknown, depth = 0): JsonSchema[] {
    if (!isSchema(schema) || depth > 20) return [];
    const s = this.deref(schema);
    const out = [s];
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      const list = s[keyword];
      if (Array.isArray(list)) for (const sub of list) out.push(...this.expand(sub, depth + 1));
    }
    for (const keyword of ['then', 'else']) if (isSchema(s[keyword])) out.push(...this.expand(s[keyword], depth + 1));
    return out;
  }

  /** The schemas that can apply to the value at `path` (keys, `[]` for items). */
  at(path: readonly string[]): JsonSchema[] {
    let current = this.expand(this.root);
    for (const segment of path) {
      const next: JsonSchema[] = [];
      for (const s of current) {
        if (segment === '[]' || /^\d+$/.test(segment)) {
          if (isSchema(s.items)) next.push(...this.expand(s.items));
          continue;
        }
        const props = isSchema(s.properties) ? s.properties : {};
        if (segment in props) {
          next.push(...this.expand(props[segment]));
          continue;
        }
        let matched = false;
        if (isSchema(s.patternProperties)) {
          for (const [pattern, sub] of Object.entries(s.patternProperties)) {
            if (safeTest(pattern, segment)) {
              next.push(...this.expand(sub));
              matched = true;
            }
          }
        }
        if (!matched && isSchema(s.additionalProperties)) next.push(...this.expand(s.additionalProperties));
      }
      current = next;
      if (current.length === 0) break;
    }
    return current;
  }

  /** The keys the mapping at `path` accepts, with their descriptions, in schema order. */
  keys(path: readonly string[]): SchemaKey[] {
    const byKey = new Map<string, SchemaKey>();
    for (const s of this.at(path)) {
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      if (!isSchema(s.properties)) continue;
      for (const [key, sub] of Object.entries(s.properties)) {
        const subs = this.expand(sub);
        const existing = byKey.get(key);
        const description = existing?.description ?? describe(subs);
        byKey.set(key, {
          key,
          description,
          types: [...new Set([...(existing?.types ?? []), ...subs.flatMap(typesOf)])],
          required: (existing?.required ?? false) || required.includes(key),
          deprecated: subs.some((x) => x.deprecated === true),
        });
      }
    }
    return [...byKey.values()];
  }

  /** The values the schema enumerates at `path` (`enum`, `const`, booleans). */
  values(path: readonly string[]): SchemaValue[] {
    const out = new Map<string, SchemaValue>();
    const add = (value: unknown, description?: string) => {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return;
      const k = JSON.stringify(value);
      if (!out.has(k) || (description && !out.get(k)!.description)) out.set(k, { value, ...(description && { description }) });
    };
    for (const s of this.at(path)) {
      const description = describe([s]);
      if (Array.isArray(s.enum)) {
        const enumDescriptions = Array.isArray(s.markdownEnumDescriptions)
          ? s.markdownEnumDescriptions
          : Array.isArray(s.enumDescriptions)
            ? s.enumDescriptions
            : [];
        s.enum.forEach((v, i) => add(v, typeof enumDescriptions[i] === 'string' ? enumDescriptions[i] : undefined));
      }
      if ('const' in s) add(s.const, description);
      if (typesOf(s).includes('boolean')) {
        add(true);
        add(false);
      }
    }
    return [...out.values()];
  }

  /** The description of the value at `path`, for hovers. */
  description(path: readonly string[]): string | undefined {
    return describe(this.at(path));
  }
}

function describe(schemas: readonly JsonSchema[]): string | undefined {
  for (const s of schemas) {
    if (typeof s.markdownDescription === 'string') return s.markdownDescription;
    if (typeof s.description === 'string') return s.description;
  }
  return undefined;
}

function typesOf(s: JsonSchema): string[] {
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === 'string');
  if (isSchema(s.properties) || isSchema(s.additionalProperties) || isSchema(s.patternProperties)) return ['object'];
  if (isSchema(s.items)) return ['array'];
  return [];
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}
