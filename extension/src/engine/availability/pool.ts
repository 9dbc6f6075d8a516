/**
 * One component's own pool: n instances, k of them needed, spread round robin over zones.
 * Everything is summed from positive terms (never 1 − x), so a pool's unavailability keeps its
 * relative precision however many nines it has.
 */
import type { Architecture, Component } from '../model/model';
import { DEFAULT_INSTANCE_AVAILABILITY, DEFAULT_ZONE_AVAILABILITY } from './defaults';

/** What the math needs to know about a component's pool. */
export interface PoolSpec {
  component: string;
  /** One instance's availability. */
  instance: number;
  /** Instances counted (a standby included); 0 when the file says `replicas: 0`. */
  instances: number;
  /** Instances that must be up (k of n). */
  needed: number;
  /** Distinct zones the instances are spread over, in declared order. */
  zones: string[];
  /** Instances per zone (round robin), parallel to `zones`. */
  perZone: number[];
  /**
   * Fraction of time lost to cold-standby takeovers: failures per second of the serving
   * instances times the takeover time. Taken as an independent outage of the pool.
   */
  takeoverFraction: number;
  shards?: number;
}

/** A zone's state for one pool computation: the probabilities that it is up and that it is down. */
export interface ZoneWeight {
  up: number;
  down: number;
}

export const ZONE_UP: ZoneWeight = { up: 1, down: 0 };
export const ZONE_DOWN: ZoneWeight = { up: 0, down: 1 };

/** `availability` of the component, else the file's default, else its kind's. */
export function instanceAvailability(model: Architecture, component: Component): number {
  return component.availability ?? model.defaults.availability ?? DEFAULT_INSTANCE_AVAILABILITY[component.kind];
}

/** A declared zone's availability, else the file's default, else {@link DEFAULT_ZONE_AVAILABILITY}. */
export function zoneAvailability(model: Architecture, zone: string): number {
  return model.zones.get(zone)?.availability ?? model.defaults.zoneAvailability ?? DEFAULT_ZONE_AVAILABILITY;
}

/**
 * Instances the component needs when `entryLoad` requests per second arrive at the entry point:
 * 1; a majority of the replicas for `replication: quorum`; ⌈load / capacity⌉ when the component
 * gives its per-instance `capacity` (for a sharded component, per shard: load / shards).
 */
export function neededInstances(component: Component, entryLoad: number | undefined): number {
  let needed = 1;
  if (component.replication === 'quorum') needed = Math.max(needed, Math.floor(component.replicas / 2) + 1);
  const forLoad = instancesForLoad(component, entryLoad);
  if (forLoad !== undefined) needed = Math.max(needed, forLoad);
  return needed;
}

/**
 * Instances (per shard) the component's `capacity` needs to carry `entryLoad`: ⌈load / shards /
 * capacity⌉, Infinity for a capacity of 0 under load; `undefined` unless both are given.
 */
export function instancesForLoad(component: Component, entryLoad: number | undefined): number | undefined {
  if (entryLoad === undefined || component.capacity === undefined) return undefined;
  const load = entryLoad / (component.sharding?.shards || 1);
  // The small slack absorbs unit conversions (60/min is not exactly 1/s in binary).
  if (component.capacity > 0) return Math.ceil(load / component.capacity - 1e-9);
  return load > 0 ? Infinity : 0;
}

/** The pool of `component` as counted for an entry point whose load is `entryLoad`. */
export function poolSpec(model: Architecture, component: Component, entryLoad: number | undefined): PoolSpec {
  // An autoscaled pool counts its `min`: the size it has at the quietest hour (model/build.ts).
  const replicas = component.replicas;
  const standby = component.failover?.standby;
  // A standby is one more instance able to replace a failed one; a pool of zero replicas is switched off.
  const instances = replicas === 0 ? 0 : replicas + (standby ? 1 : 0);
  const needed = neededInstances(component, entryLoad);
  const zones = [...new Set(component.zones.map((z) => z.id))];
  const perZone = zones.map((_, j) =>
    zones.length === 0 ? 0 : Math.floor(instances / zones.length) + (j < instances % zones.length ? 1 : 0),
  );
  let takeoverFraction = 0;
  const { takeover } = component.failover ?? {};
  // Only when the serving instances have no slack does a takeover gap take the pool down.
  if (
    standby === 'cold' &&
    takeover !== undefined &&
    component.mtbf !== undefined &&
    component.mtbf > 0 &&
    replicas > 0 &&
    replicas <= needed
  ) {
    takeoverFraction = Math.min(1, (replicas * takeover) / component.mtbf);
  }
  return {
    component: component.id,
    instance: instanceAvailability(model, component),
    instances,
    needed,
    zones,
    perZone,
    takeoverFraction,
    ...(component.sharding && { shards: component.sharding.shards }),
  };
}

const binomialCache = new Map<string, Float64Array>();

/** P(i of n independent instances up), i = 0..n, each up with probability a. */
export function binomialPmf(n: number, a: number): Float64Array {
  const key = `${n}:${a}`;
  const cached = binomialCache.get(key);
  if (cached) return cached;
  const pmf = new Float64Array(n + 1);
  const u = 1 - a; // exact for a ≥ 0.5 (Sterbenz), and harmless below
  if (a >= 1) pmf[n] = 1;
  else if (a <= 0) pmf[0] = 1;
  else if (n <= 400) {
    let coefficient = 1;
    for (let i = 0; i <= n; i++) {
      pmf[i] = coefficient * a ** i * u ** (n - i);
      coefficient = (coefficient * (n - i)) / (i + 1);
    }
  } else {
    // Large pools: C(n, i) overflows a double, so walk the terms in log space.
    const lnA = Math.log(a);
    const lnU = Math.log1p(-a);
    let lnCoefficient = 0;
    let total = 0;
    for (let i = 0; i <= n; i++) {
      pmf[i] = Math.exp(lnCoefficient + i * lnA + (n - i) * lnU);
      total += pmf[i]!;
      lnCoefficient += Math.log(n - i) - Math.log(i + 1);
    }
    // Thousands of rounded logarithms drift by ~1e-13; the terms must still sum to exactly one.
    for (let i = 0; i <= n; i++) pmf[i]! /= total;
  }
  if (binomialCache.size > 10_000) binomialCache.clear();
  binomialCache.set(key, pmf);
  return pmf;
}

/** Availability and unavailability, each summed on its own so neither is 1 minus the other. */
export interface UpDown {
  up: number;
  down: number;
}

/**
 * The pool's availability when its zones are in the given states (`zoneWeights` parallel to
 * `spec.zones`: a conditioned zone is {@link ZONE_UP} or {@link ZONE_DOWN}, a free one carries its
 * own availability and is summed over here). Exact: the number of instances up is the
 * convolution of the zones' distributions.
 */
export function poolUpDown(spec: PoolSpec, zoneWeights: readonly ZoneWeight[] = []): UpDown {
  const { instances: n, needed: k } = spec;
  if (n === 0 || k > n) return { up: 0, down: 1 };
  let distribution: Float64Array;
  if (spec.zones.length === 0) {
    distribution = binomialPmf(n, spec.instance);
  } else {
    distribution = new Float64Array([1]);
    spec.perZone.forEach((count, j) => {
      const weight = zoneWeights[j] ?? ZONE_UP;
      const binomial = binomialPmf(count, spec.instance);
      const zone = new Float64Array(count + 1);
      for (let i = 0; i <= count; i++) zone[i] = weight.up * binomial[i]!;
      zone[0]! += weight.down;
      distribution = convolve(distribution, zone);
    });
  }
  let up = 0;
  let down = 0;
  for (let i = 0; i < distribution.length; i++) {
    if (i < k) down += distribution[i]!;
    else up += distribution[i]!;
  }
  // Rounding must never report a probability above one.
  up = Math.min(1, up);
  down = Math.min(1, down);
  const f = spec.takeoverFraction;
  return f > 0 ? { up: up * (1 - f), down: down + f * up } : { up, down };
}

function convolve(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    if (ai === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j]! += ai * b[j]!;
  }
  return out;
}

/** The weights of a zone left free (not conditioned on): up with its availability. */
export function freeZone(availability: number): ZoneWeight {
  return { up: availability, down: 1 - availability };
}

/**
 * Probability that every shard of a sharded pool is up at once. Shards share the component's
 * zones, so this conditions on them (exactly, up to `limit` zones; beyond, zones are averaged
 * first and the shards treated as independent).
 */
export function allShardsUp(spec: PoolSpec, zoneAvailabilities: readonly number[], limit: number): number {
  const shards = spec.shards ?? 1;
  const z = spec.zones.length;
  if (z === 0 || z > limit) return poolUpDown(spec, zoneAvailabilities.map(freeZone)).up ** shards;
  let total = 0;
  for (let mask = 0; mask < 1 << z; mask++) {
    let weight = 1;
    const states: ZoneWeight[] = [];
    for (let j = 0; j < z; j++) {
      const down = (mask >> j) & 1;
      weight *= down ? 1 - zoneAvailabilities[j]! : zoneAvailabilities[j]!;
      states.push(down ? ZONE_DOWN : ZONE_UP);
    }
    if (weight > 0) total += weight * poolUpDown(spec, states).up ** shards;
  }
  return total;
}
