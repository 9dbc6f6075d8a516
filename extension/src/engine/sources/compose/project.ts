/**
 * A Compose project as Compose reads it: its files parsed (every node keeping its file), merged
 * in order (`compose.yaml`, then `compose.override.yaml`, or the files given), with `extends`,
 * `include`, `profiles`, YAML anchors and merge keys (`<<: *default`) resolved the way Compose
 * resolves them, and `${VAR:-default}` interpolated with no environment read (a variable takes
 * its default, or is empty).
 *
 * What is merged is kept as the nodes that wrote it, lowest precedence first, so the adapter
 * (./adapter.ts) can apply each key's own merge rule (a later `command` replaces, `environment`
 * entries merge by name, `ports` add up) and every value it reads keeps its file and range.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import { LineIndex } from '../../lineIndex';
import { nodeRange, parseArchitectureText, type ParsedArchitectureText } from '../../parse/parse';
import { BUILTIN_IDS, type Finding, type Offsets } from '../../types';
import { interpolate } from '../values';
import { resolvePath } from './files';

/** One file's text, by the name ranges give it (a path in the CLI, a URI in the editor). */
export interface SourceText {
  file: string;
  text: string;
}

/** Reads a file a project names but was not given (an override, an `extends.file`, an `include`); `undefined` when there is none. */
export type ReadFile = (file: string) => string | undefined;

/** One parsed file of the project. */
export interface ComposeFile {
  file: string;
  text: string;
  lines: LineIndex;
  parsed: ParsedArchitectureText;
  /** Absent when the text is not YAML (its findings say why). */
  doc?: Document.Parsed;
}

/** A node and the file it is written in. */
export interface Written<N = Node> {
  file: ComposeFile;
  node: N;
  /** The key it is the value of, when it is one. */
  key?: Node;
}

/** One service as the project defines it: each key's values, lowest precedence first. */
export interface ComposeService {
  name: string;
  /** Where the service is first defined (its key in `services:`). */
  file: ComposeFile;
  keyNode: Node;
  valueNode: Node;
  /** The key `services.<name>` in every file that writes it, in merge order. */
  definitions: Written<Node>[];
  /** Every value of each key, in merge order (an `extends` base first, then the service's own files). */
  fields: Map<string, Written[]>;
  profiles: string[];
}

/** The project: its files, its services (those Compose would start), and what stood in the way. */
export interface ComposeProject {
  files: ComposeFile[];
  /** The first file given: what findings about the whole project point at. */
  main: ComposeFile;
  services: Map<string, ComposeService>;
  /** Services left out because none of their profiles is active, by name. */
  inactive: Map<string, ComposeService>;
  /** The top-level `x-archlint` of every file that has one, in merge order. */
  architecture: Written[];
  findings: Finding[];
}

/** What the format's parse says about an architecture's shape (its root, its component ids): not about a compose file. */
const ARCHITECTURE_ONLY: ReadonlySet<string> = new Set(['empty', 'rootNotMapping', 'emptyId', 'idNotText']);

/** Bounds on what a project may name: include and extends chains, so a cycle or a deep chain ends. */
const MAX_INCLUDE_DEPTH = 8;
const MAX_EXTENDS_DEPTH = 16;

/** Options: the profiles to activate (`--profile`). */
export interface ProjectOptions {
  profiles?: readonly string[];
}

/**
 * Reads a project from `files` (merged in order) and whatever they name through `readFile`.
 * Never throws: a file that is not YAML, an `extends` that names nothing, an include cycle are
 * findings.
 */
export function readProject(
  files: readonly SourceText[],
  readFile: ReadFile = () => undefined,
  options: ProjectOptions = {},
): ComposeProject {
  const loaded = new Map<string, ComposeFile>();
  const findings: Finding[] = [];
  const load = (source: SourceText): ComposeFile => {
    const known = loaded.get(source.file);
    if (known) return known;
    const parsed = parseArchitectureText(source.text, { plainValue: false });
    const file: ComposeFile = {
      file: source.file,
      text: source.text,
      lines: new LineIndex(source.text),
      parsed,
      doc: parsed.doc,
    };
    loaded.set(source.file, file);
    // A compose file is read in full: an empty one or one whose top level is no mapping says so in its own words.
    for (const f of parsed.findings) {
      if (ARCHITECTURE_ONLY.has(f.messageId)) continue;
      findings.push(inFile(f, source.file));
    }
    return file;
  };
  const main = load(files[0] ?? { file: 'compose.yaml', text: '' });
  const project: ComposeProject = { files: [], main, services: new Map(), inactive: new Map(), architecture: [], findings };
  const all = new Map<string, ComposeService>();

  const readOne = (file: ComposeFile, depth: number, including: readonly string[]) => {
    const doc = file.doc;
    if (!doc || !isMap(doc.contents)) return;
    const top = entriesOf(doc, doc.contents);
    // `include`: other projects, read first (their services are this project's, as Compose merges them).
    const include = top.get('include');
    if (include) readIncludes(file, include.value, depth, including);
    const x = top.get('x-archlint');
    if (x?.value) project.architecture.push({ file, node: x.value, key: x.key });
    const services = top.get('services')?.value;
    const resolved = services && resolve(doc, services);
    if (!isMap(resolved)) return;
    for (const pair of resolved.items) {
      const name = keyText(doc, pair.key);
      if (name === undefined || name === '<<' || !pair.value) continue;
      const written: Written<Node> = { file, node: pair.value as Node, key: pair.key as Node };
      const service = all.get(name);
      if (service) service.definitions.push(written);
      else
        all.set(name, {
          name,
          file,
          keyNode: pair.key as Node,
          valueNode: pair.value as Node,
          definitions: [written],
          fields: new Map(),
          profiles: [],
        });
    }
  };

  const readIncludes = (from: ComposeFile, node: Node | null, depth: number, including: readonly string[]) => {
    const doc = from.doc!;
    const list = resolve(doc, node);
    const items = isSeq(list) ? list.items : [list];
    for (const item of items) {
      const entry = resolve(doc, item as Node);
      // `- path`, `- path: a.yaml`, `- path: [a.yaml, b.yaml]` (one project of several files).
      const pathNode = isMap(entry) ? entriesOf(doc, entry).get('path')?.value : entry;
      const paths = isSeq(resolve(doc, pathNode)) ? (resolve(doc, pathNode) as { items: unknown[] }).items : [pathNode];
      for (const p of paths) {
        const text = scalarText(doc, p as Node);
        if (text === undefined) continue;
        const target = resolvePath(from.file, interpolate(text).text);
        const range = rangeIn(from, p as Node);
        if (depth >= MAX_INCLUDE_DEPTH || including.includes(target)) {
          findings.push(
            sourceFinding(
              'includeCycle',
              `include of ${text} is not read: it includes itself or nests deeper than ${MAX_INCLUDE_DEPTH} files`,
              range,
              'warning',
            ),
          );
          continue;
        }
        const content = loaded.get(target)?.text ?? readFile(target);
        if (content === undefined) {
          findings.push(
            sourceFinding(
              'missingFile',
              `include names ${text}, which cannot be read: its services are left out`,
              range,
              'warning',
            ),
          );
          continue;
        }
        const included = load({ file: target, text: content });
        if (!project.files.includes(included)) project.files.push(included);
        readOne(included, depth + 1, [...including, target]);
      }
    }
  };

  for (const source of files) {
    const file = load(source);
    if (!project.files.includes(file)) project.files.push(file);
    readOne(file, 0, [source.file]);
  }

  // Each service's fields: its `extends` base first (recursively), then its own definitions in order.
  const fieldsOf = (service: ComposeService, depth: number, seen: readonly string[]): Map<string, Written[]> => {
    const fields = new Map<string, Written[]>();
    const add = (key: string, w: Written) => {
      const list = fields.get(key);
      if (list) list.push(w);
      else fields.set(key, [w]);
    };
    for (const def of service.definitions) {
      const doc = def.file.doc!;
      const entries = entriesOf(doc, def.node);
      const ext = entries.get('extends');
      if (ext?.value) {
        const base = extendsBase(def.file, ext.value, service.name, depth, seen);
        if (base) for (const [key, list] of base) for (const w of list) add(key, w);
      }
      for (const [key, { key: keyNode, value }] of entries) {
        if (key === 'extends' || !value) continue;
        add(key, { file: def.file, node: value, key: keyNode });
      }
    }
    return fields;
  };

  const extendsBase = (
    file: ComposeFile,
    node: Node,
    self: string,
    depth: number,
    seen: readonly string[],
  ): Map<string, Written[]> | undefined => {
    const doc = file.doc!;
    const value = resolve(doc, node);
    const entries = isMap(value) ? entriesOf(doc, value) : undefined;
    const serviceName = entries ? scalarText(doc, entries.get('service')?.value ?? null) : scalarText(doc, value as Node);
    const fileName = entries ? scalarText(doc, entries.get('file')?.value ?? null) : undefined;
    const range = rangeIn(file, node);
    if (serviceName === undefined) return undefined;
    const key = `${fileName ?? file.file}#${serviceName}`;
    if (depth >= MAX_EXTENDS_DEPTH || seen.includes(key)) {
      findings.push(
        sourceFinding(
          'extendsCycle',
          `${self} extends ${serviceName}, which extends it back: the chain is not followed`,
          range,
          'warning',
        ),
      );
      return undefined;
    }
    let baseFile = file;
    if (fileName !== undefined) {
      const target = resolvePath(file.file, interpolate(fileName).text);
      const content = loaded.get(target)?.text ?? readFile(target);
      if (content === undefined) {
        findings.push(
          sourceFinding(
            'missingFile',
            `extends names ${fileName}, which cannot be read: ${self} is read without what it extends`,
            range,
            'warning',
          ),
        );
        return undefined;
      }
      baseFile = load({ file: target, text: content });
      if (!project.files.includes(baseFile)) project.files.push(baseFile);
    }
    const baseDoc = baseFile.doc;
    const services = baseDoc && isMap(baseDoc.contents) ? entriesOf(baseDoc, baseDoc.contents).get('services')?.value : undefined;
    const baseNode = services && baseDoc ? entriesOf(baseDoc, services).get(serviceName) : undefined;
    if (!baseNode?.value) {
      findings.push(
        sourceFinding(
          'unknownExtends',
          `${self} extends ${serviceName}, which ${fileName ?? 'this file'} does not define`,
          range,
          'error',
        ),
      );
      return undefined;
    }
    const base: ComposeService = {
      name: serviceName,
      file: baseFile,
      keyNode: baseNode.key,
      valueNode: baseNode.value,
      // A base in this project takes its own overrides too; one in another file is read as written.
      definitions:
        fileName === undefined && all.get(serviceName)
          ? all.get(serviceName)!.definitions
          : [{ file: baseFile, node: baseNode.value }],
      fields: new Map(),
      profiles: [],
    };
    return fieldsOf(base, depth + 1, [...seen, key]);
  };

  const active = new Set(options.profiles ?? []);
  for (const service of all.values()) {
    service.fields = fieldsOf(service, 0, [`${service.file.file}#${service.name}`]);
    service.profiles = stringsOf(service, 'profiles');
    const started = service.profiles.length === 0 || service.profiles.some((p) => active.has(p) || p === '*') || active.has('*');
    (started ? project.services : project.inactive).set(service.name, service);
  }
  return project;
}

/** The strings of a list field (the last value written wins). */
function stringsOf(service: ComposeService, key: string): string[] {
  const last = service.fields.get(key)?.at(-1);
  if (!last) return [];
  const doc = last.file.doc!;
  const list = resolve(doc, last.node);
  if (!isSeq(list)) {
    const one = scalarText(doc, last.node);
    return one === undefined ? [] : [one];
  }
  return list.items.flatMap((i) => scalarText(doc, i as Node) ?? []);
}

/** A node with aliases followed (one level is enough: `yaml` rejects aliases to aliases). */
export function resolve(doc: Document, node: unknown): Node | null {
  if (node === null || node === undefined) return null;
  if (!isAlias(node)) return node as Node;
  return (aliasTargets(doc).get(node) ?? null) as Node | null;
}

/**
 * Each alias of a document and the node it names, found in one walk and kept on the document
 * (under a symbol, as parse.ts keeps its key index on a mapping): `yaml`'s `Alias.resolve` walks
 * the whole document on every call, and a project that merges one anchor into 500 services
 * resolves it thousands of times. As `yaml` does, an alias names the last anchor of that name
 * before it.
 */
const ALIAS_TARGETS = Symbol('archlint.aliasTargets');

function aliasTargets(doc: Document): Map<unknown, unknown> {
  const memo = doc as Document & { [ALIAS_TARGETS]?: Map<unknown, unknown> };
  let targets = memo[ALIAS_TARGETS];
  if (targets) return targets;
  targets = new Map();
  const anchors = new Map<string, unknown>();
  const walk = (node: unknown, depth: number): void => {
    if (node === null || node === undefined || depth > 200) return;
    if (isAlias(node)) {
      targets!.set(node, anchors.get(node.source));
      return;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node);
    if (isMap(node)) {
      for (const pair of node.items) {
        walk(pair.key, depth + 1);
        walk(pair.value, depth + 1);
      }
    } else if (isSeq(node)) for (const item of node.items) walk(item, depth + 1);
  };
  walk(doc.contents, 0);
  Object.defineProperty(doc, ALIAS_TARGETS, { value: targets, enumerable: false, configurable: true });
  return targets;
}

/** A key as text, or undefined when it is no scalar. */
function keyText(doc: Document, key: unknown): string | undefined {
  const k = resolve(doc, key);
  return isScalar(k) && k.value !== null ? String(k.value) : undefined;
}

/**
 * A mapping's entries by key, with YAML merge keys (`<<: *base`, `<<: [*a, *b]`) applied as
 * Compose applies them: the mapping's own keys win, then the merged mappings in order.
 */
export function entriesOf(doc: Document, node: unknown, depth = 0): Map<string, { key: Node; value: Node | null }> {
  const out = new Map<string, { key: Node; value: Node | null }>();
  const map = resolve(doc, node);
  if (!isMap(map) || depth > MAX_EXTENDS_DEPTH) return out;
  const merged: Map<string, { key: Node; value: Node | null }>[] = [];
  for (const pair of map.items as Pair[]) {
    const name = keyText(doc, pair.key);
    if (name === undefined) continue;
    if (name === '<<') {
      const source = resolve(doc, pair.value);
      const sources = isSeq(source) ? source.items : [source];
      for (const s of sources) merged.push(entriesOf(doc, s, depth + 1));
      continue;
    }
    if (!out.has(name)) out.set(name, { key: pair.key as Node, value: (pair.value as Node | null) ?? null });
  }
  for (const m of merged) for (const [name, entry] of m) if (!out.has(name)) out.set(name, entry);
  return out;
}

/** A scalar's text, interpolated as Compose would with no variable set; undefined for anything else. */
export function scalarText(doc: Document, node: Node | null | undefined): string | undefined {
  const n = resolve(doc, node);
  if (!isScalar(n) || n.value === null || n.value === undefined) return undefined;
  const raw = typeof n.value === 'object' ? undefined : String(n.value);
  return raw === undefined ? undefined : typeof n.value === 'string' ? interpolate(raw).text : raw;
}

/** A node's range in its file, named by the file. */
export function rangeIn(file: ComposeFile, node: unknown): Offsets {
  const [start, end] = nodeRange(node, file.text.length);
  return [start, end, file.file];
}

/** A finding of the source itself (what Archlint must read in these files and cannot). */
export function sourceFinding(messageId: string, message: string, range: Offsets, severity: Finding['severity']): Finding {
  return { ruleId: BUILTIN_IDS.source, messageId, message, severity, range };
}

function inFile(f: Finding, file: string): Finding {
  return { ...f, range: [f.range[0], f.range[1], file] };
}
