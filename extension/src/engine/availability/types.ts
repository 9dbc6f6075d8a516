/** Downtime in seconds per period (a year is 365.2425 days, a month a twelfth of it). */
export interface Downtime {
  year: number;
  month: number;
  week: number;
  day: number;
}

export interface Contributor {
  component: string;
  /** How much the entry's availability would gain if this component never failed. */
  gain: number;
}

export interface EntryAvailability {
  component: string;
  availability: number;
  unavailability: number;
  nines: number;
  downtime: Downtime;
  slo?: number;
  meetsSlo?: boolean;
  contributors: Contributor[];
}

export interface ComponentAvailability {
  component: string;
  /** One instance's availability. */
  instance: number;
  /** The component's own pool (its instances and zones), dependencies not included. */
  pool: number;
  /** Instances needed (k of n). */
  needed: number;
  instances: number;
  /** For sharded components: probability that every shard is up at once. */
  allShardsUp?: number;
}

export interface AvailabilityReport {
  entries: EntryAvailability[];
  components: Map<string, ComponentAvailability>;
  /** Things the reader should know about how the numbers were made (approximations taken, …). */
  notes: string[];
}
