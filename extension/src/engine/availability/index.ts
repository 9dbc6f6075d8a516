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
import { Bdd, BddBudgetExceeded, evaluate, scratchFor } from './bdd';
import { EXACT_ZONE_LIMIT } from './defaults';
import { downtimeOf, nines } from './format';
import {
  allShardsUp,
  freeZone,
  instanceAvailability,
  poolSpec,
  poolUpDown,
  zoneAvailability,
  ZONE_DOWN,
  ZONE_UP,
  type PoolSpec,
  type ZoneWeight,
} from './pool';
import { entryStructure, type CycleState } from './structure';
import { foldRequirements, type Graph } from '../model/graph';
import type { Architecture, Component } from '../model/model';
import type { AvailabilityReport, ComponentAvailability, Contributor, EntryAvailability } from './types';

export type { AvailabilityReport, ComponentAvailability, Contributor, EntryAvailability, Downtime } from './types';
export { formatAvailability, formatDowntime, downtimeOf, nines } from './format';
export { DEFAULT_INSTANCE_AVAILABILITY, DEFAULT_ZONE_AVAILABILITY, EXACT_ZONE_LIMIT, SECONDS } from './defaults';

export interface AvailabilityOptions {
  /** Components forced down: the diagram's "fail this component" what-if. Unknown ids are ignored. */
  failed?: ReadonlySet<string>;
}

/** BDD steps one entry point may take, and all of them together (tenths of a second at most). */
const ENTRY_STEPS = 200_000;
const TOTAL_STEPS = 400_000;
/** Gains below this are rounding noise, not a weakest link. */
const MIN_GAIN = 1e-15;
/** An SLO counts as met when missed by less than rounding in the last digits. */
const SLO_TOLERANCE = 1e-12;

/**
 * What one entry point's computation gave, kept so a later computation can reuse it: the
 * result, its notes, the BDD steps it took (the budget of the entries after it depends on them)
 * and the instances its load asked of each component.
 */
interface EntryRecord {
  result: EntryAvailability;
  notes: string[];
  steps: number;
  needed: [string, number][];
}

/**
 * Per report: its entries' records by signature, the interned keys those signatures are made
 * of, and the signature parts themselves with what they were computed from (the graph's
 * structure, the file's zones and defaults, the what-if, each component's origin).
 */
interface ReuseState {
  records: Map<string, EntryRecord>;
  keys: Map<string, number>;
  parts: Map<number | undefined, Map<string, number | undefined>>;
  structure: object;
  context: string;
  /** The model the parts were computed from (its components' origins say what is unchanged). */
  model: Architecture;
  originOf: (c: Component) => Component;
}

/** A component's own pool figures, with what they were computed from besides the component. */
interface PoolRecord {
  inputs: PoolInputs;
  pool: ComponentAvailability;
  note: string | undefined;
}

/** A component's last signature key, with the figures it was made from that are not the component's own. */
interface BaseKey {
  zoneFigures: string;
  instance: number;
  key: string;
}

/**
 * What one architecture's availability lends its next computation: the last report's entries by
 * signature and its signature parts, and each component's pool and key by its origin. Owned by
 * the caller (the analysis host keeps one per architecture): no state outlives it here.
 */
export interface AvailabilityCache {
  lent?: ReuseState;
  pools: Map<Component, PoolRecord>;
  baseKeys: Map<Component, BaseKey>;
}

export function newAvailabilityCache(): AvailabilityCache {
  return { pools: new Map(), baseKeys: new Map() };
}

/**
 * Lets a computation reuse an earlier one's work: the architecture's cache, and the origin of
 * each component (the component an incremental model kept it from; itself when it was built).
 */
export interface AvailabilityReuse {
  cache: AvailabilityCache;
  originOf: (c: Component) => Component;
}
/** Interned keys kept across reports before starting afresh (a long editing session makes new ones). */
const MAX_INTERNED_KEYS = 200_000;

/**
 * Exact availability of every entry point, each component's own pool, and notes on how.
 *
 * Each entry point is computed on its own (its own BDD, its variables in its own first-visit
 * order), so its result is a function of what it reaches alone: the structure of its closure,
 * each member's pool under the entry's load, the zones and SLOs. A signature of exactly that
 * keys the result, and `reuse` (an earlier computation for the same architecture) lends every
 * entry whose signature is unchanged — the incremental re-lint recomputes only the entry points
 * an edit reaches, with the same numbers a full computation gives. The cache is updated.
 */
export function computeAvailability(
  model: Architecture,
  graph: Graph,
  options: AvailabilityOptions = {},
  reuse?: AvailabilityReuse,
): AvailabilityReport {
  const failed = options.failed ?? new Set<string>();
  const notes: string[] = [];
  const tableCache: TableCache = { byShape: new Map(), bySpec: new Map() };
  const specCache = new Map<number | undefined, Map<string, PoolSpec>>();
  const cycleState: CycleState = new Map();
  /** The most instances any entry point's load asks of each component. */
  const neededMost = new Map<string, number>();
  const cache = reuse?.cache ?? newAvailabilityCache();
  const originOf = reuse?.originOf ?? ((c: Component) => c);
  const lent = cache.lent;
  const keys = lent && lent.keys.size < MAX_INTERNED_KEYS ? lent.keys : new Map<string, number>();
  const records = new Map<string, EntryRecord>();
  const nextBaseKeys = new Map<Component, BaseKey>();
  const signatures = new EntrySignatures(
    { model, graph, failed, keys, specCache, originOf, baseKeys: cache.baseKeys, nextBaseKeys },
    lent?.keys === keys ? lent : undefined,
  );

  const entries: EntryAvailability[] = [];
  let spent = 0;
  for (const entry of graph.entryPoints) {
    const component = model.components.get(entry);
    if (!component) continue;
    // Each entry may spend a share of one overall budget, so one tangled entry cannot starve the rest.
    const budget = Math.max(10_000, Math.min(ENTRY_STEPS, TOTAL_STEPS - spent));
    const signature = signatures.of(entry, component.load, budget);
    const record =
      (signature !== undefined ? lent?.records.get(signature) : undefined) ??
      computeEntry(model, graph, entry, { failed, budget, tableCache, specCache, cycleState });
    if (signature !== undefined) records.set(signature, record);
    spent += record.steps;
    entries.push(record.result);
    notes.push(...record.notes);
    for (const [id, needed] of record.needed) neededMost.set(id, Math.max(neededMost.get(id) ?? 1, needed));
  }

  const nextPools = new Map<Component, PoolRecord>();
  const components = componentPools(model, failed, neededMost, notes, { known: cache.pools, next: nextPools, originOf });
  if (failed.size > 0) {
    const known = [...failed].filter((id) => model.components.has(id));
    if (known.length > 0) notes.push(`what-if: ${known.join(', ')} forced down`);
  }
  const report: AvailabilityReport = { entries, components, notes };
  // Keys of components no entry reached this time stay usable; only what this model holds is kept.
  for (const c of model.components.values()) {
    const origin = originOf(c);
    const known = cache.baseKeys.get(origin);
    if (known && !nextBaseKeys.has(origin)) nextBaseKeys.set(origin, known);
  }
  Object.assign(cache, { lent: { records, keys, ...signatures.state(), originOf }, pools: nextPools, baseKeys: nextBaseKeys });
  return report;
}

/** What one entry point's computation shares with the others of the same report: pure caches, and its limits. */
interface EntryContext {
  failed: ReadonlySet<string>;
  budget: number;
  tableCache: TableCache;
  specCache: Map<number | undefined, Map<string, PoolSpec>>;
  cycleState: CycleState;
}

function computeEntry(model: Architecture, graph: Graph, entry: string, context: EntryContext): EntryRecord {
  const { failed, tableCache, specCache, cycleState } = context;
  const component = model.components.get(entry)!;
  const notes: string[] = [];
  const bdd = new Bdd();
  bdd.budget = context.budget;
  // Variable order: first visit, depth first from the entry point.
  const levels = new Map<string, number>();
  const levelOf = (id: string): number => {
    let level = levels.get(id);
    if (level === undefined) {
      level = levels.size;
      levels.set(id, level);
    }
    return level;
  };
  let structure: ReturnType<typeof entryStructure>;
  try {
    structure = entryStructure(graph, bdd, levelOf, entry, cycleState);
  } catch (error) {
    if (!(error instanceof BddBudgetExceeded)) throw error;
    notes.push(
      `${entry}: its any-of groups are too entangled to compute exactly in reasonable time; ` +
        'its figure treats the members of any-of groups, and zones, as independent (an approximation), and names no weakest link',
    );
    return { result: approximateEntry(model, graph, entry, failed), notes, steps: bdd.steps, needed: [] };
  }
  const { required, residual, closure, cycleAt } = structure;
  if (cycleAt !== undefined) {
    notes.push(
      `${entry}: its dependencies form a cycle through ${cycleAt}; there a component met again on its own path counts as up`,
    );
  }

  // A component's pool depends on the entry only through its load: most entries share one spec.
  const specs = closure.map((id) => specFor(model, specCache, id, component.load));
  const needed: [string, number][] = [];
  for (const spec of specs) {
    needed.push([spec.component, spec.needed]);
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
  const signature = conditioned.join('\u0000');
  const tables = specs.map((spec) => poolTable(model, spec, conditionedIndex, signature, tableCache));
  const levelsOf = specs.map((spec) => levels.get(spec.component)!);
  const uniqueTables = [...new Set(tables)];
  const tableOf = tables.map((t) => uniqueTables.indexOf(t));
  // Plain arrays: hundreds of entries each making a dozen typed arrays kept the collector busy.
  const tableUp = zeros(uniqueTables.length);
  const tableDown = zeros(uniqueTables.length);

  // R's components in classes of equal pools (a failed one is a class of its own): per zone
  // state, all of R up is a product of a few powers instead of a walk over the closure.
  const classOf = zeros(required.length);
  const classKeys: number[] = []; // table index, or −1 for "forced down"
  const classSize: number[] = [];
  for (let i = 0; i < required.length; i++) {
    const key = failed.has(required[i]!) ? -1 : tableOf[i]!;
    let c = classKeys.indexOf(key);
    if (c < 0) {
      c = classKeys.push(key) - 1;
      classSize.push(0);
    }
    classSize[c]!++;
    classOf[i] = c;
  }
  const classes = classKeys.length;
  const classUp = zeros(classes);
  const classDown = zeros(classes);
  const classPower = zeros(classes);
  const classGain = zeros(classes);

  // Indexed by level: this entry's own variables only.
  const size = Math.max(1, levels.size);
  const p = zeros(size);
  const q = zeros(size);
  const gain = zeros(size);
  const compiled = bdd.compile(residual);
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
    // Few distinct tables serve many components: look each up once per zone state.
    uniqueTables.forEach((table, t) => {
      let local = 0;
      for (let b = 0; b < table.zoneBits.length; b++) local |= ((mask >> table.zoneBits[b]!) & 1) << b;
      tableUp[t] = table.up[local]!;
      tableDown[t] = table.down[local]!;
    });
    // The residual's variables: the components outside R.
    for (let i = required.length; i < specs.length; i++) {
      const level = levelsOf[i]!;
      const down = failed.has(closure[i]!);
      p[level] = down ? 0 : tableUp[tableOf[i]!]!;
      q[level] = down ? 1 : tableDown[tableOf[i]!]!;
    }
    // All of R up: Π up_c^n_c, its complement summed class by class (1 − Π loses the digits).
    let requiredUp = 1;
    let requiredDown = 0;
    for (let c = 0; c < classes; c++) {
      const key = classKeys[c]!;
      const up = key < 0 ? 0 : tableUp[key]!;
      const down = key < 0 ? 1 : tableDown[key]!;
      const n = classSize[c]!;
      classUp[c] = up;
      classDown[c] = down;
      classPower[c] = up ** n;
      // 1 − upⁿ without cancellation: −expm1(n·log1p(−down)) while down is small.
      const powerDown = n === 1 ? down : down < 0.5 ? -Math.expm1(n * Math.log1p(-down)) : 1 - classPower[c]!;
      requiredDown += requiredUp * powerDown;
      requiredUp *= classPower[c]!;
    }
    const rest = evaluate(compiled, p, q, scratch, weight * requiredUp, gain);
    availability += weight * requiredUp * rest.up;
    unavailability += weight * (requiredDown + requiredUp * rest.down);
    // One component of R made perfect: the product over all the others (never a division by 0).
    for (let c = 0; c < classes; c++) {
      let others = classUp[c]! ** (classSize[c]! - 1);
      for (let d = 0; d < classes; d++) if (d !== c) others *= classPower[d]!;
      classGain[c]! += weight * classDown[c]! * others * rest.up;
    }
  }
  for (let i = 0; i < required.length; i++) gain[levelsOf[i]!] = classGain[classOf[i]!]!;

  const contributors: Contributor[] = [];
  for (let i = 0; i < specs.length; i++) {
    const g = gain[levelsOf[i]!]!;
    if (g >= MIN_GAIN && !failed.has(closure[i]!)) contributors.push({ component: closure[i]!, gain: g });
  }
  contributors.sort((a, b) => b.gain - a.gain || a.component.localeCompare(b.component));

  const result = entryResult(model, entry, availability, unavailability, contributors, exact);
  return { result, notes, steps: bdd.steps, needed };
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

function specFor(
  model: Architecture,
  specCache: Map<number | undefined, Map<string, PoolSpec>>,
  id: string,
  load: number | undefined,
): PoolSpec {
  let specsForLoad = specCache.get(load);
  if (!specsForLoad) specCache.set(load, (specsForLoad = new Map()));
  let spec = specsForLoad.get(id);
  if (!spec) specsForLoad.set(id, (spec = poolSpec(model, model.components.get(id)!, load)));
  return spec;
}

/** Each component's own pool, counted with the most instances any entry's load asks of it. */
function componentPools(
  model: Architecture,
  failed: ReadonlySet<string>,
  neededMost: ReadonlyMap<string, number>,
  notes: string[],
  pools: { known: ReadonlyMap<Component, PoolRecord>; next: Map<Component, PoolRecord>; originOf: (c: Component) => Component },
): Map<string, ComponentAvailability> {
  const components = new Map<string, ComponentAvailability>();
  for (const c of model.components.values()) {
    // A component the incremental path kept has the same pool, if what it reads of the file has not changed.
    const origin = pools.originOf(c);
    const known = pools.known.get(origin);
    if (known && sameInputs(known.inputs, model, c, neededMost.get(c.id) ?? 1, failed.has(c.id))) {
      components.set(c.id, known.pool);
      if (known.note) notes.push(known.note);
      pools.next.set(origin, known);
      continue;
    }
    const spec: PoolSpec = { ...poolSpec(model, c, undefined) };
    spec.needed = Math.max(spec.needed, neededMost.get(c.id) ?? 1);
    const zoneAvailabilities = spec.zones.map((z) => zoneAvailability(model, z));
    const pool = failed.has(c.id) ? { up: 0, down: 1 } : poolUpDown(spec, zoneAvailabilities.map(freeZone));
    const result: ComponentAvailability = {
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
    };
    components.set(c.id, result);
    const note =
      c.failover?.standby === 'cold' && (c.failover.takeover === undefined || c.mtbf === undefined)
        ? `${c.id}: a cold standby without both \`failover.takeover\` and \`mtbf\`: its takeover downtime is not counted`
        : undefined;
    if (note) notes.push(note);
    const inputs: PoolInputs = {
      instance: instanceAvailability(model, c),
      zones: c.zones.map((z) => zoneAvailability(model, z.id)),
      needed: neededMost.get(c.id) ?? 1,
      failed: failed.has(c.id),
    };
    pools.next.set(origin, { inputs, pool: result, note });
  }
  return components;
}
/** What a component's own pool figures read besides the component itself. */
interface PoolInputs {
  instance: number;
  zones: number[];
  needed: number;
  failed: boolean;
}
function sameInputs(a: PoolInputs, model: Architecture, c: Component, needed: number, failed: boolean): boolean {
  if (a.needed !== needed || a.failed !== failed || a.instance !== instanceAvailability(model, c)) return false;
  if (a.zones.length !== c.zones.length) return false;
  for (let i = 0; i < c.zones.length; i++) if (a.zones[i] !== zoneAvailability(model, c.zones[i]!.id)) return false;
  return true;
}

function lentOrigin(lent: ReuseState, id: string): Component | undefined {
  const c = lent.model.components.get(id);
  return c && lent.originOf(c);
}

/** What the signatures of one computation read. */
interface SignatureInput {
  model: Architecture;
  graph: Graph;
  failed: ReadonlySet<string>;
  keys: Map<string, number>;
  specCache: Map<number | undefined, Map<string, PoolSpec>>;
  originOf: (c: Component) => Component;
  /** The last computation's base keys by origin, and this one's. */
  baseKeys: ReadonlyMap<Component, BaseKey>;
  nextBaseKeys: Map<Component, BaseKey>;
}

/**
 * Signatures of entry points: an entry's says everything its computation reads, so two equal
 * signatures give the same result to the last bit. Built bottom-up, each component's part once
 * per load: its id, pool spec (with its zones' availabilities), whether it is forced down, and
 * the parts of what it requires, in order; parts are interned as numbers so the strings stay
 * short however deep the graph. A component on a cycle has no signature (always recomputed).
 */
class EntrySignatures {
  private readonly byLoad = new Map<number | undefined, Map<string, number | undefined>>();
  private readonly onPath = new Set<string>();
  private readonly bases = new Map<string, number>();
  private readonly sensitive = new Map<string, boolean>();

  /** Everything a part reads besides components and structure: the file's zones and defaults, the what-if. */
  private readonly context: string;
  /** The previous report's parts, usable for a component whose whole subgraph is unchanged. */
  private readonly lent: ReuseState | undefined;
  private readonly unchanged = new Map<string, boolean>();

  private readonly model: Architecture;
  private readonly graph: Graph;
  private readonly failed: ReadonlySet<string>;
  private readonly keys: Map<string, number>;
  private readonly specCache: Map<number | undefined, Map<string, PoolSpec>>;

  constructor(
    private readonly input: SignatureInput,
    lent: ReuseState | undefined,
  ) {
    ({ model: this.model, graph: this.graph, failed: this.failed, keys: this.keys, specCache: this.specCache } = input);
    const { model, failed, graph } = input;
    this.context = JSON.stringify([[...model.zones.values()].map((z) => [z.id, z.availability]), model.defaults, [...failed]]);
    this.lent = lent && lent.structure === graph.derived && lent.context === this.context ? lent : undefined;
  }

  /** What the next computation may reuse of this one. */
  state(): Omit<ReuseState, 'records' | 'keys' | 'originOf'> {
    return { parts: this.byLoad, structure: this.graph.derived, context: this.context, model: this.model };
  }

  /**
   * Whether `id` and everything below it are the components the previous report saw (the same
   * origins; the structure is the same, or nothing is lent): then its parts are the previous ones.
   */
  private unchangedBelow(id: string): boolean {
    return foldRequirements(this.graph, id, this.unchanged, {
      onCycle: () => false, // on a cycle, say no (the safe answer)
      leave: (at, below) => {
        const c = this.model.components.get(at);
        return c !== undefined && lentOrigin(this.lent!, at) === this.input.originOf(c) && !below.includes(false);
      },
    });
  }

  /** A component's pool apart from what the load changes (instances needed, takeover time), interned. */
  private base(id: string, spec: PoolSpec): number {
    let base = this.bases.get(id);
    if (base === undefined) {
      const c = this.model.components.get(id)!;
      // A component the incremental path kept is the same object: its key is too, if its zones' figures are.
      const zoneFigures = spec.zones.map((z) => zoneAvailability(this.model, z)).join(',');
      const origin = this.input.originOf(c);
      const known = this.input.baseKeys.get(origin);
      const key =
        known && known.zoneFigures === zoneFigures && known.instance === spec.instance
          ? known.key
          : JSON.stringify([
              id,
              c.replicasSource,
              spec.instance,
              spec.instances,
              spec.zones,
              zoneFigures,
              spec.perZone,
              spec.shards ?? null,
            ]);
      this.input.nextBaseKeys.set(origin, key === known?.key ? known : { zoneFigures, instance: spec.instance, key });
      base = this.keys.get(key);
      if (base === undefined) this.keys.set(key, (base = this.keys.size));
      this.bases.set(id, base);
    }
    return base;
  }

  of(entry: string, load: number | undefined, budget: number): string | undefined {
    const part = this.part(entry, load);
    if (part === undefined) return undefined;
    const c = this.model.components.get(entry)!;
    return `${part}|${load}|${c.slo}|${this.model.slo}|${budget}`;
  }

  /** Whether a load changes anything below `id`: some component there states a per-instance capacity. */
  private loadSensitive(id: string): boolean {
    return foldRequirements(this.graph, id, this.sensitive, {
      onCycle: () => true, // on a cycle, say yes (the safe answer)
      leave: (at, below) => this.model.components.get(at)?.capacity !== undefined || below.includes(true),
    });
  }

  /**
   * The interned part of `id` under `load`: bottom-up over what it requires, as a memoised
   * recursion would make it, with an explicit stack (a long chain must not overflow the call stack).
   */
  private part(id: string, load: number | undefined): number | undefined {
    const start = this.known(id, load);
    if (start.done) return start.part;
    const frames: { id: string; load: number | undefined; children: readonly string[]; parts: (number | undefined)[] }[] = [];
    const open = (at: string, atLoad: number | undefined) => {
      this.onPath.add(at);
      const req = this.graph.requirements.get(at);
      frames.push({ id: at, load: atLoad, children: req ? [...req.all, ...req.anyOf.flat()] : [], parts: [] });
    };
    open(id, start.load);
    for (;;) {
      const frame = frames[frames.length - 1]!;
      if (frame.parts.length < frame.children.length) {
        const child = this.known(frame.children[frame.parts.length]!, frame.load);
        if (child.done) frame.parts.push(child.part);
        else open(child.id, child.load);
        continue;
      }
      frames.pop();
      this.onPath.delete(frame.id);
      const part = this.partOf(frame.id, frame.load, frame.parts);
      const parent = frames[frames.length - 1];
      if (!parent) return part;
      parent.parts.push(part);
    }
  }

  /**
   * What is known of `id`'s part under `load` without looking below it: the memoised or lent part,
   * none on a cycle or for a component that does not exist; else the load its part is made for.
   */
  private known(
    id: string,
    load: number | undefined,
  ): { done: true; part: number | undefined } | { done: false; id: string; load: number | undefined } {
    // Where no capacity is stated below, the load changes nothing: one part serves every load.
    if (load !== undefined && !this.loadSensitive(id)) load = undefined;
    let memo = this.byLoad.get(load);
    if (!memo) this.byLoad.set(load, (memo = new Map()));
    if (memo.has(id)) return { done: true, part: memo.get(id) };
    const lentParts = this.lent?.parts.get(load);
    if (lentParts?.has(id) && this.unchangedBelow(id)) {
      const part = lentParts.get(id);
      memo.set(id, part);
      return { done: true, part };
    }
    if (this.onPath.has(id) || !this.model.components.has(id)) return { done: true, part: undefined };
    return { done: false, id, load };
  }

  /** The part of `id` from its requirements' parts (`all`, then each group's members), interned and memoised. */
  private partOf(id: string, load: number | undefined, parts: readonly (number | undefined)[]): number | undefined {
    const req = this.graph.requirements.get(id);
    let key: string | undefined;
    if (!parts.includes(undefined)) {
      const all = req ? parts.slice(0, req.all.length) : [];
      let k = all.length;
      const groups = req ? req.anyOf.map((g) => parts.slice(k, (k += g.length))) : [];
      const spec = specFor(this.model, this.specCache, id, load);
      key = `${this.base(id, spec)},${spec.needed},${spec.takeoverFraction},${this.failed.has(id) ? 1 : 0}:${all.join(',')}:${groups.map((g) => g.join(',')).join(';')}`;
    }
    let part: number | undefined;
    if (key !== undefined) {
      part = this.keys.get(key);
      if (part === undefined) this.keys.set(key, (part = this.keys.size));
    }
    this.byLoad.get(load)!.set(id, part);
    return part;
  }
}

/**
 * The fallback when the exact structure is beyond the BDD's budget: every term independent
 * (the textbook series/parallel formulas applied as if nothing were shared), zones summed into
 * each pool on its own. Exactness is lost and the report says so; the editor stays responsive.
 */
function approximateEntry(model: Architecture, graph: Graph, entry: string, failed: ReadonlySet<string>): EntryAvailability {
  const memo = new Map<string, { up: number; down: number }>();
  const load = model.components.get(entry)!.load;
  const pool = (id: string) => {
    if (failed.has(id)) return { up: 0, down: 1 };
    const spec = poolSpec(model, model.components.get(id)!, load);
    return poolUpDown(
      spec,
      spec.zones.map((z) => freeZone(zoneAvailability(model, z))),
    );
  };
  const series = (a: { up: number; down: number }, b: { up: number; down: number }) => ({
    up: a.up * b.up,
    down: a.down + a.up * b.down,
  });
  const reached = foldRequirements(graph, entry, memo, {
    onCycle: pool,
    leave(id, values) {
      let result = pool(id);
      const req = graph.requirements.get(id);
      let k = 0;
      for (let i = 0; i < (req?.all.length ?? 0); i++) result = series(result, values[k++]!);
      for (const group of req?.anyOf ?? []) {
        let any = { up: 0, down: 1 };
        for (let i = 0; i < group.length; i++) {
          const r = values[k++]!;
          any = { up: any.up + any.down * r.up, down: any.down * r.down };
        }
        result = series(result, any);
      }
      return result;
    },
  });
  return entryResult(model, entry, reached.up, reached.down, [], false);
}

/** An entry point's result from its two probabilities: downtime, nines and its SLO. */
function entryResult(
  model: Architecture,
  entry: string,
  up: number,
  down: number,
  contributors: Contributor[],
  exact: boolean,
): EntryAvailability {
  // Sums of rounded terms may stray past 1 by an ulp; a probability never does.
  const availability = clampProbability(up);
  const unavailability = clampProbability(down);
  const c = model.components.get(entry)!;
  const slo = c.slo ?? model.slo;
  return {
    component: entry,
    availability,
    unavailability,
    nines: nines(unavailability),
    downtime: downtimeOf(unavailability),
    ...(slo !== undefined && {
      slo,
      sloSource: c.slo !== undefined ? ('entry' as const) : model.sloFromConfig ? ('config' as const) : ('file' as const),
      meetsSlo: availability >= slo - SLO_TOLERANCE,
    }),
    contributors,
    exact,
  };
}

/** A component's pool up/down probabilities for each state of its conditioned zones. */
interface PoolTable {
  /** For each local bit, the bit of the conditioned zone in the global zone-state mask. */
  zoneBits: number[];
  up: Float64Array;
  down: Float64Array;
}

/** One computation's pool tables: by the shape the math reads, and by spec and conditioned zones. */
interface TableCache {
  byShape: Map<string, PoolTable>;
  bySpec: Map<PoolSpec, Map<string, PoolTable>>;
}

function poolTable(
  model: Architecture,
  spec: PoolSpec,
  conditionedIndex: ReadonlyMap<string, number>,
  signature: string,
  cache: TableCache,
): PoolTable {
  // The same spec under the same conditioned zones is the same table, whichever entry asks.
  const bySpec = cache.bySpec.get(spec);
  const known = bySpec?.get(signature);
  if (known) return known;
  const table = buildPoolTable(model, spec, conditionedIndex, cache.byShape);
  if (bySpec) bySpec.set(signature, table);
  else cache.bySpec.set(spec, new Map([[signature, table]]));
  return table;
}

function buildPoolTable(
  model: Architecture,
  spec: PoolSpec,
  conditionedIndex: ReadonlyMap<string, number>,
  cache: Map<string, PoolTable>,
): PoolTable {
  const zoneBits: number[] = [];
  const localBit = spec.zones.map((z) => {
    const global = conditionedIndex.get(z);
    if (global === undefined) return -1;
    zoneBits.push(global);
    return zoneBits.length - 1;
  });
  const free = spec.zones.map((z) => freeZone(zoneAvailability(model, z)));
  // Pools alike in everything the math reads share one table: a thousand components are a handful of shapes.
  const key = JSON.stringify([
    spec.instance,
    spec.instances,
    spec.needed,
    spec.perZone,
    spec.takeoverFraction,
    localBit.map((bit, j) => (bit < 0 ? free[j]!.up : `c${zoneBits[bit]}`)),
  ]);
  const cached = cache.get(key);
  if (cached) return cached;
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
  const table = { zoneBits, up, down };
  cache.set(key, table);
  return table;
}

function clampProbability(p: number): number {
  return Math.min(1, Math.max(0, p));
}
