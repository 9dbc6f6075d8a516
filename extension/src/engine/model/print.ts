/**
 * The model as an `*.arch.yaml`: what `archlint model` prints for a source (a Compose project),
 * each value with a comment saying where it came from. Linting the text gives the same findings
 * (rule and component) as linting the source, so it is also how a team moves to a hand-kept file.
 */
import { Document, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Architecture, Component, Dependency } from './model';

/** Where values came from, in words, by component id and key (`''`: the architecture's own keys). */
export type Origins = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** Requests per second as the format writes a rate: `1` → `1/s`, `1/60` → `1/min`. */
function rate(perSecond: number): string | number {
  for (const [unit, factor] of [
    ['s', 1],
    ['min', 60],
    ['h', 3600],
  ] as const) {
    const n = Number((perSecond * factor).toPrecision(12));
    if (Number.isInteger(n)) return `${n}/${unit}`;
  }
  return perSecond;
}

/** Seconds as the format writes a duration: `10` → `10s`, `0.25` → `250ms`. */
function duration(seconds: number): string | number {
  if (Number.isInteger(seconds)) return seconds % 3600 === 0 && seconds > 0 ? `${seconds / 3600}h` : `${seconds}s`;
  const ms = Number((seconds * 1000).toPrecision(12));
  return Number.isInteger(ms) ? `${ms}ms` : seconds;
}

/** A fraction as the format writes a percentage: `0.999` → `99.9%`. */
function percent(p: number): string {
  return `${Number((p * 100).toPrecision(12))}%`;
}

/** The plain object of a component: every key the model holds, in the format's words. */
export function componentObject(c: Component): Record<string, unknown> {
  const o: Record<string, unknown> = { kind: c.kind };
  if (c.entry !== undefined) o.entry = c.entry;
  if (c.public) o.public = true;
  if (c.load !== undefined) o.load = rate(c.load);
  if (c.replicasSource === 'per-node') o.replicas = 'per-node';
  else if (c.replicasSource === 'replicas' || (c.replicasSource === 'default' && c.replicas !== 1)) o.replicas = c.replicas;
  if (c.autoscale) o.autoscale = { min: c.autoscale.min, max: c.autoscale.max };
  if (c.balancing) o.balancing = c.balancing;
  if (c.balancedBy) o['balanced-by'] = c.balancedBy;
  if (c.balancedBy && c.platformBalancing && !c.balancing) o.balancing = c.platformBalancing;
  if (c.routesTo.length > 0) o['routes-to'] = c.routesTo.map((r) => r.id);
  if (c.tls) o.tls = c.tls;
  if (c.rateLimit && (c.rateLimit.anonymous !== undefined || c.rateLimit.authenticated !== undefined)) {
    o['rate-limit'] = {
      ...(c.rateLimit.anonymous !== undefined && { anonymous: rate(c.rateLimit.anonymous) }),
      ...(c.rateLimit.authenticated !== undefined && { authenticated: rate(c.rateLimit.authenticated) }),
    };
  }
  if (c.zones.length > 0) o.zones = c.zones.map((z) => z.id);
  if (c.state !== 'stateless') o.state = c.state;
  if (c.sessionStore) o['session-store'] = c.sessionStore.id;
  if (c.healthCheck)
    o['health-check'] = {
      ...(c.healthCheck.path && { path: c.healthCheck.path }),
      ...(c.healthCheck.interval !== undefined && { interval: duration(c.healthCheck.interval) }),
    };
  if (c.capacity !== undefined) o.capacity = rate(c.capacity);
  if (c.dependsOn.length > 0) o['depends-on'] = c.dependsOn.map(dependencyObject);
  if (c.retry) o.retry = definedOnly({ attempts: c.retry.attempts, backoff: c.retry.backoff, jitter: c.retry.jitter });
  if (c.replication) o.replication = c.replication;
  if (c.failover)
    o.failover = definedOnly({
      mode: c.failover.mode,
      standby: c.failover.standby,
      takeover: c.failover.takeover !== undefined ? duration(c.failover.takeover) : undefined,
    });
  if (c.mtbf !== undefined) o.mtbf = duration(c.mtbf);
  if (c.maxConnections !== undefined) o['max-connections'] = c.maxConnections;
  if (c.connectionPool !== undefined) o['connection-pool'] = c.connectionPool;
  if (c.sharding) o.sharding = definedOnly({ key: c.sharding.key, shards: c.sharding.shards });
  if (c.owner) o.owner = c.owner.id;
  if (c.deploy) o.deploy = definedOnly({ strategy: c.deploy.strategy, 'max-unavailable': c.deploy.maxUnavailable });
  if (c.lifecycle !== 'cattle') o.lifecycle = c.lifecycle;
  if (c.instances.length > 0)
    o.instances = c.instances.map((i) => ({
      ...(i.name !== undefined && { name: i.name }),
      ...(i.lifecycle !== 'cattle' && { lifecycle: i.lifecycle }),
      ...i.properties,
    }));
  if (c.availability !== undefined) o.availability = percent(c.availability);
  if (c.slo !== undefined) o.slo = percent(c.slo);
  return o;
}

function dependencyObject(d: Dependency): unknown {
  const extra = { ...(d.optional && { optional: true }), ...(d.access && { access: d.access }) };
  if (d.type === 'any-of') return { 'any-of': d.members.map((m) => m.id), ...extra };
  return Object.keys(extra).length > 0 ? { component: d.target.id, ...extra } : d.target.id;
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The architecture as a plain object of the format (`archlint model --format json`). */
export function architectureObject(model: Architecture): Record<string, unknown> {
  const o: Record<string, unknown> = { archlint: 1 };
  if (model.name !== undefined) o.name = model.name;
  if (model.slo !== undefined) o.slo = percent(model.slo);
  if (model.zones.size > 0)
    o.zones = Object.fromEntries(
      [...model.zones.values()].map((z) => [z.id, z.availability !== undefined ? { availability: percent(z.availability) } : {}]),
    );
  const defaults = definedOnly({
    availability: model.defaults.availability !== undefined ? percent(model.defaults.availability) : undefined,
    'zone-availability': model.defaults.zoneAvailability !== undefined ? percent(model.defaults.zoneAvailability) : undefined,
  });
  if (Object.keys(defaults).length > 0) o.defaults = defaults;
  if (model.rules.size > 0) o.rules = Object.fromEntries([...model.rules].map(([id, r]) => [id, r.severity]));
  o.components = Object.fromEntries([...model.components.values()].map((c) => [c.id, componentObject(c)]));
  return o;
}

/**
 * The architecture as `*.arch.yaml` text, with `header` as its first comment lines and each
 * value's origin as a comment on its line (a `depends-on` entry's own origin on the entry).
 */
export function architectureYaml(model: Architecture, origins: Origins, header: readonly string[]): string {
  const doc = new Document(architectureObject(model));
  // Small mappings of a component (health-check, rate-limit, a dependency entry) on one line, as people write them.
  const flowSmall = (node: unknown, depth: number): void => {
    if (!isMap(node) && !isSeq(node)) return;
    const children = node.items.map((i) => (isPair(i) ? i.value : i));
    if (depth >= 3 && isMap(node) && children.every((c) => isScalar(c))) node.flow = true;
    for (const child of children) flowSmall(child, depth + 1);
  };
  flowSmall(doc.contents, 0);
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  const at = (node: unknown, key: string): Pair | undefined =>
    isMap(node) ? (node.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined) : undefined;
  const comment = (pair: Pair | undefined, text: string | undefined) => {
    if (!pair || !text) return;
    const value = pair.value as Node | null;
    // A scalar or a flow collection keeps the comment on its line; a block collection gets it above the key.
    if (isScalar(value) || ((isMap(value) || isSeq(value)) && value.flow)) value.comment = ` ${text}`;
    else (pair.key as Node).commentBefore = ` ${text}`;
  };
  const top = origins.get('');
  if (top) for (const [key, text] of top) comment(at(doc.contents, key), text);
  const components = at(doc.contents, 'components')?.value;
  for (const c of model.components.values()) {
    const own = origins.get(c.id);
    const pair = at(components, c.id);
    if (!own || !pair) continue;
    for (const [key, text] of own) comment(at(pair.value, key), text);
    const deps = at(pair.value, 'depends-on')?.value;
    if (isSeq(deps)) {
      // Each entry's own reason (`depends-on db`): `from compose.yaml:14 depends_on`, `inferred: DB_HOST=db`.
      c.dependsOn.forEach((d, i) => {
        const item = deps.items[i] as Node | undefined;
        const why = d.type === 'component' ? own.get(`depends-on ${d.target.id}`) : undefined;
        if (item && why) {
          if (isScalar(item)) item.comment = ` ${why}`;
          else item.commentBefore = ` ${why}`;
        }
      });
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
