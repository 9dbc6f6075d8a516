import { isMap, isScalar, type Document } from 'yaml';
import { cursorAt, nodeAt, nodeRange, pairOf, rangeAt, rangeFrom, type YamlPath } from '../parse/parse';
import type { Offsets } from '../types';
import {
  ACCESS,
  BACKOFFS,
  BALANCING,
  DEPLOY_STRATEGIES,
  KINDS,
  LIFECYCLES,
  PLATFORM_BALANCERS,
  REPLICATION,
  SEVERITY_SETTINGS,
  STATES,
  TLS_MODES,
  type Architecture,
  type Component,
  type Dependency,
  type Instance,
  type KeyRanges,
  type Reference,
  type RuleSetting,
  type Zone,
} from './model';
import { parseDuration, parsePercent, parseRate } from './units';

/** A YAML mapping read as plain data. */
export type Json = Record<string, unknown>;

/** Whether a plain value is a mapping (not null, not a list). */
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined =>
  typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
/** The schema's bound on instances and shards; a larger value (reported by the schema) counts as this many. */
export const MAX_INSTANCES = 10_000;
const instanceCount = (v: unknown): number | undefined => {
  const n = count(v);
  return n === undefined ? undefined : Math.min(n, MAX_INSTANCES);
};
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * A model to reuse: `previous` was built from the text before an edit that changed only the
 * component `changed`, and moved everything from `movedFrom` on by `delta` characters.
 */
export interface ModelReuse {
  previous: Architecture;
  changed: string;
  delta: number;
  /** Components of the previous model from this offset on come after the edit: they move. */
  movedFrom: number;
}

/**
 * Builds the typed model from the parsed value, taking every range from the YAML document.
 * Tolerant by design: the schema reports what is wrong; here a wrong value is simply absent,
 * so the rules still run on everything that is right.
 */
export function buildArchitecture(doc: Document, value: unknown, reuse?: ModelReuse): Architecture {
  const root = isObject(value) ? value : {};
  const at = (path: YamlPath, part: 'key' | 'value' = 'value'): Offsets => rangeAt(doc, path, part);

  const components = new Map<string, Component>();
  if (isObject(root.components)) {
    // After an edit inside one component, the others are the previous model's, moved when they
    // come after it (by where they were: the value's key order is not the file's for ids like "7").
    for (const [id, c] of Object.entries(root.components)) {
      const known = reuse && id !== reuse.changed ? reuse.previous.components.get(id) : undefined;
      if (known) {
        const after = known.idRange[0] >= reuse!.movedFrom;
        components.set(id, after && reuse!.delta !== 0 ? movedComponent(known, reuse!.delta) : known);
      } else components.set(id, buildComponent(doc, id, isObject(c) ? c : {}));
    }
  }

  return {
    version: typeof root.archlint === 'number' ? root.archlint : undefined,
    ...buildHeader(doc, root, []),
    components,
    componentsKeyRange: pairOf(doc, doc.contents, 'components') ? at(['components'], 'key') : undefined,
    range: nodeRange(doc.contents),
  };
}

/** What an architecture states above its components, read from the mapping at `prefix` (the root, or a compose file's top-level `x-archlint`). */
export type ArchitectureHeader = Pick<Architecture, 'name' | 'slo' | 'zones' | 'zonesRange' | 'defaults' | 'rules'>;

/** Reads {@link ArchitectureHeader} from `root`, the value at `prefix` in `doc`. */
export function buildHeader(doc: Document, root: Json, prefix: YamlPath): ArchitectureHeader {
  const at = (path: YamlPath, part: 'key' | 'value' = 'value'): Offsets => rangeAt(doc, [...prefix, ...path], part);

  const zones = new Map<string, Zone>();
  if (isObject(root.zones)) {
    for (const [id, z] of Object.entries(root.zones)) {
      zones.set(id, {
        id,
        range: at(['zones', id], 'key'),
        availability: isObject(z) ? parsePercent(z.availability) : undefined,
      });
    }
  }

  const rules = new Map<string, RuleSetting>();
  if (isObject(root.rules)) {
    for (const [id, s] of Object.entries(root.rules)) {
      // `id: severity`, or `id: [severity, { options }]` (the schema reports any other shape).
      const severity = oneOf(SEVERITY_SETTINGS, Array.isArray(s) ? s[0] : s);
      if (!severity) continue;
      const setting: RuleSetting = { severity, range: at(['rules', id]), idRange: at(['rules', id], 'key') };
      if (Array.isArray(s) && s.length > 1) {
        setting.options = s[1];
        setting.optionsRange = at(['rules', id, 1]);
        if (isObject(s[1])) {
          setting.optionRanges = Object.fromEntries(
            Object.keys(s[1]).map((key) => [key, { key: at(['rules', id, 1, key], 'key'), value: at(['rules', id, 1, key]) }]),
          );
        }
      }
      rules.set(id, setting);
    }
  }

  const defaults = isObject(root.defaults) ? root.defaults : {};
  return {
    name: str(root.name),
    slo: parsePercent(root.slo),
    zones,
    zonesRange: pairOf(doc, prefix.length === 0 ? doc.contents : nodeAt(doc, prefix), 'zones') ? at(['zones'], 'key') : undefined,
    defaults: {
      availability: parsePercent(defaults.availability),
      zoneAvailability: parsePercent(defaults['zone-availability']),
    },
    rules,
  };
}

function keyRangesOf(doc: Document, path: YamlPath): Record<string, KeyRanges> {
  const out: Record<string, KeyRanges> = {};
  const node = nodeAt(doc, path);
  if (!isMap(node)) return out;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined || key in out) continue;
    const keyRange = nodeRange(pair.key);
    // An empty value (`key:` with nothing) points at its key: judged on the node's own range, since
    // widened to one character it would lie past the end of a text that ends right there.
    const raw = (pair.value as { range?: [number, number] } | null)?.range;
    out[key] = { key: keyRange, value: raw && raw[1] > raw[0] ? nodeRange(pair.value) : keyRange };
  }
  return out;
}

/**
 * One component, from its value `c` at `base` in `doc` (a component of the format, or a compose
 * service's `x-archlint` map, which has the same keys).
 */
export function buildComponent(doc: Document, id: string, c: Json, base: YamlPath = ['components', id]): Component {
  // Walk to the component once; every key below it is looked up from there.
  const cursor = cursorAt(doc, base);
  const at = (path: YamlPath, part: 'key' | 'value' = 'value'): Offsets =>
    path.length === 0 ? rangeAt(doc, base, part) : rangeFrom(doc, cursor, path, part);
  const ref = (v: unknown, path: YamlPath): Reference | undefined =>
    typeof v === 'string' ? { id: v, range: at(path) } : undefined;
  const refs = (v: unknown, key: string): Reference[] => {
    if (typeof v === 'string') return [{ id: v, range: at([key]) }];
    if (!Array.isArray(v)) return [];
    return v.flatMap((item, i) => ref(item, [key, i]) ?? []);
  };

  const autoscale = isObject(c.autoscale)
    ? (() => {
        const min = instanceCount(c.autoscale.min) ?? 1;
        return { min, max: instanceCount(c.autoscale.max) ?? min };
      })()
    : undefined;
  const instances: Instance[] = Array.isArray(c.instances)
    ? c.instances.flatMap((inst, i) => {
        if (!isObject(inst)) return [];
        const { name, lifecycle, ...properties } = inst;
        return [
          { name: str(name), lifecycle: oneOf(LIFECYCLES, lifecycle) ?? 'cattle', properties, range: at(['instances', i]) },
        ];
      })
    : [];
  const explicitReplicas = instanceCount(c.replicas);
  const [replicas, replicasSource]: [number, Component['replicasSource']] =
    explicitReplicas !== undefined
      ? [explicitReplicas, 'replicas']
      : c.replicas === 'per-node'
        ? [1, 'per-node']
        : autoscale
          ? // A pool that scales to zero runs one instance whenever it serves at all.
            [Math.max(1, autoscale.min), 'autoscale']
          : instances.length > 0
            ? [instances.length, 'instances']
            : [1, 'default'];

  const dependsOn: Dependency[] = Array.isArray(c['depends-on'])
    ? c['depends-on'].flatMap((d, i): Dependency[] => {
        const path: YamlPath = ['depends-on', i];
        if (typeof d === 'string')
          return [{ type: 'component', target: { id: d, range: at(path) }, optional: false, range: at(path) }];
        if (!isObject(d)) return [];
        const optional = d.optional === true;
        const access = oneOf(ACCESS, d.access);
        if (typeof d.component === 'string') {
          const target = { id: d.component, range: at([...path, 'component']) };
          return [{ type: 'component', target, optional, ...(access && { access }), range: at(path) }];
        }
        if (Array.isArray(d['any-of'])) {
          const members = d['any-of'].flatMap((m, j) => ref(m, [...path, 'any-of', j]) ?? []);
          return [{ type: 'any-of', members, optional, ...(access && { access }), range: at(path) }];
        }
        return [];
      })
    : [];

  const balancedBy = oneOf(PLATFORM_BALANCERS, c['balanced-by']);
  const platformBalanced = balancedBy !== undefined && c.kind !== 'load-balancer';
  const health = isObject(c['health-check']) ? c['health-check'] : undefined;
  const retry = isObject(c.retry) ? c.retry : undefined;
  const failover = isObject(c.failover) ? c.failover : undefined;
  const sharding = isObject(c.sharding) ? c.sharding : undefined;
  const rateLimit = isObject(c['rate-limit']) ? c['rate-limit'] : undefined;
  const deploy = isObject(c.deploy) ? c.deploy : undefined;

  return {
    id,
    idRange: at([], 'key'),
    range: rangeAt(doc, base),
    keys: keyRangesOf(doc, base),
    kind: oneOf(KINDS, c.kind) ?? 'service',
    entry: bool(c.entry),
    public: c.public === true,
    load: parseRate(c.load),
    replicas,
    replicasSource,
    autoscale,
    // Beside `balanced-by`, a pool's `balancing` is how the platform picks (a sticky Service); else a balancer's own.
    balancing: platformBalanced ? undefined : oneOf(BALANCING, c.balancing),
    balancedBy,
    ...(platformBalanced && c.balancing !== undefined && { platformBalancing: oneOf(BALANCING, c.balancing) }),
    routesTo: refs(c['routes-to'], 'routes-to'),
    tls: oneOf(TLS_MODES, c.tls),
    rateLimit: rateLimit
      ? { anonymous: parseRate(rateLimit.anonymous), authenticated: parseRate(rateLimit.authenticated) }
      : undefined,
    zones: refs(c.zones, 'zones'),
    state: oneOf(STATES, c.state) ?? 'stateless',
    sessionStore: ref(c['session-store'], ['session-store']),
    healthCheck: health ? { path: str(health.path), interval: parseDuration(health.interval) } : undefined,
    capacity: parseRate(c.capacity),
    dependsOn,
    retry: retry
      ? { attempts: count(retry.attempts), backoff: oneOf(BACKOFFS, retry.backoff), jitter: bool(retry.jitter) }
      : undefined,
    replication: oneOf(REPLICATION, c.replication),
    failover: failover
      ? {
          mode: oneOf(['manual', 'automatic'] as const, failover.mode),
          standby: oneOf(['hot', 'cold'] as const, failover.standby),
          takeover: parseDuration(failover.takeover),
        }
      : undefined,
    mtbf: parseDuration(c.mtbf),
    maxConnections: count(c['max-connections']),
    connectionPool: count(c['connection-pool']),
    sharding:
      sharding && instanceCount(sharding.shards) !== undefined
        ? { key: str(sharding.key), shards: instanceCount(sharding.shards)! }
        : undefined,
    owner: ref(c.owner, ['owner']),
    deploy: deploy
      ? { strategy: oneOf(DEPLOY_STRATEGIES, deploy.strategy), maxUnavailable: count(deploy['max-unavailable']) }
      : undefined,
    lifecycle: oneOf(LIFECYCLES, c.lifecycle) ?? 'cattle',
    instances,
    availability: parsePercent(c.availability),
    slo: parsePercent(c.slo),
  };
}

/**
 * Each component's origin: the component first built from the text it means, of which a model
 * made with `reuse` keeps the same object or a moved copy (a copy differs only in its ranges), so
 * what is computed from a component's meaning can be kept by its origin. `previous` gives the
 * origins of the reused model's components; a component built anew is its own origin.
 */
export function originsOf(
  model: Architecture,
  reuse: ModelReuse | undefined,
  previous: ReadonlyMap<Component, Component> | undefined,
): Map<Component, Component> {
  const origins = new Map<Component, Component>();
  for (const c of model.components.values()) {
    const kept = reuse && c.id !== reuse.changed ? reuse.previous.components.get(c.id) : undefined;
    origins.set(c, kept ? (previous?.get(kept) ?? kept) : c);
  }
  return origins;
}

/** A copy of `c` with every range in it moved by `by` characters (the same keys, in the same order). */
function movedComponent(c: Component, by: number): Component {
  return mappedRanges(c, (r) => (r[2] === undefined ? [r[0] + by, r[1] + by] : [r[0] + by, r[1] + by, r[2]]));
}

/** A copy of `c` whose every range names `file` (a component read from one file of several). */
export function componentInFile(c: Component, file: string): Component {
  return mappedRanges(c, (r) => [r[0], r[1], file]);
}

function mappedRanges(c: Component, move: (r: Offsets) => Offsets): Component {
  const ref = (r: Reference): Reference => ({ id: r.id, range: move(r.range) });
  const keys: Record<string, KeyRanges> = {};
  for (const k in c.keys) keys[k] = { key: move(c.keys[k]!.key), value: move(c.keys[k]!.value) };
  return {
    ...c,
    idRange: move(c.idRange),
    range: move(c.range),
    keys,
    routesTo: c.routesTo.map(ref),
    zones: c.zones.map(ref),
    sessionStore: c.sessionStore && ref(c.sessionStore),
    owner: c.owner && ref(c.owner),
    dependsOn: c.dependsOn.map((d) =>
      d.type === 'component'
        ? { ...d, target: ref(d.target), range: move(d.range) }
        : { ...d, members: d.members.map(ref), range: move(d.range) },
    ),
    instances: c.instances.map((i) => ({ ...i, range: move(i.range) })),
  };
}
