/**
 * Compose → the model (docs/sources.md has the table as implemented). Each service Compose
 * would start is a component; its `x-archlint` map, read as a component of the format, states
 * what Compose cannot, and wins key by key over what is inferred from the service:
 *
 * - kind: the image, by ../values.ts's table; replicas: `deploy.replicas`, `scale`, or
 *   `per-node` for `deploy.mode: global`;
 * - entry and public: published `ports` (not bound to a loopback address);
 * - depends-on: `depends_on`, `links`, `network_mode: service:x`, and the hosts named in
 *   `environment` values and `command` / `entrypoint` words (an `x-archlint` depends-on replaces them all);
 * - health-check: a `healthcheck` with a test; state: a read-write volume of a replicated service;
 * - zones: `deploy.placement` on a zone label; balanced-by: a replicated service that is reached.
 *
 * Every value keeps its file and range, and {@link ComposeModel.origins} says, in words, where
 * each came from (`archlint model` prints them as comments).
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { buildComponent, buildHeader, componentInFile, isObject } from '../../model/build';
import type { Architecture, Component, Dependency, Reference } from '../../model/model';
import { parseDuration } from '../../model/units';
import { validateArchitecture } from '../../model/validate';
import { nodeAt, nodeRange, rangeAt, type YamlPath } from '../../parse/parse';
import type { Finding, Offsets } from '../../types';
import { hostsInCommand, hostsInValue, kindOfImage } from '../values';
import { baseName, dirName } from './files';
import {
  entriesOf,
  rangeIn,
  resolve,
  scalarText,
  type ComposeFile,
  type ComposeProject,
  type ComposeService,
  type Written,
} from './project';

/** Where a component's values are written, for ranges and edits (./edits.ts). */
export interface ServicePlaces {
  service: ComposeService;
  /** The service's mapping in the file that first defines it. */
  definition: { file: ComposeFile; path: YamlPath } | undefined;
  /** Its `x-archlint` map, when it has one reachable by a path (not only through a merge key). */
  x?: { file: ComposeFile; path: YamlPath };
  /** Where its instance count is written (`deploy.replicas` or `scale`). */
  replicas?: { file: ComposeFile; path: YamlPath };
  /** Its own `deploy` mapping (the last file's that writes one), where a `replicas` is added. */
  deploy?: { file: ComposeFile; path: YamlPath };
  /** Its own `healthcheck` mapping (the last written), where a test is set when it has none. */
  healthcheck?: { file: ComposeFile; path: YamlPath };
  /**
   * Keys the service has only through a mapping it shares (an anchor by a merge key or alias, an
   * `extends` base): an edit there changes every service that shares it, and a key of the
   * service's own would hide the rest of it (a merge key is shallow), so neither is made.
   */
  shared: Set<string>;
  /** Why two replicas could not run as written: a `container_name`, a fixed host port. */
  replicaObstacles: string[];
  /** The image, for a health-check command that fits it. */
  image?: string;
  /** The first port the service listens on, for an HTTP health check. */
  port?: number;
}

export interface ComposeModel {
  model: Architecture;
  /** Where each component's values came from, in words, by component id and key (`''` for the architecture's own keys). */
  origins: Map<string, Map<string, string>>;
  places: Map<string, ServicePlaces>;
  /** The top-level `x-archlint` that applies (the last file's), by path. */
  top?: { file: ComposeFile; path: YamlPath };
  /** What the project holds that could not be read: `x-archlint` values the format rejects, unknown `extends`. */
  findings: Finding[];
}

const LOOPBACK: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const ZONE_LABEL =
  /^node\.labels\.(?:zone|az|availability[-_]zone|topology\.kubernetes\.io\/zone|failure-domain\.beta\.kubernetes\.io\/zone)$/i;

/** Builds the model of a project. Never throws on what the files hold. */
export function composeModel(project: ComposeProject): ComposeModel {
  const findings: Finding[] = [...project.findings];
  const origins = new Map<string, Map<string, string>>();
  const places = new Map<string, ServicePlaces>();
  const originOf = (id: string) => {
    let m = origins.get(id);
    if (!m) origins.set(id, (m = new Map()));
    return m;
  };
  // Files named relative to the project's first file (an included `sub/compose.yaml` is not `compose.yaml`).
  const folder = dirName(project.main.file);
  const shown = (file: string) => (folder !== '' && file.startsWith(folder) ? file.slice(folder.length) : baseName(file));
  const where = (w: { file: ComposeFile; node: unknown }, what: string) =>
    `from ${shown(w.file.file)}:${w.file.lines.position(nodeRange(w.node, w.file.text.length)[0]).line + 1} ${what}`;
  const leftOut = (id: string) => project.inactive.has(id) && !project.services.has(id);

  // The names a service answers to: its own, container_name, hostname, network aliases, link aliases.
  const names = new Map<string, string>();
  for (const s of project.services.values()) names.set(s.name.toLowerCase(), s.name);
  for (const s of project.services.values()) {
    for (const key of ['container_name', 'hostname']) {
      const w = s.fields.get(key)?.at(-1);
      const text = w && scalarText(w.file.doc!, w.node);
      if (text && !names.has(text.toLowerCase())) names.set(text.toLowerCase(), s.name);
    }
    for (const w of s.fields.get('networks') ?? []) {
      const doc = w.file.doc!;
      for (const { value } of entriesOf(doc, w.node).values()) {
        const aliases = entriesOf(doc, value).get('aliases')?.value;
        const list = resolve(doc, aliases);
        if (!isSeq(list)) continue;
        for (const a of list.items) {
          const text = scalarText(doc, a as Node);
          if (text && !names.has(text.toLowerCase())) names.set(text.toLowerCase(), s.name);
        }
      }
    }
  }
  const serviceOf = (host: string): string | undefined => names.get(host.toLowerCase());

  // The architecture's own keys: the last file's top-level x-archlint.
  const topWritten = project.architecture.at(-1);
  let top: ComposeModel['top'];
  let header: ReturnType<typeof buildHeader> = { zones: new Map(), defaults: {}, rules: new Map() };
  if (topWritten?.file.doc) {
    const path = pathOfNode(topWritten.file.doc, topWritten.node);
    const value = toJs(topWritten.file.doc, topWritten.node);
    if (path && isObject(value)) {
      top = { file: topWritten.file, path };
      header = inFileHeader(buildHeader(topWritten.file.doc, value, path), topWritten.file.file);
      findings.push(...checkTop(topWritten.file, path, value));
      for (const key of Object.keys(value))
        originOf('').set(
          key,
          where({ file: topWritten.file, node: nodeAt(topWritten.file.doc, [...path, key]) }, `x-archlint.${key}`),
        );
    }
  }

  const components = new Map<string, Component>();
  const reached = new Set<string>();
  for (const s of project.services.values()) {
    const { component, place } = serviceComponent(s, header.zones, serviceOf, originOf(s.name), where, findings, leftOut);
    components.set(s.name, component);
    places.set(s.name, place);
    for (const d of component.dependsOn) for (const r of d.type === 'component' ? [d.target] : d.members) reached.add(r.id);
  }

  // Entry points: where ports are published. Only when nothing publishes does the format's default apply.
  const anyPublic = [...components.values()].some((c) => c.public && c.entry !== false);
  for (const c of components.values()) {
    if (c.entry === undefined && anyPublic) c.entry = c.public;
    // A replicated service that something reaches is balanced by the platform, unless x-archlint says otherwise.
    if (c.balancedBy === undefined && (c.replicas > 1 || c.replicasSource === 'per-node' || (c.autoscale?.max ?? 0) > 1)) {
      const by = c.public ? 'routing-mesh' : reached.has(c.id) ? 'docker-dns' : undefined;
      if (by) {
        c.balancedBy = by;
        const range = c.public ? (c.keys.public?.key ?? c.idRange) : (c.keys.replicas?.value ?? c.idRange);
        c.keys['balanced-by'] = { key: range, value: range };
        originOf(c.id).set(
          'balanced-by',
          by === 'routing-mesh'
            ? 'inferred: a replicated service with a published port; the routing mesh spreads requests over its replicas'
            : "inferred: other services reach it by name; Docker's DNS spreads them over its replicas",
        );
      }
    }
  }

  const main = project.main;
  const model: Architecture = {
    ...header,
    components,
    componentsKeyRange: servicesKeyRange(main),
    range: rangeIn(main, main.doc?.contents ?? null),
  };
  return { model, origins, places, top, findings };
}

/** One service as a component, and where its values are written. */
function serviceComponent(
  s: ComposeService,
  zones: ReadonlyMap<string, unknown>,
  serviceOf: (host: string) => string | undefined,
  origin: Map<string, string>,
  where: (w: { file: ComposeFile; node: unknown }, what: string) => string,
  findings: Finding[],
  leftOut: (id: string) => boolean,
): { component: Component; place: ServicePlaces } {
  const file = s.file;
  const doc = file.doc!;
  const definitionPath = pathOfNode(doc, s.valueNode);
  const place: ServicePlaces = {
    service: s,
    definition: definitionPath ? { file, path: definitionPath } : undefined,
    replicaObstacles: [],
    shared: new Set(),
  };
  const last = (key: string) => s.fields.get(key)?.at(-1);
  // The last mapping written for a key, when it is the service's own; else the key is shared.
  const ownMap = (key: string): { file: ComposeFile; path: YamlPath } | undefined => {
    const w = last(key);
    if (!w) return undefined;
    const path = ownPath(s, w);
    if (!path) place.shared.add(key);
    return path && isMap(w.node) ? { file: w.file, path } : undefined;
  };
  const idRange = rangeIn(file, s.keyNode);

  // What x-archlint states, as a component of the format (its ranges in its own file).
  const xWritten = last('x-archlint');
  let c: Component;
  const xValue = xWritten && toJs(xWritten.file.doc!, xWritten.node);
  const xPath = xWritten && pathOfNode(xWritten.file.doc!, xWritten.node);
  if (xWritten && isObject(xValue) && xPath) {
    place.x = { file: xWritten.file, path: xPath };
    if (!ownPath(s, xWritten)) place.shared.add('x-archlint');
    c = componentInFile(buildComponent(xWritten.file.doc!, s.name, xValue, xPath), xWritten.file.file);
    for (const key of Object.keys(c.keys))
      origin.set(key, where({ file: xWritten.file, node: nodeAt(xWritten.file.doc!, [...xPath, key]) }, `x-archlint.${key}`));
    findings.push(...checkComponent(xWritten.file, xPath, s.name, xValue));
  } else {
    if (xWritten) place.shared.add('x-archlint');
    c = componentInFile(buildComponent(doc, s.name, {}, ['\0']), file.file);
    c.keys = {};
  }
  c.id = s.name;
  c.idRange = idRange;
  c.range = rangeIn(file, s.valueNode);
  const stated = (key: string) => key in c.keys;
  const setKey = (key: string, w: { file: ComposeFile; node: unknown; key?: unknown }) => {
    const value = rangeIn(w.file, w.node);
    c.keys[key] = { key: w.key ? rangeIn(w.file, w.key) : value, value };
  };

  // kind, from the image.
  const imageW = last('image');
  const image = imageW && scalarText(imageW.file.doc!, imageW.node);
  place.image = image;
  if (!stated('kind') && image) {
    const found = kindOfImage(image);
    if (found) {
      c.kind = found.kind;
      setKey('kind', imageW!);
      origin.set('kind', `${where(imageW!, 'image')}: ${image} is a ${found.kind} (${found.match})`);
    }
  }

  // replicas: deploy.replicas, scale, or one per node.
  const deploy = subFields(s, 'deploy');
  const containerName = last('container_name');
  if (containerName)
    place.replicaObstacles.push(
      `container_name ${scalarText(containerName.file.doc!, containerName.node) ?? ''} must go: two replicas cannot share one container name`.replace(
        '  ',
        ' ',
      ),
    );
  place.deploy = ownMap('deploy');
  place.healthcheck = ownMap('healthcheck');
  if (!stated('replicas') && !stated('autoscale') && !stated('instances')) {
    const replicasW = deploy.get('replicas') ?? last('scale');
    const mode = deploy.get('mode');
    const global = mode && scalarText(mode.file.doc!, mode.node) === 'global';
    if (global) {
      c.replicas = 1;
      c.replicasSource = 'per-node';
      setKey('replicas', mode);
      origin.set('replicas', `${where(mode, 'deploy.mode: global')}: one per node, how many nodes is not written`);
    } else if (replicasW) {
      const n = Number(scalarText(replicasW.file.doc!, replicasW.node));
      if (Number.isInteger(n) && n >= 0) {
        c.replicas = Math.min(n, 10_000);
        c.replicasSource = 'replicas';
        setKey('replicas', replicasW);
        const path = ownPath(s, replicasW);
        if (path) place.replicas = { file: replicasW.file, path };
        origin.set(
          'replicas',
          where(
            replicasW,
            replicasW.key && isScalar(replicasW.key) && replicasW.key.value === 'scale' ? 'scale' : 'deploy.replicas',
          ),
        );
      }
    }
  }

  // entry and public: published ports.
  const ports = portsOf(s);
  place.port = ports.find((p) => p.target !== undefined)?.target ?? exposedPort(s);
  const published = ports.filter((p) => p.published && !LOOPBACK.has(p.hostIp ?? ''));
  for (const p of ports)
    if (p.fixedHostPort)
      place.replicaObstacles.push(
        `the fixed host port ${p.fixedHostPort} must become a range or go: two replicas cannot publish one host port`,
      );
  if (published.length > 0 && !stated('public')) {
    c.public = true;
    const portsW = last('ports')!;
    setKey('public', portsW);
    origin.set('public', where(published[0]!.written, `ports ${published[0]!.text}: published`));
  }
  if (published.length > 0 && !stated('entry')) {
    c.entry = true;
    setKey('entry', last('ports')!);
    origin.set('entry', where(published[0]!.written, `ports ${published[0]!.text}: requests arrive here`));
  }

  // health-check: a healthcheck with a test that is not disabled.
  if (!stated('health-check')) {
    const health = subFields(s, 'healthcheck');
    const test = health.get('test');
    const disabled = health.get('disable');
    const off = disabled && scalarText(disabled.file.doc!, disabled.node) === 'true';
    const testDoc = test?.file.doc;
    const testNode = test && resolve(testDoc!, test.node);
    const none = isSeq(testNode) && testNode.items.length > 0 && scalarText(testDoc!, testNode.items[0] as Node) === 'NONE';
    if (test && !off && !none) {
      const interval = health.get('interval');
      c.healthCheck = { interval: interval ? parseDuration(scalarText(interval.file.doc!, interval.node)) : undefined };
      const hw = last('healthcheck')!;
      setKey('health-check', hw);
      origin.set('health-check', where(hw, 'healthcheck'));
    }
  }

  // depends-on: what Compose and the values name (replaced as a whole by an x-archlint depends-on).
  if (!stated('depends-on')) {
    c.dependsOn = dependenciesOf(s, serviceOf, origin, where, leftOut);
    const first = c.dependsOn[0];
    if (first) c.keys['depends-on'] = { key: first.range, value: first.range };
  }

  // state: a read-write volume of a service that runs more than one replica.
  if (!stated('state') && (c.replicas > 1 || (c.autoscale?.max ?? 0) > 1)) {
    const volume = volumesOf(s).find((v) => !v.readOnly && (v.type === 'volume' || v.type === 'bind'));
    if (volume) {
      c.state = 'local-disk';
      setKey('state', volume.written);
      origin.set(
        'state',
        `${where(volume.written, `volumes ${volume.text}`)}: a read-write ${volume.type === 'bind' ? 'bind mount' : 'volume'} on each replica`,
      );
    }
  }

  // zones: placement on a zone label.
  if (!stated('zones')) {
    const placement = deploy.get('placement');
    const zoneRefs = placement ? zonesOfPlacement(placement, zones) : undefined;
    if (zoneRefs && zoneRefs.length > 0) {
      c.zones = zoneRefs;
      // The value is the constraints or the preference that place it, the most specific lines a finding can point at.
      const first = zoneRefs[0]!.range;
      const end = Math.max(...zoneRefs.map((z) => z.range[1]));
      c.keys.zones = { key: rangeIn(placement!.file, placement!.key), value: [first[0], end, first[2]] };
      origin.set('zones', where(placement!, 'deploy.placement'));
    }
  }

  // How to state in a compose file what it cannot say, and what Compose does without a healthcheck.
  c.notes = {
    tls: "Compose does not say where TLS ends: state it in the service's x-archlint, e.g. tls: terminate",
    'rate-limit': "Compose does not say: state it in the service's x-archlint",
    'health-check': 'a compose healthcheck is how Docker tells that a replica is failing',
  };
  return { component: c, place };
}

/**
 * The path of a value written under the service's own key (`services.<name>.…`) of its file,
 * not reached through an alias, a merge key or an `extends` base; undefined otherwise.
 */
function ownPath(s: ComposeService, w: Written): YamlPath | undefined {
  if (isAlias(w.node)) return undefined;
  const path = pathOfNode(w.file.doc!, w.node);
  return path && path[0] === 'services' && path[1] === s.name ? path : undefined;
}

/** Each sub-key of a mapping field merged over its values (`deploy`, `healthcheck`): the last value of each sub-key wins. */
function subFields(s: ComposeService, key: string): Map<string, Written> {
  const out = new Map<string, Written>();
  for (const w of s.fields.get(key) ?? []) {
    for (const [name, { key: k, value }] of entriesOf(w.file.doc!, w.node))
      if (value) out.set(name, { file: w.file, node: value, key: k });
  }
  return out;
}

interface Port {
  written: Written;
  text: string;
  published: boolean;
  hostIp?: string;
  target?: number;
  /** A single host port (two replicas cannot both publish it). */
  fixedHostPort?: string;
}

/**
 * The items of a list-valued key (`ports`, `volumes`, `links`) from every value written for it,
 * in merge order, each with the file it is written in.
 */
function* listItems(s: ComposeService, key: string): Generator<Written> {
  for (const w of s.fields.get(key) ?? []) {
    const list = resolve(w.file.doc!, w.node);
    if (isSeq(list)) for (const item of list.items) yield { file: w.file, node: item as Node };
  }
}

/** The ports of a service, short and long syntax, from every file (Compose adds them up). */
function portsOf(s: ComposeService): Port[] {
  const out: Port[] = [];
  for (const written of listItems(s, 'ports')) {
    const doc = written.file.doc!;
    const node = resolve(doc, written.node);
    if (isMap(node)) {
      const e = entriesOf(doc, node);
      const get = (k: string) => scalarText(doc, e.get(k)?.value ?? null);
      const publishedText = get('published');
      const target = Number(get('target'));
      const hostIp = get('host_ip');
      out.push({
        written,
        text: `${publishedText ?? ''}${publishedText ? ':' : ''}${get('target') ?? ''}`,
        published: true,
        hostIp,
        target: Number.isInteger(target) ? target : undefined,
        fixedHostPort: publishedText && /^\d+$/.test(publishedText) ? publishedText : undefined,
      });
      continue;
    }
    const text = scalarText(doc, node as Node);
    if (text === undefined) continue;
    const spec = parseShortPort(text);
    out.push({ written, text, ...spec });
  }
  return out;
}

/** `80`, `8080:80`, `127.0.0.1:8080:80`, `[::1]:8080:80/tcp`, `8000-8010:8000-8010`. */
function parseShortPort(text: string): Omit<Port, 'written' | 'text'> {
  const withoutProtocol = text.replace(/\/\w+$/, '');
  const m = /^(?:(\[[^\]]*\]|[^:]*):)??(?:([^:]*):)?([^:]+)$/.exec(withoutProtocol);
  if (!m) return { published: true };
  const [, hostIp, hostPort, containerPort] = m;
  const target = Number(containerPort);
  return {
    // A container port alone is published too, on a host port Docker picks.
    published: true,
    hostIp: hostIp || undefined,
    target: Number.isInteger(target) ? target : undefined,
    fixedHostPort: hostPort && /^\d+$/.test(hostPort) ? hostPort : undefined,
  };
}

function exposedPort(s: ComposeService): number | undefined {
  const w = s.fields.get('expose')?.at(-1);
  const list = w && resolve(w.file.doc!, w.node);
  if (!w || !isSeq(list)) return undefined;
  const first = list.items[0] ? scalarText(w.file.doc!, list.items[0] as Node) : undefined;
  const n = Number(first?.replace(/\/\w+$/, '').split('-')[0]);
  return Number.isInteger(n) ? n : undefined;
}

interface Volume {
  written: Written;
  text: string;
  type: 'volume' | 'bind' | 'tmpfs' | 'anonymous' | 'other';
  readOnly: boolean;
}

/** The volumes of a service (merged by target across files: the last mount of a path wins). */
function volumesOf(s: ComposeService): Volume[] {
  const byTarget = new Map<string, Volume>();
  for (const written of listItems(s, 'volumes')) {
    const doc = written.file.doc!;
    const node = resolve(doc, written.node);
    if (isMap(node)) {
      const e = entriesOf(doc, node);
      const get = (k: string) => scalarText(doc, e.get(k)?.value ?? null);
      const type = get('type');
      const target = get('target') ?? '';
      byTarget.set(target, {
        written,
        text: `${get('source') ?? ''}:${target}`,
        type: type === 'volume' || type === 'bind' || type === 'tmpfs' ? type : 'other',
        readOnly: get('read_only') === 'true',
      });
      continue;
    }
    const text = scalarText(doc, node as Node);
    if (text === undefined) continue;
    const parts = text.split(':');
    if (parts.length === 1) {
      byTarget.set(text, { written, text, type: 'anonymous', readOnly: false });
      continue;
    }
    const [source = '', target = '', mode = ''] = parts;
    const bind = /^[./~]/.test(source) || source.startsWith('$');
    byTarget.set(target, { written, text, type: bind ? 'bind' : 'volume', readOnly: mode.split(',').includes('ro') });
  }
  return [...byTarget.values()];
}

/** `deploy.placement`: a constraint `node.labels.zone == eu-1` pins to that zone; a preference to spread over it spreads over the architecture's zones. */
function zonesOfPlacement(w: Written, zones: ReadonlyMap<string, unknown>): Reference[] {
  const doc = w.file.doc!;
  const e = entriesOf(doc, w.node);
  const out: Reference[] = [];
  const constraints = resolve(doc, e.get('constraints')?.value ?? null);
  if (isSeq(constraints)) {
    for (const item of constraints.items) {
      const text = scalarText(doc, item as Node);
      const m = text && /^\s*([\w./-]+)\s*==\s*([\w.-]+)\s*$/.exec(text);
      if (m && ZONE_LABEL.test(m[1]!)) out.push({ id: m[2]!, range: rangeIn(w.file, item) });
    }
  }
  if (out.length > 0) return out;
  const preferences = resolve(doc, e.get('preferences')?.value ?? null);
  if (isSeq(preferences)) {
    for (const item of preferences.items) {
      const spread = scalarText(doc, entriesOf(doc, item).get('spread')?.value ?? null);
      if (spread && ZONE_LABEL.test(spread)) return [...zones.keys()].map((id) => ({ id, range: rangeIn(w.file, item) }));
    }
  }
  return out;
}

/**
 * The dependencies a service states or names: `depends_on` (list or map; `required: false` is
 * optional), `links`, `network_mode: service:x`, then the hosts in `environment` values and
 * `command` / `entrypoint` words. One per target, the first that names it; never itself.
 */
function dependenciesOf(
  s: ComposeService,
  serviceOf: (host: string) => string | undefined,
  origin: Map<string, string>,
  where: (w: { file: ComposeFile; node: unknown }, what: string) => string,
  leftOut: (id: string) => boolean,
): Dependency[] {
  const out = new Map<string, Dependency>();
  const add = (id: string, range: Offsets, targetRange: Offsets, optional: boolean, why: string) => {
    // A service its profiles leave out is not started: no edge to it (and no unknown reference).
    if (id === s.name || out.has(id) || leftOut(id)) return;
    out.set(id, { type: 'component', target: { id, range: targetRange }, optional, range });
    origin.set(`depends-on ${id}`, why);
  };

  for (const w of s.fields.get('depends_on') ?? []) {
    const doc = w.file.doc!;
    const node = resolve(doc, w.node);
    if (isSeq(node)) {
      for (const item of node.items) {
        const name = scalarText(doc, item as Node);
        if (name)
          add(name, rangeIn(w.file, item), rangeIn(w.file, item), false, where({ file: w.file, node: item }, 'depends_on'));
      }
    } else if (isMap(node)) {
      for (const [name, { key, value }] of entriesOf(doc, node)) {
        const required = scalarText(doc, entriesOf(doc, value).get('required')?.value ?? null);
        const range: Offsets = [
          rangeIn(w.file, key)[0],
          Math.max(rangeIn(w.file, key)[1], value ? rangeIn(w.file, value)[1] : 0),
          w.file.file,
        ];
        add(
          name,
          range,
          rangeIn(w.file, key),
          required === 'false',
          where({ file: w.file, node: key }, required === 'false' ? 'depends_on, required: false' : 'depends_on'),
        );
      }
    }
  }
  for (const item of listItems(s, 'links')) {
    const name = scalarText(item.file.doc!, item.node)?.split(':')[0];
    if (name)
      add(serviceOf(name) ?? name, rangeIn(item.file, item.node), rangeIn(item.file, item.node), false, where(item, 'links'));
  }
  const network = s.fields.get('network_mode')?.at(-1);
  const mode = network && scalarText(network.file.doc!, network.node);
  if (network && mode?.startsWith('service:')) {
    const name = mode.slice('service:'.length);
    add(
      name,
      rangeIn(network.file, network.node),
      rangeIn(network.file, network.node),
      false,
      where(network, `network_mode: ${mode}: it shares ${name}'s network`),
    );
  }

  const isHost = (host: string) => serviceOf(host) !== undefined;
  for (const entry of environmentOf(s)) {
    for (const mention of hostsInValue(entry.value, { key: entry.key, isHost })) {
      const id = serviceOf(mention.name)!;
      add(id, entry.range, entry.range, false, `inferred: ${entry.key}=${redacted(entry.key, entry.value)}`);
    }
  }
  for (const key of ['entrypoint', 'command']) {
    const w = s.fields.get(key)?.at(-1);
    if (!w) continue;
    const doc = w.file.doc!;
    const node = resolve(doc, w.node);
    const items: Node[] = isSeq(node) ? (node.items as Node[]) : [w.node];
    const words = items.map((i) => scalarText(doc, i) ?? '');
    for (const { word, mention } of hostsInCommand(words, isHost)) {
      const range = rangeIn(w.file, items[word]);
      add(serviceOf(mention.name)!, range, range, false, `inferred: ${key} names ${mention.name}`);
    }
  }
  return [...out.values()];
}

/** Words that mark a variable as a secret: its value is never repeated (in `archlint model`'s comments). */
const SECRET_KEY = /pass|secret|token|key|credential/i;

/** A value as it may be shown: a URL's password as `***`, a secret variable's whole value too. */
function redacted(key: string, value: string): string {
  if (SECRET_KEY.test(key) && !/_(?:URL|URI|DSN|HOST|ADDR|ADDRESS|ENDPOINT)$/i.test(key)) return '***';
  return value.replace(/(\/\/[^/@:\s]*:)[^@/\s]*@/g, '$1***@');
}

/** The environment of a service, merged by variable across files and `extends` (the last value wins), with each entry's range. */
function environmentOf(s: ComposeService): { key: string; value: string; range: Offsets }[] {
  const byKey = new Map<string, { key: string; value: string; range: Offsets }>();
  for (const w of s.fields.get('environment') ?? []) {
    const doc = w.file.doc!;
    const node = resolve(doc, w.node);
    if (isSeq(node)) {
      for (const item of node.items) {
        const text = scalarText(doc, item as Node);
        if (text === undefined) continue;
        const eq = text.indexOf('=');
        if (eq <= 0) continue; // `KEY` alone takes the shell's value: not written here
        byKey.set(text.slice(0, eq), { key: text.slice(0, eq), value: text.slice(eq + 1), range: rangeIn(w.file, item) });
      }
    } else if (isMap(node)) {
      for (const [key, { key: k, value }] of entriesOf(doc, node)) {
        const text = scalarText(doc, value);
        if (text === undefined) continue;
        const start = rangeIn(w.file, k);
        const end = value ? rangeIn(w.file, value)[1] : start[1];
        byKey.set(key, { key, value: text, range: [start[0], Math.max(start[1], end), w.file.file] });
      }
    }
  }
  return [...byKey.values()];
}

/** The `services:` key of a file (findings about the project as a whole point there). */
function servicesKeyRange(file: ComposeFile): Offsets | undefined {
  const doc = file.doc;
  if (!doc || !isMap(doc.contents)) return undefined;
  const services = entriesOf(doc, doc.contents).get('services');
  return services ? rangeIn(file, services.key) : undefined;
}

/** The path from the root to `target` in `doc` (following mapping keys and list indexes, not aliases); undefined when it is reached only through an alias or a merge key. */
export function pathOfNode(doc: Document, target: unknown): YamlPath | undefined {
  const parents = nodeParents(doc);
  if (target !== doc.contents && !parents.has(target)) return undefined;
  const path: (string | number)[] = [];
  for (let at = parents.get(target); at; at = parents.get(at.parent)) path.push(at.key);
  return path.reverse();
}

/**
 * Each node's parent and its key or index there, found in one walk and kept on the document
 * (see project.ts's alias targets): a path is read back from it, with no array made per node.
 */
const NODE_PARENTS = Symbol('archlint.nodeParents');

interface ParentLink {
  parent: unknown;
  key: string | number;
}

function nodeParents(doc: Document): Map<unknown, ParentLink> {
  const memo = doc as Document & { [NODE_PARENTS]?: Map<unknown, ParentLink> };
  let parents = memo[NODE_PARENTS];
  if (parents) return parents;
  const links = new Map<unknown, ParentLink>();
  const walk = (node: unknown, depth: number): void => {
    if (depth > 64) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const value = pair.value;
        if (key === undefined || key === '<<' || value === null || value === undefined || links.has(value)) continue;
        links.set(value, { parent: node, key });
        walk(value, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (item === null || item === undefined || links.has(item)) return;
        links.set(item, { parent: node, key: i });
        walk(item, depth + 1);
      });
    }
  };
  walk(doc.contents, 0);
  parents = links;
  Object.defineProperty(doc, NODE_PARENTS, { value: parents, enumerable: false, configurable: true });
  return parents;
}

/** The plain value of a node, with merge keys applied; undefined when it cannot be read. */
function toJs(doc: Document, node: unknown): unknown {
  try {
    const n = resolve(doc, node) as { toJS?: (doc: Document, opts: object) => unknown } | null;
    const value = n?.toJS?.(doc, { maxAliasCount: 200 });
    return value;
  } catch {
    return undefined;
  }
}

/** The header with every range naming its file. */
function inFileHeader(h: ReturnType<typeof buildHeader>, file: string): ReturnType<typeof buildHeader> {
  const f = (r: Offsets): Offsets => [r[0], r[1], file];
  return {
    ...h,
    zones: new Map([...h.zones].map(([id, z]) => [id, { ...z, range: f(z.range) }])),
    zonesRange: h.zonesRange && f(h.zonesRange),
    rules: new Map([...h.rules].map(([id, r]) => [id, { ...r, range: f(r.range), idRange: f(r.idRange) }])),
  };
}

/** An `x-archlint` map on a service, checked as a component of the format, at its own keys. */
function checkComponent(file: ComposeFile, path: YamlPath, id: string, value: Record<string, unknown>): Finding[] {
  const doc = file.doc!;
  // The format requires a component's kind; a service's x-archlint need not state it (the image says it, or it is a service).
  const component = 'kind' in value ? value : { kind: 'service', ...value };
  return validateArchitecture(doc, { archlint: 1, components: { [id]: component } }, (p, part) => {
    const [start, end] = rangeAt(doc, p[0] === 'components' ? [...path, ...p.slice(2)] : path, part);
    return [start, end, file.file];
  }).map((f) => ({ ...f, message: `x-archlint: ${f.message}` }));
}

/** The top-level `x-archlint`, checked as the format's own top-level keys (no components). */
function checkTop(file: ComposeFile, path: YamlPath, value: Record<string, unknown>): Finding[] {
  const doc = file.doc!;
  const { components: _, archlint: __, ...rest } = value;
  return validateArchitecture(doc, { archlint: 1, ...rest, components: {} }, (p, part) => {
    const [start, end] = rangeAt(doc, [...path, ...p], part);
    return [start, end, file.file];
  }).map((f) => ({ ...f, message: `x-archlint: ${f.message}` }));
}
