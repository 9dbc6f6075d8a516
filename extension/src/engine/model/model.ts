import type { Offsets, SeveritySetting } from '../types';

export const KINDS = ['load-balancer', 'service', 'worker', 'database', 'cache', 'queue', 'storage', 'external'] as const;
export type Kind = (typeof KINDS)[number];
export const BALANCING = ['round-robin', 'least-connections', 'random', 'ip-hash', 'cookie'] as const;
export type Balancing = (typeof BALANCING)[number];
export const STATES = ['stateless', 'in-memory', 'local-disk'] as const;
export type State = (typeof STATES)[number];
export const LIFECYCLES = ['cattle', 'pet'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];
export const REPLICATION = ['none', 'async', 'sync', 'quorum'] as const;
export type Replication = (typeof REPLICATION)[number];
export const TLS_MODES = ['terminate', 'passthrough', 'none'] as const;
export type TlsMode = (typeof TLS_MODES)[number];
export const BACKOFFS = ['none', 'constant', 'linear', 'exponential'] as const;
export type Backoff = (typeof BACKOFFS)[number];
export const ACCESS = ['read', 'read-write'] as const;
export type Access = (typeof ACCESS)[number];
export const DEPLOY_STRATEGIES = ['rolling', 'recreate', 'blue-green'] as const;
export type DeployStrategy = (typeof DEPLOY_STRATEGIES)[number];
/** Platforms that balance a component's instances without being a component (see `balanced-by`). */
export const PLATFORM_BALANCERS = ['docker-dns', 'routing-mesh', 'kube-proxy'] as const;
export type PlatformBalancer = (typeof PLATFORM_BALANCERS)[number];
export const SEVERITY_SETTINGS = ['error', 'warning', 'info', 'off'] as const;

/** Where a key and its value stand in the text. */
export interface KeyRanges {
  key: Offsets;
  value: Offsets;
}

/** A reference to a component by id, where it is written. */
export interface Reference {
  id: string;
  range: Offsets;
}

/** One entry of `depends-on`. `access` is as written (unstated means reads and writes); it never changes availability. */
export type Dependency =
  | { type: 'component'; target: Reference; optional: boolean; access?: Access; range: Offsets }
  | { type: 'any-of'; members: Reference[]; optional: boolean; access?: Access; range: Offsets };

/** One entry of `instances`, with every key it sets besides `name`. */
export interface Instance {
  name?: string;
  lifecycle: Lifecycle;
  /** The instance's own keys (`zone`, `size`, …) as written, for comparing siblings. */
  properties: Record<string, unknown>;
  range: Offsets;
}

export interface Component {
  id: string;
  /** The component's key in `components:`. */
  idRange: Offsets;
  /** The component's value (its mapping). */
  range: Offsets;
  /** Ranges of every key the component sets, by key name. */
  keys: Record<string, KeyRanges>;
  kind: Kind;
  /** `entry` as written; whether it *is* an entry point is the graph's call. */
  entry?: boolean;
  public: boolean;
  /** Peak requests per second arriving here. */
  load?: number;
  /**
   * How many instances the math counts: `replicas`, else `autoscale.min`, else the number
   * of explicit `instances`, else 1. `replicas: per-node` counts 1 (`replicasSource` says the
   * count is unknown, and the rules that need it stay quiet).
   */
  replicas: number;
  replicasSource: 'replicas' | 'autoscale' | 'instances' | 'default' | 'per-node';
  autoscale?: { min: number; max: number };
  balancing?: Balancing;
  /** The platform balances this component's instances (no component of its own; it never fails by itself). */
  balancedBy?: PlatformBalancer;
  /**
   * How the platform balancer of `balanced-by` picks an instance, when not without affinity: a
   * Kubernetes Service's `sessionAffinity: ClientIP` is `ip-hash`. Where it is written is
   * `keys['balanced-by']`. Read by the rules about balanced pools only (see ./pools.ts).
   */
  platformBalancing?: Balancing;
  routesTo: Reference[];
  tls?: TlsMode;
  rateLimit?: { anonymous?: number; authenticated?: number };
  zones: Reference[];
  state: State;
  sessionStore?: Reference;
  healthCheck?: { path?: string; interval?: number };
  /** Requests per second one instance can serve. */
  capacity?: number;
  dependsOn: Dependency[];
  retry?: { attempts?: number; backoff?: Backoff; jitter?: boolean };
  replication?: Replication;
  failover?: { mode?: 'manual' | 'automatic'; standby?: 'hot' | 'cold'; takeover?: number };
  /** Mean time between failures of one instance, in seconds. */
  mtbf?: number;
  maxConnections?: number;
  /** Connections each instance opens to each database it depends on. */
  connectionPool?: number;
  sharding?: { key?: string; shards: number };
  /** For a database: the component that owns its schema. Read by the rules only, never by the availability. */
  owner?: Reference;
  /** How a release replaces the instances, as written. Read by the rules only, never by the availability. */
  deploy?: { strategy?: DeployStrategy; maxUnavailable?: number };
  lifecycle: Lifecycle;
  instances: Instance[];
  /** Per-instance availability as written (0..1). */
  availability?: number;
  slo?: number;
  /**
   * A source's own words about a key (SOURCES.md, "Source words"): how to state what its files
   * cannot (`tls` in a compose service's `x-archlint`), or what its platform does. A rule that
   * speaks of the key adds the note to its message; the rule itself never asks where the model came from.
   */
  notes?: Partial<Record<string, string>>;
}

export interface Zone {
  id: string;
  range: Offsets;
  availability?: number;
}

export interface RuleSetting {
  severity: SeveritySetting;
  /** The setting written (a severity, or `[severity, options]`). */
  range: Offsets;
  /** The rule id written (where an unknown id is reported). */
  idRange: Offsets;
  /** The options written, as YAML reads them (`[severity, options]`): checked against the rule's. */
  options?: unknown;
  /** Where the options are written. */
  optionsRange?: Offsets;
  /** Where each option's name and value are written. */
  optionRanges?: Record<string, { key: Offsets; value: Offsets }>;
}

/** The typed architecture. Built tolerantly: a value of the wrong type is left out, never guessed. */
export interface Architecture {
  version?: number;
  name?: string;
  slo?: number;
  /** Set when `slo` is not the file's but the configuration file's `defaults.slo` (the file sets none). */
  sloFromConfig?: boolean;
  zones: Map<string, Zone>;
  /** The range of the `zones:` key at the top, when declared. */
  zonesRange?: Offsets;
  defaults: { availability?: number; zoneAvailability?: number };
  rules: Map<string, RuleSetting>;
  components: Map<string, Component>;
  /** The range of the `components:` key (for findings about the whole file). */
  componentsKeyRange?: Offsets;
  /** Range of the whole document. */
  range: Offsets;
}
