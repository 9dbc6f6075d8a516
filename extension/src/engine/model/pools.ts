/**
 * Balancers and the pools behind them, as the rules about sessions and health checks see them.
 * One definition for all rules, so they never disagree about what a balancer is.
 */
import type { Architecture, Balancing, Component, PlatformBalancer, Reference } from './model';

/** Balancing that sends a user's next request to any instance (no affinity). */
export const NON_AFFINITY: readonly Balancing[] = ['round-robin', 'least-connections', 'random'];
/** Balancing that pins a user to one instance. */
export const AFFINITY: readonly Balancing[] = ['ip-hash', 'cookie'];

/** A load balancer, or any component that states how it balances. */
export function isBalancer(c: Component): boolean {
  return c.kind === 'load-balancer' || c.balancing !== undefined;
}

/** How a balancer balances: as written, else round-robin (what balancers do unless told otherwise). */
export function balancingOf(c: Component): Balancing {
  return c.balancing ?? 'round-robin';
}

/** The most instances a component can run at once: `replicas`, or the autoscaler's max when that is more. */
export function maxInstances(c: Component): number {
  return Math.max(c.replicas, c.autoscale?.max ?? 0);
}

/** A pool: more than one instance can serve, so which one a request lands on matters. Unknown for `replicas: per-node`: not counted as one. */
export function isPool(c: Component): boolean {
  return c.replicasSource !== 'per-node' && maxInstances(c) > 1;
}

/** Whether the number of instances is unknown (`replicas: per-node`): the rules that need it stay quiet. */
export function countUnknown(c: Component): boolean {
  return c.replicasSource === 'per-node';
}

/** How each platform balancer is named in messages. */
const PLATFORM_NAMES: Record<PlatformBalancer, string> = {
  'docker-dns': "Docker's DNS",
  'routing-mesh': 'the routing mesh',
  'kube-proxy': 'kube-proxy',
};

/**
 * The balancer a platform is for a component with `balanced-by`: not a component of the model
 * (it never fails by itself, and nothing depends on it), but what the rules about balanced pools
 * see in front of the pool. It balances without affinity (`random`) unless the pool says how
 * (`platformBalancing`: a Service's `sessionAffinity: ClientIP` is `ip-hash`), and is named in
 * words; its `balancing` is written where the pool's `balanced-by` is.
 */
function platformBalancer(pool: Component, by: PlatformBalancer): Component {
  // An architecture file writes the affinity as the pool's `balancing`; a Service, at its sessionAffinity.
  const range = (pool.platformBalancing && pool.keys.balancing?.value) || (pool.keys['balanced-by']?.value ?? pool.idRange);
  return {
    id: PLATFORM_NAMES[by],
    idRange: range,
    range,
    keys: pool.platformBalancing ? { balancing: { key: range, value: range } } : {},
    kind: 'load-balancer',
    public: false,
    replicas: 2,
    replicasSource: 'default',
    balancing: pool.platformBalancing ?? 'random',
    routesTo: [{ id: pool.id, range }],
    zones: [],
    state: 'stateless',
    dependsOn: [],
    lifecycle: 'cattle',
    instances: [],
  };
}

/** One `routes-to` entry of a balancer to a declared component. */
export interface BalancedRoute {
  balancer: Component;
  pool: Component;
  /** Where the balancer names the pool. */
  route: Reference;
}

/** Every route from a balancer to a declared component, in file order. */
export function balancedRoutes(model: Architecture): BalancedRoute[] {
  const out: BalancedRoute[] = [];
  for (const balancer of model.components.values()) {
    if (!isBalancer(balancer)) continue;
    for (const route of balancer.routesTo) {
      const pool = model.components.get(route.id);
      if (pool && pool.id !== balancer.id) out.push({ balancer, pool, route });
    }
  }
  for (const pool of model.components.values()) {
    if (!pool.balancedBy) continue;
    const balancer = platformBalancer(pool, pool.balancedBy);
    out.push({ balancer, pool, route: balancer.routesTo[0]! });
  }
  return out;
}

/** State kept inside each instance, with nothing shared to hold it instead. */
export function keepsStateInInstance(c: Component): boolean {
  return c.state !== 'stateless' && c.sessionStore === undefined;
}
