/**
 * Exact availability of every entry point, from the same model the rules lint.
 *
 * The model, in short (docs/availability.md has it in full):
 * - each component is one random variable, "its own pool is up": k of its n instances up,
 *   instances independent given their zones, zones spread round robin;
 * - an entry point is up when it and everything it requires is up, recursively; an any-of group
 *   needs one member; optional dependencies do not count (the graph's `requirements`);
 * - the structure function is built as a BDD (see bdd.ts), so a shared component counts once;
 * - zones shared by several components correlate them: the result is summed over the states of
 *   those zones (exact up to {@link EXACT_ZONE_LIMIT} of them); zones used by one component
 *   only are folded into that component's pool, exactly, at any count.
 */
import { Bdd, evaluate, scratchFor, TRUE, FALSE } from './bdd';
import { EXACT_ZONE_LIMIT } from './defaults';
import { downtimeOf, nines } from './format';
import {
  allShardsUp,
  freeZone,
  poolSpec,
  poolUpDown,
  zoneAvailability,
  ZONE_DOWN,
  ZONE_UP,
  type PoolSpec,
  type ZoneWeight,
} from './pool';
import type { Graph } from '../model/graph';
import type { Architecture } from '../model/model';
import type { AvailabilityReport, ComponentAvailability, Contributor, EntryAvailability } from './types';

export type { AvailabilityReport, ComponentAvailability, Contributor, EntryAvailability, Downtime } from './types';
export { formatAvailability, formatDowntime, downtimeOf, nines } from './format';
export { DEFAULT_INSTANCE_AVAILABILITY, DEFAULT_ZONE_AVAILABILITY, EXACT_ZONE_LIMIT, SECONDS } from './defaults';

export interface AvailabilityOptions {
  /** Components forced down: the diagram's "fail this component" what-if. Unknown ids are ignored. */
  failed?: ReadonlySet<string>;
}

/** Gains below this are rounding noise, not a weakest link. */
const MIN_GAIN = 1e-15;
/** An SLO counts as met when missed by less than rounding in the last digits. */
const SLO_TOLERANCE = 1e-12;

/** Exact availability of every entry point, each component's own pool, and notes on how. */
export function computeAvailability(model: Architecture, graph: Graph, options: AvailabilityOptions = {}): AvailabilityReport {
  const failed = options.failed ?? new Set<string>();
  const notes: string[] = [];
  const bdd = new Bdd();
  // Variable order: first visit, depth first from the entry points in file order.
  const levels = new Map<string, number>();
  const levelOf = (id: string): number => {
    let level = levels.get(id);
    if (level === undefined) {
      level = levels.size;
      levels.set(id, level);
    }
    return level;
  };
  const size = Math.max(1, model.components.size);
  /** The most instances any entry point's load asks of each component. */
  const neededMost = new Map<string, number>();

  const entries: EntryAvailability[] = [];
  for (const entry of graph.entryPoints) {
    const component = model.components.get(entry);
    if (!component) continue;

    // The structure function, mirroring `isUp` in model/graph.ts: every requirement evaluated,
    // and a component met again on the current path (a cycle) counts as its own variable only.
    const memo = new Map<string, number>();
    const onPath = new Set<string>();
    const closure: string[] = [];
    let cycleAt: string | undefined;
    const up = (id: string): number => {
      const known = memo.get(id);
      if (known !== undefined) return known;
      if (onPath.has(id)) {
        cycleAt ??= id;
        return bdd.variable(levelOf(id));
      }
      onPath.add(id);
      closure.push(id);
      const own = bdd.variable(levelOf(id));
      const req = graph.requirements.get(id);
      const terms: number[] = [];
      if (req) {
        for (const dep of req.all) terms.push(up(dep));
        for (const group of req.anyOf) {
          const members = group.map(up);
          // Fold from the last: later members have later variables, so each step walks one small diagram.
          let any = FALSE;
          for (let i = members.length - 1; i >= 0; i--) any = bdd.or(members[i]!, any);
          terms.push(any);
        }
      }
      let all = TRUE;
      for (let i = terms.length - 1; i >= 0; i--) all = bdd.and(terms[i]!, all);
      const result = bdd.and(own, all);
      onPath.delete(id);
      memo.set(id, result);
      return result;
    };
    const root = up(entry);
    if (cycleAt !== undefined) {
      notes.push(
        `${entry}: its dependencies form a cycle through ${cycleAt}; there a component met again on its own path counts as up`,
      );
    }

    const specs = closure.map((id) => poolSpec(model, model.components.get(id)!, component.load));
    for (const spec of specs) {
      neededMost.set(spec.component, Math.max(neededMost.get(spec.component) ?? 1, spec.needed));
      if (spec.instances > 0 && spec.needed > spec.instances) {
        const c = model.components.get(spec.component)!;
        const counted = c.replicasSource === 'autoscale' ? ' (autoscale counts its min)' : '';
        const need =
          spec.needed === Infinity
            ? 'has a capacity of 0 under load'
            : `needs ${spec.needed} instances for the entry's load but has ${spec.instances}${counted}`;
        notes.push(`${entry}: ${spec.component} ${need}, so it is always down`);
      }
    }

    // Zones that correlate components: those used by more than one component of the closure.
    const usage = new Map<string, number>();
    for (const spec of specs) for (const z of spec.zones) usage.set(z, (usage.get(z) ?? 0) + 1);
    const shared = [...usage].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const conditioned = shared.slice(0, EXACT_ZONE_LIMIT).map(([z]) => z);
    const exact = shared.length <= EXACT_ZONE_LIMIT;
    if (!exact) {
      notes.push(
        `${entry}: ${shared.length} zones are shared by its components, more than the ${EXACT_ZONE_LIMIT} computed exactly; ` +
          `the ${EXACT_ZONE_LIMIT} most used are, the failures of the other ${shared.length - EXACT_ZONE_LIMIT} are treated as independent per component (an approximation)`,
      );
    }
    const conditionedIndex = new Map(conditioned.map((z, i) => [z, i]));
    const conditionedAvailability = conditioned.map((z) => zoneAvailability(model, z));

    // Each component's pool for every state of its conditioned zones (its other zones summed over).
    const tables = specs.map((spec) => poolTable(model, spec, conditionedIndex));

    const p = new Float64Array(size);
    const q = new Float64Array(size);
    const gain = new Float64Array(size);
    const compiled = bdd.compile(root);
    const scratch = scratchFor(compiled);
    let availability = 0;
    let unavailability = 0;
    for (let mask = 0; mask < 1 << conditioned.length; mask++) {
      let weight = 1;
      for (let j = 0; j < conditioned.length; j++) {
        const a = conditionedAvailability[j]!;
        weight *= (mask >> j) & 1 ? 1 - a : a;
      }
      if (weight === 0) continue;
      specs.forEach((spec, i) => {
        const level = levels.get(spec.component)!;
        if (failed.has(spec.component)) {
          p[level] = 0;
          q[level] = 1;
          return;
        }
        const table = tables[i]!;
        let local = 0;
        table.zoneBits.forEach((bit, b) => (local |= ((mask >> bit) & 1) << b));
        p[level] = table.up[local]!;
        q[level] = table.down[local]!;
      });
      const result = evaluate(compiled, p, q, scratch, weight, gain);
      availability += weight * result.up;
      unavailability += weight * result.down;
    }

    const contributors: Contributor[] = closure
      .filter((id) => !failed.has(id))
      .map((id) => ({ component: id, gain: gain[levels.get(id)!]! }))
      .filter((c) => c.gain >= MIN_GAIN)
      .sort((a, b) => b.gain - a.gain || a.component.localeCompare(b.component));

    const slo = component.slo ?? model.slo;
    entries.push({
      component: entry,
      availability,
      unavailability,
      nines: nines(unavailability),
      downtime: downtimeOf(unavailability),
      ...(slo !== undefined && {
        slo,
        sloSource: component.slo !== undefined ? ('entry' as const) : ('file' as const),
        meetsSlo: availability >= slo - SLO_TOLERANCE,
      }),
      contributors,
      exact,
    });
  }

  const components = new Map<string, ComponentAvailability>();
  for (const c of model.components.values()) {
    const spec: PoolSpec = { ...poolSpec(model, c, undefined) };
    spec.needed = Math.max(spec.needed, neededMost.get(c.id) ?? 1);
    const zoneAvailabilities = spec.zones.map((z) => zoneAvailability(model, z));
    const pool = failed.has(c.id) ? { up: 0, down: 1 } : poolUpDown(spec, zoneAvailabilities.map(freeZone));
    components.set(c.id, {
      component: c.id,
      instance: spec.instance,
      pool: pool.up,
      unavailability: pool.down,
      needed: spec.needed,
      instances: spec.instances,
      zones: spec.zones,
      ...(spec.shards !== undefined && {
        shards: spec.shards,
        allShardsUp: failed.has(c.id) ? 0 : allShardsUp(spec, zoneAvailabilities, EXACT_ZONE_LIMIT),
      }),
    });
    if (c.failover?.standby === 'cold' && (c.failover.takeover === undefined || c.mtbf === undefined)) {
      notes.push(`${c.id}: a cold standby without both \`failover.takeover\` and \`mtbf\`: its takeover downtime is not counted`);
    }
  }
  if (failed.size > 0) {
    const known = [...failed].filter((id) => model.components.has(id));
    if (known.length > 0) notes.push(`what-if: ${known.join(', ')} forced down`);
  }
  return { entries, components, notes };
}

/** A component's pool up/down probabilities for each state of its conditioned zones. */
interface PoolTable {
  /** For each local bit, the bit of the conditioned zone in the global zone-state mask. */
  zoneBits: number[];
  up: Float64Array;
  down: Float64Array;
}

function poolTable(model: Architecture, spec: PoolSpec, conditionedIndex: ReadonlyMap<string, number>): PoolTable {
  const zoneBits: number[] = [];
  const localBit = spec.zones.map((z) => {
    const global = conditionedIndex.get(z);
    if (global === undefined) return -1;
    zoneBits.push(global);
    return zoneBits.length - 1;
  });
  const free = spec.zones.map((z) => freeZone(zoneAvailability(model, z)));
  const states = 1 << zoneBits.length;
  const up = new Float64Array(states);
  const down = new Float64Array(states);
  for (let local = 0; local < states; local++) {
    const weights: ZoneWeight[] = spec.zones.map((_, j) => {
      const bit = localBit[j]!;
      if (bit < 0) return free[j]!;
      return (local >> bit) & 1 ? ZONE_DOWN : ZONE_UP;
    });
    const result = poolUpDown(spec, weights);
    up[local] = result.up;
    down[local] = result.down;
  }
  return { zoneBits, up, down };
}
