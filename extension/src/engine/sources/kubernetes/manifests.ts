/**
 * Reading Kubernetes manifests: the objects of a set of files (docs/SOURCES.md, "Which files form
 * one architecture"). Each file is a stream of YAML documents (`---`, as `helm template` and
 * `kustomize build` print them); a `.json` manifest is read the same way, since YAML reads JSON.
 * A `kind: List` (or any `*List` with `items`) gives its items. A Helm template (text with
 * `{{`) is skipped with a note: what Kubernetes runs is its rendered output.
 *
 * Values are read as plain JSON values; every range is found again by path in the document, so
 * each fact keeps its file and place. Never throws on what the files hold.
 */
import { isCollection, isMap, parseAllDocuments, visit, type Document } from 'yaml';
import { isObject, type Json } from '../../model/build';
import { LineIndex } from '../../lineIndex';
import { nodeRange, rangeAt, type YamlPath } from '../../parse/parse';
import { BUILTIN_IDS, type Finding, type Offsets } from '../../types';

/** One file of the set. */
export interface ManifestFile {
  file: string;
  text: string;
  lines: LineIndex;
  /** Its YAML documents (none for a Helm template); documents with syntax errors are left out. */
  docs: Document.Parsed[];
}

/** One Kubernetes object: its document, where in it, and its plain value. */
export interface KubeObject {
  file: ManifestFile;
  doc: Document.Parsed;
  /** The path of the object in its document (`[]`, or `['items', i]` in a List). */
  path: YamlPath;
  value: Json;
  kind: string;
  name: string;
  /** `metadata.namespace`, else `default`. */
  namespace: string;
}

export interface Manifests {
  files: ManifestFile[];
  objects: KubeObject[];
  findings: Finding[];
}

/** The most aliases one document may expand (as for architecture files). */
const MAX_ALIAS_COUNT = 200;

/**
 * Whether a text holds a Helm template rather than a manifest: it has `{{`, and either is not
 * YAML or has an action where YAML reads a flow collection (`replicas: {{ .Values.n }}`). A
 * rendered manifest may hold `{{` inside a quoted or block scalar (an alerting rule's
 * `{{ $labels.instance }}` in a ConfigMap): that is text, and the file is read.
 */
export function isHelmTemplate(text: string): boolean {
  if (!text.includes('{{')) return false;
  try {
    return parseDocs(text).some((doc) => doc.errors.length > 0 || hasTemplateAction(doc, text));
  } catch {
    return true;
  }
}

function parseDocs(text: string): Document.Parsed[] {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  return Array.isArray(docs) ? (docs as Document.Parsed[]) : [];
}

function hasTemplateAction(doc: Document.Parsed, text: string): boolean {
  let found = false;
  visit(doc, (_, node) => {
    if (isCollection(node) && node.flow && node.range && text.startsWith('{{', node.range[0])) {
      found = true;
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}

/** Whether a text looks like a manifest (a document with `apiVersion` and `kind`), cheaply. */
export function looksLikeManifest(text: string): boolean {
  return /^\s*"?apiVersion"?\s*:/m.test(text) && /^\s*"?kind"?\s*:/m.test(text);
}

/** A manifest's top-level keys, at the start of a line. */
const TOP_LEVEL_API_VERSION = /^apiVersion[ \t]*:/m;
const TOP_LEVEL_KIND = /^kind[ \t]*:/m;
const JSON_NAME = /\.json$/i;
const BYTE_ORDER_MARK = '\uFEFF';
/** The names a manifest file has: YAML or JSON. */
const MANIFEST_NAME = /\.(?:ya?ml|json)$/i;

/** Whether a path has a manifest's extension (`.yaml`, `.yml`, `.json`). */
export function isManifestName(path: string): boolean {
  return MANIFEST_NAME.test(path.replace(/[?#].*$/, ''));
}

/**
 * Whether a file found by a search, or a document an editor has open, holds Kubernetes
 * manifests: YAML whose documents have `apiVersion` and `kind` at the top level (a nested
 * `kind:` in a Helm values file or a workflow does not count), a Helm template naming an
 * `apiVersion`, or a JSON object with both (`kind: List` included; in a `.yaml` file too, on one line). Stricter than
 * {@link looksLikeManifest}, which a named input or standard input is read by.
 */
export function isManifestText(path: string, text: string): boolean {
  if (JSON_NAME.test(path.replace(/[?#].*$/, ''))) return isJsonManifest(text);
  // A file read from disk may start with a byte-order mark, before its first key (editors hide it).
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  return (
    (TOP_LEVEL_API_VERSION.test(body) && TOP_LEVEL_KIND.test(body)) ||
    // The cheap test first: telling a Helm template parses the YAML (an Ansible playbook or a workflow is full of `{{`).
    (/apiVersion/.test(text) && isHelmTemplate(text)) ||
    isJsonManifest(text)
  );
}

/**
 * Whether a text is a manifest in JSON (`kubectl get -o json`, minified or not): an object with
 * `apiVersion` and `kind` (`kind: List` included). Minified JSON has no key at the start of a
 * line, which is what the YAML checks look for.
 */
export function isJsonManifest(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.includes('"apiVersion"')) return false;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && 'apiVersion' in value && 'kind' in value;
  } catch {
    return false;
  }
}

/**
 * What one file of a set read to: kept between lints (the editor's host keeps it per
 * architecture), so a keystroke in one manifest of a folder parses that file alone. Nothing read
 * from a file is changed by the adapter, the rules or the edits.
 */
export type ManifestCache = Map<string, ReadFile>;

/** One file as read: its text, its documents, its objects and the findings reading it gave. */
interface ReadFile {
  text: string;
  file: ManifestFile;
  objects: KubeObject[];
  findings: Finding[];
}

/** The objects of every file given, in order; a file whose text `cache` holds is not parsed again. */
export function readManifests(sources: readonly { file: string; text: string }[], cache?: ManifestCache): Manifests {
  const files: ManifestFile[] = [];
  const objects: KubeObject[] = [];
  const findings: Finding[] = [];
  for (const { file, text } of sources) {
    let read = cache?.get(file);
    if (read?.text !== text) {
      read = readFile(file, text);
      cache?.set(file, read);
    }
    files.push(read.file);
    objects.push(...read.objects);
    findings.push(...read.findings);
  }
  // Files that left the set are forgotten.
  if (cache) for (const file of [...cache.keys()]) if (!sources.some((s) => s.file === file)) cache.delete(file);
  return { files, objects, findings };
}

/** The objects and findings of one file. */
function readFile(file: string, text: string): ReadFile {
  const objects: KubeObject[] = [];
  const findings: Finding[] = [];
  const mf: ManifestFile = { file, text, lines: new LineIndex(text), docs: [] };
  if (isHelmTemplate(text)) {
    const at = text.indexOf('{{');
    findings.push({
      ruleId: BUILTIN_IDS.source,
      messageId: 'helmTemplate',
      message:
        'a Helm template ({{ … }}) is not a manifest and is skipped: lint what it renders (helm template … | archlint lint -)',
      severity: 'info',
      range: [at, Math.min(text.length, at + 2), file],
    });
    return { text, file: mf, objects, findings };
  }
  let docs: Document.Parsed[];
  try {
    docs = parseDocs(text);
  } catch {
    docs = [];
  }
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const [start, end] = error.pos;
      findings.push({
        ruleId: BUILTIN_IDS.yamlSyntax,
        messageId: 'syntax',
        message: `this document is not YAML and is skipped: ${error.message.split('\n')[0]}`,
        severity: 'error',
        range: clamp([start, Math.max(end, start + 1)], text.length, file),
      });
      continue;
    }
    mf.docs.push(doc);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch {
      continue;
    }
    if (!isObject(value) || !isMap(doc.contents)) continue;
    const items = value.items;
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(items)) {
      items.forEach((item, i) => {
        const o = objectOf(mf, doc, ['items', i], item);
        if (o) objects.push(o);
      });
    } else {
      const o = objectOf(mf, doc, [], value);
      if (o) objects.push(o);
    }
  }
  return { text, file: mf, objects, findings };
}

function objectOf(file: ManifestFile, doc: Document.Parsed, path: YamlPath, value: unknown): KubeObject | undefined {
  if (!isObject(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') return undefined;
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  if (!name) return undefined;
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : 'default';
  return { file, doc, path, value, kind: value.kind, name, namespace };
}

function clamp([start, end]: [number, number], length: number, file: string): Offsets {
  const s = Math.max(0, Math.min(start, Math.max(0, length - 1)));
  const e = Math.max(s + (length > 0 ? 1 : 0), Math.min(end, length));
  return [s, e, file];
}

/** The range of a path inside an object (the nearest written ancestor's when it is not written), in its file. */
export function rangeOf(o: KubeObject, path: YamlPath, part: 'key' | 'value' = 'value'): Offsets {
  const [start, end] = rangeAt(o.doc, [...o.path, ...path], part);
  return [start, end, o.file.file];
}

/** The range of a node in its file. */
export function nodeRangeIn(file: ManifestFile, node: unknown): Offsets {
  const [start, end] = nodeRange(node, file.text.length);
  return [start, end, file.file];
}

/** The plain value at a path of a JSON value. */
export function get(value: unknown, path: YamlPath): unknown {
  let at = value;
  for (const key of path) {
    if (typeof key === 'number') at = Array.isArray(at) ? at[key] : undefined;
    else at = isObject(at) ? at[key] : undefined;
    if (at === undefined) return undefined;
  }
  return at;
}
