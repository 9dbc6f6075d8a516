import type { ErrorObject } from 'ajv';
import { isMap, type Document } from 'yaml';
import { nodeRange, rangeAt, type YamlPath } from '../parse/parse';
import { didYouMean } from '../suggest';
import { BUILTIN_IDS, type Finding, type Offsets } from '../types';
import validateSchema from './schemaValidator.generated';

/** A compiled schema check (scripts/compile-schema.mjs): `true` when valid, else `errors` (ajv's, `verbose`). */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The part of a (sub)schema the messages read; `verbose` puts it on every ajv error. */
interface SchemaNode {
  title?: string;
  $ref?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

/** One problem, worded, at a path; `part` says whether it points at the key or the value there. */
interface Issue {
  messageId: string;
  message: string;
  path: YamlPath;
  part: 'key' | 'value';
  /** For `required`: the missing key, so several at one place merge into one finding. */
  missingKey?: string;
}

/** What the unit formats look like, by the `title` of their schema definition. */
const FORMAT_PHRASES: Record<string, string> = {
  Percentage: 'a percentage like 99.9% or a fraction like 0.999',
  Rate: 'a rate like 1200/s, 60/min or 100/h, or a number of requests per second',
  Duration: 'a duration like 250ms, 10s, 5m, 2000h or 1d, or a number of seconds',
};

/** Keywords that only a number can fail. */
const NUMERIC_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];

const DEPENDENCY_SHAPES = 'depends-on entries are a component id, { component: id }, or { any-of: [ids] }';

/**
 * Checks the parsed value against the format's JSON Schema (precompiled by
 * scripts/compile-schema.mjs) and words each violation the way a person would, at the exact
 * key or value it is about. Unions (`anyOf`) give one message per place, from the branch
 * the value was evidently meant to be. Never throws.
 */
export function validateArchitecture(doc: Document, value: unknown, rangeFor?: RangeFor): Finding[] {
  return validateWith(validateSchema, doc, value, rangeFor);
}

/**
 * Where a path of the checked value is written, for a value that is not the document's own
 * (a compose service's `x-archlint`, checked as a component of the format).
 */
export type RangeFor = (path: YamlPath, part: 'key' | 'value') => Offsets;

/**
 * Checks a parsed value against a compiled schema and words each violation at its key or value,
 * as {@link validateArchitecture} does (the configuration file's check is this one too). Never throws.
 */
export function validateWith(validate: SchemaValidator, doc: Document, value: unknown, rangeFor?: RangeFor): Finding[] {
  try {
    if (validate(value)) return [];
    const errors = (validate.errors ?? []).map((error) => ({ error, path: pointerToPath(error.instancePath, value) }));
    return toFindings(doc, issuesOf(errors), rangeFor);
  } catch (error) {
    // The schema check must never take the editor or the CLI down with it.
    return [
      {
        ruleId: BUILTIN_IDS.schema,
        messageId: 'internalError',
        message: `internal error in the schema check: ${error instanceof Error ? error.message : String(error)} (please report it)`,
        severity: 'error',
        // Only reached with a parsed, non-empty document, so the first character exists.
        range: [0, 1],
      },
    ];
  }
}

interface PathedError {
  error: ErrorObject;
  path: YamlPath;
}

/** A JSON pointer (`/components/web/depends-on/0`) as a YAML path; indexes only where the data is a list. */
export function pointerToPath(pointer: string, value: unknown): YamlPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(segment);
      path.push(index);
      node = node[index];
    } else {
      path.push(segment);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

const isUnion = (e: ErrorObject): boolean => e.keyword === 'anyOf' || e.keyword === 'oneOf';
const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(`${outer}/`);

function issuesOf(errors: PathedError[]): Issue[] {
  let pool = errors;
  const issues: Issue[] = [];
  // Deepest union first, so an outer union sees what is left of an inner one.
  const unions = errors.filter((e) => isUnion(e.error)).sort((a, b) => b.path.length - a.path.length);
  for (const union of unions) {
    if (!pool.includes(union)) continue;
    // In this schema a union is the whole schema of its place, so every error at or below
    // that place comes from one of its branches.
    const scoped = pool.filter((e) => within(e.error.instancePath, union.error.instancePath));
    pool = pool.filter((e) => !scoped.includes(e));
    const resolved = resolveUnion(union, scoped);
    if ('message' in resolved) issues.push(resolved);
    else issues.push(...resolved.flatMap(issueOf));
  }
  issues.push(...pool.flatMap(issueOf));
  return issues;
}

/**
 * One failing `anyOf`: ajv reports every branch's complaints. Keep only those of the branch the
 * value was meant to match (an object with that branch's required keys, or a scalar with the
 * right type), else say in one sentence what the place accepts.
 */
function resolveUnion(union: PathedError, scoped: PathedError[]): PathedError[] | Issue {
  const { error, path } = union;
  const schema = (error.parentSchema ?? {}) as SchemaNode;
  const data: unknown = error.data;
  const label = labelOf(path);
  const title = schema.title ?? '';
  const branches = schema.anyOf ?? schema.oneOf ?? [];

  const format = Object.hasOwn(FORMAT_PHRASES, title) ? FORMAT_PHRASES[title] : undefined;
  if (format !== undefined) {
    const messageId = typeof data === 'number' ? 'range' : typeof data === 'string' ? 'pattern' : 'type';
    return { messageId, message: `${label} must be ${format}, not ${show(data)}`, path, part: 'value' };
  }

  // A rule's setting as a list: `[severity]` or `[severity, options]`.
  if (title === 'Rule setting' && Array.isArray(data)) {
    const shape = '[severity] or [severity, { option: value }] (a severity: error, warning, info or off)';
    return { messageId: 'shape', message: `${label} must be a severity, ${shape}, not ${show(data)}`, path, part: 'value' };
  }

  if (isPlainObject(data)) {
    const candidates = branches.filter(
      (b) => typeOf(b).includes('object') && (b.required ?? []).every((k) => Object.hasOwn(data, k)),
    );
    if (candidates.length === 1) {
      const branch = candidates[0]!;
      const allowed = branch.properties ?? {};
      const kept = scoped.filter(({ error: e, path: p }) => {
        if (e.instancePath === error.instancePath) {
          if (e.keyword === 'additionalProperties') return !Object.hasOwn(allowed, String(e.params.additionalProperty));
          if (e.keyword === 'required') return (branch.required ?? []).includes(String(e.params.missingProperty));
          return false;
        }
        return Object.hasOwn(allowed, String(p[path.length]));
      });
      if (kept.length > 0) return kept;
    }
  } else {
    // Only the complaints of the branches the value could be meant for: a number's bounds, a word's spelling.
    const meantFor = (e: ErrorObject) =>
      typeof data === 'number' ? !['const', 'enum'].includes(e.keyword) : !NUMERIC_KEYWORDS.includes(e.keyword);
    const kept = scoped.filter(
      ({ error: e }) =>
        e.instancePath === error.instancePath &&
        !isUnion(e) &&
        !['type', 'required', 'additionalProperties'].includes(e.keyword) &&
        meantFor(e),
    );
    // A word that is no misspelling of the words allowed was meant for another branch (`replicas: three`).
    const nearWord =
      typeof data !== 'string' ||
      kept.some(({ error: e }) => {
        const allowed = e.keyword === 'const' ? [e.params.allowedValue] : ((e.params.allowedValues as unknown[]) ?? []);
        return didYouMean(data, allowed.map(String)) !== undefined;
      });
    if (kept.length > 0 && nearWord) return kept;
  }

  if (title === 'Rule setting') {
    const message = `${label} must be one of error, warning, info, off, or [severity, { option: value }], not ${show(data)}`;
    return { messageId: 'enum', message, path, part: 'value' };
  }

  if (title === 'Dependency') {
    if (isPlainObject(data)) {
      const keys = Object.keys(data);
      if (Object.hasOwn(data, 'component') && Object.hasOwn(data, 'any-of')) {
        return { messageId: 'shape', message: `${DEPENDENCY_SHAPES} — not both "component" and "any-of"`, path, part: 'value' };
      }
      // `{ componnet: db }`: the entry is evidently one of the shapes, with its key misspelled.
      for (const key of keys) {
        const suggestion = didYouMean(key, ['component', 'any-of']);
        if (suggestion) {
          return {
            messageId: 'unknownKey',
            message: `unknown key "${key}" — did you mean "${suggestion}"?`,
            path: [...path, key],
            part: 'key',
          };
        }
      }
      return {
        messageId: 'shape',
        message: `${DEPENDENCY_SHAPES}; this one has neither "component" nor "any-of"`,
        path,
        part: 'value',
      };
    }
    return { messageId: 'shape', message: `${DEPENDENCY_SHAPES}, not ${show(data)}`, path, part: 'value' };
  }
  // A union of a count and a word (`replicas`: a number or `per-node`) is said as its branches.
  const accepted = branches.some((b) => b.const !== undefined)
    ? orList(branches.map((b) => typePhrase(b)))
    : (schema.description ?? orList(branches.map((b) => typePhrase(b))));
  return {
    messageId: 'type',
    message: `${label} must be ${accepted.replace(/\.$/, '')}, not ${show(data)}`,
    path,
    part: 'value',
  };
}

/** Words one ajv error; the keywords our schema uses get a sentence each, anything else ajv's own words. */
function issueOf({ error, path }: PathedError): Issue[] {
  const schema = (error.parentSchema ?? {}) as SchemaNode;
  const data: unknown = error.data;
  const label = labelOf(path);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys(schema.properties ?? {});
      const suggestion = didYouMean(key, allowed);
      const where = path.length === 0 ? 'at the top of the file' : `in ${labelOf(path)}`;
      const hint = suggestion
        ? ` — did you mean "${suggestion}"?`
        : allowed.length <= 8
          ? ` ${where}; the keys here are ${allowed.join(', ')}`
          : ` ${where}`;
      return [{ messageId: 'unknownKey', message: `unknown key "${key}"${hint}`, path: [...path, key], part: 'key' }];
    }
    case 'required': {
      const missingKey = String(error.params.missingProperty);
      return [{ messageId: 'required', message: `missing required key "${missingKey}"`, path, part: 'key', missingKey }];
    }
    case 'enum': {
      const allowed = (schema.enum ?? []).map(String);
      const suggestion = typeof data === 'string' ? didYouMean(data, allowed) : undefined;
      const tail = suggestion ? ` — did you mean "${suggestion}"?` : `, not ${show(data)}`;
      return [{ messageId: 'enum', message: `${label} must be one of ${allowed.join(', ')}${tail}`, path, part: 'value' }];
    }
    case 'const':
      return [
        {
          messageId: path.length === 1 && path[0] === 'archlint' ? 'version' : 'const',
          message:
            path.length === 1 && path[0] === 'archlint'
              ? `archlint must be 1 (the format version this Archlint reads), not ${show(data)}`
              : `${label} must be ${show(schema.const)}, not ${show(data)}`,
          path,
          part: 'value',
        },
      ];
    case 'type':
      return [{ messageId: 'type', message: `${label} must be ${typePhrase(schema)}, not ${show(data)}`, path, part: 'value' }];
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return [
        {
          messageId: 'range',
          message: typeOf(schema).includes('integer')
            ? `${label} must be ${typePhrase(schema)}, not ${show(data)}`
            : `${label} must be ${rangePhrase(schema)}, not ${show(data)}`,
          path,
          part: 'value',
        },
      ];
    case 'minLength':
    case 'minItems':
      return [{ messageId: 'empty', message: `${label} must not be empty`, path, part: 'value' }];
    case 'pattern':
      return [
        {
          messageId: 'pattern',
          message: `${label} must be ${schema.description ?? 'in the documented format'}, not ${show(data)}`,
          path,
          part: 'value',
        },
      ];
    default:
      return [{ messageId: error.keyword, message: `${label} ${error.message ?? 'is not valid'}`, path, part: 'value' }];
  }
}

function toFindings(doc: Document, issues: Issue[], rangeFor?: RangeFor): Finding[] {
  // Several missing keys of one mapping are one finding at its key.
  const merged: Issue[] = [];
  const missing = new Map<string, { issue: Issue; keys: string[] }>();
  for (const issue of issues) {
    if (issue.missingKey === undefined) {
      merged.push(issue);
      continue;
    }
    const key = JSON.stringify(issue.path);
    const group = missing.get(key);
    if (group) group.keys.push(issue.missingKey);
    else {
      const entry = { issue: { ...issue }, keys: [issue.missingKey] };
      missing.set(key, entry);
      merged.push(entry.issue);
    }
  }
  for (const { issue, keys } of missing.values()) {
    if (keys.length > 1) issue.message = `missing required keys ${keys.map((k) => `"${k}"`).join(' and ')}`;
  }

  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const issue of merged) {
    const range = rangeFor ? rangeFor(issue.path, issue.part) : rangeOf(doc, issue);
    const id = `${range[0]}:${range[1]}:${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const component = issue.path[0] === 'components' && typeof issue.path[1] === 'string' ? issue.path[1] : undefined;
    findings.push({
      ruleId: BUILTIN_IDS.schema,
      messageId: issue.messageId,
      message: issue.message,
      severity: 'error',
      range,
      ...(component !== undefined && { component }),
    });
  }
  return findings;
}

function rangeOf(doc: Document, issue: Issue): Offsets {
  if (issue.path.length === 0 && issue.part === 'key') {
    // A key missing at the top: point at the first key, not at the whole file.
    const first = isMap(doc.contents) ? doc.contents.items[0]?.key : undefined;
    return first ? nodeRange(first) : [0, Math.min(1, doc.contents ? nodeRange(doc.contents)[1] : 0)];
  }
  return rangeAt(doc, issue.path, issue.part);
}

/** How a message names the place: `replicas`, `component "web"`, `entries of depends-on`. */
function labelOf(path: YamlPath): string {
  if (path.length === 0) return 'the file';
  const last = path[path.length - 1]!;
  if (typeof last === 'number') return `entries of ${labelOf(path.slice(0, -1))}`;
  if (path.length === 2) {
    if (path[0] === 'components') return `component "${last}"`;
    if (path[0] === 'zones') return `zone "${last}"`;
    if (path[0] === 'rules') return `the severity of rule "${last}"`;
  }
  return last;
}

function typeOf(schema: SchemaNode): string[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
}

function typePhrase(schema: SchemaNode): string {
  // A `$ref` branch arrives unresolved (its error paths restart in the referenced schema).
  const isId = (s: SchemaNode | undefined) => s?.title === 'Component id' || s?.$ref === '#/definitions/componentId';
  const isZone = (s: SchemaNode | undefined) => s?.title === 'Zone id' || s?.$ref === '#/definitions/zoneId';
  if (schema.const !== undefined)
    return JSON.stringify(schema.const) === `"${String(schema.const)}"` ? String(schema.const) : show(schema.const);
  if (schema.$ref === '#/definitions/instanceCount') return 'a whole number from 0 to 10000';
  const phrases = typeOf(schema).flatMap((type): string[] => {
    switch (type) {
      case 'object':
        return ['a mapping (key: value)'];
      case 'array':
        return [isId(schema.items) ? 'a list of component ids' : isZone(schema.items) ? 'a list of zone ids' : 'a list'];
      case 'string':
        return [isId(schema) || isId(schema.items) ? 'a component id' : isZone(schema) ? 'a zone id' : 'text'];
      case 'integer':
        return [
          schema.minimum !== undefined && schema.maximum !== undefined
            ? `a whole number from ${schema.minimum} to ${schema.maximum}`
            : schema.minimum !== undefined
              ? `a whole number ≥ ${schema.minimum}`
              : 'a whole number',
        ];
      case 'number':
        return [schema.minimum !== undefined || schema.maximum !== undefined ? rangePhrase(schema) : 'a number'];
      case 'boolean':
        return ['true or false'];
      default:
        return []; // `null` is allowed as "nothing", not worth saying.
    }
  });
  if (phrases.length === 0) return 'something else';
  return orList(phrases.length > 1 ? phrases.map((p) => (p === 'true or false' ? 'true/false' : p)) : phrases);
}

function rangePhrase(schema: SchemaNode): string {
  if (schema.minimum !== undefined && schema.maximum !== undefined) return `a number from ${schema.minimum} to ${schema.maximum}`;
  if (schema.minimum !== undefined) return `a number ≥ ${schema.minimum}`;
  if (schema.maximum !== undefined) return `a number ≤ ${schema.maximum}`;
  return 'a number';
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as the message quotes it. */
function show(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}
